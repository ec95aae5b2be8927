# End to end: a real Prometheus (Debian's package) scrapes the exporter of a
# test cluster with the shipped rules for a few intervals; its API then
# reports up == 1 for the job and a non-empty histogram_quantile for a known
# GraphQL operation.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use File::Copy;

my $src = $ENV{UPHUB_SRC} or die "UPHUB_SRC not set";
my $metrics_port = PostgreSQL::Test::Cluster::get_free_port();
my $prom_port = PostgreSQL::Test::Cluster::get_free_port();

my $node = PostgreSQL::Test::Cluster->new('scrape');
$node->init;
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'uphub'
uphub.database = 'postgres'
uphub.metrics_listen_address = '127.0.0.1'
uphub.metrics_port = $metrics_port
});
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION uphub');

my $work = PostgreSQL::Test::Utils::tempdir();
open(my $in, '<', "$src/docs/observability/prometheus.yml") or die $!;
my $config = do { local $/; <$in> };
close $in;
$config =~ s/127\.0\.0\.1:9753/127.0.0.1:$metrics_port/;
$config =~ s/scrape_interval: 15s/scrape_interval: 1s/;
$config =~ s/evaluation_interval: 15s/evaluation_interval: 1s/;
open(my $out, '>', "$work/prometheus.yml") or die $!;
print $out $config;
close $out;
copy("$src/docs/observability/uphub-rules.yml", "$work/uphub-rules.yml") or die $!;

my $prom = IPC::Run::start(
	[ 'prometheus', "--config.file=$work/prometheus.yml",
	  "--storage.tsdb.path=$work/data", "--web.listen-address=127.0.0.1:$prom_port" ],
	'>', "$work/prometheus.log", '2>&1');

sub prom_query
{
	my ($query) = @_;
	my $json = `curl -fsS --get 'http://127.0.0.1:$prom_port/api/v1/query' --data-urlencode 'query=$query' 2>/dev/null`;
	return $json;
}

my $ready = 0;
for (1 .. 100)
{
	if (system("curl -fsS http://127.0.0.1:$prom_port/-/ready >/dev/null 2>&1") == 0)
	{
		$ready = 1;
		last;
	}
	sleep 0.2;
}
ok($ready, 'prometheus is ready');

# Requests of a known operation while Prometheus scrapes every second.
for my $round (1 .. 8)
{
	$node->safe_psql('postgres',
		"SELECT uphub.graphql('query ScrapeKnown { creators(first: 5) { totalCount } }') FROM generate_series(1, 20)");
	sleep 1;
}

my $up_ok = 0;
my $quantile_ok = 0;
my ($up, $quantile) = ('', '');
for (1 .. 30)
{
	$up = prom_query('up{job="uphub"}');
	$up_ok = 1 if $up =~ /"value":\[[0-9.]+,"1"\]/;
	$quantile = prom_query(
		'histogram_quantile(0.5, sum by (le) (rate(uphub_graphql_request_duration_seconds_bucket{operation="ScrapeKnown"}[30s])))');
	$quantile_ok = 1 if $quantile =~ /"result":\[\{.*"value":\[[0-9.]+,"[0-9.e+-]+"\]/;
	last if $up_ok && $quantile_ok;
	sleep 1;
}
ok($up_ok, 'Prometheus reports up == 1 for job uphub') or diag($up);
ok($quantile_ok, 'histogram_quantile of the known operation is a number') or diag($quantile);

my $rules = `curl -fsS http://127.0.0.1:$prom_port/api/v1/rules`;
like($rules, qr/UphubAggregateLagHigh/, 'the shipped alerting rules are loaded');
unlike($rules, qr/"health":"err"/, 'no rule fails to evaluate');

$prom->kill_kill;
$node->stop;
done_testing();
