-- src/rbac/rbac.sql — NIST RBAC with scopes (DESIGN.md "RBAC", API.md "RBAC").
--
-- Parts, in order:
--   1. catalog tables (principal, permission, role, role_permission,
--      role_inheritance, role_assignment, ssd/dsd sets, audit_log) and the
--      triggers that tell every backend's decision cache about a change;
--   2. the C entry points (identity, decisions, session state, audit);
--   3. internal SQL helpers: closures, scope coverage, SSD/DSD checks, the
--      delegated-administration gate;
--   4. the API: administrative, session and review functions;
--   5. seed data (built-in permissions and roles);
--   6. row-level security on every creator-owned table, and GRANTs.
--
-- Security rules every function here follows:
-- * Identity is the *outer* PostgreSQL role (the session user or the role
--   of SET ROLE, what current_user is outside any SECURITY DEFINER function),
--   mapped through principal.pg_role, or the principal a uphub_gateway member
--   chose with act_as(). It is computed in C (src/rbac/session.c) and never
--   read from a GUC, so SECURITY DEFINER functions below see their caller.
-- * SECURITY DEFINER functions pin search_path = pg_catalog, pg_temp and
--   qualify every table, function and operator.
-- * Administrative functions are not executable by PUBLIC: EXECUTE goes to
--   the group role uphub_admin, and the functions still check rbac.admin in a
--   scope covering their target. Denials are audited by a separate
--   transaction (a short-lived background worker), so the row survives the
--   caller's error.

-- ---------------------------------------------------------------------------
-- 1. Catalog
-- ---------------------------------------------------------------------------

CREATE TABLE uphub.principal (
	principal_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL UNIQUE CHECK (btrim(name) <> '' AND length(name) <= 128),
	pg_role name UNIQUE,
	creator_mid bigint CHECK (creator_mid > 0),
	created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE uphub.principal IS 'RBAC users (NIST "users"): people and services, mapped to a PostgreSQL role.';
COMMENT ON COLUMN uphub.principal.principal_id IS 'Surrogate key.';
COMMENT ON COLUMN uphub.principal.name IS 'Unique principal name used by the API.';
COMMENT ON COLUMN uphub.principal.pg_role IS 'PostgreSQL role whose sessions act as this principal; NULL: only reachable through act_as.';
COMMENT ON COLUMN uphub.principal.creator_mid IS 'The creator this principal is, if any; delegated admins of that creator manage the principal.';
COMMENT ON COLUMN uphub.principal.created_at IS 'When the principal was added.';

CREATE TABLE uphub.permission (
	permission_id integer PRIMARY KEY CHECK (permission_id BETWEEN 1 AND 63),
	name text NOT NULL UNIQUE,
	description text NOT NULL
);
COMMENT ON TABLE uphub.permission IS 'Built-in permissions (NIST "permissions"); the set is fixed by uphub.';
COMMENT ON COLUMN uphub.permission.permission_id IS 'Small fixed id.';
COMMENT ON COLUMN uphub.permission.name IS 'Permission name, e.g. video.read.';
COMMENT ON COLUMN uphub.permission.description IS 'What the permission allows.';

CREATE TABLE uphub.role (
	role_id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL UNIQUE CHECK (name ~ '^[a-z][a-z0-9_.-]{0,62}$'),
	description text,
	is_builtin boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE uphub.role IS 'RBAC roles. Built-in roles are seeded at install and may be edited, not deleted by scoped admins.';
COMMENT ON COLUMN uphub.role.role_id IS 'Surrogate key.';
COMMENT ON COLUMN uphub.role.name IS 'Role name (lower case letters, digits, _ . -).';
COMMENT ON COLUMN uphub.role.description IS 'What the role is for.';
COMMENT ON COLUMN uphub.role.is_builtin IS 'Seeded by uphub.';

CREATE TABLE uphub.role_permission (
	role_id integer NOT NULL REFERENCES uphub.role (role_id) ON DELETE CASCADE,
	permission_id integer NOT NULL REFERENCES uphub.permission (permission_id),
	PRIMARY KEY (role_id, permission_id)
);
COMMENT ON TABLE uphub.role_permission IS 'Permissions granted to a role directly (inherited ones come through role_inheritance).';
COMMENT ON COLUMN uphub.role_permission.role_id IS 'The role.';
COMMENT ON COLUMN uphub.role_permission.permission_id IS 'The permission.';

CREATE TABLE uphub.role_inheritance (
	senior_id integer NOT NULL REFERENCES uphub.role (role_id) ON DELETE CASCADE,
	junior_id integer NOT NULL REFERENCES uphub.role (role_id) ON DELETE CASCADE,
	PRIMARY KEY (senior_id, junior_id),
	CHECK (senior_id <> junior_id)
);
COMMENT ON TABLE uphub.role_inheritance IS 'Immediate edges of the role hierarchy (a DAG): the senior has every permission of the junior.';
COMMENT ON COLUMN uphub.role_inheritance.senior_id IS 'The inheriting role.';
COMMENT ON COLUMN uphub.role_inheritance.junior_id IS 'The inherited role.';
CREATE INDEX role_inheritance_junior_idx ON uphub.role_inheritance (junior_id);

CREATE TABLE uphub.role_assignment (
	principal_id bigint NOT NULL REFERENCES uphub.principal (principal_id) ON DELETE CASCADE,
	role_id integer NOT NULL REFERENCES uphub.role (role_id) ON DELETE CASCADE,
	scope_kind text NOT NULL CHECK (scope_kind IN ('global', 'partition', 'mcn', 'creator')),
	scope_id bigint,
	assigned_at timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT role_assignment_scope_id CHECK ((scope_kind = 'global') = (scope_id IS NULL)),
	CONSTRAINT role_assignment_unique UNIQUE NULLS NOT DISTINCT (principal_id, role_id, scope_kind, scope_id)
);
COMMENT ON TABLE uphub.role_assignment IS 'A role assigned to a principal within a scope: global, a partition (and its sub-partitions), an MCN, or one creator.';
COMMENT ON COLUMN uphub.role_assignment.principal_id IS 'The principal.';
COMMENT ON COLUMN uphub.role_assignment.role_id IS 'The role.';
COMMENT ON COLUMN uphub.role_assignment.scope_kind IS 'global, partition, mcn or creator.';
COMMENT ON COLUMN uphub.role_assignment.scope_id IS 'tid, mcn_id or mid; NULL for global.';
COMMENT ON COLUMN uphub.role_assignment.assigned_at IS 'When the assignment was made.';
CREATE INDEX role_assignment_role_idx ON uphub.role_assignment (role_id);

CREATE TABLE uphub.ssd_set (
	ssd_set_id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
	cardinality integer NOT NULL CHECK (cardinality >= 2)
);
COMMENT ON TABLE uphub.ssd_set IS 'Static separation of duty: no principal may be authorized for cardinality or more roles of the set.';
COMMENT ON COLUMN uphub.ssd_set.ssd_set_id IS 'Surrogate key.';
COMMENT ON COLUMN uphub.ssd_set.name IS 'Set name.';
COMMENT ON COLUMN uphub.ssd_set.cardinality IS 'n: 2 <= n <= number of roles in the set.';

CREATE TABLE uphub.ssd_set_member (
	ssd_set_id integer NOT NULL REFERENCES uphub.ssd_set (ssd_set_id) ON DELETE CASCADE,
	role_id integer NOT NULL REFERENCES uphub.role (role_id),
	PRIMARY KEY (ssd_set_id, role_id)
);
COMMENT ON TABLE uphub.ssd_set_member IS 'Roles of an SSD set.';
COMMENT ON COLUMN uphub.ssd_set_member.ssd_set_id IS 'The set.';
COMMENT ON COLUMN uphub.ssd_set_member.role_id IS 'A role of the set.';

CREATE TABLE uphub.dsd_set (
	dsd_set_id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
	cardinality integer NOT NULL CHECK (cardinality >= 2)
);
COMMENT ON TABLE uphub.dsd_set IS 'Dynamic separation of duty: no session may have cardinality or more roles of the set active.';
COMMENT ON COLUMN uphub.dsd_set.dsd_set_id IS 'Surrogate key.';
COMMENT ON COLUMN uphub.dsd_set.name IS 'Set name.';
COMMENT ON COLUMN uphub.dsd_set.cardinality IS 'n: 2 <= n <= number of roles in the set.';

CREATE TABLE uphub.dsd_set_member (
	dsd_set_id integer NOT NULL REFERENCES uphub.dsd_set (dsd_set_id) ON DELETE CASCADE,
	role_id integer NOT NULL REFERENCES uphub.role (role_id),
	PRIMARY KEY (dsd_set_id, role_id)
);
COMMENT ON TABLE uphub.dsd_set_member IS 'Roles of a DSD set.';
COMMENT ON COLUMN uphub.dsd_set_member.dsd_set_id IS 'The set.';
COMMENT ON COLUMN uphub.dsd_set_member.role_id IS 'A role of the set.';

CREATE TABLE uphub.audit_log (
	audit_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at timestamptz NOT NULL DEFAULT clock_timestamp(),
	pg_role name,
	principal text,
	action text NOT NULL,
	target text,
	allowed boolean NOT NULL,
	detail text
);
COMMENT ON TABLE uphub.audit_log IS 'Every RBAC administrative action, act_as, and every denial (denials are written by their own transaction and survive the caller''s error).';
COMMENT ON COLUMN uphub.audit_log.audit_id IS 'Order of recording.';
COMMENT ON COLUMN uphub.audit_log.at IS 'When it happened.';
COMMENT ON COLUMN uphub.audit_log.pg_role IS 'PostgreSQL role of the caller (outer role, not a SECURITY DEFINER owner).';
COMMENT ON COLUMN uphub.audit_log.principal IS 'Principal the caller acted as; NULL for none (or an unmapped superuser).';
COMMENT ON COLUMN uphub.audit_log.action IS 'Function called, e.g. assign_role.';
COMMENT ON COLUMN uphub.audit_log.target IS 'What it was applied to.';
COMMENT ON COLUMN uphub.audit_log.allowed IS 'false: denied.';
COMMENT ON COLUMN uphub.audit_log.detail IS 'Why it was denied, or what changed.';
CREATE INDEX audit_log_at_idx ON uphub.audit_log (at);

-- ---------------------------------------------------------------------------
-- 2. C entry points
-- ---------------------------------------------------------------------------

-- Invalidation triggers: a committed change bumps a shared generation, so
-- every backend rebuilds its decision cache on its next check.
CREATE FUNCTION uphub._rbac_catalog_changed() RETURNS trigger
	LANGUAGE c AS 'MODULE_PATHNAME', 'rbac_catalog_changed';
CREATE FUNCTION uphub._rbac_creator_changed() RETURNS trigger
	LANGUAGE c AS 'MODULE_PATHNAME', 'rbac_creator_changed';

DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['principal', 'permission', 'role', 'role_permission', 'role_inheritance',
							 'role_assignment', 'ssd_set', 'ssd_set_member', 'dsd_set', 'dsd_set_member',
							 'partition']
	LOOP
		EXECUTE format('CREATE TRIGGER rbac_invalidate AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
						ON uphub.%I FOR EACH STATEMENT EXECUTE FUNCTION uphub._rbac_catalog_changed()', t);
	END LOOP;
END;
$$;
-- Scope membership of creators: new or removed creators, and moves between
-- partitions or MCNs (row level with WHEN, so unchanged upserts cost nothing).
CREATE TRIGGER rbac_invalidate_scope AFTER INSERT OR DELETE OR TRUNCATE ON uphub.creator
	FOR EACH STATEMENT EXECUTE FUNCTION uphub._rbac_creator_changed();
CREATE TRIGGER rbac_invalidate_move AFTER UPDATE ON uphub.creator
	FOR EACH ROW WHEN (OLD.mid IS DISTINCT FROM NEW.mid OR OLD.main_tid IS DISTINCT FROM NEW.main_tid
					   OR OLD.mcn_id IS DISTINCT FROM NEW.mcn_id)
	EXECUTE FUNCTION uphub._rbac_creator_changed();

-- Identity of the caller: principal id, 0 for an unmapped superuser (implicit
-- platform admin), NULL for nobody.
CREATE FUNCTION uphub._rbac_actor() RETURNS bigint
	LANGUAGE c STABLE PARALLEL RESTRICTED AS 'MODULE_PATHNAME', 'rbac_actor';
CREATE FUNCTION uphub._rbac_caller_role() RETURNS name
	LANGUAGE c STABLE PARALLEL RESTRICTED AS 'MODULE_PATHNAME', 'rbac_caller_role';
-- Active role ids of the session; NULL when create_session was never called.
CREATE FUNCTION uphub._rbac_session_active() RETURNS integer[]
	LANGUAGE c STABLE PARALLEL RESTRICTED AS 'MODULE_PATHNAME', 'rbac_session_active';
CREATE FUNCTION uphub._rbac_set_session(principal_id bigint, role_ids integer[]) RETURNS void
	LANGUAGE c VOLATILE STRICT PARALLEL RESTRICTED AS 'MODULE_PATHNAME', 'rbac_set_session';
CREATE FUNCTION uphub._rbac_deny(action text, target text, detail text) RETURNS void
	LANGUAGE c VOLATILE PARALLEL RESTRICTED AS 'MODULE_PATHNAME', 'rbac_deny';

CREATE FUNCTION uphub.current_principal() RETURNS text
	LANGUAGE c STABLE PARALLEL RESTRICTED AS 'MODULE_PATHNAME', 'rbac_current_principal';
COMMENT ON FUNCTION uphub.current_principal() IS
	'Name of the principal this session acts as (act_as, or the outer role''s mapping); NULL for none and for an unmapped superuser.';
CREATE FUNCTION uphub.act_as(principal text) RETURNS void
	LANGUAGE c VOLATILE PARALLEL RESTRICTED AS 'MODULE_PATHNAME', 'rbac_act_as';
COMMENT ON FUNCTION uphub.act_as(text) IS
	'Members of uphub_gateway act for another principal until act_as(NULL), a role change or the end of the session; audited.';
CREATE FUNCTION uphub.check_access(permission text, creator_mid bigint DEFAULT NULL) RETURNS boolean
	LANGUAGE c STABLE PARALLEL RESTRICTED AS 'MODULE_PATHNAME', 'rbac_check_access';
COMMENT ON FUNCTION uphub.check_access(text, bigint) IS
	'May the current principal use the permission on this creator? NULL creator: needs a global grant. Cached per backend.';
CREATE FUNCTION uphub.visible_creators(permission text) RETURNS bigint[]
	LANGUAGE c STABLE PARALLEL RESTRICTED AS 'MODULE_PATHNAME', 'rbac_visible_creators_sql';
COMMENT ON FUNCTION uphub.visible_creators(text) IS
	'Sorted mids the current principal may use the permission on; NULL means every creator.';
CREATE FUNCTION uphub.visible_from(permission text) RETURNS bigint
	LANGUAGE c STABLE PARALLEL RESTRICTED AS 'MODULE_PATHNAME', 'rbac_visible_from';
COMMENT ON FUNCTION uphub.visible_from(text) IS
	'Lower end of the "every creator" range for row-level security: min(int8) when the permission is held globally, else NULL.';
CREATE FUNCTION uphub.visible_partitions(permission text) RETURNS integer[]
	LANGUAGE c STABLE PARALLEL RESTRICTED AS 'MODULE_PATHNAME', 'rbac_visible_partitions';
COMMENT ON FUNCTION uphub.visible_partitions(text) IS
	'Partitions (sub-partitions included) the permission is granted on; NULL means all.';
CREATE FUNCTION uphub.visible_mcns(permission text) RETURNS bigint[]
	LANGUAGE c STABLE PARALLEL RESTRICTED AS 'MODULE_PATHNAME', 'rbac_visible_mcns';
COMMENT ON FUNCTION uphub.visible_mcns(text) IS
	'MCNs the permission is granted on; NULL means all.';

-- ---------------------------------------------------------------------------
-- 3. Internal helpers (not executable by PUBLIC)
-- ---------------------------------------------------------------------------

-- Partitions at or below tid.
CREATE FUNCTION uphub._rbac_partition_subtree(tid bigint) RETURNS SETOF integer
	LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
	AS $$
	WITH RECURSIVE down(tid) AS (
		SELECT p.tid FROM uphub.partition p WHERE p.tid OPERATOR(pg_catalog.=) $1
		UNION
		SELECT c.tid FROM uphub.partition c JOIN down ON c.parent_tid OPERATOR(pg_catalog.=) down.tid
	)
	SELECT down.tid FROM down
$$;

-- Roles at or below role_id in the hierarchy (the role itself included).
CREATE FUNCTION uphub._rbac_juniors(role_id integer) RETURNS SETOF integer
	LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
	AS $$
	WITH RECURSIVE down(role_id) AS (
		SELECT $1
		UNION
		SELECT i.junior_id FROM uphub.role_inheritance i JOIN down ON i.senior_id OPERATOR(pg_catalog.=) down.role_id
	)
	SELECT down.role_id FROM down
$$;

-- Roles at or above role_id (the role itself included).
CREATE FUNCTION uphub._rbac_seniors(role_id integer) RETURNS SETOF integer
	LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
	AS $$
	WITH RECURSIVE up(role_id) AS (
		SELECT $1
		UNION
		SELECT i.senior_id FROM uphub.role_inheritance i JOIN up ON i.junior_id OPERATOR(pg_catalog.=) up.role_id
	)
	SELECT up.role_id FROM up
$$;

-- Authorized roles of a principal per assignment scope: assigned roles and
-- everything they inherit.
CREATE FUNCTION uphub._rbac_authorized(principal_id bigint,
	OUT role_id integer, OUT scope_kind text, OUT scope_id bigint, OUT assigned_role_id integer)
	RETURNS SETOF record
	LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
	AS $$
	WITH RECURSIVE auth(role_id, scope_kind, scope_id, assigned_role_id) AS (
		SELECT a.role_id, a.scope_kind, a.scope_id, a.role_id
		FROM uphub.role_assignment a WHERE a.principal_id OPERATOR(pg_catalog.=) $1
		UNION
		SELECT i.junior_id, auth.scope_kind, auth.scope_id, auth.assigned_role_id
		FROM auth JOIN uphub.role_inheritance i ON i.senior_id OPERATOR(pg_catalog.=) auth.role_id
	)
	SELECT * FROM auth
$$;

-- The default active set: assigned roles that, through inheritance too,
-- touch no DSD set.
CREATE FUNCTION uphub._rbac_default_active(principal_id bigint) RETURNS integer[]
	LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT coalesce(pg_catalog.array_agg(DISTINCT a.assigned_role_id ORDER BY a.assigned_role_id), '{}')
	FROM uphub._rbac_authorized($1) a
	WHERE NOT EXISTS (
		SELECT 1 FROM uphub._rbac_authorized($1) b
		JOIN uphub.dsd_set_member m ON m.role_id OPERATOR(pg_catalog.=) b.role_id
		WHERE b.assigned_role_id OPERATOR(pg_catalog.=) a.assigned_role_id)
$$;

-- Active roles with the scopes they are active in: every authorized
-- (role, scope) whose role is active or inherited from an active role.
-- active NULL means the default active set.
CREATE FUNCTION uphub._rbac_active_roles(principal_id bigint, active integer[],
	OUT role_id integer, OUT scope_kind text, OUT scope_id bigint)
	RETURNS SETOF record
	LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
	AS $$
	WITH RECURSIVE act(role_id, scope_kind, scope_id) AS (
		SELECT a.role_id, a.scope_kind, a.scope_id
		FROM uphub._rbac_authorized($1) a
		WHERE a.role_id OPERATOR(pg_catalog.=) ANY (coalesce($2, uphub._rbac_default_active($1)))
		UNION
		SELECT i.junior_id, act.scope_kind, act.scope_id
		FROM act JOIN uphub.role_inheritance i ON i.senior_id OPERATOR(pg_catalog.=) act.role_id
	)
	SELECT * FROM act
$$;

-- Effective grants of a session, partition scopes expanded to their
-- sub-partitions: what the C decision cache loads.
CREATE FUNCTION uphub._rbac_effective_grants(principal_id bigint, active integer[],
	OUT permission_id integer, OUT scope_kind text, OUT scope_id bigint)
	RETURNS SETOF record
	LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
	AS $$
	WITH g AS (
		SELECT DISTINCT rp.permission_id, act.scope_kind, act.scope_id
		FROM uphub._rbac_active_roles($1, $2) act
		JOIN uphub.role_permission rp ON rp.role_id OPERATOR(pg_catalog.=) act.role_id
	)
	SELECT g.permission_id, g.scope_kind, g.scope_id FROM g
	WHERE g.scope_kind OPERATOR(pg_catalog.<>) 'partition'
	UNION
	SELECT g.permission_id, g.scope_kind, s.tid::bigint
	FROM g CROSS JOIN LATERAL uphub._rbac_partition_subtree(g.scope_id) AS s(tid)
	WHERE g.scope_kind OPERATOR(pg_catalog.=) 'partition'
$$;

-- Does a grant in scope (g_kind, g_id) cover the target scope (t_kind, t_id)?
CREATE FUNCTION uphub._rbac_scope_covers(g_kind text, g_id bigint, t_kind text, t_id bigint)
	RETURNS boolean
	LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT CASE
		WHEN g_kind OPERATOR(pg_catalog.=) 'global' THEN true
		WHEN t_kind OPERATOR(pg_catalog.=) 'global' THEN false
		WHEN g_kind OPERATOR(pg_catalog.=) t_kind AND g_id OPERATOR(pg_catalog.=) t_id THEN true
		WHEN g_kind OPERATOR(pg_catalog.=) 'partition' AND t_kind OPERATOR(pg_catalog.=) 'partition' THEN
			t_id OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT uphub._rbac_partition_subtree(g_id)))
		WHEN g_kind OPERATOR(pg_catalog.=) 'partition' AND t_kind OPERATOR(pg_catalog.=) 'creator' THEN
			EXISTS (SELECT 1 FROM uphub.creator c WHERE c.mid OPERATOR(pg_catalog.=) t_id
					AND c.main_tid OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT uphub._rbac_partition_subtree(g_id))))
		WHEN g_kind OPERATOR(pg_catalog.=) 'mcn' AND t_kind OPERATOR(pg_catalog.=) 'creator' THEN
			EXISTS (SELECT 1 FROM uphub.creator c WHERE c.mid OPERATOR(pg_catalog.=) t_id
					AND c.mcn_id OPERATOR(pg_catalog.=) g_id)
		ELSE false
	END
$$;

-- Does the caller hold the permission, in its active roles, in a scope
-- covering the target? (Admin paths only; the hot path is check_access.)
CREATE FUNCTION uphub._rbac_holds(actor bigint, permission text, t_kind text, t_id bigint)
	RETURNS boolean
	LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT actor OPERATOR(pg_catalog.=) 0 OR EXISTS (
		SELECT 1
		FROM uphub._rbac_active_roles(actor, uphub._rbac_session_active()) act
		JOIN uphub.role_permission rp ON rp.role_id OPERATOR(pg_catalog.=) act.role_id
		JOIN uphub.permission p ON p.permission_id OPERATOR(pg_catalog.=) rp.permission_id
		WHERE p.name OPERATOR(pg_catalog.=) permission
		  AND uphub._rbac_scope_covers(act.scope_kind, act.scope_id, t_kind, t_id))
$$;

-- Does the caller hold the role (active, directly or inherited) in a scope
-- covering the target?
CREATE FUNCTION uphub._rbac_holds_role(actor bigint, role_id integer, t_kind text, t_id bigint)
	RETURNS boolean
	LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT actor OPERATOR(pg_catalog.=) 0 OR EXISTS (
		SELECT 1 FROM uphub._rbac_active_roles($1, uphub._rbac_session_active()) act
		WHERE act.role_id OPERATOR(pg_catalog.=) $2
		  AND uphub._rbac_scope_covers(act.scope_kind, act.scope_id, $3, $4))
$$;

CREATE FUNCTION uphub._rbac_actor_name(actor bigint) RETURNS text
	LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
	AS $$ SELECT p.name FROM uphub.principal p WHERE p.principal_id OPERATOR(pg_catalog.=) actor $$;

-- Record an allowed administrative action in the caller's transaction.
CREATE FUNCTION uphub._rbac_audit(action text, target text, detail text DEFAULT NULL) RETURNS void
	LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp
	AS $$
	INSERT INTO uphub.audit_log (pg_role, principal, action, target, allowed, detail)
	VALUES (uphub._rbac_caller_role(), uphub._rbac_actor_name(uphub._rbac_actor()), action, target, true, detail)
$$;

-- The delegated-administration gate. Allows the call when the caller holds
-- rbac.admin in a scope covering (t_kind, t_id), and, when role_id is given
-- and the caller is not a global admin, holds that role itself in a scope
-- covering the target. Otherwise audits the denial in its own transaction
-- and raises insufficient_privilege. Returns the actor.
CREATE FUNCTION uphub._rbac_gate(action text, target text, t_kind text, t_id bigint,
	role_id integer DEFAULT NULL, target_principal bigint DEFAULT NULL) RETURNS bigint
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	actor bigint := uphub._rbac_actor();
BEGIN
	IF actor IS NULL THEN
		PERFORM uphub._rbac_deny(action, target, 'The caller is not an uphub principal.');
	END IF;
	IF target_principal IS NOT NULL AND actor OPERATOR(pg_catalog.=) target_principal THEN
		PERFORM uphub._rbac_deny(action, target, 'Nobody may change their own role assignments.');
	END IF;
	IF NOT uphub._rbac_holds(actor, 'rbac.admin', t_kind, t_id) THEN
		PERFORM uphub._rbac_deny(action, target, pg_catalog.format(
			'The caller does not hold rbac.admin in a scope covering %s%s.', t_kind,
			coalesce(' ' OPERATOR(pg_catalog.||) t_id::text, '')));
	END IF;
	IF role_id IS NOT NULL AND NOT uphub._rbac_holds(actor, 'rbac.admin', 'global', NULL)
	   AND NOT uphub._rbac_holds_role(actor, role_id, t_kind, t_id) THEN
		PERFORM uphub._rbac_deny(action, target,
			'A scoped administrator may grant or revoke only roles it holds itself in that scope.');
	END IF;
	RETURN actor;
END;
$$;

-- The first check of every administrative and review function, before any
-- name is looked up: a caller that holds rbac.admin in no scope is denied
-- (and audited) here, so "does not exist" errors never let it probe which
-- principals, roles or sets exist. The scoped checks follow in _rbac_gate.
CREATE FUNCTION uphub._rbac_require_admin(action text, target text DEFAULT NULL) RETURNS void
	LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF uphub._rbac_actor() IS NULL THEN
		PERFORM uphub._rbac_deny(action, target, 'The caller is not an uphub principal.');
	END IF;
	IF NOT (uphub._rbac_actor() OPERATOR(pg_catalog.=) 0 OR EXISTS (
		SELECT 1 FROM uphub._rbac_effective_grants(uphub._rbac_actor(), uphub._rbac_session_active()) g
		JOIN uphub.permission p ON p.permission_id OPERATOR(pg_catalog.=) g.permission_id
		WHERE p.name OPERATOR(pg_catalog.=) 'rbac.admin')) THEN
		PERFORM uphub._rbac_deny(action, target, 'The caller does not hold rbac.admin in any scope.');
	END IF;
END;
$$;

CREATE FUNCTION uphub._rbac_role_id(role text) RETURNS integer
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	id integer;
BEGIN
	SELECT r.role_id INTO id FROM uphub.role r WHERE r.name OPERATOR(pg_catalog.=) role;
	IF id IS NULL THEN
		RAISE EXCEPTION 'role "%" does not exist', role USING ERRCODE = 'UH100';
	END IF;
	RETURN id;
END;
$$;

CREATE FUNCTION uphub._rbac_principal_id(principal text) RETURNS bigint
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	id bigint;
BEGIN
	SELECT p.principal_id INTO id FROM uphub.principal p WHERE p.name OPERATOR(pg_catalog.=) principal;
	IF id IS NULL THEN
		RAISE EXCEPTION 'principal "%" does not exist', principal USING ERRCODE = 'UH100';
	END IF;
	RETURN id;
END;
$$;

CREATE FUNCTION uphub._rbac_permission_id(permission text) RETURNS integer
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	id integer;
BEGIN
	SELECT p.permission_id INTO id FROM uphub.permission p WHERE p.name OPERATOR(pg_catalog.=) permission;
	IF id IS NULL THEN
		RAISE EXCEPTION 'permission "%" does not exist', permission USING ERRCODE = 'UH100',
			HINT = 'The permissions are creator.read, creator.write, video.read, video.write, stats.read, stats.write, revenue.read, rbac.admin and metrics.read.';
	END IF;
	RETURN id;
END;
$$;

-- Validate a scope; raise for an unknown kind, a missing or superfluous id,
-- or an object that does not exist.
CREATE FUNCTION uphub._rbac_check_scope(scope_kind text, scope_id bigint) RETURNS void
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF scope_kind IS NULL OR NOT scope_kind OPERATOR(pg_catalog.=) ANY (ARRAY['global', 'partition', 'mcn', 'creator']) THEN
		RAISE EXCEPTION 'invalid scope kind "%"', scope_kind USING ERRCODE = 'invalid_parameter_value',
			HINT = 'Use global, partition, mcn or creator.';
	END IF;
	IF (scope_kind OPERATOR(pg_catalog.=) 'global') OPERATOR(pg_catalog.<>) (scope_id IS NULL) THEN
		RAISE EXCEPTION 'scope % %', scope_kind,
			CASE WHEN scope_id IS NULL THEN 'needs a scope_id' ELSE 'takes no scope_id' END
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF scope_kind OPERATOR(pg_catalog.=) 'partition' AND NOT EXISTS (
		SELECT 1 FROM uphub.partition p WHERE p.tid OPERATOR(pg_catalog.=) scope_id) THEN
		RAISE EXCEPTION 'partition % does not exist', scope_id USING ERRCODE = 'UH100';
	ELSIF scope_kind OPERATOR(pg_catalog.=) 'mcn' AND NOT EXISTS (
		SELECT 1 FROM uphub.mcn m WHERE m.mcn_id OPERATOR(pg_catalog.=) scope_id) THEN
		RAISE EXCEPTION 'mcn % does not exist', scope_id USING ERRCODE = 'UH100';
	ELSIF scope_kind OPERATOR(pg_catalog.=) 'creator' AND NOT EXISTS (
		SELECT 1 FROM uphub.creator c WHERE c.mid OPERATOR(pg_catalog.=) scope_id) THEN
		RAISE EXCEPTION 'creator % does not exist', scope_id USING ERRCODE = 'UH100';
	END IF;
END;
$$;

-- First SSD violation among the given principals (NULL: all), counting
-- inherited roles; NULL when there is none.
CREATE FUNCTION uphub._rbac_ssd_violation(principal_ids bigint[]) RETURNS text
	LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
	AS $$
	WITH RECURSIVE auth(principal_id, role_id) AS (
		SELECT a.principal_id, a.role_id FROM uphub.role_assignment a
		WHERE $1 IS NULL OR a.principal_id OPERATOR(pg_catalog.=) ANY ($1)
		UNION
		SELECT auth.principal_id, i.junior_id
		FROM auth JOIN uphub.role_inheritance i ON i.senior_id OPERATOR(pg_catalog.=) auth.role_id
	)
	SELECT pg_catalog.format('principal "%s" would hold %s roles of SSD set "%s" (%s), at most %s allowed',
							 p.name, pg_catalog.count(*), s.name,
							 pg_catalog.string_agg(r.name, ', ' ORDER BY r.name),
							 s.cardinality OPERATOR(pg_catalog.-) 1)
	FROM auth
	JOIN uphub.ssd_set_member m ON m.role_id OPERATOR(pg_catalog.=) auth.role_id
	JOIN uphub.ssd_set s ON s.ssd_set_id OPERATOR(pg_catalog.=) m.ssd_set_id
	JOIN uphub.role r ON r.role_id OPERATOR(pg_catalog.=) auth.role_id
	JOIN uphub.principal p ON p.principal_id OPERATOR(pg_catalog.=) auth.principal_id
	GROUP BY p.name, s.name, s.cardinality
	HAVING pg_catalog.count(*) OPERATOR(pg_catalog.>=) s.cardinality
	ORDER BY p.name, s.name
	LIMIT 1
$$;

-- An SSD set a role would violate on its own through its juniors.
CREATE FUNCTION uphub._rbac_ssd_role_violation(role_id integer) RETURNS text
	LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT pg_catalog.format('role "%s" would inherit %s roles of SSD set "%s", at most %s allowed',
							 (SELECT r.name FROM uphub.role r WHERE r.role_id OPERATOR(pg_catalog.=) $1),
							 pg_catalog.count(*), s.name, s.cardinality OPERATOR(pg_catalog.-) 1)
	FROM uphub._rbac_juniors($1) j
	JOIN uphub.ssd_set_member m ON m.role_id OPERATOR(pg_catalog.=) j
	JOIN uphub.ssd_set s ON s.ssd_set_id OPERATOR(pg_catalog.=) m.ssd_set_id
	GROUP BY s.name, s.cardinality
	HAVING pg_catalog.count(*) OPERATOR(pg_catalog.>=) s.cardinality
	ORDER BY s.name
	LIMIT 1
$$;

-- A DSD set that this active role set (juniors included) violates.
CREATE FUNCTION uphub._rbac_dsd_violation(role_ids integer[]) RETURNS text
	LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
	AS $$
	WITH RECURSIVE act(role_id) AS (
		SELECT pg_catalog.unnest($1)
		UNION
		SELECT i.junior_id FROM act JOIN uphub.role_inheritance i ON i.senior_id OPERATOR(pg_catalog.=) act.role_id
	)
	SELECT pg_catalog.format('%s roles of DSD set "%s" would be active (%s), at most %s allowed',
							 pg_catalog.count(*), s.name, pg_catalog.string_agg(r.name, ', ' ORDER BY r.name),
							 s.cardinality OPERATOR(pg_catalog.-) 1)
	FROM act
	JOIN uphub.dsd_set_member m ON m.role_id OPERATOR(pg_catalog.=) act.role_id
	JOIN uphub.dsd_set s ON s.dsd_set_id OPERATOR(pg_catalog.=) m.dsd_set_id
	JOIN uphub.role r ON r.role_id OPERATOR(pg_catalog.=) act.role_id
	GROUP BY s.name, s.cardinality
	HAVING pg_catalog.count(*) OPERATOR(pg_catalog.>=) s.cardinality
	ORDER BY s.name
	LIMIT 1
$$;

CREATE FUNCTION uphub._rbac_check_ssd(principal_ids bigint[]) RETURNS void
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	v text := uphub._rbac_ssd_violation(principal_ids);
BEGIN
	IF v IS NOT NULL THEN
		RAISE EXCEPTION 'static separation of duty violated' USING ERRCODE = 'UH103', DETAIL = v OPERATOR(pg_catalog.||) '.';
	END IF;
END;
$$;

-- ---------------------------------------------------------------------------
-- 4a. Administrative functions (NIST names)
-- ---------------------------------------------------------------------------

CREATE FUNCTION uphub.add_principal(name text, pg_role name DEFAULT NULL, creator_mid bigint DEFAULT NULL)
	RETURNS bigint
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	id bigint;
BEGIN
	PERFORM uphub._rbac_require_admin('add_principal', name);
	IF creator_mid IS NULL THEN
		PERFORM uphub._rbac_gate('add_principal', name, 'global', NULL);
	ELSE
		IF NOT EXISTS (SELECT 1 FROM uphub.creator c WHERE c.mid OPERATOR(pg_catalog.=) creator_mid) THEN
			RAISE EXCEPTION 'creator % does not exist', creator_mid USING ERRCODE = 'UH100';
		END IF;
		PERFORM uphub._rbac_gate('add_principal', name, 'creator', creator_mid);
	END IF;
	IF pg_role IS NOT NULL THEN
		IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) pg_role) THEN
			RAISE EXCEPTION 'PostgreSQL role "%" does not exist', pg_role USING ERRCODE = 'undefined_object';
		END IF;
		IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) pg_role AND r.rolsuper)
		   AND NOT uphub._rbac_holds(uphub._rbac_actor(), 'rbac.admin', 'global', NULL) THEN
			PERFORM uphub._rbac_deny('add_principal', name, 'Only a global administrator may map a superuser role.');
		END IF;
		IF EXISTS (SELECT 1 FROM uphub.principal p WHERE p.pg_role OPERATOR(pg_catalog.=) add_principal.pg_role) THEN
			RAISE EXCEPTION 'PostgreSQL role "%" is already mapped to a principal', pg_role USING ERRCODE = 'UH101';
		END IF;
	END IF;
	IF EXISTS (SELECT 1 FROM uphub.principal p WHERE p.name OPERATOR(pg_catalog.=) add_principal.name) THEN
		RAISE EXCEPTION 'principal "%" already exists', name USING ERRCODE = 'UH101';
	END IF;
	INSERT INTO uphub.principal (name, pg_role, creator_mid) VALUES (name, pg_role, creator_mid)
		RETURNING principal_id INTO id;
	PERFORM uphub._rbac_audit('add_principal', name,
		pg_catalog.format('pg_role=%s creator_mid=%s', pg_role, creator_mid));
	RETURN id;
END;
$$;

CREATE FUNCTION uphub.delete_principal(name text) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	pid bigint;
	mid bigint;
	actor bigint;
	a record;
BEGIN
	PERFORM uphub._rbac_require_admin('delete_principal', name);
	pid := uphub._rbac_principal_id(name);
	SELECT p.creator_mid INTO mid FROM uphub.principal p WHERE p.principal_id OPERATOR(pg_catalog.=) pid;
	IF mid IS NULL THEN
		actor := uphub._rbac_gate('delete_principal', name, 'global', NULL);
	ELSE
		actor := uphub._rbac_gate('delete_principal', name, 'creator', mid);
		-- A scoped admin removes only principals whose every assignment it could have made.
		FOR a IN SELECT ra.scope_kind, ra.scope_id FROM uphub.role_assignment ra
				 WHERE ra.principal_id OPERATOR(pg_catalog.=) pid LOOP
			IF NOT uphub._rbac_holds(actor, 'rbac.admin', a.scope_kind, a.scope_id) THEN
				PERFORM uphub._rbac_deny('delete_principal', name,
					'The principal holds assignments outside the caller''s administrative scope.');
			END IF;
		END LOOP;
	END IF;
	DELETE FROM uphub.principal p WHERE p.principal_id OPERATOR(pg_catalog.=) pid;
	PERFORM uphub._rbac_audit('delete_principal', name);
END;
$$;

CREATE FUNCTION uphub.add_role(name text, description text DEFAULT NULL) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	PERFORM uphub._rbac_gate('add_role', name, 'global', NULL);
	IF EXISTS (SELECT 1 FROM uphub.role r WHERE r.name OPERATOR(pg_catalog.=) add_role.name) THEN
		RAISE EXCEPTION 'role "%" already exists', name USING ERRCODE = 'UH101';
	END IF;
	IF name IS NULL OR name OPERATOR(pg_catalog.!~) '^[a-z][a-z0-9_.-]{0,62}$' THEN
		RAISE EXCEPTION 'invalid role name "%"', name USING ERRCODE = 'invalid_parameter_value',
			HINT = 'A role name is 1 to 63 lower case letters, digits, _ . or -, starting with a letter.';
	END IF;
	INSERT INTO uphub.role (name, description) VALUES (name, description);
	PERFORM uphub._rbac_audit('add_role', name);
END;
$$;

CREATE FUNCTION uphub.delete_role(name text) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	rid integer;
	v text;
BEGIN
	PERFORM uphub._rbac_gate('delete_role', name, 'global', NULL);
	rid := uphub._rbac_role_id(name);
	SELECT s.name INTO v FROM uphub.ssd_set s
	WHERE EXISTS (SELECT 1 FROM uphub.ssd_set_member m WHERE m.ssd_set_id OPERATOR(pg_catalog.=) s.ssd_set_id
				  AND m.role_id OPERATOR(pg_catalog.=) rid)
	  AND (SELECT pg_catalog.count(*) FROM uphub.ssd_set_member m
		   WHERE m.ssd_set_id OPERATOR(pg_catalog.=) s.ssd_set_id) OPERATOR(pg_catalog.<=) s.cardinality
	UNION ALL
	SELECT s.name FROM uphub.dsd_set s
	WHERE EXISTS (SELECT 1 FROM uphub.dsd_set_member m WHERE m.dsd_set_id OPERATOR(pg_catalog.=) s.dsd_set_id
				  AND m.role_id OPERATOR(pg_catalog.=) rid)
	  AND (SELECT pg_catalog.count(*) FROM uphub.dsd_set_member m
		   WHERE m.dsd_set_id OPERATOR(pg_catalog.=) s.dsd_set_id) OPERATOR(pg_catalog.<=) s.cardinality
	LIMIT 1;
	IF v IS NOT NULL THEN
		RAISE EXCEPTION 'cannot delete role "%": separation of duty set "%" would have fewer roles than its cardinality', name, v
			USING ERRCODE = 'UH106', HINT = 'Lower the cardinality of the set or delete the set first.';
	END IF;
	DELETE FROM uphub.ssd_set_member m WHERE m.role_id OPERATOR(pg_catalog.=) rid;
	DELETE FROM uphub.dsd_set_member m WHERE m.role_id OPERATOR(pg_catalog.=) rid;
	DELETE FROM uphub.role r WHERE r.role_id OPERATOR(pg_catalog.=) rid;
	PERFORM uphub._rbac_audit('delete_role', name);
END;
$$;

CREATE FUNCTION uphub.grant_permission(role text, permission text) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	rid integer;
	pid integer;
	actor bigint;
BEGIN
	actor := uphub._rbac_gate('grant_permission', role OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) permission, 'global', NULL);
	rid := uphub._rbac_role_id(role);
	pid := uphub._rbac_permission_id(permission);
	-- Nobody raises their own privileges by widening a role they hold.
	IF actor OPERATOR(pg_catalog.<>) 0
	   AND EXISTS (SELECT 1 FROM uphub._rbac_authorized(actor) a
				   WHERE a.role_id OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT uphub._rbac_seniors(rid))))
	   AND NOT uphub._rbac_holds(actor, permission, 'global', NULL) THEN
		PERFORM uphub._rbac_deny('grant_permission', role OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) permission,
			'The caller holds this role and would gain a permission it does not have.');
	END IF;
	IF EXISTS (SELECT 1 FROM uphub.role_permission rp WHERE rp.role_id OPERATOR(pg_catalog.=) rid
			   AND rp.permission_id OPERATOR(pg_catalog.=) pid) THEN
		RAISE EXCEPTION 'role "%" already has permission "%"', role, permission USING ERRCODE = 'UH101';
	END IF;
	INSERT INTO uphub.role_permission (role_id, permission_id) VALUES (rid, pid);
	PERFORM uphub._rbac_audit('grant_permission', role OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) permission);
END;
$$;

CREATE FUNCTION uphub.revoke_permission(role text, permission text) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	rid integer;
	pid integer;
BEGIN
	PERFORM uphub._rbac_gate('revoke_permission', role OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) permission, 'global', NULL);
	rid := uphub._rbac_role_id(role);
	pid := uphub._rbac_permission_id(permission);
	DELETE FROM uphub.role_permission rp WHERE rp.role_id OPERATOR(pg_catalog.=) rid
		AND rp.permission_id OPERATOR(pg_catalog.=) pid;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'role "%" does not have permission "%"', role, permission USING ERRCODE = 'UH102';
	END IF;
	PERFORM uphub._rbac_audit('revoke_permission', role OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) permission);
END;
$$;

CREATE FUNCTION uphub.assign_role(principal text, role text, scope_kind text DEFAULT 'global', scope_id bigint DEFAULT NULL)
	RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	pid bigint;
	rid integer;
	target text := pg_catalog.concat_ws(' ', principal, role, scope_kind, scope_id);
BEGIN
	PERFORM uphub._rbac_require_admin('assign_role', target);
	pid := uphub._rbac_principal_id(principal);
	rid := uphub._rbac_role_id(role);
	PERFORM uphub._rbac_check_scope(scope_kind, scope_id);
	PERFORM uphub._rbac_gate('assign_role', target, scope_kind, scope_id, rid, pid);
	IF EXISTS (SELECT 1 FROM uphub.role_assignment a WHERE a.principal_id OPERATOR(pg_catalog.=) pid
			   AND a.role_id OPERATOR(pg_catalog.=) rid AND a.scope_kind OPERATOR(pg_catalog.=) assign_role.scope_kind
			   AND a.scope_id IS NOT DISTINCT FROM assign_role.scope_id) THEN
		RAISE EXCEPTION 'principal "%" already has role "%" in scope %', principal, role,
			pg_catalog.concat_ws(' ', scope_kind, scope_id)
			USING ERRCODE = 'UH101';
	END IF;
	INSERT INTO uphub.role_assignment (principal_id, role_id, scope_kind, scope_id) VALUES (pid, rid, scope_kind, scope_id);
	PERFORM uphub._rbac_check_ssd(ARRAY[pid]);
	PERFORM uphub._rbac_audit('assign_role', target);
END;
$$;

CREATE FUNCTION uphub.deassign_role(principal text, role text, scope_kind text DEFAULT 'global', scope_id bigint DEFAULT NULL)
	RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	pid bigint;
	rid integer;
	target text := pg_catalog.concat_ws(' ', principal, role, scope_kind, scope_id);
BEGIN
	PERFORM uphub._rbac_require_admin('deassign_role', target);
	pid := uphub._rbac_principal_id(principal);
	rid := uphub._rbac_role_id(role);
	PERFORM uphub._rbac_check_scope(scope_kind, scope_id);
	PERFORM uphub._rbac_gate('deassign_role', target, scope_kind, scope_id, rid);
	DELETE FROM uphub.role_assignment a WHERE a.principal_id OPERATOR(pg_catalog.=) pid
		AND a.role_id OPERATOR(pg_catalog.=) rid AND a.scope_kind OPERATOR(pg_catalog.=) deassign_role.scope_kind
		AND a.scope_id IS NOT DISTINCT FROM deassign_role.scope_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'principal "%" does not have role "%" in scope %', principal, role,
			pg_catalog.concat_ws(' ', scope_kind, scope_id)
			USING ERRCODE = 'UH102';
	END IF;
	PERFORM uphub._rbac_audit('deassign_role', target);
END;
$$;

CREATE FUNCTION uphub.add_inheritance(senior text, junior text) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	sid integer;
	jid integer;
	actor bigint;
	v text;
	target text := senior OPERATOR(pg_catalog.||) ' > ' OPERATOR(pg_catalog.||) junior;
BEGIN
	actor := uphub._rbac_gate('add_inheritance', target, 'global', NULL);
	sid := uphub._rbac_role_id(senior);
	jid := uphub._rbac_role_id(junior);
	IF actor OPERATOR(pg_catalog.<>) 0
	   AND EXISTS (SELECT 1 FROM uphub._rbac_authorized(actor) a
				   WHERE a.role_id OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT uphub._rbac_seniors(sid)))) THEN
		PERFORM uphub._rbac_deny('add_inheritance', target,
			'The caller holds the senior role and would gain the junior role''s permissions.');
	END IF;
	IF sid OPERATOR(pg_catalog.=) jid OR sid OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT uphub._rbac_juniors(jid))) THEN
		RAISE EXCEPTION 'role "%" cannot inherit from "%"', senior, junior USING ERRCODE = 'UH105',
			DETAIL = 'The role hierarchy would contain a cycle.';
	END IF;
	IF EXISTS (SELECT 1 FROM uphub.role_inheritance i WHERE i.senior_id OPERATOR(pg_catalog.=) sid
			   AND i.junior_id OPERATOR(pg_catalog.=) jid) THEN
		RAISE EXCEPTION 'role "%" already inherits from "%"', senior, junior USING ERRCODE = 'UH101';
	END IF;
	INSERT INTO uphub.role_inheritance (senior_id, junior_id) VALUES (sid, jid);
	v := uphub._rbac_ssd_role_violation(sid);
	IF v IS NOT NULL THEN
		RAISE EXCEPTION 'static separation of duty violated' USING ERRCODE = 'UH103', DETAIL = v OPERATOR(pg_catalog.||) '.';
	END IF;
	PERFORM uphub._rbac_check_ssd(ARRAY(
		SELECT DISTINCT a.principal_id FROM uphub.role_assignment a
		WHERE a.role_id OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT uphub._rbac_seniors(sid)))));
	PERFORM uphub._rbac_audit('add_inheritance', target);
END;
$$;

CREATE FUNCTION uphub.delete_inheritance(senior text, junior text) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	sid integer;
	jid integer;
	target text := senior OPERATOR(pg_catalog.||) ' > ' OPERATOR(pg_catalog.||) junior;
BEGIN
	PERFORM uphub._rbac_gate('delete_inheritance', target, 'global', NULL);
	sid := uphub._rbac_role_id(senior);
	jid := uphub._rbac_role_id(junior);
	DELETE FROM uphub.role_inheritance i WHERE i.senior_id OPERATOR(pg_catalog.=) sid
		AND i.junior_id OPERATOR(pg_catalog.=) jid;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'role "%" does not inherit directly from "%"', senior, junior USING ERRCODE = 'UH100';
	END IF;
	PERFORM uphub._rbac_audit('delete_inheritance', target);
END;
$$;

-- Separation-of-duty sets: one body for SSD and DSD, parameterised by kind.
CREATE FUNCTION uphub._rbac_sod_create(kind text, name text, roles text[], n integer) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	ids integer[];
	set_id integer;
BEGIN
	PERFORM uphub._rbac_gate('create_' OPERATOR(pg_catalog.||) kind OPERATOR(pg_catalog.||) '_set', name, 'global', NULL);
	IF roles IS NULL THEN
		RAISE EXCEPTION 'roles must not be null' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	ids := ARRAY(SELECT DISTINCT uphub._rbac_role_id(r) FROM pg_catalog.unnest(roles) r);
	IF n IS NULL OR n OPERATOR(pg_catalog.<) 2 OR n OPERATOR(pg_catalog.>) pg_catalog.cardinality(ids) THEN
		RAISE EXCEPTION 'invalid cardinality % for a set of % roles', n, pg_catalog.cardinality(ids)
			USING ERRCODE = 'UH106', HINT = 'The cardinality n must satisfy 2 <= n <= number of roles.';
	END IF;
	IF kind OPERATOR(pg_catalog.=) 'ssd' THEN
		IF EXISTS (SELECT 1 FROM uphub.ssd_set s WHERE s.name OPERATOR(pg_catalog.=) _rbac_sod_create.name) THEN
			RAISE EXCEPTION 'SSD set "%" already exists', name USING ERRCODE = 'UH101';
		END IF;
		INSERT INTO uphub.ssd_set (name, cardinality) VALUES (name, n) RETURNING ssd_set_id INTO set_id;
		INSERT INTO uphub.ssd_set_member (ssd_set_id, role_id) SELECT set_id, r FROM pg_catalog.unnest(ids) r;
		PERFORM uphub._rbac_check_ssd(NULL);
	ELSE
		IF EXISTS (SELECT 1 FROM uphub.dsd_set s WHERE s.name OPERATOR(pg_catalog.=) _rbac_sod_create.name) THEN
			RAISE EXCEPTION 'DSD set "%" already exists', name USING ERRCODE = 'UH101';
		END IF;
		INSERT INTO uphub.dsd_set (name, cardinality) VALUES (name, n) RETURNING dsd_set_id INTO set_id;
		INSERT INTO uphub.dsd_set_member (dsd_set_id, role_id) SELECT set_id, r FROM pg_catalog.unnest(ids) r;
	END IF;
	PERFORM uphub._rbac_audit('create_' OPERATOR(pg_catalog.||) kind OPERATOR(pg_catalog.||) '_set', name,
		pg_catalog.format('roles=%s n=%s', roles, n));
END;
$$;

CREATE FUNCTION uphub._rbac_sod_set_id(kind text, name text) RETURNS integer
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	id integer;
BEGIN
	IF kind OPERATOR(pg_catalog.=) 'ssd' THEN
		SELECT s.ssd_set_id INTO id FROM uphub.ssd_set s WHERE s.name OPERATOR(pg_catalog.=) _rbac_sod_set_id.name;
	ELSE
		SELECT s.dsd_set_id INTO id FROM uphub.dsd_set s WHERE s.name OPERATOR(pg_catalog.=) _rbac_sod_set_id.name;
	END IF;
	IF id IS NULL THEN
		RAISE EXCEPTION '% set "%" does not exist', pg_catalog.upper(kind), name USING ERRCODE = 'UH100';
	END IF;
	RETURN id;
END;
$$;

-- Apply a change to a set (delete, add/remove member, new n) and re-check it.
CREATE FUNCTION uphub._rbac_sod_change(kind text, action text, name text, role text, n integer) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	set_id integer;
	rid integer;
	size integer;
	card integer;
	fn text := action OPERATOR(pg_catalog.||) '_' OPERATOR(pg_catalog.||) kind OPERATOR(pg_catalog.||)
		CASE WHEN action OPERATOR(pg_catalog.=) ANY (ARRAY['add', 'delete']) AND role IS NOT NULL THEN '_role_member'
			 WHEN action OPERATOR(pg_catalog.=) 'set' THEN '_set_cardinality' ELSE '_set' END;
BEGIN
	PERFORM uphub._rbac_gate(fn, pg_catalog.concat_ws(' ', name, role, n), 'global', NULL);
	set_id := uphub._rbac_sod_set_id(kind, name);
	IF role IS NOT NULL THEN
		rid := uphub._rbac_role_id(role);
	END IF;
	IF kind OPERATOR(pg_catalog.=) 'ssd' THEN
		IF action OPERATOR(pg_catalog.=) 'delete' AND role IS NULL THEN
			DELETE FROM uphub.ssd_set s WHERE s.ssd_set_id OPERATOR(pg_catalog.=) set_id;
		ELSIF action OPERATOR(pg_catalog.=) 'add' THEN
			IF EXISTS (SELECT 1 FROM uphub.ssd_set_member m WHERE m.ssd_set_id OPERATOR(pg_catalog.=) set_id
					   AND m.role_id OPERATOR(pg_catalog.=) rid) THEN
				RAISE EXCEPTION 'role "%" is already in SSD set "%"', role, name USING ERRCODE = 'UH101';
			END IF;
			INSERT INTO uphub.ssd_set_member (ssd_set_id, role_id) VALUES (set_id, rid);
		ELSIF action OPERATOR(pg_catalog.=) 'delete' THEN
			DELETE FROM uphub.ssd_set_member m WHERE m.ssd_set_id OPERATOR(pg_catalog.=) set_id
				AND m.role_id OPERATOR(pg_catalog.=) rid;
			IF NOT FOUND THEN
				RAISE EXCEPTION 'role "%" is not in SSD set "%"', role, name USING ERRCODE = 'UH100';
			END IF;
		ELSE
			UPDATE uphub.ssd_set s SET cardinality = n WHERE s.ssd_set_id OPERATOR(pg_catalog.=) set_id;
		END IF;
		SELECT s.cardinality, (SELECT pg_catalog.count(*) FROM uphub.ssd_set_member m
							   WHERE m.ssd_set_id OPERATOR(pg_catalog.=) set_id)
		INTO card, size FROM uphub.ssd_set s WHERE s.ssd_set_id OPERATOR(pg_catalog.=) set_id;
	ELSE
		IF action OPERATOR(pg_catalog.=) 'delete' AND role IS NULL THEN
			DELETE FROM uphub.dsd_set s WHERE s.dsd_set_id OPERATOR(pg_catalog.=) set_id;
		ELSIF action OPERATOR(pg_catalog.=) 'add' THEN
			IF EXISTS (SELECT 1 FROM uphub.dsd_set_member m WHERE m.dsd_set_id OPERATOR(pg_catalog.=) set_id
					   AND m.role_id OPERATOR(pg_catalog.=) rid) THEN
				RAISE EXCEPTION 'role "%" is already in DSD set "%"', role, name USING ERRCODE = 'UH101';
			END IF;
			INSERT INTO uphub.dsd_set_member (dsd_set_id, role_id) VALUES (set_id, rid);
		ELSIF action OPERATOR(pg_catalog.=) 'delete' THEN
			DELETE FROM uphub.dsd_set_member m WHERE m.dsd_set_id OPERATOR(pg_catalog.=) set_id
				AND m.role_id OPERATOR(pg_catalog.=) rid;
			IF NOT FOUND THEN
				RAISE EXCEPTION 'role "%" is not in DSD set "%"', role, name USING ERRCODE = 'UH100';
			END IF;
		ELSE
			UPDATE uphub.dsd_set s SET cardinality = n WHERE s.dsd_set_id OPERATOR(pg_catalog.=) set_id;
		END IF;
		SELECT s.cardinality, (SELECT pg_catalog.count(*) FROM uphub.dsd_set_member m
							   WHERE m.dsd_set_id OPERATOR(pg_catalog.=) set_id)
		INTO card, size FROM uphub.dsd_set s WHERE s.dsd_set_id OPERATOR(pg_catalog.=) set_id;
	END IF;
	IF card IS NOT NULL AND (card OPERATOR(pg_catalog.<) 2 OR card OPERATOR(pg_catalog.>) size) THEN
		RAISE EXCEPTION 'invalid cardinality % for a set of % roles', card, size
			USING ERRCODE = 'UH106', HINT = 'The cardinality n must satisfy 2 <= n <= number of roles.';
	END IF;
	IF kind OPERATOR(pg_catalog.=) 'ssd' AND card IS NOT NULL THEN
		PERFORM uphub._rbac_check_ssd(NULL);
	END IF;
	PERFORM uphub._rbac_audit(fn, pg_catalog.concat_ws(' ', name, role, n));
END;
$$;

CREATE FUNCTION uphub.create_ssd_set(name text, roles text[], n integer) RETURNS void
	LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$ SELECT uphub._rbac_sod_create('ssd', name, roles, n) $$;
CREATE FUNCTION uphub.delete_ssd_set(name text) RETURNS void
	LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$ SELECT uphub._rbac_sod_change('ssd', 'delete', name, NULL, NULL) $$;
CREATE FUNCTION uphub.add_ssd_role_member(name text, role text) RETURNS void
	LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$ SELECT uphub._rbac_sod_change('ssd', 'add', name, uphub._rbac_nonnull(role, 'role'), NULL) $$;
CREATE FUNCTION uphub.delete_ssd_role_member(name text, role text) RETURNS void
	LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$ SELECT uphub._rbac_sod_change('ssd', 'delete', name, uphub._rbac_nonnull(role, 'role'), NULL) $$;
CREATE FUNCTION uphub.set_ssd_set_cardinality(name text, n integer) RETURNS void
	LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$ SELECT uphub._rbac_sod_change('ssd', 'set', name, NULL, coalesce(n, 0)) $$;
CREATE FUNCTION uphub.create_dsd_set(name text, roles text[], n integer) RETURNS void
	LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$ SELECT uphub._rbac_sod_create('dsd', name, roles, n) $$;
CREATE FUNCTION uphub.delete_dsd_set(name text) RETURNS void
	LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$ SELECT uphub._rbac_sod_change('dsd', 'delete', name, NULL, NULL) $$;
CREATE FUNCTION uphub.add_dsd_role_member(name text, role text) RETURNS void
	LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$ SELECT uphub._rbac_sod_change('dsd', 'add', name, uphub._rbac_nonnull(role, 'role'), NULL) $$;
CREATE FUNCTION uphub.delete_dsd_role_member(name text, role text) RETURNS void
	LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$ SELECT uphub._rbac_sod_change('dsd', 'delete', name, uphub._rbac_nonnull(role, 'role'), NULL) $$;
CREATE FUNCTION uphub.set_dsd_set_cardinality(name text, n integer) RETURNS void
	LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$ SELECT uphub._rbac_sod_change('dsd', 'set', name, NULL, coalesce(n, 0)) $$;

-- ---------------------------------------------------------------------------
-- 4b. Sessions (NIST): the active role set lives in backend memory (C).
-- ---------------------------------------------------------------------------

CREATE FUNCTION uphub._rbac_session_principal() RETURNS bigint
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	actor bigint := uphub._rbac_actor();
BEGIN
	IF actor IS NULL OR actor OPERATOR(pg_catalog.=) 0 THEN
		RAISE EXCEPTION 'this session has no principal' USING ERRCODE = 'insufficient_privilege',
			DETAIL = 'Sessions and active roles belong to an uphub principal; an unmapped superuser holds every permission without one.',
			HINT = 'Map the PostgreSQL role with uphub.add_principal(name, pg_role), or act_as a principal.';
	END IF;
	RETURN actor;
END;
$$;

-- Validate and activate a role set for the current principal.
CREATE FUNCTION uphub._rbac_activate(pid bigint, ids integer[]) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	missing text;
	v text;
BEGIN
	SELECT r.name INTO missing FROM pg_catalog.unnest(ids) i JOIN uphub.role r ON r.role_id OPERATOR(pg_catalog.=) i
	WHERE NOT EXISTS (SELECT 1 FROM uphub._rbac_authorized(pid) a WHERE a.role_id OPERATOR(pg_catalog.=) i)
	ORDER BY r.name LIMIT 1;
	IF missing IS NOT NULL THEN
		RAISE EXCEPTION 'principal "%" is not authorized for role "%"', uphub._rbac_actor_name(pid), missing
			USING ERRCODE = 'UH102';
	END IF;
	v := uphub._rbac_dsd_violation(ids);
	IF v IS NOT NULL THEN
		RAISE EXCEPTION 'dynamic separation of duty violated' USING ERRCODE = 'UH104', DETAIL = v OPERATOR(pg_catalog.||) '.';
	END IF;
	PERFORM uphub._rbac_set_session(pid, ARRAY(SELECT DISTINCT i FROM pg_catalog.unnest(ids) i ORDER BY i));
END;
$$;

CREATE FUNCTION uphub.create_session(roles text[] DEFAULT NULL) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	pid bigint := uphub._rbac_session_principal();
BEGIN
	PERFORM uphub._rbac_activate(pid, CASE WHEN roles IS NULL THEN uphub._rbac_default_active(pid)
		ELSE ARRAY(SELECT uphub._rbac_role_id(r) FROM pg_catalog.unnest(roles) r) END);
END;
$$;
COMMENT ON FUNCTION uphub.create_session(text[]) IS
	'Start a NIST session: activate exactly these roles (NULL: the default set). DSD is checked.';

CREATE FUNCTION uphub.add_active_role(role text) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	pid bigint := uphub._rbac_session_principal();
	rid integer := uphub._rbac_role_id(role);
	cur integer[] := coalesce(uphub._rbac_session_active(), uphub._rbac_default_active(pid));
BEGIN
	IF rid OPERATOR(pg_catalog.=) ANY (cur) THEN
		RAISE EXCEPTION 'role "%" is already active', role USING ERRCODE = 'UH101';
	END IF;
	PERFORM uphub._rbac_activate(pid, cur OPERATOR(pg_catalog.||) rid);
END;
$$;

CREATE FUNCTION uphub.drop_active_role(role text) RETURNS void
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	pid bigint := uphub._rbac_session_principal();
	rid integer := uphub._rbac_role_id(role);
	cur integer[] := coalesce(uphub._rbac_session_active(), uphub._rbac_default_active(pid));
BEGIN
	IF NOT rid OPERATOR(pg_catalog.=) ANY (cur) THEN
		RAISE EXCEPTION 'role "%" is not active', role USING ERRCODE = 'UH102';
	END IF;
	PERFORM uphub._rbac_set_session(pid, pg_catalog.array_remove(cur, rid));
END;
$$;

CREATE FUNCTION uphub.session_roles() RETURNS SETOF text
	LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT r.name FROM uphub.role r
	WHERE uphub._rbac_actor() OPERATOR(pg_catalog.>) 0
	  AND r.role_id OPERATOR(pg_catalog.=) ANY (coalesce(uphub._rbac_session_active(),
														   uphub._rbac_default_active(uphub._rbac_actor())))
	ORDER BY r.name
$$;
COMMENT ON FUNCTION uphub.session_roles() IS 'Active roles of the session (without create_session: assigned roles in no DSD set).';

CREATE FUNCTION uphub.session_permissions(OUT permission text, OUT scope_kind text, OUT scope_id bigint)
	RETURNS SETOF record
	LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT DISTINCT p.name, act.scope_kind, act.scope_id
	FROM uphub._rbac_active_roles(uphub._rbac_actor(), uphub._rbac_session_active()) act
	JOIN uphub.role_permission rp ON rp.role_id OPERATOR(pg_catalog.=) act.role_id
	JOIN uphub.permission p ON p.permission_id OPERATOR(pg_catalog.=) rp.permission_id
	WHERE uphub._rbac_actor() OPERATOR(pg_catalog.>) 0
	UNION ALL
	SELECT p.name, 'global', NULL FROM uphub.permission p WHERE uphub._rbac_actor() OPERATOR(pg_catalog.=) 0
	ORDER BY 1, 2, 3
$$;
COMMENT ON FUNCTION uphub.session_permissions() IS
	'Permissions of the session''s active roles with their scopes (GraphQL Query.me.permissions).';

-- ---------------------------------------------------------------------------
-- 4c. Review functions. Global admins see everything; a scoped admin sees
-- assignments inside its administrative scope; anyone may review themselves.
-- ---------------------------------------------------------------------------

-- May the caller review this assignment scope of this principal?
CREATE FUNCTION uphub._rbac_may_review(pid bigint, scope_kind text, scope_id bigint) RETURNS boolean
	LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT uphub._rbac_actor() IS NOT NULL
	   AND (uphub._rbac_actor() OPERATOR(pg_catalog.=) pid
			OR uphub._rbac_holds(uphub._rbac_actor(), 'rbac.admin', scope_kind, scope_id))
$$;

CREATE FUNCTION uphub.assigned_users(role text, OUT principal text, OUT scope_kind text, OUT scope_id bigint)
	RETURNS SETOF record
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	rid integer;
BEGIN
	PERFORM uphub._rbac_require_admin('assigned_users', role);
	rid := uphub._rbac_role_id(role);
	RETURN QUERY
	SELECT p.name, a.scope_kind, a.scope_id
	FROM uphub.role_assignment a JOIN uphub.principal p ON p.principal_id OPERATOR(pg_catalog.=) a.principal_id
	WHERE a.role_id OPERATOR(pg_catalog.=) rid AND uphub._rbac_may_review(a.principal_id, a.scope_kind, a.scope_id)
	ORDER BY 1, 2, 3;
END;
$$;

CREATE FUNCTION uphub.authorized_users(role text, OUT principal text, OUT scope_kind text, OUT scope_id bigint)
	RETURNS SETOF record
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	rid integer;
BEGIN
	PERFORM uphub._rbac_require_admin('authorized_users', role);
	rid := uphub._rbac_role_id(role);
	RETURN QUERY
	SELECT DISTINCT p.name, a.scope_kind, a.scope_id
	FROM uphub.role_assignment a JOIN uphub.principal p ON p.principal_id OPERATOR(pg_catalog.=) a.principal_id
	WHERE a.role_id OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT uphub._rbac_seniors(rid)))
	  AND uphub._rbac_may_review(a.principal_id, a.scope_kind, a.scope_id)
	ORDER BY 1, 2, 3;
END;
$$;

CREATE FUNCTION uphub.assigned_roles(principal text, OUT role text, OUT scope_kind text, OUT scope_id bigint)
	RETURNS SETOF record
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	pid bigint;
BEGIN
	IF uphub.current_principal() IS DISTINCT FROM principal THEN
		PERFORM uphub._rbac_require_admin('assigned_roles', principal);
	END IF;
	pid := uphub._rbac_principal_id(principal);
	RETURN QUERY
	SELECT r.name, a.scope_kind, a.scope_id
	FROM uphub.role_assignment a JOIN uphub.role r ON r.role_id OPERATOR(pg_catalog.=) a.role_id
	WHERE a.principal_id OPERATOR(pg_catalog.=) pid AND uphub._rbac_may_review(pid, a.scope_kind, a.scope_id)
	ORDER BY 1, 2, 3;
END;
$$;

CREATE FUNCTION uphub.authorized_roles(principal text, OUT role text, OUT scope_kind text, OUT scope_id bigint)
	RETURNS SETOF record
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	pid bigint;
BEGIN
	IF uphub.current_principal() IS DISTINCT FROM principal THEN
		PERFORM uphub._rbac_require_admin('authorized_roles', principal);
	END IF;
	pid := uphub._rbac_principal_id(principal);
	RETURN QUERY
	SELECT DISTINCT r.name, a.scope_kind, a.scope_id
	FROM uphub._rbac_authorized(pid) a JOIN uphub.role r ON r.role_id OPERATOR(pg_catalog.=) a.role_id
	WHERE uphub._rbac_may_review(pid, a.scope_kind, a.scope_id)
	ORDER BY 1, 2, 3;
END;
$$;

CREATE FUNCTION uphub.role_permissions(role text, OUT permission text, OUT via_role text)
	RETURNS SETOF record
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	rid integer;
BEGIN
	PERFORM uphub._rbac_require_admin('role_permissions', role);
	rid := uphub._rbac_role_id(role);
	RETURN QUERY
	SELECT p.name, r.name
	FROM uphub._rbac_juniors(rid) j
	JOIN uphub.role_permission rp ON rp.role_id OPERATOR(pg_catalog.=) j
	JOIN uphub.permission p ON p.permission_id OPERATOR(pg_catalog.=) rp.permission_id
	JOIN uphub.role r ON r.role_id OPERATOR(pg_catalog.=) j
	ORDER BY 1, 2;
END;
$$;

CREATE FUNCTION uphub.user_permissions(principal text, OUT permission text, OUT scope_kind text, OUT scope_id bigint)
	RETURNS SETOF record
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	pid bigint;
BEGIN
	IF uphub.current_principal() IS DISTINCT FROM principal THEN
		PERFORM uphub._rbac_require_admin('user_permissions', principal);
	END IF;
	pid := uphub._rbac_principal_id(principal);
	RETURN QUERY
	SELECT DISTINCT p.name, a.scope_kind, a.scope_id
	FROM uphub._rbac_authorized(pid) a
	JOIN uphub.role_permission rp ON rp.role_id OPERATOR(pg_catalog.=) a.role_id
	JOIN uphub.permission p ON p.permission_id OPERATOR(pg_catalog.=) rp.permission_id
	WHERE uphub._rbac_may_review(pid, a.scope_kind, a.scope_id)
	ORDER BY 1, 2, 3;
END;
$$;

CREATE FUNCTION uphub.ssd_role_sets(OUT name text, OUT roles text[], OUT n integer)
	RETURNS SETOF record
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	PERFORM uphub._rbac_require_admin('ssd_role_sets');
	RETURN QUERY
	SELECT s.name, ARRAY(SELECT r.name FROM uphub.ssd_set_member m JOIN uphub.role r ON r.role_id OPERATOR(pg_catalog.=) m.role_id
						 WHERE m.ssd_set_id OPERATOR(pg_catalog.=) s.ssd_set_id ORDER BY r.name), s.cardinality
	FROM uphub.ssd_set s ORDER BY s.name;
END;
$$;

CREATE FUNCTION uphub.dsd_role_sets(OUT name text, OUT roles text[], OUT n integer)
	RETURNS SETOF record
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	PERFORM uphub._rbac_require_admin('dsd_role_sets');
	RETURN QUERY
	SELECT s.name, ARRAY(SELECT r.name FROM uphub.dsd_set_member m JOIN uphub.role r ON r.role_id OPERATOR(pg_catalog.=) m.role_id
						 WHERE m.dsd_set_id OPERATOR(pg_catalog.=) s.dsd_set_id ORDER BY r.name), s.cardinality
	FROM uphub.dsd_set s ORDER BY s.name;
END;
$$;

-- Decide for another principal (its default session): for admins and support.
CREATE FUNCTION uphub.check_access_for(principal text, permission text, creator_mid bigint DEFAULT NULL)
	RETURNS boolean
	LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
DECLARE
	pid bigint;
	perm integer;
	actor bigint := uphub._rbac_actor();
BEGIN
	IF uphub.current_principal() IS DISTINCT FROM principal THEN
		PERFORM uphub._rbac_require_admin('check_access_for', principal);
	END IF;
	pid := uphub._rbac_principal_id(principal);
	perm := uphub._rbac_permission_id(permission);
	IF actor IS DISTINCT FROM pid AND NOT uphub._rbac_holds(actor, 'rbac.admin',
		CASE WHEN creator_mid IS NULL THEN 'global' ELSE 'creator' END, creator_mid) THEN
		PERFORM uphub._rbac_deny('check_access_for', principal,
			'The caller does not hold rbac.admin in a scope covering the creator.');
	END IF;
	RETURN EXISTS (
		SELECT 1 FROM uphub._rbac_active_roles(pid, NULL) act
		JOIN uphub.role_permission rp ON rp.role_id OPERATOR(pg_catalog.=) act.role_id
		WHERE rp.permission_id OPERATOR(pg_catalog.=) perm
		  AND uphub._rbac_scope_covers(act.scope_kind, act.scope_id,
				CASE WHEN creator_mid IS NULL THEN 'global' ELSE 'creator' END, creator_mid));
END;
$$;

CREATE FUNCTION uphub._rbac_nonnull(value text, what text) RETURNS text
	LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp
	AS $$
BEGIN
	IF value IS NULL THEN
		RAISE EXCEPTION '% must not be null', what USING ERRCODE = 'null_value_not_allowed';
	END IF;
	RETURN value;
END;
$$;

-- ---------------------------------------------------------------------------
-- 5. Seed: built-in permissions and roles (README.md lists the sets).
-- ---------------------------------------------------------------------------

INSERT INTO uphub.permission (permission_id, name, description) VALUES
	(1, 'creator.read', 'Read creator profiles.'),
	(2, 'creator.write', 'Create and change creator profiles.'),
	(3, 'video.read', 'Read videos and their staff.'),
	(4, 'video.write', 'Create and change videos and their staff.'),
	(5, 'stats.read', 'Read snapshots and aggregates.'),
	(6, 'stats.write', 'Write snapshots, revenue and aggregates (ingest).'),
	(7, 'revenue.read', 'Read private revenue figures.'),
	(8, 'rbac.admin', 'Administer principals and role assignments in scope; globally, the whole RBAC model.'),
	(9, 'metrics.read', 'Read uphub''s operational metrics.');

INSERT INTO uphub.role (name, description, is_builtin) VALUES
	('platform_admin', 'Runs the platform: every permission.', true),
	('analyst', 'Reads public numbers and metrics; no private revenue, no writes.', true),
	('category_operator', 'Runs a content partition: reads and edits its creators and videos.', true),
	('mcn_manager', 'Agency staff: reads its creators'' numbers and revenue, administers their access.', true),
	('creator', 'A creator (UP主): reads its own numbers and revenue, edits its own profile and videos.', true),
	('ingest', 'The loading service: writes creators, videos, snapshots and revenue.', true);

INSERT INTO uphub.role_permission (role_id, permission_id)
SELECT r.role_id, p.permission_id
FROM (VALUES
	('platform_admin', 'creator.read'), ('platform_admin', 'creator.write'), ('platform_admin', 'video.read'),
	('platform_admin', 'video.write'), ('platform_admin', 'stats.read'), ('platform_admin', 'stats.write'),
	('platform_admin', 'revenue.read'), ('platform_admin', 'rbac.admin'), ('platform_admin', 'metrics.read'),
	('analyst', 'creator.read'), ('analyst', 'video.read'), ('analyst', 'stats.read'), ('analyst', 'metrics.read'),
	('category_operator', 'creator.read'), ('category_operator', 'creator.write'),
	('category_operator', 'video.read'), ('category_operator', 'video.write'), ('category_operator', 'stats.read'),
	('mcn_manager', 'creator.read'), ('mcn_manager', 'video.read'), ('mcn_manager', 'stats.read'),
	('mcn_manager', 'revenue.read'), ('mcn_manager', 'rbac.admin'),
	('creator', 'creator.read'), ('creator', 'creator.write'), ('creator', 'video.read'),
	('creator', 'video.write'), ('creator', 'stats.read'), ('creator', 'revenue.read'),
	('ingest', 'creator.read'), ('ingest', 'creator.write'), ('ingest', 'video.read'), ('ingest', 'video.write'),
	('ingest', 'stats.read'), ('ingest', 'stats.write'), ('ingest', 'revenue.read')
) AS v(role, permission)
JOIN uphub.role r ON r.name = v.role
JOIN uphub.permission p ON p.name = v.permission;

-- ---------------------------------------------------------------------------
-- 6. Privileges and row-level security
-- ---------------------------------------------------------------------------

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'uphub_admin') THEN
		CREATE ROLE uphub_admin NOLOGIN;
	END IF;
END;
$$;

-- Catalog tables: reachable only through the functions above.
REVOKE ALL ON uphub.principal, uphub.permission, uphub.role, uphub.role_permission, uphub.role_inheritance,
	uphub.role_assignment, uphub.ssd_set, uphub.ssd_set_member, uphub.dsd_set, uphub.dsd_set_member
	FROM PUBLIC;

-- The audit log: global admins read all of it, anyone their own entries.
ALTER TABLE uphub.audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE uphub.audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_log_read ON uphub.audit_log FOR SELECT
	USING ((SELECT uphub.check_access('rbac.admin'))
		   OR principal OPERATOR(pg_catalog.=) (SELECT uphub.current_principal()));
GRANT SELECT ON uphub.audit_log TO PUBLIC;

-- Creator-owned tables: a row is visible (writable) when the permission is
-- held globally or in a scope covering its mid. The policy is
--   mid = ANY ($visible) OR mid BETWEEN $from AND max(int8)
-- where both sub-selects are initPlans (evaluated once per statement):
-- $visible is the sorted visible set ('{}' for a global grant) and $from is
-- min(int8) for a global grant, NULL otherwise. Both arms are btree index
-- conditions on mid, so the planner can answer a scoped principal with a
-- BitmapOr of index scans (a few hundred creators out of millions never
-- become a sequential scan with a linear array search per row), and a global
-- principal costs one full-range bitmap scan, about a sequential scan.
-- video_snapshot gets an index on mid for this.
DO $$
DECLARE
	t record;
	rd text;
	wr text;
	vis text := '(mid OPERATOR(pg_catalog.=) ANY ((SELECT uphub.visible_creators(%1$L))::bigint[])'
		' OR mid BETWEEN (SELECT uphub.visible_from(%1$L)) AND 9223372036854775807)';
BEGIN
	FOR t IN SELECT * FROM (VALUES
		('creator', 'creator.read', 'creator.write'),
		('video', 'video.read', 'video.write'),
		('video_staff', 'video.read', 'video.write'),
		('video_snapshot', 'stats.read', 'stats.write'),
		('creator_snapshot', 'stats.read', 'stats.write'),
		('creator_revenue_daily', 'revenue.read', 'stats.write'),
		('video_daily', 'stats.read', 'stats.write'),
		('creator_daily', 'stats.read', 'stats.write'),
		('creator_summary', 'stats.read', 'stats.write')) AS v(tab, r, w)
	LOOP
		rd := format(vis, t.r);
		wr := format(vis, t.w);
		EXECUTE format('ALTER TABLE uphub.%I ENABLE ROW LEVEL SECURITY', t.tab);
		EXECUTE format('ALTER TABLE uphub.%I FORCE ROW LEVEL SECURITY', t.tab);
		EXECUTE format('CREATE POLICY %I ON uphub.%I FOR SELECT USING %s', t.tab || '_read', t.tab, rd);
		EXECUTE format('CREATE POLICY %I ON uphub.%I FOR INSERT WITH CHECK %s', t.tab || '_insert', t.tab, wr);
		EXECUTE format('CREATE POLICY %I ON uphub.%I FOR UPDATE USING %s WITH CHECK %s',
					   t.tab || '_update', t.tab, wr, wr);
		EXECUTE format('CREATE POLICY %I ON uphub.%I FOR DELETE USING %s', t.tab || '_delete', t.tab, wr);
		EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON uphub.%I TO PUBLIC', t.tab);
	END LOOP;
END;
$$;

CREATE INDEX video_snapshot_mid_idx ON uphub.video_snapshot (mid, observed_at);

-- Partition and MCN aggregates: stats.read globally, or in a partition scope
-- covering the row's tid (category operators), or on the row's MCN (managers).
ALTER TABLE uphub.partition_daily ENABLE ROW LEVEL SECURITY;
ALTER TABLE uphub.partition_daily FORCE ROW LEVEL SECURITY;
CREATE POLICY partition_daily_read ON uphub.partition_daily FOR SELECT
	USING ((SELECT uphub.check_access('stats.read'))
		   OR tid OPERATOR(pg_catalog.=) ANY ((SELECT uphub.visible_partitions('stats.read'))::integer[]));
CREATE POLICY partition_daily_write ON uphub.partition_daily FOR ALL
	USING ((SELECT uphub.check_access('stats.write'))) WITH CHECK ((SELECT uphub.check_access('stats.write')));
GRANT SELECT, INSERT, UPDATE, DELETE ON uphub.partition_daily TO PUBLIC;

ALTER TABLE uphub.mcn_daily ENABLE ROW LEVEL SECURITY;
ALTER TABLE uphub.mcn_daily FORCE ROW LEVEL SECURITY;
CREATE POLICY mcn_daily_read ON uphub.mcn_daily FOR SELECT
	USING ((SELECT uphub.check_access('stats.read'))
		   OR mcn_id OPERATOR(pg_catalog.=) ANY ((SELECT uphub.visible_mcns('stats.read'))::bigint[]));
CREATE POLICY mcn_daily_write ON uphub.mcn_daily FOR ALL
	USING ((SELECT uphub.check_access('stats.write'))) WITH CHECK ((SELECT uphub.check_access('stats.write')));
GRANT SELECT, INSERT, UPDATE, DELETE ON uphub.mcn_daily TO PUBLIC;

-- Reference data every principal may read.
GRANT SELECT ON uphub.partition, uphub.mcn TO PUBLIC;

-- Functions: internals only for the extension owner, administration for
-- uphub_admin (the functions still check rbac.admin).
DO $$
DECLARE
	f record;
BEGIN
	FOR f IN SELECT p.oid::regprocedure AS sig, p.proname FROM pg_catalog.pg_proc p
			 WHERE p.pronamespace = 'uphub'::regnamespace
			   AND (p.proname LIKE '\_rbac\_%' OR p.proname IN (
					'add_principal', 'delete_principal', 'add_role', 'delete_role', 'grant_permission',
					'revoke_permission', 'assign_role', 'deassign_role', 'add_inheritance', 'delete_inheritance',
					'create_ssd_set', 'delete_ssd_set', 'add_ssd_role_member', 'delete_ssd_role_member',
					'set_ssd_set_cardinality', 'create_dsd_set', 'delete_dsd_set', 'add_dsd_role_member',
					'delete_dsd_role_member', 'set_dsd_set_cardinality', 'act_as'))
	LOOP
		EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f.sig);
		IF f.proname NOT LIKE '\_rbac\_%' AND f.proname <> 'act_as' THEN
			EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO uphub_admin', f.sig);
		END IF;
	END LOOP;
END;
$$;
-- act_as is callable by everyone so that every attempt reaches its own check
-- (membership of uphub_gateway) and is audited, denials included.
GRANT EXECUTE ON FUNCTION uphub.act_as(text) TO PUBLIC;
