//! Who did what to a lead: the status history (from → to, who, when) and the admins' notes.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use super::LeadStatus;
use crate::error::is_foreign_key_violation;
use crate::{
    admins::Admin,
    db::entities::{lead, lead_history, lead_note},
    error::{AppError, AppResult, Reason},
    values::{check_text, now},
};

/// Who moved a lead: an admin (named by e-mail), a Telegram user (the "Take it" button of a
/// notification), or the server itself (the spam guard).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Admin { id: Uuid, email: String },
    Telegram { user_id: i64, name: String },
    System,
}

/// The kinds of actor, as stored (`lead_history.actor_kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorKind {
    Admin,
    Telegram,
    System,
}

impl ActorKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "ADMIN",
            Self::Telegram => "TELEGRAM",
            Self::System => "SYSTEM",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [Self::Admin, Self::Telegram, Self::System]
            .into_iter()
            .find(|k| k.as_str() == text)
    }
}

impl From<&Admin> for Actor {
    fn from(admin: &Admin) -> Self {
        Self::Admin {
            id: admin.id,
            email: admin.email.clone(),
        }
    }
}

impl Actor {
    pub fn kind(&self) -> ActorKind {
        match self {
            Self::Admin { .. } => ActorKind::Admin,
            Self::Telegram { .. } => ActorKind::Telegram,
            Self::System => ActorKind::System,
        }
    }

    /// What a person reads: the admin's e-mail, the Telegram user's name; empty for the system.
    pub fn name(&self) -> &str {
        match self {
            Self::Admin { email, .. } => email,
            Self::Telegram { name, .. } => name,
            Self::System => "",
        }
    }

    fn id(&self) -> Option<String> {
        match self {
            Self::Admin { id, .. } => Some(id.to_string()),
            Self::Telegram { user_id, .. } => Some(user_id.to_string()),
            Self::System => None,
        }
    }
}

/// One move in the pipeline, or a new reason for a lost lead (LOST → LOST).
#[derive(Debug, Clone)]
pub struct HistoryEntry {
    pub id: Uuid,
    pub from: Option<LeadStatus>,
    pub to: LeadStatus,
    pub actor_kind: ActorKind,
    /// The admin's e-mail or the Telegram user's name; empty for the system.
    pub actor_name: String,
    pub at: DateTime<Utc>,
    /// The reason given, on an entry to LOST (none on entries older than the reason's record).
    pub lost_reason: Option<String>,
}

impl TryFrom<lead_history::Model> for HistoryEntry {
    type Error = AppError;

    fn try_from(m: lead_history::Model) -> AppResult<Self> {
        let actor_kind = ActorKind::parse(&m.actor_kind).ok_or_else(|| {
            AppError::internal(anyhow::anyhow!("unknown actor kind {:?}", m.actor_kind))
        })?;
        Ok(Self {
            id: m.id,
            from: m.from_status,
            to: m.to_status,
            actor_kind,
            actor_name: m.actor_name,
            at: m.created_at,
            lost_reason: m.lost_reason,
        })
    }
}

/// A move as the history records it: from, to, and the reason given with a move to LOST.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Move<'a> {
    pub from: Option<LeadStatus>,
    pub to: LeadStatus,
    pub lost_reason: Option<&'a str>,
}

/// Writes one entry (inside the caller's transaction, beside the move itself).
pub(crate) async fn record<C: ConnectionTrait>(
    db: &C,
    lead_id: Uuid,
    Move {
        from,
        to,
        lost_reason,
    }: Move<'_>,
    actor: &Actor,
    at: DateTime<Utc>,
) -> AppResult<()> {
    lead_history::Entity::insert(lead_history::ActiveModel {
        id: Set(Uuid::now_v7()),
        lead_id: Set(lead_id),
        from_status: Set(from),
        to_status: Set(to),
        actor_kind: Set(actor.kind().as_str().to_owned()),
        actor_id: Set(actor.id()),
        actor_name: Set(actor.name().to_owned()),
        created_at: Set(at),
        lost_reason: Set(lost_reason.map(str::to_owned)),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The spam guard stored these new orders straight as spam: one entry each, by the system.
pub(super) async fn record_spam_guard(db: &DatabaseConnection, ids: &[Uuid]) -> AppResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let at = now();
    let rows = ids.iter().map(|&lead_id| lead_history::ActiveModel {
        id: Set(Uuid::now_v7()),
        lead_id: Set(lead_id),
        from_status: Set(None),
        to_status: Set(LeadStatus::Spam),
        actor_kind: Set(ActorKind::System.as_str().to_owned()),
        actor_id: Set(None),
        actor_name: Set(String::new()),
        created_at: Set(at),
        lost_reason: Set(None),
    });
    lead_history::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// A lead's history, oldest first.
#[tracing::instrument(skip(db))]
pub async fn history(db: &DatabaseConnection, lead_id: Uuid) -> AppResult<Vec<HistoryEntry>> {
    lead_history::Entity::find()
        .filter(lead_history::Column::LeadId.eq(lead_id))
        .order_by_asc(lead_history::Column::CreatedAt)
        .order_by_asc(lead_history::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(HistoryEntry::try_from)
        .collect()
}

/// The status a lead had before its latest move into `status`, if the history knows it.
pub(super) async fn status_before<C: ConnectionTrait>(
    db: &C,
    lead_id: Uuid,
    status: LeadStatus,
) -> AppResult<Option<LeadStatus>> {
    Ok(lead_history::Entity::find()
        .filter(lead_history::Column::LeadId.eq(lead_id))
        .filter(lead_history::Column::ToStatus.eq(status))
        .order_by_desc(lead_history::Column::CreatedAt)
        .order_by_desc(lead_history::Column::Id)
        .one(db)
        .await?
        .and_then(|m| m.from_status))
}

pub const NOTE_MAX: usize = 5000;

/// A note on a lead.
#[derive(Debug, Clone)]
pub struct Note {
    pub id: Uuid,
    pub author_email: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
}

impl From<lead_note::Model> for Note {
    fn from(m: lead_note::Model) -> Self {
        Self {
            id: m.id,
            author_email: m.author_email,
            body: m.body,
            created_at: m.created_at,
            edited_at: m.edited_at,
        }
    }
}

/// A note's text, trimmed, 1 to [`NOTE_MAX`] characters.
fn note_body(body: &str) -> AppResult<&str> {
    let body = body.trim();
    if body.is_empty() {
        return Err(AppError::validation(
            "body",
            Reason::Required,
            "Write the note",
        ));
    }
    check_text("body", "Note", body, NOTE_MAX)?;
    Ok(body)
}

/// Adds a note (trimmed, 1 to [`NOTE_MAX`] characters) by `admin` to the lead.
#[tracing::instrument(skip(db, body))]
pub async fn add_note(
    db: &DatabaseConnection,
    lead_id: Uuid,
    admin: &Admin,
    body: &str,
) -> AppResult<Note> {
    let body = note_body(body)?;
    if lead::Entity::find_by_id(lead_id).one(db).await?.is_none() {
        return Err(AppError::NotFound("Lead not found"));
    }
    let note = lead_note::Model {
        id: Uuid::now_v7(),
        lead_id,
        author_id: Some(admin.id),
        author_email: admin.email.clone(),
        body: body.to_owned(),
        created_at: now(),
        edited_at: None,
    };
    let row: lead_note::ActiveModel = note.clone().into();
    // A lead deleted since the look is refused by the foreign key: say it is gone.
    lead_note::Entity::insert(row)
        .exec_without_returning(db)
        .await
        .map_err(|err| {
            if is_foreign_key_violation(&err) {
                AppError::NotFound("Lead not found")
            } else {
                err.into()
            }
        })?;
    Ok(note.into())
}

/// The note `note_id`, if `admin` wrote it: a note is signed, so only its author may change
/// or delete it (another admin writes a note of their own).
async fn own_note(
    db: &DatabaseConnection,
    note_id: Uuid,
    admin: &Admin,
) -> AppResult<lead_note::Model> {
    let note = lead_note::Entity::find_by_id(note_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("Note not found"))?;
    if note.author_id != Some(admin.id) {
        return Err(AppError::Forbidden("Only its author may change a note"));
    }
    Ok(note)
}

/// Corrects a note of `admin`'s (trimmed, 1 to [`NOTE_MAX`] characters): its text, and when.
#[tracing::instrument(skip(db, body))]
pub async fn edit_note(
    db: &DatabaseConnection,
    note_id: Uuid,
    admin: &Admin,
    body: &str,
) -> AppResult<Note> {
    let body = note_body(body)?;
    let mut note = own_note(db, note_id, admin).await?;
    if note.body == body {
        return Ok(note.into());
    }
    let edited_at = now();
    let changed = lead_note::Entity::update_many()
        .col_expr(lead_note::Column::Body, body.into())
        .col_expr(lead_note::Column::EditedAt, Some(edited_at).into())
        .filter(lead_note::Column::Id.eq(note_id))
        .exec(db)
        .await?;
    // Deleted meanwhile (with its lead, or by its author elsewhere).
    if changed.rows_affected == 0 {
        return Err(AppError::NotFound("Note not found"));
    }
    note.body = body.to_owned();
    note.edited_at = Some(edited_at);
    Ok(note.into())
}

/// Deletes a note of `admin`'s.
#[tracing::instrument(skip(db))]
pub async fn delete_note(db: &DatabaseConnection, note_id: Uuid, admin: &Admin) -> AppResult<()> {
    own_note(db, note_id, admin).await?;
    lead_note::Entity::delete_by_id(note_id).exec(db).await?;
    Ok(())
}

/// A lead's notes, oldest first.
#[tracing::instrument(skip(db))]
pub async fn notes(db: &DatabaseConnection, lead_id: Uuid) -> AppResult<Vec<Note>> {
    Ok(lead_note::Entity::find()
        .filter(lead_note::Column::LeadId.eq(lead_id))
        .order_by_asc(lead_note::Column::CreatedAt)
        .order_by_asc(lead_note::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Note::from)
        .collect())
}
