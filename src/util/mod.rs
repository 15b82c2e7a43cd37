//! evutil: sockets, addresses, strings, time and randomness (event2/util.h).
