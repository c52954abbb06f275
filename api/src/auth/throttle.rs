//! Login throttling: after too many failed sign-ins for one username, or from one
//! address, further attempts are refused for a while, with the same answer as a
//! wrong password. `login` and `changePassword` count against the same limits.
//! Kept in the process's memory: behind a load balancer each instance counts on
//! its own (the limit then applies per instance), and the address is the one
//! the trusted proxy header names (`TRUSTED_PROXY_HEADER`, see `client_addr`).
//!
//! The memory is bounded: at most `MAX_ENTRIES` counters, a username's key is
//! cut to `MAX_KEY_CHARS` (no real username is longer), and when the map is
//! full the expired counters go first, then the oldest one that locks nothing,
//! and only then the oldest lock; so a flood of made-up usernames neither grows
//! the map nor flushes out the locks it is meant to keep.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// Failures for one username before it is locked.
pub const USER_LIMIT: u32 = 5;
/// Failures from one address before it is locked (several users may share one).
pub const ADDRESS_LIMIT: u32 = 20;
pub const LOCK: Duration = Duration::from_secs(15 * 60);
/// Counters kept at most (usernames and addresses together): about 1 MB.
pub const MAX_ENTRIES: usize = 10_000;
/// Usernames are at most 60 characters (`users.rs`); longer ones are cut to this
/// for their key, so a megabyte-long "username" costs no megabyte of memory.
const MAX_KEY_CHARS: usize = 64;

#[derive(Default)]
pub struct LoginThrottle {
    entries: Mutex<HashMap<String, Entry>>,
}

#[derive(Clone, Copy)]
struct Entry {
    failures: u32,
    last: Instant,
    limit: u32,
}

fn user_key(username: &str) -> String {
    let name: String = username
        .trim()
        .chars()
        .take(MAX_KEY_CHARS)
        .flat_map(char::to_lowercase)
        .collect();
    format!("user:{name}")
}

fn keys(username: &str, addr: Option<IpAddr>) -> Vec<(String, u32)> {
    let mut keys = vec![(user_key(username), USER_LIMIT)];
    if let Some(a) = addr {
        keys.push((format!("addr:{a}"), ADDRESS_LIMIT));
    }
    keys
}

impl LoginThrottle {
    /// The map, also after a panic elsewhere held the lock: the counters are
    /// plain numbers, never half-written, and failing open would lift the limits.
    fn entries(&self) -> MutexGuard<'_, HashMap<String, Entry>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts a sign-in attempt: false while the username or the address is
    /// locked; else the attempt is counted as a failure right away (until
    /// `succeeded` takes it back), so that many attempts started at once, each
    /// waiting for its turn at argon2, cannot all pass the check before the
    /// first of them has failed.
    pub fn begin(&self, username: &str, addr: Option<IpAddr>, now: Instant) -> bool {
        let mut entries = self.entries();
        if !allows(&mut entries, username, addr, now) {
            return false;
        }
        count_failure(&mut entries, username, addr, now);
        true
    }

    /// False while the username or the address is locked.
    pub fn allows(&self, username: &str, addr: Option<IpAddr>, now: Instant) -> bool {
        allows(&mut self.entries(), username, addr, now)
    }

    pub fn failed(&self, username: &str, addr: Option<IpAddr>, now: Instant) {
        count_failure(&mut self.entries(), username, addr, now);
    }

    /// A successful sign-in clears the username's count, and takes back the
    /// address's count of this attempt (`begin` counted it as a failure).
    pub fn succeeded(&self, username: &str, addr: Option<IpAddr>) {
        let mut entries = self.entries();
        entries.remove(&user_key(username));
        if let Some(a) = addr {
            let key = format!("addr:{a}");
            if let Some(e) = entries.get_mut(&key) {
                e.failures = e.failures.saturating_sub(1);
                if e.failures == 0 {
                    entries.remove(&key);
                }
            }
        }
    }

    /// How many counters are kept (for tests).
    pub fn len(&self) -> usize {
        self.entries().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn allows(
    entries: &mut HashMap<String, Entry>,
    username: &str,
    addr: Option<IpAddr>,
    now: Instant,
) -> bool {
    entries.retain(|_, e| now.duration_since(e.last) < LOCK);
    keys(username, addr)
        .iter()
        .all(|(k, limit)| entries.get(k).is_none_or(|e| e.failures < *limit))
}

fn count_failure(
    entries: &mut HashMap<String, Entry>,
    username: &str,
    addr: Option<IpAddr>,
    now: Instant,
) {
    for (k, limit) in keys(username, addr) {
        if !entries.contains_key(&k) && entries.len() >= MAX_ENTRIES {
            make_room(entries, now);
        }
        let e = entries.entry(k).or_insert(Entry {
            failures: 0,
            last: now,
            limit,
        });
        e.failures = e.failures.saturating_add(1);
        e.last = now;
    }
}

/// Frees at least one place in a full map: the expired counters, else the
/// oldest counter that locks nothing yet, else the oldest lock.
fn make_room(entries: &mut HashMap<String, Entry>, now: Instant) {
    entries.retain(|_, e| now.duration_since(e.last) < LOCK);
    if entries.len() < MAX_ENTRIES {
        return;
    }
    let oldest = |locking: bool| {
        entries
            .iter()
            .filter(|(_, e)| (e.failures >= e.limit) == locking)
            .min_by_key(|(_, e)| e.last)
            .map(|(k, _)| k.clone())
    };
    if let Some(k) = oldest(false).or_else(|| oldest(true)) {
        entries.remove(&k);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_lock_a_username_for_fifteen_minutes() {
        let t = LoginThrottle::default();
        let t0 = Instant::now();
        for _ in 0..USER_LIMIT {
            assert!(t.allows("Admin", None, t0));
            t.failed("admin", None, t0);
        }
        assert!(!t.allows("admin", None, t0 + Duration::from_secs(60)));
        assert!(t.allows("someone-else", None, t0));
        // Fifteen minutes after the last failure the lock is gone.
        assert!(t.allows("admin", None, t0 + LOCK));
    }

    #[test]
    fn twenty_failures_lock_an_address_for_every_username() {
        let t = LoginThrottle::default();
        let (t0, addr) = (Instant::now(), Some(IpAddr::from([10, 0, 0, 7])));
        for n in 0..ADDRESS_LIMIT {
            t.failed(&format!("user{n}"), addr, t0);
        }
        assert!(!t.allows("fresh-user", addr, t0));
        assert!(t.allows("fresh-user", None, t0));
    }

    #[test]
    fn attempts_started_at_once_count_before_they_finish() {
        let t = LoginThrottle::default();
        let (t0, addr) = (Instant::now(), Some(IpAddr::from([10, 0, 0, 7])));
        // Thirty guesses start together; only the first five get to try.
        let started = (0..30).filter(|_| t.begin("admin", addr, t0)).count();
        assert_eq!(started, USER_LIMIT as usize);
        assert!(!t.allows("admin", None, t0));
    }

    #[test]
    fn a_success_clears_the_username_and_takes_back_its_address_count() {
        let t = LoginThrottle::default();
        let (t0, addr) = (Instant::now(), Some(IpAddr::from([10, 0, 0, 7])));
        for n in 0..ADDRESS_LIMIT - 1 {
            assert!(t.begin(&format!("user{n}"), addr, t0));
        }
        // Colleagues behind one address sign in: each success is taken back.
        for _ in 0..10 {
            assert!(t.begin("colleague", addr, t0));
            t.succeeded("colleague", addr);
        }
        assert!(t.allows("someone", addr, t0));
        assert!(t.begin("someone", addr, t0));
        assert!(!t.allows("anyone", addr, t0));
    }

    #[test]
    fn the_map_is_capped_and_a_flood_of_usernames_keeps_the_locks() {
        let t = LoginThrottle::default();
        let t0 = Instant::now();
        for _ in 0..USER_LIMIT {
            t.failed("admin", None, t0);
        }
        // More made-up usernames than the cap, each failing once, later.
        let flood = MAX_ENTRIES + 500;
        for n in 0..flood {
            let at = t0 + Duration::from_millis(1 + n as u64);
            t.failed(&format!("flood-{n}"), None, at);
        }
        assert_eq!(t.len(), MAX_ENTRIES);
        assert!(!t.allows("admin", None, t0 + Duration::from_secs(20)));
        // The newest counters are kept, the oldest unlocked ones went.
        let entries = t.entries();
        assert!(entries.contains_key(&format!("user:flood-{}", flood - 1)));
        assert!(!entries.contains_key("user:flood-0"));
    }

    #[test]
    fn expired_counters_make_room_first() {
        let t = LoginThrottle::default();
        let t0 = Instant::now();
        for n in 0..MAX_ENTRIES {
            t.failed(&format!("old-{n}"), None, t0);
        }
        t.failed("new", None, t0 + LOCK);
        assert_eq!(t.len(), 1);
    }

    #[test]
    fn a_huge_username_costs_a_short_key() {
        let t = LoginThrottle::default();
        let t0 = Instant::now();
        let huge = "x".repeat(1 << 20);
        for _ in 0..USER_LIMIT {
            t.failed(&huge, None, t0);
        }
        assert!(!t.allows(&huge, None, t0));
        let longest = t
            .entries
            .lock()
            .expect("lock")
            .keys()
            .map(String::len)
            .max();
        assert_eq!(longest, Some("user:".len() + MAX_KEY_CHARS));
    }
}
