# The fixture programs' build rules, shared by the test tree (tests/CMakeLists.txt) and the fuzz
# tree (tests/fuzz), which reads the DWARF of a few of them.
#
# Fixtures (tests/fixtures/README.md): every fixtures/NAME.rs with a `fn main` becomes
# ${CMAKE_BINARY_DIR}/fixtures/NAME-O0 and NAME-O2; NAME.c, when present, is linked in as a
# static library built at the same optimisation level.
set(SEAM_FIXTURE_SRC ${PROJECT_SOURCE_DIR}/tests/fixtures)
set(SEAM_FIXTURE_DIR ${CMAKE_BINARY_DIR}/fixtures)
file(MAKE_DIRECTORY ${SEAM_FIXTURE_DIR})
file(GLOB SEAM_FIXTURE_RS CONFIGURE_DEPENDS ${SEAM_FIXTURE_SRC}/*.rs ${SEAM_FIXTURE_SRC}/*.c)
list(FILTER SEAM_FIXTURE_RS INCLUDE REGEX "\\.rs$")

# Files without `fn main` are modules the programs share.
set(SEAM_FIXTURE_MODULES "")
foreach(rs ${SEAM_FIXTURE_RS})
  file(STRINGS ${rs} has_main REGEX "^[ \t]*(pub[ \t]+)?fn[ \t]+main[ \t]*\\(")
  if(NOT has_main)
    list(APPEND SEAM_FIXTURE_MODULES ${rs})
  endif()
endforeach()

# Toolchains (fixtures/README.md): the fixtures build with rustc 1.63 to today's. A fixture
# gates an API or syntax newer than 1.63 behind `#[cfg(seam_rust_ge_NN)]`, set here from the
# compiler's own version for every threshold some fixture uses.
execute_process(COMMAND ${SEAM_RUSTC} --version OUTPUT_VARIABLE seam_rustc_version
                OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
string(REGEX MATCH "^rustc 1\\.([0-9]+)" _ "${seam_rustc_version}")
set(SEAM_RUSTC_MINOR ${CMAKE_MATCH_1})
if(NOT SEAM_RUSTC_MINOR)
  message(FATAL_ERROR "cannot read the version of ${SEAM_RUSTC}: '${seam_rustc_version}'")
endif()
message(STATUS "seam: fixtures built with ${seam_rustc_version}")
set(SEAM_RUST_CFGS "")
foreach(minor 64 65 66 70 77 79 80 89)
  if(SEAM_RUSTC_MINOR GREATER_EQUAL minor)
    list(APPEND SEAM_RUST_CFGS --cfg seam_rust_ge_${minor})
  endif()
endforeach()

set(SEAM_FIXTURES "")        # NAME-O0;NAME-O2;... for the end-to-end tests
# The optimisation levels each fixture is built at (the fuzz tree takes -O0 alone).
if(NOT DEFINED SEAM_FIXTURE_LEVELS)
  set(SEAM_FIXTURE_LEVELS 0 2)
endif()
set(SEAM_FIXTURE_FILES "")

# One fixture program NAME from the Rust source RS at -O0 and -O2 (SEAM_FIXTURE_LEVELS), linking
# NAME.c from the fixture folder when it exists. Extra flags come from the sources' own text
# (README.md). A macro, so that SEAM_FIXTURES and SEAM_FIXTURE_FILES grow in the caller's scope.
macro(seam_add_fixture name rs)
  set(c_source ${SEAM_FIXTURE_SRC}/${name}.c)
  # Extra flags a fixture asks for in its own text (README.md): a line
  # `// fixture-rustflags: -C panic=abort` in NAME.rs, `// fixture-cflags: ...` in NAME.c.
  set(extra_rust "")
  if(EXISTS ${rs})
    file(STRINGS ${rs} extra_rust REGEX "^// fixture-rustflags:")
  endif()
  list(TRANSFORM extra_rust REPLACE "^// fixture-rustflags:[ \t]*" "")
  separate_arguments(extra_rust UNIX_COMMAND "${extra_rust}")
  # `// fixture-rustflags-before-64: FLAGS`: flags for the compilers older than 1.64 only;
  # `// fixture-rustflags-since-88: FLAGS`: for 1.88 and newer only (a flag older ones lack).
  if(EXISTS ${rs})
    file(STRINGS ${rs} versioned_rust_lines REGEX "^// fixture-rustflags-(before|since)-[0-9]+:")
    foreach(line ${versioned_rust_lines})
      string(REGEX MATCH "^// fixture-rustflags-(before|since)-([0-9]+):[ \t]*(.*)$" _ "${line}")
      if((CMAKE_MATCH_1 STREQUAL "before" AND SEAM_RUSTC_MINOR LESS CMAKE_MATCH_2) OR
         (CMAKE_MATCH_1 STREQUAL "since" AND SEAM_RUSTC_MINOR GREATER_EQUAL CMAKE_MATCH_2))
        separate_arguments(versioned_rust_flags UNIX_COMMAND "${CMAKE_MATCH_3}")
        list(APPEND extra_rust ${versioned_rust_flags})
      endif()
    endforeach()
  endif()
  set(extra_c "")
  set(c_compiler ${SEAM_CC})
  set(c_shared FALSE)
  set(c_included "")
  if(EXISTS ${c_source})
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${c_source})
    # A C half that `#include "other.c"`s another's (crash_abort.c) rebuilds when that changes.
    file(STRINGS ${c_source} c_included REGEX "^#include \"[^\"]+\"")
    list(TRANSFORM c_included REPLACE "^#include \"([^\"]+)\".*" "${SEAM_FIXTURE_SRC}/\\1")
    file(STRINGS ${c_source} extra_c REGEX "^// fixture-cflags:")
    list(TRANSFORM extra_c REPLACE "^// fixture-cflags:[ \t]*" "")
    separate_arguments(extra_c UNIX_COMMAND "${extra_c}")
    # `// fixture-clib: shared-nodebug`: the C half is built as distros ship C libraries, a
    # shared library with its symbols and no debug info, linked with an rpath to it.
    file(STRINGS ${c_source} c_shared_line REGEX "^// fixture-clib:[ \t]*shared-nodebug")
    if(c_shared_line)
      set(c_shared TRUE)
    endif()
    # `// fixture-cc: clang`: the C half is built by clang 19 instead of gcc, as the kernel's C
    # is (with `// fixture-cflags: -gdwarf-5`, LLVM's DWARF 5: DW_OP_addrx, DW_FORM_addrx).
    file(STRINGS ${c_source} c_clang_line REGEX "^// fixture-cc:[ \t]*clang")
    if(c_clang_line)
      find_program(SEAM_CLANG NAMES clang-19 clang)
      if(NOT SEAM_CLANG)
        message(FATAL_ERROR "${c_source} is built by clang: install clang-19 (.ci/setup)")
      endif()
      set(c_compiler ${SEAM_CLANG})
    endif()
  endif()
  # `// fixture-crates: bindings kernel` (README.md): library crates the fixture uses, each
  # fixtures/NAME/lib.rs built as an rlib called NAME with the fixture's own flags, in order
  # (each sees the ones before it), linking fixtures/NAME/NAME.c when it exists.
  set(crates "")
  set(included "")
  if(EXISTS ${rs})
    file(STRINGS ${rs} crates REGEX "^// fixture-crates:")
    # A file the fixture include!s is part of its source.
    file(STRINGS ${rs} included REGEX "^include!\\(\"[^\"]+\"\\);")
    list(TRANSFORM included REPLACE "^include!\\(\"([^\"]+)\"\\);.*" "${SEAM_FIXTURE_SRC}/\\1")
  endif()
  list(TRANSFORM crates REPLACE "^// fixture-crates:[ \t]*" "")
  separate_arguments(crates UNIX_COMMAND "${crates}")
  set(per_fixture "")
  foreach(level ${SEAM_FIXTURE_LEVELS})
    set(out ${SEAM_FIXTURE_DIR}/${name}-O${level})
    set(common_flags -g -C opt-level=${level} --edition 2021 -C debug-assertions=off -A warnings
        ${SEAM_RUST_CFGS} ${extra_rust})
    if(level EQUAL 2)
      list(APPEND common_flags -C debuginfo=2)
    endif()
    set(rust_flags ${common_flags} --crate-type bin --crate-name ${name})
    # Every module file a fixture may `mod` in (probe.rs, crash_kinds.rs, ...): any of them
    # changing rebuilds it.
    set(deps ${rs} ${SEAM_FIXTURE_MODULES} ${included})
    set(crate_dir ${SEAM_FIXTURE_DIR}/crates-O${level}/${name})
    set(externs "")
    set(crate_libs "")
    foreach(crate ${crates})
      set(crate_src ${SEAM_FIXTURE_SRC}/${crate})
      file(GLOB_RECURSE crate_rs CONFIGURE_DEPENDS ${crate_src}/*.rs)
      set(crate_lib ${crate_dir}/lib${crate}.rlib)
      set(crate_link "")
      set(crate_deps ${crate_rs} ${crate_libs})
      if(EXISTS ${crate_src}/${crate}.c)
        set(crate_c ${crate_dir}/lib${crate}_c.a)
        add_custom_command(
          OUTPUT ${crate_c}
          COMMAND ${CMAKE_COMMAND} -E make_directory ${crate_dir}
          COMMAND ${SEAM_CC} -g -O${level} -c ${crate_src}/${crate}.c -o ${crate_dir}/${crate}_c.o
          COMMAND ${CMAKE_COMMAND} -E rm -f ${crate_c}
          COMMAND ${CMAKE_AR} rcs ${crate_c} ${crate_dir}/${crate}_c.o
          DEPENDS ${crate_src}/${crate}.c
          COMMENT "Fixture crate C ${crate}.c for ${name} (-O${level})"
          VERBATIM)
        list(APPEND crate_deps ${crate_c})
        # An rlib bundles the static library it links.
        set(crate_link -L native=${crate_dir} -l static=${crate}_c)
      endif()
      add_custom_command(
        OUTPUT ${crate_lib}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${crate_dir}
        COMMAND ${SEAM_RUSTC} ${common_flags} --crate-type rlib --crate-name ${crate} ${externs}
                -L dependency=${crate_dir} ${crate_link} -o ${crate_lib} ${crate_src}/lib.rs
        DEPENDS ${crate_deps}
        WORKING_DIRECTORY ${crate_src}
        COMMENT "Fixture crate ${crate} for ${name} (-O${level})"
        VERBATIM)
      list(APPEND externs --extern ${crate}=${crate_lib})
      list(APPEND crate_libs ${crate_lib})
      list(APPEND deps ${crate_lib})
    endforeach()
    if(crates)
      list(APPEND rust_flags ${externs} -L dependency=${crate_dir})
    endif()
    set(link_flags "")
    if(EXISTS ${c_source} AND c_shared)
      set(c_dir ${SEAM_FIXTURE_DIR}/c-O${level})
      set(c_lib ${c_dir}/lib${name}_c.so)
      add_custom_command(
        OUTPUT ${c_lib}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${c_dir}
        COMMAND ${c_compiler} -O${level} -fPIC -shared ${extra_c} ${c_source} -o ${c_lib}
        DEPENDS ${c_source} ${c_included}
        COMMENT "Fixture C library lib${name}_c.so, no debug info (-O${level})"
        VERBATIM)
      list(APPEND deps ${c_lib})
      set(link_flags -L native=${c_dir} -l dylib=${name}_c -C link-arg=-Wl,-rpath,${c_dir})
    elseif(EXISTS ${c_source})
      # One directory per level, so that both archives can be called lib${name}_c.a.
      set(c_dir ${SEAM_FIXTURE_DIR}/c-O${level})
      set(c_obj ${c_dir}/${name}_c.o)
      set(c_lib ${c_dir}/lib${name}_c.a)
      add_custom_command(
        OUTPUT ${c_lib}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${c_dir}
        COMMAND ${c_compiler} -g -O${level} ${extra_c} -c ${c_source} -o ${c_obj}
        COMMAND ${CMAKE_COMMAND} -E rm -f ${c_lib}
        COMMAND ${CMAKE_AR} rcs ${c_lib} ${c_obj}
        DEPENDS ${c_source} ${c_included}
        COMMENT "Fixture C ${name}.c (-O${level})"
        VERBATIM)
      list(APPEND deps ${c_lib})
      set(link_flags -L native=${c_dir} -l static=${name}_c)
    endif()
    add_custom_command(
      OUTPUT ${out}
      # rustc names its temporaries after the output's stem (NAME-O0, NAME-O2), so both levels
      # build in parallel in one directory.
      COMMAND ${SEAM_RUSTC} ${rust_flags} ${link_flags} -o ${out} ${rs}
      DEPENDS ${deps}
      WORKING_DIRECTORY ${SEAM_FIXTURE_SRC}
      COMMENT "Fixture ${name}-O${level}"
      VERBATIM)
    list(APPEND per_fixture ${out})
    list(APPEND SEAM_FIXTURES ${name}-O${level})
  endforeach()
  # `cmake --build ... --target fixture-NAME` builds one fixture (both levels).
  add_custom_target(fixture-${name} DEPENDS ${per_fixture})
  list(APPEND SEAM_FIXTURE_FILES ${per_fixture})
endmacro()
