# The aggregate worker: waits while the extension is missing, picks changes
# up by itself (lag falls to 0), survives SIGKILL of itself and of a backend
# in the middle of a refresh, and the aggregates equal the from-scratch
# oracle (test/sql/agg_oracle.sql) after each recovery.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $src = $ENV{UPHUB_SRC} or die 'UPHUB_SRC is not set';
my $oracle = slurp_file("$src/test/sql/agg_oracle.sql");

my $node = PostgreSQL::Test::Cluster->new('agg');
$node->init;
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'uphub'
uphub.database = 'postgres'
uphub.refresh_naptime = '200ms'
uphub.refresh_batch_size = 50
timezone = 'Asia/Shanghai'
restart_after_crash = on
});
$node->start;

sub worker_pid
{
	return $node->safe_psql('postgres',
		"SELECT pid FROM pg_stat_activity WHERE backend_type = 'uphub aggregate worker'");
}

sub oracle_diff
{
	return $node->safe_psql('postgres',
		$oracle . "\nSELECT sum(missing + extra) FROM pg_temp.agg_oracle_diff();");
}

sub caught_up
{
	return $node->poll_query_until('postgres',
		"SELECT uphub.aggregate_lag() = interval '0' AND NOT EXISTS (SELECT 1 FROM uphub.agg_change)");
}

# Snapshots for videos first..last, rounds r0..r1 (12 hours apart).
sub ingest
{
	my ($first, $last, $r0, $r1) = @_;
	$node->safe_psql('postgres', qq{
		INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view, "like", coin, favorite, share, danmaku, reply)
		SELECT v.aid, date_trunc('day', now()) - interval '20 days' + r * interval '12 hours' + (v.aid % 7) * interval '1 hour',
			v.mid, 50 * r + v.aid % 13, 3 * r - (r % 4), r, r / 2, r / 3, CASE WHEN r % 5 = 2 THEN NULL ELSE 2 * r END, r
		FROM uphub.video v, generate_series($r0, $r1) r
		WHERE v.aid BETWEEN $first AND $last;
		INSERT INTO uphub.creator_snapshot (mid, observed_at, follower)
		SELECT c.mid, date_trunc('day', now()) - interval '20 days' + r * interval '12 hours', 100 * c.mid + 7 * r
		FROM uphub.creator c, generate_series($r0, $r1) r;
	});
}

ok(worker_pid() ne '', 'the worker runs while the extension is not installed');

$node->safe_psql('postgres', q{
	CREATE EXTENSION uphub;
	INSERT INTO uphub.partition VALUES (1, NULL, 'p1'), (2, NULL, 'p2');
	INSERT INTO uphub.mcn VALUES (1, 'm1');
	INSERT INTO uphub.creator (mid, name, main_tid, mcn_id)
	SELECT i, 'c' || i, 1 + i % 2, CASE WHEN i % 2 = 0 THEN 1 END FROM generate_series(1, 6) i;
	INSERT INTO uphub.video (aid, bvid, mid, tid, title, pubdate)
	SELECT j, 'BV1' || translate(lpad(j::text, 9, '0'), '0123456789', 'abcdefghij'), 1 + j % 6,
		1 + j % 2, 'v' || j, date_trunc('day', now()) - (j % 25) * interval '1 day'
	FROM generate_series(1, 30) j;
});
ingest(1, 30, 0, 20);
ok(caught_up(), 'the worker picks up changes without a manual call (lag falls to 0)');
is(oracle_diff(), '0', 'aggregates equal the oracle');
cmp_ok($node->safe_psql('postgres', 'SELECT count(*) FROM uphub.video_daily'), '>', 0,
	'video_daily was filled');

# SIGKILL of the worker: the postmaster restarts the cluster and the worker.
my $pid = worker_pid();
kill 'KILL', $pid;
$node->poll_query_until('postgres', 'SELECT 1', '1');
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'uphub aggregate worker' AND pid <> $pid"),
	'the worker is back after SIGKILL');
ingest(1, 30, 21, 30);
ok(caught_up(), 'after the restart, new changes are applied');
is(oracle_diff(), '0', 'aggregates equal the oracle after the worker was killed');

# pg_terminate_backend of the worker (SIGTERM while the server runs): it is
# started again, not unregistered.
$pid = worker_pid();
ok($node->safe_psql('postgres', "SELECT pg_terminate_backend($pid)") eq 't', 'the worker was terminated');
ok($node->poll_query_until('postgres',
	"SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'uphub aggregate worker' AND pid <> $pid"),
	'the worker is back after pg_terminate_backend');
ingest(1, 30, 31, 31);
ok(caught_up(), 'after the termination, new changes are applied');

# SIGKILL of a backend in the middle of a refresh: it has applied the
# changes but not committed. It takes the refresh lock first (the lock is
# re-entrant for it), so the worker stays out and the backend refreshes.
my $refresher = $node->background_psql('postgres');
$refresher->query_safe('BEGIN');
my $victim = $refresher->query_safe('SELECT pg_backend_pid()');
$refresher->query_safe('SELECT pg_advisory_xact_lock(1970301045, 1)');
ingest(1, 30, 32, 34);
$node->safe_psql('postgres', 'UPDATE uphub.video SET tid = 2 WHERE aid = 3');
cmp_ok($refresher->query_safe('SELECT uphub.refresh_aggregates()'), '>', 0,
	'the backend applied the changes');
cmp_ok($node->safe_psql('postgres', 'SELECT count(*) FROM uphub.agg_change'), '>', 0,
	'the uncommitted refresh left the log untouched');
kill 'KILL', $victim;
eval { $refresher->quit; };
$node->poll_query_until('postgres', 'SELECT 1', '1');
ok(caught_up(), 'after the backend was killed, the worker applies the changes');
is(oracle_diff(), '0', 'aggregates equal the oracle after the backend was killed');
is($node->safe_psql('postgres',
	"SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'uphub aggregate worker'"),
	'1', 'exactly one worker runs');

# A batch claims whole entities, so it can stop short of the batch size with
# changes left behind: the worker goes on at once instead of napping. With
# a batch of 3 and an hour's naptime, one commit logs two changes for each
# of three videos; the first batch takes video 1's two (video 2's would
# overflow it), and the rest must follow without another wake-up.
$node->safe_psql('postgres', q{
	ALTER SYSTEM SET uphub.refresh_naptime = '1h';
	ALTER SYSTEM SET uphub.refresh_batch_size = 3;
	SELECT pg_reload_conf();
});
ok($node->poll_query_until('postgres', q{
	SELECT pg_catalog.current_setting('uphub.refresh_batch_size') = '3'
	   AND NOT EXISTS (SELECT 1 FROM pg_stat_activity
		   WHERE backend_type = 'uphub aggregate worker' AND state = 'active')}),
	'the worker runs with a batch of 3 and an hour of naptime');
sleep(1);
my $stmts = join('', map {
	my ($aid, $r) = @$_;
	qq{INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view, "like", coin, favorite, share, danmaku, reply)
	   SELECT aid, date_trunc('day', now()) - interval '20 days' + $r * interval '12 hours', mid,
		   50 * $r, $r, $r, $r, $r, $r, $r FROM uphub.video WHERE aid = $aid;
}
} ([1, 35], [1, 36], [2, 35], [2, 36], [3, 35], [3, 36]));
$node->safe_psql('postgres', "BEGIN;
$stmts COMMIT;");
ok(caught_up(), 'batches that stop short of the batch size are followed at once');
is(oracle_diff(), '0', 'aggregates equal the oracle');
$node->safe_psql('postgres', q{
	ALTER SYSTEM RESET uphub.refresh_naptime;
	ALTER SYSTEM RESET uphub.refresh_batch_size;
	SELECT pg_reload_conf();
});

$node->stop;
done_testing();
