#!/usr/bin/env bash
# bench/stats_track.sh — what recording stats costs a real GraphQL request
# (not part of make test).
#
# stats_track_dashboard_tps: pgbench (-M prepared, $TRACK_CLIENTS clients, a
# random creator per transaction) on the creator-dashboard GraphQL query of
# bench/gql.sh (same data set and document: bench/lib/gql_data.sh), with
# uphub.track = on (the measured side) and off (the baseline), set per
# connection through PGOPTIONS. The two settings alternate over
# $TRACK_ROUNDS rounds of $TRACK_SECONDS s each, the order swapped every
# round (on/off, off/on, ...), so load from elsewhere on the machine hits
# both; the figures are the mean tps of each side, ratio = on / off, target
# >= 0.98. Each run is checked to have done what it says: with track on,
# uphub.stats counts exactly one call per transaction; with it off, none.
#
# Runs against the cluster bench/run.sh starts (PGHOST, PGPORT, PGUSER, PGDATABASE).
set -euo pipefail
rounds=${TRACK_ROUNDS:-3}
seconds=${TRACK_SECONDS:-10}
clients=${TRACK_CLIENTS:-2}
. "$(dirname "$0")/lib/gql_data.sh"
psql=(psql -X -q -v ON_ERROR_STOP=1 -At)
work=${UPHUB_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"

gql_bench_load
script=$work/dashboard.gql.sql
gql_literal=$(printf '%s' "$dashboard_gql" | sed "s/'/''/g")
printf '\\set k random(1, %s)\nSELECT uphub.graphql('"'"'%s'"'"', jsonb_build_object('"'"'mid'"'"', :k::bigint));\n' \
	"$creators" "$gql_literal" >"$script"

calls() { "${psql[@]}" -c "SELECT coalesce(sum(calls), 0) FROM uphub.stats WHERE operation_name = 'Dashboard'"; }

# One pgbench run with uphub.track = $1 for $2 s; prints tps, checks the count.
run() {
	local track=$1 secs=$2 before after out tps tx
	before=$(calls)
	out=$(PGOPTIONS="-c uphub.track=$track" pgbench -n -M prepared -c "$clients" -j "$clients" -T "$secs" \
		-f "$script" 2>&1) || { echo "pgbench failed: $out" >&2; return 1; }
	after=$(calls)
	tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out")
	tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' <<<"$out")
	local want=0
	[ "$track" = on ] && want=$tx
	if [ "$((after - before))" != "$want" ]; then
		echo "track=$track: uphub.stats counted $((after - before)) calls for $tx transactions" >&2
		return 1
	fi
	echo "track=$track ${secs}s: $tx transactions, $tps tps, $((after - before)) calls recorded" >&2
	echo "$tps"
}

"${psql[@]}" -c "SELECT uphub.stats_reset()" >/dev/null
run on 3 >/dev/null    # warm-up: caches, plan cache, the stats entry
sum_on=0
sum_off=0
for r in $(seq "$rounds"); do
	if [ $((r % 2)) = 1 ]; then order="on off"; else order="off on"; fi
	for t in $order; do
		tps=$(run "$t" "$seconds")
		if [ "$t" = on ]; then sum_on=$(awk -v a="$sum_on" -v b="$tps" 'BEGIN { print a + b }')
		else sum_off=$(awk -v a="$sum_off" -v b="$tps" 'BEGIN { print a + b }'); fi
	done
done
on_tps=$(awk -v s="$sum_on" -v n="$rounds" 'BEGIN { printf "%.1f", s / n }')
off_tps=$(awk -v s="$sum_off" -v n="$rounds" 'BEGIN { printf "%.1f", s / n }')
ratio=$(awk -v a="$on_tps" -v b="$off_tps" 'BEGIN { printf "%.3f", a / b }')
echo "creator dashboard, $clients clients, $rounds rounds of ${seconds}s: track on $on_tps tps, off $off_tps tps"
echo "BENCH stats_track_dashboard_tps $on_tps tps $off_tps $ratio >=0.98"
"${psql[@]}" -c "SELECT uphub.stats_reset()" >/dev/null
