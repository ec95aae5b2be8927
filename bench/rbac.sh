#!/usr/bin/env bash
# bench/rbac.sh — RBAC benchmarks (not part of `make test`).
#
# 1. check_access, warm, per call: the incremental cost of calling it in a
#    1,000,000-row loop, against the same loop calling an empty SQL function
#    (the baseline); target <= 2 us per call (the ratio column is that cost). Measured for an MCN-scoped
#    principal (the path with a creator lookup), then again after loading
#    100,000 principals and 10,000 roles into the catalog.
# 2. Row-level security: an MCN manager reading creator_daily of its ~1,000
#    creators (10,000 creators x 30 days in the table) through RLS alone,
#    against the superuser running the same aggregate with an explicit
#    WHERE mid = ANY(<the 1,000 mids>); target ratio <= 1.2. Also reported,
#    without a target: the manager adding that WHERE itself (RLS and the
#    explicit filter both apply).
#
# Prints lines `BENCH <name> <value> <unit> <baseline> <ratio> <target>`.
# Uses its own cluster (port UPHUB_BENCH_PORT + 1: bench/run.sh's is
# UPHUB_BENCH_PORT, default 54340), removed at the end.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/lib.sh
port=$((${UPHUB_BENCH_PORT:-54340} + 1))
dir=${TMPDIR:-/tmp}/uphub-bench-rbac-$port
db=uphub_bench
root=
trap 'cluster_stop "$dir"; cluster_destroy "$dir"; [ -z "$root" ] || rm -rf "$root"' EXIT

# Under bench/run.sh PATH already leads to its private install; run alone,
# make one (scripts/lib.sh private_install).
if [ -z "${UPHUB_BENCH_ROOT:-}" ]; then
	root=${TMPDIR:-/tmp}/uphub-bench-root-$port
	private_install "$root" >/dev/null
fi
cluster_create "$dir" "$port" "$db"
cluster_start "$dir"
as_pg "$PG_BINDIR/createdb" -h "$dir" -p "$port" -U postgres "$db"
q() { as_pg "$PG_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres "$db" "$@"; }

q <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION uphub;
CREATE ROLE bench_mgr;
INSERT INTO uphub.partition VALUES (1, NULL, 'p1');
INSERT INTO uphub.mcn VALUES (7, 'm7');
INSERT INTO uphub.creator (mid, name, main_tid, mcn_id)
SELECT g, 'c' || g, 1, CASE WHEN g % 10 = 0 THEN 7 END FROM generate_series(1, 10000) g;
INSERT INTO uphub.creator_daily (mid, day, views, likes)
SELECT c.mid, d::date, (c.mid * 7 + extract(day FROM d)::int) % 1000, 1
FROM uphub.creator c, generate_series('2024-01-01'::date, '2024-01-30', '1 day') d;
ANALYZE;
SELECT uphub.add_principal('mgr', 'bench_mgr');
SELECT uphub.assign_role('mgr', 'mcn_manager', 'mcn', 7);
CREATE FUNCTION public.bench_empty(text, bigint) RETURNS boolean LANGUAGE sql AS 'SELECT true';
-- Best of `runs` timings of a statement, in milliseconds.
CREATE FUNCTION public.bench_ms(stmt text, runs int) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
	best float8 := 'infinity';
	t0 timestamptz;
BEGIN
	FOR i IN 1 .. runs LOOP
		t0 := clock_timestamp();
		EXECUTE stmt;
		best := least(best, 1000 * extract(epoch FROM clock_timestamp() - t0));
	END LOOP;
	RETURN best;
END;
$$;
GRANT EXECUTE ON FUNCTION public.bench_ms(text, int), public.bench_empty(text, bigint) TO bench_mgr;
SQL

check_bench() {
	local label=$1
	q <<SQL
SET ROLE bench_mgr;
SELECT uphub.check_access('stats.read', 10);
WITH t AS (
	SELECT public.bench_ms('SELECT count(*) FROM generate_series(1, 1000000) g WHERE uphub.check_access(''stats.read'', 10 + (g % 1000) * 10)', 5) AS check_ms,
	       public.bench_ms('SELECT count(*) FROM generate_series(1, 1000000) g WHERE public.bench_empty(''stats.read'', 10 + (g % 1000) * 10)', 5) AS base_ms)
SELECT format('BENCH %s %s us %s %s %s', '$label',
	round(((check_ms - base_ms) / 1000)::numeric, 3),
	round((base_ms / 1000)::numeric, 3),
	round(((check_ms - base_ms) / 1000)::numeric, 3), '<=2')
FROM t;
SQL
}
check_bench check_access_warm_per_call

# 100,000 principals and 10,000 roles (each principal assigned two roles).
q <<'SQL'
SET client_min_messages = warning;
INSERT INTO uphub.role (name) SELECT 'r' || g FROM generate_series(1, 10000) g;
INSERT INTO uphub.role_permission (role_id, permission_id)
SELECT r.role_id, 1 + r.role_id % 9 FROM uphub.role r WHERE r.name LIKE 'r%';
INSERT INTO uphub.principal (name) SELECT 'p' || g FROM generate_series(1, 100000) g;
INSERT INTO uphub.role_assignment (principal_id, role_id, scope_kind, scope_id)
SELECT p.principal_id, (SELECT min(role_id) FROM uphub.role) + (p.principal_id * k) % 10000, 'creator', 1 + p.principal_id % 10000
FROM uphub.principal p, generate_series(1, 2) k WHERE p.name LIKE 'p%'
ON CONFLICT DO NOTHING;
ANALYZE;
SQL
check_bench check_access_warm_100k_principals_10k_roles


mgr_ms=$(q -c "SET ROLE bench_mgr" -c "SELECT public.bench_ms('SELECT sum(views), count(*) FROM uphub.creator_daily', 20)")
mgr_where_ms=$(q -c "SET ROLE bench_mgr" -c "SELECT public.bench_ms('SELECT sum(views), count(*) FROM uphub.creator_daily WHERE mid = ANY (''$(q -c "SELECT array_agg(mid ORDER BY mid) FROM uphub.creator WHERE mcn_id = 7")''::bigint[])', 20)")
su_ms=$(q -c "SELECT public.bench_ms('SELECT sum(views), count(*) FROM uphub.creator_daily WHERE mid = ANY (''$(q -c "SELECT array_agg(mid ORDER BY mid) FROM uphub.creator WHERE mcn_id = 7")''::bigint[])', 20)")
rows=$(q -c "SET ROLE bench_mgr" -c "SELECT count(*) FROM uphub.creator_daily")
awk -v m="$mgr_ms" -v s="$su_ms" -v r="$rows" 'BEGIN { printf "BENCH rls_mcn_manager_creator_daily_%s_rows %.2f ms %.2f %.2f <=1.2\n", r, m, s, m / s }'
awk -v m="$mgr_where_ms" -v s="$su_ms" 'BEGIN { printf "BENCH rls_mcn_manager_with_explicit_where %.2f ms %.2f %.2f -\n", m, s, m / s }'
