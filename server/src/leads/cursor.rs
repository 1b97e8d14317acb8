//! Opaque keyset cursors: the (score, created_at, id) of the last row seen.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::{AppError, AppResult, Reason};

/// Timestamps a cursor may carry: 1970 up to the year 9999. Orders are stamped by the server,
/// so anything else was made up, and PostgreSQL (or SQLite's text timestamps) would choke on it.
const MICROS: std::ops::Range<i64> = 0..253_402_300_800_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub score: i32,
    pub created_at: DateTime<Utc>,
    pub id: Uuid,
}

impl Cursor {
    pub fn encode(&self) -> String {
        let raw = format!(
            "{}|{}|{}",
            self.score,
            self.created_at.timestamp_micros(),
            self.id
        );
        URL_SAFE_NO_PAD.encode(raw)
    }

    pub fn decode(field: &str, text: &str) -> AppResult<Self> {
        let invalid = || AppError::validation(field, Reason::InvalidId, "Invalid cursor");
        let bytes = URL_SAFE_NO_PAD.decode(text.trim()).map_err(|_| invalid())?;
        let raw = String::from_utf8(bytes).map_err(|_| invalid())?;
        let mut parts = raw.split('|');
        let score = parts
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(invalid)?;
        let micros: i64 = parts
            .next()
            .and_then(|s| s.parse().ok())
            .filter(|m| MICROS.contains(m))
            .ok_or_else(invalid)?;
        let id = parts
            .next()
            .and_then(|s| Uuid::parse_str(s).ok())
            .ok_or_else(invalid)?;
        if parts.next().is_some() {
            return Err(invalid());
        }
        let created_at = DateTime::from_timestamp_micros(micros).ok_or_else(invalid)?;
        Ok(Self {
            score,
            created_at,
            id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let cursor = Cursor {
            score: 85,
            created_at: DateTime::from_timestamp_micros(1_764_000_000_123_456).unwrap(),
            id: Uuid::now_v7(),
        };
        assert_eq!(Cursor::decode("after", &cursor.encode()).unwrap(), cursor);
        let id = Uuid::now_v7();
        for garbage in [
            "",
            "!!!",
            "bm90IGEgY3Vyc29y",
            &URL_SAFE_NO_PAD.encode("1|2|3|4"),
            // Year −5000 and year 10000: representable, but no order was ever made then.
            &URL_SAFE_NO_PAD.encode(format!("85|-219900000000000000|{id}")),
            &URL_SAFE_NO_PAD.encode(format!("85|253402300800000000|{id}")),
        ] {
            assert!(Cursor::decode("after", garbage).is_err(), "{garbage}");
        }
    }
}
