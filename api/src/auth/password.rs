//! Password hashing with argon2 (PHC strings in the database) and the password policy.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};

use crate::error::{AppError, AppResult};

pub const MIN_LENGTH: usize = 10;
/// Long enough for any passphrase; a longer "password" is an attack on the hasher.
pub const MAX_LENGTH: usize = 200;

pub fn hash(password: &str) -> AppResult<String> {
    // A fresh random salt is drawn from the OS for every hash.
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(e.to_string().into()))
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
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash("decoy-password-never-matches").unwrap_or_default())
}

pub fn check_policy(field: &str, password: &str) -> AppResult<()> {
    let long_enough = password.chars().count() >= MIN_LENGTH;
    let has_letter = password.chars().any(char::is_alphabetic);
    let has_digit = password.chars().any(|c| c.is_ascii_digit());
    if password.chars().count() > MAX_LENGTH {
        return Err(AppError::bad(
            field,
            format!("must be at most {MAX_LENGTH} characters"),
        ));
    }
    if !long_enough || !has_letter || !has_digit {
        return Err(AppError::bad(
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
}
