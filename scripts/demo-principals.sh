#!/usr/bin/env bash
# scripts/demo-principals.sh — run by `make demo` after the data is loaded:
# catches the aggregates up and creates the platform's actors as PostgreSQL
# roles mapped to uphub principals (PGHOST, PGPORT, PGUSER, PGDATABASE set).
set -euo pipefail
psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
SET client_min_messages = warning;
SELECT uphub.refresh_aggregates() AS changes_applied \gset
-- Private money figures (the generator makes none): 14 days for every creator.
INSERT INTO uphub.creator_revenue_daily (mid, day, elec, ad_share, other)
SELECT c.mid, d::date, (abs(hashint8(c.mid + (d::date - date '2000-01-01'))) % 50000) / 100.0,
	   (abs(hashint8(c.mid * 3 + (d::date - date '2000-01-01'))) % 200000) / 100.0, 0
FROM uphub.creator c,
	 generate_series((now() AT TIME ZONE 'Asia/Shanghai')::date - 14,
					 (now() AT TIME ZONE 'Asia/Shanghai')::date - 1, interval '1 day') d
ON CONFLICT DO NOTHING;
DO $$
DECLARE
	r text;
BEGIN
	FOREACH r IN ARRAY ARRAY['demo_analyst', 'demo_agency', 'demo_creator', 'demo_operator'] LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
			EXECUTE format('CREATE ROLE %I LOGIN', r);
		END IF;
	END LOOP;
END;
$$;
-- The agency with the most creators, its biggest creator, the biggest top-level partition.
SELECT mcn_id AS agency FROM uphub.creator WHERE mcn_id IS NOT NULL
GROUP BY mcn_id ORDER BY count(*) DESC, mcn_id LIMIT 1 \gset
SELECT c.mid AS star FROM uphub.creator c JOIN uphub.creator_summary s USING (mid)
WHERE c.mcn_id = :agency ORDER BY s.views_30d DESC, c.mid LIMIT 1 \gset
SELECT coalesce(p.parent_tid, p.tid) AS category FROM uphub.creator c JOIN uphub.partition p ON p.tid = c.main_tid
GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1 \gset
SELECT uphub.add_principal('analyst', 'demo_analyst');
SELECT uphub.assign_role('analyst', 'analyst');
SELECT uphub.add_principal('agency', 'demo_agency');
SELECT uphub.assign_role('agency', 'mcn_manager', 'mcn', :agency);
SELECT uphub.add_principal('star', 'demo_creator', :star);
SELECT uphub.assign_role('star', 'creator', 'creator', :star);
SELECT uphub.add_principal('operator', 'demo_operator');
SELECT uphub.assign_role('operator', 'category_operator', 'partition', :category);
SQL
