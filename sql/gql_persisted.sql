-- Automatic persisted queries (Apollo APQ): register with the text and its
-- SHA-256, run by the hash alone, unknown hash, mismatching hash, bad
-- envelopes. Any role may register: the table is content-addressed and only
-- reachable through two SECURITY DEFINER functions.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
BEGIN;
INSERT INTO uphub.partition VALUES (901, NULL, 'apq one');
CREATE FUNCTION pg_temp.apq(q text) RETURNS jsonb LANGUAGE sql AS $$
	SELECT jsonb_build_object('persistedQuery', jsonb_build_object('version', 1,
		'sha256Hash', encode(sha256(convert_to(q, 'UTF8')), 'hex')))
$$;
CREATE ROLE gql_p_client;

-- Unknown hash: the client is told to send the text.
SELECT uphub.graphql(NULL, NULL, NULL, pg_temp.apq('{ partition(tid: 901) { name } }'));
-- Register and run (as an ordinary role).
SET LOCAL ROLE gql_p_client;
SELECT uphub.graphql('{ partition(tid: 901) { name } }', NULL, NULL, pg_temp.apq('{ partition(tid: 901) { name } }'));
-- The hash alone now runs it, with variables and an operation name as usual.
SELECT uphub.graphql(NULL, NULL, NULL, pg_temp.apq('{ partition(tid: 901) { name } }'));
SELECT uphub.graphql('query P($t: Int!) { partition(tid: $t) { tid name } }', '{"t": 901}', 'P',
	pg_temp.apq('query P($t: Int!) { partition(tid: $t) { tid name } }'));
SELECT uphub.graphql(NULL, '{"t": 901}', 'P', pg_temp.apq('query P($t: Int!) { partition(tid: $t) { tid name } }'));
-- The table is not readable directly.
SAVEPOINT denied;
SELECT count(*) FROM uphub.persisted_query;
ROLLBACK TO SAVEPOINT denied;
RESET ROLE;
SELECT hash = encode(sha256(convert_to(query, 'UTF8')), 'hex') AS hash_matches, query
FROM uphub.persisted_query ORDER BY query;
-- Registering again changes nothing; upper-case hex is accepted.
SELECT uphub.graphql('{ partition(tid: 901) { name } }', NULL, NULL,
	jsonb_set(pg_temp.apq('{ partition(tid: 901) { name } }'), '{persistedQuery,sha256Hash}',
		to_jsonb(upper(pg_temp.apq('{ partition(tid: 901) { name } }') #>> '{persistedQuery,sha256Hash}'))));
SELECT count(*) FROM uphub.persisted_query;

-- Mismatch: nothing runs, nothing is stored.
SELECT uphub.graphql('{ partition(tid: 901) { tid } }', NULL, NULL, pg_temp.apq('{ partition(tid: 901) { name } }'));
SELECT count(*) FROM uphub.persisted_query;
-- Bad envelopes.
SELECT uphub.graphql('{ __typename }', NULL, NULL, '{"persistedQuery": {"version": 2, "sha256Hash": "00"}}');
SELECT uphub.graphql('{ __typename }', NULL, NULL, '{"persistedQuery": {"version": 1, "sha256Hash": "xyz"}}');
SELECT uphub.graphql('{ __typename }', NULL, NULL, '{"persistedQuery": "yes"}');
SELECT uphub.graphql(NULL, NULL, NULL, '{"persistedQuery": {"version": 1}}');
-- No query and no persisted query; other extensions are ignored.
SELECT uphub.graphql(NULL, NULL, NULL, '{"tracing": true}');
SELECT uphub.graphql('{ __typename }', NULL, NULL, '{"tracing": true}');
-- A registered text that is not a valid document still answers its errors.
SELECT uphub.graphql('{ nosuch }', NULL, NULL, pg_temp.apq('{ nosuch }'));
SELECT uphub.graphql(NULL, NULL, NULL, pg_temp.apq('{ nosuch }'));
-- Larger than uphub.graphql_max_document_bytes: refused, not stored.
SET LOCAL uphub.graphql_max_document_bytes = 20;
SELECT uphub.graphql('{ partition(tid: 901) { tid } }', NULL, NULL, pg_temp.apq('{ partition(tid: 901) { tid } }'));
SELECT count(*) FROM uphub.persisted_query WHERE query LIKE '%{ tid }%';
-- The storing function re-checks the hash when called directly.
SELECT uphub._graphql_persist_query(repeat('0', 64), '{ __typename }');
SELECT count(*) FROM uphub.persisted_query WHERE query = '{ __typename }';
ROLLBACK;
DROP ROLE IF EXISTS gql_p_client;
