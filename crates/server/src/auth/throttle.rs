//! Login throttling, in memory: per client address and user name an exponential delay after
//! a few failures, and per address a budget of failures in a window. A wrong password from one
//! address never delays the same user logging in from another, so nobody can lock a user out.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Delay after the first failure past the free ones; it doubles with each further failure.
const FIRST_DELAY: Duration = Duration::from_secs(30);
/// Entries kept before expired ones are pruned.
const PRUNE_AT: usize = 10_000;

/// The key of a user name: lower case, at most 64 characters (the longest valid name), so
/// that huge attempted names cost no memory.
fn name_key(username: &str) -> String {
    username.chars().take(64).collect::<String>().to_lowercase()
}

/// Limits of the throttle.
#[derive(Debug, Clone, Copy)]
pub struct ThrottleLimits {
    /// Failures per (address, user name) before delays start.
    pub free_failures: u32,
    /// Failures per address within `window` before the address is refused.
    pub per_address: u32,
    /// Window of the per-address budget, and the longest delay.
    pub window: Duration,
}

#[derive(Debug, Clone, Copy)]
struct Count {
    failures: u32,
    since: Instant,
    last: Instant,
}

/// Failed logins by (address, user name) and by address.
#[derive(Debug)]
pub struct LoginThrottle {
    limits: ThrottleLimits,
    state: Mutex<Counts>,
}

#[derive(Debug, Default)]
struct Counts {
    pairs: HashMap<(Option<IpAddr>, String), Count>,
    addresses: HashMap<Option<IpAddr>, Count>,
}

/// Why a login is refused for now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Throttled {
    /// Too many failures for this user name from this address: wait this long.
    Pair(Duration),
    /// Too many failures from this address: wait this long.
    Address(Duration),
}

impl LoginThrottle {
    /// An empty throttle.
    pub fn new(limits: ThrottleLimits) -> Self {
        LoginThrottle {
            limits,
            state: Mutex::new(Counts::default()),
        }
    }

    fn delay(&self, failures: u32) -> Duration {
        if failures < self.limits.free_failures {
            return Duration::ZERO;
        }
        let past = failures - self.limits.free_failures;
        FIRST_DELAY
            .checked_mul(1 << past.min(16))
            .unwrap_or(self.limits.window)
            .min(self.limits.window)
    }

    /// Whether a login of `username` from `address` may be tried at `now`.
    pub fn check(
        &self,
        address: Option<IpAddr>,
        username: &str,
        now: Instant,
    ) -> Result<(), Throttled> {
        let counts = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(a) = counts.addresses.get(&address) {
            let ends = a.since + self.limits.window;
            if a.failures >= self.limits.per_address && now < ends {
                return Err(Throttled::Address(ends - now));
            }
        }
        if let Some(p) = counts.pairs.get(&(address, name_key(username))) {
            let until = p.last + self.delay(p.failures);
            if now < until {
                return Err(Throttled::Pair(until - now));
            }
        }
        Ok(())
    }

    /// Counts a failed login.
    pub fn failure(&self, address: Option<IpAddr>, username: &str, now: Instant) {
        let window = self.limits.window;
        let mut counts = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if counts.pairs.len() + counts.addresses.len() > PRUNE_AT {
            let longest = self.delay(u32::MAX);
            counts
                .pairs
                .retain(|_, c| now < c.last + longest.max(window));
            counts.addresses.retain(|_, c| now < c.since + window);
        }
        let fresh = Count {
            failures: 0,
            since: now,
            last: now,
        };
        let a = counts.addresses.entry(address).or_insert(fresh);
        if now >= a.since + window {
            *a = fresh;
        }
        a.failures += 1;
        a.last = now;
        let p = counts
            .pairs
            .entry((address, name_key(username)))
            .or_insert(fresh);
        p.failures += 1;
        p.last = now;
    }

    /// Clears the failures of `username` from `address` after a successful login.
    pub fn success(&self, address: Option<IpAddr>, username: &str) {
        let mut counts = self.state.lock().unwrap_or_else(|e| e.into_inner());
        counts.pairs.remove(&(address, name_key(username)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle() -> LoginThrottle {
        LoginThrottle::new(ThrottleLimits {
            free_failures: 3,
            per_address: 10,
            window: Duration::from_secs(900),
        })
    }

    #[test]
    fn delays_grow_per_address_and_name_and_end() {
        let t = throttle();
        let (a, b) = (Some(IpAddr::from([10, 0, 0, 1])), None);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(t.check(a, "viewer", t0), Ok(()));
            t.failure(a, "viewer", t0);
        }
        assert_eq!(t.check(a, "Viewer", t0), Err(Throttled::Pair(FIRST_DELAY)));
        // Another address, another name: unaffected.
        assert_eq!(t.check(b, "viewer", t0), Ok(()));
        assert_eq!(t.check(a, "admin", t0), Ok(()));
        let later = t0 + FIRST_DELAY;
        assert_eq!(t.check(a, "viewer", later), Ok(()));
        t.failure(a, "viewer", later);
        assert_eq!(
            t.check(a, "viewer", later),
            Err(Throttled::Pair(FIRST_DELAY * 2))
        );
        t.success(a, "viewer");
        assert_eq!(t.check(a, "viewer", later), Ok(()));
        assert_eq!(t.delay(u32::MAX), Duration::from_secs(900), "capped");
        assert_eq!(
            name_key(&"A".repeat(1 << 20)).len(),
            64,
            "huge names cost no memory"
        );
    }

    #[test]
    fn an_address_has_a_budget_across_names() {
        let t = throttle();
        let a = Some(IpAddr::from([10, 0, 0, 2]));
        let t0 = Instant::now();
        for i in 0..10 {
            t.failure(a, &format!("user{i}"), t0);
        }
        assert!(matches!(
            t.check(a, "other", t0),
            Err(Throttled::Address(_))
        ));
        assert_eq!(t.check(None, "other", t0), Ok(()));
        assert_eq!(t.check(a, "other", t0 + Duration::from_secs(900)), Ok(()));
    }
}
