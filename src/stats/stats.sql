-- src/stats/stats.sql — the SQL face of the shared-memory stats (src/stats/).
--
-- Reading (views uphub.stats and uphub.counters, uphub.metrics()) needs the
-- RBAC permission metrics.read, membership in pg_read_all_stats, or
-- superuser; the C functions check it at each call, so the views and
-- functions themselves are open to PUBLIC. Resetting needs a superuser or
-- metrics.read + rbac.admin, also checked in C; EXECUTE on stats_reset() is
-- for the group role uphub_admin only (created by src/rbac/rbac.sql).

CREATE FUNCTION uphub._stats_operations(
	OUT queryid bigint, OUT operation_name text, OUT operation_type text,
	OUT calls bigint, OUT errors bigint, OUT rows bigint,
	OUT total_time_ms float8, OUT min_time_ms float8, OUT max_time_ms float8,
	OUT mean_time_ms float8, OUT bucket_le float8[], OUT bucket_count bigint[],
	OUT first_call timestamptz, OUT last_call timestamptz)
	RETURNS SETOF record
	LANGUAGE c VOLATILE STRICT PARALLEL RESTRICTED
	AS 'MODULE_PATHNAME', 'uphub_stats_operations';

CREATE VIEW uphub.stats AS
	SELECT * FROM uphub._stats_operations();
COMMENT ON VIEW uphub.stats IS
	'One row per GraphQL operation (normalized document hash + operation name); beyond uphub.stats_max_operations, calls are counted in the row named __other__. bucket_count is cumulative; the last bound is Infinity.';
GRANT SELECT ON uphub.stats TO PUBLIC;

CREATE FUNCTION uphub._stats_counters(OUT name text, OUT labels jsonb, OUT value float8)
	RETURNS SETOF record
	LANGUAGE c VOLATILE STRICT PARALLEL RESTRICTED
	AS 'MODULE_PATHNAME', 'uphub_stats_counters';

CREATE VIEW uphub.counters AS
	SELECT * FROM uphub._stats_counters();
COMMENT ON VIEW uphub.counters IS
	'Every global counter and gauge of uphub, one row per Prometheus sample (histograms as _bucket/_sum/_count rows).';
GRANT SELECT ON uphub.counters TO PUBLIC;

CREATE FUNCTION uphub.metrics() RETURNS text
	LANGUAGE c VOLATILE STRICT PARALLEL RESTRICTED
	AS 'MODULE_PATHNAME', 'uphub_metrics';
COMMENT ON FUNCTION uphub.metrics() IS
	'All uphub statistics in Prometheus text format 0.0.4 (the body of GET /metrics).';

CREATE FUNCTION uphub.stats_reset() RETURNS void
	LANGUAGE c VOLATILE STRICT PARALLEL RESTRICTED
	AS 'MODULE_PATHNAME', 'uphub_stats_reset';
COMMENT ON FUNCTION uphub.stats_reset() IS
	'Empty the statistics (superuser, or RBAC metrics.read + rbac.admin).';
-- An administrative function: not for PUBLIC (sql/security_privileges.sql
-- checks every admin function), but for the group role of uphub's
-- administrators; the C body still checks the RBAC permissions.
REVOKE ALL ON FUNCTION uphub.stats_reset() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION uphub.stats_reset() TO uphub_admin;

-- The ingest tool (libpq) reports each loaded batch. Open to PUBLIC: it only
-- moves a counter, and callers of the ingest path are not yet RBAC principals
-- of their own; revoke it and grant it to the ingest job's role to narrow it.
CREATE FUNCTION uphub.stats_record_ingest(table_name text, rows bigint) RETURNS void
	LANGUAGE c VOLATILE STRICT PARALLEL RESTRICTED
	AS 'MODULE_PATHNAME', 'uphub_stats_record_ingest';
COMMENT ON FUNCTION uphub.stats_record_ingest(text, bigint) IS
	'Count rows loaded into a table by the ingest path (uphub_ingest_rows_total).';

-- Test hooks: call the C recording API directly, so the regression and TAP
-- tests can produce exact counts for every family. Superuser only.
CREATE FUNCTION uphub._stats_test_graphql_request(queryid bigint, operation_name text,
	operation_type text, ok boolean, rows bigint, seconds float8) RETURNS void
	LANGUAGE c VOLATILE PARALLEL RESTRICTED
	AS 'MODULE_PATHNAME', 'uphub_stats_test_graphql_request';
CREATE FUNCTION uphub._stats_test_rbac_check(allowed boolean) RETURNS void
	LANGUAGE c VOLATILE STRICT PARALLEL RESTRICTED
	AS 'MODULE_PATHNAME', 'uphub_stats_test_rbac_check';
CREATE FUNCTION uphub._stats_test_refresh_run(changes bigint, seconds float8, ok boolean)
	RETURNS void
	LANGUAGE c VOLATILE STRICT PARALLEL RESTRICTED
	AS 'MODULE_PATHNAME', 'uphub_stats_test_refresh_run';
CREATE FUNCTION uphub._stats_test_aggregate_lag(seconds float8) RETURNS void
	LANGUAGE c VOLATILE STRICT PARALLEL RESTRICTED
	AS 'MODULE_PATHNAME', 'uphub_stats_test_aggregate_lag';
CREATE FUNCTION uphub._stats_test_plan_cache(hit boolean) RETURNS void
	LANGUAGE c VOLATILE STRICT PARALLEL RESTRICTED
	AS 'MODULE_PATHNAME', 'uphub_stats_test_plan_cache';
CREATE FUNCTION uphub._stats_test_format_value(value float8) RETURNS text
	LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
	AS 'MODULE_PATHNAME', 'uphub_stats_test_format_value';
REVOKE ALL ON FUNCTION uphub._stats_test_graphql_request(bigint, text, text, boolean, bigint, float8) FROM PUBLIC;
REVOKE ALL ON FUNCTION uphub._stats_test_rbac_check(boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION uphub._stats_test_refresh_run(bigint, float8, boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION uphub._stats_test_aggregate_lag(float8) FROM PUBLIC;
REVOKE ALL ON FUNCTION uphub._stats_test_plan_cache(boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION uphub._stats_test_format_value(float8) FROM PUBLIC;
