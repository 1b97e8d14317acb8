//! The one error type of the domain. It deliberately does not implement `Display`: that keeps
//! async-graphql's blanket `From<impl Display>` away, so every error reaches the client through
//! the single conversion in `graphql::error`, with its code and without internal detail.

use sea_orm::{DbErr, SqlErr};

#[derive(Debug)]
pub enum AppError {
    NotFound(&'static str),
    /// Bad input: the field, a machine reason and its parameters (clients translate these), and
    /// an English message for people reading the API directly.
    Validation {
        field: String,
        reason: Reason,
        params: Vec<(&'static str, i64)>,
        message: String,
    },
    Unauthenticated(&'static str),
    Forbidden(&'static str),
    RateLimited,
    Internal(anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn validation(
        field: impl Into<String>,
        reason: Reason,
        message: impl Into<String>,
    ) -> Self {
        Self::Validation {
            field: field.into(),
            reason,
            params: Vec::new(),
            message: message.into(),
        }
    }

    /// A parameter of a validation error (`max`, `min`): `{reason: "TOO_LONG", max: 100}`.
    #[must_use]
    pub fn with(mut self, name: &'static str, value: impl TryInto<i64>) -> Self {
        if let Self::Validation { params, .. } = &mut self {
            params.push((name, value.try_into().unwrap_or(i64::MAX)));
        }
        self
    }

    pub fn internal(err: impl Into<anyhow::Error>) -> Self {
        Self::Internal(err.into())
    }

    /// The client-facing code carried in `extensions.code`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound(_) => "NOT_FOUND",
            Self::Validation { .. } => "BAD_USER_INPUT",
            Self::Unauthenticated(_) => "UNAUTHENTICATED",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::RateLimited => "RATE_LIMITED",
            Self::Internal(_) => "INTERNAL",
        }
    }
}

/// Why an input was refused, in `extensions.reason`. Clients switch on it (and its parameters)
/// to say it in their user's language; the English `message` is for people reading the API.
/// Each reason is described where the schema documents it: `graphql::error::ValidationReason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Required,
    TooLong,
    TooShort,
    OutOfRange,
    TooMany,
    ControlCharacters,
    InvisibleCharacters,
    InvalidEmail,
    InvalidPhone,
    InvalidId,
    InvalidFormat,
    UnknownValue,
    Duplicate,
    RangeReversed,
    Unavailable,
    NotYours,
    SetupCodeRequired,
    SetupCodeWrong,
    WeakPassword,
    WrongPassword,
    InvitationInvalid,
    InvitationUsed,
    InvitationExpired,
    Changed,
}

/// What a client may learn of an error, the same for every transport (GraphQL, the CSV
/// download, the CLI): internal causes go to the log here, and only here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientError {
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    pub reason: Option<Reason>,
    pub params: Vec<(&'static str, i64)>,
}

impl AppError {
    pub fn into_client(self) -> ClientError {
        let code = self.code();
        let plain = |message: String| ClientError {
            code,
            message,
            field: None,
            reason: None,
            params: Vec::new(),
        };
        match self {
            Self::NotFound(m) | Self::Unauthenticated(m) | Self::Forbidden(m) => {
                plain(m.to_owned())
            }
            Self::Validation {
                field,
                reason,
                params,
                message,
            } => ClientError {
                code,
                message,
                field: Some(field),
                reason: Some(reason),
                params,
            },
            Self::RateLimited => plain("Too many requests: try again in a minute".to_owned()),
            Self::Internal(cause) => {
                // The chain goes to the log; the client learns only that it was our fault.
                tracing::error!(error = ?cause, "internal error");
                plain("Internal server error".to_owned())
            }
        }
    }
}

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        Self::Internal(err.into())
    }
}

/// True when the database refused a row because of a unique constraint.
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// True when the database refused a row because a row it names does not exist.
pub fn is_foreign_key_violation(err: &DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(SqlErr::ForeignKeyConstraintViolation(_))
    )
}
