#!/usr/bin/env bash
# security_gql_injection — SQL injection through every GraphQL input position.
#
# Runs in `make test` against the test cluster (PGHOST/PGPORT/PGUSER/
# PGDATABASE set). Exits 3 ("not run") when uphub.graphql() is missing, so
# it never passes by skipping.
#
# Generic over the reflected schema: the introspection of Query and Mutation
# gives every root field, every argument and every input-object field
# (filters: eq, neq, in, like, startsWith, ...; orderBy; cursors; mutation
# objects and sets). Each position of a scalar type (String, BigInt, Int,
# Cursor, Date, Datetime, JSON, ...) receives each payload below, as a
# variable and, where the GraphQL grammar allows, as an inline literal; the
# operation name and extensions (persisted-query hash) receive them too.
#
# A payload "worked" if any of these happens, and then the check fails:
# the canary table is gone or changed, the planted function ran (sequence,
# not undone by rollback), a response carries SQLSTATE 42601/42703/42P01/
# 42883 (SQL text was built from the input), INTERNAL_SERVER_ERROR, or a
# response is not a JSON object with "data" and/or "errors". Mutations run
# inside a transaction that is rolled back.
set -euo pipefail
psql=(psql -X -q -v ON_ERROR_STOP=1 -At)
"${psql[@]}" -c "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS uphub"
if [ "$("${psql[@]}" -c "SELECT to_regprocedure('uphub.graphql(text,jsonb,text,jsonb)') IS NOT NULL")" != t ]; then
	echo "uphub.graphql() does not exist: security_gql_injection not run"
	exit 3
fi

"${psql[@]}" <<'SQL'
SET client_min_messages = warning;
BEGIN;
CREATE TABLE public.gql_canary (id int PRIMARY KEY, note text);
INSERT INTO public.gql_canary VALUES (1, 'intact');
CREATE SEQUENCE public.gql_pwned_runs;
CREATE FUNCTION public.gql_pwned() RETURNS int LANGUAGE sql AS $$ SELECT nextval('public.gql_pwned_runs')::int $$;
GRANT EXECUTE ON FUNCTION public.gql_pwned() TO PUBLIC;
GRANT USAGE ON SEQUENCE public.gql_pwned_runs TO PUBLIC;
INSERT INTO uphub.partition VALUES (990, NULL, 'inj');
INSERT INTO uphub.creator (mid, name, main_tid) VALUES (99001, 'inj', 990);

CREATE TEMP TABLE payload (p text);
INSERT INTO payload VALUES
	($p$'); DROP TABLE public.gql_canary; --$p$), ($p$' OR '1'='1$p$), ($p$" OR "1"="1$p$),
	($p$1 OR 1=1$p$), ($p$1; SELECT public.gql_pwned()$p$), ($p$$1$p$), ($p$$$; SELECT public.gql_pwned(); $$$p$),
	($p$*/ SELECT public.gql_pwned() /*$p$), ($p$\'; SELECT public.gql_pwned(); --$p$), ($p$%s%I%L$p$),
	($p$ʼ OR ʼ1ʼ=ʼ1$p$), ($p$mid") FROM uphub.creator; --$p$), ($p$creator" WHERE public.gql_pwned() > 0 --$p$),
	($p$9223372036854775808$p$), ($p$-9223372036854775809$p$), ($p$1e309$p$), ($p$NaN$p$),
	($p$2024-01-01'::date; SELECT public.gql_pwned()--$p$), (repeat('A', 100000)), ($p$$p$), (E'line\nbreak'),
	($p$UPDATE public.gql_canary SET note = 'pwned'$p$), ($p$public.gql_pwned()$p$);

CREATE TEMP TABLE response (at_position text, payload text, body jsonb);
CREATE FUNCTION pg_temp.ask(at_position text, payload text, query text, variables jsonb,
	operation text DEFAULT NULL, extensions jsonb DEFAULT NULL) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	r jsonb;
BEGIN
	BEGIN
		r := uphub.graphql(query, variables, operation, extensions);
	EXCEPTION WHEN others THEN
		r := jsonb_build_object('sql_error', SQLSTATE, 'message', SQLERRM);
	END;
	INSERT INTO pg_temp.response VALUES (at_position, left(payload, 60), r);
END;
$$;

-- The schema as the caller sees it.
CREATE TEMP TABLE schema_types AS
SELECT t AS type FROM jsonb_array_elements(uphub.graphql($q$
	query { __schema { queryType { name } mutationType { name } types { name kind
		fields { name args { name type { ...T } } type { ...T } }
		inputFields { name type { ...T } } } } }
	fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }
$q$)->'data'->'__schema'->'types') t;

-- Innermost named type of a type reference, and the GraphQL text of the reference.
CREATE FUNCTION pg_temp.named(t jsonb) RETURNS text LANGUAGE sql AS $$
	SELECT coalesce(t->>'name', t->'ofType'->>'name', t->'ofType'->'ofType'->>'name', t->'ofType'->'ofType'->'ofType'->>'name') $$;
CREATE FUNCTION pg_temp.typeref(t jsonb) RETURNS text LANGUAGE sql AS $$
	SELECT CASE t->>'kind' WHEN 'NON_NULL' THEN pg_temp.typeref(t->'ofType') || '!'
						   WHEN 'LIST' THEN '[' || pg_temp.typeref(t->'ofType') || ']' ELSE t->>'name' END $$;
CREATE FUNCTION pg_temp.kind_of(name text) RETURNS text LANGUAGE sql AS $$
	SELECT type->>'kind' FROM pg_temp.schema_types WHERE type->>'name' = name $$;

-- Every (root field, argument path, scalar type) position, input objects
-- expanded two levels deep (filter: {col: {eq: $v}}, filter: {rel: {filter: ...}}).
CREATE TEMP TABLE input_position AS
WITH roots AS (
	SELECT f->>'name' AS field, CASE WHEN s.type->>'name' = 'Mutation' THEN 'mutation' ELSE 'query' END AS op, f AS def
	FROM pg_temp.schema_types s, jsonb_array_elements(s.type->'fields') f
	WHERE s.type->>'name' IN ('Query', 'Mutation')
), args AS (
	SELECT r.field, r.op, a->>'name' AS arg, a->'type' AS typ FROM roots r, jsonb_array_elements(r.def->'args') a
), lvl1 AS (
	SELECT field, op, arg AS path, typ FROM args
	UNION ALL
	SELECT a.field, a.op, a.arg || '.' || (i->>'name'), i->'type'
	FROM args a JOIN pg_temp.schema_types s ON s.type->>'name' = pg_temp.named(a.typ) AND s.type->>'kind' = 'INPUT_OBJECT',
		 jsonb_array_elements(s.type->'inputFields') i
), lvl2 AS (
	SELECT * FROM lvl1
	UNION ALL
	SELECT l.field, l.op, l.path || '.' || (i->>'name'), i->'type'
	FROM lvl1 l JOIN pg_temp.schema_types s ON s.type->>'name' = pg_temp.named(l.typ) AND s.type->>'kind' = 'INPUT_OBJECT',
		 jsonb_array_elements(s.type->'inputFields') i
	WHERE l.path LIKE '%.%' IS FALSE
)
SELECT DISTINCT field, op, path, pg_temp.named(typ) AS scalar, pg_temp.typeref(typ) AS ref
FROM lvl2 WHERE pg_temp.kind_of(pg_temp.named(typ)) = 'SCALAR';

DO $$
DECLARE
	pos record;
	pl text;
	parts text[];
	arg_value text;
	selection text;
	q text;
BEGIN
	FOR pos IN SELECT * FROM input_position ORDER BY field, path LOOP
		parts := string_to_array(pos.path, '.');
		-- {a: {b: {c: $v}}} built from the path; the variable carries the payload.
		arg_value := '$v';
		FOR i IN REVERSE array_length(parts, 1) .. 2 LOOP
			arg_value := '{' || parts[i] || ': ' || arg_value || '}';
		END LOOP;
		selection := CASE WHEN pos.op = 'mutation' THEN '{ __typename }' ELSE '{ __typename }' END;
		q := format('%s Inj($v: %s) { %s(%s: %s) %s }', pos.op, regexp_replace(pos.ref, '!$', ''),
					pos.field, parts[1], arg_value, selection);
		FOR pl IN SELECT p FROM payload LOOP
			PERFORM pg_temp.ask(pos.field || '(' || pos.path || ')', pl, q, jsonb_build_object('v', pl));
		END LOOP;
	END LOOP;
	-- Operation names and persisted-query hashes.
	FOR pl IN SELECT p FROM payload LOOP
		PERFORM pg_temp.ask('operationName', pl, 'query A { __typename } query B { __typename }', NULL, pl);
		PERFORM pg_temp.ask('persistedQuery', pl, NULL, NULL, NULL,
							jsonb_build_object('persistedQuery', jsonb_build_object('version', 1, 'sha256Hash', pl)));
	END LOOP;
END;
$$;

-- Verdict.
SET client_min_messages = notice;
DO $$
DECLARE
	n bigint;
	bad record;
BEGIN
	IF to_regclass('public.gql_canary') IS NULL OR (SELECT note FROM public.gql_canary WHERE id = 1) <> 'intact' THEN
		RAISE EXCEPTION 'injection: the canary table was dropped or changed';
	END IF;
	SELECT CASE WHEN is_called THEN last_value ELSE 0 END INTO n FROM public.gql_pwned_runs;
	IF n > 0 THEN
		RAISE EXCEPTION 'injection: the planted function ran % times', n;
	END IF;
	FOR bad IN SELECT at_position, payload, body FROM response
			   WHERE body ? 'sql_error'
				  OR jsonb_typeof(body) <> 'object' OR NOT (body ? 'data' OR body ? 'errors')
				  OR body::text ~ '"sqlstate": "(42601|42703|42P01|42883)"'
				  -- a data or constraint error (22xxx, 23xxx) of a mutation is the
				  -- value being refused as data: BAD_USER_INPUT, so any internal
				  -- error (whatever its SQLSTATE) is suspicious
				  OR body::text LIKE '%INTERNAL_SERVER_ERROR%'
				  OR (body::text ~ '"sqlstate": "2[23][0-9A-Z]{3}"'
					  AND body::text !~ '"code": "BAD_USER_INPUT"')
			   LIMIT 20 LOOP
		RAISE WARNING 'suspicious response at % for payload %: %', bad.at_position, bad.payload, left(bad.body::text, 300);
	END LOOP;
	IF FOUND THEN
		RAISE EXCEPTION 'injection: suspicious responses (see warnings)';
	END IF;
	SELECT count(DISTINCT at_position) INTO n FROM response;
	IF n < 50 THEN
		RAISE EXCEPTION 'only % input positions reached: is the schema reflected?', n;
	END IF;
	RAISE NOTICE 'security_gql_injection: % positions x % payloads, nothing injected', n, (SELECT count(*) FROM payload);
END;
$$;
ROLLBACK;
SQL
echo "security_gql_injection: ok"
