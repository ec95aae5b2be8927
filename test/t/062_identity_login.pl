# Identity with real logins (what sql/security_identity.sql cannot show in a
# session authenticated as a superuser): a non-superuser login can neither
# SET SESSION AUTHORIZATION nor SET ROLE to a role it does not belong to,
# nor act_as without uphub_gateway, nor change identity through any GUC;
# its principal is always its own. A gateway login can act_as, and the
# attempt of the other is audited. Nor can it turn uphub.track off.
use strict;
use warnings;
use lib "$ENV{UPHUB_SRC}/test/perl";
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use UphubTest;

my $node = UphubTest::node('identity_login');
$node->safe_psql('postgres', q{
	CREATE ROLE l_admin LOGIN; CREATE ROLE l_evil LOGIN; CREATE ROLE l_gw LOGIN IN ROLE uphub_gateway;
	SELECT uphub.add_principal('l_admin', 'l_admin'), uphub.add_principal('l_evil', 'l_evil');
	SELECT uphub.assign_role('l_admin', 'platform_admin');
});
my $whoami = q{SELECT session_user || '|' || current_user || '|' || coalesce(uphub.current_principal(), '-')
	|| '|' || uphub.check_access('rbac.admin')};

sub as
{
	my ($role, $sql) = @_;
	my ($rc, $out, $err) = $node->psql('postgres', $sql, extra_params => [ '-U', $role ], on_error_stop => 0);
	return ($out, $err);
}

my ($out, $err) = as('l_evil', $whoami);
is($out, 'l_evil|l_evil|l_evil|false', 'evil is itself');
for my $attack (
	[ 'SET SESSION AUTHORIZATION l_admin', 'session authorization' ],
	[ 'SET SESSION AUTHORIZATION postgres', 'session authorization to superuser' ],
	[ 'SET ROLE l_admin', 'set role' ],
	[ "SELECT set_config('role', 'l_admin', false)", 'set_config role' ],
	[ "SELECT set_config('session_authorization', 'l_admin', false)", 'set_config session_authorization' ],
	[ 'SET uphub.principal = l_admin', 'uphub GUC' ],
	[ "SELECT uphub.act_as('l_admin')", 'act_as' ])
{
	my ($sql, $what) = @$attack;
	($out, $err) = as('l_evil', "$sql;\n$whoami");
	like($err, qr/ERROR/, "$what refused");
	is($out =~ s/^.*\n//sr, 'l_evil|l_evil|l_evil|false', "identity unchanged after $what");
}
($out, $err) = as('l_gw', "SELECT uphub.act_as('l_admin');\n$whoami");
is($out =~ s/^.*\n//sr, 'l_gw|l_gw|l_admin|true', 'a gateway login acts for a principal');
is($node->safe_psql('postgres',
	"SELECT string_agg(pg_role || ':' || allowed, ',' ORDER BY audit_id) FROM uphub.audit_log WHERE action = 'act_as'"),
	'l_evil:false,l_gw:true', 'both act_as attempts are audited');

# uphub.track is superuser-only: a login cannot switch off the recording of
# its own requests, at connection time nor later, unless granted SET on it.
my $track = q{SHOW uphub.track};
($out, $err) = as('l_evil', "SET uphub.track = off;\n$track");
like($err, qr/permission denied to set parameter "uphub.track"/, 'SET uphub.track refused to a plain login');
is($out, 'on', 'track stays on');
{
	local $ENV{PGOPTIONS} = '-c uphub.track=off';
	($out, $err) = as('l_evil', $track);
	like($err, qr/permission denied to set parameter "uphub.track"/, '-c uphub.track=off refused at connection');
}
($out, $err) = as('l_evil', "ALTER ROLE l_evil SET uphub.track = off;\n$track");
like($err, qr/permission denied/, 'ALTER ROLE on itself refused');
$node->safe_psql('postgres', 'GRANT SET ON PARAMETER uphub.track TO l_gw');
($out, $err) = as('l_gw', "SET uphub.track = off;\n$track");
is($out, 'off', 'a role granted SET on the parameter may turn it off');

$node->stop;
done_testing();
