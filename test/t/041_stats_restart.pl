# Stats survive a clean restart (written at shutdown, read at start); an
# immediate-mode stop leaves a sane, empty store that says since when it
# counts; a damaged stats file is ignored, never loaded as garbage.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('restart');
$node->init;
$node->append_conf('postgresql.conf', "shared_preload_libraries = 'uphub'\n");
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION uphub');

sub record_activity
{
	$node->safe_psql('postgres', q{
		SELECT uphub._stats_test_graphql_request(11, 'CreatorDashboard', 'query', true, 31, 0.003);
		SELECT uphub._stats_test_graphql_request(11, 'CreatorDashboard', 'query', false, 0, 0.7);
		SELECT uphub._stats_test_graphql_request(12, NULL, 'mutation', true, 1, 0.02);
		SELECT uphub._stats_test_rbac_check(true);
		SELECT uphub._stats_test_plan_cache(false);
		SELECT uphub._stats_test_refresh_run(40, 0.2, true);
		SELECT uphub._stats_test_aggregate_lag(4.5);
		SELECT uphub.stats_record_ingest('video_snapshot', 99);
	});
}

my $ops = q{SELECT string_agg(format('%s %s %s %s %s %s %s %s %s', queryid, operation_name,
	operation_type, calls, errors, rows, total_time_ms, bucket_count, first_call), E'\n' ORDER BY queryid)
	FROM uphub.stats};
my $counters = q{SELECT string_agg(format('%s %s %s', name, labels, value), E'\n' ORDER BY name, labels::text)
	FROM uphub.counters WHERE name <> 'uphub_stats_restored'};
my $restored = q{SELECT value FROM uphub.counters WHERE name = 'uphub_stats_restored'};
my $reset_at = q{SELECT value FROM uphub.counters WHERE name = 'uphub_stats_reset_timestamp_seconds'};

record_activity();
my $ops_before = $node->safe_psql('postgres', $ops);
my $counters_before = $node->safe_psql('postgres', $counters);
like($ops_before, qr/^11 CreatorDashboard query 2 1 31 /m, 'activity recorded');
is($node->safe_psql('postgres', $restored), '0', 'a fresh store is not restored');

$node->restart;    # fast mode: a clean shutdown
is($node->safe_psql('postgres', $ops), $ops_before, 'operations survive a clean restart');
is($node->safe_psql('postgres', $counters), $counters_before,
	'counters and gauges survive a clean restart (reset time included)');
is($node->safe_psql('postgres', $restored), '1', 'the store says it was restored');
ok(!-e $node->data_dir . '/pg_stat/uphub_stats.stat', 'the file is removed once loaded');

# Immediate stop: no clean shutdown, no file; the store starts empty.
record_activity();
my $before_crash = time;
$node->stop('immediate');
$node->start;
is($node->safe_psql('postgres', 'SELECT count(*) FROM uphub.stats'), '0',
	'after an immediate stop: no operations');
is($node->safe_psql('postgres',
	"SELECT sum(value) FROM uphub.counters WHERE name IN ('uphub_rbac_checks_total', "
	. "'uphub_refresh_runs_total', 'uphub_ingest_rows_total', 'uphub_graphql_plan_cache_misses_total')"),
	'0', 'after an immediate stop: counters are zero');
is($node->safe_psql('postgres', $restored), '0', 'the store says it was not restored');
cmp_ok($node->safe_psql('postgres', $reset_at), '>=', $before_crash - 1,
	'the reset time says the store counts from the new start');
like($node->safe_psql('postgres', 'SELECT uphub.metrics()'),
	qr/^uphub_stats_operations 0$/m, 'metrics still formats');

# A damaged file is ignored with a LOG line, never loaded.
record_activity();
$node->stop;
my $file = $node->data_dir . '/pg_stat/uphub_stats.stat';
ok(-s $file, 'a clean stop writes the stats file');
open(my $fh, '+<', $file) or die "open $file: $!";
binmode $fh;
seek($fh, -10, 2);
my $byte;
read($fh, $byte, 1);
seek($fh, -10, 2);
print $fh chr(ord($byte) ^ 0xff);
close $fh;
$node->start;
is($node->safe_psql('postgres', 'SELECT count(*) FROM uphub.stats'), '0',
	'a damaged file is not loaded');
like(slurp_file($node->logfile), qr/ignoring uphub stats file.*\n.*checksum is wrong/,
	'the log says why');

# A truncated file too.
record_activity();
$node->stop;
truncate($file, 100) or die "truncate: $!";
$node->start;
is($node->safe_psql('postgres', 'SELECT count(*) FROM uphub.stats'), '0',
	'a truncated file is not loaded');
is($node->safe_psql('postgres', 'SELECT calls FROM uphub.stats'), '', 'store is empty');
record_activity();
is($node->safe_psql('postgres', 'SELECT sum(calls) FROM uphub.stats'), '3',
	'and records normally afterwards');

# A smaller capacity after restart folds the surplus into __other__.
$node->append_conf('postgresql.conf', "uphub.stats_max_operations = 1\n");
$node->restart;
is($node->safe_psql('postgres',
	"SELECT count(*) FILTER (WHERE queryid IS NOT NULL) || ' ' || sum(calls) FROM uphub.stats"),
	'1 3', 'capacity shrunk: one entry kept, all calls still counted');
is($node->safe_psql('postgres',
	"SELECT calls FROM uphub.stats WHERE operation_name = '__other__' AND queryid IS NULL"), '1',
	'the surplus is under __other__');

$node->stop;
done_testing();
