#!/usr/bin/env bash
# scripts/valgrind.sh — `make check-valgrind`: the pg_regress suites (sql/)
# against a postmaster running under valgrind memcheck, in a private cluster
# on a private install (scripts/lib.sh private_install), so the run neither
# waits for nor holds the machine-wide install lock.
#
# Every process of the cluster (postmaster, backends, uphub's workers; the
# children are forked, and --trace-children follows any exec) writes its
# errors to <pid>.log (copied to build/valgrind/logs/ at the end), each with a ready-made
# suppression entry (--gen-suppressions=all). test/valgrind/uphub.supp is
# uphub's own list of known PostgreSQL-internal noise of the Debian build.
# test/valgrind/judge.pl then counts the errors whose stack holds a frame of
# uphub.so: the target fails only on those (and when the run cannot happen).
# pg_regress results are reported, not judged: under valgrind a suite can
# time out or a non-uphub error (exit code 128, seen by the postmaster as a
# crash) can disturb a neighbour.
#
# Note: Debian's PostgreSQL is not built with USE_VALGRIND, so palloc'd
# chunks are not fenced; what memcheck sees is malloc-level misuse, reads of
# uninitialised memory (also inside palloc'd memory), invalid frees and
# overlapping copies, not overruns inside a memory context block.
#
# JIT is off: loading llvmjit under valgrind only adds dynamic-loader noise.
#
# Environment: UPHUB_VALGRIND_PORT (default 54397), VALGRIND_EXTRA (more
# valgrind options, e.g. --track-origins=yes).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/lib.sh

port=${UPHUB_VALGRIND_PORT:-54397}
work=${TMPDIR:-/tmp}/uphub-valgrind-$port
dir=$work/cluster
out=$top/build/valgrind
db=uphub_regress
start_time=$(date +%s)

command -v valgrind >/dev/null || { echo "valgrind is not installed (scripts/setup.sh installs it)" >&2; exit 2; }
cleanup() {
	cluster_destroy "$dir"
	if [ -d "$work/logs" ] && [ ! -d "$out/logs" ]; then cp -r "$work/logs" "$out/logs"; fi
	rm -rf "$work"
}
trap cleanup EXIT

rm -rf "$out" "$work"
mkdir -p "$out" "$work/logs"
# The cluster runs as the postgres OS user when this runs as root: it writes
# its logs and reads the suppressions under $work, not in this checkout.
cp test/valgrind/uphub.supp "$work/uphub.supp"
chmod 755 "$work"
chmod 777 "$work/logs"

echo "== private install in $work/root"
private_install "$work/root" || { echo "build/install failed" >&2; exit 2; }

# The postmaster, through a wrapper that pg_ctl starts instead of postgres.
cluster_create "$dir" "$port" "$db" \
	"max_connections = 20" "autovacuum = off" "max_worker_processes = 16" "jit = off" \
	"uphub.metrics_listen_address = '127.0.0.1'" "uphub.metrics_port = $((port + 1))" ||
	exit 2
wrapper=$work/postgres-valgrind
cat >"$wrapper" <<WRAP
#!/bin/sh
exec valgrind --quiet --tool=memcheck --trace-children=yes --leak-check=no \\
	--error-exitcode=128 --num-callers=40 --read-var-info=no \\
	--suppressions=$work/uphub.supp --gen-suppressions=all \\
	--fullpath-after= --log-file=$work/logs/%p.log \\
	${VALGRIND_EXTRA:-} $PG_BINDIR/postgres "\$@"
WRAP
chmod 755 "$wrapper"
echo "== starting the postmaster under valgrind (port $port)"
if ! as_pg "$PG_BINDIR/pg_ctl" -D "$dir/data" -l "$dir/server.log" -p "$wrapper" -w -t 600 start >/dev/null; then
	tail -n 40 "$dir/server.log" >&2
	exit 2
fi
as_pg "$PG_BINDIR/createdb" -h "$dir" -p "$port" -U postgres "$db" || exit 2

echo "== pg_regress under valgrind"
tests=$(ls sql/*.sql | sed 's|sql/||; s|\.sql$||' | sort)
mkdir -p "$out/regress"
"$PGXS_DIR/test/regress/pg_regress" --use-existing --host="$dir" --port="$port" \
	--user=postgres --dbname="$db" --inputdir="$top" --outputdir="$out/regress" \
	--bindir="$PG_BINDIR" $tests >"$out/regress.log" 2>&1
grep -E '\.\.\. ' "$out/regress.log"
regress_ok=$(grep -cE '\.\.\. ok' "$out/regress.log")
regress_failed=$(grep -cE '\.\.\. (FAILED|failed)' "$out/regress.log")

# A clean shutdown runs the exit paths too (the stats file is written by the postmaster).
as_pg "$PG_BINDIR/pg_ctl" -D "$dir/data" -m fast -w -t 600 stop >/dev/null ||
	as_pg "$PG_BINDIR/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
crashes=$(grep -cE 'terminated by signal|exited with exit code 128' "$dir/server.log")
cp "$dir/server.log" "$out/server.log"
cp -r "$work/logs" "$out/logs"
chmod -R a+r "$out/logs"

elapsed=$(($(date +%s) - start_time))
echo "== valgrind logs: $out/logs ($(ls "$out/logs" | grep -c '\.log$') processes)"
perl test/valgrind/judge.pl "$out/logs" "$out" "$top"
rc=$?
echo "pg_regress under valgrind: $regress_ok ok, $regress_failed failed; backend exits seen as crashes: $crashes"
echo "check-valgrind took ${elapsed}s"
exit $rc
