# `cmake --install <build> [--prefix <dir>]` (docs/install.md): the plugin and the Python half of
# its synthetic children side by side, a `seam-lldb` launcher, seam-report when it is built, and
# the docs. Included by the root CMakeLists.txt.
include(GNUInstallDirs)

# children.cpp looks for seam_children.py beside libseam.so: they must stay together.
set(SEAM_INSTALL_PLUGIN_DIR ${CMAKE_INSTALL_LIBDIR}/seam)
install(TARGETS seam LIBRARY DESTINATION ${SEAM_INSTALL_PLUGIN_DIR})
install(FILES ${PROJECT_SOURCE_DIR}/plugin/children/seam_children.py
        DESTINATION ${SEAM_INSTALL_PLUGIN_DIR})

# The installed launcher finds the plugin relative to itself (bin/../lib/seam), so a staged or
# moved prefix works; build/seam-lldb (root CMakeLists.txt) keeps pointing into the build.
file(RELATIVE_PATH SEAM_BIN_TO_PLUGIN_DIR /${CMAKE_INSTALL_BINDIR} /${SEAM_INSTALL_PLUGIN_DIR})
configure_file(${PROJECT_SOURCE_DIR}/plugin/launcher/seam-lldb-installed.in
               ${CMAKE_BINARY_DIR}/install/seam-lldb @ONLY)
install(PROGRAMS ${CMAKE_BINARY_DIR}/install/seam-lldb DESTINATION ${CMAKE_INSTALL_BINDIR})

# cli/ is written in parallel: install seam-report once the target exists.
set(SEAM_INSTALLS_REPORT no)
if(TARGET seam-report)
  install(TARGETS seam-report RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  set(SEAM_INSTALLS_REPORT yes)
endif()

# README.md links docs/*.md: keep that relative layout under the doc directory.
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
file(GLOB SEAM_DOCS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/*.md ${PROJECT_SOURCE_DIR}/docs/*.json)
install(FILES ${SEAM_DOCS} DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs)
if(EXISTS ${PROJECT_SOURCE_DIR}/docs/examples)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/examples DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs)
endif()

# tests/install/install_test.sh: installs this build into a temporary prefix and debugs a
# fixture with the installed launcher.
if(BUILD_TESTING)
  add_test(NAME install.launcher
           COMMAND sh ${PROJECT_SOURCE_DIR}/tests/install/install_test.sh ${CMAKE_COMMAND}
                   ${CMAKE_BINARY_DIR} ${CMAKE_BINARY_DIR}/fixtures/vecs-O0
                   ${SEAM_INSTALLS_REPORT})
  set_tests_properties(install.launcher PROPERTIES TIMEOUT 300 LABELS install)
endif()
