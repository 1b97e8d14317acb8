use std::time::Duration;

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The admin's id.
    pub sub: String,
    pub iat: i64,
    pub exp: i64,
    /// The admin's session version at issue: a token of an older version is revoked.
    pub sv: i32,
}

impl Claims {
    pub fn admin_id(&self) -> AppResult<Uuid> {
        Uuid::parse_str(&self.sub).map_err(|_| AppError::Unauthenticated("Invalid token"))
    }
}

/// HS256 keys and the token lifetime. Only HS256 is accepted on the way in, so `alg: none`
/// and algorithm-confusion tokens are refused by construction.
#[derive(Clone)]
pub struct JwtKeys {
    /// Kept for the setup code, which is derived from it (never shown or logged).
    secret: std::sync::Arc<[u8]>,
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl: Duration,
    /// Device tokens (see `device`), from the same secret.
    device: super::DeviceKeys,
}

impl JwtKeys {
    pub fn new(secret: &[u8], ttl: Duration) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "iat", "sub"]);
        // `sv` is required by `Claims` itself: a token without it does not decode.
        Self {
            secret: secret.into(),
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            ttl,
            device: super::DeviceKeys::new(secret),
        }
    }

    pub fn device(&self) -> &super::DeviceKeys {
        &self.device
    }

    pub fn secret(&self) -> &[u8] {
        &self.secret
    }

    pub fn issue(
        &self,
        admin_id: Uuid,
        session_version: i32,
    ) -> AppResult<(String, DateTime<Utc>)> {
        let now = Utc::now();
        let ttl = chrono::Duration::from_std(self.ttl).map_err(AppError::internal)?;
        let expires_at = now + ttl;
        let claims = Claims {
            sub: admin_id.to_string(),
            iat: now.timestamp(),
            exp: expires_at.timestamp(),
            sv: session_version,
        };
        let token = encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(AppError::internal)?;
        Ok((token, expires_at))
    }

    pub fn verify(&self, token: &str) -> AppResult<Claims> {
        decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|err| match err.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => {
                    AppError::Unauthenticated("Token expired")
                }
                _ => AppError::Unauthenticated("Invalid token"),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(secret: &str) -> JwtKeys {
        JwtKeys::new(secret.as_bytes(), Duration::from_secs(3600))
    }

    #[test]
    fn a_token_round_trips() {
        let id = Uuid::new_v4();
        let (token, expires_at) = keys(&"k".repeat(32)).issue(id, 3).unwrap();
        let claims = keys(&"k".repeat(32)).verify(&token).unwrap();
        assert_eq!(claims.admin_id().unwrap(), id);
        assert_eq!(claims.exp, expires_at.timestamp());
        assert_eq!(claims.sv, 3);
    }

    #[test]
    fn another_key_is_refused() {
        let (token, _) = keys(&"a".repeat(32)).issue(Uuid::new_v4(), 0).unwrap();
        assert!(matches!(
            keys(&"b".repeat(32)).verify(&token),
            Err(AppError::Unauthenticated("Invalid token"))
        ));
    }
}
