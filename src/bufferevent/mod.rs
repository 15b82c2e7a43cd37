//! Bufferevents: an input and an output evbuffer over a transport (socket, pair, filter).
pub mod ev;
