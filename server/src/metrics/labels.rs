//! The owner's names for the elements and form fields of a page. The tracker counts clicks
//! against stable keys (`f-email`, `label[for=f-name]`) and fields by their `name`; the admin
//! shows each under the label the public page itself gives it, in the reader's language,
//! unless the owner named it here. Only the owner's names are stored: a new element of the
//! page needs nothing on the server.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, sea_query::OnConflict,
};

use super::batch::MAX_NAME_LEN;
use crate::{
    db::entities::element_label,
    error::{AppError, AppResult, Reason},
    values::check_text,
};

/// What a label names: a click target or a form field (their keys may coincide).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    sea_orm::EnumIter,
    sea_orm::DeriveActiveEnum,
)]
#[sea_orm(
    rs_type = "String",
    db_type = "String(sea_orm::sea_query::StringLen::None)"
)]
pub enum ElementKind {
    #[sea_orm(string_value = "ELEMENT")]
    Element,
    #[sea_orm(string_value = "FIELD")]
    Field,
}

pub const LABEL_MAX: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElementLabel {
    pub kind: ElementKind,
    pub element: String,
    pub label: String,
    pub updated_at: DateTime<Utc>,
}

/// The tracker's key for an element or field, checked as the tracker's batches are.
fn parse_key(raw: &str) -> AppResult<String> {
    let key = raw.trim();
    if key.is_empty() {
        return Err(AppError::validation(
            "element",
            Reason::Required,
            "Element is required",
        ));
    }
    if key.chars().count() > MAX_NAME_LEN || key.chars().any(char::is_control) {
        return Err(AppError::validation(
            "element",
            Reason::InvalidFormat,
            format!("Must be 1–{MAX_NAME_LEN} characters, no control characters"),
        )
        .with("max", MAX_NAME_LEN));
    }
    Ok(key.to_owned())
}

/// Every name the owner gave on `page`, by kind and key.
#[tracing::instrument(skip(db))]
pub async fn list(db: &DatabaseConnection, page: &str) -> AppResult<Vec<ElementLabel>> {
    Ok(element_label::Entity::find()
        .filter(element_label::Column::Page.eq(page))
        .order_by_asc(element_label::Column::Kind)
        .order_by_asc(element_label::Column::Element)
        .all(db)
        .await?
        .into_iter()
        .map(|m| ElementLabel {
            kind: m.kind,
            element: m.element,
            label: m.label,
            updated_at: m.updated_at,
        })
        .collect())
}

/// Names an element (or field) of `page`; an empty label removes the owner's name, so the
/// page's own label shows again. Returns the stored name, if any.
#[tracing::instrument(skip(db))]
pub async fn set(
    db: &DatabaseConnection,
    page: &str,
    kind: ElementKind,
    element: &str,
    label: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<ElementLabel>> {
    let element = parse_key(element)?;
    let label = label.trim();
    check_text("label", "Label", label, LABEL_MAX)?;
    if label.contains(['\n', '\r', '\t']) {
        return Err(AppError::validation(
            "label",
            Reason::ControlCharacters,
            "Label must be one line",
        ));
    }
    if label.is_empty() {
        element_label::Entity::delete_many()
            .filter(element_label::Column::Page.eq(page))
            .filter(element_label::Column::Kind.eq(kind))
            .filter(element_label::Column::Element.eq(&element))
            .exec(db)
            .await?;
        return Ok(None);
    }
    let row = element_label::ActiveModel {
        page: sea_orm::ActiveValue::Set(page.to_owned()),
        kind: sea_orm::ActiveValue::Set(kind),
        element: sea_orm::ActiveValue::Set(element.clone()),
        label: sea_orm::ActiveValue::Set(label.to_owned()),
        updated_at: sea_orm::ActiveValue::Set(now),
    };
    use element_label::Column;
    element_label::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([Column::Page, Column::Kind, Column::Element])
                .update_columns([Column::Label, Column::UpdatedAt])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(Some(ElementLabel {
        kind,
        element,
        label: label.to_owned(),
        updated_at: now,
    }))
}
