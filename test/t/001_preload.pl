# Without shared_preload_libraries = 'uphub', CREATE EXTENSION fails with
# SQLSTATE 55000 and a hint that says what to do; with it, it works.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('plain');
$node->init;
$node->start;

my ($rc, $out, $err) = $node->psql('postgres',
	"\\set VERBOSITY verbose\nCREATE EXTENSION uphub;");
isnt($rc, 0, 'CREATE EXTENSION fails without preload');
like($err, qr/ERROR:  55000: uphub must be loaded via shared_preload_libraries/,
	'error names the missing preload with SQLSTATE 55000');
like($err, qr/HINT:  Add 'uphub' to shared_preload_libraries/, 'hint says how to fix it');
is($node->safe_psql('postgres',
	"SELECT count(*) FROM pg_extension WHERE extname = 'uphub'"), '0',
	'nothing was installed');
is($node->safe_psql('postgres',
	"SELECT count(*) FROM pg_class WHERE relname = 'video_snapshot'"), '0',
	'no table was left behind');

$node->append_conf('postgresql.conf', "shared_preload_libraries = 'uphub'");
$node->restart;
$node->safe_psql('postgres', 'CREATE EXTENSION uphub');
is($node->safe_psql('postgres',
	"SELECT extversion FROM pg_extension WHERE extname = 'uphub'"), '0.1.0',
	'CREATE EXTENSION works once preloaded');

# A misspelt uphub.* setting is reported, not silently ignored.
$node->append_conf('postgresql.conf', "uphub.no_such_setting = 1");
$node->restart;
my $log = slurp_file($node->logfile);
like($log, qr/invalid configuration parameter name "uphub.no_such_setting"/,
	'unknown uphub.* settings are reported at start');

$node->stop;
done_testing();
