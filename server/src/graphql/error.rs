//! The one place where domain errors become GraphQL errors, and the safety net that gives
//! every other error a code too.

use async_graphql::{Enum, ErrorExtensionValues, InputType, ServerError};

use crate::error::{AppError, Reason};

/// Why an input was refused: `extensions.reason` of a `BAD_USER_INPUT` error, with its
/// parameters beside it (`max`, `min`). Clients translate these; `message` is English.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "crate::error::Reason")]
pub enum ValidationReason {
    /// A value is missing or blank.
    Required,
    /// Longer than `max` characters.
    TooLong,
    /// Shorter than `min` characters.
    TooShort,
    /// A number outside `min`–`max`.
    OutOfRange,
    /// More than `max` items.
    TooMany,
    /// Control characters (other than line breaks and tabs).
    ControlCharacters,
    /// Invisible or text-direction characters where they could disguise a value.
    InvisibleCharacters,
    /// Not an e-mail address.
    InvalidEmail,
    /// Not a phone number (digits, spaces and + ( ) - only).
    InvalidPhone,
    /// Not an id (UUID), or not a cursor this server issued.
    InvalidId,
    /// Not in the expected format (a date-time, a path).
    InvalidFormat,
    /// Not one of the known values (a priority, a status, a page).
    UnknownValue,
    /// Something with this value exists already.
    Duplicate,
    /// A range whose end is before its start.
    RangeReversed,
    /// The referenced thing is gone (a service deleted, or taken off the order form).
    Unavailable,
    /// The value belongs to somebody else.
    NotYours,
    /// First-run registration needs the setup code from the server's log.
    SetupCodeRequired,
    /// The setup code is not the one in the server's log.
    SetupCodeWrong,
    /// A password too easy to guess (a common word, name, pattern or the e-mail): zxcvbn
    /// rates it `score` of 4, the policy needs `min`.
    WeakPassword,
    /// The current password given to confirm a change is not the admin's.
    WrongPassword,
    /// No invitation has this code (mistyped or withdrawn).
    InvitationInvalid,
    /// The invitation's code has been redeemed already.
    InvitationUsed,
    /// The invitation's code is past its expiry.
    InvitationExpired,
    /// Somebody changed the thing since the client read it (another admin moved the lead): read
    /// it again, then decide.
    Changed,
}

/// `"TOO_LONG"`: the name clients see.
pub fn reason_name(reason: Reason) -> String {
    match ValidationReason::from(reason).to_value() {
        async_graphql::Value::Enum(name) => name.to_string(),
        other => other.to_string(),
    }
}

impl From<AppError> for async_graphql::Error {
    fn from(err: AppError) -> Self {
        let client = err.into_client();
        let mut error = async_graphql::Error::new(client.message);
        error.extensions = Some(extensions(
            client.code,
            client.field,
            client.reason,
            &client.params,
        ));
        error
    }
}

/// `{code, field, reason, max, min}`: what every GraphQL error (and the CSV download's, which
/// has the same shape) carries.
pub fn extensions(
    code: &str,
    field: Option<String>,
    reason: Option<Reason>,
    params: &[(&'static str, i64)],
) -> ErrorExtensionValues {
    let mut extensions = ErrorExtensionValues::default();
    extensions.set("code", code);
    if let Some(field) = field {
        extensions.set("field", field);
    }
    if let Some(reason) = reason {
        extensions.set("reason", reason_name(reason));
    }
    for &(name, value) in params {
        extensions.set(name, value);
    }
    extensions
}

/// A document refused before it runs (too costly, introspection in production):
/// `GRAPHQL_VALIDATION_FAILED`, like the parser's and validator's own refusals.
pub fn document_refused(message: impl Into<String>) -> ServerError {
    let mut error = ServerError::new(message, None);
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", "GRAPHQL_VALIDATION_FAILED");
    error
}

/// Gives a code to errors that did not come through `AppError`: parse and validation errors
/// (no path: `GRAPHQL_VALIDATION_FAILED`) and argument coercion errors (with a path:
/// `BAD_USER_INPUT`). Run on every response (`executor::GuardedSchema`).
pub fn ensure_code(error: &mut ServerError) {
    let extensions = error.extensions.get_or_insert_with(Default::default);
    if extensions.get("code").is_none() {
        if error.path.is_empty() {
            extensions.set("code", "GRAPHQL_VALIDATION_FAILED");
        } else {
            // An argument of the wrong type (a string for an Int, an unknown enum value).
            extensions.set("code", "BAD_USER_INPUT");
            extensions.set("reason", reason_name(Reason::InvalidFormat));
        }
    }
}
