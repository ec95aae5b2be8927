#!/usr/bin/env bash
# bench/graphql.sh — parse + validate throughput of the pure-C GraphQL
# library (bench/graphql_bench, a fresh arena per document) on the standard
# graphql-js introspection query and on a typical creator-dashboard query.
# No baseline runs in the same process: the figure is compared with the
# absolute targets of issue 6 (introspection < 100 µs, dashboard < 20 µs),
# so the "ratio" column is the time as a fraction of the target.
set -euo pipefail
cd "${UPHUB_TOP:-$(dirname "$0")/..}"
make -s bench/graphql_bench >/dev/null
./bench/graphql_bench | tee /dev/stderr | awk '
	/^introspection/ { printf "BENCH graphql_parse_validate_introspection %s us/doc 100 %.3f <=1\n", $4, $4 / 100 }
	/^dashboard/     { printf "BENCH graphql_parse_validate_dashboard %s us/doc 20 %.3f <=1\n", $4, $4 / 20 }
	/^introspection|^dashboard/ { printf "BENCH graphql_throughput_%s %s MB/s - - -\n", $1, $6 }'
