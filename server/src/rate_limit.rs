//! Per-client-IP rate limits for public and credential-checking mutations, and a per-account
//! limit on sign-in attempts.

use std::{
    collections::HashMap,
    net::IpAddr,
    num::NonZeroU32,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::{AppError, AppResult};

/// A per-IP limit of N calls a minute; `None` (configured as 0) lets everything through.
#[derive(Clone)]
pub struct PerMinute(Option<Arc<DefaultKeyedRateLimiter<IpAddr>>>);

impl PerMinute {
    pub fn new(per_minute: u32) -> Self {
        Self(
            NonZeroU32::new(per_minute).map(|n| Arc::new(RateLimiter::keyed(Quota::per_minute(n)))),
        )
    }

    pub fn check(&self, ip: IpAddr) -> AppResult<()> {
        match &self.0 {
            Some(limiter) if limiter.check_key(&client_key(ip)).is_err() => {
                Err(AppError::RateLimited)
            }
            _ => Ok(()),
        }
    }

    /// Forgets clients whose budget has refilled, so memory follows active clients only.
    pub fn forget_idle(&self) {
        if let Some(limiter) = &self.0 {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

/// Whom a budget belongs to: an IPv4 address, or an IPv6 /64 — one subscriber's network, in
/// which a client can pick a fresh address for every request.
pub(crate) fn client_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6((u128::from(v6) & !u128::from(u64::MAX)).into()),
        v4 => v4,
    }
}

/// How long an address that signed in to an account stays exempt from that account's limit.
const KNOWN_ADDRESS_FOR: Duration = Duration::from_secs(30 * 86_400);
/// Addresses remembered per account (the most recent ones).
const KNOWN_ADDRESSES_PER_ACCOUNT: usize = 16;

/// Sign-in attempts per account a minute, whatever address they come from, so spreading a
/// password guess over many addresses does not multiply the per-IP budget.
///
/// An address that has signed in to the account successfully before is exempt (it still has
/// its per-IP budget): otherwise anybody could lock the owner out by guessing at the owner's
/// email. Only a correct password adds an address, so an attacker cannot exempt themselves.
/// A sign-in a browser's device token vouches for (`auth::DeviceKeys`) spends that token's own
/// budget instead: the addresses are remembered in memory only, and an owner's address
/// changes.
/// Refusals come before the password is checked, for any email, known or not: they reveal
/// nothing about the account and cost the same.
#[derive(Clone)]
pub struct AccountLogins {
    limiter: Option<Arc<DefaultKeyedRateLimiter<String>>>,
    known: Arc<Mutex<KnownAddresses>>,
}

/// Per account: the addresses that signed in to it, and when.
type KnownAddresses = HashMap<String, Vec<(IpAddr, Instant)>>;

impl AccountLogins {
    pub fn new(per_minute: u32) -> Self {
        Self {
            limiter: NonZeroU32::new(per_minute)
                .map(|n| Arc::new(RateLimiter::keyed(Quota::per_minute(n)))),
            known: Arc::default(),
        }
    }

    fn known(&self) -> std::sync::MutexGuard<'_, KnownAddresses> {
        self.known
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Before checking a password for `account` (a normalized email) from `ip`; `vouching`:
    /// the browser's device token, checked to be for this account. A vouched sign-in spends a
    /// budget of that token's own, as large as the account's: the account's may be used up by
    /// others' guesses, and a token that leaked buys one browser's attempts, no more.
    pub fn check(&self, account: &str, ip: IpAddr, vouching: Option<&str>) -> AppResult<()> {
        let Some(limiter) = &self.limiter else {
            return Ok(());
        };
        let key = client_key(ip);
        let known = self.known().get(account).is_some_and(|addresses| {
            addresses
                .iter()
                .any(|(address, at)| *address == key && at.elapsed() < KNOWN_ADDRESS_FOR)
        });
        let budget = match vouching {
            // A token's signature (its last part) tells it from every other.
            Some(token) => format!(
                "{account} device {}",
                token.rsplit('.').next().unwrap_or("")
            ),
            None => account.to_owned(),
        };
        if known || limiter.check_key(&budget).is_ok() {
            Ok(())
        } else {
            Err(AppError::RateLimited)
        }
    }

    /// After a correct password: `ip` is now one of the account's own addresses.
    pub fn signed_in(&self, account: &str, ip: IpAddr) {
        let key = client_key(ip);
        let mut known = self.known();
        let addresses = known.entry(account.to_owned()).or_default();
        addresses.retain(|(address, at)| *address != key && at.elapsed() < KNOWN_ADDRESS_FOR);
        if addresses.len() >= KNOWN_ADDRESSES_PER_ACCOUNT {
            addresses.remove(0);
        }
        addresses.push((key, Instant::now()));
    }

    pub fn forget_idle(&self) {
        if let Some(limiter) = &self.limiter {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

#[derive(Clone)]
pub struct RateLimits {
    pub logins: PerMinute,
    pub account_logins: AccountLogins,
    pub orders: PerMinute,
    pub metrics: PerMinute,
}

impl RateLimits {
    pub fn forget_idle(&self) {
        self.logins.forget_idle();
        self.account_logins.forget_idle();
        self.orders.forget_idle();
        self.metrics.forget_idle();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_limit_spans_addresses_but_spares_the_owners() {
        let limit = AccountLogins::new(3);
        let owner: IpAddr = "192.0.2.1".parse().unwrap();
        limit.signed_in("owner@example.com", owner);
        let attackers: Vec<IpAddr> = (10..14)
            .map(|i| format!("198.51.100.{i}").parse().unwrap())
            .collect();
        let allowed = attackers
            .iter()
            .cycle()
            .take(40)
            .filter(|ip| limit.check("owner@example.com", **ip, None).is_ok())
            .count();
        assert_eq!(allowed, 3);
        // The owner's own address is not locked out; other accounts are untouched.
        assert!(limit.check("owner@example.com", owner, None).is_ok());
        assert!(limit.check("other@example.com", attackers[0], None).is_ok());
        // From a new address, the owner's browser vouched for by its device token gets in, on
        // that token's own budget: three a minute, as the account's.
        let travelling: IpAddr = "203.0.113.5".parse().unwrap();
        assert!(limit.check("owner@example.com", travelling, None).is_err());
        let vouched = (0..10)
            .filter(|_| {
                limit
                    .check("owner@example.com", travelling, Some("h.p.signature-1"))
                    .is_ok()
            })
            .count();
        assert_eq!(vouched, 3);
        assert!(
            limit
                .check("owner@example.com", travelling, Some("h.p.signature-2"))
                .is_ok()
        );
        // Off means off.
        let off = AccountLogins::new(0);
        assert!((0..100).all(|_| off.check("a@b.c", attackers[0], None).is_ok()));
    }

    #[test]
    fn the_limit_is_per_ip_and_zero_turns_it_off() {
        let limit = PerMinute::new(2);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        assert!(limit.check(a).is_ok());
        assert!(limit.check(a).is_ok());
        assert!(matches!(limit.check(a), Err(AppError::RateLimited)));
        assert!(limit.check(b).is_ok());
        // One IPv6 /64 is one client; an IPv4-mapped address is the IPv4 client.
        let limit = PerMinute::new(1);
        assert!(limit.check("2001:db8:1:2::1".parse().unwrap()).is_ok());
        assert!(
            limit
                .check("2001:db8:1:2:ffff::9".parse().unwrap())
                .is_err()
        );
        assert!(limit.check("2001:db8:1:3::1".parse().unwrap()).is_ok());
        assert!(limit.check("10.0.0.7".parse().unwrap()).is_ok());
        assert!(limit.check("::ffff:10.0.0.7".parse().unwrap()).is_err());
        let off = PerMinute::new(0);
        assert!((0..100).all(|_| off.check(a).is_ok()));
    }
}
