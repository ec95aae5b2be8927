# The HTTP exporter: GET /metrics answers the text of uphub.metrics() with the
# Prometheus content type; other paths, methods, malformed, oversized and
# slow requests are answered or dropped without harm (same exporter process
# afterwards); a reload moves it to a new port.
use strict;
use warnings;
use IO::Socket::INET;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $port = PostgreSQL::Test::Cluster::get_free_port();
my $node = PostgreSQL::Test::Cluster->new('exporter');
$node->init;
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'uphub'
uphub.metrics_listen_address = '127.0.0.1'
uphub.metrics_port = $port
});
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION uphub');
$node->safe_psql('postgres', q{
	SELECT uphub._stats_test_graphql_request(1, 'CreatorDashboard', 'query', true, 31, 0.003);
	SELECT uphub._stats_test_graphql_request(2, NULL, 'query', false, 0, 0.2);
	SELECT uphub._stats_test_plan_cache(true);
	SELECT uphub._stats_test_rbac_check(false);
	SELECT uphub._stats_test_refresh_run(10, 0.5, true);
	SELECT uphub._stats_test_aggregate_lag(3);
	SELECT uphub.stats_record_ingest('video_snapshot', 7);
});

# One raw exchange: send bytes (optionally slowly), return what came back.
sub exchange
{
	my ($p, $request, %opt) = @_;
	my $sock = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $p,
		Proto => 'tcp', Timeout => 10) or return undef;
	$sock->autoflush(1);
	print $sock $request if length $request;
	sleep $opt{pause} if $opt{pause};
	my $response = '';
	local $SIG{ALRM} = sub { die "timeout\n" };
	alarm($opt{timeout} // 20);
	eval { while (sysread($sock, my $buf, 65536)) { $response .= $buf; } };
	alarm(0);
	close $sock;
	return $response;
}

sub curl
{
	my ($p, @args) = @_;
	my ($stdout, $stderr);
	IPC::Run::run([ 'curl', '-sS', '--max-time', '10', @args, "http://127.0.0.1:$p/metrics" ],
		'>', \$stdout, '2>', \$stderr);
	return $stdout;
}

sub exporter_pid
{
	return $node->safe_psql('postgres',
		"SELECT pid FROM pg_stat_activity WHERE backend_type = 'uphub metrics exporter'");
}

# Wait for the listener.
my $up = 0;
for (1 .. 100)
{
	my $r = exchange($port, "GET / HTTP/1.0\r\n\r\n");
	if (defined $r && $r =~ m{^HTTP/1.1 200}) { $up = 1; last; }
	select(undef, undef, undef, 0.1);
}
ok($up, 'exporter answers on the configured port');
my $pid = exporter_pid();
like($pid, qr/^\d+$/, 'exporter runs as a background worker');

# GET /metrics: status, content type, body = uphub.metrics().
my $head_and_body = curl($port, '-i');
like($head_and_body, qr{^HTTP/1.1 200 OK\r\n}, '/metrics answers 200');
like($head_and_body,
	qr{\r\nContent-Type: text/plain; version=0\.0\.4; charset=utf-8\r\n},
	'Prometheus content type');
my ($headers, $body) = split /\r\n\r\n/, $head_and_body, 2;
my ($length) = $headers =~ /Content-Length: (\d+)/;
is($length, length($body), 'Content-Length is the body length');
my $sql_text = $node->safe_psql('postgres', 'SELECT uphub.metrics()');
$sql_text .= "\n" unless $sql_text =~ /\n\z/;
is($body, $sql_text, 'body is exactly the text of uphub.metrics()');
like($body, qr/^uphub_graphql_requests_total\{operation="CreatorDashboard",status="ok"\} 1$/m,
	'recorded request is served');
like($body, qr/^uphub_ingest_rows_total\{table="video_snapshot"\} 7$/m, 'ingest rows served');

# The same through promtool's scrape of the wire text.
my ($pt_out, $pt_err);
IPC::Run::run([ 'promtool', 'check', 'metrics' ], '<', \$body, '>', \$pt_out, '2>', \$pt_err);
is($? >> 8, 0, 'served text passes promtool');
is($pt_out . $pt_err, '', 'promtool has no lint finding');

# Other paths, methods and HEAD.
like(exchange($port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"), qr{^HTTP/1.1 200 OK.*\r\n\r\n.*/metrics}s,
	'/ points to /metrics');
like(exchange($port, "GET /nope HTTP/1.1\r\n\r\n"), qr{^HTTP/1.1 404 }, 'unknown path: 404');
like(exchange($port, "POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n"),
	qr{^HTTP/1.1 405 .*\r\nAllow: GET, HEAD\r\n}s, 'POST: 405 with Allow');
my $head = exchange($port, "HEAD /metrics HTTP/1.1\r\n\r\n");
like($head, qr{^HTTP/1.1 200 OK\r\n}, 'HEAD /metrics: 200');
like($head, qr{\r\n\r\n\z}, 'HEAD has no body');

# Malformed, oversized, binary and slow requests.
like(exchange($port, "BLAH\r\n\r\n"), qr{^HTTP/1.1 400 }, 'malformed request line: 400');
like(exchange($port, "GET /metrics HTTP/1.1\r\nbad header\r\n\r\n"), qr{^HTTP/1.1 400 },
	'malformed header: 400');
like(exchange($port, "GET /metrics HTTP/2.0\r\n\r\n"), qr{^HTTP/1.1 505 }, 'HTTP/2.0: 505');
like(exchange($port, "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" . ("\0" x 100)),
	qr{^HTTP/1.1 400 }, 'TLS hello: 400');
like(exchange($port, "GET /metrics HTTP/1.1\r\n" . ("X-Filler: " . ('a' x 100) . "\r\n") x 100),
	qr{^HTTP/1.1 431 }, 'header block over 8 KiB: 431');
is(exchange($port, '', timeout => 15), '', 'a connection that sends nothing is closed with nothing');

# A slow client is dropped after the time limit, and does not block others.
my $slow = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port, Proto => 'tcp')
  or die "connect: $!";
print $slow "GET /metr";
like(curl($port), qr/^# HELP /, 'served while a slow client is connected');
my $t0 = time;
my $got = '';
{
	local $SIG{ALRM} = sub { die "timeout\n" };
	alarm(20);
	eval { while (sysread($slow, my $buf, 1024)) { $got .= $buf; } };
	alarm(0);
}
close $slow;
my $waited = time - $t0;
is($got, '', 'slow client dropped without an answer');
cmp_ok($waited, '<=', 12, "slow client dropped after the time limit (${waited}s)");

# Many clients at once.
my @socks = map {
	IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port, Proto => 'tcp')
} 1 .. 10;
print $_ "GET /metrics HTTP/1.1\r\n\r\n" for @socks;
my $all_ok = 1;
for my $s (@socks)
{
	my $r = '';
	while (sysread($s, my $buf, 65536)) { $r .= $buf; }
	$all_ok = 0 unless $r =~ m{^HTTP/1.1 200 };
	close $s;
}
ok($all_ok, 'ten concurrent scrapes all answered');

is(exporter_pid(), $pid, 'same exporter process after all of it');
like(curl($port), qr/^# HELP /, 'exporter still serves');

# Reload with a new port: the exporter rebinds.
my $port2 = PostgreSQL::Test::Cluster::get_free_port();
$node->append_conf('postgresql.conf', "uphub.metrics_port = $port2\n");
$node->reload;
my $moved = 0;
for (1 .. 100)
{
	my $r = exchange($port2, "GET /metrics HTTP/1.0\r\n\r\n");
	if (defined $r && $r =~ m{^HTTP/1.1 200}) { $moved = 1; last; }
	select(undef, undef, undef, 0.1);
}
ok($moved, 'after reload the exporter serves on the new port');
ok(!defined IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port, Proto => 'tcp'),
	'and no longer on the old one');

# A terminated exporter is restarted by the postmaster.
$node->safe_psql('postgres', "SELECT pg_terminate_backend($pid)");
my $restarted = 0;
for (1 .. 200)
{
	my $new = exporter_pid();
	if ($new =~ /^\d+$/ && $new ne $pid)
	{
		my $r = exchange($port2, "GET /metrics HTTP/1.0\r\n\r\n");
		if (defined $r && $r =~ m{^HTTP/1.1 200}) { $restarted = 1; last; }
	}
	select(undef, undef, undef, 0.1);
}
ok($restarted, 'exporter restarted after it was terminated');

$node->stop;
done_testing();
