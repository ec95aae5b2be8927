#!/usr/bin/perl
# test/valgrind/judge.pl LOGDIR OUTDIR SRCDIR — read the memcheck logs of a
# `make check-valgrind` run (one file per process, --fullpath-after= so that
# frames with debug information carry their full source path) and decide.
#
# An error counts against uphub when a frame of any of its stacks (the error
# itself or the origin of the memory) lies in uphub: a source file under
# SRCDIR/src/ or SRCDIR/tools/, or an object named uphub.so. Those are
# printed in full and make the exit status 1. Every other error belongs to
# PostgreSQL or the C library: the distinct ones are summarised by their
# innermost frames, and the suppressions valgrind generated for them are
# written to OUTDIR/candidates.supp for review before any goes into
# test/valgrind/uphub.supp. Exit 0 when no error touches uphub.
use strict;
use warnings;

my ($logdir, $outdir, $srcdir) = @ARGV;
die "usage: judge.pl LOGDIR OUTDIR SRCDIR\n" unless defined $srcdir && -d $logdir;
$srcdir =~ s{/+$}{};

my ($processes, $total, $ours) = (0, 0, 0);
my (%other, %candidate, @ours_text);

# Classify one finished error.
sub finish
{
	my ($file, $e) = @_;
	return unless $e;
	$total++;
	my @frames = @{ $e->{frames} };
	if (grep { m{\Q$srcdir\E/(src|tools)/} || m{/uphub\.so\)} } @frames)
	{
		$ours++;
		push @ours_text, "[$file] $e->{what}\n" . join('', map { "    $_\n" } @frames);
		return;
	}
	(my $what = $e->{what}) =~ s/\d+/N/g;
	my @fns = map { /^(\S+)/ ? $1 : '?' } @frames[0 .. ($#frames < 3 ? $#frames : 3)];
	my $key = "$what: " . join(' < ', @fns);
	$other{$key}++;
	$candidate{$key} //= $e->{supp} // '';
}

for my $file (sort glob("$logdir/*.log"))
{
	open(my $fh, '<', $file) or die "$file: $!\n";
	$processes++;
	my (@errors, $in_supp);
	while (my $line = <$fh>)
	{
		chomp $line;
		if ($in_supp || $line eq '{')
		{
			# The suppression valgrind generated for the error just read.
			$errors[-1]{supp} .= "$line\n" if @errors;
			$in_supp = $line ne '}';
			next;
		}
		next unless $line =~ /^==\d+==(.*)$/;
		my $body = $1;
		if ($body =~ /^\s*$/)
		{
			$errors[-1]{done} = 1 if @errors;    # a blank line ends the error
		}
		elsif ($body =~ /^\s+(?:at|by) 0x[0-9A-Fa-f]+: (.*)$/)
		{
			push @{ $errors[-1]{frames} }, $1 if @errors;
		}
		elsif ($body =~ /^ (\S.*)$/ && (!@errors || $errors[-1]{done}))
		{
			push @errors, { what => $1, frames => [] };
		}
	}
	close $fh;
	finish($file, $_) for @errors;
}

open(my $cand, '>', "$outdir/candidates.supp") or die "$outdir/candidates.supp: $!\n";
print $cand "# Suppressions valgrind generated for errors outside uphub (review before use).\n";
print $cand "# $other{$_}x $_\n$candidate{$_}\n" for sort keys %candidate;
close $cand;

print "valgrind: $processes processes, $total errors not suppressed, $ours with a frame in uphub\n";
if (%other)
{
	print "errors outside uphub (candidate suppressions in $outdir/candidates.supp):\n";
	printf "  %5d  %s\n", $other{$_}, $_ for sort { $other{$b} <=> $other{$a} } keys %other;
}
print "errors in uphub:\n", @ours_text if $ours;
exit($ours ? 1 : 0);
