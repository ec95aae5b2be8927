#!/usr/bin/env bash
# Every metric name the Grafana dashboard and the Prometheus rules use is in
# the output of uphub.metrics() after a workload, so renaming a metric breaks
# this test instead of the dashboard. Runs against the test cluster
# (PGHOST, PGPORT, PGUSER, PGDATABASE set by test/run.sh).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
kit=$top/docs/observability
q() { psql -X -At -v ON_ERROR_STOP=1 -c "$1"; }

q "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS uphub" >/dev/null

# A workload touching every family: GraphQL requests (ok and error), an RBAC
# check, a refresh, an ingest count.
q "SELECT uphub.graphql('query NameCheck { creators(first: 1) { totalCount } }')" >/dev/null
q "SELECT uphub.graphql('query NameCheck { creators(first: 1) { totalCount } }')" >/dev/null
q "SELECT uphub.graphql('query NameCheckError { noSuchField }')" >/dev/null
q "SELECT uphub.check_access('creator.read', NULL)" >/dev/null
q "SELECT uphub.refresh_aggregates()" >/dev/null
# A real (small) load, so uphub_ingest_rows_total has samples.
"$top/tools/uphub-gen" --creators 3 --videos-per-creator 2 --days 2 --seed 7 |
	"$top/tools/uphub-ingest" --reject /dev/null >/dev/null 2>&1 || [ $? -eq 1 ]

metrics=$(mktemp)
trap 'rm -f "$metrics"' EXIT
q "SELECT uphub.metrics()" >"$metrics"
present=$(grep -v '^#' "$metrics" | sed -E 's/[{ ].*//' | sort -u)

referenced=$( {
	python3 -c '
import json, sys
def walk(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("expr", "definition") and isinstance(v, str):
                print(v)
            else:
                walk(v)
        if "query" in node and isinstance(node["query"], dict):
            print(node["query"].get("query", ""))
    elif isinstance(node, list):
        for v in node:
            walk(v)
walk(json.load(open(sys.argv[1])))' "$kit/grafana-dashboard.json"
	grep -E '^\s+expr:|^\s{10}' "$kit/uphub-rules.yml"
} | grep -oE '\buphub_[a-z0-9_]+' | sort -u)

missing=0
for name in $referenced; do
	if ! grep -qx "$name" <<<"$present"; then
		echo "missing from uphub.metrics(): $name"
		missing=1
	fi
done
echo "$(wc -w <<<"$referenced") metric names referenced, all present unless listed above"
exit $missing
