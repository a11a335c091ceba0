# Runs a command, or a pipeline, and checks its exit status and output.
#
#   cmake [-DEXPECT_EXIT=<n>] [-DEXPECT_OUTPUT=<regex>] [-DEXPECT_LAST_LINE=<regex>]
#         -P run-check.cmake -- <cmd> <args>... [| <cmd> <args>...]...
#
# A lone `|` argument separates the stages of a pipeline: the standard output
# of each stage goes to the next one's standard input. Every stage but the
# last must exit 0; the last must exit EXPECT_EXIT (default 0). EXPECT_OUTPUT
# must match somewhere in the last stage's standard output, EXPECT_LAST_LINE
# must match its last non-empty line. Standard input of the first stage is
# empty.

if(NOT DEFINED EXPECT_EXIT)
  set(EXPECT_EXIT 0)
endif()

# Collect the arguments after `--` into `COMMAND a b COMMAND c ...`.
set(args "")
set(stages 0)
set(started FALSE)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE 1 ${last})
  set(arg "${CMAKE_ARGV${i}}")
  if(NOT started)
    if(arg STREQUAL "--")
      set(started TRUE)
      list(APPEND args COMMAND)
      math(EXPR stages "${stages} + 1")
    endif()
  elseif(arg STREQUAL "|")
    list(APPEND args COMMAND)
    math(EXPR stages "${stages} + 1")
  else()
    list(APPEND args "${arg}")
  endif()
endforeach()
if(stages EQUAL 0)
  message(FATAL_ERROR "run-check.cmake: no command given after --")
endif()

if(CMAKE_HOST_WIN32)
  set(input_file NUL)
else()
  set(input_file /dev/null)
endif()

execute_process(
  ${args}
  INPUT_FILE "${input_file}"
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err
  RESULTS_VARIABLE results
  TIMEOUT 300)

message("${out}")
if(err)
  message("-- standard error:\n${err}")
endif()

set(failures "")
list(LENGTH results n)
math(EXPR n_last "${n} - 1")
foreach(i RANGE 0 ${n_last})
  list(GET results ${i} rc)
  if(i EQUAL n_last)
    set(want "${EXPECT_EXIT}")
  else()
    set(want 0)
  endif()
  if(NOT rc STREQUAL want)
    math(EXPR stage "${i} + 1")
    list(APPEND failures "stage ${stage} of ${stages} exited with '${rc}', expected ${want}")
  endif()
endforeach()

if(DEFINED EXPECT_OUTPUT AND NOT out MATCHES "${EXPECT_OUTPUT}")
  list(APPEND failures "the output does not match '${EXPECT_OUTPUT}'")
endif()

if(DEFINED EXPECT_LAST_LINE)
  string(REGEX REPLACE "[\r\n]+$" "" trimmed "${out}")
  string(REGEX REPLACE "^.*[\r\n]" "" last_line "${trimmed}")
  if(NOT last_line MATCHES "${EXPECT_LAST_LINE}")
    list(APPEND failures "last line '${last_line}' does not match '${EXPECT_LAST_LINE}'")
  endif()
endif()

if(failures)
  list(JOIN failures "\n  " failures)
  message(FATAL_ERROR "check failed:\n  ${failures}")
endif()
