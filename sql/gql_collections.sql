-- Collections: default order (primary key), multi-key orderBy with every
-- direction and nulls placement, ordering through a to-one relation,
-- keyset pagination forwards (first/after) and backwards (last/before),
-- offset, page boundaries, empty sets, pageInfo and totalCount, page size
-- clamped to uphub.graphql_max_rows, and cursors: opaque, tied to their
-- ordering (another ordering's cursor is BAD_USER_INPUT).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
BEGIN;
SET LOCAL timezone = 'Asia/Shanghai';
-- Data: three partitions (one a child), two agencies, four creators (one
-- with a 16-digit mid), three videos, staff, summaries and daily rows.
INSERT INTO uphub.partition VALUES (1, NULL, 'Animation'), (2, 1, 'MAD'), (3, NULL, 'Music'), (4, 2, 'AMV');
INSERT INTO uphub.mcn VALUES (7, 'Agency Seven'), (8, 'Agency Eight');
INSERT INTO uphub.creator (mid, name, face, sign, level, sex, official_type, vip_type, main_tid, mcn_id, joined_at, updated_at) VALUES
	(1, 'Alice', 'http://f/1.jpg', 'hi', 6, '女', 0, 2, 1, 7, '2015-01-01 10:00+08', '2024-01-01 10:00+08'),
	(2, 'Bob', NULL, NULL, 3, '男', -1, 0, 2, 7, '2016-02-02 10:00+08', '2024-01-01 10:00+08'),
	(3, 'Carol', NULL, 'it''s me', NULL, '保密', 1, 1, 3, NULL, NULL, '2024-01-01 10:00+08'),
	(9007199254740993, 'Big', NULL, NULL, 1, NULL, NULL, NULL, NULL, 8, '2020-01-01 00:00+08', '2024-01-01 10:00+08');
INSERT INTO uphub.video (aid, bvid, mid, tid, title, pubdate, duration, copyright, state) VALUES
	(101, 'BV1xx411c7mA', 1, 1, 'First', '2023-01-01 12:00+08', 100, 1, 0),
	(102, 'BV1xx411c7mB', 1, 2, 'Second', '2023-02-01 12:00+08', 200, 2, 0),
	(103, 'BV1xx411c7mC', 2, 2, 'Third', NULL, NULL, 1, -404),
	(104, 'BV1xx411c7mD', 1, 4, 'Fourth', '2023-03-01 12:00+08', 300, 1, 0);
INSERT INTO uphub.video_staff VALUES (1, 101, 1, 'UP主'), (1, 101, 2, '剪辑');
INSERT INTO uphub.creator_summary (mid, follower, views_7d, views_30d, engagement_30d, partition_rank_30d, refreshed_at) VALUES
	(1, 1000, 100, 500, 0.25, 1, '2024-01-03 00:00+08'), (2, 10, 5, 50, NULL, 1, '2024-01-03 00:00+08');
INSERT INTO uphub.creator_daily (mid, day, views, likes, fans_delta) VALUES
	(1, '2024-01-01', 10, 1, 5), (1, '2024-01-02', 20, 2, -1), (1, '2024-01-03', 30, 0, 0), (2, '2024-01-01', 5, 0, 1);

-- Default order: primary key ascending.
SELECT uphub.graphql('{ creators { totalCount nodes { mid } } }');

-- Multi-key: partition descending (nulls first by default), then name.
SELECT uphub.graphql('{ creators(orderBy: [{mainTid: DESC}, {name: ASC}]) { nodes { mainTid name } } }');
-- Nulls placement, every direction.
SELECT d AS direction, uphub.graphql(format('{ creators(orderBy: [{level: %s}]) { nodes { level } } }', d)) -> 'data' -> 'creators' -> 'nodes' AS levels
FROM unnest(ARRAY['ASC', 'DESC', 'ASC_NULLS_FIRST', 'ASC_NULLS_LAST', 'DESC_NULLS_FIRST', 'DESC_NULLS_LAST']) AS d;
-- Ordering through a to-one relation, ties broken by the primary key.
SELECT uphub.graphql('{ videos(orderBy: [{creator: {name: DESC}}]) { nodes { aid creator { name } } } }');
-- The same order from SQL.
SELECT uphub.graphql('{ videos(orderBy: [{pubdate: DESC_NULLS_LAST}, {title: ASC}]) { nodes { aid } } }')
	-> 'data' -> 'videos' -> 'nodes' = (SELECT jsonb_agg(jsonb_build_object('aid', aid::text) ORDER BY pubdate DESC NULLS LAST, title, aid) FROM uphub.video) AS same_as_sql;

-- Forward pagination: pages of 2 over 4 videos ordered by duration (one NULL).
CREATE TEMP TABLE page1 ON COMMIT DROP AS
SELECT uphub.graphql('{ videos(orderBy: [{duration: ASC}], first: 2) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { aid duration } } } }') AS r;
SELECT r -> 'data' -> 'videos' -> 'edges' -> 0 -> 'node' AS first_row, r -> 'data' -> 'videos' -> 'pageInfo' -> 'hasNextPage' AS has_next,
	r -> 'data' -> 'videos' -> 'pageInfo' -> 'hasPreviousPage' AS has_previous, r -> 'data' -> 'videos' -> 'totalCount' AS total,
	r #> '{data,videos,pageInfo,startCursor}' = r #> '{data,videos,edges,0,cursor}' AS start_is_first_edge,
	r #> '{data,videos,pageInfo,endCursor}' = r #> '{data,videos,edges,1,cursor}' AS end_is_last_edge
FROM page1;
-- Cursors are base64 of [ordering fingerprint, key values...].
SELECT convert_from(decode(r #>> '{data,videos,pageInfo,endCursor}', 'base64'), 'UTF8') ~ '^\["[0-9a-f]{16}", 200, 102\]$' AS cursor_shape FROM page1;
CREATE TEMP TABLE page2 ON COMMIT DROP AS
SELECT uphub.graphql('query ($c: Cursor) { videos(orderBy: [{duration: ASC}], first: 2, after: $c) { pageInfo { hasNextPage hasPreviousPage endCursor } nodes { aid duration } } }',
	jsonb_build_object('c', r #> '{data,videos,pageInfo,endCursor}')) AS r FROM page1;
SELECT r -> 'data' FROM page2;
-- Past the end: an empty page.
SELECT uphub.graphql('query ($c: Cursor) { videos(orderBy: [{duration: ASC}], first: 2, after: $c) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { aid } } }',
	jsonb_build_object('c', r #> '{data,videos,pageInfo,endCursor}')) -> 'data' FROM page2;

-- Backward: the last two, then the two before them.
CREATE TEMP TABLE back1 ON COMMIT DROP AS
SELECT uphub.graphql('{ videos(orderBy: [{duration: ASC}], last: 2) { pageInfo { hasNextPage hasPreviousPage startCursor } nodes { aid duration } } }') AS r;
SELECT r #> '{data,videos,nodes}' AS nodes, r #> '{data,videos,pageInfo,hasNextPage}' AS has_next, r #> '{data,videos,pageInfo,hasPreviousPage}' AS has_previous FROM back1;
SELECT uphub.graphql('query ($c: Cursor) { videos(orderBy: [{duration: ASC}], last: 2, before: $c) { pageInfo { hasNextPage hasPreviousPage } nodes { aid duration } } }',
	jsonb_build_object('c', r #> '{data,videos,pageInfo,startCursor}')) -> 'data' FROM back1;
-- before without last pages backwards with the default size.
SELECT uphub.graphql('query ($c: Cursor) { videos(orderBy: [{duration: ASC}], before: $c) { nodes { aid } } }',
	jsonb_build_object('c', r #> '{data,videos,pageInfo,startCursor}')) -> 'data' FROM back1;

-- offset with first; hasPreviousPage follows the offset.
SELECT uphub.graphql('{ videos(offset: 1, first: 2) { pageInfo { hasNextPage hasPreviousPage } nodes { aid } } }') -> 'data';
-- Empty sets and a zero-size page.
SELECT uphub.graphql('{ videos(filter: {aid: {gt: "1000"}}) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor } nodes { aid } } }') -> 'data';
SELECT uphub.graphql('{ videos(first: 0) { totalCount pageInfo { hasNextPage } nodes { aid } } }') -> 'data';

-- Page size clamped to uphub.graphql_max_rows.
SET LOCAL uphub.graphql_max_rows = 2;
SELECT uphub.graphql('{ videos(first: 50) { pageInfo { hasNextPage } nodes { aid } } creators { nodes { mid } } }') -> 'data';
RESET uphub.graphql_max_rows;

-- A cursor from another ordering, a foreign string, a hand-made cursor: BAD_USER_INPUT.
SELECT jsonb_pretty(uphub.graphql('query ($c: Cursor) { videos(orderBy: [{title: ASC}], after: $c) { nodes { aid } } }',
	jsonb_build_object('c', r #> '{data,videos,pageInfo,endCursor}'))) FROM page1;
SELECT uphub.graphql('{ videos(after: "not a cursor") { nodes { aid } } }');
SELECT uphub.graphql(format('{ videos(after: "%s") { nodes { aid } } }', encode('["0000000000000000", 1]', 'base64')));
-- first and last together, a negative first, offset while paging backwards.
SELECT uphub.graphql('{ videos(first: 1, last: 1) { nodes { aid } } }');
SELECT uphub.graphql('{ videos(first: -1) { nodes { aid } } }');
SELECT uphub.graphql('{ videos(last: 1, offset: 1) { nodes { aid } } }');
-- orderBy entries take exactly one key.
SELECT uphub.graphql('{ videos(orderBy: [{aid: ASC, title: DESC}]) { nodes { aid } } }');
SELECT uphub.graphql('{ videos(orderBy: [{}]) { nodes { aid } } }');

-- Nested connections paginate per parent.
SELECT jsonb_pretty(uphub.graphql('{ creators(first: 2) { nodes { mid videos(last: 1, orderBy: [{pubdate: ASC}]) { totalCount pageInfo { hasPreviousPage } nodes { title } } } } }'));
ROLLBACK;
