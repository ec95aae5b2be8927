# uphub — PGXS build. Each subsystem appends to OBJS, UPHUB_SQL, UNIT_TESTS,
# FUZZ_TARGETS, TOOLS and BENCH_PROGRAMS from its own module.mk, so it owns
# the files that declare it. `make demo` and `make test` first install any
# missing Debian package (scripts/setup.sh), so they work on a fresh machine.

EXTENSION   = uphub
EXTVERSION  = 0.1.0
MODULE_big  = uphub

OBJS        = src/uphub.o
UPHUB_SQL   =
UNIT_TESTS  =
FUZZ_TARGETS =
TOOLS       =
BENCH_PROGRAMS =

# The schema comes first in the install script; the rest in name order.
include src/schema/module.mk
include $(sort $(filter-out src/schema/module.mk,$(wildcard src/*/module.mk)))
-include tools/module.mk

DATA_built  = $(EXTENSION)--$(EXTVERSION).sql
DATA        = $(wildcard src/updates/$(EXTENSION)--*--*.sql)
EXTRA_CLEAN = $(EXTENSION)--$(EXTVERSION).sql $(OBJS:.o=.d) $(UNIT_TESTS) $(FUZZ_TARGETS) $(TOOLS) \
              $(BENCH_PROGRAMS) results regression.diffs regression.out output_iso

PG_CPPFLAGS = -I$(srcdir)/src
PG_CFLAGS   = -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers
# Header dependencies (PGXS has none unless PostgreSQL was configured with
# --enable-depend): an object is rebuilt when a header it includes changes,
# so a merge that changes a struct never links stale objects.
PG_CFLAGS  += -MMD -MP
-include $(OBJS:.o=.d)
SHLIB_LINK += -ljansson

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else
# Without the server headers only the set-up targets below can run.
all:
	@echo "PostgreSQL server headers are missing: run scripts/setup.sh (make demo / make test do)." >&2; exit 2
endif

all: $(TOOLS) $(UNIT_TESTS)

$(EXTENSION)--$(EXTVERSION).sql: $(UPHUB_SQL)
	( printf '%s\n' '-- uphub $(EXTVERSION): generated from $(UPHUB_SQL) by the Makefile; edit those.' \
	  '\echo Use "CREATE EXTENSION uphub" to load this file. \quit'; \
	  for f in $(UPHUB_SQL); do printf '\n-- ---- %s ----\n' $$f; cat $$f; done ) > $@

install: install-tools
install-tools: $(TOOLS)
	$(if $(TOOLS),$(INSTALL_PROGRAM) $(TOOLS) '$(DESTDIR)$(bindir)/')

.PHONY: demo demo-stop test bench observe fuzz format lint install-tools list-tests check-valgrind soak

demo:
	@bash scripts/demo.sh

demo-stop:
	@bash scripts/demo.sh stop

test:
	@bash test/run.sh

bench:
	@bash bench/run.sh

observe:
	@bash scripts/observe.sh

# Not part of `make test` (slow): the pg_regress suites under valgrind memcheck,
# and a long mixed workload that watches memory, errors and stats counts.
check-valgrind:
	@bash scripts/valgrind.sh

SOAK_SECONDS ?= 600
soak:
	@SOAK_SECONDS=$(SOAK_SECONDS) bash scripts/soak.sh

FUZZ_SECONDS ?= 600
fuzz: $(FUZZ_TARGETS)
	@for f in $(FUZZ_TARGETS); do \
	  n=$$(basename $$f); mkdir -p test/fuzz/corpus/$$n test/fuzz/found/$$n; \
	  echo "== $$n for $(FUZZ_SECONDS)s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=test/fuzz/found/$$n/ \
	      test/fuzz/found/$$n test/fuzz/corpus/$$n || exit 1; \
	done

C_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
format:
	clang-format -i $(C_FILES)

lint:
	@clang-format --dry-run --Werror $(C_FILES)
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
	  --inline-suppr --suppress=missingIncludeSystem --std=c99 \
	  -I src -I $(shell $(PG_CONFIG) --includedir-server) -D__GNUC__ \
	  $(filter %.c,$(C_FILES))

# Lists for test/run.sh and bench/run.sh.
list-tests:
	@echo "UNIT_TESTS=$(UNIT_TESTS)"
	@echo "FUZZ_TARGETS=$(FUZZ_TARGETS)"
	@echo "BENCH_PROGRAMS=$(BENCH_PROGRAMS)"
