//! `/graphql`: POST for queries and mutations, GET for the WebSocket (graphql-transport-ws).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use std::str::FromStr;

use async_graphql::{
    Data,
    http::{ALL_WEBSOCKET_PROTOCOLS, WebSocketProtocols},
};
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::{
    extract::{ConnectInfo, FromRequest, FromRequestParts, Request, State, WebSocketUpgrade},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};

use super::HttpState;
use crate::{
    config::Config,
    graphql::{self, ClientIp, auth::RequestAuth},
};

pub async fn graphql_post(State(app): State<HttpState>, request: Request) -> Response {
    let ip = client_ip(&request, &app.state.config);
    let auth = RequestAuth::from_header(
        request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok()),
    );
    match GraphQLRequest::<async_graphql_axum::rejection::GraphQLRejection>::from_request(
        request,
        &(),
    )
    .await
    {
        Ok(req) => {
            let req = req
                .into_inner()
                .data(auth)
                .data(ClientIp(ip))
                .data(graphql::request_loaders(&app.state));
            GraphQLResponse::from(app.schema.execute(req).await).into_response()
        }
        Err(rejection) => rejection.into_response(),
    }
}

/// Only the WebSocket upgrade is served on GET: queries go by POST, so a link or an `<img>`
/// can never trigger an operation.
pub async fn graphql_get(State(app): State<HttpState>, request: Request) -> Response {
    let ip = client_ip(&request, &app.state.config);
    if !is_websocket_upgrade(request.headers()) {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "POST")],
            "Send GraphQL operations with POST; GET is for WebSocket subscriptions.",
        )
            .into_response();
    }
    let (mut parts, _body) = request.into_parts();
    let Some(protocol) = protocol_of(&parts.headers) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &()).await {
        Ok(upgrade) => upgrade,
        Err(rejection) => return rejection.into_response(),
    };
    let schema = app.schema.clone();
    let jwt = app.state.jwt.clone();
    // A WebSocket message is a request too: the same cap as an HTTP body (axum's default
    // would take 64 MiB from anybody).
    upgrade
        .max_message_size(super::MAX_BODY_BYTES)
        .max_frame_size(super::MAX_BODY_BYTES)
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| {
            let mut data = Data::default();
            data.insert(ClientIp(ip));
            super::websocket::serve(socket, schema, protocol, data, move |payload| async move {
                let token = token_from_init_payload(&payload);
                // A token that is present but bad refuses the connection outright, so a
                // client learns at once that it must sign in again.
                if let Some(token) = &token {
                    jwt.verify(token)?;
                }
                let mut data = Data::default();
                data.insert(RequestAuth::new(token));
                Ok(data)
            })
        })
}

/// The first GraphQL WebSocket protocol the client offers (`graphql-transport-ws`, or the
/// older `graphql-ws`): what `async_graphql_axum::GraphQLProtocol` extracts, but that keeps
/// the protocol to itself, and our own serve loop (`websocket::serve`) needs it.
fn protocol_of(headers: &HeaderMap) -> Option<WebSocketProtocols> {
    headers
        .get(header::SEC_WEBSOCKET_PROTOCOL)?
        .to_str()
        .ok()?
        .split(',')
        .find_map(|p| WebSocketProtocols::from_str(p.trim()).ok())
}

/// `{"Authorization": "Bearer …"}` (any case) or `{"token": "…"}`.
fn token_from_init_payload(payload: &serde_json::Value) -> Option<String> {
    let object = payload.as_object()?;
    object.iter().find_map(|(key, value)| {
        let value = value.as_str()?.trim();
        if key.eq_ignore_ascii_case("authorization") {
            value
                .strip_prefix("Bearer ")
                .or_else(|| value.strip_prefix("bearer "))
                .map(|t| t.trim().to_owned())
        } else if key == "token" {
            Some(value.to_owned())
        } else {
            None
        }
        .filter(|t| !t.is_empty())
    })
}

fn is_websocket_upgrade(headers: &HeaderMap) -> bool {
    headers
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

/// The peer address, or the address a trusted proxy says it forwarded for.
pub fn client_ip(request: &Request, config: &Config) -> IpAddr {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        // An IPv4 client of a dual-stack socket arrives as ::ffff:a.b.c.d.
        .map(|info| info.0.ip().to_canonical());
    let Some(peer) = peer else {
        return IpAddr::V4(Ipv4Addr::UNSPECIFIED);
    };
    if !config.is_trusted_proxy(peer) {
        return peer;
    }
    let headers = request.headers();
    let real_ip = headers
        .get("x-real-ip")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok());
    // The right-most X-Forwarded-For entry is the one our proxy added; earlier ones are
    // whatever the client claimed.
    let forwarded = || {
        headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse().ok())
    };
    real_ip
        .or_else(forwarded)
        .map_or(peer, |ip: IpAddr| ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn init_payload_tokens() {
        assert_eq!(
            token_from_init_payload(&json!({"Authorization": "Bearer abc"})).as_deref(),
            Some("abc")
        );
        assert_eq!(
            token_from_init_payload(&json!({"authorization": "bearer abc"})).as_deref(),
            Some("abc")
        );
        assert_eq!(
            token_from_init_payload(&json!({"token": "t"})).as_deref(),
            Some("t")
        );
        assert_eq!(token_from_init_payload(&json!({"token": ""})), None);
        assert_eq!(token_from_init_payload(&json!(null)), None);
        assert_eq!(token_from_init_payload(&json!({"Authorization": 5})), None);
    }
}
