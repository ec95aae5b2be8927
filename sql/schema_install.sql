-- Install and uninstall: CREATE EXTENSION builds the model, DROP EXTENSION
-- leaves nothing behind in the database (partitions made later included).
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS uphub CASCADE;
CREATE EXTENSION uphub;

SELECT extversion, extrelocatable, n.nspname AS schema
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE extname = 'uphub';

-- Every table of the data model, and whether it is partitioned.
SELECT c.relname, c.relkind
FROM pg_class c
WHERE c.relnamespace = 'uphub'::regnamespace AND c.relkind IN ('r', 'p')
ORDER BY c.relname;

-- Every column carries a comment.
SELECT c.relname, a.attname
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
WHERE c.relnamespace = 'uphub'::regnamespace AND c.relkind IN ('r', 'p')
  AND c.relname <> 'video_snapshot_default'
  AND a.attnum > 0 AND NOT a.attisdropped
  AND col_description(c.oid, a.attnum) IS NULL;

SELECT rolname FROM pg_roles WHERE rolname = 'uphub_gateway';

-- Partitions created after install belong to the parent and go with it.
SELECT uphub.ensure_snapshot_partitions('2020-01-15', '2020-03-01');

DROP EXTENSION uphub;
SELECT count(*) AS objects_left FROM pg_class WHERE relname LIKE 'video_snapshot%'
   OR relname IN ('creator', 'video', 'partition', 'mcn', 'creator_daily');
-- PostgreSQL creates a control file's schema outside the extension, so the
-- schema itself stays (as for every extension with a fixed schema): empty.
SELECT count(*) AS objects_in_schema FROM pg_class WHERE relnamespace = 'uphub'::regnamespace;
SELECT count(*) AS functions_in_schema FROM pg_proc WHERE pronamespace = 'uphub'::regnamespace;
SELECT count(*) AS types_in_schema FROM pg_type WHERE typnamespace = 'uphub'::regnamespace;
SELECT count(*) AS functions_left FROM pg_proc WHERE proname LIKE '%snapshot_partitions%';

CREATE EXTENSION uphub;
