#!/usr/bin/env bash
# scripts/observe-workload.sh DIR PORT SECONDS — a mixed GraphQL workload
# for `make observe`: pgbench with weighted scripts, each a named GraphQL
# operation (one of them fails validation on purpose, for the error ratio).
set -euo pipefail
dir=$1 port=$2 seconds=$3
db=${UPHUB_DEMO_DB:-uphub_demo}
scripts=$(mktemp -d)
trap 'rm -rf "$scripts"' EXIT

cat >"$scripts/creator_list.sql" <<'SQL'
SELECT uphub.graphql($$query CreatorList { creators(first: 20) { totalCount nodes { mid name level } } }$$);
SQL
cat >"$scripts/video_page.sql" <<'SQL'
SELECT uphub.graphql($$query VideoPage { videos(first: 10, orderBy: [{pubdate: DESC}]) { nodes { bvid title creator { name } } pageInfo { hasNextPage endCursor } } }$$);
SQL
cat >"$scripts/partition_board.sql" <<'SQL'
SELECT uphub.graphql($$query PartitionBoard { partitions { nodes { tid name children { totalCount } } } }$$);
SQL
cat >"$scripts/broken.sql" <<'SQL'
SELECT uphub.graphql($$query Broken { creators { noSuchField } }$$);
SQL

pgbench -n -h "$dir" -p "$port" -U postgres -c 2 -j 2 -T "$seconds" -P 10 \
	-f "$scripts/creator_list.sql@6" -f "$scripts/video_page.sql@3" \
	-f "$scripts/partition_board.sql@2" -f "$scripts/broken.sql@1" "$db"
