//! What a notification says, per channel: pure functions of the lead and the settings, no I/O.
//!
//! Every message carries the priority (its colour and word), the score with its three parts,
//! the name, service, budget, deadline, the contact details and a link to the order card
//! (`PUBLIC_URL` + `/admin/leads/<id>`). Customer text is escaped for the channel's markup:
//! Telegram's HTML subset and the e-mail's HTML part; the webhook sends JSON values.

#![deny(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use super::Kind;
use crate::{config::NotifyLanguage, leads::Lead, scoring::Priority};

/// What rendering needs besides the lead.
#[derive(Debug, Clone)]
pub struct Style {
    pub language: NotifyLanguage,
    /// No trailing `/`.
    pub public_url: String,
    pub timezone: chrono_tz::Tz,
    /// For the reminder's wording.
    pub stale_minutes: u64,
}

/// One message to render: a new order, a reminder about one, or a test.
#[derive(Debug, Clone)]
pub struct Notice {
    /// The outbox row's id: the receiver's idempotency key.
    pub delivery_id: Uuid,
    pub kind: Kind,
    /// Absent for a test message.
    pub lead: Option<Lead>,
}

struct Words {
    new_order: &'static str,
    stale: &'static str,
    test_title: &'static str,
    test_body: &'static str,
    score: &'static str,
    budget_part: &'static str,
    size_part: &'static str,
    urgency_part: &'static str,
    name: &'static str,
    service: &'static str,
    budget: &'static str,
    deadline: &'static str,
    email: &'static str,
    phone: &'static str,
    contact_method: &'static str,
    convenient_time: &'static str,
    open: &'static str,
    take: &'static str,
    taken_by: &'static str,
    none: &'static str,
    minutes: &'static str,
}

const RU: Words = Words {
    new_order: "Новая заявка",
    stale: "Заявка всё ещё новая",
    test_title: "Проверка уведомлений Order Desk",
    test_body: "Этот канал работает: сюда придут новые заявки.",
    score: "Оценка",
    budget_part: "бюджет",
    size_part: "размер компании",
    urgency_part: "срочность",
    name: "Имя",
    service: "Услуга",
    budget: "Бюджет",
    deadline: "Сроки",
    email: "E-mail",
    phone: "Телефон",
    contact_method: "Способ связи",
    convenient_time: "Удобное время",
    open: "Открыть",
    take: "Взять в работу",
    taken_by: "Взял(а) в работу",
    none: "—",
    minutes: "мин",
};

const EN: Words = Words {
    new_order: "New order",
    stale: "Order still new",
    test_title: "Order Desk test message",
    test_body: "This channel works: new orders will arrive here.",
    score: "Score",
    budget_part: "budget",
    size_part: "company size",
    urgency_part: "urgency",
    name: "Name",
    service: "Service",
    budget: "Budget",
    deadline: "Deadline",
    email: "E-mail",
    phone: "Phone",
    contact_method: "Contact method",
    convenient_time: "Convenient time",
    open: "Open",
    take: "Take it",
    taken_by: "Taken by",
    none: "—",
    minutes: "min",
};

fn words(language: NotifyLanguage) -> &'static Words {
    match language {
        NotifyLanguage::Ru => &RU,
        NotifyLanguage::En => &EN,
    }
}

/// The colour as an emoji, its name, and the word.
pub fn priority_label(
    priority: Priority,
    language: NotifyLanguage,
) -> (&'static str, &'static str, &'static str) {
    let (emoji, colour) = match priority {
        Priority::Urgent => ("🔴", "red"),
        Priority::Medium => ("🟡", "yellow"),
        Priority::Low => ("🟢", "green"),
    };
    let word = match (priority, language) {
        (Priority::Urgent, NotifyLanguage::Ru) => "Срочная",
        (Priority::Medium, NotifyLanguage::Ru) => "Средняя",
        (Priority::Low, NotifyLanguage::Ru) => "Низкая",
        (Priority::Urgent, NotifyLanguage::En) => "Urgent",
        (Priority::Medium, NotifyLanguage::En) => "Medium",
        (Priority::Low, NotifyLanguage::En) => "Low",
    };
    (emoji, colour, word)
}

/// The order card in the admin panel.
pub fn card_url(style: &Style, lead_id: Uuid) -> String {
    format!("{}/admin/leads/{lead_id}", style.public_url)
}

/// The button labels: "Take it", "Open".
pub fn button_labels(language: NotifyLanguage) -> (&'static str, &'static str) {
    let w = words(language);
    (w.take, w.open)
}

/// What a button press is answered with: taken now, or not (taken before, or gone).
pub fn take_answer(language: NotifyLanguage, taken: bool) -> &'static str {
    match (language, taken) {
        (NotifyLanguage::Ru, true) => "Заявка взята в работу",
        (NotifyLanguage::Ru, false) => "Заявка уже не новая",
        (NotifyLanguage::En, true) => "The order is yours",
        (NotifyLanguage::En, false) => "The order is no longer new",
    }
}

/// `&`, `<`, `>` and `"` as entities: enough for Telegram's HTML and for e-mail HTML text and
/// attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The title line, plain.
fn title(notice: &Notice, style: &Style) -> String {
    let w = words(style.language);
    match (&notice.kind, &notice.lead) {
        (Kind::Test, _) | (_, None) => w.test_title.to_owned(),
        (kind, Some(lead)) => {
            let (emoji, _, word) = priority_label(lead.priority, style.language);
            match kind {
                Kind::StaleReminder => format!(
                    "⏰ {emoji} {} ({} {} {}) — {word}",
                    w.stale,
                    match style.language {
                        NotifyLanguage::Ru => "уже",
                        NotifyLanguage::En => "for",
                    },
                    style.stale_minutes,
                    w.minutes
                ),
                _ => format!("{emoji} {} — {word}", w.new_order),
            }
        }
    }
}

/// Label and value lines of a lead, plain (the caller escapes).
fn fields(lead: &Lead, language: NotifyLanguage) -> Vec<(&'static str, String)> {
    let w = words(language);
    let b = &lead.breakdown;
    let name = [
        Some(lead.text.name.as_str()),
        Some(lead.text.surname.as_str()),
        lead.text.patronymic.as_deref(),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" ");
    let or_none = |value: Option<&str>| value.unwrap_or(w.none).to_owned();
    let mut lines = vec![
        (
            w.score,
            format!(
                "{}/100 ({} {}, {} {}, {} {})",
                lead.score,
                w.budget_part,
                b.budget,
                w.size_part,
                b.company_size,
                w.urgency_part,
                b.urgency
            ),
        ),
        (w.name, name),
        (w.service, or_none(lead.service_name.as_deref())),
        (w.budget, or_none(lead.text.budget.as_deref())),
        (w.deadline, or_none(lead.text.deadline.as_deref())),
        (w.email, lead.text.email.clone()),
    ];
    for (label, value) in [
        (w.phone, &lead.text.phone),
        (w.contact_method, &lead.text.preferred_contact_method),
        (w.convenient_time, &lead.text.convenient_time),
    ] {
        if let Some(value) = value {
            lines.push((label, value.clone()));
        }
    }
    lines
}

/// Telegram's HTML: bold labels, everything the customer typed escaped.
pub fn telegram_html(notice: &Notice, style: &Style) -> String {
    let w = words(style.language);
    let mut out = format!("<b>{}</b>\n", escape_html(&title(notice, style)));
    match &notice.lead {
        Some(lead) if notice.kind != Kind::Test => {
            out.push('\n');
            for (label, value) in fields(lead, style.language) {
                out.push_str(&format!(
                    "<b>{}:</b> {}\n",
                    escape_html(label),
                    escape_html(&value)
                ));
            }
            let url = card_url(style, lead.id);
            out.push_str(&format!(
                "\n<a href=\"{}\">{}</a>",
                escape_html(&url),
                escape_html(&url)
            ));
        }
        _ => out.push_str(&format!("\n{}", escape_html(w.test_body))),
    }
    out
}

/// The line added to a Telegram message when somebody took the order from it.
pub fn taken_line(who: &str, at: DateTime<Utc>, style: &Style) -> String {
    let w = words(style.language);
    let local = at.with_timezone(&style.timezone);
    format!(
        "\n\n✅ <b>{}:</b> {} · {}",
        escape_html(w.taken_by),
        escape_html(who),
        local.format("%d.%m.%Y %H:%M")
    )
}

/// An e-mail: subject, plain text part, HTML part.
pub struct Email {
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub fn email(notice: &Notice, style: &Style) -> Email {
    let w = words(style.language);
    let subject = match &notice.lead {
        Some(lead) if notice.kind != Kind::Test => format!(
            "{}: {} {} ({}/100)",
            title(notice, style),
            lead.text.name,
            lead.text.surname,
            lead.score
        ),
        _ => title(notice, style),
    };
    // A header line must not break: the customer's name is in the subject.
    let subject: String = subject.chars().filter(|c| !c.is_control()).collect();
    let mut text = format!("{}\n\n", title(notice, style));
    let mut html = format!(
        "<!doctype html><html><body style=\"font-family:sans-serif\"><h2>{}</h2>",
        escape_html(&title(notice, style))
    );
    match &notice.lead {
        Some(lead) if notice.kind != Kind::Test => {
            let (_, colour, word) = priority_label(lead.priority, style.language);
            let css = match colour {
                "red" => "#c62828",
                "yellow" => "#f9a825",
                _ => "#2e7d32",
            };
            html.push_str(&format!(
                "<p><span style=\"background:{css};color:#fff;padding:2px 8px;border-radius:4px\">{}</span></p><table>",
                escape_html(word)
            ));
            for (label, value) in fields(lead, style.language) {
                text.push_str(&format!("{label}: {value}\n"));
                html.push_str(&format!(
                    "<tr><th align=\"left\" style=\"padding-right:12px\">{}</th><td>{}</td></tr>",
                    escape_html(label),
                    escape_html(&value)
                ));
            }
            let url = card_url(style, lead.id);
            text.push_str(&format!("\n{}: {url}\n", w.open));
            html.push_str(&format!(
                "</table><p><a href=\"{}\">{}</a></p>",
                escape_html(&url),
                escape_html(w.open)
            ));
        }
        _ => {
            text.push_str(w.test_body);
            text.push('\n');
            html.push_str(&format!("<p>{}</p>", escape_html(w.test_body)));
        }
    }
    html.push_str("</body></html>");
    Email {
        subject,
        text,
        html,
    }
}

/// The webhook's JSON body. Field names are the API's (camelCase); see the README.
pub fn webhook_body(notice: &Notice, style: &Style, sent_at: DateTime<Utc>) -> Value {
    let event = match notice.kind {
        Kind::NewOrder => "lead.created",
        Kind::StaleReminder => "lead.stale",
        Kind::Test => "test",
    };
    let lead = notice
        .lead
        .as_ref()
        .filter(|_| notice.kind != Kind::Test)
        .map(|lead| {
            let (_, colour, word) = priority_label(lead.priority, style.language);
            json!({
                "id": lead.id,
                "url": card_url(style, lead.id),
                "priority": lead.priority.as_str(),
                "priorityColor": colour,
                "priorityLabel": word,
                "score": lead.score,
                "scoreBreakdown": {
                    "budget": lead.breakdown.budget,
                    "companySize": lead.breakdown.company_size,
                    "urgency": lead.breakdown.urgency,
                },
                "status": lead.status.name(),
                "name": lead.text.name,
                "surname": lead.text.surname,
                "patronymic": lead.text.patronymic,
                "email": lead.text.email,
                "phone": lead.text.phone,
                "serviceName": lead.service_name,
                "budget": lead.text.budget,
                "deadline": lead.text.deadline,
                "companySize": lead.text.company_size,
                "preferredContactMethod": lead.text.preferred_contact_method,
                "convenientTime": lead.text.convenient_time,
                "createdAt": lead.created_at,
            })
        });
    json!({
        "event": event,
        "deliveryId": notice.delivery_id,
        "sentAt": sent_at,
        "lead": lead,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::{
        leads::{LeadStatus, LeadText},
        scoring::ScoreBreakdown,
    };

    fn style(language: NotifyLanguage) -> Style {
        Style {
            language,
            public_url: "https://desk.example.com".into(),
            timezone: chrono_tz::Europe::Moscow,
            stale_minutes: 30,
        }
    }

    fn lead() -> Lead {
        Lead {
            id: Uuid::parse_str("0190f0f0-0000-7000-8000-000000000001").unwrap(),
            text: LeadText {
                name: "<b>Иван</b>".into(),
                surname: "Петров & Co".into(),
                email: "ivan@example.com".into(),
                phone: Some("+7 999 123-45-67".into()),
                budget: Some("5 млн".into()),
                deadline: Some("срочно".into()),
                ..LeadText::default()
            },
            service_id: None,
            service_name: Some("<script>alert(1)</script>".into()),
            current_service: None,
            score: 95,
            breakdown: ScoreBreakdown {
                budget: 40,
                company_size: 25,
                urgency: 30,
            },
            priority: Priority::Urgent,
            status: LeadStatus::New,
            lost_reason: None,
            first_response_at: None,
            visit_id: None,
            consent_at: None,
            consent_version: None,
            consent_text: None,
            opened_at: None,
            created_at: DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
        }
    }

    fn notice(kind: Kind) -> Notice {
        Notice {
            delivery_id: Uuid::nil(),
            kind,
            lead: Some(lead()),
        }
    }

    #[test]
    fn telegram_says_everything_and_escapes_the_customer() {
        let html = telegram_html(&notice(Kind::NewOrder), &style(NotifyLanguage::Ru));
        for expected in [
            "🔴 Новая заявка — Срочная",
            "95/100 (бюджет 40, размер компании 25, срочность 30)",
            "&lt;b&gt;Иван&lt;/b&gt; Петров &amp; Co",
            "&lt;script&gt;alert(1)&lt;/script&gt;",
            "5 млн",
            "срочно",
            "ivan@example.com",
            "+7 999 123-45-67",
            "https://desk.example.com/admin/leads/0190f0f0-0000-7000-8000-000000000001",
        ] {
            assert!(html.contains(expected), "{expected} missing in {html}");
        }
        assert!(
            !html.contains("<script>") && !html.contains("<b>Иван"),
            "{html}"
        );
        let en = telegram_html(&notice(Kind::NewOrder), &style(NotifyLanguage::En));
        assert!(en.contains("🔴 New order — Urgent"), "{en}");
        assert!(
            en.contains("(budget 40, company size 25, urgency 30)"),
            "{en}"
        );
    }

    #[test]
    fn each_priority_has_its_colour_and_word() {
        for (priority, emoji, colour, ru, en) in [
            (Priority::Urgent, "🔴", "red", "Срочная", "Urgent"),
            (Priority::Medium, "🟡", "yellow", "Средняя", "Medium"),
            (Priority::Low, "🟢", "green", "Низкая", "Low"),
        ] {
            assert_eq!(
                priority_label(priority, NotifyLanguage::Ru),
                (emoji, colour, ru)
            );
            assert_eq!(
                priority_label(priority, NotifyLanguage::En),
                (emoji, colour, en)
            );
        }
    }

    #[test]
    fn the_reminder_and_the_test_say_what_they_are() {
        let stale = telegram_html(&notice(Kind::StaleReminder), &style(NotifyLanguage::En));
        assert!(stale.contains("Order still new (for 30 min)"), "{stale}");
        let test = Notice {
            delivery_id: Uuid::nil(),
            kind: Kind::Test,
            lead: None,
        };
        let ru = telegram_html(&test, &style(NotifyLanguage::Ru));
        assert!(ru.contains("Проверка уведомлений"), "{ru}");
        assert_eq!(
            webhook_body(&test, &style(NotifyLanguage::En), Utc::now())["event"],
            "test"
        );
    }

    #[test]
    fn email_has_plain_and_escaped_html_parts() {
        let mail = email(&notice(Kind::NewOrder), &style(NotifyLanguage::En));
        assert_eq!(
            mail.subject,
            "🔴 New order — Urgent: <b>Иван</b> Петров & Co (95/100)"
        );
        assert!(
            mail.text.contains("Name: <b>Иван</b> Петров & Co"),
            "{}",
            mail.text
        );
        assert!(
            mail.text
                .contains("Open: https://desk.example.com/admin/leads/")
        );
        assert!(
            mail.html
                .contains("&lt;b&gt;Иван&lt;/b&gt; Петров &amp; Co"),
            "{}",
            mail.html
        );
        assert!(mail.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!mail.html.contains("<script>"));
        assert!(mail.html.contains("background:#c62828"));
        let mut evil = notice(Kind::NewOrder);
        if let Some(lead) = evil.lead.as_mut() {
            lead.text.name = "Ivan\r\nBcc: victim@example.com".into();
        }
        assert!(
            !email(&evil, &style(NotifyLanguage::En))
                .subject
                .contains('\n')
        );
    }

    #[test]
    fn webhook_body_carries_the_lead_as_data() {
        let at = DateTime::from_timestamp(1_800_000_100, 0).unwrap();
        let body = webhook_body(&notice(Kind::NewOrder), &style(NotifyLanguage::Ru), at);
        assert_eq!(body["event"], "lead.created");
        assert_eq!(body["lead"]["priority"], "URGENT");
        assert_eq!(body["lead"]["priorityColor"], "red");
        assert_eq!(body["lead"]["scoreBreakdown"]["companySize"], 25);
        assert_eq!(body["lead"]["name"], "<b>Иван</b>");
        assert_eq!(
            body["lead"]["url"],
            "https://desk.example.com/admin/leads/0190f0f0-0000-7000-8000-000000000001"
        );
        assert_eq!(body["sentAt"], "2027-01-15T08:01:40Z");
    }

    #[test]
    fn the_taken_line_is_local_time_and_escaped() {
        let at = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let line = taken_line("<Anna>", at, &style(NotifyLanguage::Ru));
        assert_eq!(
            line,
            "\n\n✅ <b>Взял(а) в работу:</b> &lt;Anna&gt; · 15.01.2027 11:00"
        );
    }
}
