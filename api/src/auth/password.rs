//! Password hashing with argon2 (PHC strings in the database) and the password policy.
//!
//! Requests hash and verify through `hash_off_workers` and `verify_off_workers`:
//! argon2 costs tens of milliseconds of CPU on purpose, so it runs on tokio's
//! blocking threads, at most `argon2_slots()` at once (the core count), never
//! on the async workers that answer every other request (`/healthz` included).

use std::sync::{Arc, OnceLock};

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use tokio::sync::Semaphore;

use crate::error::{DomainError, DomainResult};

pub const MIN_LENGTH: usize = 10;
/// Long enough for any passphrase; a longer "password" is an attack on the hasher.
pub const MAX_LENGTH: usize = 200;

pub fn hash(password: &str) -> DomainResult<String> {
    // A fresh random salt is drawn from the OS for every hash.
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| DomainError::Internal(e.to_string().into()))
}

/// False for a wrong password and for a stored hash that does not parse: both
/// simply fail the login.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to verify against when the user does not exist, so an unknown user
/// costs the same time as a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash("decoy-password-never-matches").unwrap_or_default())
}

/// How many argon2 computations may run at once: one per core.
pub fn argon2_slots() -> usize {
    std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
}

fn pool() -> &'static Arc<Semaphore> {
    static POOL: OnceLock<Arc<Semaphore>> = OnceLock::new();
    POOL.get_or_init(|| Arc::new(Semaphore::new(argon2_slots())))
}

/// Runs `work` on a blocking thread once one of the argon2 slots is free. The
/// slot is held by the work itself, so a request cut off while it waits (a
/// timeout, a client gone) cannot let more computations run than there are
/// slots.
async fn off_workers<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> DomainResult<T> {
    let slot = Arc::clone(pool())
        .acquire_owned()
        .await
        .map_err(DomainError::internal)?;
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        work()
    })
    .await
    .map_err(DomainError::internal)
}

/// `hash`, off the async workers.
pub async fn hash_off_workers(password: &str) -> DomainResult<String> {
    let password = password.to_owned();
    off_workers(move || hash(&password)).await?
}

/// `verify`, off the async workers; with no stored hash (an unknown user),
/// against the decoy, so an unknown user costs the same time as a wrong
/// password.
pub async fn verify_off_workers(password: &str, stored: Option<&str>) -> DomainResult<bool> {
    let (password, stored) = (password.to_owned(), stored.map(str::to_owned));
    off_workers(move || match stored {
        Some(stored) => verify(&password, &stored),
        None => verify(&password, decoy_hash()),
    })
    .await
}

pub fn check_policy(field: &str, password: &str) -> DomainResult<()> {
    let long_enough = password.chars().count() >= MIN_LENGTH;
    let has_letter = password.chars().any(char::is_alphabetic);
    let has_digit = password.chars().any(|c| c.is_ascii_digit());
    if password.chars().count() > MAX_LENGTH {
        return Err(DomainError::bad(
            field,
            format!("must be at most {MAX_LENGTH} characters"),
        ));
    }
    if !long_enough || !has_letter || !has_digit {
        return Err(DomainError::bad(
            field,
            format!("must be at least {MIN_LENGTH} characters and contain a letter and a digit"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_only_its_password() {
        let h = hash("Correct-horse-9").expect("hash");
        assert!(verify("Correct-horse-9", &h));
        assert!(!verify("correct-horse-9", &h));
        assert!(!verify("Correct-horse-9", "not a phc string"));
    }

    #[test]
    fn policy_wants_length_letter_and_digit() {
        assert!(check_policy("password", "short1").is_err());
        assert!(check_policy("password", "onlyletters-long").is_err());
        assert!(check_policy("password", "12345678901").is_err());
        assert!(check_policy("password", "letters-and-1-digit").is_ok());
    }

    #[tokio::test]
    async fn off_the_workers_a_hash_verifies_only_its_password() {
        let h = hash_off_workers("Correct-horse-9").await.expect("hash");
        assert!(
            verify_off_workers("Correct-horse-9", Some(&h))
                .await
                .expect("verify")
        );
        assert!(
            !verify_off_workers("Correct-horse-8", Some(&h))
                .await
                .expect("verify")
        );
        assert!(
            !verify_off_workers("decoy-password-never-matches-x", None)
                .await
                .expect("decoy")
        );
    }

    /// Many verifications at once on a one-thread runtime: the thread stays
    /// free to answer (a timer fires on time) while argon2 works elsewhere.
    #[tokio::test(flavor = "current_thread")]
    async fn argon2_leaves_the_async_thread_free() {
        let h = hash("Correct-horse-9").expect("hash");
        let mut work = tokio::task::JoinSet::new();
        for _ in 0..4 * argon2_slots() {
            let h = h.clone();
            work.spawn(async move { verify_off_workers("Wrong-horse-9", Some(&h)).await });
        }
        let started = std::time::Instant::now();
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        assert!(
            started.elapsed() < std::time::Duration::from_millis(500),
            "the async thread was held for {:?}",
            started.elapsed()
        );
        for verified in work.join_all().await {
            assert!(!verified.expect("verify"));
        }
    }
}
