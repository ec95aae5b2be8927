#!/usr/bin/env bash
# bench/gql_groups.sh — groups(by: DAY_WEEK) against a hand-written GROUP BY
# (not part of make test).
#
# The question: an MCN manager's weekly board over 30 days of its creators'
# creator_daily rows (a relation filter on creator.mcn_id), per week (from
# Monday): count, sums of views, likes and fans_delta, first and last day.
# The GraphQL side sends the document and the MCN as a variable to
# uphub.graphql(); the baseline is one SQL statement returning the same
# JSON. Same answer checked first, then pgbench (-M prepared, 2 clients, a
# random MCN per transaction).
#
# Result: gql_groups_week_tps, ratio = GraphQL / SQL, target >= 0.85.
# Data (BENCH_SCALE small/default/large): creators in 20 MCNs, 60 days each.
# Runs against the cluster bench/run.sh starts (PGHOST, PGPORT, PGUSER, PGDATABASE).
set -euo pipefail
seconds=${GQL_BENCH_SECONDS:-10}
case "${BENCH_SCALE:-default}" in
	small) creators=500 ;;
	large) creators=50000 ;;
	*) creators=5000 ;;
esac
psql=(psql -X -q -v ON_ERROR_STOP=1 -At)
work=${UPHUB_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
chmod 777 "$work"

echo "loading $creators creators"
"${psql[@]}" -v creators="$creators" <<'SQL'
SET timezone = 'Asia/Shanghai';
TRUNCATE uphub.partition, uphub.mcn, uphub.creator, uphub.creator_daily CASCADE;
INSERT INTO uphub.partition SELECT t, NULL, 'top ' || t FROM generate_series(1, 10) t;
INSERT INTO uphub.mcn SELECT m, 'agency ' || m FROM generate_series(1, 20) m;
INSERT INTO uphub.creator (mid, name, main_tid, mcn_id, updated_at)
SELECT c, 'creator ' || c, 1 + c % 10, CASE WHEN c % 3 > 0 THEN 1 + c % 20 END, '2024-01-01'
FROM generate_series(1, :creators) c;
INSERT INTO uphub.creator_daily (mid, day, views, likes, coins, favorites, fans_delta, follower_eod)
SELECT c, d, (c * 31 + extract(doy FROM d)::int * 17) % 1000, c % 50, c % 13, c % 11, (c + extract(doy FROM d)::int) % 21 - 10, 1000 + c
FROM generate_series(1, :creators) c, generate_series('2024-01-01'::date, '2024-02-29', '1 day') d;
ANALYZE;
SQL

gql='query Weekly($mcn: BigInt!) { creatorDailies(filter: {creator: {mcnId: {eq: $mcn}}, day: {gte: "2024-01-15", lt: "2024-02-14"}}) { groups(by: [DAY_WEEK]) { key { dayWeek } count sum { views likes fansDelta } min { day } max { day } } } }'
sql="SELECT jsonb_build_object('data', jsonb_build_object('creatorDailies', jsonb_build_object('groups', coalesce((SELECT jsonb_agg(jsonb_build_object('key', jsonb_build_object('dayWeek', w.week), 'count', w.n, 'sum', jsonb_build_object('views', w.views::text, 'likes', w.likes::text, 'fansDelta', w.fans::text), 'min', jsonb_build_object('day', w.first_day), 'max', jsonb_build_object('day', w.last_day)) ORDER BY w.week) FROM (SELECT date_trunc('week', d.day::timestamp)::date AS week, count(*) AS n, sum(d.views) AS views, sum(d.likes) AS likes, sum(d.fans_delta) AS fans, min(d.day) AS first_day, max(d.day) AS last_day FROM uphub.creator_daily d JOIN uphub.creator c ON c.mid = d.mid WHERE c.mcn_id = \$1 AND d.day >= '2024-01-15' AND d.day < '2024-02-14' GROUP BY 1) w), '[]'))))"

gql_literal=$(printf '%s' "$gql" | sed "s/'/''/g")
printf '\\set k random(1, 20)\nSELECT uphub.graphql('"'"'%s'"'"', jsonb_build_object('"'"'mcn'"'"', :k::bigint));\n' "$gql_literal" >"$work/groups.gql.sql"
printf '\\set k random(1, 20)\n%s;\n' "${sql//\$1/:k}" >"$work/groups.sql.sql"
for k in 1 10 20; do
	equal=$(printf "SELECT uphub.graphql(:'q', jsonb_build_object('mcn', :k)) = (%s);\n" "${sql//\$1/:k}" |
		"${psql[@]}" -v q="$gql" -v k="$k")
	if [ "$equal" != t ]; then
		echo "groups: GraphQL and SQL answers differ for MCN $k" >&2
		printf "SELECT uphub.graphql(:'q', jsonb_build_object('mcn', :k));\n" | "${psql[@]}" -v q="$gql" -v k="$k" | head -c 2000 >&2
		exit 1
	fi
done
echo "groups: same JSON both ways"

run_pgbench() {
	pgbench -n -M prepared -c 2 -j 2 -T "$seconds" -f "$1" 2>&1 | sed -n 's/^tps = \([0-9.]*\).*/\1/p'
}
gql_tps=$(run_pgbench "$work/groups.gql.sql")
sql_tps=$(run_pgbench "$work/groups.sql.sql")
echo "groups: gql_tps=$gql_tps sql_tps=$sql_tps"
echo "BENCH gql_groups_week_tps $gql_tps tps $sql_tps $(awk -v a="$gql_tps" -v b="$sql_tps" 'BEGIN { printf "%.3f", a / b }') >=0.85"
