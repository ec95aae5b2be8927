-- Mutations: insertInto / update / deleteFrom, upserts (do update, a filter
-- that keeps a row, do nothing, an unknown constraint), atMost (exceeded:
-- nothing changes), one unit per operation (a failing field rolls back the
-- others), no mutations of aggregate tables, and writes decided by GRANTs,
-- row-level security and RBAC (42501 is FORBIDDEN).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
BEGIN;
SET LOCAL timezone = 'Asia/Shanghai';
INSERT INTO uphub.partition VALUES (1, NULL, 'anime'), (3, NULL, 'music');
INSERT INTO uphub.mcn VALUES (7, 'mcn seven'), (8, 'mcn eight');
INSERT INTO uphub.creator (mid, name, main_tid, mcn_id) VALUES
	(101, 'c101', 1, 7), (102, 'c102', 1, 7), (103, 'c103', 3, 8);
INSERT INTO uphub.video (aid, bvid, mid, tid, title) VALUES
	(1011, 'BV1AAAAAAAA1', 101, 1, 'a'), (1012, 'BV1AAAAAAAA2', 101, 1, 'b'),
	(1021, 'BV1AAAAAAAA3', 102, 1, 'c'), (1031, 'BV1AAAAAAAA4', 103, 3, 'd');

-- The Mutation root: tables only, never the aggregate tables nor views.
SELECT string_agg(f ->> 'name', ' ' ORDER BY f ->> 'name')
FROM jsonb_array_elements(uphub.graphql('{ __type(name: "Mutation") { fields { name } } }') #> '{data,__type,fields}') f;
SELECT uphub.graphql('mutation { deleteFromCreatorDailies(filter: {mid: {eq: 101}}) { affectedCount } }');
SELECT uphub.graphql('mutation { updateCreatorSummaries(set: {follower: "1"}) { affectedCount } }') -> 'errors' -> 0 ->> 'message';
SELECT uphub.graphql('{ __type(name: "CreatorDailyInsertInput") { name } }');
-- The argument types.
SELECT uphub.graphql('{ __type(name: "Mutation") { fields { name args { name type { kind name ofType { kind name ofType { kind name ofType { name } } } } defaultValue } type { kind ofType { name } } } } }') #> '{data,__type,fields}' @? '$[*] ? (@.name == "updateVideos")' AS has_update_videos;
SELECT jsonb_pretty(uphub.graphql('{ c: __type(name: "VideoConstraint") { enumValues { name } } o: __type(name: "VideoOnConflict") { inputFields { name type { kind name ofType { kind name ofType { kind name ofType { name } } } } } } }'));

-- insertInto: several rows in one statement; absent columns take their
-- default (state 0), an explicit null is NULL (duration); records select
-- like nodes, relations included; ordered by primary key.
SELECT jsonb_pretty(uphub.graphql('mutation { __typename insertIntoVideos(objects: [
	{aid: "2002", bvid: "BV1BBBBBBBB2", mid: "102", title: "two", duration: null},
	{aid: 2001, bvid: "BV1BBBBBBBB1", mid: "101", tid: 1, title: "one", duration: 60}]) {
	__typename affectedCount records { aid title duration state creator { name } partition { name } } } }'));
SELECT aid, title, duration, state FROM uphub.video WHERE aid > 2000 ORDER BY aid;
-- Variables: the objects as JSON; an empty list inserts nothing.
SELECT uphub.graphql('mutation ($o: [VideoInsertInput!]!) { insertIntoVideos(objects: $o) { affectedCount records { aid } } }',
	'{"o": [{"aid": 2003, "bvid": "BV1BBBBBBBB3", "mid": 103, "title": "three"}]}');
SELECT uphub.graphql('mutation ($o: [VideoInsertInput!]!) { insertIntoVideos(objects: $o) { affectedCount records { aid } } }', '{"o": []}');
-- A bad value is BAD_USER_INPUT before anything runs; a constraint violation fails the field.
SELECT uphub.graphql('mutation { insertIntoVideos(objects: [{aid: "x", bvid: "BV1BBBBBBBB4", mid: 101, title: "t"}]) { affectedCount } }');
SELECT uphub.graphql('mutation { insertIntoVideos(objects: [{aid: 2004, bvid: "not a bvid", mid: 101, title: "t"}]) { affectedCount } }');

-- Upsert. DO UPDATE of the listed columns: 1011 conflicts (title and tid
-- updated, duration not listed stays), 2005 is new.
SELECT uphub.graphql('mutation { insertIntoVideos(objects: [
	{aid: 1011, bvid: "BV1AAAAAAAA1", mid: 101, tid: 3, title: "a2", duration: 5},
	{aid: 2005, bvid: "BV1BBBBBBBB5", mid: 101, title: "five"}],
	onConflict: {constraint: VIDEO_PKEY, update: [TITLE, TID]}) { affectedCount records { aid title tid duration } } }');
-- By another unique constraint (bvid), with a filter: only existing rows
-- matching it are updated (1012 has title b: kept; 1021 has title c: updated).
SELECT uphub.graphql('mutation { insertIntoVideos(objects: [
	{aid: 1012, bvid: "BV1AAAAAAAA2", mid: 101, title: "b2"},
	{aid: 1021, bvid: "BV1AAAAAAAA3", mid: 102, title: "c2"}],
	onConflict: {constraint: VIDEO_BVID_KEY, update: [TITLE], filter: {title: {neq: "b"}}}) { affectedCount records { aid title } } }');
-- A filter through a relation (the existing row's creator).
SELECT uphub.graphql('mutation { insertIntoVideos(objects: [{aid: 1031, bvid: "BV1AAAAAAAA4", mid: 103, title: "d2"}],
	onConflict: {constraint: VIDEO_PKEY, update: [TITLE], filter: {creator: {mcnId: {eq: 7}}}}) { affectedCount } }');
-- update: [] keeps the existing row (DO NOTHING).
SELECT uphub.graphql('mutation { insertIntoVideos(objects: [{aid: 1011, bvid: "BV1AAAAAAAA1", mid: 101, title: "zzz"}],
	onConflict: {constraint: VIDEO_PKEY, update: []}) { affectedCount records { aid } } }');
SELECT aid, title, tid, duration FROM uphub.video WHERE aid IN (1011, 1012, 1021, 1031, 2005) ORDER BY aid;
-- An unknown constraint or column is a validation error.
SELECT uphub.graphql('mutation { insertIntoVideos(objects: [{aid: 1}], onConflict: {constraint: NOPE, update: [TITLE]}) { affectedCount } }');
SELECT uphub.graphql('mutation { insertIntoVideos(objects: [{aid: 1}], onConflict: {constraint: VIDEO_PKEY, update: [NOPE]}) { affectedCount } }');

-- update: atMost defaults to 1.
SELECT uphub.graphql('mutation { updateVideos(set: {duration: 99}, filter: {aid: {eq: 2001}}) { affectedCount records { aid duration } } }');
SELECT uphub.graphql('mutation { updateVideos(set: {duration: 1}, filter: {mid: {eq: 101}}) { affectedCount } }');
SELECT uphub.graphql('mutation { updateVideos(set: {duration: 1}, filter: {mid: {eq: 101}}, atMost: 2) { affectedCount } }');
SELECT aid, duration FROM uphub.video WHERE mid = 101 ORDER BY aid;
SELECT uphub.graphql('mutation { updateVideos(set: {duration: 7, copyright: 2}, filter: {mid: {eq: 101}}, atMost: 10) { affectedCount records { aid duration copyright } } }');
-- Nothing matching is no error; set must name a column; atMost must not be negative.
SELECT uphub.graphql('mutation { updateVideos(set: {duration: 1}, filter: {aid: {eq: 1}}) { affectedCount records { aid } } }');
SELECT uphub.graphql('mutation { updateVideos(set: {}, filter: {aid: {eq: 1}}) { affectedCount } }');
SELECT uphub.graphql('mutation { updateVideos(set: {duration: 1}, atMost: -1) { affectedCount } }');
-- No filter means every row: still bounded by atMost.
SELECT uphub.graphql('mutation { updateVideos(set: {title: "all"}) { affectedCount } }');
SELECT count(*) FILTER (WHERE title = 'all') AS retitled FROM uphub.video;

-- deleteFrom, with atMost.
SELECT uphub.graphql('mutation { deleteFromVideos(filter: {aid: {gt: 2000}}, atMost: 2) { affectedCount } }');
SELECT count(*) AS still_there FROM uphub.video WHERE aid > 2000;
SELECT uphub.graphql('mutation { deleteFromVideos(filter: {aid: {gt: 2000}}, atMost: 4) { affectedCount records { aid title } } }');
SELECT count(*) AS left_over FROM uphub.video WHERE aid > 2000;

-- One unit: the second field fails (duplicate key), so the first one's row is absent too.
SELECT jsonb_pretty(uphub.graphql('mutation { a: insertIntoVideos(objects: [{aid: 3001, bvid: "BV1CCCCCCCC1", mid: 101, title: "x"}]) { affectedCount }
	b: insertIntoVideos(objects: [{aid: 3001, bvid: "BV1CCCCCCCC2", mid: 101, title: "y"}]) { affectedCount } }'));
SELECT count(*) AS rolled_back FROM uphub.video WHERE aid = 3001;
-- Data the table refuses is the caller's input: BAD_USER_INPUT with the
-- SQLSTATE (23xxx constraints, 22xxx values), not an internal error.
SELECT uphub.graphql('mutation { updateVideos(set: {title: " "}, filter: {aid: {eq: 1011}}) { affectedCount } }');
SELECT uphub.graphql('mutation { insertIntoCreatorRevenueDailies(objects: [{mid: 101, day: "2024-01-01", elec: "1000000000000000"}]) { affectedCount } }');
SELECT uphub.graphql('mutation { insertIntoVideos(objects: [{aid: 3009, bvid: "BV1CCCCCCCC9", mid: 999999999, title: "x"}]) { affectedCount } }');
-- ... and an atMost failure in the third field undoes the first two.
SELECT uphub.graphql('mutation { a: insertIntoVideos(objects: [{aid: 3002, bvid: "BV1CCCCCCCC3", mid: 101, title: "x"}]) { affectedCount }
	b: updateCreators(set: {sign: "s"}, filter: {mid: {eq: 101}}) { affectedCount }
	c: deleteFromVideos(filter: {mid: {eq: 101}}) { affectedCount } }');
SELECT (SELECT count(*) FROM uphub.video WHERE aid = 3002) AS video_3002, (SELECT sign FROM uphub.creator WHERE mid = 101) AS sign_101;
-- Fields run in order, each seeing the ones before it.
SELECT uphub.graphql('mutation { a: insertIntoVideos(objects: [{aid: 3003, bvid: "BV1CCCCCCCC4", mid: 101, title: "x"}]) { affectedCount }
	b: updateVideos(set: {title: "seen"}, filter: {aid: {eq: 3003}}) { records { aid title } } }');

-- As callers: GRANTs, RLS and RBAC write permissions.
CREATE ROLE gqm_c101; CREATE ROLE gqm_m7; CREATE ROLE gqm_nobody;
SELECT uphub.add_principal('gqm_c101', 'gqm_c101', 101) > 0 AS added;
SELECT uphub.add_principal('gqm_m7', 'gqm_m7') > 0 AS added;
SELECT uphub.assign_role('gqm_c101', 'creator', 'creator', 101);
SELECT uphub.assign_role('gqm_m7', 'mcn_manager', 'mcn', 7);
-- Only what the role may write by GRANT: partition and mcn are read-only to PUBLIC.
SET LOCAL ROLE gqm_c101;
SELECT uphub.graphql('mutation { insertIntoPartitions(objects: [{tid: 9, name: "x"}]) { affectedCount } }') -> 'errors' -> 0 ->> 'message';
-- A creator writes its own videos...
SELECT uphub.graphql('mutation { insertIntoVideos(objects: [{aid: 4001, bvid: "BV1DDDDDDDD1", mid: 101, title: "mine"}]) { affectedCount records { aid } } }');
SELECT uphub.graphql('mutation { updateCreators(set: {sign: "hello"}, filter: {mid: {in: [101, 102, 103]}}, atMost: 3) { affectedCount records { mid sign } } }');
-- ... not another creator's: the new row violates the policy (FORBIDDEN, 42501),
SELECT jsonb_pretty(uphub.graphql('mutation { insertIntoVideos(objects: [{aid: 4002, bvid: "BV1DDDDDDDD2", mid: 103, title: "theirs"}]) { affectedCount } }'));
-- moving its video to another creator too, and rows it cannot see are not touched.
SELECT uphub.graphql('mutation { updateVideos(set: {mid: 103}, filter: {aid: {eq: 4001}}) { affectedCount } }') -> 'errors' -> 0 -> 'extensions';
SELECT uphub.graphql('mutation { deleteFromVideos(filter: {aid: {eq: 1031}}) { affectedCount } }');
RESET ROLE;
SELECT mid, sign FROM uphub.creator ORDER BY mid;
SELECT aid FROM uphub.video WHERE aid IN (1031, 4001, 4002) ORDER BY aid;
-- An MCN manager reads its creators but has no creator.write / video.write.
SET LOCAL ROLE gqm_m7;
SELECT uphub.graphql('{ videos { totalCount } }');
SELECT uphub.graphql('mutation { insertIntoVideos(objects: [{aid: 4003, bvid: "BV1DDDDDDDD3", mid: 102, title: "m7"}]) { affectedCount } }') -> 'errors' -> 0 -> 'extensions';
SELECT uphub.graphql('mutation { updateVideos(set: {title: "m7"}, filter: {mid: {eq: 102}}) { affectedCount } }');
RESET ROLE;
-- A role without table privileges has no mutation of that table; without any, no Mutation type.
CREATE SCHEMA gqm;
CREATE TABLE gqm.note (id integer PRIMARY KEY, body text, made integer GENERATED ALWAYS AS (id * 2) STORED);
GRANT USAGE ON SCHEMA gqm TO gqm_nobody;
GRANT SELECT ON gqm.note TO gqm_nobody;
SET LOCAL uphub.graphql_schemas = 'gqm';
SET LOCAL ROLE gqm_nobody;
SELECT uphub.graphql('mutation { deleteFromNotes { affectedCount } }');
RESET ROLE;
GRANT INSERT (id, body), DELETE ON gqm.note TO gqm_nobody;
SET LOCAL ROLE gqm_nobody;
SELECT jsonb_pretty(uphub.graphql('{ __type(name: "Mutation") { fields { name } } i: __type(name: "NoteInsertInput") { inputFields { name } } }'));
SELECT uphub.graphql('mutation { insertIntoNotes(objects: [{id: 1, body: "hi"}, {id: 2}]) { affectedCount records { id body made } } }');
SELECT uphub.graphql('mutation { deleteFromNotes(filter: {id: {eq: 2}}) { affectedCount records { id made } } }');
RESET ROLE;
ROLLBACK;
DELETE FROM uphub.audit_log WHERE pg_role LIKE 'gqm\_%';
