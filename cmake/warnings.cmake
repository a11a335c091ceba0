# Flags for the project's own targets (tests, examples, benchmarks, fuzzers);
# never for the INTERFACE target `smtp_status`, whose users pick their own.

# smtp_status_warnings(<target>): warnings as errors. The headers must compile
# cleanly with these on g++ and clang, C++17 and C++20.
function(smtp_status_warnings target)
  target_compile_options(
    ${target}
    PRIVATE
      $<$<CXX_COMPILER_ID:GNU,Clang,AppleClang>:
        -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Werror>
      $<$<CXX_COMPILER_ID:MSVC>:/W4 /WX /permissive->)
endfunction()

# smtp_status_build_flags(<target>): the build variant chosen by the cache
# options SMTP_STATUS_NO_EXCEPTIONS (-fno-exceptions -fno-rtti) and
# SMTP_STATUS_SANITIZE (ASan + UBSan, abort on the first report).
function(smtp_status_build_flags target)
  if(SMTP_STATUS_NO_EXCEPTIONS)
    target_compile_options(
      ${target} PRIVATE $<$<CXX_COMPILER_ID:GNU,Clang,AppleClang>:-fno-exceptions -fno-rtti>
                        $<$<CXX_COMPILER_ID:MSVC>:/EHs-c- /GR->)
  endif()
  if(SMTP_STATUS_SANITIZE)
    set(flags -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
    target_compile_options(${target} PRIVATE ${flags})
    target_link_options(${target} PRIVATE ${flags})
  endif()
endfunction()

# smtp_status_dev_target(<target>): both of the above.
function(smtp_status_dev_target target)
  smtp_status_warnings(${target})
  smtp_status_build_flags(${target})
endfunction()
