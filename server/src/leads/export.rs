//! CSV export of a filtered lead list, streamed page by page: memory stays flat however many
//! leads there are, and no database connection is held between pages.

use futures_util::{Stream, stream};
use sea_orm::DatabaseConnection;

use super::{Cursor, Lead, LeadFilter, list};
use crate::error::AppResult;

const CHUNK: u64 = list::PAGE_MAX;

/// UTF-8 byte order mark: spreadsheet programs then read Cyrillic correctly.
const BOM: &str = "\u{feff}";

const HEADER: [&str; 25] = [
    "id",
    "created_at",
    "priority",
    "score",
    "score_budget",
    "score_company_size",
    "score_urgency",
    "status",
    "lost_reason",
    "first_response_at",
    "name",
    "surname",
    "patronymic",
    "email",
    "phone",
    "service",
    "business_info",
    "business_niche",
    "company_size",
    "budget",
    "deadline",
    "convenient_time",
    "preferred_contact_method",
    "additional_comments",
    "visit_id",
];

enum State {
    Start,
    After(Option<Cursor>),
    Done,
}

/// The CSV document as a stream of chunks: BOM and header first, then one chunk per page.
pub fn csv_stream(
    db: DatabaseConnection,
    filter: LeadFilter,
) -> impl Stream<Item = AppResult<Vec<u8>>> + Send + 'static {
    stream::unfold(State::Start, move |state| {
        let db = db.clone();
        let filter = filter.clone();
        async move {
            match state {
                State::Start => {
                    let mut out = BOM.as_bytes().to_vec();
                    out.extend(write_rows(std::iter::once(
                        HEADER.map(str::to_owned).to_vec(),
                    )));
                    Some((Ok(out), State::After(None)))
                }
                State::After(cursor) => {
                    match list::page(&db, &filter, CHUNK, cursor.as_ref()).await {
                        Ok(page) if page.leads.is_empty() => None,
                        Ok(page) => {
                            let next = if page.has_next_page {
                                State::After(page.leads.last().map(Lead::cursor))
                            } else {
                                State::Done
                            };
                            let rows = write_rows(page.leads.iter().map(row));
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

fn write_rows(rows: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(row.iter().map(|cell| defuse(cell).into_owned()));
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

fn row(lead: &Lead) -> Vec<String> {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    vec![
        lead.id.to_string(),
        lead.created_at.to_rfc3339(),
        lead.priority.as_str().to_owned(),
        lead.score.to_string(),
        lead.breakdown.budget.to_string(),
        lead.breakdown.company_size.to_string(),
        lead.breakdown.urgency.to_string(),
        lead.status.name(),
        text(&lead.lost_reason),
        lead.first_response_at
            .map(|t| t.to_rfc3339())
            .unwrap_or_default(),
        lead.name.clone(),
        lead.surname.clone(),
        text(&lead.patronymic),
        lead.email.clone(),
        text(&lead.phone),
        text(&lead.service_name),
        text(&lead.business_info),
        text(&lead.business_niche),
        text(&lead.company_size),
        text(&lead.budget),
        text(&lead.deadline),
        text(&lead.convenient_time),
        text(&lead.preferred_contact_method),
        text(&lead.additional_comments),
        lead.visit_id.map(|v| v.to_string()).unwrap_or_default(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

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
        ))
        .unwrap();
        assert_eq!(out, "'=1+1,'+7 999,\"say \"\"hi\"\", ok\",Иван\n");
    }
}
