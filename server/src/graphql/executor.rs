//! The schema as the transports run it (HTTP and WebSocket alike): every document bounded
//! (`cost`) and, in production, refused if it asks for introspection, before execution; every
//! error given a code after.
//!
//! On the WebSocket (`execute_stream`) only subscriptions run: both front-ends send their
//! queries and mutations over HTTP, where nginx's request limit and the server's per-address
//! limits apply. A socket that ran them too would be a way around both: one connection's
//! operations, each finished at once and replaced by the next, unthrottled.
//!
//! These steps were async-graphql extensions. With any extension installed, async-graphql
//! sends every field of every response through the extension chain — a registry lookup and a
//! few boxed futures per field — though none of ours looks at fields: on a page of 50 orders
//! that was a tenth of the server's CPU. Done here, around the schema, they cost the same once
//! per request and nothing per field.

use std::sync::Arc;

use async_graphql::{Data, Executor, Request, Response, ServerError, parser::types::OperationType};
use futures_util::stream::{self, BoxStream, StreamExt};

use super::{
    AppSchema,
    cost::{DocumentLimits, PassedDocuments},
    error::ensure_code,
    introspection,
};

#[derive(Clone)]
pub struct GuardedSchema {
    schema: AppSchema,
    limits: DocumentLimits,
    passed: Arc<PassedDocuments>,
    refuse_introspection: bool,
}

impl GuardedSchema {
    /// `refuse_introspection`: production, where the schema answers no introspection anyway;
    /// the refusal says so instead of answering `__schema` with null.
    pub fn new(schema: AppSchema, refuse_introspection: bool) -> Self {
        Self {
            schema,
            limits: DocumentLimits::default(),
            passed: Arc::default(),
            refuse_introspection,
        }
    }

    /// The request with its document parsed, or why it is refused.
    fn prepare(&self, request: Request) -> Result<Request, ServerError> {
        let mut request = self.passed.bounded(request, &self.limits)?;
        if self.refuse_introspection {
            introspection::refuse(&mut request)?;
        }
        Ok(request)
    }
}

fn with_codes(mut response: Response) -> Response {
    response.errors.iter_mut().for_each(ensure_code);
    response
}

impl Executor for GuardedSchema {
    async fn execute(&self, request: Request) -> Response {
        with_codes(match self.prepare(request) {
            Ok(request) => self.schema.execute(request).await,
            Err(refused) => Response::from_errors(vec![refused]),
        })
    }

    fn execute_stream(
        &self,
        request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        let prepared = self.prepare(request).and_then(|mut request| {
            subscriptions_only(&mut request)?;
            Ok(request)
        });
        match prepared {
            Ok(request) => self
                .schema
                .execute_stream_with_session_data(request, session_data.unwrap_or_default())
                .map(with_codes)
                .boxed(),
            Err(refused) => {
                stream::once(async move { with_codes(Response::from_errors(vec![refused])) })
                    .boxed()
            }
        }
    }
}

/// Refuses a document that holds anything but subscriptions (see the module's comment).
fn subscriptions_only(request: &mut Request) -> Result<(), ServerError> {
    let document = request.parsed_query()?;
    if document
        .operations
        .iter()
        .all(|(_, operation)| operation.node.ty == OperationType::Subscription)
    {
        return Ok(());
    }
    Err(super::error::document_refused(
        "Only subscriptions run on the WebSocket: send queries and mutations over HTTP",
    ))
}
