/*
 * schema.c — the in-memory schema model the validator works against.
 *
 * Lifecycle: graphql_schema_create() makes a schema holding the built-in
 * scalars (Int, Float, String, Boolean, ID), the built-in directives
 * (@include, @skip, @deprecated, @specifiedBy) and the introspection types
 * (__Schema, __Type, __TypeKind, __Field, __InputValue, __EnumValue,
 * __Directive, __DirectiveLocation). The caller (uphub's reflection layer)
 * adds its types with cheap builder calls; type strings are parsed at once
 * but resolved only by graphql_schema_finalize(), so types may be added in
 * any order. finalize resolves every reference, builds the hash tables
 * (types, fields, input fields, enum values, directives) and the
 * possible-type lists, and adds the meta fields __typename, __schema and
 * __type. From then on the schema is read-only and may be cached for the
 * life of a backend and used by any number of requests.
 *
 * Errors while building are remembered (first one wins) and returned by
 * finalize; builder calls on a schema in error are harmless.
 */
#include <string.h>

#include "graphql_int.h"

struct GraphqlSchema
{
	GraphqlArena *arena;
	GraphqlNameMap *type_map;
	GraphqlType *types;
	GraphqlType *types_tail;
	GraphqlNameMap *directive_map;
	GraphqlDirectiveDef *directives;
	GraphqlDirectiveDef *directives_tail;
	GraphqlType *roots[3];
	const char *description;
	const char *error;
	bool finalized;
	GraphqlField *typename_field;
	GraphqlField *schema_field;
	GraphqlField *type_field;
};

static const char *const location_names[GRAPHQL_DL_COUNT] = {
    "QUERY",
    "MUTATION",
    "SUBSCRIPTION",
    "FIELD",
    "FRAGMENT_DEFINITION",
    "FRAGMENT_SPREAD",
    "INLINE_FRAGMENT",
    "VARIABLE_DEFINITION",
    "SCHEMA",
    "SCALAR",
    "OBJECT",
    "FIELD_DEFINITION",
    "ARGUMENT_DEFINITION",
    "INTERFACE",
    "UNION",
    "ENUM",
    "ENUM_VALUE",
    "INPUT_OBJECT",
    "INPUT_FIELD_DEFINITION",
};

const char *
graphql_directive_location_name(uint32_t location)
{
	int i;

	for (i = 0; i < GRAPHQL_DL_COUNT; i++)
	{
		if (location == (1u << i))
			return location_names[i];
	}
	return NULL;
}

/* Remember the first builder error. */
static void
schema_error(GraphqlSchema *schema, const char *message)
{
	if (schema->error == NULL)
		schema->error = message;
}

GraphqlArena *
graphql_schema_arena(GraphqlSchema *schema)
{
	return schema->arena;
}

GraphqlType *
graphql_schema_add_type(GraphqlSchema *schema, GraphqlTypeKind kind, const char *name,
                        const char *description)
{
	GraphqlType *type;

	if (schema->finalized)
	{
		schema_error(schema, "schema is already finalized");
		return NULL;
	}
	type = graphql_map_get(schema->type_map, name);
	if (type)
	{
		/* Re-adding a built-in scalar is a no-op; anything else is a clash. */
		if (type->is_builtin && kind == GRAPHQL_KIND_SCALAR)
			return type;
		schema_error(schema, graphql_format(schema->arena, "duplicate type \"%s\"", name));
		return type;
	}
	type = graphql_arena_alloc(schema->arena, sizeof(GraphqlType));
	type->kind = kind;
	type->name = graphql_arena_strdup(schema->arena, name);
	type->description = graphql_arena_strdup(schema->arena, description);
	type->accepted_literals = GRAPHQL_ACCEPT_ANY;
	type->is_introspection = name[0] == '_' && name[1] == '_';
	graphql_map_put(schema->type_map, type->name, type);
	if (schema->types_tail)
		schema->types_tail->next = type;
	else
		schema->types = type;
	schema->types_tail = type;
	return type;
}

GraphqlType *
graphql_schema_add_scalar(GraphqlSchema *schema, const char *name, const char *description,
                          uint32_t accepted_literals)
{
	GraphqlType *t = graphql_schema_add_type(schema, GRAPHQL_KIND_SCALAR, name, description);

	if (t && !t->is_builtin)
		t->accepted_literals = accepted_literals ? accepted_literals : GRAPHQL_ACCEPT_ANY;
	return t;
}

GraphqlType *
graphql_schema_add_object(GraphqlSchema *schema, const char *name, const char *description)
{
	return graphql_schema_add_type(schema, GRAPHQL_KIND_OBJECT, name, description);
}

GraphqlType *
graphql_schema_add_interface(GraphqlSchema *schema, const char *name, const char *description)
{
	return graphql_schema_add_type(schema, GRAPHQL_KIND_INTERFACE, name, description);
}

GraphqlType *
graphql_schema_add_union(GraphqlSchema *schema, const char *name, const char *description)
{
	return graphql_schema_add_type(schema, GRAPHQL_KIND_UNION, name, description);
}

GraphqlType *
graphql_schema_add_enum(GraphqlSchema *schema, const char *name, const char *description)
{
	return graphql_schema_add_type(schema, GRAPHQL_KIND_ENUM, name, description);
}

GraphqlType *
graphql_schema_add_input_object(GraphqlSchema *schema, const char *name, const char *description)
{
	return graphql_schema_add_type(schema, GRAPHQL_KIND_INPUT_OBJECT, name, description);
}

void
graphql_schema_set_root(GraphqlSchema *schema, GraphqlOperationType operation, GraphqlType *type)
{
	schema->roots[operation] = type;
}

void
graphql_schema_set_description(GraphqlSchema *schema, const char *description)
{
	schema->description = graphql_arena_strdup(schema->arena, description);
}

/* Parse a type string into the schema arena. */
static GraphqlTypeRef *
schema_type(GraphqlSchema *schema, const char *type)
{
	GraphqlError *err;
	GraphqlTypeRef *ref;

	if (type == NULL)
	{
		schema_error(schema, "missing type");
		return NULL;
	}
	ref = graphql_parse_type(schema->arena, type, strlen(type), &err);
	if (ref == NULL)
		schema_error(schema,
		             graphql_format(schema->arena, "invalid type \"%s\": %s", type, err->message));
	return ref;
}

GraphqlField *
graphql_type_add_field(GraphqlSchema *schema, GraphqlType *type, const char *name,
                       const char *type_text, const char *description)
{
	GraphqlField *f;

	if (type == NULL || (type->kind != GRAPHQL_KIND_OBJECT && type->kind != GRAPHQL_KIND_INTERFACE))
	{
		schema_error(schema, graphql_format(schema->arena,
		                                    "field \"%s\" added to a type that is not an object "
		                                    "or interface",
		                                    name));
		return NULL;
	}
	f = graphql_arena_alloc(schema->arena, sizeof(GraphqlField));
	f->name = graphql_arena_strdup(schema->arena, name);
	f->description = graphql_arena_strdup(schema->arena, description);
	f->type = schema_type(schema, type_text);
	f->owner = type;
	if (type->last_field)
		type->last_field->next = f;
	else
		type->fields = f;
	type->last_field = f;
	type->field_count++;
	return f;
}

/* Shared by arguments, input fields and directive arguments. */
static GraphqlInputValue *
new_input_value(GraphqlSchema *schema, const char *name, const char *type,
                const char *default_value, const char *description)
{
	GraphqlInputValue *v = graphql_arena_alloc(schema->arena, sizeof(GraphqlInputValue));

	v->name = graphql_arena_strdup(schema->arena, name);
	v->description = graphql_arena_strdup(schema->arena, description);
	v->type = schema_type(schema, type);
	if (default_value)
	{
		GraphqlError *err;

		v->default_value_text = graphql_arena_strdup(schema->arena, default_value);
		v->default_value = graphql_parse_value(schema->arena, v->default_value_text,
		                                       strlen(default_value), true, &err);
		if (v->default_value == NULL)
			schema_error(schema,
			             graphql_format(schema->arena, "invalid default value for \"%s\": %s", name,
			                            err->message));
	}
	return v;
}

/* Append to a list kept in declaration order. */
static void
append_input_value(GraphqlInputValue **head, GraphqlInputValue *v)
{
	while (*head)
		head = &(*head)->next;
	*head = v;
}

GraphqlInputValue *
graphql_field_add_argument(GraphqlSchema *schema, GraphqlField *field, const char *name,
                           const char *type, const char *default_value, const char *description)
{
	GraphqlInputValue *v;

	if (field == NULL)
	{
		schema_error(schema, "argument added to a missing field");
		return NULL;
	}
	v = new_input_value(schema, name, type, default_value, description);
	append_input_value(&field->arguments, v);
	field->argument_count++;
	return v;
}

GraphqlInputValue *
graphql_input_object_add_field(GraphqlSchema *schema, GraphqlType *input_object, const char *name,
                               const char *type, const char *default_value, const char *description)
{
	GraphqlInputValue *v;

	if (input_object == NULL || input_object->kind != GRAPHQL_KIND_INPUT_OBJECT)
	{
		schema_error(schema, "input field added to a type that is not an input object");
		return NULL;
	}
	v = new_input_value(schema, name, type, default_value, description);
	if (input_object->last_input_field)
		input_object->last_input_field->next = v;
	else
		input_object->input_fields = v;
	input_object->last_input_field = v;
	input_object->input_field_count++;
	return v;
}

GraphqlEnumValue *
graphql_enum_add_value(GraphqlSchema *schema, GraphqlType *enum_type, const char *name,
                       const char *description)
{
	GraphqlEnumValue *v;

	if (enum_type == NULL || enum_type->kind != GRAPHQL_KIND_ENUM)
	{
		schema_error(schema, "enum value added to a type that is not an enum");
		return NULL;
	}
	if (strcmp(name, "true") == 0 || strcmp(name, "false") == 0 || strcmp(name, "null") == 0)
	{
		schema_error(schema, graphql_format(schema->arena, "enum value \"%s\" is reserved", name));
		return NULL;
	}
	v = graphql_arena_alloc(schema->arena, sizeof(GraphqlEnumValue));
	v->name = graphql_arena_strdup(schema->arena, name);
	v->description = graphql_arena_strdup(schema->arena, description);
	if (enum_type->last_enum_value)
		enum_type->last_enum_value->next = v;
	else
		enum_type->enum_values = v;
	enum_type->last_enum_value = v;
	enum_type->enum_value_count++;
	return v;
}

/* Append to a type list unless already present. */
static void
type_list_add(GraphqlSchema *schema, GraphqlTypeList **head, const GraphqlType *type,
              uint32_t *count)
{
	GraphqlTypeList *item;

	while (*head)
	{
		if ((*head)->type == type)
			return;
		head = &(*head)->next;
	}
	item = graphql_arena_alloc(schema->arena, sizeof(GraphqlTypeList));
	item->type = type;
	*head = item;
	if (count)
		(*count)++;
}

void
graphql_type_add_interface(GraphqlSchema *schema, GraphqlType *type, GraphqlType *interface_type)
{
	if (type == NULL || interface_type == NULL || interface_type->kind != GRAPHQL_KIND_INTERFACE ||
	    (type->kind != GRAPHQL_KIND_OBJECT && type->kind != GRAPHQL_KIND_INTERFACE))
	{
		schema_error(schema, "invalid interface implementation");
		return;
	}
	type_list_add(schema, &type->interfaces, interface_type, NULL);
}

void
graphql_union_add_member(GraphqlSchema *schema, GraphqlType *union_type, GraphqlType *object_type)
{
	if (union_type == NULL || object_type == NULL || union_type->kind != GRAPHQL_KIND_UNION ||
	    object_type->kind != GRAPHQL_KIND_OBJECT)
	{
		schema_error(schema, "invalid union member");
		return;
	}
	type_list_add(schema, &union_type->possible_types, object_type,
	              &union_type->possible_type_count);
}

GraphqlDirectiveDef *
graphql_schema_add_directive(GraphqlSchema *schema, const char *name, const char *description,
                             uint32_t locations, bool is_repeatable)
{
	GraphqlDirectiveDef *d = graphql_arena_alloc(schema->arena, sizeof(GraphqlDirectiveDef));

	d->name = graphql_arena_strdup(schema->arena, name);
	d->description = graphql_arena_strdup(schema->arena, description);
	d->locations = locations;
	d->is_repeatable = is_repeatable;
	if (graphql_map_put(schema->directive_map, d->name, d) != NULL)
	{
		schema_error(schema, graphql_format(schema->arena, "duplicate directive \"@%s\"", name));
		return d;
	}
	if (schema->directives_tail)
		schema->directives_tail->next = d;
	else
		schema->directives = d;
	schema->directives_tail = d;
	return d;
}

GraphqlInputValue *
graphql_directive_add_argument(GraphqlSchema *schema, GraphqlDirectiveDef *directive,
                               const char *name, const char *type, const char *default_value,
                               const char *description)
{
	GraphqlInputValue *v = new_input_value(schema, name, type, default_value, description);

	append_input_value(&directive->arguments, v);
	directive->argument_count++;
	return v;
}

void
graphql_field_set_deprecated(GraphqlSchema *schema, GraphqlField *field, const char *reason)
{
	if (field)
		field->deprecation_reason =
		    graphql_arena_strdup(schema->arena, reason ? reason : "No longer supported");
}

void
graphql_enum_value_set_deprecated(GraphqlSchema *schema, GraphqlEnumValue *value,
                                  const char *reason)
{
	if (value)
		value->deprecation_reason =
		    graphql_arena_strdup(schema->arena, reason ? reason : "No longer supported");
}

void
graphql_input_value_set_deprecated(GraphqlSchema *schema, GraphqlInputValue *value,
                                   const char *reason)
{
	if (value)
		value->deprecation_reason =
		    graphql_arena_strdup(schema->arena, reason ? reason : "No longer supported");
}

void
graphql_scalar_set_specified_by(GraphqlSchema *schema, GraphqlType *scalar, const char *url)
{
	if (scalar)
		scalar->specified_by_url = graphql_arena_strdup(schema->arena, url);
}

/* ------------------------------------------------------------------ */
/* Built-ins                                                            */
/* ------------------------------------------------------------------ */

/* One built-in scalar with the literals its parseLiteral accepts. */
static void
add_builtin_scalar(GraphqlSchema *schema, const char *name, const char *description,
                   uint32_t accepted)
{
	GraphqlType *t = graphql_schema_add_type(schema, GRAPHQL_KIND_SCALAR, name, description);

	t->is_builtin = true;
	t->accepted_literals = accepted;
}

/* Add a field with an optional includeDeprecated argument. */
static GraphqlField *
intro_field(GraphqlSchema *s, GraphqlType *t, const char *name, const char *type,
            bool include_deprecated)
{
	GraphqlField *f = graphql_type_add_field(s, t, name, type, NULL);

	if (include_deprecated)
		graphql_field_add_argument(s, f, "includeDeprecated", "Boolean", "false", NULL);
	return f;
}

/* The introspection types of graphql-js v16 (§4.2). */
static void
add_introspection_types(GraphqlSchema *s)
{
	GraphqlType *schema_t;
	GraphqlType *type_t;
	GraphqlType *kind_t;
	GraphqlType *field_t;
	GraphqlType *input_t;
	GraphqlType *enum_t;
	GraphqlType *directive_t;
	GraphqlType *location_t;
	int i;
	static const char *const kinds[] = {"SCALAR", "OBJECT",       "INTERFACE", "UNION",
	                                    "ENUM",   "INPUT_OBJECT", "LIST",      "NON_NULL"};

	schema_t = graphql_schema_add_object(
	    s, "__Schema",
	    "A GraphQL Schema defines the capabilities of a GraphQL server. It exposes all available "
	    "types and directives on the server, as well as the entry points for query, mutation, and "
	    "subscription operations.");
	intro_field(s, schema_t, "description", "String", false);
	intro_field(s, schema_t, "types", "[__Type!]!", false)->description =
	    "A list of all types supported by this server.";
	intro_field(s, schema_t, "queryType", "__Type!", false)->description =
	    "The type that query operations will be rooted at.";
	intro_field(s, schema_t, "mutationType", "__Type", false)->description =
	    "If this server supports mutation, the type that mutation operations will be rooted at.";
	intro_field(s, schema_t, "subscriptionType", "__Type", false)->description =
	    "If this server support subscription, the type that subscription operations will be "
	    "rooted at.";
	intro_field(s, schema_t, "directives", "[__Directive!]!", false)->description =
	    "A list of all directives supported by this server.";

	type_t = graphql_schema_add_object(
	    s, "__Type",
	    "The fundamental unit of any GraphQL Schema is the type. There are many kinds of types in "
	    "GraphQL as represented by the `__TypeKind` enum.\n\nDepending on the kind of a type, "
	    "certain fields describe information about that type. Scalar types provide no information "
	    "beyond a name, description and optional `specifiedByURL`, while Enum types provide their "
	    "values. Object and Interface types provide the fields they describe. Abstract types, "
	    "Union and Interface, provide the Object types possible at runtime. List and NonNull "
	    "types compose other types.");
	intro_field(s, type_t, "kind", "__TypeKind!", false);
	intro_field(s, type_t, "name", "String", false);
	intro_field(s, type_t, "description", "String", false);
	intro_field(s, type_t, "specifiedByURL", "String", false);
	intro_field(s, type_t, "fields", "[__Field!]", true);
	intro_field(s, type_t, "interfaces", "[__Type!]", false);
	intro_field(s, type_t, "possibleTypes", "[__Type!]", false);
	intro_field(s, type_t, "enumValues", "[__EnumValue!]", true);
	intro_field(s, type_t, "inputFields", "[__InputValue!]", true);
	intro_field(s, type_t, "ofType", "__Type", false);

	kind_t = graphql_schema_add_enum(s, "__TypeKind",
	                                 "An enum describing what kind of type a given `__Type` is.");
	for (i = 0; i < 8; i++)
		graphql_enum_add_value(s, kind_t, kinds[i], NULL);

	field_t = graphql_schema_add_object(
	    s, "__Field",
	    "Object and Interface types are described by a list of Fields, each of which has a name, "
	    "potentially a list of arguments, and a return type.");
	intro_field(s, field_t, "name", "String!", false);
	intro_field(s, field_t, "description", "String", false);
	intro_field(s, field_t, "args", "[__InputValue!]!", true);
	intro_field(s, field_t, "type", "__Type!", false);
	intro_field(s, field_t, "isDeprecated", "Boolean!", false);
	intro_field(s, field_t, "deprecationReason", "String", false);

	input_t = graphql_schema_add_object(
	    s, "__InputValue",
	    "Arguments provided to Fields or Directives and the input fields of an InputObject are "
	    "represented as Input Values which describe their type and optionally a default value.");
	intro_field(s, input_t, "name", "String!", false);
	intro_field(s, input_t, "description", "String", false);
	intro_field(s, input_t, "type", "__Type!", false);
	intro_field(s, input_t, "defaultValue", "String", false)->description =
	    "A GraphQL-formatted string representing the default value for this input value.";
	intro_field(s, input_t, "isDeprecated", "Boolean!", false);
	intro_field(s, input_t, "deprecationReason", "String", false);

	enum_t = graphql_schema_add_object(
	    s, "__EnumValue",
	    "One possible value for a given Enum. Enum values are unique values, not a placeholder "
	    "for a string or numeric value. However an Enum value is returned in a JSON response as a "
	    "string.");
	intro_field(s, enum_t, "name", "String!", false);
	intro_field(s, enum_t, "description", "String", false);
	intro_field(s, enum_t, "isDeprecated", "Boolean!", false);
	intro_field(s, enum_t, "deprecationReason", "String", false);

	directive_t = graphql_schema_add_object(
	    s, "__Directive",
	    "A Directive provides a way to describe alternate runtime execution and type validation "
	    "behavior in a GraphQL document.\n\nIn some cases, you need to provide options to alter "
	    "GraphQL's execution behavior in ways field arguments will not suffice, such as "
	    "conditionally including or skipping a field. Directives provide this by describing "
	    "additional information to the executor.");
	intro_field(s, directive_t, "name", "String!", false);
	intro_field(s, directive_t, "description", "String", false);
	intro_field(s, directive_t, "isRepeatable", "Boolean!", false);
	intro_field(s, directive_t, "locations", "[__DirectiveLocation!]!", false);
	intro_field(s, directive_t, "args", "[__InputValue!]!", true);

	location_t = graphql_schema_add_enum(
	    s, "__DirectiveLocation",
	    "A Directive can be adjacent to many parts of the GraphQL language, a "
	    "__DirectiveLocation describes one such possible adjacencies.");
	for (i = 0; i < GRAPHQL_DL_COUNT; i++)
		graphql_enum_add_value(s, location_t, location_names[i], NULL);
}

/* @include, @skip, @deprecated, @specifiedBy. */
static void
add_builtin_directives(GraphqlSchema *s)
{
	GraphqlDirectiveDef *d;
	uint32_t exec = GRAPHQL_DL_FIELD | GRAPHQL_DL_FRAGMENT_SPREAD | GRAPHQL_DL_INLINE_FRAGMENT;

	d = graphql_schema_add_directive(
	    s, "include",
	    "Directs the executor to include this field or fragment only when the `if` argument is "
	    "true.",
	    exec, false);
	d->is_builtin = true;
	graphql_directive_add_argument(s, d, "if", "Boolean!", NULL, "Included when true.");
	d = graphql_schema_add_directive(
	    s, "skip",
	    "Directs the executor to skip this field or fragment when the `if` argument is true.", exec,
	    false);
	d->is_builtin = true;
	graphql_directive_add_argument(s, d, "if", "Boolean!", NULL, "Skipped when true.");
	d = graphql_schema_add_directive(s, "deprecated",
	                                 "Marks an element of a GraphQL schema as no longer supported.",
	                                 GRAPHQL_DL_FIELD_DEFINITION | GRAPHQL_DL_ARGUMENT_DEFINITION |
	                                     GRAPHQL_DL_INPUT_FIELD_DEFINITION | GRAPHQL_DL_ENUM_VALUE,
	                                 false);
	d->is_builtin = true;
	graphql_directive_add_argument(
	    s, d, "reason", "String", "\"No longer supported\"",
	    "Explains why this element was deprecated, usually also including a suggestion for how to "
	    "access supported similar data. Formatted using the Markdown syntax, as specified by "
	    "[CommonMark](https://commonmark.org/).");
	d = graphql_schema_add_directive(s, "specifiedBy",
	                                 "Exposes a URL that specifies the behavior of this scalar.",
	                                 GRAPHQL_DL_SCALAR, false);
	d->is_builtin = true;
	graphql_directive_add_argument(s, d, "url", "String!", NULL,
	                               "The URL that specifies the behavior of this scalar.");
}

GraphqlSchema *
graphql_schema_create(const GraphqlAllocator *allocator)
{
	GraphqlArena *arena = graphql_arena_create(allocator);
	GraphqlSchema *s = graphql_arena_alloc(arena, sizeof(GraphqlSchema));

	s->arena = arena;
	s->type_map = graphql_map_create(arena, 64, false);
	s->directive_map = graphql_map_create(arena, 8, false);
	add_builtin_scalar(s, "Int",
	                   "The `Int` scalar type represents non-fractional signed whole numeric "
	                   "values. Int can represent values between -(2^31) and 2^31 - 1.",
	                   GRAPHQL_ACCEPT_INT);
	add_builtin_scalar(s, "Float",
	                   "The `Float` scalar type represents signed double-precision fractional "
	                   "values as specified by [IEEE 754](https://en.wikipedia.org/wiki/IEEE_"
	                   "floating_point).",
	                   GRAPHQL_ACCEPT_INT | GRAPHQL_ACCEPT_FLOAT);
	add_builtin_scalar(s, "String",
	                   "The `String` scalar type represents textual data, represented as UTF-8 "
	                   "character sequences. The String type is most often used by GraphQL to "
	                   "represent free-form human-readable text.",
	                   GRAPHQL_ACCEPT_STRING);
	add_builtin_scalar(s, "Boolean", "The `Boolean` scalar type represents `true` or `false`.",
	                   GRAPHQL_ACCEPT_BOOLEAN);
	add_builtin_scalar(s, "ID",
	                   "The `ID` scalar type represents a unique identifier, often used to refetch "
	                   "an object or as key for a cache. The ID type appears in a JSON response as "
	                   "a String; however, it is not intended to be human-readable. When expected "
	                   "as an input type, any string (such as `\"4\"`) or integer (such as `4`) "
	                   "input value will be accepted as an ID.",
	                   GRAPHQL_ACCEPT_STRING | GRAPHQL_ACCEPT_INT);
	add_introspection_types(s);
	add_builtin_directives(s);
	return s;
}

void
graphql_schema_destroy(GraphqlSchema *schema)
{
	if (schema)
		graphql_arena_destroy(schema->arena);
}

/* ------------------------------------------------------------------ */
/* Finalize                                                             */
/* ------------------------------------------------------------------ */

/* Resolve the named type at the bottom of a reference. */
static void
resolve_ref(GraphqlSchema *s, GraphqlTypeRef *ref, bool want_input, const char *owner,
            const char *member)
{
	GraphqlTypeRef *r = ref;
	GraphqlType *t;

	if (ref == NULL)
		return;
	while (r->kind != GRAPHQL_TYPEREF_NAMED)
		r = r->of_type;
	t = graphql_map_get(s->type_map, r->name);
	if (t == NULL)
	{
		schema_error(s, graphql_format(s->arena, "unknown type \"%s\" used by %s.%s", r->name,
		                               owner, member));
		return;
	}
	r->type = t;
	if (want_input ? !graphql_type_is_input(t) : (t->kind == GRAPHQL_KIND_INPUT_OBJECT))
		schema_error(s, graphql_format(s->arena, "%s.%s: \"%s\" is not an %s type", owner, member,
		                               r->name, want_input ? "input" : "output"));
}

static void
resolve_input_values(GraphqlSchema *s, GraphqlInputValue *v, const char *owner)
{
	GraphqlNameMap *seen = NULL;

	for (; v; v = v->next)
	{
		resolve_ref(s, v->type, true, owner, v->name);
		if (seen == NULL)
			seen = graphql_map_create(s->arena, 8, false);
		if (graphql_map_put(seen, v->name, v))
			schema_error(s, graphql_format(s->arena, "duplicate argument or input field %s.%s",
			                               owner, v->name));
	}
}

const char *
graphql_schema_finalize(GraphqlSchema *s)
{
	GraphqlType *t;
	GraphqlDirectiveDef *d;

	if (s->finalized)
		return s->error;
	if (s->roots[GRAPHQL_OPERATION_QUERY] == NULL)
		schema_error(s, "the query root type is not set");
	for (t = s->types; t; t = t->next)
	{
		GraphqlField *f;
		GraphqlInputValue *iv;
		GraphqlEnumValue *ev;
		GraphqlTypeList *l;

		switch (t->kind)
		{
			case GRAPHQL_KIND_OBJECT:
			case GRAPHQL_KIND_INTERFACE:
				t->member_map = graphql_map_create(s->arena, t->field_count, false);
				for (f = t->fields; f; f = f->next)
				{
					resolve_ref(s, f->type, false, t->name, f->name);
					resolve_input_values(s, f->arguments, t->name);
					if (graphql_map_put(t->member_map, f->name, f))
						schema_error(
						    s, graphql_format(s->arena, "duplicate field %s.%s", t->name, f->name));
				}
				if (t->field_count == 0)
					schema_error(s, graphql_format(s->arena, "type \"%s\" has no fields", t->name));
				for (l = t->interfaces; l; l = l->next)
				{
					GraphqlType *iface = (GraphqlType *) l->type;

					if (t->kind == GRAPHQL_KIND_OBJECT)
						type_list_add(s, &iface->possible_types, t, &iface->possible_type_count);
					else
						type_list_add(s, &iface->sub_interfaces, t, NULL);
				}
				break;
			case GRAPHQL_KIND_INPUT_OBJECT:
				t->member_map = graphql_map_create(s->arena, t->input_field_count, false);
				for (iv = t->input_fields; iv; iv = iv->next)
				{
					resolve_ref(s, iv->type, true, t->name, iv->name);
					if (graphql_map_put(t->member_map, iv->name, iv))
						schema_error(s, graphql_format(s->arena, "duplicate input field %s.%s",
						                               t->name, iv->name));
				}
				break;
			case GRAPHQL_KIND_ENUM:
				t->member_map = graphql_map_create(s->arena, t->enum_value_count, false);
				for (ev = t->enum_values; ev; ev = ev->next)
				{
					if (graphql_map_put(t->member_map, ev->name, ev))
						schema_error(s, graphql_format(s->arena, "duplicate enum value %s.%s",
						                               t->name, ev->name));
				}
				break;
			case GRAPHQL_KIND_UNION:
			case GRAPHQL_KIND_SCALAR:
				break;
		}
	}
	for (d = s->directives; d; d = d->next)
		resolve_input_values(s, d->arguments, d->name);

	/* Meta fields live outside any type's field list. */
	s->typename_field = graphql_arena_alloc(s->arena, sizeof(GraphqlField));
	s->typename_field->name = "__typename";
	s->typename_field->description = "The name of the current Object type at runtime.";
	s->typename_field->type = schema_type(s, "String!");
	resolve_ref(s, s->typename_field->type, false, "meta", "__typename");
	s->schema_field = graphql_arena_alloc(s->arena, sizeof(GraphqlField));
	s->schema_field->name = "__schema";
	s->schema_field->description = "Access the current type schema of this server.";
	s->schema_field->type = schema_type(s, "__Schema!");
	resolve_ref(s, s->schema_field->type, false, "meta", "__schema");
	s->type_field = graphql_arena_alloc(s->arena, sizeof(GraphqlField));
	s->type_field->name = "__type";
	s->type_field->description = "Request the type information of a single type.";
	s->type_field->type = schema_type(s, "__Type");
	resolve_ref(s, s->type_field->type, false, "meta", "__type");
	s->type_field->arguments = new_input_value(s, "name", "String!", NULL, NULL);
	s->type_field->argument_count = 1;
	resolve_input_values(s, s->type_field->arguments, "__type");

	s->finalized = true;
	return s->error;
}

/* ------------------------------------------------------------------ */
/* Lookups                                                              */
/* ------------------------------------------------------------------ */

const GraphqlType *
graphql_schema_find_type(const GraphqlSchema *schema, const char *name)
{
	return graphql_map_get(schema->type_map, name);
}

const GraphqlType *
graphql_schema_root(const GraphqlSchema *schema, GraphqlOperationType operation)
{
	return schema->roots[operation];
}

const char *
graphql_schema_description(const GraphqlSchema *schema)
{
	return schema->description;
}

const GraphqlType *
graphql_schema_types(const GraphqlSchema *schema)
{
	return schema->types;
}

const GraphqlDirectiveDef *
graphql_schema_directives(const GraphqlSchema *schema)
{
	return schema->directives;
}

const GraphqlDirectiveDef *
graphql_schema_find_directive(const GraphqlSchema *schema, const char *name)
{
	return graphql_map_get(schema->directive_map, name);
}

const GraphqlField *
graphql_type_find_field(const GraphqlType *type, const char *name)
{
	if ((type->kind != GRAPHQL_KIND_OBJECT && type->kind != GRAPHQL_KIND_INTERFACE) ||
	    type->member_map == NULL)
		return NULL;
	return graphql_map_get(type->member_map, name);
}

const GraphqlInputValue *
graphql_type_find_input_field(const GraphqlType *type, const char *name)
{
	if (type->kind != GRAPHQL_KIND_INPUT_OBJECT || type->member_map == NULL)
		return NULL;
	return graphql_map_get(type->member_map, name);
}

const GraphqlEnumValue *
graphql_type_find_enum_value(const GraphqlType *type, const char *name)
{
	if (type->kind != GRAPHQL_KIND_ENUM || type->member_map == NULL)
		return NULL;
	return graphql_map_get(type->member_map, name);
}

const GraphqlInputValue *
graphql_find_argument(const GraphqlInputValue *arguments, const char *name)
{
	for (; arguments; arguments = arguments->next)
	{
		if (strcmp(arguments->name, name) == 0)
			return arguments;
	}
	return NULL;
}

const GraphqlField *
graphql_schema_typename_field(const GraphqlSchema *schema)
{
	return schema->typename_field;
}

const GraphqlField *
graphql_schema_schema_field(const GraphqlSchema *schema)
{
	return schema->schema_field;
}

const GraphqlField *
graphql_schema_type_field(const GraphqlSchema *schema)
{
	return schema->type_field;
}

bool
graphql_type_is_subtype(const GraphqlType *abstract_type, const GraphqlType *maybe_subtype)
{
	const GraphqlTypeList *l;

	if (abstract_type->kind == GRAPHQL_KIND_UNION)
	{
		for (l = abstract_type->possible_types; l; l = l->next)
		{
			if (l->type == maybe_subtype)
				return true;
		}
		return false;
	}
	if (abstract_type->kind != GRAPHQL_KIND_INTERFACE)
		return false;
	for (l = maybe_subtype->interfaces; l; l = l->next)
	{
		if (l->type == abstract_type)
			return true;
	}
	return false;
}

const GraphqlType *
graphql_typeref_named(const GraphqlTypeRef *ref)
{
	while (ref && ref->kind != GRAPHQL_TYPEREF_NAMED)
		ref = ref->of_type;
	return ref ? ref->type : NULL;
}

bool
graphql_type_is_input(const GraphqlType *type)
{
	return type->kind == GRAPHQL_KIND_SCALAR || type->kind == GRAPHQL_KIND_ENUM ||
	       type->kind == GRAPHQL_KIND_INPUT_OBJECT;
}

bool
graphql_type_is_composite(const GraphqlType *type)
{
	return type->kind == GRAPHQL_KIND_OBJECT || type->kind == GRAPHQL_KIND_INTERFACE ||
	       type->kind == GRAPHQL_KIND_UNION;
}

bool
graphql_type_is_leaf(const GraphqlType *type)
{
	return type->kind == GRAPHQL_KIND_SCALAR || type->kind == GRAPHQL_KIND_ENUM;
}

bool
graphql_type_is_abstract(const GraphqlType *type)
{
	return type->kind == GRAPHQL_KIND_INTERFACE || type->kind == GRAPHQL_KIND_UNION;
}
