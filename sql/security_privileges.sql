-- Security: who may execute what, derived from the catalog so that functions
-- added later are covered without editing this file.
--  1. The administrative functions of API.md (RBAC administration,
--     stats_reset, ensure_snapshot_partitions, refresh_aggregates once it
--     exists) are not executable by PUBLIC.
--  2. Generic rule: a SECURITY DEFINER function of schema uphub is not
--     executable by PUBLIC unless it is on the allow-list below, which says
--     why it is safe for everyone (trigger functions are exempt: they
--     cannot be called directly).
--  3. Generic rule: an internal function (name starting with "_") is not
--     executable by PUBLIC unless allow-listed; trigger functions are exempt
--     (they cannot be called directly).
--  4. Nobody but the extension owner owns an object in schema uphub, and
--     PUBLIC cannot create objects there (definer functions trust uphub.*).
-- Every query lists violations: the expected output is empty lists.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
BEGIN;
CREATE TEMP TABLE admin_function (name text PRIMARY KEY, required boolean NOT NULL);
INSERT INTO admin_function VALUES
	('add_principal', true), ('delete_principal', true), ('add_role', true), ('delete_role', true),
	('grant_permission', true), ('revoke_permission', true), ('assign_role', true),
	('deassign_role', true), ('add_inheritance', true), ('delete_inheritance', true),
	('create_ssd_set', true), ('delete_ssd_set', true), ('add_ssd_role_member', true),
	('delete_ssd_role_member', true), ('set_ssd_set_cardinality', true),
	('create_dsd_set', true), ('delete_dsd_set', true), ('add_dsd_role_member', true),
	('delete_dsd_role_member', true), ('set_dsd_set_cardinality', true),
	('stats_reset', true), ('ensure_snapshot_partitions', true),
	-- Lands with src/agg: checked as soon as it exists.
	('refresh_aggregates', false);

-- Intentionally executable by PUBLIC, with the reason.
CREATE TEMP TABLE public_allowed (name text PRIMARY KEY, reason text NOT NULL);
INSERT INTO public_allowed VALUES
	('create_session', 'acts on the caller''s own session; activates only roles the caller is authorized for'),
	('add_active_role', 'own session; authorization and DSD checked in the body'),
	('drop_active_role', 'own session; can only reduce privileges'),
	('session_roles', 'reads the caller''s own session'),
	('session_permissions', 'reads the caller''s own session (GraphQL Query.me)'),
	('assigned_users', 'review: requires rbac.admin, rows limited to the caller''s administrative scope'),
	('authorized_users', 'review: requires rbac.admin, rows limited to scope'),
	('assigned_roles', 'review: self, or rbac.admin limited to scope'),
	('authorized_roles', 'review: self, or rbac.admin limited to scope'),
	('user_permissions', 'review: self, or rbac.admin limited to scope'),
	('role_permissions', 'review: requires rbac.admin'),
	('ssd_role_sets', 'review: requires rbac.admin'),
	('dsd_role_sets', 'review: requires rbac.admin'),
	('check_access_for', 'self, or rbac.admin in a scope covering the creator; denials audited'),
	('_require_preload', 'raises when uphub is not preloaded; reads and changes nothing'),
	('_stats_operations', 'body of the view uphub.stats; checks metrics.read / pg_read_all_stats in C'),
	('_stats_counters', 'body of the view uphub.counters; same check in C'),
	('aggregate_lag', 'API: age of the oldest pending change; reveals no row'),
	('_agg_day', 'pure computation (Asia/Shanghai day of a time), reads nothing; inlined into callers'),
	('_agg_day_start', 'pure computation, reads nothing; inlined into callers'),
	('_agg_interp', 'pure computation (linear interpolation), reads nothing'),
	('_agg_boundaries', 'pure computation (day boundaries of an interval), reads nothing'),
	('_agg_video_range', 'pure computation (day and snapshot ranges from the arrays passed in), reads nothing'),
	('_graphql_cache_entries', 'reports the sizes of the caller''s own backend plan cache'),
	('_graphql_persisted_query', 'APQ lookup: a hash only ever maps to its own query text'),
	('_graphql_persist_query', 'APQ store: re-checks sha256(text) = hash, size- and count-limited');

-- 1. Admin functions: missing ones, then PUBLIC-executable ones.
SELECT a.name AS missing_admin_function FROM admin_function a
WHERE a.required AND NOT EXISTS (
	SELECT 1 FROM pg_proc p WHERE p.pronamespace = 'uphub'::regnamespace AND p.proname = a.name);
SELECT p.oid::regprocedure AS admin_function_executable_by_public
FROM pg_proc p JOIN admin_function a ON a.name = p.proname
WHERE p.pronamespace = 'uphub'::regnamespace AND has_function_privilege('public', p.oid, 'EXECUTE');
-- ... and still executable by the administrators' group role.
SELECT p.oid::regprocedure AS admin_function_not_for_uphub_admin
FROM pg_proc p JOIN admin_function a ON a.name = p.proname
WHERE p.pronamespace = 'uphub'::regnamespace AND a.name NOT IN ('ensure_snapshot_partitions', 'refresh_aggregates')
  AND NOT has_function_privilege('uphub_admin', p.oid, 'EXECUTE');
SELECT count(*) >= 22 AS admin_functions_checked
FROM pg_proc p JOIN admin_function a ON a.name = p.proname WHERE p.pronamespace = 'uphub'::regnamespace;

-- 2. SECURITY DEFINER functions executable by PUBLIC must be allow-listed.
SELECT p.oid::regprocedure AS definer_function_executable_by_public
FROM pg_proc p
WHERE p.pronamespace = 'uphub'::regnamespace AND p.prosecdef
  AND p.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype)
  AND has_function_privilege('public', p.oid, 'EXECUTE')
  AND p.proname NOT IN (SELECT name FROM public_allowed);

-- 3. Internal functions executable by PUBLIC must be allow-listed.
SELECT p.oid::regprocedure AS internal_function_executable_by_public
FROM pg_proc p
WHERE p.pronamespace = 'uphub'::regnamespace AND p.proname LIKE '\_%'
  AND p.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype)
  AND has_function_privilege('public', p.oid, 'EXECUTE')
  AND p.proname NOT IN (SELECT name FROM public_allowed);
-- The allow-list names only functions that exist (no stale entries).
SELECT a.name AS stale_allow_list_entry FROM public_allowed a
WHERE NOT EXISTS (SELECT 1 FROM pg_proc p WHERE p.pronamespace = 'uphub'::regnamespace AND p.proname = a.name);

-- 4. Ownership and schema privileges.
SELECT c.oid::regclass AS relation_not_owned_by_extension_owner
FROM pg_class c, pg_extension e
WHERE e.extname = 'uphub' AND c.relnamespace = 'uphub'::regnamespace AND c.relowner <> e.extowner;
SELECT p.oid::regprocedure AS function_not_owned_by_extension_owner
FROM pg_proc p, pg_extension e
WHERE e.extname = 'uphub' AND p.pronamespace = 'uphub'::regnamespace AND p.proowner <> e.extowner;
SELECT has_schema_privilege('public', 'uphub', 'CREATE') AS public_may_create_in_uphub,
	   has_schema_privilege('public', 'uphub', 'USAGE') AS public_may_use_uphub;
-- A fresh role sees the same: no CREATE in uphub, no EXECUTE on any admin function.
CREATE ROLE sec_priv_nobody;
SELECT has_schema_privilege('sec_priv_nobody', 'uphub', 'CREATE') AS nobody_may_create,
	   count(*) FILTER (WHERE has_function_privilege('sec_priv_nobody', p.oid, 'EXECUTE')) AS nobody_admin_functions
FROM pg_proc p JOIN admin_function a ON a.name = p.proname WHERE p.pronamespace = 'uphub'::regnamespace;
-- Calling one anyway is refused by PostgreSQL before uphub's own check.
SET ROLE sec_priv_nobody;
SAVEPOINT s;
SELECT uphub.stats_reset();
ROLLBACK TO SAVEPOINT s;
SELECT uphub.ensure_snapshot_partitions(now());
ROLLBACK TO SAVEPOINT s;
RESET ROLE;
ROLLBACK;
