# uphub-ingest survives a server crash: stop the server (immediate mode) in
# the middle of a load, check the loader exits 2 having lost nothing it
# acknowledged, restart, re-run the same file, and compare every table with
# a reference database that loaded the file in one clean run: exactly the
# same rows, no duplicates, nothing missing.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(usleep);

my $bindir = $ENV{UPHUB_BINDIR} // `pg_config --bindir`;
chomp $bindir;
my ($gen, $ingest) = ("$bindir/uphub-gen", "$bindir/uphub-ingest");
my $tmp = PostgreSQL::Test::Utils::tempdir;

my $node = PostgreSQL::Test::Cluster->new('crash');
$node->init;
$node->append_conf('postgresql.conf', "shared_preload_libraries = 'uphub'");
$node->start;
for my $db ('clean', 'crashed')
{
	$node->safe_psql('postgres', "CREATE DATABASE $db");
	$node->safe_psql($db, 'CREATE EXTENSION uphub');
}

my $data = "$tmp/gen.jsonl";
my $gen_err;
IPC::Run::run([ $gen, '--creators', '300', '--days', '15', '--seed', '11' ], '>', $data, '2>',
	\$gen_err)
  or die "uphub-gen failed: $gen_err";

sub digest
{
	my $db = shift;
	return $node->safe_psql($db, q{
		SELECT string_agg(format('%s %s %s', t, n, h), E'\n' ORDER BY t) FROM (
		  SELECT 'partition' t, count(*) n, md5(string_agg(x::text, '|' ORDER BY tid)) h FROM uphub.partition x
		  UNION ALL SELECT 'mcn', count(*), md5(string_agg(x::text, '|' ORDER BY mcn_id)) FROM uphub.mcn x
		  UNION ALL SELECT 'creator', count(*), md5(string_agg(x::text, '|' ORDER BY mid)) FROM uphub.creator x
		  UNION ALL SELECT 'video', count(*), md5(string_agg(x::text, '|' ORDER BY aid)) FROM uphub.video x
		  UNION ALL SELECT 'video_staff', count(*), md5(string_agg(x::text, '|' ORDER BY aid, staff_mid)) FROM uphub.video_staff x
		  UNION ALL SELECT 'video_snapshot', count(*), md5(string_agg(x::text, '|' ORDER BY aid, observed_at)) FROM uphub.video_snapshot x
		  UNION ALL SELECT 'creator_snapshot', count(*), md5(string_agg(x::text, '|' ORDER BY mid, observed_at)) FROM uphub.creator_snapshot x
		) s});
}

# The reference: one clean run.
IPC::Run::run([ $ingest, '--dsn', $node->connstr('clean'), '--batch', '1000', '--reject',
		"$tmp/clean.rej", $data ], '>', \my $o0, '2>', \my $e0);
is($? >> 8, 1, 'clean run: exit 1 (the set has refused responses)');
my $reference = digest('clean');
my ($total) = $reference =~ /video_snapshot (\d+)/;

# The crash: start a load, wait until some batches are committed, stop the server.
my ($out, $err) = ('', '');
my $h = IPC::Run::start([ $ingest, '--dsn', $node->connstr('crashed'), '--batch', '1000',
		'--reject', "$tmp/crashed1.rej", $data ], '>', \$out, '2>', \$err);
my $committed = 0;
for (my $i = 0; $i < 600 && $committed == 0; $i++)
{
	usleep(50_000);
	$committed = $node->safe_psql('crashed', 'SELECT count(*) FROM uphub.video_snapshot');
}
$node->stop('immediate');
$h->finish;
my $rc = $h->result(0);
note("committed $committed of $total snapshots when the server stopped");
ok($committed > 0, 'some batches were committed before the crash');
is($rc, 2, 'the loader exits 2 when the server goes away');
like($err, qr/lines were committed before the failure; re-run/, 'and says how to finish');

$node->start;
my $after_crash = $node->safe_psql('crashed', 'SELECT count(*) FROM uphub.video_snapshot');
ok($after_crash >= $committed, 'nothing acknowledged was lost');
ok($after_crash < $total, 'the crash did interrupt the load');

# The clean re-run of the whole file.
IPC::Run::run([ $ingest, '--dsn', $node->connstr('crashed'), '--batch', '1000', '--reject',
		"$tmp/crashed2.rej", $data ], '>', \my $o2, '2>', \my $e2);
is($? >> 8, 1, 're-run: exit 1 (only the refused responses)');
is(digest('crashed'), $reference, 'after the re-run every table equals the clean load');
is(PostgreSQL::Test::Utils::slurp_file("$tmp/crashed2.rej") =~ tr/\n//,
	PostgreSQL::Test::Utils::slurp_file("$tmp/clean.rej") =~ tr/\n//,
	'and the same lines are rejected');

$node->stop;
done_testing();
