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

#[cfg(test)]
mod tests {
    use super::*;

    fn order(q: &Queue) -> Vec<*mut Event> {
        let mut v = Vec::new();
        // SAFETY: the test's events outlive the queue.
        unsafe { q.collect(&mut v) };
        v
    }

    #[test]
    fn fifo_with_removal_anywhere() {
        let mut evs: Vec<Box<Event>> = (0..6).map(|_| Box::new(unsafe { std::mem::zeroed::<Event>() })).collect();
        let p: Vec<*mut Event> = evs.iter_mut().map(|e| &mut **e as *mut Event).collect();
        let mut q = Queue::default();
        assert!(q.is_empty() && order(&q).is_empty());
        // SAFETY: every event is live, and each is pushed only while in no queue.
        unsafe {
            for &e in &p[..5] {
                q.push_back(e);
            }
            assert_eq!(order(&q), p[..5]);
            q.remove(p[2]); // middle
            assert!((*p[2]).active_next.is_null() && (*p[2]).active_prev.is_null());
            q.remove(p[0]); // head
            q.remove(p[4]); // tail
            assert_eq!(order(&q), [p[1], p[3]]);
            q.push_back(p[0]);
            q.push_back(p[5]);
            assert_eq!(order(&q), [p[1], p[3], p[0], p[5]]);
            assert_eq!((*p[5]).active_prev, p[0]);
            for &e in &[p[1], p[3], p[0], p[5]] {
                assert_eq!(q.head, e);
                q.remove(e);
            }
            assert!(q.is_empty());
            // Empty again: the tail was reset too, so a push starts a fresh list.
            q.push_back(p[4]);
            assert_eq!(order(&q), [p[4]]);
            q.remove(p[4]);
        }
        assert!(q.is_empty());
        drop(evs);
    }
}
