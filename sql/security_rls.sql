-- Security: row-level security coverage, generic over the catalog, so that
-- tables added later (aggregates, revenue, anything with a mid) are covered.
--  1. Every table of schema uphub with a mid column, and every aggregate
--     (*_daily, *_summary) or revenue table, has RLS enabled and forced.
--     Partitions are exempt only while nobody but the owner holds any
--     privilege on them (RLS of the parent does not apply to them).
--  2. No permissive policy lacks a condition or has the condition true.
--  3. Every policy decides through the RBAC functions.
--  4. No relation is granted to PUBLIC without RLS, except the allow-listed
--     reference tables and views below, and those only for SELECT; TRUNCATE
--     (which ignores RLS), REFERENCES and TRIGGER go to nobody.
--  5. Behaviour: a principal holding creator-scope roles on one creator sees
--     and changes only that creator's rows in every mid table granted to
--     PUBLIC; a role without a principal sees none.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
BEGIN;
CREATE TEMP TABLE public_relation_allowed (name text PRIMARY KEY, reason text NOT NULL);
INSERT INTO public_relation_allowed VALUES
	('partition', 'reference data (content categories), readable by every principal'),
	('mcn', 'reference data (agency names), readable by every principal'),
	('stats', 'view over uphub._stats_operations(), which checks metrics.read in C'),
	('counters', 'view over uphub._stats_counters(), which checks metrics.read in C');

-- 1. RLS enabled and forced.
SELECT c.oid::regclass AS table_without_forced_rls
FROM pg_class c
WHERE c.relnamespace = 'uphub'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND (EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'mid' AND NOT a.attisdropped)
	   OR c.relname ~ '(_daily|_summary|revenue)')
  AND NOT (c.relrowsecurity AND c.relforcerowsecurity)
ORDER BY 1;
SELECT c.oid::regclass AS partition_with_grants
FROM pg_class c, pg_extension e
WHERE e.extname = 'uphub' AND c.relnamespace = 'uphub'::regnamespace AND c.relispartition
  AND EXISTS (SELECT 1 FROM aclexplode(c.relacl) x WHERE x.grantee <> e.extowner)
ORDER BY 1;
SELECT count(*) >= 10 AS tables_checked FROM pg_class c
WHERE c.relnamespace = 'uphub'::regnamespace AND c.relkind IN ('r', 'p') AND c.relrowsecurity;

-- 2. and 3. Policies.
SELECT p.polrelid::regclass AS tab, p.polname, p.polcmd,
	   pg_get_expr(p.polqual, p.polrelid) AS qual, pg_get_expr(p.polwithcheck, p.polrelid) AS with_check
FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
WHERE c.relnamespace = 'uphub'::regnamespace
  AND (   (p.polpermissive AND p.polcmd <> 'a' AND (p.polqual IS NULL OR pg_get_expr(p.polqual, p.polrelid) = 'true'))
	   OR (p.polpermissive AND p.polcmd IN ('a', 'w', '*') AND p.polwithcheck IS NULL AND p.polqual IS NULL)
	   OR (p.polpermissive AND pg_get_expr(p.polwithcheck, p.polrelid) = 'true')
	   OR NOT coalesce(pg_get_expr(p.polqual, p.polrelid), '') || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '')
			  ~ 'uphub\.(check_access|visible_creators|visible_from|visible_partitions|visible_mcns|current_principal)\(')
ORDER BY 1, 2;
-- Policies apply to every role (PUBLIC), not to some roles only.
SELECT p.polrelid::regclass AS tab, p.polname AS policy_not_for_public
FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
WHERE c.relnamespace = 'uphub'::regnamespace AND p.polroles <> '{0}'
ORDER BY 1, 2;

-- 4. Grants to PUBLIC.
SELECT c.oid::regclass AS rel, x.privilege_type AS granted_to_public
FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) x
WHERE c.relnamespace = 'uphub'::regnamespace AND x.grantee = 0
  AND (x.privilege_type IN ('TRUNCATE', 'REFERENCES', 'TRIGGER')
	   OR (NOT (c.relrowsecurity AND c.relforcerowsecurity)
		   AND NOT (c.relname IN (SELECT name FROM public_relation_allowed) AND x.privilege_type = 'SELECT')))
ORDER BY 1, 2;
SELECT a.name AS stale_allow_list_entry FROM public_relation_allowed a
WHERE to_regclass('uphub.' || a.name) IS NULL;

-- 5. Behaviour, over every table with a mid column.
INSERT INTO uphub.partition VALUES (902, NULL, 'rls partition');
INSERT INTO uphub.creator (mid, name, main_tid) VALUES (90201, 'rls a', 902), (90202, 'rls b', 902);
INSERT INTO uphub.video (aid, bvid, mid, tid, title) VALUES
	(90201, 'BV1RLSaaaaaa', 90201, 902, 'a'), (90202, 'BV1RLSbbbbbb', 90202, 902, 'b');
INSERT INTO uphub.video_staff VALUES (90201, 90201, 90202, 'guest'), (90202, 90202, 90201, 'guest');
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view) VALUES
	(90201, '2024-01-15 12:00+08', 90201, 1), (90202, '2024-01-15 12:00+08', 90202, 1);
INSERT INTO uphub.creator_snapshot (mid, observed_at, follower) VALUES
	(90201, '2024-01-15 12:00+08', 1), (90202, '2024-01-15 12:00+08', 1);
INSERT INTO uphub.creator_revenue_daily (mid, day, elec) VALUES (90201, '2024-01-15', 1), (90202, '2024-01-15', 1);
INSERT INTO uphub.video_daily (mid, aid, day) VALUES (90201, 90201, '2024-01-15'), (90202, 90202, '2024-01-15');
INSERT INTO uphub.creator_daily (mid, day) VALUES (90201, '2024-01-15'), (90202, '2024-01-15');
INSERT INTO uphub.creator_summary (mid) VALUES (90201), (90202);
CREATE ROLE rls_a; CREATE ROLE rls_nobody;
SELECT uphub.add_principal('rls_a', 'rls_a') > 0;
SELECT uphub.assign_role('rls_a', 'creator', 'creator', 90201), uphub.assign_role('rls_a', 'ingest', 'creator', 90201);
CREATE TEMP TABLE rls_table AS
SELECT c.oid::regclass AS tab FROM pg_class c
WHERE c.relnamespace = 'uphub'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND has_table_privilege('public', c.oid, 'SELECT')
  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'mid' AND NOT a.attisdropped);
CREATE TEMP TABLE rls_seen (who text, tab regclass, own bigint, other bigint, moved text, deleted_other bigint);
GRANT SELECT ON rls_table TO PUBLIC;
GRANT INSERT ON rls_seen TO PUBLIC;
CREATE FUNCTION pg_temp.rls_probe(who text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	t regclass;
	own bigint;
	other bigint;
	moved text;
	deleted bigint;
BEGIN
	FOR t IN SELECT tab FROM pg_temp.rls_table ORDER BY tab::text LOOP
		EXECUTE format('SELECT count(*) FILTER (WHERE mid = 90201), count(*) FILTER (WHERE mid <> 90201) FROM %s', t)
			INTO own, other;
		BEGIN
			EXECUTE format('UPDATE %s SET mid = 90202 WHERE mid = 90201', t);
			GET DIAGNOSTICS deleted = ROW_COUNT;
			moved := deleted || ' rows';
		EXCEPTION WHEN OTHERS THEN
			moved := SQLSTATE;
		END;
		BEGIN
			EXECUTE format('DELETE FROM %s WHERE mid = 90202', t);
			GET DIAGNOSTICS deleted = ROW_COUNT;
		EXCEPTION WHEN OTHERS THEN
			deleted := -1;
		END;
		INSERT INTO pg_temp.rls_seen VALUES (who, t, own, other, moved, deleted);
	END LOOP;
END;
$$;
CREATE TEMP TABLE rls_before (tab regclass, n bigint);
DO $$
DECLARE
	t regclass;
	n bigint;
BEGIN
	FOR t IN SELECT tab FROM rls_table LOOP
		EXECUTE format('SELECT count(*) FROM %s WHERE mid = 90202', t) INTO n;
		INSERT INTO rls_before VALUES (t, n);
	END LOOP;
END;
$$;
SET ROLE rls_a;
SELECT pg_temp.rls_probe('creator-scoped principal');
SET ROLE rls_nobody;
SELECT pg_temp.rls_probe('no principal');
RESET ROLE;
-- Seen: only its own creator's rows; other creators' rows neither seen,
-- moved onto, nor deleted.
SELECT who, tab, own, other, moved, deleted_other FROM rls_seen
WHERE other <> 0 OR deleted_other > 0 OR moved NOT IN ('0 rows', '42501')
   OR (who = 'no principal' AND own <> 0)
ORDER BY 1, 2;
SELECT count(*) FILTER (WHERE who = 'creator-scoped principal' AND own > 0) >= 9 AS tables_with_own_rows_seen,
	   count(*) FILTER (WHERE moved = '42501') >= 3 AS moves_refused_by_policy
FROM rls_seen;
DO $$
DECLARE
	t regclass;
	n bigint;
	was bigint;
BEGIN
	FOR t IN SELECT tab FROM rls_table LOOP
		EXECUTE format('SELECT count(*) FROM %s WHERE mid = 90202', t) INTO n;
		SELECT b.n INTO was FROM rls_before b WHERE b.tab = t;
		IF n IS DISTINCT FROM was THEN
			RAISE WARNING 'rows of creator 90202 in % changed: % -> %', t, was, n;
		END IF;
	END LOOP;
END;
$$;
ROLLBACK;
DELETE FROM uphub.audit_log WHERE pg_role LIKE 'rls\_%';
