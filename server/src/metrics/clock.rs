//! Day buckets in the business time zone (`TIMEZONE`), as `YYYY-MM-DD` strings: portable
//! across both databases and ordered correctly as text.

use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy)]
pub struct BusinessClock {
    tz: Tz,
}

impl BusinessClock {
    pub fn new(tz: Tz) -> Self {
        Self { tz }
    }

    pub fn date(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.tz).date_naive()
    }

    /// The wall-clock time in the business time zone.
    pub fn local(&self, at: DateTime<Utc>) -> NaiveDateTime {
        at.with_timezone(&self.tz).naive_local()
    }

    /// The last `n` days up to and including the day of `now`, oldest first.
    pub fn last_days(&self, now: DateTime<Utc>, n: u32) -> Vec<NaiveDate> {
        let today = self.date(now);
        (0..n)
            .rev()
            .filter_map(|back| today.checked_sub_days(Days::new(u64::from(back))))
            .collect()
    }

    /// The instant the given local day starts (the earliest, across a DST change).
    pub fn start_of(&self, day: NaiveDate) -> DateTime<Utc> {
        let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
        self.tz
            .from_local_datetime(&midnight)
            .earliest()
            .map_or_else(
                || Utc.from_utc_datetime(&midnight),
                |t| t.with_timezone(&Utc),
            )
    }
}

pub fn format_day(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_follow_the_business_time_zone() {
        let at: DateTime<Utc> = "2026-11-23T22:30:00Z".parse().unwrap();
        assert_eq!(
            format_day(BusinessClock::new(chrono_tz::UTC).date(at)),
            "2026-11-23"
        );
        assert_eq!(
            format_day(BusinessClock::new(chrono_tz::Europe::Moscow).date(at)),
            "2026-11-24"
        );
        assert_eq!(
            format_day(BusinessClock::new(chrono_tz::America::New_York).date(at)),
            "2026-11-23"
        );
        let moscow = BusinessClock::new(chrono_tz::Europe::Moscow);
        let days = moscow.last_days(at, 3);
        assert_eq!(
            days.iter().map(|d| format_day(*d)).collect::<Vec<_>>(),
            ["2026-11-22", "2026-11-23", "2026-11-24"]
        );
        assert_eq!(
            moscow.start_of(days[2]).to_rfc3339(),
            "2026-11-23T21:00:00+00:00"
        );
    }
}
