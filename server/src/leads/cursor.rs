//! Opaque keyset cursors: the sort they belong to and the sort keys of the last row seen.
//!
//! Every sort of the list ends in (created_at, id), so a cursor names one row exactly; the keys
//! before those depend on the sort ([`SortField::keys`]). A cursor of another sort or
//! direction is refused rather than read as something it is not.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::LeadStatus;
use crate::error::{AppError, AppResult, Reason};

/// Timestamps a cursor may carry: 1970 up to the year 9999. Orders are stamped by the server,
/// so anything else was made up, and PostgreSQL (or SQLite's text timestamps) would choke on it.
const MICROS: std::ops::Range<i64> = 0..253_402_300_800_000_000;

/// What the list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortField {
    /// The work queue: open orders (NEW, IN_PROGRESS) first, then the rest; each by score,
    /// then newest first.
    #[default]
    Queue,
    /// Temperature: score, then newest first.
    Score,
    /// Creation time.
    Date,
    /// "Surname name patronymic", as the list and the card show it, compared without regard
    /// to case or ё (`LeadText::sort_name`, the column `sort_name`).
    Name,
    /// Pipeline order (NEW, IN_PROGRESS, WON, LOST), then score, then newest first.
    Status,
}

/// The keys of a sort before (created_at, id), as the database names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    QueueRank,
    StatusRank,
    Score,
    SortName,
}

impl Key {
    pub fn column(self) -> &'static str {
        match self {
            Self::QueueRank => "queue_rank",
            Self::StatusRank => "status_rank",
            Self::Score => "score",
            Self::SortName => "sort_name",
        }
    }
}

impl SortField {
    const ALL: [Self; 5] = [
        Self::Queue,
        Self::Score,
        Self::Date,
        Self::Name,
        Self::Status,
    ];

    pub fn keys(self) -> &'static [Key] {
        match self {
            Self::Queue => &[Key::QueueRank, Key::Score],
            Self::Score => &[Key::Score],
            Self::Date => &[],
            Self::Name => &[Key::SortName],
            Self::Status => &[Key::StatusRank, Key::Score],
        }
    }

    fn tag(self) -> char {
        match self {
            Self::Queue => 'q',
            Self::Score => 's',
            Self::Date => 'd',
            Self::Name => 'n',
            Self::Status => 't',
        }
    }
}

/// The generated column `queue_rank` (migration 17): open 2, closed 1, spam 0.
pub fn queue_rank(status: LeadStatus) -> i64 {
    match status {
        LeadStatus::New | LeadStatus::InProgress => 2,
        LeadStatus::Won | LeadStatus::Lost => 1,
        LeadStatus::Spam => 0,
    }
}

/// The generated column `status_rank` (migration 17): the pipeline in order, descending.
pub fn status_rank(status: LeadStatus) -> i64 {
    match status {
        LeadStatus::New => 4,
        LeadStatus::InProgress => 3,
        LeadStatus::Won => 2,
        LeadStatus::Lost => 1,
        LeadStatus::Spam => 0,
    }
}

/// A sort and its direction. Descending is the natural reading of each (hottest, newest,
/// open first, …); ascending reverses every key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LeadOrder {
    pub field: SortField,
    pub ascending: bool,
}

impl LeadOrder {
    /// The ranking of the CSV export and of the list before issue 13: score, newest first.
    pub const RANKED: Self = Self {
        field: SortField::Score,
        ascending: false,
    };
}

/// One key's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyValue {
    Int(i64),
    Text(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub order: LeadOrder,
    /// The values of `order.field.keys()`, in order.
    pub keys: Vec<KeyValue>,
    pub created_at: DateTime<Utc>,
    pub id: Uuid,
}

impl Cursor {
    pub fn encode(&self) -> String {
        let mut raw = format!(
            "{}{}|{}|{}",
            self.order.field.tag(),
            if self.order.ascending { 'a' } else { 'd' },
            self.created_at.timestamp_micros(),
            self.id
        );
        for key in &self.keys {
            raw.push('|');
            match key {
                KeyValue::Int(n) => raw.push_str(&n.to_string()),
                // Names may hold '|': base64 keeps the fields apart.
                KeyValue::Text(text) => raw.push_str(&URL_SAFE_NO_PAD.encode(text)),
            }
        }
        URL_SAFE_NO_PAD.encode(raw)
    }

    /// Reads a cursor of `order`; anything else (garbage, another sort) is `BAD_USER_INPUT`
    /// on `field`.
    pub fn decode(field: &str, text: &str, order: LeadOrder) -> AppResult<Self> {
        let invalid = || AppError::validation(field, Reason::InvalidId, "Invalid cursor");
        let bytes = URL_SAFE_NO_PAD.decode(text.trim()).map_err(|_| invalid())?;
        let raw = String::from_utf8(bytes).map_err(|_| invalid())?;
        let mut parts = raw.split('|');
        let tag: Vec<char> = parts.next().ok_or_else(invalid)?.chars().collect();
        let [field_tag, direction] = tag[..] else {
            return Err(invalid());
        };
        let sort = SortField::ALL
            .into_iter()
            .find(|f| f.tag() == field_tag)
            .ok_or_else(invalid)?;
        let ascending = match direction {
            'a' => true,
            'd' => false,
            _ => return Err(invalid()),
        };
        if sort != order.field || ascending != order.ascending {
            return Err(invalid());
        }
        let micros: i64 = parts
            .next()
            .and_then(|s| s.parse().ok())
            .filter(|m| MICROS.contains(m))
            .ok_or_else(invalid)?;
        let id = parts
            .next()
            .and_then(|s| Uuid::parse_str(s).ok())
            .ok_or_else(invalid)?;
        let mut keys = Vec::new();
        for key in sort.keys() {
            let part = parts.next().ok_or_else(invalid)?;
            keys.push(match key {
                Key::SortName => {
                    let bytes = URL_SAFE_NO_PAD.decode(part).map_err(|_| invalid())?;
                    KeyValue::Text(String::from_utf8(bytes).map_err(|_| invalid())?)
                }
                _ => KeyValue::Int(part.parse().map_err(|_| invalid())?),
            });
        }
        if parts.next().is_some() {
            return Err(invalid());
        }
        let created_at = DateTime::from_timestamp_micros(micros).ok_or_else(invalid)?;
        Ok(Self {
            order,
            keys,
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
        let order = LeadOrder::default();
        let cursor = Cursor {
            order,
            keys: vec![KeyValue::Int(2), KeyValue::Int(85)],
            created_at: DateTime::from_timestamp_micros(1_764_000_000_123_456).unwrap(),
            id: Uuid::now_v7(),
        };
        assert_eq!(
            Cursor::decode("after", &cursor.encode(), order).unwrap(),
            cursor
        );
        let by_name = LeadOrder {
            field: SortField::Name,
            ascending: true,
        };
        let named = Cursor {
            order: by_name,
            keys: vec![KeyValue::Text("О'Нил | Иван".into())],
            ..cursor.clone()
        };
        assert_eq!(
            Cursor::decode("after", &named.encode(), by_name).unwrap(),
            named
        );
        // A cursor of another sort or direction is not read as this one's.
        assert!(Cursor::decode("after", &named.encode(), order).is_err());
        let descending = LeadOrder {
            ascending: false,
            ..by_name
        };
        assert!(Cursor::decode("after", &named.encode(), descending).is_err());
        let id = Uuid::now_v7();
        for garbage in [
            "",
            "!!!",
            "bm90IGEgY3Vyc29y",
            &URL_SAFE_NO_PAD.encode("1|2|3|4"),
            &URL_SAFE_NO_PAD.encode(format!("qd|1764000000123456|{id}|2")),
            &URL_SAFE_NO_PAD.encode(format!("qd|1764000000123456|{id}|2|85|1")),
            &URL_SAFE_NO_PAD.encode(format!("qd|1764000000123456|{id}|x|85")),
            // Year −5000 and year 10000: representable, but no order was ever made then.
            &URL_SAFE_NO_PAD.encode(format!("qd|-219900000000000000|{id}|2|85")),
            &URL_SAFE_NO_PAD.encode(format!("qd|253402300800000000|{id}|2|85")),
        ] {
            assert!(
                Cursor::decode("after", garbage, order).is_err(),
                "{garbage}"
            );
        }
    }
}
