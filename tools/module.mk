# tools/ — uphub-gen (synthetic ingest lines) and uphub-ingest (libpq + jansson).
# The top Makefile installs every $(TOOLS) into $(bindir).

TOOLS_CFLAGS = -O2 -Wall -Wextra -Werror -std=gnu11
TOOLS_PQ_CFLAGS = -I$(shell pg_config --includedir)

TOOLS += tools/uphub-gen tools/uphub-ingest

tools/uphub-gen: tools/uphub-gen.c tools/buf.h
	$(CC) $(TOOLS_CFLAGS) -o $@ $< -lm

tools/uphub-ingest: tools/uphub-ingest.c tools/ingest_decode.c tools/ingest_decode.h tools/buf.h
	$(CC) $(TOOLS_CFLAGS) $(TOOLS_PQ_CFLAGS) -o $@ tools/uphub-ingest.c tools/ingest_decode.c \
	  -L$(shell pg_config --libdir) -lpq -ljansson -lm -lpthread

# Decoder unit tests and fuzz target (tools/ingest_decode.c is a pure function).
UNIT_TESTS += test/unit/tools_test
FUZZ_TARGETS += test/fuzz/ingest_fuzz

test/unit/tools_test: test/unit/tools_test.c tools/ingest_decode.c tools/ingest_decode.h
	$(CC) $(TOOLS_CFLAGS) -Itools -o $@ test/unit/tools_test.c tools/ingest_decode.c -ljansson -lm

test/fuzz/ingest_fuzz: test/fuzz/ingest_fuzz.c tools/ingest_decode.c tools/ingest_decode.h
	clang -g -O1 -fsanitize=fuzzer,address,undefined -Itools -o $@ test/fuzz/ingest_fuzz.c \
	  tools/ingest_decode.c -ljansson -lm
