//! The byte queue behind an evbuffer: a deque of chains and the operations that add, move and
//! remove bytes. Nothing here calls program code: chains whose release would run a cleanup
//! callback are parked in `graveyard`, which the caller empties once it holds no borrow.
//!
//! Positions: every chain records `start`, the position of its first byte in a running
//! coordinate that only moves with the data (`head` is the coordinate of buffer offset 0), so
//! finding the chain for an offset is a binary search rather than a walk.
use super::chain::{Chain, Kind, Mem, Shared, CHAIN_MAX};
use super::chains::ChainList;
use super::file::FileSegment;
use super::EvbufferIovec;
use std::sync::Arc;

/// libevent grows a buffer's chains by doubling up to this size.
const CHAIN_MAX_AUTO_SIZE: usize = 4096;
/// Above this much data, expanding allocates a new chain rather than copying into a bigger one.
const MAX_TO_COPY_IN_EXPAND: usize = 4096;

pub type Res = Result<(), ()>;

#[derive(Default)]
pub struct Inner {
    pub chains: ChainList,
    head: u64,
    pub total: usize,
    /// Bytes added and removed since callbacks last ran.
    pub n_add: usize,
    pub n_del: usize,
    pub freeze_start: bool,
    pub freeze_end: bool,
    pub flags: u32,
    /// Boxed: it is rarely used, and every idle connection has two buffers.
    pub graveyard: Option<Box<Vec<Chain>>>,
}

impl Inner {
    pub fn new() -> Inner {
        Inner::default()
    }

    /// Offset in the buffer of chain `i`'s first byte.
    pub fn chain_offset(&self, i: usize) -> usize {
        self.chains[i].start.wrapping_sub(self.head) as usize
    }

    /// The running coordinate just past the last byte.
    fn end(&self) -> u64 {
        self.head.wrapping_add(self.total as u64)
    }

    fn fix_starts(&mut self, from: usize) {
        let s = match from.checked_sub(1).and_then(|p| self.chains.get(p)) {
            Some(p) => p.start.wrapping_add(p.off as u64),
            None => self.head,
        };
        self.set_starts(from, s);
    }

    /// Numbers the chains from `from` on, the first starting at `s`.
    fn set_starts(&mut self, from: usize, mut s: u64) {
        for c in self.chains.iter_mut_from(from) {
            c.start = s;
            s = s.wrapping_add(c.off as u64);
        }
    }

    /// Releases a chain; one whose release may call the program waits in the graveyard.
    fn discard(&mut self, c: Chain) {
        if c.drop_runs_user_code() {
            self.graveyard.get_or_insert_with(Box::default).push(c);
        }
    }

    fn discard_all(&mut self) {
        while let Some(c) = self.chains.pop_back() {
            self.discard(c);
        }
        self.total = 0;
    }

    /// libevent's `*last_with_datap`: the last chain holding data, else the first chain.
    pub fn last_with_data(&self) -> Option<usize> {
        if self.chains.is_empty() {
            return None;
        }
        Some((0..self.chains.len()).rev().find(|&i| self.chains[i].off > 0).unwrap_or(0))
    }

    #[inline]
    fn free_trailing_empty(&mut self) {
        if self.chains.back().is_some_and(|c| c.off == 0) {
            self.free_trailing_empty_slow();
        }
    }

    #[inline(never)]
    fn free_trailing_empty_slow(&mut self) {
        while self.chains.back().is_some_and(|c| c.off == 0) {
            let c = self.chains.pop_back().unwrap();
            self.discard(c);
        }
    }

    /// Appends a chain after dropping the empty chains at the end (`evbuffer_chain_insert`).
    fn insert(&mut self, c: Chain) -> usize {
        self.free_trailing_empty();
        self.push_back_raw(c)
    }

    /// Appends a chain as is, keeping any empty chains before it.
    #[inline]
    fn push_back_raw(&mut self, mut c: Chain) -> usize {
        c.start = self.end();
        self.total += c.off;
        self.chains.push_back(c);
        self.chains.len() - 1
    }

    /// Writes at the end of chain `i`'s data (the caller checked the space).
    fn write_into(&mut self, i: usize, data: &[u8]) {
        self.chains[i].write_tail(data);
        self.total += data.len();
        self.n_add += data.len();
        if i + 1 < self.chains.len() {
            self.fix_starts(i + 1);
        }
    }

    /// Counts `n` bytes already written into chain `i`'s space as data.
    pub fn commit_at(&mut self, i: usize, n: usize) {
        self.commit_into(i, n);
    }

    fn commit_into(&mut self, i: usize, n: usize) {
        self.chains[i].off += n;
        self.total += n;
        self.n_add += n;
        if i + 1 < self.chains.len() {
            self.fix_starts(i + 1);
        }
    }

    // ---- adding ------------------------------------------------------------------------------

    #[inline]
    pub fn add(&mut self, data: &[u8]) -> Res {
        // The common case: the last chain holds data and has room.
        if let Some(c) = self.chains.back_mut() {
            if c.off > 0 && c.space() >= data.len() && !self.freeze_end {
                c.write_tail(data);
                self.total += data.len();
                self.n_add += data.len();
                return Ok(());
            }
        }
        self.add_slow(data)
    }

    #[inline(never)]
    fn add_slow(&mut self, data: &[u8]) -> Res {
        let datlen = data.len();
        if self.freeze_end || datlen > usize::MAX - self.total {
            return Err(());
        }
        let i = match self.last_with_data() {
            Some(i) => i,
            None => self.insert(Chain::with_capacity(datlen).ok_or(())?),
        };
        let mut remain = 0;
        if self.chains[i].writable() {
            remain = self.chains[i].space();
            if remain >= datlen {
                self.write_into(i, data);
                return Ok(());
            }
            if self.chains[i].should_realign(datlen) {
                self.chains[i].align();
                self.write_into(i, data);
                return Ok(());
            }
        }
        let mut to_alloc = self.chains[i].buffer_len();
        if to_alloc <= CHAIN_MAX_AUTO_SIZE / 2 {
            to_alloc <<= 1;
        }
        to_alloc = to_alloc.max(datlen);
        let mut tmp = Chain::with_capacity(to_alloc).ok_or(())?;
        self.chains.try_reserve_one()?;
        let (head, rest) = data.split_at(remain);
        if remain > 0 {
            self.write_into(i, head);
        }
        tmp.write_tail(rest);
        self.n_add += rest.len();
        self.insert(tmp);
        Ok(())
    }

    pub fn prepend(&mut self, data: &[u8]) -> Res {
        let mut datlen = data.len();
        if datlen == 0 {
            return Ok(());
        }
        if self.freeze_start || datlen > usize::MAX - self.total {
            return Err(());
        }
        if self.chains.is_empty() {
            self.insert(Chain::with_capacity(datlen).ok_or(())?);
        }
        let room = match &self.chains[0].mem {
            Mem::Own(_) if self.chains[0].off == 0 => self.chains[0].buffer_len(),
            Mem::Own(_) => self.chains[0].misalign,
            _ => 0,
        };
        // The chain for what does not fit in front is made first: a length no allocation can
        // hold fails before any byte of `data` is read or the buffer changes (libevent 2.1.12
        // first copies the last `room` bytes of such a `data`, far past its real end).
        let tmp = match datlen - room.min(datlen) {
            0 => None,
            rest => {
                let c = Chain::with_capacity(rest).ok_or(())?;
                self.chains.try_reserve_one()?;
                Some(c)
            }
        };
        if let Mem::Own(b) = &self.chains[0].mem {
            let base = b.ptr();
            let c = &mut self.chains[0];
            if c.off == 0 {
                c.misalign = c.buffer_len();
            }
            let fit = c.misalign.min(datlen);
            if fit > 0 {
                // SAFETY: the first `misalign` bytes of the owned block are free; we fill the
                // last `fit` of them with the end of `data`.
                unsafe {
                    std::ptr::copy_nonoverlapping(data.as_ptr().add(datlen - fit), base.add(c.misalign - fit), fit)
                };
                c.misalign -= fit;
                c.off += fit;
                c.start = c.start.wrapping_sub(fit as u64);
                self.head = self.head.wrapping_sub(fit as u64);
                self.total += fit;
                self.n_add += fit;
                datlen -= fit;
                if datlen == 0 {
                    return Ok(());
                }
            }
        }
        let Some(mut tmp) = tmp else { return Ok(()) };
        tmp.misalign = tmp.buffer_len() - datlen;
        tmp.write_tail(&data[..datlen]);
        self.head = self.head.wrapping_sub(datlen as u64);
        tmp.start = self.head;
        self.total += datlen;
        self.n_add += datlen;
        self.chains.push_front(tmp);
        Ok(())
    }

    /// A chain over `offset..offset + len` of the shared memory.
    pub fn add_reference(&mut self, s: Arc<Shared>, offset: usize, len: usize) -> Res {
        if self.freeze_end || len > usize::MAX - self.total {
            return Err(());
        }
        self.insert(Chain::shared(s, offset, len, Kind::Plain));
        self.n_add += len;
        Ok(())
    }

    pub fn add_file_chain(&mut self, seg: Arc<FileSegment>, base: usize, len: usize, sendfile: bool) {
        let c = Chain { mem: Mem::File { seg, base, sendfile }, kind: Kind::File, misalign: 0, off: len, start: 0 };
        self.n_add += len;
        self.insert(c);
    }

    // ---- removing ----------------------------------------------------------------------------

    pub fn drain(&mut self, len: usize) -> Res {
        let old = self.total;
        if old == 0 {
            return Ok(());
        }
        if self.freeze_start {
            return Err(());
        }
        let len = len.min(old);
        if len == old {
            self.discard_all();
        } else {
            let mut remaining = len;
            while remaining >= self.chains[0].off {
                remaining -= self.chains[0].off;
                let c = self.chains.pop_front().unwrap();
                self.discard(c);
            }
            let c = &mut self.chains[0];
            c.misalign += remaining;
            c.off -= remaining;
            c.start = c.start.wrapping_add(remaining as u64);
            self.total -= len;
        }
        self.head = self.head.wrapping_add(len as u64);
        self.n_del += len;
        Ok(())
    }

    /// Copies from offset `pos` (None: the start); libevent's `evbuffer_copyout_from`.
    pub fn copyout(&mut self, pos: Option<usize>, out: &mut [u8]) -> isize {
        let from = pos.unwrap_or(0);
        if from > self.total {
            return -1;
        }
        let n = out.len().min(self.total - from);
        if n == 0 {
            return 0;
        }
        if self.freeze_start {
            return -1;
        }
        self.copy_range(from, &mut out[..n]);
        n as isize
    }

    /// Copies `out.len()` bytes starting at `from`; the range must be inside the buffer.
    pub fn copy_range(&self, from: usize, out: &mut [u8]) {
        let (mut i, mut o) = self.locate(from);
        let mut done = 0;
        while done < out.len() {
            let d = &self.chains[i].data()[o..];
            let k = d.len().min(out.len() - done);
            out[done..done + k].copy_from_slice(&d[..k]);
            done += k;
            i += 1;
            o = 0;
        }
    }

    /// Moves everything from `src` to the end of `self` without copying bytes.
    pub fn append_all(&mut self, src: &mut Inner) {
        let n = src.total;
        if self.total == 0 {
            self.discard_all();
        } else {
            self.free_trailing_empty();
        }
        let (from, end) = (self.chains.len(), self.end());
        self.chains.append(&mut src.chains);
        self.set_starts(from, end);
        self.total += n;
        src.total = 0;
        src.head = src.head.wrapping_add(n as u64);
        src.n_del += n;
        self.n_add += n;
    }

    /// Moves everything from `src` to the front of `self`.
    pub fn prepend_all(&mut self, src: &mut Inner) {
        let n = src.total;
        if self.total == 0 {
            self.discard_all();
            while let Some(c) = src.chains.pop_front() {
                self.push_back_raw(c);
            }
        } else {
            while let Some(c) = src.chains.pop_back() {
                self.chains.push_front(c);
            }
            self.head = self.head.wrapping_sub(n as u64);
            self.total += n;
            self.fix_starts(0);
        }
        src.total = 0;
        src.head = src.head.wrapping_add(n as u64);
        src.n_del += n;
        self.n_add += n;
    }

    /// Moves whole chains covering up to `datlen` bytes from the front of `src` and returns how
    /// many bytes moved; the partial rest is left for the caller to copy.
    pub fn take_whole_chains(&mut self, src: &mut Inner, datlen: usize) -> usize {
        let mut k = 0;
        let mut nread = 0;
        for c in src.chains.iter() {
            if c.off > datlen - nread {
                break;
            }
            nread += c.off;
            k += 1;
        }
        if k > 0 {
            self.free_trailing_empty();
            let (from, end) = (self.chains.len(), self.end());
            src.chains.move_front(k, &mut self.chains);
            self.set_starts(from, end);
            self.total += nread;
            self.n_add += nread;
            src.total -= nread;
            src.head = src.head.wrapping_add(nread as u64);
        }
        nread
    }

    /// Shares the chains of `src` into `self` (`evbuffer_add_buffer_reference`). The caller has
    /// checked that `src` holds no file or multicast chains.
    pub fn reference_all(&mut self, src: &mut Inner) -> Res {
        if self.total == 0 {
            self.discard_all();
        }
        for i in 0..src.chains.len() {
            if src.chains[i].off == 0 {
                continue;
            }
            let c = &mut src.chains[i];
            let s = c.share();
            let copy = Chain::shared(s, c.misalign, c.off, Kind::Multicast);
            self.insert(copy);
        }
        self.n_add += src.total;
        Ok(())
    }

    pub fn has_unreferenceable(&self) -> bool {
        self.chains.iter().any(|c| c.kind != Kind::Plain)
    }

    /// Makes the first `size` bytes contiguous (`evbuffer_pullup`).
    pub fn pullup(&mut self, size: isize) -> Option<*mut u8> {
        let size = if size < 0 { self.total } else { size as usize };
        if size == 0 || size > self.total {
            return None;
        }
        if self.chains[0].off >= size {
            return Some(self.chains[0].data_ptr() as *mut u8);
        }
        // Either fill the first chain's room, or gather into a new chain that replaces the front.
        let reuse =
            matches!(self.chains[0].mem, Mem::Own(_)) && self.chains[0].buffer_len() - self.chains[0].misalign >= size;
        let mut first = if reuse {
            self.chains.pop_front().unwrap()
        } else {
            let mut c = Chain::with_capacity(size)?;
            c.start = self.head;
            c
        };
        // Whole chains are consumed while they fit in what is still needed, as in libevent; once
        // nothing is needed that still takes the empty chains that follow (a reserve's unused
        // space), so none is left between the gathered bytes and the next data, or at the end.
        let mut need = size - first.off;
        while self.chains.front().is_some_and(|c| need > 0 || c.off == 0) {
            let c = &mut self.chains[0];
            let k = c.off.min(need);
            first.write_tail(&c.data()[..k]);
            need -= k;
            if k == c.off {
                let c = self.chains.pop_front().unwrap();
                self.discard(c);
            } else {
                c.misalign += k;
                c.off -= k;
                c.start = c.start.wrapping_add(k as u64);
            }
        }
        let p = first.data_ptr() as *mut u8;
        self.chains.push_front(first);
        Some(p)
    }

    // ---- space for writing -------------------------------------------------------------------

    /// libevent's `evbuffer_expand_singlechain`: a chain with `datlen` free bytes after the data.
    pub fn expand_singlechain(&mut self, datlen: usize) -> Option<usize> {
        let mut i = self.last_with_data();
        if let Some(k) = i {
            if self.chains[k].space() == 0 {
                i = if k + 1 < self.chains.len() { Some(k + 1) } else { None };
            }
        }
        let Some(i) = i.filter(|&k| self.chains[k].writable()) else {
            return self.insert_new(datlen);
        };
        if self.chains[i].space() >= datlen {
            return Some(i);
        }
        if self.chains[i].off == 0 {
            return self.insert_new(datlen);
        }
        if self.chains[i].should_realign(datlen) {
            self.chains[i].align();
            return Some(i);
        }
        let c = &self.chains[i];
        if c.space() < c.buffer_len() / 8 || c.off > MAX_TO_COPY_IN_EXPAND || datlen >= CHAIN_MAX - c.off {
            if i + 1 < self.chains.len() && self.chains[i + 1].space() >= datlen {
                return Some(i + 1);
            }
            return self.insert_new(datlen);
        }
        let mut tmp = Chain::with_capacity(c.off + datlen)?;
        tmp.write_tail(c.data());
        tmp.start = c.start;
        let old = std::mem::replace(&mut self.chains[i], tmp);
        self.discard(old);
        Some(i)
    }

    fn insert_new(&mut self, datlen: usize) -> Option<usize> {
        let c = Chain::with_capacity(datlen)?;
        self.chains.try_reserve_one().ok()?;
        Some(self.insert(c))
    }

    /// libevent's `evbuffer_expand_fast_`: room for `datlen` bytes over at most `n` chains.
    pub fn expand_fast(&mut self, datlen: usize, n: usize) -> Res {
        if self.chains.back().is_none_or(|c| !c.writable()) {
            let c = Chain::with_capacity(datlen).ok_or(())?;
            self.chains.try_reserve_one()?;
            self.insert(c);
            return Ok(());
        }
        let lwd = self.last_with_data().unwrap();
        let (mut used, mut avail) = (0, 0usize);
        for k in lwd..self.chains.len() {
            let c = &mut self.chains[k];
            if c.off > 0 {
                let s = c.space();
                if s > 0 {
                    avail += s;
                    used += 1;
                }
            } else if c.writable() {
                c.misalign = 0;
                avail += c.buffer_len();
                used += 1;
            }
            if avail >= datlen {
                return Ok(());
            }
            if used == n {
                break;
            }
        }
        if used < n {
            let c = Chain::with_capacity(datlen - avail).ok_or(())?;
            self.chains.try_reserve_one()?;
            self.push_back_raw(c);
            return Ok(());
        }
        // Replace the empty chains after the last data with one big enough.
        let keep = if self.chains[lwd].off == 0 {
            avail = 0;
            lwd
        } else {
            avail = self.chains[lwd].space();
            lwd + 1
        };
        while self.chains.len() > keep {
            let c = self.chains.pop_back().unwrap();
            self.discard(c);
        }
        let c = Chain::with_capacity(datlen - avail).ok_or(())?;
        self.push_back_raw(c);
        Ok(())
    }

    /// Index of the first chain with room: the last with data, or the one after it when full.
    fn first_with_space(&self) -> Option<usize> {
        let i = self.last_with_data()?;
        Some(if self.chains[i].space() == 0 { i + 1 } else { i })
    }

    /// Describes the free space of the chains from the first with room (libevent's
    /// `evbuffer_read_setup_vecs_`). Returns (vectors used, index of the first chain).
    pub fn setup_vecs(&self, howmuch: usize, vecs: &mut [EvbufferIovec], exact: bool) -> (usize, usize) {
        let Some(first) = self.first_with_space() else { return (0, 0) };
        let mut so_far = 0;
        let mut n = 0;
        while n < vecs.len() && so_far < howmuch && first + n < self.chains.len() {
            let c = &self.chains[first + n];
            let mut avail = c.space();
            if exact && avail > howmuch - so_far {
                avail = howmuch - so_far;
            }
            vecs[n] = EvbufferIovec { iov_base: c.space_ptr() as *mut _, iov_len: avail };
            so_far += avail;
            n += 1;
        }
        (n, first)
    }

    pub fn reserve(&mut self, size: isize, vecs: &mut [EvbufferIovec]) -> i32 {
        if self.freeze_end || vecs.is_empty() {
            return -1;
        }
        if vecs.len() == 1 {
            let Some(i) = self.expand_singlechain(size as usize) else { return -1 };
            let c = &self.chains[i];
            vecs[0] = EvbufferIovec { iov_base: c.space_ptr() as *mut _, iov_len: c.space() };
            return 1;
        }
        if self.expand_fast(size as usize, vecs.len()).is_err() || size < 0 {
            return -1;
        }
        self.setup_vecs(size as usize, vecs, false).0 as i32
    }

    pub fn commit(&mut self, vecs: &[EvbufferIovec]) -> Res {
        if self.freeze_end {
            return Err(());
        }
        if vecs.is_empty() {
            return Ok(());
        }
        let last = self.chains.len().wrapping_sub(1);
        if vecs.len() == 1 && !self.chains.is_empty() && vecs[0].iov_base as *mut u8 == self.chains[last].space_ptr() {
            if vecs[0].iov_len > self.chains[last].space() {
                return Err(());
            }
            self.commit_into(last, vecs[0].iov_len);
            return Ok(());
        }
        let Some(first) = self.first_with_space() else { return Err(()) };
        for (k, v) in vecs.iter().enumerate() {
            let Some(c) = self.chains.get(first + k) else { return Err(()) };
            if v.iov_base as *mut u8 != c.space_ptr() || v.iov_len > c.space() {
                return Err(());
            }
        }
        for (k, v) in vecs.iter().enumerate() {
            self.commit_into(first + k, v.iov_len);
        }
        Ok(())
    }

    /// Accounts for `n` bytes that readv() put into the space described by setup_vecs.
    pub fn commit_read(&mut self, first: usize, nvecs: usize, n: usize) {
        let mut remaining = n;
        for k in first..first + nvecs {
            let space = self.chains[k].space().min(CHAIN_MAX);
            let take = space.min(remaining);
            self.chains[k].off += take;
            remaining -= take;
            if remaining == 0 {
                break;
            }
        }
        self.total += n;
        self.n_add += n;
        self.fix_starts(first + 1);
    }

    /// Extents of the data (`evbuffer_peek`), starting at chain `i`, offset `o` when given.
    pub fn peek(&self, len: isize, start: Option<(usize, usize, usize)>, vecs: &mut [EvbufferIovec]) -> i32 {
        let mut len = len;
        let mut idx = 0usize;
        let mut so_far: isize = 0;
        let mut i = 0;
        if let Some((ci, o, pos)) = start {
            let c = &self.chains[ci];
            so_far = (c.off - o) as isize;
            if !vecs.is_empty() {
                vecs[0] = EvbufferIovec { iov_base: c.data_ptr().wrapping_add(o) as *mut _, iov_len: c.off - o };
            }
            idx = 1;
            i = ci + 1;
            if vecs.is_empty() && len < 0 {
                len = (self.total - pos) as isize;
            }
        } else if vecs.is_empty() && len < 0 {
            len = self.total as isize;
        }
        while i < self.chains.len() {
            if len >= 0 && so_far >= len {
                break;
            }
            let c = &self.chains[i];
            if idx < vecs.len() {
                vecs[idx] = EvbufferIovec { iov_base: c.data_ptr() as *mut _, iov_len: c.off };
            } else if len < 0 {
                break;
            }
            idx += 1;
            so_far += c.off as isize;
            i += 1;
        }
        idx as i32
    }

    /// Chain index and offset inside it for buffer offset `pos`; (len, 0) at the end. Empty
    /// chains are never returned, as libevent's positions skip them.
    pub fn locate(&self, pos: usize) -> (usize, usize) {
        // Most lookups (lines, reads from the front) land in the first chain.
        if let Some(c) = self.chains.front() {
            let o = c.start.wrapping_sub(self.head) as usize;
            if pos >= o && pos - o < c.off {
                return (0, pos - o);
            }
        }
        let i = self.chains.partition_point(|c| (c.start.wrapping_sub(self.head) as usize) + c.off <= pos);
        if i == self.chains.len() {
            return (i, 0);
        }
        (i, pos - self.chain_offset(i))
    }

    pub fn contiguous_space(&self) -> usize {
        self.chains.front().map_or(0, |c| c.off)
    }

    #[cfg(any(test, feature = "model"))]
    pub fn check_invariants(&self) {
        let mut s = self.head;
        let mut t = 0;
        for c in self.chains.iter() {
            assert_eq!(c.start, s);
            assert!(c.misalign + c.off <= c.buffer_len() || !c.writable());
            s = s.wrapping_add(c.off as u64);
            t += c.off;
        }
        assert_eq!(t, self.total);
    }
}
