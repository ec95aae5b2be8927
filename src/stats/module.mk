# src/stats — shared-memory stats store, SQL views, Prometheus text, HTTP exporter.
OBJS      += src/stats/store.o src/stats/persist.o src/stats/prometheus.o src/stats/views.o \
             src/stats/http.o src/stats/exporter.o
UPHUB_SQL += src/stats/stats.sql

# The HTTP request reader (src/stats/http.c) is pure C: a table-driven unit
# test and a libFuzzer target build it without PostgreSQL.
UNIT_TESTS   += test/unit/stats_http_test
FUZZ_TARGETS += test/fuzz/http_fuzz

test/unit/stats_http_test: test/unit/stats_http_test.c src/stats/http.c src/stats/http.h
	$(CC) -std=c99 -O1 -g -Wall -Wextra -Werror -I src -o $@ test/unit/stats_http_test.c src/stats/http.c

test/fuzz/http_fuzz: test/fuzz/http_fuzz.c src/stats/http.c src/stats/http.h
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I src \
	  -o $@ test/fuzz/http_fuzz.c src/stats/http.c
