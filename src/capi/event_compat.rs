//! Exports of event2/event_compat.h.
