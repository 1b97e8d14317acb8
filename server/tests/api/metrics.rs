use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Backend, TestApp, assert_error, midday_today};

const STATS: &str = "query($days: Int, $viewport: ViewportClass) { metricStats(days: $days) {
  averageTimeOnPage { day week month } medianTimeOnPage { day week month }
  visits { day week month } returningVisitorShare conversionRate
  activity { date visits orders averageEngagedSeconds }
  topClicks { element count } formFields { field focuses averageSeconds abandonments }
  heatmap(viewport: $viewport) { columns rowHeight maxCount cells { x y count } packedCells }
} }";

/// The statistics; every answer's `packedCells` is checked against its `cells`.
async fn stats(app: &TestApp, token: &str, vars: Value) -> Value {
    let body = app.gql_as(token, STATS, vars).await;
    assert!(body["errors"].is_null(), "{}", body["errors"]);
    let s = body["data"]["metricStats"].clone();
    assert_eq!(s["heatmap"]["packedCells"], packed(&s["heatmap"]["cells"]));
    s
}

/// `cells` as `packedCells` should give them: x, y, count of each, in the same order.
fn packed(cells: &Value) -> Value {
    cells
        .as_array()
        .expect("cells")
        .iter()
        .flat_map(|c| [c["x"].clone(), c["y"].clone(), c["count"].clone()])
        .collect()
}

fn visit() -> (String, String) {
    (Uuid::new_v4().to_string(), Uuid::new_v4().to_string())
}

async fn averages_and_medians_are_per_visit(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let (visitor_a, visit_a) = visit();
    for (seq, seconds) in [(1, 10), (2, 20), (3, 30)] {
        app.send_batch_ok(json!({"visitorId": visitor_a, "visitId": visit_a, "seq": seq, "engagedSeconds": seconds})).await;
    }
    let (visitor_b, visit_b) = visit();
    app.send_batch_ok(json!({"visitorId": visitor_b, "visitId": visit_b, "engagedSeconds": 10}))
        .await;
    app.flush_metrics().await;

    let s = stats(&app, &token, json!({})).await;
    assert_eq!(s["visits"], json!({"day": 2, "week": 2, "month": 2}));
    // (60 + 10) / 2 visits — not the mean of the 4 batches.
    assert_eq!(s["averageTimeOnPage"]["day"], 35.0);
    assert_eq!(s["averageTimeOnPage"]["month"], 35.0);
    assert_eq!(s["medianTimeOnPage"]["day"], 10.0);
    let activity = s["activity"].as_array().unwrap();
    assert_eq!(activity.len(), 30, "zero-filled window");
    assert_eq!(activity[29]["visits"], 2);
    assert_eq!(activity[29]["averageEngagedSeconds"], 35.0);
    assert_eq!(activity[0]["visits"], 0);
    assert_eq!(
        activity[29]["date"],
        Utc::now().format("%Y-%m-%d").to_string()
    );
}

async fn retried_and_concurrent_duplicates_apply_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let (visitor, visit_id) = visit();
    let first = json!({"visitorId": visitor, "visitId": visit_id, "seq": 1, "engagedSeconds": 5,
        "clicks": [{"element": "cta", "count": 1}], "points": [{"x": 0.5, "y": 100}, {"x": 0.5, "y": 101}]});
    let answers =
        futures_util::future::join_all((0..8).map(|_| app.send_batch(first.clone()))).await;
    assert!(
        answers.iter().all(|b| b["data"]["submitMetrics"] == true),
        "{answers:?}"
    );
    let second = json!({"visitorId": visitor, "visitId": visit_id, "seq": 2, "engagedSeconds": 7,
        "clicks": [{"element": "cta", "count": 2}], "points": [{"x": 0.1, "y": 0}]});
    let answers =
        futures_util::future::join_all((0..8).map(|_| app.send_batch(second.clone()))).await;
    assert!(
        answers.iter().all(|b| b["data"]["submitMetrics"] == true),
        "{answers:?}"
    );
    // A late retry of seq 1 changes nothing either.
    app.send_batch_ok(first).await;
    app.flush_metrics().await;

    let s = stats(&app, &token, json!({})).await;
    assert_eq!(s["visits"]["day"], 1);
    assert_eq!(s["averageTimeOnPage"]["day"], 12.0);
    assert_eq!(s["topClicks"], json!([{"element": "cta", "count": 3}]));
    let heat = &s["heatmap"];
    assert_eq!(
        heat["cells"],
        json!([{"x": 10, "y": 0, "count": 1}, {"x": 50, "y": 6, "count": 2}])
    );
    assert_eq!(heat["maxCount"], 2);
    assert_eq!(heat["columns"], 100);
    assert_eq!(heat["rowHeight"], 16);
}

/// Orders per day are counted by the database as orders come, move in time (the demo
/// seeder) and go, however they are written.
async fn orders_per_day_follow_every_write(backend: Backend) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    use server::db::entities::lead;

    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let mut ids = Vec::new();
    for i in 0..4 {
        let id = app
            .submit_ok(json!({"email": format!("day{i}@example.com")}))
            .await;
        ids.push(Uuid::parse_str(&id).unwrap());
    }
    let orders = |s: &Value, day: usize| s["activity"][day]["orders"].clone();
    let s = stats(&app, &token, json!({})).await;
    assert_eq!(orders(&s, 29), 4, "{s}");

    // Two move three days back in one statement, one goes.
    lead::Entity::update_many()
        .col_expr(
            lead::Column::CreatedAt,
            Expr::value(Utc::now() - Duration::days(3)),
        )
        .filter(lead::Column::Id.is_in([ids[0], ids[1]]))
        .exec(&app.db)
        .await
        .unwrap();
    lead::Entity::delete_by_id(ids[2])
        .exec(&app.db)
        .await
        .unwrap();
    // A change that moves nothing in time counts nothing.
    lead::Entity::update_many()
        .col_expr(lead::Column::Score, Expr::value(99))
        .filter(lead::Column::Id.eq(ids[3]))
        .exec(&app.db)
        .await
        .unwrap();
    let s = stats(&app, &token, json!({})).await;
    assert_eq!(orders(&s, 29), 1, "{s}");
    assert_eq!(orders(&s, 26), 2, "{s}");
    let total: i64 = s["activity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["orders"].as_i64().unwrap())
        .sum();
    assert_eq!(total, 3, "{s}");
}

/// A page-hide flush racing retries sends many batches of one visit at once: each applies
/// once and none is refused (they queue on the visit instead of losing optimistic races).
async fn a_burst_of_one_visits_batches_all_apply(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let (visitor, visit_id) = visit();
    let batch = |seq: i32| {
        json!({"visitorId": visitor, "visitId": visit_id, "seq": seq, "engagedSeconds": 1,
            "clicks": [{"element": "cta", "count": 1}], "points": [{"x": 0.5, "y": seq * 16}]})
    };
    // Twice each: the same seq again in the same burst is a duplicate, acknowledged.
    let answers =
        futures_util::future::join_all((1..=32).map(|i| app.send_batch(batch((i + 1) / 2)))).await;
    for answer in &answers {
        assert_eq!(answer["data"]["submitMetrics"], true, "{answer}");
    }
    app.flush_metrics().await;
    let s = stats(&app, &token, json!({})).await;
    assert_eq!(s["visits"]["day"], 1, "{s}");
    assert_eq!(s["averageTimeOnPage"]["day"], 16.0, "{s}");
    assert_eq!(s["topClicks"], json!([{"element": "cta", "count": 16}]));
    let points: i64 = s["heatmap"]["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_i64().unwrap())
        .sum();
    assert_eq!(points, 16);
}

/// The page-hide flush (seq N+1) can overtake a batch still out (seq N): both apply, once.
async fn overtaken_batches_still_apply_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let (visitor, visit_id) = visit();
    let batch = |seq: i32, seconds: i32| {
        json!({"visitorId": visitor, "visitId": visit_id, "seq": seq, "engagedSeconds": seconds,
            "clicks": [{"element": format!("b{seq}"), "count": 1}]})
    };
    app.send_batch_ok(batch(1, 1)).await;
    app.send_batch_ok(batch(3, 4)).await; // overtook seq 2
    app.send_batch_ok(batch(2, 2)).await;
    app.send_batch_ok(batch(2, 2)).await; // a retry of it
    app.send_batch_ok(batch(3, 4)).await;
    app.flush_metrics().await;
    let s = stats(&app, &token, json!({})).await;
    assert_eq!(s["averageTimeOnPage"]["day"], 7.0, "{s}");
    let clicks = s["topClicks"].as_array().unwrap();
    assert_eq!(clicks.len(), 3, "{clicks:?}");
    assert!(clicks.iter().all(|c| c["count"] == 1), "{clicks:?}");
}

async fn bad_batches_name_the_field_and_store_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let many_points: Vec<Value> = (0..201).map(|i| json!({"x": 0.5, "y": i})).collect();
    let many_clicks: Vec<Value> = (0..51)
        .map(|i| json!({"element": format!("e{i}"), "count": 1}))
        .collect();
    for (fields, field) in [
        (json!({"points": many_points}), "points"),
        (json!({"clicks": many_clicks}), "clicks"),
        (
            json!({"clicks": [{"element": "x".repeat(101), "count": 1}]}),
            "clicks.element",
        ),
        (json!({"engagedSeconds": 61}), "engagedSeconds"),
        (json!({"points": [{"x": 1.5, "y": 0}]}), "points.x"),
        (json!({"points": [{"x": 0.5, "y": 100001}]}), "points.y"),
        (json!({"viewportWidth": 50}), "viewportWidth"),
        (json!({"visitorId": "not-a-uuid"}), "visitorId"),
        (json!({"visitId": "123"}), "visitId"),
        (json!({"seq": 0}), "seq"),
        (json!({"page": "index.html"}), "page"),
        // NUL would be refused by PostgreSQL at flush time, failing everybody's flush.
        (json!({"page": "/\u{0}"}), "page"),
        (
            json!({"clicks": [{"element": "a\u{0}", "count": 1}]}),
            "clicks.element",
        ),
    ] {
        let body = app.send_batch(fields.clone()).await;
        assert_error(&body, "BAD_USER_INPUT", Some(field));
    }
    app.flush_metrics().await;
    assert_eq!(app.count("visits").await, 0);
    assert_eq!(app.stored_heatmap("TRUE").await.cells, 0);
    assert_eq!(app.count("click_daily").await, 0);
    // Someone else's visit id cannot be written into.
    let (visitor, visit_id) = visit();
    app.send_batch_ok(json!({"visitorId": visitor, "visitId": visit_id}))
        .await;
    let hijack = app.send_batch(json!({"visitId": visit_id, "seq": 2})).await;
    assert_error(&hijack, "BAD_USER_INPUT", Some("visitId"));
}

async fn every_accepted_point_is_counted_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let mut sent = 0;
    for v in 0..5 {
        let (visitor, visit_id) = visit();
        for seq in 1..=3 {
            let points: Vec<Value> = (0..40)
                .map(|i| json!({"x": (i % 10) as f64 / 10.0, "y": (v * 100 + seq * 10 + i) * 3}))
                .collect();
            sent += points.len() as i64;
            app.send_batch_ok(
                json!({"visitorId": visitor, "visitId": visit_id, "seq": seq, "points": points}),
            )
            .await;
        }
    }
    // A phone visit lands in its own heatmap.
    app.send_batch_ok(json!({"viewportWidth": 390, "points": [{"x": 0.2, "y": 40}]}))
        .await;
    app.flush_metrics().await;
    app.flush_metrics().await; // nothing left: a second flush adds nothing
    let s = stats(&app, &token, json!({})).await;
    let total: i64 = s["heatmap"]["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_i64().unwrap())
        .sum();
    assert_eq!(total, sent);
    let mobile = stats(&app, &token, json!({"viewport": "MOBILE"})).await;
    assert_eq!(
        mobile["heatmap"]["cells"],
        json!([{"x": 20, "y": 2, "count": 1}])
    );
    let tablet = stats(&app, &token, json!({"viewport": "TABLET"})).await;
    assert_eq!(tablet["heatmap"]["cells"], json!([]));
    assert_eq!(tablet["heatmap"]["maxCount"], 0);
}

/// `packedCells` holds exactly the cells of `cells`, in the same order (x, then y), three
/// integers each.
async fn packed_cells_are_the_cells_in_order(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    // Sent out of order, with repeats: right to left, bottom to top.
    let points: Vec<Value> = (0..60)
        .rev()
        .map(|i| json!({"x": f64::from(i % 7) / 7.0, "y": (i % 5) * 16 + (i % 3)}))
        .chain([json!({"x": 0.99, "y": 0}), json!({"x": 0.0, "y": 4000})])
        .collect();
    app.send_batch_ok(json!({"points": points})).await;
    app.flush_metrics().await;
    let s = stats(&app, &token, json!({})).await;
    let heat = &s["heatmap"];
    let cells = heat["cells"].as_array().unwrap();
    assert!(cells.len() > 10, "{heat}");
    let packed: Vec<i64> = heat["packedCells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_i64().unwrap())
        .collect();
    assert_eq!(packed.len(), cells.len() * 3);
    for (cell, triple) in cells.iter().zip(packed.chunks(3)) {
        assert_eq!(
            [
                cell["x"].as_i64(),
                cell["y"].as_i64(),
                cell["count"].as_i64()
            ],
            [Some(triple[0]), Some(triple[1]), Some(triple[2])]
        );
    }
    // Sorted by x, then y, each cell once.
    let keys: Vec<(i64, i64)> = packed.chunks(3).map(|t| (t[0], t[1])).collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
    assert_eq!(packed.chunks(3).map(|t| t[2]).sum::<i64>(), 62);
    assert_eq!(packed[..3], [0, 0, packed[2]]);
    assert_eq!(packed[packed.len() - 3..packed.len() - 1], [99, 0]);
    // An empty map packs to an empty list.
    let tablet = stats(&app, &token, json!({"viewport": "TABLET"})).await;
    assert_eq!(tablet["heatmap"]["packedCells"], json!([]));

    // The panel asks for the heatmap in a query of its own: that reads the heatmap alone, and
    // the other figures are read once however many of them are asked for.
    let heatmap_only = statements(&app, &token, "{ metricStats { heatmap { maxCount } } }").await;
    let one_figure = statements(&app, &token, "{ metricStats { summary { visits } } }").await;
    let many_figures = statements(
        &app,
        &token,
        "{ metricStats { summary { visits } activity { visits } topClicks { element } \
           formFields { field } conversionRate } }",
    )
    .await;
    assert!(
        heatmap_only < one_figure,
        "heatmap alone: {heatmap_only} statements, one figure: {one_figure}"
    );
    assert_eq!(many_figures, one_figure);
}

/// Statements the database ran for `query` (the admin's session check included).
async fn statements(app: &TestApp, token: &str, query: &str) -> u64 {
    let before = app.state.queries.get();
    let body = app.gql_as(token, query, json!({})).await;
    assert!(body["errors"].is_null(), "{body}");
    app.state.queries.get() - before
}

async fn pending_metrics_are_flushed_on_shutdown(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    app.send_batch_ok(
        json!({"points": [{"x": 0.3, "y": 30}], "clicks": [{"element": "logo", "count": 4}]}),
    )
    .await;
    // No flush here: the graceful stop must write it.
    app.stop().await.unwrap();
    assert_eq!(app.stored_heatmap("TRUE").await.cells, 1);
    assert_eq!(app.count("click_daily").await, 1);
    assert_eq!(app.count("visit_daily").await, 1);
}

async fn returning_visitors_and_conversion(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let visitor = Uuid::new_v4().to_string();
    let first_visit = Uuid::new_v4().to_string();
    let second_visit = Uuid::new_v4().to_string();
    app.send_batch_ok(json!({"visitorId": visitor, "visitId": first_visit, "engagedSeconds": 4}))
        .await;
    app.send_batch_ok(
        json!({"visitorId": visitor, "visitId": second_visit, "engagedSeconds": 9,
        "clicks": [{"element": "submit", "count": 1}, {"element": "service", "count": 2}]}),
    )
    .await;
    let order = app.submit_ok(json!({"visitId": second_visit})).await;
    // An order sent before its visit's first batch is linked when the batch arrives.
    let early_visit = Uuid::new_v4().to_string();
    let early_order = app
        .submit_ok(json!({"visitId": early_visit, "email": "early@example.com"}))
        .await;
    app.send_batch_ok(json!({"visitId": early_visit, "engagedSeconds": 2}))
        .await;
    app.flush_metrics().await;

    let s = stats(&app, &token, json!({})).await;
    assert_eq!(s["visits"]["day"], 3);
    assert!(
        (s["returningVisitorShare"].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-9,
        "{s}"
    );
    assert!(
        (s["conversionRate"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-9,
        "{s}"
    );
    assert_eq!(s["activity"][29]["orders"], 2);

    let query = "query($id: ID!) { lead(id: $id) { behavior { engagedSeconds visitNumber viewportClass firstSeenAt clicks { element count } } } }";
    let body = app.gql_as(&token, query, json!({"id": order})).await;
    let behavior = &body["data"]["lead"]["behavior"];
    assert_eq!(behavior["engagedSeconds"], 9, "{body}");
    assert_eq!(behavior["visitNumber"], 2);
    assert_eq!(behavior["viewportClass"], "DESKTOP");
    assert_eq!(
        behavior["clicks"],
        json!([{"element": "service", "count": 2}, {"element": "submit", "count": 1}])
    );
    let body = app.gql_as(&token, query, json!({"id": early_order})).await;
    assert_eq!(
        body["data"]["lead"]["behavior"]["engagedSeconds"], 2,
        "{body}"
    );
    let without = app.submit_ok(json!({"email": "plain@example.com"})).await;
    let body = app.gql_as(&token, query, json!({"id": without})).await;
    assert!(body["data"]["lead"]["behavior"].is_null(), "{body}");
}

async fn form_fields_show_where_people_give_up(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    // Visit 1 focuses name, then email, and leaves.
    let (visitor, gave_up) = visit();
    app.send_batch_ok(json!({"visitorId": visitor, "visitId": gave_up, "fields": [
        {"name": "name", "focusCount": 1, "focusedMs": 2000, "lastTouched": false},
        {"name": "email", "focusCount": 1, "focusedMs": 4000, "lastTouched": true}]}))
        .await;
    // Visit 2 touches phone last, then orders: not an abandonment.
    let (visitor2, ordered) = visit();
    app.send_batch_ok(
        json!({"visitorId": visitor2, "visitId": ordered, "fields": [
        {"name": "phone", "focusCount": 2, "focusedMs": 1000, "lastTouched": true}]}),
    )
    .await;
    app.submit_ok(json!({"visitId": ordered})).await;
    // Visit 3 moves on from email to phone in a later batch: only phone counts.
    let (visitor3, moved) = visit();
    app.send_batch_ok(json!({"visitorId": visitor3, "visitId": moved, "fields": [
        {"name": "email", "focusCount": 1, "focusedMs": 2000, "lastTouched": true}]}))
        .await;
    app.send_batch_ok(
        json!({"visitorId": visitor3, "visitId": moved, "seq": 2, "fields": [
        {"name": "phone", "focusCount": 1, "focusedMs": 1000, "lastTouched": true}]}),
    )
    .await;
    app.flush_metrics().await;

    let s = stats(&app, &token, json!({})).await;
    let field = |name: &str| {
        s["formFields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["field"] == name)
            .cloned()
            .unwrap()
    };
    assert_eq!(field("email")["abandonments"], 1);
    assert_eq!(field("email")["focuses"], 2);
    assert_eq!(field("email")["averageSeconds"], 3.0);
    assert_eq!(field("phone")["abandonments"], 1);
    assert_eq!(field("phone")["focuses"], 3);
    assert_eq!(field("name")["abandonments"], 0);
    // Most abandoned first; ties go to the field focused more often.
    let order: Vec<&str> = s["formFields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["phone", "email", "name"]);
}

async fn orders_racing_the_last_batch_leave_no_abandonment(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    // Each visitor touches budget, then sends the order while the tracker's next batch (the
    // comments field touched last) is on its way: whichever lands first, nobody gave up.
    for _ in 0..25 {
        let (visitor, visit_id) = visit();
        app.send_batch_ok(
            json!({"visitorId": visitor, "visitId": visit_id, "fields": [
            {"name": "budget", "focusCount": 1, "focusedMs": 1000, "lastTouched": true}]}),
        )
        .await;
        let last_batch = app.send_batch_ok(
            json!({"visitorId": visitor, "visitId": visit_id, "seq": 2, "fields": [
            {"name": "additionalComments", "focusCount": 1, "focusedMs": 1000, "lastTouched": true}]}),
        );
        let order = app.submit_ok(json!({"visitId": visit_id}));
        futures_util::future::join(last_batch, order).await;
    }
    app.flush_metrics().await;

    let s = stats(&app, &token, json!({})).await;
    let mut abandonments: Vec<(String, i64)> = s["formFields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_owned(),
                f["abandonments"].as_i64().unwrap(),
            )
        })
        .collect();
    abandonments.sort();
    assert_eq!(
        abandonments,
        [
            ("additionalComments".to_owned(), 0),
            ("budget".to_owned(), 0)
        ],
        "{s}"
    );
    assert_eq!(s["conversionRate"], 1.0, "{s}");
}

async fn statistics_are_for_admins_and_bounded(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let body = app.gql(STATS, json!({})).await;
    assert_error(&body, "UNAUTHENTICATED", None);
    let token = app.admin_token().await;
    for days in [0, 367] {
        let body = app.gql_as(&token, STATS, json!({"days": days})).await;
        assert_error(&body, "BAD_USER_INPUT", Some("days"));
    }
    let s = stats(&app, &token, json!({"days": 7})).await;
    assert_eq!(s["activity"].as_array().unwrap().len(), 7);
    assert_eq!(s["conversionRate"], 0.0);
    assert_eq!(s["medianTimeOnPage"]["month"], 0.0);
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn batch(visit: Uuid, seq: i32) -> server::metrics::Batch {
    visitors_batch(Uuid::new_v4(), visit, seq)
}

fn visitors_batch(visitor: Uuid, visit: Uuid, seq: i32) -> server::metrics::Batch {
    server::metrics::Batch::parse(
        &server::metrics::BatchInput {
            visitor_id: visitor.to_string(),
            visit_id: visit.to_string(),
            seq,
            page: "/".into(),
            viewport_width: 1280,
            viewport_height: 800,
            engaged_seconds: 3,
            points: vec![(0.5, 10)],
            ..Default::default()
        },
        &["/".to_owned()],
    )
    .unwrap()
}

/// The statistics say which zone their days and hours are in: the server's `TIMEZONE`.
async fn the_statistics_name_their_time_zone(backend: Backend) {
    for (zone, expected) in [(None, "UTC"), (Some("Europe/Moscow"), "Europe/Moscow")] {
        let env: Vec<(&str, &str)> = zone.map(|z| ("TIMEZONE", z)).into_iter().collect();
        let app = TestApp::spawn_with(backend, &env).await;
        let token = app.admin_token().await;
        let body = app
            .gql_as(&token, "{ metricStats(days: 1) { timeZone } }", json!({}))
            .await;
        assert_eq!(body["data"]["metricStats"]["timeZone"], expected, "{body}");
    }
}

async fn days_follow_the_business_time_zone(backend: Backend) {
    use server::metrics::{BusinessClock, ingest};
    let app = TestApp::spawn(backend).await;
    let late_evening_utc = at("2026-11-23T22:30:00Z");
    for (tz, visit, expected) in [
        (chrono_tz::UTC, Uuid::new_v4(), "2026-11-23"),
        (chrono_tz::Europe::Moscow, Uuid::new_v4(), "2026-11-24"),
    ] {
        let clock = BusinessClock::new(tz);
        ingest::apply(
            &app.db,
            &clock,
            &app.state.metrics,
            &batch(visit, 1),
            late_evening_utc,
        )
        .await
        .unwrap();
        use sea_orm::EntityTrait;
        let row = server::db::entities::visit::Entity::find_by_id(visit)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.day.to_string(), expected, "{tz}");
    }
    app.flush_metrics().await;
    let days: Vec<String> = app
        .stored_heatmap_days()
        .await
        .iter()
        .map(|day| day.to_string())
        .collect();
    assert_eq!(days, ["2026-11-23", "2026-11-24"]);
}

async fn old_visits_are_purged(backend: Backend) {
    use server::metrics::{BusinessClock, ingest, retention};
    let app = TestApp::spawn(backend).await;
    let clock = BusinessClock::new(chrono_tz::UTC);
    let now = Utc::now();
    let (old, recent) = (Uuid::new_v4(), Uuid::new_v4());
    ingest::apply(
        &app.db,
        &clock,
        &app.state.metrics,
        &batch(old, 1),
        now - Duration::days(200),
    )
    .await
    .unwrap();
    ingest::apply(
        &app.db,
        &clock,
        &app.state.metrics,
        &batch(recent, 1),
        now - Duration::days(10),
    )
    .await
    .unwrap();
    app.flush_metrics().await;
    assert_eq!(app.count("visits").await, 2);
    assert_eq!(app.stored_heatmap("TRUE").await.cells, 2);

    let report = retention::purge(&app.db, &clock, 180, now).await.unwrap();
    assert_eq!(report.visits, 1);
    assert!(report.rollup_rows >= 3, "{report:?}");
    assert_eq!(app.count("visits").await, 1);
    assert_eq!(app.stored_heatmap("TRUE").await.cells, 1);
    assert_eq!(app.count("visit_daily").await, 1);
}

async fn metrics_are_rate_limited_per_client(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("RATE_LIMIT_METRICS_PER_MINUTE", "2")]).await;
    let (visitor, visit_id) = visit();
    for seq in 1..=2 {
        app.send_batch_ok(json!({"visitorId": visitor, "visitId": visit_id, "seq": seq}))
            .await;
    }
    let limited = app
        .send_batch(json!({"visitorId": visitor, "visitId": visit_id, "seq": 3}))
        .await;
    assert_error(&limited, "RATE_LIMITED", None);
}

/// A visit's own click list is rewritten with every batch: it stays bounded however many
/// different element names a client invents.
async fn a_visits_click_list_is_bounded(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (visitor, visit_id) = visit();
    for seq in 1..=5 {
        let clicks: Vec<Value> = (0..50)
            .map(|i| json!({"element": format!("b{seq}-{i}"), "count": 1}))
            .collect();
        app.send_batch_ok(
            json!({"visitorId": visitor, "visitId": visit_id, "seq": seq, "clicks": clicks}),
        )
        .await;
    }
    use sea_orm::EntityTrait;
    let row = server::db::entities::visit::Entity::find_by_id(Uuid::parse_str(&visit_id).unwrap())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let clicks = row.clicks.0;
    assert_eq!(clicks.len(), 201, "200 elements and the rest");
    assert_eq!(clicks["(other)"], 50);
    assert_eq!(
        clicks.values().sum::<i64>(),
        250,
        "every click still counted"
    );
}

/// A new visit per batch, each clicking fifty made-up elements, cannot make a row per element:
/// a page's day has rows for its first 500 elements, and the clicks on any more count as
/// "(other)". Every click is still counted; a restarted server reads the day's elements back.
async fn a_pages_day_of_clicked_elements_is_bounded(backend: Backend) {
    use sea_orm::EntityTrait;
    use server::db::entities::click_daily;
    let app = TestApp::spawn(backend).await;
    for visit_number in 0..11 {
        let (visitor, visit_id) = visit();
        let clicks: Vec<Value> = (0..50)
            .map(|i| json!({"element": format!("made-up-{visit_number}-{i}"), "count": 1}))
            .collect();
        app.send_batch_ok(json!({"visitorId": visitor, "visitId": visit_id, "clicks": clicks}))
            .await;
    }
    app.flush_metrics().await;
    let rows = click_daily::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(rows.len(), 501, "500 elements and the rest");
    let other = rows.iter().find(|row| row.element == "(other)").unwrap();
    assert_eq!(other.count, 50);
    assert_eq!(rows.iter().map(|row| row.count).sum::<i64>(), 550);

    // Another process (a restart, a replica) knows the day's elements from the table.
    let restarted = server::metrics::aggregator::Aggregator::new();
    let mut pending = server::metrics::aggregator::Pending::default();
    let (page, day) = (std::sync::Arc::<str>::from(other.page.as_str()), other.day);
    let named = rows.iter().find(|row| row.element != "(other)").unwrap();
    pending
        .clicks
        .insert((page.clone(), day, named.element.clone()), 2);
    pending.clicks.insert((page, day, "one-more".to_owned()), 3);
    restarted.merge(pending);
    restarted.flush(&app.db).await.unwrap();
    let rows = click_daily::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(rows.len(), 501);
    let count = |element: &str| {
        rows.iter()
            .find(|row| row.element == element)
            .unwrap()
            .count
    };
    assert_eq!(count(&named.element), 3);
    assert_eq!(count("(other)"), 53);
}

db_tests!(
    orders_per_day_follow_every_write,
    the_statistics_name_their_time_zone,
    a_pages_day_of_clicked_elements_is_bounded,
    a_burst_of_one_visits_batches_all_apply,
    a_visits_click_list_is_bounded,
    overtaken_batches_still_apply_once,
    averages_and_medians_are_per_visit,
    retried_and_concurrent_duplicates_apply_once,
    bad_batches_name_the_field_and_store_nothing,
    every_accepted_point_is_counted_once,
    packed_cells_are_the_cells_in_order,
    pending_metrics_are_flushed_on_shutdown,
    returning_visitors_and_conversion,
    form_fields_show_where_people_give_up,
    orders_racing_the_last_batch_leave_no_abandonment,
    statistics_are_for_admins_and_bounded,
    days_follow_the_business_time_zone,
    old_visits_are_purged,
    metrics_are_rate_limited_per_client,
);

async fn heatmap_snapshots_match_the_full_sum(backend: Backend) {
    use server::metrics::{BusinessClock, ViewportClass, ingest, snapshot, stats};
    let app = TestApp::spawn(backend).await;
    let clock = BusinessClock::new(chrono_tz::UTC);
    let now = midday_today();
    let mut yesterdays_visit = None;
    // Points spread over 40 days: some outside the 30-day window, some in the live days.
    for days_ago in [0, 1, 2, 3, 6, 7, 8, 20, 29, 30, 35] {
        for class_width in [1440, 390] {
            let mut input = server::metrics::BatchInput {
                visitor_id: Uuid::new_v4().to_string(),
                visit_id: Uuid::new_v4().to_string(),
                seq: 1,
                page: "/".into(),
                viewport_width: class_width,
                viewport_height: 800,
                engaged_seconds: 1,
                ..Default::default()
            };
            input.points = (0..20)
                .map(|i| ((i % 7) as f64 / 10.0, (days_ago * 16 + i * 5) as i32))
                .collect();
            if days_ago == 1 && class_width == 1440 {
                yesterdays_visit = Some(input.clone());
            }
            let batch = server::metrics::Batch::parse(&input, &["/".to_owned()]).unwrap();
            ingest::apply(
                &app.db,
                &clock,
                &app.state.metrics,
                &batch,
                now - Duration::days(days_ago),
            )
            .await
            .unwrap();
        }
    }
    app.flush_metrics().await;
    // The server built (empty) snapshots when it started; these points went into past days.
    snapshot::invalidate(&app.db).await.unwrap();

    // One server's snapshot cache throughout, as in a running server.
    let snapshots = app.state.heatmap_snapshots.clone();
    let heatmaps = |db: sea_orm::DatabaseConnection| {
        let snapshots = snapshots.clone();
        async move {
            let mut all = Vec::new();
            for days in [1, 7, 30] {
                for class in [ViewportClass::Desktop, ViewportClass::Mobile] {
                    let h = stats::heatmap(&db, &clock, &snapshots, "/", days, class, now)
                        .await
                        .unwrap();
                    all.push((days, class, h.max_count, h.cells));
                }
            }
            all
        }
    };
    let full_scan = heatmaps(app.db.clone()).await;
    let just_after_midnight = clock.start_of(clock.date(now)) + Duration::seconds(30);
    assert!(
        !snapshot::rebuild_if_stale(&app.db, &clock, just_after_midnight)
            .await
            .unwrap(),
        "yesterday is not summed before every replica has flushed it"
    );
    assert!(
        snapshot::rebuild_if_stale(&app.db, &clock, now)
            .await
            .unwrap(),
        "first build"
    );
    assert!(
        !snapshot::rebuild_if_stale(&app.db, &clock, now)
            .await
            .unwrap(),
        "built once a day"
    );
    assert!(app.count("heatmap_snapshots").await > 0);
    let from_snapshots = heatmaps(app.db.clone()).await;
    assert_eq!(from_snapshots, full_scan);

    // A build caught half-way (it writes one page and viewport class at a time, each in its
    // own small transaction): statistics sum the live rows meanwhile, and no other replica
    // starts a second build of the same day.
    {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
        use server::db::entities::{heatmap_snapshot, heatmap_snapshot_state};
        heatmap_snapshot_state::Entity::update_many()
            .col_expr(
                heatmap_snapshot_state::Column::AnchorDay,
                Expr::value(format!("building:{}", clock.date(now))),
            )
            .exec(&app.db)
            .await
            .unwrap();
        let deleted = heatmap_snapshot::Entity::delete_many()
            .filter(heatmap_snapshot::Column::ViewportClass.eq(ViewportClass::Mobile))
            .exec(&app.db)
            .await
            .unwrap()
            .rows_affected;
        assert!(
            deleted > 0,
            "the half-built state must miss some snapshot rows"
        );
        assert_eq!(heatmaps(app.db.clone()).await, full_scan);
        assert!(
            !snapshot::rebuild_if_stale(&app.db, &clock, now)
                .await
                .unwrap(),
            "a build in progress is not started twice"
        );
        snapshot::invalidate(&app.db).await.unwrap();
        assert!(
            snapshot::rebuild_if_stale(&app.db, &clock, now)
                .await
                .unwrap()
        );
        assert_eq!(heatmaps(app.db.clone()).await, full_scan);
    }
    // A second build of the same day (demo data went into past days) is read afresh, though
    // this server kept the first build's snapshots.
    let mut past = yesterdays_visit.clone().unwrap();
    past.visit_id = Uuid::new_v4().to_string();
    past.points = vec![(0.5, 4_000)];
    let past = server::metrics::Batch::parse(&past, &["/".to_owned()]).unwrap();
    ingest::apply(
        &app.db,
        &clock,
        &app.state.metrics,
        &past,
        now - Duration::days(3),
    )
    .await
    .unwrap();
    app.flush_metrics().await;
    snapshot::invalidate(&app.db).await.unwrap();
    let rescanned = heatmaps(app.db.clone()).await;
    assert_ne!(
        rescanned, full_scan,
        "the new point is in the 7- and 30-day windows"
    );
    assert!(
        snapshot::rebuild_if_stale(&app.db, &clock, now)
            .await
            .unwrap(),
        "rebuilt for the same day"
    );
    assert_eq!(heatmaps(app.db.clone()).await, rescanned);
    // A 30-day window holds the points of days 0..=29 only: 10 days x 20 points.
    let month = full_scan
        .iter()
        .find(|(d, c, _, _)| *d == 30 && *c == ViewportClass::Desktop)
        .unwrap();
    assert_eq!(month.3.iter().map(|c| c.2).sum::<i64>(), 9 * 20);

    // Points arriving today still show at once.
    let late = server::metrics::Batch::parse(
        &server::metrics::BatchInput {
            visitor_id: Uuid::new_v4().to_string(),
            visit_id: Uuid::new_v4().to_string(),
            seq: 1,
            page: "/".into(),
            viewport_width: 1440,
            viewport_height: 800,
            points: vec![(0.99, 99_999)],
            ..Default::default()
        },
        &["/".to_owned()],
    )
    .unwrap();
    ingest::apply(&app.db, &clock, &app.state.metrics, &late, now)
        .await
        .unwrap();
    // So do today's points of a visit that started yesterday: they count for today.
    let mut continued = yesterdays_visit.unwrap();
    continued.seq = 2;
    continued.points = vec![(0.0, 99_984)];
    let continued = server::metrics::Batch::parse(&continued, &["/".to_owned()]).unwrap();
    ingest::apply(&app.db, &clock, &app.state.metrics, &continued, now)
        .await
        .unwrap();
    app.flush_metrics().await;
    let h = stats::heatmap(
        &app.db,
        &clock,
        &snapshots,
        "/",
        30,
        ViewportClass::Desktop,
        now,
    )
    .await
    .unwrap();
    assert!(
        h.cells.contains(&(99, 99_999 / 16, 1)) && h.cells.contains(&(0, 99_984 / 16, 1)),
        "{:?}",
        &h.cells[h.cells.len().saturating_sub(3)..]
    );
    let today = stats::heatmap(
        &app.db,
        &clock,
        &snapshots,
        "/",
        1,
        ViewportClass::Desktop,
        now,
    )
    .await
    .unwrap();
    assert_eq!(today.cells.iter().map(|c| c.2).sum::<i64>(), 20 + 2);
}

db_tests!(heatmap_snapshots_match_the_full_sum);

/// The tracker's own document is answered without the executor (`http::known`); every case
/// here is sent with it and with the same document plus a trailing space, which only the
/// executor serves: status, type and body must be the same bytes, and so must what is stored.
async fn the_trackers_document_is_answered_as_the_executor_would(backend: Backend) {
    use sea_orm::EntityTrait;
    use server::db::entities::visit;
    use server::http::known::SUBMIT_METRICS;

    let app = TestApp::spawn(backend).await;
    let base = json!({
        "visitorId": "VISITOR", "visitId": "VISIT", "seq": 1, "page": "/",
        "viewportWidth": 1280, "viewportHeight": 800, "engagedSeconds": 1,
        "clicks": [{ "element": "submit", "count": 1 }],
        "points": (0..20).map(|i| json!({ "x": f64::from(i) / 20.0, "y": 40 * i })).collect::<Vec<_>>(),
        "fields": [{ "name": "email", "focusCount": 1, "focusedMs": 900, "lastTouched": true }]
    });
    let with = |changes: Value| {
        let mut input = base.clone();
        for (k, v) in changes.as_object().expect("an object of changes") {
            input[k] = v.clone();
        }
        json!({ "query": "DOC", "variables": { "input": input } }).to_string()
    };
    let many_clicks: Vec<Value> = (0..1001)
        .map(|i| json!({ "element": format!("e{i}"), "count": 1 }))
        .collect();
    let cases: Vec<(&str, String)> = vec![
        ("valid", with(json!({}))),
        ("fields null", with(json!({ "fields": null, "clicks": [] }))),
        ("fields omitted", {
            let mut input = base.clone();
            input.as_object_mut().unwrap().remove("fields");
            json!({ "query": "DOC", "variables": { "input": input } }).to_string()
        }),
        (
            "lastTouched null",
            with(
                json!({ "fields": [{ "name": "phone", "focusCount": 2, "focusedMs": 5, "lastTouched": null }] }),
            ),
        ),
        (
            "variables before query",
            format!(r#"{{"variables":{{"input":{base}}},"query":"DOC"}}"#),
        ),
        (
            "operation named",
            with(json!({})).replacen('{', r#"{"operationName":"SubmitMetrics","#, 1),
        ),
        (
            "extensions map",
            with(json!({})).replacen('{', r#"{"extensions":{},"#, 1),
        ),
        ("unknown page", with(json!({ "page": "/nope" }))),
        ("seq zero", with(json!({ "seq": 0 }))),
        (
            "visit id not a UUID",
            with(json!({ "visitId": "not-a-uuid" })),
        ),
        (
            "engaged seconds over a minute",
            with(json!({ "engagedSeconds": 61 })),
        ),
        ("too many clicks", with(json!({ "clicks": many_clicks }))),
        (
            "bidi in an element",
            with(json!({ "clicks": [{ "element": "a\u{202e}b", "count": 1 }] })),
        ),
        (
            "x out of range",
            with(json!({ "points": [{ "x": 1.5, "y": 1 }] })),
        ),
        (
            "float for an Int",
            with(json!({ "points": [{ "x": 0.5, "y": 1.5 }] })),
        ),
        ("string for an Int", with(json!({ "seq": "1" }))),
        (
            "Int past 32 bits",
            with(json!({ "viewportWidth": 3_000_000_000_u64 })),
        ),
        ("unknown input field", with(json!({ "extra": 1 }))),
        (
            "input null",
            json!({ "query": "DOC", "variables": { "input": null } }).to_string(),
        ),
        (
            "extra variable",
            json!({ "query": "DOC", "variables": { "input": base, "x": 1 } }).to_string(),
        ),
        ("no variables", json!({ "query": "DOC" }).to_string()),
        (
            "another operation name",
            with(json!({})).replacen('{', r#"{"operationName":"Other","#, 1),
        ),
        (
            "extensions not a map",
            with(json!({})).replacen('{', r#"{"extensions":1,"#, 1),
        ),
        (
            "duplicate key",
            with(json!({})).replacen(r#""seq":1"#, r#""seq":1,"seq":2"#, 1),
        ),
    ];
    let (mut accepted, mut refused) = (0, 0);
    for (name, body) in &cases {
        for accept in ["application/json", "application/graphql-response+json"] {
            let (fast_visit, slow_visit) = (Uuid::new_v4(), Uuid::new_v4());
            let visitor = Uuid::new_v4().to_string();
            let quoted = serde_json::to_string(SUBMIT_METRICS).unwrap();
            let fast = body
                .replace(r#""DOC""#, &quoted)
                .replace("VISITOR", &visitor)
                .replace(r#""VISIT""#, &format!(r#""{fast_visit}""#));
            let slow = body
                .replace(
                    r#""DOC""#,
                    &serde_json::to_string(&format!("{SUBMIT_METRICS} ")).unwrap(),
                )
                .replace("VISITOR", &visitor)
                .replace(r#""VISIT""#, &format!(r#""{slow_visit}""#));
            assert_eq!(
                server::http::known::tracker_batch(fast.as_bytes()).is_some(),
                ![
                    "float for an Int",
                    "string for an Int",
                    "Int past 32 bits",
                    "unknown input field",
                    "input null",
                    "extra variable",
                    "no variables",
                    "another operation name",
                    "extensions not a map",
                    "duplicate key"
                ]
                .contains(name),
                "{name}: which path serves it"
            );
            let fast_answer = post_raw(&app, fast, accept).await;
            let slow_answer = post_raw(&app, slow, accept).await;
            assert_eq!(fast_answer, slow_answer, "{name} ({accept})");
            let stored = |id: Uuid| {
                let db = app.db.clone();
                async move {
                    visit::Entity::find_by_id(id)
                        .one(&db)
                        .await
                        .unwrap()
                        .map(|v| {
                            (
                                v.page,
                                v.engaged_seconds,
                                v.clicks,
                                v.points,
                                v.last_field,
                                v.last_seq,
                            )
                        })
                }
            };
            let (fast_row, slow_row) = (stored(fast_visit).await, stored(slow_visit).await);
            assert_eq!(fast_row, slow_row, "{name}: what was stored");
            if fast_row.is_some() {
                accepted += 1
            } else {
                refused += 1
            }
        }
    }
    // Both kinds of case were exercised, so the comparison above compared something: the seven
    // valid ones, an unused extra variable and a duplicate key (the executor reads the last)
    // were stored, the rest refused.
    assert_eq!((accepted, refused), (2 * 9, 2 * (cases.len() - 9)));
}

db_tests!(the_trackers_document_is_answered_as_the_executor_would);

/// POSTs `body` as it is: status, content type and the body's text.
pub(crate) async fn post_raw(
    app: &TestApp,
    body: String,
    accept: &str,
) -> (
    reqwest::StatusCode,
    Option<reqwest::header::HeaderValue>,
    String,
) {
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("content-type", "application/json")
        .header("accept", accept)
        .body(body)
        .send()
        .await
        .expect("request sent");
    let status = response.status();
    let media = response.headers().get("content-type").cloned();
    (status, media, response.text().await.expect("a body"))
}

/// Refused for the rate too, identically: the budget is spent by whichever path.
async fn the_trackers_document_is_rate_limited_as_the_executor_would(backend: Backend) {
    use server::http::known::SUBMIT_METRICS;
    let app = TestApp::spawn_with(backend, &[("RATE_LIMIT_METRICS_PER_MINUTE", "1")]).await;
    let body = |document: &str| {
        json!({ "query": document, "variables": { "input": {
            "visitorId": Uuid::new_v4(), "visitId": Uuid::new_v4(), "seq": 1, "page": "/",
            "viewportWidth": 1280, "viewportHeight": 800, "engagedSeconds": 1,
            "clicks": [], "points": []
        } } })
        .to_string()
    };
    // The minute's one batch; after it the budget is spent for both paths.
    assert_eq!(
        post_raw(&app, body(SUBMIT_METRICS), "application/json")
            .await
            .2,
        r#"{"data":{"submitMetrics":true}}"#
    );
    let fast = post_raw(&app, body(SUBMIT_METRICS), "application/json")
        .await
        .2;
    let slow = post_raw(
        &app,
        body(&format!("{SUBMIT_METRICS} ")),
        "application/json",
    )
    .await
    .2;
    assert!(fast.contains("RATE_LIMITED"), "{fast}");
    assert_eq!(fast, slow);
}

db_tests!(the_trackers_document_is_rate_limited_as_the_executor_would);

/// The tables every tracker batch rewrites leave room in their pages on PostgreSQL, so a
/// visit's or a heatmap row's new version stays on its page (a heap-only update: no index
/// entries) — and the batches still land in full.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tracker_tables_leave_room_for_updates() {
    use sea_orm::{ConnectionTrait, Statement};
    let app = TestApp::spawn(Backend::Postgres).await;
    for table in ["visits", "heatmap_rows"] {
        let options = app.reloptions(table).await;
        assert_eq!(options.as_deref(), Some("fillfactor=60"), "{table}");
    }
    let (visitor, visit) = (Uuid::new_v4(), Uuid::new_v4());
    for seq in 1..=3 {
        app.send_batch_ok(json!({
            "visitorId": visitor, "visitId": visit, "seq": seq, "page": "/",
            "viewportWidth": 1280, "viewportHeight": 800, "engagedSeconds": 1,
            "clicks": [], "points": [{ "x": 0.5, "y": 100 }, { "x": 0.5, "y": 100 }]
        }))
        .await;
        app.flush_metrics().await;
    }
    let total = app
        .db
        .query_one_raw(Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SELECT (SELECT sum(n) FROM heatmap_rows, unnest(counts) AS n)::int8 AS cells, \
             (SELECT points FROM visits)::int8 AS points",
        ))
        .await
        .expect("totals")
        .expect("a row");
    assert_eq!(total.try_get::<i64>("", "cells").unwrap(), 6);
    assert_eq!(total.try_get::<i64>("", "points").unwrap(), 6);
}

/// Runs `write` while the test holds the SQLite write turn (see `WriteTurns`): nothing lands in
/// `table` while `write` waits for its turn; once the turn is released, one row does.
async fn written_in_its_turn(app: &TestApp, table: &str, write: impl Future<Output = ()>) {
    let turns = &app.state.write_turns;
    let held = turns.take().await.expect("a turn on SQLite");
    let check = async {
        tokio::time::timeout(HANG, turns.until_waiting(1))
            .await
            .expect("the writer never waited for its turn");
        assert_eq!(app.count(table).await, 0, "{table} written out of turn");
        drop(held);
    };
    tokio::join!(write, check);
    assert_eq!(app.count(table).await, 1);
}

/// How long a wait for a condition may take before the test calls it a hang.
const HANG: std::time::Duration = std::time::Duration::from_secs(30);

/// On SQLite the tracker's writer, the order writer and the metrics flush take their turn
/// among the writers (served in order, instead of polling SQLite's lock): while a turn is held
/// elsewhere, none of them writes anything; once it is free, each finishes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_writers_wait_for_their_turn() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (visitor, visit_id) = visit();
    let batch = app.send_batch_ok(json!({"visitorId": visitor, "visitId": visit_id}));
    written_in_its_turn(&app, "visits", batch).await;
    let order = async {
        app.submit_ok(json!({})).await;
    };
    written_in_its_turn(&app, "applications", order).await;
    let flush = async {
        app.state.metrics.flush(&app.db).await.expect("flush");
    };
    written_in_its_turn(&app, "visit_daily", flush).await;
    assert_eq!(app.state.write_turns.waiting(), 0);
}

/// A request whose client has gone leaves its batch with the visit writer; a stopping server
/// applies it (and counts its metrics) before it closes its pool. Here two batches of a visit
/// whose row the test has locked are handed to the writer and their requests dropped; then the
/// server is told to stop, and the lock is released once it drains its writers. (Without the
/// drain the flush and the pool's close come first: the release never comes and the test
/// fails on its bound.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopping_server_applies_what_gone_clients_left() {
    use sea_orm::{ConnectionTrait, EntityTrait, Statement, TransactionTrait};
    use server::db::entities::visit;

    let mut app = TestApp::spawn(Backend::Postgres).await;
    let (visitor, visit_id) = (Uuid::new_v4(), Uuid::new_v4());
    let writer = app.state.visits.clone();
    writer
        .apply(visitors_batch(visitor, visit_id, 1), Utc::now())
        .await
        .expect("first batch");

    let lock = app.db.begin().await.unwrap();
    lock.execute_raw(Statement::from_sql_and_values(
        sea_orm::DbBackend::Postgres,
        "SELECT id FROM visits WHERE id = $1 FOR UPDATE",
        [visit_id.into()],
    ))
    .await
    .unwrap();
    // Polled once each, then dropped, as when a client goes: the job stays with the writer.
    let handed_over = |seq| {
        let writer = writer.clone();
        async move {
            let apply = writer.apply(visitors_batch(visitor, visit_id, seq), Utc::now());
            let mut apply = std::pin::pin!(apply);
            assert!(futures_util::poll!(apply.as_mut()).is_pending());
        }
    };
    handed_over(2).await;
    handed_over(3).await;

    let state = app.state.clone();
    let release = async move {
        tokio::time::timeout(HANG, state.visits.draining())
            .await
            .expect("the server never drained its writers");
        lock.rollback().await.unwrap();
    };
    let (stopped, ()) = tokio::join!(app.stop(), release);
    stopped.expect("stopped");

    let row = visit::Entity::find_by_id(visit_id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("the visit");
    assert_eq!(row.last_seq, 3, "a batch left with the writer was lost");
    assert_eq!(row.engaged_seconds, 9);
    assert_eq!(app.stored_heatmap("TRUE").await.points, 3);
}
