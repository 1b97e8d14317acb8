//! The Telegram bot: messages with "Take it" and "Open" buttons, and the button presses read by
//! long polling `getUpdates` (no public webhook needed).
//!
//! Only presses from the configured chat count; a press takes the order (NEW → IN_PROGRESS,
//! only if still NEW) through the work queue's [`leads::move_if`], so the order's history says
//! which Telegram user took it and the first response is stamped once. The press is answered
//! (`answerCallbackQuery`) and the message is edited to say who took it and when.
//!
//! Only one replica polls: it holds a PostgreSQL advisory lock on a connection of its own
//! (SQLite is one process), and a standby takes over when that connection ends.

use std::{sync::Arc, time::Duration};

use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{Failure, FailureKind, Inner, Kind, Notice, Style, message};
use crate::{config::TelegramConfig, error::AppError, leads, values::now};

/// The advisory lock key of the button poller ("ODTG").
const POLLER_LOCK: i64 = 0x4f44_5447;
const TAKE_PREFIX: &str = "take:";

#[derive(Clone)]
pub struct Telegram {
    client: reqwest::Client,
    config: TelegramConfig,
}

#[derive(Deserialize)]
struct Reply<T> {
    ok: bool,
    result: Option<T>,
    description: Option<String>,
}

#[derive(Deserialize)]
struct Update {
    update_id: i64,
    callback_query: Option<CallbackQuery>,
}

#[derive(Deserialize)]
struct CallbackQuery {
    id: String,
    from: User,
    message: Option<MessageRef>,
    data: Option<String>,
}

#[derive(Deserialize)]
struct User {
    id: i64,
    first_name: String,
    last_name: Option<String>,
    username: Option<String>,
}

#[derive(Deserialize)]
struct MessageRef {
    message_id: i64,
    chat: Chat,
}

#[derive(Deserialize)]
struct Chat {
    id: i64,
}

impl User {
    fn display(&self) -> String {
        match &self.username {
            Some(username) => format!("@{username}"),
            None => match &self.last_name {
                Some(last) => format!("{} {last}", self.first_name),
                None => self.first_name.clone(),
            },
        }
    }
}

/// Telegram refuses URL buttons that point at this machine; the link stays in the text.
fn button_url_allowed(url: &str) -> bool {
    let host = url.split_once("://").map_or("", |(_, rest)| {
        rest.split(['/', ':', '?']).next().unwrap_or("")
    });
    !(host.is_empty() || host == "localhost" || host.starts_with("127.") || host == "[::1]")
}

/// The buttons under a message: "Take it" while the order may still be taken, and "Open".
fn keyboard(style: &Style, lead_id: Uuid, with_take: bool) -> Value {
    let (take, open) = message::button_labels(style.language);
    let mut row = Vec::new();
    if with_take {
        row.push(json!({ "text": take, "callback_data": format!("{TAKE_PREFIX}{lead_id}") }));
    }
    let url = message::card_url(style, lead_id);
    if button_url_allowed(&url) {
        row.push(json!({ "text": open, "url": url }));
    }
    json!({ "inline_keyboard": [row] })
}

impl Telegram {
    pub fn new(client: reqwest::Client, config: TelegramConfig) -> Self {
        Self { client, config }
    }

    /// Calls a Bot API method. Errors never carry the URL: the token is in it.
    async fn call<T: serde::de::DeserializeOwned>(
        &self,
        method: &str,
        body: &Value,
        timeout: Option<Duration>,
    ) -> Result<T, Failure> {
        let url = format!(
            "{}/bot{}/{method}",
            self.config.api_url,
            self.config.token.expose_str()
        );
        let mut request = self.client.post(url).json(body);
        if let Some(timeout) = timeout {
            request = request.timeout(timeout);
        }
        let response = request
            .send()
            .await
            .map_err(|e| Failure::call(&format!("Telegram {method}"), e))?;
        let status = response.status();
        let reply: Reply<T> = response.json().await.map_err(|e| {
            Failure::new(
                FailureKind::ServiceError,
                format!(
                    "Telegram {method}: HTTP {}, unreadable answer ({})",
                    status.as_u16(),
                    e.without_url()
                ),
            )
        })?;
        match (reply.ok, reply.result) {
            (true, Some(result)) => Ok(result),
            // Refused with a reason (401: the token; 400: the chat; 403: the bot was blocked).
            _ => Err(Failure::http(
                status.as_u16(),
                format!(
                    "Telegram {method}: HTTP {}: {}",
                    status.as_u16(),
                    reply
                        .description
                        .unwrap_or_else(|| "no description".to_owned())
                ),
            )),
        }
    }

    pub async fn send(&self, notice: &Notice, style: &Style) -> Result<(), Failure> {
        let mut body = json!({
            "chat_id": self.config.chat_id,
            "text": message::telegram_html(notice, style),
            "parse_mode": "HTML",
            "link_preview_options": { "is_disabled": true },
        });
        if let (Some(lead), true) = (&notice.lead, notice.kind != Kind::Test) {
            body["reply_markup"] = keyboard(style, lead.id, true);
        }
        self.call::<Value>("sendMessage", &body, None)
            .await
            .map(|_| ())
    }

    async fn get_updates(
        &self,
        offset: Option<i64>,
        request_timeout: Duration,
    ) -> Result<Vec<Update>, Failure> {
        let mut body = json!({
            "timeout": self.config.poll_timeout.as_secs(),
            "allowed_updates": ["callback_query"],
        });
        if let Some(offset) = offset {
            body["offset"] = json!(offset);
        }
        // The long poll itself may take `poll_timeout`; the call's timeout comes on top.
        self.call(
            "getUpdates",
            &body,
            Some(self.config.poll_timeout + request_timeout),
        )
        .await
    }

    async fn answer(&self, callback_id: &str, text: &str) {
        let body = json!({ "callback_query_id": callback_id, "text": text });
        if let Err(err) = self.call::<Value>("answerCallbackQuery", &body, None).await {
            tracing::warn!(error = %err, "could not answer a button press");
        }
    }
}

/// The poller's right to poll: a PostgreSQL session holding the advisory lock, or nothing to
/// hold on SQLite.
enum PollLock {
    Postgres(sea_orm::sqlx::PgConnection),
    Sqlite,
}

impl PollLock {
    async fn acquire(inner: &Inner) -> Result<Option<Self>, String> {
        use sea_orm::sqlx::Connection as _;
        if inner.db.get_database_backend() != sea_orm::DbBackend::Postgres {
            return Ok(Some(Self::Sqlite));
        }
        let mut conn = sea_orm::sqlx::PgConnection::connect(&inner.database_url)
            .await
            .map_err(|e| format!("lock connection: {e}"))?;
        let held: bool = sea_orm::sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(POLLER_LOCK)
            .fetch_one(&mut conn)
            .await
            .map_err(|e| format!("advisory lock: {e}"))?;
        if held {
            Ok(Some(Self::Postgres(conn)))
        } else {
            let _ = conn.close().await;
            Ok(None)
        }
    }

    /// Whether the session holding the lock is still alive.
    async fn still_held(&mut self) -> bool {
        match self {
            Self::Sqlite => true,
            Self::Postgres(conn) => sea_orm::sqlx::query("SELECT 1")
                .execute(&mut *conn)
                .await
                .is_ok(),
        }
    }
}

/// Reads button presses for as long as the server runs (aborted at shutdown: a press not yet
/// confirmed is fetched again and finds its order taken).
pub async fn poll_buttons(telegram: Telegram, inner: Arc<Inner>) {
    let pause = inner.settings.poll_interval;
    loop {
        let mut lock = match PollLock::acquire(&inner).await {
            Ok(Some(lock)) => lock,
            Ok(None) => {
                // Another replica polls; take over if it stops.
                tokio::time::sleep(pause).await;
                continue;
            }
            Err(err) => {
                tracing::warn!(error = %err, "telegram poller could not take its lock");
                tokio::time::sleep(pause).await;
                continue;
            }
        };
        tracing::info!("telegram: reading button presses");
        let mut offset = None;
        while lock.still_held().await {
            match telegram.get_updates(offset, inner.settings.timeout).await {
                Ok(updates) => {
                    for update in updates {
                        offset = Some(update.update_id + 1);
                        if let Some(press) = update.callback_query {
                            handle_press(&telegram, &inner, press).await;
                        }
                    }
                }
                Err(err) => {
                    tracing::warn!(error = %err, "telegram getUpdates failed");
                    tokio::time::sleep(pause).await;
                }
            }
        }
        tracing::warn!("telegram poller lost its lock connection; taking it again");
    }
}

async fn handle_press(telegram: &Telegram, inner: &Inner, press: CallbackQuery) {
    let Some(origin) = &press.message else {
        return;
    };
    if origin.chat.id != telegram.config.chat_id {
        tracing::info!(
            chat = origin.chat.id,
            "button press from another chat ignored"
        );
        return;
    }
    let style = &inner.style;
    let lead_id = press
        .data
        .as_deref()
        .and_then(|data| data.strip_prefix(TAKE_PREFIX))
        .and_then(|id| Uuid::parse_str(id).ok());
    let Some(lead_id) = lead_id else {
        telegram.answer(&press.id, "").await;
        return;
    };
    let who = press.from.display();
    let actor = leads::Actor::Telegram {
        user_id: press.from.id,
        name: who.clone(),
    };
    let taken = leads::move_if(
        &inner.db,
        lead_id,
        leads::LeadStatus::New,
        leads::LeadStatus::InProgress,
        &actor,
    )
    .await;
    match taken {
        Ok(Some(lead)) => {
            tracing::info!(lead = %lead_id, "order taken from Telegram");
            telegram
                .answer(&press.id, message::take_answer(style.language, true))
                .await;
            let taken_at = lead.first_response_at.unwrap_or_else(now);
            let notice = Notice {
                delivery_id: Uuid::nil(),
                kind: Kind::NewOrder,
                lead: Some(lead),
            };
            let text = message::telegram_html(&notice, style)
                + &message::taken_line(&who, taken_at, style);
            let body = json!({
                "chat_id": origin.chat.id,
                "message_id": origin.message_id,
                "text": text,
                "parse_mode": "HTML",
                "link_preview_options": { "is_disabled": true },
                "reply_markup": keyboard(style, lead_id, false),
            });
            if let Err(err) = telegram.call::<Value>("editMessageText", &body, None).await {
                tracing::warn!(error = %err, "could not edit the message of a taken order");
            }
        }
        // Taken by someone else, moved by an admin, or deleted since the message went out.
        Ok(None) | Err(AppError::NotFound(_)) => {
            telegram
                .answer(&press.id, message::take_answer(style.language, false))
                .await;
        }
        Err(err) => {
            tracing::warn!(error = ?err, "could not take an order from Telegram");
            telegram.answer(&press.id, "⚠").await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_links_get_no_button() {
        assert!(button_url_allowed("https://desk.example.com/admin/leads/1"));
        assert!(!button_url_allowed("http://localhost:8080/admin/leads/1"));
        assert!(!button_url_allowed("http://127.0.0.1:8080/admin/leads/1"));
    }
}
