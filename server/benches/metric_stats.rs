//! How `metricStats` scales with traffic. Seeds a fresh PostgreSQL database with 30 days of
//! traffic — 1,000,000 visits and about 10,000,000 cursor points, stored as the per-day
//! rollups the server's aggregator writes — then times the statistics (all fields, the
//! desktop heatmap included) beside two baselines measured in the same run:
//!   * the same statistics on an empty database (the fixed cost), and
//!   * the query the original system ran: an average over the raw visit rows.
//!
//! Run: `make bench` (or `cargo bench --bench metric_stats`). Uses TEST_DATABASE_URL
//! (default postgres://postgres@127.0.0.1:5432/postgres) to create and drop its databases.

use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use server::metrics::{BusinessClock, ViewportClass, stats};

const RUNS: usize = 30;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let admin_url = std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let admin = Database::connect(&admin_url).await?;
    let clock = BusinessClock::new(chrono_tz::UTC);

    let empty = fresh_database(&admin, &admin_url, "order_desk_bench_empty").await?;
    let loaded = fresh_database(&admin, &admin_url, "order_desk_bench_loaded").await?;
    let started = Instant::now();
    seed(&loaded).await?;
    println!(
        "seeded 1,000,000 visits / ~10,000,000 points in {:.1?}",
        started.elapsed()
    );
    let (cells, points): (i64, i64) = scalar_pair(
        &loaded,
        "SELECT COUNT(*), SUM(count)::bigint FROM heatmap_cells",
    )
    .await?;
    println!("heatmap rollup: {cells} cell-day rows holding {points} points");
    let started = Instant::now();
    let now = server::values::now();
    for db in [&loaded, &empty] {
        let built = server::metrics::snapshot::rebuild_if_stale(db, &clock, now)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        anyhow::ensure!(
            built,
            "no heatmap snapshot: the day has not settled, run again at 00:03 UTC"
        );
    }
    println!(
        "daily heatmap snapshot rebuild (7 and 30 days, all pages and classes): {:.1?}\n",
        started.elapsed()
    );

    let stats_on = |db: DatabaseConnection| async move {
        let now = server::values::now();
        let s = stats::metric_stats(&db, &clock, "/", 30, now)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let h = stats::heatmap(&db, &clock, "/", 30, ViewportClass::Desktop, now)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        Ok::<_, anyhow::Error>((s.visits.month, h.cells.len()))
    };
    let empty_t = time(RUNS, || stats_on(empty.clone())).await?;
    let loaded_t = time(RUNS, || stats_on(loaded.clone())).await?;
    let without_heatmap_t = time(RUNS, || {
        let db = loaded.clone();
        async move {
            let s = stats::metric_stats(&db, &clock, "/", 30, server::values::now())
                .await
                .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            Ok((s.visits.month, 0))
        }
    })
    .await?;
    let naive_t = time(5, || {
        let db = loaded.clone();
        async move {
            db.execute_unprepared(
                "SELECT AVG(engaged_seconds) FROM visits WHERE first_seen_at >= now() - interval '30 days'",
            )
            .await?;
            Ok((0, 0))
        }
    })
    .await?;

    println!(
        "{:<58} {:>9} {:>9} {:>9}",
        "metricStats (30 days, page /, desktop heatmap)", "p50", "p95", "max"
    );
    report("baseline: empty database", &empty_t);
    report("1M visits, 10M points (rollups)", &loaded_t);
    report("  of which: everything but the heatmap", &without_heatmap_t);
    report(
        "baseline: original's AVG over raw visit rows (1 field!)",
        &naive_t,
    );

    for name in ["order_desk_bench_empty", "order_desk_bench_loaded"] {
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await?;
    }
    Ok(())
}

async fn fresh_database(
    admin: &DatabaseConnection,
    admin_url: &str,
    name: &str,
) -> anyhow::Result<DatabaseConnection> {
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    let mut url = reqwest::Url::parse(admin_url)?;
    url.set_path(name);
    let db = server::db::connect(url.as_str()).await?;
    server::db::migrate(&db).await?;
    Ok(db)
}

/// Rows as the aggregator would have written them for this traffic (bench-only SQL).
async fn seed(db: &DatabaseConnection) -> anyhow::Result<()> {
    let statements = [
        // 1,000,000 visits over 30 days (the table the naive baseline reads).
        "INSERT INTO visits SELECT gen_random_uuid(), gen_random_uuid(), '/',
            to_char(now() - (i % 30) * interval '1 day', 'YYYY-MM-DD'),
            now() - (i % 30) * interval '1 day', now() - (i % 30) * interval '1 day',
            (random() * 300)::int, '{}', 1440, 900, 'DESKTOP', 1 + (i % 3), 5, NULL, NULL
         FROM generate_series(1, 1000000) AS i",
        "INSERT INTO visit_daily SELECT page, day, COUNT(*), SUM(engaged_seconds),
            SUM(CASE WHEN visit_number > 1 THEN 1 ELSE 0 END), COUNT(*) / 50
         FROM visits GROUP BY page, day",
        "INSERT INTO engagement_buckets SELECT '/', to_char(now() - d * interval '1 day', 'YYYY-MM-DD'), b,
            (random() * 300)::bigint
         FROM generate_series(0, 29) AS d, generate_series(0, 219) AS b",
        // ~10M points: 30 days x 3 viewport classes x 100 columns x 250 rows, 1-8 points each.
        // Oldest day first, as the aggregator writes them: a day's cells are created during that
        // day, so they sit together on disk. (Rows in random order would make every read touch
        // the whole table, which measures a layout the server never produces.)
        "INSERT INTO heatmap_cells SELECT '/', c, to_char(now() - d * interval '1 day', 'YYYY-MM-DD'),
            x, y, 1 + (random() * 7)::bigint
         FROM generate_series(29, 0, -1) AS d, unnest(ARRAY['MOBILE', 'TABLET', 'DESKTOP']) AS c,
              generate_series(0, 99) AS x, generate_series(0, 249) AS y
         ORDER BY d DESC, c, x, y",
        "INSERT INTO click_daily SELECT '/', to_char(now() - d * interval '1 day', 'YYYY-MM-DD'),
            'element-' || e, (random() * 1000)::bigint
         FROM generate_series(0, 29) AS d, generate_series(1, 50) AS e",
        "INSERT INTO field_daily SELECT '/', to_char(now() - d * interval '1 day', 'YYYY-MM-DD'),
            'field-' || f, (random() * 500)::bigint, (random() * 500000)::bigint, (random() * 50)::bigint
         FROM generate_series(0, 29) AS d, generate_series(1, 14) AS f",
        "ANALYZE",
    ];
    for sql in statements {
        db.execute_unprepared(sql).await?;
    }
    Ok(())
}

async fn scalar_pair(db: &DatabaseConnection, sql: &str) -> anyhow::Result<(i64, i64)> {
    use sea_orm::{FromQueryResult, JsonValue, Statement};
    let row = JsonValue::find_by_statement(Statement::from_string(db.get_database_backend(), sql))
        .one(db)
        .await?
        .unwrap_or_default();
    let values: Vec<i64> = row
        .as_object()
        .map(|o| o.values().filter_map(|v| v.as_i64()).collect())
        .unwrap_or_default();
    Ok((
        values.first().copied().unwrap_or(0),
        values.get(1).copied().unwrap_or(0),
    ))
}

async fn time<F, Fut>(runs: usize, mut f: F) -> anyhow::Result<Vec<Duration>>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<(i64, usize)>>,
{
    f().await?; // warm-up: connections, plans, caches
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        f().await?;
        times.push(start.elapsed());
    }
    times.sort();
    Ok(times)
}

fn report(label: &str, times: &[Duration]) {
    let pick = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{label:<58} {:>7.1}ms {:>7.1}ms {:>7.1}ms",
        pick(0.5).as_secs_f64() * 1e3,
        pick(0.95).as_secs_f64() * 1e3,
        pick(1.0).as_secs_f64() * 1e3
    );
}
