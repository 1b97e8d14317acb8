//! E-mail over SMTP (`lettre`): a plain text part and an HTML part.

use std::time::Duration;

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, MultiPart},
};

use super::{Notice, Style, message};
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

    pub async fn send(&self, notice: &Notice, style: &Style) -> Result<(), String> {
        let mail = message::email(notice, style);
        let mut builder = Message::builder()
            .from(self.from.clone())
            .subject(mail.subject);
        for to in &self.to {
            builder = builder.to(to.clone());
        }
        let message = builder
            .multipart(MultiPart::alternative_plain_html(mail.text, mail.html))
            .map_err(|e| format!("could not build the e-mail: {e}"))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| format!("SMTP: {e}"))
    }
}
