#!/usr/bin/env bash
# stats_promtool: uphub.metrics() passes `promtool check metrics` with no
# finding, after every metric family has samples (the recording API is driven
# through the superuser-only test hooks), label values that need escaping
# included. Runs against the test cluster (PGHOST/PGPORT/PGUSER/PGDATABASE).
set -euo pipefail

psql=(psql -X -q -v ON_ERROR_STOP=1 -At)
created=$("${psql[@]}" -c "SELECT count(*) = 0 FROM pg_extension WHERE extname = 'uphub'")
"${psql[@]}" -c "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS uphub"
cleanup() {
	if [ "$created" = t ]; then "${psql[@]}" -c "DROP EXTENSION uphub" || true; fi
}
trap cleanup EXIT

"${psql[@]}" <<'SQL'
SELECT uphub._stats_test_graphql_request(1, 'CreatorDashboard', 'query', true, 31, 0.0031);
SELECT uphub._stats_test_graphql_request(1, 'CreatorDashboard', 'query', false, 0, 0.2);
SELECT uphub._stats_test_graphql_request(2, 'CreatorDashboard', 'query', true, 1, 0.0001);
SELECT uphub._stats_test_graphql_request(3, NULL, 'query', true, 1, 42);
SELECT uphub._stats_test_graphql_request(4, 'UpdateCreator', 'mutation', true, 1, 0.01);
SELECT uphub._stats_test_plan_cache(true), uphub._stats_test_plan_cache(false);
SELECT uphub._stats_test_rbac_check(true), uphub._stats_test_rbac_check(false);
SELECT uphub._stats_test_refresh_run(120, 0.04, true), uphub._stats_test_refresh_run(0, 0.001, false);
SELECT uphub._stats_test_aggregate_lag(1.25);
SELECT uphub.stats_record_ingest('video_snapshot', 500);
SELECT uphub.stats_record_ingest(E'odd "table" \\ name\nwith newline', 2);
SQL

metrics=$(mktemp)
trap 'rm -f "$metrics"; cleanup' EXIT
"${psql[@]}" -c "SELECT uphub.metrics()" >"$metrics"

# Every family the API promises has HELP, TYPE and at least one sample.
for family in uphub_graphql_requests_total uphub_graphql_request_duration_seconds \
	uphub_graphql_plan_cache_hits_total uphub_graphql_plan_cache_misses_total \
	uphub_rbac_checks_total uphub_refresh_runs_total uphub_refresh_changes_total \
	uphub_refresh_duration_seconds uphub_aggregate_lag_seconds \
	uphub_refresh_last_success_timestamp_seconds uphub_ingest_rows_total \
	uphub_stats_operations uphub_stats_operations_max uphub_stats_reset_timestamp_seconds; do
	grep -q "^# HELP $family " "$metrics" || { echo "no HELP for $family"; exit 1; }
	grep -q "^# TYPE $family " "$metrics" || { echo "no TYPE for $family"; exit 1; }
	grep -qE "^${family}(_bucket|_sum|_count)?(\{| )" "$metrics" || { echo "no sample of $family"; exit 1; }
done
grep -qF 'uphub_ingest_rows_total{table="odd \"table\" \\ name\nwith newline"} 2' "$metrics" \
	|| { echo "label value not escaped"; grep ingest "$metrics"; exit 1; }
grep -qF 'uphub_graphql_requests_total{operation="__anonymous__",status="ok"}' "$metrics" \
	|| { echo "anonymous operation missing"; exit 1; }

# promtool: exit 0 and no lint finding at all.
out=$(promtool check metrics <"$metrics" 2>&1) || { echo "promtool failed:"; echo "$out"; exit 1; }
if [ -n "$out" ]; then
	echo "promtool findings:"
	echo "$out"
	exit 1
fi
echo "promtool check metrics: clean ($(wc -l <"$metrics") lines)"
