/*
 * print.c — printing of values, types and whole documents; the document
 * hash; operation selection (§6.1 GetOperation).
 *
 * Two printers live here:
 *  - graphql-js print() of values and inspect() of types, used verbatim in
 *    validation messages ("found {a: 1}", "\"[Int!]!\"");
 *  - the canonical document printer used for plan-cache keys: one line,
 *    single spaces, no comments, strings re-escaped, block strings printed
 *    as ordinary strings, an anonymous query without variables or
 *    directives printed as the { } shorthand. The output depends only on
 *    the AST, so it is stable across whitespace, comments and commas.
 *
 * The hash is FNV-1a (64-bit) followed by the murmur3 finalizer, computed by
 * this file's own code so it never changes with a library upgrade.
 */
#include <string.h>

#include "graphql_int.h"

/* graphql-js printString: JSON-like escaping of C0, DEL and C1 controls. */
void
graphql_print_string_to(GraphqlBuf *buf, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;
	size_t chunk = 0;

	graphql_buf_putc(buf, '"');
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];
		unsigned code;
		char esc[7];

		if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7F &&
		    !(c == 0xC2 && i + 1 < len && (unsigned char) s[i + 1] >= 0x80 &&
		      (unsigned char) s[i + 1] <= 0x9F))
			continue;
		graphql_buf_append(buf, s + chunk, i - chunk);
		switch (c)
		{
			case '"':
				graphql_buf_append(buf, "\\\"", 2);
				break;
			case '\\':
				graphql_buf_append(buf, "\\\\", 2);
				break;
			case '\b':
				graphql_buf_append(buf, "\\b", 2);
				break;
			case '\t':
				graphql_buf_append(buf, "\\t", 2);
				break;
			case '\n':
				graphql_buf_append(buf, "\\n", 2);
				break;
			case '\f':
				graphql_buf_append(buf, "\\f", 2);
				break;
			case '\r':
				graphql_buf_append(buf, "\\r", 2);
				break;
			default:
				code = c;
				if (c == 0xC2)
				{
					code = (unsigned char) s[i + 1];
					i++;
				}
				esc[0] = '\\';
				esc[1] = 'u';
				esc[2] = '0';
				esc[3] = '0';
				esc[4] = hex[(code >> 4) & 0xF];
				esc[5] = hex[code & 0xF];
				graphql_buf_append(buf, esc, 6);
				break;
		}
		chunk = i + 1;
	}
	graphql_buf_append(buf, s + chunk, len - chunk);
	graphql_buf_putc(buf, '"');
}

/* graphql-js printBlockString (v16), for block strings in messages. */
static void
print_block_string(GraphqlBuf *buf, const char *s, size_t len)
{
	GraphqlBuf escaped;
	size_t i;
	bool single_line = true;
	bool force_leading = false;
	bool trailing_triple;
	bool trailing_quote;
	bool trailing_slash;
	bool multiple;
	bool skip_leading;
	size_t chars = 0;

	graphql_buf_init(&escaped, buf->arena, len + 8);
	for (i = 0; i < len; i++)
	{
		if (i + 2 < len && s[i] == '"' && s[i + 1] == '"' && s[i + 2] == '"')
		{
			graphql_buf_append(&escaped, "\\\"\"\"", 4);
			i += 2;
			continue;
		}
		graphql_buf_putc(&escaped, s[i]);
	}
	for (i = 0; i < len; i++)
	{
		if (((unsigned char) s[i] & 0xC0) != 0x80)
			chars++;
		if (s[i] == '\n')
			single_line = false;
	}
	if (!single_line)
	{
		force_leading = true;
		for (i = 0; i < len; i++)
		{
			if (s[i] == '\n' && i + 1 < len && s[i + 1] != '\n' && s[i + 1] != ' ' &&
			    s[i + 1] != '\t')
				force_leading = false;
		}
	}
	trailing_triple =
	    escaped.len >= 4 && memcmp(escaped.data + escaped.len - 4, "\\\"\"\"", 4) == 0;
	trailing_quote = len > 0 && s[len - 1] == '"' && !trailing_triple;
	trailing_slash = len > 0 && s[len - 1] == '\\';
	multiple = !single_line || chars > 70 || trailing_quote || trailing_slash || force_leading ||
	           trailing_triple;
	skip_leading = single_line && len > 0 && (s[0] == ' ' || s[0] == '\t');
	graphql_buf_puts(buf, "\"\"\"");
	if ((multiple && !skip_leading) || force_leading)
		graphql_buf_putc(buf, '\n');
	graphql_buf_append(buf, escaped.data, escaped.len);
	if (multiple || trailing_quote || trailing_slash)
		graphql_buf_putc(buf, '\n');
	graphql_buf_puts(buf, "\"\"\"");
}

/* Object fields in name order, for argument comparison (sortValueNode). */
static GraphqlArgument **
sorted_fields(GraphqlArena *arena, const GraphqlValue *value)
{
	GraphqlArgument **a =
	    graphql_arena_alloc(arena, sizeof(GraphqlArgument *) * (value->count + 1));
	GraphqlArgument *f;
	uint32_t n = 0;
	uint32_t i;

	for (f = value->fields; f; f = f->next)
	{
		/* insertion sort keeps equal names in document order */
		i = n++;
		while (i > 0 && graphql_natural_compare(a[i - 1]->name, f->name) > 0)
		{
			a[i] = a[i - 1];
			i--;
		}
		a[i] = f;
	}
	a[n] = NULL;
	return a;
}

/* graphql-js print() of a value; sort_fields also sorts object fields. */
void
graphql_print_value_to(GraphqlBuf *buf, const GraphqlValue *value, bool sort_fields)
{
	const GraphqlValue *item;
	const GraphqlArgument *f;

	switch (value->kind)
	{
		case GRAPHQL_VALUE_VARIABLE:
			graphql_buf_putc(buf, '$');
			graphql_buf_puts(buf, value->text);
			break;
		case GRAPHQL_VALUE_INT:
		case GRAPHQL_VALUE_FLOAT:
		case GRAPHQL_VALUE_ENUM:
			graphql_buf_append(buf, value->text, value->text_len);
			break;
		case GRAPHQL_VALUE_STRING:
			if (value->is_block_string && !sort_fields)
				print_block_string(buf, value->text, value->text_len);
			else
				graphql_print_string_to(buf, value->text, value->text_len);
			break;
		case GRAPHQL_VALUE_BOOLEAN:
			graphql_buf_puts(buf, value->boolean ? "true" : "false");
			break;
		case GRAPHQL_VALUE_NULL:
			graphql_buf_puts(buf, "null");
			break;
		case GRAPHQL_VALUE_LIST:
			graphql_buf_putc(buf, '[');
			for (item = value->items; item; item = item->next)
			{
				if (item != value->items)
					graphql_buf_puts(buf, ", ");
				graphql_print_value_to(buf, item, sort_fields);
			}
			graphql_buf_putc(buf, ']');
			break;
		case GRAPHQL_VALUE_OBJECT:
			graphql_buf_putc(buf, '{');
			if (sort_fields)
			{
				GraphqlArgument **sorted = sorted_fields(buf->arena, value);
				uint32_t i;

				for (i = 0; sorted[i]; i++)
				{
					if (i > 0)
						graphql_buf_puts(buf, ", ");
					graphql_buf_puts(buf, sorted[i]->name);
					graphql_buf_puts(buf, ": ");
					graphql_print_value_to(buf, sorted[i]->value, true);
				}
			}
			else
			{
				for (f = value->fields; f; f = f->next)
				{
					if (f != value->fields)
						graphql_buf_puts(buf, ", ");
					graphql_buf_puts(buf, f->name);
					graphql_buf_puts(buf, ": ");
					graphql_print_value_to(buf, f->value, false);
				}
			}
			graphql_buf_putc(buf, '}');
			break;
	}
}

char *
graphql_print_value(GraphqlArena *arena, const GraphqlValue *value)
{
	GraphqlBuf buf;

	graphql_buf_init(&buf, arena, 64);
	graphql_print_value_to(&buf, value, false);
	return buf.data;
}

void
graphql_print_typeref_to(GraphqlBuf *buf, const GraphqlTypeRef *ref)
{
	switch (ref->kind)
	{
		case GRAPHQL_TYPEREF_NAMED:
			graphql_buf_puts(buf, ref->name);
			break;
		case GRAPHQL_TYPEREF_LIST:
			graphql_buf_putc(buf, '[');
			graphql_print_typeref_to(buf, ref->of_type);
			graphql_buf_putc(buf, ']');
			break;
		case GRAPHQL_TYPEREF_NON_NULL:
			graphql_print_typeref_to(buf, ref->of_type);
			graphql_buf_putc(buf, '!');
			break;
	}
}

char *
graphql_print_typeref(GraphqlArena *arena, const GraphqlTypeRef *ref)
{
	GraphqlBuf buf;

	graphql_buf_init(&buf, arena, 32);
	graphql_print_typeref_to(&buf, ref);
	return buf.data;
}

/* ------------------------------------------------------------------ */
/* Canonical document printer                                           */
/* ------------------------------------------------------------------ */

/* Canonical values: strings always in the escaped ordinary form. */
static void
canon_value(GraphqlBuf *buf, const GraphqlValue *value)
{
	const GraphqlValue *item;
	const GraphqlArgument *f;

	switch (value->kind)
	{
		case GRAPHQL_VALUE_STRING:
			graphql_print_string_to(buf, value->text, value->text_len);
			break;
		case GRAPHQL_VALUE_LIST:
			graphql_buf_putc(buf, '[');
			for (item = value->items; item; item = item->next)
			{
				if (item != value->items)
					graphql_buf_puts(buf, ", ");
				canon_value(buf, item);
			}
			graphql_buf_putc(buf, ']');
			break;
		case GRAPHQL_VALUE_OBJECT:
			graphql_buf_putc(buf, '{');
			for (f = value->fields; f; f = f->next)
			{
				if (f != value->fields)
					graphql_buf_puts(buf, ", ");
				graphql_buf_puts(buf, f->name);
				graphql_buf_puts(buf, ": ");
				canon_value(buf, f->value);
			}
			graphql_buf_putc(buf, '}');
			break;
		default:
			graphql_print_value_to(buf, value, false);
			break;
	}
}

static void
canon_arguments(GraphqlBuf *buf, const GraphqlArgument *args)
{
	const GraphqlArgument *a;

	if (args == NULL)
		return;
	graphql_buf_putc(buf, '(');
	for (a = args; a; a = a->next)
	{
		if (a != args)
			graphql_buf_puts(buf, ", ");
		graphql_buf_puts(buf, a->name);
		graphql_buf_puts(buf, ": ");
		canon_value(buf, a->value);
	}
	graphql_buf_putc(buf, ')');
}

static void
canon_directives(GraphqlBuf *buf, const GraphqlDirective *d)
{
	for (; d; d = d->next)
	{
		graphql_buf_puts(buf, " @");
		graphql_buf_puts(buf, d->name);
		canon_arguments(buf, d->arguments);
	}
}

static void
canon_selections(GraphqlBuf *buf, const GraphqlSelection *s)
{
	graphql_buf_putc(buf, '{');
	for (; s; s = s->next)
	{
		graphql_buf_putc(buf, ' ');
		switch (s->kind)
		{
			case GRAPHQL_SELECTION_FIELD:
				if (s->alias)
				{
					graphql_buf_puts(buf, s->alias);
					graphql_buf_puts(buf, ": ");
				}
				graphql_buf_puts(buf, s->name);
				canon_arguments(buf, s->arguments);
				canon_directives(buf, s->directives);
				break;
			case GRAPHQL_SELECTION_FRAGMENT_SPREAD:
				graphql_buf_puts(buf, "...");
				graphql_buf_puts(buf, s->name);
				canon_directives(buf, s->directives);
				break;
			case GRAPHQL_SELECTION_INLINE_FRAGMENT:
				graphql_buf_puts(buf, "...");
				if (s->type_condition)
				{
					graphql_buf_puts(buf, " on ");
					graphql_buf_puts(buf, s->type_condition);
				}
				canon_directives(buf, s->directives);
				break;
		}
		if (s->selections)
		{
			graphql_buf_putc(buf, ' ');
			canon_selections(buf, s->selections);
		}
	}
	graphql_buf_puts(buf, " }");
}

static const char *const operation_keywords[] = {"query", "mutation", "subscription"};

char *
graphql_print_document(GraphqlArena *arena, const GraphqlDocument *doc, size_t *len)
{
	GraphqlBuf buf;
	const GraphqlDefinition *d;

	graphql_buf_init(&buf, arena, doc->source_len + 16);
	for (d = doc->definitions; d; d = d->next)
	{
		if (d != doc->definitions)
			graphql_buf_putc(&buf, ' ');
		if (d->kind == GRAPHQL_DEFINITION_FRAGMENT)
		{
			graphql_buf_printf(&buf, "fragment %s on %s", d->name, d->type_condition);
			canon_directives(&buf, d->directives);
			graphql_buf_putc(&buf, ' ');
		}
		else if (d->operation != GRAPHQL_OPERATION_QUERY || d->name || d->variables ||
		         d->directives)
		{
			const GraphqlVariableDefinition *v;

			graphql_buf_puts(&buf, operation_keywords[d->operation]);
			if (d->name)
			{
				graphql_buf_putc(&buf, ' ');
				graphql_buf_puts(&buf, d->name);
			}
			if (d->variables)
			{
				graphql_buf_putc(&buf, '(');
				for (v = d->variables; v; v = v->next)
				{
					if (v != d->variables)
						graphql_buf_puts(&buf, ", ");
					graphql_buf_putc(&buf, '$');
					graphql_buf_puts(&buf, v->name);
					graphql_buf_puts(&buf, ": ");
					graphql_print_typeref_to(&buf, v->type);
					if (v->default_value)
					{
						graphql_buf_puts(&buf, " = ");
						canon_value(&buf, v->default_value);
					}
					canon_directives(&buf, v->directives);
				}
				graphql_buf_putc(&buf, ')');
			}
			canon_directives(&buf, d->directives);
			graphql_buf_putc(&buf, ' ');
		}
		canon_selections(&buf, d->selections);
	}
	if (len)
		*len = buf.len;
	return buf.data;
}

uint64_t
graphql_hash64(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	size_t i;

	for (i = 0; i < len; i++)
	{
		h ^= p[i];
		h *= UINT64_C(0x100000001b3);
	}
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64_C(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return h;
}

uint64_t
graphql_document_hash(GraphqlArena *arena, const GraphqlDocument *doc)
{
	size_t len;
	char *text = graphql_print_document(arena, doc, &len);

	return graphql_hash64(text, len);
}

/* ------------------------------------------------------------------ */
/* Operation selection                                                  */
/* ------------------------------------------------------------------ */

const GraphqlDefinition *
graphql_get_operation(GraphqlArena *arena, const GraphqlDocument *doc, const char *name,
                      GraphqlError **error)
{
	const GraphqlDefinition *d;
	const GraphqlDefinition *found = NULL;
	uint32_t count = 0;

	*error = NULL;
	for (d = doc->definitions; d; d = d->next)
	{
		if (d->kind != GRAPHQL_DEFINITION_OPERATION)
			continue;
		count++;
		if (name == NULL)
		{
			if (found == NULL)
				found = d;
		}
		else if (d->name && strcmp(d->name, name) == 0)
			return d;
	}
	if (name != NULL)
	{
		*error = graphql_error_new(arena, GRAPHQL_ERROR_OPERATION,
		                           graphql_format(arena, "Unknown operation named \"%s\".", name),
		                           0, NULL);
		return NULL;
	}
	if (count == 1)
		return found;
	*error =
	    graphql_error_new(arena, GRAPHQL_ERROR_OPERATION,
	                      count == 0 ? "Must provide an operation."
	                                 : "Must provide operation name if query contains multiple "
	                                   "operations.",
	                      0, NULL);
	return NULL;
}

const GraphqlDefinition *
graphql_find_fragment(const GraphqlDocument *doc, const char *name)
{
	const GraphqlDefinition *d;

	for (d = doc->definitions; d; d = d->next)
	{
		if (d->kind == GRAPHQL_DEFINITION_FRAGMENT && strcmp(d->name, name) == 0)
			return d;
	}
	return NULL;
}
