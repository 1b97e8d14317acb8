//! CSV export of a filtered lead list, streamed page by page: memory stays flat however many
//! leads there are, and no database connection is held between pages.
//!
//! Two formats of the same rows:
//! * **machine** (the default, unchanged): `,`-separated, RFC 3339 UTC times, machine names
//!   (`URGENT`, `IN_PROGRESS`, the form's codes) — for scripts and imports.
//! * **people**: for opening in a spreadsheet — headers, priorities, statuses and the form's
//!   choices in the reader's language, local time without seconds in the admin's time zone;
//!   Russian uses `;` (what Excel expects where the decimal mark is a comma), English `,`.
//!
//! CSV rather than XLSX: it streams row by row (an XLSX writer builds the whole workbook in
//! memory), needs no new dependency, and with a UTF-8 BOM Excel and LibreOffice open it with
//! a double click.

use futures_util::{Stream, stream};
use sea_orm::DatabaseConnection;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{
    Cursor, Lead, LeadFilter, LeadOrder,
    choices::{self, Lang},
    list,
    text::{FormField, form_order},
};
use crate::{error::AppResult, scoring::Priority};

const CHUNK: u64 = list::PAGE_MAX;

/// UTF-8 byte order mark: spreadsheet programs then read Cyrillic correctly.
const BOM: &str = "\u{feff}";

/// How a lead fills one of its own columns.
type Cell = fn(&Lead) -> String;

/// The lead's own columns before its form fields: header and value.
const BEFORE_FORM: [(&str, Cell); 10] = [
    ("id", |lead| lead.id.to_string()),
    ("created_at", |lead| lead.created_at.to_rfc3339()),
    ("priority", |lead| lead.priority.as_str().to_owned()),
    ("score", |lead| lead.score.to_string()),
    ("score_budget", |lead| lead.breakdown.budget.to_string()),
    ("score_company_size", |lead| {
        lead.breakdown.company_size.to_string()
    }),
    ("score_urgency", |lead| lead.breakdown.urgency.to_string()),
    ("status", |lead| lead.status.name()),
    ("lost_reason", |lead| {
        lead.lost_reason.clone().unwrap_or_default()
    }),
    ("first_response_at", |lead| {
        lead.first_response_at
            .map(|t| t.to_rfc3339())
            .unwrap_or_default()
    }),
];

/// The lead's own columns after its form fields.
const AFTER_FORM: [(&str, Cell); 1] = [("visit_id", |lead| {
    lead.visit_id.map(|v| v.to_string()).unwrap_or_default()
})];

/// Own columns, then the form's fields in form order (`text::form_order`), then the rest.
fn header() -> Vec<String> {
    let own = |columns: &'static [(&'static str, Cell)]| columns.iter().map(|(name, _)| *name);
    own(&BEFORE_FORM)
        .chain(form_order().map(FormField::column))
        .chain(own(&AFTER_FORM))
        .map(str::to_owned)
        .collect()
}

fn row(lead: &Lead) -> Vec<String> {
    let own = |columns: &'static [(&'static str, Cell)]| columns.iter().map(|(_, cell)| cell(lead));
    let form = lead
        .text
        .form_values(lead.service_name.as_deref())
        .map(|(_, value)| value.unwrap_or_default().to_owned());
    own(&BEFORE_FORM)
        .chain(form)
        .chain(own(&AFTER_FORM))
        .collect()
}

/// Which CSV to write.
#[derive(Debug, Clone, Copy)]
pub enum CsvFormat {
    Machine,
    /// Translated headers and values, local times in `tz`.
    People {
        lang: Lang,
        tz: Tz,
    },
}

impl CsvFormat {
    /// The download's name: dated as its reader counts days (the export's time zone for people,
    /// UTC for machines), and the two formats named apart so one never overwrites the other
    /// in a downloads folder.
    pub fn file_name(self, now: DateTime<Utc>) -> String {
        match self {
            Self::Machine => format!("leads-{}-data.csv", now.format("%Y-%m-%d")),
            Self::People { tz, .. } => {
                format!("leads-{}.csv", now.with_timezone(&tz).format("%Y-%m-%d"))
            }
        }
    }

    fn delimiter(self) -> u8 {
        match self {
            Self::People { lang: Lang::Ru, .. } => b';',
            _ => b',',
        }
    }

    fn header(self) -> Vec<String> {
        match self {
            Self::Machine => header(),
            Self::People { lang, .. } => header()
                .iter()
                .map(|column| column_label(column, lang).to_owned())
                .collect(),
        }
    }

    fn row(self, lead: &Lead) -> Vec<String> {
        match self {
            Self::Machine => row(lead),
            Self::People { lang, tz } => people_row(lead, lang, tz),
        }
    }
}

/// A column's heading for people.
fn column_label(column: &str, lang: Lang) -> &str {
    let (ru, en) = match column {
        "id" => ("Номер", "Number"),
        "created_at" => ("Поступил", "Received"),
        "priority" => ("Приоритет", "Priority"),
        "score" => ("Баллы", "Score"),
        "score_budget" => ("Баллы за бюджет", "Budget points"),
        "score_company_size" => ("Баллы за размер компании", "Company size points"),
        "score_urgency" => ("Баллы за срочность", "Urgency points"),
        "status" => ("Статус", "Status"),
        "lost_reason" => ("Причина потери", "Lost because"),
        "first_response_at" => ("Первая реакция", "First response"),
        "name" => ("Имя", "Name"),
        "surname" => ("Фамилия", "Surname"),
        "patronymic" => ("Отчество", "Patronymic"),
        "email" => ("Эл. почта", "Email"),
        "phone" => ("Телефон", "Phone"),
        "service" => ("Услуга", "Service"),
        "business_info" => ("О бизнесе", "About the business"),
        "business_niche" => ("Ниша", "Niche"),
        "company_size" => ("Размер компании", "Company size"),
        "budget" => ("Бюджет", "Budget"),
        "deadline" => ("Срок", "Deadline"),
        "convenient_time" => ("Удобное время", "Convenient time"),
        "preferred_contact_method" => ("Способ связи", "Contact method"),
        "additional_comments" => ("Комментарий", "Comments"),
        "visit_id" => ("Визит", "Visit"),
        other => (other, other),
    };
    match lang {
        Lang::Ru => ru,
        Lang::En => en,
    }
}

fn priority_label(priority: Priority, lang: Lang) -> &'static str {
    match (priority, lang) {
        (Priority::Urgent, Lang::Ru) => "Срочный",
        (Priority::Medium, Lang::Ru) => "Средний",
        (Priority::Low, Lang::Ru) => "Низкий",
        (Priority::Urgent, Lang::En) => "Urgent",
        (Priority::Medium, Lang::En) => "Medium",
        (Priority::Low, Lang::En) => "Low",
    }
}

/// A status in words; a status this table does not know yet keeps its machine name.
fn status_label(name: &str, lang: Lang) -> String {
    let (ru, en) = match name {
        "NEW" => ("Новая", "New"),
        "IN_PROGRESS" => ("В работе", "In progress"),
        "WON" => ("Выиграна", "Won"),
        "LOST" => ("Потеряна", "Lost"),
        other => (other, other),
    };
    match lang {
        Lang::Ru => ru,
        Lang::En => en,
    }
    .to_owned()
}

/// Local time to the minute: `02.12.2026 09:15` (ru), `2026-12-02 09:15` (en).
fn local_time(at: DateTime<Utc>, lang: Lang, tz: Tz) -> String {
    let pattern = match lang {
        Lang::Ru => "%d.%m.%Y %H:%M",
        Lang::En => "%Y-%m-%d %H:%M",
    };
    at.with_timezone(&tz).format(pattern).to_string()
}

fn people_row(lead: &Lead, lang: Lang, tz: Tz) -> Vec<String> {
    let mut cells = row(lead);
    let header = header();
    for (column, cell) in header.iter().zip(cells.iter_mut()) {
        match column.as_str() {
            // The number the visitor was shown and the card shows; the id is for machines.
            "id" => *cell = lead.request_number(),
            "created_at" => *cell = local_time(lead.created_at, lang, tz),
            "first_response_at" => {
                *cell = lead
                    .first_response_at
                    .map(|at| local_time(at, lang, tz))
                    .unwrap_or_default();
            }
            "priority" => *cell = priority_label(lead.priority, lang).to_owned(),
            "status" => *cell = status_label(&lead.status.name(), lang),
            "company_size" | "budget" | "deadline" | "preferred_contact_method" => {
                *cell = choices::label(cell, lang).into_owned();
            }
            _ => {}
        }
    }
    cells
}

enum State {
    Start,
    After(Option<Cursor>),
    Done,
}

/// The CSV document as a stream of chunks: BOM and header first, then one chunk per page.
pub fn csv_stream(
    db: DatabaseConnection,
    filter: LeadFilter,
    format: CsvFormat,
) -> impl Stream<Item = AppResult<Vec<u8>>> + Send + 'static {
    stream::unfold(State::Start, move |state| {
        let db = db.clone();
        let filter = filter.clone();
        async move {
            match state {
                State::Start => {
                    let mut out = BOM.as_bytes().to_vec();
                    out.extend(write_rows(std::iter::once(format.header()), format));
                    Some((Ok(out), State::After(None)))
                }
                State::After(cursor) => {
                    match list::page(
                        &db,
                        &filter,
                        LeadOrder::RANKED,
                        CHUNK,
                        cursor.as_ref(),
                        false,
                    )
                    .await
                    {
                        Ok(page) if page.leads.is_empty() => None,
                        Ok(page) => {
                            let next = if page.has_next_page {
                                State::After(
                                    page.leads.last().map(|lead| lead.cursor(LeadOrder::RANKED)),
                                )
                            } else {
                                State::Done
                            };
                            let rows = write_rows(page.leads.iter().map(|l| format.row(l)), format);
                            Some((Ok(rows), next))
                        }
                        Err(err) => Some((Err(err), State::Done)),
                    }
                }
                State::Done => None,
            }
        }
    })
}

fn write_rows(rows: impl Iterator<Item = Vec<String>>, format: CsvFormat) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(format.delimiter())
        .from_writer(Vec::new());
    // A phone is stored only as digits, spaces and + ( ) - (anything else is `INVALID_PHONE`),
    // so it can call no function: scripts get it as typed. A spreadsheet would still read
    // "+7 (912) …" as a sum, so the people's file keeps the guard on it too.
    let raw = match format {
        CsvFormat::Machine => header().iter().position(|column| column == "phone"),
        CsvFormat::People { .. } => None,
    };
    for row in rows {
        let cells = row.iter().enumerate().map(|(i, cell)| {
            if Some(i) == raw {
                cell.clone()
            } else {
                defuse(cell).into_owned()
            }
        });
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(cells);
    }
    writer.into_inner().unwrap_or_default()
}

/// A cell starting with = + - @ (or a tab / CR) would run as a formula in a spreadsheet:
/// prefix it with an apostrophe (OWASP's advice against CSV injection).
fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        leads::{LeadStatus, LeadText, text::FIELDS},
        scoring::{Priority, ScoreBreakdown},
    };

    #[test]
    fn the_formats_download_under_their_own_dated_names() {
        // 22:30 UTC on 4 December is already 5 December in Moscow.
        let now = DateTime::parse_from_rfc3339("2026-12-04T22:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let people = |tz| CsvFormat::People { lang: Lang::Ru, tz };
        assert_eq!(
            CsvFormat::Machine.file_name(now),
            "leads-2026-12-04-data.csv"
        );
        assert_eq!(
            people(chrono_tz::Europe::Moscow).file_name(now),
            "leads-2026-12-05.csv"
        );
        assert_eq!(
            people(chrono_tz::UTC).file_name(now),
            "leads-2026-12-04.csv"
        );
    }

    #[test]
    fn every_field_of_the_table_has_its_column() {
        // Pinned: spreadsheets and scripts read these columns in this order.
        assert_eq!(
            header().join(","),
            "id,created_at,priority,score,score_budget,score_company_size,score_urgency,status,\
             lost_reason,first_response_at,name,surname,patronymic,email,phone,service,\
             business_info,business_niche,company_size,budget,deadline,convenient_time,\
             preferred_contact_method,additional_comments,visit_id"
        );
        let mut text = LeadText::default();
        for field in &FIELDS {
            field.set(&mut text, Some(format!("value of {}", field.column)));
        }
        let lead = Lead {
            id: uuid::Uuid::nil(),
            text,
            service_id: None,
            service_name: Some("the service".into()),
            current_service: None,
            score: 0,
            breakdown: ScoreBreakdown {
                budget: 0,
                company_size: 0,
                urgency: 0,
            },
            priority: Priority::Low,
            status: LeadStatus::New,
            lost_reason: None,
            first_response_at: None,
            visit_id: None,
            consent_at: None,
            consent_version: None,
            consent_text: None,
            opened_at: None,
            created_at: chrono::DateTime::UNIX_EPOCH,
        };
        let (header, row) = (header(), row(&lead));
        assert_eq!(header.len(), row.len());
        let cell = |column: &str| {
            let at = header.iter().position(|h| h == column);
            at.and_then(|at| row.get(at)).cloned()
        };
        for field in &FIELDS {
            let expected = format!("value of {}", field.column);
            assert_eq!(cell(field.column), Some(expected), "{}", field.column);
        }
        assert_eq!(cell("service").as_deref(), Some("the service"));
    }

    #[test]
    fn formulas_are_defused_and_quotes_escaped() {
        let out = String::from_utf8(write_rows(
            [vec![
                "=1+1".to_owned(),
                "+7 999".to_owned(),
                "say \"hi\", ok".to_owned(),
                "Иван".to_owned(),
            ]]
            .into_iter(),
            CsvFormat::Machine,
        ))
        .unwrap();
        assert_eq!(out, "'=1+1,'+7 999,\"say \"\"hi\"\", ok\",Иван\n");
    }

    #[test]
    fn the_machine_file_keeps_a_phone_as_typed() {
        let phone = header().iter().position(|c| c == "phone").unwrap();
        let mut row = vec![String::new(); header().len()];
        row[phone] = "+7 (912) 555-01-68".to_owned();
        row[0] = "+1".to_owned();
        let written = |format| {
            let out = String::from_utf8(write_rows([row.clone()].into_iter(), format)).unwrap();
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .delimiter(format.delimiter())
                .from_reader(out.as_bytes());
            let record = reader.records().next().unwrap().unwrap();
            (record[0].to_owned(), record[phone].to_owned())
        };
        assert_eq!(
            written(CsvFormat::Machine),
            ("'+1".to_owned(), "+7 (912) 555-01-68".to_owned()),
            "only the phone column goes unguarded"
        );
        let people = CsvFormat::People {
            lang: Lang::Ru,
            tz: chrono_tz::UTC,
        };
        assert_eq!(written(people).1, "'+7 (912) 555-01-68");
    }
}
