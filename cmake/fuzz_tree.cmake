# The fuzz tree (-DSEAM_FUZZ=ON, tests/fuzz/README.md): the engine and the libFuzzer targets
# alone, every object built with clang's coverage instrumentation and AddressSanitizer +
# UndefinedBehaviorSanitizer. No LLDB: the engine knows nothing of it (DESIGN.md).
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "SEAM_FUZZ needs clang: -DCMAKE_CXX_COMPILER=clang++-19")
endif()
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
                    -fno-omit-frame-pointer)
add_link_options(-fsanitize=address,undefined)
# The targets read the DWARF of real fixture programs (cmake/fixtures.cmake).
find_program(SEAM_RUSTC NAMES rustc REQUIRED)
find_program(SEAM_CC NAMES gcc cc REQUIRED)
add_subdirectory(formatters)
add_subdirectory(tests/fuzz)
