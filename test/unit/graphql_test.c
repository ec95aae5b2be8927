/*
 * graphql_test.c — table-driven unit tests of src/graphql.
 *
 * Sections: lexer (every token rule, valid and invalid), parser (a
 * kitchen-sink document, error wording and locations, limits), printing and
 * hashing, operation selection, validation (each rule passing and failing
 * with the exact graphql-js v16 message and locations), complexity limits,
 * and the graphql-js introspection query. The last stdout line is
 * "N passed, N failed"; the exit status is non-zero when anything failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graphql.h"
#include "graphql_test_schema.h"

static int n_passed;
static int n_failed;
static GraphqlSchema *schema;

static void
check(int cond, const char *what, const char *input, const char *expected, const char *got)
{
	if (cond)
	{
		n_passed++;
		return;
	}
	n_failed++;
	printf("FAIL %s\n  input:    %s\n  expected: %s\n  got:      %s\n", what, input,
	       expected ? expected : "(null)", got ? got : "(null)");
}

/* "message (l:c, l:c)" per error, joined by newlines. */
static char *
format_errors(GraphqlArena *arena, const GraphqlError *e)
{
	size_t cap = 4096;
	size_t len = 0;
	char *out = graphql_arena_alloc(arena, cap);

	for (; e; e = e->next)
	{
		uint32_t i;
		char tmp[2048];
		int n;

		n = snprintf(tmp, sizeof(tmp), "%s%s", len ? "\n" : "", e->message);
		for (i = 0; i < e->location_count; i++)
			n += snprintf(tmp + n, sizeof(tmp) - (size_t) n, "%s%u:%u", i == 0 ? " (" : ", ",
			              e->locations[i].line, e->locations[i].column);
		if (e->location_count)
			n += snprintf(tmp + n, sizeof(tmp) - (size_t) n, ")");
		if (len + (size_t) n + 1 > cap)
		{
			char *grown = graphql_arena_alloc(arena, cap * 2 + (size_t) n);

			memcpy(grown, out, len);
			out = grown;
			cap = cap * 2 + (size_t) n;
		}
		memcpy(out + len, tmp, (size_t) n);
		len += (size_t) n;
		out[len] = '\0';
	}
	return out;
}

/* ------------------------------------------------------------------ */
/* Lexer                                                                */
/* ------------------------------------------------------------------ */

typedef struct LexCase
{
	const char *src;
	GraphqlTokenKind kind;
	const char *value; /* expected value, NULL for punctuators */
	const char *error; /* expected error ("msg (l:c)"), NULL if the token is valid */
} LexCase;

static const LexCase lex_cases[] = {
    /* ignored tokens */
    {"\xEF\xBB\xBF foo", GRAPHQL_TOKEN_NAME, "foo", NULL},
    {" \t,,\n\r\n\r  # comment\n  foo", GRAPHQL_TOKEN_NAME, "foo", NULL},
    {"#only a comment", GRAPHQL_TOKEN_EOF, NULL, NULL},
    {"# comment with \xE2\x9C\x93 unicode\nx", GRAPHQL_TOKEN_NAME, "x", NULL},
    {"", GRAPHQL_TOKEN_EOF, NULL, NULL},
    /* punctuators */
    {"!", GRAPHQL_TOKEN_BANG, NULL, NULL},
    {"$", GRAPHQL_TOKEN_DOLLAR, NULL, NULL},
    {"&", GRAPHQL_TOKEN_AMP, NULL, NULL},
    {"(", GRAPHQL_TOKEN_PAREN_L, NULL, NULL},
    {")", GRAPHQL_TOKEN_PAREN_R, NULL, NULL},
    {"...", GRAPHQL_TOKEN_SPREAD, NULL, NULL},
    {":", GRAPHQL_TOKEN_COLON, NULL, NULL},
    {"=", GRAPHQL_TOKEN_EQUALS, NULL, NULL},
    {"@", GRAPHQL_TOKEN_AT, NULL, NULL},
    {"[", GRAPHQL_TOKEN_BRACKET_L, NULL, NULL},
    {"]", GRAPHQL_TOKEN_BRACKET_R, NULL, NULL},
    {"{", GRAPHQL_TOKEN_BRACE_L, NULL, NULL},
    {"|", GRAPHQL_TOKEN_PIPE, NULL, NULL},
    {"}", GRAPHQL_TOKEN_BRACE_R, NULL, NULL},
    {"..", 0, NULL, "Syntax Error: Unexpected character: \".\". (1:1)"},
    {".", 0, NULL, "Syntax Error: Unexpected character: \".\". (1:1)"},
    {"?", 0, NULL, "Syntax Error: Unexpected character: \"?\". (1:1)"},
    {"'x'", 0, NULL,
     "Syntax Error: Unexpected single quote character ('), did you mean to use a double quote "
     "(\")? (1:1)"},
    {"\x01", 0, NULL, "Syntax Error: Unexpected character: U+0001. (1:1)"},
    {"\xE2\x9C\x93", 0, NULL, "Syntax Error: Unexpected character: U+2713. (1:1)"},
    {"\xFF", 0, NULL, "Syntax Error: Invalid UTF-8 sequence (byte 0xFF). (1:1)"},
    {"# bad \xC3\x28", 0, NULL, "Syntax Error: Invalid UTF-8 sequence (byte 0xC3). (1:7)"},
    {"#\x02", 0, NULL, "Syntax Error: Unexpected character: U+0002. (1:2)"},
    /* names */
    {"_foo_Bar9", GRAPHQL_TOKEN_NAME, "_foo_Bar9", NULL},
    {"  \xC3\xA9t\xC3\xA9", 0, NULL, "Syntax Error: Unexpected character: U+00E9. (1:3)"},
    /* numbers */
    {"0", GRAPHQL_TOKEN_INT, "0", NULL},
    {"-0", GRAPHQL_TOKEN_INT, "-0", NULL},
    {"123", GRAPHQL_TOKEN_INT, "123", NULL},
    {"-123", GRAPHQL_TOKEN_INT, "-123", NULL},
    {"1.5", GRAPHQL_TOKEN_FLOAT, "1.5", NULL},
    {"-0.5e10", GRAPHQL_TOKEN_FLOAT, "-0.5e10", NULL},
    {"1e5", GRAPHQL_TOKEN_FLOAT, "1e5", NULL},
    {"1E-5", GRAPHQL_TOKEN_FLOAT, "1E-5", NULL},
    {"1.0e+5", GRAPHQL_TOKEN_FLOAT, "1.0e+5", NULL},
    {"00", 0, NULL, "Syntax Error: Invalid number, unexpected digit after 0: \"0\". (1:2)"},
    {"-01", 0, NULL, "Syntax Error: Invalid number, unexpected digit after 0: \"1\". (1:3)"},
    {"1.", 0, NULL, "Syntax Error: Invalid number, expected digit but got: <EOF>. (1:3)"},
    {"1.a", 0, NULL, "Syntax Error: Invalid number, expected digit but got: \"a\". (1:3)"},
    {".5", 0, NULL, "Syntax Error: Unexpected character: \".\". (1:1)"},
    {"0x1", 0, NULL, "Syntax Error: Invalid number, expected digit but got: \"x\". (1:2)"},
    {"123abc", 0, NULL, "Syntax Error: Invalid number, expected digit but got: \"a\". (1:4)"},
    {"1.5.6", 0, NULL, "Syntax Error: Invalid number, expected digit but got: \".\". (1:4)"},
    {"1e", 0, NULL, "Syntax Error: Invalid number, expected digit but got: <EOF>. (1:3)"},
    {"1e+", 0, NULL, "Syntax Error: Invalid number, expected digit but got: <EOF>. (1:4)"},
    {"-", 0, NULL, "Syntax Error: Invalid number, expected digit but got: <EOF>. (1:2)"},
    {"-a", 0, NULL, "Syntax Error: Invalid number, expected digit but got: \"a\". (1:2)"},
    {"1_000", 0, NULL, "Syntax Error: Invalid number, expected digit but got: \"_\". (1:2)"},
    /* strings */
    {"\"simple\"", GRAPHQL_TOKEN_STRING, "simple", NULL},
    {"\" white space \"", GRAPHQL_TOKEN_STRING, " white space ", NULL},
    {"\"quote \\\"\"", GRAPHQL_TOKEN_STRING, "quote \"", NULL},
    {"\"escaped \\n\\r\\b\\t\\f\\/\\\\\"", GRAPHQL_TOKEN_STRING, "escaped \n\r\b\t\f/\\", NULL},
    {"\"unicode \\u1234\\u5678\\u90AB\\uCDEF\"", GRAPHQL_TOKEN_STRING,
     "unicode \xE1\x88\xB4\xE5\x99\xB8\xE9\x82\xAB\xEC\xB7\xAF", NULL},
    {"\"\\u00e9\"", GRAPHQL_TOKEN_STRING, "\xC3\xA9", NULL},
    {"\"\\uD83D\\uDE00\"", GRAPHQL_TOKEN_STRING, "\xF0\x9F\x98\x80", NULL},
    {"\"\xF0\x9F\x98\x80 literal\"", GRAPHQL_TOKEN_STRING, "\xF0\x9F\x98\x80 literal", NULL},
    {"\"tab\tok\"", GRAPHQL_TOKEN_STRING, "tab\tok", NULL},
    {"\"", 0, NULL, "Syntax Error: Unterminated string. (1:2)"},
    {"\"no end", 0, NULL, "Syntax Error: Unterminated string. (1:8)"},
    {"\"multi\nline\"", 0, NULL, "Syntax Error: Unterminated string. (1:7)"},
    {"\"multi\rline\"", 0, NULL, "Syntax Error: Unterminated string. (1:7)"},
    {"\"bad \\z esc\"", 0, NULL, "Syntax Error: Invalid character escape sequence: \"\\z\". (1:6)"},
    {"\"bad \\x esc\"", 0, NULL, "Syntax Error: Invalid character escape sequence: \"\\x\". (1:6)"},
    {"\"bad \\u1 esc\"", 0, NULL,
     "Syntax Error: Invalid Unicode escape sequence: \"\\u1 es\". (1:6)"},
    {"\"bad \\uXXXF esc\"", 0, NULL,
     "Syntax Error: Invalid Unicode escape sequence: \"\\uXXXF\". (1:6)"},
    {"\"\\u{1F600}\"", 0, NULL,
     "Syntax Error: Invalid Unicode escape sequence: \"\\u{1F6\". (1:2)"},
    {"\"lone \\uD83D x\"", 0, NULL,
     "Syntax Error: Invalid Unicode escape sequence: \"\\uD83D\". (1:7)"},
    {"\"lone \\uDE00\"", 0, NULL,
     "Syntax Error: Invalid Unicode escape sequence: \"\\uDE00\". (1:7)"},
    {"\"pair \\uD83D\\u0041\"", 0, NULL,
     "Syntax Error: Invalid Unicode escape sequence: \"\\uD83D\". (1:7)"},
    {"\"ctrl \x07\"", 0, NULL, "Syntax Error: Invalid character within String: U+0007. (1:7)"},
    {"\"bad \xC0\xAF utf8\"", 0, NULL, "Syntax Error: Invalid UTF-8 sequence (byte 0xC0). (1:6)"},
    {"\"surrogate \xED\xA0\x80\"", 0, NULL,
     "Syntax Error: Invalid UTF-8 sequence (byte 0xED). (1:12)"},
    /* block strings */
    {"\"\"\"simple\"\"\"", GRAPHQL_TOKEN_BLOCK_STRING, "simple", NULL},
    {"\"\"\" white space \"\"\"", GRAPHQL_TOKEN_BLOCK_STRING, " white space ", NULL},
    {"\"\"\"contains \" quote\"\"\"", GRAPHQL_TOKEN_BLOCK_STRING, "contains \" quote", NULL},
    {"\"\"\"contains \\\"\"\" triple quote\"\"\"", GRAPHQL_TOKEN_BLOCK_STRING,
     "contains \"\"\" triple quote", NULL},
    {"\"\"\"multi\nline\"\"\"", GRAPHQL_TOKEN_BLOCK_STRING, "multi\nline", NULL},
    {"\"\"\"multi\rline\r\nnormalized\"\"\"", GRAPHQL_TOKEN_BLOCK_STRING, "multi\nline\nnormalized",
     NULL},
    {"\"\"\"unescaped \\n\\r\\b\\t\\f\\u1234\"\"\"", GRAPHQL_TOKEN_BLOCK_STRING,
     "unescaped \\n\\r\\b\\t\\f\\u1234", NULL},
    {"\"\"\"slashes \\\\ \\/\"\"\"", GRAPHQL_TOKEN_BLOCK_STRING, "slashes \\\\ \\/", NULL},
    {"\"\"\"\n\n        spans\n          multiple\n            lines\n\n        \"\"\"",
     GRAPHQL_TOKEN_BLOCK_STRING, "spans\n  multiple\n    lines", NULL},
    {"\"\"\"  first line kept\n    second\n      third\n  \"\"\"", GRAPHQL_TOKEN_BLOCK_STRING,
     "  first line kept\nsecond\n  third", NULL},
    {"\"\"\"   \n   \n\"\"\"", GRAPHQL_TOKEN_BLOCK_STRING, "", NULL},
    {"\"\"\"\tTab\n\t  indented\"\"\"", GRAPHQL_TOKEN_BLOCK_STRING, "\tTab\nindented", NULL},
    {"\"\"\"", 0, NULL, "Syntax Error: Unterminated string. (1:4)"},
    {"\"\"\"no end\n", 0, NULL, "Syntax Error: Unterminated string. (2:1)"},
    {"\"\"\"ctrl \x0b\"\"\"", 0, NULL,
     "Syntax Error: Invalid character within String: U+000B. (1:9)"},
    {"\"\"\"a\n  \x0b\"\"\"", 0, NULL,
     "Syntax Error: Invalid character within String: U+000B. (2:3)"},
};

static void
test_lexer(void)
{
	size_t i;

	for (i = 0; i < sizeof(lex_cases) / sizeof(lex_cases[0]); i++)
	{
		const LexCase *c = &lex_cases[i];
		GraphqlArena *arena = graphql_arena_create(NULL);
		GraphqlLexer *lexer = graphql_lexer_create(arena, c->src, strlen(c->src));
		GraphqlToken tok;
		GraphqlError *err;
		bool ok = graphql_lexer_next(lexer, &tok, &err);

		if (c->error)
		{
			char *got = ok ? "(token)" : format_errors(arena, err);

			check(!ok && strcmp(got, c->error) == 0, "lexer error", c->src, c->error, got);
		}
		else if (!ok)
			check(0, "lexer token", c->src, c->value, format_errors(arena, err));
		else
		{
			int good = tok.kind == c->kind;

			if (c->value)
				good = good && tok.value && tok.value_len == strlen(c->value) &&
				       memcmp(tok.value, c->value, tok.value_len) == 0;
			if (good && tok.kind != GRAPHQL_TOKEN_EOF)
			{
				/* the token must be the whole input after ignored tokens */
				GraphqlToken next;

				good = graphql_lexer_next(lexer, &next, &err) && next.kind == GRAPHQL_TOKEN_EOF;
			}
			check(good, "lexer token", c->src,
			      c->value ? c->value : graphql_token_kind_name(c->kind),
			      tok.value ? tok.value : graphql_token_kind_name(tok.kind));
		}
		graphql_arena_destroy(arena);
	}
	/* U+0000 from an escape keeps its length */
	{
		GraphqlArena *arena = graphql_arena_create(NULL);
		GraphqlLexer *lexer = graphql_lexer_create(arena, "\"a\\u0000b\"", 10);
		GraphqlToken tok;
		GraphqlError *err;

		check(graphql_lexer_next(lexer, &tok, &err) && tok.value_len == 3 && tok.value[1] == 0 &&
		          tok.value[2] == 'b',
		      "lexer NUL escape", "\"a\\u0000b\"", "3 bytes", "other");
		graphql_arena_destroy(arena);
	}
	/* columns count code points, lines count CR, LF and CRLF once each */
	{
		GraphqlArena *arena = graphql_arena_create(NULL);
		const char *src = "\"\xC3\xA9\xF0\x9F\x98\x80\" x\r\n\ry\n  \"\"\"a\n\nb\"\"\" z";
		GraphqlLexer *lexer = graphql_lexer_create(arena, src, strlen(src));
		GraphqlToken t[5];
		GraphqlError *err;
		int k;
		char got[128];

		for (k = 0; k < 5; k++)
			graphql_lexer_next(lexer, &t[k], &err);
		snprintf(got, sizeof(got), "%u:%u %u:%u %u:%u %u:%u %u:%u", t[0].loc.line, t[0].loc.column,
		         t[1].loc.line, t[1].loc.column, t[2].loc.line, t[2].loc.column, t[3].loc.line,
		         t[3].loc.column, t[4].loc.line, t[4].loc.column);
		check(strcmp(got, "1:1 1:6 3:1 4:3 6:6") == 0, "lexer locations", src,
		      "1:1 1:6 3:1 4:3 6:6", got);
		graphql_arena_destroy(arena);
	}
}

/* ------------------------------------------------------------------ */
/* Parser                                                               */
/* ------------------------------------------------------------------ */

static const char kitchen_sink[] =
    "# Kitchen sink\n"
    "query queryName($foo: ComplexType, $site: Site = MOBILE, $list: [Int!]! = [1, 2] @onVar)"
    " @onQuery {\n"
    "  whoever123is: node(id: [123, 456]) {\n"
    "    id ,\n"
    "    ... on User @onInlineFragment {\n"
    "      field2 {\n"
    "        id ,\n"
    "        alias: field1(first:10, after:$foo,) @include(if: $foo) {\n"
    "          id,\n"
    "          ...frag @onFragmentSpread\n"
    "        }\n"
    "      }\n"
    "    }\n"
    "    ... @skip(unless: $foo) {\n"
    "      id\n"
    "    }\n"
    "    ... {\n"
    "      id\n"
    "    }\n"
    "  }\n"
    "}\n"
    "\n"
    "mutation likeStory @onMutation {\n"
    "  like(story: 123) @onField {\n"
    "    story {\n"
    "      id @onField\n"
    "    }\n"
    "  }\n"
    "}\n"
    "\n"
    "subscription StoryLikeSubscription($input: StoryLikeSubscribeInput @onVariableDefinition)"
    " @onSubscription {\n"
    "  storyLikeSubscribe(input: $input) {\n"
    "    story {\n"
    "      likers {\n"
    "        count\n"
    "      }\n"
    "      likeSentence {\n"
    "        text\n"
    "      }\n"
    "    }\n"
    "  }\n"
    "}\n"
    "\n"
    "fragment frag on Friend @onFragmentDefinition {\n"
    "  foo(size: $size, bar: $b, obj: {key: \"value\", block: \"\"\"\n"
    "\n"
    "      block string uses \\\"\"\"\n"
    "\n"
    "  \"\"\"})\n"
    "}\n"
    "\n"
    "{\n"
    "  unnamed(truthy: true, falsy: false, nullish: null, float: -1.5e3, enum: ENUM_VALUE,"
    " list: [[]], object: {nested: {x: $var}}),\n"
    "  query\n"
    "}\n"
    "\n"
    "query { __typename }\n";

static const char kitchen_sink_canonical[] =
    "query queryName($foo: ComplexType, $site: Site = MOBILE, $list: [Int!]! = [1, 2] @onVar)"
    " @onQuery { whoever123is: node(id: [123, 456]) { id ... on User @onInlineFragment {"
    " field2 { id alias: field1(first: 10, after: $foo) @include(if: $foo) { id ...frag"
    " @onFragmentSpread } } } ... @skip(unless: $foo) { id } ... { id } } }"
    " mutation likeStory @onMutation { like(story: 123) @onField { story { id @onField } } }"
    " subscription StoryLikeSubscription($input: StoryLikeSubscribeInput @onVariableDefinition)"
    " @onSubscription { storyLikeSubscribe(input: $input) { story { likers { count }"
    " likeSentence { text } } } }"
    " fragment frag on Friend @onFragmentDefinition { foo(size: $size, bar: $b, obj: {key:"
    " \"value\", block: \"block string uses \\\"\\\"\\\"\"}) }"
    " { unnamed(truthy: true, falsy: false, nullish: null, float: -1.5e3, enum: ENUM_VALUE,"
    " list: [[]], object: {nested: {x: $var}}) query }"
    " { __typename }";

static void
test_kitchen_sink(void)
{
	GraphqlArena *arena = graphql_arena_create(NULL);
	GraphqlError *err;
	GraphqlDocument *doc = graphql_parse(arena, kitchen_sink, strlen(kitchen_sink), NULL, &err);
	const GraphqlDefinition *d;
	const GraphqlSelection *s;
	char got[256];
	size_t len;
	char *printed;

	check(doc != NULL, "kitchen sink parses", "kitchen sink", "document",
	      doc ? "document" : format_errors(arena, err));
	if (doc == NULL)
	{
		graphql_arena_destroy(arena);
		return;
	}
	check(doc->definition_count == 6, "kitchen sink definitions", "kitchen sink", "6", "other");
	d = doc->definitions;
	check(d->kind == GRAPHQL_DEFINITION_OPERATION && d->operation == GRAPHQL_OPERATION_QUERY &&
	          strcmp(d->name, "queryName") == 0 && d->variable_count == 3 && d->loc.line == 2 &&
	          d->loc.column == 1,
	      "kitchen sink query header", "kitchen sink", "query queryName", d->name);
	check(d->variables->next->default_value->kind == GRAPHQL_VALUE_ENUM &&
	          d->variables->next->next->type->kind == GRAPHQL_TYPEREF_NON_NULL &&
	          d->variables->next->next->directives != NULL,
	      "kitchen sink variables", "kitchen sink", "defaults, types, directives", "other");
	s = d->selections;
	snprintf(got, sizeof(got), "%s:%s@%u:%u", s->alias, s->name, s->loc.line, s->loc.column);
	check(strcmp(got, "whoever123is:node@3:3") == 0, "kitchen sink alias", "kitchen sink",
	      "whoever123is:node@3:3", got);
	s = s->selections->next;
	check(s->kind == GRAPHQL_SELECTION_INLINE_FRAGMENT && strcmp(s->type_condition, "User") == 0 &&
	          s->loc.line == 5 && s->loc.column == 5,
	      "kitchen sink inline fragment", "kitchen sink", "... on User @5:5", "other");
	s = s->next;
	check(s->kind == GRAPHQL_SELECTION_INLINE_FRAGMENT && s->type_condition == NULL &&
	          s->directives != NULL,
	      "kitchen sink inline fragment without type", "kitchen sink", "... @skip", "other");
	d = d->next;
	check(d->operation == GRAPHQL_OPERATION_MUTATION && strcmp(d->name, "likeStory") == 0,
	      "kitchen sink mutation", "kitchen sink", "mutation likeStory", d->name);
	d = d->next;
	check(d->operation == GRAPHQL_OPERATION_SUBSCRIPTION, "kitchen sink subscription",
	      "kitchen sink", "subscription", "other");
	d = d->next;
	check(d->kind == GRAPHQL_DEFINITION_FRAGMENT && strcmp(d->type_condition, "Friend") == 0,
	      "kitchen sink fragment", "kitchen sink", "fragment frag on Friend", d->name);
	d = d->next;
	check(d->is_shorthand && d->name == NULL, "kitchen sink shorthand", "kitchen sink", "{ }",
	      "other");
	printed = graphql_print_document(arena, doc, &len);
	check(strcmp(printed, kitchen_sink_canonical) == 0, "kitchen sink canonical print",
	      "kitchen sink", kitchen_sink_canonical, printed);
	/* printing is a fixed point */
	{
		GraphqlDocument *again = graphql_parse(arena, printed, len, NULL, &err);
		char *printed2 = again ? graphql_print_document(arena, again, NULL) : "(error)";

		check(strcmp(printed, printed2) == 0, "canonical print is stable", printed, printed,
		      printed2);
	}
	graphql_arena_destroy(arena);
}

typedef struct ParseCase
{
	const char *src;
	const char *error; /* NULL: must parse */
} ParseCase;

static const ParseCase parse_cases[] = {
    {"{ a }", NULL},
    {"query { a }", NULL},
    {"query Q($a: [[Int!]!] = [[1]]) { a(x: $a) }", NULL},
    {"{ a(list: [], obj: {}, s: \"\"\"x\"\"\") }", NULL},
    {"fragment F on T { a } { ...F }", NULL},
    {"{ ... on T { a } ... @include(if: true) { b } ... { c } }", NULL},
    {"query Q @dir(a: 1) { a }", NULL},
    {"{ on: a fragment: b query: c true: d null: e }", NULL},
    {"", "Syntax Error: Unexpected <EOF>. (1:1)"},
    {"   # only a comment\n", "Syntax Error: Unexpected <EOF>. (2:1)"},
    {"{", "Syntax Error: Expected Name, found <EOF>. (1:2)"},
    {"{ }", "Syntax Error: Expected Name, found \"}\". (1:3)"},
    {"{ a", "Syntax Error: Expected Name, found <EOF>. (1:4)"},
    {"}", "Syntax Error: Unexpected \"}\". (1:1)"},
    {"{ a } }", "Syntax Error: Unexpected \"}\". (1:7)"},
    {"query", "Syntax Error: Expected \"{\", found <EOF>. (1:6)"},
    {"query Q($a) { a }", "Syntax Error: Expected \":\", found \")\". (1:11)"},
    {"query Q() { a }", "Syntax Error: Expected \"$\", found \")\". (1:9)"},
    {"query Q($a: Int = $b) { a }",
     "Syntax Error: Unexpected variable \"$b\" in constant value. (1:19)"},
    {"query Q($a: Int = [1, $b]) { a }",
     "Syntax Error: Unexpected variable \"$b\" in constant value. (1:23)"},
    {"query Q($a: Int @dir(x: $b)) { a }",
     "Syntax Error: Unexpected variable \"$b\" in constant value. (1:25)"},
    {"{ a(x: $) }", "Syntax Error: Expected Name, found \")\". (1:9)"},
    {"{ a() }", "Syntax Error: Expected Name, found \")\". (1:5)"},
    {"{ a(b) }", "Syntax Error: Expected \":\", found \")\". (1:6)"},
    {"{ a(b: ) }", "Syntax Error: Unexpected \")\". (1:8)"},
    {"{ a(b: {c}) }", "Syntax Error: Expected \":\", found \"}\". (1:10)"},
    {"{ a(b: [1, 2) }", "Syntax Error: Unexpected \")\". (1:13)"},
    {"{ ...on }", "Syntax Error: Expected Name, found \"}\". (1:9)"},
    {"{ ... }", "Syntax Error: Expected \"{\", found \"}\". (1:7)"},
    {"fragment on on T { a }", "Syntax Error: Unexpected Name \"on\". (1:10)"},
    {"fragment F T { a }", "Syntax Error: Expected \"on\", found Name \"T\". (1:12)"},
    {"fragment F on T", "Syntax Error: Expected \"{\", found <EOF>. (1:16)"},
    {"notanoperation Foo { a }", "Syntax Error: Unexpected Name \"notanoperation\". (1:1)"},
    {"{ a } 123", "Syntax Error: Unexpected Int \"123\". (1:7)"},
    {"\"desc\" { a }",
     "Syntax Error: Unexpected description, descriptions are supported only on type definitions. "
     "(1:1)"},
    {"type Query { a: Int }",
     "Syntax Error: Unexpected Name \"type\". Type system definitions are not supported: only "
     "operations and fragments are executable. (1:1)"},
    {"{ a }\nschema { query: Q }",
     "Syntax Error: Unexpected Name \"schema\". Type system definitions are not supported: only "
     "operations and fragments are executable. (2:1)"},
    {"extend type Q { b: Int }",
     "Syntax Error: Unexpected Name \"extend\". Type system definitions are not supported: only "
     "operations and fragments are executable. (1:1)"},
    {"\"\"\"doc\"\"\" directive @d on FIELD",
     "Syntax Error: Unexpected Name \"directive\". Type system definitions are not supported: "
     "only operations and fragments are executable. (1:11)"},
    {"{ a(s: \"unterminated) }", "Syntax Error: Unterminated string. (1:24)"},
    {"query Q($a: [Int) { a }", "Syntax Error: Expected \"]\", found \")\". (1:17)"},
    {"query Q($a: !) { a }", "Syntax Error: Expected Name, found \"!\". (1:13)"},
    {"{ a @ }", "Syntax Error: Expected Name, found \"}\". (1:7)"},
    {"{ a: }", "Syntax Error: Expected Name, found \"}\". (1:6)"},
    {"{ a(x: 1.) }", "Syntax Error: Invalid number, expected digit but got: \")\". (1:10)"},
    {"{ \xC3\xA9 }", "Syntax Error: Unexpected character: U+00E9. (1:3)"},
};

static void
test_parser(void)
{
	size_t i;

	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++)
	{
		const ParseCase *c = &parse_cases[i];
		GraphqlArena *arena = graphql_arena_create(NULL);
		GraphqlError *err;
		GraphqlDocument *doc = graphql_parse(arena, c->src, strlen(c->src), NULL, &err);

		if (c->error == NULL)
			check(doc != NULL, "parse ok", c->src, "document",
			      doc ? "" : format_errors(arena, err));
		else
		{
			char *got = doc ? "document" : format_errors(arena, err);

			check(doc == NULL && strcmp(got, c->error) == 0 && err->kind == GRAPHQL_ERROR_SYNTAX,
			      "parse error", c->src, c->error, got);
		}
		graphql_arena_destroy(arena);
	}
	test_kitchen_sink();
}

/* Limits: 100k-deep nesting, token count, size. */
static void
test_parse_limits(void)
{
	size_t n = 100000;
	char *deep = malloc(n * 2 + 16);
	GraphqlArena *arena;
	GraphqlError *err;
	GraphqlDocument *doc;
	GraphqlParseLimits limits = {0};
	size_t i;
	char *got;

	/* { a { a { a ... 100k deep */
	for (i = 0; i < n; i++)
	{
		deep[2 * i] = '{';
		deep[2 * i + 1] = 'a';
	}
	deep[2 * n] = '\0';
	arena = graphql_arena_create(NULL);
	doc = graphql_parse(arena, deep, 2 * n, NULL, &err);
	got = doc ? "document" : format_errors(arena, err);
	check(doc == NULL && err->kind == GRAPHQL_ERROR_LIMIT &&
	          strcmp(got, "Syntax Error: Document is nested deeper than 128 levels. Parsing "
	                      "aborted. (1:257)") == 0,
	      "100k-deep selection sets", "{a{a{a...", "depth limit error", got);
	graphql_arena_destroy(arena);

	/* 100k '{' */
	memset(deep, '{', n);
	arena = graphql_arena_create(NULL);
	doc = graphql_parse(arena, deep, n, NULL, &err);
	check(doc == NULL, "100k '{'", "{{{{...", "error", doc ? "document" : "error");
	graphql_arena_destroy(arena);

	/* 100k '[' in a value */
	strcpy(deep, "{ a(x: ");
	memset(deep + 7, '[', n);
	deep[n + 7] = '\0';
	arena = graphql_arena_create(NULL);
	doc = graphql_parse(arena, deep, n + 7, NULL, &err);
	check(doc == NULL && err->kind == GRAPHQL_ERROR_LIMIT, "100k-deep list value", "{ a(x: [[[...",
	      "depth limit error", doc ? "document" : format_errors(arena, err));
	graphql_arena_destroy(arena);

	/* 100k-deep list type */
	strcpy(deep, "query Q($a: ");
	memset(deep + 12, '[', n);
	deep[n + 12] = '\0';
	arena = graphql_arena_create(NULL);
	doc = graphql_parse(arena, deep, n + 12, NULL, &err);
	check(doc == NULL && err->kind == GRAPHQL_ERROR_LIMIT, "100k-deep list type", "($a: [[[...",
	      "depth limit error", doc ? "document" : format_errors(arena, err));
	graphql_arena_destroy(arena);
	free(deep);

	/* configured depth */
	arena = graphql_arena_create(NULL);
	limits.max_depth = 3;
	doc = graphql_parse(arena, "{ a { b { c } } }", 17, &limits, &err);
	check(doc != NULL, "depth 3 allowed", "{ a { b { c } } }", "document",
	      doc ? "document" : format_errors(arena, err));
	doc = graphql_parse(arena, "{ a { b { c { d } } } }", 23, &limits, &err);
	got = doc ? "document" : format_errors(arena, err);
	check(doc == NULL && strcmp(got, "Syntax Error: Document is nested deeper than 3 levels. "
	                                 "Parsing aborted. (1:13)") == 0,
	      "depth 4 rejected", "{ a { b { c { d } } } }", "depth error", got);
	limits.max_depth = 0;
	limits.max_tokens = 4;
	doc = graphql_parse(arena, "{ a b }", 7, &limits, &err);
	check(doc != NULL && doc->token_count == 4, "4 tokens allowed", "{ a b }", "document",
	      doc ? "document" : format_errors(arena, err));
	doc = graphql_parse(arena, "{ a b c }", 9, &limits, &err);
	got = doc ? "document" : format_errors(arena, err);
	check(doc == NULL && err->kind == GRAPHQL_ERROR_LIMIT &&
	          strcmp(got, "Syntax Error: Document contains more than 4 tokens. Parsing aborted. "
	                      "(1:9)") == 0,
	      "token limit", "{ a b c }", "token error", got);
	limits.max_tokens = 0;
	limits.max_bytes = 8;
	doc = graphql_parse(arena, "{ a b c }", 9, &limits, &err);
	got = doc ? "document" : format_errors(arena, err);
	check(doc == NULL && err->kind == GRAPHQL_ERROR_LIMIT &&
	          strcmp(got, "Syntax Error: Document is larger than 8 bytes. Parsing aborted.") == 0,
	      "size limit", "{ a b c }", "size error", got);
	graphql_arena_destroy(arena);
}

/* ------------------------------------------------------------------ */
/* Printing, hashing, operation selection                               */
/* ------------------------------------------------------------------ */

static void
test_print_and_hash(void)
{
	GraphqlArena *arena = graphql_arena_create(NULL);
	GraphqlError *err;
	const char *a = "query Q($x: Int = 1) { creator(mid: 1) { name, summary { follower } } }";
	const char *b = "# comment\nquery  Q ( $x :Int=1 ){creator(mid:1){name summary{follower}}}";
	const char *c = "query Q($x: Int = 2) { creator(mid: 1) { name summary { follower } } }";
	const char *d1 = "{ a(s: \"x\\u0041\") }";
	const char *d2 = "query { a(s: \"\"\"xA\"\"\") }";
	GraphqlDocument *da = graphql_parse(arena, a, strlen(a), NULL, &err);
	GraphqlDocument *db = graphql_parse(arena, b, strlen(b), NULL, &err);
	GraphqlDocument *dc = graphql_parse(arena, c, strlen(c), NULL, &err);
	GraphqlDocument *dd1 = graphql_parse(arena, d1, strlen(d1), NULL, &err);
	GraphqlDocument *dd2 = graphql_parse(arena, d2, strlen(d2), NULL, &err);
	char hex[64];
	GraphqlValue *value;

	check(graphql_document_hash(arena, da) == graphql_document_hash(arena, db),
	      "hash ignores whitespace and comments", b, graphql_print_document(arena, da, NULL),
	      graphql_print_document(arena, db, NULL));
	check(graphql_document_hash(arena, da) != graphql_document_hash(arena, dc), "hash sees values",
	      c, "different", "same");
	check(graphql_document_hash(arena, dd1) == graphql_document_hash(arena, dd2),
	      "hash ignores string spelling", d2, graphql_print_document(arena, dd1, NULL),
	      graphql_print_document(arena, dd2, NULL));
	snprintf(hex, sizeof(hex), "%016llx",
	         (unsigned long long) graphql_hash64("{ a }", 5) ^ graphql_hash64("{ b }", 5));
	check(graphql_hash64("{ a }", 5) == graphql_hash64("{ a }", 5) &&
	          graphql_hash64("{ a }", 5) != graphql_hash64("{ b }", 5),
	      "hash64 deterministic", "{ a }", "stable", hex);

	/* graphql-js print() of values, used in messages */
	{
		const char *text = "{a: [1, 2.5, \"s\\n\", true, null, ENUM], b: {c: $v}}";

		value = graphql_parse_value(arena, text, strlen(text), false, &err);
	}
	check(value && strcmp(graphql_print_value(arena, value),
	                      "{a: [1, 2.5, \"s\\n\", true, null, ENUM], b: {c: $v}}") == 0,
	      "print value", "{a: ...}", "{a: [1, 2.5, \"s\\n\", true, null, ENUM], b: {c: $v}}",
	      value ? graphql_print_value(arena, value) : format_errors(arena, err));
	value = graphql_parse_value(arena, "\"\\u0001\\u007F\\u0085\"", 20, true, &err);
	check(value && strcmp(graphql_print_value(arena, value), "\"\\u0001\\u007F\\u0085\"") == 0,
	      "print string escapes", "\"\\u0001\\u007F\\u0085\"", "\"\\u0001\\u007F\\u0085\"",
	      value ? graphql_print_value(arena, value) : format_errors(arena, err));
	value = graphql_parse_value(arena, "\"\"\"block\"\"\"", 11, true, &err);
	check(value && strcmp(graphql_print_value(arena, value), "\"\"\"block\"\"\"") == 0,
	      "print block string", "\"\"\"block\"\"\"", "\"\"\"block\"\"\"",
	      value ? graphql_print_value(arena, value) : "(error)");
	value = graphql_parse_value(arena, "$v", 2, true, &err);
	check(value == NULL && strcmp(format_errors(arena, err),
	                              "Syntax Error: Unexpected variable \"$v\" in constant value. "
	                              "(1:1)") == 0,
	      "const value rejects variables", "$v", "error",
	      value ? "value" : format_errors(arena, err));
	graphql_arena_destroy(arena);
}

static void
test_get_operation(void)
{
	GraphqlArena *arena = graphql_arena_create(NULL);
	GraphqlError *err;
	const char *two = "query A { a } query B { b } fragment F on Q { c }";
	GraphqlDocument *doc = graphql_parse(arena, two, strlen(two), NULL, &err);
	GraphqlDocument *one = graphql_parse(arena, "{ a }", 5, NULL, &err);
	GraphqlDocument *frag_only = graphql_parse(arena, "fragment F on Q { c }", 21, NULL, &err);
	const GraphqlDefinition *op;

	op = graphql_get_operation(arena, doc, "B", &err);
	check(op && strcmp(op->name, "B") == 0, "get operation by name", two, "B",
	      op ? op->name : err->message);
	op = graphql_get_operation(arena, doc, "C", &err);
	check(op == NULL && strcmp(err->message, "Unknown operation named \"C\".") == 0 &&
	          err->kind == GRAPHQL_ERROR_OPERATION,
	      "unknown operation", two, "Unknown operation named \"C\".", op ? "op" : err->message);
	op = graphql_get_operation(arena, doc, NULL, &err);
	check(op == NULL && strcmp(err->message, "Must provide operation name if query contains "
	                                         "multiple operations.") == 0,
	      "ambiguous operation", two, "Must provide operation name...", op ? "op" : err->message);
	op = graphql_get_operation(arena, one, NULL, &err);
	check(op != NULL, "single anonymous operation", "{ a }", "op", op ? "op" : err->message);
	op = graphql_get_operation(arena, frag_only, NULL, &err);
	check(op == NULL && strcmp(err->message, "Must provide an operation.") == 0, "no operation",
	      "fragment F on Q { c }", "Must provide an operation.", op ? "op" : err->message);
	check(graphql_find_fragment(doc, "F") != NULL && graphql_find_fragment(doc, "G") == NULL,
	      "find fragment", two, "F found", "other");
	graphql_arena_destroy(arena);
}

/* ------------------------------------------------------------------ */
/* Validation                                                           */
/* ------------------------------------------------------------------ */

typedef struct ValidateCase
{
	const char *rule;
	const char *src;
	const char *expected; /* "" when valid */
} ValidateCase;

#include "graphql_test_validate_cases.h"

static void
test_validation(void)
{
	size_t i;

	for (i = 0; i < sizeof(validate_cases) / sizeof(validate_cases[0]); i++)
	{
		const ValidateCase *c = &validate_cases[i];
		GraphqlArena *arena = graphql_arena_create(NULL);
		GraphqlError *err;
		GraphqlDocument *doc = graphql_parse(arena, c->src, strlen(c->src), NULL, &err);
		char *got;

		if (doc == NULL)
			got = format_errors(arena, err);
		else
			got = format_errors(arena, graphql_validate(arena, schema, doc, NULL));
		check(strcmp(got, c->expected) == 0, c->rule, c->src, c->expected, got);
		graphql_arena_destroy(arena);
	}
}

/* Annotations, visibility, introspection switch, error limit. */
static bool
hide_fans(const GraphqlType *parent, const GraphqlField *field, void *context)
{
	return strcmp(field->name, "fans") != 0;
}

static bool
hide_video(const GraphqlType *type, void *context)
{
	return strcmp(type->name, "Video") != 0;
}

static void
test_validation_options(void)
{
	GraphqlArena *arena = graphql_arena_create(NULL);
	GraphqlError *err;
	const char *q = "{ creator(mid: 1) { name fans } }";
	GraphqlDocument *doc = graphql_parse(arena, q, strlen(q), NULL, &err);
	GraphqlVisibility vis = {hide_video, hide_fans, NULL};
	GraphqlValidateOptions opts = {0};
	char *got;
	char big[8192];
	size_t i;
	int n;

	err = graphql_validate(arena, schema, doc, NULL);
	check(err == NULL && doc->definitions->selections->field_def != NULL &&
	          strcmp(doc->definitions->selections->field_def->name, "creator") == 0 &&
	          strcmp(doc->definitions->selections->selections->parent_type->name, "Creator") == 0,
	      "validator annotates fields", q, "creator / Creator", "other");
	opts.visibility = &vis;
	got = format_errors(arena, graphql_validate(arena, schema, doc, &opts));
	check(strcmp(got, "Cannot query field \"fans\" on type \"Creator\". Did you mean \"face\"? "
	                  "(1:26)") == 0,
	      "hidden field reads as unknown", q, "Cannot query field \"fans\"...", got);
	q = "{ search(text: \"x\") { ... on Video { bvid } } video(aid: 1) { bvid } }";
	doc = graphql_parse(arena, q, strlen(q), NULL, &err);
	got = format_errors(arena, graphql_validate(arena, schema, doc, &opts));
	check(strcmp(got,
	             "Unknown type \"Video\". Did you mean \"ID\" or \"Node\"? (1:30)\n"
	             "Cannot query field \"video\" on type \"Query\". Did you mean \"node\"? (1:47)") ==
	          0,
	      "hidden type reads as unknown", q, "Unknown type \"Video\"...", got);
	opts.visibility = NULL;
	opts.disable_introspection = true;
	q = "{ __schema { queryType { name } } __typename }";
	doc = graphql_parse(arena, q, strlen(q), NULL, &err);
	got = format_errors(arena, graphql_validate(arena, schema, doc, &opts));
	check(strcmp(got, "Cannot query field \"__schema\" on type \"Query\". (1:3)") == 0,
	      "introspection can be disabled", q, "Cannot query field \"__schema\"...", got);
	/* error limit */
	n = snprintf(big, sizeof(big), "{");
	for (i = 0; i < 5; i++)
		n += snprintf(big + n, sizeof(big) - (size_t) n, " f%zu", i);
	snprintf(big + n, sizeof(big) - (size_t) n, " }");
	doc = graphql_parse(arena, big, strlen(big), NULL, &err);
	opts.disable_introspection = false;
	opts.max_errors = 3;
	got = format_errors(arena, graphql_validate(arena, schema, doc, &opts));
	check(strcmp(got, "Cannot query field \"f0\" on type \"Query\". (1:3)\n"
	                  "Cannot query field \"f1\" on type \"Query\". (1:6)\n"
	                  "Cannot query field \"f2\" on type \"Query\". (1:9)\n"
	                  "Too many validation errors, error limit reached. Validation aborted.") == 0,
	      "error limit", big, "3 errors + abort", got);
	graphql_arena_destroy(arena);
}

/* ------------------------------------------------------------------ */
/* Complexity limits                                                    */
/* ------------------------------------------------------------------ */

typedef struct LimitCase
{
	const char *src;
	GraphqlComplexityLimits limits;
	const char *expected;
} LimitCase;

static const LimitCase limit_cases[] = {
    {"{ creator(mid: 1) { summary { follower } } }", {3, 0, 0, false}, ""},
    {"{ creator(mid: 1) { summary { follower } } }",
     {2, 0, 0, false},
     "Operation has selection depth 3, more than the limit of 2. (1:31)"},
    {"{ creator(mid: 1) { ...F } } fragment F on Creator { partition { parent { name } } }",
     {3, 0, 0, false},
     "Operation has selection depth 4, more than the limit of 3. (1:75)"},
    {"{ a: creator(mid: 1) { name } b: creator(mid: 2) { name } }", {0, 4, 0, false}, ""},
    {"{ a: creator(mid: 1) { name } b: creator(mid: 2) { name } }",
     {0, 3, 0, false},
     "Operation selects 4 fields after fragment expansion, more than the limit of 3. (1:1)"},
    /* a fragment spread twice counts twice */
    {"{ creator(mid: 1) { ...F ...F } } fragment F on Creator { name mid }",
     {0, 4, 0, false},
     "Operation selects 5 fields after fragment expansion, more than the limit of 4. (1:1)"},
    /* fragment bomb: 2^30 fields, computed in linear time */
    {"{ creator(mid: 1) { ...F30 } }"
     "fragment F0 on Creator { name }"
     "fragment F1 on Creator { ...F0 ...F0 } fragment F2 on Creator { ...F1 ...F1 }"
     "fragment F3 on Creator { ...F2 ...F2 } fragment F4 on Creator { ...F3 ...F3 }"
     "fragment F5 on Creator { ...F4 ...F4 } fragment F6 on Creator { ...F5 ...F5 }"
     "fragment F7 on Creator { ...F6 ...F6 } fragment F8 on Creator { ...F7 ...F7 }"
     "fragment F9 on Creator { ...F8 ...F8 } fragment F10 on Creator { ...F9 ...F9 }"
     "fragment F11 on Creator { ...F10 ...F10 } fragment F12 on Creator { ...F11 ...F11 }"
     "fragment F13 on Creator { ...F12 ...F12 } fragment F14 on Creator { ...F13 ...F13 }"
     "fragment F15 on Creator { ...F14 ...F14 } fragment F16 on Creator { ...F15 ...F15 }"
     "fragment F17 on Creator { ...F16 ...F16 } fragment F18 on Creator { ...F17 ...F17 }"
     "fragment F19 on Creator { ...F18 ...F18 } fragment F20 on Creator { ...F19 ...F19 }"
     "fragment F21 on Creator { ...F20 ...F20 } fragment F22 on Creator { ...F21 ...F21 }"
     "fragment F23 on Creator { ...F22 ...F22 } fragment F24 on Creator { ...F23 ...F23 }"
     "fragment F25 on Creator { ...F24 ...F24 } fragment F26 on Creator { ...F25 ...F25 }"
     "fragment F27 on Creator { ...F26 ...F26 } fragment F28 on Creator { ...F27 ...F27 }"
     "fragment F29 on Creator { ...F28 ...F28 } fragment F30 on Creator { ...F29 ...F29 }",
     {0, 2000, 0, false},
     "Operation selects 1073741825 fields after fragment expansion, more than the limit of 2000. "
     "(1:1)"},
    {"{ a: creator(mid: 1) { name } b: creator(mid: 2) { name } creator(mid: 3) { name } }",
     {0, 0, 3, false},
     ""},
    {"{ a: creator(mid: 1) { name } b: creator(mid: 2) { name } ...F }"
     "fragment F on Query { c: creator(mid: 3) { name } d: creator(mid: 4) { name } }",
     {0, 0, 3, false},
     "Field \"creator\" is selected under 4 different names in one selection set, more than the "
     "limit of 3. (1:115)"},
    /* the same response name twice is one name */
    {"{ a: creator(mid: 1) { name } a: creator(mid: 1) { mid } }", {0, 0, 1, false}, ""},
    {"{ creator(mid: 1) { a: name b: name c: name } }",
     {0, 0, 2, false},
     "Field \"name\" is selected under 3 different names in one selection set, more than the limit "
     "of 2. (1:37)"},
    /* introspection can be left out of the measures */
    {"{ __schema { types { fields { type { ofType { ofType { name } } } } } } }",
     {3, 0, 0, true},
     ""},
    {"{ __schema { types { fields { type { ofType { ofType { name } } } } } } }",
     {3, 0, 0, false},
     "Operation has selection depth 7, more than the limit of 3. (1:31)"},
    /* cycles (invalid documents) do not hang the checker */
    {"{ creator(mid: 1) { ...A } } fragment A on Creator { ...B name } fragment B on Creator { "
     "...A }",
     {10, 10, 10, false},
     ""},
    /* a fragment spreading itself below the depth limit (fuzzer find: stack overflow) */
    {"{ creator(mid: 1) { ...F } } fragment F on Creator { ...F videos { nodes { name } } }",
     {2, 0, 0, false},
     "Operation has selection depth 4, more than the limit of 2. (1:68)"},
};

static void
test_complexity(void)
{
	size_t i;

	for (i = 0; i < sizeof(limit_cases) / sizeof(limit_cases[0]); i++)
	{
		const LimitCase *c = &limit_cases[i];
		GraphqlArena *arena = graphql_arena_create(NULL);
		GraphqlError *err;
		GraphqlDocument *doc = graphql_parse(arena, c->src, strlen(c->src), NULL, &err);
		const GraphqlDefinition *op = doc ? graphql_get_operation(arena, doc, NULL, &err) : NULL;
		char *got;

		if (op == NULL)
			got = format_errors(arena, err);
		else
		{
			err = graphql_check_complexity(arena, doc, op, &c->limits);
			got = format_errors(arena, err);
			if (err && err->kind != GRAPHQL_ERROR_LIMIT)
				got = "wrong kind";
		}
		check(strcmp(got, c->expected) == 0, "complexity", c->src, c->expected, got);
		graphql_arena_destroy(arena);
	}
	{
		GraphqlArena *arena = graphql_arena_create(NULL);
		GraphqlError *err;
		const char *q = graphql_test_dashboard_query;
		GraphqlDocument *doc = graphql_parse(arena, q, strlen(q), NULL, &err);
		uint32_t depth;
		uint32_t count;
		char got[64];

		graphql_measure_operation(arena, doc, doc->definitions, &depth, &count);
		snprintf(got, sizeof(got), "depth %u fields %u", depth, count);
		check(strcmp(got, "depth 4 fields 14") == 0, "measure dashboard", q, "depth 4 fields 14",
		      got);
		graphql_arena_destroy(arena);
	}
}

/* ------------------------------------------------------------------ */
/* Introspection                                                        */
/* ------------------------------------------------------------------ */

static void
test_introspection(void)
{
	GraphqlArena *arena = graphql_arena_create(NULL);
	GraphqlError *err;
	const char *q = graphql_test_introspection_query;
	GraphqlDocument *doc = graphql_parse(arena, q, strlen(q), NULL, &err);
	const GraphqlDefinition *op;
	GraphqlComplexityLimits limits = {12, 2000, 30, true};
	uint32_t depth;
	uint32_t count;

	check(doc != NULL, "introspection query parses", "IntrospectionQuery", "document",
	      doc ? "document" : format_errors(arena, err));
	if (doc == NULL)
	{
		graphql_arena_destroy(arena);
		return;
	}
	err = graphql_validate(arena, schema, doc, NULL);
	check(err == NULL, "introspection query validates", "IntrospectionQuery", "",
	      format_errors(arena, err));
	op = graphql_get_operation(arena, doc, "IntrospectionQuery", &err);
	check(op != NULL, "introspection operation", "IntrospectionQuery", "op", "none");
	graphql_measure_operation(arena, doc, op, &depth, &count);
	check(depth == 14 && count > 100, "introspection depth", "IntrospectionQuery", "14", "other");
	err = graphql_check_complexity(arena, doc, op, &limits);
	check(err == NULL, "introspection within limits when ignored", "IntrospectionQuery", "",
	      format_errors(arena, err));
	graphql_arena_destroy(arena);
}

/* Fragment-heavy documents stay bounded in time and memory. */
static void
test_pathological(void)
{
	char *q = malloc(1 << 20);
	int n;
	int i;
	int round;

	for (round = 0; round < 2; round++)
	{
		GraphqlArena *arena = graphql_arena_create(NULL);
		GraphqlError *err;
		GraphqlDocument *doc;
		char got[64];

		if (round == 0)
		{
			/* 2000 fragments spread in one selection set: 2M fragment pairs */
			n = sprintf(q, "{ me {");
			for (i = 0; i < 2000; i++)
				n += sprintf(q + n, " ...F%d", i);
			n += sprintf(q + n, " } }");
			for (i = 0; i < 2000; i++)
				n += sprintf(q + n, " fragment F%d on Me { x: principal }", i);
		}
		else
		{
			/* a cycle through 2000 fragments */
			n = sprintf(q, "{ creator(mid: 1) { ...F0 } }");
			for (i = 0; i < 2000; i++)
				n += sprintf(q + n, " fragment F%d on Creator { name ...F%d }", i, (i + 1) % 2000);
		}
		doc = graphql_parse(arena, q, (size_t) n, NULL, &err);
		err = doc ? graphql_validate(arena, schema, doc, NULL) : err;
		snprintf(got, sizeof(got), "%zu MB", graphql_arena_bytes_used(arena) >> 20);
		check(doc != NULL && (round == 0 ? err == NULL : err != NULL) &&
		          graphql_arena_bytes_used(arena) < (64u << 20),
		      "fragment-heavy document bounded", round == 0 ? "2000 spreads" : "2000-cycle",
		      "< 64 MB", got);
		graphql_arena_destroy(arena);
	}
	free(q);
}

/* Schema builder errors are reported by finalize. */
static void
test_schema_errors(void)
{
	GraphqlSchema *s = graphql_schema_create(NULL);
	GraphqlType *q = graphql_schema_add_object(s, "Query", NULL);
	const char *err;

	graphql_type_add_field(s, q, "a", "Missing", NULL);
	graphql_schema_set_root(s, GRAPHQL_OPERATION_QUERY, q);
	err = graphql_schema_finalize(s);
	check(err && strcmp(err, "unknown type \"Missing\" used by Query.a") == 0,
	      "schema unknown type", "Query.a: Missing", "unknown type", err);
	graphql_schema_destroy(s);
	s = graphql_schema_create(NULL);
	q = graphql_schema_add_object(s, "Query", NULL);
	graphql_type_add_field(s, q, "a", "[Int!", NULL);
	err = graphql_schema_finalize(s);
	check(err && strstr(err, "invalid type \"[Int!\"") != NULL, "schema bad type string", "[Int!",
	      "invalid type", err);
	graphql_schema_destroy(s);
	s = graphql_schema_create(NULL);
	q = graphql_schema_add_object(s, "Query", NULL);
	graphql_type_add_field(s, q, "a", "Int", NULL);
	graphql_type_add_field(s, q, "a", "Int", NULL);
	graphql_schema_set_root(s, GRAPHQL_OPERATION_QUERY, q);
	err = graphql_schema_finalize(s);
	check(err && strcmp(err, "duplicate field Query.a") == 0, "schema duplicate field", "Query.a",
	      "duplicate field Query.a", err);
	graphql_schema_destroy(s);
	check(graphql_schema_find_type(schema, "__Type") != NULL &&
	          graphql_schema_find_directive(schema, "specifiedBy") != NULL &&
	          graphql_type_find_field(graphql_schema_find_type(schema, "__Type"), "specifiedByURL"),
	      "built-in introspection types", "__Type", "present", "missing");
}

/* A custom backing allocator is used for every block. */
static size_t custom_allocs;

static void *
counting_alloc(size_t size, void *context)
{
	custom_allocs++;
	return malloc(size);
}

static void
counting_free(void *p, void *context)
{
	custom_allocs--;
	free(p);
}

static void
test_arena(void)
{
	GraphqlAllocator a = {counting_alloc, counting_free, NULL, NULL};
	GraphqlArena *arena = graphql_arena_create(&a);
	size_t i;
	char *p = NULL;

	for (i = 0; i < 10000; i++)
		p = graphql_arena_alloc(arena, (i % 97) + 1);
	p = graphql_arena_alloc(arena, 1 << 20);
	p[(1 << 20) - 1] = 1;
	check(custom_allocs > 2 && graphql_arena_bytes_used(arena) > (1 << 20), "arena grows",
	      "10000 allocs", "blocks", "none");
	graphql_arena_destroy(arena);
	check(custom_allocs == 0, "arena frees every block", "destroy", "0 blocks", "leak");
}

int
main(void)
{
	schema = graphql_test_schema_create();
	test_arena();
	test_lexer();
	test_parser();
	test_parse_limits();
	test_print_and_hash();
	test_get_operation();
	test_schema_errors();
	test_validation();
	test_validation_options();
	test_complexity();
	test_introspection();
	test_pathological();
	graphql_schema_destroy(schema);
	printf("%d passed, %d failed\n", n_passed, n_failed);
	return n_failed > 0 ? 1 : 0;
}
