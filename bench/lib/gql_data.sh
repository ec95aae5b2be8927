# bench/lib/gql_data.sh — the dashboard data set and the creator-dashboard
# GraphQL query shared by bench/gql.sh and bench/stats_track.sh (sourced, not
# a benchmark: bench/run.sh only runs bench/*.sh).
#
# Sets $creators from BENCH_SCALE (small 500, default 5,000, large 50,000)
# and $dashboard_gql; gql_bench_load loads the data (creators with videos,
# 60 days of creator_daily, summaries, partitions and agencies) through the
# caller's psql array "${psql[@]}", replacing whatever the tables held; with
# change capture off (session_replication_role = replica), so the aggregate
# worker neither overwrites nor collides with the aggregate rows it writes.
case "${BENCH_SCALE:-default}" in
	small) creators=500 ;;
	large) creators=50000 ;;
	*) creators=5000 ;;
esac

# One creator: profile, summary, the last 30 daily rows, the 10 newest videos.
dashboard_gql='query Dashboard($mid: BigInt!) { creator(mid: $mid) { mid name face level summary { follower views7d views30d fansDelta30d engagement30d partitionRank30d } daily(orderBy: [{day: DESC}], first: 30) { nodes { day views likes fansDelta followerEod } } videos(orderBy: [{pubdate: DESC}], first: 10) { nodes { aid bvid title pubdate duration } } } }'

# Load the data set (TRUNCATE first).
gql_bench_load() {
	echo "loading $creators creators"
	"${psql[@]}" -v creators="$creators" <<'SQL'
SET timezone = 'Asia/Shanghai';
-- Generated rows go straight into the read tables: no change capture, so the
-- aggregation worker does not recompute creator_summary under the load.
SET session_replication_role = replica;
TRUNCATE uphub.partition, uphub.mcn, uphub.creator, uphub.video, uphub.creator_daily,
	uphub.creator_summary, uphub.partition_daily CASCADE;
INSERT INTO uphub.partition SELECT t, NULL, 'top ' || t FROM generate_series(1, 10) t;
INSERT INTO uphub.partition SELECT t, 1 + t % 10, 'sub ' || t FROM generate_series(11, 30) t;
INSERT INTO uphub.mcn SELECT m, 'agency ' || m FROM generate_series(1, 20) m;
INSERT INTO uphub.creator (mid, name, face, level, main_tid, mcn_id, joined_at, updated_at)
SELECT c, 'creator ' || c, 'http://i/' || c || '.jpg', c % 7, 1 + c % 30, CASE WHEN c % 3 > 0 THEN 1 + c % 20 END,
	'2015-01-01'::timestamptz + c * interval '1 hour', '2024-01-01'
FROM generate_series(1, :creators) c;
INSERT INTO uphub.video (aid, bvid, mid, tid, title, pubdate, duration, copyright, state)
SELECT v, 'BV1' || lpad(translate(v::text, '0', 'A'), 9, 'B'), 1 + v % :creators, 1 + v % 30, 'video ' || v,
	'2020-01-01'::timestamptz + v * interval '7 minutes', v % 600, 1, 0
FROM generate_series(1, :creators * 20) v;
INSERT INTO uphub.creator_daily (mid, day, views, likes, coins, favorites, fans_delta, follower_eod)
SELECT c, d, (c * 31 + extract(doy FROM d)::int * 17) % 1000, c % 50, c % 13, c % 11, (c + extract(doy FROM d)::int) % 21 - 10, 1000 + c
FROM generate_series(1, :creators) c, generate_series('2024-01-01'::date, '2024-02-29', '1 day') d;
INSERT INTO uphub.creator_summary (mid, follower, views_7d, views_30d, fans_delta_30d, engagement_30d, partition_rank_30d)
SELECT c, 1000 + c, (c * 7919) % 5000, (c * 104729) % 100000, c % 100, (c % 100) / 100.0, 1 + c % 50
FROM generate_series(1, :creators) c;
INSERT INTO uphub.partition_daily (tid, day, views, fans_delta, videos_published)
SELECT t, d, t * 100 + extract(doy FROM d)::int, t, t % 5 FROM generate_series(1, 30) t,
	generate_series('2024-01-01'::date, '2024-02-29', '1 day') d;
ANALYZE;
SQL
}
