-- Aggregates and groups on every connection: count, sum (BigInt sums as
-- strings), avg, min, max over the filtered set ignoring pagination, on
-- root and nested connections; groups by columns and by the week / month of
-- a Date and a Datetime column, truncated in Asia/Shanghai whatever the
-- session's time zone; and both under row-level security, for two
-- principals who see different rows.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
BEGIN;
SET LOCAL timezone = 'UTC';
INSERT INTO uphub.partition VALUES (1, NULL, 'anime'), (3, NULL, 'music');
INSERT INTO uphub.mcn VALUES (7, 'mcn seven'), (8, 'mcn eight');
INSERT INTO uphub.creator (mid, name, main_tid, mcn_id) VALUES
	(101, 'c101', 1, 7), (102, 'c102', 1, 7), (103, 'c103', 3, 8);
-- Days around week and month boundaries: 2024-01-07 is a Sunday, 2024-01-31 a Wednesday.
INSERT INTO uphub.creator_daily (mid, day, views, likes, fans_delta) VALUES
	(101, '2024-01-06', 10, 1, 1), (101, '2024-01-07', 20, 2, -1), (101, '2024-01-08', 30, 3, 0),
	(101, '2024-01-31', 40, 4, 2), (101, '2024-02-01', 50, 5, 3),
	(102, '2024-01-07', 5, 0, 1), (102, '2024-02-01', 7, 0, 0),
	(103, '2024-01-08', 9000000000000000000, 9, 5), (103, '2024-01-09', 9000000000000000000, 9, 5);
-- Publication times at Shanghai boundaries, given in UTC (Shanghai is UTC+8):
-- 2024-01-07 15:59:59Z is Sunday 23:59:59 in Shanghai, 16:00Z is Monday
-- 00:00; 2024-01-31 16:30Z is already February 1st in Shanghai.
INSERT INTO uphub.video (aid, bvid, mid, tid, title, pubdate, duration) VALUES
	(1, 'BV1AAAAAAAA1', 101, 1, 'sun', '2024-01-07 15:59:59Z', 100),
	(2, 'BV1AAAAAAAA2', 101, 1, 'mon', '2024-01-07 16:00:00Z', 200),
	(3, 'BV1AAAAAAAA3', 102, 1, 'feb', '2024-01-31 16:30:00Z', NULL),
	(4, 'BV1AAAAAAAA4', 103, 3, 'jan', '2024-01-31 15:30:00Z', 50),
	(5, 'BV1AAAAAAAA5', 103, 3, 'none', NULL, 10);

-- aggregate: the filtered set, whatever the page; sums of bigint columns are
-- strings (and exact past 2^63), averages BigFloat.
SELECT jsonb_pretty(uphub.graphql('{ creatorDailies(filter: {mid: {in: [101, 102]}}, first: 1) {
	nodes { mid day } totalCount
	aggregate { __typename count sum { views likes fansDelta } avg { views } min { day views } max { day views } } } }'));
SELECT uphub.graphql('{ creatorDailies(filter: {mid: {eq: 103}}) { aggregate { count sum { views } avg { views } } } }');
-- Empty set: count 0, the rest null; Int columns (duration) and text columns (title).
SELECT uphub.graphql('{ videos(filter: {aid: {gt: 100}}) { aggregate { count sum { duration } min { title pubdate } } } }');
SELECT uphub.graphql('{ videos { aggregate { count sum { duration } avg { duration } min { title pubdate duration } max { title pubdate } } } }');
-- The same numbers as SQL.
SELECT uphub.graphql('{ creatorDailies { aggregate { count sum { views likes } avg { likes } } } }') #> '{data,creatorDailies,aggregate}'
	= (SELECT jsonb_build_object('count', count(*), 'sum', jsonb_build_object('views', sum(views)::text, 'likes', sum(likes)::text), 'avg', jsonb_build_object('likes', avg(likes)::text)) FROM uphub.creator_daily) AS same_as_sql;
-- Nested: per creator, over its related rows only.
SELECT uphub.graphql('{ creators { nodes { mid daily(filter: {views: {gt: 10}}, first: 1) { aggregate { count max { day } } nodes { day } } } } }');
-- Aggregate and groups with a relation filter.
SELECT uphub.graphql('{ creatorDailies(filter: {creator: {mcnId: {eq: 7}}}) { aggregate { count } groups(by: [MID]) { key { mid } count } } }');

-- groups: keys, counts and aggregates, ordered by the keys (nulls last).
SELECT jsonb_pretty(uphub.graphql('{ creatorDailies { groups(by: [MID]) { key { mid day } count sum { views } max { day } } } }'));
-- A Date column: weeks start on Monday, months on the 1st.
SELECT jsonb_pretty(uphub.graphql('{ creatorDailies(filter: {mid: {in: [101, 102]}}) { groups(by: [DAY_WEEK]) { key { dayWeek } count sum { views } min { day } max { day } } } }'));
SELECT uphub.graphql('{ creatorDailies(filter: {mid: {in: [101, 102]}}) { groups(by: [DAY_MONTH, MID]) { key { dayMonth mid } count } } }');
-- A Datetime column, truncated in Asia/Shanghai although the session is in UTC;
-- a NULL pubdate is a group of its own, last.
SELECT jsonb_pretty(uphub.graphql('{ videos { groups(by: [PUBDATE_WEEK]) { key { pubdateWeek } count min { title } } } }'));
SELECT uphub.graphql('{ videos { groups(by: [PUBDATE_MONTH]) { key { pubdateMonth } count sum { duration } } } }');
SET LOCAL timezone = 'America/Los_Angeles';
SELECT uphub.graphql('{ videos { groups(by: [PUBDATE_MONTH]) { key { pubdateMonth } count } } }');
SET LOCAL timezone = 'UTC';
-- first bounds the number of groups; by: [] is one group; duplicates count once.
SELECT uphub.graphql('{ creatorDailies { groups(by: [DAY], first: 2) { key { day } count } } }');
SELECT uphub.graphql('{ creatorDailies { groups(by: []) { key { mid } count } } }');
SELECT uphub.graphql('{ creatorDailies { groups(by: [MID, MID], first: 1) { key { mid } count } } }');
SELECT uphub.graphql('{ creatorDailies { groups(by: [MID], first: -1) { count } } }');
SELECT uphub.graphql('{ creatorDailies { groups(by: [NOPE]) { count } } }') -> 'errors' -> 0 ->> 'message';
-- Nested groups: per creator, its months.
SELECT uphub.graphql('{ creators(filter: {mid: {lte: 102}}) { nodes { mid daily { groups(by: [DAY_MONTH]) { key { dayMonth } count } } } } }');
-- The group-by options and key fields of a table.
SELECT uphub.graphql('{ __type(name: "CreatorDailyGroupBy") { enumValues { name } } }') #> '{data,__type,enumValues}';
SELECT uphub.graphql('{ __type(name: "VideoGroupKey") { fields { name type { name } } } }') #> '{data,__type,fields}';

-- Under row-level security: an MCN manager of MCN 7 counts its two creators'
-- rows, creator 101 only its own; neither sees MCN 8's creator 103.
CREATE ROLE gqa_m7; CREATE ROLE gqa_c101;
SELECT uphub.add_principal('gqa_m7', 'gqa_m7') > 0 AS added;
SELECT uphub.add_principal('gqa_c101', 'gqa_c101', 101) > 0 AS added;
SELECT uphub.assign_role('gqa_m7', 'mcn_manager', 'mcn', 7);
SELECT uphub.assign_role('gqa_c101', 'creator', 'creator', 101);
SET LOCAL ROLE gqa_m7;
SELECT uphub.graphql('{ creatorDailies { totalCount aggregate { count sum { views } } groups(by: [MID]) { key { mid } count } } videos { aggregate { count } groups(by: [PUBDATE_MONTH]) { key { pubdateMonth } count } } }');
RESET ROLE;
SET LOCAL ROLE gqa_c101;
SELECT uphub.graphql('{ creatorDailies { totalCount aggregate { count sum { views } } groups(by: [MID]) { key { mid } count } } videos { aggregate { count } groups(by: [PUBDATE_MONTH]) { key { pubdateMonth } count } } }');
-- Filtering on another creator's rows finds nothing to count.
SELECT uphub.graphql('{ creatorDailies(filter: {mid: {eq: 103}}) { aggregate { count sum { views } } groups(by: [DAY]) { count } } }');
RESET ROLE;
ROLLBACK;
DELETE FROM uphub.audit_log WHERE pg_role LIKE 'gqa\_%';
