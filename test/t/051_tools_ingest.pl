# uphub-ingest against a real uphub database:
# - a generated set loads, and every table's row count reconciles with what
#   the lines contain (computed independently in SQL from the raw lines);
#   values match the lines (latest dimension wins, "--" is NULL);
# - every kind of bad line is rejected with the right reason and line
#   number, while its neighbours load (including lines only the server can
#   refuse: a duplicate bvid, a partition cycle);
# - re-ingesting (from stdin this time) changes no row and no value;
# - exit status 2 when it cannot run.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $bindir = $ENV{UPHUB_BINDIR} // `pg_config --bindir`;
chomp $bindir;
my ($gen, $ingest) = ("$bindir/uphub-gen", "$bindir/uphub-ingest");
my $tmp = PostgreSQL::Test::Utils::tempdir;

my $node = PostgreSQL::Test::Cluster->new('ingest');
$node->init;
$node->append_conf('postgresql.conf', "shared_preload_libraries = 'uphub'");
$node->start;
for my $db ('ing', 'bad')
{
	$node->safe_psql('postgres', "CREATE DATABASE $db");
	$node->safe_psql($db, 'CREATE EXTENSION uphub');
}

# Run uphub-ingest; returns (exit status, stderr).
sub ingest
{
	my ($db, $reject, @files) = @_;
	my ($out, $err) = ('', '');
	IPC::Run::run([ $ingest, '--dsn', $node->connstr($db), '--reject', $reject, @files ],
		'>', \$out, '2>', \$err);
	return ($? >> 8, $err);
}

sub slurp_lines
{
	my $f = shift;
	open my $fh, '<', $f or die "$f: $!";
	my @l = <$fh>;
	chomp @l;
	return @l;
}

# Count and digest of every table uphub-ingest writes.
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

# ---------------------------------------------------------------------------
# A generated set, reconciled
# ---------------------------------------------------------------------------
my $data = "$tmp/gen.jsonl";
my $gen_err;
IPC::Run::run([ $gen, '--creators', '150', '--days', '8', '--seed', '3' ], '>', $data, '2>', \$gen_err)
  or die "uphub-gen failed: $gen_err";
my @lines = slurp_lines($data);

my ($rc, $err) = ingest('ing', "$tmp/rejects1.txt", $data);
is($rc, 1, 'exit 1: the set has refused responses (non-zero code)');
like($err, qr/done: \d+ lines read/, 'a summary is printed');
my @rejects = slurp_lines("$tmp/rejects1.txt");

# The raw lines, for an independent computation of what should be there.
$node->safe_psql('ing', qq{
	CREATE TABLE raw (n bigserial, line text);
	COPY raw (line) FROM '$data' WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02');
	CREATE TABLE ok AS
	  SELECT n, j->>'endpoint' AS ep, j->'response'->'data' AS d, j->'params' AS p,
	         CASE jsonb_typeof(j->'observed_at')
	              WHEN 'number' THEN to_timestamp((j->>'observed_at')::float8)
	              ELSE (j->>'observed_at')::timestamptz END AS t
	  FROM (SELECT n, line::jsonb AS j FROM raw) r
	  WHERE (j->'response'->>'code')::int = 0;
	CREATE TABLE latest_video AS
	  SELECT DISTINCT ON ((d->>'aid')::bigint) (d->>'aid')::bigint AS aid, d, t
	  FROM ok WHERE ep = 'x/web-interface/view' ORDER BY (d->>'aid')::bigint, t DESC, n;
	CREATE TABLE latest_card AS
	  SELECT DISTINCT ON ((d->'card'->>'mid')::bigint) (d->'card'->>'mid')::bigint AS mid, d->'card' AS c, t
	  FROM ok WHERE ep = 'x/web-interface/card' ORDER BY (d->'card'->>'mid')::bigint, t DESC, n;
	CREATE TABLE creator_mid AS
	  SELECT (d->'owner'->>'mid')::bigint AS mid, t, false AS has_counters FROM ok WHERE ep = 'x/web-interface/view'
	  UNION ALL SELECT (d->>'mid')::bigint, t, true FROM ok WHERE ep = 'x/relation/stat'
	  UNION ALL SELECT (p->>'mid')::bigint, t, true FROM ok WHERE ep = 'x/space/upstat'
	  UNION ALL SELECT (d->'card'->>'mid')::bigint, t, true FROM ok WHERE ep = 'x/web-interface/card';
});

my %expected = split /[|\s]+/, $node->safe_psql('ing', q{
	SELECT 'video_snapshot', count(DISTINCT ((d->>'aid')::bigint, t)) FROM ok WHERE ep = 'x/web-interface/view'
	UNION ALL SELECT 'creator_snapshot', count(DISTINCT (mid, t)) FROM creator_mid WHERE has_counters
	UNION ALL SELECT 'video', count(*) FROM latest_video
	UNION ALL SELECT 'creator', count(DISTINCT mid) FROM creator_mid
	UNION ALL SELECT 'partition', count(DISTINCT tid) FROM (
	  SELECT (d->>'tid')::int tid FROM ok WHERE ep = 'x/web-interface/view'
	  UNION ALL SELECT (d->'main'->>'tid')::int FROM ok WHERE ep = 'x/web-interface/view'
	  UNION ALL SELECT (d->'card'->>'tid')::int FROM ok WHERE ep = 'x/web-interface/card'
	  UNION ALL SELECT (d->'card'->'main'->>'tid')::int FROM ok WHERE ep = 'x/web-interface/card') x
	UNION ALL SELECT 'mcn', count(DISTINCT d->'card'->'mcn'->>'id') FROM ok WHERE ep = 'x/web-interface/card'
	UNION ALL SELECT 'video_staff', count(DISTINCT (aid, s->>'mid')) FROM latest_video, jsonb_array_elements(d->'staff') s
	UNION ALL SELECT 'rejects', count(*) FROM raw WHERE (line::jsonb->'response'->>'code')::int <> 0
});
note(join(', ', map { "$_ $expected{$_}" } sort keys %expected));
ok($expected{video_snapshot} > 5000, 'the set is not trivial');

my %actual = split /[|\s]+/, $node->safe_psql('ing', q{
	SELECT 'video_snapshot', count(*) FROM uphub.video_snapshot
	UNION ALL SELECT 'creator_snapshot', count(*) FROM uphub.creator_snapshot
	UNION ALL SELECT 'video', count(*) FROM uphub.video
	UNION ALL SELECT 'creator', count(*) FROM uphub.creator
	UNION ALL SELECT 'partition', count(*) FROM uphub.partition
	UNION ALL SELECT 'mcn', count(*) FROM uphub.mcn
	UNION ALL SELECT 'video_staff', count(*) FROM uphub.video_staff
});
$actual{rejects} = scalar @rejects;
for my $t (sort keys %expected)
{
	is($actual{$t}, $expected{$t}, "$t: row count reconciles with the lines");
}
# The loader counts what it committed in uphub's stats, per table.
for my $t ('video_snapshot', 'creator_snapshot')
{
	is($node->safe_psql('ing', qq{
		SELECT value::bigint FROM uphub.counters
		WHERE name = 'uphub_ingest_rows_total' AND labels->>'table' = '$t'}),
		$actual{$t}, "uphub_ingest_rows_total{table=$t} equals the rows loaded");
}
is(scalar(grep { !/\tapi_error: code (-352|-404|62002) / } @rejects), 0,
	'every reject is a refused response');
like($rejects[0], qr/^\Q$data\E:\d+\tapi_error: code -?\d+ \([^)]*\)\t\{"observed_at"/,
	'reject format: <file>:<line> TAB <reason> TAB <line>');
my ($first_no) = $rejects[0] =~ /:(\d+)\t/;
is((split /\t/, $rejects[0], 3)[2], $lines[ $first_no - 1 ], 'the original line is kept as is');

is($node->safe_psql('ing', q{
	SELECT count(*) FROM latest_video l JOIN uphub.video v USING (aid)
	WHERE v.title IS DISTINCT FROM l.d->>'title' OR v.updated_at <> l.t
	   OR v.bvid <> l.d->>'bvid' OR v.mid <> (l.d->'owner'->>'mid')::bigint
	   OR v.tid <> (l.d->>'tid')::int OR v.pubdate <> to_timestamp((l.d->>'pubdate')::float8)
	   OR v.duration <> (l.d->>'duration')::int}), '0',
	'each video holds its newest observation (and updated_at is its time)');
is($node->safe_psql('ing', q{
	SELECT count(*) FROM latest_card l JOIN uphub.creator c USING (mid)
	WHERE c.name <> l.c->>'name' OR c.updated_at <> l.t OR c.level <> (l.c->'level_info'->>'current_level')::int
	   OR c.sex <> l.c->>'sex' OR c.main_tid <> (l.c->>'tid')::int
	   OR c.mcn_id IS DISTINCT FROM (l.c->'mcn'->>'id')::bigint
	   OR c.vip_type <> (l.c->'vip'->>'type')::int OR c.official_type <> (l.c->'Official'->>'type')::int
	   OR c.joined_at <> to_timestamp((l.c->>'regtime')::float8)}), '0',
	'each creator holds its newest card');
is($node->safe_psql('ing', q{
	SELECT count(*) FROM (SELECT DISTINCT ON ((d->>'aid')::bigint, t) * FROM ok
	                      WHERE ep = 'x/web-interface/view' ORDER BY (d->>'aid')::bigint, t, n) o
	JOIN uphub.video_snapshot s ON s.aid = (o.d->>'aid')::bigint AND s.observed_at = o.t
	WHERE s.view IS DISTINCT FROM nullif(o.d->'stat'->>'view', '--')::bigint
	   OR s."like" IS DISTINCT FROM nullif(o.d->'stat'->>'like', '--')::bigint
	   OR s.coin <> (o.d->'stat'->>'coin')::bigint OR s.reply <> (o.d->'stat'->>'reply')::bigint
	   OR s.mid <> (o.d->'owner'->>'mid')::bigint}), '0',
	'snapshot counters match their lines');
ok($node->safe_psql('ing', 'SELECT count(*) FROM uphub.video_snapshot WHERE view IS NULL') > 0,
	'hidden counters ("--") are NULL');
is($node->safe_psql('ing', 'SELECT count(*) FROM uphub.video_snapshot_default'), '0',
	'monthly snapshot partitions were created (nothing in the default one)');
is($node->safe_psql('ing', q{
	SELECT count(*) FROM uphub.creator_snapshot s JOIN ok ON ok.ep = 'x/relation/stat'
	  AND (ok.d->>'mid')::bigint = s.mid AND ok.t = s.observed_at
	WHERE s.follower <> (ok.d->>'follower')::bigint OR s.following <> (ok.d->>'following')::bigint}), '0',
	'follower counts match their lines');

# ---------------------------------------------------------------------------
# Re-ingest, this time from stdin: nothing changes
# ---------------------------------------------------------------------------
my $before = digest('ing');
{
	my ($out, $err2) = ('', '');
	IPC::Run::run([ $gen, '--creators', '150', '--days', '8', '--seed', '3' ], '|',
		[ $ingest, '--dsn', $node->connstr('ing'), '--reject', "$tmp/rejects2.txt" ],
		'>', \$out, '2>', \$err2);
	is($? >> 8, 1, 'second run (stdin) exits 1 again');
	like($err2, qr/rows written: partition 0 mcn 0 creator 0 video 0 video_staff 0 video_snapshot 0 creator_snapshot 0/,
		'second run writes no row');
	my @r2 = slurp_lines("$tmp/rejects2.txt");
	is(scalar(@r2), scalar(@rejects), 'second run rejects the same lines');
	like($r2[0], qr/^-:\d+\t/, 'stdin lines are reported as -:<line>');
}
is(digest('ing'), $before, 'a re-run changes no row count and no value');

# ---------------------------------------------------------------------------
# Every kind of bad line, each between good ones
# ---------------------------------------------------------------------------
sub env
{
	my ($t, $ep, $resp, $params) = @_;
	$params = $params ? qq{,"params":$params} : '';
	return qq({"observed_at":$t,"endpoint":"$ep"$params,"response":$resp});
}
sub okresp { return qq({"code":0,"message":"0","ttl":1,"data":$_[0]}) }
sub video
{
	my (%v) = (aid => 1001, bvid => 'BV1xx411c7mD', tid => 24, tname => 'MAD·AMV', ptid => 1,
		pname => '动画', title => 'a title', view => 10, t => 1704067200, @_);
	return env($v{t}, 'x/web-interface/view', okresp(
		qq({"aid":$v{aid},"bvid":"$v{bvid}","tid":$v{tid},"tname":"$v{tname}","main":{"tid":$v{ptid},"name":"$v{pname}"},)
		  . qq("title":"$v{title}","pubdate":1700000000,"duration":60,"copyright":1,"state":0,)
		  . qq("owner":{"mid":77,"name":"up77","face":"f"},"stat":{"view":$v{view},"like":1,"coin":0}})));
}
sub relation
{
	my ($mid, $t, $f) = @_;
	return env($t, 'x/relation/stat', okresp(qq({"mid":$mid,"following":1,"follower":$f})));
}

my @bad = (
	[ relation(501, 1704067200, 5), undef ],
	[ '{"observed_at":1704067200,"endpoint":', 'invalid_json' ],
	[ relation(502, 1704067200, 5), undef ],
	[ env(1704067200, 'x/space/acc/info', okresp('{}')), 'unknown_endpoint: x/space/acc/info' ],
	[ '{"endpoint":"x/relation/stat","response":' . okresp('{"mid":1}') . '}', 'missing_field: observed_at' ],
	[ env(1704067200, 'x/web-interface/view', okresp('{"bvid":"BV1xx411c7mD"}')), 'missing_field: response.data.aid' ],
	[ env(1704067200, 'x/space/upstat', okresp('{"likes":1}')), 'missing_field: params.mid' ],
	[ relation(503, 1704067200, '"many"'), 'bad_type: response.data.follower' ],
	[ relation(504, '"2024-01-01T00:00:00"', 5), 'bad_value: observed_at is not an RFC 3339' ],
	[ env(1704067200, 'x/relation/stat', '{"code":-352,"message":"风控校验失败","ttl":1}'), 'api_error: code -352' ],
	[ relation(505, 1704067200, -4), 'bad_value: response.data.follower out of range' ],
	[ relation(506, 4102444800, 5), 'bad_value: observed_at out of range' ],
	[ video(title => '   '), 'bad_value: response.data.title is blank' ],
	[ video(bvid => 'BV1xx411c7m0'), 'bad_value: response.data.bvid' ],
	[ env(1704067200, 'x/web-interface/card', okresp('{"card":{"mid":"508","name":"n","sex":"?"}}')),
		'bad_value: response.data.card.sex' ],
	[ video(), undef ],
	[ relation(507, 1704067200, 5), undef ],
	# only the server can refuse these two: a bvid another video has, a partition cycle
	[ video(aid => 1002, view => 3), 'server_error: 23505' ],
	[ video(aid => 1003, bvid => 'BV1Ab411c7mD', tid => 1, tname => '动画', ptid => 24, pname => 'MAD·AMV'),
		'server_error: 23514' ],
	[ '', undef ],
	[ video(t => 1704070800, view => 20), undef ],
	[ relation(509, 1704067200, 5), undef ],
);
my $badfile = "$tmp/bad.jsonl";
open my $fh, '>', $badfile or die;
print $fh map { "$_->[0]\n" } @bad;
close $fh;

($rc, $err) = ingest('bad', "$tmp/rejects3.txt", $badfile);
is($rc, 1, 'bad lines: exit 1');
my %got = map { my ($pos, $reason) = split /\t/; ($pos => $reason) } slurp_lines("$tmp/rejects3.txt");
for my $i (0 .. $#bad)
{
	my ($line, $want) = @{ $bad[$i] };
	my $pos = "$badfile:" . ($i + 1);
	if (defined $want)
	{
		like($got{$pos} // '(not rejected)', qr/^\Q$want\E/, "line " . ($i + 1) . " rejected as $want");
	}
	else
	{
		ok(!exists $got{$pos}, "line " . ($i + 1) . ' is not rejected');
	}
}
is(scalar(keys %got), scalar(grep { defined $_->[1] } @bad), 'nothing else is rejected');
is($node->safe_psql('bad', "SELECT string_agg(mid::text, ',' ORDER BY mid) FROM uphub.creator_snapshot"),
	'501,502,507,509', 'the good neighbours of bad lines are loaded');
is($node->safe_psql('bad', "SELECT string_agg(format('%s@%s=%s', aid, extract(epoch FROM observed_at)::bigint, view), ',' ORDER BY aid, observed_at) FROM uphub.video_snapshot"),
	'1001@1704067200=10,1001@1704070800=20', 'video snapshots of the good lines only');
is($node->safe_psql('bad', "SELECT parent_tid FROM uphub.partition WHERE tid = 1"), '',
	'the refused cycle left the partition tree alone');
like($err, qr/done: .* rejected \(2 by the server\), 1 blank/, 'summary counts server rejects and blank lines');

# ---------------------------------------------------------------------------
# Could not run
# ---------------------------------------------------------------------------
IPC::Run::run([ $ingest, '--dsn', 'host=/nonexistent port=1 dbname=x', $badfile ], '>', \my $o1, '2>', \my $e1);
is($? >> 8, 2, 'no server: exit 2');
like($e1, qr/could not connect/, 'and says so');
IPC::Run::run([ $ingest, '--dsn', $node->connstr('bad'), "$tmp/missing.jsonl" ], '>', \my $o2, '2>', \my $e2);
is($? >> 8, 2, 'missing input file: exit 2');
IPC::Run::run([ $ingest, '--dsn', $node->connstr('postgres'), $badfile ], '>', \my $o3, '2>', \my $e3);
is($? >> 8, 2, 'database without uphub: exit 2');

$node->stop;
done_testing();
