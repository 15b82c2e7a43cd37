//! The active queues: one intrusive FIFO per priority, linked through the events themselves, so
//! activating an event allocates nothing.
use crate::core::event::Event;
use std::ptr;

pub struct Queue {
    pub head: *mut Event,
    tail: *mut Event,
}

impl Default for Queue {
    fn default() -> Self {
        Queue { head: ptr::null_mut(), tail: ptr::null_mut() }
    }
}

impl Queue {
    pub fn is_empty(&self) -> bool {
        self.head.is_null()
    }

    pub unsafe fn push_back(&mut self, ev: *mut Event) {
        (*ev).active_next = ptr::null_mut();
        (*ev).active_prev = self.tail;
        if self.tail.is_null() {
            self.head = ev;
        } else {
            (*self.tail).active_next = ev;
        }
        self.tail = ev;
    }

    pub unsafe fn remove(&mut self, ev: *mut Event) {
        let (next, prev) = ((*ev).active_next, (*ev).active_prev);
        if prev.is_null() {
            self.head = next;
        } else {
            (*prev).active_next = next;
        }
        if next.is_null() {
            self.tail = prev;
        } else {
            (*next).active_prev = prev;
        }
        (*ev).active_next = ptr::null_mut();
        (*ev).active_prev = ptr::null_mut();
    }

    /// The events in order, for introspection (dump, foreach).
    pub unsafe fn collect(&self, out: &mut Vec<*mut Event>) {
        let mut e = self.head;
        while !e.is_null() {
            out.push(e);
            e = (*e).active_next;
        }
    }
}
