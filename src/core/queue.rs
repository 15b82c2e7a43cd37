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

    /// Appends `ev`, linking it through its own active_next/active_prev.
    ///
    /// # Safety
    /// `ev` is live and in no active queue (its links are overwritten); it stays live while queued.
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

    /// Unlinks `ev` and clears its links.
    ///
    /// # Safety
    /// `ev` is in this queue, and the queue's events are live.
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
    ///
    /// # Safety
    /// The queue's events are live.
    pub unsafe fn collect(&self, out: &mut Vec<*mut Event>) {
        let mut e = self.head;
        while !e.is_null() {
            out.push(e);
            e = (*e).active_next;
        }
    }
}
