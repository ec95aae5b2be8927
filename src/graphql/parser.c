/*
 * parser.c — recursive-descent parser for GraphQL executable documents.
 *
 * Phases: the parser pulls tokens from the lexer one at a time (one token of
 * lookahead, plus a lexer snapshot for the rare description lookahead) and
 * builds the AST of graphql.h in the caller's arena. Type-system definitions
 * (schema, type, extend, directive ...) are rejected with a clear message:
 * only operations and fragments are executable (§5.1.1 ExecutableDefinitions
 * is therefore enforced here).
 *
 * Errors: the first error ends the parse. Parse functions longjmp to the
 * entry point with the error stored in the (arena-allocated) parser state;
 * everything lives in the arena, so nothing needs unwinding. Messages follow
 * graphql-js v16 ("Syntax Error: Expected Name, found \"}\".").
 *
 * Limits: source size, token count and nesting depth (selection sets, list
 * and object values, list types share one counter) are checked as parsing
 * proceeds, so a document of 100k '{' stops at the depth limit without deep
 * recursion.
 */
#include <setjmp.h>
#include <string.h>

#include "graphql_int.h"

typedef struct Parser
{
	GraphqlArena *arena;
	GraphqlLexer lexer;
	GraphqlToken tok;
	uint32_t token_count;
	uint32_t max_tokens;
	uint32_t depth;
	uint32_t max_depth;
	GraphqlError *error;
	jmp_buf fail;
} Parser;

static void parser_fail(Parser *p, GraphqlError *error) __attribute__((noreturn));

/* Abandon the parse with this error. */
static void
parser_fail(Parser *p, GraphqlError *error)
{
	p->error = error;
	longjmp(p->fail, 1);
}

/* Move to the next token, counting it against the token limit. */
static void
advance(Parser *p)
{
	GraphqlError *err;

	if (!graphql_lexer_next(&p->lexer, &p->tok, &err))
		parser_fail(p, err);
	if (p->tok.kind != GRAPHQL_TOKEN_EOF)
	{
		p->token_count++;
		if (p->max_tokens && p->token_count > p->max_tokens)
		{
			err = graphql_error_at(p->arena, GRAPHQL_ERROR_LIMIT, p->tok.loc,
			                       GRAPHQL_SYNTAX_PREFIX
			                       "Document contains more than %u tokens. Parsing aborted.",
			                       p->max_tokens);
			parser_fail(p, err);
		}
	}
}

/* graphql-js getTokenDesc: kind plus the value in quotes when it has one. */
static const char *
token_desc(Parser *p, const GraphqlToken *t)
{
	if (t->value)
		return graphql_format(p->arena, "%s \"%s\"", graphql_token_kind_name(t->kind), t->value);
	return graphql_token_kind_name(t->kind);
}

/* "Unexpected <token>." at the token. */
static void unexpected(Parser *p, const GraphqlToken *t) __attribute__((noreturn));
static void
unexpected(Parser *p, const GraphqlToken *t)
{
	parser_fail(p, graphql_error_at(p->arena, GRAPHQL_ERROR_SYNTAX, t->loc,
	                                GRAPHQL_SYNTAX_PREFIX "Unexpected %s.", token_desc(p, t)));
}

static inline bool
peek(Parser *p, GraphqlTokenKind kind)
{
	return p->tok.kind == kind;
}

/* Consume a token of this kind or fail with graphql-js "Expected X, found Y." */
static GraphqlToken
expect(Parser *p, GraphqlTokenKind kind)
{
	GraphqlToken t = p->tok;

	if (t.kind != kind)
		parser_fail(p, graphql_error_at(p->arena, GRAPHQL_ERROR_SYNTAX, t.loc,
		                                GRAPHQL_SYNTAX_PREFIX "Expected %s, found %s.",
		                                graphql_token_kind_name(kind), token_desc(p, &t)));
	advance(p);
	return t;
}

/* Consume the token if it has this kind. */
static bool
skip(Parser *p, GraphqlTokenKind kind)
{
	if (p->tok.kind != kind)
		return false;
	advance(p);
	return true;
}

static bool
peek_keyword(Parser *p, const char *word)
{
	return p->tok.kind == GRAPHQL_TOKEN_NAME && strcmp(p->tok.value, word) == 0;
}

/* Consume a keyword or fail with "Expected \"on\", found ...". */
static void
expect_keyword(Parser *p, const char *word)
{
	if (!peek_keyword(p, word))
		parser_fail(p, graphql_error_at(p->arena, GRAPHQL_ERROR_SYNTAX, p->tok.loc,
		                                GRAPHQL_SYNTAX_PREFIX "Expected \"%s\", found %s.", word,
		                                token_desc(p, &p->tok)));
	advance(p);
}

/* Enter one nesting level (selection set, list/object value, list type). */
static void
enter_nesting(Parser *p)
{
	if (++p->depth > p->max_depth)
		parser_fail(p,
		            graphql_error_at(p->arena, GRAPHQL_ERROR_LIMIT, p->tok.loc,
		                             GRAPHQL_SYNTAX_PREFIX
		                             "Document is nested deeper than %u levels. Parsing aborted.",
		                             p->max_depth));
}

static const char *
parse_name(Parser *p, GraphqlLocation *loc)
{
	GraphqlToken t = expect(p, GRAPHQL_TOKEN_NAME);

	if (loc)
		*loc = t.loc;
	return t.value;
}

static GraphqlValue *parse_value(Parser *p, bool is_const);

/* ObjectField or Argument: Name : Value. */
static GraphqlArgument *
parse_argument(Parser *p, bool is_const)
{
	GraphqlArgument *arg = graphql_arena_alloc(p->arena, sizeof(GraphqlArgument));

	arg->name = parse_name(p, &arg->loc);
	expect(p, GRAPHQL_TOKEN_COLON);
	arg->value = parse_value(p, is_const);
	return arg;
}

/* Value[Const] (§2.9). */
static GraphqlValue *
parse_value(Parser *p, bool is_const)
{
	GraphqlToken t = p->tok;
	GraphqlValue *v = graphql_arena_alloc(p->arena, sizeof(GraphqlValue));

	v->loc = t.loc;
	switch (t.kind)
	{
		case GRAPHQL_TOKEN_BRACKET_L:
		{
			GraphqlValue **tail = &v->items;

			enter_nesting(p);
			advance(p);
			v->kind = GRAPHQL_VALUE_LIST;
			while (!skip(p, GRAPHQL_TOKEN_BRACKET_R))
			{
				*tail = parse_value(p, is_const);
				tail = &(*tail)->next;
				v->count++;
			}
			p->depth--;
			return v;
		}
		case GRAPHQL_TOKEN_BRACE_L:
		{
			GraphqlArgument **tail = &v->fields;

			enter_nesting(p);
			advance(p);
			v->kind = GRAPHQL_VALUE_OBJECT;
			while (!skip(p, GRAPHQL_TOKEN_BRACE_R))
			{
				*tail = parse_argument(p, is_const);
				tail = &(*tail)->next;
				v->count++;
			}
			p->depth--;
			return v;
		}
		case GRAPHQL_TOKEN_INT:
			v->kind = GRAPHQL_VALUE_INT;
			break;
		case GRAPHQL_TOKEN_FLOAT:
			v->kind = GRAPHQL_VALUE_FLOAT;
			break;
		case GRAPHQL_TOKEN_STRING:
			v->kind = GRAPHQL_VALUE_STRING;
			break;
		case GRAPHQL_TOKEN_BLOCK_STRING:
			v->kind = GRAPHQL_VALUE_STRING;
			v->is_block_string = true;
			break;
		case GRAPHQL_TOKEN_NAME:
			if (strcmp(t.value, "true") == 0 || strcmp(t.value, "false") == 0)
			{
				v->kind = GRAPHQL_VALUE_BOOLEAN;
				v->boolean = t.value[0] == 't';
			}
			else if (strcmp(t.value, "null") == 0)
				v->kind = GRAPHQL_VALUE_NULL;
			else
				v->kind = GRAPHQL_VALUE_ENUM;
			break;
		case GRAPHQL_TOKEN_DOLLAR:
			advance(p);
			if (is_const)
			{
				if (peek(p, GRAPHQL_TOKEN_NAME))
					parser_fail(p,
					            graphql_error_at(p->arena, GRAPHQL_ERROR_SYNTAX, t.loc,
					                             GRAPHQL_SYNTAX_PREFIX
					                             "Unexpected variable \"$%s\" in constant value.",
					                             p->tok.value));
				unexpected(p, &t);
			}
			v->kind = GRAPHQL_VALUE_VARIABLE;
			v->text = parse_name(p, NULL);
			v->text_len = strlen(v->text);
			return v;
		default:
			unexpected(p, &t);
	}
	v->text = t.value;
	v->text_len = t.value_len;
	advance(p);
	return v;
}

/* Arguments[Const]: ( Argument+ ). */
static GraphqlArgument *
parse_arguments(Parser *p, bool is_const, uint32_t *count)
{
	GraphqlArgument *head = NULL;
	GraphqlArgument **tail = &head;

	if (!skip(p, GRAPHQL_TOKEN_PAREN_L))
		return NULL;
	do
	{
		*tail = parse_argument(p, is_const);
		tail = &(*tail)->next;
		if (count)
			(*count)++;
	} while (!skip(p, GRAPHQL_TOKEN_PAREN_R));
	return head;
}

/* Directives[Const]: @Name Arguments? ... */
static GraphqlDirective *
parse_directives(Parser *p, bool is_const)
{
	GraphqlDirective *head = NULL;
	GraphqlDirective **tail = &head;

	while (peek(p, GRAPHQL_TOKEN_AT))
	{
		GraphqlDirective *d = graphql_arena_alloc(p->arena, sizeof(GraphqlDirective));

		d->loc = p->tok.loc;
		advance(p);
		d->name = parse_name(p, &d->name_loc);
		d->arguments = parse_arguments(p, is_const, NULL);
		*tail = d;
		tail = &d->next;
	}
	return head;
}

/* Type: NamedType, [Type] or Type! */
static GraphqlTypeRef *
parse_type_ref(Parser *p)
{
	GraphqlTypeRef *t = graphql_arena_alloc(p->arena, sizeof(GraphqlTypeRef));

	t->loc = p->tok.loc;
	if (peek(p, GRAPHQL_TOKEN_BRACKET_L))
	{
		enter_nesting(p);
		advance(p);
		t->kind = GRAPHQL_TYPEREF_LIST;
		t->of_type = parse_type_ref(p);
		expect(p, GRAPHQL_TOKEN_BRACKET_R);
		p->depth--;
	}
	else
	{
		t->kind = GRAPHQL_TYPEREF_NAMED;
		t->name = parse_name(p, NULL);
	}
	if (peek(p, GRAPHQL_TOKEN_BANG))
	{
		GraphqlTypeRef *nn = graphql_arena_alloc(p->arena, sizeof(GraphqlTypeRef));

		advance(p);
		nn->kind = GRAPHQL_TYPEREF_NON_NULL;
		nn->loc = t->loc;
		nn->of_type = t;
		return nn;
	}
	return t;
}

static GraphqlSelection *parse_selection_set(Parser *p, GraphqlLocation *loc, uint32_t *count);

/* Field: Alias? Name Arguments? Directives? SelectionSet? */
static GraphqlSelection *
parse_field(Parser *p)
{
	GraphqlSelection *s = graphql_arena_alloc(p->arena, sizeof(GraphqlSelection));
	GraphqlLocation loc;
	const char *name = parse_name(p, &loc);

	s->kind = GRAPHQL_SELECTION_FIELD;
	s->loc = loc;
	if (skip(p, GRAPHQL_TOKEN_COLON))
	{
		s->alias = name;
		s->name = parse_name(p, &s->name_loc);
	}
	else
	{
		s->name = name;
		s->name_loc = loc;
	}
	s->arguments = parse_arguments(p, false, &s->argument_count);
	s->directives = parse_directives(p, false);
	if (peek(p, GRAPHQL_TOKEN_BRACE_L))
		s->selections = parse_selection_set(p, &s->selection_set_loc, &s->selection_count);
	return s;
}

/* FragmentSpread or InlineFragment, after "...". */
static GraphqlSelection *
parse_fragment(Parser *p)
{
	GraphqlSelection *s = graphql_arena_alloc(p->arena, sizeof(GraphqlSelection));
	bool has_type_condition;

	s->loc = p->tok.loc;
	expect(p, GRAPHQL_TOKEN_SPREAD);
	has_type_condition = peek_keyword(p, "on");
	if (has_type_condition)
		advance(p);
	if (!has_type_condition && peek(p, GRAPHQL_TOKEN_NAME))
	{
		s->kind = GRAPHQL_SELECTION_FRAGMENT_SPREAD;
		s->name = parse_name(p, &s->name_loc);
		s->directives = parse_directives(p, false);
		return s;
	}
	s->kind = GRAPHQL_SELECTION_INLINE_FRAGMENT;
	if (has_type_condition)
		s->type_condition = parse_name(p, &s->name_loc);
	s->directives = parse_directives(p, false);
	s->selections = parse_selection_set(p, &s->selection_set_loc, &s->selection_count);
	return s;
}

/* SelectionSet: { Selection+ } */
static GraphqlSelection *
parse_selection_set(Parser *p, GraphqlLocation *loc, uint32_t *count)
{
	GraphqlSelection *head = NULL;
	GraphqlSelection **tail = &head;

	*loc = p->tok.loc;
	enter_nesting(p);
	expect(p, GRAPHQL_TOKEN_BRACE_L);
	do
	{
		if (peek(p, GRAPHQL_TOKEN_SPREAD))
			*tail = parse_fragment(p);
		else
			*tail = parse_field(p);
		tail = &(*tail)->next;
		(*count)++;
	} while (!skip(p, GRAPHQL_TOKEN_BRACE_R));
	p->depth--;
	return head;
}

/* VariableDefinitions: ( VariableDefinition+ ) */
static GraphqlVariableDefinition *
parse_variable_definitions(Parser *p, uint32_t *count)
{
	GraphqlVariableDefinition *head = NULL;
	GraphqlVariableDefinition **tail = &head;

	if (!skip(p, GRAPHQL_TOKEN_PAREN_L))
		return NULL;
	do
	{
		GraphqlVariableDefinition *v = graphql_arena_alloc(p->arena, sizeof(*v));

		v->loc = p->tok.loc;
		expect(p, GRAPHQL_TOKEN_DOLLAR);
		v->name = parse_name(p, &v->name_loc);
		expect(p, GRAPHQL_TOKEN_COLON);
		v->type = parse_type_ref(p);
		if (skip(p, GRAPHQL_TOKEN_EQUALS))
			v->default_value = parse_value(p, true);
		v->directives = parse_directives(p, true);
		*tail = v;
		tail = &v->next;
		(*count)++;
	} while (!skip(p, GRAPHQL_TOKEN_PAREN_R));
	return head;
}

/* OperationDefinition, including the { } shorthand. */
static GraphqlDefinition *
parse_operation(Parser *p)
{
	GraphqlDefinition *d = graphql_arena_alloc(p->arena, sizeof(GraphqlDefinition));

	d->kind = GRAPHQL_DEFINITION_OPERATION;
	d->loc = p->tok.loc;
	if (peek(p, GRAPHQL_TOKEN_BRACE_L))
	{
		d->operation = GRAPHQL_OPERATION_QUERY;
		d->is_shorthand = true;
		d->selections = parse_selection_set(p, &d->selection_set_loc, &(uint32_t){0});
		return d;
	}
	if (peek_keyword(p, "query"))
		d->operation = GRAPHQL_OPERATION_QUERY;
	else if (peek_keyword(p, "mutation"))
		d->operation = GRAPHQL_OPERATION_MUTATION;
	else if (peek_keyword(p, "subscription"))
		d->operation = GRAPHQL_OPERATION_SUBSCRIPTION;
	else
		unexpected(p, &p->tok);
	advance(p);
	if (peek(p, GRAPHQL_TOKEN_NAME))
		d->name = parse_name(p, &d->name_loc);
	d->variables = parse_variable_definitions(p, &d->variable_count);
	d->directives = parse_directives(p, false);
	d->selections = parse_selection_set(p, &d->selection_set_loc, &(uint32_t){0});
	return d;
}

/* FragmentDefinition: fragment Name TypeCondition Directives? SelectionSet */
static GraphqlDefinition *
parse_fragment_definition(Parser *p)
{
	GraphqlDefinition *d = graphql_arena_alloc(p->arena, sizeof(GraphqlDefinition));

	d->kind = GRAPHQL_DEFINITION_FRAGMENT;
	d->loc = p->tok.loc;
	advance(p);
	if (peek_keyword(p, "on"))
		unexpected(p, &p->tok);
	d->name = parse_name(p, &d->name_loc);
	expect_keyword(p, "on");
	d->type_condition = parse_name(p, &d->type_condition_loc);
	d->directives = parse_directives(p, false);
	d->selections = parse_selection_set(p, &d->selection_set_loc, &(uint32_t){0});
	return d;
}

static bool
is_type_system_keyword(const char *word)
{
	static const char *const words[] = {"schema", "scalar", "type",   "interface", "union",
	                                    "enum",   "input",  "extend", "directive"};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
	{
		if (strcmp(word, words[i]) == 0)
			return true;
	}
	return false;
}

/* The clear rejection of SDL in an executable document. */
static void reject_type_system(Parser *p, const GraphqlToken *keyword) __attribute__((noreturn));
static void
reject_type_system(Parser *p, const GraphqlToken *keyword)
{
	parser_fail(p, graphql_error_at(p->arena, GRAPHQL_ERROR_SYNTAX, keyword->loc,
	                                GRAPHQL_SYNTAX_PREFIX
	                                "Unexpected Name \"%s\". Type system definitions are not "
	                                "supported: only operations and fragments are executable.",
	                                keyword->value));
}

/* Definition: an operation or a fragment; anything else is rejected. */
static GraphqlDefinition *
parse_definition(Parser *p)
{
	if (peek(p, GRAPHQL_TOKEN_BRACE_L))
		return parse_operation(p);
	if (peek(p, GRAPHQL_TOKEN_STRING) || peek(p, GRAPHQL_TOKEN_BLOCK_STRING))
	{
		/* A description: look at the keyword after it. */
		GraphqlLexer saved = p->lexer;
		GraphqlToken description = p->tok;
		GraphqlToken next;
		GraphqlError *err;

		if (graphql_lexer_next(&p->lexer, &next, &err) && next.kind == GRAPHQL_TOKEN_NAME &&
		    is_type_system_keyword(next.value))
			reject_type_system(p, &next);
		p->lexer = saved;
		parser_fail(p, graphql_error_at(p->arena, GRAPHQL_ERROR_SYNTAX, description.loc,
		                                GRAPHQL_SYNTAX_PREFIX
		                                "Unexpected description, descriptions are supported only "
		                                "on type definitions."));
	}
	if (peek(p, GRAPHQL_TOKEN_NAME))
	{
		const char *v = p->tok.value;

		if (strcmp(v, "query") == 0 || strcmp(v, "mutation") == 0 || strcmp(v, "subscription") == 0)
			return parse_operation(p);
		if (strcmp(v, "fragment") == 0)
			return parse_fragment_definition(p);
		if (is_type_system_keyword(v))
			reject_type_system(p, &p->tok);
	}
	unexpected(p, &p->tok);
}

/* Common setup of a parser over a source. */
static Parser *
parser_create(GraphqlArena *arena, const char *source, size_t len, const GraphqlParseLimits *limits)
{
	Parser *p = graphql_arena_alloc(arena, sizeof(Parser));

	p->arena = arena;
	graphql_lexer_init(&p->lexer, arena, source, len);
	p->max_depth = (limits && limits->max_depth) ? limits->max_depth : GRAPHQL_DEFAULT_PARSE_DEPTH;
	p->max_tokens = limits ? limits->max_tokens : 0;
	return p;
}

GraphqlDocument *
graphql_parse(GraphqlArena *arena, const char *source, size_t len, const GraphqlParseLimits *limits,
              GraphqlError **error)
{
	Parser *p;
	GraphqlDocument *doc;
	GraphqlDefinition **tail;

	*error = NULL;
	if (limits && limits->max_bytes && len > limits->max_bytes)
	{
		*error = graphql_error_new(arena, GRAPHQL_ERROR_LIMIT,
		                           graphql_format(arena,
		                                          GRAPHQL_SYNTAX_PREFIX
		                                          "Document is larger than %zu bytes. Parsing "
		                                          "aborted.",
		                                          limits->max_bytes),
		                           0, NULL);
		return NULL;
	}
	p = parser_create(arena, source, len, limits);
	doc = graphql_arena_alloc(arena, sizeof(GraphqlDocument));
	doc->source = source;
	doc->source_len = len;
	if (setjmp(p->fail) != 0)
	{
		*error = p->error;
		return NULL;
	}
	advance(p);
	if (peek(p, GRAPHQL_TOKEN_EOF))
		unexpected(p, &p->tok);
	tail = &doc->definitions;
	while (!peek(p, GRAPHQL_TOKEN_EOF))
	{
		*tail = parse_definition(p);
		tail = &(*tail)->next;
		doc->definition_count++;
	}
	doc->token_count = p->token_count;
	return doc;
}

GraphqlValue *
graphql_parse_value(GraphqlArena *arena, const char *source, size_t len, bool const_only,
                    GraphqlError **error)
{
	Parser *p = parser_create(arena, source, len, NULL);
	GraphqlValue *v;

	*error = NULL;
	if (setjmp(p->fail) != 0)
	{
		*error = p->error;
		return NULL;
	}
	advance(p);
	v = parse_value(p, const_only);
	expect(p, GRAPHQL_TOKEN_EOF);
	return v;
}

GraphqlTypeRef *
graphql_parse_type(GraphqlArena *arena, const char *source, size_t len, GraphqlError **error)
{
	Parser *p = parser_create(arena, source, len, NULL);
	GraphqlTypeRef *t;

	*error = NULL;
	if (setjmp(p->fail) != 0)
	{
		*error = p->error;
		return NULL;
	}
	advance(p);
	t = parse_type_ref(p);
	expect(p, GRAPHQL_TOKEN_EOF);
	return t;
}
