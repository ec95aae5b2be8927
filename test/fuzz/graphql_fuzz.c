/*
 * graphql_fuzz.c — libFuzzer target for src/graphql.
 *
 * Each input is lexed to the end, parsed with limits, validated against the
 * shared test schema, measured and checked for complexity, and printed in
 * canonical form. Invariants checked beyond "no crash, no leak, no UB":
 * the canonical text of a parsed document parses again and prints to the
 * same text, so the plan-cache hash is stable.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graphql.h"
#include "graphql_test_schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static GraphqlSchema *schema;
	GraphqlParseLimits parse_limits = {1 << 20, 20000, 64};
	GraphqlComplexityLimits limits = {12, 2000, 30, true};
	GraphqlArena *arena;
	GraphqlLexer *lexer;
	GraphqlToken token;
	GraphqlError *err;
	GraphqlDocument *doc;
	const char *src = (const char *) data;

	if (schema == NULL)
		schema = graphql_test_schema_create();
	arena = graphql_arena_create(NULL);

	/* the lexer alone, to the end or the first error */
	lexer = graphql_lexer_create(arena, src, size);
	while (graphql_lexer_next(lexer, &token, &err) && token.kind != GRAPHQL_TOKEN_EOF)
		;

	doc = graphql_parse(arena, src, size, &parse_limits, &err);
	if (doc != NULL)
	{
		const GraphqlDefinition *d;
		size_t len;
		size_t len2;
		char *printed;
		char *printed2;
		GraphqlDocument *again;

		graphql_validate(arena, schema, doc, NULL);
		for (d = doc->definitions; d; d = d->next)
		{
			uint32_t depth;
			uint32_t count;

			if (d->kind != GRAPHQL_DEFINITION_OPERATION)
				continue;
			graphql_check_complexity(arena, doc, d, &limits);
			graphql_measure_operation(arena, doc, d, &depth, &count);
		}
		graphql_get_operation(arena, doc, NULL, &err);
		printed = graphql_print_document(arena, doc, &len);
		again = graphql_parse(arena, printed, len, NULL, &err);
		if (again == NULL)
		{
			fprintf(stderr, "canonical text does not parse: %s\n%s\n", err->message, printed);
			abort();
		}
		printed2 = graphql_print_document(arena, again, &len2);
		if (len != len2 || memcmp(printed, printed2, len) != 0)
		{
			fprintf(stderr, "canonical text is not stable:\n%s\n%s\n", printed, printed2);
			abort();
		}
		(void) graphql_document_hash(arena, doc);
	}
	graphql_arena_destroy(arena);
	return 0;
}
