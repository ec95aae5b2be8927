-- uphub 0.1.0: generated from src/schema/schema.sql src/agg/agg.sql by the Makefile; edit those.
\echo Use "CREATE EXTENSION uphub" to load this file. \quit

-- ---- src/schema/schema.sql ----
-- src/schema/schema.sql — the data model of uphub (DESIGN.md, "Data model").
--
-- Dimension tables (partition, mcn, creator, video, video_staff), the
-- observed snapshots (video_snapshot, creator_snapshot), private revenue,
-- and the aggregate tables that uphub maintains (video_daily, creator_daily,
-- creator_summary, partition_daily, mcn_daily).
--
-- Conventions:
-- * Every creator-owned row carries its creator's mid, so the model can be
--   distributed by mid on Citus (docs/scale-out.md).
-- * Days are Asia/Shanghai calendar days.
-- * "Impossible" values are rejected by CHECK constraints: negative
--   counters, empty names, times before the site existed (2009-06-26) or more
--   than one day in the future. The future check uses now(): a row that
--   passes it once passes it forever, so dumps restore cleanly.
-- * video_snapshot is range-partitioned by month (Asia/Shanghai) with a
--   DEFAULT partition, so an insert for any valid time works;
--   uphub.ensure_snapshot_partitions() creates monthly partitions ahead of
--   a load and moves any rows the default partition holds for them.

CREATE FUNCTION uphub._require_preload() RETURNS void
	LANGUAGE c STRICT
	AS 'MODULE_PATHNAME', 'uphub_require_preload_sql';

SELECT uphub._require_preload();

-- ---------------------------------------------------------------------------
-- Dimensions
-- ---------------------------------------------------------------------------

CREATE TABLE uphub.partition (
	tid integer PRIMARY KEY CHECK (tid > 0),
	parent_tid integer REFERENCES uphub.partition (tid),
	name text NOT NULL CHECK (btrim(name) <> ''),
	CONSTRAINT partition_not_own_parent CHECK (parent_tid <> tid)
);
COMMENT ON TABLE uphub.partition IS 'Content categories (the site''s tid); sub-partitions point to their parent.';
COMMENT ON COLUMN uphub.partition.tid IS 'Partition id as the site numbers it.';
COMMENT ON COLUMN uphub.partition.parent_tid IS 'Parent partition; NULL for a top-level partition.';
COMMENT ON COLUMN uphub.partition.name IS 'Display name.';
CREATE INDEX partition_parent_tid_idx ON uphub.partition (parent_tid);

-- A partition hierarchy is a forest: reject an edge that closes a cycle.
CREATE FUNCTION uphub._partition_reject_cycle() RETURNS trigger
	LANGUAGE plpgsql
	SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF NEW.parent_tid IS NOT NULL AND EXISTS (
		WITH RECURSIVE up(tid) AS (
			SELECT NEW.parent_tid
			UNION
			SELECT p.parent_tid FROM uphub.partition p JOIN up ON p.tid OPERATOR(pg_catalog.=) up.tid
			WHERE p.parent_tid IS NOT NULL
		)
		SELECT 1 FROM up WHERE up.tid OPERATOR(pg_catalog.=) NEW.tid)
	THEN
		RAISE EXCEPTION 'partition % cannot have % as parent', NEW.tid, NEW.parent_tid
			USING ERRCODE = 'check_violation',
				  DETAIL = 'The partition hierarchy would contain a cycle.';
	END IF;
	RETURN NEW;
END;
$$;
CREATE TRIGGER partition_reject_cycle
	BEFORE INSERT OR UPDATE OF parent_tid, tid ON uphub.partition
	FOR EACH ROW EXECUTE FUNCTION uphub._partition_reject_cycle();

CREATE TABLE uphub.mcn (
	mcn_id bigint PRIMARY KEY CHECK (mcn_id > 0),
	name text NOT NULL CHECK (btrim(name) <> '')
);
COMMENT ON TABLE uphub.mcn IS 'Multi-channel networks: agencies that manage many creators.';
COMMENT ON COLUMN uphub.mcn.mcn_id IS 'Agency id.';
COMMENT ON COLUMN uphub.mcn.name IS 'Agency name.';

CREATE TABLE uphub.creator (
	mid bigint PRIMARY KEY CHECK (mid > 0),
	name text NOT NULL CHECK (btrim(name) <> ''),
	face text,
	sign text,
	level smallint CHECK (level BETWEEN 0 AND 6),
	sex text CHECK (sex IN ('男', '女', '保密')),
	official_type smallint CHECK (official_type BETWEEN -1 AND 1),
	vip_type smallint CHECK (vip_type BETWEEN 0 AND 2),
	main_tid integer REFERENCES uphub.partition (tid),
	mcn_id bigint REFERENCES uphub.mcn (mcn_id),
	joined_at timestamptz CHECK (joined_at >= '2009-06-26 00:00+08'
								 AND joined_at <= now() + interval '1 day'),
	updated_at timestamptz NOT NULL DEFAULT now()
		CHECK (updated_at >= '2009-06-26 00:00+08' AND updated_at <= now() + interval '1 day')
);
COMMENT ON TABLE uphub.creator IS 'Creators (UP主), one row per site account.';
COMMENT ON COLUMN uphub.creator.mid IS 'The site''s member id (up to 16 digits).';
COMMENT ON COLUMN uphub.creator.name IS 'Display name.';
COMMENT ON COLUMN uphub.creator.face IS 'Avatar URL.';
COMMENT ON COLUMN uphub.creator.sign IS 'Profile signature.';
COMMENT ON COLUMN uphub.creator.level IS 'Account level, 0 to 6.';
COMMENT ON COLUMN uphub.creator.sex IS 'As the profile states it: 男, 女 or 保密.';
COMMENT ON COLUMN uphub.creator.official_type IS 'Verification: -1 none, 0 person, 1 organisation.';
COMMENT ON COLUMN uphub.creator.vip_type IS 'Membership: 0 none, 1 monthly, 2 annual.';
COMMENT ON COLUMN uphub.creator.main_tid IS 'Main partition; partition-scoped roles see the creator through it.';
COMMENT ON COLUMN uphub.creator.mcn_id IS 'Agency the creator belongs to, if any.';
COMMENT ON COLUMN uphub.creator.joined_at IS 'When the account was created.';
COMMENT ON COLUMN uphub.creator.updated_at IS 'Observation time of the dimension values held (newest wins).';
CREATE INDEX creator_main_tid_idx ON uphub.creator (main_tid);
CREATE INDEX creator_mcn_id_idx ON uphub.creator (mcn_id);

CREATE TABLE uphub.video (
	aid bigint PRIMARY KEY CHECK (aid > 0),
	bvid text NOT NULL UNIQUE CHECK (bvid ~ '^BV1[1-9A-HJ-NP-Za-km-z]{9}$'),
	mid bigint NOT NULL REFERENCES uphub.creator (mid),
	tid integer REFERENCES uphub.partition (tid),
	title text NOT NULL CHECK (btrim(title) <> ''),
	pubdate timestamptz CHECK (pubdate >= '2009-06-26 00:00+08'
							   AND pubdate <= now() + interval '1 day'),
	duration integer CHECK (duration >= 0),
	copyright smallint CHECK (copyright IN (1, 2)),
	state smallint NOT NULL DEFAULT 0,
	updated_at timestamptz NOT NULL DEFAULT now()
		CHECK (updated_at >= '2009-06-26 00:00+08' AND updated_at <= now() + interval '1 day')
);
COMMENT ON TABLE uphub.video IS 'Videos, owned by one creator (joint videos list co-creators in video_staff).';
COMMENT ON COLUMN uphub.video.aid IS 'The site''s numeric video id.';
COMMENT ON COLUMN uphub.video.bvid IS 'The site''s BV id (BV1 + 9 base58 characters).';
COMMENT ON COLUMN uphub.video.mid IS 'Owning creator.';
COMMENT ON COLUMN uphub.video.tid IS 'Partition the video is filed under.';
COMMENT ON COLUMN uphub.video.title IS 'Title.';
COMMENT ON COLUMN uphub.video.pubdate IS 'Publication time.';
COMMENT ON COLUMN uphub.video.duration IS 'Length in seconds.';
COMMENT ON COLUMN uphub.video.copyright IS '1 original, 2 reprint.';
COMMENT ON COLUMN uphub.video.state IS 'Site state: 0 open, negative values hidden or deleted (-404 when the site reports it gone).';
COMMENT ON COLUMN uphub.video.updated_at IS 'Observation time of the dimension values held (newest wins).';
CREATE INDEX video_mid_pubdate_idx ON uphub.video (mid, pubdate DESC);
CREATE INDEX video_tid_idx ON uphub.video (tid);

CREATE TABLE uphub.video_staff (
	mid bigint NOT NULL,
	aid bigint NOT NULL REFERENCES uphub.video (aid) ON DELETE CASCADE,
	staff_mid bigint NOT NULL CHECK (staff_mid > 0),
	title text NOT NULL CHECK (btrim(title) <> ''),
	PRIMARY KEY (aid, staff_mid)
);
COMMENT ON TABLE uphub.video_staff IS 'Co-creators of a joint video and their role on it.';
COMMENT ON COLUMN uphub.video_staff.mid IS 'Owning creator of the video (distribution key).';
COMMENT ON COLUMN uphub.video_staff.aid IS 'The joint video.';
COMMENT ON COLUMN uphub.video_staff.staff_mid IS 'A co-creator; not a foreign key, so staff from outside the data set are kept.';
COMMENT ON COLUMN uphub.video_staff.title IS 'Role on the video, as the site states it (UP主, 剪辑, ...).';
CREATE INDEX video_staff_staff_mid_idx ON uphub.video_staff (staff_mid);
CREATE INDEX video_staff_mid_idx ON uphub.video_staff (mid);

-- ---------------------------------------------------------------------------
-- Snapshots: cumulative public counters as observed. NULL = hidden by the site.
-- ---------------------------------------------------------------------------

CREATE TABLE uphub.video_snapshot (
	aid bigint NOT NULL REFERENCES uphub.video (aid),
	observed_at timestamptz NOT NULL
		CHECK (observed_at >= '2009-06-26 00:00+08' AND observed_at <= now() + interval '1 day'),
	mid bigint NOT NULL,
	view bigint CHECK (view >= 0),
	danmaku bigint CHECK (danmaku >= 0),
	reply bigint CHECK (reply >= 0),
	favorite bigint CHECK (favorite >= 0),
	coin bigint CHECK (coin >= 0),
	share bigint CHECK (share >= 0),
	"like" bigint CHECK ("like" >= 0),
	his_rank integer CHECK (his_rank >= 0),
	now_rank integer CHECK (now_rank >= 0),
	PRIMARY KEY (aid, observed_at)
) PARTITION BY RANGE (observed_at);
COMMENT ON TABLE uphub.video_snapshot IS 'Cumulative video counters as observed; NULL means hidden by the site. Monthly partitions.';
COMMENT ON COLUMN uphub.video_snapshot.aid IS 'The video.';
COMMENT ON COLUMN uphub.video_snapshot.observed_at IS 'When the counters were read.';
COMMENT ON COLUMN uphub.video_snapshot.mid IS 'Owning creator at observation time (distribution key).';
COMMENT ON COLUMN uphub.video_snapshot.view IS 'Plays.';
COMMENT ON COLUMN uphub.video_snapshot.danmaku IS 'Bullet comments.';
COMMENT ON COLUMN uphub.video_snapshot.reply IS 'Comments.';
COMMENT ON COLUMN uphub.video_snapshot.favorite IS 'Favourites.';
COMMENT ON COLUMN uphub.video_snapshot.coin IS 'Coins given.';
COMMENT ON COLUMN uphub.video_snapshot.share IS 'Shares.';
COMMENT ON COLUMN uphub.video_snapshot."like" IS 'Likes.';
COMMENT ON COLUMN uphub.video_snapshot.his_rank IS 'Best all-time ranking position (0 = never ranked).';
COMMENT ON COLUMN uphub.video_snapshot.now_rank IS 'Current ranking position (0 = not ranked).';

CREATE TABLE uphub.video_snapshot_default PARTITION OF uphub.video_snapshot DEFAULT;
COMMENT ON TABLE uphub.video_snapshot_default IS 'Rows of months that have no partition yet; ensure_snapshot_partitions() moves them out.';

CREATE TABLE uphub.creator_snapshot (
	mid bigint NOT NULL REFERENCES uphub.creator (mid),
	observed_at timestamptz NOT NULL
		CHECK (observed_at >= '2009-06-26 00:00+08' AND observed_at <= now() + interval '1 day'),
	follower bigint CHECK (follower >= 0),
	following bigint CHECK (following >= 0),
	archive_view bigint CHECK (archive_view >= 0),
	likes bigint CHECK (likes >= 0),
	PRIMARY KEY (mid, observed_at)
);
COMMENT ON TABLE uphub.creator_snapshot IS 'Cumulative creator counters as observed; NULL means hidden by the site.';
COMMENT ON COLUMN uphub.creator_snapshot.mid IS 'The creator.';
COMMENT ON COLUMN uphub.creator_snapshot.observed_at IS 'When the counters were read.';
COMMENT ON COLUMN uphub.creator_snapshot.follower IS 'Followers (fans).';
COMMENT ON COLUMN uphub.creator_snapshot.following IS 'Accounts the creator follows.';
COMMENT ON COLUMN uphub.creator_snapshot.archive_view IS 'Total plays of all videos, as the site reports it.';
COMMENT ON COLUMN uphub.creator_snapshot.likes IS 'Total likes received, as the site reports it.';

CREATE TABLE uphub.creator_revenue_daily (
	mid bigint NOT NULL REFERENCES uphub.creator (mid),
	day date NOT NULL CHECK (day >= '2009-06-26' AND day <= (now() AT TIME ZONE 'Asia/Shanghai')::date + 1),
	elec numeric(14, 2) NOT NULL DEFAULT 0 CHECK (elec >= 0),
	ad_share numeric(14, 2) NOT NULL DEFAULT 0 CHECK (ad_share >= 0),
	other numeric(14, 2) NOT NULL DEFAULT 0,
	PRIMARY KEY (mid, day)
);
COMMENT ON TABLE uphub.creator_revenue_daily IS 'Private money figures per creator and day (CNY); only roles with revenue.read see them.';
COMMENT ON COLUMN uphub.creator_revenue_daily.mid IS 'The creator.';
COMMENT ON COLUMN uphub.creator_revenue_daily.day IS 'Asia/Shanghai calendar day.';
COMMENT ON COLUMN uphub.creator_revenue_daily.elec IS 'Fan charging (充电) income.';
COMMENT ON COLUMN uphub.creator_revenue_daily.ad_share IS 'Advertising revenue share.';
COMMENT ON COLUMN uphub.creator_revenue_daily.other IS 'Other income; may be negative (corrections).';

-- ---------------------------------------------------------------------------
-- Aggregates, maintained by uphub's refresh (src/agg/); never written by users.
-- Daily values are deltas and may be negative (unlikes, unfollows).
-- ---------------------------------------------------------------------------

CREATE TABLE uphub.video_daily (
	mid bigint NOT NULL,
	aid bigint NOT NULL,
	day date NOT NULL,
	views bigint NOT NULL DEFAULT 0,
	likes bigint NOT NULL DEFAULT 0,
	coins bigint NOT NULL DEFAULT 0,
	favorites bigint NOT NULL DEFAULT 0,
	shares bigint NOT NULL DEFAULT 0,
	danmaku bigint NOT NULL DEFAULT 0,
	replies bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (aid, day),
	FOREIGN KEY (aid) REFERENCES uphub.video (aid)
);
COMMENT ON TABLE uphub.video_daily IS 'Per video and Asia/Shanghai day: counter changes interpolated from snapshots.';
COMMENT ON COLUMN uphub.video_daily.mid IS 'Owning creator.';
COMMENT ON COLUMN uphub.video_daily.aid IS 'The video.';
COMMENT ON COLUMN uphub.video_daily.day IS 'Asia/Shanghai calendar day.';
COMMENT ON COLUMN uphub.video_daily.views IS 'Plays gained that day.';
COMMENT ON COLUMN uphub.video_daily.likes IS 'Likes gained that day (negative when lost).';
COMMENT ON COLUMN uphub.video_daily.coins IS 'Coins gained that day.';
COMMENT ON COLUMN uphub.video_daily.favorites IS 'Favourites gained that day.';
COMMENT ON COLUMN uphub.video_daily.shares IS 'Shares gained that day.';
COMMENT ON COLUMN uphub.video_daily.danmaku IS 'Bullet comments gained that day.';
COMMENT ON COLUMN uphub.video_daily.replies IS 'Comments gained that day.';
CREATE INDEX video_daily_mid_day_idx ON uphub.video_daily (mid, day);

CREATE TABLE uphub.creator_daily (
	mid bigint NOT NULL REFERENCES uphub.creator (mid),
	day date NOT NULL,
	views bigint NOT NULL DEFAULT 0,
	likes bigint NOT NULL DEFAULT 0,
	coins bigint NOT NULL DEFAULT 0,
	favorites bigint NOT NULL DEFAULT 0,
	shares bigint NOT NULL DEFAULT 0,
	danmaku bigint NOT NULL DEFAULT 0,
	replies bigint NOT NULL DEFAULT 0,
	fans_delta bigint NOT NULL DEFAULT 0,
	follower_eod bigint CHECK (follower_eod >= 0),
	videos_published integer NOT NULL DEFAULT 0 CHECK (videos_published >= 0),
	PRIMARY KEY (mid, day)
);
COMMENT ON TABLE uphub.creator_daily IS 'Per creator and Asia/Shanghai day: the sum of the creator''s video_daily plus follower movement.';
COMMENT ON COLUMN uphub.creator_daily.mid IS 'The creator.';
COMMENT ON COLUMN uphub.creator_daily.day IS 'Asia/Shanghai calendar day.';
COMMENT ON COLUMN uphub.creator_daily.views IS 'Plays gained that day over all the creator''s videos.';
COMMENT ON COLUMN uphub.creator_daily.likes IS 'Likes gained that day.';
COMMENT ON COLUMN uphub.creator_daily.coins IS 'Coins gained that day.';
COMMENT ON COLUMN uphub.creator_daily.favorites IS 'Favourites gained that day.';
COMMENT ON COLUMN uphub.creator_daily.shares IS 'Shares gained that day.';
COMMENT ON COLUMN uphub.creator_daily.danmaku IS 'Bullet comments gained that day.';
COMMENT ON COLUMN uphub.creator_daily.replies IS 'Comments gained that day.';
COMMENT ON COLUMN uphub.creator_daily.fans_delta IS 'Followers gained that day (negative when lost).';
COMMENT ON COLUMN uphub.creator_daily.follower_eod IS 'Followers at the end of the day (interpolated); NULL when unknown.';
COMMENT ON COLUMN uphub.creator_daily.videos_published IS 'Videos published that day.';
CREATE INDEX creator_daily_day_idx ON uphub.creator_daily (day);

CREATE TABLE uphub.creator_summary (
	mid bigint PRIMARY KEY REFERENCES uphub.creator (mid),
	follower bigint,
	views_total bigint NOT NULL DEFAULT 0,
	likes_total bigint NOT NULL DEFAULT 0,
	coins_total bigint NOT NULL DEFAULT 0,
	favorites_total bigint NOT NULL DEFAULT 0,
	shares_total bigint NOT NULL DEFAULT 0,
	views_7d bigint NOT NULL DEFAULT 0,
	views_30d bigint NOT NULL DEFAULT 0,
	fans_delta_7d bigint NOT NULL DEFAULT 0,
	fans_delta_30d bigint NOT NULL DEFAULT 0,
	engagement_30d double precision,
	median_views_recent double precision,
	videos_30d integer NOT NULL DEFAULT 0,
	partition_rank_30d integer CHECK (partition_rank_30d >= 1),
	refreshed_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE uphub.creator_summary IS 'One row per creator: current totals, 7/30-day windows, engagement and rank.';
COMMENT ON COLUMN uphub.creator_summary.mid IS 'The creator.';
COMMENT ON COLUMN uphub.creator_summary.follower IS 'Followers at the latest non-hidden observation.';
COMMENT ON COLUMN uphub.creator_summary.views_total IS 'Plays of all the creator''s videos at their latest observations.';
COMMENT ON COLUMN uphub.creator_summary.likes_total IS 'Likes of all the creator''s videos.';
COMMENT ON COLUMN uphub.creator_summary.coins_total IS 'Coins of all the creator''s videos.';
COMMENT ON COLUMN uphub.creator_summary.favorites_total IS 'Favourites of all the creator''s videos.';
COMMENT ON COLUMN uphub.creator_summary.shares_total IS 'Shares of all the creator''s videos.';
COMMENT ON COLUMN uphub.creator_summary.views_7d IS 'Plays gained over the last 7 days (today included).';
COMMENT ON COLUMN uphub.creator_summary.views_30d IS 'Plays gained over the last 30 days (today included).';
COMMENT ON COLUMN uphub.creator_summary.fans_delta_7d IS 'Followers gained over the last 7 days.';
COMMENT ON COLUMN uphub.creator_summary.fans_delta_30d IS 'Followers gained over the last 30 days.';
COMMENT ON COLUMN uphub.creator_summary.engagement_30d IS '(likes + coins + favorites) / views over the last 30 days; NULL when views = 0.';
COMMENT ON COLUMN uphub.creator_summary.median_views_recent IS 'Median plays of the creator''s 20 most recent videos.';
COMMENT ON COLUMN uphub.creator_summary.videos_30d IS 'Videos published in the last 30 days.';
COMMENT ON COLUMN uphub.creator_summary.partition_rank_30d IS 'Rank by views_30d among creators with the same main partition (1 = most).';
COMMENT ON COLUMN uphub.creator_summary.refreshed_at IS 'When the refresh last wrote this row.';
CREATE INDEX creator_summary_views_30d_idx ON uphub.creator_summary (views_30d DESC);

CREATE TABLE uphub.partition_daily (
	tid integer NOT NULL REFERENCES uphub.partition (tid),
	day date NOT NULL,
	views bigint NOT NULL DEFAULT 0,
	likes bigint NOT NULL DEFAULT 0,
	coins bigint NOT NULL DEFAULT 0,
	favorites bigint NOT NULL DEFAULT 0,
	shares bigint NOT NULL DEFAULT 0,
	danmaku bigint NOT NULL DEFAULT 0,
	replies bigint NOT NULL DEFAULT 0,
	fans_delta bigint NOT NULL DEFAULT 0,
	videos_published integer NOT NULL DEFAULT 0 CHECK (videos_published >= 0),
	creators integer NOT NULL DEFAULT 0 CHECK (creators >= 0),
	PRIMARY KEY (tid, day)
);
COMMENT ON TABLE uphub.partition_daily IS 'Per partition and day, for category operators: video numbers by the video''s partition, follower numbers by the creator''s main partition.';
COMMENT ON COLUMN uphub.partition_daily.tid IS 'The partition (not including its sub-partitions).';
COMMENT ON COLUMN uphub.partition_daily.day IS 'Asia/Shanghai calendar day.';
COMMENT ON COLUMN uphub.partition_daily.views IS 'Plays gained that day by videos filed under the partition.';
COMMENT ON COLUMN uphub.partition_daily.likes IS 'Likes gained that day.';
COMMENT ON COLUMN uphub.partition_daily.coins IS 'Coins gained that day.';
COMMENT ON COLUMN uphub.partition_daily.favorites IS 'Favourites gained that day.';
COMMENT ON COLUMN uphub.partition_daily.shares IS 'Shares gained that day.';
COMMENT ON COLUMN uphub.partition_daily.danmaku IS 'Bullet comments gained that day.';
COMMENT ON COLUMN uphub.partition_daily.replies IS 'Comments gained that day.';
COMMENT ON COLUMN uphub.partition_daily.fans_delta IS 'Followers gained that day by creators whose main partition it is.';
COMMENT ON COLUMN uphub.partition_daily.videos_published IS 'Videos published that day under the partition.';
COMMENT ON COLUMN uphub.partition_daily.creators IS 'Creators with activity in the partition that day.';

CREATE TABLE uphub.mcn_daily (
	mcn_id bigint NOT NULL REFERENCES uphub.mcn (mcn_id),
	day date NOT NULL,
	views bigint NOT NULL DEFAULT 0,
	likes bigint NOT NULL DEFAULT 0,
	coins bigint NOT NULL DEFAULT 0,
	favorites bigint NOT NULL DEFAULT 0,
	shares bigint NOT NULL DEFAULT 0,
	danmaku bigint NOT NULL DEFAULT 0,
	replies bigint NOT NULL DEFAULT 0,
	fans_delta bigint NOT NULL DEFAULT 0,
	videos_published integer NOT NULL DEFAULT 0 CHECK (videos_published >= 0),
	creators integer NOT NULL DEFAULT 0 CHECK (creators >= 0),
	PRIMARY KEY (mcn_id, day)
);
COMMENT ON TABLE uphub.mcn_daily IS 'Per agency and day: the sum of its creators'' creator_daily rows.';
COMMENT ON COLUMN uphub.mcn_daily.mcn_id IS 'The agency.';
COMMENT ON COLUMN uphub.mcn_daily.day IS 'Asia/Shanghai calendar day.';
COMMENT ON COLUMN uphub.mcn_daily.views IS 'Plays gained that day by the agency''s creators.';
COMMENT ON COLUMN uphub.mcn_daily.likes IS 'Likes gained that day.';
COMMENT ON COLUMN uphub.mcn_daily.coins IS 'Coins gained that day.';
COMMENT ON COLUMN uphub.mcn_daily.favorites IS 'Favourites gained that day.';
COMMENT ON COLUMN uphub.mcn_daily.shares IS 'Shares gained that day.';
COMMENT ON COLUMN uphub.mcn_daily.danmaku IS 'Bullet comments gained that day.';
COMMENT ON COLUMN uphub.mcn_daily.replies IS 'Comments gained that day.';
COMMENT ON COLUMN uphub.mcn_daily.fans_delta IS 'Followers gained that day.';
COMMENT ON COLUMN uphub.mcn_daily.videos_published IS 'Videos published that day.';
COMMENT ON COLUMN uphub.mcn_daily.creators IS 'Creators of the agency with activity that day.';

-- ---------------------------------------------------------------------------
-- Snapshot partitions
-- ---------------------------------------------------------------------------

-- Start of the Asia/Shanghai month that contains ts.
CREATE FUNCTION uphub.snapshot_month_start(ts timestamptz) RETURNS timestamptz
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	RETURN pg_catalog.timezone('Asia/Shanghai',
		pg_catalog.date_trunc('month', pg_catalog.timezone('Asia/Shanghai', ts)));
COMMENT ON FUNCTION uphub.snapshot_month_start(timestamptz) IS 'Lower bound of the monthly video_snapshot partition holding ts.';

-- Create the monthly partitions of video_snapshot that cover [from_ts, to_ts].
-- Rows of those months already sitting in the default partition move into
-- the new partition. Serialised by an advisory lock so concurrent loaders
-- can call it freely. Returns the number of partitions created.
CREATE FUNCTION uphub.ensure_snapshot_partitions(from_ts timestamptz, to_ts timestamptz DEFAULT NULL)
	RETURNS integer
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	-- Bounds are spliced as text: render them unambiguously.
	SET datestyle = 'ISO, YMD'
	SET timezone = 'UTC'
	AS $$
DECLARE
	lo timestamptz;
	hi timestamptz;
	last_month timestamptz;
	part_name text;
	created integer := 0;
BEGIN
	IF from_ts IS NULL THEN
		RAISE EXCEPTION 'from_ts must not be null' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	to_ts := coalesce(to_ts, from_ts);
	IF to_ts OPERATOR(pg_catalog.<) from_ts THEN
		RAISE EXCEPTION 'to_ts % is before from_ts %', to_ts, from_ts
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF from_ts OPERATOR(pg_catalog.<) '2009-06-26 00:00+08'::timestamptz
	   OR to_ts OPERATOR(pg_catalog.>) (now() OPERATOR(pg_catalog.+) interval '1 day') THEN
		RAISE EXCEPTION 'snapshot partitions can cover only 2009-06-26 up to one day from now'
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = pg_catalog.format('Requested %s to %s.', from_ts, to_ts);
	END IF;

	PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('uphub.video_snapshot partitions'));

	lo := uphub.snapshot_month_start(from_ts);
	last_month := uphub.snapshot_month_start(to_ts);
	WHILE lo OPERATOR(pg_catalog.<=) last_month LOOP
		hi := pg_catalog.timezone('Asia/Shanghai',
				(pg_catalog.timezone('Asia/Shanghai', lo) OPERATOR(pg_catalog.+) interval '1 month'));
		part_name := 'video_snapshot_p' OPERATOR(pg_catalog.||)
			pg_catalog.to_char(pg_catalog.timezone('Asia/Shanghai', lo), 'YYYY_MM');
		IF pg_catalog.to_regclass('uphub.' OPERATOR(pg_catalog.||) part_name) IS NULL THEN
			EXECUTE pg_catalog.format(
				'CREATE TABLE uphub.%I (LIKE uphub.video_snapshot INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
				part_name);
			EXECUTE pg_catalog.format(
				'ALTER TABLE uphub.%I ADD CONSTRAINT %I CHECK (observed_at >= %L AND observed_at < %L)',
				part_name, part_name OPERATOR(pg_catalog.||) '_range', lo, hi);
			EXECUTE pg_catalog.format(
				'WITH moved AS (DELETE FROM uphub.video_snapshot_default
				                WHERE observed_at >= %L AND observed_at < %L RETURNING *)
				 INSERT INTO uphub.%I SELECT * FROM moved', lo, hi, part_name);
			EXECUTE pg_catalog.format(
				'ALTER TABLE uphub.video_snapshot ATTACH PARTITION uphub.%I FOR VALUES FROM (%L) TO (%L)',
				part_name, lo, hi);
			EXECUTE pg_catalog.format('ALTER TABLE uphub.%I DROP CONSTRAINT %I',
				part_name, part_name OPERATOR(pg_catalog.||) '_range');
			created := created OPERATOR(pg_catalog.+) 1;
		END IF;
		lo := hi;
	END LOOP;
	RETURN created;
END;
$$;
COMMENT ON FUNCTION uphub.ensure_snapshot_partitions(timestamptz, timestamptz) IS
	'Create the monthly video_snapshot partitions covering the range (Asia/Shanghai months); returns how many were created.';
REVOKE ALL ON FUNCTION uphub.ensure_snapshot_partitions(timestamptz, timestamptz) FROM PUBLIC;

-- The role a trusted application server uses to act for principals (src/rbac/).
DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'uphub_gateway') THEN
		CREATE ROLE uphub_gateway NOLOGIN;
	END IF;
END;
$$;

GRANT USAGE ON SCHEMA uphub TO PUBLIC;

-- ---- src/agg/agg.sql ----
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
	logged_at timestamptz NOT NULL DEFAULT statement_timestamp()
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

-- Asia/Shanghai calendar day of a time (±infinity map to ±infinity).
CREATE FUNCTION uphub._agg_day(t timestamptz) RETURNS date
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	RETURN (pg_catalog.timezone('Asia/Shanghai', t))::date;

-- Start (Asia/Shanghai midnight) of a day.
CREATE FUNCTION uphub._agg_day_start(d date) RETURNS timestamptz
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
	RETURN pg_catalog.timezone('Asia/Shanghai', d::timestamp);

-- Wake the aggregate worker when this transaction commits (C; no-op when not preloaded).
CREATE FUNCTION uphub._agg_wake() RETURNS void
	LANGUAGE c
	AS 'MODULE_PATHNAME', 'uphub_agg_wake';

-- Capture for video_snapshot and creator_snapshot: one log row per entity
-- and statement, spanning the observation times the statement touched.
CREATE FUNCTION uphub._agg_capture_snapshot() RETURNS trigger
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
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
		INSERT INTO uphub.video_tid_history AS h (aid, from_day, tid)
		SELECT n.aid, uphub._agg_day(CASE WHEN n.updated_at IS DISTINCT FROM o.updated_at
			THEN n.updated_at ELSE now() END), n.tid
		FROM old_rows o JOIN new_rows n USING (aid)
		WHERE o.tid IS DISTINCT FROM n.tid
		ON CONFLICT (aid, from_day) DO UPDATE SET tid = EXCLUDED.tid;
		INSERT INTO uphub.agg_change (kind, key, mid, t_lo, t_hi)
		SELECT 'a', n.aid, n.mid, t.t, t.t
		FROM old_rows o JOIN new_rows n USING (aid)
		CROSS JOIN LATERAL (SELECT CASE WHEN n.updated_at IS DISTINCT FROM o.updated_at
			THEN n.updated_at ELSE now() END AS t) t
		WHERE o.tid IS DISTINCT FROM n.tid
		UNION ALL
		SELECT 'p', x.aid, x.mid, x.pubdate, x.pubdate
		FROM old_rows o JOIN new_rows n USING (aid)
		CROSS JOIN LATERAL (VALUES (o.aid, o.mid, o.pubdate), (n.aid, n.mid, n.pubdate)) x(aid, mid, pubdate)
		WHERE (o.pubdate IS DISTINCT FROM n.pubdate OR o.mid IS DISTINCT FROM n.mid)
		  AND x.pubdate IS NOT NULL
		UNION ALL
		SELECT 'v', n.aid, n.mid, '-infinity', 'infinity'
		FROM old_rows o JOIN new_rows n USING (aid)
		WHERE o.mid IS DISTINCT FROM n.mid
		UNION ALL
		SELECT 's', x.mid, x.mid, now(), now()
		FROM old_rows o JOIN new_rows n USING (aid)
		CROSS JOIN LATERAL (VALUES (o.mid), (n.mid)) x(mid)
		WHERE o.mid IS DISTINCT FROM n.mid;
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
	AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO uphub.creator_dim_history (mid, from_day, main_tid, mcn_id)
		SELECT mid, '-infinity', main_tid, mcn_id FROM new_rows;
		INSERT INTO uphub.agg_change (kind, key, mid, t_lo, t_hi)
		SELECT 's', mid, mid, now(), now() FROM new_rows;
	ELSIF TG_OP = 'UPDATE' THEN
		INSERT INTO uphub.creator_dim_history AS h (mid, from_day, main_tid, mcn_id)
		SELECT n.mid, uphub._agg_day(CASE WHEN n.updated_at IS DISTINCT FROM o.updated_at
			THEN n.updated_at ELSE now() END), n.main_tid, n.mcn_id
		FROM old_rows o JOIN new_rows n USING (mid)
		WHERE o.main_tid IS DISTINCT FROM n.main_tid OR o.mcn_id IS DISTINCT FROM n.mcn_id
		ON CONFLICT (mid, from_day) DO UPDATE SET main_tid = EXCLUDED.main_tid, mcn_id = EXCLUDED.mcn_id;
		INSERT INTO uphub.agg_change (kind, key, mid, t_lo, t_hi)
		SELECT 'm', n.mid, n.mid, t.t, t.t
		FROM old_rows o JOIN new_rows n USING (mid)
		CROSS JOIN LATERAL (SELECT CASE WHEN n.updated_at IS DISTINCT FROM o.updated_at
			THEN n.updated_at ELSE now() END AS t) t
		WHERE o.main_tid IS DISTINCT FROM n.main_tid OR o.mcn_id IS DISTINCT FROM n.mcn_id
		UNION ALL
		SELECT 'r', o.main_tid, NULL, now(), now()
		FROM old_rows o JOIN new_rows n USING (mid)
		WHERE o.main_tid IS DISTINCT FROM n.main_tid AND o.main_tid IS NOT NULL;
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
CREATE UNLOGGED TABLE uphub.agg_work_day (day date);
CREATE UNLOGGED TABLE uphub.agg_work_mid (mid bigint);
CREATE UNLOGGED TABLE uphub.agg_work_rank (tid integer);

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

-- Cumulative value at time b on the straight line between (t0, v0) and (t1, v1),
-- rounded half away from zero: the integer a day boundary gets.
CREATE FUNCTION uphub._agg_interp(t0 timestamptz, v0 numeric, t1 timestamptz, v1 numeric, b timestamptz)
	RETURNS numeric
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog, pg_temp
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
	SET search_path = pg_catalog, pg_temp
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

-- Claim up to batch_size logged changes (ids <= max_id) and bring every
-- aggregate they affect up to date. Returns the number of changes applied.
-- The caller holds the refresh lock (see refresh.c).
CREATE FUNCTION uphub._agg_refresh_batch(batch_size integer, max_id bigint)
	RETURNS bigint
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	n bigint;
	today date := uphub._agg_day(now());
BEGIN
	-- 1. Claim. Rows of transactions that commit after this statement's
	--    snapshot stay in the log for the next batch.
	WITH claimed AS (
		DELETE FROM uphub.agg_change
		WHERE id IN (SELECT id FROM uphub.agg_change WHERE id <= max_id ORDER BY id LIMIT batch_size)
		RETURNING kind, key, mid, t_lo, t_hi)
	INSERT INTO uphub.agg_work_change SELECT * FROM claimed;
	GET DIAGNOSTICS n = ROW_COUNT;
	IF n = 0 THEN
		RETURN 0;
	END IF;

	-- 2. Day ranges. A change at times [lo, hi] of an entity can only alter
	--    the days between the last fully observed snapshot before lo and the
	--    first one after hi (or the entity's first/last snapshot).
	INSERT INTO uphub.agg_work_range (kind, key, lo, hi)
	SELECT kind, key, min(t_lo), max(t_hi) FROM uphub.agg_work_change
	WHERE kind IN ('v', 'c') GROUP BY kind, key;

	UPDATE uphub.agg_work_range r SET
		d1 = uphub._agg_day(COALESCE(
			(SELECT max(s.observed_at) FROM uphub.video_snapshot s
			 WHERE s.aid = r.key AND s.observed_at < r.lo
			   AND s.view IS NOT NULL AND s."like" IS NOT NULL AND s.coin IS NOT NULL
			   AND s.favorite IS NOT NULL AND s.share IS NOT NULL AND s.danmaku IS NOT NULL
			   AND s.reply IS NOT NULL),
			LEAST(r.lo, (SELECT min(s.observed_at) FROM uphub.video_snapshot s WHERE s.aid = r.key)))),
		d2 = uphub._agg_day(COALESCE(
			(SELECT min(s.observed_at) FROM uphub.video_snapshot s
			 WHERE s.aid = r.key AND s.observed_at > r.hi
			   AND s.view IS NOT NULL AND s."like" IS NOT NULL AND s.coin IS NOT NULL
			   AND s.favorite IS NOT NULL AND s.share IS NOT NULL AND s.danmaku IS NOT NULL
			   AND s.reply IS NOT NULL),
			GREATEST(r.hi, (SELECT max(s.observed_at) FROM uphub.video_snapshot s WHERE s.aid = r.key))))
	WHERE r.kind = 'v';
	UPDATE uphub.agg_work_range r SET
		d1 = uphub._agg_day(COALESCE(
			(SELECT max(s.observed_at) FROM uphub.creator_snapshot s
			 WHERE s.mid = r.key AND s.observed_at < r.lo AND s.follower IS NOT NULL),
			LEAST(r.lo, (SELECT min(s.observed_at) FROM uphub.creator_snapshot s WHERE s.mid = r.key)))),
		d2 = uphub._agg_day(COALESCE(
			(SELECT min(s.observed_at) FROM uphub.creator_snapshot s
			 WHERE s.mid = r.key AND s.observed_at > r.hi AND s.follower IS NOT NULL),
			GREATEST(r.hi, (SELECT max(s.observed_at) FROM uphub.creator_snapshot s WHERE s.mid = r.key))))
	WHERE r.kind = 'c';

	-- The snapshots needed to recompute days d1..d2: from the last fully
	-- observed one at or before the start of d1 to the first at or after the
	-- end of d2.
	UPDATE uphub.agg_work_range r SET
		plo = COALESCE((SELECT max(s.observed_at) FROM uphub.video_snapshot s
			WHERE s.aid = r.key AND s.observed_at <= uphub._agg_day_start(r.d1)
			  AND s.view IS NOT NULL AND s."like" IS NOT NULL AND s.coin IS NOT NULL
			  AND s.favorite IS NOT NULL AND s.share IS NOT NULL AND s.danmaku IS NOT NULL
			  AND s.reply IS NOT NULL), '-infinity'),
		phi = COALESCE((SELECT min(s.observed_at) FROM uphub.video_snapshot s
			WHERE s.aid = r.key AND s.observed_at >= uphub._agg_day_start(r.d2) + interval '1 day'
			  AND s.view IS NOT NULL AND s."like" IS NOT NULL AND s.coin IS NOT NULL
			  AND s.favorite IS NOT NULL AND s.share IS NOT NULL AND s.danmaku IS NOT NULL
			  AND s.reply IS NOT NULL), 'infinity')
	WHERE r.kind = 'v';
	UPDATE uphub.agg_work_range r SET
		plo = COALESCE((SELECT max(s.observed_at) FROM uphub.creator_snapshot s
			WHERE s.mid = r.key AND s.observed_at <= uphub._agg_day_start(r.d1)
			  AND s.follower IS NOT NULL), '-infinity'),
		phi = COALESCE((SELECT min(s.observed_at) FROM uphub.creator_snapshot s
			WHERE s.mid = r.key AND s.observed_at >= uphub._agg_day_start(r.d2) + interval '1 day'
			  AND s.follower IS NOT NULL), 'infinity')
	WHERE r.kind = 'c';

	-- 3. video_daily: replace the rows of each range; every creator day that
	--    lost or gained a row is remembered.
	WITH del AS (
		DELETE FROM uphub.video_daily v USING uphub.agg_work_range r
		WHERE r.kind = 'v' AND v.aid = r.key AND v.day BETWEEN r.d1 AND r.d2
		RETURNING v.mid, v.day)
	INSERT INTO uphub.agg_work_cday SELECT mid, day FROM del;

	WITH pts AS (
		SELECT r.key AS aid, r.d1, r.d2, k.c, s.observed_at AS t, k.v
		FROM uphub.agg_work_range r
		JOIN uphub.video_snapshot s ON s.aid = r.key AND s.observed_at >= r.plo AND s.observed_at <= r.phi
		CROSS JOIN LATERAL (VALUES (1, s.view), (2, s."like"), (3, s.coin), (4, s.favorite),
								   (5, s.share), (6, s.danmaku), (7, s.reply)) AS k(c, v)
		WHERE r.kind = 'v' AND k.v IS NOT NULL
	), seg AS (
		SELECT aid, d1, d2, c, t, v, lead(t) OVER w AS t1, lead(v) OVER w AS v1
		FROM pts WINDOW w AS (PARTITION BY aid, c ORDER BY t)
	), knots AS (
		SELECT aid, d1, d2, c, t, v::numeric AS v FROM seg
		UNION ALL
		SELECT seg.aid, seg.d1, seg.d2, seg.c, b.b, uphub._agg_interp(seg.t, seg.v, seg.t1, seg.v1, b.b)
		FROM seg CROSS JOIN LATERAL uphub._agg_boundaries(seg.t, seg.t1, seg.d1, seg.d2) AS b(b)
		WHERE seg.t1 IS NOT NULL
	), steps AS (
		SELECT aid, d1, d2, c, uphub._agg_day(t) AS day, (lead(v) OVER w - v)::bigint AS delta
		FROM knots WINDOW w AS (PARTITION BY aid, c ORDER BY t)
	), ins AS (
		INSERT INTO uphub.video_daily (mid, aid, day, views, likes, coins, favorites, shares, danmaku, replies)
		SELECT vid.mid, x.aid, x.day, x.views, x.likes, x.coins, x.favorites, x.shares, x.danmaku, x.replies
		FROM (SELECT aid, day,
				COALESCE(sum(delta) FILTER (WHERE c = 1), 0) AS views,
				COALESCE(sum(delta) FILTER (WHERE c = 2), 0) AS likes,
				COALESCE(sum(delta) FILTER (WHERE c = 3), 0) AS coins,
				COALESCE(sum(delta) FILTER (WHERE c = 4), 0) AS favorites,
				COALESCE(sum(delta) FILTER (WHERE c = 5), 0) AS shares,
				COALESCE(sum(delta) FILTER (WHERE c = 6), 0) AS danmaku,
				COALESCE(sum(delta) FILTER (WHERE c = 7), 0) AS replies
			  FROM steps WHERE delta IS NOT NULL AND day BETWEEN d1 AND d2
			  GROUP BY aid, day) x
		JOIN uphub.video vid ON vid.aid = x.aid
		RETURNING mid, day)
	INSERT INTO uphub.agg_work_cday SELECT mid, day FROM ins;

	-- A deleted video took its rows with it (ON DELETE CASCADE): its
	-- creator's days of the range still need recomputing.
	INSERT INTO uphub.agg_work_cday
	SELECT DISTINCT c.mid, d::date
	FROM uphub.agg_work_range r
	JOIN uphub.agg_work_change c ON c.kind = 'v' AND c.key = r.key AND c.mid IS NOT NULL
	CROSS JOIN LATERAL generate_series(r.d1::timestamp, r.d2::timestamp, interval '1 day') d
	WHERE r.kind = 'v' AND r.d1 > '-infinity' AND r.d2 < 'infinity'
	  AND NOT EXISTS (SELECT 1 FROM uphub.video v WHERE v.aid = r.key);

	-- 4. Follower movement, the same way from creator_snapshot.
	WITH del AS (
		DELETE FROM uphub.agg_follower_daily f USING uphub.agg_work_range r
		WHERE r.kind = 'c' AND f.mid = r.key AND f.day BETWEEN r.d1 AND r.d2
		RETURNING f.mid, f.day)
	INSERT INTO uphub.agg_work_cday SELECT mid, day FROM del;

	WITH pts AS (
		SELECT r.key AS mid, r.d1, r.d2, s.observed_at AS t, s.follower AS v
		FROM uphub.agg_work_range r
		JOIN uphub.creator_snapshot s ON s.mid = r.key AND s.observed_at >= r.plo AND s.observed_at <= r.phi
		WHERE r.kind = 'c' AND s.follower IS NOT NULL
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
		RETURNING mid, day)
	INSERT INTO uphub.agg_work_cday SELECT mid, day FROM ins;

	-- Publish days of videos that appeared, moved day or owner, or went away.
	INSERT INTO uphub.agg_work_cday
	SELECT mid, uphub._agg_day(t_lo) FROM uphub.agg_work_change WHERE kind = 'p';

	-- 5. creator_daily for every creator day touched above.
	DELETE FROM uphub.creator_daily c
	USING (SELECT DISTINCT mid, day FROM uphub.agg_work_cday) x
	WHERE c.mid = x.mid AND c.day = x.day;

	INSERT INTO uphub.creator_daily (mid, day, views, likes, coins, favorites, shares, danmaku,
									 replies, fans_delta, follower_eod, videos_published)
	SELECT x.mid, x.day, COALESCE(v.views, 0), COALESCE(v.likes, 0), COALESCE(v.coins, 0),
		COALESCE(v.favorites, 0), COALESCE(v.shares, 0), COALESCE(v.danmaku, 0), COALESCE(v.replies, 0),
		COALESCE(f.fans_delta, 0), f.follower_eod, p.n
	FROM (SELECT DISTINCT mid, day FROM uphub.agg_work_cday) x
	JOIN uphub.creator cr ON cr.mid = x.mid
	CROSS JOIN LATERAL (
		SELECT count(*) AS n, sum(views) AS views, sum(likes) AS likes, sum(coins) AS coins,
			sum(favorites) AS favorites, sum(shares) AS shares, sum(danmaku) AS danmaku,
			sum(replies) AS replies
		FROM uphub.video_daily vd WHERE vd.mid = x.mid AND vd.day = x.day) v
	LEFT JOIN uphub.agg_follower_daily f ON f.mid = x.mid AND f.day = x.day
	CROSS JOIN LATERAL (
		SELECT count(*)::integer AS n FROM uphub.video pv
		WHERE pv.mid = x.mid AND pv.pubdate >= uphub._agg_day_start(x.day)
		  AND pv.pubdate < uphub._agg_day_start(x.day) + interval '1 day') p
	WHERE v.n > 0 OR f.mid IS NOT NULL OR p.n > 0;

	-- 6. Partition and agency days: every day a creator day changed on, and
	--    every day from a partition, agency or main-partition move on.
	INSERT INTO uphub.agg_work_day SELECT DISTINCT day FROM uphub.agg_work_cday;
	INSERT INTO uphub.agg_work_day
	SELECT v.day FROM uphub.agg_work_change c
	JOIN uphub.video_daily v ON v.aid = c.key AND v.day >= uphub._agg_day(c.t_lo)
	WHERE c.kind = 'a'
	UNION
	SELECT uphub._agg_day(v.pubdate) FROM uphub.agg_work_change c
	JOIN uphub.video v ON v.aid = c.key AND uphub._agg_day(v.pubdate) >= uphub._agg_day(c.t_lo)
	WHERE c.kind = 'a'
	UNION
	SELECT cd.day FROM uphub.agg_work_change c
	JOIN uphub.creator_daily cd ON cd.mid = c.key AND cd.day >= uphub._agg_day(c.t_lo)
	WHERE c.kind = 'm';

	DELETE FROM uphub.partition_daily WHERE day IN (SELECT day FROM uphub.agg_work_day);
	INSERT INTO uphub.partition_daily (tid, day, views, likes, coins, favorites, shares, danmaku,
									   replies, fans_delta, videos_published, creators)
	SELECT x.tid, x.day, sum(x.views), sum(x.likes), sum(x.coins), sum(x.favorites), sum(x.shares),
		sum(x.danmaku), sum(x.replies), sum(x.fans_delta), sum(x.published), count(DISTINCT x.mid)
	FROM (
		SELECT h.tid, v.day, v.mid, v.views, v.likes, v.coins, v.favorites, v.shares, v.danmaku,
			v.replies, 0::bigint AS fans_delta, 0 AS published
		FROM uphub.video_daily v
		CROSS JOIN LATERAL (SELECT tid FROM uphub.video_tid_history h
			WHERE h.aid = v.aid AND h.from_day <= v.day ORDER BY h.from_day DESC LIMIT 1) h
		WHERE v.day IN (SELECT day FROM uphub.agg_work_day)
		UNION ALL
		SELECT h.main_tid, c.day, c.mid, 0, 0, 0, 0, 0, 0, 0, c.fans_delta, 0
		FROM uphub.creator_daily c
		CROSS JOIN LATERAL (SELECT main_tid FROM uphub.creator_dim_history h
			WHERE h.mid = c.mid AND h.from_day <= c.day ORDER BY h.from_day DESC LIMIT 1) h
		WHERE c.day IN (SELECT day FROM uphub.agg_work_day)
		UNION ALL
		SELECT h.tid, c.day, c.mid, 0, 0, 0, 0, 0, 0, 0, 0, 1
		FROM uphub.creator_daily c
		JOIN uphub.video pv ON pv.mid = c.mid AND pv.pubdate >= uphub._agg_day_start(c.day)
			AND pv.pubdate < uphub._agg_day_start(c.day) + interval '1 day'
		CROSS JOIN LATERAL (SELECT tid FROM uphub.video_tid_history h
			WHERE h.aid = pv.aid AND h.from_day <= c.day ORDER BY h.from_day DESC LIMIT 1) h
		WHERE c.day IN (SELECT day FROM uphub.agg_work_day) AND c.videos_published > 0
	) x
	JOIN uphub.partition p ON p.tid = x.tid
	GROUP BY x.tid, x.day;

	DELETE FROM uphub.mcn_daily WHERE day IN (SELECT day FROM uphub.agg_work_day);
	INSERT INTO uphub.mcn_daily (mcn_id, day, views, likes, coins, favorites, shares, danmaku,
								 replies, fans_delta, videos_published, creators)
	SELECT h.mcn_id, c.day, sum(c.views), sum(c.likes), sum(c.coins), sum(c.favorites), sum(c.shares),
		sum(c.danmaku), sum(c.replies), sum(c.fans_delta), sum(c.videos_published), count(*)
	FROM uphub.creator_daily c
	CROSS JOIN LATERAL (SELECT mcn_id FROM uphub.creator_dim_history h
		WHERE h.mid = c.mid AND h.from_day <= c.day ORDER BY h.from_day DESC LIMIT 1) h
	JOIN uphub.mcn m ON m.mcn_id = h.mcn_id
	WHERE c.day IN (SELECT day FROM uphub.agg_work_day)
	GROUP BY h.mcn_id, c.day;

	-- 7. Summaries of every creator touched, and ranks of their partitions.
	INSERT INTO uphub.agg_work_mid
	SELECT mid FROM uphub.agg_work_cday
	UNION
	SELECT mid FROM uphub.agg_work_change WHERE kind IN ('p', 'm', 's') AND mid IS NOT NULL;
	INSERT INTO uphub.agg_work_rank
	SELECT key::integer FROM uphub.agg_work_change WHERE kind = 'r';
	PERFORM uphub._agg_summarize(today);

	UPDATE uphub.agg_state SET changes_applied = changes_applied + n, last_batch_at = now();
	DELETE FROM uphub.agg_work_change;
	DELETE FROM uphub.agg_work_range;
	DELETE FROM uphub.agg_work_cday;
	DELETE FROM uphub.agg_work_day;
	RETURN n;
END;
$$;
REVOKE ALL ON FUNCTION uphub._agg_refresh_batch(integer, bigint) FROM PUBLIC;

-- Recompute creator_summary for the creators in agg_work_mid, then the
-- partition ranks of their partitions (and of agg_work_rank); empties both.
CREATE FUNCTION uphub._agg_summarize(today date)
	RETURNS void
	LANGUAGE plpgsql
	SECURITY DEFINER
	SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	w7 date := today - 6;
	w30 date := today - 29;
BEGIN
	INSERT INTO uphub.creator_summary AS s (mid, follower, views_total, likes_total, coins_total,
		favorites_total, shares_total, views_7d, views_30d, fans_delta_7d, fans_delta_30d,
		engagement_30d, median_views_recent, videos_30d, partition_rank_30d, refreshed_at)
	SELECT m.mid,
		(SELECT cs.follower FROM uphub.creator_snapshot cs
		 WHERE cs.mid = m.mid AND cs.follower IS NOT NULL ORDER BY cs.observed_at DESC LIMIT 1),
		COALESCE(t.views, 0), COALESCE(t.likes, 0), COALESCE(t.coins, 0), COALESCE(t.favorites, 0),
		COALESCE(t.shares, 0),
		COALESCE(d.views_7d, 0), COALESCE(d.views_30d, 0), COALESCE(d.fans_7d, 0), COALESCE(d.fans_30d, 0),
		CASE WHEN COALESCE(d.views_30d, 0) = 0 THEN NULL
			 ELSE (d.likes_30d + d.coins_30d + d.favorites_30d)::double precision / d.views_30d END,
		(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY r.views)
		 FROM (SELECT (SELECT s2.view FROM uphub.video_snapshot s2
					   WHERE s2.aid = v.aid AND s2.view IS NOT NULL
					   ORDER BY s2.observed_at DESC LIMIT 1) AS views
			   FROM uphub.video v WHERE v.mid = m.mid
			   ORDER BY v.pubdate DESC NULLS LAST, v.aid DESC LIMIT 20) r),
		(SELECT count(*) FROM uphub.video v WHERE v.mid = m.mid
			AND v.pubdate >= uphub._agg_day_start(w30) AND v.pubdate < uphub._agg_day_start(today + 1)),
		NULL, now()
	FROM (SELECT DISTINCT mid FROM uphub.agg_work_mid) m
	JOIN uphub.creator c ON c.mid = m.mid
	LEFT JOIN LATERAL (
		SELECT sum(l.views) AS views, sum(l.likes) AS likes, sum(l.coins) AS coins,
			sum(l.favorites) AS favorites, sum(l.shares) AS shares
		FROM uphub.video v
		CROSS JOIN LATERAL (SELECT
			(SELECT s2.view FROM uphub.video_snapshot s2 WHERE s2.aid = v.aid AND s2.view IS NOT NULL
			 ORDER BY s2.observed_at DESC LIMIT 1) AS views,
			(SELECT s2."like" FROM uphub.video_snapshot s2 WHERE s2.aid = v.aid AND s2."like" IS NOT NULL
			 ORDER BY s2.observed_at DESC LIMIT 1) AS likes,
			(SELECT s2.coin FROM uphub.video_snapshot s2 WHERE s2.aid = v.aid AND s2.coin IS NOT NULL
			 ORDER BY s2.observed_at DESC LIMIT 1) AS coins,
			(SELECT s2.favorite FROM uphub.video_snapshot s2 WHERE s2.aid = v.aid AND s2.favorite IS NOT NULL
			 ORDER BY s2.observed_at DESC LIMIT 1) AS favorites,
			(SELECT s2.share FROM uphub.video_snapshot s2 WHERE s2.aid = v.aid AND s2.share IS NOT NULL
			 ORDER BY s2.observed_at DESC LIMIT 1) AS shares) l
		WHERE v.mid = m.mid) t ON true
	LEFT JOIN LATERAL (
		SELECT sum(cd.views) FILTER (WHERE cd.day >= w7) AS views_7d, sum(cd.views) AS views_30d,
			sum(cd.fans_delta) FILTER (WHERE cd.day >= w7) AS fans_7d, sum(cd.fans_delta) AS fans_30d,
			sum(cd.likes) AS likes_30d, sum(cd.coins) AS coins_30d, sum(cd.favorites) AS favorites_30d
		FROM uphub.creator_daily cd WHERE cd.mid = m.mid AND cd.day BETWEEN w30 AND today) d ON true
	ON CONFLICT (mid) DO UPDATE SET
		follower = EXCLUDED.follower, views_total = EXCLUDED.views_total,
		likes_total = EXCLUDED.likes_total, coins_total = EXCLUDED.coins_total,
		favorites_total = EXCLUDED.favorites_total, shares_total = EXCLUDED.shares_total,
		views_7d = EXCLUDED.views_7d, views_30d = EXCLUDED.views_30d,
		fans_delta_7d = EXCLUDED.fans_delta_7d, fans_delta_30d = EXCLUDED.fans_delta_30d,
		engagement_30d = EXCLUDED.engagement_30d, median_views_recent = EXCLUDED.median_views_recent,
		videos_30d = EXCLUDED.videos_30d, partition_rank_30d = s.partition_rank_30d,
		refreshed_at = EXCLUDED.refreshed_at;

	-- Ranks: every partition one of these creators is or was in.
	INSERT INTO uphub.agg_work_rank
	SELECT h.main_tid FROM uphub.agg_work_mid m JOIN uphub.creator_dim_history h ON h.mid = m.mid
	WHERE h.main_tid IS NOT NULL
	UNION
	SELECT c.main_tid FROM uphub.agg_work_mid m JOIN uphub.creator c ON c.mid = m.mid
	WHERE c.main_tid IS NOT NULL;

	UPDATE uphub.creator_summary s SET partition_rank_30d = r.rk
	FROM (SELECT s2.mid, rank() OVER (PARTITION BY c.main_tid ORDER BY s2.views_30d DESC)::integer AS rk
		  FROM uphub.creator_summary s2 JOIN uphub.creator c ON c.mid = s2.mid
		  WHERE c.main_tid IN (SELECT tid FROM uphub.agg_work_rank)) r
	WHERE s.mid = r.mid AND s.partition_rank_30d IS DISTINCT FROM r.rk;
	UPDATE uphub.creator_summary s SET partition_rank_30d = NULL
	FROM uphub.creator c
	WHERE c.mid = s.mid AND c.main_tid IS NULL AND s.partition_rank_30d IS NOT NULL
	  AND s.mid IN (SELECT mid FROM uphub.agg_work_mid);

	DELETE FROM uphub.agg_work_mid;
	DELETE FROM uphub.agg_work_rank;
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
	SELECT COALESCE(GREATEST(now() OPERATOR(pg_catalog.-) min(logged_at), interval '0'), interval '0')
	FROM uphub.agg_change
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
COMMENT ON COLUMN uphub.agg_follower_daily.mid IS 'The creator.';
COMMENT ON COLUMN uphub.agg_follower_daily.day IS 'Asia/Shanghai calendar day.';
COMMENT ON COLUMN uphub.agg_follower_daily.fans_delta IS 'Followers gained that day.';
COMMENT ON COLUMN uphub.agg_follower_daily.follower_eod IS 'Followers at the end of the day or at the last observation in it.';
COMMENT ON TABLE uphub.agg_work_change IS 'Internal scratch of one refresh batch: the claimed changes.';
COMMENT ON TABLE uphub.agg_work_range IS 'Internal scratch of one refresh batch: day ranges to recompute per entity.';
COMMENT ON TABLE uphub.agg_work_cday IS 'Internal scratch of one refresh batch: creator days to recompute.';
COMMENT ON TABLE uphub.agg_work_day IS 'Internal scratch of one refresh batch: days of partition_daily and mcn_daily to recompute.';
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
