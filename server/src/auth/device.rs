//! A browser's proof that it signed in to an account before (a "device token").
//!
//! Sign-in attempts are limited per account whatever address they come from, so a password
//! guessed from many addresses gets no more tries than from one. The flip side: anybody who
//! knows the owner's e-mail can spend that budget with wrong passwords and keep the owner out.
//! The server remembers the addresses an account signed in from, but only in memory, and an
//! owner's address changes (a phone, travel, a restart of the server). So every sign-in also
//! hands the browser this token, which it sends with its next sign-in: a sign-in it vouches
//! for is spared the account's budget (it keeps its address's own). Only a correct password
//! earns one, so an attacker cannot vouch for themselves.
//!
//! Only a sign-in that proved the password gets one (not a renewed session). A vouched sign-in
//! spends a budget of the token's own, as large as the account's (`rate_limit`): so a token
//! that leaked buys its holder one browser's attempts, no more, and signing out need not
//! revoke it (which would let the lockout back in for the owner's own browser).
//!
//! It is not a session: it signs nothing in by itself, and it is signed with a key derived
//! from `JWT_SECRET` for this one purpose, so neither kind of token passes for the other.

use std::time::Duration;

use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::{AppError, AppResult};

const LABEL: &[u8] = b"order-desk device token v1";
/// How long a browser that signed in stays vouched for without signing in again.
pub const DEVICE_TOKEN_TTL: Duration = Duration::from_secs(90 * 86_400);

#[derive(Debug, Serialize, Deserialize)]
struct DeviceClaims {
    /// The account: its normalized e-mail (the key of the account's sign-in budget).
    acct: String,
    iat: i64,
    exp: i64,
}

#[derive(Clone)]
pub struct DeviceKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl DeviceKeys {
    pub fn new(secret: &[u8]) -> Self {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
        mac.update(LABEL);
        let key = mac.finalize().into_bytes();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "iat"]);
        Self {
            encoding: EncodingKey::from_secret(&key),
            decoding: DecodingKey::from_secret(&key),
            validation,
        }
    }

    /// A token vouching for this browser's sign-ins to `account` (a normalized e-mail).
    pub fn issue(&self, account: &str) -> AppResult<String> {
        let now = chrono::Utc::now().timestamp();
        let ttl = i64::try_from(DEVICE_TOKEN_TTL.as_secs()).map_err(AppError::internal)?;
        let claims = DeviceClaims {
            acct: account.to_owned(),
            iat: now,
            exp: now + ttl,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(AppError::internal)
    }

    /// Whether `token` is one of ours, unexpired, for `account`.
    pub fn vouches_for(&self, token: &str, account: &str) -> bool {
        decode::<DeviceClaims>(token, &self.decoding, &self.validation)
            .is_ok_and(|data| data.claims.acct == account)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::JwtKeys;

    const SECRET: &[u8] = b"a-secret-of-at-least-thirty-two-bytes!";

    #[test]
    fn a_token_vouches_for_its_account_only() {
        let keys = DeviceKeys::new(SECRET);
        let token = keys.issue("owner@example.com").unwrap();
        assert!(keys.vouches_for(&token, "owner@example.com"));
        assert!(!keys.vouches_for(&token, "other@example.com"));
        assert!(
            !DeviceKeys::new(b"another-secret-of-thirty-two-bytes!!")
                .vouches_for(&token, "owner@example.com")
        );
        assert!(!keys.vouches_for("garbage", "owner@example.com"));
    }

    #[test]
    fn neither_kind_of_token_passes_for_the_other() {
        let sessions = JwtKeys::new(SECRET, Duration::from_secs(3600));
        let devices = DeviceKeys::new(SECRET);
        let (session, _) = sessions.issue(uuid::Uuid::new_v4(), 0).unwrap();
        assert!(!devices.vouches_for(&session, "owner@example.com"));
        let device = devices.issue("owner@example.com").unwrap();
        assert!(sessions.verify(&device).is_err());
    }

    #[test]
    fn an_expired_token_vouches_for_nothing() {
        let keys = DeviceKeys::new(SECRET);
        let now = chrono::Utc::now().timestamp();
        let expired = encode(
            &Header::new(Algorithm::HS256),
            &DeviceClaims {
                acct: "owner@example.com".into(),
                iat: now - 100,
                exp: now - 1,
            },
            &keys.encoding,
        )
        .unwrap();
        assert!(!keys.vouches_for(&expired, "owner@example.com"));
    }
}
