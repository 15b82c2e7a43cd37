//! Exports of event2/thread.h.
