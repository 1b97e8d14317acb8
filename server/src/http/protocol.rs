//! GraphQL over HTTP, as its specification says: what a POST must look like, how a response is
//! typed, and how every refusal is a JSON GraphQL error with a code and the right status.
//!
//! Only `application/json` bodies are accepted. That is the specification's media type, and it
//! is also what stops cross-site requests: a page on another site can send `text/plain`, form
//! and multipart bodies without asking (no CORS preflight), but not `application/json`.

use std::time::Duration;

use axum::{
    body::{Body, to_bytes},
    extract::Request,
    http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::MAX_BODY_BYTES;

const JSON: &str = "application/json; charset=utf-8";
const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json; charset=utf-8";

/// A request refused before GraphQL saw it: `{"errors":[{"message", "extensions":{"code"}}]}`.
#[derive(Debug)]
pub struct Refusal {
    status: StatusCode,
    code: &'static str,
    message: String,
    header: Option<(HeaderName, &'static str)>,
}

impl Refusal {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            header: None,
        }
    }

    pub fn with_header(mut self, name: HeaderName, value: &'static str) -> Self {
        self.header = Some((name, value));
        self
    }

    fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "BAD_REQUEST", message)
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let body = json!({
            "errors": [{ "message": self.message, "extensions": { "code": self.code } }]
        });
        let mut response = (
            self.status,
            [(header::CONTENT_TYPE, HeaderValue::from_static(JSON))],
            body.to_string(),
        )
            .into_response();
        if let Some((name, value)) = self.header {
            response
                .headers_mut()
                .insert(name, HeaderValue::from_static(value));
        }
        response
    }
}

/// `Content-Type: application/json`, optionally with `charset=utf-8`; anything else is 415.
pub fn require_json_body(headers: &HeaderMap) -> Result<(), Refusal> {
    let refuse = || {
        Refusal::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "Send the operation as JSON with Content-Type: application/json",
        )
    };
    let value = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(refuse)?;
    let mut parts = value.split(';').map(str::trim);
    if !parts
        .next()
        .is_some_and(|media| media.eq_ignore_ascii_case("application/json"))
    {
        return Err(refuse());
    }
    for parameter in parts.filter(|p| !p.is_empty()) {
        let (name, value) = parameter.split_once('=').ok_or_else(refuse)?;
        let value = value.trim().trim_matches('"');
        if name.trim().eq_ignore_ascii_case("charset") && !value.eq_ignore_ascii_case("utf-8") {
            return Err(refuse());
        }
    }
    Ok(())
}

/// Reads the whole body within `timeout`, at most [`MAX_BODY_BYTES`] of it (413 past that,
/// whether the size was announced or the body was chunked; 408 when it stalls).
pub async fn read_body(request: Request, timeout: Duration) -> Result<axum::body::Bytes, Refusal> {
    let too_large = || {
        Refusal::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
            format!("The request is larger than {} KiB", MAX_BODY_BYTES / 1024),
        )
    };
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        return Err(too_large());
    }
    let body: Body = request.into_body();
    match tokio::time::timeout(timeout, to_bytes(body, MAX_BODY_BYTES)).await {
        Err(_) => Err(Refusal::new(
            StatusCode::REQUEST_TIMEOUT,
            "REQUEST_TIMEOUT",
            "The request body did not arrive in time",
        )),
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(err)) if is_length_limit(&err) => Err(too_large()),
        Ok(Err(_)) => Err(Refusal::bad_request("The request body could not be read")),
    }
}

fn is_length_limit(err: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(cause) = source {
        if cause.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = cause.source();
    }
    false
}

/// The request parameters of the specification: `query` a string, `operationName` a string or
/// null, `variables` and `extensions` maps or null. One operation a request: a batch (a JSON
/// array) is refused, so one request is one operation's worth of work.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GraphQLParams {
    query: String,
    #[serde(default)]
    operation_name: Option<String>,
    /// Read straight into GraphQL values: no intermediate JSON tree to build and convert.
    #[serde(default)]
    variables: Option<async_graphql::Variables>,
    #[serde(default)]
    #[allow(dead_code)] // Accepted as the specification requires; no extension is used.
    extensions: Option<Map<String, Value>>,
}

impl GraphQLParams {
    pub fn from_json(body: &[u8]) -> Result<Self, Refusal> {
        // A well-formed request is read in one pass; only a refused one is read again, as a
        // JSON tree, to say what exactly is wrong with it.
        let is_object = body
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|&b| b == b'{');
        if is_object && let Ok(params) = serde_json::from_slice::<Self>(body) {
            return Ok(params);
        }
        let value: Value = serde_json::from_slice(body)
            .map_err(|err| Refusal::bad_request(format!("The body is not valid JSON: {err}")))?;
        match value {
            Value::Object(_) => serde_json::from_value(value).map_err(|err| {
                Refusal::bad_request(format!("The request parameters are invalid: {err}"))
            }),
            Value::Array(_) => Err(Refusal::bad_request(
                "Batched operations are not supported: send one operation per request",
            )),
            _ => Err(Refusal::bad_request(
                "The body must be a JSON object with a `query`",
            )),
        }
    }

    pub fn into_request(self) -> async_graphql::Request {
        let mut request = async_graphql::Request::new(self.query);
        if let Some(name) = self.operation_name {
            request = request.operation_name(name);
        }
        if let Some(variables) = self.variables {
            request = request.variables(variables);
        }
        request
    }
}

/// What the client accepts: `application/graphql-response+json` (status codes say what went
/// wrong) or the older `application/json` (always 200 once the request is well-formed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseMedia {
    Json,
    GraphQLResponseJson,
}

impl ResponseMedia {
    /// The client's preferred one by `q` (the first listed on a tie); no `Accept` means
    /// `application/json`; an `Accept` that allows neither is 406.
    pub fn negotiate(headers: &HeaderMap) -> Result<Self, Refusal> {
        let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
            return Ok(Self::Json);
        };
        let mut best: Option<(f32, Self)> = None;
        for range in accept.split(',') {
            let mut parts = range.split(';').map(str::trim);
            let media = parts.next().unwrap_or_default().to_ascii_lowercase();
            let quality = parts
                .filter_map(|p| p.split_once('='))
                .find(|(name, _)| name.trim().eq_ignore_ascii_case("q"))
                .and_then(|(_, q)| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let candidate = match media.as_str() {
                "application/graphql-response+json" => Self::GraphQLResponseJson,
                "application/json" | "application/*" | "*/*" => Self::Json,
                _ => continue,
            };
            if quality > 0.0 && best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, candidate));
            }
        }
        best.map(|(_, media)| media).ok_or_else(|| {
            Refusal::new(
                StatusCode::NOT_ACCEPTABLE,
                "NOT_ACCEPTABLE",
                "Accept application/graphql-response+json or application/json",
            )
        })
    }

    /// The GraphQL response, typed as negotiated. With `application/graphql-response+json`, a
    /// request that failed before execution (parse or validation: no data, no error path) is
    /// 400 without a `data` entry.
    pub fn respond(self, response: async_graphql::Response) -> Response {
        let request_error = response.data == async_graphql::Value::Null
            && !response.errors.is_empty()
            && response.errors.iter().all(|e| e.path.is_empty());
        let (status, content_type) = match self {
            Self::Json => (StatusCode::OK, JSON),
            Self::GraphQLResponseJson if request_error => {
                (StatusCode::BAD_REQUEST, GRAPHQL_RESPONSE_JSON)
            }
            Self::GraphQLResponseJson => (StatusCode::OK, GRAPHQL_RESPONSE_JSON),
        };
        let body = if request_error {
            serde_json::to_string(&json!({ "errors": response.errors }))
        } else {
            serde_json::to_string(&response)
        };
        match body {
            Ok(body) => (
                status,
                [
                    (header::CONTENT_TYPE, content_type),
                    (header::VARY, "Accept"),
                ],
                body,
            )
                .into_response(),
            Err(err) => {
                tracing::error!(%err, "cannot serialize a GraphQL response");
                Refusal::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "INTERNAL",
                    "Internal server error",
                )
                .into_response()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_body_is_a_request_or_a_400(body in proptest::collection::vec(any::<u8>(), 0..512)) {
            if let Err(refusal) = GraphQLParams::from_json(&body) {
                prop_assert_eq!(refusal.status, StatusCode::BAD_REQUEST);
            }
        }

        #[test]
        fn any_accept_or_content_type_is_answered(value in "[ -~]{0,80}") {
            if let Ok(value) = HeaderValue::from_str(&value) {
                let mut headers = HeaderMap::new();
                headers.insert(header::ACCEPT, value.clone());
                headers.insert(header::CONTENT_TYPE, value);
                let _ = ResponseMedia::negotiate(&headers);
                let _ = require_json_body(&headers);
            }
        }
    }

    fn headers(pairs: &[(HeaderName, &str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(name, value)| (name.clone(), HeaderValue::from_str(value).unwrap()))
            .collect()
    }

    #[test]
    fn only_json_bodies_are_accepted() {
        for ok in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON;charset=\"UTF-8\"",
        ] {
            assert!(
                require_json_body(&headers(&[(header::CONTENT_TYPE, ok)])).is_ok(),
                "{ok}"
            );
        }
        for refused in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/json; charset=latin1",
            "application/jsonx",
            "application/graphql",
        ] {
            let err = require_json_body(&headers(&[(header::CONTENT_TYPE, refused)])).unwrap_err();
            assert_eq!(err.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{refused}");
        }
        assert!(require_json_body(&HeaderMap::new()).is_err());
    }

    #[test]
    fn accept_is_negotiated() {
        let pick = |accept: &str| ResponseMedia::negotiate(&headers(&[(header::ACCEPT, accept)]));
        assert_eq!(
            ResponseMedia::negotiate(&HeaderMap::new()).unwrap(),
            ResponseMedia::Json
        );
        assert_eq!(pick("application/json").unwrap(), ResponseMedia::Json);
        assert_eq!(pick("*/*").unwrap(), ResponseMedia::Json);
        assert_eq!(
            pick("application/graphql-response+json, application/json;q=0.9").unwrap(),
            ResponseMedia::GraphQLResponseJson
        );
        assert_eq!(
            pick("application/json, application/graphql-response+json").unwrap(),
            ResponseMedia::Json
        );
        assert_eq!(
            pick("application/json;q=0.5, application/graphql-response+json").unwrap(),
            ResponseMedia::GraphQLResponseJson
        );
        assert_eq!(
            pick("text/html").unwrap_err().status,
            StatusCode::NOT_ACCEPTABLE
        );
    }

    #[test]
    fn params_follow_the_specification() {
        assert!(GraphQLParams::from_json(br#"{"query":"{a}","variables":null}"#).is_ok());
        assert!(
            GraphQLParams::from_json(br#"{"query":"{a}","operationName":null,"extensions":{}}"#)
                .is_ok()
        );
        for bad in [
            &br#"{"query":null}"#[..],
            br#"{"query":1}"#,
            br#"{"query":"{a}","variables":"{}"}"#,
            br#"{"query":"{a}","extensions":1}"#,
            br#"[{"query":"{a}"}]"#,
            br#"{"query":"{a}""#,
            b"\xff\xfe",
            b"42",
        ] {
            let err = GraphQLParams::from_json(bad).unwrap_err();
            assert_eq!(err.status, StatusCode::BAD_REQUEST);
            assert_eq!(err.code, "BAD_REQUEST");
        }
    }
}
