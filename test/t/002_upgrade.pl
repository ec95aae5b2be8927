# The upgrade path: install the oldest release, walk every
# uphub--A--B.sql step to the current version, and compare the resulting
# catalog with a fresh install of the current version. The list of versions
# grows with each release (src/updates/).
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('upgrade');
$node->init;
$node->append_conf('postgresql.conf', "shared_preload_libraries = 'uphub'");
$node->start;

my $sharedir = `pg_config --sharedir`;
chomp $sharedir;
my @steps = map { m/uphub--([0-9.]+)--([0-9.]+)\.sql$/ ? [ $1, $2 ] : () }
	glob("$sharedir/extension/uphub--*--*.sql");
my $current = $node->safe_psql('postgres',
	"SELECT default_version FROM pg_available_extensions WHERE name = 'uphub'");
my $oldest = '0.1.0';
note("current version $current, " . scalar(@steps) . " upgrade steps");

$node->safe_psql('postgres', 'CREATE DATABASE walked');
$node->safe_psql('postgres', 'CREATE DATABASE fresh');
$node->safe_psql('walked', "CREATE EXTENSION uphub VERSION '$oldest'");
my $version = $oldest;
while ($version ne $current)
{
	my ($step) = grep { $_->[0] eq $version } @steps;
	ok(defined $step, "an upgrade step leaves $version") or last;
	$node->safe_psql('walked', "ALTER EXTENSION uphub UPDATE TO '$step->[1]'");
	$version = $step->[1];
}
is($node->safe_psql('walked',
	"SELECT extversion FROM pg_extension WHERE extname = 'uphub'"), $current,
	"walked up to $current");
$node->safe_psql('fresh', 'CREATE EXTENSION uphub');

# The catalog of the extension: its members and the full schema definition.
my $members = q{
	SELECT pg_describe_object(classid, objid, objsubid)
	FROM pg_depend
	WHERE refclassid = 'pg_extension'::regclass
	  AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'uphub')
	  AND deptype = 'e'
	ORDER BY 1};
my $fresh_members = $node->safe_psql('fresh', $members);
is($node->safe_psql('walked', $members), $fresh_members, 'same extension members');
cmp_ok(scalar(split /\n/, $fresh_members), '>', 10, 'the member list is not empty');

# pg_dump leaves extension members out, so compare the catalog itself:
# columns, constraints, indexes, functions, triggers, policies, comments and
# privileges of everything in schema uphub.
my $catalog = q{
	SELECT kind || ' ' || line FROM (
		SELECT 'column' AS kind, format('%s.%s %s%s default %s %s', c.relname, a.attname,
			format_type(a.atttypid, a.atttypmod), CASE WHEN a.attnotnull THEN ' not null' ELSE '' END,
			pg_get_expr(d.adbin, d.adrelid), col_description(c.oid, a.attnum)) AS line
		FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
		LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
		WHERE c.relnamespace = 'uphub'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
		UNION ALL
		SELECT 'relation', format('%s %s %s %s rls=%s/%s', c.relname, c.relkind, c.relacl,
			obj_description(c.oid, 'pg_class'), c.relrowsecurity, c.relforcerowsecurity)
		FROM pg_class c WHERE c.relnamespace = 'uphub'::regnamespace
		UNION ALL
		SELECT 'constraint', format('%s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
		FROM pg_constraint WHERE connamespace = 'uphub'::regnamespace
		UNION ALL
		SELECT 'index', pg_get_indexdef(indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		WHERE c.relnamespace = 'uphub'::regnamespace
		UNION ALL
		SELECT 'function', format('%s %s %s', pg_get_functiondef(p.oid), p.proacl,
			obj_description(p.oid, 'pg_proc'))
		FROM pg_proc p WHERE p.pronamespace = 'uphub'::regnamespace AND p.prokind IN ('f', 'p', 'w')
		UNION ALL
		SELECT 'trigger', pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
		WHERE c.relnamespace = 'uphub'::regnamespace AND NOT t.tgisinternal
		UNION ALL
		SELECT 'policy', format('%s %s %s %s %s %s', polrelid::regclass, polname, polcmd, polroles,
			pg_get_expr(polqual, polrelid), pg_get_expr(polwithcheck, polrelid))
		FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE c.relnamespace = 'uphub'::regnamespace
		UNION ALL
		SELECT 'type', format('%s %s', t.typname, t.typtype) FROM pg_type t
		WHERE t.typnamespace = 'uphub'::regnamespace
		UNION ALL
		SELECT 'event trigger', format('%s %s %s', evtname, evtevent, evtfoid::regproc) FROM pg_event_trigger
	) s ORDER BY 1};
my $fresh_catalog = $node->safe_psql('fresh', $catalog);
cmp_ok(scalar(split /\n/, $fresh_catalog), '>', 200, 'the catalog description is not empty');
is($node->safe_psql('walked', $catalog), $fresh_catalog,
	'walked catalog equals a fresh install');

$node->stop;
done_testing();
