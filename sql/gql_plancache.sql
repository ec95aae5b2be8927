-- The plan cache: a repeated request reuses its parsed document and its
-- prepared plans (hits and misses in uphub.counters); a change of the
-- variables' values keeps the plan, a change of their shape does not; DDL,
-- GRANT, an RBAC permission change and a role or principal switch never
-- serve a stale entry; size 0 turns the cache off.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
-- Committed set-up: RBAC writes of a running transaction bypass the cache.
INSERT INTO uphub.partition VALUES (901, NULL, 'pc one'), (902, 901, 'pc two');
CREATE ROLE gpc_analyst;
CREATE ROLE gpc_creator;
SELECT uphub.add_principal('gpc_analyst', 'gpc_analyst') > 0 AS added;
SELECT uphub.add_principal('gpc_creator', 'gpc_creator') > 0 AS added;
SELECT uphub.assign_role('gpc_analyst', 'analyst');
SELECT uphub.assign_role('gpc_creator', 'creator', 'partition', 902);

CREATE TEMP TABLE pc_base (hits float8, misses float8);
INSERT INTO pc_base VALUES (0, 0);
CREATE FUNCTION pg_temp.delta() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	h float8;
	m float8;
	r text;
BEGIN
	SELECT value INTO h FROM uphub.counters WHERE name = 'uphub_graphql_plan_cache_hits_total';
	SELECT value INTO m FROM uphub.counters WHERE name = 'uphub_graphql_plan_cache_misses_total';
	SELECT format('hits +%s, misses +%s', h - b.hits, m - b.misses) INTO r FROM pc_base b;
	UPDATE pc_base SET hits = h, misses = m;
	RETURN r;
END $$;
SELECT pg_temp.delta() IS NOT NULL AS baseline;

-- Miss, then hit.
SELECT uphub.graphql('{ partition(tid: 901) { name } }');
SELECT pg_temp.delta();
SELECT uphub.graphql('{ partition(tid: 901) { name } }');
SELECT pg_temp.delta();
SELECT documents, plans FROM uphub._graphql_cache_entries();
-- Other values of the variables: the same plan.
SELECT uphub.graphql('query P($t: Int!) { partition(tid: $t) { name } }', '{"t": 901}');
SELECT uphub.graphql('query P($t: Int!) { partition(tid: $t) { name } }', '{"t": 902}');
SELECT pg_temp.delta();
-- Another shape of the variables (a filter key more): another plan, then reused.
SELECT uphub.graphql('query F($f: PartitionFilter) { partitions(filter: $f) { nodes { tid } } }', '{"f": {"tid": {"eq": 901}}}');
SELECT uphub.graphql('query F($f: PartitionFilter) { partitions(filter: $f) { nodes { tid } } }', '{"f": {"tid": {"eq": 902}, "name": {"eq": "pc two"}}}');
SELECT uphub.graphql('query F($f: PartitionFilter) { partitions(filter: $f) { nodes { tid } } }', '{"f": {"tid": {"eq": 901}, "name": {"eq": "x"}}}');
SELECT pg_temp.delta();

-- DDL flushes the cache.
CREATE TABLE pg_temp.pc_ddl (i integer);
SELECT uphub.graphql('{ partition(tid: 901) { name } }');
SELECT pg_temp.delta();
SELECT documents, plans FROM uphub._graphql_cache_entries();
-- So does GRANT (and the grantee sees the change).
SELECT uphub.graphql('{ partition(tid: 901) { name } }');
SELECT pg_temp.delta();
REVOKE SELECT ON uphub.partition FROM PUBLIC;
SET ROLE gpc_analyst;
SELECT uphub.graphql('{ partition(tid: 901) { name } }');
RESET ROLE;
GRANT SELECT ON uphub.partition TO PUBLIC;
SELECT pg_temp.delta();
SET ROLE gpc_analyst;
SELECT uphub.graphql('{ partition(tid: 901) { name } }');
RESET ROLE;
SELECT uphub.graphql('{ partition(tid: 901) { name } }');
SELECT pg_temp.delta();

-- A role switch has its own entries; switching back finds the old ones.
-- (Creators in a transaction: their rows are not RBAC catalog writes.)
BEGIN;
INSERT INTO uphub.creator (mid, name, main_tid) VALUES (9901, 'pc first', 901), (9902, 'pc second', 902);
SELECT uphub.graphql('{ creators { nodes { mid } } }');
SELECT pg_temp.delta();
SET LOCAL ROLE gpc_creator;
SELECT uphub.graphql('{ creators { nodes { mid } } }');
SELECT uphub.graphql('{ creators { nodes { mid } } }');
RESET ROLE;
SELECT pg_temp.delta();
SET LOCAL ROLE gpc_analyst;
SELECT uphub.graphql('{ creators { nodes { mid } } }');
RESET ROLE;
SELECT uphub.graphql('{ creators { nodes { mid } } }');
SELECT pg_temp.delta();
-- So has each principal of act_as (the outer role here is a superuser, who
-- bypasses RLS: the rows are alike; the role switch above shows them split).
SELECT uphub.act_as('gpc_creator');
SELECT uphub.graphql('{ creators { nodes { mid } } }');
SELECT uphub.act_as('gpc_analyst');
SELECT uphub.graphql('{ creators { nodes { mid } } }');
SELECT uphub.act_as(NULL);
SELECT pg_temp.delta();
ROLLBACK;

-- An RBAC permission change (committed) flushes: the analyst sees revenue now.
SET ROLE gpc_analyst;
SELECT uphub.graphql('{ __type(name: "CreatorRevenueDaily") { name } partition(tid: 901) { name } }');
RESET ROLE;
SELECT pg_temp.delta();
SELECT uphub.grant_permission('analyst', 'revenue.read');
SET ROLE gpc_analyst;
SELECT uphub.graphql('{ __type(name: "CreatorRevenueDaily") { name } partition(tid: 901) { name } }');
RESET ROLE;
SELECT pg_temp.delta();
SELECT uphub.revoke_permission('analyst', 'revenue.read');
SET ROLE gpc_analyst;
SELECT uphub.graphql('{ __type(name: "CreatorRevenueDaily") { name } partition(tid: 901) { name } }');
RESET ROLE;
SELECT pg_temp.delta();
-- Inside a transaction that changes grants, nothing is cached or reused.
BEGIN;
SELECT uphub.grant_permission('analyst', 'revenue.read');
SELECT uphub.graphql('{ partition(tid: 901) { name } }');
SELECT uphub.graphql('{ partition(tid: 901) { name } }');
SELECT pg_temp.delta();
ROLLBACK;

-- Size 0: off (nothing counted, nothing kept).
SET uphub.graphql_plan_cache_size = 0;
SELECT uphub.graphql('{ partition(tid: 901) { name } }');
SELECT pg_temp.delta();
SELECT documents, plans FROM uphub._graphql_cache_entries();
RESET uphub.graphql_plan_cache_size;
-- Size 1: the least recently used entry goes.
SET uphub.graphql_plan_cache_size = 1;
SELECT uphub.graphql('{ partition(tid: 901) { name } }');
SELECT uphub.graphql('{ partition(tid: 902) { tid } }');
SELECT uphub.graphql('{ partition(tid: 901) { name } }');
SELECT pg_temp.delta();
SELECT documents, plans FROM uphub._graphql_cache_entries();
RESET uphub.graphql_plan_cache_size;

-- Recipes: a query whose variables only give root lookup keys is translated
-- once; a repeated request binds the keys into the kept statement. Answers,
-- nulls and errors are those of a fresh translation.
\set r 'query R($t: Int!) { a: partition(tid: $t) { name children { nodes { tid } } } b: partition(tid: 902) { name } __typename }'
SELECT uphub.graphql(:'r', '{"t": 901}');
SELECT pg_temp.delta();
SELECT uphub.graphql(:'r', '{"t": 902}');
SELECT uphub.graphql(:'r', '{"t": 903}');
SELECT uphub.graphql(:'r', '{"t": 901}');
SELECT pg_temp.delta();
SELECT uphub.graphql(:'r', '{"t": "x"}');
SELECT uphub.graphql(:'r', '{"t": 99999999999}');
SELECT uphub.graphql(:'r', '{}');
SELECT uphub.graphql(:'r', '{"t": 902}');
-- BigInt keys (strings), the edge of the range on the replay.
SELECT uphub.graphql('query K($m: BigInt!) { creator(mid: $m) { name } }', '{"m": "1"}') IS NOT NULL AS ran;
SELECT uphub.graphql('query K($m: BigInt!) { creator(mid: $m) { name } }', '{"m": "9223372036854775807"}');
SELECT uphub.graphql('query K($m: BigInt!) { creator(mid: $m) { name } }', '{"m": "9223372036854775808"}');
-- Variables anywhere else (page sizes, directives) are translated each time.
\set n 'query N($t: Int!, $n: Int, $x: Boolean!) { partition(tid: $t) { name @include(if: $x) children(first: $n) { nodes { tid } } } }'
SELECT uphub.graphql(:'n', '{"t": 901, "n": 1, "x": true}');
SELECT uphub.graphql(:'n', '{"t": 901, "n": 0, "x": false}');
SELECT uphub.graphql(:'n', '{"t": 901, "x": true}');
-- A timestamp literal is parsed under the session's TimeZone each time.
BEGIN;
INSERT INTO uphub.creator (mid, name, main_tid) VALUES (9903, 'pc tz', 901);
INSERT INTO uphub.video (aid, bvid, mid, title, pubdate) VALUES (990031, 'BV1PCtzAAAAA', 9903, 'tz', '2024-01-01 03:00+00');
\set z 'query Z($m: BigInt!) { creator(mid: $m) { videos(filter: {pubdate: {gte: "2024-01-01 05:00"}}) { totalCount } } }'
SET LOCAL timezone = 'UTC';
SELECT uphub.graphql(:'z', '{"m": 9903}');
SELECT uphub.graphql(:'z', '{"m": 9903}');
SET LOCAL timezone = 'Asia/Shanghai';
SELECT uphub.graphql(:'z', '{"m": 9903}');
-- The same recipe per role: row-level security of the switched role applies.
INSERT INTO uphub.creator (mid, name, main_tid) VALUES (9901, 'pc first', 901), (9902, 'pc second', 902);
\set c 'query C($m: BigInt!) { creator(mid: $m) { name } }'
SELECT uphub.graphql(:'c', '{"m": 9901}');
SELECT uphub.graphql(:'c', '{"m": 9902}');
SET LOCAL ROLE gpc_creator;
SELECT uphub.graphql(:'c', '{"m": 9901}');
SELECT uphub.graphql(:'c', '{"m": 9902}');
SELECT uphub.graphql(:'c', '{"m": 9901}');
RESET ROLE;
SELECT uphub.graphql(:'c', '{"m": 9901}');
ROLLBACK;
-- DDL (a renamed field) never replays the old statement.
SELECT uphub.graphql(:'r', '{"t": 901}');
BEGIN;
COMMENT ON COLUMN uphub.partition.name IS '@graphql({"name": "label"})';
SELECT uphub.graphql(:'r', '{"t": 901}');
SELECT uphub.graphql('query R($t: Int!) { a: partition(tid: $t) { label } }', '{"t": 901}');
ROLLBACK;
SELECT uphub.graphql(:'r', '{"t": 901}');
-- Neither does a GRANT change: the column disappears for the analyst.
SET ROLE gpc_analyst;
SELECT uphub.graphql(:'c', '{"m": 1}') IS NOT NULL AS warmed;
SELECT uphub.graphql(:'r', '{"t": 901}');
SELECT uphub.graphql(:'r', '{"t": 901}');
RESET ROLE;
REVOKE SELECT ON uphub.partition FROM PUBLIC;
GRANT SELECT (tid, parent_tid) ON uphub.partition TO PUBLIC;
SET ROLE gpc_analyst;
SELECT uphub.graphql(:'r', '{"t": 901}');
RESET ROLE;
REVOKE SELECT (tid, parent_tid) ON uphub.partition FROM PUBLIC;
GRANT SELECT ON uphub.partition TO PUBLIC;
SET ROLE gpc_analyst;
SELECT uphub.graphql(:'r', '{"t": 901}');
RESET ROLE;
-- The page size written into the SQL follows uphub.graphql_max_rows.
\set m 'query M($t: Int!) { partition(tid: $t) { tid } partitions(filter: {tid: {in: [901, 902]}}) { nodes { tid } } }'
SELECT uphub.graphql(:'m', '{"t": 901}');
SELECT uphub.graphql(:'m', '{"t": 901}');
SET uphub.graphql_max_rows = 1;
SELECT uphub.graphql(:'m', '{"t": 902}');
RESET uphub.graphql_max_rows;
SELECT uphub.graphql(:'m', '{"t": 902}');
SELECT pg_temp.delta() IS NOT NULL AS counted;

-- Clean up.
SELECT uphub.delete_principal('gpc_analyst');
SELECT uphub.delete_principal('gpc_creator');
DROP ROLE gpc_analyst;
DROP ROLE gpc_creator;
DELETE FROM uphub.partition WHERE tid IN (902, 901);
