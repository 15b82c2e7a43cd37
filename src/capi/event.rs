//! Exports of event2/event.h.
