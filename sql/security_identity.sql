-- Security: identity spoofing and privilege escalation, generalising
-- rbac_attacks.sql (which shows single instances): every candidate GUC,
-- every role switch, definer functions of privileged owners, prepared
-- statements under both plan modes, act_as by every non-gateway caller and
-- with hostile names, every role-definition function by a scoped admin,
-- every uphub_admin function by a member without a principal, every
-- self-assignment, every unheld role, and a dense random hierarchy that must
-- stay acyclic. Queries list violations; the expected output is mostly
-- empty lists and fixed counts.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
BEGIN;
CREATE FUNCTION pg_temp.try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE stmt;
	RETURN 'ok';
EXCEPTION WHEN others THEN
	RETURN SQLSTATE;
END;
$$;
-- Who the session is, as uphub decides it.
CREATE FUNCTION pg_temp.whoami() RETURNS text LANGUAGE sql AS $$
	SELECT concat_ws('|', current_user, coalesce(uphub.current_principal(), '-'),
					 uphub.check_access('rbac.admin'), uphub.check_access('stats.read', 90302),
					 (SELECT count(*) FROM uphub.creator WHERE mid IN (90301, 90302)))
$$;
INSERT INTO uphub.partition VALUES (903, NULL, 'id partition');
INSERT INTO uphub.mcn VALUES (903, 'id mcn');
INSERT INTO uphub.creator (mid, name, main_tid, mcn_id) VALUES (90301, 'id a', 903, 903), (90302, 'id b', 903, NULL);
CREATE ROLE id_admin; CREATE ROLE id_m; CREATE ROLE id_evil; CREATE ROLE id_gw; CREATE ROLE id_alice;
CREATE ROLE id_admin_group_only;
GRANT uphub_admin TO id_admin, id_m, id_admin_group_only;
GRANT uphub_gateway TO id_gw;
SELECT uphub.add_principal('id_admin', 'id_admin') > 0, uphub.add_principal('id_m', 'id_m') > 0,
	   uphub.add_principal('id_alice', 'id_alice') > 0, uphub.add_principal('id_bob', NULL, 90301) > 0;
SELECT uphub.assign_role('id_admin', 'platform_admin'), uphub.assign_role('id_m', 'mcn_manager', 'mcn', 903),
	   uphub.assign_role('id_alice', 'analyst', 'creator', 90301);
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA pg_temp TO PUBLIC;

-- A. No GUC changes identity: neither invented names nor uphub's real ones.
-- (role and session_authorization are part B; the attacker's session is
-- entered with SET SESSION AUTHORIZATION, so its session user is the
-- attacker, as for a real login.)
CREATE TEMP TABLE id_guc AS
SELECT name FROM (VALUES ('uphub.principal'), ('uphub.act_as'), ('uphub.current_principal'), ('uphub.role'),
	('uphub.user'), ('uphub.pg_role'), ('uphub.actor'), ('uphub.session_roles'), ('request.jwt.claim.sub'),
	('request.jwt.claims'), ('app.principal'), ('app.user')) v(name)
UNION SELECT name FROM pg_settings WHERE name LIKE 'uphub.%';
GRANT SELECT ON id_guc TO PUBLIC;
CREATE TEMP TABLE id_guc_result (who text, name text, value text, outcome text, changed boolean);
GRANT INSERT ON id_guc_result TO PUBLIC;
CREATE FUNCTION pg_temp.spoof(who text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	g record;
	v text;
	before text := pg_temp.whoami();
	outcome text;
BEGIN
	FOR g IN SELECT name FROM pg_temp.id_guc ORDER BY 1 LOOP
		FOREACH v IN ARRAY ARRAY['id_admin', 'id_m', 'postgres', '0', 'on'] LOOP
			outcome := pg_temp.try(format('SELECT set_config(%L, %L, false)', g.name, v));
			IF outcome = 'ok' THEN
				outcome := pg_temp.try(format('SET %I = %L', g.name, v));
			END IF;
			INSERT INTO pg_temp.id_guc_result VALUES (who, g.name, v, outcome, pg_temp.whoami() <> before);
			PERFORM pg_temp.try(format('RESET %I', g.name));
		END LOOP;
	END LOOP;
END;
$$;
SET SESSION AUTHORIZATION id_evil;
SELECT pg_temp.spoof('evil');
SET SESSION AUTHORIZATION id_alice;
SELECT pg_temp.spoof('alice');
RESET SESSION AUTHORIZATION;
SELECT who, name, value, outcome FROM id_guc_result WHERE changed ORDER BY 1, 2, 3;
SELECT count(*) >= 150 AS guc_attempts, count(*) FILTER (WHERE outcome = 'ok') AS accepted_settings,
	   array_agg(DISTINCT name) FILTER (WHERE outcome = 'ok') AS settable
FROM id_guc_result;

-- B. SET ROLE only to roles the session user belongs to, and a switch
-- rolled back restores identity exactly. (SET SESSION AUTHORIZATION by a
-- non-superuser login needs a real login: test/t/062_identity_login.pl.)
CREATE TEMP TABLE id_switch (from_role text, to_role text, outcome text, identity_kept boolean);
GRANT INSERT ON id_switch TO PUBLIC;
DO $$
DECLARE
	f text;
	t text;
	before text;
	outcome text;
BEGIN
	FOREACH f IN ARRAY ARRAY['id_evil', 'id_alice', 'id_m', 'id_gw'] LOOP
		FOREACH t IN ARRAY ARRAY['id_admin', 'id_m', 'id_gw', 'uphub_gateway', 'uphub_admin', 'postgres'] LOOP
			CONTINUE WHEN f = t;
			EXECUTE format('SET SESSION AUTHORIZATION %I', f);
			before := pg_temp.whoami();
			outcome := pg_temp.try(format('SET ROLE %I', t));
			INSERT INTO id_switch VALUES (f, t, outcome, pg_temp.whoami() = before);
			RESET SESSION AUTHORIZATION;
		END LOOP;
	END LOOP;
END;
$$;
SELECT from_role, to_role, outcome, identity_kept FROM id_switch
ORDER BY 1, 2;
SET SESSION AUTHORIZATION id_gw;
SELECT pg_temp.whoami() AS gateway_before;
SAVEPOINT s;
SET LOCAL ROLE uphub_gateway;
SELECT pg_temp.whoami() AS inside_switch;
ROLLBACK TO SAVEPOINT s;
SELECT pg_temp.whoami() AS after_rolled_back_switch;
RESET SESSION AUTHORIZATION;

-- C. A SECURITY DEFINER function of a privileged owner runs with its
-- owner's rights but never with its owner's identity.
SET ROLE id_admin;
CREATE FUNCTION pg_temp.admin_definer() RETURNS text LANGUAGE sql SECURITY DEFINER AS $$ SELECT pg_temp.whoami() $$;
CREATE FUNCTION pg_temp.admin_definer_assign() RETURNS text LANGUAGE sql SECURITY DEFINER
	AS $$ SELECT pg_temp.try('SELECT uphub.assign_role(''id_alice'', ''analyst'')') $$;
SET ROLE id_gw;
CREATE FUNCTION pg_temp.gateway_definer_act_as() RETURNS text LANGUAGE sql SECURITY DEFINER
	AS $$ SELECT pg_temp.try('SELECT uphub.act_as(''id_admin'')') || ' ' || pg_temp.whoami() $$;
SET ROLE id_evil;
SELECT pg_temp.admin_definer() AS evil_in_admin_definer,
	   pg_temp.admin_definer_assign() AS evil_assigns_through_admin_definer,
	   pg_temp.gateway_definer_act_as() AS evil_acts_through_gateway_definer;
SELECT pg_temp.whoami() AS evil_afterwards;
RESET ROLE;

-- D. Prepared statements decide with the role executing them, in both plan
-- modes, whoever prepared them.
CREATE TEMP TABLE id_prepared (prepared_by text, executed_by text, plan_mode text, result text);
GRANT INSERT ON id_prepared TO PUBLIC;
DO $$
DECLARE
	p text;
	e text;
	m text;
	r text;
	i integer;
BEGIN
	FOREACH m IN ARRAY ARRAY['force_custom_plan', 'force_generic_plan'] LOOP
		FOREACH p IN ARRAY ARRAY['id_admin', 'id_evil'] LOOP
			EXECUTE format('SET ROLE %I', p);
			PERFORM set_config('plan_cache_mode', m, true);
			PREPARE id_q AS SELECT pg_temp.whoami();
			FOREACH e IN ARRAY ARRAY['id_admin', 'id_evil', 'id_m', 'id_admin', 'id_evil'] LOOP
				EXECUTE format('SET ROLE %I', e);
				FOR i IN 1 .. 6 LOOP
					EXECUTE 'EXECUTE id_q' INTO r;
				END LOOP;
				INSERT INTO id_prepared VALUES (p, e, m, r);
			END LOOP;
			DEALLOCATE id_q;
		END LOOP;
	END LOOP;
	RESET ROLE;
	RESET plan_cache_mode;
END;
$$;
SELECT executed_by, count(DISTINCT result) AS distinct_results, min(result) AS result
FROM id_prepared GROUP BY 1 ORDER BY 1;

-- E. act_as: only gateway members; hostile names never become an identity.
CREATE TEMP TABLE id_act (who text, target text, outcome text, identity text);
GRANT INSERT ON id_act TO PUBLIC;
DO $$
DECLARE
	w text;
	t text;
BEGIN
	FOREACH w IN ARRAY ARRAY['id_evil', 'id_alice', 'id_m', 'id_admin', 'id_admin_group_only', 'id_gw'] LOOP
		FOREACH t IN ARRAY ARRAY['id_admin', 'id_bob', '', ' id_admin', 'ID_ADMIN', 'id_admin'' OR ''1''=''1',
								 repeat('x', 10000), E'id_admin\n', 'nobody'] LOOP
			EXECUTE format('SET ROLE %I', w);
			INSERT INTO id_act VALUES (w, left(t, 30), pg_temp.try(format('SELECT uphub.act_as(%L)', t)), pg_temp.whoami());
			RESET ROLE;
		END LOOP;
	END LOOP;
END;
$$;
SELECT who, target, outcome, identity FROM id_act
WHERE (who <> 'id_gw' AND outcome <> '42501') OR (who = 'id_gw' AND outcome = 'ok' AND target NOT IN ('id_admin', 'id_bob'))
   OR split_part(identity, '|', 2) NOT IN ('-', 'id_admin', 'id_bob')
ORDER BY 1, 2;
SELECT who, count(*) FILTER (WHERE outcome = 'ok') AS accepted, count(*) AS attempts FROM id_act GROUP BY 1 ORDER BY 1;
-- While acting for a principal, the gateway has that principal's rights only.
SET ROLE id_gw;
SELECT uphub.act_as('id_alice');
SELECT pg_temp.whoami() AS acting_for_alice,
	   pg_temp.try($$SELECT uphub.assign_role('id_bob', 'analyst', 'creator', 90301)$$) AS alice_assigns;
RESET ROLE;

-- F. Escalation.
-- F1. Role definitions need a global rbac.admin: a scoped admin is refused
-- every one of them, and a member of uphub_admin without a principal is
-- refused every function granted to uphub_admin.
CREATE TEMP TABLE id_escalation (who text, fn text, outcome text);
GRANT INSERT ON id_escalation TO PUBLIC;
GRANT SELECT ON id_escalation TO PUBLIC;
CREATE FUNCTION pg_temp.call_all(who text, name_pattern text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	p record;
BEGIN
	FOR p IN SELECT f.oid::regprocedure AS sig, f.proname,
					(SELECT string_agg(CASE
						WHEN a.typ = 'text[]'::regtype THEN 'ARRAY[''analyst'', ''ingest'']'
						WHEN a.typ IN ('integer'::regtype, 'smallint'::regtype) THEN '2'
						WHEN a.typ = 'bigint'::regtype THEN '90301'
						WHEN a.typ <> 'text'::regtype THEN 'NULL::' || a.typ::text
						WHEN f.proargnames[a.i] = 'principal' THEN '''id_bob'''
						WHEN f.proargnames[a.i] IN ('role', 'senior') THEN '''analyst'''
						WHEN f.proargnames[a.i] = 'junior' THEN '''ingest'''
						WHEN f.proargnames[a.i] = 'permission' THEN '''stats.read'''
						WHEN f.proargnames[a.i] = 'scope_kind' THEN '''creator'''
						WHEN f.proargnames[a.i] = 'name' AND f.proname ~ '_(ssd|dsd)_' AND f.proname !~ '^create' THEN '''id_set'''
						WHEN f.proargnames[a.i] = 'name' AND f.proname = 'delete_role' THEN '''analyst'''
						WHEN f.proargnames[a.i] = 'name' AND f.proname = 'delete_principal' THEN '''id_bob'''
						ELSE '''id_new''' END, ', ' ORDER BY a.i)
					 FROM unnest(f.proargtypes::regtype[]) WITH ORDINALITY a(typ, i)) AS args
			 FROM pg_proc f
			 WHERE f.pronamespace = 'uphub'::regnamespace AND f.proname ~ name_pattern
			   AND has_function_privilege('uphub_admin', f.oid, 'EXECUTE')
			   AND NOT has_function_privilege('public', f.oid, 'EXECUTE')
			 ORDER BY 1::text LOOP
		INSERT INTO pg_temp.id_escalation
		VALUES (who, p.proname, pg_temp.try(format('SELECT uphub.%I(%s)', p.proname, coalesce(p.args, ''))));
	END LOOP;
END;
$$;
SELECT uphub.create_ssd_set('id_set', ARRAY['analyst', 'ingest'], 2);
SET ROLE id_m;
SELECT pg_temp.call_all('scoped admin', '^(add_role|delete_role|grant_permission|revoke_permission|add_inheritance|delete_inheritance|.*_(ssd|dsd)_.*)$');
SET ROLE id_admin_group_only;
SELECT pg_temp.call_all('uphub_admin member without principal', '.');
RESET ROLE;
SELECT who, fn, outcome FROM id_escalation WHERE outcome <> '42501' ORDER BY 1, 2;
SELECT who, count(*) >= 10 AS functions_refused FROM id_escalation GROUP BY 1 ORDER BY 1;

-- F2. Nobody assigns a role to themselves, in any scope; a scoped admin
-- neither assigns roles it does not hold nor touches principals above it.
CREATE TEMP TABLE id_assign (who text, target text, role text, scope text, outcome text);
GRANT INSERT ON id_assign TO PUBLIC;
DO $$
DECLARE
	w text;
	r text;
	s text[];
BEGIN
	FOREACH w IN ARRAY ARRAY['id_admin', 'id_m'] LOOP
		EXECUTE format('SET ROLE %I', w);
		FOR r IN SELECT name FROM uphub.role_permissions('platform_admin') x(name) LIMIT 0 LOOP END LOOP;
		FOREACH r IN ARRAY ARRAY['platform_admin', 'analyst', 'category_operator', 'mcn_manager', 'creator', 'ingest'] LOOP
			FOREACH s SLICE 1 IN ARRAY ARRAY[['global', NULL], ['partition', '903'], ['mcn', '903'], ['creator', '90301']] LOOP
				INSERT INTO id_assign VALUES (w, 'self', r, s[1], pg_temp.try(format(
					'SELECT uphub.assign_role(%L, %L, %L, %s)', w, r, s[1], coalesce(s[2], 'NULL'))));
				IF w = 'id_m' THEN
					INSERT INTO id_assign VALUES (w, 'id_bob', r, s[1], pg_temp.try(format(
						'SELECT uphub.assign_role(%L, %L, %L, %s)', 'id_bob', r, s[1], coalesce(s[2], 'NULL'))));
				END IF;
			END LOOP;
		END LOOP;
		RESET ROLE;
	END LOOP;
END;
$$;
SELECT who, target, role, scope, outcome FROM id_assign
WHERE outcome NOT IN ('42501', 'UH101') AND NOT (who = 'id_m' AND target = 'id_bob' AND role = 'mcn_manager' AND scope IN ('mcn', 'creator'))
ORDER BY 1, 2, 3, 4;
SELECT count(*) AS assignment_attempts, count(*) FILTER (WHERE outcome = 'ok') AS allowed FROM id_assign;
SET ROLE id_m;
SELECT pg_temp.try($$SELECT uphub.deassign_role('id_admin', 'platform_admin')$$) AS deassign_global_admin,
	   pg_temp.try($$SELECT uphub.delete_principal('id_admin')$$) AS delete_global_admin,
	   pg_temp.try($$SELECT uphub.delete_principal('id_alice')$$) AS delete_unscoped_principal,
	   pg_temp.try($$SELECT uphub.assign_role('id_alice', 'mcn_manager', 'creator', 90302)$$) AS assign_outside_mcn;
RESET ROLE;

-- F3. The hierarchy stays a DAG whatever edges are attempted, in any order.
SELECT uphub.add_role('id_r' || i) FROM generate_series(1, 6) i;
CREATE TEMP TABLE id_edge AS
SELECT 'id_r' || a AS senior, 'id_r' || b AS junior,
	   pg_temp.try(format('SELECT uphub.add_inheritance(%L, %L)', 'id_r' || a, 'id_r' || b)) AS outcome
FROM generate_series(1, 6) a, generate_series(1, 6) b
ORDER BY md5(a::text || '/' || b::text);
WITH RECURSIVE reach(start_id, role_id) AS (
	SELECT i.senior_id, i.junior_id FROM uphub.role_inheritance i
	UNION
	SELECT r.start_id, i.junior_id FROM reach r JOIN uphub.role_inheritance i ON i.senior_id = r.role_id
)
SELECT count(*) AS roles_reaching_themselves FROM reach WHERE start_id = role_id;
SELECT outcome, count(*) FROM id_edge GROUP BY 1 ORDER BY 1;

-- G. Catalog and audit tables cannot be written directly by anyone but the owner.
CREATE TEMP TABLE id_direct (who text, tab text, op text, outcome text);
GRANT INSERT ON id_direct TO PUBLIC;
DO $$
DECLARE
	w text;
	t record;
	op text;
BEGIN
	FOREACH w IN ARRAY ARRAY['id_evil', 'id_admin', 'id_m'] LOOP
		EXECUTE format('SET ROLE %I', w);
		FOR t IN SELECT c.relname, (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum DESC LIMIT 1) AS col
				 FROM pg_class c
				 WHERE c.relnamespace = 'uphub'::regnamespace AND c.relkind = 'r'
				   AND (NOT (c.relrowsecurity OR has_table_privilege('public', c.oid, 'SELECT')) OR c.relname = 'audit_log')
				 ORDER BY 1 LOOP
			FOREACH op IN ARRAY ARRAY['INSERT INTO uphub.%1$I DEFAULT VALUES', 'UPDATE uphub.%1$I SET %2$I = %2$I WHERE false',
									  'DELETE FROM uphub.%1$I', 'TRUNCATE uphub.%1$I'] LOOP
				INSERT INTO id_direct VALUES (w, t.relname, split_part(op, ' ', 1), pg_temp.try(format(op, t.relname, t.col)));
			END LOOP;
		END LOOP;
		RESET ROLE;
	END LOOP;
END;
$$;
SELECT who, tab, op, outcome FROM id_direct WHERE outcome <> '42501' ORDER BY 1, 2, 3;
SELECT count(*) >= 100 AS direct_writes_refused FROM id_direct;
ROLLBACK;
DELETE FROM uphub.audit_log WHERE pg_role LIKE 'id\_%';
