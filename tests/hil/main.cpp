// Entry point of the hardware-in-the-loop test executable.
#define BOOST_TEST_MODULE bwc_hil
#include <boost/test/unit_test.hpp>
