//! Model-based checking: random sequences of operations on two evbuffers, each mirrored on a
//! plain `Vec<u8>`; every result, the contents and the chain invariants are checked after each
//! step. Driven by a seeded xorshift (`cargo test`) or by fuzzer input (fuzz/), so a failure
//! names its seed (or input) and step. Built for tests and with the `model` feature.
use super::search::{EOL_ANY, EOL_CRLF, EOL_CRLF_STRICT, EOL_LF, EOL_NUL, PTR_ADD, PTR_SET};
use super::{Evbuffer, EvbufferIovec, EvbufferPtr};
use libc::c_void;

/// The source of choices: a xorshift generator, or fuzzer bytes (eight per choice; zeros
/// once they run out, which `run` takes as the end).
pub struct Rng<'a> {
    state: u64,
    input: Option<&'a [u8]>,
}

impl<'a> Rng<'a> {
    pub fn new(seed: u64) -> Rng<'static> {
        Rng { state: seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1, input: None }
    }
    pub fn from_bytes(data: &'a [u8]) -> Rng<'a> {
        Rng { state: 0, input: Some(data) }
    }
    fn exhausted(&self) -> bool {
        self.input.is_some_and(|d| d.is_empty())
    }
    pub fn next_u64(&mut self) -> u64 {
        if let Some(d) = self.input.as_mut() {
            let k = d.len().min(2);
            let mut v = [0u8; 8];
            v[..k].copy_from_slice(&d[..k]);
            *d = &d[k..];
            return u64::from_le_bytes(v);
        }
        let mut x = self.state;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.state = x;
        x
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
    /// Sizes skewed small, with the odd large one (to cross chain boundaries).
    pub fn size(&mut self) -> usize {
        match self.below(10) {
            0..=5 => self.below(16),
            6..=8 => self.below(1200),
            _ => self.below(9000),
        }
    }
    /// Bytes from a small alphabet, so that searches and line ends hit often.
    pub fn some_bytes(&mut self) -> Vec<u8> {
        let n = self.size();
        self.bytes(n)
    }
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        const A: &[u8] = b"ab\r\n\0xab";
        (0..n).map(|_| A[self.below(A.len())]).collect()
    }
}

thread_local! {
    // References added and not yet cleaned up, on this thread (cleanups run on the thread that
    // drains, which is the one running the sequence).
    static REF_LIVE: std::cell::Cell<isize> = const { std::cell::Cell::new(0) };
}

unsafe extern "C" fn ref_cleanup(data: *const c_void, _len: usize, _arg: *mut c_void) {
    REF_LIVE.with(|c| c.set(c.get() - 1));
    // SAFETY: the data was leaked from a Box<[u8]> by the test below, with this length.
    drop(Box::from_raw(std::ptr::slice_from_raw_parts_mut(data as *mut u8, _len)));
}

fn find(h: &[u8], n: &[u8], from: usize) -> Option<usize> {
    if n.is_empty() || from > h.len() {
        return None;
    }
    (from..=h.len().saturating_sub(n.len())).find(|&i| i + n.len() <= h.len() && &h[i..i + n.len()] == n)
}

fn model_eol(m: &[u8], from: usize, style: i32) -> Option<(usize, usize)> {
    match style {
        EOL_ANY => {
            let q = (from..m.len()).find(|&i| m[i] == b'\r' || m[i] == b'\n')?;
            let n = m[q..].iter().take_while(|&&c| c == b'\r' || c == b'\n').count();
            Some((q, n))
        }
        EOL_CRLF => {
            let q = (from..m.len()).find(|&i| m[i] == b'\n')?;
            Some(if q > from && m[q - 1] == b'\r' { (q - 1, 2) } else { (q, 1) })
        }
        EOL_CRLF_STRICT => find(m, b"\r\n", from).map(|q| (q, 2)),
        EOL_LF => (from..m.len()).find(|&i| m[i] == b'\n').map(|q| (q, 1)),
        EOL_NUL => (from..m.len()).find(|&i| m[i] == 0).map(|q| (q, 1)),
        _ => None,
    }
}

fn contents(b: &Evbuffer) -> Vec<u8> {
    let mut v = vec![0u8; b.len()];
    if !v.is_empty() {
        assert_eq!(b.copyout(&mut v), v.len() as isize);
    }
    v
}

/// Returns how many searches found something and how many lines were read (to show the
/// sequences exercise the interesting paths).
pub fn run(seed: u64, steps: usize) -> (usize, usize) {
    run_with(Rng::new(seed), seed, steps)
}

/// Runs the operations chosen by fuzzer input (two bytes per choice).
pub fn run_bytes(data: &[u8]) {
    let before = REF_LIVE.with(|c| c.get());
    run_with(Rng::from_bytes(data), 0, usize::MAX);
    assert_eq!(REF_LIVE.with(|c| c.get()), before, "every reference cleanup ran exactly once");
}

fn run_with(mut r: Rng<'_>, seed: u64, steps: usize) -> (usize, usize) {
    let (mut found, mut lines) = (0, 0);
    let bufs = [Evbuffer::new(), Evbuffer::new()];
    let mut models: [Vec<u8>; 2] = [Vec::new(), Vec::new()];
    let mut frozen = [[false; 2]; 2]; // [buffer][front?]
    for step in 0..steps {
        if r.exhausted() {
            break;
        }
        let w = r.below(2);
        let (b, o) = (&bufs[w], &bufs[1 - w]);
        let op = r.below(24);
        let ctx = format!("seed {seed} step {step} op {op}");
        let len = models[w].len();
        match op {
            0 | 1 => {
                let d = r.some_bytes();
                let ok = b.add(&d).is_ok();
                assert_eq!(ok, !frozen[w][0], "{ctx}");
                if ok {
                    models[w].extend_from_slice(&d);
                }
            }
            2 => {
                let d = r.some_bytes();
                let ok = b.prepend(&d).is_ok();
                assert_eq!(ok, d.is_empty() || !frozen[w][1], "{ctx}");
                if ok {
                    models[w].splice(0..0, d);
                }
            }
            3 | 4 => {
                let n = r.below(len + 20);
                let ok = b.drain(n).is_ok();
                assert_eq!(ok, len == 0 || !frozen[w][1], "{ctx}");
                if ok {
                    models[w].drain(..n.min(len));
                }
            }
            5 => {
                let mut out = vec![0u8; r.below(len + 20)];
                let n = b.remove(&mut out);
                if frozen[w][1] && !out.is_empty() && len > 0 {
                    assert_eq!(n, -1, "{ctx}");
                } else {
                    let k = out.len().min(len);
                    assert_eq!(n, k as isize, "{ctx}");
                    assert_eq!(&out[..k], &models[w][..k], "{ctx}");
                    models[w].drain(..k);
                }
            }
            6 => {
                let pos = r.below(len + 3);
                let mut p = EvbufferPtr::NOT_FOUND;
                let set = b.ptr_set(&mut p, pos, PTR_SET);
                assert_eq!(set, if pos <= len { 0 } else { -1 }, "{ctx}");
                if set == 0 {
                    let mut out = vec![0u8; r.below(40)];
                    let n = b.copyout_from(&p, &mut out);
                    let k = out.len().min(len - pos);
                    if frozen[w][1] && k > 0 {
                        assert_eq!(n, -1, "{ctx}");
                    } else {
                        assert_eq!(n, k as isize, "{ctx}");
                        assert_eq!(&out[..k], &models[w][pos..pos + k], "{ctx}");
                    }
                    let add = r.below(10);
                    let a = b.ptr_set(&mut p, add, PTR_ADD);
                    assert_eq!(a, if pos + add <= len { 0 } else { -1 }, "{ctx}");
                    assert_eq!(p.pos, if a == 0 { (pos + add) as isize } else { -1 }, "{ctx}");
                }
            }
            7 => {
                let n = if r.below(4) == 0 { -1 } else { r.below(len + 5) as isize };
                let p = b.pullup(n);
                let want = if n < 0 { len } else { n as usize };
                if want == 0 || want > len {
                    assert!(p.is_null(), "{ctx}");
                } else {
                    assert!(!p.is_null(), "{ctx}");
                    // SAFETY: pullup made `want` bytes contiguous at p.
                    let s = unsafe { std::slice::from_raw_parts(p, want) };
                    assert_eq!(s, &models[w][..want], "{ctx}");
                    assert!(b.contiguous_space() >= want, "{ctx}");
                }
            }
            8 => {
                let ok = b.add_buffer(o).is_ok();
                let olen = models[1 - w].len();
                let refused = olen > 0 && (frozen[w][0] || frozen[1 - w][1]);
                assert_eq!(ok, !refused, "{ctx}");
                if ok {
                    let moved = std::mem::take(&mut models[1 - w]);
                    models[w].extend_from_slice(&moved);
                }
            }
            9 => {
                let ok = b.prepend_buffer(o).is_ok();
                let olen = models[1 - w].len();
                let refused = olen > 0 && (frozen[w][1] || frozen[1 - w][1]);
                assert_eq!(ok, !refused, "{ctx}");
                if ok {
                    let moved = std::mem::take(&mut models[1 - w]);
                    models[w].splice(0..0, moved);
                }
            }
            10 => {
                let n = r.below(len + 10);
                let got = b.remove_buffer(o, n);
                let refused = n > 0 && (frozen[1 - w][0] || frozen[w][1]);
                if refused {
                    assert_eq!(got, -1, "{ctx}");
                } else {
                    let k = n.min(len);
                    assert_eq!(got, k as i32, "{ctx}");
                    let moved: Vec<u8> = models[w].drain(..k).collect();
                    models[1 - w].extend_from_slice(&moved);
                }
            }
            11 => {
                let d: Box<[u8]> = r.some_bytes().into_boxed_slice();
                let n = d.len();
                let p = Box::into_raw(d) as *mut u8;
                REF_LIVE.with(|c| c.set(c.get() + 1));
                // SAFETY: the memory lives until ref_cleanup frees it.
                let ok = unsafe { b.add_reference(p, n, Some(ref_cleanup), std::ptr::null_mut()) }.is_ok();
                assert_eq!(ok, !frozen[w][0], "{ctx}");
                if ok {
                    // SAFETY: p holds n bytes until cleanup.
                    models[w].extend_from_slice(unsafe { std::slice::from_raw_parts(p, n) });
                } else {
                    // SAFETY: refused, so the cleanup will not run: free it here.
                    unsafe { ref_cleanup(p as *const c_void, n, std::ptr::null_mut()) };
                }
            }
            12 => {
                let ok = b.add_buffer_reference(o).is_ok();
                let olen = models[1 - w].len();
                if ok {
                    let copy = models[1 - w].clone();
                    models[w].extend_from_slice(&copy);
                } else {
                    assert!(olen > 0, "{ctx}");
                }
            }
            13 | 14 => {
                let want = r.size();
                let nv = 1 + r.below(3);
                let mut vecs = vec![EvbufferIovec::default(); nv];
                let n = b.reserve_space(want as isize, &mut vecs);
                if frozen[w][0] {
                    assert_eq!(n, -1, "{ctx}");
                    continue;
                }
                assert!(n >= 0, "{ctx}");
                let n = n as usize;
                let total: usize = vecs[..n.min(nv)].iter().map(|v| v.iov_len).sum();
                assert!(total >= want || (nv > 1 && n == 0 && want == 0), "{ctx}: reserved {total} < {want}");
                // Write some of it, maybe leaving the last vector partly used.
                let mut added = Vec::new();
                let mut left = r.below(total + 1);
                for v in vecs[..n].iter_mut() {
                    let k = v.iov_len.min(left);
                    let d = r.bytes(k);
                    // SAFETY: reserved space of at least iov_len bytes.
                    unsafe { std::ptr::copy_nonoverlapping(d.as_ptr(), v.iov_base as *mut u8, k) };
                    v.iov_len = k;
                    left -= k;
                    added.extend_from_slice(&d);
                }
                assert!(b.commit_space(&vecs[..n]).is_ok(), "{ctx}");
                models[w].extend_from_slice(&added);
            }
            15 | 16 => {
                let pat: Vec<u8> = if len > 0 && r.below(2) == 0 {
                    let s = r.below(len);
                    let e = (s + 1 + r.below(6)).min(len);
                    models[w][s..e].to_vec()
                } else {
                    let k = r.below(5);
                    r.bytes(k)
                };
                let start = r.below(len + 2);
                let mut sp = EvbufferPtr::NOT_FOUND;
                let has_start = r.below(2) == 0 && b.ptr_set(&mut sp, start, PTR_SET) == 0;
                let from = if has_start { start } else { 0 };
                let end = r.below(len + 2);
                let mut ep = EvbufferPtr::NOT_FOUND;
                let has_end = r.below(2) == 0 && b.ptr_set(&mut ep, end, PTR_SET) == 0;
                let got = b.search_range(&pat, has_start.then_some(&sp), has_end.then_some(&ep));
                let want = if pat.is_empty() {
                    Some(if has_start { start } else { 0 })
                } else if from >= len {
                    None
                } else {
                    find(&models[w], &pat, from).filter(|&q| !has_end || q + pat.len() <= end)
                };
                assert_eq!(
                    got.pos,
                    want.map_or(-1, |q| q as isize),
                    "{ctx}: search {pat:?} from {from} end {has_end}/{end}"
                );
                found += (got.pos >= 0 && !pat.is_empty()) as usize;
            }
            17 | 18 => {
                let style = r.below(6) as i32;
                let start = r.below(len + 2);
                let mut sp = EvbufferPtr::NOT_FOUND;
                let has_start = r.below(2) == 0 && b.ptr_set(&mut sp, start, PTR_SET) == 0;
                let from = if has_start { start } else { 0 };
                let (p, n) = b.search_eol(has_start.then_some(&sp), style);
                let want = if from >= len { None } else { model_eol(&models[w], from, style) };
                assert_eq!(
                    (p.pos, n),
                    want.map_or((-1, 0), |(q, n)| (q as isize, n)),
                    "{ctx}: eol style {style} from {from}"
                );
                if op == 18 {
                    let got = b.readln(style);
                    if frozen[w][1] {
                        assert!(got.is_none(), "{ctx}");
                        continue;
                    }
                    let want = model_eol(&models[w], 0, style);
                    match (got, want) {
                        (None, None) => {}
                        (Some((line, k)), Some((q, e))) => {
                            assert_eq!(k, q, "{ctx}");
                            // SAFETY: readln returned k+1 bytes from malloc.
                            let s = unsafe { std::slice::from_raw_parts(line, k + 1) };
                            assert_eq!(&s[..k], &models[w][..k], "{ctx}");
                            assert_eq!(s[k], 0, "{ctx}");
                            // SAFETY: allocated by core::mem::malloc.
                            unsafe { crate::core::mem::free(line as *mut c_void) };
                            models[w].drain(..q + e);
                            lines += 1;
                        }
                        (g, w2) => panic!("{ctx}: readln {:?} vs model {:?}", g.map(|x| x.1), w2),
                    }
                }
            }
            19 => {
                let mut vecs = [EvbufferIovec::default(); 4];
                let want = if r.below(3) == 0 { -1 } else { r.below(len + 10) as isize };
                let n = b.peek(want, None, &mut vecs);
                let k = (n as usize).min(4);
                let mut got = Vec::new();
                for v in &vecs[..k] {
                    // SAFETY: peek describes readable bytes of the buffer.
                    got.extend_from_slice(unsafe { std::slice::from_raw_parts(v.iov_base as *const u8, v.iov_len) });
                }
                assert_eq!(&got[..], &models[w][..got.len()], "{ctx}");
                let all = b.peek(-1, None, &mut []);
                if n as usize <= 4 && want >= 0 {
                    assert!(got.len() >= (want as usize).min(len), "{ctx}");
                }
                assert!(all >= 0, "{ctx}");
            }
            20 => {
                let front = r.below(2) == 1;
                if r.below(2) == 0 {
                    b.freeze(front);
                    frozen[w][front as usize] = true;
                } else {
                    b.unfreeze(front);
                    frozen[w][front as usize] = false;
                }
            }
            21 => {
                let _ = b.expand(r.size());
            }
            22 => {
                let vs: Vec<Vec<u8>> = {
                    let k = r.below(4);
                    (0..k)
                        .map(|_| {
                            let n = r.below(300);
                            r.bytes(n)
                        })
                        .collect()
                };
                let iov: Vec<EvbufferIovec> = vs
                    .iter()
                    .map(|v| EvbufferIovec { iov_base: v.as_ptr() as *mut c_void, iov_len: v.len() })
                    .collect();
                // SAFETY: the vectors point into `vs`, alive for the call.
                let n = unsafe { b.add_iovec(&iov) };
                let total: usize = vs.iter().map(|v| v.len()).sum();
                if frozen[w][0] {
                    assert_eq!(n, 0, "{ctx}");
                } else {
                    assert_eq!(n, total, "{ctx}");
                    for v in &vs {
                        models[w].extend_from_slice(v);
                    }
                }
            }
            _ => {
                // Unfreeze everything now and then so that data keeps flowing.
                for (k, bb) in bufs.iter().enumerate() {
                    bb.unfreeze(true);
                    bb.unfreeze(false);
                    frozen[k] = [false, false];
                }
            }
        }
        for k in 0..2 {
            assert_eq!(bufs[k].len(), models[k].len(), "{ctx}: length of buffer {k}");
            bufs[k].with(|i| i.check_invariants());
            if step % 7 == 0 || models[k].len() < 64 {
                let save = frozen[k][1];
                bufs[k].unfreeze(true);
                assert_eq!(contents(&bufs[k]), models[k], "{ctx}: contents of buffer {k}");
                if save {
                    bufs[k].freeze(true);
                }
            }
        }
    }
    (found, lines)
}

#[cfg(test)]
#[test]
fn model_random_sequences() {
    // Under Miri (tools/miri.sh) one seed already takes a minute or two.
    let default_seeds = if cfg!(miri) { 1 } else { 60 };
    let seeds: u64 = std::env::var("EVBUFFER_MODEL_SEEDS").ok().and_then(|s| s.parse().ok()).unwrap_or(default_seeds);
    let (mut found, mut lines) = (0, 0);
    for seed in 1..=seeds {
        let (f, l) = run(seed, 400);
        found += f;
        lines += l;
    }
    assert!(found > seeds as usize && lines > seeds as usize, "searches found {found}, lines read {lines}");
    assert_eq!(REF_LIVE.with(|c| c.get()), 0, "every reference cleanup ran exactly once");
}

#[cfg(test)]
#[test]
fn fuzz_input_drives_the_model() {
    let mut r = Rng::new(7);
    for len in [0usize, 1, 2, 17, 300, 4000] {
        let data: Vec<u8> = (0..len).map(|_| r.next_u64() as u8).collect();
        run_bytes(&data);
    }
}

#[cfg(test)]
#[test]
fn chain_sizes_follow_libevent() {
    assert_eq!(super::chain::capacity_for(0), Some(976));
    assert_eq!(super::chain::capacity_for(976), Some(976));
    assert_eq!(super::chain::capacity_for(977), Some(2048 - 48));
    assert_eq!(super::chain::capacity_for(usize::MAX), None);
}
