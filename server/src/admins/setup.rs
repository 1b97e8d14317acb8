//! The one-time setup code that guards first-run registration in production.
//!
//! A fresh production server would otherwise belong to whoever reaches `registerAdmin` first.
//! The code is derived from `JWT_SECRET` (an HMAC of a fixed label), so every replica prints the
//! same one without storing anything, and it reveals nothing about the secret. The server
//! prints it at start while no admin exists; once an admin exists registration is closed and
//! the code is never printed again.

use hmac::{Hmac, Mac};
use sha2::Sha256;

const LABEL: &[u8] = b"order-desk first-run setup code v1";
/// Crockford's base32 without look-alikes: the code is read from a log and typed.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const GROUPS: usize = 3;
const GROUP_LEN: usize = 4;

/// `XXXX-XXXX-XXXX`: 60 bits, and registration attempts are rate-limited per address.
pub fn code(secret: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(LABEL);
    let digest = mac.finalize().into_bytes();
    let symbols: Vec<char> = digest
        .iter()
        .take(GROUPS * GROUP_LEN)
        .map(|byte| char::from(ALPHABET[usize::from(byte % 32)]))
        .collect();
    symbols
        .chunks(GROUP_LEN)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// Whether `given` is the code, ignoring case, spaces and dashes; compared in constant time.
pub fn matches(secret: &[u8], given: &str) -> bool {
    let normalize = |text: &str| -> Vec<u8> {
        text.chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect::<String>()
            .into_bytes()
    };
    let expected = normalize(&code(secret));
    let given = normalize(given);
    expected.len() == given.len()
        && expected
            .iter()
            .zip(&given)
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_is_stable_per_secret_and_typed_loosely() {
        let code = code(b"secret-one-secret-one-secret-one");
        assert_eq!(code.len(), 14);
        // Pinned: operators' runbooks and the e2e helper (`e2e/support/server.mjs`) derive it too.
        assert_eq!(code, "97WQ-M1T0-ZBAP");
        assert_eq!(code, super::code(b"secret-one-secret-one-secret-one"));
        assert_ne!(code, super::code(b"secret-two-secret-two-secret-two"));
        assert!(matches(b"secret-one-secret-one-secret-one", &code));
        let loose = format!(" {} ", code.replace('-', " ").to_lowercase());
        assert!(matches(b"secret-one-secret-one-secret-one", &loose));
        assert!(!matches(b"secret-two-secret-two-secret-two", &code));
        assert!(!matches(b"secret-one-secret-one-secret-one", ""));
        assert!(!matches(b"secret-one-secret-one-secret-one", &code[..13]));
    }
}
