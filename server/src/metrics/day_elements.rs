//! The clicked elements a page's day has rows for, bounded.
//!
//! A visit keeps at most a few hundred elements of its own (`ingest`), but a client can start
//! a new visit with every batch, each clicking fifty made-up elements: without a bound on the
//! day, that is a new `click_daily` row per element, tens of thousands a minute from one
//! address, kept for months. So a page's day counts its first [`MAX_DAY_ELEMENTS`] elements
//! by name and every later one as [`OTHER_ELEMENTS`]: each click is still counted, and a page
//! has a few dozen clickable things.
//!
//! Each server process knows the elements of the days it writes (read once a day per page
//! from the table, then kept up to date by its own flushes); replicas add up, so the bound is
//! per process, which is still a bound.

use std::{
    collections::{BTreeSet, HashMap, HashSet},
    sync::Mutex,
};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::aggregator::{Day, Page};
use crate::{db::entities::click_daily, error::AppResult};

/// Different clicked elements a page's day has rows for; the rest count as [`OTHER_ELEMENTS`].
pub const MAX_DAY_ELEMENTS: usize = 500;
/// Where the clicks past a bound count (a visit's, a day's).
pub const OTHER_ELEMENTS: &str = "(other)";

/// Clicks pending a write: (page, day, element) → clicks.
pub type Clicks = HashMap<(Page, Day, String), i64>;

#[derive(Debug, Default)]
pub struct DayElements(Mutex<HashMap<(Page, Day), HashSet<String>>>);

impl DayElements {
    fn known(&self) -> std::sync::MutexGuard<'_, HashMap<(Page, Day), HashSet<String>>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// `clicks` with every element past its day's bound counted as [`OTHER_ELEMENTS`].
    pub async fn bound(&self, db: &impl ConnectionTrait, clicks: &Clicks) -> AppResult<Clicks> {
        let days: BTreeSet<(Page, Day)> = clicks
            .keys()
            .map(|(page, day, _)| (page.clone(), *day))
            .collect();
        let unknown: Vec<(Page, Day)> = {
            let known = self.known();
            days.iter()
                .filter(|day| !known.contains_key(*day))
                .cloned()
                .collect()
        };
        let mut read = Vec::with_capacity(unknown.len());
        for (page, day) in unknown {
            let elements: Vec<String> = click_daily::Entity::find()
                .select_only()
                .column(click_daily::Column::Element)
                .filter(click_daily::Column::Page.eq(&*page))
                .filter(click_daily::Column::Day.eq(day))
                .into_tuple()
                .all(db)
                .await?;
            read.push(((page, day), elements.into_iter().collect::<HashSet<_>>()));
        }

        let mut known = self.known();
        // Another flush may have come to know the day meanwhile (flushes are one at a time
        // today): what it added stays.
        for (day, elements) in read {
            known.entry(day).or_insert(elements);
        }
        let mut bounded = Clicks::with_capacity(clicks.len());
        for ((page, day, element), &n) in clicks {
            let seen = known.entry((page.clone(), *day)).or_default();
            let element = if seen.contains(element) {
                element.clone()
            } else if seen.len() < MAX_DAY_ELEMENTS {
                seen.insert(element.clone());
                element.clone()
            } else {
                OTHER_ELEMENTS.to_owned()
            };
            *bounded.entry((page.clone(), *day, element)).or_default() += n;
        }
        // Only the days still being written stay known (a visit's clicks count for the day it
        // started: today's, and yesterday's for a visit that went on past midnight).
        if let Some(newest) = days.iter().map(|(_, day)| *day).max() {
            let oldest = newest - chrono::Days::new(1);
            known.retain(|(_, day), _| *day >= oldest);
        }
        Ok(bounded)
    }
}
