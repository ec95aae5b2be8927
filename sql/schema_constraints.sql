-- Every table rejects impossible rows with the right SQLSTATE and names the
-- constraint that caught them.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
BEGIN;
SET LOCAL timezone = 'Asia/Shanghai';
SET LOCAL datestyle = 'ISO, YMD';

CREATE FUNCTION pg_temp.try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE stmt;
	RETURN 'ok';
EXCEPTION WHEN others THEN
	RETURN SQLSTATE || ' ' || SQLERRM;
END;
$$;

-- partition
SELECT pg_temp.try($$INSERT INTO uphub.partition VALUES (1, NULL, '动画')$$);
SELECT pg_temp.try($$INSERT INTO uphub.partition VALUES (24, 1, 'MAD·AMV')$$);
SELECT pg_temp.try($$INSERT INTO uphub.partition VALUES (0, NULL, 'zero')$$);
SELECT pg_temp.try($$INSERT INTO uphub.partition VALUES (2, NULL, '  ')$$);
SELECT pg_temp.try($$INSERT INTO uphub.partition VALUES (3, 3, 'self')$$);
SELECT pg_temp.try($$INSERT INTO uphub.partition VALUES (4, 99, 'orphan')$$);
SELECT pg_temp.try($$UPDATE uphub.partition SET parent_tid = 24 WHERE tid = 1$$);
SELECT pg_temp.try($$INSERT INTO uphub.partition VALUES (1, NULL, 'dup')$$);

-- mcn
SELECT pg_temp.try($$INSERT INTO uphub.mcn VALUES (7, '无限动力')$$);
SELECT pg_temp.try($$INSERT INTO uphub.mcn VALUES (-1, 'negative')$$);
SELECT pg_temp.try($$INSERT INTO uphub.mcn VALUES (8, '')$$);

-- creator
SELECT pg_temp.try($$INSERT INTO uphub.creator (mid, name, main_tid, mcn_id, level, sex)
                     VALUES (1000000000000001, '老番茄', 24, 7, 6, '男')$$);
SELECT pg_temp.try($$INSERT INTO uphub.creator (mid, name) VALUES (0, 'zero')$$);
SELECT pg_temp.try($$INSERT INTO uphub.creator (mid, name) VALUES (2, '')$$);
SELECT pg_temp.try($$INSERT INTO uphub.creator (mid, name) VALUES (2, NULL)$$);
SELECT pg_temp.try($$INSERT INTO uphub.creator (mid, name, level) VALUES (2, 'x', 7)$$);
SELECT pg_temp.try($$INSERT INTO uphub.creator (mid, name, sex) VALUES (2, 'x', 'robot')$$);
SELECT pg_temp.try($$INSERT INTO uphub.creator (mid, name, main_tid) VALUES (2, 'x', 12345)$$);
SELECT pg_temp.try($$INSERT INTO uphub.creator (mid, name, mcn_id) VALUES (2, 'x', 12345)$$);
SELECT pg_temp.try($$INSERT INTO uphub.creator (mid, name, joined_at) VALUES (2, 'x', now() + interval '3 days')$$);
SELECT pg_temp.try($$INSERT INTO uphub.creator (mid, name, joined_at) VALUES (2, 'x', '2001-01-01')$$);

-- video
SELECT pg_temp.try($$INSERT INTO uphub.video (aid, bvid, mid, tid, title, pubdate, duration, copyright)
                     VALUES (170001, 'BV17x411w7KC', 1000000000000001, 24, '【MAD】', '2021-03-01 20:00', 213, 1)$$);
SELECT pg_temp.try($$INSERT INTO uphub.video (aid, bvid, mid, title) VALUES (2, 'AV123', 1000000000000001, 't')$$);
SELECT pg_temp.try($$INSERT INTO uphub.video (aid, bvid, mid, title) VALUES (2, 'BV17x411w7KC', 1000000000000001, 't')$$);
SELECT pg_temp.try($$INSERT INTO uphub.video (aid, bvid, mid, title) VALUES (2, 'BV1xx411c7mD', 42, 't')$$);
SELECT pg_temp.try($$INSERT INTO uphub.video (aid, bvid, mid, title) VALUES (2, 'BV1xx411c7mD', 1000000000000001, ' ')$$);
SELECT pg_temp.try($$INSERT INTO uphub.video (aid, bvid, mid, title, duration) VALUES (2, 'BV1xx411c7mD', 1000000000000001, 't', -5)$$);
SELECT pg_temp.try($$INSERT INTO uphub.video (aid, bvid, mid, title, copyright) VALUES (2, 'BV1xx411c7mD', 1000000000000001, 't', 3)$$);
SELECT pg_temp.try($$INSERT INTO uphub.video (aid, bvid, mid, title, pubdate) VALUES (2, 'BV1xx411c7mD', 1000000000000001, 't', now() + interval '2 days')$$);

-- video_staff
SELECT pg_temp.try($$INSERT INTO uphub.video_staff VALUES (1000000000000001, 170001, 99, '剪辑')$$);
SELECT pg_temp.try($$INSERT INTO uphub.video_staff VALUES (1000000000000001, 170001, 99, '配音')$$);
SELECT pg_temp.try($$INSERT INTO uphub.video_staff VALUES (1000000000000001, 424242, 98, '剪辑')$$);
SELECT pg_temp.try($$INSERT INTO uphub.video_staff VALUES (1000000000000001, 170001, 98, '')$$);

-- video_snapshot
SELECT pg_temp.try($$INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view, "like")
                     VALUES (170001, '2021-03-02 12:00', 1000000000000001, 1000, 50)$$);
SELECT pg_temp.try($$INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view, "like")
                     VALUES (170001, '2021-03-03 12:00', 1000000000000001, NULL, NULL)$$);
SELECT pg_temp.try($$INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view)
                     VALUES (170001, '2021-03-02 12:00', 1000000000000001, 1001)$$);
SELECT pg_temp.try($$INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view)
                     VALUES (170001, '2021-03-04 12:00', 1000000000000001, -1)$$);
SELECT pg_temp.try($$INSERT INTO uphub.video_snapshot (aid, observed_at, mid, coin)
                     VALUES (170001, '2021-03-04 12:00', 1000000000000001, -3)$$);
SELECT pg_temp.try($$INSERT INTO uphub.video_snapshot (aid, observed_at, mid, now_rank)
                     VALUES (170001, '2021-03-04 12:00', 1000000000000001, -3)$$);
SELECT pg_temp.try($$INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view)
                     VALUES (999, '2021-03-04 12:00', 1000000000000001, 1)$$);
SELECT pg_temp.try($$INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view)
                     VALUES (170001, now() + interval '2 days', 1000000000000001, 1)$$);
SELECT pg_temp.try($$INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view)
                     VALUES (170001, '2008-01-01', 1000000000000001, 1)$$);
SELECT pg_temp.try($$INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view)
                     VALUES (170001, NULL, 1000000000000001, 1)$$);

-- creator_snapshot
SELECT pg_temp.try($$INSERT INTO uphub.creator_snapshot VALUES (1000000000000001, '2021-03-02 12:00', 100, 5, 1000, 50)$$);
SELECT pg_temp.try($$INSERT INTO uphub.creator_snapshot VALUES (1000000000000001, '2021-03-02 12:00', 101, 5, 1000, 50)$$);
SELECT pg_temp.try($$INSERT INTO uphub.creator_snapshot VALUES (1000000000000001, '2021-03-03 12:00', -1, 5, 1000, 50)$$);
SELECT pg_temp.try($$INSERT INTO uphub.creator_snapshot VALUES (77, '2021-03-03 12:00', 1, 5, 1000, 50)$$);
SELECT pg_temp.try($$INSERT INTO uphub.creator_snapshot VALUES (1000000000000001, now() + interval '5 days', 1, 5, 1000, 50)$$);

-- creator_revenue_daily
SELECT pg_temp.try($$INSERT INTO uphub.creator_revenue_daily VALUES (1000000000000001, '2021-03-02', 12.50, 300.00, -4.00)$$);
SELECT pg_temp.try($$INSERT INTO uphub.creator_revenue_daily VALUES (1000000000000001, '2021-03-03', -1, 0, 0)$$);
SELECT pg_temp.try($$INSERT INTO uphub.creator_revenue_daily VALUES (1000000000000001, '2021-03-03', 0, -1, 0)$$);
SELECT pg_temp.try($$INSERT INTO uphub.creator_revenue_daily VALUES (1000000000000001, current_date + 5, 0, 0, 0)$$);
SELECT pg_temp.try($$INSERT INTO uphub.creator_revenue_daily VALUES (1000000000000001, '2021-03-02', 1, 1, 1)$$);

-- aggregates: keys and references
SELECT pg_temp.try($$INSERT INTO uphub.video_daily (mid, aid, day, views, likes) VALUES (1000000000000001, 170001, '2021-03-02', 10, -2)$$);
SELECT pg_temp.try($$INSERT INTO uphub.video_daily (mid, aid, day) VALUES (1000000000000001, 170001, '2021-03-02')$$);
SELECT pg_temp.try($$INSERT INTO uphub.video_daily (mid, aid, day) VALUES (1000000000000001, 5, '2021-03-02')$$);
SELECT pg_temp.try($$INSERT INTO uphub.creator_daily (mid, day, fans_delta, follower_eod) VALUES (1000000000000001, '2021-03-02', -3, 97)$$);
SELECT pg_temp.try($$INSERT INTO uphub.creator_daily (mid, day, follower_eod) VALUES (1000000000000001, '2021-03-03', -1)$$);
SELECT pg_temp.try($$INSERT INTO uphub.creator_daily (mid, day, videos_published) VALUES (1000000000000001, '2021-03-04', -1)$$);
SELECT pg_temp.try($$INSERT INTO uphub.creator_daily (mid, day) VALUES (5, '2021-03-04')$$);
SELECT pg_temp.try($$INSERT INTO uphub.creator_summary (mid, partition_rank_30d) VALUES (1000000000000001, 1)$$);
SELECT pg_temp.try($$INSERT INTO uphub.creator_summary (mid, partition_rank_30d) VALUES (1000000000000001, 2)$$);
SELECT pg_temp.try($$INSERT INTO uphub.creator_summary (mid, partition_rank_30d) VALUES (5, 0)$$);
SELECT pg_temp.try($$INSERT INTO uphub.partition_daily (tid, day, views, creators) VALUES (24, '2021-03-02', 10, 1)$$);
SELECT pg_temp.try($$INSERT INTO uphub.partition_daily (tid, day, creators) VALUES (24, '2021-03-03', -1)$$);
SELECT pg_temp.try($$INSERT INTO uphub.partition_daily (tid, day) VALUES (9999, '2021-03-03')$$);
SELECT pg_temp.try($$INSERT INTO uphub.mcn_daily (mcn_id, day, views, creators) VALUES (7, '2021-03-02', 10, 1)$$);
SELECT pg_temp.try($$INSERT INTO uphub.mcn_daily (mcn_id, day, videos_published) VALUES (7, '2021-03-03', -1)$$);
SELECT pg_temp.try($$INSERT INTO uphub.mcn_daily (mcn_id, day) VALUES (9999, '2021-03-03')$$);

ROLLBACK;
