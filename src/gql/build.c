/*
 * build.c — the reflected model as a GraphQL schema (API.md "Collections").
 *
 * Per table X (type name from reflect.c):
 *   type X                  columns, then relations (to-one: Target,
 *                           to-many: TargetConnection! with collection args)
 *   type XConnection        edges nodes pageInfo totalCount, aggregate and
 *                           groups (build_aggregate.c)
 *   type XEdge              cursor node
 *   input XFilter           per column a <Scalar>Filter, per to-one relation
 *                           the target's XFilter, per to-many relation
 *                           XListFilter {some every none}, and/or/not
 *   input XOrderBy          per sortable column OrderByDirection, per to-one
 *                           relation the target's XOrderBy
 *   Query                   x(<pk>), xBy<Cols>(<unique cols>), <plural>(...)
 *   Mutation                build_mutation.c
 * Shared: the scalars BigInt BigFloat Date Datetime JSON Cursor, PageInfo,
 * OrderByDirection and one <Scalar>Filter per scalar in use.
 *
 * Every field and input field carries a GqlFieldInfo in user_data, which is
 * what translate.c dispatches on. The schema's allocator is palloc in the
 * model's memory context, so deleting the context frees it.
 */
#include "postgres.h"

#include "utils/memutils.h"

#include "gql/aggregate.h"
#include "gql/gql.h"
#include "gql/mutation.h"

static const char *const scalar_names[GQL_SCALAR_COUNT] = {
    "Int", "BigInt", "BigFloat", "Float", "String", "Boolean", "Date", "Datetime", "JSON",
};

/* GraphQL name of a scalar kind. */
const char *
gql_scalar_name(GqlScalar scalar)
{
	return scalar_names[scalar];
}

/* The library's backing allocator: the model's memory context. */
static void *
schema_alloc(size_t size, void *context)
{
	return MemoryContextAllocExtended((MemoryContext) context, size, MCXT_ALLOC_HUGE);
}

/* Out of memory inside the library: a normal PostgreSQL error. */
static void
schema_oom(size_t size, void *context)
{
	ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory"),
	                errdetail("Failed on request of size %zu in the GraphQL library.", size)));
}

static GqlFieldInfo *
field_info(GqlFieldKind kind, GqlTable *table)
{
	GqlFieldInfo *info = palloc0(sizeof(GqlFieldInfo));

	info->kind = kind;
	info->table = table;
	return info;
}

/* The shared <Scalar>Filter input, created on first use. */
static GraphqlType *
scalar_filter(GqlModel *model, GqlScalar scalar)
{
	GraphqlSchema *s = model->schema;
	GraphqlType *f;
	const char *name = scalar_names[scalar];
	const char *list;
	bool ordered = scalar != GQL_JSON && scalar != GQL_BOOLEAN;

	if (model->scalar_filter[scalar])
		return model->scalar_filter[scalar];
	f = graphql_schema_add_input_object(
	    s, psprintf("%sFilter", name),
	    psprintf("Conditions on a %s value; all given conditions must hold.", name));
	list = psprintf("[%s!]", name);
	graphql_input_object_add_field(s, f, "eq", name, NULL, "Equal to the value.");
	graphql_input_object_add_field(s, f, "neq", name, NULL, "Not equal to the value.");
	if (ordered)
	{
		graphql_input_object_add_field(s, f, "lt", name, NULL, "Less than the value.");
		graphql_input_object_add_field(s, f, "lte", name, NULL, "Less than or equal to the value.");
		graphql_input_object_add_field(s, f, "gt", name, NULL, "Greater than the value.");
		graphql_input_object_add_field(s, f, "gte", name, NULL,
		                               "Greater than or equal to the value.");
	}
	if (scalar != GQL_JSON)
	{
		graphql_input_object_add_field(s, f, "in", list, NULL, "Equal to one of the values.");
		graphql_input_object_add_field(s, f, "notIn", list, NULL, "Equal to none of the values.");
	}
	graphql_input_object_add_field(s, f, "isNull", "Boolean", NULL,
	                               "true: the value is null; false: it is not.");
	if (scalar == GQL_STRING)
	{
		graphql_input_object_add_field(s, f, "like", "String", NULL,
		                               "SQL LIKE pattern (% and _ are wildcards), case-sensitive.");
		graphql_input_object_add_field(s, f, "ilike", "String", NULL,
		                               "SQL ILIKE pattern, case-insensitive.");
		graphql_input_object_add_field(s, f, "startsWith", "String", NULL,
		                               "Starts with the text (no wildcards).");
		graphql_input_object_add_field(s, f, "endsWith", "String", NULL,
		                               "Ends with the text (no wildcards).");
		graphql_input_object_add_field(s, f, "contains", "String", NULL,
		                               "Contains the text (no wildcards).");
	}
	model->scalar_filter[scalar] = f;
	return f;
}

/* The GraphQL type of a column's values. */
static char *
column_type(GqlColumn *c, bool non_null)
{
	const char *base = scalar_names[c->scalar];

	if (OidIsValid(c->elem_oid))
		return psprintf(non_null ? "[%s]!" : "[%s]", base);
	return psprintf(non_null ? "%s!" : "%s", base);
}

/* filter, orderBy, first, after, last, before, offset. */
static void
add_collection_arguments(GqlModel *model, GraphqlField *f, GqlTable *target)
{
	GraphqlSchema *s = model->schema;

	graphql_field_add_argument(s, f, "filter", target->filter_type->name, NULL,
	                           "Only rows matching the filter.");
	if (target->order_type)
		graphql_field_add_argument(s, f, "orderBy", psprintf("[%s!]", target->order_type->name),
		                           NULL,
		                           "Sort keys, most significant first; the primary key always "
		                           "breaks ties.");
	graphql_field_add_argument(s, f, "first", "Int", NULL,
	                           "At most this many rows from the start (clamped to "
	                           "uphub.graphql_max_rows).");
	graphql_field_add_argument(s, f, "after", "Cursor", NULL, "Rows after this cursor.");
	graphql_field_add_argument(s, f, "last", "Int", NULL,
	                           "At most this many rows from the end (clamped to "
	                           "uphub.graphql_max_rows).");
	graphql_field_add_argument(s, f, "before", "Cursor", NULL, "Rows before this cursor.");
	graphql_field_add_argument(s, f, "offset", "Int", NULL, "Skip this many rows first.");
}

/* Declare the types of one table (fields come in a second pass). */
static void
declare_table_types(GqlModel *model, GqlTable *t)
{
	GraphqlSchema *s = model->schema;

	t->object_type = graphql_schema_add_object(s, t->type_name, t->description);
	t->object_type->user_data = t;
	t->connection_type = graphql_schema_add_object(s, psprintf("%sConnection", t->type_name),
	                                               psprintf("A page of %s rows.", t->type_name));
	t->connection_type->user_data = t;
	t->edge_type = graphql_schema_add_object(s, psprintf("%sEdge", t->type_name),
	                                         psprintf("A %s row and its cursor.", t->type_name));
	t->edge_type->user_data = t;
	t->filter_type = graphql_schema_add_input_object(
	    s, psprintf("%sFilter", t->type_name),
	    psprintf("Conditions on %s rows; all given conditions must hold.", t->type_name));
	t->filter_type->user_data = t;
	t->list_filter_type = graphql_schema_add_input_object(
	    s, psprintf("%sListFilter", t->type_name),
	    psprintf("Conditions on the related %s rows.", t->type_name));
	t->list_filter_type->user_data = t;
}

/* Does the table have anything to order by? */
static bool
has_order_keys(GqlTable *t)
{
	int i;

	for (i = 0; i < t->ncolumns; i++)
		if (t->columns[i].sortable)
			return true;
	return false;
}

/* Fields of the object, connection, edge, filter and orderBy types of a table. */
static void
define_table_fields(GqlModel *model, GqlTable *t)
{
	GraphqlSchema *s = model->schema;
	GraphqlField *f;
	GraphqlInputValue *iv;
	ListCell *lc;
	int i;

	/* object */
	for (i = 0; i < t->ncolumns; i++)
	{
		GqlColumn *c = &t->columns[i];
		GqlFieldInfo *info = field_info(GQL_F_COLUMN, t);

		f = graphql_type_add_field(s, t->object_type, c->field_name, column_type(c, c->not_null),
		                           c->description);
		info->column = c;
		f->user_data = info;
	}
	foreach (lc, t->relations)
	{
		GqlRelation *r = lfirst(lc);
		GqlFieldInfo *info = field_info(GQL_F_RELATION, t);

		info->relation = r;
		if (r->to_many)
		{
			f = graphql_type_add_field(s, t->object_type, r->field_name,
			                           psprintf("%s!", r->target->connection_type->name),
			                           r->description);
			add_collection_arguments(model, f, r->target);
		}
		else
			f = graphql_type_add_field(s, t->object_type, r->field_name, r->target->type_name,
			                           r->description);
		f->user_data = info;
	}

	/* connection and edge */
	f = graphql_type_add_field(s, t->connection_type, "edges", psprintf("[%sEdge!]!", t->type_name),
	                           "The rows of the page with their cursors.");
	f->user_data = field_info(GQL_F_CONNECTION, t);
	f = graphql_type_add_field(s, t->connection_type, "nodes", psprintf("[%s!]!", t->type_name),
	                           "The rows of the page.");
	f->user_data = field_info(GQL_F_CONNECTION, t);
	f = graphql_type_add_field(s, t->connection_type, "pageInfo", "PageInfo!",
	                           "Where the page is in the whole set.");
	f->user_data = field_info(GQL_F_CONNECTION, t);
	f = graphql_type_add_field(s, t->connection_type, "totalCount", "Int!",
	                           "Rows matching the filter, ignoring pagination.");
	f->user_data = field_info(GQL_F_CONNECTION, t);
	gql_build_set_fields(model, t); /* aggregate, groups */
	f = graphql_type_add_field(s, t->edge_type, "cursor", "Cursor!",
	                           "Opaque position of the row in this ordering.");
	f->user_data = field_info(GQL_F_CONNECTION, t);
	f = graphql_type_add_field(s, t->edge_type, "node", psprintf("%s!", t->type_name), "The row.");
	f->user_data = field_info(GQL_F_CONNECTION, t);

	/* filter */
	for (i = 0; i < t->ncolumns; i++)
	{
		GqlColumn *c = &t->columns[i];
		GqlFieldInfo *info;

		if (OidIsValid(c->elem_oid))
			continue;
		info = field_info(GQL_F_COLUMN, t);
		info->column = c;
		iv = graphql_input_object_add_field(s, t->filter_type, c->field_name,
		                                    scalar_filter(model, c->scalar)->name, NULL,
		                                    c->description);
		iv->user_data = info;
	}
	foreach (lc, t->relations)
	{
		GqlRelation *r = lfirst(lc);
		GqlFieldInfo *info = field_info(GQL_F_RELATION, t);

		info->relation = r;
		iv = graphql_input_object_add_field(
		    s, t->filter_type, r->field_name,
		    r->to_many ? r->target->list_filter_type->name : r->target->filter_type->name, NULL,
		    r->to_many ? psprintf("Conditions on the related %s rows.", r->target->type_name)
		               : psprintf("Conditions on the related %s row (false when there is none).",
		                          r->target->type_name));
		iv->user_data = info;
	}
	iv = graphql_input_object_add_field(s, t->filter_type, "and",
	                                    psprintf("[%s!]", t->filter_type->name), NULL,
	                                    "Every filter of the list holds.");
	iv->user_data = field_info(GQL_F_FILTER_AND, t);
	iv = graphql_input_object_add_field(s, t->filter_type, "or",
	                                    psprintf("[%s!]", t->filter_type->name), NULL,
	                                    "At least one filter of the list holds.");
	iv->user_data = field_info(GQL_F_FILTER_OR, t);
	iv = graphql_input_object_add_field(s, t->filter_type, "not", t->filter_type->name, NULL,
	                                    "The filter does not hold.");
	iv->user_data = field_info(GQL_F_FILTER_NOT, t);

	graphql_input_object_add_field(s, t->list_filter_type, "some", t->filter_type->name, NULL,
	                               "At least one related row matches.");
	graphql_input_object_add_field(s, t->list_filter_type, "every", t->filter_type->name, NULL,
	                               "Every related row matches (true when there are none).");
	graphql_input_object_add_field(s, t->list_filter_type, "none", t->filter_type->name, NULL,
	                               "No related row matches.");

	/* orderBy */
	if (t->order_type)
	{
		for (i = 0; i < t->ncolumns; i++)
		{
			GqlColumn *c = &t->columns[i];
			GqlFieldInfo *info;

			if (!c->sortable)
				continue;
			info = field_info(GQL_F_COLUMN, t);
			info->column = c;
			iv = graphql_input_object_add_field(s, t->order_type, c->field_name, "OrderByDirection",
			                                    NULL, c->description);
			iv->user_data = info;
		}
		foreach (lc, t->relations)
		{
			GqlRelation *r = lfirst(lc);
			GqlFieldInfo *info;

			if (r->to_many || r->target->order_type == NULL)
				continue;
			info = field_info(GQL_F_RELATION, t);
			info->relation = r;
			iv = graphql_input_object_add_field(
			    s, t->order_type, r->field_name, r->target->order_type->name, NULL,
			    psprintf("Order by a value of the related %s row.", r->target->type_name));
			iv->user_data = info;
		}
	}
}

/* Is the name already a field of the type? (The library's lookups need finalize.) */
static bool
has_field(GraphqlType *type, const char *name)
{
	GraphqlField *f;

	for (f = type->fields; f; f = f->next)
		if (strcmp(f->name, name) == 0)
			return true;
	return false;
}

/* Root lookup by one key: x(mid:) or xByBvid(bvid:). */
static void
add_lookup(GqlModel *model, GraphqlType *query, GqlTable *t, GqlKey *key, bool is_pk)
{
	StringInfoData name;
	GraphqlField *f;
	GqlFieldInfo *info;
	int i;

	for (i = 0; i < key->ncols; i++)
		if (OidIsValid(t->columns[key->cols[i]].elem_oid))
			return;
	initStringInfo(&name);
	appendStringInfoString(&name, t->camel);
	if (!is_pk)
	{
		appendStringInfoString(&name, "By");
		for (i = 0; i < key->ncols; i++)
		{
			char *fn = pstrdup(t->columns[key->cols[i]].field_name);

			if (fn[0] >= 'a' && fn[0] <= 'z')
				fn[0] = fn[0] - 'a' + 'A';
			appendStringInfoString(&name, fn);
		}
	}
	if (has_field(query, name.data))
		return;
	key->field = name.data;
	f = graphql_type_add_field(
	    model->schema, query, name.data, t->type_name,
	    psprintf(is_pk ? "One %s by its primary key, or null." : "One %s by a unique key, or null.",
	             t->type_name));
	info = field_info(GQL_F_LOOKUP, t);
	info->key = key;
	f->user_data = info;
	for (i = 0; i < key->ncols; i++)
	{
		GqlColumn *c = &t->columns[key->cols[i]];

		graphql_field_add_argument(model->schema, f, c->field_name, column_type(c, true), NULL,
		                           c->description);
	}
}

/* Build model->schema from model->tables. */
void
gql_build_schema(GqlModel *model)
{
	GraphqlAllocator allocator = {schema_alloc, NULL, schema_oom, CurrentMemoryContext};
	GraphqlSchema *s = graphql_schema_create(&allocator);
	GraphqlType *query;
	GraphqlType *t;
	ListCell *lc;
	const char *problem;

	model->schema = s;
	graphql_schema_set_description(s, "uphub: creators, videos and their numbers, as GraphQL.");

	t = graphql_schema_add_scalar(s, "BigInt",
	                              "A 64-bit integer; a JSON string in responses, a string or an "
	                              "integer in requests.",
	                              GRAPHQL_ACCEPT_INT | GRAPHQL_ACCEPT_STRING);
	t = graphql_schema_add_scalar(s, "BigFloat",
	                              "An exact decimal number (SQL numeric); a JSON string in "
	                              "responses, a string or a number in requests.",
	                              GRAPHQL_ACCEPT_INT | GRAPHQL_ACCEPT_FLOAT |
	                                  GRAPHQL_ACCEPT_STRING);
	t = graphql_schema_add_scalar(s, "Date", "A calendar day, YYYY-MM-DD.", GRAPHQL_ACCEPT_STRING);
	graphql_scalar_set_specified_by(s, t,
	                                "https://datatracker.ietf.org/doc/html/rfc3339#section-5.6");
	t = graphql_schema_add_scalar(s, "Datetime",
	                              "A point in time, RFC 3339 (offset of the session's time zone "
	                              "in responses).",
	                              GRAPHQL_ACCEPT_STRING);
	graphql_scalar_set_specified_by(s, t, "https://datatracker.ietf.org/doc/html/rfc3339");
	graphql_schema_add_scalar(s, "JSON", "Any JSON value.", GRAPHQL_ACCEPT_ANY);
	graphql_schema_add_scalar(s, "Cursor",
	                          "Opaque position in an ordered collection; valid only with the "
	                          "ordering it came from.",
	                          GRAPHQL_ACCEPT_STRING);

	t = graphql_schema_add_enum(s, "OrderByDirection", "Sort direction and where nulls go.");
	graphql_enum_add_value(s, t, "ASC", "Ascending, nulls last.");
	graphql_enum_add_value(s, t, "DESC", "Descending, nulls first.");
	graphql_enum_add_value(s, t, "ASC_NULLS_FIRST", "Ascending, nulls first.");
	graphql_enum_add_value(s, t, "ASC_NULLS_LAST", "Ascending, nulls last.");
	graphql_enum_add_value(s, t, "DESC_NULLS_FIRST", "Descending, nulls first.");
	graphql_enum_add_value(s, t, "DESC_NULLS_LAST", "Descending, nulls last.");

	t = graphql_schema_add_object(s, "PageInfo", "Where a page is in the whole ordered set.");
	model->page_info_type = t;
	graphql_type_add_field(s, t, "hasNextPage", "Boolean!", "Rows follow this page.");
	graphql_type_add_field(s, t, "hasPreviousPage", "Boolean!", "Rows precede this page.");
	graphql_type_add_field(s, t, "startCursor", "Cursor", "Cursor of the first row of the page.");
	graphql_type_add_field(s, t, "endCursor", "Cursor", "Cursor of the last row of the page.");

	query = graphql_schema_add_object(s, "Query", "The root of every read.");
	graphql_schema_set_root(s, GRAPHQL_OPERATION_QUERY, query);
	gql_me_build(model, query);

	foreach (lc, model->tables)
		declare_table_types(model, lfirst(lc));
	/* orderBy inputs exist when the table has sortable columns */
	foreach (lc, model->tables)
	{
		GqlTable *tab = lfirst(lc);

		if (has_order_keys(tab))
			tab->order_type = graphql_schema_add_input_object(
			    s, psprintf("%sOrderBy", tab->type_name),
			    psprintf("One sort key of %s rows: give exactly one field.", tab->type_name));
	}
	foreach (lc, model->tables)
		gql_declare_set_types(model, lfirst(lc));
	foreach (lc, model->tables)
		define_table_fields(model, lfirst(lc));

	foreach (lc, model->tables)
	{
		GqlTable *tab = lfirst(lc);
		int i;

		if (tab->has_lookup && tab->pk)
			add_lookup(model, query, tab, tab->pk, true);
		if (tab->has_lookup)
			for (i = 0; i < tab->nuniques; i++)
				add_lookup(model, query, tab, &tab->uniques[i], false);
		if (tab->has_collection && !has_field(query, tab->plural))
		{
			GraphqlField *f = graphql_type_add_field(
			    s, query, tab->plural, tab->connection_type->name,
			    psprintf("%s rows: filtered, ordered, paginated.", tab->type_name));

			add_collection_arguments(model, f, tab);
			f->user_data = field_info(GQL_F_COLLECTION, tab);
		}
	}

	gql_build_mutations(model);

	problem = graphql_schema_finalize(s);
	if (problem)
		ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
		                errmsg("could not build the GraphQL schema: %s", problem)));
}
