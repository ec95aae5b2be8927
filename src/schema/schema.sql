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
-- * creator and video are rewritten at every newer observation (updated_at
--   moves even when nothing else does): fillfactor 50 leaves room on each
--   page, so those rewrites are HOT updates (no new index entries). At 100,
--   about half of them were not (ingest, issue 3).

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
) WITH (fillfactor = 50);
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
) WITH (fillfactor = 50);
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
-- can call it freely; creating a partition locks out readers of the parent
-- until the caller's transaction ends (see below). Returns the number of
-- partitions created.
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
			-- Readers of the parent wait until this transaction ends. Without
			-- it a concurrent statement can plan with the old partition list
			-- (waiting only on the default partition) and then run with a
			-- snapshot taken after the commit, in which the moved rows are in
			-- neither: they would vanish from that statement (a refresh would
			-- compute stale days). Once per new month.
			LOCK TABLE uphub.video_snapshot IN ACCESS EXCLUSIVE MODE;
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
