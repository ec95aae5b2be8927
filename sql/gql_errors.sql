-- Every error shape of the response (API.md "Response"): parse and
-- validation errors with locations; unknown operation; limits
-- (TOO_COMPLEX); execution errors with path and sqlstate, where the other
-- root fields keep their data (each runs in its own subtransaction);
-- FORBIDDEN from a permission error; statement_timeout as 57014; a
-- mutation on a schema without mutations. No backend ERROR escapes.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
BEGIN;
SET LOCAL timezone = 'UTC';
CREATE SCHEMA gql_e;
CREATE TABLE gql_e.thing (id integer PRIMARY KEY, name text, parent_id integer REFERENCES gql_e.thing (id));
COMMENT ON CONSTRAINT thing_parent_id_fkey ON gql_e.thing IS '@graphql({"local_name": "parent", "foreign_name": "children"})';
INSERT INTO gql_e.thing VALUES (1, 'one', NULL), (2, 'two', 1), (3, 'three', 2), (4, 'four', 3);
-- A view whose rows fail when read, and a slow one.
CREATE VIEW gql_e.broken AS SELECT id, 1 / (id - 2) AS ratio FROM gql_e.thing;
CREATE VIEW gql_e.slow AS SELECT 1 AS id, pg_sleep(2) IS NULL AS slept;
-- A view its owner may no longer read through: permission denied at run time.
CREATE ROLE gql_e_owner;
CREATE TABLE gql_e.secret (id integer PRIMARY KEY);
CREATE VIEW gql_e.leak AS SELECT id FROM gql_e.secret;
ALTER VIEW gql_e.leak OWNER TO gql_e_owner;
SET LOCAL uphub.graphql_schemas = 'gql_e';

-- Syntax errors: GRAPHQL_PARSE_FAILED with the location.
SELECT jsonb_pretty(uphub.graphql('{ things { nodes { id } }'));
SELECT uphub.graphql(E'{\n  things(first: 1 { nodes { id } } }');
SELECT uphub.graphql('');
SELECT uphub.graphql(NULL);
-- Validation errors: every one reported, in document order, with locations.
SELECT jsonb_pretty(uphub.graphql($$
{
  things { nodes { id nme } }
  thing(id: "x") { name }
  unknown
}
$$));
SELECT uphub.graphql('query Q($x: Int) { things { totalCount } }');
SELECT uphub.graphql('{ a: thing(id: 1) { name } a: thing(id: 2) { name } }');
SELECT uphub.graphql('fragment F on Thing { id } { things { totalCount } }');
-- Operations that cannot run: an unknown mutation field, ambiguous, unknown.
SELECT uphub.graphql('mutation { things { totalCount } }');
SELECT uphub.graphql('query A { things { totalCount } } query B { things { totalCount } }');
-- Limits: depth and fields (after fragment expansion) are TOO_COMPLEX.
SET LOCAL uphub.graphql_max_depth = 3;
SELECT uphub.graphql('{ things { nodes { parent { id } } } }');
SELECT uphub.graphql('{ things { nodes { id } } }');
RESET uphub.graphql_max_depth;
SET LOCAL uphub.graphql_max_fields = 5;
SELECT uphub.graphql('{ things { nodes { ...F ...F } } } fragment F on Thing { id name }');
RESET uphub.graphql_max_fields;

-- Execution errors: the failing root field is null, the others keep their data.
SELECT jsonb_pretty(uphub.graphql($$
{
  ok: things(first: 1) { nodes { id } }
  bad: brokens { nodes { id ratio } }
  alsoOk: thing(id: 4) { name parent { name parent { name } } }
}
$$));
-- A permission error is FORBIDDEN with its sqlstate.
SELECT uphub.graphql('{ leaks { nodes { id } } things { totalCount } }');
-- statement_timeout cancels the running field; later fields report it too.
SET LOCAL statement_timeout = '300ms';
SELECT jsonb_pretty(uphub.graphql('{ first: things { totalCount } slows { nodes { slept } } last: things { totalCount } }'));
RESET statement_timeout;
-- A value that cannot be used: BAD_USER_INPUT with the argument's location.
SELECT uphub.graphql(E'query {\n  things(filter: {id: {in: [1, 2]}}, first: -5) { totalCount }\n  thing(id: 1) { id }\n}');
-- The transaction is still usable after all of the above.
SELECT count(*) FROM gql_e.thing;
ROLLBACK;
