//! Validated values: built by `parse` at the edge, so an invalid one cannot exist past it.

use crate::error::{AppError, Reason};

/// An email address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 255;

    pub fn parse(field: &str, raw: &str) -> Result<Self, AppError> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err(AppError::validation(
                field,
                Reason::Required,
                "Email is required",
            ));
        }
        if email.chars().count() > Self::MAX_LEN {
            return Err(AppError::validation(
                field,
                Reason::TooLong,
                format!("Email must be at most {} characters", Self::MAX_LEN),
            )
            .with("max", Self::MAX_LEN));
        }
        if !looks_like_email(&email) {
            return Err(AppError::validation(
                field,
                Reason::InvalidEmail,
                "Email is not a valid address",
            ));
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Deliberately modest: one `@`, a non-empty local part, a dotted domain, no spaces or
/// control characters. Whether the mailbox exists is for the mail server to say.
fn looks_like_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let labels_ok = domain
        .split('.')
        .all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'));
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && labels_ok
        && !email.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || is_invisible(c)
                || matches!(c, '<' | '>' | ',' | ';')
        })
}

/// A password that meets the policy. Never logged (no `Debug` of the content).
///
/// The policy, shown to the admin before they type: at least [`Password::MIN_LEN`] characters,
/// and not easy to guess — zxcvbn (dictionaries of common passwords, names and words, keyboard
/// walks, repeats, sequences, dates) must rate it at least [`Password::MIN_SCORE`] of 4
/// ("safely unguessable": about 10^8 guesses and more), and it must not be mostly the admin's
/// own e-mail. So "password", "qwertyuiop123" and "ownerexample2026" (for owner@example.com)
/// are refused, "correct horse battery" is not. Accounts made before the policy keep signing in with what they have.
pub struct Password(String);

impl Password {
    pub const MIN_LEN: usize = 12;
    pub const MAX_LEN: usize = 1024;
    /// zxcvbn's score (0–4) a password needs.
    pub const MIN_SCORE: u8 = 3;
    /// zxcvbn reads this much of a password: its matching grows faster than the length (a
    /// 1,024-character password must not cost the server seconds), and 64 characters that are
    /// easy to guess do not become hard by going on.
    const RATED_CHARS: usize = 64;

    /// Checks the policy without knowing whose password it is.
    pub fn parse(field: &str, raw: &str) -> Result<Self, AppError> {
        Self::parse_for(field, raw, &[])
    }

    /// Checks the policy; `user_inputs` (the e-mail) make a password built on them weak.
    pub fn parse_for(field: &str, raw: &str, user_inputs: &[&str]) -> Result<Self, AppError> {
        let len = raw.chars().count();
        if len < Self::MIN_LEN {
            return Err(AppError::validation(
                field,
                Reason::TooShort,
                format!("Password must be at least {} characters", Self::MIN_LEN),
            )
            .with("min", Self::MIN_LEN));
        }
        if len > Self::MAX_LEN {
            return Err(AppError::validation(
                field,
                Reason::TooLong,
                format!("Password must be at most {} characters", Self::MAX_LEN),
            )
            .with("max", Self::MAX_LEN));
        }
        let rated: String = raw.chars().take(Self::RATED_CHARS).collect();
        let score = u8::from(zxcvbn::zxcvbn(&rated, user_inputs).score());
        if score < Self::MIN_SCORE || built_on(raw, user_inputs) {
            return Err(AppError::validation(
                field,
                Reason::WeakPassword,
                "Password is too easy to guess: a common word, name, pattern or your e-mail",
            )
            .with("min", Self::MIN_SCORE)
            .with("score", score));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Whether a password is mostly the user's own e-mail: with every part of it of four letters
/// or more taken out ("owner", "example" of owner@example.com), fewer than 8 characters stay.
fn built_on(password: &str, user_inputs: &[&str]) -> bool {
    let lower = password.to_lowercase();
    let mut rest = lower.clone();
    for input in user_inputs {
        let input = input.to_lowercase();
        for part in input
            .split(|c: char| !c.is_alphanumeric())
            .filter(|p| p.chars().count() >= 4)
        {
            rest = rest.replace(part, "");
        }
    }
    rest != lower && rest.chars().filter(|c| c.is_alphanumeric()).count() < 8
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// Trims; `None` for an absent or blank value.
pub fn optional_text(raw: Option<&str>) -> Option<String> {
    raw.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Checks a trimmed text against a maximum length in characters, and refuses control
/// characters other than line breaks and tabs, and bidirectional overrides.
pub fn check_text(field: &str, label: &str, value: &str, max: usize) -> Result<(), AppError> {
    if value.chars().count() > max {
        return Err(AppError::validation(
            field,
            Reason::TooLong,
            format!("{label} must be at most {max} characters"),
        )
        .with("max", max));
    }
    if has_control_chars(value) {
        return Err(AppError::validation(
            field,
            Reason::ControlCharacters,
            format!("{label} contains control characters"),
        ));
    }
    if value.chars().any(is_bidi_control) {
        return Err(AppError::validation(
            field,
            Reason::InvisibleCharacters,
            format!("{label} contains invisible text-direction characters"),
        ));
    }
    Ok(())
}

/// [`check_text`] for a name or contact: also no invisible characters at all, which could make
/// two different contacts look the same.
pub fn check_identity(field: &str, label: &str, value: &str, max: usize) -> Result<(), AppError> {
    check_text(field, label, value, max)?;
    if value.chars().any(is_invisible) {
        return Err(AppError::validation(
            field,
            Reason::InvisibleCharacters,
            format!("{label} contains invisible characters"),
        ));
    }
    Ok(())
}

/// Characters that reorder how the text around them is displayed (U+202A–U+202E embeddings and
/// overrides, U+2066–U+2069 isolates, the direction marks): `moc.evil@` can show as
/// `@live.com`. No honest form input needs them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Zero-width and other invisible format characters. Free text may keep the joiner (it builds
/// emoji), names and contacts may not.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{180E}' | '\u{00AD}'
    ) || is_bidi_control(c)
}

/// Control characters other than line breaks and tabs: nobody types them, and PostgreSQL
/// refuses NUL in text outright (which would turn a bad input into an internal error).
fn has_control_chars(value: &str) -> bool {
    value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// The current time to microseconds: what PostgreSQL stores, so a value read back from either
/// database equals the one written (keyset cursors compare them).
pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 6)
}

/// Parses a GraphQL `ID` that must be a UUID.
pub fn parse_id(field: &str, raw: &str) -> Result<uuid::Uuid, AppError> {
    uuid::Uuid::parse_str(raw.trim())
        .map_err(|_| AppError::validation(field, Reason::InvalidId, "Not a valid id"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever a client sends, validation answers; it never panics, and what it accepts
        /// is within the limits it states.
        #[test]
        fn validators_never_panic(raw in any::<String>(), max in 0usize..300) {
            if let Ok(email) = Email::parse("email", &raw) {
                prop_assert!(email.as_str().chars().count() <= Email::MAX_LEN);
                prop_assert!(!email.as_str().chars().any(is_invisible));
            }
            let _ = Password::parse("password", &raw);
            if check_identity("name", "Name", &raw, max).is_ok() {
                prop_assert!(raw.chars().count() <= max);
                prop_assert!(!raw.chars().any(is_invisible));
            }
            let _ = parse_id("id", &raw);
            let _ = optional_text(Some(&raw));
        }
    }

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        let email = Email::parse("email", "  Owner@Example.COM ").unwrap();
        assert_eq!(email.as_str(), "owner@example.com");
    }

    #[test]
    fn bad_emails_are_refused_with_the_field() {
        for raw in [
            "",
            "   ",
            "no-at-sign",
            "@example.com",
            "a@b",
            "a@@b.com",
            "a b@c.com",
            "a@-b.com",
            "a@b..com",
        ] {
            match Email::parse("email", raw) {
                Err(AppError::Validation { field, .. }) => assert_eq!(field, "email"),
                other => panic!("{raw:?} should be refused, got {other:?}"),
            }
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert!(Email::parse("email", &long).is_err());
    }

    #[test]
    fn text_that_lies_is_refused() {
        // "Ivan" + RIGHT-TO-LEFT OVERRIDE: displays reordered.
        assert!(check_text("c", "Comment", "see \u{202E}gnp.exe", 100).is_err());
        assert!(check_text("c", "Comment", "isolate \u{2067}x\u{2069}", 100).is_err());
        // A family emoji keeps its zero-width joiners in free text…
        assert!(check_text("c", "Comment", "👨\u{200D}👩\u{200D}👧", 100).is_ok());
        // …but names and contacts take no invisible characters.
        for bad in [
            "Iv\u{200B}an",
            "Ivan\u{FEFF}",
            "Iv\u{200D}an",
            "I\u{202E}van",
        ] {
            assert!(check_identity("name", "Name", bad, 100).is_err(), "{bad:?}");
        }
        assert!(check_identity("name", "Name", "Иван-Мария O'Neil", 100).is_ok());
        for bad in ["owner\u{200B}@example.com", "owner@exa\u{202E}mple.com"] {
            assert!(Email::parse("email", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn password_length_is_counted_in_characters() {
        assert!(Password::parse("password", "12345678901").is_err());
        assert!(Password::parse("password", "ёлка палка хвоя").is_ok());
        let long = |n: usize| format!("correct horse battery {}", "ж".repeat(n - 22));
        assert!(Password::parse("password", &long(1024)).is_ok());
        assert!(Password::parse("password", &long(1025)).is_err());
        assert_eq!(
            format!(
                "{:?}",
                Password::parse("p", "correct horse battery").unwrap()
            ),
            "Password(***)"
        );
    }

    #[test]
    fn easy_passwords_are_refused_with_a_reason() {
        let reason = |raw: &str, inputs: &[&str]| match Password::parse_for("password", raw, inputs)
        {
            Ok(_) => None,
            Err(AppError::Validation { reason, .. }) => Some(reason),
            Err(_) => panic!("not a validation error"),
        };
        assert_eq!(reason("password", &[]), Some(Reason::TooShort));
        for weak in [
            "passwordpassword",
            "password1234",
            "qwertyuiop123",
            "111111111111",
            "abcdefghijkl",
            "Password2026!",
        ] {
            assert_eq!(reason(weak, &[]), Some(Reason::WeakPassword), "{weak}");
        }
        assert_eq!(
            reason("ownerexample2026", &["owner@example.com"]),
            Some(Reason::WeakPassword)
        );
        for strong in ["correct horse battery", "tV9#mq2!Lp0@", "ёлка палка хвоя"] {
            assert_eq!(reason(strong, &["owner@example.com"]), None, "{strong}");
        }
    }
}
