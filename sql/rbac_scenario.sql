-- RBAC scenario: real actors read and write every creator-owned table
-- through plain SQL; row-level security decides, in both directions of every
-- boundary. Everything runs in one transaction that is rolled back.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
BEGIN;
SET LOCAL timezone = 'Asia/Shanghai';

-- Partitions: anime(1) > mad(24) > mmd(25); music(3). MCNs 7 and 8.
INSERT INTO uphub.partition VALUES (1, NULL, 'anime'), (24, 1, 'mad'), (25, 24, 'mmd'), (3, NULL, 'music');
INSERT INTO uphub.mcn VALUES (7, 'mcn seven'), (8, 'mcn eight');
-- 101 mad/mcn7, 102 mmd/mcn7, 103 music/mcn8, 104 anime/no mcn, 105 music/no mcn
INSERT INTO uphub.creator (mid, name, main_tid, mcn_id) VALUES
	(101, 'c101', 24, 7), (102, 'c102', 25, 7), (103, 'c103', 3, 8), (104, 'c104', 1, NULL), (105, 'c105', 3, NULL);
INSERT INTO uphub.video (aid, bvid, mid, tid, title)
SELECT mid * 10, 'BV1' || lpad(translate(mid::text, '0', 'z'), 9, 'A'), mid, main_tid, 'v' || mid FROM uphub.creator;
INSERT INTO uphub.video_staff SELECT mid, aid, mid + 1000, 'UP主' FROM uphub.video;
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view) SELECT aid, '2024-01-01 12:00', mid, 1 FROM uphub.video;
INSERT INTO uphub.creator_snapshot (mid, observed_at, follower) SELECT mid, '2024-01-01 12:00', 1 FROM uphub.creator;
INSERT INTO uphub.creator_revenue_daily (mid, day, elec) SELECT mid, '2024-01-01', 1 FROM uphub.creator;
INSERT INTO uphub.video_daily (mid, aid, day) SELECT mid, aid, '2024-01-01' FROM uphub.video;
INSERT INTO uphub.creator_daily (mid, day) SELECT mid, '2024-01-01' FROM uphub.creator;
INSERT INTO uphub.creator_summary (mid) SELECT mid FROM uphub.creator;
INSERT INTO uphub.partition_daily (tid, day) SELECT tid, '2024-01-01' FROM uphub.partition;
INSERT INTO uphub.mcn_daily (mcn_id, day) SELECT mcn_id, '2024-01-01' FROM uphub.mcn;

-- Actors.
CREATE ROLE rbs_admin; CREATE ROLE rbs_op; CREATE ROLE rbs_analyst; CREATE ROLE rbs_m7;
CREATE ROLE rbs_m8; CREATE ROLE rbs_c101; CREATE ROLE rbs_c105; CREATE ROLE rbs_ingest; CREATE ROLE rbs_nobody;
SELECT uphub.add_principal('admin', 'rbs_admin') > 0 AS added;
SELECT uphub.assign_role('admin', 'platform_admin');
SELECT uphub.add_principal(n, r, m) > 0 AS added FROM (VALUES
	('op', 'rbs_op', NULL), ('analyst', 'rbs_analyst', NULL), ('m7', 'rbs_m7', NULL), ('m8', 'rbs_m8', NULL),
	('c101', 'rbs_c101', 101), ('c105', 'rbs_c105', 105), ('ingest', 'rbs_ingest', NULL)) v(n, r, m);
SELECT uphub.assign_role('op', 'category_operator', 'partition', 24);
SELECT uphub.assign_role('analyst', 'analyst');
SELECT uphub.assign_role('m7', 'mcn_manager', 'mcn', 7);
SELECT uphub.assign_role('m8', 'mcn_manager', 'mcn', 8);
SELECT uphub.assign_role('c101', 'creator', 'creator', 101);
SELECT uphub.assign_role('c105', 'creator', 'creator', 105);
SELECT uphub.assign_role('ingest', 'ingest');

-- What each actor sees: the mids (tids, mcn ids) of every table, through RLS.
CREATE FUNCTION pg_temp.seen() RETURNS TABLE (tab text, ids bigint[]) LANGUAGE sql AS $$
	SELECT 'creator', array_agg(mid ORDER BY mid) FROM uphub.creator
	UNION ALL SELECT 'video', array_agg(mid ORDER BY mid) FROM uphub.video
	UNION ALL SELECT 'video_staff', array_agg(mid ORDER BY mid) FROM uphub.video_staff
	UNION ALL SELECT 'video_snapshot', array_agg(mid ORDER BY mid) FROM uphub.video_snapshot
	UNION ALL SELECT 'creator_snapshot', array_agg(mid ORDER BY mid) FROM uphub.creator_snapshot
	UNION ALL SELECT 'creator_revenue_daily', array_agg(mid ORDER BY mid) FROM uphub.creator_revenue_daily
	UNION ALL SELECT 'video_daily', array_agg(mid ORDER BY mid) FROM uphub.video_daily
	UNION ALL SELECT 'creator_daily', array_agg(mid ORDER BY mid) FROM uphub.creator_daily
	UNION ALL SELECT 'creator_summary', array_agg(mid ORDER BY mid) FROM uphub.creator_summary
	UNION ALL SELECT 'partition_daily', array_agg(tid ORDER BY tid) FROM uphub.partition_daily
	UNION ALL SELECT 'mcn_daily', array_agg(mcn_id ORDER BY mcn_id) FROM uphub.mcn_daily
$$;
-- What each actor may change: rows an UPDATE touches in every creator-owned
-- table (RLS filters silently), and whether an INSERT for creator 101 passes.
CREATE FUNCTION pg_temp.try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
	EXECUTE stmt;
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n::text;
EXCEPTION WHEN others THEN
	RETURN SQLSTATE || ' ' || SQLERRM;
END;
$$;
CREATE FUNCTION pg_temp.writes() RETURNS TABLE (tab text, updated text) LANGUAGE sql AS $$
	SELECT 'creator', pg_temp.try('UPDATE uphub.creator SET sign = ''s'' WHERE mid IN (101, 103, 105)')
	UNION ALL SELECT 'video', pg_temp.try('UPDATE uphub.video SET duration = 1 WHERE mid IN (101, 103, 105)')
	UNION ALL SELECT 'video_staff', pg_temp.try('UPDATE uphub.video_staff SET title = ''t'' WHERE mid IN (101, 103, 105)')
	UNION ALL SELECT 'video_snapshot', pg_temp.try('UPDATE uphub.video_snapshot SET view = 2 WHERE mid IN (101, 103, 105)')
	UNION ALL SELECT 'creator_snapshot', pg_temp.try('UPDATE uphub.creator_snapshot SET follower = 2 WHERE mid IN (101, 103, 105)')
	UNION ALL SELECT 'creator_revenue_daily', pg_temp.try('UPDATE uphub.creator_revenue_daily SET elec = 2 WHERE mid IN (101, 103, 105)')
	UNION ALL SELECT 'video_daily', pg_temp.try('UPDATE uphub.video_daily SET views = 2 WHERE mid IN (101, 103, 105)')
	UNION ALL SELECT 'creator_daily', pg_temp.try('UPDATE uphub.creator_daily SET views = 2 WHERE mid IN (101, 103, 105)')
	UNION ALL SELECT 'creator_summary', pg_temp.try('UPDATE uphub.creator_summary SET views_7d = 2 WHERE mid IN (101, 103, 105)')
	UNION ALL SELECT 'partition_daily', pg_temp.try('UPDATE uphub.partition_daily SET views = 2')
	UNION ALL SELECT 'mcn_daily', pg_temp.try('UPDATE uphub.mcn_daily SET views = 2')
	UNION ALL SELECT 'insert creator_snapshot 101', pg_temp.try('INSERT INTO uphub.creator_snapshot (mid, observed_at) VALUES (101, ''2024-01-02'')')
	UNION ALL SELECT 'insert creator_snapshot 103', pg_temp.try('INSERT INTO uphub.creator_snapshot (mid, observed_at) VALUES (103, ''2024-01-02'')')
	UNION ALL SELECT 'move video 101 to 103', pg_temp.try('UPDATE uphub.video SET mid = 103 WHERE aid = 1010')
$$;

-- Platform admin: everything.
SET ROLE rbs_admin;
SELECT uphub.current_principal();
SELECT * FROM pg_temp.seen();
SAVEPOINT s; SELECT * FROM pg_temp.writes(); ROLLBACK TO SAVEPOINT s;
RESET ROLE;

-- Category operator of mad (24): mad and its sub-partition mmd (25), not
-- the parent anime (1) nor music (3). Reads and writes creators and videos,
-- reads numbers, no revenue, writes no numbers.
SET ROLE rbs_op;
SELECT * FROM pg_temp.seen();
SAVEPOINT s; SELECT * FROM pg_temp.writes(); ROLLBACK TO SAVEPOINT s;
RESET ROLE;

-- Analyst: every public number, no revenue, no writes.
SET ROLE rbs_analyst;
SELECT * FROM pg_temp.seen();
SAVEPOINT s; SELECT * FROM pg_temp.writes(); ROLLBACK TO SAVEPOINT s;
RESET ROLE;

-- Two MCN managers: each its own creators (and revenue, and its mcn_daily), nothing else.
SET ROLE rbs_m7;
SELECT * FROM pg_temp.seen();
SAVEPOINT s; SELECT * FROM pg_temp.writes(); ROLLBACK TO SAVEPOINT s;
RESET ROLE;
SET ROLE rbs_m8;
SELECT * FROM pg_temp.seen();
RESET ROLE;

-- Creators: in an MCN (101) and not (105): their own rows only.
SET ROLE rbs_c101;
SELECT * FROM pg_temp.seen();
SAVEPOINT s; SELECT * FROM pg_temp.writes(); ROLLBACK TO SAVEPOINT s;
RESET ROLE;
SET ROLE rbs_c105;
SELECT * FROM pg_temp.seen();
RESET ROLE;

-- Ingest service: reads and writes everything (aggregates too: stats.write).
SET ROLE rbs_ingest;
SELECT * FROM pg_temp.seen();
SAVEPOINT s; SELECT * FROM pg_temp.writes(); ROLLBACK TO SAVEPOINT s;
RESET ROLE;

-- A role without principal sees nothing and writes nothing.
SET ROLE rbs_nobody;
SELECT uphub.current_principal(), uphub.visible_creators('video.read'), uphub.check_access('video.read', 101);
SELECT * FROM pg_temp.seen();
SAVEPOINT s; SELECT * FROM pg_temp.writes(); ROLLBACK TO SAVEPOINT s;
RESET ROLE;

-- Scope decisions directly.
SET ROLE rbs_op;
SELECT mid, uphub.check_access('creator.write', mid) AS write, uphub.check_access('revenue.read', mid) AS revenue
FROM uphub.creator ORDER BY mid;
SELECT uphub.visible_partitions('stats.read'), uphub.visible_mcns('stats.read'), uphub.check_access('stats.read');
RESET ROLE;
SET ROLE rbs_m7;
SELECT uphub.visible_creators('revenue.read'), uphub.visible_mcns('stats.read'), uphub.visible_from('stats.read');
RESET ROLE;
SET ROLE rbs_analyst;
SELECT uphub.visible_creators('stats.read'), uphub.visible_from('stats.read'), uphub.visible_creators('revenue.read');
RESET ROLE;

-- A creator that moves into MCN 7 becomes visible to its manager at once.
SET ROLE rbs_m7;
SELECT uphub.check_access('stats.read', 104) AS before_move;
RESET ROLE;
UPDATE uphub.creator SET mcn_id = 7 WHERE mid = 104;
SET ROLE rbs_m7;
SELECT uphub.check_access('stats.read', 104) AS after_move, uphub.visible_creators('stats.read');
RESET ROLE;

-- Every creator-owned table has RLS enabled and forced, with a policy per command.
SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
	   array_agg(p.polcmd ORDER BY p.polcmd) AS commands
FROM pg_class c LEFT JOIN pg_policy p ON p.polrelid = c.oid
WHERE c.relnamespace = 'uphub'::regnamespace AND c.relname IN ('creator', 'video', 'video_staff',
	'video_snapshot', 'creator_snapshot', 'creator_revenue_daily', 'video_daily', 'creator_daily',
	'creator_summary', 'partition_daily', 'mcn_daily', 'audit_log')
GROUP BY 1, 2, 3 ORDER BY 1;

-- The visible set is computed once per statement (InitPlans), and mid can
-- drive an index scan (a BitmapOr of the two arms of the policy).
SET ROLE rbs_m7;
SET LOCAL enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM uphub.creator_daily;
EXPLAIN (COSTS OFF) SELECT * FROM uphub.video WHERE mid = 101;
RESET enable_seqscan;
RESET ROLE;

ROLLBACK;
-- Denials are written by their own transaction; remove this file's.
DELETE FROM uphub.audit_log WHERE pg_role LIKE 'rbs\_%';
