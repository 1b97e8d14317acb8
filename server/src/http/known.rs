//! The public page's two hot documents, answered without the general GraphQL executor.
//!
//! Every open public page sends one `submitMetrics` batch a second, and every order is one
//! `submitApplication`, always with the same documents (`public-site/src/api/documents.ts`).
//! Run through the executor, each is parsed into a JSON-like value tree, coerced field by field
//! into the input type and walked by the validator: most of the server's CPU per request, and
//! all of it repeated work, because the documents never change. So a request whose `query` is
//! exactly one of them has its variables read straight into the input type (one pass, no value
//! tree) and goes to the same domain call as the resolver, answered with the same JSON.
//!
//! This path accepts a subset of what the executor accepts and answers it identically: the
//! types are the schema's own input types (or, for the order, a flat record generated from the
//! same table), and anything they cannot read as they are (a type mismatch, an unknown field,
//! another operation name, a duplicate key) falls through to the executor, which gives the
//! canonical answer. `tests/api/metrics.rs` and `tests/api/leads.rs` send every case of a
//! corpus both ways and compare the responses byte for byte.

use std::{marker::PhantomData, net::IpAddr};

use async_graphql::{Name, PathSegment, Pos, Response, ScalarType, ServerError, Value, indexmap};
use serde::{Deserialize, Deserializer, de};
use serde_json::{Map, Value as Json};

use crate::{
    error::AppError,
    graphql::{
        leads::{ApplicationFields, ApplicationInput},
        metrics::MetricsBatchInput,
    },
    state::AppState,
};

/// One document of the public page: its text character for character, its operation's name,
/// its one field, and the variables it takes.
pub trait KnownDocument {
    const DOCUMENT: &'static str;
    const OPERATION: &'static str;
    const FIELD: &'static str;
    type Variables: for<'de> Deserialize<'de>;
}

/// The tracker's batch.
pub struct SubmitMetrics;

impl KnownDocument for SubmitMetrics {
    const DOCUMENT: &'static str =
        "mutation SubmitMetrics($input: MetricsBatchInput!) { submitMetrics(input: $input) }";
    const OPERATION: &'static str = "SubmitMetrics";
    const FIELD: &'static str = "submitMetrics";
    type Variables = Input<MetricsBatchInput>;
}

/// The order form.
pub struct SubmitApplication;

impl KnownDocument for SubmitApplication {
    const DOCUMENT: &'static str = "mutation SubmitApplication($input: ApplicationInput!) { submitApplication(input: $input) { id createdAt } }";
    const OPERATION: &'static str = "SubmitApplication";
    const FIELD: &'static str = "submitApplication";
    type Variables = Input<ApplicationFields>;
}

/// The public page's tracker document, character for character.
pub const SUBMIT_METRICS: &str = SubmitMetrics::DOCUMENT;
/// The public page's order document, character for character.
pub const SUBMIT_APPLICATION: &str = SubmitApplication::DOCUMENT;

/// `{ "input": … }` and nothing else.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Input<T> {
    input: T,
}

/// The request parameters (`protocol::GraphQLParams`) when they carry document `K`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = ""))]
struct KnownRequest<K: KnownDocument> {
    #[serde(deserialize_with = "exactly::<K, _>")]
    #[allow(dead_code)] // Its whole job is to refuse any other document, early.
    query: PhantomData<K>,
    #[serde(default)]
    operation_name: Option<String>,
    variables: K::Variables,
    /// Read as the general path reads it, so a malformed one is refused the same way there.
    #[serde(default)]
    #[allow(dead_code)]
    extensions: Option<Map<String, Json>>,
}

/// The variables, when `body` is a request for document `K` this path may answer; `None` sends
/// it to the executor.
fn variables<K: KnownDocument>(body: &[u8]) -> Option<K::Variables> {
    let request: KnownRequest<K> = serde_json::from_slice(body).ok()?;
    match request.operation_name.as_deref() {
        None => Some(request.variables),
        Some(name) if name == K::OPERATION => Some(request.variables),
        Some(_) => None,
    }
}

/// The tracker's batch, when `body` is one this path may answer.
pub fn tracker_batch(body: &[u8]) -> Option<MetricsBatchInput> {
    variables::<SubmitMetrics>(body).map(|v| v.input)
}

/// The order, when `body` is one this path may answer.
pub fn application(body: &[u8]) -> Option<ApplicationInput> {
    variables::<SubmitApplication>(body).map(|v| v.input.into())
}

/// What the executor answers for the tracker's document: `{"data":{"submitMetrics":true}}`, or
/// the domain's error at the field's path and position, with `data` null (the field is
/// non-null).
pub async fn submit_metrics(state: &AppState, ip: IpAddr, input: MetricsBatchInput) -> Response {
    answer::<SubmitMetrics>(
        crate::graphql::metrics::submit(state, ip, input)
            .await
            .map(|()| Value::Boolean(true)),
    )
}

/// What the executor answers for the order's document: `{"data":{"submitApplication":{"id":…,
/// "createdAt":…}}}` in the document's order, or the domain's error as for the tracker.
pub async fn submit_application(state: &AppState, ip: IpAddr, input: ApplicationInput) -> Response {
    answer::<SubmitApplication>(crate::graphql::leads::submit(state, ip, input).await.map(
        |payload| {
            let mut receipt = indexmap::IndexMap::new();
            receipt.insert(Name::new("id"), payload.id.to_value());
            receipt.insert(Name::new("createdAt"), payload.created_at.to_value());
            Value::Object(receipt)
        },
    ))
}

fn answer<K: KnownDocument>(result: Result<Value, AppError>) -> Response {
    match result {
        Ok(value) => {
            let mut data = indexmap::IndexMap::new();
            data.insert(Name::new(K::FIELD), value);
            Response::new(Value::Object(data))
        }
        Err(err) => {
            let error = async_graphql::Error::from(err);
            let mut server = ServerError::new(error.message, Some(field_position::<K>()));
            server.path = vec![PathSegment::Field(K::FIELD.to_owned())];
            server.extensions = error.extensions;
            Response::from_errors(vec![server])
        }
    }
}

/// Where the field starts in the document (line 1), as the executor reports it.
fn field_position<K: KnownDocument>() -> Pos {
    let column = K::DOCUMENT
        .find(K::FIELD)
        .map_or(1, |offset| K::DOCUMENT[..offset].chars().count() + 1);
    Pos { line: 1, column }
}

/// Accepts exactly `K::DOCUMENT` and refuses anything else at once, before the rest of the
/// body is read.
fn exactly<'de, K: KnownDocument, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<PhantomData<K>, D::Error> {
    struct Exactly<K>(PhantomData<K>);
    impl<K: KnownDocument> de::Visitor<'_> for Exactly<K> {
        type Value = PhantomData<K>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(f, "the document {}", K::OPERATION)
        }
        fn visit_str<E: de::Error>(self, text: &str) -> Result<PhantomData<K>, E> {
            if text == K::DOCUMENT {
                Ok(PhantomData)
            } else {
                Err(E::custom("another document"))
            }
        }
    }
    deserializer.deserialize_str(Exactly(PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_page_sends_these_documents() {
        // Were a page's document to change, every request would quietly take the slow path.
        let documents = include_str!("../../../public-site/src/api/documents.ts");
        for document in [SUBMIT_METRICS, SUBMIT_APPLICATION] {
            assert!(
                documents.contains(&format!("'{document}'")),
                "public-site/src/api/documents.ts no longer sends {document}"
            );
        }
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
            field_position::<SubmitMetrics>(),
            Pos {
                line: 1,
                column: 54
            }
        );
        assert_eq!(
            field_position::<SubmitApplication>(),
            Pos {
                line: 1,
                column: 57
            }
        );
    }

    #[test]
    fn only_the_exact_order_document_takes_this_path() {
        let body = |query: &str, input: serde_json::Value| {
            serde_json::json!({ "query": query, "variables": { "input": input } }).to_string()
        };
        let order = serde_json::json!({ "name": "Анна", "surname": "К", "email": "a@b.c" });
        assert!(application(body(SUBMIT_APPLICATION, order.clone()).as_bytes()).is_some());
        assert!(application(body(SUBMIT_METRICS, order.clone()).as_bytes()).is_none());
        let mut unknown = order.clone();
        unknown["salary"] = serde_json::json!(1);
        assert!(application(body(SUBMIT_APPLICATION, unknown).as_bytes()).is_none());
        let mut numeric_id = order;
        numeric_id["serviceId"] = serde_json::json!(5);
        assert!(
            application(body(SUBMIT_APPLICATION, numeric_id).as_bytes()).is_none(),
            "an Int for an ID is the executor's to coerce"
        );
    }
}
