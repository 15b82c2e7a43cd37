//! Exports of event2/buffer.h.
