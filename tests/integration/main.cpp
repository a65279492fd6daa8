// Entry point of the integration test executable; other files add suites.
#define BOOST_TEST_MODULE bwc_integration
#include <boost/test/unit_test.hpp>
