//! File segments (`evbuffer_file_segment_*`): a range of a file that buffers can carry without
//! copying it. Sent with sendfile(2) from buffers that drain to a socket, otherwise mapped
//! (or read) into memory the first time a buffer needs the bytes.
use crate::core::log;
use libc::{c_int, c_uint, c_void, off_t};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

pub const FS_CLOSE_ON_FREE: c_uint = 0x01;
pub const FS_DISABLE_MMAP: c_uint = 0x02;
pub const FS_DISABLE_SENDFILE: c_uint = 0x04;
pub const FS_DISABLE_LOCKING: c_uint = 0x08;

pub type SegCleanup = unsafe extern "C" fn(*const FileSegment, c_int, *mut c_void);

enum Contents {
    Mapped { map: *mut c_void, map_len: usize, leftover: usize },
    Heap(Vec<u8>),
}

// SAFETY: the mapping is private and read-only; the vector is owned.
unsafe impl Send for Contents {}
// SAFETY: as above, contents are never written after creation.
unsafe impl Sync for Contents {}

pub struct FileSegment {
    fd: c_int,
    flags: c_uint,
    file_offset: off_t,
    length: usize,
    can_sendfile: bool,
    contents: OnceLock<Contents>,
    cleanup: Mutex<Option<(SegCleanup, usize)>>,
    keep_fd: AtomicBool,
}

impl FileSegment {
    /// libevent's `evbuffer_file_segment_new`: `length` -1 means the file's size (from fstat;
    /// note that libevent does not subtract `offset`, and neither do we).
    pub fn new(fd: c_int, offset: off_t, length: off_t, flags: c_uint) -> Option<FileSegment> {
        let mut length = length;
        if length == -1 {
            // SAFETY: fstat writes into a properly sized stat buffer.
            let mut st: libc::stat = unsafe { std::mem::zeroed() };
            // SAFETY: as above; a bad fd only makes fstat fail.
            if unsafe { libc::fstat(fd, &mut st) } < 0 {
                return None;
            }
            length = st.st_size;
        }
        let max = super::chain::CHAIN_MAX as u64;
        if offset < 0 || length < 0 || length as u64 > max || offset as u64 > max - length as u64 {
            return None;
        }
        let seg = FileSegment {
            fd,
            flags,
            file_offset: offset,
            length: length as usize,
            can_sendfile: flags & FS_DISABLE_SENDFILE == 0,
            contents: OnceLock::new(),
            cleanup: Mutex::new(None),
            keep_fd: AtomicBool::new(false),
        };
        if !seg.can_sendfile && seg.materialize().is_err() {
            return None;
        }
        Some(seg)
    }

    pub fn len(&self) -> usize {
        self.length
    }

    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    pub fn fd(&self) -> c_int {
        self.fd
    }

    pub fn file_offset(&self) -> off_t {
        self.file_offset
    }

    pub fn can_sendfile(&self) -> bool {
        self.can_sendfile
    }

    /// Leaves the fd open when the segment goes, whatever its flags say.
    pub fn keep_fd(&self) {
        self.keep_fd.store(true, Ordering::Relaxed);
    }

    pub fn set_cleanup(&self, cb: Option<SegCleanup>, arg: *mut c_void) {
        *self.cleanup.lock().unwrap_or_else(|e| e.into_inner()) = cb.map(|f| (f, arg as usize));
    }

    /// Loads the bytes into memory (mmap, else read), once. libevent's materialize: mmap first
    /// (warning when it fails), then read(2) of exactly `length` bytes.
    pub fn materialize(&self) -> Result<(), ()> {
        if self.contents.get().is_some() {
            return Ok(());
        }
        let c = self.load()?;
        let _ = self.contents.set(c);
        Ok(())
    }

    fn load(&self) -> Result<Contents, ()> {
        let (fd, offset, length) = (self.fd, self.file_offset, self.length);
        if self.flags & FS_DISABLE_MMAP == 0 {
            // SAFETY: sysconf has no preconditions.
            let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(1) as off_t;
            let leftover = (offset % page) as usize;
            let rounded = offset - leftover as off_t;
            // Mapping past the end of the file would fault when read; libevent's mapping reads
            // zeros up to the end of the last page, so give zeros for the missing tail instead.
            // SAFETY: fstat writes into a properly sized stat buffer.
            let mut st: libc::stat = unsafe { std::mem::zeroed() };
            // SAFETY: as above.
            let size = if unsafe { libc::fstat(fd, &mut st) } == 0 && (st.st_mode & libc::S_IFMT) == libc::S_IFREG {
                Some(st.st_size)
            } else {
                None
            };
            if let (Some(size), true) = (size, length > 0) {
                if offset as u64 + length as u64 > size as u64 {
                    let mut v = vec![0u8; length];
                    let avail = (size - offset.min(size)) as usize;
                    if pread_all(fd, &mut v[..avail.min(length)], offset).is_ok() {
                        return Ok(Contents::Heap(v));
                    }
                }
            }
            // SAFETY: a read-only private mapping; failure is reported as MAP_FAILED.
            let map = unsafe {
                libc::mmap(std::ptr::null_mut(), length + leftover, libc::PROT_READ, libc::MAP_PRIVATE, fd, rounded)
            };
            if map == libc::MAP_FAILED {
                // libevent's event_warn: the message, then strerror(errno).
                // SAFETY: strerror returns a valid C string for any errno value.
                let why = unsafe { std::ffi::CStr::from_ptr(libc::strerror(*libc::__errno_location())) };
                log::warnx(&format!(
                    "evbuffer_file_segment_materialize: mmap({}, {}, {}) failed: {}",
                    fd,
                    0,
                    offset as u64 + length as u64,
                    why.to_string_lossy()
                ));
            } else {
                return Ok(Contents::Mapped { map, map_len: length + leftover, leftover });
            }
        }
        // libevent's read fallback refuses empty segments (its malloc(0) gives NULL).
        if length == 0 {
            return Err(());
        }
        // SAFETY: lseek on any fd is harmless; failures are checked.
        let start = unsafe { libc::lseek(fd, 0, libc::SEEK_CUR) };
        if start < 0 {
            return Err(());
        }
        let mut v = Vec::new();
        if v.try_reserve_exact(length).is_err() {
            return Err(());
        }
        v.resize(length, 0);
        // SAFETY: as above.
        if unsafe { libc::lseek(fd, offset, libc::SEEK_SET) } < 0 {
            return Err(());
        }
        let mut got = 0;
        let mut failed = false;
        while got < length {
            // SAFETY: writes at most length-got bytes into the vector's tail.
            let n = unsafe { libc::read(fd, v.as_mut_ptr().add(got) as *mut c_void, length - got) };
            if n < 0 {
                failed = true;
                break;
            }
            if n == 0 {
                break;
            }
            got += n as usize;
        }
        // SAFETY: restores the file position the program had.
        let back = unsafe { libc::lseek(fd, start, libc::SEEK_SET) };
        if failed || got < length || back < 0 {
            return Err(());
        }
        Ok(Contents::Heap(v))
    }

    /// The segment's bytes. Reading a sendfile-only segment is undefined in libevent; here it
    /// materialises on demand, and gives zeros if even that fails.
    pub fn contents(&self) -> &[u8] {
        if self.contents.get().is_none() && self.materialize().is_err() {
            let _ = self.contents.set(Contents::Heap(vec![0; self.length]));
        }
        match self.contents.get() {
            Some(Contents::Mapped { map, leftover, .. }) => {
                // SAFETY: the mapping covers leftover+length bytes and lives as long as self.
                unsafe { std::slice::from_raw_parts((*map as *const u8).add(*leftover), self.length) }
            }
            Some(Contents::Heap(v)) => v,
            None => &[],
        }
    }
}

fn pread_all(fd: c_int, buf: &mut [u8], offset: off_t) -> Result<(), ()> {
    let mut got = 0;
    while got < buf.len() {
        // SAFETY: writes into the unfilled tail of buf.
        let n = unsafe {
            libc::pread(fd, buf.as_mut_ptr().add(got) as *mut c_void, buf.len() - got, offset + got as off_t)
        };
        if n <= 0 {
            return Err(());
        }
        got += n as usize;
    }
    Ok(())
}

impl Drop for FileSegment {
    fn drop(&mut self) {
        if let Some(Contents::Mapped { map, map_len, .. }) = self.contents.take() {
            // SAFETY: unmaps exactly the mapping made in load().
            unsafe { libc::munmap(map, map_len) };
        }
        if self.flags & FS_CLOSE_ON_FREE != 0 && self.fd >= 0 && !self.keep_fd.load(Ordering::Relaxed) {
            // SAFETY: the segment owns the fd by the program's request.
            unsafe { libc::close(self.fd) };
        }
        let cb = self.cleanup.get_mut().unwrap_or_else(|e| e.into_inner()).take();
        if let Some((f, arg)) = cb {
            // SAFETY: the program's callback; the segment's memory is still valid during it,
            // as in libevent (which frees it after the callback returns).
            unsafe { f(self as *const FileSegment, self.flags as c_int, arg as *mut c_void) };
        }
    }
}
