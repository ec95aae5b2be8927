#!/usr/bin/env bash
# bench/ingest.sh — ingest throughput.
#
# uphub: `uphub-gen | uphub-ingest` into a fresh uphub database, timed end
# to end (generation, decoding, COPY into staging, upserts, snapshot
# partitions, commits), in lines per second; BENCH_SCALE small / default /
# large is about 0.15M / 1.1M / 10M lines.
# Baseline: the rows that load produced, flattened to one CSV per table,
# loaded with plain COPY (psql \copy, in foreign-key order, one transaction)
# into another fresh uphub database whose snapshot partitions already exist:
# the cost of just storing the same rows. Reported as lines per second of
# the same input so the two compare directly.
# Targets: >= 50,000 lines/s, and within 3x of COPY (ratio >= 0.33).
set -euo pipefail
top=${UPHUB_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
work=${UPHUB_BENCH_DIR:-${TMPDIR:-/tmp}/uphub-bench-ingest}
mkdir -p "$work"

tool() {
	local t
	t="$(pg_config --bindir)/$1"
	[ -x "$t" ] || t="$top/tools/$1"
	echo "$t"
}
gen=$(tool uphub-gen)
ingest=$(tool uphub-ingest)

case ${BENCH_SCALE:-default} in
	small) args=(--creators 300 --days 15) ;;
	large) args=(--creators 10000 --days 55) ;;
	*) args=(--creators 2000 --days 30) ;;
esac

a=uphub_bench_ingest
b=uphub_bench_copy
for db in $a $b; do
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
	psql -X -q -d $db -c 'CREATE EXTENSION uphub'
done

# ---- uphub: generate and ingest ---------------------------------------------
echo "uphub-gen ${args[*]} | uphub-ingest"
start=$(date +%s.%N)
set +e
"$gen" "${args[@]}" --seed 1 2>"$work/gen.err" |
	"$ingest" --dsn "dbname=$a" --reject "$work/rejects.txt" 2>"$work/ingest.err"
rc=$?
set -e
end=$(date +%s.%N)
cat "$work/gen.err" "$work/ingest.err"
[ $rc -le 1 ] || { echo "uphub-ingest failed with $rc" >&2; exit 1; }
lines=$(sed -n 's/.*done: \([0-9]*\) lines read.*/\1/p' "$work/ingest.err")
t_ingest=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')

# ---- baseline: the same rows as CSV, plain COPY ----------------------------------
tables="partition mcn creator video video_staff video_snapshot creator_snapshot"
for t in $tables; do
	psql -X -q -d $a -c "\\copy (SELECT * FROM uphub.$t) TO '$work/$t.csv' CSV"
done
range=$(psql -X -At -d $a -c "SELECT min(observed_at) || ',' || max(observed_at) FROM uphub.video_snapshot")
psql -X -q -d $b -c "SELECT uphub.ensure_snapshot_partitions('${range%,*}', '${range#*,}')" >/dev/null
{
	echo 'BEGIN;'
	for t in $tables; do echo "\\copy uphub.$t FROM '$work/$t.csv' CSV"; done
	echo 'COMMIT;'
} >"$work/copy.sql"
start=$(date +%s.%N)
psql -X -q -v ON_ERROR_STOP=1 -d $b -f "$work/copy.sql"
end=$(date +%s.%N)
t_copy=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')

count() { psql -X -At -d "$1" -c "SELECT (SELECT count(*) FROM uphub.video_snapshot) + (SELECT count(*) FROM uphub.creator_snapshot)"; }
[ "$(count $a)" = "$(count $b)" ] || { echo "baseline rows differ" >&2; exit 1; }
rows=$(count $a)

rate=$(awk -v n="$lines" -v t="$t_ingest" 'BEGIN { print n / t }')
copy_rate=$(awk -v n="$lines" -v t="$t_copy" 'BEGIN { print n / t }')
ratio=$(awk -v a="$rate" -v b="$copy_rate" 'BEGIN { print a / b }')
printf 'lines %d, snapshot rows %d, ingest %.2f s, copy %.2f s\n' "$lines" "$rows" "$t_ingest" "$t_copy"
printf 'BENCH ingest_lines_per_s %.0f lines/s - %.0f >=50000\n' "$rate" "$rate"
printf 'BENCH ingest_vs_copy %.0f lines/s %.0f %.2f >=0.33\n' "$rate" "$copy_rate" "$ratio"

for db in $a $b; do psql -X -q -d postgres -c "DROP DATABASE $db"; done
rm -f "$work"/*.csv
