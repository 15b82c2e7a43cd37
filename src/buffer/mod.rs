//! evbuffer: the byte queue under bufferevents and HTTP (event2/buffer.h).
