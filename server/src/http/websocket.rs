//! Serving one GraphQL WebSocket with a cap on the operations it keeps open.
//!
//! async-graphql starts a stream for every `subscribe` a client sends and sets no limit, so a
//! single anonymous connection could open millions of `servicesChanged` streams (each one a
//! query per change). A page needs one or two; past [`MAX_OPERATIONS`] a `subscribe` is refused
//! with an error for that id, and the connection and its other operations go on. A client that
//! keeps subscribing without reading those refusals is cut off rather than queued for.

use std::{
    collections::{HashMap, HashSet},
    net::IpAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use async_graphql::{
    Data, Executor,
    http::{WebSocket as GraphQLStream, WebSocketProtocols, WsMessage},
};
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures_util::{SinkExt, Stream, StreamExt, future};
use serde::Deserialize;
use serde_json::json;
use tokio::sync::mpsc;

/// Operations one connection may keep open at once.
pub const MAX_OPERATIONS: usize = 20;

/// graphql-transport-ws close codes: no `connection_init` in time; an operation before
/// `connection_init`; a `connection_init` whose credentials were refused.
const INIT_TIMEOUT_CLOSE: u16 = 4408;
const UNAUTHORIZED_CLOSE: u16 = 4401;
const FORBIDDEN_CLOSE: u16 = 4403;

/// Serves `socket` like `async_graphql_axum::GraphQLWebSocket::serve`, with the cap, and
/// closes it when no `connection_init` arrives within `init_timeout`.
pub async fn serve<E, OnInit, InitFut>(
    socket: WebSocket,
    executor: E,
    protocol: WebSocketProtocols,
    data: Data,
    init_timeout: Duration,
    slot: SocketSlot,
    on_connection_init: OnInit,
) where
    E: Executor,
    OnInit: FnOnce(serde_json::Value) -> InitFut + Send + 'static,
    InitFut: Future<Output = async_graphql::Result<Data>> + Send + 'static,
{
    let (mut sink, incoming) = socket.split();
    let open = Arc::new(OpenOperations::new(protocol));
    // One more than the cap: room for the close that ends a connection.
    let (refusals, mut refused) = mpsc::channel::<Message>(MAX_OPERATIONS + 1);
    let mut slot = Some(slot);
    let input = admitted(incoming, open.clone(), refusals, move || drop(slot.take()));
    let (init_seen, mut initialized) = tokio::sync::oneshot::channel::<()>();
    let init_refused = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let refused_flag = init_refused.clone();
    let on_connection_init = move |payload| {
        let _ = init_seen.send(());
        let init = on_connection_init(payload);
        async move {
            let result = init.await;
            refused_flag.store(result.is_err(), std::sync::atomic::Ordering::SeqCst);
            result
        }
    };
    let init_deadline = tokio::time::sleep(init_timeout);
    tokio::pin!(init_deadline);
    let mut waiting_for_init = true;
    let mut output = Box::pin(
        GraphQLStream::new(executor, input, protocol)
            .connection_data(data)
            .on_connection_init(on_connection_init)
            .map(|message| match message {
                WsMessage::Text(text) => {
                    open.outgoing(&text);
                    Message::Text(text.into())
                }
                // A refused `connection_init` is 4403 in graphql-transport-ws.
                WsMessage::Close(code, reason) => Message::Close(Some(CloseFrame {
                    code: if init_refused.load(std::sync::atomic::Ordering::SeqCst) {
                        FORBIDDEN_CLOSE
                    } else {
                        code
                    },
                    reason: reason.into(),
                })),
            }),
    );

    loop {
        let message = tokio::select! {
            message = output.next() => match message {
                Some(message) => message,
                None => {
                    // The input ended: what was refused on the way out is still said (a 4401
                    // close ends the input, and must reach the client).
                    while let Ok(refusal) = refused.try_recv() {
                        if sink.send(refusal).await.is_err() {
                            break;
                        }
                    }
                    break;
                }
            },
            Some(refusal) = refused.recv() => refusal,
            _ = &mut initialized, if waiting_for_init => {
                waiting_for_init = false;
                continue;
            }
            () = &mut init_deadline, if waiting_for_init => {
                let _ = sink
                    .send(Message::Close(Some(CloseFrame {
                        code: INIT_TIMEOUT_CLOSE,
                        reason: "Connection initialisation timeout".into(),
                    })))
                    .await;
                break;
            }
        };
        let closing = matches!(message, Message::Close(_));
        if sink.send(message).await.is_err() || closing {
            break;
        }
    }
}

/// WebSockets open per client address, capped: one address cannot hold the server's file
/// descriptors and memory with thousands of idle sockets.
#[derive(Clone)]
pub struct OpenSockets {
    max_per_address: usize,
    per_address: Arc<Mutex<HashMap<IpAddr, usize>>>,
}

impl OpenSockets {
    pub fn new(max_per_address: usize) -> Self {
        Self {
            max_per_address,
            per_address: Arc::default(),
        }
    }

    fn counts(&self) -> std::sync::MutexGuard<'_, HashMap<IpAddr, usize>> {
        self.per_address
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A slot for one more socket from `ip`, or `None` at the cap. The slot is given back
    /// when dropped, i.e. when the socket ends.
    pub fn admit(&self, ip: IpAddr) -> Option<SocketSlot> {
        let key = crate::rate_limit::client_key(ip);
        let mut counts = self.counts();
        let count = counts.entry(key).or_default();
        if *count >= self.max_per_address {
            return None;
        }
        *count += 1;
        Some(SocketSlot {
            sockets: self.clone(),
            key,
        })
    }
}

/// One open socket's place in [`OpenSockets`].
pub struct SocketSlot {
    sockets: OpenSockets,
    key: IpAddr,
}

impl Drop for SocketSlot {
    fn drop(&mut self) {
        let mut counts = self.sockets.counts();
        if let Some(count) = counts.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                counts.remove(&self.key);
            }
        }
    }
}

/// The client's messages as async-graphql is to read them. A refused `subscribe` is answered
/// through `refusals` instead; when that queue is full (the client goes on subscribing while
/// not reading what it was told), the stream ends, and with it the connection. It also ends
/// when the socket fails.
///
/// `on_close` runs when the client's close frame arrives, before the socket answers it: what
/// the connection holds (its place among the address's sockets) is given back by the time the
/// client hears the close confirmed.
fn admitted<E>(
    incoming: impl Stream<Item = Result<Message, E>>,
    open: Arc<OpenOperations>,
    refusals: mpsc::Sender<Message>,
    mut on_close: impl FnMut(),
) -> impl Stream<Item = Vec<u8>> {
    let step = move |bytes: &[u8]| match open.incoming(bytes) {
        Admission::Pass => Some(Some(bytes.to_vec())),
        Admission::Refuse(id) => refusals
            .try_send(Message::Text(open.refusal(&id).into()))
            .ok()
            .map(|()| None),
        // An operation before `connection_init`: the connection ends with 4401.
        Admission::Unauthorized => {
            let _ = refusals.try_send(Message::Close(Some(CloseFrame {
                code: UNAUTHORIZED_CLOSE,
                reason: "Unauthorized".into(),
            })));
            None
        }
    };
    incoming
        .scan((), move |(), message| {
            future::ready(match message {
                Ok(Message::Text(text)) => step(text.as_bytes()),
                Ok(Message::Binary(bytes)) => step(&bytes),
                Ok(Message::Close(_)) => {
                    on_close();
                    Some(None)
                }
                // Pings are answered by the socket itself.
                Ok(_) => Some(None),
                Err(_) => None,
            })
        })
        .filter_map(future::ready)
}

#[derive(Debug, PartialEq, Eq)]
enum Admission {
    Pass,
    /// Over the cap: answer this id with an error instead of starting it.
    Refuse(String),
    /// An operation before `connection_init`.
    Unauthorized,
}

/// The ids of the operations a connection has open, as seen in its messages.
struct OpenOperations {
    protocol: WebSocketProtocols,
    ids: Mutex<HashSet<String>>,
    initialized: std::sync::atomic::AtomicBool,
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "type")]
    kind: String,
    id: Option<String>,
}

impl OpenOperations {
    fn new(protocol: WebSocketProtocols) -> Self {
        Self {
            protocol,
            ids: Mutex::default(),
            initialized: std::sync::atomic::AtomicBool::new(false),
        }
    }

    fn ids(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        // A panic elsewhere while holding the lock cannot leave the set half-changed.
        self.ids
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A client message: `subscribe` (`start` in the older protocol) opens an id, `complete`
    /// (`stop`) closes it. Anything unreadable passes: async-graphql answers it.
    fn incoming(&self, bytes: &[u8]) -> Admission {
        use std::sync::atomic::Ordering;
        let Ok(Envelope { kind, id }) = serde_json::from_slice(bytes) else {
            return Admission::Pass;
        };
        if kind == "connection_init" {
            self.initialized.store(true, Ordering::SeqCst);
            return Admission::Pass;
        }
        let Some(id) = id else {
            return Admission::Pass;
        };
        let starts = matches!(kind.as_str(), "subscribe" | "start");
        if starts && !self.initialized.load(Ordering::SeqCst) {
            return Admission::Unauthorized;
        }
        let mut ids = self.ids();
        match kind.as_str() {
            "subscribe" | "start" if !ids.contains(&id) => {
                if ids.len() >= MAX_OPERATIONS {
                    return Admission::Refuse(id);
                }
                ids.insert(id);
            }
            "complete" | "stop" => {
                ids.remove(&id);
            }
            _ => {}
        }
        Admission::Pass
    }

    /// A server message: `complete` ends an operation (a cheap prefix test first: most
    /// messages are `next` with data).
    fn outgoing(&self, text: &str) {
        if !text.starts_with(r#"{"type":"complete""#) {
            return;
        }
        if let Ok(Envelope { id: Some(id), .. }) = serde_json::from_str(text) {
            self.ids().remove(&id);
        }
    }

    /// The error message for a refused operation, in the connection's protocol.
    fn refusal(&self, id: &str) -> String {
        let error = json!({
            "message": format!("Too many operations on one connection (at most {MAX_OPERATIONS})"),
            "extensions": { "code": crate::error::AppError::RateLimited.code() },
        });
        let payload = match self.protocol {
            WebSocketProtocols::GraphQLWS => json!([error]),
            WebSocketProtocols::SubscriptionsTransportWS => error,
        };
        json!({ "type": "error", "id": id, "payload": payload }).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subscribe(id: &str) -> Vec<u8> {
        json!({"type": "subscribe", "id": id, "payload": {"query": "subscription { servicesChanged { id } }"}})
            .to_string()
            .into_bytes()
    }

    const INIT: &[u8] = br#"{"type":"connection_init","payload":{}}"#;

    #[test]
    fn an_operation_before_connection_init_is_unauthorized() {
        let open = OpenOperations::new(WebSocketProtocols::GraphQLWS);
        assert_eq!(open.incoming(&subscribe("1")), Admission::Unauthorized);
        assert_eq!(open.incoming(INIT), Admission::Pass);
        assert_eq!(open.incoming(&subscribe("1")), Admission::Pass);
    }

    #[test]
    fn operations_past_the_cap_are_refused_until_one_ends() {
        let open = OpenOperations::new(WebSocketProtocols::GraphQLWS);
        open.incoming(INIT);
        for i in 0..MAX_OPERATIONS {
            assert_eq!(open.incoming(&subscribe(&i.to_string())), Admission::Pass);
        }
        // The same id again is async-graphql's to refuse (4409), not a new operation.
        assert_eq!(open.incoming(&subscribe("0")), Admission::Pass);
        assert_eq!(
            open.incoming(&subscribe("extra")),
            Admission::Refuse("extra".into())
        );
        // The client stops one; the server completes another.
        open.incoming(br#"{"type":"complete","id":"0"}"#);
        open.outgoing(r#"{"type":"complete","id":"1"}"#);
        assert_eq!(open.incoming(&subscribe("a")), Admission::Pass);
        assert_eq!(open.incoming(&subscribe("b")), Admission::Pass);
        assert_eq!(
            open.incoming(&subscribe("c")),
            Admission::Refuse("c".into())
        );
        // Data does not end anything; garbage passes on to async-graphql.
        open.outgoing(r#"{"type":"next","id":"2","payload":{"data":null}}"#);
        assert_eq!(open.incoming(b"not json"), Admission::Pass);
        assert_eq!(open.ids().len(), MAX_OPERATIONS);
    }

    #[tokio::test]
    async fn a_client_that_ignores_its_refusals_is_cut_off() {
        let open = Arc::new(OpenOperations::new(WebSocketProtocols::GraphQLWS));
        open.incoming(INIT);
        let (refusals, mut refused) = mpsc::channel(MAX_OPERATIONS);
        let messages = (0..MAX_OPERATIONS * 3).map(|i| {
            let text = String::from_utf8(subscribe(&i.to_string())).unwrap();
            Ok::<_, std::convert::Infallible>(Message::Text(text.into()))
        });
        let passed: Vec<Vec<u8>> =
            admitted(futures_util::stream::iter(messages), open, refusals, || {})
                .collect()
                .await;
        // The first MAX_OPERATIONS start; as many refusals wait unread; the next one ends it.
        assert_eq!(passed.len(), MAX_OPERATIONS);
        let mut waiting = 0;
        while refused.try_recv().is_ok() {
            waiting += 1;
        }
        assert_eq!(waiting, MAX_OPERATIONS);
    }

    #[tokio::test]
    async fn the_clients_close_gives_its_place_back_at_once() {
        let open = Arc::new(OpenOperations::new(WebSocketProtocols::GraphQLWS));
        let (refusals, _refused) = mpsc::channel(MAX_OPERATIONS);
        let sockets = OpenSockets::new(1);
        let ip: IpAddr = "10.0.0.9".parse().unwrap();
        let mut slot = sockets.admit(ip);
        let messages = vec![Ok::<_, std::convert::Infallible>(Message::Close(None))];
        let input = admitted(
            futures_util::stream::iter(messages),
            open,
            refusals,
            move || {
                drop(slot.take());
            },
        );
        let _: Vec<Vec<u8>> = input.collect().await;
        assert!(
            sockets.admit(ip).is_some(),
            "the place came back with the close"
        );
    }

    #[tokio::test]
    async fn pings_pass_over_and_a_failed_socket_ends_the_input() {
        let open = Arc::new(OpenOperations::new(WebSocketProtocols::GraphQLWS));
        let (refusals, _refused) = mpsc::channel(MAX_OPERATIONS);
        let messages = vec![
            Ok(Message::Ping(Vec::new().into())),
            Ok(Message::Text(r#"{"type":"ping"}"#.into())),
            Err("reset"),
            Ok(Message::Text(r#"{"type":"ping"}"#.into())),
        ];
        let passed: Vec<Vec<u8>> =
            admitted(futures_util::stream::iter(messages), open, refusals, || {})
                .collect()
                .await;
        assert_eq!(passed, [br#"{"type":"ping"}"#.to_vec()]);
    }

    #[test]
    fn sockets_are_capped_per_address_and_slots_come_back() {
        let sockets = OpenSockets::new(2);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let first = sockets.admit(a).unwrap();
        let _second = sockets.admit(a).unwrap();
        assert!(sockets.admit(a).is_none());
        assert!(sockets.admit("10.0.0.2".parse().unwrap()).is_some());
        drop(first);
        assert!(sockets.admit(a).is_some());
    }

    #[test]
    fn refusals_speak_the_connections_protocol() {
        let modern: serde_json::Value =
            serde_json::from_str(&OpenOperations::new(WebSocketProtocols::GraphQLWS).refusal("7"))
                .unwrap();
        assert_eq!(modern["type"], "error");
        assert_eq!(modern["id"], "7");
        assert_eq!(modern["payload"][0]["extensions"]["code"], "RATE_LIMITED");
        let legacy: serde_json::Value = serde_json::from_str(
            &OpenOperations::new(WebSocketProtocols::SubscriptionsTransportWS).refusal("7"),
        )
        .unwrap();
        assert_eq!(legacy["payload"]["extensions"]["code"], "RATE_LIMITED");
    }
}
