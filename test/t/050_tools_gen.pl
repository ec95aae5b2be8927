# uphub-gen: determinism (same seed, same bytes; another seed, other
# bytes) and the shape of what it writes: every endpoint, realistic ids,
# heavy-tailed views and followers, likes as a few percent of views, and the
# noise a real crawl has (duplicates, hidden counters, refusals, deleted
# videos, late lines, followers that fall). No database needed.
use strict;
use warnings;
use PostgreSQL::Test::Utils;
use Test::More;
use Digest::MD5 qw(md5_hex);
use Time::Local qw(timegm);

my $bindir = $ENV{UPHUB_BINDIR} // `pg_config --bindir`;
chomp $bindir;
my $gen = "$bindir/uphub-gen";
ok(-x $gen, "uphub-gen is installed in $bindir");

# Run the generator, return its stdout.
sub gen
{
	my @args = @_;
	my ($out, $err);
	IPC::Run::run([ $gen, @args ], '>', \$out, '2>', \$err)
	  or die "uphub-gen @args failed: $err";
	return $out;
}

my @small = ('--creators', '60', '--days', '5');
my $one = gen(@small, '--seed', '42');
my $again = gen(@small, '--seed', '42');
my $other = gen(@small, '--seed', '43');
my $rc;
ok(length($one) > 10000, 'output is not empty');
is(md5_hex($one), md5_hex($again), 'same seed gives identical bytes');
isnt(md5_hex($one), md5_hex($other), 'another seed gives other bytes');
is(md5_hex(gen(@small, '--seed', '42', '--snapshots-per-day', '1')), md5_hex($one),
	'explicit defaults change nothing');

# --from-day / --to-day: days 3..5 of the same world. Every line is of
# those days, and each video has the pubdate, each (video, time) the counters
# of the full run: consecutive ranges continue one feed.
{
	my $full = gen(@small, '--seed', '42', '--days', '6');
	my $tail = gen(@small, '--seed', '42', '--days', '6', '--from-day', '3', '--to-day', '6');
	my $start = timegm(0, 0, 16, 31, 11, 2023);    # 2024-01-01 Asia/Shanghai
	my (%pub, %stat);
	my ($early, $same_pub, $same_stat, $n, $videos) = (0, 0, 0, 0, 0);
	for my $l (split /\n/, $full)
	{
		my ($aid) = $l =~ /"aid":(\d+)/ or next;
		my ($pd) = $l =~ /"pubdate":(\d+)/;
		my ($st) = $l =~ /"stat":(\{[^}]*\})/;
		my ($t) = $l =~ /^\{"observed_at":("[^"]+"|\d+)/;
		$pub{$aid} = $pd if defined $pd;
		$stat{"$aid $t"} = $st if defined $st;
	}
	for my $l (split /\n/, $tail)
	{
		$n++;
		my ($t) = $l =~ /^\{"observed_at":(\d+),/;
		$early++ if defined $t && $t < $start + 3 * 86400;
		my ($aid) = $l =~ /"aid":(\d+)/ or next;
		my ($pd) = $l =~ /"pubdate":(\d+)/;
		my ($st) = $l =~ /"stat":(\{[^}]*\})/;
		my ($ts) = $l =~ /^\{"observed_at":("[^"]+"|\d+)/;
		next unless defined $pd;
		$videos++;
		$same_pub++ if $pub{$aid} == $pd;
		$same_stat++ if defined $st && defined $stat{"$aid $ts"} && $stat{"$aid $ts"} eq $st;
	}
	ok($n > 1000, "days 3..5 give lines ($n)");
	is($early, 0, 'none of them before day 3');
	is($same_pub, $videos, 'every video keeps the pubdate of the full run');
	cmp_ok($same_stat, '>=', 0.9 * $videos,
		"counters equal the full run's at the same time ($same_stat of $videos)");
	($rc) = IPC::Run::run([ $gen, '--days', '3', '--to-day', '4' ], '>', \my $o2, '2>', \my $e2);
	ok(!$rc, 'a day range outside --days fails');
	like($e2, qr/not within --days/, 'and says why');
}

($rc) = IPC::Run::run([ $gen, '--creators', 'x' ], '>', \my $o, '2>', \my $e);
ok(!$rc, 'a bad argument fails');
like($e, qr/bad value for --creators/, 'and says which');

# A bigger set for the distributions.
my $text = gen('--creators', '400', '--videos-per-creator', '20', '--days', '20',
	'--seed', '7');
my @lines = split /\n/, $text;
note(scalar(@lines) . ' lines');

my (%endpoint, %code, %views, %likes, %followers, %seen, %prev_follower);
my ($dups, $hidden, $late, $falls, $staff, $mcn, $rfc3339, $max_seen) =
  (0, 0, 0, 0, 0, 0, 0, 0);
my ($max_mid, $max_aid, $bad_bvid) = (0, 0, 0);
for my $l (@lines)
{
	$dups++ if $seen{$l}++;
	$hidden++ if $l =~ /"--"/;
	my ($ep) = $l =~ /"endpoint":"([^"]+)"/;
	$endpoint{$ep}++;
	my ($code) = $l =~ /"response":\{"code":(-?\d+)/;
	$code{$code}++;
	my $t;
	if ($l =~ /^\{"observed_at":(\d+),/) { $t = $1; }
	elsif ($l =~ /^\{"observed_at":"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)/)
	{
		$rfc3339++;
		$t = timegm($6, $5, $4, $3, $2 - 1, $1);
		$t -= 8 * 3600 if $l =~ /^\{"observed_at":"[^"]*\+08:00"/;
	}
	$late++ if $t < $max_seen - 86400 * 0.9;
	$max_seen = $t if $t > $max_seen;
	next unless $code == 0;
	if ($ep eq 'x/web-interface/view')
	{
		my ($aid) = $l =~ /"aid":(\d+)/;
		my ($bvid) = $l =~ /"bvid":"([^"]+)"/;
		$bad_bvid++ unless $bvid =~ /^BV1[1-9A-HJ-NP-Za-km-z]{9}$/;
		$max_aid = $aid if $aid > $max_aid;
		if ($l =~ /"view":(\d+)/)
		{
			$views{$aid} = $1 if !defined $views{$aid} || $1 > $views{$aid};
			if ($l =~ /"like":(\d+)/ && $1 > 0) { $likes{$aid} = $1; }
		}
		$staff++ if $l =~ /"staff":\[/;
	}
	elsif ($ep eq 'x/relation/stat')
	{
		my ($mid, $f) = $l =~ /"mid":(\d+).*"follower":(\d+)/;
		$max_mid = $mid if $mid > $max_mid;
		$falls++ if defined $prev_follower{$mid} && $f < $prev_follower{$mid};
		$prev_follower{$mid} = $f;
		$followers{$mid} = $f;
	}
	elsif ($ep eq 'x/web-interface/card')
	{
		$mcn++ if $l =~ /"mcn":\{"id":\d+,"name":"[^"]+"\}/;
	}
}

for my $ep ('x/web-interface/view', 'x/relation/stat', 'x/space/upstat',
	'x/web-interface/card')
{
	ok($endpoint{$ep}, "endpoint $ep is present");
}
is(scalar(keys %endpoint), 4, 'no other endpoint');

sub median
{
	my @s = sort { $a <=> $b } @_;
	return $s[ int(@s / 2) ];
}

my @v = sort { $b <=> $a } values %views;
my $total = 0;
$total += $_ for @v;
my $top = 0;
$top += $v[$_] for 0 .. int(@v / 100) - 1;
my $median = median(@v);
note("videos " . scalar(@v) . ", median views $median, max $v[0], top 1% share "
	  . sprintf('%.2f', $top / $total));
ok($median >= 150 && $median <= 1500, "median views at maturity is near 400 ($median)");
ok($top / $total >= 0.25 && $top / $total <= 0.98,
	'the top 1% of videos hold a large share of views');
ok($v[0] >= 100 * $median, 'the head reaches far beyond the median');

my @f = values %followers;
my $under10 = grep { $_ < 10 } @f;
note("creators " . scalar(@f) . ", under 10 followers: $under10");
ok($under10 / @f >= 0.45 && $under10 / @f <= 0.9, 'most creators have under 10 followers');
my $fmax = (sort { $b <=> $a } @f)[0];
ok($fmax >= 1000 && $fmax >= 100 * median(@f), "followers are heavy-tailed (max $fmax)");

my @ratios = map { $likes{$_} / $views{$_} } grep { $views{$_} >= 1000 && $likes{$_} } keys %likes;
my $rmed = median(@ratios);
ok($rmed >= 0.02 && $rmed <= 0.06, sprintf('likes are 2-6%% of views (median %.3f)', $rmed));

ok($dups >= 1, "exact duplicate lines are present ($dups)");
ok($hidden >= 1, "hidden counters are present ($hidden)");
ok($code{-352}, "risk-control refusals are present ($code{-352})");
ok($code{-404}, "deleted videos answer -404 ($code{-404})");
ok($late >= 1, "some lines arrive a day or more late ($late)");
ok($falls >= 1, "follower counts also fall ($falls)");
ok($staff >= 1, "joint videos carry staff ($staff)");
ok($mcn >= 1, "some creators are in an MCN ($mcn cards)");
ok($rfc3339 >= 1 && $rfc3339 < @lines, 'observed_at mixes Unix seconds and RFC 3339');
ok(length($max_mid) >= 15, "mids reach 16 digits ($max_mid)");
ok(length($max_aid) >= 15, "aids reach 15-16 digits ($max_aid)");
is($bad_bvid, 0, 'every bvid has the site\'s BV1 form');

done_testing();
