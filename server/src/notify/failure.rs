//! Why a message was not delivered: a kind the admin panel says in the admin's language, and
//! the channel's own diagnostic (English, for whoever set the channel up).

use std::fmt;

/// What went wrong, as the admin can act on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, sea_orm::EnumIter, sea_orm::DeriveActiveEnum)]
#[sea_orm(
    rs_type = "String",
    db_type = "String(sea_orm::sea_query::StringLen::None)"
)]
pub enum FailureKind {
    /// No answer in time.
    #[sea_orm(string_value = "TIMEOUT")]
    Timeout,
    /// The service could not be reached (no connection: a wrong address, a network down).
    #[sea_orm(string_value = "UNREACHABLE")]
    Unreachable,
    /// The service answered and refused the message (a wrong token, chat, address or URL):
    /// the channel's settings need a look.
    #[sea_orm(string_value = "REFUSED")]
    Refused,
    /// The service answered with its own trouble (busy, down, an answer not understood):
    /// usually passes.
    #[sea_orm(string_value = "SERVICE_ERROR")]
    ServiceError,
    /// The order the message was about was deleted.
    #[sea_orm(string_value = "ORDER_GONE")]
    OrderGone,
    /// This server's own trouble (its database, building the message).
    #[sea_orm(string_value = "INTERNAL")]
    Internal,
}

/// A failed attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub kind: FailureKind,
    /// The channel's diagnostic; never a secret (no URL with a token, no password).
    pub detail: String,
}

impl Failure {
    pub fn new(kind: FailureKind, detail: impl Into<String>) -> Self {
        Self {
            kind,
            detail: detail.into(),
        }
    }

    /// A refusal or trouble by HTTP status: 4xx is the service saying no, and so is a
    /// redirect (none is followed: the address itself needs changing); 408 is a timeout; 429,
    /// too many requests, and 5xx are the service's own trouble, which passes.
    pub fn http(status: u16, detail: impl Into<String>) -> Self {
        let kind = match status {
            408 => FailureKind::Timeout,
            429 => FailureKind::ServiceError,
            300..=499 => FailureKind::Refused,
            _ => FailureKind::ServiceError,
        };
        Self::new(kind, detail)
    }

    /// A call that got no usable answer. The URL is left out (its path may hold a token), and
    /// a timeout is said as one: the client's own timeout and the worker's bound are the same
    /// length, and whichever fires first the admin reads "timed out" (reqwest says only "error
    /// sending request").
    pub fn call(channel: &str, error: reqwest::Error) -> Self {
        if error.is_timeout() {
            Self::new(FailureKind::Timeout, format!("{channel}: timed out"))
        } else if error.is_connect() {
            Self::new(
                FailureKind::Unreachable,
                format!("{channel}: {}", error.without_url()),
            )
        } else {
            Self::new(
                FailureKind::ServiceError,
                format!("{channel}: {}", error.without_url()),
            )
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.detail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_statuses_are_refusals_or_the_services_trouble() {
        for (status, kind) in [
            (400, FailureKind::Refused),
            (401, FailureKind::Refused),
            (403, FailureKind::Refused),
            (404, FailureKind::Refused),
            (405, FailureKind::Refused),
            (408, FailureKind::Timeout),
            (429, FailureKind::ServiceError),
            (500, FailureKind::ServiceError),
            (502, FailureKind::ServiceError),
            (301, FailureKind::Refused),
            (302, FailureKind::Refused),
            (308, FailureKind::Refused),
        ] {
            assert_eq!(Failure::http(status, "x").kind, kind, "HTTP {status}");
        }
    }
}
