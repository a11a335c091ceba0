# Builds and runs a small consumer project against smtp_status, as a user would.
#
#   cmake -DCONSUMER_MODE=installed|add_subdirectory|fetchcontent
#         -DCONSUMER_WORK_DIR=<dir> -DSMTP_STATUS_SOURCE_DIR=<repo root>
#         [-DSMTP_STATUS_BINARY_DIR=<build tree to install, for installed>]
#         [-DCONSUMER_PKG_CONFIG=<pkg-config, for installed; empty: skip>]
#         [-DSMTP_STATUS_VERSION=<version smtp_status.pc must have>]
#         -DCONSUMER_GENERATOR=<gen> [-DCONSUMER_MAKE_PROGRAM=<path>]
#         -DCONSUMER_CXX_COMPILER=<c++> -DCONSUMER_BUILD_TYPE=<config>
#         -DCONSUMER_CTEST=<ctest> -P consumer-test.cmake
#
# installed:        cmake --install the build tree into <work>/installed/prefix,
#                   then tests/consumer (find_package) against it, and the
#                   pkg-config file: `pkg-config --cflags smtp_status` and a
#                   compile of tests/consumer/main.cpp with those flags only.
# add_subdirectory: tests/subdir_consumer, which add_subdirectory()s the repo.
# fetchcontent:     tests/subdir_consumer through FetchContent (SOURCE_DIR,
#                   no network).
# Each mode works in a fresh directory <work>/<mode>.

foreach(var CONSUMER_MODE CONSUMER_WORK_DIR SMTP_STATUS_SOURCE_DIR CONSUMER_GENERATOR
            CONSUMER_CXX_COMPILER CONSUMER_CTEST)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "consumer-test.cmake: ${var} is not set")
  endif()
endforeach()
if(NOT CONSUMER_BUILD_TYPE)
  set(CONSUMER_BUILD_TYPE Release)
endif()

# run(<what> <command>...): run a command, show its output, stop on failure.
function(run what)
  list(JOIN ARGN " " command_line)
  message(STATUS "${what}: ${command_line}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  message("${out}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc})")
  endif()
endfunction()

set(work "${CONSUMER_WORK_DIR}/${CONSUMER_MODE}")
file(REMOVE_RECURSE "${work}")
file(MAKE_DIRECTORY "${work}")

set(configure_args -G "${CONSUMER_GENERATOR}" "-DCMAKE_CXX_COMPILER=${CONSUMER_CXX_COMPILER}"
                   "-DCMAKE_BUILD_TYPE=${CONSUMER_BUILD_TYPE}")
if(CONSUMER_MAKE_PROGRAM)
  list(APPEND configure_args "-DCMAKE_MAKE_PROGRAM=${CONSUMER_MAKE_PROGRAM}")
endif()

if(CONSUMER_MODE STREQUAL "installed")
  if(NOT SMTP_STATUS_BINARY_DIR)
    message(FATAL_ERROR "consumer-test.cmake: SMTP_STATUS_BINARY_DIR is not set")
  endif()
  set(prefix "${work}/prefix")
  run("install" "${CMAKE_COMMAND}" --install "${SMTP_STATUS_BINARY_DIR}" --prefix "${prefix}"
      --config "${CONSUMER_BUILD_TYPE}")
  set(source_dir "${SMTP_STATUS_SOURCE_DIR}/tests/consumer")
  list(APPEND configure_args "-DCMAKE_PREFIX_PATH=${prefix}")
elseif(CONSUMER_MODE STREQUAL "add_subdirectory" OR CONSUMER_MODE STREQUAL "fetchcontent")
  set(source_dir "${SMTP_STATUS_SOURCE_DIR}/tests/subdir_consumer")
  list(APPEND configure_args "-DSMTP_STATUS_SOURCE_DIR=${SMTP_STATUS_SOURCE_DIR}"
       "-DSMTP_STATUS_CONSUMER_MODE=${CONSUMER_MODE}")
else()
  message(FATAL_ERROR "consumer-test.cmake: unknown CONSUMER_MODE '${CONSUMER_MODE}'")
endif()

set(build_dir "${work}/build")
run("configure" "${CMAKE_COMMAND}" -S "${source_dir}" -B "${build_dir}" ${configure_args})
run("build" "${CMAKE_COMMAND}" --build "${build_dir}" --config "${CONSUMER_BUILD_TYPE}")
run("test" "${CONSUMER_CTEST}" --test-dir "${build_dir}" -C "${CONSUMER_BUILD_TYPE}"
    --output-on-failure --no-tests=error)

if(NOT CONSUMER_MODE STREQUAL "installed")
  return()
endif()

# ---- pkg-config ----
if(NOT CONSUMER_PKG_CONFIG)
  message(STATUS "pkg-config not found: smtp_status.pc is not checked")
  return()
endif()
file(GLOB_RECURSE pc_files "${prefix}/*/smtp_status.pc")
list(LENGTH pc_files n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "expected one installed smtp_status.pc, found: ${pc_files}")
endif()
get_filename_component(pc_dir "${pc_files}" DIRECTORY)
# Only our directory: a system-wide smtp_status.pc must not answer.
set(ENV{PKG_CONFIG_PATH} "")
set(ENV{PKG_CONFIG_LIBDIR} "${pc_dir}")
execute_process(COMMAND "${CONSUMER_PKG_CONFIG}" --cflags smtp_status RESULT_VARIABLE rc
                OUTPUT_VARIABLE cflags ERROR_VARIABLE err OUTPUT_STRIP_TRAILING_WHITESPACE)
message(STATUS "pkg-config --cflags smtp_status: '${cflags}' ${err}")
if(NOT rc EQUAL 0 OR NOT cflags MATCHES "(^| )-I[^ ]")
  message(FATAL_ERROR "pkg-config --cflags smtp_status gave no -I flag")
endif()
execute_process(COMMAND "${CONSUMER_PKG_CONFIG}" --modversion smtp_status
                OUTPUT_VARIABLE version OUTPUT_STRIP_TRAILING_WHITESPACE)
message(STATUS "pkg-config --modversion smtp_status: '${version}'")
if(SMTP_STATUS_VERSION AND NOT version STREQUAL SMTP_STATUS_VERSION)
  message(FATAL_ERROR "smtp_status.pc has version '${version}', expected '${SMTP_STATUS_VERSION}'")
endif()
separate_arguments(cflags UNIX_COMMAND "${cflags}")
set(exe "${work}/pkgconfig_consumer${CMAKE_EXECUTABLE_SUFFIX}")
run("compile with pkg-config flags" "${CONSUMER_CXX_COMPILER}" -std=c++17 ${cflags}
    "${SMTP_STATUS_SOURCE_DIR}/tests/consumer/main.cpp" -o "${exe}")
run("run the pkg-config consumer" "${exe}")
