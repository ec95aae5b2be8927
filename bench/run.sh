#!/usr/bin/env bash
# bench/run.sh — `make bench`: set up, build, install, start a private
# cluster, run every bench/<name>.sh, and rewrite bench/RESULTS.md.
#
# Each benchmark script runs against the cluster (PGHOST, PGPORT, PGUSER,
# PGDATABASE are set; UPHUB_BENCH_DIR is a scratch directory; BENCH_SCALE
# says how big: "small", "default" or "large") and prints one line per result:
#   BENCH <name> <value> <unit> <baseline> <ratio> <target>
# where baseline is the same measurement of the baseline in the same run
# (hand-written SQL, full recompute, track = off, a peer), ratio is what the
# target is about, and target is e.g. ">=0.85" ("-" when none). Anything else
# the script prints goes to bench/logs/<name>.log.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bash scripts/setup.sh || exit 2
. scripts/lib.sh

port=${UPHUB_BENCH_PORT:-54340}
dir=${TMPDIR:-/tmp}/uphub-bench-$port
db=uphub_bench
export BENCH_SCALE=${BENCH_SCALE:-default}
only=${BENCH_ONLY:-}
mkdir -p bench/logs

# A private install (scripts/lib.sh): a long benchmark neither holds the
# machine-wide install lock nor sees another checkout's `make install`.
# With its bin/ first in PATH, pg_config, psql, pgbench and the uphub tools
# the benchmark scripts run are this checkout's too.
root=${TMPDIR:-/tmp}/uphub-bench-root-$port
private_install "$root" >/dev/null || { echo "build/install failed" >&2; exit 2; }
export PATH="$PG_BINDIR:$PATH" UPHUB_BENCH_ROOT="$root"
trap 'cluster_destroy "$dir"; rm -rf "$root"' EXIT
cluster_create "$dir" "$port" "$db" "shared_buffers = '2GB'" "work_mem = '64MB'" \
	"max_wal_size = '8GB'" "checkpoint_timeout = '30min'"
cluster_start "$dir" || exit 2
as_pg "$PG_BINDIR/createdb" -h "$dir" -p "$port" -U postgres "$db"
psql -X -q -h "$dir" -p "$port" -U postgres -d "$db" -c 'CREATE EXTENSION uphub' || exit 2

# Each benchmark's newest BENCH lines are kept in bench/results/<name>.txt
# (committed, first line: when, at which scale); RESULTS.md is rebuilt from
# all of them, so BENCH_ONLY reruns some benchmarks and keeps the others'
# last figures, each row saying which run it comes from.
mkdir -p bench/results
for script in bench/*.sh; do
	name=$(basename "$script" .sh)
	[ "$name" = run ] && continue
	if [ -n "$only" ] && [[ " $only " != *" $name "* ]]; then continue; fi
	echo "== $name"
	start=$(date +%s)
	stamp="$(date -u '+%Y-%m-%d %H:%M') UTC, scale $BENCH_SCALE"
	lines=$(PGHOST="$dir" PGPORT="$port" PGUSER=postgres PGDATABASE="$db" UPHUB_BENCH_DIR="$dir/$name" \
		UPHUB_TOP="$top" bash "$script" 2>&1 | tee "bench/logs/$name.log" | grep '^BENCH ' | tee /dev/stderr)
	if [ -n "$lines" ]; then
		printf '# %s\n%s\n' "$stamp" "$lines" > "bench/results/$name.txt"
	else
		echo "   no BENCH lines: bench/results/$name.txt kept as it was" >&2
	fi
	echo "   ($(( $(date +%s) - start ))s, log in bench/logs/$name.log)"
done

machine="$(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, $(psql -X -At -h "$dir" -p "$port" -U postgres -d "$db" -c 'SHOW server_version')"
{
	echo "# Benchmark results"
	echo
	echo "Written by \`make bench\` (bench/run.sh) from bench/results/*.txt; the run column says when each"
	echo "benchmark last ran and at which scale. Machine: $machine."
	echo "Baselines ran in the same run, on the same cluster."
	echo
	echo "| benchmark | uphub | unit | baseline | ratio | target | met | run |"
	echo "|---|---|---|---|---|---|---|---|"
	for f in bench/results/*.txt; do
		[ -e "$f" ] || continue
		stamp=$(head -n 1 "$f" | sed 's/^# //')
		grep '^BENCH ' "$f" | while read -r _ name value unit baseline ratio target; do
			met=-
			case "$target" in
				'>='*) met=$(awk -v r="$ratio" -v t="${target#>=}" 'BEGIN { print (r + 0 >= t + 0) ? "yes" : "no" }') ;;
				'<='*) met=$(awk -v r="$ratio" -v t="${target#<=}" 'BEGIN { print (r + 0 <= t + 0) ? "yes" : "no" }') ;;
			esac
			echo "| $name | $value | $unit | $baseline | $ratio | $target | $met | $stamp |"
		done
	done
	echo
	echo "How each figure is measured: see the comment at the top of bench/<name>.sh."
} > bench/RESULTS.md
echo "wrote bench/RESULTS.md"
