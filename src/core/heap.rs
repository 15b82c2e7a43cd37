//! The timer heap: a binary min-heap of (deadline, event), each event knowing its own index so
//! that deleting or re-arming it is O(log n) with no search.
use crate::core::event::Event;
use crate::core::time::Micros;

#[derive(Clone, Copy)]
struct Entry {
    when: Micros,
    ev: *mut Event,
}

#[derive(Default)]
pub struct TimerHeap {
    v: Vec<Entry>,
}

impl TimerHeap {
    pub fn len(&self) -> usize {
        self.v.len()
    }

    pub fn is_empty(&self) -> bool {
        self.v.is_empty()
    }

    pub fn top(&self) -> Option<(Micros, *mut Event)> {
        self.v.first().map(|e| (e.when, e.ev))
    }

    pub fn get(&self, i: usize) -> *mut Event {
        self.v[i].ev
    }

    /// Inserts `ev`, due at `when`.
    ///
    /// # Safety
    /// `ev` is live and not in the heap; the heap's events are live (their `heap_idx` is updated).
    pub unsafe fn push(&mut self, when: Micros, ev: *mut Event) {
        self.v.push(Entry { when, ev });
        self.sift_up(self.v.len() - 1);
    }

    /// Removes `ev`.
    ///
    /// # Safety
    /// `ev` is in this heap (its `heap_idx` is its index), and the heap's events are live.
    pub unsafe fn remove(&mut self, ev: *mut Event) {
        debug_assert!((*ev).heap_idx >= 0 && self.v.get((*ev).heap_idx as usize).is_some_and(|x| x.ev == ev));
        let i = (*ev).heap_idx as usize;
        (*ev).heap_idx = -1;
        let last = self.v.pop().expect("timer heap holds the event");
        if i < self.v.len() {
            self.v[i] = last;
            (*last.ev).heap_idx = i as i32;
            if i > 0 && self.v[(i - 1) / 2].when > last.when {
                self.sift_up(i);
            } else {
                self.sift_down(i);
            }
        }
    }

    pub fn is_top(&self, ev: *mut Event) -> bool {
        self.v.first().is_some_and(|e| e.ev == ev)
    }

    unsafe fn sift_up(&mut self, mut i: usize) {
        let e = self.v[i];
        while i > 0 {
            let parent = (i - 1) / 2;
            if self.v[parent].when <= e.when {
                break;
            }
            self.v[i] = self.v[parent];
            (*self.v[i].ev).heap_idx = i as i32;
            i = parent;
        }
        self.v[i] = e;
        (*e.ev).heap_idx = i as i32;
    }

    unsafe fn sift_down(&mut self, mut i: usize) {
        let e = self.v[i];
        let n = self.v.len();
        loop {
            let mut child = 2 * i + 1;
            if child >= n {
                break;
            }
            if child + 1 < n && self.v[child + 1].when < self.v[child].when {
                child += 1;
            }
            if e.when <= self.v[child].when {
                break;
            }
            self.v[i] = self.v[child];
            (*self.v[i].ev).heap_idx = i as i32;
            i = child;
        }
        self.v[i] = e;
        (*e.ev).heap_idx = i as i32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_order_and_removes_from_the_middle() {
        let mut evs: Vec<Box<Event>> = (0..200).map(|_| Box::new(unsafe { std::mem::zeroed::<Event>() })).collect();
        let mut h = TimerHeap::default();
        let mut seed = 12345u64;
        let mut whens = Vec::new();
        for e in evs.iter_mut() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let w = (seed % 1000) as Micros;
            whens.push(w);
            unsafe { h.push(w, &mut **e) };
        }
        // remove every third event
        for (i, e) in evs.iter_mut().enumerate() {
            if i % 3 == 0 {
                unsafe { h.remove(&mut **e) };
            }
        }
        let mut last = -1;
        let mut n = 0;
        while let Some((w, ev)) = h.top() {
            assert!(w >= last);
            last = w;
            unsafe { h.remove(ev) };
            n += 1;
        }
        assert_eq!(n, 200 - 67);
    }

    /// Every entry knows its index and no child is due before its parent.
    fn check(h: &TimerHeap) {
        for (i, e) in h.v.iter().enumerate() {
            // SAFETY: the test's events outlive the heap's use of them.
            assert_eq!(unsafe { (*e.ev).heap_idx }, i as i32);
            if i > 0 {
                assert!(h.v[(i - 1) / 2].when <= e.when);
            }
        }
    }

    #[test]
    fn insert_remove_and_rearm_keep_indexes() {
        // Small enough for Miri (tools/miri.sh), which checks the raw-pointer index updates.
        let n = 48;
        let mut evs: Vec<Box<Event>> = (0..n).map(|_| Box::new(unsafe { std::mem::zeroed::<Event>() })).collect();
        for e in evs.iter_mut() {
            e.heap_idx = -1;
        }
        let ptrs: Vec<*mut Event> = evs.iter_mut().map(|e| &mut **e as *mut Event).collect();
        let mut due: Vec<Option<Micros>> = vec![None; n];
        let mut h = TimerHeap::default();
        let mut r = crate::test_rng::Rng(0x5eed);
        for _ in 0..400 {
            let k = r.below(n);
            let when = r.below(100) as Micros; // many equal deadlines
                                               // SAFETY: every pointer is a live boxed event; `due` says which are in the heap.
            unsafe {
                match (due[k], r.below(3)) {
                    (None, _) => {
                        h.push(when, ptrs[k]);
                        due[k] = Some(when);
                    }
                    (Some(_), 0) => {
                        h.remove(ptrs[k]);
                        assert_eq!((*ptrs[k]).heap_idx, -1);
                        due[k] = None;
                    }
                    (Some(_), _) => {
                        // re-arm: what event_add does to a pending timer
                        h.remove(ptrs[k]);
                        h.push(when, ptrs[k]);
                        due[k] = Some(when);
                    }
                }
            }
            check(&h);
            assert_eq!(h.len(), due.iter().flatten().count());
            let min = due.iter().flatten().min().copied();
            assert_eq!(h.top().map(|t| t.0), min);
            if let Some((_, ev)) = h.top() {
                assert!(h.is_top(ev));
            }
        }
        let mut last = Micros::MIN;
        while let Some((w, ev)) = h.top() {
            assert!(w >= last);
            last = w;
            // SAFETY: the top is a live event in the heap.
            unsafe { h.remove(ev) };
            check(&h);
        }
        assert!(h.is_empty());
    }
}
