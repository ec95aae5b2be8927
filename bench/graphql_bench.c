/*
 * graphql_bench.c — parse + validate throughput of src/graphql.
 *
 * Times the graphql-js introspection query and a typical dashboard query,
 * each parsed and validated in a fresh arena per iteration (as a request
 * does), and prints microseconds per document and MB/s of query text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "graphql.h"
#include "graphql_test_schema.h"

/* Wall-clock seconds, monotonic. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* Run one document for about a second; print its figures. */
static void
bench(const GraphqlSchema *schema, const char *name, const char *text)
{
	size_t len = strlen(text);
	long iterations = 0;
	double start = now();
	double elapsed;

	do
	{
		int i;

		for (i = 0; i < 200; i++)
		{
			GraphqlArena *arena = graphql_arena_create(NULL);
			GraphqlError *err;
			GraphqlDocument *doc = graphql_parse(arena, text, len, NULL, &err);

			if (doc == NULL || graphql_validate(arena, schema, doc, NULL) != NULL)
			{
				fprintf(stderr, "%s: unexpected error\n", name);
				exit(1);
			}
			graphql_arena_destroy(arena);
		}
		iterations += 200;
		elapsed = now() - start;
	} while (elapsed < 1.0);
	printf("%-14s %6zu bytes  %8.2f us/doc  %7.1f MB/s  (%ld iterations)\n", name, len,
	       elapsed * 1e6 / (double) iterations, (double) len * (double) iterations / elapsed / 1e6,
	       iterations);
}

int
main(void)
{
	GraphqlSchema *schema = graphql_test_schema_create();

	bench(schema, "introspection", graphql_test_introspection_query);
	bench(schema, "dashboard", graphql_test_dashboard_query);
	graphql_schema_destroy(schema);
	return 0;
}
