#!/usr/bin/env bash
# usage: check_no_os_calls.sh SOURCE_DIR STATIC_LIBRARY
# Fails (exit 1) when sources under SOURCE_DIR include operating-system
# headers, or when STATIC_LIBRARY references operating-system functions.
# Prints every violation with file:line or the symbol and its object.
set -u
src=$1
lib=$2
status=0

headers='<(iostream|fstream|cstdio|stdio\.h|thread|mutex|condition_variable|future|filesystem|unistd\.h|fcntl\.h|sys/[a-z_]+\.h|netinet/[a-z_]+\.h|arpa/inet\.h|poll\.h|signal\.h|csignal|ctime|time\.h)>'
if grep -rnE "^\s*#\s*include\s*$headers" "$src" --include='*.hpp' --include='*.cpp' --include='*.h'; then
    echo "error: operating-system headers included in $src (lines above)"
    status=1
fi
if grep -rnE '\b(steady_clock|system_clock|high_resolution_clock|this_thread|sleep_for|sleep_until)\b' "$src" --include='*.hpp' --include='*.cpp' --include='*.h'; then
    echo "error: clock or sleep used in $src (lines above)"
    status=1
fi

# Undefined symbols of the library that are OS entry points (libc syscall
# wrappers and the clock/sleep/thread/file/socket families).
forbidden='^(open|open64|openat|read|write|close|lseek|pread|pwrite|ioctl|fcntl|poll|select|epoll_[a-z_]+|socket|connect|bind|listen|accept|accept4|send|sendto|recv|recvfrom|getaddrinfo|sleep|usleep|nanosleep|clock_nanosleep|clock_gettime|gettimeofday|time|fopen|fopen64|fclose|fread|fwrite|fprintf|printf|puts|fputs|perror|pthread_[a-z_]+|mmap|munmap|fork|execve|system|getenv|stat|fstat|lstat|mkdir|unlink|rename|signal|sigaction|abort_handler_s)$'
found=$(nm -C --undefined-only "$lib" 2>/dev/null | awk '{print $NF}' | sed 's/@.*//' | grep -E "$forbidden\$" | sort -u)
# C++ standard library entry points into the OS (threads, clocks, files).
cxx=$(nm -C --undefined-only "$lib" 2>/dev/null | grep -E 'std::(chrono::(_V2::)?(steady|system)_clock::now|this_thread|thread::|basic_(i|o)?fstream|basic_filebuf|cout|cerr|clog)' | sort -u)
if [ -n "$found$cxx" ]; then
    echo "error: $lib references operating-system functions:"
    [ -n "$found" ] && echo "$found" | sed 's/^/  /'
    [ -n "$cxx" ] && echo "$cxx" | sed 's/^ *U /  /'
    status=1
fi
if [ $status -eq 0 ]; then
    echo "ok: no OS headers in $src, no OS symbols in $(basename "$lib")"
fi
exit $status
