//! The tracker's batch, answered without the general GraphQL executor.
//!
//! Every open public page sends one `submitMetrics` batch a second, always with the same
//! document (`public-site/src/api/documents.ts`). Run through the executor, each batch is
//! parsed into a JSON-like value tree, coerced field by field into the input type and walked by
//! the validator: most of the server's CPU per batch, and all of it repeated work, because the
//! document never changes. So a request whose `query` is exactly that document has its
//! variables read straight into the input type (one pass, no value tree) and goes to the same
//! domain call as the resolver, answered with the same JSON.
//!
//! This path accepts a subset of what the executor accepts and answers it identically: the
//! types are the schema's own input types, and anything they cannot read as they are (a type
//! mismatch, an unknown field, another operation name, a duplicate key) falls through to the
//! executor, which gives the canonical answer. `tests/api/metrics.rs` sends every case of a
//! corpus both ways and compares the responses byte for byte.

use std::net::IpAddr;

use async_graphql::{Name, PathSegment, Pos, Response, ServerError, Value};
use serde::{Deserialize, Deserializer, de};
use serde_json::{Map, Value as Json};

use crate::{graphql::metrics::MetricsBatchInput, state::AppState};

/// The public page's tracker document, character for character.
pub const SUBMIT_METRICS: &str =
    "mutation SubmitMetrics($input: MetricsBatchInput!) { submitMetrics(input: $input) }";
const OPERATION: &str = "SubmitMetrics";
const FIELD: &str = "submitMetrics";

/// The request parameters (`protocol::GraphQLParams`) when they are the tracker's.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TrackerRequest {
    #[serde(deserialize_with = "tracker_document")]
    #[allow(dead_code)] // Its whole job is to refuse any other document, early.
    query: (),
    #[serde(default)]
    operation_name: Option<String>,
    variables: TrackerVariables,
    /// Read as the general path reads it, so a malformed one is refused the same way there.
    #[serde(default)]
    #[allow(dead_code)]
    extensions: Option<Map<String, Json>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TrackerVariables {
    input: MetricsBatchInput,
}

/// The batch, when `body` is a tracker request this path may answer; `None` sends it to the
/// executor.
pub fn tracker_batch(body: &[u8]) -> Option<MetricsBatchInput> {
    let request: TrackerRequest = serde_json::from_slice(body).ok()?;
    match request.operation_name.as_deref() {
        None | Some(OPERATION) => Some(request.variables.input),
        Some(_) => None,
    }
}

/// What the executor answers for the document: `{"data":{"submitMetrics":true}}`, or the
/// domain's error at the field's path and position, with `data` null (the field is non-null).
pub async fn submit_metrics(state: &AppState, ip: IpAddr, input: MetricsBatchInput) -> Response {
    match crate::graphql::metrics::submit(state, ip, input).await {
        Ok(()) => {
            let mut data = async_graphql::indexmap::IndexMap::new();
            data.insert(Name::new(FIELD), Value::Boolean(true));
            Response::new(Value::Object(data))
        }
        Err(err) => {
            let error = async_graphql::Error::from(err);
            let mut server = ServerError::new(error.message, Some(field_position()));
            server.path = vec![PathSegment::Field(FIELD.to_owned())];
            server.extensions = error.extensions;
            Response::from_errors(vec![server])
        }
    }
}

/// Where `submitMetrics` starts in the document (line 1), as the executor reports it.
fn field_position() -> Pos {
    let column = SUBMIT_METRICS
        .find(FIELD)
        .map_or(1, |offset| SUBMIT_METRICS[..offset].chars().count() + 1);
    Pos { line: 1, column }
}

/// Accepts exactly [`SUBMIT_METRICS`] and refuses anything else at once, before the rest of
/// the body is read.
fn tracker_document<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(), D::Error> {
    struct Exactly;
    impl de::Visitor<'_> for Exactly {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("the tracker's document")
        }
        fn visit_str<E: de::Error>(self, text: &str) -> Result<(), E> {
            if text == SUBMIT_METRICS {
                Ok(())
            } else {
                Err(E::custom("another document"))
            }
        }
    }
    deserializer.deserialize_str(Exactly)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_pages_tracker_sends_this_document() {
        // Were the page's document to change, every batch would quietly take the slow path.
        let documents = include_str!("../../../public-site/src/api/documents.ts");
        assert!(
            documents.contains(&format!("'{SUBMIT_METRICS}'")),
            "public-site/src/api/documents.ts no longer sends http::known::SUBMIT_METRICS"
        );
    }

    #[test]
    fn only_the_exact_document_takes_this_path() {
        let body = |query: &str| {
            serde_json::json!({ "query": query, "variables": { "input": {
                "visitorId": "v", "visitId": "w", "seq": 1, "page": "/", "viewportWidth": 1,
                "viewportHeight": 1, "engagedSeconds": 0, "clicks": [], "points": []
            } } })
            .to_string()
        };
        assert!(tracker_batch(body(SUBMIT_METRICS).as_bytes()).is_some());
        assert!(tracker_batch(body(&format!(" {SUBMIT_METRICS}")).as_bytes()).is_none());
        assert!(tracker_batch(body("{ __typename }").as_bytes()).is_none());
        assert!(tracker_batch(b"[]").is_none());
    }

    #[test]
    fn the_field_is_where_the_executor_says() {
        assert_eq!(
            field_position(),
            Pos {
                line: 1,
                column: 54
            }
        );
    }
}
