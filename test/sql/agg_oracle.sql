-- test/sql/agg_oracle.sql — the aggregates recomputed from scratch, in plain
-- SQL, the way DESIGN.md "Aggregate semantics" states them. Test-only: the
-- regress files (\i test/sql/agg_oracle.sql), the TAP tests and bench/agg.sh
-- load it into pg_temp and compare with pg_temp.agg_oracle_diff().
--
-- It is written differently from the refresh on purpose: the value of a
-- cumulative counter at any time x is looked up directly (the snapshot at x,
-- or the straight line between the snapshots around x, rounded half away
-- from zero), and a day's delta is value(end of day) - value(start of day),
-- both clamped to the first and last snapshot of that counter.

CREATE TEMP TABLE oracle_pts (kind text, key bigint, c text, t timestamptz, v bigint);

-- Load every non-hidden counter value of every snapshot.
CREATE FUNCTION pg_temp.oracle_load() RETURNS void LANGUAGE sql AS $$
	TRUNCATE oracle_pts;
	INSERT INTO oracle_pts
	SELECT 'v', s.aid, c.c, s.observed_at, c.v
	FROM uphub.video_snapshot s,
		LATERAL (VALUES ('views', s.view), ('likes', s."like"), ('coins', s.coin),
						('favorites', s.favorite), ('shares', s.share), ('danmaku', s.danmaku),
						('replies', s.reply)) c(c, v)
	WHERE c.v IS NOT NULL
	UNION ALL
	SELECT 'c', s.mid, 'follower', s.observed_at, s.follower
	FROM uphub.creator_snapshot s WHERE s.follower IS NOT NULL;
	CREATE INDEX IF NOT EXISTS oracle_pts_idx ON oracle_pts (kind, key, c, t);
	ANALYZE oracle_pts;
$$;

-- Cumulative value of one counter at time x (x within its observed span).
CREATE FUNCTION pg_temp.oracle_value(k text, e bigint, cn text, x timestamptz) RETURNS numeric
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN p.t = x THEN p.v::numeric
		ELSE round(p.v + (q.v - p.v)::numeric * (extract(epoch FROM x) - extract(epoch FROM p.t))
			/ (extract(epoch FROM q.t) - extract(epoch FROM p.t))) END
	FROM (SELECT t, v FROM oracle_pts WHERE kind = k AND key = e AND c = cn AND t <= x ORDER BY t DESC LIMIT 1) p,
		 (SELECT t, v FROM oracle_pts WHERE kind = k AND key = e AND c = cn AND t >= x ORDER BY t LIMIT 1) q
$$;

-- Per entity, counter and Asia/Shanghai day: the delta and the value at the end.
CREATE FUNCTION pg_temp.oracle_counter_daily()
RETURNS TABLE (kind text, key bigint, c text, day date, delta bigint, eod bigint)
LANGUAGE sql STABLE AS $$
	WITH span AS (
		SELECT kind, key, c, min(t) AS t_first, max(t) AS t_last FROM oracle_pts
		GROUP BY kind, key, c HAVING count(*) >= 2
	), days AS (
		SELECT s.kind, s.key, s.c, d::date AS day,
			greatest(timezone('Asia/Shanghai', d), s.t_first) AS x0,
			least(timezone('Asia/Shanghai', d + interval '1 day'), s.t_last) AS x1
		FROM span s,
			generate_series(date_trunc('day', timezone('Asia/Shanghai', s.t_first)),
							timezone('Asia/Shanghai', s.t_last), interval '1 day') d
	)
	SELECT kind, key, c, day, (v1 - v0)::bigint, v1::bigint
	FROM (SELECT d.*, pg_temp.oracle_value(kind, key, c, x0) AS v0,
				 pg_temp.oracle_value(kind, key, c, x1) AS v1
		  FROM days d WHERE x0 < x1) z
$$;

CREATE TEMP TABLE oracle_cd (kind text, key bigint, c text, day date, delta bigint, eod bigint);

CREATE FUNCTION pg_temp.oracle_video_daily()
RETURNS TABLE (mid bigint, aid bigint, day date, views bigint, likes bigint, coins bigint,
			   favorites bigint, shares bigint, danmaku bigint, replies bigint)
LANGUAGE sql STABLE AS $$
	SELECT v.mid, o.key, o.day,
		coalesce(sum(delta) FILTER (WHERE c = 'views'), 0), coalesce(sum(delta) FILTER (WHERE c = 'likes'), 0),
		coalesce(sum(delta) FILTER (WHERE c = 'coins'), 0), coalesce(sum(delta) FILTER (WHERE c = 'favorites'), 0),
		coalesce(sum(delta) FILTER (WHERE c = 'shares'), 0), coalesce(sum(delta) FILTER (WHERE c = 'danmaku'), 0),
		coalesce(sum(delta) FILTER (WHERE c = 'replies'), 0)
	FROM oracle_cd o JOIN uphub.video v ON v.aid = o.key
	WHERE o.kind = 'v' GROUP BY v.mid, o.key, o.day
$$;

CREATE FUNCTION pg_temp.oracle_creator_daily()
RETURNS TABLE (mid bigint, day date, views bigint, likes bigint, coins bigint, favorites bigint,
			   shares bigint, danmaku bigint, replies bigint, fans_delta bigint, follower_eod bigint,
			   videos_published integer)
LANGUAGE sql STABLE AS $$
	WITH vd AS (
		SELECT mid, day, sum(views) views, sum(likes) likes, sum(coins) coins, sum(favorites) favorites,
			sum(shares) shares, sum(danmaku) danmaku, sum(replies) replies
		FROM pg_temp.oracle_video_daily() GROUP BY mid, day
	), f AS (
		SELECT key AS mid, day, delta, eod FROM oracle_cd WHERE kind = 'c'
	), p AS (
		SELECT mid, (timezone('Asia/Shanghai', pubdate))::date AS day, count(*)::integer AS n
		FROM uphub.video WHERE pubdate IS NOT NULL GROUP BY 1, 2
	), k AS (
		SELECT mid, day FROM vd UNION SELECT mid, day FROM f UNION SELECT mid, day FROM p
	)
	SELECT k.mid, k.day, coalesce(vd.views, 0), coalesce(vd.likes, 0), coalesce(vd.coins, 0),
		coalesce(vd.favorites, 0), coalesce(vd.shares, 0), coalesce(vd.danmaku, 0),
		coalesce(vd.replies, 0), coalesce(f.delta, 0), f.eod, coalesce(p.n, 0)
	FROM k JOIN uphub.creator cr ON cr.mid = k.mid
	LEFT JOIN vd ON vd.mid = k.mid AND vd.day = k.day
	LEFT JOIN f ON f.mid = k.mid AND f.day = k.day
	LEFT JOIN p ON p.mid = k.mid AND p.day = k.day
$$;

CREATE FUNCTION pg_temp.oracle_tid_at(a bigint, d date) RETURNS integer LANGUAGE sql STABLE AS $$
	SELECT tid FROM uphub.video_tid_history WHERE aid = a AND from_day <= d ORDER BY from_day DESC LIMIT 1
$$;
CREATE FUNCTION pg_temp.oracle_main_tid_at(m bigint, d date) RETURNS integer LANGUAGE sql STABLE AS $$
	SELECT main_tid FROM uphub.creator_dim_history WHERE mid = m AND from_day <= d ORDER BY from_day DESC LIMIT 1
$$;
CREATE FUNCTION pg_temp.oracle_mcn_at(m bigint, d date) RETURNS bigint LANGUAGE sql STABLE AS $$
	SELECT mcn_id FROM uphub.creator_dim_history WHERE mid = m AND from_day <= d ORDER BY from_day DESC LIMIT 1
$$;

CREATE FUNCTION pg_temp.oracle_partition_daily()
RETURNS TABLE (tid integer, day date, views bigint, likes bigint, coins bigint, favorites bigint,
			   shares bigint, danmaku bigint, replies bigint, fans_delta bigint,
			   videos_published integer, creators integer)
LANGUAGE sql STABLE AS $$
	SELECT x.tid, x.day, sum(views), sum(likes), sum(coins), sum(favorites), sum(shares), sum(danmaku),
		sum(replies), sum(fans), sum(pub)::integer, count(DISTINCT mid)::integer
	FROM (
		SELECT pg_temp.oracle_tid_at(aid, day) tid, day, mid, views, likes, coins, favorites, shares,
			danmaku, replies, 0 fans, 0 pub
		FROM pg_temp.oracle_video_daily()
		UNION ALL
		SELECT pg_temp.oracle_main_tid_at(mid, day), day, mid, 0, 0, 0, 0, 0, 0, 0, fans_delta, 0
		FROM pg_temp.oracle_creator_daily()
		UNION ALL
		SELECT pg_temp.oracle_tid_at(aid, (timezone('Asia/Shanghai', pubdate))::date),
			(timezone('Asia/Shanghai', pubdate))::date, mid, 0, 0, 0, 0, 0, 0, 0, 0, 1
		FROM uphub.video WHERE pubdate IS NOT NULL
	) x JOIN uphub.partition p ON p.tid = x.tid
	GROUP BY x.tid, x.day
$$;

CREATE FUNCTION pg_temp.oracle_mcn_daily()
RETURNS TABLE (mcn_id bigint, day date, views bigint, likes bigint, coins bigint, favorites bigint,
			   shares bigint, danmaku bigint, replies bigint, fans_delta bigint,
			   videos_published integer, creators integer)
LANGUAGE sql STABLE AS $$
	SELECT m.mcn_id, c.day, sum(views), sum(likes), sum(coins), sum(favorites), sum(shares),
		sum(danmaku), sum(replies), sum(fans_delta), sum(videos_published)::integer, count(*)::integer
	FROM pg_temp.oracle_creator_daily() c
	JOIN uphub.mcn m ON m.mcn_id = pg_temp.oracle_mcn_at(c.mid, c.day)
	GROUP BY m.mcn_id, c.day
$$;

CREATE FUNCTION pg_temp.oracle_latest(a bigint, cn text) RETURNS bigint LANGUAGE sql STABLE AS $$
	SELECT v FROM oracle_pts WHERE kind = 'v' AND key = a AND c = cn ORDER BY t DESC LIMIT 1
$$;

CREATE FUNCTION pg_temp.oracle_creator_summary()
RETURNS TABLE (mid bigint, follower bigint, views_total bigint, likes_total bigint, coins_total bigint,
			   favorites_total bigint, shares_total bigint, views_7d bigint, views_30d bigint,
			   fans_delta_7d bigint, fans_delta_30d bigint, engagement_30d double precision,
			   median_views_recent double precision, videos_30d integer, partition_rank_30d integer)
LANGUAGE sql STABLE AS $$
	WITH today AS (SELECT (timezone('Asia/Shanghai', now()))::date AS d),
	cd AS (SELECT * FROM pg_temp.oracle_creator_daily()),
	w AS (
		SELECT c.mid,
			coalesce(sum(cd.views) FILTER (WHERE cd.day > t.d - 7), 0) v7,
			coalesce(sum(cd.views), 0) v30,
			coalesce(sum(cd.fans_delta) FILTER (WHERE cd.day > t.d - 7), 0) f7,
			coalesce(sum(cd.fans_delta), 0) f30,
			coalesce(sum(cd.likes + cd.coins + cd.favorites), 0) e30
		FROM uphub.creator c CROSS JOIN today t
		LEFT JOIN cd ON cd.mid = c.mid AND cd.day > t.d - 30 AND cd.day <= t.d
		GROUP BY c.mid
	), tot AS (
		SELECT mid, sum(pg_temp.oracle_latest(aid, 'views')) v, sum(pg_temp.oracle_latest(aid, 'likes')) l,
			sum(pg_temp.oracle_latest(aid, 'coins')) c, sum(pg_temp.oracle_latest(aid, 'favorites')) f,
			sum(pg_temp.oracle_latest(aid, 'shares')) s
		FROM uphub.video GROUP BY mid
	)
	SELECT c.mid,
		(SELECT v FROM oracle_pts WHERE kind = 'c' AND key = c.mid ORDER BY t DESC LIMIT 1),
		coalesce(tot.v, 0), coalesce(tot.l, 0), coalesce(tot.c, 0), coalesce(tot.f, 0), coalesce(tot.s, 0),
		w.v7, w.v30, w.f7, w.f30,
		CASE WHEN w.v30 = 0 THEN NULL ELSE w.e30::double precision / w.v30 END,
		(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY pg_temp.oracle_latest(r.aid, 'views'))
		 FROM (SELECT aid FROM uphub.video v WHERE v.mid = c.mid
			   ORDER BY pubdate DESC NULLS LAST, aid DESC LIMIT 20) r),
		(SELECT count(*)::integer FROM uphub.video v, today t WHERE v.mid = c.mid
			AND (timezone('Asia/Shanghai', v.pubdate))::date BETWEEN t.d - 29 AND t.d),
		CASE WHEN c.main_tid IS NOT NULL THEN
			(rank() OVER (PARTITION BY c.main_tid ORDER BY w.v30 DESC))::integer END
	FROM uphub.creator c JOIN w ON w.mid = c.mid LEFT JOIN tot ON tot.mid = c.mid
$$;

-- Rows that differ between each aggregate table and the oracle (0 = equal).
CREATE FUNCTION pg_temp.agg_oracle_diff() RETURNS TABLE (tbl text, missing bigint, extra bigint)
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_temp.oracle_load();
	TRUNCATE oracle_cd;
	INSERT INTO oracle_cd SELECT * FROM pg_temp.oracle_counter_daily();
	RETURN QUERY
	SELECT 'video_daily', (SELECT count(*) FROM (SELECT * FROM pg_temp.oracle_video_daily()
		EXCEPT ALL SELECT * FROM uphub.video_daily) a),
		(SELECT count(*) FROM (SELECT * FROM uphub.video_daily
		EXCEPT ALL SELECT * FROM pg_temp.oracle_video_daily()) b)
	UNION ALL
	SELECT 'creator_daily', (SELECT count(*) FROM (SELECT * FROM pg_temp.oracle_creator_daily()
		EXCEPT ALL SELECT * FROM uphub.creator_daily) a),
		(SELECT count(*) FROM (SELECT * FROM uphub.creator_daily
		EXCEPT ALL SELECT * FROM pg_temp.oracle_creator_daily()) b)
	UNION ALL
	SELECT 'partition_daily', (SELECT count(*) FROM (SELECT * FROM pg_temp.oracle_partition_daily()
		EXCEPT ALL SELECT * FROM uphub.partition_daily) a),
		(SELECT count(*) FROM (SELECT * FROM uphub.partition_daily
		EXCEPT ALL SELECT * FROM pg_temp.oracle_partition_daily()) b)
	UNION ALL
	SELECT 'mcn_daily', (SELECT count(*) FROM (SELECT * FROM pg_temp.oracle_mcn_daily()
		EXCEPT ALL SELECT * FROM uphub.mcn_daily) a),
		(SELECT count(*) FROM (SELECT * FROM uphub.mcn_daily
		EXCEPT ALL SELECT * FROM pg_temp.oracle_mcn_daily()) b)
	UNION ALL
	SELECT 'creator_summary', (SELECT count(*) FROM (SELECT * FROM pg_temp.oracle_creator_summary()
		EXCEPT ALL SELECT mid, follower, views_total, likes_total, coins_total, favorites_total,
			shares_total, views_7d, views_30d, fans_delta_7d, fans_delta_30d, engagement_30d,
			median_views_recent, videos_30d, partition_rank_30d FROM uphub.creator_summary) a),
		(SELECT count(*) FROM (SELECT mid, follower, views_total, likes_total, coins_total, favorites_total,
			shares_total, views_7d, views_30d, fans_delta_7d, fans_delta_30d, engagement_30d,
			median_views_recent, videos_30d, partition_rank_30d FROM uphub.creator_summary
		EXCEPT ALL SELECT * FROM pg_temp.oracle_creator_summary()) b);
END;
$$;
