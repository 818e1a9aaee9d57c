// Boost.Asio and Boost.Beast compiled once for the whole tree (BOOST_ASIO_SEPARATE_COMPILATION
// and BOOST_BEAST_SEPARATE_COMPILATION are set on every target that links duban_boost_net), so
// each translation unit using them compiles only the templates it instantiates.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
