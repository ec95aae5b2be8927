#!/usr/bin/env bash
# scripts/soak.sh — `make soak`: a long mixed workload that must leave
# memory flat, raise no unexpected error, and be counted exactly.
#
# Private install and cluster (scripts/lib.sh private_install: no wait for,
# and no hold of, the machine-wide install lock). A data set of 200 creators
# with videos and daily rows; principals of several kinds (global analyst,
# MCN manager, creator, and a gateway acting for others); one pgbench
# process per (workload, principal), rate-limited so the machine stays
# usable, with persistent connections so each backend lives for the whole
# run.
#
# Workloads are the files scripts/soak/*.sql (pgbench scripts). Header lines:
#   -- requires: <regprocedure>   skipped while that function does not exist
#                                 (slots for GraphQL and ingest)
#   -- role: <kind> ...           run only as these principals (analyst, manager,
#                                 creator, gateway; else: analyst, manager, creator)
#   -- counts: rbac_checks=N ingest_rows=M graphql_requests=K
#                                 what one transaction adds to uphub's counters
#
# Ingest: alongside, a loop runs uphub-ingest every SOAK_INGEST_EVERY
# seconds on a file of generated lines (video views of about 50 of the
# first 400 videos in turn, follower counts of 20 creators per round,
# observed at most half an hour apart in the past;
# creator 5's videos are left to the GraphQL mutation workload), so the
# aggregate worker always has changes to refresh. Every run must exit 0;
# uphub_ingest_rows_total{table="video_snapshot"|"creator_snapshot"} must
# move by exactly the lines loaded.
#
# Memory: every SOAK_SAMPLE seconds, RssAnon of every workload backend
# (/proc/<pid>/status: the backend's private memory — palloc'd contexts and
# malloc alike, without the shared buffers it touches, which would make RSS
# grow for reasons that are not leaks). After the warm-up (first fifth of the
# run), the median of the samples of the first third of the rest is compared
# with the median of the last third: growth beyond SOAK_MAX_GROWTH_KB
# (default 1024) fails. Medians, because a GraphQL backend's RssAnon swings
# by about 2 MB as malloc returns memory; a leak moves the whole level. pg_backend_memory_contexts only
# shows the caller's own backend and pg_log_backend_memory_contexts writes
# to the server log; RssAnon measures the same thing from outside.
#
# Verdict: pgbench exit 0 and no failed transaction; no ERROR/FATAL/PANIC or
# crash in the server log; each counter moved by exactly the sum over
# workloads of transactions × counts (GraphQL: calls in uphub.stats, and no
# request with errors); memory flat; the worker refreshed during the run, and
# once it has caught up (at most 300 s after the workload) the aggregates
# equal the from-scratch oracle (test/sql/agg_oracle.sql). Writes
# build/soak/report.txt.
#
# Environment: SOAK_SECONDS (default 600), SOAK_RATE (tps per pgbench,
# default 100), SOAK_SAMPLE (default 10), SOAK_INGEST_EVERY (default 2), SOAK_MAX_GROWTH_KB,
# SOAK_PARTITIONS_FIRST (default 0: the history lands in the default partition
# and the first ingest moves it out while the worker refreshes; 1 makes the
# partitions first),
# UPHUB_SOAK_PORT (default 54395), SOAK_KEEP=1 (leave the cluster running at the end).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/lib.sh

seconds=${SOAK_SECONDS:-600}
rate=${SOAK_RATE:-100}
sample=${SOAK_SAMPLE:-10}
max_growth=${SOAK_MAX_GROWTH_KB:-1024}
ingest_every=${SOAK_INGEST_EVERY:-2}
port=${UPHUB_SOAK_PORT:-54395}
work=${TMPDIR:-/tmp}/uphub-soak-$port
dir=$work/cluster
out=$top/build/soak
db=uphub_soak
failures=()

cleanup() {
	jobs -p | xargs -r kill 2>/dev/null
	[ -n "${SOAK_KEEP:-}" ] && { echo "kept the cluster in $dir (port $port)"; return; }
	cluster_destroy "$dir"
	rm -rf "$work"
}
trap cleanup EXIT
rm -rf "$out" "$work"
mkdir -p "$out" "$work"
chmod 755 "$work"

echo "== private install in $work/root"
private_install "$work/root" >/dev/null || { echo "build/install failed" >&2; exit 2; }
cluster_create "$dir" "$port" "$db" "max_connections = 40" || exit 2
cluster_start "$dir" || exit 2
as_pg "$PG_BINDIR/createdb" -h "$dir" -p "$port" -U postgres "$db" || exit 2
q() { "$PG_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres "$db" "$@"; }

echo "== data and principals"
q -v partitions_first="${SOAK_PARTITIONS_FIRST:-0}" >/dev/null <<'SQL' || exit 2
CREATE EXTENSION uphub;
INSERT INTO uphub.partition VALUES (1, NULL, 'anime'), (2, 1, 'mad');
INSERT INTO uphub.mcn VALUES (1, 'mcn one'), (2, 'mcn two');
INSERT INTO uphub.creator (mid, name, main_tid, mcn_id)
SELECT g, 'creator ' || g, 1 + g % 2, CASE WHEN g % 3 = 0 THEN 1 + g % 2 END FROM generate_series(1, 200) g;
INSERT INTO uphub.video (aid, bvid, mid, tid, title)
SELECT g, 'BV1' || lpad(translate(g::text, '0', 'z'), 9, 'A'), 1 + g % 200, 1, 'video ' || g FROM generate_series(1, 2000) g;
-- History as snapshots (the aggregate worker derives the daily rows): one a
-- day for 10 days, before what the ingest loop adds. Unless
-- SOAK_PARTITIONS_FIRST=1 the history lands in the default partition and the
-- first uphub-ingest run moves it out (ensure_snapshot_partitions) while the
-- worker refreshes: the case that once left aggregate days stale (README.md).
SELECT CASE WHEN :'partitions_first' = '1'
	THEN uphub.ensure_snapshot_partitions(now() - interval '40 days', now() + interval '1 day') END;
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view, "like", coin, favorite, share, danmaku, reply)
SELECT v.aid, date_trunc('day', now()) - interval '20 days' + d * interval '1 day' + (v.aid % 11) * interval '1 hour',
	v.mid, v.aid * 5 + d * (v.aid % 9), d, d / 2, d / 3, d / 4, d, d / 5
FROM uphub.video v, generate_series(0, 9) d;
INSERT INTO uphub.creator_snapshot (mid, observed_at, follower)
SELECT c.mid, date_trunc('day', now()) - interval '20 days' + d * interval '1 day', 50 * c.mid + 3 * d
FROM uphub.creator c, generate_series(0, 9) d;
CREATE ROLE soak_analyst LOGIN; CREATE ROLE soak_manager LOGIN; CREATE ROLE soak_creator LOGIN;
CREATE ROLE soak_gateway LOGIN IN ROLE uphub_gateway;
SELECT uphub.add_principal('soak_analyst', 'soak_analyst'), uphub.add_principal('soak_manager', 'soak_manager'),
	   uphub.add_principal('soak_creator', 'soak_creator', 5);
SELECT uphub.assign_role('soak_analyst', 'analyst'), uphub.assign_role('soak_manager', 'mcn_manager', 'mcn', 1),
	   uphub.assign_role('soak_creator', 'creator', 'creator', 5);
ANALYZE;
SQL
for _ in $(seq 300); do
	[ "$(q -c "SELECT NOT EXISTS (SELECT 1 FROM uphub.agg_change)")" = t ] && break
	sleep 1
done
q -c "ANALYZE" || exit 2

# counter NAME [LABELS]: current value of one sample of uphub.counters.
counter() {
	q -c "SELECT coalesce(sum(value), 0)::bigint FROM uphub.counters WHERE name = '$1'${2:+ AND labels = '$2'::jsonb}"
}
declare -A before
# GraphQL requests are per operation: uphub.stats, not uphub.counters.
graphql_calls() { q -c "SELECT coalesce(sum(calls), 0)::bigint || ' ' || coalesce(sum(errors), 0)::bigint FROM uphub.stats"; }
before[uphub_rbac_checks_total]=$(counter uphub_rbac_checks_total)
read -r before[graphql] before[graphql_errors] <<<"$(graphql_calls)"
before[ingest]=$(counter uphub_ingest_rows_total '{"table": "soak"}')
before[vsnap]=$(counter uphub_ingest_rows_total '{"table": "video_snapshot"}')
before[csnap]=$(counter uphub_ingest_rows_total '{"table": "creator_snapshot"}')
before[runs]=$(counter uphub_refresh_runs_total)
before[changes]=$(counter uphub_refresh_changes_total)
log_lines_before=$(wc -l <"$dir/server.log")

echo "== workloads for ${seconds}s"
runs=()
for f in scripts/soak/*.sql; do
	name=$(basename "$f" .sql)
	req=$(sed -n 's/^-- requires: *//p' "$f")
	if [ -n "$req" ] && [ "$(q -c "SELECT to_regprocedure('$req') IS NOT NULL")" != t ]; then
		echo "   $name: skipped ($req does not exist yet)"
		continue
	fi
	roles="soak_analyst soak_manager soak_creator"
	kinds=$(sed -n 's/^-- role: *//p' "$f")
	[ -n "$kinds" ] && roles=$(printf 'soak_%s ' $kinds)
	for r in $roles; do
		tag="$name.$r"
		PGAPPNAME="soak_$tag" "$PG_BINDIR/pgbench" -n -c 1 -T "$seconds" -R "$rate" -f "$f" \
			-h "$dir" -p "$port" -U "$r" "$db" >"$out/pgbench-$tag.log" 2>&1 &
		runs+=("$tag:$!:$f")
		echo "   $tag"
	done
done

# Ingest round N: view lines of about 50 videos (not creator 5's) and relation
# lines of 20 creators, observed at base + N * step (all in the past).
ingest_base=$(($(date +%s) - 10 * 86400))
ingest_step=$((9 * 86400 / (seconds / ingest_every + 1)))
[ "$ingest_step" -gt 1800 ] && ingest_step=1800
ingest_lines() {
	awk -v n="$1" -v t="$((ingest_base + $1 * ingest_step))" 'BEGIN {
		for (k = 0; k < 50; k++) {
			aid = (n * 50 + k) % 400 + 1; mid = 1 + aid % 200
			if (mid == 5) continue
			b = aid ""; gsub("0", "z", b); while (length(b) < 9) b = "A" b
			v = aid * 10 + n * (aid % 7 + 1)
			printf "{\"observed_at\":%d,\"endpoint\":\"x/web-interface/view\",\"response\":{\"code\":0,\"message\":\"0\",\"ttl\":1,\"data\":{\"aid\":%d,\"bvid\":\"BV1%s\",\"tid\":1,\"tname\":\"anime\",\"title\":\"video %d\",\"copyright\":1,\"state\":0,\"owner\":{\"mid\":%d,\"name\":\"creator %d\"},\"stat\":{\"view\":%d,\"danmaku\":%d,\"reply\":%d,\"favorite\":%d,\"coin\":%d,\"share\":%d,\"like\":%d,\"his_rank\":0,\"now_rank\":0}}}}\n",
				t, aid, b, aid, mid, mid, v, int(v / 50), int(v / 40), int(v / 30), int(v / 20), int(v / 60), int(v / 10)
		}
		for (k = 0; k < 20; k++) {
			mid = (n * 20 + k) % 200 + 1
			printf "{\"observed_at\":%d,\"endpoint\":\"x/relation/stat\",\"response\":{\"code\":0,\"message\":\"0\",\"ttl\":1,\"data\":{\"mid\":%d,\"following\":10,\"follower\":%d}}}\n",
				t + 60, mid, mid * 100 + n * (mid % 5 + 1)
		}
	}'
}
# The loop: one uphub-ingest run per round; writes "rounds video_lines creator_lines failures".
ingest_loop() {
	local n=0 vl=0 cl=0 bad=0 file=$work/ingest.jsonl end=$(($(date +%s) + seconds))
	while [ "$(date +%s)" -lt "$end" ]; do
		ingest_lines "$n" >"$file"
		if "$PG_BINDIR/uphub-ingest" --dsn "host=$dir port=$port user=postgres dbname=$db" \
			--reject "$out/ingest-$n.rej" "$file" >>"$out/ingest.log" 2>&1; then
			vl=$((vl + $(grep -c web-interface/view "$file")))
			cl=$((cl + $(grep -c relation/stat "$file")))
			rm -f "$out/ingest-$n.rej"
		else
			bad=$((bad + 1))
			echo "round $n: uphub-ingest exited $?" >>"$out/ingest.log"
		fi
		n=$((n + 1))
		sleep "$ingest_every"
	done
	echo "$n $vl $cl $bad" >"$out/ingest.count"
}
ingest_loop &
ingest_pid=$!
echo "   ingest: uphub-ingest every ${ingest_every}s"

# Memory samples: time pid application_name rss_anon_kb
: >"$out/memory.tsv"
start=$(date +%s)
sleep 3
while [ $(($(date +%s) - start)) -lt "$seconds" ]; do
	now=$(($(date +%s) - start))
	q -F ' ' -c "SELECT pid, application_name FROM pg_stat_activity WHERE application_name LIKE 'soak\_%'" |
		while read -r pid app; do
			kb=$(awk '/^RssAnon:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
			[ -n "$kb" ] && printf '%s\t%s\t%s\t%s\n' "$now" "$pid" "$app" "$kb" >>"$out/memory.tsv"
		done
	sleep "$sample"
done
wait_failed=0
wait "$ingest_pid"
read -r ingest_rounds ingest_v ingest_c ingest_bad <"$out/ingest.count" 2>/dev/null || ingest_rounds=0
[ "${ingest_bad:-1}" = 0 ] || failures+=("${ingest_bad:-?} uphub-ingest runs failed (see $out/ingest.log)")
[ "$ingest_rounds" -gt 0 ] || failures+=("ingest did not run")
declare -A tx
for run in "${runs[@]}"; do
	IFS=: read -r tag pid file <<<"$run"
	wait "$pid" || { wait_failed=1; failures+=("pgbench $tag exited non-zero (see $out/pgbench-$tag.log)"); }
	n=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$out/pgbench-$tag.log")
	bad=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$out/pgbench-$tag.log")
	tx[$tag]=${n:-0}
	[ "${bad:-0}" != 0 ] && failures+=("pgbench $tag: $bad failed transactions")
done

# Expected counter movements.
declare -A expect=([rbac_checks]=0 [ingest_rows]=0 [graphql_requests]=0)
total_tx=0
for run in "${runs[@]}"; do
	IFS=: read -r tag pid file <<<"$run"
	total_tx=$((total_tx + tx[$tag]))
	for kv in $(sed -n 's/^-- counts: *//p' "$file"); do
		k=${kv%%=*} v=${kv#*=}
		expect[$k]=$((expect[$k] + v * tx[$tag]))
	done
done
got_checks=$(($(counter uphub_rbac_checks_total) - before[uphub_rbac_checks_total]))
got_ingest=$(($(counter uphub_ingest_rows_total '{"table": "soak"}') - before[ingest]))
read -r g_calls g_errors <<<"$(graphql_calls)"
got_graphql=$((g_calls - before[graphql]))
got_graphql_errors=$((g_errors - before[graphql_errors]))
[ "$got_graphql_errors" = 0 ] || failures+=("$got_graphql_errors GraphQL requests ended with errors")
[ "$got_checks" = "${expect[rbac_checks]}" ] || failures+=("rbac checks counted $got_checks, issued ${expect[rbac_checks]}")
[ "$got_ingest" = "${expect[ingest_rows]}" ] || failures+=("ingest rows counted $got_ingest, issued ${expect[ingest_rows]}")
[ "$got_graphql" = "${expect[graphql_requests]}" ] || failures+=("graphql requests counted $got_graphql, issued ${expect[graphql_requests]}")
got_v=$(($(counter uphub_ingest_rows_total '{"table": "video_snapshot"}') - before[vsnap]))
got_c=$(($(counter uphub_ingest_rows_total '{"table": "creator_snapshot"}') - before[csnap]))
[ "$got_v" = "${ingest_v:-0}" ] || failures+=("video_snapshot rows counted $got_v, loaded ${ingest_v:-0}")
[ "$got_c" = "${ingest_c:-0}" ] || failures+=("creator_snapshot rows counted $got_c, loaded ${ingest_c:-0}")
got_runs=$(($(counter uphub_refresh_runs_total) - before[runs]))
got_changes=$(($(counter uphub_refresh_changes_total) - before[changes]))
[ "$got_changes" -gt 0 ] || failures+=("the aggregate worker applied no change during the run")

# Aggregates: wait for the worker to catch up, then compare with the oracle.
caught_up=f
for _ in $(seq 300); do
	caught_up=$(q -c "SELECT uphub.aggregate_lag() = interval '0' AND NOT EXISTS (SELECT 1 FROM uphub.agg_change)")
	[ "$caught_up" = t ] && break
	sleep 1
done
[ "$caught_up" = t ] || failures+=("the aggregate worker did not catch up within 300 s")
oracle_by_table=$({ cat test/sql/agg_oracle.sql; echo "SELECT string_agg(format('%s %s missing %s extra', tbl, missing, extra), ', ') FROM pg_temp.agg_oracle_diff() WHERE missing + extra > 0;"; } | q | tail -n 1)
oracle=$(awk -F'[ ,]+' '{ for (i = 1; i <= NF; i++) if ($i == "missing" || $i == "extra") n += $(i - 1) } END { print n + 0 }' <<<"$oracle_by_table")
[ "$oracle" = 0 ] || failures+=("aggregates differ from the oracle in $oracle rows ($oracle_by_table)")
snapshots=$(q -c "SELECT (SELECT count(*) FROM uphub.video_snapshot) || ' video, ' || (SELECT count(*) FROM uphub.creator_snapshot) || ' creator snapshots, ' || (SELECT count(*) FROM uphub.video_daily) || ' video_daily rows'")

# Server log: nothing unexpected since the workload started.
tail -n +"$((log_lines_before + 1))" "$dir/server.log" >"$out/server.log"
errors=$(grep -cE 'ERROR:|FATAL:|PANIC:|terminated by signal|exited with exit code' "$out/server.log")
[ "$errors" = 0 ] || failures+=("$errors error lines in the server log (see $out/server.log)")

# Memory: per backend, warm-up value vs last value.
warm=$((seconds / 5))
third=$(((seconds - warm) / 3))
memory=$(awk -v warm="$warm" -v third="$third" -v end="$seconds" -v max="$max_growth" '
	# median of the space-separated values in s
	function median(s,   a, n, i, j, x) {
		n = split(s, a, " ")
		for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
		return n ? a[int((n + 1) / 2)] : 0
	}
	{
		app[$2] = $3; peak[$2] = ($4 > peak[$2] ? $4 : peak[$2])
		if ($1 >= warm && $1 < warm + third) early[$2] = early[$2] " " $4
		if ($1 >= end - third) late[$2] = late[$2] " " $4
	}
	END {
		for (p in early) {
			if (!(p in late)) continue
			a = median(early[p]); b = median(late[p]); g = b - a
			printf "%s pid %s: RssAnon median %d kB after warm-up, %d kB at the end (%+d kB), peak %d kB%s\n",
				app[p], p, a, b, g, peak[p], (g > max ? "  GROWING" : "")
		}
	}' "$out/memory.tsv" | sort)
grep -q GROWING <<<"$memory" && failures+=("backend memory grew more than ${max_growth} kB")
[ -s "$out/memory.tsv" ] || failures+=("no memory samples")

{
	echo "soak: ${seconds}s, ${#runs[@]} pgbench runs at ${rate} tps max each, $total_tx transactions"
	for run in "${runs[@]}"; do IFS=: read -r tag pid file <<<"$run"; echo "  $tag: ${tx[$tag]} transactions"; done
	echo "counters: rbac checks $got_checks (issued ${expect[rbac_checks]}), ingest rows $got_ingest (issued ${expect[ingest_rows]}), graphql requests $got_graphql (issued ${expect[graphql_requests]}, $got_graphql_errors with errors)"
	echo "ingest: $ingest_rounds uphub-ingest runs, $ingest_v video and $ingest_c creator snapshot lines loaded; counted $got_v and $got_c; ${ingest_bad:-?} failed runs"
	echo "aggregate worker: $got_runs refresh runs, $got_changes changes applied; caught up: $caught_up; rows differing from the oracle: ${oracle:-?} ($snapshots)"
	echo "server log error lines: $errors"
	echo "memory (RssAnon per backend, warm-up at ${warm}s):"
	echo "$memory" | sed 's/^/  /'
	if [ ${#failures[@]} -gt 0 ]; then echo "FAILED:"; printf '  %s\n' "${failures[@]}"; else echo "soak: ok"; fi
} | tee "$out/report.txt"
[ ${#failures[@]} -eq 0 ]
