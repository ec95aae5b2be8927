-- RBAC under attack: delegated administration limits, self-promotion,
-- identity spoofing (GUCs, SET ROLE + ROLLBACK, act_as), search_path
-- hijacking of every SECURITY DEFINER function, leaky functions under RLS,
-- and the decision cache (check -> revoke -> check in one session).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
BEGIN;
CREATE FUNCTION pg_temp.try(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE stmt;
	RETURN 'ok';
EXCEPTION WHEN others THEN
	RETURN SQLSTATE || ' ' || SQLERRM;
END;
$$;
INSERT INTO uphub.partition VALUES (1, NULL, 'anime');
INSERT INTO uphub.mcn VALUES (7, 'mcn seven'), (8, 'mcn eight');
INSERT INTO uphub.creator (mid, name, main_tid, mcn_id) VALUES (301, 'c301', 1, 7), (302, 'c302', 1, 7), (303, 'c303', 1, 8);
CREATE ROLE rba_admin; CREATE ROLE rba_m7; CREATE ROLE rba_staff; CREATE ROLE rba_gw; CREATE ROLE rba_evil;
GRANT uphub_admin TO rba_admin, rba_m7;
GRANT uphub_gateway TO rba_gw;
GRANT rba_m7 TO rba_staff;
SELECT uphub.add_principal('admin', 'rba_admin') > 0, uphub.add_principal('m7', 'rba_m7') > 0,
	   uphub.add_principal('staff', 'rba_staff') > 0, uphub.add_principal('c301', NULL, 301) > 0,
	   uphub.add_principal('c303', NULL, 303) > 0;
SELECT uphub.assign_role('admin', 'platform_admin'), uphub.assign_role('m7', 'mcn_manager', 'mcn', 7);

-- Privileges: no admin function is executable by PUBLIC; internals by nobody
-- but the owner; act_as only by the gateway.
SELECT p.proname FROM pg_proc p WHERE p.pronamespace = 'uphub'::regnamespace
  AND has_function_privilege('rba_evil', p.oid, 'EXECUTE')
  AND (p.proname LIKE '\_rbac\_%' OR p.proname IN ('add_principal', 'delete_principal', 'add_role',
	'delete_role', 'grant_permission', 'revoke_permission', 'assign_role', 'deassign_role', 'add_inheritance',
	'delete_inheritance', 'create_ssd_set', 'delete_ssd_set', 'add_ssd_role_member', 'delete_ssd_role_member',
	'set_ssd_set_cardinality', 'create_dsd_set', 'delete_dsd_set', 'add_dsd_role_member',
	'delete_dsd_role_member', 'set_dsd_set_cardinality'))
ORDER BY 1;
SELECT has_function_privilege('rba_evil', 'uphub.act_as(text)', 'EXECUTE') AS evil_act_as,
	   has_function_privilege('rba_gw', 'uphub.act_as(text)', 'EXECUTE') AS gateway_act_as,
	   pg_has_role('rba_evil', 'uphub_gateway', 'MEMBER') AS evil_is_gateway,
	   has_function_privilege('rba_m7', 'uphub.assign_role(text,text,text,bigint)', 'EXECUTE') AS admin_assign;
-- Every SECURITY DEFINER function pins search_path.
SELECT p.oid::regprocedure FROM pg_proc p WHERE p.pronamespace = 'uphub'::regnamespace AND p.prosecdef
  AND NOT coalesce(p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp'], false);
SELECT count(*) > 20 AS many_definer_functions FROM pg_proc p
WHERE p.pronamespace = 'uphub'::regnamespace AND p.prosecdef;
-- The catalog itself is not readable.
SET ROLE rba_m7;
SELECT pg_temp.try($$SELECT * FROM uphub.role_assignment$$);
SELECT pg_temp.try($$INSERT INTO uphub.role_assignment VALUES (2, 1, 'global', NULL)$$);
RESET ROLE;

-- Delegated administration: the MCN manager administers its own creators
-- with roles it holds, nothing more.
SET ROLE rba_m7;
SELECT pg_temp.try($$SELECT uphub.assign_role('staff', 'mcn_manager', 'creator', 301)$$) AS own_creator_held_role;
SELECT pg_temp.try($$SELECT uphub.assign_role('staff', 'mcn_manager', 'creator', 303)$$) AS other_mcn_creator;
SELECT pg_temp.try($$SELECT uphub.assign_role('staff', 'mcn_manager', 'mcn', 8)$$) AS other_mcn;
SELECT pg_temp.try($$SELECT uphub.assign_role('staff', 'mcn_manager')$$) AS global_scope;
SELECT pg_temp.try($$SELECT uphub.assign_role('c301', 'creator', 'creator', 301)$$) AS unheld_role;
SELECT pg_temp.try($$SELECT uphub.assign_role('staff', 'platform_admin', 'creator', 301)$$) AS unheld_admin_role;
SELECT pg_temp.try($$SELECT uphub.assign_role('m7', 'mcn_manager', 'creator', 301)$$) AS self_assignment;
SELECT pg_temp.try($$SELECT uphub.add_principal('fake303', NULL, 303)$$) AS principal_of_other_mcn;
SELECT pg_temp.try($$SELECT uphub.add_principal('fake301', NULL, 301)$$) AS principal_of_own_creator;
SELECT pg_temp.try($$SELECT uphub.add_principal('freefloating')$$) AS principal_without_creator;
SELECT pg_temp.try($$SELECT uphub.add_principal('su', 'postgres', 301)$$) AS map_superuser;
SELECT pg_temp.try($$SELECT uphub.delete_principal('c303')$$) AS delete_other_mcn_principal;
SELECT pg_temp.try($$SELECT uphub.add_role('m7_role')$$) AS add_role;
SELECT pg_temp.try($$SELECT uphub.delete_role('creator')$$) AS delete_builtin_role;
SELECT pg_temp.try($$SELECT uphub.grant_permission('mcn_manager', 'stats.write')$$) AS widen_own_role;
SELECT pg_temp.try($$SELECT uphub.add_inheritance('mcn_manager', 'platform_admin')$$) AS inherit_admin;
SELECT pg_temp.try($$SELECT uphub.create_ssd_set('x', ARRAY['analyst', 'ingest'], 2)$$) AS create_ssd;
SELECT pg_temp.try($$SELECT uphub.deassign_role('staff', 'mcn_manager', 'creator', 301)$$) AS deassign_own;
-- Review is limited to its scope too.
SELECT * FROM uphub.assigned_users('mcn_manager');
SELECT pg_temp.try($$SELECT uphub.check_access_for('c303', 'stats.read', 303)$$) AS check_other_mcn;
RESET ROLE;
-- Probing: a principal that administers nothing (though its PostgreSQL role
-- may call the admin functions) gets the same denial for names that exist
-- and names that do not; reviewing itself still works.
CREATE ROLE rba_viewer;
GRANT uphub_admin TO rba_viewer;
SELECT uphub.add_principal('viewer', 'rba_viewer') > 0, uphub.assign_role('viewer', 'analyst');
SET ROLE rba_viewer;
SELECT pg_temp.try($$SELECT uphub.delete_principal('m7')$$) AS existing_principal,
	   pg_temp.try($$SELECT uphub.delete_principal('no_such')$$) AS missing_principal;
SELECT pg_temp.try($$SELECT uphub.assign_role('m7', 'creator', 'creator', 301)$$) AS existing_names,
	   pg_temp.try($$SELECT uphub.assign_role('no_such', 'no_such', 'creator', 301)$$) AS missing_names;
SELECT pg_temp.try($$SELECT uphub.grant_permission('analyst', 'revenue.read')$$) AS existing_role,
	   pg_temp.try($$SELECT uphub.grant_permission('no_such', 'no_such')$$) AS missing_role;
SELECT pg_temp.try($$SELECT uphub.assigned_users('mcn_manager')$$) AS review_existing_role,
	   pg_temp.try($$SELECT uphub.assigned_users('no_such')$$) AS review_missing_role;
SELECT pg_temp.try($$SELECT uphub.assigned_roles('m7')$$) AS review_existing_principal,
	   pg_temp.try($$SELECT uphub.assigned_roles('no_such')$$) AS review_missing_principal;
SELECT pg_temp.try($$SELECT uphub.check_access_for('m7', 'stats.read')$$) AS check_existing,
	   pg_temp.try($$SELECT uphub.check_access_for('no_such', 'stats.read')$$) AS check_missing;
SELECT * FROM uphub.assigned_roles('viewer');
SELECT uphub.check_access_for('viewer', 'stats.read') AS check_self;
RESET ROLE;
-- A global admin cannot promote itself either.
SET ROLE rba_admin;
SELECT pg_temp.try($$SELECT uphub.assign_role('admin', 'analyst')$$) AS admin_self_assignment;
SELECT pg_temp.try($$SELECT uphub.add_inheritance('platform_admin', 'analyst')$$) AS admin_inherit_into_own_role;
SELECT pg_temp.try($$SELECT uphub.delete_role('analyst')$$) AS global_admin_deletes_builtin;
RESET ROLE;
-- Every denial is in the audit log, written by its own transaction: it is
-- there although each call above was rolled back.
SELECT pg_role, principal, action, allowed, detail FROM uphub.audit_log
WHERE pg_role LIKE 'rba\_%' AND NOT allowed ORDER BY audit_id;

-- Identity cannot be set through GUCs.
SET ROLE rba_evil;
SELECT pg_temp.try($$SET uphub.principal = 'admin'$$);
SELECT pg_temp.try($$SELECT set_config('uphub.act_as', 'admin', false)$$);
SELECT uphub.current_principal(), uphub.check_access('rbac.admin');
-- Nor through act_as without the gateway role (the attempt is audited).
-- (SET ROLE itself is PostgreSQL's: only roles the session user belongs to.)
SELECT pg_temp.try($$SELECT uphub.act_as('admin')$$);
RESET ROLE;
SELECT pg_role, action, target, allowed FROM uphub.audit_log WHERE pg_role = 'rba_evil';

-- SET ROLE + ROLLBACK: identity follows the role and comes back with it.
SAVEPOINT s;
SET LOCAL ROLE rba_m7;
SELECT uphub.current_principal() AS inside;
ROLLBACK TO SAVEPOINT s;
SELECT uphub.current_principal() AS after_rollback, uphub.check_access('video.read', 303) AS superuser_sees_all;

-- The gateway: act_as is audited, undone by rollback, ended by a role change.
SET ROLE rba_gw;
SELECT uphub.current_principal() AS gateway_itself;
SAVEPOINT s;
SELECT uphub.act_as('admin');
SELECT uphub.current_principal() AS acting;
ROLLBACK TO SAVEPOINT s;
SELECT uphub.current_principal() AS act_as_rolled_back;
SELECT uphub.act_as('m7');
SELECT uphub.current_principal() AS acting, uphub.check_access('stats.read', 301) AS in_mcn,
	   uphub.check_access('stats.read', 303) AS outside;
SELECT pg_temp.try($$SELECT uphub.act_as('nobody')$$);
RESET ROLE;
SELECT uphub.current_principal() AS role_changed;
SET ROLE rba_gw;
SELECT uphub.current_principal() AS act_as_reset_by_role_change;
SELECT uphub.act_as('m7');
SELECT uphub.act_as(NULL);
SELECT uphub.current_principal() AS act_as_ended;
RESET ROLE;
SELECT pg_role, principal, action, target, allowed FROM uphub.audit_log
WHERE pg_role = 'rba_gw' ORDER BY audit_id;
-- A prepared statement decides with the identity at execution time.
PREPARE see AS SELECT uphub.current_principal(), array_agg(mid ORDER BY mid) FROM uphub.creator;
SET ROLE rba_m7;
EXECUTE see;
RESET ROLE;
EXECUTE see;
DEALLOCATE see;

-- search_path hijack: a hostile "=" operator in public and pg_temp
-- functions shadowing uphub's internals change nothing.
CREATE FUNCTION public.rba_true_eq(bigint, bigint) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE OPERATOR public.= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = public.rba_true_eq);
CREATE FUNCTION public.rba_true_eq_text(text, text) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE OPERATOR public.= (LEFTARG = text, RIGHTARG = text, FUNCTION = public.rba_true_eq_text);
CREATE FUNCTION pg_temp._rbac_actor() RETURNS bigint LANGUAGE sql AS 'SELECT 0::bigint';
CREATE FUNCTION pg_temp._rbac_holds(bigint, text, text, bigint) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE FUNCTION pg_temp.check_access(text, bigint) RETURNS boolean LANGUAGE sql AS 'SELECT true';
SET ROLE rba_m7;
SET LOCAL search_path = public, pg_temp, pg_catalog, uphub;
SELECT 1::bigint = 2::bigint AS hostile_operator_active;
SELECT pg_temp.try($$SELECT uphub.assign_role('staff', 'mcn_manager', 'creator', 303)$$) AS other_mcn_creator;
SELECT pg_temp.try($$SELECT uphub.assign_role('staff', 'analyst')$$) AS global_role;
SELECT pg_temp.try($$SELECT uphub.add_role('hijack')$$) AS add_role;
SELECT pg_temp.try($$SELECT uphub.create_session(ARRAY['platform_admin'])$$) AS activate_unheld;
SELECT pg_temp.try($$SELECT uphub.check_access_for('admin', 'rbac.admin')$$) AS check_for_admin;
SELECT uphub.check_access('stats.read', 303) AS check_other_mcn, uphub.visible_creators('stats.read');
SELECT * FROM uphub.assigned_roles('admin');
SELECT * FROM uphub.session_roles();
SELECT array_agg(mid ORDER BY mid) FROM uphub.creator;
RESET search_path;
RESET ROLE;
DROP OPERATOR public.= (bigint, bigint);
DROP OPERATOR public.= (text, text);
DROP FUNCTION public.rba_true_eq(bigint, bigint);
DROP FUNCTION public.rba_true_eq_text(text, text);

-- A non-leakproof function in a query sees only rows RLS lets through.
CREATE FUNCTION pg_temp.leak(bigint) RETURNS boolean LANGUAGE plpgsql COST 0.0000001 AS $$
BEGIN
	RAISE WARNING 'leaked %', $1;
	RETURN true;
END;
$$;
SET ROLE rba_m7;
SELECT mid FROM uphub.creator WHERE pg_temp.leak(mid) ORDER BY mid;
RESET ROLE;

-- The cache: check, revoke, check again in the same session.
SET ROLE rba_m7;
SELECT uphub.check_access('revenue.read', 301) AS before_revoke;
RESET ROLE;
SELECT uphub.revoke_permission('mcn_manager', 'revenue.read');
SET ROLE rba_m7;
SELECT uphub.check_access('revenue.read', 301) AS after_revoke, count(*) AS revenue_rows
FROM uphub.creator_revenue_daily;
RESET ROLE;
SAVEPOINT s;
SELECT uphub.grant_permission('mcn_manager', 'revenue.read');
SET ROLE rba_m7;
SELECT uphub.check_access('revenue.read', 301) AS granted_in_savepoint;
RESET ROLE;
ROLLBACK TO SAVEPOINT s;
SET ROLE rba_m7;
SELECT uphub.check_access('revenue.read', 301) AS grant_rolled_back;
RESET ROLE;
SELECT uphub.deassign_role('m7', 'mcn_manager', 'mcn', 7);
SET ROLE rba_m7;
SELECT uphub.check_access('stats.read', 301) AS after_deassign;
RESET ROLE;

-- PREPARE TRANSACTION of an RBAC change is refused (its commit would not
-- reach other sessions' caches).
ROLLBACK;
BEGIN;
CREATE ROLE rba_tmp;
SELECT uphub.add_principal('rba_tmp', 'rba_tmp') > 0;
PREPARE TRANSACTION 'rba';
SELECT count(*) FROM pg_prepared_xacts WHERE gid = 'rba';
DELETE FROM uphub.audit_log WHERE pg_role LIKE 'rba\_%';
