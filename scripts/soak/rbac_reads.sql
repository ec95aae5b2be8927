-- soak workload: the RBAC hot path and RLS reads, as the connecting principal.
-- counts: rbac_checks=1 ingest_rows=1
\set mid random(1, 200)
SELECT uphub.check_access('stats.read', :mid);
SELECT cardinality(uphub.visible_creators('stats.read'));
SELECT count(*), sum(views) FROM uphub.creator_daily WHERE mid = :mid;
SELECT count(*) FROM uphub.video WHERE mid = :mid;
SELECT uphub.stats_record_ingest('soak', 1);
