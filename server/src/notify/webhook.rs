//! The signed webhook: a JSON body POSTed to `WEBHOOK_URL`.
//!
//! Headers: `X-Order-Desk-Timestamp` (Unix seconds), `X-Order-Desk-Delivery` (the message's
//! id, the same on every retry) and `X-Signature-256: sha256=<hex>`, the HMAC-SHA256 with
//! `WEBHOOK_SECRET` of `<timestamp>.<body>`. A receiver recomputes it over the raw body,
//! compares in constant time, refuses timestamps more than five minutes off its clock, and
//! drops a delivery id it has seen (see the README).

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::{Failure, FailureKind, Notice, Style, message};
use crate::{config::WebhookConfig, values::now};

pub struct Webhook {
    client: reqwest::Client,
    config: WebhookConfig,
}

/// `sha256=<hex>` of `<timestamp>.<body>` under `secret`.
pub fn signature(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    // HMAC takes a key of any length.
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC accepts keys of any length"),
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

impl Webhook {
    pub fn new(client: reqwest::Client, config: WebhookConfig) -> Self {
        Self { client, config }
    }

    pub async fn send(&self, notice: &Notice, style: &Style) -> Result<(), Failure> {
        let at = now();
        let body = serde_json::to_vec(&message::webhook_body(notice, style, at)).map_err(|e| {
            Failure::new(
                FailureKind::Internal,
                format!("could not encode the body: {e}"),
            )
        })?;
        let timestamp = at.timestamp();
        let mut request = self
            .client
            .post(&self.config.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("X-Order-Desk-Timestamp", timestamp.to_string())
            .header("X-Order-Desk-Delivery", notice.delivery_id.to_string());
        if let Some(secret) = &self.config.secret {
            request = request.header(
                "X-Signature-256",
                signature(secret.expose(), timestamp, &body),
            );
        }
        let response = request
            .body(body)
            .send()
            .await
            .map_err(|e| Failure::call("webhook", e))?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else {
            let status = status.as_u16();
            Err(Failure::http(
                status,
                format!("webhook answered HTTP {status}"),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_covers_timestamp_and_body() {
        // echo -n '1800000000.{"a":1}' | openssl dgst -sha256 -hmac 'secret-secret-secret'
        let sig = signature(b"secret-secret-secret", 1_800_000_000, br#"{"a":1}"#);
        assert_eq!(
            sig,
            "sha256=0da5f071feb4514a9058e87a60153fbf55febb74812eab2dbf6126656c1a582a"
        );
        assert_ne!(
            sig,
            signature(b"secret-secret-secret", 1_800_000_001, br#"{"a":1}"#)
        );
        assert_ne!(
            sig,
            signature(b"secret-secret-secret", 1_800_000_000, br#"{"a":2}"#)
        );
        assert_ne!(
            sig,
            signature(b"other-secret-secret!", 1_800_000_000, br#"{"a":1}"#)
        );
    }
}
