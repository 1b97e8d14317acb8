use std::sync::OnceLock;

use tokio::sync::Semaphore;

use anyhow::anyhow;
use argon2::{
    Argon2,
    password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash},
};

use crate::{
    error::{AppError, AppResult},
    values::Password,
};

/// Argon2 runs at most this many at once: each takes 19 MiB and a core for a while, so a flood
/// of sign-in attempts from many addresses waits in line instead of exhausting memory.
const CONCURRENT_HASHES: usize = 4;

/// Runs `work` off the async runtime, one of at most [`CONCURRENT_HASHES`].
async fn run_bounded<T: Send + 'static>(
    work: impl FnOnce() -> AppResult<T> + Send + 'static,
) -> AppResult<T> {
    static PERMITS: Semaphore = Semaphore::const_new(CONCURRENT_HASHES);
    let _permit = PERMITS.acquire().await.map_err(AppError::internal)?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(AppError::internal)?
}

/// Hashes with argon2id (default parameters: 19 MiB, 2 passes) off the async runtime.
pub async fn hash_password(password: &Password) -> AppResult<String> {
    let password = password.expose().to_owned();
    run_bounded(move || hash_blocking(&password)).await
}

fn hash_blocking(password: &str) -> AppResult<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| AppError::internal(anyhow!("hashing a password: {e}")))
}

/// True when `password` matches the stored PHC string.
pub async fn verify_password(password: &str, phc: &str) -> AppResult<bool> {
    let password = password.to_owned();
    let phc = phc.to_owned();
    run_bounded(move || verify_blocking(&password, &phc)).await
}

fn verify_blocking(password: &str, phc: &str) -> AppResult<bool> {
    let parsed = PasswordHash::new(phc)
        .map_err(|e| AppError::internal(anyhow!("stored password hash is unreadable: {e}")))?;
    Ok(Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok())
}

/// Spends the same work as a real verification, so a login with an unknown email takes as
/// long as one with a wrong password and does not reveal which emails exist.
pub async fn verify_against_dummy(password: &str) -> AppResult<()> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = match DUMMY.get() {
        Some(hash) => hash.clone(),
        None => {
            let hash = run_bounded(|| hash_blocking("order-desk-dummy-password")).await?;
            DUMMY.get_or_init(|| hash).clone()
        }
    };
    verify_password(password, &dummy).await.map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password() {
        let password = Password::parse("password", "correct horse").unwrap();
        let phc = hash_password(&password).await.unwrap();
        assert!(phc.starts_with("$argon2id$"), "{phc}");
        assert!(verify_password("correct horse", &phc).await.unwrap());
        assert!(!verify_password("wrong horse", &phc).await.unwrap());
    }

    #[tokio::test]
    async fn a_corrupt_stored_hash_is_an_internal_error_not_a_panic() {
        assert!(matches!(
            verify_password("x", "not-a-phc-string").await,
            Err(AppError::Internal(_))
        ));
    }
}
