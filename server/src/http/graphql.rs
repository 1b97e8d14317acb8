//! `/graphql`: POST for queries and mutations, GET for the WebSocket (graphql-transport-ws).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use std::str::FromStr;

use async_graphql::{
    Data, Executor,
    http::{ALL_WEBSOCKET_PROTOCOLS, WebSocketProtocols},
};
use axum::{
    extract::{ConnectInfo, FromRequestParts, Request, State, WebSocketUpgrade},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};

use super::{
    HttpState, known,
    protocol::{GraphQLParams, Refusal, ResponseMedia, read_body, require_json_body},
};
use crate::{
    admins,
    auth::{RequestAuth, token_from_init_payload},
    config::Config,
    graphql::{self, ClientIp},
};

pub async fn graphql_post(State(app): State<HttpState>, request: Request) -> Response {
    let media = match ResponseMedia::negotiate(request.headers()) {
        Ok(media) => media,
        Err(refusal) => return refusal.into_response(),
    };
    if let Err(refusal) = require_json_body(request.headers()) {
        return refusal.into_response();
    }
    let ip = client_ip(&request, &app.state.config);
    let auth = RequestAuth::from_headers(request.headers());
    let body = match read_body(request, app.state.config.transport.body_read_timeout).await {
        Ok(body) => body,
        Err(refusal) => return refusal.into_response(),
    };
    if let Some(batch) = known::tracker_batch(&body) {
        return media.respond(known::submit_metrics(&app.state, ip, batch).await);
    }
    if let Some(order) = known::application(&body) {
        return media.respond(known::submit_application(&app.state, ip, order).await);
    }
    let params = match GraphQLParams::from_json(&body) {
        Ok(params) => params,
        Err(refusal) => return refusal.into_response(),
    };
    let request = params
        .into_request()
        .data(auth)
        .data(ClientIp(ip))
        .data(graphql::request_loaders(&app.state));
    media.respond(app.schema.execute(request).await)
}

/// Only the WebSocket upgrade is served on GET: queries go by POST, so a link or an `<img>`
/// can never trigger an operation.
pub async fn graphql_get(State(app): State<HttpState>, request: Request) -> Response {
    let ip = client_ip(&request, &app.state.config);
    if !is_websocket_upgrade(request.headers()) {
        return Refusal::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            "Send GraphQL operations with POST; GET is for WebSocket subscriptions",
        )
        .with_header(header::ALLOW, "POST")
        .into_response();
    }
    let (mut parts, _body) = request.into_parts();
    let Some(protocol) = protocol_of(&parts.headers) else {
        return Refusal::new(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "Offer the graphql-transport-ws WebSocket subprotocol",
        )
        .into_response();
    };
    let upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &()).await {
        Ok(upgrade) => upgrade,
        Err(rejection) => return rejection.into_response(),
    };
    let Some(slot) = app.sockets.admit(ip) else {
        return Refusal::new(
            StatusCode::TOO_MANY_REQUESTS,
            "RATE_LIMITED",
            "Too many WebSockets open from your address",
        )
        .into_response();
    };
    let init_timeout = app.state.config.transport.ws_init_timeout;
    let schema = app.schema.clone();
    let state = app.state.clone();
    // A WebSocket message is a request too: the same cap as an HTTP body (axum's default
    // would take 64 MiB from anybody).
    upgrade
        .max_message_size(super::MAX_BODY_BYTES)
        .max_frame_size(super::MAX_BODY_BYTES)
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| async move {
            let mut data = Data::default();
            data.insert(ClientIp(ip));
            let on_init = move |payload| async move {
                let token = token_from_init_payload(&payload);
                // A token that is present but bad or revoked refuses the connection outright,
                // so a client learns at once that it must sign in again.
                if let Some(token) = &token {
                    let claims = state.jwt.verify(token)?;
                    admins::session_admin(&state.db, claims.admin_id()?, claims.sv).await?;
                }
                let mut data = Data::default();
                data.insert(RequestAuth::for_connection(token));
                Ok(data)
            };
            // The slot is given back when the client closes, or when the socket ends.
            super::websocket::serve(socket, schema, protocol, data, init_timeout, slot, on_init)
                .await;
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
