#!/usr/bin/env bash
# graphql-js v16 as a real client: fetch the standard introspection result
# with psql, then (test/graphql/check.js) buildClientSchema, compare
# printSchema with the reviewed snapshot test/graphql/schema.graphql and
# validate every example query in test/graphql/queries/. Each example query
# is also run through uphub.graphql() (in a transaction rolled back) and
# must answer without errors.
# Runs against the test cluster (PGHOST, PGPORT, PGUSER, PGDATABASE set).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
chmod 755 "$out"

if [ ! -d "$here/node_modules/graphql" ]; then
	echo "test/node_modules is missing: run scripts/setup.sh" >&2
	exit 1
fi

psql -X -q -v ON_ERROR_STOP=1 -c 'SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS uphub'
query=$(node "$here/graphql/check.js" query)
psql -X -q -v ON_ERROR_STOP=1 -At -v q="$query" >"$out/introspection.json" <<'SQL'
SET uphub.graphql_schemas = 'uphub';
SELECT uphub.graphql(:'q');
SQL
# psql prints the SET tag nowhere in -At mode; keep only the JSON line
tail -n 1 "$out/introspection.json" >"$out/result.json"
OUT_DIR="$out" node "$here/graphql/check.js" check "$out/result.json" || {
	[ -f "$out/schema.actual.graphql" ] && diff -u "$here/graphql/schema.graphql" "$out/schema.actual.graphql" | head -n 60
	exit 1
}

status=0
for f in "$here"/graphql/queries/*.graphql; do
	name=$(basename "$f")
	# in a transaction that is rolled back: example mutations leave no trace
	response=$(psql -X -q -v ON_ERROR_STOP=1 -At -v q="$(cat "$f")" <<'SQL'
BEGIN;
SELECT uphub.graphql(:'q');
ROLLBACK;
SQL
)
	if grep -q '"errors"' <<<"$response"; then
		echo "not ok run $name: $response"
		status=1
	else
		echo "ok run $name"
	fi
done
exit $status
