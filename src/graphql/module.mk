# src/graphql: pure-C GraphQL lexer, parser, validator (no PostgreSQL headers).
# Linked into uphub.so through OBJS; also built standalone for unit tests,
# the libFuzzer target and the benchmark.

GRAPHQL_NAMES := arena lexer parser print suggest schema validate validate_document \
	validate_overlap limits
GRAPHQL_SRCS := $(addprefix src/graphql/,$(addsuffix .c,$(GRAPHQL_NAMES)))
GRAPHQL_HDRS := $(wildcard src/graphql/*.h)
GRAPHQL_TEST_SRCS := test/unit/graphql_test_schema.c
GRAPHQL_TEST_HDRS := test/unit/graphql_test_schema.h test/unit/graphql_test_validate_cases.h
GRAPHQL_WARN := -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers \
	-Wmissing-prototypes -Wdeclaration-after-statement -Werror=vla -Wpointer-arith
GRAPHQL_INC := -Isrc/graphql -Itest/unit

OBJS += $(GRAPHQL_SRCS:.c=.o)
UNIT_TESTS += test/unit/graphql_test test/unit/graphql_test_asan
FUZZ_TARGETS += test/fuzz/graphql_fuzz
BENCH_PROGRAMS += bench/graphql_bench
EXTRA_CLEAN += test/unit/graphql_test test/unit/graphql_test_asan test/fuzz/graphql_fuzz \
	bench/graphql_bench

test/unit/graphql_test: test/unit/graphql_test.c $(GRAPHQL_TEST_SRCS) $(GRAPHQL_SRCS) \
		$(GRAPHQL_HDRS) $(GRAPHQL_TEST_HDRS)
	$(CC) -std=gnu99 -g -O1 $(GRAPHQL_WARN) $(GRAPHQL_INC) -o $@ \
		test/unit/graphql_test.c $(GRAPHQL_TEST_SRCS) $(GRAPHQL_SRCS)

test/unit/graphql_test_asan: test/unit/graphql_test.c $(GRAPHQL_TEST_SRCS) $(GRAPHQL_SRCS) \
		$(GRAPHQL_HDRS) $(GRAPHQL_TEST_HDRS)
	$(CC) -std=gnu99 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
		-fno-omit-frame-pointer $(GRAPHQL_WARN) $(GRAPHQL_INC) -o $@ \
		test/unit/graphql_test.c $(GRAPHQL_TEST_SRCS) $(GRAPHQL_SRCS)

test/fuzz/graphql_fuzz: test/fuzz/graphql_fuzz.c $(GRAPHQL_TEST_SRCS) $(GRAPHQL_SRCS) \
		$(GRAPHQL_HDRS) $(GRAPHQL_TEST_HDRS)
	clang -std=gnu99 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-fno-omit-frame-pointer $(GRAPHQL_INC) -o $@ \
		test/fuzz/graphql_fuzz.c $(GRAPHQL_TEST_SRCS) $(GRAPHQL_SRCS)

bench/graphql_bench: bench/graphql_bench.c $(GRAPHQL_TEST_SRCS) $(GRAPHQL_SRCS) $(GRAPHQL_HDRS) \
		$(GRAPHQL_TEST_HDRS)
	$(CC) -std=gnu99 -O2 -DNDEBUG $(GRAPHQL_WARN) $(GRAPHQL_INC) -o $@ \
		bench/graphql_bench.c $(GRAPHQL_TEST_SRCS) $(GRAPHQL_SRCS)
