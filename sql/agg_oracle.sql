-- The refresh against a from-scratch recomputation (test/sql/agg_oracle.sql)
-- over a generated data set: late, out-of-order, duplicated, hidden, updated
-- and deleted snapshots, decreasing counters, partition and agency moves,
-- and data in the last 30 days so the summary windows and ranks are non-trivial.
-- Everything runs in one transaction that is rolled back; the worker cannot
-- see it, and refresh_aggregates() holds the refresh lock until the end.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
\set ECHO none
\i test/sql/agg_oracle.sql
\set ECHO all
BEGIN;
SELECT setseed(0.42);
INSERT INTO uphub.partition VALUES (9001, NULL, 'p1'), (9002, 9001, 'p2'), (9003, NULL, 'p3');
INSERT INTO uphub.mcn VALUES (9001, 'm1'), (9002, 'm2');
INSERT INTO uphub.creator (mid, name, main_tid, mcn_id, updated_at)
SELECT 900000 + i, 'c' || i, CASE WHEN i % 5 = 0 THEN NULL ELSE 9001 + i % 3 END,
	CASE WHEN i % 4 = 0 THEN NULL ELSE 9001 + i % 2 END, now() - interval '60 days'
FROM generate_series(1, 20) i;
INSERT INTO uphub.video (aid, bvid, mid, tid, title, pubdate, updated_at)
SELECT 800000 + j, 'BV1' || translate(lpad(j::text, 9, '0'), '0123456789', 'abcdefghij'),
	900001 + j % 20, 9001 + j % 3, 'v' || j,
	CASE WHEN j % 7 = 0 THEN NULL
		 WHEN j % 2 = 0 THEN '2024-03-01 00:00+08'::timestamptz + (j % 10) * interval '1 day 3 hours'
		 ELSE date_trunc('day', now()) - (j % 35) * interval '1 day' + interval '5 hours' END,
	now() - interval '60 days'
FROM generate_series(1, 60) j;

-- Cumulative counters: a random walk upwards with occasional decreases and
-- hidden values, at random times; inserted in random order.
CREATE TEMP TABLE gen AS
SELECT v.aid, v.mid, s.n,
	CASE WHEN v.aid % 2 = 0 THEN '2024-03-01 00:00+08'::timestamptz
		 ELSE date_trunc('day', now()) - interval '36 days' END
	+ (s.n * interval '19 hours') + (random() * interval '10 hours') AS observed_at,
	random() AS r
FROM uphub.video v, generate_series(0, 40) s(n);
CREATE TEMP TABLE gen_rows AS
SELECT aid, mid, observed_at, n,
	CASE WHEN r < 0.05 THEN NULL ELSE 100 * n + (r * 50)::int END AS view,
	(10 * n + (r * 30)::int) AS danmaku, CASE WHEN r > 0.97 THEN NULL ELSE 3 * n END AS reply,
	(2 * n + (r * 9)::int) AS favorite, n AS coin, (n / 3) AS share,
	CASE WHEN n % 9 = 4 THEN 5 * n - 7 ELSE 5 * n END AS "like"
FROM gen WHERE observed_at <= now();

-- Phase 1: most snapshots, out of order, in a few statements.
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view, danmaku, reply, favorite, coin, share, "like")
SELECT aid, observed_at, mid, view, danmaku, reply, favorite, coin, share, "like"
FROM gen_rows WHERE n % 4 <> 1 ORDER BY random();
INSERT INTO uphub.creator_snapshot (mid, observed_at, follower)
SELECT 900000 + i, date_trunc('day', now()) - interval '40 days' + k * interval '31 hours',
	CASE WHEN k = 7 THEN NULL ELSE 1000 * i + 37 * k - (k % 5) * 20 END
FROM generate_series(1, 20) i, generate_series(0, 30) k WHERE k % 3 <> 2;
SELECT uphub.refresh_aggregates() > 0 AS applied;
SELECT * FROM pg_temp.agg_oracle_diff();

-- Phase 2: late snapshots between existing ones, duplicates, updates, deletes.
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view, danmaku, reply, favorite, coin, share, "like")
SELECT aid, observed_at, mid, view, danmaku, reply, favorite, coin, share, "like"
FROM gen_rows WHERE n % 4 = 1 ORDER BY random();
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view, danmaku, reply, favorite, coin, share, "like")
SELECT aid, observed_at, mid, view, danmaku, reply, favorite, coin, share, "like"
FROM gen_rows WHERE n % 6 = 0
ON CONFLICT DO NOTHING;
INSERT INTO uphub.creator_snapshot (mid, observed_at, follower)
SELECT 900000 + i, date_trunc('day', now()) - interval '40 days' + k * interval '31 hours', 1000 * i + 30 * k
FROM generate_series(1, 20) i, generate_series(0, 30) k WHERE k % 3 = 2;
UPDATE uphub.video_snapshot SET view = view + 1000 WHERE aid % 9 = 0 AND observed_at < now() - interval '20 days'
	AND view IS NOT NULL AND aid BETWEEN 800000 AND 800060;
DELETE FROM uphub.video_snapshot WHERE aid BETWEEN 800000 AND 800060 AND aid % 11 = 3
	AND observed_at BETWEEN '2024-03-05' AND '2024-03-09';
DELETE FROM uphub.creator_snapshot WHERE mid = 900003 AND observed_at < now() - interval '30 days';
SELECT uphub.refresh_aggregates() > 0 AS applied;
SELECT * FROM pg_temp.agg_oracle_diff();

-- Phase 3: dimension changes. A video moves partition, creators change
-- agency and main partition, a video is published, one is deleted.
UPDATE uphub.video SET tid = 9003, updated_at = now() - interval '10 days' WHERE aid = 800005;
UPDATE uphub.video SET tid = 9001 WHERE aid = 800010;
UPDATE uphub.creator SET mcn_id = 9002, updated_at = now() - interval '12 days' WHERE mid = 900001;
UPDATE uphub.creator SET main_tid = 9003, updated_at = now() - interval '15 days' WHERE mid = 900002;
UPDATE uphub.creator SET main_tid = NULL, mcn_id = NULL WHERE mid = 900007;
UPDATE uphub.video SET pubdate = now() - interval '2 days' WHERE aid = 800007;
DELETE FROM uphub.video_snapshot WHERE aid = 800013;
DELETE FROM uphub.video WHERE aid = 800013;
SELECT uphub.refresh_aggregates() > 0 AS applied;
SELECT * FROM pg_temp.agg_oracle_diff();
-- Nothing left to do.
SELECT uphub.refresh_aggregates() AS applied, uphub.aggregate_lag() AS lag;

-- Conservation: each video's daily views add up to last - first.
SELECT count(*) AS videos_not_conserved FROM (
	SELECT s.aid FROM uphub.video_snapshot s WHERE s.view IS NOT NULL
	GROUP BY s.aid
	HAVING (array_agg(view ORDER BY observed_at DESC))[1] - (array_agg(view ORDER BY observed_at))[1]
		<> coalesce((SELECT sum(views) FROM uphub.video_daily d WHERE d.aid = s.aid), 0)) x;
ROLLBACK;
