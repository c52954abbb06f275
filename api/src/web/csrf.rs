//! CSRF protection of every console form. A form carries a token bound to the
//! browser: an HMAC-SHA256, keyed with the server's JWT secret, of the session
//! cookie (signed in) or of the sign-in cookie (`session::PRE_COOKIE`, before).
//! A POST whose token does not match what its own cookies give is refused with
//! 403; another site can neither read the cookies nor compute the HMAC. The
//! cookies are `SameSite=Strict` besides.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::config::Secret;

type HmacSha256 = Hmac<Sha256>;

/// The hidden field every form carries the token in.
pub const FIELD: &str = "csrf";

/// What the tokens are signed with.
pub struct CsrfKey(Vec<u8>);

impl CsrfKey {
    pub fn new(secret: &Secret) -> Self {
        Self(secret.expose().as_bytes().to_vec())
    }

    fn mac(&self, binding: &str) -> HmacSha256 {
        // Any key length is accepted by HMAC.
        let mut mac = HmacSha256::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
        mac.update(b"govcloud console csrf\0");
        mac.update(binding.as_bytes());
        mac
    }

    /// The token of forms shown to the browser holding `binding`.
    pub fn token(&self, binding: &str) -> String {
        hex::encode(self.mac(binding).finalize().into_bytes())
    }

    /// True when `given` is the token of `binding` (compared in constant time).
    pub fn check(&self, binding: &str, given: &str) -> bool {
        let Ok(bytes) = hex::decode(given) else {
            return false;
        };
        self.mac(binding).verify_slice(&bytes).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(secret: &str) -> CsrfKey {
        CsrfKey::new(&Secret::new(secret))
    }

    #[test]
    fn a_token_checks_for_its_own_binding_only() {
        let k = key("0123456789abcdef0123456789abcdef");
        let t = k.token("session-a");
        assert!(k.check("session-a", &t));
        assert!(!k.check("session-b", &t));
        assert!(!key("another-secret-another-secret-xx").check("session-a", &t));
    }

    #[test]
    fn forged_and_malformed_tokens_fail() {
        let k = key("0123456789abcdef0123456789abcdef");
        let t = k.token("s");
        let mut forged = t.clone();
        forged.replace_range(0..1, if t.starts_with('0') { "1" } else { "0" });
        for given in [
            "",
            "zz",
            &t[..63],
            &forged,
            &format!("{t}00"),
            "é".repeat(32).as_str(),
        ] {
            assert!(!k.check("s", given), "{given:?}");
        }
    }
}
