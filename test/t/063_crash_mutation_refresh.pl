# Crash restarts in the middle of writes:
#
# 1. SIGKILL of a backend in the middle of a GraphQL mutation: one request
#    updates 20 creators, then inserts 200 videos; a trigger makes the insert
#    sleep, so the kill lands inside the statement, after the update (its
#    rows are locked by the victim). After the crash restart: nothing of the
#    mutation is visible, every other table is as before (digest), the
#    aggregate worker and the exporter are back, the aggregates equal the
#    oracle, the stats store is empty and says it was not restored, and the
#    same mutation then succeeds and is counted exactly.
# 2. Immediate shutdown (pg_ctl stop -m immediate) while the aggregate
#    worker is inside a refresh: it holds the refresh lock and has claimed
#    logged changes, and is blocked on a row lock of partition_daily held by
#    another session. After the restart: the worker is back, applies the
#    changes, the aggregates equal the oracle (test/sql/agg_oracle.sql, as in
#    043_agg_worker.pl), and the stats start empty with restored = 0 and a
#    reset time after the stop.
use strict;
use warnings;
use lib "$ENV{UPHUB_SRC}/test/perl";
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use UphubTest;

my $oracle = slurp_file("$ENV{UPHUB_SRC}/test/sql/agg_oracle.sql");
my $node = UphubTest::node('crash_mutation', exporter => 1,
	conf => "uphub.refresh_naptime = '200ms'\nuphub.refresh_batch_size = 50\ntimezone = 'Asia/Shanghai'\n");

sub oracle_diff
{
	return $node->safe_psql('postgres', $oracle . "\nSELECT sum(missing + extra) FROM pg_temp.agg_oracle_diff();");
}

sub caught_up
{
	return $node->poll_query_until('postgres',
		"SELECT uphub.aggregate_lag() = interval '0' AND NOT EXISTS (SELECT 1 FROM uphub.agg_change)");
}

sub workers_back
{
	my ($what) = @_;
	ok(UphubTest::wait_for_worker($node, 'uphub aggregate worker'), "aggregate worker back $what");
	ok(UphubTest::wait_for_worker($node, 'uphub metrics exporter'), "exporter back $what");
	ok(UphubTest::wait_for_scrape($node), "exporter serves $what");
}

# Snapshots of every video at rounds r0..r1, 12 hours apart (+ $shift hours).
sub ingest
{
	my ($r0, $r1, $shift) = @_;
	$node->safe_psql('postgres', qq{
		INSERT INTO uphub.video_snapshot (aid, observed_at, mid, view, "like", coin, favorite, share, danmaku, reply)
		SELECT v.aid, date_trunc('day', now()) - interval '20 days' + r * interval '12 hours'
				+ (v.aid % 7 + $shift) * interval '1 hour',
			v.mid, 50 * r + v.aid % 13 + $shift, 3 * r - (r % 4), r, r / 2, r / 3, CASE WHEN r % 5 = 2 THEN NULL ELSE 2 * r END, r
		FROM uphub.video v, generate_series($r0, $r1) r;
		INSERT INTO uphub.creator_snapshot (mid, observed_at, follower)
		SELECT c.mid, date_trunc('day', now()) - interval '20 days' + r * interval '12 hours' + $shift * interval '1 hour',
			100 * c.mid + 7 * r + $shift
		FROM uphub.creator c, generate_series($r0, $r1) r;
	});
}

# Every user-facing table, aggregates included, as one digest per table.
my $digest = q{
	SELECT string_agg(format('%s %s %s', t, n, h), E'\n' ORDER BY t) FROM (
	  SELECT 'partition' t, count(*) n, md5(string_agg(x::text, '|' ORDER BY tid)) h FROM uphub.partition x
	  UNION ALL SELECT 'mcn', count(*), md5(string_agg(x::text, '|' ORDER BY mcn_id)) FROM uphub.mcn x
	  UNION ALL SELECT 'creator', count(*), md5(string_agg(x::text, '|' ORDER BY mid)) FROM uphub.creator x
	  UNION ALL SELECT 'video', count(*), md5(string_agg(x::text, '|' ORDER BY aid)) FROM uphub.video x
	  UNION ALL SELECT 'video_snapshot', count(*), md5(string_agg(x::text, '|' ORDER BY aid, observed_at)) FROM uphub.video_snapshot x
	  UNION ALL SELECT 'creator_snapshot', count(*), md5(string_agg(x::text, '|' ORDER BY mid, observed_at)) FROM uphub.creator_snapshot x
	  UNION ALL SELECT 'video_daily', count(*), md5(string_agg(x::text, '|' ORDER BY aid, day)) FROM uphub.video_daily x
	  UNION ALL SELECT 'creator_daily', count(*), md5(string_agg(x::text, '|' ORDER BY mid, day)) FROM uphub.creator_daily x
	  UNION ALL SELECT 'partition_daily', count(*), md5(string_agg(x::text, '|' ORDER BY tid, day)) FROM uphub.partition_daily x
	) s};

$node->safe_psql('postgres', q{
	INSERT INTO uphub.partition VALUES (1, NULL, 'p1'), (2, NULL, 'p2');
	INSERT INTO uphub.mcn VALUES (1, 'm1');
	INSERT INTO uphub.creator (mid, name, main_tid, mcn_id)
	SELECT i, 'c' || i, 1 + i % 2, CASE WHEN i % 2 = 0 THEN 1 END FROM generate_series(1, 20) i;
	INSERT INTO uphub.video (aid, bvid, mid, tid, title, pubdate)
	SELECT j, 'BV1' || translate(lpad(j::text, 9, '0'), '0123456789', 'abcdefghij'), 1 + j % 20,
		1 + j % 2, 'v' || j, date_trunc('day', now()) - (j % 25) * interval '1 day'
	FROM generate_series(1, 40) j;
});
ingest(0, 20, 0);
ok(caught_up(), 'the worker has applied the first snapshots');
is(oracle_diff(), '0', 'aggregates equal the oracle before the crashes');

# ---- 1. SIGKILL in the middle of a GraphQL mutation ----------------------------------
my $objects = join(', ', map {
	my $b = 'BV1' . (sprintf('%09d', $_) =~ tr/0-9/a-j/r);
	sprintf('{aid: %d, bvid: "%s", mid: %d, tid: 1, title: "new %d"}', $_, $b, 1 + $_ % 20, $_)
} 1001 .. 1200);
my $mutation = 'mutation Crash { updateCreators(set: {sign: "crashed"}, filter: {mid: {lte: 20}}, atMost: 20) '
  . '{ affectedCount } insertIntoVideos(objects: [' . $objects . ']) { affectedCount } }';
$node->safe_psql('postgres', q{SELECT uphub.graphql('{ creators { totalCount } }')});
is($node->safe_psql('postgres', 'SELECT sum(calls) FROM uphub.stats'), '1', 'a request is recorded before the crash');
my $before = $node->safe_psql('postgres', $digest);

UphubTest::sleep_before_insert($node, 'uphub.video', 300);
my $victim = UphubTest::start_victim($node, 'postgres', "SELECT uphub.graphql(\$q\$$mutation\$q\$)", 'victim');
ok(UphubTest::wait_for_activity($node, "application_name = 'victim' AND wait_event = 'PgSleep'"),
	'the mutation sleeps inside its insert');
is($node->safe_psql('postgres', 'SELECT count(*) FROM (SELECT FROM uphub.creator WHERE mid <= 20 FOR UPDATE SKIP LOCKED) x'),
	'0', 'the mutation has already updated the creators (their rows are locked)');
my $old_worker = UphubTest::pid_of($node, "backend_type = 'uphub aggregate worker'");
ok(UphubTest::sigkill($node, UphubTest::pid_of($node, "application_name = 'victim'")), 'the mutation backend is killed');
$victim->{harness}->finish;
ok(UphubTest::wait_for_recovery($node), 'server back after the crash');
workers_back('after the mutation crash');
isnt(UphubTest::pid_of($node, "backend_type = 'uphub aggregate worker'"), $old_worker, 'a new aggregate worker');
UphubTest::stop_sleeping($node, 'uphub.video');
is($node->safe_psql('postgres', "SELECT count(*) FROM uphub.creator WHERE sign = 'crashed'"), '0',
	'no creator update of the mutation is visible');
is($node->safe_psql('postgres', 'SELECT count(*) FROM uphub.video WHERE aid > 1000'), '0',
	'no video of the mutation is visible');
is($node->safe_psql('postgres', $digest), $before, 'every other table is as before the mutation');
ok(caught_up(), 'the worker is caught up');
is(oracle_diff(), '0', 'aggregates equal the oracle after the mutation crash');
is(UphubTest::counter($node, 'uphub_stats_restored'), 0, 'the stats store was not restored');
is($node->safe_psql('postgres', 'SELECT count(*) FROM uphub.stats'), '0', 'no operation survives the crash');
is($node->safe_psql('postgres', "SELECT uphub.graphql(\$q\$$mutation\$q\$) #>> '{data,updateCreators,affectedCount}'"),
	'20', 'the same mutation succeeds afterwards');
is($node->safe_psql('postgres', 'SELECT count(*) FROM uphub.video WHERE aid > 1000'), '200', 'with all its rows');
is($node->safe_psql('postgres',
	"SELECT string_agg(format('%s %s %s %s', operation_name, operation_type, calls, errors), ',') FROM uphub.stats"),
	'Crash mutation 1 0', 'and is counted exactly once');
like(UphubTest::scrape($node), qr/^uphub_graphql_requests_total\{operation="Crash",status="ok"\} 1$/m,
	'the exporter serves the new count');

# ---- 2. Immediate shutdown while the worker refreshes ---------------------------------
ok(caught_up(), 'caught up before the refresh');
my $blocker = $node->background_psql('postgres');
$blocker->query_safe('BEGIN');
cmp_ok($blocker->query_safe('SELECT count(*) FROM (SELECT FROM uphub.partition_daily FOR UPDATE) x'), '>', 0,
	'another session locks the partition_daily rows');
ingest(3, 12, 5);    # new snapshots between the old ones: days with partition_daily rows change
ok($node->poll_query_until('postgres', q{SELECT count(*) = 1 FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid
	AND l.locktype = 'advisory' AND l.granted WHERE a.backend_type = 'uphub aggregate worker' AND a.wait_event_type = 'Lock'}),
	'the worker is inside a refresh (holds the refresh lock) and waits for the row lock');
cmp_ok($node->safe_psql('postgres', 'SELECT count(*) FROM uphub.agg_change'), '>', 0, 'its changes are not applied yet');
$node->safe_psql('postgres', q{SELECT uphub.graphql('{ creators { totalCount } }')});
my $stopped_at = time;
$node->stop('immediate');
eval { $blocker->quit; };
$node->start;
workers_back('after the immediate shutdown');
ok(caught_up(), 'the worker applies the changes after the restart');
is(oracle_diff(), '0', 'aggregates equal the oracle after the immediate shutdown');
is(UphubTest::counter($node, 'uphub_stats_restored'), 0, 'the stats store says it was not restored');
cmp_ok(UphubTest::counter($node, 'uphub_stats_reset_timestamp_seconds'), '>=', $stopped_at - 1,
	'the reset time says it counts from the restart');
is($node->safe_psql('postgres', 'SELECT count(*) FROM uphub.stats'), '0', 'no operation survives the shutdown');
is(UphubTest::counter($node, 'uphub_rbac_checks_total'), 0, 'counters start from zero');
cmp_ok(UphubTest::counter($node, 'uphub_refresh_runs_total'), '>', 0, 'refreshes after the restart are counted');
is($node->safe_psql('postgres', q{SELECT uphub.graphql('{ creators { totalCount } }') #>> '{data,creators,totalCount}'}),
	'20', 'GraphQL answers');
is($node->safe_psql('postgres', 'SELECT sum(calls) FROM uphub.stats'), '1', 'and is counted exactly');

$node->stop;
done_testing();
