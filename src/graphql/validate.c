/*
 * validate.c — the validator's walk over an executable document (§5).
 *
 * Design: graphql-js runs every rule in parallel in one visitor pass with a
 * TypeInfo tracking the parent type, field definition and expected input
 * type. This file does the same walk by hand: each node kind has one
 * function that runs the rules attached to that node in graphql-js rule
 * order, then walks the children with the type context passed down as
 * arguments. So errors come out in graphql-js order with its wording.
 *
 * Rules done here: KnownTypeNames, FragmentsOnCompositeTypes (inline),
 * VariablesAreInputTypes, ScalarLeafs, FieldsOnCorrectType,
 * KnownFragmentNames, PossibleFragmentSpreads, KnownDirectives,
 * UniqueDirectivesPerLocation, KnownArgumentNames, UniqueArgumentNames,
 * ValuesOfCorrectType (with §3 input coercion of literals),
 * ProvidedRequiredArguments, UniqueInputFieldNames, and the collection of
 * variable usages that the variable rules of validate_document.c need.
 * Operation- and document-level rules live in validate_document.c, the
 * field-merging rule in validate_overlap.c.
 *
 * Errors stop at max_errors (100 by default) with graphql-js's "Too many
 * validation errors" error; the walk is left by longjmp then. Recursion
 * depth is bounded by the parser's nesting limit.
 */
#include <stdlib.h>
#include <string.h>

#include "validate_int.h"

/* ------------------------------------------------------------------ */
/* Error reporting and shared helpers                                   */
/* ------------------------------------------------------------------ */

/* Append an error; abort the walk when the error limit is reached. */
void
graphql_v_report(Validator *v, const char *message, uint32_t count, const GraphqlLocation *locs)
{
	GraphqlError *e;

	if (v->error_count >= v->max_errors)
	{
		e = graphql_error_new(v->arena, GRAPHQL_ERROR_VALIDATION,
		                      "Too many validation errors, error limit reached. Validation "
		                      "aborted.",
		                      0, NULL);
		*v->tail = e;
		v->tail = &e->next;
		longjmp(v->abort, 1);
	}
	e = graphql_error_new(v->arena, GRAPHQL_ERROR_VALIDATION, message, count, locs);
	*v->tail = e;
	v->tail = &e->next;
	v->error_count++;
}

void
graphql_v_reportf(Validator *v, GraphqlLocation loc, const char *fmt, ...)
{
	GraphqlBuf buf;
	va_list ap;

	graphql_buf_init(&buf, v->arena, 128);
	va_start(ap, fmt);
	graphql_buf_vprintf(&buf, fmt, ap);
	va_end(ap);
	graphql_v_report(v, buf.data, 1, &loc);
}

void
graphql_v_ptr_push(Validator *v, PtrArray *a, const void *item)
{
	if (a->count == a->cap)
	{
		uint32_t cap = a->cap ? a->cap * 2 : 8;
		const void **items = graphql_arena_alloc(v->arena, sizeof(void *) * cap);

		if (a->count)
			memcpy(items, a->items, sizeof(void *) * a->count);
		a->items = items;
		a->cap = cap;
	}
	a->items[a->count++] = item;
}

/* A type by name, as the caller's visibility filter lets this request see it. */
const GraphqlType *
graphql_v_lookup_type(Validator *v, const char *name)
{
	const GraphqlType *t = graphql_schema_find_type(v->schema, name);

	if (t && v->visibility && v->visibility->is_type_visible &&
	    !v->visibility->is_type_visible(t, v->visibility->context))
		return NULL;
	return t;
}

/* typeFromAST: resolve every named type of ref; NULL if any is unknown. */
const GraphqlType *
graphql_v_type_from_ast(Validator *v, GraphqlTypeRef *ref)
{
	GraphqlTypeRef *r = ref;

	while (r->kind != GRAPHQL_TYPEREF_NAMED)
		r = r->of_type;
	r->type = graphql_v_lookup_type(v, r->name);
	return r->type;
}

const GraphqlDefinition *
graphql_v_fragment(Validator *v, const char *name)
{
	return graphql_map_get(v->fragments, name);
}

/* getFragmentSpreads: spreads of a selection set, nested ones included. */
const PtrArray *
graphql_v_fragment_spreads(Validator *v, const GraphqlSelection *selections)
{
	PtrArray *spreads = graphql_map_get(v->spreads_cache, selections);
	PtrArray stack = {0};

	if (spreads)
		return spreads;
	spreads = graphql_arena_alloc(v->arena, sizeof(PtrArray));
	graphql_v_ptr_push(v, &stack, selections);
	while (stack.count > 0)
	{
		const GraphqlSelection *s = stack.items[--stack.count];

		for (; s; s = s->next)
		{
			if (s->kind == GRAPHQL_SELECTION_FRAGMENT_SPREAD)
				graphql_v_ptr_push(v, spreads, s);
			else if (s->selections)
				graphql_v_ptr_push(v, &stack, s->selections);
		}
	}
	graphql_map_put(v->spreads_cache, selections, spreads);
	return spreads;
}

/* @skip / @include with literal arguments (variables count as included). */
bool
graphql_v_should_include(const GraphqlDirective *directives)
{
	const GraphqlDirective *d;

	for (d = directives; d; d = d->next)
	{
		bool is_skip = strcmp(d->name, "skip") == 0;
		bool is_include = strcmp(d->name, "include") == 0;
		const GraphqlArgument *a;

		if (!is_skip && !is_include)
			continue;
		for (a = d->arguments; a; a = a->next)
		{
			if (strcmp(a->name, "if") == 0 && a->value->kind == GRAPHQL_VALUE_BOOLEAN)
			{
				if (is_skip && a->value->boolean)
					return false;
				if (is_include && !a->value->boolean)
					return false;
			}
		}
	}
	return true;
}

static char *
type_str(Validator *v, const GraphqlTypeRef *ref)
{
	return graphql_print_typeref(v->arena, ref);
}

static char *
value_str(Validator *v, const GraphqlValue *value)
{
	return graphql_print_value(v->arena, value);
}

static bool field_visible(Validator *v, const GraphqlType *parent, const GraphqlField *f);

/* getFieldDef: regular fields plus the meta fields, through visibility. */
static const GraphqlField *
field_def(Validator *v, const GraphqlType *parent, const char *name)
{
	const GraphqlField *f;

	if (name[0] == '_' && name[1] == '_')
	{
		if (strcmp(name, "__typename") == 0 && graphql_type_is_composite(parent))
			return graphql_schema_typename_field(v->schema);
		if (v->introspection_enabled &&
		    parent == graphql_schema_root(v->schema, GRAPHQL_OPERATION_QUERY))
		{
			if (strcmp(name, "__schema") == 0)
				return graphql_schema_schema_field(v->schema);
			if (strcmp(name, "__type") == 0)
				return graphql_schema_type_field(v->schema);
		}
	}
	f = graphql_type_find_field(parent, name);
	if (f && !field_visible(v, parent, f))
		return NULL;
	return f;
}

static bool
type_visible(Validator *v, const GraphqlType *t)
{
	return !(v->visibility && v->visibility->is_type_visible &&
	         !v->visibility->is_type_visible(t, v->visibility->context));
}

/* A field is visible when the filter allows it and its type is visible. */
static bool
field_visible(Validator *v, const GraphqlType *parent, const GraphqlField *f)
{
	if (v->visibility == NULL)
		return true;
	if (v->visibility->is_field_visible &&
	    !v->visibility->is_field_visible(parent, f, v->visibility->context))
		return false;
	return type_visible(v, graphql_typeref_named(f->type));
}

/* doTypesOverlap for PossibleFragmentSpreads. */
static bool
types_overlap(const GraphqlType *a, const GraphqlType *b)
{
	const GraphqlTypeList *l;

	if (a == b)
		return true;
	if (graphql_type_is_abstract(a))
	{
		if (graphql_type_is_abstract(b))
		{
			for (l = a->possible_types; l; l = l->next)
			{
				if (graphql_type_is_subtype(b, l->type))
					return true;
			}
			return false;
		}
		return graphql_type_is_subtype(a, b);
	}
	if (graphql_type_is_abstract(b))
		return graphql_type_is_subtype(b, a);
	return false;
}

/* ------------------------------------------------------------------ */
/* Names, directives, arguments                                         */
/* ------------------------------------------------------------------ */

/* KnownTypeNames on the named type at the bottom of ref. */
static void
known_type_name(Validator *v, const GraphqlTypeRef *ref)
{
	const GraphqlType *t;
	PtrArray names = {0};
	const char **suggestions;
	uint32_t n;
	GraphqlBuf buf;

	while (ref->kind != GRAPHQL_TYPEREF_NAMED)
		ref = ref->of_type;
	if (graphql_v_lookup_type(v, ref->name))
		return;
	for (t = graphql_schema_types(v->schema); t; t = t->next)
	{
		if (type_visible(v, t))
			graphql_v_ptr_push(v, &names, t->name);
	}
	suggestions =
	    graphql_suggestion_list(v->arena, ref->name, (const char **) names.items, names.count, &n);
	graphql_buf_init(&buf, v->arena, 64);
	graphql_buf_printf(&buf, "Unknown type \"%s\".", ref->name);
	graphql_did_you_mean(&buf, NULL, suggestions, n);
	graphql_v_report(v, buf.data, 1, &ref->loc);
}

/* The same, for a bare type-condition name. */
static void
known_type_condition(Validator *v, const char *name, GraphqlLocation loc)
{
	GraphqlTypeRef ref = {0};

	ref.kind = GRAPHQL_TYPEREF_NAMED;
	ref.name = name;
	ref.loc = loc;
	known_type_name(v, &ref);
}

/* UniqueDirectivesPerLocation for one node's directives. */
static void
unique_directives(Validator *v, const GraphqlDirective *directives)
{
	const GraphqlDirective *d;
	const GraphqlDirective *e;

	for (d = directives; d; d = d->next)
	{
		const GraphqlDirectiveDef *def = graphql_schema_find_directive(v->schema, d->name);

		if (def == NULL || def->is_repeatable)
			continue;
		for (e = directives; e != d; e = e->next)
		{
			if (strcmp(e->name, d->name) == 0)
			{
				GraphqlLocation locs[2] = {e->loc, d->loc};

				graphql_v_report(v,
				                 graphql_format(v->arena,
				                                "The directive \"@%s\" can only be used once at "
				                                "this location.",
				                                d->name),
				                 2, locs);
				break;
			}
		}
	}
}

/* UniqueArgumentNames: one error per repeated name, listing every use. */
static void
unique_arguments(Validator *v, const GraphqlArgument *args)
{
	const GraphqlArgument *a;
	const GraphqlArgument *b;
	GraphqlNameMap *counts = NULL;
	uint32_t n = 0;

	for (a = args; a; a = a->next)
		n++;
	if (n < 2)
		return;
	counts = graphql_map_create(v->arena, n, false);
	for (a = args; a; a = a->next)
	{
		uintptr_t c = (uintptr_t) graphql_map_get(counts, a->name);

		graphql_map_set(counts, a->name, (void *) (c + 1));
	}
	for (a = args; a; a = a->next)
	{
		uintptr_t c = (uintptr_t) graphql_map_get(counts, a->name);
		GraphqlLocation *locs;
		uint32_t i = 0;

		if (c < 2)
			continue;
		locs = graphql_arena_alloc(v->arena, sizeof(GraphqlLocation) * c);
		for (b = a; b; b = b->next)
		{
			if (strcmp(b->name, a->name) == 0 && i < c)
				locs[i++] = b->loc;
		}
		graphql_map_set(counts, a->name, (void *) (uintptr_t) 1); /* report once */
		graphql_v_report(
		    v, graphql_format(v->arena, "There can be only one argument named \"%s\".", a->name), i,
		    locs);
	}
}

static void walk_value(Validator *v, const GraphqlValue *value, const GraphqlTypeRef *type,
                       bool has_default, bool check);

/* An input field or argument is visible when its type is. */
static bool
input_value_visible(Validator *v, const GraphqlInputValue *value)
{
	return value && type_visible(v, graphql_typeref_named(value->type));
}

/* Names of a list of input values, for suggestions. */
static const char **
input_value_names(Validator *v, const GraphqlInputValue *list, uint32_t *count)
{
	PtrArray names = {0};

	for (; list; list = list->next)
		if (input_value_visible(v, list))
			graphql_v_ptr_push(v, &names, list->name);
	*count = names.count;
	return (const char **) names.items;
}

/* Argument present in the node's list? */
static bool
has_argument(const GraphqlArgument *args, const char *name)
{
	for (; args; args = args->next)
	{
		if (strcmp(args->name, name) == 0)
			return true;
	}
	return false;
}

static bool
is_required(const GraphqlInputValue *def)
{
	return def->type->kind == GRAPHQL_TYPEREF_NON_NULL && def->default_value == NULL;
}

/* Directives of one node: KnownDirectives, arguments, required arguments. */
static void
walk_directives(Validator *v, const GraphqlDirective *directives, uint32_t location)
{
	const GraphqlDirective *d;

	for (d = directives; d; d = d->next)
	{
		const GraphqlDirectiveDef *def = graphql_schema_find_directive(v->schema, d->name);
		const GraphqlArgument *a;

		if (def == NULL)
			graphql_v_reportf(v, d->loc, "Unknown directive \"@%s\".", d->name);
		else if ((def->locations & location) == 0)
			graphql_v_reportf(v, d->loc, "Directive \"@%s\" may not be used on %s.", d->name,
			                  graphql_directive_location_name(location));
		if (def)
		{
			for (a = d->arguments; a; a = a->next)
			{
				if (graphql_find_argument(def->arguments, a->name) == NULL)
				{
					uint32_t n;
					const char **names = input_value_names(v, def->arguments, &n);
					const char **sugg = graphql_suggestion_list(v->arena, a->name, names, n, &n);
					GraphqlBuf buf;

					graphql_buf_init(&buf, v->arena, 64);
					graphql_buf_printf(&buf, "Unknown argument \"%s\" on directive \"@%s\".",
					                   a->name, d->name);
					graphql_did_you_mean(&buf, NULL, sugg, n);
					graphql_v_report(v, buf.data, 1, &a->loc);
				}
			}
		}
		unique_arguments(v, d->arguments);
		for (a = d->arguments; a; a = a->next)
		{
			const GraphqlInputValue *arg_def =
			    def ? graphql_find_argument(def->arguments, a->name) : NULL;

			walk_value(v, a->value, arg_def ? arg_def->type : NULL,
			           arg_def && arg_def->default_value, true);
		}
		if (def)
		{
			const GraphqlInputValue *arg_def;

			for (arg_def = def->arguments; arg_def; arg_def = arg_def->next)
			{
				if (is_required(arg_def) && !has_argument(d->arguments, arg_def->name))
					graphql_v_reportf(v, d->loc,
					                  "Directive \"@%s\" argument \"%s\" of type \"%s\" is "
					                  "required, but it was not provided.",
					                  d->name, arg_def->name, type_str(v, arg_def->type));
			}
		}
	}
}

/* ------------------------------------------------------------------ */
/* Values (ValuesOfCorrectType, UniqueInputFieldNames, usages)          */
/* ------------------------------------------------------------------ */

/* Does an Int literal fit in 32 bits? */
static bool
int_in_range(const char *text)
{
	const char *p = text;
	bool negative = *p == '-';
	int64_t n = 0;

	if (negative)
		p++;
	if (strlen(p) > 10)
		return false;
	for (; *p; p++)
		n = n * 10 + (*p - '0');
	if (negative)
		n = -n;
	return n >= INT64_C(-2147483648) && n <= INT64_C(2147483647);
}

/* The "Did you mean the enum value ...?" tail. */
static void
enum_suggestions(Validator *v, GraphqlBuf *buf, const GraphqlType *e, const char *input)
{
	PtrArray names = {0};
	const GraphqlEnumValue *ev;
	const char **sugg;
	uint32_t n;

	for (ev = e->enum_values; ev; ev = ev->next)
		graphql_v_ptr_push(v, &names, ev->name);
	sugg = graphql_suggestion_list(v->arena, input, (const char **) names.items, names.count, &n);
	graphql_did_you_mean(buf, "the enum value", sugg, n);
}

/* isValidValueNode: a literal against a leaf type (parseLiteral rules). */
static void
check_literal(Validator *v, const GraphqlValue *value, const GraphqlTypeRef *type)
{
	const GraphqlType *named;
	const char *s;
	GraphqlBuf buf;

	if (type == NULL || (named = graphql_typeref_named(type)) == NULL)
		return;
	if (!graphql_type_is_leaf(named))
	{
		graphql_v_reportf(v, value->loc, "Expected value of type \"%s\", found %s.",
		                  type_str(v, type), value_str(v, value));
		return;
	}
	if (named->kind == GRAPHQL_KIND_ENUM)
	{
		s = value_str(v, value);
		graphql_buf_init(&buf, v->arena, 64);
		if (value->kind != GRAPHQL_VALUE_ENUM)
			graphql_buf_printf(&buf, "Enum \"%s\" cannot represent non-enum value: %s.",
			                   named->name, s);
		else if (graphql_type_find_enum_value(named, value->text) == NULL)
			graphql_buf_printf(&buf, "Value \"%s\" does not exist in \"%s\" enum.", s, named->name);
		else
			return;
		enum_suggestions(v, &buf, named, s);
		graphql_v_report(v, buf.data, 1, &value->loc);
		return;
	}
	if (named->is_builtin)
	{
		const char *n = named->name;

		if (strcmp(n, "Int") == 0)
		{
			if (value->kind != GRAPHQL_VALUE_INT)
				graphql_v_reportf(v, value->loc, "Int cannot represent non-integer value: %s",
				                  value_str(v, value));
			else if (!int_in_range(value->text))
				graphql_v_reportf(v, value->loc,
				                  "Int cannot represent non 32-bit signed integer value: %s",
				                  value->text);
		}
		else if (strcmp(n, "Float") == 0)
		{
			if (value->kind != GRAPHQL_VALUE_INT && value->kind != GRAPHQL_VALUE_FLOAT)
				graphql_v_reportf(v, value->loc, "Float cannot represent non numeric value: %s",
				                  value_str(v, value));
		}
		else if (strcmp(n, "String") == 0)
		{
			if (value->kind != GRAPHQL_VALUE_STRING)
				graphql_v_reportf(v, value->loc, "String cannot represent a non string value: %s",
				                  value_str(v, value));
		}
		else if (strcmp(n, "Boolean") == 0)
		{
			if (value->kind != GRAPHQL_VALUE_BOOLEAN)
				graphql_v_reportf(v, value->loc, "Boolean cannot represent a non boolean value: %s",
				                  value_str(v, value));
		}
		else if (strcmp(n, "ID") == 0)
		{
			if (value->kind != GRAPHQL_VALUE_STRING && value->kind != GRAPHQL_VALUE_INT)
				graphql_v_reportf(v, value->loc,
				                  "ID cannot represent a non-string and non-integer value: %s",
				                  value_str(v, value));
		}
		return;
	}
	{
		uint32_t bit = 0;

		switch (value->kind)
		{
			case GRAPHQL_VALUE_INT:
				bit = GRAPHQL_ACCEPT_INT;
				break;
			case GRAPHQL_VALUE_FLOAT:
				bit = GRAPHQL_ACCEPT_FLOAT;
				break;
			case GRAPHQL_VALUE_STRING:
				bit = GRAPHQL_ACCEPT_STRING;
				break;
			case GRAPHQL_VALUE_BOOLEAN:
				bit = GRAPHQL_ACCEPT_BOOLEAN;
				break;
			case GRAPHQL_VALUE_ENUM:
				bit = GRAPHQL_ACCEPT_ENUM;
				break;
			case GRAPHQL_VALUE_LIST:
				bit = GRAPHQL_ACCEPT_LIST;
				break;
			case GRAPHQL_VALUE_OBJECT:
				bit = GRAPHQL_ACCEPT_OBJECT;
				break;
			default:
				return;
		}
		if ((named->accepted_literals & bit) == 0)
			graphql_v_reportf(v, value->loc, "Expected value of type \"%s\", found %s.",
			                  type_str(v, type), value_str(v, value));
	}
}

/* Record a variable usage for the variable rules of the enclosing operation. */
static void
add_usage(Validator *v, const GraphqlValue *value, const GraphqlTypeRef *type, bool has_default)
{
	DefinitionInfo *info = v->current;
	VariableUsage *u;

	if (info->usage_count == info->usage_cap)
	{
		uint32_t cap = info->usage_cap ? info->usage_cap * 2 : 8;
		VariableUsage *grown = graphql_arena_alloc(v->arena, sizeof(VariableUsage) * cap);

		if (info->usage_count)
			memcpy(grown, info->usages, sizeof(VariableUsage) * info->usage_count);
		info->usages = grown;
		info->usage_cap = cap;
	}
	u = &info->usages[info->usage_count++];
	u->node = value;
	u->type = type;
	u->has_location_default = has_default;
}

/* One value with its expected type; check=false once a parent failed (VoC skips). */
static void
walk_value(Validator *v, const GraphqlValue *value, const GraphqlTypeRef *type, bool has_default,
           bool check)
{
	switch (value->kind)
	{
		case GRAPHQL_VALUE_VARIABLE:
			add_usage(v, value, type, has_default);
			break;
		case GRAPHQL_VALUE_NULL:
			if (check && type && type->kind == GRAPHQL_TYPEREF_NON_NULL)
				graphql_v_reportf(v, value->loc, "Expected value of type \"%s\", found null.",
				                  type_str(v, type));
			break;
		case GRAPHQL_VALUE_LIST:
		{
			const GraphqlTypeRef *nullable = type;
			const GraphqlTypeRef *item_type;
			const GraphqlValue *item;
			bool check_items = check;

			if (nullable && nullable->kind == GRAPHQL_TYPEREF_NON_NULL)
				nullable = nullable->of_type;
			item_type =
			    (nullable && nullable->kind == GRAPHQL_TYPEREF_LIST) ? nullable->of_type : nullable;
			if (check && !(nullable && nullable->kind == GRAPHQL_TYPEREF_LIST))
			{
				check_literal(v, value, item_type);
				check_items = false;
			}
			for (item = value->items; item; item = item->next)
				walk_value(v, item, item_type, false, check_items);
			break;
		}
		case GRAPHQL_VALUE_OBJECT:
		{
			const GraphqlType *named = type ? graphql_typeref_named(type) : NULL;
			bool is_input = named && named->kind == GRAPHQL_KIND_INPUT_OBJECT;
			bool check_fields = check;
			const GraphqlArgument *f;
			const GraphqlArgument *g;
			GraphqlNameMap *seen = NULL;

			if (check && !is_input)
			{
				check_literal(v, value, type);
				check_fields = false;
			}
			else if (check)
			{
				const GraphqlInputValue *def;

				for (def = named->input_fields; def; def = def->next)
				{
					if (is_required(def) && input_value_visible(v, def) &&
					    !has_argument(value->fields, def->name))
						graphql_v_reportf(v, value->loc,
						                  "Field \"%s.%s\" of required type \"%s\" was not "
						                  "provided.",
						                  named->name, def->name, type_str(v, def->type));
				}
			}
			if (value->count > 8)
				seen = graphql_map_create(v->arena, value->count, false);
			for (f = value->fields; f; f = f->next)
			{
				const GraphqlInputValue *def =
				    is_input ? graphql_type_find_input_field(named, f->name) : NULL;
				const GraphqlArgument *first = NULL;

				if (def && !input_value_visible(v, def))
					def = NULL; /* a hidden input field reads like an unknown one */

				if (check_fields && def == NULL && is_input)
				{
					uint32_t n;
					const char **names = input_value_names(v, named->input_fields, &n);
					const char **sugg = graphql_suggestion_list(v->arena, f->name, names, n, &n);
					GraphqlBuf buf;

					graphql_buf_init(&buf, v->arena, 64);
					graphql_buf_printf(&buf, "Field \"%s\" is not defined by type \"%s\".", f->name,
					                   named->name);
					graphql_did_you_mean(&buf, NULL, sugg, n);
					graphql_v_report(v, buf.data, 1, &f->loc);
				}
				if (seen)
					first = graphql_map_put(seen, f->name, (void *) f);
				else
				{
					for (g = value->fields; g != f; g = g->next)
					{
						if (strcmp(g->name, f->name) == 0)
						{
							first = g;
							break;
						}
					}
				}
				if (first)
				{
					GraphqlLocation locs[2] = {first->loc, f->loc};

					graphql_v_report(v,
					                 graphql_format(v->arena,
					                                "There can be only one input field named "
					                                "\"%s\".",
					                                f->name),
					                 2, locs);
				}
				walk_value(v, f->value, def ? def->type : NULL, def && def->default_value,
				           check_fields);
			}
			break;
		}
		default:
			if (check)
				check_literal(v, value, type);
			break;
	}
}

/* ------------------------------------------------------------------ */
/* Selections                                                           */
/* ------------------------------------------------------------------ */

static void walk_selection_set(Validator *v, GraphqlSelection *selections,
                               const GraphqlType *parent);

/* Suggested types for a field missing on an abstract type (graphql-js order). */
static uint32_t
suggested_type_names(Validator *v, const GraphqlType *parent, const char *name, const char ***out)
{
	PtrArray types = {0};
	uint32_t *usage;
	const GraphqlTypeList *l;
	const GraphqlTypeList *il;
	const char **names;
	uint32_t i;
	uint32_t j;

	*out = NULL;
	if (!graphql_type_is_abstract(parent))
		return 0;
	usage = graphql_arena_alloc(v->arena, sizeof(uint32_t) * 64);
	for (l = parent->possible_types; l; l = l->next)
	{
		const GraphqlField *f = graphql_type_find_field(l->type, name);

		if (!type_visible(v, l->type) || f == NULL || !field_visible(v, l->type, f))
			continue;
		for (i = 0; i < types.count && types.items[i] != l->type; i++)
			;
		if (i == types.count)
		{
			if (types.count >= 64)
				break;
			graphql_v_ptr_push(v, &types, l->type);
			usage[i] = 0;
		}
		usage[i] = 1;
		for (il = l->type->interfaces; il; il = il->next)
		{
			f = graphql_type_find_field(il->type, name);
			if (f == NULL || !field_visible(v, il->type, f))
				continue;
			for (j = 0; j < types.count && types.items[j] != il->type; j++)
				;
			if (j == types.count)
			{
				if (types.count >= 64)
					break;
				graphql_v_ptr_push(v, &types, il->type);
				usage[j] = 0;
			}
			usage[j]++;
		}
	}
	/* insertion sort by usage desc, super types first, then name */
	for (i = 1; i < types.count; i++)
	{
		const GraphqlType *t = types.items[i];
		uint32_t u = usage[i];

		j = i;
		while (j > 0)
		{
			const GraphqlType *a = types.items[j - 1];
			int cmp;

			if (usage[j - 1] != u)
				cmp = usage[j - 1] < u ? 1 : -1;
			else if (a->kind == GRAPHQL_KIND_INTERFACE && graphql_type_is_subtype(a, t))
				cmp = -1;
			else if (t->kind == GRAPHQL_KIND_INTERFACE && graphql_type_is_subtype(t, a))
				cmp = 1;
			else
				cmp = graphql_natural_compare(a->name, t->name);
			if (cmp <= 0)
				break;
			types.items[j] = types.items[j - 1];
			usage[j] = usage[j - 1];
			j--;
		}
		types.items[j] = t;
		usage[j] = u;
	}
	names = graphql_arena_alloc(v->arena, sizeof(char *) * (types.count + 1));
	for (i = 0; i < types.count; i++)
		names[i] = ((const GraphqlType *) types.items[i])->name;
	*out = names;
	return types.count;
}

/* FieldsOnCorrectType's message with its suggestions. */
static void
report_unknown_field(Validator *v, const GraphqlSelection *s, const GraphqlType *parent)
{
	GraphqlBuf buf;
	const char **sugg;
	uint32_t n = suggested_type_names(v, parent, s->name, &sugg);

	graphql_buf_init(&buf, v->arena, 96);
	graphql_buf_printf(&buf, "Cannot query field \"%s\" on type \"%s\".", s->name, parent->name);
	if (n > 0)
		graphql_did_you_mean(&buf, "to use an inline fragment on", sugg, n);
	else if (parent->kind == GRAPHQL_KIND_OBJECT || parent->kind == GRAPHQL_KIND_INTERFACE)
	{
		PtrArray names = {0};
		const GraphqlField *f;

		for (f = parent->fields; f; f = f->next)
		{
			if (field_visible(v, parent, f))
				graphql_v_ptr_push(v, &names, f->name);
		}
		sugg = graphql_suggestion_list(v->arena, s->name, (const char **) names.items, names.count,
		                               &n);
		graphql_did_you_mean(&buf, NULL, sugg, n);
	}
	graphql_v_report(v, buf.data, 1, &s->loc);
}

static void
walk_field(Validator *v, GraphqlSelection *s, const GraphqlType *parent)
{
	const GraphqlField *def = parent ? field_def(v, parent, s->name) : NULL;
	const GraphqlTypeRef *type = def ? def->type : NULL;
	const GraphqlType *named = type ? graphql_typeref_named(type) : NULL;
	const GraphqlArgument *a;

	s->parent_type = parent;
	s->field_def = def;
	/* ScalarLeafs */
	if (named)
	{
		if (graphql_type_is_leaf(named))
		{
			if (s->selections)
				graphql_v_reportf(v, s->selection_set_loc,
				                  "Field \"%s\" must not have a selection since type \"%s\" has no "
				                  "subfields.",
				                  s->name, type_str(v, type));
		}
		else if (!s->selections)
			graphql_v_reportf(v, s->loc,
			                  "Field \"%s\" of type \"%s\" must have a selection of subfields. Did "
			                  "you mean \"%s { ... }\"?",
			                  s->name, type_str(v, type), s->name);
	}
	/* FieldsOnCorrectType */
	if (parent && def == NULL)
		report_unknown_field(v, s, parent);
	unique_directives(v, s->directives);
	unique_arguments(v, s->arguments);
	for (a = s->arguments; a; a = a->next)
	{
		const GraphqlInputValue *arg_def =
		    def ? graphql_find_argument(def->arguments, a->name) : NULL;

		/* KnownArgumentNames */
		if (arg_def == NULL && def)
		{
			uint32_t n;
			const char **names = input_value_names(v, def->arguments, &n);
			const char **sugg = graphql_suggestion_list(v->arena, a->name, names, n, &n);
			GraphqlBuf buf;

			graphql_buf_init(&buf, v->arena, 64);
			graphql_buf_printf(&buf, "Unknown argument \"%s\" on field \"%s.%s\".", a->name,
			                   parent->name, def->name);
			graphql_did_you_mean(&buf, NULL, sugg, n);
			graphql_v_report(v, buf.data, 1, &a->loc);
		}
		walk_value(v, a->value, arg_def ? arg_def->type : NULL, arg_def && arg_def->default_value,
		           true);
	}
	walk_directives(v, s->directives, GRAPHQL_DL_FIELD);
	if (s->selections)
		walk_selection_set(v, s->selections,
		                   named && graphql_type_is_composite(named) ? named : NULL);
	/* ProvidedRequiredArguments (on leave) */
	if (def)
	{
		const GraphqlInputValue *arg_def;

		for (arg_def = def->arguments; arg_def; arg_def = arg_def->next)
		{
			if (is_required(arg_def) && !has_argument(s->arguments, arg_def->name))
				graphql_v_reportf(v, s->loc,
				                  "Field \"%s\" argument \"%s\" of type \"%s\" is required, but it "
				                  "was not provided.",
				                  s->name, arg_def->name, type_str(v, arg_def->type));
		}
	}
}

static void
walk_fragment_spread(Validator *v, GraphqlSelection *s, const GraphqlType *parent)
{
	const GraphqlDefinition *frag = graphql_v_fragment(v, s->name);

	/* KnownFragmentNames */
	if (frag == NULL)
		graphql_v_reportf(v, s->name_loc, "Unknown fragment \"%s\".", s->name);
	/* PossibleFragmentSpreads */
	if (frag && parent)
	{
		const GraphqlType *frag_type = graphql_v_lookup_type(v, frag->type_condition);

		if (frag_type && graphql_type_is_composite(frag_type) && !types_overlap(frag_type, parent))
			graphql_v_reportf(v, s->loc,
			                  "Fragment \"%s\" cannot be spread here as objects of type \"%s\" can "
			                  "never be of type \"%s\".",
			                  s->name, parent->name, frag_type->name);
	}
	unique_directives(v, s->directives);
	walk_directives(v, s->directives, GRAPHQL_DL_FRAGMENT_SPREAD);
}

static void
walk_inline_fragment(Validator *v, GraphqlSelection *s, const GraphqlType *parent)
{
	const GraphqlType *type = parent;

	if (s->type_condition)
	{
		type = graphql_v_lookup_type(v, s->type_condition);
		/* FragmentsOnCompositeTypes */
		if (type && !graphql_type_is_composite(type))
			graphql_v_reportf(v, s->name_loc,
			                  "Fragment cannot condition on non composite type \"%s\".",
			                  s->type_condition);
	}
	/* PossibleFragmentSpreads */
	if (type && parent && graphql_type_is_composite(type) && !types_overlap(type, parent))
		graphql_v_reportf(v, s->loc,
		                  "Fragment cannot be spread here as objects of type \"%s\" can never be "
		                  "of type \"%s\".",
		                  parent->name, type->name);
	unique_directives(v, s->directives);
	if (s->type_condition)
		known_type_condition(v, s->type_condition, s->name_loc);
	walk_directives(v, s->directives, GRAPHQL_DL_INLINE_FRAGMENT);
	walk_selection_set(v, s->selections, type && graphql_type_is_composite(type) ? type : NULL);
}

static void
walk_selection_set(Validator *v, GraphqlSelection *selections, const GraphqlType *parent)
{
	GraphqlSelection *s;

	graphql_v_overlapping_fields(v, parent, selections);
	for (s = selections; s; s = s->next)
	{
		switch (s->kind)
		{
			case GRAPHQL_SELECTION_FIELD:
				walk_field(v, s, parent);
				break;
			case GRAPHQL_SELECTION_FRAGMENT_SPREAD:
				walk_fragment_spread(v, s, parent);
				break;
			case GRAPHQL_SELECTION_INLINE_FRAGMENT:
				walk_inline_fragment(v, s, parent);
				break;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Definitions                                                          */
/* ------------------------------------------------------------------ */

static void
walk_variable_definition(Validator *v, GraphqlVariableDefinition *var)
{
	const GraphqlType *named = graphql_v_type_from_ast(v, var->type);

	/* VariablesAreInputTypes */
	if (named && !graphql_type_is_input(named))
		graphql_v_reportf(v, var->type->loc, "Variable \"$%s\" cannot be non-input type \"%s\".",
		                  var->name, type_str(v, var->type));
	unique_directives(v, var->directives);
	known_type_name(v, var->type);
	if (var->default_value)
		walk_value(v, var->default_value,
		           (named && graphql_type_is_input(named)) ? var->type : NULL, false, true);
	walk_directives(v, var->directives, GRAPHQL_DL_VARIABLE_DEFINITION);
}

static void
walk_operation(Validator *v, GraphqlDefinition *op)
{
	static const uint32_t locations[] = {GRAPHQL_DL_QUERY, GRAPHQL_DL_MUTATION,
	                                     GRAPHQL_DL_SUBSCRIPTION};
	const GraphqlType *root = graphql_schema_root(v->schema, op->operation);
	GraphqlVariableDefinition *var;

	if (root && !type_visible(v, root))
		root = NULL;
	graphql_v_operation_enter(v, op);
	unique_directives(v, op->directives);
	for (var = op->variables; var; var = var->next)
		walk_variable_definition(v, var);
	walk_directives(v, op->directives, locations[op->operation]);
	walk_selection_set(v, op->selections, root);
	v->current->anchor = v->tail;
}

static void
walk_fragment_definition(Validator *v, GraphqlDefinition *frag)
{
	const GraphqlType *type;

	graphql_v_fragment_enter(v, frag);
	unique_directives(v, frag->directives);
	known_type_condition(v, frag->type_condition, frag->type_condition_loc);
	walk_directives(v, frag->directives, GRAPHQL_DL_FRAGMENT_DEFINITION);
	type = graphql_v_lookup_type(v, frag->type_condition);
	walk_selection_set(v, frag->selections, type && graphql_type_is_composite(type) ? type : NULL);
}

GraphqlError *
graphql_validate(GraphqlArena *arena, const GraphqlSchema *schema, GraphqlDocument *doc,
                 const GraphqlValidateOptions *options)
{
	Validator *v = graphql_arena_alloc(arena, sizeof(Validator));
	GraphqlDefinition *d;

	v->arena = arena;
	v->schema = schema;
	v->doc = doc;
	v->tail = &v->errors;
	v->max_errors = (options && options->max_errors) ? options->max_errors : 100;
	v->introspection_enabled = !(options && options->disable_introspection);
	v->visibility = options ? options->visibility : NULL;
	v->fragments = graphql_map_create(arena, 16, false);
	v->info_by_def = graphql_map_create(arena, doc->definition_count, true);
	v->spreads_cache = graphql_map_create(arena, 16, true);
	v->operation_names = graphql_map_create(arena, 8, false);
	v->fragment_names = graphql_map_create(arena, 16, false);
	v->overlap_cache = graphql_map_create(arena, 32, true);
	v->fragment_index = graphql_map_create(arena, 16, false);
	v->fragment_walks = graphql_map_create(arena, 16, false);
	v->argument_strings = graphql_map_create(arena, 16, true);
	for (d = doc->definitions; d; d = d->next)
	{
		if (d->kind == GRAPHQL_DEFINITION_FRAGMENT)
		{
			graphql_map_set(v->fragments, d->name, d);
			if (graphql_map_get(v->fragment_index, d->name) == NULL)
				graphql_map_put(v->fragment_index, d->name,
				                (void *) (uintptr_t) ++v->fragment_count);
		}
		else
			v->operation_count++;
	}
	if (setjmp(v->abort) != 0)
		return v->errors;
	for (d = doc->definitions; d; d = d->next)
	{
		DefinitionInfo *info = graphql_arena_alloc(arena, sizeof(DefinitionInfo));

		info->def = d;
		graphql_map_put(v->info_by_def, d, info);
		v->current = info;
		if (d->kind == GRAPHQL_DEFINITION_OPERATION)
			walk_operation(v, d);
		else
			walk_fragment_definition(v, d);
	}
	graphql_v_finish_document(v);
	return v->errors;
}
