-- The recording API through its SQL test hooks and stats_record_ingest:
-- exact counts in uphub.stats and uphub.counters after known activity.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
SELECT uphub.stats_reset();

SELECT uphub._stats_test_graphql_request(42, 'CreatorDashboard', 'query', true, 31, 0.002);
SELECT uphub._stats_test_graphql_request(42, 'CreatorDashboard', 'query', true, 31, 0.0004);
SELECT uphub._stats_test_graphql_request(42, 'CreatorDashboard', 'query', false, 0, 3);
SELECT uphub._stats_test_graphql_request(7, NULL, 'mutation', true, 1, 0.02);
SELECT uphub._stats_test_graphql_request(-1, 'Big', 'query', true, 1, 100);

SELECT queryid, operation_name, operation_type, calls, errors, rows,
	round(total_time_ms::numeric, 3) AS total_ms, round(min_time_ms::numeric, 3) AS min_ms,
	round(max_time_ms::numeric, 3) AS max_ms, round(mean_time_ms::numeric, 3) AS mean_ms,
	bucket_count, first_call <= last_call AS ordered, last_call <= now() + interval '1 s' AS recent
FROM uphub.stats ORDER BY queryid;
SELECT DISTINCT bucket_le FROM uphub.stats;

SELECT uphub._stats_test_rbac_check(true);
SELECT uphub._stats_test_rbac_check(true);
SELECT uphub._stats_test_rbac_check(false);
SELECT uphub._stats_test_plan_cache(true);
SELECT uphub._stats_test_plan_cache(false);
SELECT uphub._stats_test_plan_cache(false);
SELECT uphub._stats_test_refresh_run(100, 0.03, true);
SELECT uphub._stats_test_refresh_run(5, 12, false);
SELECT uphub._stats_test_aggregate_lag(2.5);
SELECT uphub.stats_record_ingest('video_snapshot', 1000);
SELECT uphub.stats_record_ingest('video_snapshot', 24);
SELECT uphub.stats_record_ingest('creator_snapshot', 3);
SELECT uphub.stats_record_ingest('creator_snapshot', 0);
SELECT uphub.stats_record_ingest('video', -1);

SELECT name, labels, value FROM uphub.counters
WHERE name NOT IN ('uphub_refresh_last_success_timestamp_seconds',
	'uphub_stats_reset_timestamp_seconds', 'uphub_stats_restored')
ORDER BY name, labels::text;
SELECT value > extract(epoch FROM now()) - 60 AS recent_success
FROM uphub.counters WHERE name = 'uphub_refresh_last_success_timestamp_seconds';

-- uphub.track = off: nothing is recorded.
SET uphub.track = off;
SELECT uphub._stats_test_rbac_check(true);
SELECT uphub._stats_test_graphql_request(42, 'CreatorDashboard', 'query', true, 31, 0.002);
SELECT uphub.stats_record_ingest('video_snapshot', 5);
RESET uphub.track;
SELECT (SELECT value FROM uphub.counters WHERE name = 'uphub_rbac_checks_total' AND labels->>'result' = 'allowed') AS allowed,
	(SELECT calls FROM uphub.stats WHERE queryid = 42) AS calls,
	(SELECT value FROM uphub.counters WHERE name = 'uphub_ingest_rows_total' AND labels->>'table' = 'video_snapshot') AS ingested;

-- A reset empties the store and moves the reset time.
SELECT uphub.stats_reset();
SELECT count(*) FROM uphub.stats;
SELECT name, value FROM uphub.counters
WHERE name IN ('uphub_rbac_checks_total', 'uphub_refresh_runs_total', 'uphub_stats_operations', 'uphub_aggregate_lag_seconds')
ORDER BY name, labels::text;
SELECT value > extract(epoch FROM now()) - 60 AS reset_recently
FROM uphub.counters WHERE name = 'uphub_stats_reset_timestamp_seconds';
