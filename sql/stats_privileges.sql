-- Who may read and reset the stats: superuser, pg_read_all_stats, or the RBAC
-- permission metrics.read (asked through uphub.check_access when it exists;
-- here a stand-in plays RBAC, rolled back at the end).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
BEGIN;
CREATE ROLE stats_reader_test;
CREATE ROLE stats_nobody_test;
GRANT pg_read_all_stats TO stats_reader_test;

SET ROLE stats_nobody_test;
SAVEPOINT s;
SELECT count(*) FROM uphub.stats;
ROLLBACK TO s;
SELECT count(*) FROM uphub.counters;
ROLLBACK TO s;
SELECT length(uphub.metrics()) > 0;
ROLLBACK TO s;
SELECT uphub.stats_reset();
ROLLBACK TO s;
SELECT uphub._stats_test_rbac_check(true);
ROLLBACK TO s;
-- Anyone may report ingested rows.
SELECT uphub.stats_record_ingest('video', 1);
RESET ROLE;

SET ROLE stats_reader_test;
SELECT count(*) >= 0 AS can_read FROM uphub.stats;
SELECT count(*) > 0 AS can_read FROM uphub.counters;
SELECT uphub.metrics() LIKE '# HELP %' AS can_read;
SAVEPOINT s;
SELECT uphub.stats_reset();
ROLLBACK TO s;
RESET ROLE;

-- uphub.track is PGC_SUSET: a client cannot switch off the recording of its
-- own requests (SET, set_config, ALTER ROLE ... SET on itself)...
SET ROLE stats_nobody_test;
SAVEPOINT s;
SET uphub.track = off;
ROLLBACK TO s;
SELECT set_config('uphub.track', 'off', false);
ROLLBACK TO s;
ALTER ROLE stats_nobody_test SET uphub.track = off;
ROLLBACK TO s;
SHOW uphub.track;
RESET ROLE;
-- ... unless a superuser grants it SET on the parameter.
GRANT SET ON PARAMETER uphub.track TO stats_nobody_test;
SET ROLE stats_nobody_test;
SET uphub.track = off;
SHOW uphub.track;
RESET uphub.track;
RESET ROLE;
REVOKE SET ON PARAMETER uphub.track FROM stats_nobody_test;

-- RBAC installed: metrics.read lets a principal read; reset also needs rbac.admin.
CREATE OR REPLACE FUNCTION uphub.check_access(permission text, creator_mid bigint DEFAULT NULL)
	RETURNS boolean LANGUAGE sql
	AS $$ SELECT permission = ANY (string_to_array(current_setting('stats_test.perms', true), ',')) $$;
GRANT EXECUTE ON FUNCTION uphub.check_access(text, bigint) TO PUBLIC;
-- stats_reset() is executable by uphub_admin members only.
GRANT uphub_admin TO stats_nobody_test;
SET ROLE stats_nobody_test;
SET stats_test.perms = 'metrics.read';
SELECT count(*) > 0 AS can_read FROM uphub.counters;
SAVEPOINT s;
SELECT uphub.stats_reset();
ROLLBACK TO s;
SET stats_test.perms = 'metrics.read,rbac.admin';
SELECT uphub.stats_reset();
SET stats_test.perms = 'rbac.admin';
SAVEPOINT s;
SELECT count(*) FROM uphub.counters;
ROLLBACK TO s;
RESET ROLE;
ROLLBACK;
