#!/usr/bin/env bash
# bench/agg.sh — incremental refresh vs full recomputation of the aggregates,
# and sustained ingest with the aggregate worker on and off.
#
# Part 1 (the issue's benchmark). Generates (in SQL) creators, videos and N
# video snapshots (BENCH_SCALE: small = 1M, default = 10M, large = 30M),
# builds the aggregates once, then adds 1% new snapshots (the next round of
# every video) and times refresh_aggregates() on them against the full
# recomputation of video_daily alone by REFRESH MATERIALIZED VIEW of an
# equivalent view (window functions over the whole table: the cheapest
# honest from-scratch SQL; the incremental side also maintains creator,
# partition, agency days and the summaries). Checks that video_daily equals
# the view. It also times the from-scratch oracle
# (test/sql/agg_oracle.sql, every aggregate) and checks every table against
# it when BENCH_ORACLE is set (slow: meant for the small scale), then
# again after part 2.
#
# Part 2 (sustained ingest). uphub-gen | uphub-ingest at its full rate into
# the same database, three consecutive day ranges of one generated world (a
# feed that goes on: the same videos with growing counters, new ones
# published as days pass): a warm-up load, then the next days with the
# worker kept off (this script holds the refresh lock, so the worker skips
# every round; capture still runs), then the days after with the worker on while polling
# aggregate_lag() every 0.5 s. Reports the ingest rate ratio on/off and the
# highest lag seen, and how long the worker took to catch up the backlog.
# Also where the CPU went, read from /proc (the cluster runs on this
# machine): the machine's busy and idle time during each load, the worker's
# own CPU, and from them the best ratio the cores allow the worker as it is
# (with every core busy, the loader's CPU and the worker's for the same
# load take at least their sum over the cores).
# Prints BENCH lines (see bench/run.sh).
# Runs against PGHOST/PGPORT/PGDATABASE (bench/run.sh sets them).
set -euo pipefail
top=${UPHUB_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
case "${BENCH_SCALE:-default}" in
	small) videos=20000 rounds=50 gen_creators=1000 gen_days=4 ;;
	large) videos=300000 rounds=100 gen_creators=4000 gen_days=8 ;;
	*) videos=100000 rounds=100 gen_creators=3000 gen_days=6 ;;
esac
creators=$((videos / 50))
psql() { command psql -X -v ON_ERROR_STOP=1 -q "$@"; }

echo "scale ${BENCH_SCALE:-default}: $creators creators, $videos videos, $((videos * rounds)) snapshots"
psql <<SQL
CREATE EXTENSION IF NOT EXISTS uphub;
INSERT INTO uphub.partition SELECT t, NULL, 'p' || t FROM generate_series(1, 20) t;
INSERT INTO uphub.mcn SELECT m, 'm' || m FROM generate_series(1, 50) m;
INSERT INTO uphub.creator (mid, name, main_tid, mcn_id)
SELECT i, 'c' || i, 1 + i % 20, CASE WHEN i % 3 = 0 THEN 1 + i % 50 END FROM generate_series(1, $creators) i;
INSERT INTO uphub.video (aid, bvid, mid, tid, title, pubdate)
SELECT j, 'BV1' || translate(lpad(j::text, 9, '0'), '0123456789', 'abcdefghij'), 1 + j % $creators,
	1 + j % 20, 'v' || j, date_trunc('day', now()) - interval '60 days' + (j % 50) * interval '1 day'
FROM generate_series(1, $videos) j;
SELECT uphub.ensure_snapshot_partitions(now() - interval '80 days', now());
SQL

snap_sql() { # rounds $1..$2
	cat <<SQL
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view, "like", coin, favorite, share, danmaku, reply)
SELECT v.aid, date_trunc('day', now()) - interval '$((rounds / 2 + 2)) days' + r * interval '12 hours'
		+ (v.aid % 600) * interval '1 minute',
	v.mid, r * (v.aid % 97 + 1) * 10, r * (v.aid % 13), r * (v.aid % 5), r * (v.aid % 7),
	r * (v.aid % 3), r * (v.aid % 11), CASE WHEN r % 17 = 3 THEN NULL ELSE r * (v.aid % 4) END
FROM uphub.video v, generate_series($1, $2) r;
SQL
}

start=$(date +%s.%N)
{ echo "BEGIN;"; snap_sql 0 $((rounds - 2)); echo "SELECT uphub.refresh_aggregates();"; echo "COMMIT;"; } | psql >/dev/null
load=$(echo "$(date +%s.%N) - $start" | bc)
echo "initial load + build through the incremental path: ${load}s"
# A loaded production table has statistics; so does this one.
psql -c 'ANALYZE'

psql <<'SQL'
CREATE MATERIALIZED VIEW bench_video_daily AS
WITH pts AS (
	SELECT s.aid, k.c, s.observed_at AS t, k.v
	FROM uphub.video_snapshot s
	CROSS JOIN LATERAL (VALUES (1, s.view), (2, s."like"), (3, s.coin), (4, s.favorite),
							   (5, s.share), (6, s.danmaku), (7, s.reply)) AS k(c, v)
	WHERE k.v IS NOT NULL
), seg AS (
	SELECT aid, c, t, v, lead(t) OVER w AS t1, lead(v) OVER w AS v1
	FROM pts WINDOW w AS (PARTITION BY aid, c ORDER BY t)
), knots AS (
	SELECT aid, c, t, v::numeric AS v FROM seg
	UNION ALL
	SELECT seg.aid, seg.c, b.b, uphub._agg_interp(seg.t, seg.v, seg.t1, seg.v1, b.b)
	FROM seg CROSS JOIN LATERAL uphub._agg_boundaries(seg.t, seg.t1, '-infinity', 'infinity') AS b(b)
	WHERE seg.t1 IS NOT NULL
), steps AS (
	SELECT aid, c, uphub._agg_day(t) AS day, (lead(v) OVER w - v)::bigint AS delta
	FROM knots WINDOW w AS (PARTITION BY aid, c ORDER BY t)
)
SELECT v.mid, x.aid, x.day,
	COALESCE(sum(delta) FILTER (WHERE c = 1), 0) AS views, COALESCE(sum(delta) FILTER (WHERE c = 2), 0) AS likes,
	COALESCE(sum(delta) FILTER (WHERE c = 3), 0) AS coins, COALESCE(sum(delta) FILTER (WHERE c = 4), 0) AS favorites,
	COALESCE(sum(delta) FILTER (WHERE c = 5), 0) AS shares, COALESCE(sum(delta) FILTER (WHERE c = 6), 0) AS danmaku,
	COALESCE(sum(delta) FILTER (WHERE c = 7), 0) AS replies
FROM steps x JOIN uphub.video v ON v.aid = x.aid
WHERE delta IS NOT NULL GROUP BY v.mid, x.aid, x.day
WITH NO DATA;
SQL

# 1% new snapshots: the next round of every video.
out=$({ echo "BEGIN;"; snap_sql $((rounds - 1)) $((rounds - 1));
	echo "SELECT extract(epoch FROM clock_timestamp()) AS t0 \\gset";
	echo "SELECT uphub.refresh_aggregates() AS applied \\gset";
	echo "SELECT :applied AS applied, extract(epoch FROM clock_timestamp()) - :t0 AS seconds;";
	echo "COMMIT;"; } | psql -At -F ' ')
read -r applied inc <<<"$out"
echo "incremental: $applied changes in ${inc}s"

start=$(date +%s.%N)
psql -c 'REFRESH MATERIALIZED VIEW bench_video_daily'
full=$(echo "$(date +%s.%N) - $start" | bc)
echo "full recompute (REFRESH MATERIALIZED VIEW, video_daily only): ${full}s"

diff=$(psql -At -c "SELECT (SELECT count(*) FROM (SELECT * FROM bench_video_daily EXCEPT ALL SELECT * FROM uphub.video_daily) a)
	+ (SELECT count(*) FROM (SELECT * FROM uphub.video_daily EXCEPT ALL SELECT * FROM bench_video_daily) b)")
echo "rows differing between video_daily and the full recompute: $diff"
[ "$diff" = 0 ] || { echo "MISMATCH" >&2; exit 1; }

ratio=$(echo "scale=1; $full / $inc" | bc)
echo "BENCH agg_incremental_refresh_1pct $(printf '%.3f' "$inc") s $(printf '%.3f' "$full") $ratio >=50"
echo "BENCH agg_initial_build $(printf '%.1f' "$load") s - - -"
psql -c 'DROP MATERIALIZED VIEW bench_video_daily'

if [ -n "${BENCH_ORACLE:-}" ]; then
	# Every aggregate from scratch with the oracle, and equal to it.
	out=$(cd "$top" && { echo "\\set ECHO none"; echo "\\i test/sql/agg_oracle.sql";
		echo "SELECT extract(epoch FROM clock_timestamp()) AS t0 \\gset";
		echo "SELECT sum(missing + extra) AS bad FROM pg_temp.agg_oracle_diff() \\gset";
		echo "SELECT :bad, extract(epoch FROM clock_timestamp()) - :t0;"; } | psql -At -F ' ')
	read -r bad oracle <<<"$(echo "$out" | tail -n 1)"
	echo "oracle (recompute every aggregate + compare): ${oracle}s, rows differing: $bad"
	[ "$bad" = 0 ] || { echo "ORACLE MISMATCH" >&2; exit 1; }
	echo "BENCH agg_incremental_vs_oracle_1pct $(printf '%.3f' "$inc") s $(printf '%.3f' "$oracle") $(echo "scale=1; $oracle / $inc" | bc) >=50"
fi

# Part 2: sustained ingest, worker off vs on.
# One world of three gen_days-day ranges fed in turn, as a crawler's daily
# runs continue one feed (same videos, pubdates, growing counters).
gen() { # first day, end day
	"$top/tools/uphub-gen" --creators "$gen_creators" --videos-per-creator 20 --days $((3 * gen_days)) \
		--seed 7 --from-day "$1" --to-day "$2"
}
ingest() { "$top/tools/uphub-ingest" --quiet --reject /dev/null "$@"; }
# Where the CPU goes (Linux /proc; the cluster runs on this machine): the
# machine's busy and idle time in clock ticks, and the worker's own.
hz=$(getconf CLK_TCK) ncpu=$(nproc)
machine_cpu() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6; exit }' /proc/stat; }
worker_pid=$(psql -At -c "SELECT pid FROM pg_stat_activity WHERE backend_type = 'uphub aggregate worker'
	AND datname = current_database()")
[ -n "$worker_pid" ] || { echo "no aggregate worker serving this database" >&2; exit 1; }
# utime + stime; the worker gone (restarted) ends the run instead of reading 0.
worker_cpu() { sed 's/.*) //' "/proc/$worker_pid/stat" | awk '{ print $12 + $13 }'; }
secs() { echo "scale=2; $1 / $hz" | bc; }
# Lines of each run, counted once (the generator is deterministic).
lines_off=$(gen "$gen_days" $((2 * gen_days)) 2>/dev/null | wc -l)
lines_on=$(gen $((2 * gen_days)) $((3 * gen_days)) 2>/dev/null | wc -l)
gen 0 "$gen_days" 2>/dev/null | ingest || [ $? = 1 ]
psql -c 'SELECT uphub.refresh_aggregates()' >/dev/null
# Part 1's bulk load vacuumed, as autovacuum would have done on a loaded
# system, so that none of its insert-triggered vacuums can land in one of
# the timed runs below (the log lists any autovacuum during part 2).
start=$(date +%s.%N)
psql -c 'VACUUM ANALYZE'
echo "VACUUM ANALYZE before part 2: $(echo "$(date +%s.%N) - $start" | bc)s"
part2_start=$(psql -At -c 'SELECT now()')

# Worker off: hold the refresh lock in a session of our own.
tmp=$(mktemp -d)
( echo $BASHPID >"$tmp/feeder"; echo "SELECT pg_backend_pid();"; echo "SELECT pg_advisory_lock(1970301045, 1);"
	exec sleep 3600 ) | psql -At >"$tmp/holder" 2>&1 &
until [ -s "$tmp/holder" ] && [ "$(psql -At -c "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
	AND classid = 1970301045 AND objid = 1 AND granted AND pid = $(head -n 1 "$tmp/holder")")" = 1 ]; do sleep 0.2; done
read -r busy0 idle0 <<<"$(machine_cpu)"
start=$(date +%s.%N)
gen "$gen_days" $((2 * gen_days)) 2>/dev/null | ingest || [ $? = 1 ]
off=$(echo "$(date +%s.%N) - $start" | bc)
read -r busy1 idle1 <<<"$(machine_cpu)"
backlog=$(psql -At -c 'SELECT count(*) FROM uphub.agg_change')
psql -c "SELECT pg_terminate_backend($(head -n 1 "$tmp/holder"))" >/dev/null
kill "$(cat "$tmp/feeder")" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$tmp"
w0=$(worker_cpu)
start=$(date +%s.%N)
until [ "$(psql -At -c 'SELECT count(*) FROM uphub.agg_change')" = 0 ]; do sleep 0.5; done
catchup=$(echo "$(date +%s.%N) - $start" | bc)
w1=$(worker_cpu)
load_off=$(secs $((busy1 - busy0)))
worker_catchup=$(secs $((w1 - w0)))
worker_alone=$(echo "scale=1; 1000000 * $worker_catchup / $backlog" | bc)
loader_line=$(echo "scale=1; 1000000 * $load_off / $lines_off" | bc)
echo "worker off: $lines_off lines in ${off}s; backlog $backlog changes caught up by the worker in ${catchup}s"
echo "  CPU of the load, every process: ${load_off}s busy, $(secs $((idle1 - idle0)))s idle of $ncpu cores" \
	"($loader_line us a line)"
echo "  worker CPU of the catch-up, alone: ${worker_catchup}s ($worker_alone us a change)"

# Worker on: the same amount of data, lag polled meanwhile.
lagfile=$(mktemp)
( while :; do psql -At -c 'SELECT extract(epoch FROM uphub.aggregate_lag())' >>"$lagfile" 2>/dev/null; sleep 0.5; done ) &
pollpid=$!
read -r busy0 idle0 <<<"$(machine_cpu)"
w0=$(worker_cpu)
start=$(date +%s.%N)
gen $((2 * gen_days)) $((3 * gen_days)) 2>/dev/null | ingest || [ $? = 1 ]
on=$(echo "$(date +%s.%N) - $start" | bc)
read -r busy1 idle1 <<<"$(machine_cpu)"
w1=$(worker_cpu)
start=$(date +%s.%N)
until [ "$(psql -At -c 'SELECT count(*) FROM uphub.agg_change')" = 0 ]; do sleep 0.5; done
drain=$(echo "$(date +%s.%N) - $start" | bc)
w2=$(worker_cpu)
kill "$pollpid"; wait "$pollpid" 2>/dev/null || true
maxlag=$(sort -g "$lagfile" | tail -n 1); rm -f "$lagfile"
echo "worker on: $lines_on lines in ${on}s, max lag ${maxlag}s, caught up ${drain}s after the load"
load_on=$(secs $((busy1 - busy0))) worker_on=$(secs $((w2 - w0)))
echo "  CPU during the load, every process: ${load_on}s busy, $(secs $((idle1 - idle0)))s idle of $ncpu cores;" \
	"the worker's: $(secs $((w1 - w0)))s during the load, ${worker_on}s with the drain"
# Every core busy, the loader's CPU (as with the worker off) and the
# worker's cannot take less than their sum over the cores: the best ratio
# this machine allows the worker as it is, and the worker CPU the target needs.
bound=$(echo "scale=2; $ncpu * $off / ($load_off + $worker_on * $lines_off / $lines_on)" | bc)
echo "  with every core busy: ratio at most $bound;" \
	"0.8 needs the worker's CPU at most $(echo "scale=1; ($ncpu * $off / 0.8 - $load_off) * $lines_on / $lines_off" | bc)s for this load"
if [ -n "${BENCH_ORACLE:-}" ]; then
	# What the worker applied beside the loader equals the oracle too.
	bad=$(cd "$top" && { echo "\\set ECHO none"; echo "\\i test/sql/agg_oracle.sql";
		echo "SELECT sum(missing + extra) FROM pg_temp.agg_oracle_diff();"; } | psql -At | tail -n 1)
	echo "oracle after the sustained ingest: rows differing: $bad"
	[ "$bad" = 0 ] || { echo "ORACLE MISMATCH" >&2; exit 1; }
fi
# Autovacuum during part 2 (agg_change's churn is expected: it is every
# change's insert and delete).
psql -At -F ' ' -c "SELECT 'vacuumed or analyzed by autovacuum during part 2 (times since the start):', relname, autovacuum_count, autoanalyze_count
	FROM pg_stat_all_tables WHERE last_autovacuum >= '$part2_start' OR last_autoanalyze >= '$part2_start' ORDER BY relname"
rate_on=$(echo "$lines_on / $on" | bc); rate_off=$(echo "$lines_off / $off" | bc)
echo "BENCH agg_ingest_worker_on $rate_on lines/s $rate_off $(echo "scale=2; $rate_on / $rate_off" | bc) >=0.8"
echo "BENCH agg_max_lag_sustained_ingest $(printf '%.2f' "$maxlag") s - $(printf '%.2f' "$maxlag") <=5"
# Why: the worker's CPU a change (catch-up, alone) against the loader's a
# line (every process, worker off), and the ratio the machine's cores allow.
echo "BENCH agg_worker_cpu_per_change $worker_alone us $loader_line $(echo "scale=2; $worker_alone / $loader_line" | bc) -"
echo "BENCH agg_ingest_worker_on_cpu_bound $bound on/off - $bound -"
