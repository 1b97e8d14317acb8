-- Visitor statistics of :days days for the page "/": :visits visits and the per-day rollups
-- the server's aggregator writes for them (visit_daily, engagement_buckets, heatmap_rows,
-- click_daily, field_daily). Cursor points: :days days x 3 viewport classes x :rows heatmap
-- rows of :cols column counts, every cell holding 1-8 points (30 x 3 x 250 x 100 cells, about
-- 10,000,000 points, at full scale).
-- Deterministic (hashes of the row number), so every run loads the same data.
--
-- psql -v visits=1000000 -v days=30 -v cols=100 -v rows=250 -f visits_pg.sql
BEGIN;
SET LOCAL synchronous_commit = off;

CREATE FUNCTION pg_temp.u(i bigint, k int) RETURNS float8 IMMUTABLE LANGUAGE sql
AS $$ SELECT (hashint8(i * 64 + k) & 2147483647)::float8 / 2147483648 $$;

-- Visits: engaged time skewed short (most leave within a minute), 30 % returning visitors,
-- 2 % converted, 10 cursor points each on average; days spread evenly over the window.
INSERT INTO visits (id, visitor_id, page, day, first_seen_at, last_seen_at, engaged_seconds,
    clicks, viewport_width, viewport_height, viewport_class, visit_number, last_seq,
    applied_seqs, last_field, application_id, points)
SELECT md5('visit' || i)::uuid, md5('visitor' || (i % (:visits * 7 / 10 + 1)))::uuid, '/',
    (seen AT TIME ZONE 'UTC')::date, seen, seen + engaged * interval '1 second', engaged,
    jsonb_build_object('submit', 1 + (i % 3)), 1440, 900, 'DESKTOP',
    CASE WHEN i > :visits * 7 / 10 + 1 THEN 2 ELSE 1 END, greatest(1, engaged), -1,
    CASE WHEN i % 7 = 0 THEN 'email' END, NULL, i % 21
FROM (
    SELECT i,
        now() - floor(pg_temp.u(i, 1) * :days) * interval '1 day'
            - pg_temp.u(i, 2) * interval '1 hour' AS seen,
        floor(power(pg_temp.u(i, 3), 3) * 600)::int AS engaged
    FROM generate_series(1, :visits) AS i
) v;

INSERT INTO visit_daily (page, day, visits, engaged_seconds, returning_visits, converted_visits)
SELECT page, day, count(*), sum(engaged_seconds), count(*) FILTER (WHERE visit_number > 1),
    count(*) / 50
FROM visits GROUP BY page, day;

-- The server's engagement buckets (metrics::buckets::bucket), per visit.
INSERT INTO engagement_buckets (page, day, bucket, visits)
SELECT page, day, b, count(*)
FROM (
    SELECT page, day, CASE
        WHEN engaged_seconds <= 60 THEN greatest(engaged_seconds, 0)
        WHEN engaged_seconds <= 300 THEN 61 + (engaged_seconds - 61) / 5
        WHEN engaged_seconds <= 3600 THEN 109 + (engaged_seconds - 301) / 30
        ELSE 219 END AS b
    FROM visits
) v GROUP BY page, day, b;

-- Oldest day first, as the log's folds write them: a day's rows are created during that day,
-- so they sit together on disk.
INSERT INTO heatmap_rows (page, viewport_class, day, y, counts)
SELECT '/', c, (now() AT TIME ZONE 'UTC')::date - d, y,
    ARRAY(SELECT 1 + floor(pg_temp.u(d * 1000000 + x * 10000 + y, ascii(c)) * 8)::bigint
          FROM generate_series(0, :cols - 1) AS x ORDER BY x)
FROM generate_series(:days - 1, 0, -1) AS d,
     unnest(ARRAY['MOBILE', 'TABLET', 'DESKTOP']) AS c,
     generate_series(0, :rows - 1) AS y
ORDER BY d DESC, c, y;

INSERT INTO click_daily (page, day, element, count)
SELECT '/', (now() AT TIME ZONE 'UTC')::date - d, 'element-' || e,
    floor(pg_temp.u(d * 100 + e, 1) * 1000)::bigint
FROM generate_series(0, :days - 1) AS d, generate_series(1, 50) AS e;

INSERT INTO field_daily (page, day, field, focuses, focused_ms, abandonments)
SELECT '/', (now() AT TIME ZONE 'UTC')::date - d, 'field-' || f,
    floor(pg_temp.u(d * 100 + f, 1) * 500)::bigint, floor(pg_temp.u(d * 100 + f, 2) * 500000)::bigint,
    floor(pg_temp.u(d * 100 + f, 3) * 50)::bigint
FROM generate_series(0, :days - 1) AS d, generate_series(1, 14) AS f;

COMMIT;
ANALYZE visits, visit_daily, engagement_buckets, heatmap_rows, click_daily, field_daily;
