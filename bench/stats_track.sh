#!/usr/bin/env bash
# bench/stats_track.sh — what recording stats costs a real GraphQL request
# (not part of make test).
#
# stats_track_dashboard_tps: pgbench (-M prepared, $TRACK_CLIENTS clients, a
# random creator per transaction) on the creator-dashboard GraphQL query of
# bench/gql.sh (same data set and document: bench/lib/gql_data.sh), with
# uphub.track = on (the measured side) and off (the baseline), set per
# connection through PGOPTIONS. The two settings alternate over
# $TRACK_ROUNDS rounds (default 6) of one run each, $TRACK_SECONDS s (default
# 5) a run, the order swapped every round (on/off, off/on, ...), so load from
# elsewhere on the machine hits both: each round gives a ratio on / off of
# two adjacent runs, and the result is the median of those ratios (target
# >= 0.98), with the median tps of each side as the figures. Each run is
# checked to have done what it says: with track on, uphub.stats counts
# exactly one call per transaction; with it off, none.
#
# Runs against the cluster bench/run.sh starts (PGHOST, PGPORT, PGUSER, PGDATABASE).
set -euo pipefail
rounds=${TRACK_ROUNDS:-6}
seconds=${TRACK_SECONDS:-5}
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
ons=()
offs=()
ratios=()
for r in $(seq "$rounds"); do
	if [ $((r % 2)) = 1 ]; then order="on off"; else order="off on"; fi
	declare -A got=()
	for t in $order; do
		got[$t]=$(run "$t" "$seconds")
	done
	ons+=("${got[on]}")
	offs+=("${got[off]}")
	ratios+=("$(awk -v a="${got[on]}" -v b="${got[off]}" 'BEGIN { printf "%.3f", a / b }')")
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.3f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
on_tps=$(median "${ons[@]}")
off_tps=$(median "${offs[@]}")
ratio=$(median "${ratios[@]}")
echo "round ratios on/off: ${ratios[*]}"
echo "creator dashboard, $clients clients, $rounds rounds of ${seconds}s: median track on $on_tps tps, off $off_tps tps, median ratio $ratio"
echo "BENCH stats_track_dashboard_tps $on_tps tps $off_tps $ratio >=0.98"
"${psql[@]}" -c "SELECT uphub.stats_reset()" >/dev/null
