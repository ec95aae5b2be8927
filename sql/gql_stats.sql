-- uphub.stats counts a GraphQL request under its operation's name, also
-- when the request fails before an operation is selected (parse,
-- validation): the name asked for, else the document's only operation.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
-- Counts before (stats outlive a run of the suite): the queries show deltas.
CREATE TEMP TABLE gs_before AS
SELECT operation_name, coalesce(operation_type, '') AS operation_type, sum(calls) AS calls, sum(errors) AS errors
FROM uphub.stats WHERE operation_name LIKE 'GqlStats%' GROUP BY 1, 2;
-- A single named operation that fails validation.
SELECT uphub.graphql('query GqlStatsOnly { noSuchField }') ? 'errors' AS refused;
-- Two operations, one named by operation_name; the other one fails too.
SELECT uphub.graphql('query GqlStatsA { noSuchField } query GqlStatsB { alsoMissing }', NULL, 'GqlStatsB') ? 'errors' AS refused;
-- A parse error with operation_name given.
SELECT uphub.graphql('query GqlStatsBroken {', NULL, 'GqlStatsGiven') ? 'errors' AS refused;
-- An operation_name the document does not have.
SELECT uphub.graphql('query GqlStatsC { __typename }', NULL, 'GqlStatsMissing') ? 'errors' AS refused;
-- Successful requests as before.
SELECT uphub.graphql('query GqlStatsOk { __typename }');
SELECT uphub.graphql('query GqlStatsOk { __typename }');
SELECT a.operation_name, a.operation_type, a.calls - coalesce(b.calls, 0) AS calls,
	a.errors - coalesce(b.errors, 0) AS errors
FROM (SELECT operation_name, coalesce(operation_type, '') AS operation_type, sum(calls) AS calls, sum(errors) AS errors
	  FROM uphub.stats WHERE operation_name LIKE 'GqlStats%' GROUP BY 1, 2) a
LEFT JOIN gs_before b USING (operation_name, operation_type)
WHERE a.calls > coalesce(b.calls, 0) ORDER BY 1;
-- Two operations and no name: nothing to tell them apart, so anonymous
-- (counted, not shown here: other suites share __anonymous__).
SELECT uphub.graphql('query GqlStatsD { a: noSuchField } query GqlStatsE { b: noSuchField }') -> 'errors' -> 0 ->> 'message' AS message;
SELECT count(*) AS named FROM uphub.stats WHERE operation_name IN ('GqlStatsD', 'GqlStatsE');
DROP TABLE gs_before;
