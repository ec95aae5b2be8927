-- scripts/demo-data.sql — a small deterministic data set, generated in SQL,
-- for `make demo` when the generator tools are not built. Values depend
-- only on ids (hashint8), times on the day the demo runs: 40 creators in a
-- two-level partition tree, two agencies, 200 videos, 15 days of snapshots.
\set ON_ERROR_STOP on
SET timezone = 'Asia/Shanghai';
BEGIN;

INSERT INTO uphub.partition (tid, parent_tid, name) VALUES
	(1, NULL, '动画'), (4, NULL, '游戏'), (36, NULL, '知识'), (160, NULL, '生活');
INSERT INTO uphub.partition (tid, parent_tid, name) VALUES
	(24, 1, 'MAD·AMV'), (25, 1, 'MMD·3D'), (17, 4, '单机游戏'), (171, 4, '电子竞技'),
	(201, 36, '科学科普'), (138, 160, '搞笑');
INSERT INTO uphub.mcn (mcn_id, name) VALUES (1, '星辰文化'), (2, '无限动力');

INSERT INTO uphub.creator (mid, name, level, sex, main_tid, mcn_id, joined_at, updated_at)
SELECT 100000 + i,
	   (ARRAY['老番茄', '某幻君', '中国BOY', '半佛仙人', '罗翔说刑法', '何同学', '影视飓风', '李子柒'])[1 + i % 8] || i,
	   3 + i % 4,
	   (ARRAY['男', '女', '保密'])[1 + i % 3],
	   (ARRAY[24, 25, 17, 171, 201, 138, 1, 4])[1 + i % 8],
	   CASE WHEN i % 5 = 0 THEN 1 WHEN i % 7 = 0 THEN 2 END,
	   timestamptz '2015-01-01 00:00+08' + i * interval '17 days',
	   now() - interval '1 hour'
FROM generate_series(1, 40) i;

-- Five videos each, published over the last 20 days; BV ids from the aid in base 58.
INSERT INTO uphub.video (aid, bvid, mid, tid, title, pubdate, duration, copyright, updated_at)
SELECT aid,
	   'BV1' || (SELECT string_agg(substr('123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz',
									  1 + (((abs(hashint8(aid))::bigint * 100000 + abs(hashint8(aid + 1)) % 100000) / (58::bigint ^ k)::bigint) % 58)::int, 1), '' ORDER BY k)
				 FROM generate_series(0, 8) k),
	   100000 + i,
	   (ARRAY[24, 25, 17, 171, 201, 138, 24, 17])[1 + (i + j) % 8],
	   '第' || j || '期：' || (ARRAY['年度盘点', '开箱', '挑战', '教程', '纪录'])[j],
	   date_trunc('day', now()) - ((abs(hashint8(aid)) % 20) * interval '1 day') + interval '18 hours',
	   60 + abs(hashint8(aid)) % 1200,
	   1 + (j % 2),
	   now() - interval '1 hour'
FROM generate_series(1, 40) i, generate_series(1, 5) j, LATERAL (SELECT 1000000::bigint + i * 10 + j AS aid) a;

SELECT uphub.ensure_snapshot_partitions(now() - interval '21 days', now()) AS partitions_created \gset

-- Every six hours from publication: cumulative counters growing like
-- base * ln(1 + hours / 6), so most views come early.
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view, danmaku, reply, favorite, coin, share, "like", his_rank, now_rank)
SELECT v.aid, t, v.mid,
	   g.views, g.views / 97, g.views / 61, g.views / 29, g.views / 33, g.views / 211, g.views / 19, 0, 0
FROM uphub.video v,
	 generate_series(v.pubdate, now() - interval '10 minutes', interval '6 hours') t,
	 LATERAL (SELECT (50 + abs(hashint8(v.aid)) % (CASE WHEN v.aid % 17 = 0 THEN 200000 ELSE 4000 END))::bigint AS base) b,
	 LATERAL (SELECT floor(b.base * ln(1 + extract(epoch FROM t - v.pubdate) / 21600.0))::bigint AS views) g;

-- Followers twice a day for 15 days, with some days of unfollows.
INSERT INTO uphub.creator_snapshot (mid, observed_at, follower, following, archive_view, likes)
SELECT c.mid, t,
	   greatest(0, f.base + (extract(epoch FROM t - (now() - interval '15 days')) / 3600)::bigint * f.rate
				   - CASE WHEN extract(day FROM t)::int % 4 = 0 THEN f.rate * 20 ELSE 0 END),
	   20 + c.mid % 300, NULL, NULL
FROM uphub.creator c,
	 generate_series(date_trunc('hour', now()) - interval '15 days', now() - interval '5 minutes', interval '12 hours') t,
	 LATERAL (SELECT (abs(hashint8(c.mid)) % 500000)::bigint AS base, (1 + abs(hashint8(c.mid + 1)) % 40)::bigint AS rate) f;

INSERT INTO uphub.creator_revenue_daily (mid, day, elec, ad_share, other)
SELECT c.mid, d::date, (abs(hashint8(c.mid + (d::date - date '2000-01-01'))) % 50000) / 100.0,
	   (abs(hashint8(c.mid * 3 + (d::date - date '2000-01-01'))) % 200000) / 100.0, 0
FROM uphub.creator c, generate_series(current_date - 14, current_date - 1, interval '1 day') d;

COMMIT;
