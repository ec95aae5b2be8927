-- scripts/demo-queries.sql — what `make demo` shows: the data, the
-- aggregates, and the same questions asked by different principals, in SQL
-- (row-level security) and in GraphQL (uphub.graphql()).
\pset footer off
SET timezone = 'Asia/Shanghai';

\echo
\echo '== The data set'
SELECT (SELECT count(*) FROM uphub.creator) AS creators,
	   (SELECT count(*) FROM uphub.video) AS videos,
	   (SELECT count(*) FROM uphub.video_snapshot) AS video_snapshots,
	   (SELECT count(*) FROM uphub.creator_snapshot) AS creator_snapshots,
	   (SELECT count(*) FROM uphub.creator_daily) AS creator_days,
	   uphub.aggregate_lag() AS aggregate_lag;

\echo
\echo '== Top 5 creators by views over the last 30 days (creator_summary, kept by the aggregate worker)'
SELECT c.mid, c.name, p.name AS partition, m.name AS mcn, s.follower, s.views_30d,
	   round(s.engagement_30d::numeric, 4) AS engagement_30d, s.partition_rank_30d AS rank_in_partition
FROM uphub.creator_summary s JOIN uphub.creator c USING (mid)
LEFT JOIN uphub.partition p ON p.tid = c.main_tid
LEFT JOIN uphub.mcn m ON m.mcn_id = c.mcn_id
ORDER BY s.views_30d DESC LIMIT 5;

\echo
\echo '== Who sees what: the same SQL as four principals (row-level security on RBAC)'
SELECT 'superuser' AS who, (SELECT count(*) FROM uphub.creator) AS creators,
	   (SELECT count(*) FROM uphub.creator_daily) AS creator_days,
	   (SELECT count(*) FROM uphub.creator_revenue_daily) AS revenue_days;
SET ROLE demo_analyst;
SELECT uphub.current_principal() AS who, (SELECT count(*) FROM uphub.creator) AS creators,
	   (SELECT count(*) FROM uphub.creator_daily) AS creator_days,
	   (SELECT count(*) FROM uphub.creator_revenue_daily) AS revenue_days;
RESET ROLE;
SET ROLE demo_operator;
SELECT uphub.current_principal() AS who, (SELECT count(*) FROM uphub.creator) AS creators,
	   (SELECT count(*) FROM uphub.creator_daily) AS creator_days,
	   (SELECT count(*) FROM uphub.creator_revenue_daily) AS revenue_days;
RESET ROLE;
SET ROLE demo_agency;
SELECT uphub.current_principal() AS who, (SELECT count(*) FROM uphub.creator) AS creators,
	   (SELECT count(*) FROM uphub.creator_daily) AS creator_days,
	   (SELECT count(*) FROM uphub.creator_revenue_daily) AS revenue_days;
RESET ROLE;
SET ROLE demo_creator;
SELECT uphub.current_principal() AS who, (SELECT count(*) FROM uphub.creator) AS creators,
	   (SELECT count(*) FROM uphub.creator_daily) AS creator_days,
	   (SELECT count(*) FROM uphub.creator_revenue_daily) AS revenue_days;
RESET ROLE;

\echo
\echo '== GraphQL: the agency''s creators by views over 30 days, as the agency (demo_agency)'
SET ROLE demo_agency;
SELECT jsonb_pretty(uphub.graphql($$
query AgencyBoard {
  creatorSummaries(first: 3, orderBy: [{views30d: DESC}]) {
    totalCount
    nodes { mid views30d fansDelta30d creator { name mcn { name } } }
  }
}$$));
RESET ROLE;

\echo
\echo '== GraphQL: the creator''s own dashboard, as the creator (demo_creator)'
SET ROLE demo_creator;
SELECT jsonb_pretty(uphub.graphql($$
query Dashboard {
  creators(first: 1) {
    nodes {
      name
      summary { follower views7d views30d medianViewsRecent }
      daily(first: 3, orderBy: [{day: DESC}]) { nodes { day views fansDelta followerEod } }
      videos(first: 3, orderBy: [{pubdate: DESC}]) { nodes { bvid title } }
    }
  }
}$$));
\echo '   ... and the same creator asking for a creator it may not see:'
SELECT uphub.graphql($$ query { creators(filter: {mcnId: {isNull: true}}, first: 1) { totalCount } } $$);
RESET ROLE;

\echo
\echo '== GraphQL errors carry locations and codes (a request error: no data key)'
SELECT jsonb_pretty(uphub.graphql($$ query Broken { creators { noSuchField } } $$));
