-- Request limits: depth, fields after fragment expansion, aliases of one
-- field, document size and token count. A violation is a request error
-- (no "data" key, nothing runs) with extensions.code TOO_COMPLEX.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
BEGIN;
SHOW uphub.graphql_max_depth;
SHOW uphub.graphql_max_fields;
SHOW uphub.graphql_max_aliases;
SHOW uphub.graphql_max_document_bytes;
SHOW uphub.graphql_max_tokens;

-- Depth: a root field is 1.
SET LOCAL uphub.graphql_max_depth = 2;
SELECT uphub.graphql('{ partitions { totalCount } }');
SELECT uphub.graphql('{ partitions { nodes { name } } }');
-- Through fragments too; introspection is not counted.
SELECT uphub.graphql('query { partitions { ...P } } fragment P on PartitionConnection { nodes { tid } }');
SELECT uphub.graphql('{ __schema { queryType { fields { name } } } }') ? 'data' AS introspection_runs;
RESET uphub.graphql_max_depth;

-- Fields, counted after expanding fragments (a fragment spread twice counts twice).
SET LOCAL uphub.graphql_max_fields = 4;
SELECT uphub.graphql('{ partitions { nodes { tid name } } }');
SELECT uphub.graphql('query { a: partitions { ...N } b: partitions { ...N } } fragment N on PartitionConnection { nodes { tid } }');
RESET uphub.graphql_max_fields;

-- Aliases of the same field in one selection set.
SET LOCAL uphub.graphql_max_aliases = 2;
SELECT uphub.graphql('{ a: partition(tid: 1) { name } b: partition(tid: 2) { name } }');
SELECT uphub.graphql('{ a: partition(tid: 1) { name } b: partition(tid: 2) { name } c: partition(tid: 3) { name } }');
SELECT uphub.graphql('{ partition(tid: 1) { a: name b: name c: name } }');
-- The default (30) stops the classic alias flood.
RESET uphub.graphql_max_aliases;
SELECT uphub.graphql('{ ' || string_agg('a' || i || ': __typename', ' ') || ' }') -> 'errors'
FROM generate_series(1, 31) i;
SELECT (uphub.graphql('{ ' || string_agg('a' || i || ': partition(tid: 1) { tid }', ' ') || ' }') -> 'errors') IS NULL AS thirty_pass
FROM generate_series(1, 30) i;

-- Document size in bytes.
SET LOCAL uphub.graphql_max_document_bytes = 64;
SELECT uphub.graphql('{ partitions { totalCount } }');
SELECT uphub.graphql('{ partitions { totalCount } }' || repeat(' ', 40));
RESET uphub.graphql_max_document_bytes;

-- Tokens.
SET LOCAL uphub.graphql_max_tokens = 8;
SELECT uphub.graphql('{ partitions { totalCount } }');
SELECT uphub.graphql('{ partitions { totalCount nodes { tid } } }');
RESET uphub.graphql_max_tokens;

-- The limits are the superuser's to set (ALTER ROLE ... SET for a role).
CREATE ROLE gql_l_user;
SET LOCAL ROLE gql_l_user;
SET uphub.graphql_max_depth = 100;
ROLLBACK;
DROP ROLE IF EXISTS gql_l_user;
