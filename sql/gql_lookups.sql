-- GraphQL over uphub's own tables: root lookups by primary and unique key,
-- relations both ways and three levels deep, aliases, fragments,
-- __typename, scalar output (BigInt as a string, Datetime RFC 3339), and
-- the same answers from hand-written SQL.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
BEGIN;
SET LOCAL timezone = 'Asia/Shanghai';
SET LOCAL uphub.graphql_schemas = 'uphub';
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

-- One creator by primary key, with its to-one relations and summary.
SELECT jsonb_pretty(uphub.graphql($$
{
  creator(mid: 1) {
    __typename mid name face level sex officialType vipType mainTid mcnId joinedAt
    partition { tid name parent { name } }
    mcn { mcnId name }
    summary { follower views30d engagement30d partitionRank30d refreshedAt creator { name } }
  }
}
$$));

-- A missing row is null, not an error.
SELECT uphub.graphql('{ creator(mid: 424242) { name } }');

-- 16-digit ids survive: BigInt is a JSON string in responses, string or int in requests.
SELECT uphub.graphql('{ a: creator(mid: "9007199254740993") { mid name } b: creator(mid: 9007199254740993) { mid } }');

-- Lookup by a unique constraint.
SELECT uphub.graphql('{ videoByBvid(bvid: "BV1xx411c7mB") { aid bvid title creator { name } partition { name } } }');

-- To-many relations, both directions, three levels deep.
SELECT jsonb_pretty(uphub.graphql($$
{
  partition(tid: 1) {
    name
    children { nodes { tid name children { nodes { tid name creators { totalCount } } } } }
    creators { nodes { name videos { nodes { title partition { name parent { name } } } } } }
  }
}
$$));

-- Video.staff, Video.daily / snapshots (empty), Mcn.creators, Creator.daily.
SELECT jsonb_pretty(uphub.graphql($$
{
  video(aid: 101) {
    staff { totalCount nodes { staffMid title video { aid } } }
    daily { totalCount }
    snapshots { totalCount }
  }
  mcn(mcnId: 7) { name creators { nodes { mid name daily { totalCount } } } }
}
$$));

-- Aliases, fragments (named and inline), field merging, __typename everywhere.
SELECT jsonb_pretty(uphub.graphql($$
query Cards {
  first: creator(mid: 1) { ...Card }
  second: creator(mid: 2) { ...Card  who: name }
  first: creator(mid: 1) { sign }
}
fragment Card on Creator {
  __typename
  who: name
  ... on Creator { mid }
  ... { mcn { __typename id: mcnId } }
}
$$));

-- The same answers from hand-written SQL.
SELECT uphub.graphql('{ creator(mid: 1) { name videos { totalCount nodes { aid title } } } }') ->
	'data' = (
	SELECT jsonb_build_object('creator', jsonb_build_object('name', c.name, 'videos', jsonb_build_object(
		'totalCount', (SELECT count(*) FROM uphub.video v WHERE v.mid = c.mid),
		'nodes', (SELECT jsonb_agg(jsonb_build_object('aid', v.aid::text, 'title', v.title) ORDER BY v.aid)
		          FROM uphub.video v WHERE v.mid = c.mid))))
	FROM uphub.creator c WHERE c.mid = 1) AS same_as_sql;
SELECT uphub.graphql('{ partitions { nodes { tid name parent { tid } } } }') -> 'data' -> 'partitions' -> 'nodes' = (
	SELECT jsonb_agg(jsonb_build_object('tid', p.tid, 'name', p.name, 'parent',
		(SELECT jsonb_build_object('tid', q.tid) FROM uphub.partition q WHERE q.tid = p.parent_tid)) ORDER BY p.tid)
	FROM uphub.partition p) AS same_as_sql;
ROLLBACK;
