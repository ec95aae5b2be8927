#!/usr/bin/env bash
# test/run.sh — `make test`: set up, build, install, start a private cluster,
# run every suite, print `N passed, N failed` as the last line.
#
# Suites, in order: C unit tests (UNIT_TESTS of the module.mk files), short
# fuzz runs (FUZZ_TARGETS), style lint, pg_regress (sql/ + expected/),
# isolation specs (test/isolation/), TAP tests (test/t/*.pl, each with its own
# cluster), shell checks (test/checks/*.sh). Counts are per test case where the
# suite reports them (unit tests, TAP assertions), per file otherwise.
#
# uphub is installed into a private copy of the PostgreSQL installation
# (scripts/lib.sh private_install), not into the system one: every suite
# that loads uphub.so uses this checkout's build, and test runs of several
# checkouts (and benchmarks, and `make demo`) never wait for or disturb each
# other. The cluster and the copy are removed at the end, even on failure.
#
# Environment: UPHUB_TEST_PORT (default 54329), FUZZ_SECONDS (default 60),
# UPHUB_SUITES (space-separated subset of: unit fuzz lint regress isolation tap checks).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

bash scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }
. scripts/lib.sh

port=${UPHUB_TEST_PORT:-54329}
dir=${TMPDIR:-/tmp}/uphub-test-$port
db=uphub_regress
suites=${UPHUB_SUITES:-unit fuzz lint regress isolation tap checks}
fuzz_seconds=${FUZZ_SECONDS:-60}
out=$top/build/test
passed=0
failed=0
failures=()
start_time=$(date +%s)

pass() { passed=$((passed + $1)); }
fail() { failed=$((failed + $1)); failures+=("$2"); }
want() { case " $suites " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

root=$dir-root
cleanup() {
	cluster_destroy "$dir"
	rm -rf "$root"
}
trap cleanup EXIT

rm -rf "$out"
mkdir -p "$out"

echo "== build"
if ! make -s -j2 all >"$out/build.log" 2>&1; then
	cat "$out/build.log"
	echo "0 passed, 1 failed"
	exit 1
fi
lists=$(make -s list-tests)
unit_tests=$(sed -n 's/^UNIT_TESTS=//p' <<<"$lists")
fuzz_targets=$(sed -n 's/^FUZZ_TARGETS=//p' <<<"$lists")
if want fuzz && [ -n "$fuzz_targets" ]; then
	make -s -j2 $fuzz_targets >>"$out/build.log" 2>&1 || { cat "$out/build.log"; fail 1 "fuzz build"; fuzz_targets=; }
fi

# ---- C unit tests -----------------------------------------------------------
if want unit; then
	for t in $unit_tests; do
		name=$(basename "$t")
		log="$out/unit-$name.log"
		"./$t" >"$log" 2>&1
		rc=$?
		last=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
		p=$(sed -E 's/^([0-9]+) passed.*/\1/' <<<"$last")
		f=$(sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$last")
		p=${p:-0} f=${f:-0}
		if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
		pass "$p"
		if [ "$f" -gt 0 ]; then fail "$f" "unit $name (see $log)"; tail -n 20 "$log"; fi
		echo "unit $name: $p passed, $f failed"
	done
fi

# ---- short fuzz runs ----------------------------------------------------------
if want fuzz; then
	for t in $fuzz_targets; do
		name=$(basename "$t")
		corpus="test/fuzz/corpus/$name"
		work="$out/fuzz-$name"
		mkdir -p "$work/corpus" "$work/crash"
		if "./$t" -print_final_stats=1 -max_total_time="$fuzz_seconds" -artifact_prefix="$work/crash/" \
			"$work/corpus" "$corpus" >"$out/fuzz-$name.log" 2>&1; then
			pass 1
			echo "fuzz $name: ok ($(grep -o 'stat::number_of_executed_units: [0-9]*' "$out/fuzz-$name.log" | awk '{print $2}') execs)"
		else
			fail 1 "fuzz $name (see $out/fuzz-$name.log, inputs in $work/crash)"
			tail -n 30 "$out/fuzz-$name.log"
		fi
	done
fi

# ---- style ----------------------------------------------------------------------
if want lint; then
	if make -s lint >"$out/lint.log" 2>&1; then
		pass 1
		echo "lint: ok"
	else
		fail 1 "lint (see $out/lint.log)"
		tail -n 30 "$out/lint.log"
	fi
fi

# Everything below loads uphub.so: from this checkout's private install
# (PG_BINDIR now points into it; PATH too, for pg_config in the TAP tests).
if ! private_install "$root" >"$out/install.log" 2>&1; then
	cat "$out/install.log"
	fail 1 "install"
	echo "$passed passed, $failed failed"
	exit 1
fi

if want regress || want isolation || want checks; then
	if ! cluster_create "$dir" "$port" "$db" || ! cluster_start "$dir"; then
		fail 1 "cluster start"
		echo "$passed passed, $failed failed"
		exit 1
	fi
	as_pg "$PG_BINDIR/createdb" -h "$dir" -p "$port" -U postgres "$db"
fi

# ---- pg_regress ------------------------------------------------------------------
if want regress; then
	tests=$(ls sql/*.sql 2>/dev/null | sed 's|sql/||; s|\.sql$||' | sort)
	if [ -n "$tests" ]; then
		mkdir -p "$out/regress"
		"$PGXS_DIR/test/regress/pg_regress" --use-existing --host="$dir" --port="$port" \
			--user=postgres --dbname="$db" --inputdir="$top" --outputdir="$out/regress" \
			--bindir="$PG_BINDIR" $tests >"$out/regress.log" 2>&1
		cat "$out/regress.log" | grep -E '^(test|ok|not ok| +[a-z_0-9]+ +\.\.\.)' || true
		p=$(grep -cE '\.\.\. ok' "$out/regress.log")
		f=$(grep -cE '\.\.\. FAILED|\.\.\. failed' "$out/regress.log")
		pass "$p"
		[ "$f" -gt 0 ] && { fail "$f" "pg_regress (see $out/regress/regression.diffs)"; head -n 80 "$out/regress/regression.diffs"; }
		if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then fail 1 "pg_regress did not run"; cat "$out/regress.log"; fi
	fi
fi

# ---- isolation ----------------------------------------------------------------------
if want isolation; then
	specs=$(ls test/isolation/specs/*.spec 2>/dev/null | sed 's|.*/||; s|\.spec$||' | sort)
	if [ -n "$specs" ]; then
		mkdir -p "$out/isolation"
		"$PGXS_DIR/test/isolation/pg_isolation_regress" --use-existing --host="$dir" --port="$port" \
			--user=postgres --dbname="$db" --inputdir="$top/test/isolation" \
			--outputdir="$out/isolation" --bindir="$PG_BINDIR" $specs >"$out/isolation.log" 2>&1
		grep -E '\.\.\. ' "$out/isolation.log" || true
		p=$(grep -cE '\.\.\. ok' "$out/isolation.log")
		f=$(grep -cE '\.\.\. FAILED|\.\.\. failed' "$out/isolation.log")
		pass "$p"
		[ "$f" -gt 0 ] && { fail "$f" "isolation (see $out/isolation/regression.diffs)"; head -n 80 "$out/isolation/regression.diffs"; }
		if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then fail 1 "isolation did not run"; cat "$out/isolation.log"; fi
	fi
fi

# ---- shell checks against the running cluster --------------------------------------
if want checks; then
	for c in test/checks/*.sh; do
		[ -e "$c" ] || continue
		name=$(basename "$c" .sh)
		if PGHOST="$dir" PGPORT="$port" PGUSER=postgres PGDATABASE="$db" UPHUB_TEST_DIR="$dir" \
			bash "$c" >"$out/check-$name.log" 2>&1; then
			pass 1
			echo "check $name: ok"
		else
			fail 1 "check $name (see $out/check-$name.log)"
			tail -n 30 "$out/check-$name.log"
		fi
	done
fi

if want regress || want isolation || want checks; then
	cluster_stop "$dir"
fi

# ---- TAP -------------------------------------------------------------------------------
if want tap; then
	taps=$(ls test/t/*.pl 2>/dev/null | sort)
	if [ -n "$taps" ]; then
		tapdir="$dir-tap"
		rm -rf "$tapdir"
		mkdir -p "$tapdir/src"
		# The TAP user may not be able to read this checkout: give it a copy.
		tar -cf - --exclude=./build --exclude=./.git --exclude=./node_modules . | tar xf - -C "$tapdir/src"
		chmod -R a+rX "$tapdir"
		[ "$(id -u)" -eq 0 ] && chown -R postgres: "$tapdir"
		for t in $taps; do
			name=$(basename "$t" .pl)
			log="$out/tap-$name.log"
			as_pg env PATH="$PG_BINDIR:$PATH" PERL5LIB="$PGXS_DIR/test/perl" \
				TESTDIR="$tapdir/$name" PG_REGRESS="$PGXS_DIR/test/regress/pg_regress" \
				UPHUB_SRC="$tapdir/src" UPHUB_BINDIR="$PG_BINDIR" \
				bash -c "mkdir -p '$tapdir/$name' && cd '$tapdir/$name' && perl '$tapdir/src/$t'" >"$log" 2>&1
			rc=$?
			p=$(grep -cE '^ok [0-9]' "$log")
			f=$(grep -cE '^not ok [0-9]' "$log")
			if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
			pass "$p"
			if [ "$f" -gt 0 ]; then
				fail "$f" "tap $name (see $log and $tapdir/$name/tmp_check/log)"
				grep -E '^not ok|^#' "$log" | head -n 40
				[ "${CI:-}" = true ] && find "$tapdir/$name/tmp_check/log" -name '*.log' -exec tail -n 20 {} + 2>/dev/null | head -n 80
			fi
			echo "tap $name: $p passed, $f failed"
		done
		[ "$failed" -eq 0 ] && rm -rf "$tapdir"
	fi
fi


elapsed=$(( $(date +%s) - start_time ))
echo
if [ ${#failures[@]} -gt 0 ]; then
	echo "Failures:"
	printf '  %s\n' "${failures[@]}"
fi
echo "make test took ${elapsed}s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
