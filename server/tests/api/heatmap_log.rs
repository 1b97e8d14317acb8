//! The heatmap log (PostgreSQL): a flush appends its cells to `heatmap_cell_log`, folded into
//! the rows of cells (`heatmap_rows`) later. Whatever reads or deletes cells folds the log in first, so no flushed
//! point is missing from a heatmap, a snapshot or a purge; concurrent folds add each logged
//! cell once. On SQLite the flush writes the cells directly (a statement at a time, after the
//! rest of the flush), and the same checks hold.

use chrono::Duration;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::helpers::{Backend, StoredHeatmap, TestApp, TestDb, midday_today};

const HEATMAP: &str = "query($viewport: ViewportClass) { metricStats(days: 1) {
  heatmap(viewport: $viewport) { cells { x y count } } } }";

fn postgres(app: &TestApp) -> bool {
    app.db.get_database_backend() == DbBackend::Postgres
}

/// Writes what the aggregator holds, and nothing more: on PostgreSQL the cells stay in the log.
async fn flush_to_log(app: &TestApp) {
    app.state.metrics.flush(&app.db).await.expect("flush");
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let row = app
        .db
        .query_one_raw(Statement::from_string(app.db.get_database_backend(), sql))
        .await
        .expect(sql)
        .expect("a row");
    row.try_get("", "n").expect("n")
}

async fn logged_rows(app: &TestApp) -> i64 {
    if postgres(app) {
        app.count("heatmap_cell_log").await
    } else {
        0
    }
}

fn points(n: i32) -> Vec<Value> {
    (0..n)
        .map(|i| json!({"x": f64::from(i % 4) / 10.0, "y": i * 7}))
        .collect()
}

async fn heatmap_total(app: &TestApp, token: &str, viewport: &str) -> i64 {
    let body = app
        .gql_as(token, HEATMAP, json!({"viewport": viewport}))
        .await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["metricStats"]["heatmap"]["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .map(|c| c["count"].as_i64().expect("count"))
        .sum()
}

async fn a_heatmap_shows_points_still_in_the_log(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    let (visitor, visit) = (Uuid::new_v4(), Uuid::new_v4());
    for seq in 1..=3 {
        app.send_batch_ok(
            json!({"visitorId": visitor, "visitId": visit, "seq": seq, "points": points(12)}),
        )
        .await;
        flush_to_log(&app).await;
    }
    // A phone's points: another heatmap.
    app.send_batch_ok(json!({"viewportWidth": 390, "points": points(2)}))
        .await;
    flush_to_log(&app).await;
    if postgres(&app) {
        assert_eq!(logged_rows(&app).await, 4, "one log row per flush");
        assert_eq!(app.stored_heatmap("TRUE").await.cells, 0);
    }
    assert_eq!(heatmap_total(&app, &token, "DESKTOP").await, 36);
    // The read folded its own heatmap in, and only that; the three flushes' repeats of a cell
    // are added into one.
    assert_eq!(logged_rows(&app).await, if postgres(&app) { 1 } else { 0 });
    let phone_cells = if postgres(&app) { 0 } else { 2 };
    assert_eq!(app.stored_heatmap("TRUE").await.cells, 12 + phone_cells);
    assert_eq!(heatmap_total(&app, &token, "DESKTOP").await, 36);
    assert_eq!(heatmap_total(&app, &token, "MOBILE").await, 2);
    assert_eq!(logged_rows(&app).await, 0);
    assert_eq!(app.stored_heatmap("TRUE").await.cells, 14);
}

db_tests!(a_heatmap_shows_points_still_in_the_log);

/// A fold whose cells span more heatmap rows than one upsert carries (the fold writes them
/// in parts): every cell keeps its place and its count, summed over the log's rows.
async fn a_fold_of_many_rows_keeps_every_cell_in_place(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.admin_token().await;
    // 130 rows of the heatmap, each with one cell in its own column (0, 16 px lower: 1, …).
    let spread: Vec<Value> = (0..130)
        .map(|i| json!({"x": f64::from(i % 100) / 100.0 + 0.001, "y": i * 16}))
        .collect();
    let (visitor, visit) = (Uuid::new_v4(), Uuid::new_v4());
    for seq in 1..=2 {
        app.send_batch_ok(
            json!({"visitorId": visitor, "visitId": visit, "seq": seq, "points": spread}),
        )
        .await;
        flush_to_log(&app).await;
    }
    let body = app
        .gql_as(&token, HEATMAP, json!({"viewport": "DESKTOP"}))
        .await;
    assert!(body["errors"].is_null(), "{body}");
    let mut cells: Vec<(i64, i64, i64)> = body["data"]["metricStats"]["heatmap"]["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .map(|c| {
            let n = |k: &str| c[k].as_i64().expect(k);
            (n("y"), n("x"), n("count"))
        })
        .collect();
    cells.sort_unstable();
    let expected: Vec<(i64, i64, i64)> = (0..130).map(|i| (i, i % 100, 2)).collect();
    assert_eq!(cells, expected);
    assert_eq!(logged_rows(&app).await, 0);
    assert_eq!(app.stored_heatmap("TRUE").await.cells, 130);
}

db_tests!(a_fold_of_many_rows_keeps_every_cell_in_place);

async fn snapshots_fold_the_log_in_and_purges_clear_it(backend: Backend) {
    use server::metrics::{BusinessClock, ingest, retention, snapshot};
    let app = TestApp::spawn(backend).await;
    let clock = BusinessClock::new(chrono_tz::UTC);
    let now = midday_today();
    let apply = |days_ago: i64| {
        let input = server::metrics::BatchInput {
            visitor_id: Uuid::new_v4().to_string(),
            visit_id: Uuid::new_v4().to_string(),
            seq: 1,
            page: "/".into(),
            viewport_width: 1440,
            viewport_height: 800,
            engaged_seconds: 1,
            points: (0..5).map(|i| (f64::from(i) / 10.0, i * 20)).collect(),
            ..Default::default()
        };
        let batch = server::metrics::Batch::parse(&input, &["/".to_owned()]).expect("valid");
        let (db, metrics) = (app.db.clone(), app.state.metrics.clone());
        async move {
            ingest::apply(
                &db,
                &clock,
                &metrics,
                &batch,
                now - Duration::days(days_ago),
            )
            .await
            .expect("applied");
        }
    };

    // Yesterday's points, still in the log when the snapshots are built.
    apply(1).await;
    flush_to_log(&app).await;
    snapshot::invalidate(&app.db).await.expect("invalidate");
    assert!(
        snapshot::rebuild_if_stale(&app.db, &clock, now)
            .await
            .expect("rebuild")
    );
    for window in snapshot::WINDOWS {
        let summed = scalar(
            &app,
            &format!(
                "SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT) AS n FROM heatmap_snapshots \
                 WHERE window_days = {window}"
            ),
        )
        .await;
        assert_eq!(
            summed, 5,
            "the {window}-day snapshot holds yesterday's points"
        );
    }

    // A day past retention, still in the log when the purge runs: it must not come back when
    // the log is folded in.
    apply(200).await;
    flush_to_log(&app).await;
    retention::purge(&app.db, &clock, 180, now)
        .await
        .expect("purge");
    app.flush_metrics().await;
    let cutoff = (now - Duration::days(180)).date_naive();
    let oldest = app.stored_heatmap(&format!("day < '{cutoff}'")).await;
    assert_eq!(
        oldest.cells, 0,
        "a purged day's cells came back from the log"
    );
    assert_eq!(
        app.stored_heatmap("TRUE").await.points,
        5,
        "only yesterday's points are left"
    );
}

db_tests!(snapshots_fold_the_log_in_and_purges_clear_it);

const WINDOWS: &str = "{ live: metricStats(days: 5) { heatmap { cells { x y count } } }
  month: metricStats(days: 30) { heatmap { cells { x y count } } } }";

/// Cells stored a row each before PostgreSQL kept rows of cells move into their rows, and
/// every heatmap shows them as before: summed over days from the stored days (the 5-day
/// window) or a snapshot (the month, once built). SQLite keeps its cells as they are.
async fn cells_stored_before_rows_show_as_before(backend: Backend) {
    let (test_db, db) = TestDb::migrated_until(backend, "m20261203_000026_heatmap_rows").await;
    // Yesterday and the day before: inside both windows whenever the test runs.
    let today = chrono::Utc::now().date_naive();
    let (yesterday, before) = (today - Duration::days(1), today - Duration::days(2));
    db.execute_unprepared(&format!(
        "INSERT INTO heatmap_cells (page, viewport_class, day, x, y, count) VALUES \
         ('/', 'DESKTOP', '{yesterday}', 0, 3, 5), ('/', 'DESKTOP', '{yesterday}', 99, 3, 7), \
         ('/', 'DESKTOP', '{yesterday}', 50, 4, 1), ('/', 'DESKTOP', '{before}', 0, 3, 2), \
         ('/', 'DESKTOP', '{before}', 7, 10, 4), ('/', 'MOBILE', '{yesterday}', 1, 0, 2)"
    ))
    .await
    .expect("cells a row each");
    let _ = db.close().await;
    let app = TestApp::spawn_with_db(test_db).await;
    if postgres(&app) {
        let gone = scalar(
            &app,
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM pg_class WHERE relname = 'heatmap_cells'",
        )
        .await;
        assert_eq!(gone, 0, "the cells' table is dropped");
        assert_eq!(
            app.count("heatmap_rows").await,
            5,
            "one row per (class, day, y)"
        );
    }
    assert_eq!(
        app.stored_heatmap("TRUE").await,
        StoredHeatmap {
            cells: 6,
            points: 21
        }
    );
    let token = app.admin_token().await;
    let body = app.gql_as(&token, WINDOWS, json!({})).await;
    assert!(body["errors"].is_null(), "{body}");
    let expected = json!([
        {"x": 0, "y": 3, "count": 7},
        {"x": 7, "y": 10, "count": 4},
        {"x": 50, "y": 4, "count": 1},
        {"x": 99, "y": 3, "count": 7}
    ]);
    for window in ["live", "month"] {
        assert_eq!(
            body["data"][window]["heatmap"]["cells"], expected,
            "{window}"
        );
    }
}

db_tests!(cells_stored_before_rows_show_as_before);

/// Replicas fold the log in at the same time: each logged cell is added once, whoever folds it.
/// The folds are made to start together: each waits for a lock on the rows until all four
/// do, and they take their snapshots only once it is released.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_folds_add_each_logged_cell_once() {
    use sea_orm::TransactionTrait;
    use server::metrics::cell_log;
    let app = TestApp::spawn(Backend::Postgres).await;
    let flushes = 200;
    for _ in 0..flushes {
        // A visit each: one visit may credit only so many points a second.
        app.send_batch_ok(json!({"points": points(10)})).await;
        flush_to_log(&app).await;
    }
    assert_eq!(logged_rows(&app).await, i64::from(flushes));
    let holder = app.db.begin().await.expect("begin");
    holder
        .execute_unprepared("LOCK TABLE heatmap_rows IN EXCLUSIVE MODE")
        .await
        .expect("lock");
    // Each fold, once it returns, has the log as it found it folded in: what is left is
    // counted straight away.
    let folds: Vec<_> = (0..4)
        .map(|_| {
            let db = app.db.clone();
            tokio::spawn(async move {
                let folded = cell_log::compact(&db).await.expect("fold");
                let left = db
                    .query_one_raw(Statement::from_string(
                        DbBackend::Postgres,
                        "SELECT COUNT(*) AS n FROM heatmap_cell_log",
                    ))
                    .await
                    .expect("log rows")
                    .expect("a row")
                    .try_get::<i64>("", "n")
                    .expect("n");
                (folded, left)
            })
        })
        .collect();
    let waiting = "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM pg_stat_activity \
                   WHERE datname = current_database() AND wait_event_type = 'Lock'";
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
    while scalar(&app, waiting).await < 4 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the four folds never all waited for the lock"
        );
        tokio::task::yield_now().await;
    }
    holder.commit().await.expect("release");
    let mut folded = 0;
    for fold in folds {
        let (rows, left) = fold.await.expect("joined");
        assert_eq!(left, 0, "a fold returned with log rows still to fold");
        folded += rows;
    }
    assert_eq!(
        folded,
        u64::try_from(flushes).unwrap(),
        "log rows folded in"
    );
    assert_eq!(logged_rows(&app).await, 0);
    let stored = app.stored_heatmap("TRUE").await;
    assert_eq!(stored.points, i64::from(flushes) * 10);
    assert_eq!(stored.cells, 10);
}

/// A heatmap whose log cannot be folded in (here: locked past the statement timeout) is still
/// shown, without the points the log holds; they show once it can be.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_heatmap_is_shown_when_its_log_cannot_be_folded() {
    use sea_orm::TransactionTrait;
    let app = TestApp::spawn_with(Backend::Postgres, &[("DATABASE_STATEMENT_TIMEOUT", "1s")]).await;
    let token = app.admin_token().await;
    app.send_batch_ok(json!({"points": points(4)})).await;
    app.flush_metrics().await;
    app.send_batch_ok(json!({"points": points(3)})).await;
    flush_to_log(&app).await;
    let holder = app.db.begin().await.expect("begin");
    holder
        .execute_unprepared("SET LOCAL statement_timeout = 0")
        .await
        .expect("no timeout for the holder");
    holder
        .execute_unprepared("LOCK TABLE heatmap_cell_log IN ACCESS EXCLUSIVE MODE")
        .await
        .expect("lock");
    assert_eq!(heatmap_total(&app, &token, "DESKTOP").await, 4);
    holder.commit().await.expect("release");
    assert_eq!(heatmap_total(&app, &token, "DESKTOP").await, 7);
}

/// SQLite writes a flush's heatmap cells after the rest, a statement of 500 at a time, each in
/// its own turn among the writers. A statement that fails leaves the ones before it stored and
/// puts its cells and the later ones back: the next flush stores every cell exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_flush_failing_midway_stores_each_cell_once() {
    use std::{collections::HashMap, sync::Arc};

    use server::metrics::{ViewportClass, aggregator::Pending};

    let app = TestApp::spawn(Backend::Sqlite).await;
    // 1,300 cells, 1 to 3 points each; written in (x, y) order, so 500 and 500 before the
    // statement holding the last cell, which a trigger refuses.
    let cells: HashMap<(i16, i32), i64> = (0..100i16)
        .flat_map(|x| (0..13).map(move |y| ((x, y), 1 + i64::from(x + 100 * y as i16) % 3)))
        .collect();
    let group = (
        Arc::from("/"),
        ViewportClass::Desktop,
        midday_today().date_naive(),
    );
    app.state.metrics.merge(Pending {
        cells: HashMap::from([(group, cells.clone())]),
        ..Pending::default()
    });
    let refuse = "CREATE TRIGGER refuse_a_cell BEFORE INSERT ON heatmap_cells \
                  WHEN NEW.x = 99 AND NEW.y = 12 BEGIN SELECT RAISE(ABORT, 'refused'); END";
    app.db.execute_unprepared(refuse).await.expect(refuse);

    assert!(app.state.metrics.flush(&app.db).await.is_err());
    assert_eq!(
        app.stored_heatmap("TRUE").await.cells,
        1_000,
        "two statements of 500 stored"
    );

    app.db
        .execute_unprepared("DROP TRIGGER refuse_a_cell")
        .await
        .expect("drop the trigger");
    app.state.metrics.flush(&app.db).await.expect("flush");
    let stored = app.stored_heatmap("TRUE").await;
    assert_eq!(stored.cells, 1_300);
    assert_eq!(stored.points, cells.values().sum::<i64>());
    let wrong = scalar(
        &app,
        "SELECT COUNT(*) AS n FROM heatmap_cells WHERE count <> 1 + (x + 100 * y) % 3",
    )
    .await;
    assert_eq!(wrong, 0, "every cell holds its own points, once");
}

/// A flush that fails (here the day rollups' table is away) writes nothing and keeps every
/// delta, heatmap cells included, for the next flush, which stores each exactly once.
async fn a_failed_flush_keeps_every_cell_for_the_next(backend: Backend) {
    use std::{collections::HashMap, sync::Arc};

    use server::metrics::{
        ViewportClass,
        aggregator::{DailyDelta, Pending},
    };

    let app = TestApp::spawn(backend).await;
    let page: Arc<str> = Arc::from("/");
    let day = midday_today().date_naive();
    let cells: HashMap<(i16, i32), i64> = (0..30i16).map(|x| ((x, 2 * i32::from(x)), 1)).collect();
    app.state.metrics.merge(Pending {
        daily: HashMap::from([(
            (page.clone(), day),
            DailyDelta {
                visits: 1,
                ..DailyDelta::default()
            },
        )]),
        cells: HashMap::from([((page, ViewportClass::Desktop, day), cells)]),
        ..Pending::default()
    });
    let away = "ALTER TABLE visit_daily RENAME TO visit_daily_away";
    app.db.execute_unprepared(away).await.expect(away);
    assert!(app.state.metrics.flush(&app.db).await.is_err());
    let back = "ALTER TABLE visit_daily_away RENAME TO visit_daily";
    app.db.execute_unprepared(back).await.expect(back);
    assert_eq!(app.stored_heatmap("TRUE").await.cells, 0, "nothing written");
    assert_eq!(logged_rows(&app).await, 0, "nothing logged");

    app.flush_metrics().await;
    let stored = app.stored_heatmap("TRUE").await;
    assert_eq!((stored.cells, stored.points), (30, 30));
    assert_eq!(app.count("visit_daily").await, 1);
}
db_tests!(a_failed_flush_keeps_every_cell_for_the_next);
