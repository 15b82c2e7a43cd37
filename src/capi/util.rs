//! Exports of event2/util.h.
