-- Injection: SQL metacharacters and payloads through every argument kind
-- (strings in filters, like patterns, enum-looking names, hand-crafted
-- cursors containing SQL, variables, aliases, operation names) never change
-- the SQL's meaning: values are bound parameters, identifiers come from the
-- catalog. Each probe is answered exactly as the plain value would be, and
-- the table is intact afterwards.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
BEGIN;
CREATE SCHEMA gql_x;
CREATE TABLE gql_x.note (id integer PRIMARY KEY, body text, n integer);
INSERT INTO gql_x.note VALUES (1, 'plain', 1), (5, E'\\\u00e9"', 5), (2, $$it's; DROP TABLE gql_x.note; --$$, 2), (3, '%_\', 3), (4, $q$") OR 1=1 --$q$, 4);
SET LOCAL uphub.graphql_schemas = 'gql_x';

SELECT probe, uphub.graphql(q, v) -> 'data' AS data, uphub.graphql(q, v) -> 'errors' -> 0 -> 'extensions' ->> 'code' AS error
FROM (VALUES
	('quote in eq', '{ notes(filter: {body: {eq: "it''s; DROP TABLE gql_x.note; --"}}) { nodes { id } } }', NULL::jsonb),
	('quote via variable', 'query ($b: String) { notes(filter: {body: {eq: $b}}) { nodes { id } } }', '{"b": "x'' OR ''1''=''1"}'),
	('like metacharacters literal in contains', '{ notes(filter: {body: {contains: "%_\\"}}) { nodes { id } } }', NULL),
	('like pattern stays a pattern', '{ notes(filter: {body: {like: "%\\\\%"}}) { nodes { id } } }', NULL),
	('startsWith with wildcard', '{ notes(filter: {body: {startsWith: "%"}}) { nodes { id } } }', NULL),
	('endsWith with SQL', '{ notes(filter: {body: {endsWith: "OR 1=1 --"}}) { nodes { id } } }', NULL),
	('ilike with close paren', '{ notes(filter: {body: {ilike: "\") or 1=1 --"}}) { nodes { id } } }', NULL),
	('in list with payloads', '{ notes(filter: {body: {in: ["a'' OR true --", "plain"]}}) { nodes { id } } }', NULL),
	('int given SQL', '{ notes(filter: {n: {eq: "1 OR 1=1"}}) { nodes { id } } }', NULL),
	('int variable given SQL', 'query ($n: Int) { notes(filter: {n: {eq: $n}}) { nodes { id } } }', '{"n": "1; DROP TABLE gql_x.note"}'),
	('enum-looking direction', '{ notes(orderBy: [{id: DESC; DROP}]) { nodes { id } } }', NULL),
	('direction via variable', 'query ($o: [NoteOrderBy!]) { notes(orderBy: $o) { nodes { id } } }', '{"o": [{"id": "DESC) UNION SELECT 1 --"}]}'),
	('field name via variable', 'query ($f: NoteFilter) { notes(filter: $f) { nodes { id } } }', '{"f": {"id) OR (1=1": {"eq": 1}}}'),
	('cursor with SQL', format('{ notes(after: "%s") { nodes { id } } }', encode($c$["x'); DROP TABLE gql_x.note; --", 1]$c$::bytea, 'base64')), NULL),
	('cursor with SQL in a key value', format('{ notes(after: "%s") { nodes { id } } }',
		translate(encode(convert_to(json_build_array(
			(uphub.graphql('{ notes(first: 1) { pageInfo { endCursor } } }') #>> '{data,notes,pageInfo,endCursor}')::text, '1) OR (1=1')::text, 'UTF8'), 'base64'), E'\n', '')), NULL),
	('alias keys', '{ a_b: notes(first: 1) { x__y: nodes { id } } }', NULL),
	('string with NUL escape', '{ notes(filter: {body: {eq: "a\u0000b"}}) { nodes { id } } }', NULL),
	('unicode and backslashes', '{ notes(filter: {body: {eq: "\\\u00e9\""}}) { nodes { id } } }', NULL),
	('json-looking variable for a string', 'query ($b: String) { notes(filter: {body: {eq: $b}}) { nodes { id } } }', '{"b": "\") OR 1=1 --"}')
) AS p(probe, q, v);

-- A forged cursor whose key value is SQL: the value is bound, so its type input rejects it.
SELECT uphub.graphql(format('{ notes(after: "%s") { nodes { id } } }', translate(encode(convert_to(json_build_array(
	(convert_from(decode(uphub.graphql('{ notes(first: 1) { pageInfo { endCursor } } }') #>> '{data,notes,pageInfo,endCursor}', 'base64'), 'UTF8')::jsonb ->> 0),
	'1) OR (1=1')::text, 'UTF8'), 'base64'), E'\n', ''))) -> 'errors' -> 0 -> 'extensions';
-- Operation names are only compared with the document's names.
SELECT uphub.graphql('query A { notes { totalCount } }', NULL, $$A'; DROP TABLE gql_x.note; --$$);
SELECT uphub.graphql('query A { notes { totalCount } }', NULL, 'A');
-- Aliases that look like SQL cannot be written: a GraphQL name is [_A-Za-z][_0-9A-Za-z]*.
SELECT uphub.graphql($${ "x'": notes { totalCount } }$$) -> 'errors' -> 0 ->> 'message';
-- Everything is still there.
SELECT id, body FROM gql_x.note ORDER BY id;
ROLLBACK;
