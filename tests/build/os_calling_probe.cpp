// Deliberately calls the OS: the no-OS-calls check must reject this library
// (tests/build/CMakeLists.txt runs the check on it and expects a failure).
#include <chrono>
#include <thread>
#include <unistd.h>

int bwc_probe_sleep() {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return static_cast<int>(::write(1, "", 0)) +
           static_cast<int>(std::chrono::steady_clock::now().time_since_epoch().count() & 1);
}
