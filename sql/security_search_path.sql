-- Security: search_path hijacking, generic over the catalog.
--  1. Every SECURITY DEFINER function of schema uphub pins search_path
--     (starting with pg_catalog, ending with pg_temp); so does every internal
--     SQL or PL/pgSQL helper (they also run under C callers' SPI), except
--     inlinable SQL helpers.
--  2. Hostile objects are planted in public and pg_temp: for every operator
--     of pg_catalog on common types (polymorphic ones instantiated for int4,
--     int8 and text), a shadow operator; for every pg_catalog function whose
--     name occurs in an uphub function body, a shadow with the same
--     signature (plus better-matching overloads of the VARIADIC "any" ones,
--     and a coalesce look-alike); for every uphub function, a shadow of the
--     same name. Each shadow records that it ran in a sequence (not undone
--     by rollback) and a table.
--  3. Then, with search_path = pg_temp, public, pg_catalog, every uphub
--     function (triggers excepted) is called by a superuser, a global admin,
--     a scoped admin, a gateway acting for a principal and a role with no
--     principal, with plausible arguments and with NULLs; and every uphub
--     table is read, updated and deleted from (triggers and row-level
--     security run). Calls may fail with ordinary errors; no hostile object
--     may ever run, and no call may end in an internal error (class XX).
-- Functions added later are called automatically; only their argument names
-- may deserve a plausible sample below.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
BEGIN;

-- 1. Pinned search_path.
SELECT p.oid::regprocedure AS definer_without_pinned_search_path
FROM pg_proc p
WHERE p.pronamespace = 'uphub'::regnamespace AND p.prosecdef
  AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c
				  WHERE c ~ '^search_path="?pg_catalog"?(,.*)?,\s*"?pg_temp"?$'
					 OR c = 'search_path=pg_catalog, pg_temp');
-- (Inlinable helpers are exempt: a non-definer, non-volatile SQL function
-- without SET is inlined into the calling query, whose search_path its
-- caller pins; SET would prevent the inlining.)
SELECT p.oid::regprocedure AS internal_helper_without_pinned_search_path
FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
WHERE p.pronamespace = 'uphub'::regnamespace AND l.lanname IN ('sql', 'plpgsql') AND p.proname LIKE '\_%'
  AND NOT (l.lanname = 'sql' AND NOT p.prosecdef AND p.provolatile IN ('i', 's'))
  AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c ~ '^search_path="?pg_catalog"?(,.*)?,\s*"?pg_temp"?$');
SELECT count(*) >= 20 AS definer_functions_checked FROM pg_proc p
WHERE p.pronamespace = 'uphub'::regnamespace AND p.prosecdef;

-- Fixtures: a partition, an MCN, two creators, principals for every kind of caller.
INSERT INTO uphub.partition VALUES (901, NULL, 'sec partition');
INSERT INTO uphub.mcn VALUES (901, 'sec mcn');
INSERT INTO uphub.creator (mid, name, main_tid, mcn_id) VALUES (90101, 'sec c1', 901, 901), (90102, 'sec c2', 901, NULL);
INSERT INTO uphub.video (aid, bvid, mid, tid, title) VALUES (90101, 'BV1Sec111111', 90101, 901, 'sec video');
INSERT INTO uphub.creator_daily (mid, day, views) VALUES (90101, '2024-01-15', 5);
INSERT INTO uphub.partition_daily (tid, day, views) VALUES (901, '2024-01-15', 5);
INSERT INTO uphub.mcn_daily (mcn_id, day, views) VALUES (901, '2024-01-15', 5);
CREATE ROLE sec_admin; CREATE ROLE sec_manager; CREATE ROLE sec_gateway; CREATE ROLE sec_nobody;
GRANT uphub_admin TO sec_admin, sec_manager;
GRANT uphub_gateway TO sec_gateway;
SELECT uphub.add_principal('sec_admin', 'sec_admin') > 0, uphub.add_principal('sec_manager', 'sec_manager') > 0,
	   uphub.add_principal('sec_target', NULL, 90101) > 0, uphub.add_principal('sec_acted') > 0;
SELECT uphub.assign_role('sec_admin', 'platform_admin'), uphub.assign_role('sec_manager', 'mcn_manager', 'mcn', 901),
	   uphub.assign_role('sec_acted', 'analyst');

-- 2. The hostile objects and their witness. From here on, this file's own
-- statements run with search_path = pg_catalog only: a planted operator that
-- matches the argument types better would win even behind pg_catalog.
SET LOCAL search_path = pg_catalog;
CREATE SEQUENCE public.sec_hostile_runs;
CREATE TABLE public.sec_hostile_log (object text NOT NULL);
GRANT USAGE ON SEQUENCE public.sec_hostile_runs TO PUBLIC;
GRANT INSERT ON public.sec_hostile_log TO PUBLIC;
CREATE FUNCTION public.sec_hostile_mark(object text) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
	PERFORM pg_catalog.nextval('public.sec_hostile_runs');
	BEGIN
		INSERT INTO public.sec_hostile_log VALUES (object);
	EXCEPTION WHEN others THEN
		NULL;
	END;
END;
$$;
GRANT EXECUTE ON FUNCTION public.sec_hostile_mark(text) TO PUBLIC;

CREATE TEMP TABLE sec_planted (schema text, kind text, object text);
DO $$
DECLARE
	s text;
	o record;
	f record;
	n integer := 0;
	fname text;
	ret text;
BEGIN
	FOREACH s IN ARRAY ARRAY['public', 'pg_temp'] LOOP
		-- Operators: concrete common types, and polymorphic ones instantiated.
		FOR o IN
			WITH t(typ) AS (VALUES ('int2'::regtype), ('int4'), ('int8'), ('text'), ('name'), ('bool'),
								   ('numeric'), ('float8'), ('date'), ('timestamptz'), ('interval'),
								   ('jsonb'), ('oid'), ('int4[]'), ('int8[]'), ('text[]')),
				 inst(elem) AS (VALUES ('int4'::regtype), ('int8'), ('text')),
				 ops AS (
				SELECT op.oprname, op.oprleft, op.oprright, op.oprresult, pr.proname
				FROM pg_operator op JOIN pg_proc pr ON pr.oid = op.oprcode
				WHERE op.oprnamespace = 'pg_catalog'::regnamespace)
			SELECT ops.oprname, nullif(ops.oprleft, 0)::regtype::text AS l, ops.oprright::regtype::text AS r,
				   ops.oprresult::regtype::text AS res, ops.proname
			FROM ops
			WHERE (ops.oprleft = 0 OR ops.oprleft IN (SELECT typ FROM t)) AND ops.oprright IN (SELECT typ FROM t)
			  AND ops.oprresult NOT IN ('anyelement'::regtype, 'anyarray'::regtype, 'anycompatible'::regtype,
										'anycompatiblearray'::regtype)
			UNION
			SELECT ops.oprname,
				   replace(replace(ops.oprleft::regtype::text, 'anycompatiblearray', e || '[]'), 'anyarray', e || '[]'),
				   replace(replace(replace(ops.oprright::regtype::text, 'anycompatiblearray', e || '[]'), 'anyarray', e || '[]'), 'anycompatible', e),
				   replace(replace(replace(ops.oprresult::regtype::text, 'anycompatiblearray', e || '[]'), 'anyarray', e || '[]'), 'anycompatible', e),
				   ops.proname
			FROM ops, inst, LATERAL (SELECT inst.elem::text AS e) x
			WHERE ops.oprleft IN ('anyarray'::regtype, 'anycompatiblearray'::regtype)
			  AND ops.oprright IN ('anyarray'::regtype, 'anycompatiblearray'::regtype, 'anycompatible'::regtype)
		LOOP
			n := n + 1;
			fname := 'sec_hostile_op_' || n;
			IF o.l IS NULL THEN
				EXECUTE format('CREATE FUNCTION %I.%I(b %s) RETURNS %s LANGUAGE plpgsql SET search_path = pg_catalog AS $f$'
							   'BEGIN PERFORM public.sec_hostile_mark(%L); RETURN pg_catalog.%I(b); END $f$',
							   s, fname, o.r, o.res, s || '.' || o.oprname || '(' || o.r || ')', o.proname);
			ELSE
				EXECUTE format('CREATE FUNCTION %I.%I(a %s, b %s) RETURNS %s LANGUAGE plpgsql SET search_path = pg_catalog AS $f$'
							   'BEGIN PERFORM public.sec_hostile_mark(%L); RETURN pg_catalog.%I(a, b); END $f$',
							   s, fname, o.l, o.r, o.res, s || '.' || o.oprname || '(' || o.l || ',' || o.r || ')', o.proname);
			END IF;
			BEGIN
				EXECUTE format('CREATE OPERATOR %s.%s (%s RIGHTARG = %s, FUNCTION = %I.%I)', s, o.oprname,
							   CASE WHEN o.l IS NULL THEN '' ELSE format('LEFTARG = %s,', o.l) END, o.r, s, fname);
				INSERT INTO sec_planted VALUES (s, 'operator', o.oprname);
			EXCEPTION WHEN duplicate_function OR duplicate_object THEN
				NULL;
			END;
		END LOOP;

		-- Look-alikes of pg_catalog functions that uphub's SQL bodies call.
		FOR f IN
			SELECT p.proname, pg_get_function_identity_arguments(p.oid) AS args,
				   p.prorettype::regtype::text AS ret, p.pronargs,
				   array_to_string(ARRAY(SELECT '$' || i FROM generate_series(1, p.pronargs) i), ', ') AS pass
			FROM pg_proc p
			WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.prokind = 'f' AND NOT p.proretset
			  AND p.pronargs > 0 AND p.provariadic = 0
			  AND p.proname IN (SELECT DISTINCT lower(m[1]) FROM pg_proc u,
								LATERAL regexp_matches(u.prosrc, '([A-Za-z_][A-Za-z0-9_]*)\s*\(', 'g') m
								WHERE u.pronamespace = 'uphub'::regnamespace)
			  AND NOT EXISTS (SELECT 1 FROM unnest(p.proargtypes::regtype[] || p.prorettype::regtype) t
							  WHERE t::text LIKE 'any%' OR t::text IN ('internal', '"any"', 'cstring', 'record', 'trigger', 'void'))
		LOOP
			BEGIN
				EXECUTE format('CREATE FUNCTION %I.%I(%s) RETURNS %s LANGUAGE plpgsql SET search_path = pg_catalog AS $f$'
							   'BEGIN PERFORM public.sec_hostile_mark(%L); RETURN pg_catalog.%I(%s); END $f$',
							   s, f.proname, f.args, f.ret, s || '.' || f.proname || '(' || f.args || ')', f.proname, f.pass);
				INSERT INTO sec_planted VALUES (s, 'catalog function', f.proname);
			EXCEPTION WHEN duplicate_function THEN
				NULL;
			END;
		END LOOP;
		-- Better matches than VARIADIC "any", and a coalesce look-alike.
		FOR f IN SELECT * FROM (VALUES ('format', 'text, text'), ('format', 'text, text, text'),
									   ('format', 'text, bigint'), ('concat_ws', 'text, text, text'),
									   ('concat_ws', 'text, text, bigint'), ('concat', 'text, text'),
									   ('coalesce', 'bigint, bigint'), ('coalesce', 'text, text'),
									   ('now', ''), ('current_setting', 'text')) v(proname, args) LOOP
			BEGIN
				EXECUTE format('CREATE FUNCTION %I.%I(%s) RETURNS text LANGUAGE plpgsql SET search_path = pg_catalog AS $f$'
							   'BEGIN PERFORM public.sec_hostile_mark(%L); RETURN NULL; END $f$',
							   s, f.proname, f.args, s || '.' || f.proname || '(' || f.args || ')');
				INSERT INTO sec_planted VALUES (s, 'catalog function', f.proname);
			EXCEPTION WHEN duplicate_function THEN
				NULL;
			END;
		END LOOP;

		-- Shadows of uphub's own functions (check_access, _rbac_actor, _rbac_holds, ...).
		FOR f IN
			SELECT p.proname, pg_get_function_arguments(p.oid) AS args, pg_get_function_result(p.oid) AS ret
			FROM pg_proc p
			WHERE p.pronamespace = 'uphub'::regnamespace AND p.prokind = 'f'
			  AND p.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype)
		LOOP
			BEGIN
				EXECUTE format('CREATE FUNCTION %I.%I(%s) RETURNS %s LANGUAGE plpgsql SET search_path = pg_catalog AS $f$'
							   'BEGIN PERFORM public.sec_hostile_mark(%L); RAISE EXCEPTION %L; END $f$',
							   s, f.proname, f.args, f.ret, s || '.' || f.proname, 'hostile ' || f.proname);
				INSERT INTO sec_planted VALUES (s, 'uphub look-alike', f.proname);
			EXCEPTION WHEN duplicate_function THEN
				NULL;
			END;
		END LOOP;
	END LOOP;
	-- The planted objects are usable by everyone.
	EXECUTE (SELECT 'GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO PUBLIC');
END;
$$;
SELECT schema, kind, count(*) >= CASE kind WHEN 'operator' THEN 100 WHEN 'catalog function' THEN 10 ELSE 50 END AS planted
FROM sec_planted GROUP BY 1, 2 ORDER BY 1, 2;
-- The planted "=" wins for a query that does not qualify it: the trap works.
SET LOCAL search_path = pg_temp, public, pg_catalog;
SELECT 1::bigint = 1::bigint AS trap_armed;
SET LOCAL search_path = pg_catalog;
SELECT last_value > 0 AS trap_fired FROM public.sec_hostile_runs;
ALTER SEQUENCE public.sec_hostile_runs RESTART;
SELECT nextval('public.sec_hostile_runs') = 1 AS witness_reset;
ALTER SEQUENCE public.sec_hostile_runs RESTART;
TRUNCATE public.sec_hostile_log;

-- 3. Call everything under the hostile search_path.
-- Plausible argument values by argument name and type; a type alone is the
-- fallback, anything else is passed as a typed NULL.
CREATE TEMP TABLE sec_sample (argname text, argtype regtype, literal text);
INSERT INTO sec_sample VALUES
	('role', 'text', '''analyst'''), ('senior', 'text', '''analyst'''), ('junior', 'text', '''ingest'''),
	('principal', 'text', '''sec_target'''), ('permission', 'text', '''stats.read'''),
	('scope_kind', 'text', '''creator'''), ('name', 'text', '''sec_name'''),
	('table_name', 'text', '''video_snapshot'''), ('operation_name', 'text', '''SecQuery'''),
	('operation_type', 'text', '''query'''), ('kind', 'text', '''ssd'''), ('action', 'text', '''add'''),
	('query', 'text', '''{ __typename }'''), (NULL, 'text', '''sec_text'''),
	('roles', 'text[]', 'ARRAY[''analyst'', ''ingest'']'), (NULL, 'text[]', 'ARRAY[''sec_text'']'),
	('pg_role', 'name', '''sec_nobody'''), (NULL, 'name', '''sec_nobody'''),
	('principal_id', 'bigint', '1'), ('rows', 'bigint', '3'), (NULL, 'bigint', '90101'),
	('n', 'integer', '2'), (NULL, 'integer', '1'), (NULL, 'smallint', '1'),
	(NULL, 'integer[]', 'ARRAY[1]'), (NULL, 'bigint[]', 'ARRAY[90101]'),
	(NULL, 'boolean', 'true'), (NULL, 'double precision', '0.001'), (NULL, 'numeric', '1.5'),
	(NULL, 'timestamp with time zone', '''2024-01-15 12:00+08'''), (NULL, 'date', '''2024-01-15'''),
	(NULL, 'interval', '''1 day'''), (NULL, 'jsonb', '''{}'''), (NULL, 'json', '''{}''');
CREATE FUNCTION pg_temp.sec_literal(argname text, argtype regtype) RETURNS text
	LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
	SELECT coalesce((SELECT s.literal FROM pg_temp.sec_sample s WHERE s.argname = $1 AND s.argtype = $2),
					(SELECT s.literal FROM pg_temp.sec_sample s WHERE s.argname IS NULL AND s.argtype = $2),
					'NULL') || '::' || $2::text
$$;

-- Every uphub function (plausible arguments, then NULLs), and every relation
-- read, updated in place and deleted from (triggers and policies run).
CREATE TEMP TABLE sec_call (fn regprocedure, variant text, stmt text);
INSERT INTO sec_call
SELECT p.oid::regprocedure, v.variant,
	   format('SELECT * FROM uphub.%I(%s)', p.proname, coalesce(
		   (SELECT string_agg(CASE WHEN p.provariadic <> 0 AND a.i = p.pronargs THEN 'VARIADIC ' ELSE '' END
							  || CASE v.variant WHEN 'plausible' THEN pg_temp.sec_literal(n.names[a.i], a.typ)
												ELSE 'NULL::' || a.typ::text END, ', ' ORDER BY a.i)
			FROM unnest(p.proargtypes::regtype[]) WITH ORDINALITY a(typ, i)), ''))
FROM pg_proc p
CROSS JOIN (VALUES ('plausible'), ('nulls')) v(variant)
CROSS JOIN LATERAL (SELECT array_agg(x.n ORDER BY x.o) AS names
					FROM unnest(p.proargnames, p.proargmodes) WITH ORDINALITY x(n, m, o)
					WHERE x.m IS NULL OR x.m IN ('i', 'b', 'v')) n
WHERE p.pronamespace = 'uphub'::regnamespace AND p.prokind = 'f'
  AND p.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype);
INSERT INTO sec_call
SELECT NULL, 'relation', s.stmt
FROM pg_class c
CROSS JOIN LATERAL (SELECT a.attname FROM pg_attribute a
					WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
					  AND a.attidentity = '' AND a.attgenerated = '' ORDER BY a.attnum LIMIT 1) col
CROSS JOIN LATERAL (VALUES (format('SELECT pg_catalog.count(*) FROM uphub.%I', c.relname)),
						   (CASE WHEN c.relkind IN ('r', 'p') THEN format('UPDATE uphub.%I SET %I = %I', c.relname, col.attname, col.attname) END),
						   (CASE WHEN c.relkind IN ('r', 'p') THEN format('DELETE FROM uphub.%I WHERE false', c.relname) END)) s(stmt)
WHERE c.relnamespace = 'uphub'::regnamespace AND c.relkind IN ('r', 'p', 'v') AND s.stmt IS NOT NULL;
CREATE TEMP TABLE sec_result (who text, fn regprocedure, variant text, stmt text, outcome text);
GRANT SELECT ON sec_call, sec_sample TO PUBLIC;
GRANT INSERT ON sec_result TO PUBLIC;
GRANT SELECT ON public.sec_hostile_runs TO PUBLIC;

-- The harness switches to the hostile search_path only around each call;
-- its own statements call nothing unqualified.
CREATE FUNCTION pg_temp.sec_run(who text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	c record;
	outcome text;
	before bigint;
BEGIN
	FOR c IN SELECT * FROM pg_temp.sec_call ORDER BY fn::text COLLATE "C", variant, stmt COLLATE "C" LOOP
		before := pg_catalog.pg_sequence_last_value('public.sec_hostile_runs'::regclass);
		PERFORM pg_catalog.set_config('search_path', 'pg_temp, public, pg_catalog', true);
		BEGIN
			EXECUTE c.stmt;
			outcome := 'ok';
		EXCEPTION WHEN OTHERS THEN
			outcome := SQLSTATE;
		END;
		PERFORM pg_catalog.set_config('search_path', 'pg_catalog', true);
		IF pg_catalog.pg_sequence_last_value('public.sec_hostile_runs'::regclass) IS DISTINCT FROM before THEN
			outcome := 'HOSTILE OBJECT RAN (' || outcome || ')';
		END IF;
		INSERT INTO pg_temp.sec_result VALUES (who, c.fn, c.variant, c.stmt, outcome);
	END LOOP;
END;
$$;

SELECT pg_temp.sec_run('superuser');
SET ROLE sec_admin;
SELECT pg_temp.sec_run('global admin');
SET ROLE sec_manager;
SELECT pg_temp.sec_run('scoped admin');
SET ROLE sec_gateway;
SELECT uphub.act_as('sec_acted');
SELECT pg_temp.sec_run('gateway acting');
SET ROLE sec_nobody;
SELECT pg_temp.sec_run('no principal');
RESET ROLE;

-- Verdict: no hostile object ran, ever (the sequence is not rolled back);
-- no internal error; the calls went deep enough to mean something.
SELECT coalesce(pg_sequence_last_value('public.sec_hostile_runs'), 0) AS hostile_objects_run;
SELECT DISTINCT object AS hostile_object_that_ran FROM public.sec_hostile_log ORDER BY 1;
SELECT who, coalesce(fn::text, stmt) AS call, variant, outcome FROM sec_result
WHERE outcome LIKE 'HOSTILE%' OR outcome LIKE 'XX%' ORDER BY 1, 2, 3;
SELECT count(DISTINCT fn) >= 60 AS functions_called,
	   count(DISTINCT stmt) FILTER (WHERE fn IS NULL) >= 40 AS relation_statements,
	   count(*) FILTER (WHERE who = 'global admin' AND outcome = 'ok') >= 60 AS admin_calls_succeeded,
	   count(*) FILTER (WHERE who = 'scoped admin' AND outcome = '42501') >= 20 AS scoped_admin_denials,
	   count(*) FILTER (WHERE who = 'no principal' AND outcome = 'ok' AND fn IS NOT NULL) >= 5 AS public_calls_succeeded
FROM sec_result;
ROLLBACK;
-- Denials were audited by their own transactions; they go with the test roles.
DELETE FROM uphub.audit_log WHERE pg_role LIKE 'sec\_%';
