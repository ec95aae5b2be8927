/*
 * introspect.c — __schema and __type (spec §4.2), answered in C.
 *
 * The schema model of the library already holds every type, field,
 * argument, enum value and directive with their descriptions (taken from
 * SQL comments by reflect.c), so introspection walks it directly and writes
 * JSON; no SQL runs. The selection sets are interpreted with the same field
 * collection as data queries (fragments, aliases, @skip/@include), so the
 * standard query of graphql-js v16 (getIntrospectionQuery with
 * descriptions, specifiedByUrl, directiveIsRepeatable, schemaDescription
 * and inputValueDeprecation) and GraphiQL's work unchanged.
 *
 * The schema is built per role, so a type or field the caller cannot read
 * is simply not in it; what the session's RBAC roles may not read is
 * filtered out here (visibility.c), exactly as validation hides it. uphub.graphql_introspection = off makes __schema and
 * __type unknown fields (the validator rejects them).
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "gql/gql.h"

typedef enum IntroKind
{
	I_SCHEMA,
	I_TYPE, /* a GraphqlTypeRef: NAMED (with type) or a wrapper */
	I_FIELD,
	I_INPUT_VALUE,
	I_ENUM_VALUE,
	I_DIRECTIVE
} IntroKind;

static void emit(GqlRequest *req, StringInfo out, IntroKind kind, const void *object,
                 GqlFieldGroup *group);

/* A named type as a type reference (what __Type stands for). */
static const GraphqlTypeRef *
named_ref(const GraphqlType *type)
{
	GraphqlTypeRef *ref;

	if (type == NULL)
		return NULL;
	ref = palloc0(sizeof(GraphqlTypeRef));
	ref->kind = GRAPHQL_TYPEREF_NAMED;
	ref->name = type->name;
	ref->type = type;
	return ref;
}

static void
emit_string(StringInfo out, const char *s)
{
	if (s)
		gql_json_string(out, s);
	else
		appendStringInfoString(out, "null");
}

/* The value of includeDeprecated (default false). */
static bool
include_deprecated(GqlRequest *req, GqlFieldGroup *group)
{
	GqlStatement st;
	GraphqlValue *v;

	gql_statement_init(&st, req);
	v = gql_object_get(gql_argument_values(&st, group->def, group->first), "includeDeprecated");
	return v && v->kind == GRAPHQL_VALUE_BOOLEAN && v->boolean;
}

static const char *
kind_name(const GraphqlTypeRef *ref)
{
	if (ref->kind == GRAPHQL_TYPEREF_LIST)
		return "LIST";
	if (ref->kind == GRAPHQL_TYPEREF_NON_NULL)
		return "NON_NULL";
	switch (ref->type->kind)
	{
		case GRAPHQL_KIND_SCALAR:
			return "SCALAR";
		case GRAPHQL_KIND_OBJECT:
			return "OBJECT";
		case GRAPHQL_KIND_INTERFACE:
			return "INTERFACE";
		case GRAPHQL_KIND_UNION:
			return "UNION";
		case GRAPHQL_KIND_ENUM:
			return "ENUM";
		case GRAPHQL_KIND_INPUT_OBJECT:
			return "INPUT_OBJECT";
	}
	return "SCALAR";
}

/* A list of input values (arguments or input fields). */
static void
emit_input_values(GqlRequest *req, StringInfo out, const GraphqlInputValue *values, bool all,
                  GqlFieldGroup *group)
{
	const GraphqlInputValue *v;
	bool any = false;

	appendStringInfoChar(out, '[');
	for (v = values; v; v = v->next)
	{
		if ((v->deprecation_reason && !all) || !gql_input_value_visible(req, v))
			continue;
		if (any)
			appendStringInfoString(out, ", ");
		emit(req, out, I_INPUT_VALUE, v, group);
		any = true;
	}
	appendStringInfoChar(out, ']');
}

/* One field of an introspection object. */
static void
emit_field(GqlRequest *req, StringInfo out, IntroKind kind, const void *object, GqlFieldGroup *f)
{
	const char *name = f->def->name;

	if (f->is_typename)
	{
		static const char *const names[] = {"__Schema",     "__Type",      "__Field",
		                                    "__InputValue", "__EnumValue", "__Directive"};

		emit_string(out, names[kind]);
		return;
	}
	switch (kind)
	{
		case I_SCHEMA:
		{
			const GraphqlSchema *s = req->model->schema;

			if (strcmp(name, "description") == 0)
				emit_string(out, graphql_schema_description(s));
			else if (strcmp(name, "types") == 0)
			{
				const GraphqlType *t;
				bool any = false;

				appendStringInfoChar(out, '[');
				for (t = graphql_schema_types(s); t; t = t->next)
				{
					if (!gql_type_visible(req, t))
						continue;
					if (any)
						appendStringInfoString(out, ", ");
					emit(req, out, I_TYPE, named_ref(t), f);
					any = true;
				}
				appendStringInfoChar(out, ']');
			}
			else if (strcmp(name, "queryType") == 0)
				emit(req, out, I_TYPE, named_ref(graphql_schema_root(s, GRAPHQL_OPERATION_QUERY)),
				     f);
			else if (strcmp(name, "mutationType") == 0)
				emit(req, out, I_TYPE,
				     named_ref(graphql_schema_root(s, GRAPHQL_OPERATION_MUTATION)), f);
			else if (strcmp(name, "subscriptionType") == 0)
				emit(req, out, I_TYPE,
				     named_ref(graphql_schema_root(s, GRAPHQL_OPERATION_SUBSCRIPTION)), f);
			else if (strcmp(name, "directives") == 0)
			{
				const GraphqlDirectiveDef *d;

				appendStringInfoChar(out, '[');
				for (d = graphql_schema_directives(s); d; d = d->next)
				{
					if (d != graphql_schema_directives(s))
						appendStringInfoString(out, ", ");
					emit(req, out, I_DIRECTIVE, d, f);
				}
				appendStringInfoChar(out, ']');
			}
			else
				appendStringInfoString(out, "null");
			break;
		}
		case I_TYPE:
		{
			const GraphqlTypeRef *ref = object;
			const GraphqlType *t = ref->kind == GRAPHQL_TYPEREF_NAMED ? ref->type : NULL;

			if (strcmp(name, "kind") == 0)
				emit_string(out, kind_name(ref));
			else if (strcmp(name, "name") == 0)
				emit_string(out, t ? t->name : NULL);
			else if (strcmp(name, "description") == 0)
				emit_string(out, t ? t->description : NULL);
			else if (strcmp(name, "specifiedByURL") == 0 || strcmp(name, "specifiedByUrl") == 0)
				emit_string(out, t && t->kind == GRAPHQL_KIND_SCALAR ? t->specified_by_url : NULL);
			else if (strcmp(name, "fields") == 0)
			{
				if (t && (t->kind == GRAPHQL_KIND_OBJECT || t->kind == GRAPHQL_KIND_INTERFACE))
				{
					bool all = include_deprecated(req, f);
					const GraphqlField *fd;
					bool any = false;

					appendStringInfoChar(out, '[');
					for (fd = t->fields; fd; fd = fd->next)
					{
						if ((fd->deprecation_reason && !all) || !gql_field_visible(req, t, fd))
							continue;
						if (any)
							appendStringInfoString(out, ", ");
						emit(req, out, I_FIELD, fd, f);
						any = true;
					}
					appendStringInfoChar(out, ']');
				}
				else
					appendStringInfoString(out, "null");
			}
			else if (strcmp(name, "interfaces") == 0 || strcmp(name, "possibleTypes") == 0)
			{
				bool is_interfaces = name[0] == 'i';
				const GraphqlTypeList *l = NULL;

				if (t && is_interfaces &&
				    (t->kind == GRAPHQL_KIND_OBJECT || t->kind == GRAPHQL_KIND_INTERFACE))
					l = t->interfaces;
				else if (t && !is_interfaces && graphql_type_is_abstract(t))
					l = t->possible_types;
				else
				{
					appendStringInfoString(out, "null");
					break;
				}
				appendStringInfoChar(out, '[');
				{
					bool any = false;

					for (; l; l = l->next)
					{
						if (!gql_type_visible(req, l->type))
							continue;
						if (any)
							appendStringInfoString(out, ", ");
						emit(req, out, I_TYPE, named_ref(l->type), f);
						any = true;
					}
				}
				appendStringInfoChar(out, ']');
			}
			else if (strcmp(name, "enumValues") == 0)
			{
				if (t && t->kind == GRAPHQL_KIND_ENUM)
				{
					bool all = include_deprecated(req, f);
					const GraphqlEnumValue *ev;
					bool any = false;

					appendStringInfoChar(out, '[');
					for (ev = t->enum_values; ev; ev = ev->next)
					{
						if (ev->deprecation_reason && !all)
							continue;
						if (any)
							appendStringInfoString(out, ", ");
						emit(req, out, I_ENUM_VALUE, ev, f);
						any = true;
					}
					appendStringInfoChar(out, ']');
				}
				else
					appendStringInfoString(out, "null");
			}
			else if (strcmp(name, "inputFields") == 0)
			{
				if (t && t->kind == GRAPHQL_KIND_INPUT_OBJECT)
					emit_input_values(req, out, t->input_fields, include_deprecated(req, f), f);
				else
					appendStringInfoString(out, "null");
			}
			else if (strcmp(name, "ofType") == 0)
			{
				if (ref->kind == GRAPHQL_TYPEREF_NAMED)
					appendStringInfoString(out, "null");
				else if (ref->of_type->kind == GRAPHQL_TYPEREF_NAMED)
					emit(req, out, I_TYPE, named_ref(graphql_typeref_named(ref->of_type)), f);
				else
					emit(req, out, I_TYPE, ref->of_type, f);
			}
			else if (strcmp(name, "isOneOf") == 0)
				appendStringInfoString(out, t && t->kind == GRAPHQL_KIND_INPUT_OBJECT ? "false"
				                                                                      : "null");
			else
				appendStringInfoString(out, "null");
			break;
		}
		case I_FIELD:
		{
			const GraphqlField *fd = object;

			if (strcmp(name, "name") == 0)
				emit_string(out, fd->name);
			else if (strcmp(name, "description") == 0)
				emit_string(out, fd->description);
			else if (strcmp(name, "args") == 0)
				emit_input_values(req, out, fd->arguments, include_deprecated(req, f), f);
			else if (strcmp(name, "type") == 0)
				emit(req, out, I_TYPE,
				     fd->type->kind == GRAPHQL_TYPEREF_NAMED
				         ? named_ref(graphql_typeref_named(fd->type))
				         : fd->type,
				     f);
			else if (strcmp(name, "isDeprecated") == 0)
				appendStringInfoString(out, fd->deprecation_reason ? "true" : "false");
			else if (strcmp(name, "deprecationReason") == 0)
				emit_string(out, fd->deprecation_reason);
			else
				appendStringInfoString(out, "null");
			break;
		}
		case I_INPUT_VALUE:
		{
			const GraphqlInputValue *iv = object;

			if (strcmp(name, "name") == 0)
				emit_string(out, iv->name);
			else if (strcmp(name, "description") == 0)
				emit_string(out, iv->description);
			else if (strcmp(name, "type") == 0)
				emit(req, out, I_TYPE,
				     iv->type->kind == GRAPHQL_TYPEREF_NAMED
				         ? named_ref(graphql_typeref_named(iv->type))
				         : iv->type,
				     f);
			else if (strcmp(name, "defaultValue") == 0)
				emit_string(out, iv->default_value_text);
			else if (strcmp(name, "isDeprecated") == 0)
				appendStringInfoString(out, iv->deprecation_reason ? "true" : "false");
			else if (strcmp(name, "deprecationReason") == 0)
				emit_string(out, iv->deprecation_reason);
			else
				appendStringInfoString(out, "null");
			break;
		}
		case I_ENUM_VALUE:
		{
			const GraphqlEnumValue *ev = object;

			if (strcmp(name, "name") == 0)
				emit_string(out, ev->name);
			else if (strcmp(name, "description") == 0)
				emit_string(out, ev->description);
			else if (strcmp(name, "isDeprecated") == 0)
				appendStringInfoString(out, ev->deprecation_reason ? "true" : "false");
			else if (strcmp(name, "deprecationReason") == 0)
				emit_string(out, ev->deprecation_reason);
			else
				appendStringInfoString(out, "null");
			break;
		}
		case I_DIRECTIVE:
		{
			const GraphqlDirectiveDef *d = object;

			if (strcmp(name, "name") == 0)
				emit_string(out, d->name);
			else if (strcmp(name, "description") == 0)
				emit_string(out, d->description);
			else if (strcmp(name, "isRepeatable") == 0)
				appendStringInfoString(out, d->is_repeatable ? "true" : "false");
			else if (strcmp(name, "locations") == 0)
			{
				uint32 bit;
				bool any = false;

				appendStringInfoChar(out, '[');
				for (bit = 0; bit < GRAPHQL_DL_COUNT; bit++)
				{
					if (!(d->locations & (1u << bit)))
						continue;
					if (any)
						appendStringInfoString(out, ", ");
					emit_string(out, graphql_directive_location_name(1u << bit));
					any = true;
				}
				appendStringInfoChar(out, ']');
			}
			else if (strcmp(name, "args") == 0)
				emit_input_values(req, out, d->arguments, include_deprecated(req, f), f);
			else
				appendStringInfoString(out, "null");
			break;
		}
	}
}

/* One introspection object (or null) with the selection of the group. */
static void
emit(GqlRequest *req, StringInfo out, IntroKind kind, const void *object, GqlFieldGroup *group)
{
	List *fields;
	ListCell *lc;

	if (object == NULL)
	{
		appendStringInfoString(out, "null");
		return;
	}
	fields = gql_collect_subfields(req, group);
	appendStringInfoChar(out, '{');
	foreach (lc, fields)
	{
		GqlFieldGroup *f = lfirst(lc);

		if (lc != list_head(fields))
			appendStringInfoString(out, ", ");
		gql_json_string(out, f->key);
		appendStringInfoString(out, ": ");
		emit_field(req, out, kind, object, f);
	}
	appendStringInfoChar(out, '}');
}

/* A root __schema or __type field. */
void
gql_introspect_field(GqlRequest *req, StringInfo out, GqlFieldGroup *group)
{
	if (strcmp(group->def->name, "__schema") == 0)
	{
		emit(req, out, I_SCHEMA, req->model->schema, group);
		return;
	}
	{
		GqlStatement st;
		GraphqlValue *name;
		const GraphqlType *type = NULL;

		gql_statement_init(&st, req);
		name = gql_object_get(gql_argument_values(&st, group->def, group->first), "name");
		if (name && name->kind == GRAPHQL_VALUE_STRING)
			type = graphql_schema_find_type(req->model->schema, name->text);
		if (type && !gql_type_visible(req, type))
			type = NULL; /* a hidden type reads like one that does not exist */
		emit(req, out, I_TYPE, named_ref(type), group);
	}
}
