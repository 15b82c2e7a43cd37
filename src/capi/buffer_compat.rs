//! Exports of event2/buffer_compat.h.
