//! Login throttling: after too many failed sign-ins for one username, or from one
//! address, further attempts are refused for a while, with the same answer as a
//! wrong password. Kept in the process's memory: behind a load balancer each
//! instance counts on its own (the limit then applies per instance).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures for one username before it is locked.
pub const USER_LIMIT: u32 = 5;
/// Failures from one address before it is locked (several users may share one).
pub const ADDRESS_LIMIT: u32 = 20;
pub const LOCK: Duration = Duration::from_secs(15 * 60);

#[derive(Default)]
pub struct LoginThrottle {
    entries: Mutex<HashMap<String, Entry>>,
}

#[derive(Clone, Copy)]
struct Entry {
    failures: u32,
    last: Instant,
}

fn keys(username: &str, addr: Option<IpAddr>) -> Vec<(String, u32)> {
    let mut keys = vec![(
        format!("user:{}", username.trim().to_lowercase()),
        USER_LIMIT,
    )];
    if let Some(a) = addr {
        keys.push((format!("addr:{a}"), ADDRESS_LIMIT));
    }
    keys
}

impl LoginThrottle {
    /// False while the username or the address is locked.
    pub fn allows(&self, username: &str, addr: Option<IpAddr>, now: Instant) -> bool {
        let Ok(mut entries) = self.entries.lock() else {
            return true;
        };
        entries.retain(|_, e| now.duration_since(e.last) < LOCK);
        keys(username, addr)
            .iter()
            .all(|(k, limit)| entries.get(k).is_none_or(|e| e.failures < *limit))
    }

    pub fn failed(&self, username: &str, addr: Option<IpAddr>, now: Instant) {
        if let Ok(mut entries) = self.entries.lock() {
            for (k, _) in keys(username, addr) {
                let e = entries.entry(k).or_insert(Entry {
                    failures: 0,
                    last: now,
                });
                e.failures += 1;
                e.last = now;
            }
        }
    }

    /// A successful sign-in clears the username's count (not the address's).
    pub fn succeeded(&self, username: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(&format!("user:{}", username.trim().to_lowercase()));
        }
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
}
