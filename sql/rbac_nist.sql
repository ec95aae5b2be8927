-- NIST RBAC semantics: multi-level hierarchy, diamond, removal of an
-- intermediate edge, SSD on assign and on inheritance (inherited roles
-- counted), DSD on create_session and add_active_role, cardinality rules,
-- every review function, and the errors of invalid calls.
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
INSERT INTO uphub.mcn VALUES (7, 'mcn seven');
INSERT INTO uphub.creator (mid, name, main_tid, mcn_id) VALUES (201, 'c201', 1, 7), (202, 'c202', 1, NULL);
CREATE ROLE rbn_u1; CREATE ROLE rbn_u2;
SELECT uphub.add_principal('u1', 'rbn_u1') > 0, uphub.add_principal('u2', 'rbn_u2') > 0;

-- Multi-level hierarchy: top > mid > bottom; permissions sit at the bottom.
SELECT uphub.add_role('h_top', 'three levels up'), uphub.add_role('h_mid'), uphub.add_role('h_bottom');
SELECT uphub.grant_permission('h_bottom', 'video.read'), uphub.grant_permission('h_mid', 'stats.read');
SELECT uphub.add_inheritance('h_top', 'h_mid'), uphub.add_inheritance('h_mid', 'h_bottom');
SELECT uphub.assign_role('u1', 'h_top', 'creator', 201);
SELECT * FROM uphub.role_permissions('h_top');
SELECT * FROM uphub.authorized_roles('u1');
SELECT * FROM uphub.user_permissions('u1');
SELECT uphub.check_access_for('u1', 'video.read', 201) AS own, uphub.check_access_for('u1', 'video.read', 202) AS other,
	   uphub.check_access_for('u1', 'video.read') AS global;
-- Removing the intermediate edge cuts the bottom off.
SELECT uphub.delete_inheritance('h_mid', 'h_bottom');
SELECT * FROM uphub.role_permissions('h_top');
SELECT uphub.check_access_for('u1', 'video.read', 201) AS after_cut;
SELECT pg_temp.try($$SELECT uphub.delete_inheritance('h_mid', 'h_bottom')$$);

-- Diamond: d_top > d_left, d_top > d_right, both > d_bottom: one permission, once.
SELECT uphub.add_role('d_top'), uphub.add_role('d_left'), uphub.add_role('d_right'), uphub.add_role('d_bottom');
SELECT uphub.grant_permission('d_bottom', 'creator.read');
SELECT uphub.add_inheritance('d_top', 'd_left'), uphub.add_inheritance('d_top', 'd_right'),
	   uphub.add_inheritance('d_left', 'd_bottom'), uphub.add_inheritance('d_right', 'd_bottom');
SELECT uphub.assign_role('u2', 'd_top');
SELECT * FROM uphub.role_permissions('d_top');
SELECT * FROM uphub.user_permissions('u2');
-- Removing one side keeps the other path.
SELECT uphub.delete_inheritance('d_left', 'd_bottom');
SELECT uphub.check_access_for('u2', 'creator.read', 201) AS via_right;
SELECT uphub.delete_inheritance('d_right', 'd_bottom');
SELECT uphub.check_access_for('u2', 'creator.read', 201) AS no_path;

-- Cycles are rejected (UH105), also through several edges; so is a self edge.
SELECT uphub.add_inheritance('h_mid', 'h_bottom');
SELECT pg_temp.try($$SELECT uphub.add_inheritance('h_bottom', 'h_top')$$);
SELECT pg_temp.try($$SELECT uphub.add_inheritance('h_mid', 'h_top')$$);
SELECT pg_temp.try($$SELECT uphub.add_inheritance('h_top', 'h_top')$$);
SELECT pg_temp.try($$SELECT uphub.add_inheritance('h_top', 'h_mid')$$);

-- SSD: pay and approve may not be held together (n = 2).
SELECT uphub.add_role('s_pay'), uphub.add_role('s_approve'), uphub.add_role('s_other'), uphub.add_role('s_both');
SELECT uphub.create_ssd_set('pay_approve', ARRAY['s_pay', 's_approve'], 2);
SELECT uphub.assign_role('u1', 's_pay');
SELECT pg_temp.try($$SELECT uphub.assign_role('u1', 's_approve')$$);
-- ... also when the second role would arrive through inheritance:
SELECT uphub.assign_role('u1', 's_other');
SELECT pg_temp.try($$SELECT uphub.add_inheritance('s_other', 's_approve')$$);
-- ... and a role may not inherit both on its own.
SELECT uphub.add_inheritance('s_both', 's_pay');
SELECT pg_temp.try($$SELECT uphub.add_inheritance('s_both', 's_approve')$$);
-- Cardinality: 2 <= n <= |set|, on create, on change, on member removal (UH106).
SELECT pg_temp.try($$SELECT uphub.create_ssd_set('bad1', ARRAY['s_pay', 's_approve'], 1)$$);
SELECT pg_temp.try($$SELECT uphub.create_ssd_set('bad3', ARRAY['s_pay', 's_approve'], 3)$$);
SELECT pg_temp.try($$SELECT uphub.set_ssd_set_cardinality('pay_approve', 3)$$);
SELECT pg_temp.try($$SELECT uphub.delete_ssd_role_member('pay_approve', 's_pay')$$);
SELECT pg_temp.try($$SELECT uphub.create_ssd_set('pay_approve', ARRAY['s_pay', 's_other'], 2)$$);
SELECT pg_temp.try($$SELECT uphub.create_ssd_set('unknown', ARRAY['s_pay', 'nope'], 2)$$);
-- Adding a member or creating a set that existing assignments violate fails.
SELECT pg_temp.try($$SELECT uphub.add_ssd_role_member('pay_approve', 's_other')$$);
SELECT uphub.add_ssd_role_member('pay_approve', 'd_bottom');
SELECT uphub.set_ssd_set_cardinality('pay_approve', 3);
SELECT pg_temp.try($$SELECT uphub.delete_ssd_role_member('pay_approve', 'd_bottom')$$);
SELECT uphub.set_ssd_set_cardinality('pay_approve', 2), uphub.delete_ssd_role_member('pay_approve', 'd_bottom');
SELECT pg_temp.try($$SELECT uphub.delete_role('s_pay')$$);
SELECT * FROM uphub.ssd_role_sets();

-- DSD: an assigned pair that may not be active together.
SELECT uphub.add_role('x_cashier'), uphub.add_role('x_auditor');
SELECT uphub.grant_permission('x_cashier', 'revenue.read'), uphub.grant_permission('x_auditor', 'metrics.read');
SELECT uphub.create_dsd_set('cash_audit', ARRAY['x_cashier', 'x_auditor'], 2);
SELECT uphub.assign_role('u2', 'x_cashier'), uphub.assign_role('u2', 'x_auditor');
SELECT * FROM uphub.dsd_role_sets();
SET ROLE rbn_u2;
-- Without create_session: assigned roles in no DSD set are active.
SELECT * FROM uphub.session_roles();
SELECT uphub.check_access('revenue.read') AS revenue, uphub.check_access('metrics.read') AS metrics;
SELECT pg_temp.try($$SELECT uphub.create_session(ARRAY['x_cashier', 'x_auditor'])$$);
SELECT uphub.create_session(ARRAY['x_cashier']);
SELECT * FROM uphub.session_roles();
SELECT uphub.check_access('revenue.read') AS revenue, uphub.check_access('metrics.read') AS metrics;
SELECT pg_temp.try($$SELECT uphub.add_active_role('x_auditor')$$);
SELECT pg_temp.try($$SELECT uphub.add_active_role('x_cashier')$$);
SELECT pg_temp.try($$SELECT uphub.add_active_role('h_top')$$);
SELECT uphub.drop_active_role('x_cashier');
SELECT uphub.add_active_role('x_auditor');
SELECT * FROM uphub.session_roles();
SELECT uphub.check_access('revenue.read') AS revenue, uphub.check_access('metrics.read') AS metrics;
SELECT pg_temp.try($$SELECT uphub.drop_active_role('x_cashier')$$);
SELECT * FROM uphub.session_permissions();
-- A rolled-back create_session changes nothing.
SAVEPOINT s;
SELECT uphub.create_session(ARRAY['d_top']);
SELECT * FROM uphub.session_roles();
ROLLBACK TO SAVEPOINT s;
SELECT * FROM uphub.session_roles();
-- create_session(NULL) returns to the default set.
SELECT uphub.create_session();
SELECT * FROM uphub.session_roles();
RESET ROLE;
SELECT uphub.set_dsd_set_cardinality('cash_audit', 2), uphub.add_dsd_role_member('cash_audit', 'd_top');
SELECT pg_temp.try($$SELECT uphub.delete_dsd_role_member('cash_audit', 'h_top')$$);
SELECT uphub.delete_dsd_role_member('cash_audit', 'd_top');
SELECT uphub.delete_dsd_set('cash_audit');
SELECT uphub.delete_ssd_set('pay_approve');
SELECT * FROM uphub.dsd_role_sets();
SELECT * FROM uphub.ssd_role_sets();

-- Review functions.
SELECT * FROM uphub.assigned_users('x_cashier');
SELECT * FROM uphub.authorized_users('d_right');
SELECT * FROM uphub.assigned_roles('u2');
SELECT * FROM uphub.authorized_roles('u2');

-- Invalid calls: clear errors with SQLSTATEs.
SELECT pg_temp.try($$SELECT uphub.assign_role('nobody', 'analyst')$$);
SELECT pg_temp.try($$SELECT uphub.assign_role('u1', 'no_such_role')$$);
SELECT pg_temp.try($$SELECT uphub.assign_role('u1', 'analyst', 'planet', 1)$$);
SELECT pg_temp.try($$SELECT uphub.assign_role('u1', 'analyst', 'partition')$$);
SELECT pg_temp.try($$SELECT uphub.assign_role('u1', 'analyst', 'global', 1)$$);
SELECT pg_temp.try($$SELECT uphub.assign_role('u1', 'analyst', 'mcn', 99)$$);
SELECT pg_temp.try($$SELECT uphub.assign_role('u1', 'analyst', 'creator', 999)$$);
SELECT pg_temp.try($$SELECT uphub.assign_role('u1', 's_pay')$$);
SELECT pg_temp.try($$SELECT uphub.deassign_role('u1', 'analyst')$$);
SELECT pg_temp.try($$SELECT uphub.grant_permission('h_top', 'video.delete')$$);
SELECT pg_temp.try($$SELECT uphub.grant_permission('h_mid', 'stats.read')$$);
SELECT pg_temp.try($$SELECT uphub.revoke_permission('h_top', 'stats.read')$$);
SELECT pg_temp.try($$SELECT uphub.add_role('h_top')$$);
SELECT pg_temp.try($$SELECT uphub.add_role('Bad Name')$$);
SELECT pg_temp.try($$SELECT uphub.add_principal('u1')$$);
SELECT pg_temp.try($$SELECT uphub.add_principal('u3', 'rbn_u1')$$);
SELECT pg_temp.try($$SELECT uphub.add_principal('u3', 'no_such_pg_role')$$);
SELECT pg_temp.try($$SELECT uphub.check_access('video.delete', 1)$$);
SELECT pg_temp.try($$SELECT uphub.check_access(NULL, 1)$$);
SELECT pg_temp.try($$SELECT uphub.delete_ssd_set('nope')$$);
SELECT pg_temp.try($$SELECT uphub.add_dsd_role_member('nope', 'h_top')$$);

-- Deleting a role removes its assignments, grants and edges.
SELECT uphub.delete_role('h_mid');
SELECT * FROM uphub.authorized_roles('u1');
SELECT uphub.delete_principal('u1');
SELECT pg_temp.try($$SELECT uphub.assigned_roles('u1')$$);
ROLLBACK;
DELETE FROM uphub.audit_log WHERE pg_role LIKE 'rbn\_%';
