-- src/agg/agg.sql — change capture and incremental refresh of the aggregates
-- (DESIGN.md "Aggregate semantics"; the algorithm and its correctness
-- argument are in src/agg/README.md).
--
-- Phases:
--   capture  statement-level AFTER triggers with transition tables on
--            video_snapshot (at the partitioned root), creator_snapshot,
--            video and creator append one agg_change row per entity and
--            statement, in the writer's own transaction: it commits or rolls
--            back with the data it describes. Writers only INSERT into
--            agg_change, so they never wait on an aggregate lock.
--   refresh  _agg_refresh_batch() claims log rows (DELETE ... RETURNING),
--            recomputes the affected day range of each claimed entity from
--            the snapshots, then the creator days, the partition and agency
--            days and the creator summaries those rows feed. The claim and
--            the aggregate writes commit together, so the log is the
--            position and a crash loses nothing.
-- Locking: refreshes are serialised by a transaction-level advisory lock
-- taken by the C callers (refresh_aggregates() waits for it, the worker
-- tries it), before any statement of the batch takes its snapshot.

-- ---------------------------------------------------------------------------
-- Capture: the change log and the dimension history
-- ---------------------------------------------------------------------------

CREATE TABLE uphub.agg_change (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind "char" NOT NULL CHECK (kind IN ('v', 'c', 'p', 'a', 'm', 's', 'r')),
	key bigint NOT NULL,
	mid bigint,
	t_lo timestamptz NOT NULL,
	t_hi timestamptz NOT NULL,
	-- The time of logging (the capture runs at the end of the writing
	-- statement), so that it grows with id: aggregate_lag() reads the
	-- oldest ids instead of scanning the log.
	logged_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
COMMENT ON TABLE uphub.agg_change IS 'Changes not yet applied to the aggregates (written by capture triggers, consumed by the refresh).';
COMMENT ON COLUMN uphub.agg_change.kind IS 'v video snapshots of aid=key in [t_lo,t_hi]; c creator snapshots of mid=key; p video published at t_lo; a video tid changed from t_lo; m creator main_tid/mcn changed from t_lo; s creator summary; r re-rank partition key.';
COMMENT ON COLUMN uphub.agg_change.logged_at IS 'When the change was written; aggregate_lag() is the age of the oldest row.';

CREATE TABLE uphub.video_tid_history (
	aid bigint NOT NULL REFERENCES uphub.video (aid) ON DELETE CASCADE,
	from_day date NOT NULL,
	tid integer,
	PRIMARY KEY (aid, from_day)
);
COMMENT ON TABLE uphub.video_tid_history IS 'Partition of each video from an Asia/Shanghai day on (-infinity: since the start); partition_daily attributes a day to the partition in force that day.';

CREATE TABLE uphub.creator_dim_history (
	mid bigint NOT NULL REFERENCES uphub.creator (mid) ON DELETE CASCADE,
	from_day date NOT NULL,
	main_tid integer,
	mcn_id bigint,
	PRIMARY KEY (mid, from_day)
);
COMMENT ON TABLE uphub.creator_dim_history IS 'Main partition and agency of each creator from an Asia/Shanghai day on; partition_daily and mcn_daily attribute a day to the values in force that day.';

-- Deleting a video or creator takes its aggregate rows with it; the refresh
-- still learns about it from the captured snapshot deletes.
ALTER TABLE uphub.video_daily DROP CONSTRAINT video_daily_aid_fkey,
	ADD CONSTRAINT video_daily_aid_fkey FOREIGN KEY (aid) REFERENCES uphub.video (aid) ON DELETE CASCADE;
ALTER TABLE uphub.creator_daily DROP CONSTRAINT creator_daily_mid_fkey,
	ADD CONSTRAINT creator_daily_mid_fkey FOREIGN KEY (mid) REFERENCES uphub.creator (mid) ON DELETE CASCADE;
ALTER TABLE uphub.creator_summary DROP CONSTRAINT creator_summary_mid_fkey,
	ADD CONSTRAINT creator_summary_mid_fkey FOREIGN KEY (mid) REFERENCES uphub.creator (mid) ON DELETE CASCADE;
CREATE INDEX video_daily_day_idx ON uphub.video_daily (day);
-- The refresh updates aggregate rows in place: a video's newest day when
-- its next snapshot comes, a creator's days and their contributions by
-- differences. With full pages every such update was a new tuple on another
-- page and an entry in each index (three for video_daily); a fifth of each
-- page kept free makes them HOT (measured on a day's backlog: 6% of
-- video_daily updates HOT at fillfactor 100, all at 80; the batch went
-- from 21,700 to 25,400 changes/s).
ALTER TABLE uphub.video_daily SET (fillfactor = 80);
ALTER TABLE uphub.creator_daily SET (fillfactor = 80);
ALTER TABLE uphub.creator_summary SET (fillfactor = 80);
ALTER TABLE uphub.partition_daily SET (fillfactor = 80);
ALTER TABLE uphub.mcn_daily SET (fillfactor = 80);

-- Asia/Shanghai calendar day of a time (±infinity map to ±infinity).
-- The small SQL helpers below carry no SET clause, so the planner inlines
-- them (a SET clause would cost a function call per row); every name in
-- them is schema-qualified instead.
CREATE FUNCTION uphub._agg_day(t timestamptz) RETURNS date
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN (pg_catalog.timezone('Asia/Shanghai', t))::date;

-- Start (Asia/Shanghai midnight) of a day.
CREATE FUNCTION uphub._agg_day_start(d date) RETURNS timestamptz
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN pg_catalog.timezone('Asia/Shanghai', d::timestamp);

-- Wake the aggregate worker when this transaction commits (C; no-op when not preloaded).
CREATE FUNCTION uphub._agg_wake() RETURNS void
	LANGUAGE c
	AS 'MODULE_PATHNAME', 'uphub_agg_wake';

-- Capture for video_snapshot and creator_snapshot: one log row per entity
-- and statement, spanning the observation times the statement touched.
-- The capture functions run with jit = off: the planner knows nothing of a
-- transition table but its size (a join of two is estimated at n^2/200
-- rows), so a bulk statement crosses jit_above_cost and spends a second or
-- more compiling a statement that runs in milliseconds.
CREATE FUNCTION uphub._agg_capture_snapshot() RETURNS trigger
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET jit = off
	AS $$
BEGIN
	IF TG_TABLE_NAME = 'video_snapshot' THEN
		IF TG_OP = 'INSERT' THEN
			INSERT INTO uphub.agg_change (kind, key, mid, t_lo, t_hi)
			SELECT 'v', aid, min(mid), min(observed_at), max(observed_at) FROM new_rows GROUP BY aid;
		ELSIF TG_OP = 'UPDATE' THEN
			INSERT INTO uphub.agg_change (kind, key, mid, t_lo, t_hi)
			SELECT 'v', aid, mid, min(observed_at), max(observed_at)
			FROM (SELECT aid, mid, observed_at FROM old_rows
				  UNION ALL SELECT aid, mid, observed_at FROM new_rows) r
			GROUP BY aid, mid;
		ELSE
			INSERT INTO uphub.agg_change (kind, key, mid, t_lo, t_hi)
			SELECT 'v', aid, min(mid), min(observed_at), max(observed_at) FROM old_rows GROUP BY aid;
		END IF;
	ELSE
		IF TG_OP = 'INSERT' THEN
			INSERT INTO uphub.agg_change (kind, key, mid, t_lo, t_hi)
			SELECT 'c', mid, mid, min(observed_at), max(observed_at) FROM new_rows GROUP BY mid;
		ELSIF TG_OP = 'UPDATE' THEN
			INSERT INTO uphub.agg_change (kind, key, mid, t_lo, t_hi)
			SELECT 'c', mid, mid, min(observed_at), max(observed_at)
			FROM (SELECT mid, observed_at FROM old_rows
				  UNION ALL SELECT mid, observed_at FROM new_rows) r
			GROUP BY mid;
		ELSE
			INSERT INTO uphub.agg_change (kind, key, mid, t_lo, t_hi)
			SELECT 'c', mid, mid, min(observed_at), max(observed_at) FROM old_rows GROUP BY mid;
		END IF;
	END IF;
	PERFORM uphub._agg_wake();
	RETURN NULL;
END;
$$;

CREATE TRIGGER agg_capture_insert AFTER INSERT ON uphub.video_snapshot
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION uphub._agg_capture_snapshot();
CREATE TRIGGER agg_capture_update AFTER UPDATE ON uphub.video_snapshot
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION uphub._agg_capture_snapshot();
CREATE TRIGGER agg_capture_delete AFTER DELETE ON uphub.video_snapshot
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION uphub._agg_capture_snapshot();
CREATE TRIGGER agg_capture_insert AFTER INSERT ON uphub.creator_snapshot
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION uphub._agg_capture_snapshot();
CREATE TRIGGER agg_capture_update AFTER UPDATE ON uphub.creator_snapshot
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION uphub._agg_capture_snapshot();
CREATE TRIGGER agg_capture_delete AFTER DELETE ON uphub.creator_snapshot
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION uphub._agg_capture_snapshot();

-- Capture for video: publish days, partition moves (with their history),
-- owner changes. The change time of a dimension value is the new updated_at
-- when the writer moved it, else the time of the write.
CREATE FUNCTION uphub._agg_capture_video() RETURNS trigger
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET jit = off
	AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO uphub.video_tid_history (aid, from_day, tid)
		SELECT aid, '-infinity', tid FROM new_rows;
		INSERT INTO uphub.agg_change (kind, key, mid, t_lo, t_hi)
		SELECT 'p', aid, mid, pubdate, pubdate FROM new_rows WHERE pubdate IS NOT NULL
		UNION ALL
		SELECT DISTINCT 's', mid, mid, now(), now() FROM new_rows;
	ELSIF TG_OP = 'UPDATE' THEN
		-- Dynamic SQL, planned at each call for the transition tables' real
		-- sizes (see "Capture" in src/agg/README.md): a static statement
		-- keeps the plan of its first call in the session, and an upsert
		-- that updated nothing plans the old x new join as a nested loop.
		-- One join (d) feeds the history and the log.
		EXECUTE $q$
		WITH d AS MATERIALIZED (
			SELECT n.aid, o.mid AS o_mid, n.mid AS n_mid, o.tid AS o_tid, n.tid AS n_tid,
				o.pubdate AS o_pubdate, n.pubdate AS n_pubdate,
				CASE WHEN n.updated_at IS DISTINCT FROM o.updated_at
					THEN n.updated_at ELSE now() END AS t
			FROM old_rows o JOIN new_rows n USING (aid)
			WHERE o.tid IS DISTINCT FROM n.tid OR o.pubdate IS DISTINCT FROM n.pubdate
			   OR o.mid IS DISTINCT FROM n.mid
		), h AS (
			INSERT INTO uphub.video_tid_history AS h (aid, from_day, tid)
			SELECT aid, uphub._agg_day(t), n_tid FROM d WHERE o_tid IS DISTINCT FROM n_tid
			ON CONFLICT (aid, from_day) DO UPDATE SET tid = EXCLUDED.tid
		)
		INSERT INTO uphub.agg_change (kind, key, mid, t_lo, t_hi)
		SELECT 'a', aid, n_mid, t, t FROM d WHERE o_tid IS DISTINCT FROM n_tid
		UNION ALL
		SELECT 'p', d.aid, x.mid, x.pubdate, x.pubdate
		FROM d CROSS JOIN LATERAL (VALUES (o_mid, o_pubdate), (n_mid, n_pubdate)) x(mid, pubdate)
		WHERE (o_pubdate IS DISTINCT FROM n_pubdate OR o_mid IS DISTINCT FROM n_mid)
		  AND x.pubdate IS NOT NULL
		UNION ALL
		SELECT 'v', aid, n_mid, '-infinity', 'infinity' FROM d WHERE o_mid IS DISTINCT FROM n_mid
		UNION ALL
		SELECT 's', x.mid, x.mid, now(), now()
		FROM d CROSS JOIN LATERAL (VALUES (o_mid), (n_mid)) x(mid)
		WHERE o_mid IS DISTINCT FROM n_mid
		$q$;
	ELSE
		INSERT INTO uphub.agg_change (kind, key, mid, t_lo, t_hi)
		SELECT 'p', aid, mid, pubdate, pubdate FROM old_rows WHERE pubdate IS NOT NULL
		UNION ALL
		SELECT DISTINCT 's', mid, mid, now(), now() FROM old_rows;
	END IF;
	PERFORM uphub._agg_wake();
	RETURN NULL;
END;
$$;

CREATE TRIGGER agg_capture_insert AFTER INSERT ON uphub.video
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION uphub._agg_capture_video();
CREATE TRIGGER agg_capture_update AFTER UPDATE ON uphub.video
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION uphub._agg_capture_video();
CREATE TRIGGER agg_capture_delete AFTER DELETE ON uphub.video
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION uphub._agg_capture_video();

-- Capture for creator: agency and main-partition moves (with their history),
-- new and removed creators (summary rows, partition ranks).
CREATE FUNCTION uphub._agg_capture_creator() RETURNS trigger
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	SET jit = off
	AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO uphub.creator_dim_history (mid, from_day, main_tid, mcn_id)
		SELECT mid, '-infinity', main_tid, mcn_id FROM new_rows;
		INSERT INTO uphub.agg_change (kind, key, mid, t_lo, t_hi)
		SELECT 's', mid, mid, now(), now() FROM new_rows;
	ELSIF TG_OP = 'UPDATE' THEN
		-- Dynamic SQL for the join of the transition tables: see the video
		-- capture above.
		EXECUTE $q$
		WITH d AS MATERIALIZED (
			SELECT n.mid, o.main_tid AS o_tid, n.main_tid AS n_tid, n.mcn_id AS n_mcn,
				CASE WHEN n.updated_at IS DISTINCT FROM o.updated_at
					THEN n.updated_at ELSE now() END AS t
			FROM old_rows o JOIN new_rows n USING (mid)
			WHERE o.main_tid IS DISTINCT FROM n.main_tid OR o.mcn_id IS DISTINCT FROM n.mcn_id
		), h AS (
			INSERT INTO uphub.creator_dim_history AS h (mid, from_day, main_tid, mcn_id)
			SELECT mid, uphub._agg_day(t), n_tid, n_mcn FROM d
			ON CONFLICT (mid, from_day) DO UPDATE SET main_tid = EXCLUDED.main_tid, mcn_id = EXCLUDED.mcn_id
		)
		INSERT INTO uphub.agg_change (kind, key, mid, t_lo, t_hi)
		SELECT 'm', mid, mid, t, t FROM d
		UNION ALL
		SELECT 'r', o_tid, NULL, now(), now() FROM d WHERE o_tid IS DISTINCT FROM n_tid AND o_tid IS NOT NULL
		$q$;
	ELSE
		INSERT INTO uphub.agg_change (kind, key, mid, t_lo, t_hi)
		SELECT DISTINCT 'r', main_tid, NULL::bigint, now(), now() FROM old_rows WHERE main_tid IS NOT NULL;
	END IF;
	PERFORM uphub._agg_wake();
	RETURN NULL;
END;
$$;

CREATE TRIGGER agg_capture_insert AFTER INSERT ON uphub.creator
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION uphub._agg_capture_creator();
CREATE TRIGGER agg_capture_update AFTER UPDATE ON uphub.creator
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION uphub._agg_capture_creator();
CREATE TRIGGER agg_capture_delete AFTER DELETE ON uphub.creator
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION uphub._agg_capture_creator();

-- ---------------------------------------------------------------------------
-- Refresh
-- ---------------------------------------------------------------------------

-- Singleton: where the refresh stands. Written in the same transaction as the
-- aggregates it describes.
CREATE TABLE uphub.agg_state (
	singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
	summary_day date,
	changes_applied bigint NOT NULL DEFAULT 0,
	last_batch_at timestamptz
);
INSERT INTO uphub.agg_state DEFAULT VALUES;
COMMENT ON TABLE uphub.agg_state IS 'Refresh position: changes applied so far, the Asia/Shanghai day the summaries were last fully recomputed for.';

-- Scratch tables of one batch: filled and emptied inside the batch's
-- transaction (under the refresh lock), so no other session ever sees rows.
CREATE UNLOGGED TABLE uphub.agg_work_change (kind "char", key bigint, mid bigint, t_lo timestamptz, t_hi timestamptz);
CREATE UNLOGGED TABLE uphub.agg_work_range (
	kind "char", key bigint, lo timestamptz, hi timestamptz,
	d1 date, d2 date, plo timestamptz, phi timestamptz);
CREATE UNLOGGED TABLE uphub.agg_work_cday (mid bigint, day date);
CREATE UNLOGGED TABLE uphub.agg_work_x (mid bigint, day date);
CREATE UNLOGGED TABLE uphub.agg_work_n (mid bigint, day date);
CREATE UNLOGGED TABLE uphub.agg_work_pday (mid bigint, day date);
CREATE UNLOGGED TABLE uphub.agg_work_pub (mid bigint, day date, tid integer, n integer);
CREATE UNLOGGED TABLE uphub.agg_work_tdelta (
	mid bigint, day date, tid integer, cnt integer, views bigint, likes bigint, coins bigint,
	favorites bigint, shares bigint, danmaku bigint, replies bigint);
CREATE UNLOGGED TABLE uphub.agg_work_vday (
	mid bigint, day date, cnt integer, views bigint, likes bigint, coins bigint,
	favorites bigint, shares bigint, danmaku bigint, replies bigint);
CREATE UNLOGGED TABLE uphub.agg_work_fdelta (mid bigint, day date, cnt integer, fans_delta bigint, follower_eod bigint);
CREATE UNLOGGED TABLE uphub.agg_work_fday (mid bigint, day date, cnt integer, fans_delta bigint, follower_eod bigint);
CREATE UNLOGGED TABLE uphub.agg_work_delta (
	key bigint, day date, cnt integer, views bigint, likes bigint, coins bigint, favorites bigint,
	shares bigint, danmaku bigint, replies bigint, fans_delta bigint, videos_published integer);
CREATE UNLOGGED TABLE uphub.agg_work_mid (mid bigint);
CREATE UNLOGGED TABLE uphub.agg_work_rank (tid integer);

-- Per video: each counter's latest non-NULL value, kept by the refresh so
-- that the summaries read one row per video instead of searching the
-- snapshots of every video of every creator they touch.
CREATE TABLE uphub.agg_video_latest (
	aid bigint PRIMARY KEY REFERENCES uphub.video (aid) ON DELETE CASCADE,
	views bigint,
	likes bigint,
	coins bigint,
	favorites bigint,
	shares bigint
) WITH (fillfactor = 80);
COMMENT ON TABLE uphub.agg_video_latest IS 'Internal: latest non-NULL counters of each video (creator_summary totals and medians).';
COMMENT ON COLUMN uphub.agg_video_latest.aid IS 'The video.';
COMMENT ON COLUMN uphub.agg_video_latest.views IS 'Latest non-NULL view count.';
COMMENT ON COLUMN uphub.agg_video_latest.likes IS 'Latest non-NULL like count.';
COMMENT ON COLUMN uphub.agg_video_latest.coins IS 'Latest non-NULL coin count.';
COMMENT ON COLUMN uphub.agg_video_latest.favorites IS 'Latest non-NULL favorite count.';
COMMENT ON COLUMN uphub.agg_video_latest.shares IS 'Latest non-NULL share count.';

-- The day range (d1, d2) a change of a video at times [lo, hi] can alter and
-- the snapshots (plo, phi) that recompute it, from a window of its snapshots
-- (times ascending, whether each is complete) reaching from before lo to
-- its last one; NULLs when the window does not reach far enough back. C
-- (interp.c): the computation the video step (vstep.c) makes on each
-- video's window, as SQL for the tests.
CREATE FUNCTION uphub._agg_video_range(ts timestamptz[], complete boolean[], lo timestamptz,
									   hi timestamptz, OUT d1 date, OUT d2 date, OUT plo timestamptz,
									   OUT phi timestamptz)
	RETURNS record
	LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'uphub_agg_video_range';

-- Steps 2 and 3 of a batch for the videos claimed into agg_work_change:
-- their day ranges (into agg_work_range), their video_daily rows and
-- agg_video_latest brought to their snapshots, the difference of the
-- changed rows summed per creator day (agg_work_vday) and per creator day
-- and partition (agg_work_tdelta). whole: read every snapshot of each
-- video (a bulk catch-up) instead of a window from three days before the
-- change. C (vstep.c); returns the videos done. Called by
-- _agg_refresh_batch only.
CREATE FUNCTION uphub._agg_video_step(whole boolean)
	RETURNS bigint
	LANGUAGE c VOLATILE STRICT
	AS 'MODULE_PATHNAME', 'uphub_agg_video_step';
REVOKE ALL ON FUNCTION uphub._agg_video_step(boolean) FROM PUBLIC;

-- Per creator and day: follower movement from creator_snapshot (the part of
-- creator_daily that does not come from videos).
CREATE TABLE uphub.agg_follower_daily (
	mid bigint NOT NULL,
	day date NOT NULL,
	fans_delta bigint NOT NULL,
	follower_eod bigint,
	PRIMARY KEY (mid, day)
);
COMMENT ON TABLE uphub.agg_follower_daily IS 'Internal: daily follower deltas and end-of-day followers interpolated from creator_snapshot.';

-- Per creator, day and partition in force that day: the creator's
-- contribution to partition_daily (its video days in that partition, its
-- follower movement when it is its main partition, its publishes there).
-- partition_daily is the sum of these rows, creators their count; the
-- refresh rewrites the rows of the creator days it touches and adds the
-- difference (no foreign key: a row goes only through the refresh, so the
-- difference is never missed).
CREATE TABLE uphub.agg_creator_tid_daily (
	mid bigint NOT NULL,
	day date NOT NULL,
	tid integer NOT NULL,
	views bigint NOT NULL,
	likes bigint NOT NULL,
	coins bigint NOT NULL,
	favorites bigint NOT NULL,
	shares bigint NOT NULL,
	danmaku bigint NOT NULL,
	replies bigint NOT NULL,
	fans_delta bigint NOT NULL,
	videos_published integer NOT NULL,
	video_rows integer NOT NULL,
	is_main boolean NOT NULL,
	PRIMARY KEY (mid, day, tid)
) WITH (fillfactor = 80);
COMMENT ON TABLE uphub.agg_creator_tid_daily IS 'Internal: per creator, day and partition in force that day, the creator''s contribution to partition_daily.';

-- Per creator day with an agency in force that day: the creator_daily row
-- and that agency (mcn_daily is the sum of these rows, creators their
-- count; kept like agg_creator_tid_daily).
CREATE TABLE uphub.agg_creator_mcn_daily (
	mid bigint NOT NULL,
	day date NOT NULL,
	mcn_id bigint NOT NULL,
	views bigint NOT NULL,
	likes bigint NOT NULL,
	coins bigint NOT NULL,
	favorites bigint NOT NULL,
	shares bigint NOT NULL,
	danmaku bigint NOT NULL,
	replies bigint NOT NULL,
	fans_delta bigint NOT NULL,
	videos_published integer NOT NULL,
	PRIMARY KEY (mid, day)
) WITH (fillfactor = 80);
COMMENT ON TABLE uphub.agg_creator_mcn_daily IS 'Internal: per creator day, the agency in force that day and the creator''s contribution to mcn_daily.';

-- Cumulative value at time b on the straight line between (t0, v0) and (t1, v1),
-- rounded half away from zero: the integer a day boundary gets.
CREATE FUNCTION uphub._agg_interp(t0 timestamptz, v0 numeric, t1 timestamptz, v1 numeric, b timestamptz)
	RETURNS numeric
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	-- OPERATOR() syntax gives every operator the same precedence: fully parenthesised.
	RETURN pg_catalog.round(v0 OPERATOR(pg_catalog.+)
		(((v1 OPERATOR(pg_catalog.-) v0)
		  OPERATOR(pg_catalog.*) (EXTRACT(epoch FROM b) OPERATOR(pg_catalog.-) EXTRACT(epoch FROM t0)))
		 OPERATOR(pg_catalog./) (EXTRACT(epoch FROM t1) OPERATOR(pg_catalog.-) EXTRACT(epoch FROM t0))));

-- Asia/Shanghai midnights strictly between t0 and t1, limited to the
-- boundaries of days d1 .. d2 (their starts and the end of d2).
CREATE FUNCTION uphub._agg_boundaries(t0 timestamptz, t1 timestamptz, d1 date, d2 date)
	RETURNS SETOF timestamptz
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	AS $$
	SELECT b FROM (
		SELECT pg_catalog.timezone('Asia/Shanghai', g) AS b
		FROM pg_catalog.generate_series(
			GREATEST(pg_catalog.date_trunc('day', pg_catalog.timezone('Asia/Shanghai', t0))
						OPERATOR(pg_catalog.+) interval '1 day', d1::timestamp),
			LEAST(pg_catalog.timezone('Asia/Shanghai', t1),
				  d2::timestamp OPERATOR(pg_catalog.+) interval '1 day'),
			interval '1 day') AS g) x
	WHERE b OPERATOR(pg_catalog.<) t1 AND b OPERATOR(pg_catalog.>) t0
$$;

-- Delete the contribution rows of tbl (agg_creator_tid_daily or
-- agg_creator_mcn_daily) of the creator days listed in the scratch table
-- days (and meeting cond), and log each as a difference in agg_work_delta:
-- minus its values, minus one creator, under the partition or agency
-- (keycol) it was counted for.
CREATE FUNCTION uphub._agg_take_out(tbl text, keycol text, days text, cond text DEFAULT 'true')
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	SET jit = off
	AS $$
BEGIN
	EXECUTE pg_catalog.format($q$
	WITH old AS (
		DELETE FROM uphub.%1$I a USING uphub.%3$I x
		WHERE a.mid = x.mid AND a.day = x.day AND (%4$s)
		RETURNING a.*)
	INSERT INTO uphub.agg_work_delta (key, day, cnt, views, likes, coins, favorites, shares, danmaku,
									  replies, fans_delta, videos_published)
	SELECT %2$I, day, -1, -views, -likes, -coins, -favorites, -shares, -danmaku, -replies,
		-fans_delta, -videos_published
	FROM old
	$q$, tbl, keycol, days, cond);
END;
$$;
REVOKE ALL ON FUNCTION uphub._agg_take_out(text, text, text, text) FROM PUBLIC;

-- Add the differences collected in agg_work_delta (per key and day: counters
-- and creators) to partition_daily or mcn_daily, then empty it. A row is
-- updated in place, created for a new key and day (when the partition or
-- agency exists), and deleted once no creator contributes to it. One
-- function for both tables, which differ only in their names.
CREATE FUNCTION uphub._agg_apply_delta(tbl text, keycol text, dim text)
	RETURNS void
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	SET jit = off
	AS $$
BEGIN
	EXECUTE pg_catalog.format($q$
	WITH d AS (
		SELECT key, day, sum(cnt) AS cnt, sum(views) AS views, sum(likes) AS likes, sum(coins) AS coins,
			sum(favorites) AS favorites, sum(shares) AS shares, sum(danmaku) AS danmaku,
			sum(replies) AS replies, sum(fans_delta) AS fans_delta,
			sum(videos_published) AS videos_published
		FROM uphub.agg_work_delta GROUP BY key, day
	), up AS (
		UPDATE uphub.%1$I t SET views = t.views + d.views, likes = t.likes + d.likes,
			coins = t.coins + d.coins, favorites = t.favorites + d.favorites,
			shares = t.shares + d.shares, danmaku = t.danmaku + d.danmaku,
			replies = t.replies + d.replies, fans_delta = t.fans_delta + d.fans_delta,
			videos_published = t.videos_published + d.videos_published, creators = t.creators + d.cnt
		FROM d WHERE t.%2$I = d.key AND t.day = d.day
		RETURNING t.%2$I AS key, t.day)
	INSERT INTO uphub.%1$I (%2$I, day, views, likes, coins, favorites, shares, danmaku, replies,
							fans_delta, videos_published, creators)
	SELECT d.key, d.day, d.views, d.likes, d.coins, d.favorites, d.shares, d.danmaku, d.replies,
		d.fans_delta, d.videos_published, d.cnt
	FROM d JOIN uphub.%3$I k ON k.%2$I = d.key
	WHERE d.cnt > 0 AND NOT EXISTS (SELECT 1 FROM up WHERE up.key = d.key AND up.day = d.day)
	$q$, tbl, keycol, dim);
	EXECUTE pg_catalog.format($q$
	DELETE FROM uphub.%1$I t USING (SELECT DISTINCT key, day FROM uphub.agg_work_delta) d
	WHERE t.%2$I = d.key AND t.day = d.day AND t.creators = 0
	$q$, tbl, keycol);
	TRUNCATE uphub.agg_work_delta;
END;
$$;
REVOKE ALL ON FUNCTION uphub._agg_apply_delta(text, text, text) FROM PUBLIC;

-- Claim up to batch_size logged changes (ids <= max_id) and bring every
-- aggregate they affect up to date. Returns the number of changes applied.
-- The caller holds the refresh lock (see refresh.c).
CREATE FUNCTION uphub._agg_refresh_batch(batch_size integer, max_id bigint)
	RETURNS bigint
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	-- Planned costs of a big batch pass jit_above_cost; compiling costs more than it saves.
	SET jit = off
	AS $$
DECLARE
	n bigint;
	bound bigint;
	prev_seqscan text;
	small boolean;
	today date := uphub._agg_day(now());
BEGIN
	-- 1. Claim. Rows of transactions that commit after this statement's
	--    snapshot stay in the log for the next batch.
	--    batch_size <= 0 claims everything up to max_id (refresh_aggregates()).
	--    Otherwise whole entities: the entities of the oldest changes, in
	--    the order of their first change, with all their changes, as many
	--    as fit in batch_size changes. A worker behind its writers finds
	--    several changes of one video (a snapshot a day over a backlog of
	--    days) and recomputes its days once: claimed one change at a time,
	--    each change's range also runs to the next snapshot, already loaded,
	--    and every day was rewritten three times. The entities are looked
	--    for among the first 16 x batch_size changes (an index range scan;
	--    the rest of a big backlog is left for later batches). When the
	--    oldest entity alone has more than batch_size changes, the first
	--    batch_size changes are claimed (an id range, as before).
	n := 0;
	IF batch_size > 0 THEN
		SELECT id INTO bound FROM uphub.agg_change WHERE id <= max_id
		ORDER BY id OFFSET 16 * batch_size::bigint - 1 LIMIT 1;
		IF NOT FOUND THEN
			bound := max_id;
		END IF;
		--    (At most batch_size entities fit: the running sum runs over the
		--    first batch_size of them only, a top-N sort.)
		WITH k AS MATERIALIZED (
			SELECT kind, key, pg_catalog.min(id) AS first, pg_catalog.count(*)::integer AS cnt
			FROM uphub.agg_change WHERE id <= bound GROUP BY kind, key
		), fit AS (
			SELECT kind, key FROM (
				SELECT kind, key, pg_catalog.sum(cnt) OVER (ORDER BY first) AS upto
				FROM (SELECT * FROM k ORDER BY first LIMIT batch_size) f) c
			WHERE upto <= batch_size
		), claimed AS (
			DELETE FROM uphub.agg_change a USING fit
			WHERE a.kind = fit.kind AND a.key = fit.key AND a.id <= bound
			RETURNING a.kind, a.key, a.mid, a.t_lo, a.t_hi)
		INSERT INTO uphub.agg_work_change SELECT * FROM claimed;
		GET DIAGNOSTICS n = ROW_COUNT;
	END IF;
	--    Everything up to max_id, or no entity fitted: an id range.
	IF n = 0 THEN
		bound := max_id;
		IF batch_size > 0 THEN
			SELECT id INTO bound FROM uphub.agg_change WHERE id <= max_id
			ORDER BY id OFFSET batch_size - 1 LIMIT 1;
			IF NOT FOUND THEN
				bound := max_id;
			END IF;
		END IF;
		WITH claimed AS (
			DELETE FROM uphub.agg_change WHERE id <= bound
			RETURNING kind, key, mid, t_lo, t_hi)
		INSERT INTO uphub.agg_work_change SELECT * FROM claimed;
		GET DIAGNOSTICS n = ROW_COUNT;
	END IF;
	IF n = 0 THEN
		RETURN 0;
	END IF;
	-- The scratch tables are never analyzed by autovacuum in time: give the
	-- planner their real size (a few milliseconds) before joining them.
	ANALYZE uphub.agg_work_change (kind, key);
	-- A batch of the usual size touches a small part of the aggregate
	-- tables, and each statement below is driven by a scratch table: reach
	-- the aggregate rows through their indexes. With the default costs the
	-- planner hashes the whole of video_daily to find the rows of a few
	-- thousand videos (a sequential scan per batch that grows with the
	-- table). The same holds for a bigger batch still small beside the
	-- aggregates (under a twentieth of video_daily's rows: a refresh after
	-- a 1% load); a catch-up of more changes than that (a bulk load, the
	-- first build) keeps the planner's choice. Set for this batch only,
	-- restored below. A lookup from a scratch table into a big table is
	-- written as a fenced lateral subquery (OFFSET 0): one index probe per
	-- scratch row. As a join, the planner (which cannot know a scratch
	-- table's size when it plans) read the whole of video, creator_snapshot
	-- or creator_daily through an index to hash it: a cost per batch that
	-- grows with those tables.
	prev_seqscan := pg_catalog.current_setting('enable_seqscan');
	small := n <= 50000 OR n * 20 < (SELECT c.reltuples FROM pg_catalog.pg_class c
									 WHERE c.oid = 'uphub.video_daily'::pg_catalog.regclass);
	IF small THEN
		PERFORM pg_catalog.set_config('enable_seqscan', 'off', true);
	END IF;

	-- 2. Day ranges. A change at times [lo, hi] of an entity can only alter
	--    the days between the last fully observed snapshot before lo and the
	--    first one after hi (or the entity's first/last snapshot).
	--    The snapshots needed to recompute days d1..d2: from the last fully
	--    observed one at or before the start of d1 to the first at or after
	--    the end of d2 (plo, phi).
	-- 3. video_daily: the days of each range recomputed from the snapshots
	--    and compared with the stored rows; what changed is rewritten, and
	--    the difference (rows gone or added, counters) summed per creator
	--    day (agg_work_vday) and per creator day and partition in force
	--    that day (agg_work_tdelta), to carry it on to the creator days.
	--    Steps 2 and 3 for videos are C (_agg_video_step, vstep.c): one
	--    read of each video's snapshots from three days before lo on (a
	--    bulk catch-up: all of them, as its window would be), then the
	--    range, the days and the changed rows in place. It fills
	--    agg_work_range for the videos.
	PERFORM uphub._agg_video_step(NOT small);

	--    Creators: one statement, the day range in a fenced subquery
	--    (OFFSET 0: each probe runs once per entity).
	INSERT INTO uphub.agg_work_range (kind, key, lo, hi, d1, d2, plo, phi)
	SELECT 'c', d.key, d.lo, d.hi, d.d1, d.d2,
		COALESCE((SELECT max(s.observed_at) FROM uphub.creator_snapshot s
			WHERE s.mid = d.key AND s.observed_at <= uphub._agg_day_start(d.d1)
			  AND s.follower IS NOT NULL), '-infinity'),
		COALESCE((SELECT min(s.observed_at) FROM uphub.creator_snapshot s
			WHERE s.mid = d.key AND s.observed_at >= uphub._agg_day_start(d.d2) + interval '1 day'
			  AND s.follower IS NOT NULL), 'infinity')
	FROM (
		SELECT r.key, r.lo, r.hi,
			uphub._agg_day(COALESCE(
				(SELECT max(s.observed_at) FROM uphub.creator_snapshot s
				 WHERE s.mid = r.key AND s.observed_at < r.lo AND s.follower IS NOT NULL),
				LEAST(r.lo, (SELECT min(s.observed_at) FROM uphub.creator_snapshot s WHERE s.mid = r.key)))) AS d1,
			uphub._agg_day(COALESCE(
				(SELECT min(s.observed_at) FROM uphub.creator_snapshot s
				 WHERE s.mid = r.key AND s.observed_at > r.hi AND s.follower IS NOT NULL),
				(SELECT max(s.observed_at) FROM uphub.creator_snapshot s
				 WHERE s.mid = r.key AND s.observed_at > r.hi),
				r.hi)) AS d2
		FROM (SELECT key, min(t_lo) AS lo, max(t_hi) AS hi FROM uphub.agg_work_change
			  WHERE kind = 'c' GROUP BY key) r
		OFFSET 0) d;
	ANALYZE uphub.agg_work_range (kind, key);

	-- A deleted video took its rows with it (ON DELETE CASCADE): its
	-- creator's days of the range still need recomputing, and any latest
	-- values written for it (above, when it went during the batch) go.
	WITH gone AS MATERIALIZED (
		SELECT r.key, r.d1, r.d2 FROM uphub.agg_work_range r
		LEFT JOIN LATERAL (SELECT true AS e FROM uphub.video v WHERE v.aid = r.key OFFSET 0) v ON true
		WHERE r.kind = 'v' AND v.e IS NULL
	), latest AS (
		DELETE FROM uphub.agg_video_latest l USING gone g WHERE l.aid = g.key)
	INSERT INTO uphub.agg_work_cday
	SELECT DISTINCT c.mid, d::date
	FROM gone r
	JOIN uphub.agg_work_change c ON c.kind = 'v' AND c.key = r.key AND c.mid IS NOT NULL
	CROSS JOIN LATERAL generate_series(r.d1::timestamp, r.d2::timestamp, interval '1 day') d
	WHERE r.d1 > '-infinity' AND r.d2 < 'infinity';

	-- 4. Follower movement, the same way from creator_snapshot; the rows
	--    removed and written are kept (agg_work_fdelta, -1 / +1).
	WITH del AS (
		DELETE FROM uphub.agg_follower_daily f USING uphub.agg_work_range r
		WHERE r.kind = 'c' AND f.mid = r.key AND f.day BETWEEN r.d1 AND r.d2
		RETURNING f.mid, f.day, f.fans_delta)
	INSERT INTO uphub.agg_work_fdelta SELECT mid, day, -1, -fans_delta, NULL FROM del;

	WITH pts AS (
		SELECT r.key AS mid, r.d1, r.d2, s.observed_at AS t, s.follower AS v
		FROM uphub.agg_work_range r
		CROSS JOIN LATERAL (SELECT s.observed_at, s.follower FROM uphub.creator_snapshot s
			WHERE s.mid = r.key AND s.observed_at >= r.plo AND s.observed_at <= r.phi
			  AND s.follower IS NOT NULL OFFSET 0) s
		WHERE r.kind = 'c'
	), seg AS (
		SELECT mid, d1, d2, t, v, lead(t) OVER w AS t1, lead(v) OVER w AS v1
		FROM pts WINDOW w AS (PARTITION BY mid ORDER BY t)
	), knots AS (
		SELECT mid, d1, d2, t, v::numeric AS v FROM seg
		UNION ALL
		SELECT seg.mid, seg.d1, seg.d2, b.b, uphub._agg_interp(seg.t, seg.v, seg.t1, seg.v1, b.b)
		FROM seg CROSS JOIN LATERAL uphub._agg_boundaries(seg.t, seg.t1, seg.d1, seg.d2) AS b(b)
		WHERE seg.t1 IS NOT NULL
	), steps AS (
		SELECT mid, d1, d2, t, uphub._agg_day(t) AS day, lead(v) OVER w AS v1, lead(v) OVER w - v AS delta
		FROM knots WINDOW w AS (PARTITION BY mid ORDER BY t)
	), ins AS (
		INSERT INTO uphub.agg_follower_daily (mid, day, fans_delta, follower_eod)
		SELECT mid, day, sum(delta)::bigint, ((array_agg(v1 ORDER BY t DESC))[1])::bigint
		FROM steps WHERE delta IS NOT NULL AND day BETWEEN d1 AND d2
		GROUP BY mid, day
		RETURNING mid, day, fans_delta, follower_eod)
	INSERT INTO uphub.agg_work_fdelta SELECT mid, day, 1, fans_delta, follower_eod FROM ins;

	-- Publish days of videos that appeared, moved day or owner, or went away,
	-- with the creator's videos published that day now, per partition in
	-- force that day (NULL: none), counted once here for the whole batch.
	-- Step 5 sets the stored counts to these (a difference from the data:
	-- a video whose insert commits after the claim but before this read is
	-- counted now, and its log row, applied by the next batch, counts it
	-- again to the same number, not one more).
	INSERT INTO uphub.agg_work_pday
	SELECT DISTINCT mid, uphub._agg_day(t_lo) FROM uphub.agg_work_change
	WHERE kind = 'p' AND mid IS NOT NULL;
	INSERT INTO uphub.agg_work_pub
	SELECT p.mid, p.day, h.tid, count(*)
	FROM uphub.agg_work_pday p
	CROSS JOIN LATERAL (SELECT pv.aid FROM uphub.video pv
		WHERE pv.mid = p.mid AND pv.pubdate >= uphub._agg_day_start(p.day)
		  AND pv.pubdate < uphub._agg_day_start(p.day) + interval '1 day' OFFSET 0) pv
	LEFT JOIN LATERAL (SELECT h.tid FROM uphub.video_tid_history h
		WHERE h.aid = pv.aid AND h.from_day <= p.day ORDER BY h.from_day DESC LIMIT 1) h ON true
	GROUP BY p.mid, p.day, h.tid;

	-- Creator days whose attribution moved: a video's partition from the
	-- move on (its video days and its publish day), a creator's main
	-- partition or agency from the move on (its creator days).
	INSERT INTO uphub.agg_work_cday
	SELECT v.mid, v.day FROM uphub.agg_work_change c
	JOIN uphub.video_daily v ON v.aid = c.key AND v.day >= uphub._agg_day(c.t_lo)
	WHERE c.kind = 'a'
	UNION ALL
	SELECT v.mid, uphub._agg_day(v.pubdate) FROM uphub.agg_work_change c
	JOIN uphub.video v ON v.aid = c.key AND uphub._agg_day(v.pubdate) >= uphub._agg_day(c.t_lo)
	WHERE c.kind = 'a'
	UNION ALL
	SELECT cd.mid, cd.day FROM uphub.agg_work_change c
	JOIN uphub.creator_daily cd ON cd.mid = c.key AND cd.day >= uphub._agg_day(c.t_lo)
	WHERE c.kind = 'm';

	-- 5. Creator days. Those in agg_work_cday (moves, deleted videos, a
	--    video or follower day that went away) are recomputed. The others
	--    only had video days or their follower day rewritten or added, or
	--    their publishes changed: their creator_daily row, agency and
	--    partition contributions get the difference added (agg_work_vday,
	--    agg_work_fday) and their publish counts set (agg_work_pub). A
	--    creator day with no creator_daily row had no video day, follower
	--    day or publish before (the row exists exactly when one does): it
	--    appears made of its new days alone (agg_work_n), with its
	--    contributions. A publish day is recomputed instead when it has no
	--    row and no new video or follower day (nothing else makes its row),
	--    or when its count fell to 0 (the row may have to go).
	--    (agg_work_vday and agg_work_tdelta come from the video step.)
	INSERT INTO uphub.agg_work_fday (mid, day, cnt, fans_delta, follower_eod)
	SELECT d.mid, d.day, sum(d.cnt), sum(d.fans_delta), max(d.follower_eod)
	FROM uphub.agg_work_fdelta d
	GROUP BY d.mid, d.day;
	WITH d AS MATERIALIZED (
		SELECT d.mid, d.day, bool_or(d.gone) AS gone, bool_and(d.pub) AS pub_only,
			bool_or(d.pub_none) AS pub_none, c.e IS NOT NULL AS has_row,
			cr.e IS NOT NULL AS has_creator
		FROM (SELECT mid, day, cnt < 0 AS gone, false AS pub, false AS pub_none FROM uphub.agg_work_vday
			  UNION ALL
			  SELECT mid, day, cnt < 0, false, false FROM uphub.agg_work_fday
			  UNION ALL
			  SELECT p.mid, p.day, false, true,
				  NOT EXISTS (SELECT 1 FROM uphub.agg_work_pub b WHERE b.mid = p.mid AND b.day = p.day)
			  FROM uphub.agg_work_pday p) d
		LEFT JOIN LATERAL (SELECT true AS e FROM uphub.creator_daily c
			WHERE c.mid = d.mid AND c.day = d.day OFFSET 0) c ON true
		LEFT JOIN LATERAL (SELECT true AS e FROM uphub.creator cr WHERE cr.mid = d.mid OFFSET 0) cr ON true
		GROUP BY d.mid, d.day, c.e, cr.e
	), n AS (
		INSERT INTO uphub.agg_work_n
		SELECT mid, day FROM d WHERE NOT gone AND NOT has_row AND has_creator AND NOT pub_only
		  AND NOT pub_none)
	INSERT INTO uphub.agg_work_cday
	SELECT mid, day FROM d
	WHERE gone OR NOT (has_row OR has_creator) OR pub_none OR (pub_only AND NOT has_row);
	INSERT INTO uphub.agg_work_x SELECT DISTINCT mid, day FROM uphub.agg_work_cday;
	ANALYZE uphub.agg_work_x (mid, day);
	DELETE FROM uphub.agg_work_vday v USING uphub.agg_work_x x WHERE v.mid = x.mid AND v.day = x.day;
	ANALYZE uphub.agg_work_vday (mid, day);
	DELETE FROM uphub.agg_work_tdelta t USING uphub.agg_work_x x WHERE t.mid = x.mid AND t.day = x.day;
	DELETE FROM uphub.agg_work_fday f USING uphub.agg_work_x x WHERE f.mid = x.mid AND f.day = x.day;
	ANALYZE uphub.agg_work_fday (mid, day);
	DELETE FROM uphub.agg_work_n n USING uphub.agg_work_x x WHERE n.mid = x.mid AND n.day = x.day;
	ANALYZE uphub.agg_work_n (mid, day);
	DELETE FROM uphub.agg_work_pday p USING uphub.agg_work_x x WHERE p.mid = x.mid AND p.day = x.day;
	ANALYZE uphub.agg_work_pday (mid, day);

	UPDATE uphub.creator_daily c SET views = c.views + v.views, likes = c.likes + v.likes,
		coins = c.coins + v.coins, favorites = c.favorites + v.favorites, shares = c.shares + v.shares,
		danmaku = c.danmaku + v.danmaku, replies = c.replies + v.replies
	FROM uphub.agg_work_vday v
	WHERE c.mid = v.mid AND c.day = v.day;
	UPDATE uphub.creator_daily c SET fans_delta = c.fans_delta + f.fans_delta,
		follower_eod = f.follower_eod
	FROM uphub.agg_work_fday f
	WHERE c.mid = f.mid AND c.day = f.day;
	--    The creator days that appear (their publishes, if any, are counted
	--    below).
	INSERT INTO uphub.creator_daily (mid, day, views, likes, coins, favorites, shares, danmaku,
									 replies, fans_delta, follower_eod, videos_published)
	SELECT n.mid, n.day, COALESCE(v.views, 0), COALESCE(v.likes, 0), COALESCE(v.coins, 0),
		COALESCE(v.favorites, 0), COALESCE(v.shares, 0), COALESCE(v.danmaku, 0), COALESCE(v.replies, 0),
		COALESCE(f.fans_delta, 0), f.follower_eod, 0
	FROM uphub.agg_work_n n
	LEFT JOIN uphub.agg_work_vday v ON v.mid = n.mid AND v.day = n.day
	LEFT JOIN uphub.agg_work_fday f ON f.mid = n.mid AND f.day = n.day;

	--    creator_daily, recomputed for those days.
	DELETE FROM uphub.creator_daily c USING uphub.agg_work_x x
	WHERE c.mid = x.mid AND c.day = x.day;

	INSERT INTO uphub.creator_daily (mid, day, views, likes, coins, favorites, shares, danmaku,
									 replies, fans_delta, follower_eod, videos_published)
	SELECT x.mid, x.day, COALESCE(v.views, 0), COALESCE(v.likes, 0), COALESCE(v.coins, 0),
		COALESCE(v.favorites, 0), COALESCE(v.shares, 0), COALESCE(v.danmaku, 0), COALESCE(v.replies, 0),
		COALESCE(f.fans_delta, 0), f.follower_eod, p.n
	FROM uphub.agg_work_x x
	CROSS JOIN LATERAL (SELECT cr.mid FROM uphub.creator cr WHERE cr.mid = x.mid OFFSET 0) cr
	CROSS JOIN LATERAL (
		SELECT count(*) AS n, sum(views) AS views, sum(likes) AS likes, sum(coins) AS coins,
			sum(favorites) AS favorites, sum(shares) AS shares, sum(danmaku) AS danmaku,
			sum(replies) AS replies
		FROM uphub.video_daily vd WHERE vd.mid = x.mid AND vd.day = x.day) v
	LEFT JOIN LATERAL (SELECT f.mid, f.fans_delta, f.follower_eod FROM uphub.agg_follower_daily f
		WHERE f.mid = x.mid AND f.day = x.day OFFSET 0) f ON true
	CROSS JOIN LATERAL (
		SELECT count(*)::integer AS n FROM uphub.video pv
		WHERE pv.mid = x.mid AND pv.pubdate >= uphub._agg_day_start(x.day)
		  AND pv.pubdate < uphub._agg_day_start(x.day) + interval '1 day') p
	WHERE v.n > 0 OR f.mid IS NOT NULL OR p.n > 0;

	--    The publish days not recomputed: their count (the row is there:
	--    it was, or it appeared above).
	UPDATE uphub.creator_daily c SET videos_published = t.n
	FROM (SELECT b.mid, b.day, sum(b.n)::integer AS n
		  FROM uphub.agg_work_pday p JOIN uphub.agg_work_pub b ON b.mid = p.mid AND b.day = p.day
		  GROUP BY b.mid, b.day) t
	WHERE c.mid = t.mid AND c.day = t.day AND c.videos_published <> t.n;

	-- 6. Partition and agency days, kept as sums of per-creator
	--    contributions that carry their own attribution: rewrite the
	--    contributions of the creator days above and add (new - old) to
	--    partition_daily / mcn_daily. The work grows with the creator days
	--    touched, not with the creators of a day; an attribution that moves
	--    (history rewritten by a capture) takes its old contribution with it.
	--
	--    Partitions: per creator, day and partition in force that day, the
	--    creator's video days, its follower movement (main partition) and
	--    its publishes. One row per (tid, day, mid): creators = the count.
	PERFORM uphub._agg_take_out('agg_creator_tid_daily', 'tid', 'agg_work_x');

	WITH new AS (
		INSERT INTO uphub.agg_creator_tid_daily (mid, day, tid, views, likes, coins, favorites, shares,
												 danmaku, replies, fans_delta, videos_published,
												 video_rows, is_main)
		SELECT x.mid, x.day, y.tid, sum(y.views), sum(y.likes), sum(y.coins), sum(y.favorites),
			sum(y.shares), sum(y.danmaku), sum(y.replies), sum(y.fans_delta), sum(y.published),
			sum(y.video_rows), bool_or(y.is_main)
		FROM uphub.agg_work_x x
		CROSS JOIN LATERAL (SELECT cr.mid FROM uphub.creator cr WHERE cr.mid = x.mid OFFSET 0) cr
		CROSS JOIN LATERAL (
			SELECT h.tid, v.views, v.likes, v.coins, v.favorites, v.shares, v.danmaku, v.replies,
				0::bigint AS fans_delta, 0 AS published, 1 AS video_rows, false AS is_main
			FROM uphub.video_daily v
			CROSS JOIN LATERAL (SELECT h.tid FROM uphub.video_tid_history h
				WHERE h.aid = v.aid AND h.from_day <= v.day ORDER BY h.from_day DESC LIMIT 1) h
			WHERE v.mid = x.mid AND v.day = x.day
			UNION ALL
			SELECT h.main_tid, 0, 0, 0, 0, 0, 0, 0, c.fans_delta, 0, 0, true
			FROM uphub.creator_daily c
			CROSS JOIN LATERAL (SELECT h.main_tid FROM uphub.creator_dim_history h
				WHERE h.mid = c.mid AND h.from_day <= c.day ORDER BY h.from_day DESC LIMIT 1) h
			WHERE c.mid = x.mid AND c.day = x.day
			UNION ALL
			SELECT h.tid, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, false
			FROM uphub.video pv
			CROSS JOIN LATERAL (SELECT h.tid FROM uphub.video_tid_history h
				WHERE h.aid = pv.aid AND h.from_day <= x.day ORDER BY h.from_day DESC LIMIT 1) h
			WHERE pv.mid = x.mid AND pv.pubdate >= uphub._agg_day_start(x.day)
			  AND pv.pubdate < uphub._agg_day_start(x.day) + interval '1 day') y
		WHERE y.tid IS NOT NULL
		GROUP BY x.mid, x.day, y.tid
		RETURNING *)
	INSERT INTO uphub.agg_work_delta (key, day, cnt, views, likes, coins, favorites, shares, danmaku,
									  replies, fans_delta, videos_published)
	SELECT tid, day, 1, views, likes, coins, favorites, shares, danmaku, replies, fans_delta,
		videos_published
	FROM new;

	--    The other creator days: each rewritten video day goes to the
	--    partition its video was in that day; a contribution row appears
	--    with its first video day and goes with its last one (unless it
	--    also holds the follower movement or publishes).
	--    (agg_work_tdelta: from the video step, less the recomputed days.)
	ANALYZE uphub.agg_work_tdelta (mid, day, tid);
	WITH up AS (
		UPDATE uphub.agg_creator_tid_daily a SET views = a.views + t.views, likes = a.likes + t.likes,
			coins = a.coins + t.coins, favorites = a.favorites + t.favorites,
			shares = a.shares + t.shares, danmaku = a.danmaku + t.danmaku,
			replies = a.replies + t.replies, video_rows = a.video_rows + t.cnt
		FROM uphub.agg_work_tdelta t
		WHERE a.mid = t.mid AND a.day = t.day AND a.tid = t.tid
		RETURNING t.*)
	INSERT INTO uphub.agg_work_delta (key, day, cnt, views, likes, coins, favorites, shares, danmaku,
									  replies, fans_delta, videos_published)
	SELECT tid, day, 0, views, likes, coins, favorites, shares, danmaku, replies, 0, 0 FROM up;
	WITH ins AS (
		INSERT INTO uphub.agg_creator_tid_daily (mid, day, tid, views, likes, coins, favorites, shares,
												 danmaku, replies, fans_delta, videos_published,
												 video_rows, is_main)
		SELECT t.mid, t.day, t.tid, t.views, t.likes, t.coins, t.favorites, t.shares, t.danmaku,
			t.replies, 0, 0, t.cnt, false
		FROM uphub.agg_work_tdelta t
		WHERE NOT EXISTS (SELECT 1 FROM uphub.agg_creator_tid_daily a
			WHERE a.mid = t.mid AND a.day = t.day AND a.tid = t.tid)
		RETURNING *)
	INSERT INTO uphub.agg_work_delta (key, day, cnt, views, likes, coins, favorites, shares, danmaku,
									  replies, fans_delta, videos_published)
	SELECT tid, day, 1, views, likes, coins, favorites, shares, danmaku, replies, 0, 0 FROM ins;
	PERFORM uphub._agg_take_out('agg_creator_tid_daily', 'tid', 'agg_work_vday',
		'a.video_rows = 0 AND NOT a.is_main AND a.videos_published = 0');
	--    A follower day difference goes to the row of the main partition
	--    it was counted for.
	WITH up AS (
		UPDATE uphub.agg_creator_tid_daily a SET fans_delta = a.fans_delta + f.fans_delta
		FROM uphub.agg_work_fday f
		WHERE a.mid = f.mid AND a.day = f.day AND a.is_main AND f.fans_delta <> 0
		RETURNING a.tid, f.day, f.fans_delta)
	INSERT INTO uphub.agg_work_delta (key, day, cnt, views, likes, coins, favorites, shares, danmaku,
									  replies, fans_delta, videos_published)
	SELECT tid, day, 0, 0, 0, 0, 0, 0, 0, 0, fans_delta, 0 FROM up;
	--    A creator day that appears counts its creator in its main
	--    partition (with its follower movement): that row is marked, or
	--    added when none of its videos was there that day.
	WITH m AS MATERIALIZED (
		SELECT n.mid, n.day, h.main_tid, COALESCE(f.fans_delta, 0) AS fans
		FROM uphub.agg_work_n n
		CROSS JOIN LATERAL (SELECT h.main_tid FROM uphub.creator_dim_history h
			WHERE h.mid = n.mid AND h.from_day <= n.day ORDER BY h.from_day DESC LIMIT 1) h
		LEFT JOIN uphub.agg_work_fday f ON f.mid = n.mid AND f.day = n.day
		WHERE h.main_tid IS NOT NULL
	), up AS (
		UPDATE uphub.agg_creator_tid_daily a SET is_main = true, fans_delta = a.fans_delta + m.fans
		FROM m
		WHERE a.mid = m.mid AND a.day = m.day AND a.tid = m.main_tid
		RETURNING a.tid, a.day, m.fans
	), ins AS (
		INSERT INTO uphub.agg_creator_tid_daily (mid, day, tid, views, likes, coins, favorites, shares,
												 danmaku, replies, fans_delta, videos_published,
												 video_rows, is_main)
		SELECT m.mid, m.day, m.main_tid, 0, 0, 0, 0, 0, 0, 0, m.fans, 0, 0, true
		FROM m
		WHERE NOT EXISTS (SELECT 1 FROM uphub.agg_creator_tid_daily a
			WHERE a.mid = m.mid AND a.day = m.day AND a.tid = m.main_tid)
		RETURNING tid, day, fans_delta)
	INSERT INTO uphub.agg_work_delta (key, day, cnt, views, likes, coins, favorites, shares, danmaku,
									  replies, fans_delta, videos_published)
	SELECT tid, day, 0, 0, 0, 0, 0, 0, 0, 0, fans, 0 FROM up
	UNION ALL
	SELECT tid, day, 1, 0, 0, 0, 0, 0, 0, 0, fans_delta, 0 FROM ins;

	--    The publish days not recomputed: each partition's count set to
	--    the new one, the difference to its partition day; a row appears
	--    with a partition's first publish there and goes when nothing else
	--    holds it.
	WITH b AS MATERIALIZED (
		SELECT b.mid, b.day, b.tid, b.n FROM uphub.agg_work_pday p
		JOIN uphub.agg_work_pub b ON b.mid = p.mid AND b.day = p.day
		WHERE b.tid IS NOT NULL
	), a AS MATERIALIZED (
		SELECT p.mid, p.day, a.tid, a.n FROM uphub.agg_work_pday p
		CROSS JOIN LATERAL (SELECT a.tid, a.videos_published AS n FROM uphub.agg_creator_tid_daily a
			WHERE a.mid = p.mid AND a.day = p.day AND a.videos_published <> 0 OFFSET 0) a
	), j AS MATERIALIZED (
		SELECT COALESCE(b.mid, a.mid) AS mid, COALESCE(b.day, a.day) AS day,
			COALESCE(b.tid, a.tid) AS tid, COALESCE(b.n, 0) - COALESCE(a.n, 0) AS d
		FROM b FULL JOIN a ON a.mid = b.mid AND a.day = b.day AND a.tid = b.tid
	), up AS (
		UPDATE uphub.agg_creator_tid_daily a SET videos_published = a.videos_published + j.d
		FROM j
		WHERE a.mid = j.mid AND a.day = j.day AND a.tid = j.tid AND j.d <> 0
		RETURNING a.tid, a.day, j.d
	), ins AS (
		INSERT INTO uphub.agg_creator_tid_daily (mid, day, tid, views, likes, coins, favorites, shares,
												 danmaku, replies, fans_delta, videos_published,
												 video_rows, is_main)
		SELECT j.mid, j.day, j.tid, 0, 0, 0, 0, 0, 0, 0, 0, j.d, 0, false
		FROM j
		WHERE j.d <> 0 AND NOT EXISTS (SELECT 1 FROM uphub.agg_creator_tid_daily a
			WHERE a.mid = j.mid AND a.day = j.day AND a.tid = j.tid)
		RETURNING tid, day, videos_published)
	INSERT INTO uphub.agg_work_delta (key, day, cnt, views, likes, coins, favorites, shares, danmaku,
									  replies, fans_delta, videos_published)
	SELECT tid, day, 0, 0, 0, 0, 0, 0, 0, 0, 0, d FROM up
	UNION ALL
	SELECT tid, day, 1, 0, 0, 0, 0, 0, 0, 0, 0, videos_published FROM ins;
	PERFORM uphub._agg_take_out('agg_creator_tid_daily', 'tid', 'agg_work_pday',
		'a.video_rows = 0 AND NOT a.is_main AND a.videos_published = 0');

	PERFORM uphub._agg_apply_delta('partition_daily', 'tid', 'partition');

	--    Agencies: each creator day with the agency in force that day.
	PERFORM uphub._agg_take_out('agg_creator_mcn_daily', 'mcn_id', 'agg_work_x');

	--    Creator days not recomputed: the difference, to the agency the row
	--    was counted for.
	WITH up AS (
		UPDATE uphub.agg_creator_mcn_daily m SET views = m.views + v.views, likes = m.likes + v.likes,
			coins = m.coins + v.coins, favorites = m.favorites + v.favorites,
			shares = m.shares + v.shares, danmaku = m.danmaku + v.danmaku,
			replies = m.replies + v.replies
		FROM uphub.agg_work_vday v
		WHERE m.mid = v.mid AND m.day = v.day
		RETURNING m.mcn_id, v.*)
	INSERT INTO uphub.agg_work_delta (key, day, cnt, views, likes, coins, favorites, shares, danmaku,
									  replies, fans_delta, videos_published)
	SELECT mcn_id, day, 0, views, likes, coins, favorites, shares, danmaku, replies, 0, 0 FROM up;
	WITH up AS (
		UPDATE uphub.agg_creator_mcn_daily m SET fans_delta = m.fans_delta + f.fans_delta
		FROM uphub.agg_work_fday f
		WHERE m.mid = f.mid AND m.day = f.day AND f.fans_delta <> 0
		RETURNING m.mcn_id, f.day, f.fans_delta)
	INSERT INTO uphub.agg_work_delta (key, day, cnt, views, likes, coins, favorites, shares, danmaku,
									  replies, fans_delta, videos_published)
	SELECT mcn_id, day, 0, 0, 0, 0, 0, 0, 0, 0, fans_delta, 0 FROM up;
	--    The creator days recomputed and those that appear: their row under
	--    the agency in force (after the differences, which only reach rows
	--    that were there before).
	WITH new AS (
		INSERT INTO uphub.agg_creator_mcn_daily (mid, day, mcn_id, views, likes, coins, favorites,
												 shares, danmaku, replies, fans_delta, videos_published)
		SELECT c.mid, c.day, h.mcn_id, c.views, c.likes, c.coins, c.favorites, c.shares, c.danmaku,
			c.replies, c.fans_delta, c.videos_published
		FROM (SELECT mid, day FROM uphub.agg_work_x UNION ALL SELECT mid, day FROM uphub.agg_work_n) n
		CROSS JOIN LATERAL (SELECT c.* FROM uphub.creator_daily c
			WHERE c.mid = n.mid AND c.day = n.day OFFSET 0) c
		CROSS JOIN LATERAL (SELECT h.mcn_id FROM uphub.creator_dim_history h
			WHERE h.mid = c.mid AND h.from_day <= c.day ORDER BY h.from_day DESC LIMIT 1) h
		WHERE h.mcn_id IS NOT NULL
		RETURNING *)
	INSERT INTO uphub.agg_work_delta (key, day, cnt, views, likes, coins, favorites, shares, danmaku,
									  replies, fans_delta, videos_published)
	SELECT mcn_id, day, 1, views, likes, coins, favorites, shares, danmaku, replies, fans_delta,
		videos_published
	FROM new;

	--    The publish days not recomputed: the agency row's count follows
	--    creator_daily's (a row that appeared above already copied it).
	WITH j AS MATERIALIZED (
		SELECT m.mid, m.day, c.videos_published - m.videos_published AS d
		FROM uphub.agg_work_pday p
		JOIN uphub.agg_creator_mcn_daily m ON m.mid = p.mid AND m.day = p.day
		JOIN uphub.creator_daily c ON c.mid = p.mid AND c.day = p.day
		WHERE c.videos_published <> m.videos_published
	), up AS (
		UPDATE uphub.agg_creator_mcn_daily m SET videos_published = m.videos_published + j.d
		FROM j
		WHERE m.mid = j.mid AND m.day = j.day
		RETURNING m.mcn_id, j.day, j.d)
	INSERT INTO uphub.agg_work_delta (key, day, cnt, views, likes, coins, favorites, shares, danmaku,
									  replies, fans_delta, videos_published)
	SELECT mcn_id, day, 0, 0, 0, 0, 0, 0, 0, 0, 0, d FROM up;

	PERFORM uphub._agg_apply_delta('mcn_daily', 'mcn_id', 'mcn');

	-- 7. Summaries of every creator touched, and ranks of their partitions.
	--    A video's first snapshot adds no day but changes its latest values:
	--    the current owner of every video with snapshot changes is touched.
	INSERT INTO uphub.agg_work_mid
	SELECT mid FROM uphub.agg_work_cday
	UNION
	SELECT mid FROM uphub.agg_work_vday
	UNION
	SELECT mid FROM uphub.agg_work_fday
	UNION
	SELECT mid FROM uphub.agg_work_change WHERE kind IN ('p', 'm', 's', 'c') AND mid IS NOT NULL
	UNION
	SELECT v.mid FROM uphub.agg_work_range r
	CROSS JOIN LATERAL (SELECT v.mid FROM uphub.video v WHERE v.aid = r.key OFFSET 0) v
	WHERE r.kind = 'v';
	INSERT INTO uphub.agg_work_rank
	SELECT key::integer FROM uphub.agg_work_change WHERE kind = 'r';
	PERFORM uphub._agg_summarize(today);

	UPDATE uphub.agg_state SET changes_applied = changes_applied + n, last_batch_at = now();
	-- Emptied by TRUNCATE, not DELETE: deleted rows stay in the files until
	-- autovacuum (a minute apart at best) and every batch's scans read them
	-- (a scratch table of rewritten video days grew to 80 MB over a
	-- 300k-change catch-up). Each
	-- batch's ANALYZE replans the statements on them anyway.
	TRUNCATE uphub.agg_work_change, uphub.agg_work_range, uphub.agg_work_cday, uphub.agg_work_x,
		uphub.agg_work_vday, uphub.agg_work_tdelta, uphub.agg_work_fdelta,
		uphub.agg_work_fday, uphub.agg_work_n, uphub.agg_work_pday, uphub.agg_work_pub;
	PERFORM pg_catalog.set_config('enable_seqscan', prev_seqscan, true);
	RETURN n;
END;
$$;
REVOKE ALL ON FUNCTION uphub._agg_refresh_batch(integer, bigint) FROM PUBLIC;

-- Recompute creator_summary for the creators in agg_work_mid, then the
-- partition ranks of their partitions (and of agg_work_rank); empties both.
--
-- One statement, set-based: each input is read once for all the creators
-- of the call and grouped by creator. Their videos are joined to their
-- agg_video_latest rows once, for the totals, the median of the 20 newest
-- and videos_30d together; the former statement ran five correlated
-- subqueries per creator, read each creator's videos three times (a lateral
-- sum, a median subquery, a count) and probed agg_video_latest once per
-- video and use, about 1.5 us a probe: for a batch's ~900 creators those
-- ~30,000 probes cost more than reading the whole table once into a hash.
-- Their creator_daily rows of the 30-day window likewise; the latest
-- follower value is one backward probe of creator_snapshot's primary key per
-- creator. agg_work_mid is ANALYZEd first, so the planner knows how many
-- creators there are: nested loops through the indexes for a few, hash joins
-- for a batch's hundreds or the day roll-over's all.
-- The ranks are computed in the same statement from the new views_30d of
-- these creators and the stored ones of the other creators of the
-- partitions to rank: each summary row of the call is written once (the
-- upsert carries its rank; the former second UPDATE rewrote it, and as a row
-- written by the same transaction it also paid a foreign-key check with a
-- row lock on creator), and only the other creators whose rank moved are
-- updated.
CREATE FUNCTION uphub._agg_summarize(today date)
	RETURNS void
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	-- Planned costs of a big batch pass jit_above_cost; compiling costs more than it saves.
	SET jit = off
	-- Its own plan choices, whatever the calling batch set (see there).
	SET enable_seqscan = on
	AS $$
DECLARE
	w7 date := today - 6;
	w30 date := today - 29;
	t30 timestamptz := uphub._agg_day_start(today - 29);
	t_end timestamptz := uphub._agg_day_start(today + 1);
BEGIN
	-- The scratch table has no statistics (or stale ones) otherwise.
	ANALYZE uphub.agg_work_mid;

	-- Partitions to rank: every partition one of these creators is or was in.
	INSERT INTO uphub.agg_work_rank
	SELECT h.main_tid FROM uphub.agg_work_mid m JOIN uphub.creator_dim_history h ON h.mid = m.mid
	WHERE h.main_tid IS NOT NULL
	UNION
	SELECT c.main_tid FROM uphub.agg_work_mid m JOIN uphub.creator c ON c.mid = m.mid
	WHERE c.main_tid IS NOT NULL;

	WITH m AS MATERIALIZED (
		SELECT DISTINCT w.mid, c.main_tid FROM uphub.agg_work_mid w JOIN uphub.creator c ON c.mid = w.mid
	), vid AS (
		-- Every video of these creators with its latest counters (NULL when
		-- it has none yet) and its place among the creator's newest.
		SELECT v.mid, v.pubdate, l.views, l.likes, l.coins, l.favorites, l.shares,
			row_number() OVER (PARTITION BY v.mid ORDER BY v.pubdate DESC NULLS LAST, v.aid DESC) AS rn
		FROM m JOIN uphub.video v ON v.mid = m.mid
		LEFT JOIN uphub.agg_video_latest l ON l.aid = v.aid
	), t AS (
		SELECT mid, sum(views) AS views, sum(likes) AS likes, sum(coins) AS coins,
			sum(favorites) AS favorites, sum(shares) AS shares,
			percentile_cont(0.5) WITHIN GROUP (ORDER BY views) FILTER (WHERE rn <= 20) AS median,
			count(*) FILTER (WHERE pubdate >= t30 AND pubdate < t_end) AS n30
		FROM vid GROUP BY mid
	), d AS (
		SELECT cd.mid, sum(cd.views) FILTER (WHERE cd.day >= w7) AS views_7d, sum(cd.views) AS views_30d,
			sum(cd.fans_delta) FILTER (WHERE cd.day >= w7) AS fans_7d, sum(cd.fans_delta) AS fans_30d,
			sum(cd.likes) AS likes_30d, sum(cd.coins) AS coins_30d, sum(cd.favorites) AS favorites_30d
		FROM m JOIN uphub.creator_daily cd ON cd.mid = m.mid AND cd.day BETWEEN w30 AND today
		GROUP BY cd.mid
	), n AS MATERIALIZED (
		SELECT m.mid, m.main_tid, f.follower,
			COALESCE(t.views, 0) AS views_total, COALESCE(t.likes, 0) AS likes_total,
			COALESCE(t.coins, 0) AS coins_total, COALESCE(t.favorites, 0) AS favorites_total,
			COALESCE(t.shares, 0) AS shares_total,
			COALESCE(d.views_7d, 0) AS views_7d, COALESCE(d.views_30d, 0) AS views_30d,
			COALESCE(d.fans_7d, 0) AS fans_delta_7d, COALESCE(d.fans_30d, 0) AS fans_delta_30d,
			CASE WHEN COALESCE(d.views_30d, 0) = 0 THEN NULL
				 ELSE (d.likes_30d + d.coins_30d + d.favorites_30d)::double precision / d.views_30d
			END AS engagement_30d,
			t.median AS median_views_recent, COALESCE(t.n30, 0) AS videos_30d
		FROM m
		LEFT JOIN t ON t.mid = m.mid
		LEFT JOIN d ON d.mid = m.mid
		-- The latest non-NULL follower value: one backward probe of the primary key.
		LEFT JOIN LATERAL (
			SELECT cs.follower FROM uphub.creator_snapshot cs
			WHERE cs.mid = m.mid AND cs.follower IS NOT NULL ORDER BY cs.observed_at DESC LIMIT 1) f ON true
	), r AS MATERIALIZED (
		-- rank() within each partition to rank, over these creators' new
		-- views_30d and the stored ones of the partitions' other creators.
		SELECT x.mid, x.own, rank() OVER (PARTITION BY x.main_tid ORDER BY x.views_30d DESC)::integer AS rk
		FROM (
			SELECT n.mid, n.main_tid, n.views_30d, true AS own FROM n
			WHERE n.main_tid IN (SELECT tid FROM uphub.agg_work_rank)
			UNION ALL
			SELECT s.mid, c.main_tid, s.views_30d, false
			FROM uphub.creator_summary s JOIN uphub.creator c ON c.mid = s.mid
			WHERE c.main_tid IN (SELECT tid FROM uphub.agg_work_rank)
			  AND NOT EXISTS (SELECT 1 FROM m WHERE m.mid = s.mid)) x
	), others AS (
		UPDATE uphub.creator_summary s SET partition_rank_30d = r.rk
		FROM r
		WHERE NOT r.own AND s.mid = r.mid AND s.partition_rank_30d IS DISTINCT FROM r.rk
	)
	INSERT INTO uphub.creator_summary AS s (mid, follower, views_total, likes_total, coins_total,
		favorites_total, shares_total, views_7d, views_30d, fans_delta_7d, fans_delta_30d,
		engagement_30d, median_views_recent, videos_30d, partition_rank_30d, refreshed_at)
	SELECT n.mid, n.follower, n.views_total, n.likes_total, n.coins_total, n.favorites_total,
		n.shares_total, n.views_7d, n.views_30d, n.fans_delta_7d, n.fans_delta_30d, n.engagement_30d,
		n.median_views_recent, n.videos_30d,
		-- Without a main partition: no rank.
		CASE WHEN n.main_tid IS NOT NULL THEN r.rk END, now()
	FROM n LEFT JOIN r ON r.own AND r.mid = n.mid
	ON CONFLICT (mid) DO UPDATE SET
		follower = EXCLUDED.follower, views_total = EXCLUDED.views_total,
		likes_total = EXCLUDED.likes_total, coins_total = EXCLUDED.coins_total,
		favorites_total = EXCLUDED.favorites_total, shares_total = EXCLUDED.shares_total,
		views_7d = EXCLUDED.views_7d, views_30d = EXCLUDED.views_30d,
		fans_delta_7d = EXCLUDED.fans_delta_7d, fans_delta_30d = EXCLUDED.fans_delta_30d,
		engagement_30d = EXCLUDED.engagement_30d, median_views_recent = EXCLUDED.median_views_recent,
		videos_30d = EXCLUDED.videos_30d, partition_rank_30d = EXCLUDED.partition_rank_30d,
		refreshed_at = EXCLUDED.refreshed_at;

	TRUNCATE uphub.agg_work_mid, uphub.agg_work_rank;
END;
$$;
REVOKE ALL ON FUNCTION uphub._agg_summarize(date) FROM PUBLIC;

-- At the first refresh of an Asia/Shanghai day, recompute every summary:
-- the 7- and 30-day windows and the ranks move with the calendar.
CREATE FUNCTION uphub._agg_roll_day()
	RETURNS boolean
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	-- Planned costs of a big batch pass jit_above_cost; compiling costs more than it saves.
	SET jit = off
	AS $$
DECLARE
	today date := uphub._agg_day(now());
BEGIN
	IF (SELECT summary_day FROM uphub.agg_state) IS NOT DISTINCT FROM today THEN
		RETURN false;
	END IF;
	INSERT INTO uphub.agg_work_mid SELECT mid FROM uphub.creator;
	PERFORM uphub._agg_summarize(today);
	UPDATE uphub.agg_state SET summary_day = today;
	RETURN true;
END;
$$;
REVOKE ALL ON FUNCTION uphub._agg_roll_day() FROM PUBLIC;

-- Catch up now, synchronously, beside the worker; returns the number of changes applied.
CREATE FUNCTION uphub.refresh_aggregates() RETURNS bigint
	LANGUAGE c
	AS 'MODULE_PATHNAME', 'uphub_refresh_aggregates';
COMMENT ON FUNCTION uphub.refresh_aggregates() IS 'Apply every logged change now (waits for a running refresh); returns the number of changes applied.';
REVOKE ALL ON FUNCTION uphub.refresh_aggregates() FROM PUBLIC;

-- Age of the oldest change not yet applied; 0 when caught up.
CREATE FUNCTION uphub.aggregate_lag() RETURNS interval
	LANGUAGE sql STABLE
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$
	-- logged_at follows id up to the microseconds between a writer's id
	-- and its clock reading: the minimum over the 100 oldest ids is the
	-- minimum of the log (a primary-key range, not a scan of a backlog).
	SELECT COALESCE(GREATEST(now() OPERATOR(pg_catalog.-) min(o.logged_at), interval '0'), interval '0')
	FROM (SELECT logged_at FROM uphub.agg_change ORDER BY id LIMIT 100) o
$$;
COMMENT ON FUNCTION uphub.aggregate_lag() IS 'Age of the oldest logged change the aggregates do not reflect yet; 0 when caught up.';

-- Column comments (every column of the model carries one).
COMMENT ON COLUMN uphub.agg_change.id IS 'Order of logging; a refresh applies at most the ids that existed when it started.';
COMMENT ON COLUMN uphub.agg_change.key IS 'The entity: aid (v, p, a), mid (c, m, s) or tid (r).';
COMMENT ON COLUMN uphub.agg_change.mid IS 'The creator concerned (owner of the video), when there is one.';
COMMENT ON COLUMN uphub.agg_change.t_lo IS 'Earliest observation time (or change time) the change touches.';
COMMENT ON COLUMN uphub.agg_change.t_hi IS 'Latest observation time the change touches.';
COMMENT ON COLUMN uphub.video_tid_history.aid IS 'The video.';
COMMENT ON COLUMN uphub.video_tid_history.from_day IS 'First Asia/Shanghai day the partition applies to.';
COMMENT ON COLUMN uphub.video_tid_history.tid IS 'The partition from that day on.';
COMMENT ON COLUMN uphub.creator_dim_history.mid IS 'The creator.';
COMMENT ON COLUMN uphub.creator_dim_history.from_day IS 'First Asia/Shanghai day the values apply to.';
COMMENT ON COLUMN uphub.creator_dim_history.main_tid IS 'Main partition from that day on.';
COMMENT ON COLUMN uphub.creator_dim_history.mcn_id IS 'Agency from that day on.';
COMMENT ON COLUMN uphub.agg_state.singleton IS 'Always true: the table has one row.';
COMMENT ON COLUMN uphub.agg_state.summary_day IS 'Asia/Shanghai day all summaries were last recomputed for.';
COMMENT ON COLUMN uphub.agg_state.changes_applied IS 'Logged changes applied since install.';
COMMENT ON COLUMN uphub.agg_state.last_batch_at IS 'When the last batch committed.';
COMMENT ON COLUMN uphub.agg_creator_tid_daily.mid IS 'The creator.';
COMMENT ON COLUMN uphub.agg_creator_tid_daily.day IS 'Asia/Shanghai calendar day.';
COMMENT ON COLUMN uphub.agg_creator_tid_daily.tid IS 'Partition in force that day.';
COMMENT ON COLUMN uphub.agg_creator_tid_daily.views IS 'Views contributed.';
COMMENT ON COLUMN uphub.agg_creator_tid_daily.likes IS 'Likes contributed.';
COMMENT ON COLUMN uphub.agg_creator_tid_daily.coins IS 'Coins contributed.';
COMMENT ON COLUMN uphub.agg_creator_tid_daily.favorites IS 'Favorites contributed.';
COMMENT ON COLUMN uphub.agg_creator_tid_daily.shares IS 'Shares contributed.';
COMMENT ON COLUMN uphub.agg_creator_tid_daily.danmaku IS 'Danmaku contributed.';
COMMENT ON COLUMN uphub.agg_creator_tid_daily.replies IS 'Replies contributed.';
COMMENT ON COLUMN uphub.agg_creator_tid_daily.fans_delta IS 'Follower movement contributed.';
COMMENT ON COLUMN uphub.agg_creator_tid_daily.videos_published IS 'Videos published contributed.';
COMMENT ON COLUMN uphub.agg_creator_tid_daily.video_rows IS 'Number of the creator''s video_daily rows counted here.';
COMMENT ON COLUMN uphub.agg_creator_tid_daily.is_main IS 'The creator''s main partition that day: the row holds its follower movement.';
COMMENT ON COLUMN uphub.agg_creator_mcn_daily.mid IS 'The creator.';
COMMENT ON COLUMN uphub.agg_creator_mcn_daily.day IS 'Asia/Shanghai calendar day.';
COMMENT ON COLUMN uphub.agg_creator_mcn_daily.mcn_id IS 'Agency in force that day.';
COMMENT ON COLUMN uphub.agg_creator_mcn_daily.views IS 'Views contributed.';
COMMENT ON COLUMN uphub.agg_creator_mcn_daily.likes IS 'Likes contributed.';
COMMENT ON COLUMN uphub.agg_creator_mcn_daily.coins IS 'Coins contributed.';
COMMENT ON COLUMN uphub.agg_creator_mcn_daily.favorites IS 'Favorites contributed.';
COMMENT ON COLUMN uphub.agg_creator_mcn_daily.shares IS 'Shares contributed.';
COMMENT ON COLUMN uphub.agg_creator_mcn_daily.danmaku IS 'Danmaku contributed.';
COMMENT ON COLUMN uphub.agg_creator_mcn_daily.replies IS 'Replies contributed.';
COMMENT ON COLUMN uphub.agg_creator_mcn_daily.fans_delta IS 'Follower movement contributed.';
COMMENT ON COLUMN uphub.agg_creator_mcn_daily.videos_published IS 'Videos published contributed.';
COMMENT ON COLUMN uphub.agg_follower_daily.mid IS 'The creator.';
COMMENT ON COLUMN uphub.agg_follower_daily.day IS 'Asia/Shanghai calendar day.';
COMMENT ON COLUMN uphub.agg_follower_daily.fans_delta IS 'Followers gained that day.';
COMMENT ON COLUMN uphub.agg_follower_daily.follower_eod IS 'Followers at the end of the day or at the last observation in it.';
COMMENT ON TABLE uphub.agg_work_change IS 'Internal scratch of one refresh batch: the claimed changes.';
COMMENT ON TABLE uphub.agg_work_range IS 'Internal scratch of one refresh batch: day ranges to recompute per entity.';
COMMENT ON TABLE uphub.agg_work_cday IS 'Internal scratch of one refresh batch: creator days to recompute.';
COMMENT ON TABLE uphub.agg_work_tdelta IS 'Internal scratch of one refresh batch: per creator day not recomputed and partition, the difference of its video days.';
COMMENT ON TABLE uphub.agg_work_vday IS 'Internal scratch of one refresh batch: per creator day not recomputed, the difference of its video days.';
COMMENT ON TABLE uphub.agg_work_fdelta IS 'Internal scratch of one refresh batch: agg_follower_daily rows removed (-1) and written (+1).';
COMMENT ON TABLE uphub.agg_work_fday IS 'Internal scratch of one refresh batch: per creator day not recomputed, the difference of its follower day.';
COMMENT ON TABLE uphub.agg_work_n IS 'Internal scratch of one refresh batch: creator days that appear, made of the batch''s new video and follower days.';
COMMENT ON TABLE uphub.agg_work_pday IS 'Internal scratch of one refresh batch: creator days whose publishes changed.';
COMMENT ON TABLE uphub.agg_work_pub IS 'Internal scratch of one refresh batch: videos published per creator day and partition in force.';
COMMENT ON TABLE uphub.agg_work_x IS 'Internal scratch of one refresh batch: the distinct creator days to recompute.';
COMMENT ON TABLE uphub.agg_work_delta IS 'Internal scratch of one refresh batch: contribution differences to add to partition_daily or mcn_daily.';
COMMENT ON TABLE uphub.agg_work_mid IS 'Internal scratch of one refresh batch: creators whose summary to recompute.';
COMMENT ON TABLE uphub.agg_work_rank IS 'Internal scratch of one refresh batch: partitions whose ranks to recompute.';
DO $$
DECLARE
	r record;
BEGIN
	FOR r IN SELECT c.relname, a.attname FROM pg_catalog.pg_attribute a
		JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
		WHERE c.relnamespace = 'uphub'::regnamespace AND c.relname LIKE 'agg\_work\_%'
		  AND a.attnum > 0 AND NOT a.attisdropped
	LOOP
		EXECUTE pg_catalog.format('COMMENT ON COLUMN uphub.%I.%I IS %L', r.relname, r.attname,
			'Scratch column, see the table comment.');
	END LOOP;
END;
$$;

-- Internal state and scratch tables are reached only through uphub's own
-- SECURITY DEFINER functions and the worker (the extension owner, a
-- superuser, bypasses row-level security). They carry a mid, so they get
-- RLS enabled and forced with no policy: should one ever be granted by
-- mistake, it shows nothing (sql/security_rls.sql checks every mid table).
DO $$
DECLARE
	t text;
BEGIN
	FOR t IN SELECT c.relname FROM pg_catalog.pg_class c
			 WHERE c.relnamespace OPERATOR(pg_catalog.=) 'uphub'::regnamespace
			   AND c.relkind OPERATOR(pg_catalog.=) 'r'
			   AND (c.relname LIKE 'agg\_%' OR c.relname LIKE '%\_history')
			   AND NOT c.relrowsecurity
	LOOP
		EXECUTE pg_catalog.format('ALTER TABLE uphub.%I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE pg_catalog.format('ALTER TABLE uphub.%I FORCE ROW LEVEL SECURITY', t);
	END LOOP;
END;
$$;
-- Wakes the worker; called by the capture triggers (definer), not by users.
REVOKE ALL ON FUNCTION uphub._agg_wake() FROM PUBLIC;
