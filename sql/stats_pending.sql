-- Calls are counted in the backend's pending list first (store.c): a reader
-- in the same backend sees them at once, inside the transaction too; a reset
-- drops the pending ones with the rest; an aborted transaction's calls count.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
SELECT uphub.stats_reset();

BEGIN;
SELECT uphub._stats_test_graphql_request(11, 'Pending', 'query', true, 1, 0.001)
FROM generate_series(1, 3);
SELECT operation_name, calls, rows FROM uphub.stats;
SELECT uphub._stats_test_graphql_request(11, 'Pending', 'query', false, 0, 0.002);
SELECT uphub.stats_reset();
SELECT uphub._stats_test_graphql_request(11, 'Pending', 'query', true, 5, 0.003);
COMMIT;
SELECT operation_name, calls, errors, rows, bucket_count[15] AS count FROM uphub.stats;

BEGIN;
SELECT uphub._stats_test_graphql_request(12, 'Aborted', 'query', true, 1, 0.001)
FROM generate_series(1, 2);
ROLLBACK;
SELECT operation_name, calls FROM uphub.stats ORDER BY operation_name;
-- 70 operations in one statement overflow the 64-slot pending list: all counted.
SELECT count(uphub._stats_test_graphql_request(100 + i, 'Many' || i, 'query', true, 1, 0.001))
FROM generate_series(1, 70) i, generate_series(1, 2) r;
SELECT count(*) AS operations, sum(calls) AS calls FROM uphub.stats WHERE operation_name LIKE 'Many%';
SELECT uphub.stats_reset();
