# bwc_target_warnings(target): strict warnings for our own code only; third
# party headers come in as SYSTEM includes so their warnings do not fail us.
function(bwc_target_warnings target)
  # Designated initialisers that leave fields at their defaults are idiomatic
  # here (the model table), so missing-field-initializers is off.
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wconversion -Wno-sign-conversion -Wno-missing-field-initializers -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough)
  if(BWC_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
