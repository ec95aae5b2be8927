# Crash safety of RBAC administration and of the decision cache: a backend
# SIGKILLed in the middle of assign_role (stopped inside it, at its audit
# insert) and of create_ssd_set leaves no trace of the change after the
# crash restart: no assignment, no set, no audit row; decisions in new
# sessions follow the catalog; the same changes then succeed.
use strict;
use warnings;
use lib "$ENV{UPHUB_SRC}/test/perl";
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use UphubTest;

my $node = UphubTest::node('crash_rbac');
$node->safe_psql('postgres', q{
	CREATE ROLE crash_user;
	INSERT INTO uphub.partition VALUES (1, NULL, 'p');
	INSERT INTO uphub.creator (mid, name, main_tid) VALUES (11, 'c11', 1);
	SELECT uphub.add_principal('crash_user', 'crash_user');
});
my $state = q{SELECT (SELECT count(*) FROM uphub.role_assignment) || ' ' || (SELECT count(*) FROM uphub.ssd_set)
	|| ' ' || (SELECT count(*) FROM uphub.audit_log WHERE action IN ('assign_role', 'create_ssd_set'))};
my $before = $node->safe_psql('postgres', $state);
my $decision = q{SET ROLE crash_user; SELECT uphub.check_access('stats.read', 11), uphub.check_access('stats.read')};
is($node->safe_psql('postgres', $decision), "f|f", 'no access before');

UphubTest::sleep_before_insert($node, 'uphub.audit_log', 300);
for my $op (
	[ 'assign_role', q{SELECT uphub.assign_role('crash_user', 'analyst')} ],
	[ 'create_ssd_set', q{SELECT uphub.create_ssd_set('crash_set', ARRAY['analyst', 'ingest'], 2)} ])
{
	my ($name, $sql) = @$op;
	my $victim = UphubTest::start_victim($node, 'postgres', $sql, "victim_$name");
	ok(UphubTest::wait_for_activity($node, "application_name = 'victim_$name' AND wait_event = 'PgSleep'"),
		"$name stopped inside the call");
	ok(UphubTest::sigkill($node, UphubTest::pid_of($node, "application_name = 'victim_$name'")),
		"backend in $name killed");
	$victim->{harness}->finish;
	ok(UphubTest::wait_for_recovery($node), "server back after killing $name");
	is($node->safe_psql('postgres', $state), $before, "$name left no assignment, set or audit row");
	is($node->safe_psql('postgres', $decision), "f|f", "decisions after the $name crash follow the catalog");
}
UphubTest::stop_sleeping($node, 'uphub.audit_log');

# The same changes go through now, and every session sees them.
$node->safe_psql('postgres', q{SELECT uphub.assign_role('crash_user', 'analyst')});
is($node->safe_psql('postgres', $decision), "t|t", 'the assignment made after recovery counts');
$node->safe_psql('postgres', q{SELECT uphub.create_ssd_set('crash_set', ARRAY['analyst', 'ingest'], 2)});
my ($rc, $out, $err) = $node->psql('postgres', q{SELECT uphub.assign_role('crash_user', 'ingest')});
like($err, qr/static separation of duty violated/, 'the SSD set made after recovery is enforced');
is($node->safe_psql('postgres', q{SELECT count(*) FROM uphub.audit_log WHERE action IN ('assign_role', 'create_ssd_set') AND allowed}),
	'2', 'audit rows of the completed changes only');

$node->stop;
done_testing();
