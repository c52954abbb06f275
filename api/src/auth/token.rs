//! JWTs: HS256 only (the algorithm is pinned on decode), always expiring, and tied
//! to the moment the password last changed (a changed password kills old
//! tokens) and to the moment the user was last disabled (a disable kills them
//! for good: enabling the user again does not revive them).

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};

use crate::config::Secret;
use crate::error::{DomainError, DomainResult};

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// The user id.
    pub sub: String,
    pub exp: i64,
    pub iat: i64,
    /// `password_changed_at` of the user when the token was issued (unix
    /// milliseconds: a password changed within the same second still counts).
    pub pwd: i64,
    /// `tokens_valid_after` of the user when the token was issued (unix
    /// milliseconds; 0 for a user never disabled, and for tokens issued before
    /// the claim existed).
    #[serde(default)]
    pub tva: i64,
}

impl Claims {
    /// True while the user is as it was when the token was issued: the same
    /// password, and not disabled since (`tokens_valid_after` moves on every
    /// disable, so a token issued before one never matches again). Equality of
    /// stamps, not a comparison of clocks: instances with skewed clocks agree.
    pub fn still_valid_for(&self, user: &entities::user::Model) -> bool {
        self.pwd == user.password_changed_at.timestamp_millis()
            && self.tva == tokens_valid_after_millis(user)
    }
}

fn tokens_valid_after_millis(user: &entities::user::Model) -> i64 {
    user.tokens_valid_after.map_or(0, |t| t.timestamp_millis())
}

/// The credentials of an `Authorization: Bearer <credentials>` header. The
/// scheme is case-insensitive (RFC 9110 §11.1: `bearer` and `BEARER` are
/// `Bearer` too); the credentials are trimmed. `None` for another scheme or
/// empty credentials.
pub fn bearer(headers: &axum::http::HeaderMap) -> Option<&str> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .trim_start();
    let (scheme, credentials) = value.split_once([' ', '\t'])?;
    let credentials = credentials.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !credentials.is_empty()).then_some(credentials)
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
        user: &entities::user::Model,
        now: DateTime<Utc>,
    ) -> DomainResult<(String, DateTime<Utc>)> {
        let expires = now + chrono::Duration::minutes(self.ttl_minutes);
        let claims = Claims {
            sub: user.id.to_string(),
            exp: expires.timestamp(),
            iat: now.timestamp(),
            pwd: user.password_changed_at.timestamp_millis(),
            tva: tokens_valid_after_millis(user),
        };
        let token = encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| DomainError::Internal(e.to_string().into()))?;
        Ok((token, expires))
    }

    /// Any failure (bad signature, other algorithm, expired, garbage) is the same
    /// `Unauthenticated` for the client.
    pub fn verify(&self, token: &str) -> DomainResult<Claims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "sub"]);
        decode::<Claims>(token, &self.decoding, &validation)
            .map(|data| data.claims)
            .map_err(|_| DomainError::Unauthenticated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::new(&Secret::new("0123456789abcdef0123456789abcdef"), 60)
    }

    fn user(now: DateTime<Utc>) -> entities::user::Model {
        entities::user::Model {
            id: 7,
            username: "ops".into(),
            password_hash: "-".into(),
            role: "ADMIN".into(),
            region_id: None,
            vendor_id: None,
            agency_id: None,
            disabled: false,
            created_at: now,
            password_changed_at: now,
            tokens_valid_after: None,
            email: None,
        }
    }

    #[test]
    fn the_bearer_scheme_is_case_insensitive() {
        use axum::http::{HeaderMap, HeaderValue, header::AUTHORIZATION};
        let of = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(AUTHORIZATION, HeaderValue::from_str(value).expect("header"));
            bearer(&headers).map(str::to_owned)
        };
        for value in ["Bearer abc", "bearer abc", "BEARER abc", "bEaReR   abc  "] {
            assert_eq!(of(value).as_deref(), Some("abc"), "{value:?}");
        }
        for value in ["Basic abc", "Bearerabc", "Bearer ", "abc", "Bearer-x abc"] {
            assert_eq!(of(value), None, "{value:?}");
        }
        assert_eq!(bearer(&HeaderMap::new()), None);
    }

    #[test]
    fn an_issued_token_verifies() {
        let now = Utc::now();
        let (t, _) = keys().issue(&user(now), now).expect("issue");
        let claims = keys().verify(&t).expect("valid");
        assert_eq!(claims.sub, "7");
        assert!(claims.still_valid_for(&user(now)));
    }

    #[test]
    fn an_expired_token_is_refused() {
        let long_ago = Utc::now() - chrono::Duration::hours(3);
        let (t, _) = keys().issue(&user(long_ago), long_ago).expect("issue");
        assert!(keys().verify(&t).is_err());
    }

    #[test]
    fn a_token_signed_with_another_secret_is_refused() {
        let other = TokenKeys::new(&Secret::new("another-secret-another-secret-xx"), 60);
        let now = Utc::now();
        let (t, _) = other.issue(&user(now), now).expect("issue");
        assert!(keys().verify(&t).is_err());
    }

    #[test]
    fn a_token_from_before_a_disable_stays_dead_after_re_enabling() {
        let now = Utc::now();
        let (t, _) = keys().issue(&user(now), now).expect("issue");
        let claims = keys().verify(&t).expect("valid");
        // Disabled and enabled again within the same millisecond as the issue:
        // still dead, as no clock is compared.
        let mut again = user(now);
        again.tokens_valid_after = Some(now);
        assert!(!claims.still_valid_for(&again));
        let mut changed = user(now);
        changed.password_changed_at = now + chrono::Duration::milliseconds(1);
        assert!(!claims.still_valid_for(&changed));
        // A token issued after the re-enable carries the new stamp.
        let (t, _) = keys().issue(&again, now).expect("issue");
        assert!(keys().verify(&t).expect("valid").still_valid_for(&again));
    }

    #[test]
    fn a_token_without_the_disable_stamp_is_one_of_a_never_disabled_user() {
        use jsonwebtoken::{EncodingKey, Header, encode};
        let now = Utc::now();
        let old = serde_json::json!({
            "sub": "7", "iat": now.timestamp(), "exp": now.timestamp() + 600,
            "pwd": now.timestamp_millis(),
        });
        let t = encode(
            &Header::new(Algorithm::HS256),
            &old,
            &EncodingKey::from_secret(b"0123456789abcdef0123456789abcdef"),
        )
        .expect("encode");
        assert!(
            keys()
                .verify(&t)
                .expect("valid")
                .still_valid_for(&user(now))
        );
    }
}
