-- Hand-built edge cases of the daily interpolation (Asia/Shanghai days),
-- each checked row by row and against the from-scratch oracle.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
\set ECHO none
\i test/sql/agg_oracle.sql
\set ECHO all
BEGIN;
SET LOCAL timezone = 'Asia/Shanghai';
INSERT INTO uphub.partition VALUES (9101, NULL, 'edge'), (9102, NULL, 'edge2');
INSERT INTO uphub.mcn VALUES (9101, 'edge mcn');
INSERT INTO uphub.creator (mid, name, main_tid, mcn_id, updated_at)
VALUES (910001, 'edge', 9101, 9101, '2024-01-01 00:00+08');
INSERT INTO uphub.video (aid, bvid, mid, tid, title, pubdate, updated_at)
SELECT 910000 + j, 'BV1' || translate(lpad((910000 + j)::text, 9, '0'), '0123456789', 'abcdefghij'),
	910001, 9101, 'edge ' || j, '2024-03-01 10:00+08', '2024-03-01 10:00+08'
FROM generate_series(1, 8) j;

-- 1: a snapshot exactly at midnight, and one 1 second before the next.
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view) VALUES
	(910001, '2024-03-01 12:00+08', 910001, 100),
	(910001, '2024-03-02 00:00+08', 910001, 160),
	(910001, '2024-03-02 23:59:59+08', 910001, 161);
-- 2: one interval over many days: 1000 views in 10 days, spread evenly.
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view) VALUES
	(910002, '2024-03-01 08:00+08', 910001, 0),
	(910002, '2024-03-11 08:00+08', 910001, 1000);
-- 3: a counter going down (unlikes), and a rounding split 1/3 : 2/3.
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view, "like") VALUES
	(910003, '2024-03-01 16:00+08', 910001, 10, 50),
	(910003, '2024-03-02 08:00+08', 910001, 11, 40);
-- 4: a single snapshot: nothing to interpolate.
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view) VALUES
	(910004, '2024-03-05 12:00+08', 910001, 999);
-- 5: a hidden value in the middle is skipped, not zero.
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view, coin) VALUES
	(910005, '2024-03-01 12:00+08', 910001, 100, 10),
	(910005, '2024-03-02 12:00+08', 910001, NULL, 20),
	(910005, '2024-03-03 12:00+08', 910001, 300, 30);
-- 6: Asia/Shanghai boundaries: 23:30 and 00:30 local are one hour apart
--    but on two days (15:30 and 16:30 UTC).
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view) VALUES
	(910006, '2024-03-01 15:30+00', 910001, 0),
	(910006, '2024-03-01 16:30+00', 910001, 2);
-- 7: a video that will be deleted.
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view) VALUES
	(910007, '2024-03-01 12:00+08', 910001, 0),
	(910007, '2024-03-03 12:00+08', 910001, 40);
-- Followers: up, down.
INSERT INTO uphub.creator_snapshot (mid, observed_at, follower) VALUES
	(910001, '2024-03-01 12:00+08', 1000),
	(910001, '2024-03-02 12:00+08', 1100),
	(910001, '2024-03-03 00:00+08', 1040);

SELECT uphub.refresh_aggregates() AS applied;
-- The batch plans through indexes (enable_seqscan off for its statements);
-- the caller's transaction keeps its own setting.
SHOW enable_seqscan;
SELECT aid, day, views, likes, coins FROM uphub.video_daily WHERE mid = 910001 ORDER BY aid, day;
SELECT day, views, likes, coins, fans_delta, follower_eod, videos_published
FROM uphub.creator_daily WHERE mid = 910001 ORDER BY day;
SELECT * FROM pg_temp.agg_oracle_diff();

-- Re-ingesting the same snapshots changes nothing, not even a row version:
-- days recomputed equal to their stored rows are left in place (the
-- update below is logged, and its range is every day of the video).
CREATE TEMP TABLE edge_version AS
SELECT aid, day, ctid AS version FROM uphub.video_daily WHERE aid IN (910001, 910002);
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view)
VALUES (910001, '2024-03-02 00:00+08', 910001, 160) ON CONFLICT DO NOTHING;
UPDATE uphub.video_snapshot SET view = view WHERE aid = 910002;
SELECT uphub.refresh_aggregates() AS applied;
SELECT aid, day, views FROM uphub.video_daily WHERE aid = 910002 ORDER BY day;
SELECT count(*) AS days, count(*) FILTER (WHERE v.ctid <> e.version) AS rewritten
FROM uphub.video_daily v JOIN edge_version e USING (aid, day);

-- A late snapshot between two others changes the days of that interval only.
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view)
VALUES (910002, '2024-03-04 08:00+08', 910001, 100);
SELECT uphub.refresh_aggregates() AS applied;
SELECT aid, day, views FROM uphub.video_daily WHERE aid = 910002 ORDER BY day;

-- A rolled-back insert leaves nothing in the log.
SAVEPOINT s;
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view)
VALUES (910004, '2024-03-06 12:00+08', 910001, 5000);
SELECT count(*) AS logged FROM uphub.agg_change WHERE key = 910004;
ROLLBACK TO SAVEPOINT s;
SELECT count(*) AS logged FROM uphub.agg_change WHERE key = 910004;

-- The video is deleted (its snapshots first, as the foreign key wants).
DELETE FROM uphub.video_snapshot WHERE aid = 910007;
DELETE FROM uphub.video WHERE aid = 910007;
-- A video moves partition on 2024-03-02: earlier days stay where they were.
UPDATE uphub.video SET tid = 9102, updated_at = '2024-03-02 09:00+08' WHERE aid = 910005;
SELECT uphub.refresh_aggregates() > 0 AS applied;
SELECT tid, day, views, coins, videos_published, creators FROM uphub.partition_daily
WHERE tid IN (9101, 9102) ORDER BY tid, day;
SELECT * FROM pg_temp.agg_oracle_diff();

-- A video in a third partition gains its first days on creator days that
-- already exist: those days are not recomputed, the difference adds the
-- creator to that partition's days (and nothing else changes).
INSERT INTO uphub.partition VALUES (9103, NULL, 'edge3');
INSERT INTO uphub.video (aid, bvid, mid, tid, title, pubdate, updated_at)
VALUES (910009, 'BV1aaajbaaaj', 910001, 9103, 'edge 9', '2024-02-20 10:00+08', '2024-02-20 10:00+08');
SELECT uphub.refresh_aggregates() > 0 AS applied;
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view) VALUES
	(910009, '2024-03-02 06:00+08', 910001, 10),
	(910009, '2024-03-03 06:00+08', 910001, 34);
SELECT uphub.refresh_aggregates() AS applied;
SELECT tid, day, views, creators FROM uphub.partition_daily WHERE tid = 9103 ORDER BY day;
SELECT day, views FROM uphub.mcn_daily WHERE mcn_id = 9101 AND day BETWEEN '2024-03-02' AND '2024-03-03' ORDER BY day;
SELECT * FROM pg_temp.agg_oracle_diff();

-- Publishes are counted, not recomputed: a video published on a creator
-- day that exists sets its count (creator, partition in force, agency) and
-- the day's other numbers stay as they are; no creator_daily row is
-- deleted and rewritten. A partition that only has the publish gains a
-- contribution row (a creator), which goes when the publish moves away.
-- A publish on a day with no row (nothing else that day) makes the row.
INSERT INTO uphub.partition VALUES (9104, NULL, 'edge4');
CREATE TEMP TABLE edge_del AS
SELECT n_tup_del FROM pg_stat_xact_user_tables WHERE relid = 'uphub.creator_daily'::regclass;
INSERT INTO uphub.video (aid, bvid, mid, tid, title, pubdate, updated_at) VALUES
	(910010, 'BV1aaajbaaba', 910001, 9102, 'edge 10', '2024-03-02 20:00+08', '2024-03-02 20:00+08'),
	(910011, 'BV1aaajbaabb', 910001, 9104, 'edge 11', '2024-03-03 09:00+08', '2024-03-03 09:00+08');
SELECT uphub.refresh_aggregates() > 0 AS applied;
SELECT s.n_tup_del - e.n_tup_del AS creator_days_deleted
FROM pg_stat_xact_user_tables s, edge_del e WHERE s.relid = 'uphub.creator_daily'::regclass;
SELECT day, views, videos_published FROM uphub.creator_daily
WHERE mid = 910001 AND day BETWEEN '2024-03-02' AND '2024-03-04' ORDER BY day;
SELECT tid, day, views, videos_published, creators FROM uphub.partition_daily
WHERE tid IN (9102, 9104) AND day BETWEEN '2024-03-02' AND '2024-03-04' ORDER BY tid, day;
SELECT day, videos_published FROM uphub.mcn_daily
WHERE mcn_id = 9101 AND day BETWEEN '2024-03-02' AND '2024-03-04' ORDER BY day;
SELECT * FROM pg_temp.agg_oracle_diff();
-- A publish's log row applied once more (as when the insert committed
-- after a batch's claim but before its count: that batch counted the
-- video, the next applies its row) changes no count: the counts come
-- from the data, not +1 per row.
INSERT INTO uphub.agg_change (kind, key, mid, t_lo, t_hi)
SELECT 'p', aid, mid, pubdate, pubdate FROM uphub.video WHERE aid IN (910010, 910011);
SELECT uphub.refresh_aggregates() AS applied;
SELECT day, videos_published FROM uphub.creator_daily
WHERE mid = 910001 AND day BETWEEN '2024-03-02' AND '2024-03-03' ORDER BY day;
SELECT * FROM pg_temp.agg_oracle_diff();
-- The publish moves a day on, and another one to a day with nothing else.
-- The day it left has no publish any more: that day is recomputed (its
-- row might have to go; here its video days keep it), the one deletion.
UPDATE uphub.video SET pubdate = '2024-03-04 09:00+08' WHERE aid = 910011;
INSERT INTO uphub.video (aid, bvid, mid, tid, title, pubdate, updated_at)
VALUES (910012, 'BV1aaajbaabc', 910001, 9101, 'edge 12', '2024-04-01 09:00+08', '2024-04-01 09:00+08');
SELECT uphub.refresh_aggregates() > 0 AS applied;
SELECT s.n_tup_del - e.n_tup_del AS creator_days_deleted
FROM pg_stat_xact_user_tables s, edge_del e WHERE s.relid = 'uphub.creator_daily'::regclass;
SELECT tid, day, videos_published, creators FROM uphub.partition_daily
WHERE tid = 9104 ORDER BY day;
SELECT day, views, videos_published FROM uphub.creator_daily
WHERE mid = 910001 AND day IN ('2024-03-03', '2024-03-04', '2024-04-01') ORDER BY day;
SELECT * FROM pg_temp.agg_oracle_diff();
DELETE FROM uphub.video WHERE aid IN (910010, 910011, 910012);
SELECT uphub.refresh_aggregates() > 0 AS applied;
SELECT * FROM pg_temp.agg_oracle_diff();

-- Monthly partitions: rows waiting in the default partition move into a
-- new one without any change to the aggregates or the log.
SELECT count(*) AS in_default FROM uphub.video_snapshot_default WHERE aid BETWEEN 910001 AND 910008;
SELECT uphub.ensure_snapshot_partitions('2024-03-01 00:00+08', '2024-03-31 00:00+08') AS created;
SELECT count(*) AS in_default FROM uphub.video_snapshot_default WHERE aid BETWEEN 910001 AND 910008;
SELECT count(*) AS logged FROM uphub.agg_change WHERE key BETWEEN 910001 AND 910008;
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view)
VALUES (910004, '2024-03-07 12:00+08', 910001, 1023);
SELECT uphub.refresh_aggregates() AS applied;
SELECT aid, day, views FROM uphub.video_daily WHERE aid = 910004 ORDER BY day;
SELECT * FROM pg_temp.agg_oracle_diff();
-- A late follower count inside follower days that exist: the creator days
-- get the difference (followers gained, end-of-day count) without a
-- recompute, and so do the main partition's and the agency's days.
INSERT INTO uphub.creator_snapshot (mid, observed_at, follower)
VALUES (910001, '2024-03-01 18:00+08', 1300);
SELECT uphub.refresh_aggregates() AS applied;
SELECT day, fans_delta, follower_eod FROM uphub.creator_daily
WHERE mid = 910001 AND day BETWEEN '2024-03-01' AND '2024-03-03' ORDER BY day;
SELECT day, fans_delta FROM uphub.partition_daily
WHERE tid = 9101 AND day BETWEEN '2024-03-01' AND '2024-03-03' ORDER BY day;
SELECT day, fans_delta FROM uphub.mcn_daily
WHERE mcn_id = 9101 AND day BETWEEN '2024-03-01' AND '2024-03-03' ORDER BY day;
SELECT * FROM pg_temp.agg_oracle_diff();

-- A batch claims whole entities, oldest first: with changes of videos
-- 1, 2, 1, 3, 1 logged, a batch of 3 takes the three of video 1 (its days
-- recomputed once) and leaves 2 and 3. When the oldest entity alone has
-- more than a batch, the batch takes its oldest changes.
SELECT uphub.refresh_aggregates() >= 0 AS emptied;
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view) VALUES (910001, '2024-04-01 12:00+08', 910001, 200);
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view) VALUES (910002, '2024-04-01 12:00+08', 910001, 1100);
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view) VALUES (910001, '2024-04-02 12:00+08', 910001, 230);
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view) VALUES (910003, '2024-04-01 12:00+08', 910001, 20);
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view) VALUES (910001, '2024-04-03 12:00+08', 910001, 250);
SELECT uphub._agg_refresh_batch(3, (SELECT max(id) FROM uphub.agg_change)) AS applied;
SELECT kind, key FROM uphub.agg_change ORDER BY id;
SELECT uphub.refresh_aggregates() AS applied;
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view) VALUES (910001, '2024-04-04 12:00+08', 910001, 260);
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view) VALUES (910001, '2024-04-05 12:00+08', 910001, 270);
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view) VALUES (910001, '2024-04-06 12:00+08', 910001, 290);
SELECT uphub._agg_refresh_batch(2, (SELECT max(id) FROM uphub.agg_change)) AS applied;
SELECT kind, key, t_lo FROM uphub.agg_change ORDER BY id;
SELECT uphub.refresh_aggregates() AS applied;
SELECT aid, day, views FROM uphub.video_daily WHERE aid = 910001 AND day >= '2024-04-01' ORDER BY day;
SELECT * FROM pg_temp.agg_oracle_diff();
-- aggregate_lag(): the age of the oldest pending change (the oldest logged,
-- not the lowest id), 0 once applied.
SELECT uphub.refresh_aggregates() >= 0 AS emptied, uphub.aggregate_lag() AS lag;
INSERT INTO uphub.agg_change (kind, key, mid, t_lo, t_hi, logged_at) VALUES
	('s', 910001, 910001, now(), now(), now() - interval '1 hour'),
	('s', 910001, 910001, now(), now(), now() - interval '2 hours');
SELECT uphub.aggregate_lag() AS lag;
SELECT uphub.refresh_aggregates() AS applied;
SELECT uphub.aggregate_lag() AS lag;
-- _agg_video_range(): the day range and snapshots of a change from a window
-- of snapshots. (1) complete snapshots around it: days from the one before
-- lo to the one after hi, snapshots from the last complete one at or before
-- the first day's start to the first complete one at or after the last
-- day's end; (2) nothing complete after it: to the last snapshot, phi
-- infinite; (3) no complete snapshot before lo, (4) none at or before the
-- first day's start in the window: NULLs (the caller asks the table).
SELECT * FROM uphub._agg_video_range(
	ARRAY['2024-05-01 12:00+08', '2024-05-02 12:00+08', '2024-05-03 12:00+08', '2024-05-04 12:00+08',
		  '2024-05-05 12:00+08']::timestamptz[], ARRAY[true, true, false, true, true],
	'2024-05-03 12:00+08', '2024-05-03 12:00+08');
SELECT * FROM uphub._agg_video_range(
	ARRAY['2024-05-01 12:00+08', '2024-05-02 12:00+08', '2024-05-03 12:00+08', '2024-05-04 12:00+08']::timestamptz[],
	ARRAY[true, true, true, false], '2024-05-03 12:00+08', '2024-05-03 12:00+08');
SELECT * FROM uphub._agg_video_range(
	ARRAY['2024-05-02 12:00+08', '2024-05-03 12:00+08']::timestamptz[], ARRAY[false, true],
	'2024-05-03 12:00+08', '2024-05-03 12:00+08');
SELECT * FROM uphub._agg_video_range(
	ARRAY['2024-05-02 12:00+08', '2024-05-03 12:00+08']::timestamptz[], ARRAY[true, true],
	'2024-05-03 12:00+08', '2024-05-03 12:00+08');
SAVEPOINT r;
SELECT * FROM uphub._agg_video_range(
	ARRAY['2024-05-03 12:00+08', '2024-05-02 12:00+08']::timestamptz[], ARRAY[true, true],
	'2024-05-03 12:00+08', '2024-05-03 12:00+08');
ROLLBACK TO SAVEPOINT r;
ROLLBACK;
