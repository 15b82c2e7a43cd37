//! One contiguous piece of an evbuffer: memory the buffer owns and may write into, memory shared
//! with other buffers or the program (references), or a slice of a file segment.
//!
//! Chain sizes follow libevent's allocation classes so that what programs can observe through
//! `evbuffer_reserve_space`, `evbuffer_peek` and `evbuffer_get_contiguous_space` matches.
use super::file::FileSegment;
use libc::c_void;
use std::alloc::{alloc, dealloc, Layout};
use std::ptr::NonNull;
use std::sync::Arc;

/// libevent's `EVBUFFER_CHAIN_MAX`: no chain (and no single add) may exceed `SSIZE_MAX`.
pub const CHAIN_MAX: usize = isize::MAX as usize;
/// libevent allocates the chain header and its bytes in one block of a power-of-two class;
/// the header's 48 bytes come out of the class, so a fresh chain holds 1024 - 48 bytes.
const CHAIN_HEADER: usize = 48;
const MIN_BUFFER_SIZE: usize = 1024;
const BLOCK_ALIGN: usize = 16;

/// The capacity libevent's `evbuffer_chain_new(size)` would give, or None when it refuses.
pub fn capacity_for(size: usize) -> Option<usize> {
    if size > CHAIN_MAX - CHAIN_HEADER {
        return None;
    }
    let size = size + CHAIN_HEADER;
    let to_alloc = if size < CHAIN_MAX / 2 { size.next_power_of_two().max(MIN_BUFFER_SIZE) } else { size };
    Some(to_alloc - CHAIN_HEADER)
}

/// Uninitialised heap bytes with a stable address (chains move, their bytes never do).
pub struct Block {
    ptr: NonNull<u8>,
    cap: usize,
}

// SAFETY: a Block is plain owned memory; the evbuffer's lock serialises access to it.
unsafe impl Send for Block {}
// SAFETY: as above; shared blocks are only ever read.
unsafe impl Sync for Block {}

impl Block {
    /// None when the allocator refuses (huge sizes): callers report -1 as libevent does.
    #[inline]
    pub fn new(cap: usize) -> Option<Block> {
        if cap == 0 {
            return Some(Block::empty());
        }
        let layout = Layout::from_size_align(cap, BLOCK_ALIGN).ok()?;
        // SAFETY: the layout has a non-zero size.
        let p = unsafe { alloc(layout) };
        NonNull::new(p).map(|ptr| Block { ptr, cap })
    }

    /// A block of no bytes; allocates nothing.
    pub fn empty() -> Block {
        Block { ptr: NonNull::dangling(), cap: 0 }
    }

    pub fn ptr(&self) -> *mut u8 {
        self.ptr.as_ptr()
    }

    pub fn cap(&self) -> usize {
        self.cap
    }
}

impl Drop for Block {
    fn drop(&mut self) {
        if self.cap == 0 {
            return;
        }
        // SAFETY: allocated in Block::new with this very layout.
        unsafe { dealloc(self.ptr.as_ptr(), Layout::from_size_align_unchecked(self.cap, BLOCK_ALIGN)) };
    }
}

pub type RefCleanup = unsafe extern "C" fn(*const c_void, usize, *mut c_void);

/// Memory that several chains (in one or several buffers) may point into. Immutable.
pub enum Shared {
    /// A buffer's own block, frozen when `evbuffer_add_buffer_reference` shared it.
    Block(Block),
    /// The program's memory from `evbuffer_add_reference`; its cleanup runs when the last
    /// chain pointing at it goes away.
    UserRef { ptr: *const u8, len: usize, cleanup: Option<RefCleanup>, arg: *mut c_void },
}

// SAFETY: the program promised the referenced memory stays valid and unchanged until cleanup;
// nothing writes through these pointers.
unsafe impl Send for Shared {}
// SAFETY: as above.
unsafe impl Sync for Shared {}

impl Drop for Shared {
    fn drop(&mut self) {
        if let Shared::UserRef { ptr, len, cleanup: Some(f), arg } = *self {
            // SAFETY: the program's cleanup callback, called once with what it registered.
            unsafe { f(ptr as *const c_void, len, arg) };
        }
    }
}

impl Shared {
    fn base(&self) -> *const u8 {
        match self {
            Shared::Block(b) => b.ptr(),
            Shared::UserRef { ptr, .. } => *ptr,
        }
    }
}

pub enum Mem {
    Own(Block),
    Shared(Arc<Shared>),
    /// Bytes `base..` of a file segment; `sendfile` chains are written with sendfile(2) and
    /// only materialised if the program reads them.
    File {
        seg: Arc<FileSegment>,
        base: usize,
        sendfile: bool,
    },
}

/// Kinds that libevent refuses to reference from another buffer.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Plain,
    Multicast,
    File,
}

pub struct Chain {
    pub mem: Mem,
    pub kind: Kind,
    /// Offset of the first readable byte in the memory.
    pub misalign: usize,
    /// Readable bytes.
    pub off: usize,
    /// Position of the first readable byte in the buffer's running coordinate (see Inner).
    pub start: u64,
}

impl Chain {
    pub fn with_capacity(size: usize) -> Option<Chain> {
        let cap = capacity_for(size)?;
        Some(Chain::own(Block::new(cap)?))
    }

    pub fn own(b: Block) -> Chain {
        Chain { mem: Mem::Own(b), kind: Kind::Plain, misalign: 0, off: 0, start: 0 }
    }

    pub fn shared(s: Arc<Shared>, misalign: usize, off: usize, kind: Kind) -> Chain {
        Chain { mem: Mem::Shared(s), kind, misalign, off, start: 0 }
    }

    /// Total size of the memory (libevent's `buffer_len`).
    pub fn buffer_len(&self) -> usize {
        match &self.mem {
            Mem::Own(b) => b.cap(),
            Mem::Shared(s) => match &**s {
                Shared::Block(b) => b.cap(),
                Shared::UserRef { len, .. } => *len,
            },
            Mem::File { .. } => self.misalign + self.off,
        }
    }

    pub fn writable(&self) -> bool {
        matches!(self.mem, Mem::Own(_))
    }

    /// Free bytes after the data (zero for chains the buffer may not write into).
    pub fn space(&self) -> usize {
        match &self.mem {
            Mem::Own(b) => b.cap() - self.misalign - self.off,
            _ => 0,
        }
    }

    /// Pointer to the first free byte after the data (libevent's `CHAIN_SPACE_PTR`).
    pub fn space_ptr(&self) -> *mut u8 {
        match &self.mem {
            Mem::Own(b) => b.ptr().wrapping_add(self.misalign + self.off),
            _ => std::ptr::null_mut(),
        }
    }

    pub fn base(&self) -> *const u8 {
        match &self.mem {
            Mem::Own(b) => b.ptr(),
            Mem::Shared(s) => s.base(),
            Mem::File { seg, base, .. } => seg.contents().as_ptr().wrapping_add(*base),
        }
    }

    pub fn data_ptr(&self) -> *const u8 {
        self.base().wrapping_add(self.misalign)
    }

    pub fn data(&self) -> &[u8] {
        if self.off == 0 {
            return &[];
        }
        // SAFETY: misalign..misalign+off lies inside the chain's memory, which lives as long as
        // the chain (owned block, Arc-held shared memory, or the segment's contents).
        unsafe { std::slice::from_raw_parts(self.data_ptr(), self.off) }
    }

    /// Turns an owned block into shared memory (it becomes immutable) and returns it.
    pub fn share(&mut self) -> Arc<Shared> {
        if let Mem::Own(b) = &mut self.mem {
            let b = std::mem::replace(b, Block::empty());
            self.mem = Mem::Shared(Arc::new(Shared::Block(b)));
        }
        match &self.mem {
            Mem::Shared(s) => s.clone(),
            _ => unreachable!("file chains are never shared"),
        }
    }

    pub fn is_sendfile(&self) -> bool {
        matches!(self.mem, Mem::File { sendfile: true, .. })
    }

    /// Whether dropping this chain may run program code (a cleanup callback).
    pub fn drop_runs_user_code(&self) -> bool {
        !matches!(self.mem, Mem::Own(_))
    }

    /// Appends bytes into the free space. The caller checked `space() >= data.len()`.
    pub fn write_tail(&mut self, data: &[u8]) {
        debug_assert!(self.space() >= data.len());
        if data.is_empty() {
            return;
        }
        // SAFETY: the chain owns its block and has at least data.len() free bytes after the data;
        // the source is the program's memory, never inside this block.
        unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), self.space_ptr(), data.len()) };
        self.off += data.len();
    }

    /// Moves the data to the start of the block (libevent's `evbuffer_chain_align`).
    pub fn align(&mut self) {
        if let Mem::Own(b) = &self.mem {
            if self.misalign != 0 {
                // SAFETY: both ranges lie within the owned block; copy handles the overlap.
                unsafe { std::ptr::copy(b.ptr().add(self.misalign), b.ptr(), self.off) };
                self.misalign = 0;
            }
        }
    }

    /// libevent's `evbuffer_chain_should_realign`: moving the data down is worth it.
    pub fn should_realign(&self, datlen: usize) -> bool {
        let len = self.buffer_len();
        len - self.off >= datlen && self.off < len / 2 && self.off <= 2048
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    unsafe extern "C" fn count_cleanup(_data: *const c_void, len: usize, arg: *mut c_void) {
        // SAFETY: the test passes a live usize as the argument.
        unsafe { *(arg as *mut usize) += len };
    }

    #[test]
    fn owned_bytes_align_share_and_reference() {
        // Exercises the raw block memory (tools/miri.sh runs this under Miri).
        let mut c = Chain::with_capacity(10).expect("small chain");
        assert_eq!((c.buffer_len(), c.space()), (976, 976));
        c.write_tail(b"hello world");
        c.misalign = 6;
        c.off = 5;
        assert_eq!(c.data(), b"world");
        assert!(c.should_realign(900));
        c.align();
        assert_eq!((c.misalign, c.data()), (0, &b"world"[..]));
        c.write_tail(b"!");
        assert_eq!(c.data(), b"world!");
        let s = c.share();
        assert!(!c.writable() && c.space() == 0 && c.space_ptr().is_null());
        let other = Chain::shared(s, 1, 3, Kind::Plain);
        drop(c);
        assert_eq!(other.data(), b"orl"); // the block outlives the chain that shared it
        drop(other);

        let bytes = b"referenced".to_vec();
        let mut freed = 0usize;
        let r = Arc::new(Shared::UserRef {
            ptr: bytes.as_ptr(),
            len: bytes.len(),
            cleanup: Some(count_cleanup),
            arg: &mut freed as *mut usize as *mut c_void,
        });
        let (a, b) = (Chain::shared(r.clone(), 0, 4, Kind::Plain), Chain::shared(r, 4, 6, Kind::Plain));
        assert!(a.drop_runs_user_code());
        assert_eq!((a.data(), b.data()), (&b"refe"[..], &b"renced"[..]));
        drop(a);
        drop(b);
        assert_eq!(freed, bytes.len()); // cleanup ran once, when the last chain went
        assert_eq!(Chain::own(Block::empty()).data(), b"");
        assert!(Block::new(0).is_some_and(|b| b.cap() == 0));
    }
}
