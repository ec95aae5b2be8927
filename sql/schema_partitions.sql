-- video_snapshot takes a row for any valid time: rows without a monthly
-- partition wait in the default partition; ensure_snapshot_partitions()
-- creates monthly partitions (Asia/Shanghai months) and moves them out.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
BEGIN;
SET LOCAL timezone = 'Asia/Shanghai';
SET LOCAL datestyle = 'ISO, YMD';

INSERT INTO uphub.creator (mid, name) VALUES (1, 'a');
INSERT INTO uphub.video (aid, bvid, mid, title) VALUES (10, 'BV1xx411c7mD', 1, 'v');

-- Years apart, month edges in Asia/Shanghai, and a row from an hour ago.
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view) VALUES
	(10, '2010-05-01 00:00+08', 1, 1),
	(10, '2010-04-30 23:59:59+08', 1, 0),
	(10, '2018-12-31 23:00+08', 1, 5),
	(10, '2024-02-29 12:00+08', 1, 9),
	(10, now() - interval '1 hour', 1, 12);

SELECT tableoid::regclass AS part, count(*) FROM uphub.video_snapshot GROUP BY 1 ORDER BY 1;

SELECT uphub.ensure_snapshot_partitions('2010-04-15', '2010-05-15') AS created;
SELECT uphub.ensure_snapshot_partitions('2018-12-31 23:00+08') AS created;
SELECT uphub.ensure_snapshot_partitions('2024-02-01 00:00+08', '2024-02-29 23:59+08') AS created;
SELECT uphub.ensure_snapshot_partitions(now()) >= 0 AS ok;
-- Idempotent: nothing new the second time.
SELECT uphub.ensure_snapshot_partitions('2010-04-15', '2010-05-15') AS created;

SELECT tableoid::regclass AS part, observed_at, view FROM uphub.video_snapshot
WHERE observed_at < '2025-01-01' ORDER BY observed_at;
SELECT count(*) AS in_default FROM uphub.video_snapshot_default;
SELECT count(*) AS current_month_rows FROM uphub.video_snapshot
WHERE tableoid::regclass::text = 'uphub.video_snapshot_p' || to_char(now(), 'YYYY_MM');

-- Partition bounds are Asia/Shanghai months.
SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) AS bound
FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
WHERE i.inhparent = 'uphub.video_snapshot'::regclass AND c.relname < 'video_snapshot_p2025'
ORDER BY 1;

-- Inserts after the partitions exist land in them; the constraints travel along.
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view) VALUES (10, '2010-05-20 00:00+08', 1, 3);
SELECT tableoid::regclass FROM uphub.video_snapshot WHERE observed_at = '2010-05-20 00:00+08';
SAVEPOINT s;
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view) VALUES (10, '2010-05-21 00:00+08', 1, -3);
ROLLBACK TO s;
INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view) VALUES (10, '2010-05-20 00:00+08', 1, 4);
ROLLBACK TO s;

-- Bad ranges are refused.
SELECT uphub.ensure_snapshot_partitions('2008-01-01');
ROLLBACK TO s;
\set VERBOSITY terse
SELECT uphub.ensure_snapshot_partitions(now() + interval '40 days');
\set VERBOSITY default
ROLLBACK TO s;
SELECT uphub.ensure_snapshot_partitions('2020-02-01', '2020-01-01');
ROLLBACK TO s;
SELECT uphub.ensure_snapshot_partitions(NULL);
ROLLBACK;
