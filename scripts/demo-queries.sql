-- scripts/demo-queries.sql — what `make demo` shows. Later subsystems add
-- their own examples here (aggregates, principals, GraphQL).
\pset footer off
SET timezone = 'Asia/Shanghai';

\echo
\echo '== The data set'
SELECT (SELECT count(*) FROM uphub.creator) AS creators,
	   (SELECT count(*) FROM uphub.video) AS videos,
	   (SELECT count(*) FROM uphub.video_snapshot) AS video_snapshots,
	   (SELECT count(*) FROM uphub.creator_snapshot) AS creator_snapshots,
	   (SELECT count(*) FROM pg_inherits WHERE inhparent = 'uphub.video_snapshot'::regclass) AS snapshot_partitions;

\echo
\echo '== Top 5 creators by followers (latest snapshot)'
SELECT c.mid, c.name, p.name AS partition, m.name AS mcn, s.follower
FROM uphub.creator c
JOIN LATERAL (SELECT follower FROM uphub.creator_snapshot cs WHERE cs.mid = c.mid
			  ORDER BY observed_at DESC LIMIT 1) s ON true
LEFT JOIN uphub.partition p ON p.tid = c.main_tid
LEFT JOIN uphub.mcn m ON m.mcn_id = c.mcn_id
ORDER BY s.follower DESC LIMIT 5;

\echo
\echo '== Most viewed videos (latest snapshot)'
SELECT v.bvid, v.title, c.name AS creator, s.view, s."like", s.coin
FROM uphub.video v JOIN uphub.creator c USING (mid)
JOIN LATERAL (SELECT * FROM uphub.video_snapshot vs WHERE vs.aid = v.aid
			  ORDER BY observed_at DESC LIMIT 1) s ON true
ORDER BY s.view DESC LIMIT 5;

\echo
\echo '== Views by top-level partition (latest snapshots)'
WITH latest AS (
	SELECT DISTINCT ON (aid) aid, view FROM uphub.video_snapshot ORDER BY aid, observed_at DESC
)
SELECT coalesce(top.name, p.name) AS partition, count(*) AS videos, sum(l.view) AS views
FROM latest l JOIN uphub.video v USING (aid)
JOIN uphub.partition p ON p.tid = v.tid
LEFT JOIN uphub.partition top ON top.tid = p.parent_tid
GROUP BY 1 ORDER BY views DESC;
