//! Rate limits: token buckets per bufferevent and per group of bufferevents.
//!
//! A bucket holds up to `maximum` bytes of credit and gains `rate` bytes per tick. Reads and
//! writes take credit; a bucket at or below zero suspends its direction until a refill timer
//! brings it back above zero. A group shares one bucket among its members, each of which may
//! move at most an even share (but no less than the group's minimum share) at a time.
use super::*;
use crate::core::base::EventBase;
use crate::core::time::Micros;

/// `struct ev_token_bucket_cfg`: opaque to programs.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct TokenBucketCfg {
    pub read_rate: usize,
    pub read_maximum: usize,
    pub write_rate: usize,
    pub write_maximum: usize,
    pub tick_timeout: timeval,
    pub msec_per_tick: u32,
}

/// The largest rate or burst a configuration accepts (EV_RATE_LIMIT_MAX).
pub const RATE_LIMIT_MAX: usize = isize::MAX as usize;
const MICROS_MASK: i64 = 0x000f_ffff;

#[derive(Clone, Copy, Default)]
pub struct Bucket {
    pub read_limit: isize,
    pub write_limit: isize,
    pub last_updated: u32,
}

/// A bufferevent's rate-limit state.
pub struct RateLimit {
    pub group: *mut Group,
    pub limit: Bucket,
    /// The program's configuration, used in place (it must outlive its use, as in libevent).
    pub cfg: *const TokenBucketCfg,
    /// Refills a bucket that ran dry, one tick later.
    pub refill: Event,
}

pub struct Group {
    pub members: Vec<*mut Bev>,
    pub limit: Bucket,
    pub cfg: TokenBucketCfg,
    pub read_suspended: bool,
    pub write_suspended: bool,
    pub pending_unsuspend_read: bool,
    pub pending_unsuspend_write: bool,
    pub total_read: u64,
    pub total_written: u64,
    pub min_share: isize,
    pub configured_min_share: usize,
    pub master_refill: Event,
    pub lock: *mut c_void,
    rng: u32,
}

/// ev_token_bucket_cfg_new(): NULL for a rate of zero, a rate above its burst, or values above
/// EV_RATE_LIMIT_MAX. A NULL tick means one second.
pub fn cfg_new(
    read_rate: usize,
    read_burst: usize,
    write_rate: usize,
    write_burst: usize,
    tick: Option<&timeval>,
) -> *mut TokenBucketCfg {
    let one_second = timeval { tv_sec: 1, tv_usec: 0 };
    let tick = tick.copied().unwrap_or(one_second);
    if read_rate > read_burst || write_rate > write_burst || read_rate < 1 || write_rate < 1 {
        return ptr::null_mut();
    }
    if read_rate > RATE_LIMIT_MAX
        || write_rate > RATE_LIMIT_MAX
        || read_burst > RATE_LIMIT_MAX
        || write_burst > RATE_LIMIT_MAX
    {
        return ptr::null_mut();
    }
    let msec = tick.tv_sec * 1000 + (tick.tv_usec & MICROS_MASK) / 1000;
    Box::into_raw(Box::new(TokenBucketCfg {
        read_rate,
        read_maximum: read_burst,
        write_rate,
        write_maximum: write_burst,
        tick_timeout: tick,
        msec_per_tick: msec as u32,
    }))
}

/// # Safety
/// `cfg` came from `cfg_new` and is no longer used by any bufferevent.
pub unsafe fn cfg_free(cfg: *mut TokenBucketCfg) {
    drop(Box::from_raw(cfg));
}

/// The tick number of a time, for a configuration.
fn tick_of(now: Micros, cfg: &TokenBucketCfg) -> u32 {
    let msec = (now / 1000) as u64;
    (msec / (cfg.msec_per_tick.max(1) as u64)) as u32
}

fn bucket_init(b: &mut Bucket, cfg: &TokenBucketCfg, tick: u32, reinit: bool) {
    if reinit {
        // Credit already used this tick stays used: only clip down to the new maximums.
        b.read_limit = b.read_limit.min(cfg.read_maximum as isize);
        b.write_limit = b.write_limit.min(cfg.write_maximum as isize);
    } else {
        b.read_limit = cfg.read_rate as isize;
        b.write_limit = cfg.write_rate as isize;
        b.last_updated = tick;
    }
}

/// Adds the credit of the ticks since the last update, up to the maximums.
fn bucket_update(b: &mut Bucket, cfg: &TokenBucketCfg, tick: u32) {
    let n = tick.wrapping_sub(b.last_updated);
    if n == 0 || n > i32::MAX as u32 {
        return;
    }
    let refill = |limit: isize, rate: usize, max: usize| -> isize {
        let gain = (n as u128) * (rate as u128);
        let room = max as i128 - limit as i128;
        if room <= 0 || gain >= room as u128 {
            max as isize
        } else {
            limit + gain as isize
        }
    };
    b.read_limit = refill(b.read_limit, cfg.read_rate, cfg.read_maximum);
    b.write_limit = refill(b.write_limit, cfg.write_rate, cfg.write_maximum);
    b.last_updated = tick;
}

unsafe fn now_of(b: *mut Bev) -> Micros {
    ev::now_us(ev::or_current((*b).ev_base))
}

unsafe fn update_buckets(b: *mut Bev) {
    let rl = &mut *(*b).p.rate;
    let cfg = &*rl.cfg;
    let tick = tick_of(now_of(b), cfg);
    if tick != rl.limit.last_updated {
        bucket_update(&mut rl.limit, cfg, tick);
    }
}

/// How much one read (or write) may move now: the single-operation cap, replaced by the
/// bufferevent's bucket when it has one (as libevent does), then clamped to the group share.
unsafe fn rlim_max(b: *mut Bev, is_write: bool) -> isize {
    let mut max = if is_write { (*b).p.max_single_write } else { (*b).p.max_single_read };
    let rl = (*b).p.rate;
    if rl.is_null() {
        return max;
    }
    if !(*rl).cfg.is_null() {
        update_buckets(b);
        max = if is_write { (*rl).limit.write_limit } else { (*rl).limit.read_limit };
    }
    let g = (*rl).group;
    if !g.is_null() {
        sync::lock((*g).lock);
        let suspended = if is_write { (*g).write_suspended } else { (*g).read_suspended };
        let share = if suspended {
            // We may have missed the group's suspension (its try-lock failed on us).
            if is_write {
                suspend_write(b, SUSPEND_BW_GROUP);
            } else {
                suspend_read(b, SUSPEND_BW_GROUP);
            }
            0
        } else {
            let lim = if is_write { (*g).limit.write_limit } else { (*g).limit.read_limit };
            (lim / ((*g).members.len().max(1) as isize)).max((*g).min_share)
        };
        sync::unlock((*g).lock);
        max = max.min(share);
    }
    max.max(0)
}

/// # Safety
/// `b` is a live bufferevent whose lock is held.
#[inline]
pub unsafe fn max_to_read(b: *mut Bev) -> isize {
    // Inlined for the common case: no rate limit on this bufferevent.
    if (*b).p.rate.is_null() {
        return (*b).p.max_single_read;
    }
    rlim_max(b, false)
}

/// # Safety
/// `b` is a live bufferevent whose lock is held.
#[inline]
pub unsafe fn max_to_write(b: *mut Bev) -> isize {
    if (*b).p.rate.is_null() {
        return (*b).p.max_single_write;
    }
    rlim_max(b, true)
}

unsafe fn refill_event(b: *mut Bev) -> *mut Event {
    ptr::addr_of_mut!((*(*b).p.rate).refill)
}

/// Takes `n` bytes of credit after a read (`bufferevent_decrement_read_buckets_`).
///
/// # Safety
/// `b` is a live bufferevent whose lock is held.
#[inline]
pub unsafe fn decrement_read(b: *mut Bev, n: isize) -> c_int {
    if (*b).p.rate.is_null() {
        return 0;
    }
    decrement(b, n, false)
}

/// # Safety
/// As for `decrement_read`.
#[inline]
pub unsafe fn decrement_write(b: *mut Bev, n: isize) -> c_int {
    if (*b).p.rate.is_null() {
        return 0;
    }
    decrement(b, n, true)
}

unsafe fn decrement(b: *mut Bev, n: isize, is_write: bool) -> c_int {
    let rl = (*b).p.rate;
    if rl.is_null() {
        return 0;
    }
    let mut r = 0;
    if !(*rl).cfg.is_null() {
        let limit = if is_write { &mut (*rl).limit.write_limit } else { &mut (*rl).limit.read_limit };
        *limit -= n;
        let left = *limit;
        let (mine, other) = if is_write {
            ((*b).p.write_suspended, (*b).p.read_suspended)
        } else {
            ((*b).p.read_suspended, (*b).p.write_suspended)
        };
        if left <= 0 {
            suspend_dir(b, is_write, SUSPEND_BW);
            let tick = (*(*rl).cfg).tick_timeout;
            if ev::add(refill_event(b), Some(&tick)) < 0 {
                r = -1;
            }
        } else if mine & SUSPEND_BW != 0 {
            if other & SUSPEND_BW == 0 {
                ev::del(refill_event(b), DelMode::NoBlock);
            }
            unsuspend_dir(b, is_write, SUSPEND_BW);
        }
    }
    let g = (*rl).group;
    if !g.is_null() {
        sync::lock((*g).lock);
        let left = if is_write {
            (*g).limit.write_limit -= n;
            (*g).total_written += n as u64;
            (*g).limit.write_limit
        } else {
            (*g).limit.read_limit -= n;
            (*g).total_read += n as u64;
            (*g).limit.read_limit
        };
        let suspended = if is_write { (*g).write_suspended } else { (*g).read_suspended };
        if left <= 0 {
            group_suspend(g, is_write);
        } else if suspended {
            group_unsuspend(g, is_write);
        }
        sync::unlock((*g).lock);
    }
    r
}

unsafe fn suspend_dir(b: *mut Bev, is_write: bool, why: u16) {
    if is_write {
        suspend_write(b, why)
    } else {
        suspend_read(b, why)
    }
}

unsafe fn unsuspend_dir(b: *mut Bev, is_write: bool, why: u16) {
    if is_write {
        unsuspend_write(b, why)
    } else {
        unsuspend_read(b, why)
    }
}

/// A bufferevent's bucket may have refilled: resume what it held back.
unsafe extern "C" fn refill_cb(_fd: c_int, _what: c_short, arg: *mut c_void) {
    let b = arg as *mut Bev;
    lock(b);
    let rl = (*b).p.rate;
    if rl.is_null() || (*rl).cfg.is_null() {
        unlock(b);
        return;
    }
    let cfg = &*(*rl).cfg;
    let tick = tick_of(now_of(b), cfg);
    bucket_update(&mut (*rl).limit, cfg, tick);
    let mut again = false;
    if (*b).p.read_suspended & SUSPEND_BW != 0 {
        if (*rl).limit.read_limit > 0 {
            unsuspend_read(b, SUSPEND_BW);
        } else {
            again = true;
        }
    }
    if (*b).p.write_suspended & SUSPEND_BW != 0 {
        if (*rl).limit.write_limit > 0 {
            unsuspend_write(b, SUSPEND_BW);
        } else {
            again = true;
        }
    }
    if again {
        // A bucket that went far below zero needs more than one tick.
        let t = cfg.tick_timeout;
        ev::add(refill_event(b), Some(&t));
    }
    unlock(b);
}

unsafe fn ensure_state(b: *mut Bev) -> *mut RateLimit {
    if (*b).p.rate.is_null() {
        let rl = Box::into_raw(Box::new(RateLimit {
            group: ptr::null_mut(),
            limit: Bucket::default(),
            cfg: ptr::null(),
            // SAFETY: all-zero is a "not initialised" event, assigned below.
            refill: std::mem::zeroed(),
        }));
        (*b).p.rate = rl;
        ev::assign(ptr::addr_of_mut!((*rl).refill), (*b).ev_base, -1, EV_FINALIZE, Some(refill_cb), b as *mut c_void);
    }
    (*b).p.rate
}

/// bufferevent_set_rate_limit(): NULL removes the bufferevent's own limit.
///
/// # Safety
/// `b` is a live bufferevent; `cfg` is NULL or from `cfg_new`, alive while used.
pub unsafe fn set_rate_limit(b: *mut Bev, cfg: *const TokenBucketCfg) -> c_int {
    lock(b);
    if cfg.is_null() {
        let rl = (*b).p.rate;
        if !rl.is_null() {
            (*rl).cfg = ptr::null();
            unsuspend_read(b, SUSPEND_BW);
            unsuspend_write(b, SUSPEND_BW);
            ev::del(refill_event(b), DelMode::NoBlock);
        }
        unlock(b);
        return 0;
    }
    if !(*b).p.rate.is_null() && (*(*b).p.rate).cfg == cfg {
        unlock(b);
        return 0;
    }
    let tick = tick_of(now_of(b), &*cfg);
    let rl = ensure_state(b);
    let reinit = !(*rl).cfg.is_null();
    (*rl).cfg = cfg;
    bucket_init(&mut (*rl).limit, &*cfg, tick, reinit);
    if reinit {
        ev::del(refill_event(b), DelMode::NoBlock);
    }
    let mut suspended = false;
    if (*rl).limit.read_limit > 0 {
        unsuspend_read(b, SUSPEND_BW);
    } else {
        suspend_read(b, SUSPEND_BW);
        suspended = true;
    }
    if (*rl).limit.write_limit > 0 {
        unsuspend_write(b, SUSPEND_BW);
    } else {
        suspend_write(b, SUSPEND_BW);
        suspended = true;
    }
    if suspended {
        let t = (*cfg).tick_timeout;
        ev::add(refill_event(b), Some(&t));
    }
    unlock(b);
    0
}

/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn get_cfg(b: *mut Bev) -> *const TokenBucketCfg {
    lock(b);
    let c = if (*b).p.rate.is_null() { ptr::null() } else { (*(*b).p.rate).cfg };
    unlock(b);
    c
}

/// The bufferevent's own bucket (read or write), or EV_SSIZE_MAX without one.
///
/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn get_limit(b: *mut Bev, is_write: bool) -> isize {
    lock(b);
    let rl = (*b).p.rate;
    let r = if !rl.is_null() && !(*rl).cfg.is_null() {
        update_buckets(b);
        if is_write {
            (*rl).limit.write_limit
        } else {
            (*rl).limit.read_limit
        }
    } else {
        isize::MAX
    };
    unlock(b);
    r
}

/// bufferevent_decrement_read_limit() / _write_limit(): only on a bufferevent with a limit.
///
/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn decrement_limit(b: *mut Bev, decr: isize, is_write: bool) -> c_int {
    lock(b);
    let rl = (*b).p.rate;
    if rl.is_null() || (*rl).cfg.is_null() {
        unlock(b);
        return -1;
    }
    let mut r = 0;
    let limit = if is_write { &mut (*rl).limit.write_limit } else { &mut (*rl).limit.read_limit };
    let old = *limit;
    *limit -= decr;
    let new = *limit;
    if old > 0 && new <= 0 {
        suspend_dir(b, is_write, SUSPEND_BW);
        let t = (*(*rl).cfg).tick_timeout;
        if ev::add(refill_event(b), Some(&t)) < 0 {
            r = -1;
        }
    } else if old <= 0 && new > 0 {
        let other = if is_write { (*b).p.read_suspended } else { (*b).p.write_suspended };
        if other & SUSPEND_BW == 0 {
            ev::del(refill_event(b), DelMode::NoBlock);
        }
        unsuspend_dir(b, is_write, SUSPEND_BW);
    }
    unlock(b);
    r
}

/// bufferevent_set_max_single_read() / _write(): 0 or too large means the default.
///
/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn set_max_single(b: *mut Bev, size: usize, is_write: bool) -> c_int {
    lock(b);
    let v = if size == 0 || size > isize::MAX as usize { MAX_SINGLE_DEFAULT } else { size as isize };
    if is_write {
        (*b).p.max_single_write = v;
    } else {
        (*b).p.max_single_read = v;
    }
    unlock(b);
    0
}

/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn get_max_single(b: *mut Bev, is_write: bool) -> isize {
    lock(b);
    let v = if is_write { (*b).p.max_single_write } else { (*b).p.max_single_read };
    unlock(b);
    v
}

/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn get_max_to(b: *mut Bev, is_write: bool) -> isize {
    lock(b);
    let v = rlim_max(b, is_write);
    unlock(b);
    v
}

/// Stops the refill timer as the bufferevent is freed.
///
/// # Safety
/// `b` is a bufferevent whose last reference just went; its lock is held.
pub unsafe fn cancel_refill(b: *mut Bev) {
    let e = refill_event(b);
    ev::del(e, DelMode::NoBlock);
}

/// Leaves the group and releases the state, as the bufferevent is destroyed.
///
/// # Safety
/// `b` is a bufferevent being destroyed.
pub unsafe fn destroy(b: *mut Bev) {
    if !(*(*b).p.rate).group.is_null() {
        remove_from_group(b, false);
    }
    ev::teardown(refill_event(b));
    drop(Box::from_raw((*b).p.rate));
    (*b).p.rate = ptr::null_mut();
}

// ---- groups -----------------------------------------------------------------------------------

/// bufferevent_rate_limit_group_new(): the group's bucket refills every tick, from a timer that
/// stays on the base (and keeps its loop running) until the group is freed.
///
/// # Safety
/// `base` is alive; `cfg` is a valid configuration.
pub unsafe fn group_new(base: *mut EventBase, cfg: &TokenBucketCfg) -> *mut Group {
    let now = ev::now_us(base);
    let tick = tick_of(now, cfg);
    let g = Box::into_raw(Box::new(Group {
        members: Vec::new(),
        limit: Bucket::default(),
        cfg: *cfg,
        read_suspended: false,
        write_suspended: false,
        pending_unsuspend_read: false,
        pending_unsuspend_write: false,
        total_read: 0,
        total_written: 0,
        min_share: 0,
        configured_min_share: 0,
        // SAFETY: all-zero is a "not initialised" event, assigned below.
        master_refill: std::mem::zeroed(),
        lock: sync::lock_new(),
        rng: (now as u32) ^ (base as usize as u32) | 1,
    }));
    bucket_init(&mut (*g).limit, cfg, tick, false);
    let e = ptr::addr_of_mut!((*g).master_refill);
    ev::assign(e, base, -1, EV_PERSIST | EV_FINALIZE, Some(group_refill_cb), g as *mut c_void);
    let t = cfg.tick_timeout;
    ev::add(e, Some(&t));
    group_set_min_share(g, 64);
    g
}

/// # Safety
/// `g` is a live group.
pub unsafe fn group_set_cfg(g: *mut Group, cfg: &TokenBucketCfg) -> c_int {
    sync::lock((*g).lock);
    let same_tick = (*g).cfg.tick_timeout.tv_sec == cfg.tick_timeout.tv_sec
        && (*g).cfg.tick_timeout.tv_usec == cfg.tick_timeout.tv_usec;
    (*g).cfg = *cfg;
    (*g).limit.read_limit = (*g).limit.read_limit.min(cfg.read_maximum as isize);
    (*g).limit.write_limit = (*g).limit.write_limit.min(cfg.write_maximum as isize);
    if !same_tick {
        let t = cfg.tick_timeout;
        ev::add(ptr::addr_of_mut!((*g).master_refill), Some(&t));
    }
    group_set_min_share(g, (*g).configured_min_share);
    sync::unlock((*g).lock);
    0
}

/// The least a member may move at once, whatever its even share; never above one tick's rate.
///
/// # Safety
/// `g` is a live group.
pub unsafe fn group_set_min_share(g: *mut Group, share: usize) -> c_int {
    if share > isize::MAX as usize {
        return -1;
    }
    (*g).configured_min_share = share;
    (*g).min_share = share.min((*g).cfg.read_rate).min((*g).cfg.write_rate) as isize;
    0
}

/// bufferevent_rate_limit_group_free(): the members must have left (libevent asserts it; a
/// group with members is refused with a warning here).
///
/// # Safety
/// `g` is a live group.
pub unsafe fn group_free(g: *mut Group) {
    sync::lock((*g).lock);
    if !(*g).members.is_empty() {
        log::warnx("bufferevent_rate_limit_group_free: the group still has members");
        sync::unlock((*g).lock);
        return;
    }
    let e = ptr::addr_of_mut!((*g).master_refill);
    ev::del(e, DelMode::NoBlock);
    ev::teardown(e);
    sync::unlock((*g).lock);
    sync::lock_free((*g).lock);
    drop(Box::from_raw(g));
}

/// A cheap pseudo-random start, so that no member is always the first to resume.
unsafe fn next_random(g: *mut Group) -> u32 {
    let mut x = (*g).rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    (*g).rng = x;
    x
}

/// Suspends every member we can lock now; the others notice when they next look at the group.
unsafe fn group_suspend(g: *mut Group, is_write: bool) {
    if is_write {
        (*g).write_suspended = true;
        (*g).pending_unsuspend_write = false;
    } else {
        (*g).read_suspended = true;
        (*g).pending_unsuspend_read = false;
    }
    for &m in (*g).members.clone().iter() {
        if sync::try_lock((*m).p.lock) {
            suspend_dir(m, is_write, SUSPEND_BW_GROUP);
            sync::unlock((*m).p.lock);
        }
    }
}

/// Resumes the members, starting at a random one; a member we cannot lock now is retried at
/// the next tick.
unsafe fn group_unsuspend(g: *mut Group, is_write: bool) {
    if is_write {
        (*g).write_suspended = false;
    } else {
        (*g).read_suspended = false;
    }
    let members = (*g).members.clone();
    let mut again = false;
    if !members.is_empty() {
        let start = next_random(g) as usize % members.len();
        for i in 0..members.len() {
            let m = members[(start + i) % members.len()];
            if sync::try_lock((*m).p.lock) {
                unsuspend_dir(m, is_write, SUSPEND_BW_GROUP);
                sync::unlock((*m).p.lock);
            } else {
                again = true;
            }
        }
    }
    if is_write {
        (*g).pending_unsuspend_write = again;
    } else {
        (*g).pending_unsuspend_read = again;
    }
}

unsafe extern "C" fn group_refill_cb(_fd: c_int, _what: c_short, arg: *mut c_void) {
    let g = arg as *mut Group;
    let now = ev::now_us((*g).master_refill.base);
    sync::lock((*g).lock);
    let tick = tick_of(now, &(*g).cfg);
    let cfg = (*g).cfg;
    bucket_update(&mut (*g).limit, &cfg, tick);
    if (*g).pending_unsuspend_read || ((*g).read_suspended && (*g).limit.read_limit >= (*g).min_share) {
        group_unsuspend(g, false);
    }
    if (*g).pending_unsuspend_write || ((*g).write_suspended && (*g).limit.write_limit >= (*g).min_share) {
        group_unsuspend(g, true);
    }
    sync::unlock((*g).lock);
}

/// bufferevent_add_to_rate_limit_group(): leaves any other group first.
///
/// # Safety
/// `b` is a live bufferevent, `g` a live group.
pub unsafe fn add_to_group(b: *mut Bev, g: *mut Group) -> c_int {
    lock(b);
    let rl = ensure_state(b);
    if (*rl).group == g {
        unlock(b);
        return 0;
    }
    if !(*rl).group.is_null() {
        remove_from_group(b, true);
    }
    sync::lock((*g).lock);
    (*rl).group = g;
    (*g).members.insert(0, b);
    let (rs, ws) = ((*g).read_suspended, (*g).write_suspended);
    sync::unlock((*g).lock);
    if rs {
        suspend_read(b, SUSPEND_BW_GROUP);
    }
    if ws {
        suspend_write(b, SUSPEND_BW_GROUP);
    }
    unlock(b);
    0
}

/// bufferevent_remove_from_rate_limit_group() (`unsuspend`: resume what the group held back).
///
/// # Safety
/// `b` is a live bufferevent.
pub unsafe fn remove_from_group(b: *mut Bev, unsuspend: bool) -> c_int {
    lock(b);
    let rl = (*b).p.rate;
    if !rl.is_null() && !(*rl).group.is_null() {
        let g = (*rl).group;
        sync::lock((*g).lock);
        (*rl).group = ptr::null_mut();
        (*g).members.retain(|&m| m != b);
        sync::unlock((*g).lock);
    }
    if unsuspend {
        unsuspend_read(b, SUSPEND_BW_GROUP);
        unsuspend_write(b, SUSPEND_BW_GROUP);
    }
    unlock(b);
    0
}

/// # Safety
/// `g` is a live group.
pub unsafe fn group_get_limit(g: *mut Group, is_write: bool) -> isize {
    sync::lock((*g).lock);
    let r = if is_write { (*g).limit.write_limit } else { (*g).limit.read_limit };
    sync::unlock((*g).lock);
    r
}

/// bufferevent_rate_limit_group_decrement_read() / _write().
///
/// # Safety
/// `g` is a live group.
pub unsafe fn group_decrement(g: *mut Group, decr: isize, is_write: bool) -> c_int {
    sync::lock((*g).lock);
    let limit = if is_write { &mut (*g).limit.write_limit } else { &mut (*g).limit.read_limit };
    let old = *limit;
    *limit -= decr;
    let new = *limit;
    if old > 0 && new <= 0 {
        group_suspend(g, is_write);
    } else if old <= 0 && new > 0 {
        group_unsuspend(g, is_write);
    }
    sync::unlock((*g).lock);
    0
}

/// # Safety
/// `g` is a live group.
pub unsafe fn group_totals(g: *mut Group) -> (u64, u64) {
    ((*g).total_read, (*g).total_written)
}

/// # Safety
/// `g` is a live group.
pub unsafe fn group_reset_totals(g: *mut Group) {
    (*g).total_read = 0;
    (*g).total_written = 0;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(rate: usize, burst: usize, tick_ms: i64) -> TokenBucketCfg {
        let p = cfg_new(
            rate,
            burst,
            rate,
            burst,
            Some(&timeval { tv_sec: tick_ms / 1000, tv_usec: (tick_ms % 1000) * 1000 }),
        );
        assert!(!p.is_null());
        // SAFETY: p was just made by cfg_new and is freed once here.
        let c = unsafe { *p };
        unsafe { cfg_free(p) };
        c
    }

    #[test]
    fn configurations_refused() {
        assert!(cfg_new(0, 10, 1, 10, None).is_null());
        assert!(cfg_new(11, 10, 1, 10, None).is_null());
        assert!(cfg_new(1, 10, 1, RATE_LIMIT_MAX + 1, None).is_null());
        let c = cfg(10, 20, 250);
        assert_eq!(c.msec_per_tick, 250);
        assert_eq!(tick_of(1_000_000, &c), 4);
    }

    #[test]
    fn buckets_refill_up_to_the_burst() {
        let c = cfg(100, 250, 1000);
        let mut b = Bucket::default();
        bucket_init(&mut b, &c, 7, false);
        assert_eq!((b.read_limit, b.write_limit, b.last_updated), (100, 100, 7));
        b.read_limit = -150;
        bucket_update(&mut b, &c, 8);
        assert_eq!(b.read_limit, -50);
        assert_eq!(b.write_limit, 200);
        bucket_update(&mut b, &c, 8); // same tick: nothing
        assert_eq!(b.read_limit, -50);
        bucket_update(&mut b, &c, 1_000_000); // many ticks: capped, no overflow
        assert_eq!(b.read_limit, 250);
        assert_eq!(b.write_limit, 250);
        bucket_update(&mut b, &c, 5); // time going back: ignored
        assert_eq!(b.last_updated, 1_000_000);
        // A smaller configuration only clips.
        let small = cfg(10, 20, 1000);
        bucket_init(&mut b, &small, 0, true);
        assert_eq!((b.read_limit, b.last_updated), (20, 1_000_000));
    }
}
