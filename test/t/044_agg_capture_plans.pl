# The change capture of video and creator updates joins the statement's old
# and new transition tables. Those statements must be planned for the
# transition tables' real sizes: a plan cached from an earlier call in the
# same session (an upsert that updated nothing, so "1 row" each) was a nested
# loop over old x new rows, and made every later bulk upsert O(n^2) — issue 3,
# ingest fell to 3,000 lines/s. This test replays that session: an empty
# update first, then a bulk one, with auto_explain showing every nested
# plan; no join may filter away n^2 rows, and the capture still logs every
# move. The capture must not be compiled by JIT either (it estimates a join
# of two transition tables at n^2/200 rows, and compiled for seconds): the
# session sets jit_above_cost = 0, and no capture plan may show JIT. (Plan
# shapes, not timings.)
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $n = 3000;

my $node = PostgreSQL::Test::Cluster->new('capture');
$node->init;
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'uphub'
uphub.database = 'none'
timezone = 'Asia/Shanghai'
});
$node->start;
$node->safe_psql('postgres', qq{
	CREATE EXTENSION uphub;
	INSERT INTO uphub.partition VALUES (1, NULL, 'one'), (2, NULL, 'two');
	INSERT INTO uphub.creator (mid, name, main_tid, updated_at)
	SELECT m, 'c' || m, 1, '2024-01-01 00:00+08' FROM generate_series(1, $n) m;
	INSERT INTO uphub.video (aid, bvid, mid, tid, title, pubdate, updated_at)
	SELECT a, 'BV1' || translate(lpad(a::text, 9, '0'), '0123456789', 'abcdefghij'),
		a, 1, 'v' || a, '2024-01-01 10:00+08', '2024-01-01 10:00+08'
	FROM generate_series(1, $n) a;
	DELETE FROM uphub.agg_change;
});

# One session, as a loader's: first statements that update no row (their
# statement triggers still run, with empty transition tables), then bulk
# updates of every row that move each video and creator.
my ($stdout, $stderr);
$node->psql('postgres', qq{
	LOAD 'auto_explain';
	SET auto_explain.log_min_duration = 0;
	SET auto_explain.log_nested_statements = on;
	SET auto_explain.log_analyze = on;
	SET auto_explain.log_timing = off;
	SET auto_explain.log_level = notice;
	SET jit_above_cost = 0;
	BEGIN;
	INSERT INTO uphub.video AS v (aid, bvid, mid, title, updated_at)
	VALUES (1, 'BV1aaaaaaaab', 1, 'v1', '2024-01-01 00:00+08')
	ON CONFLICT (aid) DO UPDATE SET title = excluded.title WHERE v.updated_at < excluded.updated_at;
	UPDATE uphub.creator SET name = name WHERE false;
	UPDATE uphub.video SET tid = 2, updated_at = '2024-01-02 10:00+08';
	UPDATE uphub.creator SET main_tid = 2, updated_at = '2024-01-02 10:00+08';
	COMMIT;
}, stdout => \$stdout, stderr => \$stderr, on_error_die => 1);

my @plans = split /NOTICE:  duration: /, $stderr;
my @joins = grep { /old_rows/ && /new_rows/ && /Join/ } @plans;
ok(@joins >= 2, 'auto_explain showed the capture joins of old and new rows')
	or diag($stderr);
my $worst = 0;
for my $plan (@plans)
{
	while ($plan =~ /Rows Removed by Join Filter: (\d+)/g)
	{
		$worst = $1 if $1 > $worst;
	}
}
cmp_ok($worst, '<', $n, "no join of the capture filters away n^2 rows (worst: $worst)")
	or diag(join("\n", @joins));

my @jit = grep { /JIT:/ } grep { /old_rows|new_rows/ } @plans;
is(scalar(@jit), 0, 'no capture statement is compiled by JIT') or diag(join("\n", @jit));

is( $node->safe_psql('postgres', qq{
		SELECT (SELECT count(*) FROM uphub.video_tid_history WHERE tid = 2)
			|| ' ' || (SELECT count(*) FROM uphub.creator_dim_history WHERE main_tid = 2)
			|| ' ' || (SELECT count(*) FROM uphub.agg_change WHERE kind = 'a')
			|| ' ' || (SELECT count(*) FROM uphub.agg_change WHERE kind = 'm')
			|| ' ' || (SELECT count(*) FROM uphub.agg_change WHERE kind = 'r')}),
	"$n $n $n $n $n",
	'every move is in the history and the change log');

$node->stop;
done_testing();
