# Concurrency: N pgbench clients x M calls of the recording paths give
# exactly N x M, also while operations are being inserted concurrently and
# the table overflows into __other__.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my ($clients, $calls) = (8, 250);
my $total = $clients * $calls;

my $node = PostgreSQL::Test::Cluster->new('concurrency');
$node->init;
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'uphub'
uphub.stats_max_operations = 20
max_connections = 30
});
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION uphub');

$node->pgbench(
	"-n -c $clients -j 2 -t $calls",
	0,
	[qr{processed: $total/$total}],
	[qr{^$}],
	'pgbench drives every recording path',
	{
		'stats_record' => q{
\set op random(1, 50)
SELECT uphub._stats_test_graphql_request(:op, 'Op' || :op, 'query', :op % 5 <> 0, 2, 0.001);
SELECT uphub._stats_test_graphql_request(1000, 'Hot', 'query', true, 1, 0.0001);
SELECT uphub._stats_test_rbac_check(true);
SELECT uphub._stats_test_plan_cache(:op % 2 = 0);
SELECT uphub._stats_test_refresh_run(3, 0.01, true);
SELECT uphub.stats_record_ingest('video_snapshot', 2);
}
	});

my $q = sub { $node->safe_psql('postgres', shift) };
my $counter = sub {
	my ($name, $label) = @_;
	my $cond = defined $label ? " AND labels @> '$label'" : '';
	return $q->("SELECT sum(value)::bigint FROM uphub.counters WHERE name = '$name'$cond");
};

is($q->("SELECT sum(calls) FROM uphub.stats WHERE operation_name IS DISTINCT FROM 'Hot'"), $total,
	"random operations: $total calls in all, __other__ included");
is($q->("SELECT calls FROM uphub.stats WHERE operation_name = 'Hot'"), $total,
	"hot operation: exactly $total calls");
is($q->("SELECT count(*) FROM uphub.stats WHERE queryid IS NOT NULL"), '20',
	'the operation table holds its capacity, no more');
cmp_ok($q->("SELECT calls FROM uphub.stats WHERE queryid IS NULL AND operation_name = '__other__'"),
	'>', 0, 'calls beyond capacity are counted under __other__');
is($q->("SELECT sum(rows) FROM uphub.stats WHERE operation_name IS DISTINCT FROM 'Hot'"), 2 * $total,
	'rows add up');
is($q->("SELECT bool_and(bucket_count[15] = calls) FROM uphub.stats"), 't',
	'every histogram +Inf bucket equals its calls');
is($counter->('uphub_rbac_checks_total', '{"result": "allowed"}'), $total, 'rbac checks');
is($counter->('uphub_graphql_plan_cache_hits_total') + $counter->('uphub_graphql_plan_cache_misses_total'),
	$total, 'plan cache lookups');
is($counter->('uphub_refresh_runs_total'), $total, 'refresh runs');
is($counter->('uphub_refresh_changes_total'), 3 * $total, 'refresh changes');
is($counter->('uphub_refresh_duration_seconds_count'), $total, 'refresh histogram count');
is($counter->('uphub_ingest_rows_total', '{"table": "video_snapshot"}'), 2 * $total, 'ingest rows');
is($counter->('uphub_stats_operations'), 20, 'uphub_stats_operations gauge');

# The Prometheus text agrees.
my $text = $q->('SELECT uphub.metrics()');
my $sum = 0;
$sum += $1 while $text =~ /^uphub_graphql_requests_total\{operation="(?!Hot")[^"]*",status="[a-z]+"\} (\d+)$/mg;
is($sum, $total, 'uphub_graphql_requests_total sums to the calls');

$node->stop;
done_testing();
