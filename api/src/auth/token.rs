//! JWTs: HS256 only (the algorithm is pinned on decode), always expiring, and tied
//! to the moment the password last changed so a changed password kills old tokens.

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};

use crate::config::Secret;
use crate::error::{AppError, AppResult};

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// The user id.
    pub sub: String,
    pub exp: i64,
    pub iat: i64,
    /// `password_changed_at` of the user when the token was issued (unix
    /// milliseconds: a password changed within the same second still counts).
    pub pwd: i64,
}

#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    ttl_minutes: i64,
}

impl TokenKeys {
    pub fn new(secret: &Secret, ttl_minutes: i64) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret.expose().as_bytes()),
            decoding: DecodingKey::from_secret(secret.expose().as_bytes()),
            ttl_minutes,
        }
    }

    pub fn issue(
        &self,
        user_id: i64,
        password_changed_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> AppResult<(String, DateTime<Utc>)> {
        let expires = now + chrono::Duration::minutes(self.ttl_minutes);
        let claims = Claims {
            sub: user_id.to_string(),
            exp: expires.timestamp(),
            iat: now.timestamp(),
            pwd: password_changed_at.timestamp_millis(),
        };
        let token = encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| AppError::Internal(e.to_string().into()))?;
        Ok((token, expires))
    }

    /// Any failure (bad signature, other algorithm, expired, garbage) is the same
    /// `Unauthenticated` for the client.
    pub fn verify(&self, token: &str) -> AppResult<Claims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "sub"]);
        decode::<Claims>(token, &self.decoding, &validation)
            .map(|data| data.claims)
            .map_err(|_| AppError::Unauthenticated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::new(&Secret::new("0123456789abcdef0123456789abcdef"), 60)
    }

    #[test]
    fn an_issued_token_verifies() {
        let now = Utc::now();
        let (t, _) = keys().issue(7, now, now).expect("issue");
        assert_eq!(keys().verify(&t).expect("valid").sub, "7");
    }

    #[test]
    fn an_expired_token_is_refused() {
        let long_ago = Utc::now() - chrono::Duration::hours(3);
        let (t, _) = keys().issue(7, long_ago, long_ago).expect("issue");
        assert!(keys().verify(&t).is_err());
    }

    #[test]
    fn a_token_signed_with_another_secret_is_refused() {
        let other = TokenKeys::new(&Secret::new("another-secret-another-secret-xx"), 60);
        let now = Utc::now();
        let (t, _) = other.issue(7, now, now).expect("issue");
        assert!(keys().verify(&t).is_err());
    }
}
