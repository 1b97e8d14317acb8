//! Per-client-IP rate limits for public and credential-checking mutations.

use std::{net::IpAddr, num::NonZeroU32, sync::Arc};

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
fn client_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6((u128::from(v6) & !u128::from(u64::MAX)).into()),
        v4 => v4,
    }
}

#[derive(Clone)]
pub struct RateLimits {
    pub logins: PerMinute,
    pub orders: PerMinute,
    pub metrics: PerMinute,
}

impl RateLimits {
    pub fn forget_idle(&self) {
        self.logins.forget_idle();
        self.orders.forget_idle();
        self.metrics.forget_idle();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
