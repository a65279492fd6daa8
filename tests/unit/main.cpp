// Entry point of the unit test executable; every other file here adds suites.
#define BOOST_TEST_MODULE bwc_unit
#include <boost/test/unit_test.hpp>
