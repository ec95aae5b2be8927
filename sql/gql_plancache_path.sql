-- The search_path a GraphQL request runs under, on plan cache misses and
-- hits: always "pg_catalog, <uphub.graphql_schemas>, pg_temp" (built once
-- per schema list and reused, so a changed list must be seen), never the
-- caller's, and the caller's is back afterwards, also after a runtime error
-- in a root field. A kept plan that PostgreSQL replans (ANALYZE invalidates
-- it without touching uphub's schema version, so the document stays
-- cached) is replanned under the pinned path too: an operator planted in
-- the caller's schema never runs. Lazily printed type names in variable
-- errors read the same on a hit as on a miss.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
-- Plan cache hits and misses since the last call.
CREATE TABLE pg_temp.sp_base (hits float8, misses float8);
INSERT INTO pg_temp.sp_base VALUES (0, 0);
CREATE FUNCTION pg_temp.delta() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	h float8;
	m float8;
	r text;
BEGIN
	SELECT value INTO h FROM uphub.counters WHERE name = 'uphub_graphql_plan_cache_hits_total';
	SELECT value INTO m FROM uphub.counters WHERE name = 'uphub_graphql_plan_cache_misses_total';
	SELECT format('hits +%s, misses +%s', h - b.hits, m - b.misses) INTO r FROM pg_temp.sp_base b;
	UPDATE pg_temp.sp_base SET hits = h, misses = m;
	RETURN r;
END $$;
BEGIN;
CREATE SCHEMA gql_sp;
CREATE TABLE gql_sp.item (id integer PRIMARY KEY, n integer NOT NULL);
INSERT INTO gql_sp.item VALUES (1, 10), (2, 0);
-- What the request sees: the effective path, and a value that fails on n = 0.
CREATE VIEW gql_sp.probe AS
	SELECT i.id, pg_catalog.current_setting('search_path') AS path, 100 / i.n AS ratio FROM gql_sp.item i;
CREATE SCHEMA gql_sp_other;
SET LOCAL uphub.graphql_schemas = 'gql_sp';
SET LOCAL search_path = public, pg_catalog;
SELECT pg_temp.delta() IS NOT NULL AS baseline;

-- Miss, then hit: the pinned path both times, the caller's path after.
SELECT uphub.graphql('{ probes(filter: {id: {eq: 1}}) { nodes { path ratio } } }');
SELECT uphub.graphql('{ probes(filter: {id: {eq: 1}}) { nodes { path ratio } } }');
SELECT pg_temp.delta();
SHOW search_path;
-- Another schema list (the reused path string follows it), and back.
SET LOCAL uphub.graphql_schemas = 'gql_sp_other, gql_sp';
SELECT uphub.graphql('{ probes(filter: {id: {eq: 1}}) { nodes { path } } }');
SELECT uphub.graphql('{ probes(filter: {id: {eq: 1}}) { nodes { path } } }');
SET LOCAL uphub.graphql_schemas = 'gql_sp';
SELECT uphub.graphql('{ probes(filter: {id: {eq: 1}}) { nodes { path } } }');
SELECT pg_temp.delta();
SHOW search_path;

-- A runtime error (division by zero, through a variable) on a miss and on a
-- hit: the same field error, the other root field keeps its data, the
-- transaction goes on, the caller's path is back.
SELECT uphub.graphql('query R($id: Int!) { bad: probes(filter: {id: {eq: $id}}) { nodes { ratio } } good: probes(filter: {id: {eq: 1}}) { nodes { ratio } } }', '{"id": 2}');
SELECT uphub.graphql('query R($id: Int!) { bad: probes(filter: {id: {eq: $id}}) { nodes { ratio } } good: probes(filter: {id: {eq: 1}}) { nodes { ratio } } }', '{"id": 2}');
SELECT uphub.graphql('query R($id: Int!) { bad: probes(filter: {id: {eq: $id}}) { nodes { ratio } } good: probes(filter: {id: {eq: 1}}) { nodes { ratio } } }', '{"id": 1}');
SELECT pg_temp.delta();
SHOW search_path;
SELECT count(*) AS still_usable FROM gql_sp.item;

-- A planted operator in the caller's schema, found first on the caller's
-- path for integer = integer (the lookup key's comparison).
CREATE TABLE public.gql_sp_hostile_log (at text);
CREATE FUNCTION public.gql_sp_hostile_eq(a integer, b integer) RETURNS boolean
	LANGUAGE plpgsql AS $$ BEGIN INSERT INTO public.gql_sp_hostile_log VALUES ('eq'); RETURN a OPERATOR(pg_catalog.=) b; END $$;
CREATE OPERATOR public.= (LEFTARG = integer, RIGHTARG = integer, FUNCTION = public.gql_sp_hostile_eq);
SELECT 1 = 1 AS planted_operator_wins_for_the_caller;
SELECT count(*) AS hostile_runs FROM public.gql_sp_hostile_log;
TRUNCATE public.gql_sp_hostile_log;
SELECT pg_temp.delta() IS NOT NULL AS rebaseline;
SELECT uphub.graphql('query I($id: Int!) { item(id: $id) { n } }', '{"id": 1}');
SELECT uphub.graphql('query I($id: Int!) { item(id: $id) { n } }', '{"id": 2}');
SELECT pg_temp.delta();
-- ANALYZE invalidates the kept plan without a schema change: the document
-- is still a hit and PostgreSQL replans it, under the pinned path.
ANALYZE gql_sp.item;
SELECT uphub.graphql('query I($id: Int!) { item(id: $id) { n } }', '{"id": 1}');
SELECT pg_temp.delta();
SELECT count(*) AS hostile_runs FROM public.gql_sp_hostile_log;
SHOW search_path;

-- Variable errors print the type the same way on a miss and on a hit.
SELECT uphub.graphql('query V($id: Int!) { item(id: $id) { n } }', '{}');
SELECT uphub.graphql('query V($id: Int!) { item(id: $id) { n } }', '{"id": 1}');
SELECT uphub.graphql('query V($id: Int!) { item(id: $id) { n } }', '{}');
SELECT uphub.graphql('query V($id: Int!) { item(id: $id) { n } }', '{"id": null}');
SELECT uphub.graphql('query V($id: Int!) { item(id: $id) { n } }', '{"id": "x"}');
SELECT uphub.graphql('mutation W($o: [ItemInsertInput!]!) { insertIntoItems(objects: $o) { affectedCount } }', '{"o": [{"id": 3}]}');
SELECT uphub.graphql('mutation W($o: [ItemInsertInput!]!) { insertIntoItems(objects: $o) { affectedCount } }', '{"o": [null]}');
SELECT uphub.graphql('mutation W($o: [ItemInsertInput!]!) { insertIntoItems(objects: $o) { affectedCount } }', '{"o": [{"id": 3}]}');
SELECT pg_temp.delta();
ROLLBACK;

-- A request of one root field: on a hit its subtransaction carries the pin
-- (execute.c). Committed objects this time (dropped at the end): a failing
-- subtransaction of a transaction that ran DDL flushes the caches, so above
-- every request after an error was a miss. The same error on a miss and on
-- a hit, through a collection (translated every time) and through a lookup
-- (bound from its recipe); after each, the caller's path is back and the
-- next hit is pinned again; a planted operator never runs.
CREATE SCHEMA gql_sp;
CREATE TABLE gql_sp.item (id integer PRIMARY KEY, n integer NOT NULL);
INSERT INTO gql_sp.item VALUES (1, 10), (2, 0);
CREATE VIEW gql_sp.probe AS
	SELECT i.id, pg_catalog.current_setting('search_path') AS path, 100 / i.n AS ratio FROM gql_sp.item i;
COMMENT ON VIEW gql_sp.probe IS '@graphql({"primary_key": ["id"]})';
CREATE TABLE public.gql_sp_hostile_log (at text);
CREATE FUNCTION public.gql_sp_hostile_eq(a integer, b integer) RETURNS boolean
	LANGUAGE plpgsql AS $$ BEGIN INSERT INTO public.gql_sp_hostile_log VALUES ('eq'); RETURN a OPERATOR(pg_catalog.=) b; END $$;
CREATE OPERATOR public.= (LEFTARG = integer, RIGHTARG = integer, FUNCTION = public.gql_sp_hostile_eq);
SET uphub.graphql_schemas = 'gql_sp';
SET search_path = public, pg_catalog;
SELECT pg_temp.delta() IS NOT NULL AS baseline;
SELECT uphub.graphql('query S($id: Int!) { probes(filter: {id: {eq: $id}}) { nodes { path ratio } } }', '{"id": 2}');
SELECT uphub.graphql('query S($id: Int!) { probes(filter: {id: {eq: $id}}) { nodes { path ratio } } }', '{"id": 2}');
SHOW search_path;
SELECT uphub.graphql('query S($id: Int!) { probes(filter: {id: {eq: $id}}) { nodes { path ratio } } }', '{"id": 1}');
SELECT pg_temp.delta();
SHOW search_path;
SELECT uphub.graphql('query P($id: Int!) { probe(id: $id) { path ratio } }', '{"id": 2}');
SELECT uphub.graphql('query P($id: Int!) { probe(id: $id) { path ratio } }', '{"id": 2}');
SHOW search_path;
SELECT uphub.graphql('query P($id: Int!) { probe(id: $id) { path ratio } }', '{"id": 1}');
SELECT pg_temp.delta();
SHOW search_path;
-- The same inside the caller's transaction (no DDL in it): the error is the
-- field's, the transaction goes on with the caller's path.
BEGIN;
SELECT uphub.graphql('query P($id: Int!) { probe(id: $id) { path ratio } }', '{"id": 2}');
SHOW search_path;
SELECT uphub.graphql('query P($id: Int!) { probe(id: $id) { path ratio } }', '{"id": 1}');
SELECT uphub.graphql('query I($id: Int!) { item(id: $id) { n } }', '{"id": 1}');
SELECT uphub.graphql('query I($id: Int!) { item(id: $id) { n } }', '{"id": 2}');
SELECT count(*) AS still_usable FROM gql_sp.item;
COMMIT;
SELECT pg_temp.delta();
-- __typename beside it changes nothing; introspection beside it pins the
-- whole request: the same answers.
SELECT uphub.graphql('query P($id: Int!) { __typename probe(id: $id) { path } }', '{"id": 1}');
SELECT uphub.graphql('query P($id: Int!) { __typename probe(id: $id) { path } }', '{"id": 1}');
SELECT uphub.graphql('query P($id: Int!) { __type(name: "Probe") { name } probe(id: $id) { path } }', '{"id": 1}');
SELECT uphub.graphql('query P($id: Int!) { __type(name: "Probe") { name } probe(id: $id) { path } }', '{"id": 1}');
SELECT pg_temp.delta();
SHOW search_path;
SELECT count(*) AS hostile_runs FROM public.gql_sp_hostile_log;
RESET search_path;
RESET uphub.graphql_schemas;
DROP OPERATOR public.= (integer, integer);
DROP FUNCTION public.gql_sp_hostile_eq(integer, integer);
DROP TABLE public.gql_sp_hostile_log;
DROP SCHEMA gql_sp CASCADE;
DROP FUNCTION pg_temp.delta();
DROP TABLE pg_temp.sp_base;
