//! The chains of a buffer, oldest first.
//!
//! Most buffers hold no chain or one at a time (a socket's input between reads, its output
//! between writes), so one chain lives inline and only a second one moves the list to the
//! heap: a message passing through a buffer then costs one allocation, its bytes, as in
//! libevent. A list that empties goes back inline, so an idle buffer holds no chain storage.
use super::chain::Chain;
use std::collections::VecDeque;
use std::ops::{Index, IndexMut};

pub enum ChainList {
    Inline(Option<Chain>),
    Heap(VecDeque<Chain>),
}

impl Default for ChainList {
    fn default() -> Self {
        ChainList::Inline(None)
    }
}

impl ChainList {
    #[inline]
    pub fn len(&self) -> usize {
        match self {
            ChainList::Inline(c) => c.is_some() as usize,
            ChainList::Heap(d) => d.len(),
        }
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    #[inline]
    pub fn get(&self, i: usize) -> Option<&Chain> {
        match self {
            ChainList::Inline(c) if i == 0 => c.as_ref(),
            ChainList::Inline(_) => None,
            ChainList::Heap(d) => d.get(i),
        }
    }

    #[inline]
    pub fn get_mut(&mut self, i: usize) -> Option<&mut Chain> {
        match self {
            ChainList::Inline(c) if i == 0 => c.as_mut(),
            ChainList::Inline(_) => None,
            ChainList::Heap(d) => d.get_mut(i),
        }
    }

    pub fn front(&self) -> Option<&Chain> {
        self.get(0)
    }

    #[inline]
    pub fn back(&self) -> Option<&Chain> {
        match self {
            ChainList::Inline(c) => c.as_ref(),
            ChainList::Heap(d) => d.back(),
        }
    }

    #[inline]
    pub fn back_mut(&mut self) -> Option<&mut Chain> {
        match self {
            ChainList::Inline(c) => c.as_mut(),
            ChainList::Heap(d) => d.back_mut(),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Chain> {
        let (a, b) = match self {
            ChainList::Inline(c) => (c.as_slice(), &[][..]),
            ChainList::Heap(d) => d.as_slices(),
        };
        a.iter().chain(b)
    }

    /// The chains from index `from` on.
    pub fn iter_mut_from(&mut self, from: usize) -> impl Iterator<Item = &mut Chain> {
        let (a, b) = match self {
            ChainList::Inline(c) => (c.as_mut_slice(), &mut [][..]),
            ChainList::Heap(d) => d.as_mut_slices(),
        };
        let k = from.min(a.len());
        let j = (from - k).min(b.len());
        let (a, b) = (&mut a[k..], &mut b[j..]);
        a.iter_mut().chain(b)
    }

    /// The heap list holding `first` and room for more.
    fn spill(first: Chain) -> VecDeque<Chain> {
        let mut d = VecDeque::with_capacity(4);
        d.push_back(first);
        d
    }

    /// Makes room for one more chain, so that the next push does not allocate: Err when the
    /// allocator refuses (the program's malloc failing), which the caller reports as -1.
    #[inline]
    pub fn try_reserve_one(&mut self) -> Result<(), ()> {
        match self {
            ChainList::Inline(None) => Ok(()),
            ChainList::Heap(d) if d.len() < d.capacity() => Ok(()),
            _ => self.grow_for_one(),
        }
    }

    #[inline(never)]
    fn grow_for_one(&mut self) -> Result<(), ()> {
        match self {
            ChainList::Inline(slot) => {
                let mut d = VecDeque::new();
                d.try_reserve(4).map_err(|_| ())?;
                d.extend(slot.take());
                *self = ChainList::Heap(d);
                Ok(())
            }
            ChainList::Heap(d) => d.try_reserve(1).map_err(|_| ()),
        }
    }

    // Always inlined: a 56-byte chain passed to an out-of-line call is copied through memory,
    // which costs the evbuffer moves benchmark about 7% of its instructions.
    #[inline(always)]
    pub fn push_back(&mut self, c: Chain) {
        match self {
            ChainList::Inline(slot @ None) => *slot = Some(c),
            ChainList::Inline(slot) => {
                let mut d = Self::spill(slot.take().expect("one chain inline"));
                d.push_back(c);
                *self = ChainList::Heap(d);
            }
            ChainList::Heap(d) => d.push_back(c),
        }
    }

    pub fn push_front(&mut self, c: Chain) {
        match self {
            ChainList::Inline(slot @ None) => *slot = Some(c),
            ChainList::Inline(slot) => {
                let mut d = Self::spill(slot.take().expect("one chain inline"));
                d.push_front(c);
                *self = ChainList::Heap(d);
            }
            ChainList::Heap(d) => d.push_front(c),
        }
    }

    #[inline]
    pub fn pop_front(&mut self) -> Option<Chain> {
        match self {
            ChainList::Inline(c) => c.take(),
            ChainList::Heap(d) => {
                let c = d.pop_front();
                if d.is_empty() {
                    *self = ChainList::Inline(None);
                }
                c
            }
        }
    }

    pub fn pop_back(&mut self) -> Option<Chain> {
        match self {
            ChainList::Inline(c) => c.take(),
            ChainList::Heap(d) => {
                let c = d.pop_back();
                if d.is_empty() {
                    *self = ChainList::Inline(None);
                }
                c
            }
        }
    }

    /// Moves every chain of `other` to the end of this list, reusing either's storage.
    pub fn append(&mut self, other: &mut ChainList) {
        if self.is_empty() {
            std::mem::swap(self, other);
            return;
        }
        match other {
            ChainList::Inline(slot) => {
                if let Some(c) = slot.take() {
                    self.push_back(c);
                }
            }
            ChainList::Heap(o) => match self {
                ChainList::Heap(d) => {
                    d.append(o);
                    *other = ChainList::Inline(None);
                }
                ChainList::Inline(slot) => {
                    o.push_front(slot.take().expect("not empty"));
                    std::mem::swap(self, other);
                }
            },
        }
    }

    /// Moves the first `k` chains (at most all) to the end of `dst`.
    pub fn move_front(&mut self, k: usize, dst: &mut ChainList) {
        if k >= self.len() {
            dst.append(self);
            return;
        }
        // Fewer than all: this list is on the heap, and stays non-empty.
        if let ChainList::Heap(d) = self {
            match dst {
                ChainList::Heap(o) => o.extend(d.drain(..k)),
                _ => d.drain(..k).for_each(|c| dst.push_back(c)),
            }
        }
    }

    /// The first index whose chain fails `pred` (which holds for a prefix of the list).
    pub fn partition_point(&self, pred: impl Fn(&Chain) -> bool) -> usize {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if pred(&self[mid]) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }
}

impl Index<usize> for ChainList {
    type Output = Chain;
    #[inline]
    fn index(&self, i: usize) -> &Chain {
        self.get(i).expect("chain index in range")
    }
}

impl IndexMut<usize> for ChainList {
    #[inline]
    fn index_mut(&mut self, i: usize) -> &mut Chain {
        self.get_mut(i).expect("chain index in range")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::chain::Block;

    fn chain(tag: usize) -> Chain {
        let mut c = Chain::own(Block::empty());
        c.off = tag;
        c
    }

    fn tags(l: &ChainList) -> Vec<usize> {
        l.iter().map(|c| c.off).collect()
    }

    #[test]
    fn inline_until_a_second_chain_and_back_when_empty() {
        let mut l = ChainList::default();
        assert!(l.is_empty() && l.front().is_none() && l.back().is_none());
        l.push_back(chain(1));
        assert!(matches!(l, ChainList::Inline(Some(_))));
        l.push_back(chain(2));
        l.push_front(chain(0));
        assert!(matches!(l, ChainList::Heap(_)));
        assert_eq!(tags(&l), [0, 1, 2]);
        assert_eq!((l[0].off, l[2].off, l.back().unwrap().off), (0, 2, 2));
        assert!(l.get(3).is_none());
        assert_eq!(l.partition_point(|c| c.off < 2), 2);
        assert_eq!(l.pop_back().unwrap().off, 2);
        assert_eq!(l.pop_front().unwrap().off, 0);
        assert_eq!(l.pop_front().unwrap().off, 1);
        assert!(matches!(l, ChainList::Inline(None)));
        assert!(l.pop_front().is_none() && l.pop_back().is_none());
        l.push_front(chain(7));
        assert_eq!(tags(&l), [7]);
    }

    #[test]
    fn append_takes_the_other_list() {
        let (mut a, mut b) = (ChainList::default(), ChainList::default());
        b.push_back(chain(1));
        a.append(&mut b);
        assert!(b.is_empty());
        b.push_back(chain(2));
        b.push_back(chain(3));
        a.append(&mut b);
        assert_eq!(tags(&a), [1, 2, 3]);
        assert!(matches!(b, ChainList::Inline(None)));
        let mut c = ChainList::default();
        c.push_back(chain(0));
        c.append(&mut a);
        assert_eq!(tags(&c), [0, 1, 2, 3]);
        assert_eq!(c.iter_mut_from(2).map(|c| c.off).collect::<Vec<_>>(), [2, 3]);
        assert_eq!(c.iter_mut_from(4).count(), 0);
        let mut d = ChainList::default();
        c.move_front(1, &mut d);
        c.move_front(2, &mut d);
        assert_eq!((tags(&c), tags(&d)), (vec![3], vec![0, 1, 2]));
        c.move_front(5, &mut d);
        assert_eq!(tags(&d), [0, 1, 2, 3]);
        assert!(c.is_empty());
    }
}
