//! Statistics that read right (issue 13): every figure follows the chosen window, the 1-day
//! chart is hourly in local time, and elements get the owner's names.

use chrono::{DateTime, Timelike, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Backend, TestApp, assert_error};

const STATS: &str = "query($days: Int) { metricStats(days: $days) {
  summary { days visits averageTimeOnPage medianTimeOnPage }
  series { start hours visits orders averageEngagedSeconds }
  activity { date visits }
} }";

async fn stats(app: &TestApp, token: &str, days: i32) -> Value {
    let body = app.gql_as(token, STATS, json!({ "days": days })).await;
    assert!(body["errors"].is_null(), "{}", body["errors"]);
    body["data"]["metricStats"].clone()
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn batch(seq: i32, visit: Uuid, engaged: i32) -> server::metrics::Batch {
    server::metrics::Batch::parse(
        &server::metrics::BatchInput {
            // One visitor per visit: the visit's own id will do.
            visitor_id: visit.to_string(),
            visit_id: visit.to_string(),
            seq,
            page: "/".into(),
            viewport_width: 1280,
            viewport_height: 800,
            engaged_seconds: engaged,
            ..Default::default()
        },
        &["/".to_owned()],
    )
    .unwrap()
}

/// Through the API, at the real time: the window drives the headline figures, and the chart
/// has an hour per point for one day and a day per point otherwise.
async fn every_figure_follows_the_period(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    for seconds in [10, 20, 60] {
        app.send_batch_ok(json!({ "engagedSeconds": seconds }))
            .await;
    }
    app.flush_metrics().await;

    let hour = Utc::now().hour() as usize; // TIMEZONE is UTC in tests
    let today = stats(&app, &token, 1).await;
    // The hours so far, read around the query: an hour may turn while it runs.
    let hours_so_far = hour + 1..=Utc::now().hour() as usize + 1;
    assert_eq!(
        today["summary"],
        json!({"days": 1, "visits": 3, "averageTimeOnPage": 30.0, "medianTimeOnPage": 20.0})
    );
    let series = today["series"].as_array().unwrap();
    assert!(
        hours_so_far.contains(&series.len()),
        "hours of today so far ({hours_so_far:?}): {series:?}"
    );
    assert!(series.iter().all(|b| b["hours"] == 1));
    assert_eq!(
        series[0]["start"],
        format!("{}T00:00:00", Utc::now().date_naive())
    );
    assert_eq!(
        series
            .iter()
            .map(|b| b["visits"].as_i64().unwrap())
            .sum::<i64>(),
        3,
        "{series:?}"
    );

    for days in [7, 30, 90] {
        let s = stats(&app, &token, days).await;
        assert_eq!(s["summary"]["days"], days);
        assert_eq!(s["summary"]["visits"], 3);
        let series = s["series"].as_array().unwrap();
        assert_eq!(series.len(), days as usize);
        assert!(series.iter().all(|b| b["hours"] == 24));
        // One point per day, each a different day, at local midnight, oldest first.
        let starts: Vec<&str> = series
            .iter()
            .map(|b| b["start"].as_str().unwrap())
            .collect();
        assert!(
            starts.iter().all(|s| s.ends_with("T00:00:00")),
            "{starts:?}"
        );
        assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
        for (bucket, day) in series.iter().zip(s["activity"].as_array().unwrap()) {
            assert_eq!(
                bucket["start"],
                format!("{}T00:00:00", day["date"].as_str().unwrap())
            );
            assert_eq!(bucket["visits"], day["visits"]);
        }
        assert_eq!(series.last().unwrap()["visits"], 3);
    }
}

/// The business time zone decides both the day and its hours; visits of yesterday evening
/// (local) count in yesterday, and a week sums them all.
async fn hourly_buckets_are_local_hours(backend: Backend) {
    use server::metrics::{BusinessClock, ingest, stats};
    let app = TestApp::spawn(backend).await;
    let clock = BusinessClock::new(chrono_tz::Europe::Moscow);
    let now = at("2026-12-02T02:40:00Z"); // 05:40 in Moscow
    for (visit_at, engaged) in [
        ("2026-12-01T20:00:00Z", 9), // 23:00 on the 1st
        ("2026-12-01T21:10:00Z", 4), // 00:10
        ("2026-12-02T02:05:00Z", 2), // 05:05
        ("2026-12-02T02:06:00Z", 6), // 05:06
    ] {
        ingest::apply(
            &app.db,
            &clock,
            &app.state.metrics,
            &batch(1, Uuid::new_v4(), engaged),
            at(visit_at),
        )
        .await
        .unwrap();
    }
    // A later batch of the 00:10 visit adds to the hour the visit started in.
    let late = Uuid::new_v4();
    ingest::apply(
        &app.db,
        &clock,
        &app.state.metrics,
        &batch(1, late, 5),
        at("2026-12-01T21:20:00Z"),
    )
    .await
    .unwrap();
    ingest::apply(
        &app.db,
        &clock,
        &app.state.metrics,
        &batch(2, late, 5),
        at("2026-12-01T21:21:00Z"),
    )
    .await
    .unwrap();
    app.flush_metrics().await;

    let day = stats::metric_stats(&app.db, &clock, "/", 1, now)
        .await
        .unwrap();
    let hours: Vec<(String, u32, i64)> = day
        .series
        .iter()
        .map(|b| {
            (
                b.start.format("%Y-%m-%d %H:%M").to_string(),
                b.hours,
                b.visits,
            )
        })
        .collect();
    assert_eq!(
        hours,
        [
            ("2026-12-02 00:00".to_owned(), 1, 2),
            ("2026-12-02 01:00".to_owned(), 1, 0),
            ("2026-12-02 02:00".to_owned(), 1, 0),
            ("2026-12-02 03:00".to_owned(), 1, 0),
            ("2026-12-02 04:00".to_owned(), 1, 0),
            ("2026-12-02 05:00".to_owned(), 1, 2),
        ]
    );
    assert_eq!(day.series[0].average_engaged_seconds, 7.0, "(4 + 10) / 2");
    assert_eq!(day.series[5].average_engaged_seconds, 4.0);
    assert_eq!(day.summary.visits, 4);
    assert_eq!(day.summary.average_time_on_page, 22.0 / 4.0);

    let week = stats::metric_stats(&app.db, &clock, "/", 7, now)
        .await
        .unwrap();
    assert_eq!(week.summary.visits, 5);
    assert_eq!(week.series.len(), 7);
    let last_two: Vec<i64> = week.series[5..].iter().map(|b| b.visits).collect();
    assert_eq!(last_two, [1, 4]);
}

const LABELS: &str = "query($page: String) { elementLabels(page: $page) { kind element label } }";
const SET_LABEL: &str = "mutation($i: ElementLabelInput!) {
  setElementLabel(input: $i) { kind element label updatedAt } }";

async fn labels(app: &TestApp, token: &str) -> Value {
    let body = app.gql_as(token, LABELS, json!({})).await;
    assert!(body["errors"].is_null(), "{}", body["errors"]);
    body["data"]["elementLabels"].clone()
}

async fn set_label(app: &TestApp, token: &str, input: Value) -> Value {
    app.gql_as(token, SET_LABEL, json!({ "i": input })).await
}

async fn element_labels_are_the_owners_words(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let anonymous = app.gql(LABELS, json!({})).await;
    assert_error(&anonymous, "UNAUTHENTICATED", None);
    let anonymous = app
        .gql(
            SET_LABEL,
            json!({"i": {"kind": "ELEMENT", "element": "submit", "label": "x"}}),
        )
        .await;
    assert_error(&anonymous, "UNAUTHENTICATED", None);

    let token = app.admin_token().await;
    assert_eq!(labels(&app, &token).await, json!([]));
    let saved = set_label(
        &app,
        &token,
        json!({"kind": "ELEMENT", "element": " f-email ", "label": "  Поле почты  "}),
    )
    .await;
    assert_eq!(saved["data"]["setElementLabel"]["element"], "f-email");
    assert_eq!(saved["data"]["setElementLabel"]["label"], "Поле почты");
    // The same key as a form field is another thing.
    set_label(
        &app,
        &token,
        json!({"kind": "FIELD", "element": "f-email", "label": "E-mail"}),
    )
    .await;
    // A new name replaces the old one.
    set_label(
        &app,
        &token,
        json!({"kind": "ELEMENT", "element": "f-email", "label": "Почта"}),
    )
    .await;
    assert_eq!(
        labels(&app, &token).await,
        json!([
            {"kind": "ELEMENT", "element": "f-email", "label": "Почта"},
            {"kind": "FIELD", "element": "f-email", "label": "E-mail"},
        ])
    );

    // Bad input names its field and changes nothing.
    for (input, field) in [
        (
            json!({"kind": "ELEMENT", "element": "  ", "label": "x"}),
            "element",
        ),
        (
            json!({"kind": "ELEMENT", "element": "x".repeat(101), "label": "x"}),
            "element",
        ),
        (
            json!({"kind": "ELEMENT", "element": "a\u{0}b", "label": "x"}),
            "element",
        ),
        (
            json!({"kind": "ELEMENT", "element": "f-email", "label": "x".repeat(101)}),
            "label",
        ),
        (
            json!({"kind": "ELEMENT", "element": "f-email", "label": "two\nlines"}),
            "label",
        ),
        (
            json!({"kind": "ELEMENT", "element": "f-email", "label": "a\u{202e}b"}),
            "label",
        ),
        (
            json!({"page": "/nope", "kind": "ELEMENT", "element": "f-email", "label": "x"}),
            "page",
        ),
    ] {
        let body = set_label(&app, &token, input.clone()).await;
        assert_error(&body, "BAD_USER_INPUT", Some(field));
    }
    let body = app.gql_as(&token, LABELS, json!({"page": "/nope"})).await;
    assert_error(&body, "BAD_USER_INPUT", Some("page"));
    assert_eq!(app.count("element_labels").await, 2);

    // An empty label gives the element its page's own label back.
    let cleared = set_label(
        &app,
        &token,
        json!({"kind": "ELEMENT", "element": "f-email", "label": " "}),
    )
    .await;
    assert!(cleared["errors"].is_null(), "{cleared}");
    assert_eq!(cleared["data"]["setElementLabel"], Value::Null);
    assert_eq!(
        labels(&app, &token).await,
        json!([{"kind": "FIELD", "element": "f-email", "label": "E-mail"}])
    );
}

db_tests!(
    every_figure_follows_the_period,
    hourly_buckets_are_local_hours,
    element_labels_are_the_owners_words,
);
