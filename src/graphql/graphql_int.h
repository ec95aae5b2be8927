/*
 * graphql_int.h — internals shared by the library's files; not installed.
 *
 * Holds the arena-backed string buffer, the name/pointer hash map, error
 * construction helpers and the lexer state the parser drives directly.
 */
#ifndef UPHUB_GRAPHQL_INT_H
#define UPHUB_GRAPHQL_INT_H

#include <stdarg.h>

#include "graphql.h"

#if defined(__GNUC__) || defined(__clang__)
#define GRAPHQL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define GRAPHQL_PRINTF(f, a)
#endif

/* Growable byte buffer in an arena; always NUL-terminated. */
typedef struct GraphqlBuf
{
	GraphqlArena *arena;
	char *data;
	size_t len;
	size_t cap;
} GraphqlBuf;

void graphql_buf_init(GraphqlBuf *buf, GraphqlArena *arena, size_t initial);
void graphql_buf_append(GraphqlBuf *buf, const char *s, size_t len);
void graphql_buf_puts(GraphqlBuf *buf, const char *s);
void graphql_buf_putc(GraphqlBuf *buf, char c);
void graphql_buf_printf(GraphqlBuf *buf, const char *fmt, ...) GRAPHQL_PRINTF(2, 3);
void graphql_buf_vprintf(GraphqlBuf *buf, const char *fmt, va_list ap) GRAPHQL_PRINTF(2, 0);

char *graphql_format(GraphqlArena *arena, const char *fmt, ...) GRAPHQL_PRINTF(2, 3);

/*
 * Open-addressing hash map from a key to a pointer. String keys are
 * NUL-terminated and compared by content; pointer keys by identity. One
 * map holds one kind of key.
 */
typedef struct GraphqlMapEntry
{
	const void *key;
	void *value;
	uint64_t hash;
} GraphqlMapEntry;

typedef struct GraphqlNameMap
{
	GraphqlArena *arena;
	GraphqlMapEntry *entries;
	uint32_t cap; /* power of two */
	uint32_t count;
	bool pointer_keys;
} GraphqlNameMap;

GraphqlNameMap *graphql_map_create(GraphqlArena *arena, uint32_t expected, bool pointer_keys);
void *graphql_map_get(const GraphqlNameMap *map, const void *key);
/* Inserts; returns the existing value (and changes nothing) if present. */
void *graphql_map_put(GraphqlNameMap *map, const void *key, void *value);
void graphql_map_set(GraphqlNameMap *map, const void *key, void *value);

uint64_t graphql_hash_string(const char *s);

/* Errors */
GraphqlError *graphql_error_new(GraphqlArena *arena, GraphqlErrorKind kind, const char *message,
                                uint32_t location_count, const GraphqlLocation *locations);
GraphqlError *graphql_error_at(GraphqlArena *arena, GraphqlErrorKind kind, GraphqlLocation loc,
                               const char *fmt, ...) GRAPHQL_PRINTF(4, 5);

/* Lexer state, driven by the parser one token at a time. */
struct GraphqlLexer
{
	GraphqlArena *arena;
	const char *src;
	size_t len;
	size_t pos;
	uint32_t line;
	size_t line_start;
	/* column cache: column of byte offset col_pos (code points counted) */
	size_t col_pos;
	uint32_t col;
	uint32_t token_count;
	GraphqlBuf scratch;
};

void graphql_lexer_init(GraphqlLexer *lexer, GraphqlArena *arena, const char *source, size_t len);
GraphqlLocation graphql_lexer_location(GraphqlLexer *lexer, size_t offset);
/* Lexical errors carry this message prefix, like graphql-js. */
#define GRAPHQL_SYNTAX_PREFIX "Syntax Error: "

/* Printing helpers (print.c) */
void graphql_print_value_to(GraphqlBuf *buf, const GraphqlValue *value, bool sort_fields);
void graphql_print_typeref_to(GraphqlBuf *buf, const GraphqlTypeRef *ref);
void graphql_print_string_to(GraphqlBuf *buf, const char *s, size_t len);

/* Suggestions (suggest.c): graphql-js suggestionList + didYouMean. */
const char **graphql_suggestion_list(GraphqlArena *arena, const char *input, const char **options,
                                     uint32_t option_count, uint32_t *result_count);
void graphql_did_you_mean(GraphqlBuf *buf, const char *sub_message, const char **suggestions,
                          uint32_t count);
int graphql_natural_compare(const char *a, const char *b);

#endif /* UPHUB_GRAPHQL_INT_H */
