# Crash restarts with a workload running: SIGKILL of a backend in the middle
# of a stats-recording workload (pgbench clients calling check_access and
# stats_record_ingest as several principals), and SIGKILL of the HTTP
# exporter worker. After each crash restart: the exporter is back and
# serves text that matches uphub.metrics(); the stats are sane (an immediate
# crash starts an empty store: restored = 0, counts start again from zero
# and then count exactly); RBAC decisions are unchanged.
use strict;
use warnings;
use lib "$ENV{UPHUB_SRC}/test/perl";
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use UphubTest;

my $node = UphubTest::node('crash_workers', exporter => 1);
$node->safe_psql('postgres', q{
	INSERT INTO uphub.partition VALUES (1, NULL, 'p');
	INSERT INTO uphub.creator (mid, name, main_tid) SELECT g, 'c' || g, 1 FROM generate_series(1, 20) g;
	CREATE ROLE w_analyst LOGIN; CREATE ROLE w_creator LOGIN;
	SELECT uphub.add_principal('w_analyst', 'w_analyst'), uphub.add_principal('w_creator', 'w_creator', 3);
	SELECT uphub.assign_role('w_analyst', 'analyst'), uphub.assign_role('w_creator', 'creator', 'creator', 3);
	GRANT pg_read_all_stats TO w_analyst;
});
ok(UphubTest::wait_for_scrape($node), 'exporter serves before the crashes');
my $decisions = q{SELECT string_agg(format('%s:%s', r, uphub.check_access('stats.read', m)), ' ' ORDER BY r, m)
	FROM (VALUES ('w_analyst'), ('w_creator')) v(r), LATERAL (SELECT 3 AS m UNION ALL SELECT 4) x,
	LATERAL (SELECT set_config('role', r, true)) s};
my $decisions_before = $node->safe_psql('postgres', "BEGIN; $decisions; ROLLBACK;");

# 1. A backend of a running workload is killed.
my $script = PostgreSQL::Test::Utils::tempdir() . '/work.sql';
open(my $fh, '>', $script) or die;
print $fh "\\set mid random(1, 20)\nSELECT uphub.check_access('stats.read', :mid);\n"
  . "SELECT uphub.stats_record_ingest('video_snapshot', 1);\nSELECT pg_sleep(0.01);\n";
close $fh;
my (@bench, %bench_out);
for my $role ('w_analyst', 'w_creator')
{
	$bench_out{$role} = '';
	push @bench, IPC::Run::start(
		[ 'pgbench', '-n', '-c', '2', '-T', '20', '-f', $script, '-U', $role, '-h', $node->host,
		  '-p', $node->port, 'postgres' ], '>', \$bench_out{$role}, '2>&1');
}
ok(UphubTest::wait_for_activity($node, "usename = 'w_creator' AND backend_type = 'client backend'"),
	'workload running') or do { $_->finish for @bench; diag(join "\n", values %bench_out); };
sleep 2;
my $victim = UphubTest::pid_of($node, "usename = 'w_creator' AND backend_type = 'client backend'");
ok(UphubTest::sigkill($node, $victim), 'a workload backend is killed');
$_->finish for @bench;
ok(UphubTest::wait_for_recovery($node), 'server back after the crash');
ok(UphubTest::wait_for_worker($node, 'uphub metrics exporter'), 'exporter worker back');
ok(UphubTest::wait_for_scrape($node), 'exporter serves after the crash');
is(UphubTest::counter($node, 'uphub_stats_restored'), 0, 'after a crash the store is not restored');
is(UphubTest::counter($node, 'uphub_rbac_checks_total'), 0, 'rbac checks start again from zero');
is($node->safe_psql('postgres', "BEGIN; $decisions; ROLLBACK;"), $decisions_before, 'decisions unchanged');
# Counting is exact again after the restart.
my $checks_before = UphubTest::counter($node, 'uphub_rbac_checks_total');
$node->safe_psql('postgres', q{SELECT uphub.check_access('stats.read', g) FROM generate_series(1, 50) g;
	SELECT uphub.stats_record_ingest('video_snapshot', 7)});
is(UphubTest::counter($node, 'uphub_rbac_checks_total') - $checks_before, 50, 'checks counted exactly after the restart');
is(UphubTest::counter($node, 'uphub_ingest_rows_total', '{"table": "video_snapshot"}'), 7, 'ingest rows counted exactly');
my $scraped = UphubTest::scrape($node);
like($scraped, qr/^uphub_ingest_rows_total\{table="video_snapshot"\} 7$/m, 'the exporter serves the new counts');

# 2. The exporter itself is killed.
my $exporter = UphubTest::wait_for_worker($node, 'uphub metrics exporter');
ok(UphubTest::sigkill($node, $exporter), 'exporter killed');
ok(UphubTest::wait_for_recovery($node), 'server back after the exporter crash');
my $new_exporter = UphubTest::wait_for_worker($node, 'uphub metrics exporter');
ok($new_exporter && $new_exporter != $exporter, 'a new exporter runs');
my $body = UphubTest::wait_for_scrape($node);
ok($body, 'the new exporter serves');
my $text = $node->safe_psql('postgres', 'SELECT uphub.metrics()');
$text .= "\n" unless $text =~ /\n\z/;
$body = UphubTest::scrape($node);
is($body, $text, 'served text equals uphub.metrics()');
is($node->safe_psql('postgres', "BEGIN; $decisions; ROLLBACK;"), $decisions_before, 'decisions unchanged');

$node->stop;
done_testing();
