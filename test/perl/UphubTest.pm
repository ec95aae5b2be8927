# test/perl/UphubTest.pm — helpers shared by uphub's TAP tests (test/t/*.pl).
#
# Crash tests follow one recipe, so that the ones still to come (aggregate
# worker, ingest COPY, GraphQL mutation) are a few lines each:
#
#   my $node = UphubTest::node('crash', exporter => 1);
#   my $victim = UphubTest::start_victim($node, 'postgres', $sql, 'victim');  # runs in background
#   UphubTest::wait_for_activity($node, "application_name = 'victim' AND wait_event = 'PgSleep'");
#   UphubTest::sigkill($node, UphubTest::pid_of($node, "application_name = 'victim'"));
#   UphubTest::wait_for_recovery($node);    # crash-restart done, connections accepted
#   UphubTest::wait_for_worker($node, 'uphub metrics exporter');
#   ... then assert on what survived.
#
# A victim is "in the middle" of an operation when it sleeps inside it: a
# trigger (BEFORE INSERT on a table the operation writes) calling pg_sleep()
# makes any SQL-level operation stop at a chosen point (see
# sleep_before_insert()).
package UphubTest;

use strict;
use warnings;
use IPC::Run;
use Time::HiRes qw(usleep);
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

# A started node with uphub preloaded and created in database postgres.
# Options: exporter => 1 (HTTP exporter on a free port, in $node->{uphub_metrics_port}),
# conf => 'extra postgresql.conf lines'.
sub node
{
	my ($name, %opt) = @_;
	my $node = PostgreSQL::Test::Cluster->new($name);
	$node->init;
	my $conf = "shared_preload_libraries = 'uphub'\nuphub.database = 'postgres'\nrestart_after_crash = on\n";
	if ($opt{exporter})
	{
		$node->{uphub_metrics_port} = PostgreSQL::Test::Cluster::get_free_port();
		$conf .= "uphub.metrics_listen_address = '127.0.0.1'\nuphub.metrics_port = $node->{uphub_metrics_port}\n";
	}
	$conf .= $opt{conf} if $opt{conf};
	$node->append_conf('postgresql.conf', $conf);
	$node->start;
	$node->safe_psql('postgres', 'CREATE EXTENSION uphub');
	return $node;
}

# Run SQL in a background psql as application_name $app; returns the harness.
# The session may be killed: its outcome is not checked.
sub start_victim
{
	my ($node, $db, $sql, $app) = @_;
	my ($out, $err) = ('', '');
	my $h = IPC::Run::start(
		[ 'psql', '-X', '-q', '-d', $node->connstr($db) . " application_name=$app", '-c', $sql ],
		'>', \$out, '2>', \$err);
	return { harness => $h, out => \$out, err => \$err };
}

# Wait (up to 60 s) until pg_stat_activity has a row matching the condition.
sub wait_for_activity
{
	my ($node, $cond) = @_;
	return $node->poll_query_until('postgres', "SELECT count(*) > 0 FROM pg_stat_activity WHERE $cond");
}

sub pid_of
{
	my ($node, $cond) = @_;
	return $node->safe_psql('postgres', "SELECT pid FROM pg_stat_activity WHERE $cond LIMIT 1");
}

# SIGKILL a server process: the postmaster answers with a crash restart.
sub sigkill
{
	my ($node, $pid) = @_;
	die "no pid to kill" unless defined $pid && $pid =~ /^\d+$/;
	return kill('KILL', $pid);
}

# Wait until the server accepts queries again after a crash restart.
sub wait_for_recovery
{
	my ($node) = @_;
	for (1 .. 600)
	{
		my ($rc) = $node->psql('postgres', 'SELECT 1');
		return 1 if $rc == 0;
		usleep(100_000);
	}
	return 0;
}

# Wait (up to 60 s) for a background worker of this backend_type; returns its pid.
sub wait_for_worker
{
	my ($node, $type) = @_;
	$node->poll_query_until('postgres',
		"SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = '$type'") or return undef;
	return pid_of($node, "backend_type = '$type'");
}

# Make INSERTs into a table sleep first, so a victim stops inside whatever
# operation writes it (session-independent: every writer sleeps while the
# marker table holds a row).
sub sleep_before_insert
{
	my ($node, $table, $seconds) = @_;
	$node->safe_psql('postgres', qq{
		CREATE TABLE IF NOT EXISTS public.uphub_test_sleep_on (on_table regclass PRIMARY KEY);
		CREATE OR REPLACE FUNCTION public.uphub_test_sleep() RETURNS trigger LANGUAGE plpgsql AS \$\$
		BEGIN
			IF EXISTS (SELECT 1 FROM public.uphub_test_sleep_on WHERE on_table = TG_RELID) THEN
				PERFORM pg_sleep($seconds);
			END IF;
			RETURN NEW;
		END \$\$;
		CREATE TRIGGER uphub_test_sleep BEFORE INSERT ON $table
			FOR EACH ROW EXECUTE FUNCTION public.uphub_test_sleep();
		INSERT INTO public.uphub_test_sleep_on VALUES ('$table');
	});
}

sub stop_sleeping
{
	my ($node, $table) = @_;
	$node->safe_psql('postgres', "DELETE FROM public.uphub_test_sleep_on WHERE on_table = '$table'::regclass");
}

# GET /metrics from the exporter; returns the body or undef.
sub scrape
{
	my ($node) = @_;
	my ($out, $err);
	IPC::Run::run([ 'curl', '-sS', '--max-time', '5', "http://127.0.0.1:$node->{uphub_metrics_port}/metrics" ],
		'>', \$out, '2>', \$err);
	return $? == 0 ? $out : undef;
}

# Wait (up to 30 s) for the exporter to answer.
sub wait_for_scrape
{
	my ($node) = @_;
	for (1 .. 300)
	{
		my $body = scrape($node);
		return $body if defined $body && $body =~ /^# HELP /m;
		usleep(100_000);
	}
	return undef;
}

# The value of one sample of uphub.counters (0 when absent).
sub counter
{
	my ($node, $name, $labels) = @_;
	my $where = "name = '$name'" . (defined $labels ? " AND labels = '$labels'::jsonb" : '');
	return $node->safe_psql('postgres', "SELECT coalesce(sum(value), 0)::bigint FROM uphub.counters WHERE $where");
}

1;
