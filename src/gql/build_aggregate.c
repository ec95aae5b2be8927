/*
 * build_aggregate.c — the aggregate types of a table and the two
 * connection fields that use them (API.md "Collections").
 *
 * Per table X:
 *   type XAggregate { count: Int!  sum: XSums  avg: XAvgs  min: XMins  max: XMaxes }
 *   type XSums      numeric columns (Int, BigInt, BigFloat, Float): the sum
 *                   of Int and BigInt is BigInt (a JSON string), of BigFloat
 *                   BigFloat, of Float Float
 *   type XAvgs      the same columns: BigFloat (Float for Float columns)
 *   type XMins, XMaxes  orderable columns (numbers, text, Date, Datetime),
 *                   typed as the column
 *   enum XGroupBy   every orderable column in UPPER_SNAKE_CASE, and for Date
 *                   and Datetime columns <COL>_WEEK and <COL>_MONTH
 *   type XGroupKey  one field per XGroupBy option (day, dayWeek, dayMonth):
 *                   the column's type, Date for a week (its Monday) or a
 *                   month (its first day)
 *   type XGroup     { key: XGroupKey!  count: Int!  sum avg min max }
 *   XConnection.aggregate: XAggregate!
 *   XConnection.groups(by: [XGroupBy!]!, first: Int): [XGroup!]!
 * A type without a qualifying column is left out, and so is its field
 * (sum on a table without numbers). Every field carries a GqlFieldInfo
 * (the column) for translate_aggregate.c; the rest dispatches by name.
 */
#include "postgres.h"

#include "catalog/pg_type.h"

#include "gql/aggregate.h"
#include "gql/gql.h"
#include "gql/mutation.h"

/* Is the field of a connection one of aggregate / groups? */
bool
gql_is_set_field(const char *name)
{
	return strcmp(name, "aggregate") == 0 || strcmp(name, "groups") == 0;
}

static bool
is_numeric(GqlColumn *c)
{
	return !OidIsValid(c->elem_oid) && (c->scalar == GQL_INT || c->scalar == GQL_BIGINT ||
	                                    c->scalar == GQL_BIGFLOAT || c->scalar == GQL_FLOAT);
}

/* Columns min() and max() take: numbers, text, dates and times. */
static bool
has_min_max(GqlColumn *c)
{
	if (OidIsValid(c->elem_oid) || !c->sortable)
		return false;
	return is_numeric(c) || c->scalar == GQL_DATE || c->scalar == GQL_DATETIME ||
	       (c->scalar == GQL_STRING && c->is_text);
}

static GqlFieldInfo *
column_info(GqlTable *t, GqlColumn *c)
{
	GqlFieldInfo *info = palloc0(sizeof(GqlFieldInfo));

	info->kind = GQL_F_COLUMN;
	info->table = t;
	info->column = c;
	return info;
}

/* One object type with a field per qualifying column, or NULL when none qualifies. */
static GraphqlType *
column_object(GqlModel *model, GqlTable *t, const char *suffix, const char *description,
              bool (*qualifies)(GqlColumn *), const char *(*type_of)(GqlColumn *) )
{
	GraphqlType *type = NULL;
	int i;

	for (i = 0; i < t->ncolumns; i++)
	{
		GqlColumn *c = &t->columns[i];
		GraphqlField *f;

		if (!qualifies(c))
			continue;
		if (type == NULL)
			type = graphql_schema_add_object(model->schema, psprintf("%s%s", t->type_name, suffix),
			                                 psprintf(description, t->type_name));
		f = graphql_type_add_field(model->schema, type, c->field_name, type_of(c), c->description);
		f->user_data = column_info(t, c);
	}
	return type;
}

static const char *
sum_type(GqlColumn *c)
{
	return c->scalar == GQL_FLOAT ? "Float" : c->scalar == GQL_BIGFLOAT ? "BigFloat" : "BigInt";
}

static const char *
avg_type(GqlColumn *c)
{
	return c->scalar == GQL_FLOAT ? "Float" : "BigFloat";
}

static const char *
same_type(GqlColumn *c)
{
	return gql_scalar_name(c->scalar);
}

/* Add a group option unless its enum value or key field is taken. */
static void
add_option(GqlTableSets *sets, GqlColumn *c, GqlGroupTrunc trunc)
{
	const char *suffix = trunc == GQL_GROUP_WEEK ? "Week" : trunc == GQL_GROUP_MONTH ? "Month" : "";
	char *key = psprintf("%s%s", c->field_name, suffix);
	char *value = gql_upper_snake(key);
	int i;

	if (strcmp(value, "TRUE") == 0 || strcmp(value, "FALSE") == 0 || strcmp(value, "NULL") == 0)
		return;
	for (i = 0; i < sets->noptions; i++)
		if (strcmp(sets->options[i].enum_name, value) == 0 ||
		    strcmp(sets->options[i].key_field, key) == 0)
			return;
	sets->options[sets->noptions].enum_name = value;
	sets->options[sets->noptions].key_field = key;
	sets->options[sets->noptions].column = c;
	sets->options[sets->noptions].trunc = trunc;
	sets->noptions++;
}

/* Aggregate fields (sum avg min max) shared by XAggregate and XGroup. */
static void
add_aggregate_fields(GqlModel *model, GqlTableSets *sets, GraphqlType *type)
{
	GraphqlSchema *s = model->schema;

	graphql_type_add_field(s, type, "count", "Int!", "How many rows.");
	if (sets->sums_type)
	{
		graphql_type_add_field(s, type, "sum", sets->sums_type->name,
		                       "Sums of the numeric columns (null over no rows).");
		graphql_type_add_field(s, type, "avg", sets->avgs_type->name,
		                       "Averages of the numeric columns (null over no rows).");
	}
	if (sets->mins_type)
	{
		graphql_type_add_field(s, type, "min", sets->mins_type->name,
		                       "Smallest values of the orderable columns.");
		graphql_type_add_field(s, type, "max", sets->maxes_type->name,
		                       "Largest values of the orderable columns.");
	}
}

/* The aggregate and group types of one table. */
void
gql_declare_set_types(GqlModel *model, GqlTable *t)
{
	GraphqlSchema *s = model->schema;
	GqlTableSets *sets = palloc0(sizeof(GqlTableSets));
	int i;

	t->sets = sets;
	sets->sums_type = column_object(model, t, "Sums", "Sums of %s columns.", is_numeric, sum_type);
	sets->avgs_type =
	    column_object(model, t, "Avgs", "Averages of %s columns.", is_numeric, avg_type);
	sets->mins_type =
	    column_object(model, t, "Mins", "Smallest values of %s columns.", has_min_max, same_type);
	sets->maxes_type =
	    column_object(model, t, "Maxes", "Largest values of %s columns.", has_min_max, same_type);

	sets->aggregate_type =
	    graphql_schema_add_object(s, psprintf("%sAggregate", t->type_name),
	                              psprintf("Aggregates over the %s rows of a collection (its "
	                                       "filter applies, its pagination does not).",
	                                       t->type_name));
	add_aggregate_fields(model, sets, sets->aggregate_type);

	sets->options = palloc0(sizeof(GqlGroupOption) * (3 * t->ncolumns + 1));
	for (i = 0; i < t->ncolumns; i++)
	{
		GqlColumn *c = &t->columns[i];

		if (OidIsValid(c->elem_oid) || !c->sortable || c->scalar == GQL_JSON)
			continue;
		add_option(sets, c, GQL_GROUP_VALUE);
		if (c->scalar == GQL_DATE || c->scalar == GQL_DATETIME)
		{
			add_option(sets, c, GQL_GROUP_WEEK);
			add_option(sets, c, GQL_GROUP_MONTH);
		}
	}
	if (sets->noptions == 0)
		return;
	sets->group_by_type = graphql_schema_add_enum(
	    s, psprintf("%sGroupBy", t->type_name),
	    psprintf("What to group %s rows by: a column, or a Date / Datetime column's week "
	             "(from Monday) or month, in Asia/Shanghai.",
	             t->type_name));
	sets->group_key_type = graphql_schema_add_object(
	    s, psprintf("%sGroupKey", t->type_name),
	    psprintf("The values a group of %s rows shares; null for what it is not grouped by.",
	             t->type_name));
	for (i = 0; i < sets->noptions; i++)
	{
		GqlGroupOption *o = &sets->options[i];
		GraphqlEnumValue *ev;
		GraphqlField *f;
		const char *what = o->trunc == GQL_GROUP_WEEK    ? "The Monday of the week of %s."
		                   : o->trunc == GQL_GROUP_MONTH ? "The first day of the month of %s."
		                                                 : "The value of %s.";

		ev = graphql_enum_add_value(s, sets->group_by_type, o->enum_name,
		                            psprintf(what, o->column->field_name));
		ev->user_data = o;
		f = graphql_type_add_field(s, sets->group_key_type, o->key_field,
		                           o->trunc == GQL_GROUP_VALUE ? same_type(o->column) : "Date",
		                           psprintf(what, o->column->field_name));
		f->user_data = o;
	}
	sets->group_type = graphql_schema_add_object(s, psprintf("%sGroup", t->type_name),
	                                             psprintf("A group of %s rows.", t->type_name));
	graphql_type_add_field(s, sets->group_type, "key", psprintf("%s!", sets->group_key_type->name),
	                       "What the rows of the group share.");
	add_aggregate_fields(model, sets, sets->group_type);
}

/* aggregate and groups on the table's connection type. */
void
gql_build_set_fields(GqlModel *model, GqlTable *t)
{
	GraphqlSchema *s = model->schema;
	GqlTableSets *sets = t->sets;
	GraphqlField *f;
	GqlFieldInfo *info = palloc0(sizeof(GqlFieldInfo));

	info->kind = GQL_F_CONNECTION;
	info->table = t;
	f = graphql_type_add_field(s, t->connection_type, "aggregate",
	                           psprintf("%s!", sets->aggregate_type->name),
	                           "Aggregates over every row matching the filter, ignoring "
	                           "pagination.");
	f->user_data = info;
	if (sets->group_type == NULL)
		return;
	f = graphql_type_add_field(s, t->connection_type, "groups",
	                           psprintf("[%s!]!", sets->group_type->name),
	                           "The rows matching the filter (ignoring pagination) in groups, "
	                           "ordered by the group key.");
	f->user_data = info;
	graphql_field_add_argument(s, f, "by", psprintf("[%s!]!", sets->group_by_type->name), NULL,
	                           "Group by these, in this order.");
	graphql_field_add_argument(s, f, "first", "Int", NULL,
	                           "At most this many groups (clamped to uphub.graphql_max_rows).");
}
