#!/usr/bin/env bash
# scripts/demo.sh — `make demo`: install what is missing, build, install,
# start a throwaway cluster with uphub preloaded, load a generated data set,
# run example queries, and say how to connect and how to stop.
#
# `scripts/demo.sh stop` (or `make demo-stop`) stops and removes the cluster.
# Environment: UPHUB_DEMO_PORT (default 54320), UPHUB_DEMO_DIR (default
# /tmp/uphub-demo), UPHUB_DEMO_CREATORS (generator scale, default 200),
# UPHUB_DEMO_EXTRA_CONF (lines appended to postgresql.conf).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

port=${UPHUB_DEMO_PORT:-54320}
dir=${UPHUB_DEMO_DIR:-/tmp/uphub-demo}
db=uphub_demo

if [ "${1:-}" = stop ]; then
	. scripts/lib.sh
	cluster_destroy "$dir"
	echo "demo cluster in $dir stopped and removed"
	exit 0
fi

bash scripts/setup.sh
. scripts/lib.sh

echo "== building and installing uphub"
build_and_install

echo "== starting a throwaway cluster in $dir on port $port"
cluster_create "$dir" "$port" "$db" ${UPHUB_DEMO_EXTRA_CONF:+"$UPHUB_DEMO_EXTRA_CONF"}
cluster_start "$dir"
psql_demo() { psql -X -q -h "$dir" -p "$port" -U postgres "$@"; }
as_pg "$PG_BINDIR/createdb" -h "$dir" -p "$port" -U postgres "$db"
psql_demo -d "$db" -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION uphub'

echo "== loading data"
if [ -x tools/uphub-gen ] && [ -x tools/uphub-ingest ]; then
	# 30 days ending yesterday (Asia/Shanghai), so the 7/30-day windows are full.
	start=$(TZ=Asia/Shanghai date -d '30 days ago' +%F)
	tools/uphub-gen --creators "${UPHUB_DEMO_CREATORS:-200}" --days 30 --seed 42 --start "$start" |
		tools/uphub-ingest --dsn "host=$dir port=$port user=postgres dbname=$db" \
			--reject "$dir/rejects.txt" || [ $? -eq 1 ]
	echo "(lines the generator made deliberately bad are in $dir/rejects.txt)"
else
	psql_demo -d "$db" -f scripts/demo-data.sql
fi
for f in scripts/demo-*.sh; do
	[ -e "$f" ] && PGHOST="$dir" PGPORT="$port" PGUSER=postgres PGDATABASE="$db" bash "$f"
done

psql_demo -d "$db" -f scripts/demo-queries.sql

cat <<MSG

uphub demo is running.
  connect:  psql -h $dir -p $port -U postgres $db
  stop:     make demo-stop
MSG
