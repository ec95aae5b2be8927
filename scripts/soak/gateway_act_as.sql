-- soak workload: a gateway acting for principals in turn (audited, transactional).
-- role: gateway
-- counts: rbac_checks=2 ingest_rows=1
\set mid random(1, 200)
BEGIN;
SELECT uphub.act_as('soak_creator');
SELECT uphub.check_access('stats.read', :mid);
SELECT count(*) FROM uphub.creator_daily WHERE mid = :mid;
SELECT uphub.act_as('soak_manager');
SELECT uphub.check_access('revenue.read', :mid);
SELECT uphub.stats_record_ingest('soak', 1);
COMMIT;
