//! E-mail over SMTP (`lettre`): a plain text part and an HTML part.

use std::time::Duration;

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, MultiPart},
};

use super::{Failure, FailureKind, Notice, Style, message};
use crate::config::EmailConfig;

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    to: Vec<Mailbox>,
}

impl Mailer {
    pub fn new(config: &EmailConfig, timeout: Duration) -> anyhow::Result<Self> {
        // The URL's own error could quote it, password included: say which variable instead.
        let transport =
            AsyncSmtpTransport::<Tokio1Executor>::from_url(config.smtp_url.expose_str())
                .map_err(|_| anyhow::anyhow!("SMTP_URL: not a usable SMTP URL"))?
                .timeout(Some(timeout))
                .build();
        let from = config.from.parse().map_err(|_| {
            anyhow::anyhow!(
                "NOTIFY_EMAIL_FROM: not an address like `Order Desk <desk@example.com>`"
            )
        })?;
        let to = config
            .to
            .iter()
            .map(|a| a.parse())
            .collect::<Result<Vec<Mailbox>, _>>()
            .map_err(|_| anyhow::anyhow!("NOTIFY_EMAIL_TO: not e-mail addresses"))?;
        Ok(Self {
            transport,
            from,
            to,
        })
    }

    pub async fn send(&self, notice: &Notice, style: &Style) -> Result<(), Failure> {
        let mail = message::email(notice, style);
        let mut builder = Message::builder()
            .from(self.from.clone())
            .subject(mail.subject);
        for to in &self.to {
            builder = builder.to(to.clone());
        }
        let message = builder
            .multipart(MultiPart::alternative_plain_html(mail.text, mail.html))
            .map_err(|e| {
                Failure::new(
                    FailureKind::Internal,
                    format!("could not build the e-mail: {e}"),
                )
            })?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| Failure::new(smtp_failure(&e), format!("SMTP: {e}")))
    }
}

/// What an SMTP error means for the admin: a 5xx reply is the server refusing (an address, the
/// sign-in), and so is a server that cannot speak as `SMTP_URL` asks (no STARTTLS, no common
/// way to sign in, a TLS failure: lettre's "client" and TLS errors); a 4xx reply or an answer
/// not understood is its passing trouble; no connection at all is unreachable.
fn smtp_failure(error: &lettre::transport::smtp::Error) -> FailureKind {
    if error.is_timeout() {
        FailureKind::Timeout
    } else if error.is_permanent() || error.is_client() || error.is_tls() {
        FailureKind::Refused
    } else if error.is_transient() || error.is_response() {
        FailureKind::ServiceError
    } else if error.is_transport_shutdown() {
        FailureKind::Internal
    } else {
        FailureKind::Unreachable
    }
}
