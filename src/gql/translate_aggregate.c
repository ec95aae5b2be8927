/*
 * translate_aggregate.c — aggregate and groups of a connection as SQL.
 *
 * Both are scalar subqueries inside the connection's statement (so one
 * root field stays one statement), over the connection's WHERE: its
 * relation join and filter, not its cursors, offset or page size. They run
 * as the caller, so row-level security limits what is counted exactly as
 * it limits the nodes.
 *
 *   aggregate  (SELECT json_build_object('count', count(*), 'sum',
 *                 json_build_object('views', sum(t.views)::text), ...)
 *               FROM tab t WHERE <where>)
 *   groups     (SELECT COALESCE(json_agg(g.j ORDER BY g.__n), '[]') FROM
 *                (SELECT json_build_object('key', json_build_object('dayWeek', K0),
 *                        'count', count(*), ...) AS j,
 *                        row_number() OVER (ORDER BY K0 NULLS LAST) AS __n
 *                 FROM tab t WHERE <where> GROUP BY K0
 *                 ORDER BY K0 NULLS LAST LIMIT $n) g)
 *
 * Group keys: a column as is; <COL>_WEEK / <COL>_MONTH truncate a day to
 * its Monday / first of the month. A timestamptz is first taken to the
 * Asia/Shanghai wall clock (timezone('Asia/Shanghai', col)), whatever the
 * session's TimeZone; a date or a timestamp without time zone already is a
 * calendar value and is truncated as it is. Groups come ordered by their
 * keys ascending, nulls last; `first` (default and cap:
 * uphub.graphql_max_rows) bounds their number.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"

#include "gql/aggregate.h"
#include "gql/gql.h"

/* A value of a scalar as the response writes it: 64-bit and decimals as text. */
static char *
output_expr(const char *expr, GqlScalar scalar, bool is_text)
{
	if (scalar == GQL_BIGINT || scalar == GQL_BIGFLOAT || (scalar == GQL_STRING && !is_text))
		return psprintf("(%s)::pg_catalog.text", expr);
	return pstrdup(expr);
}

/* The object of sum / avg / min / max: one aggregate per selected column. */
static char *
column_aggregates_sql(GqlStatement *st, const char *fn, const char *alias, GqlFieldGroup *group,
                      const char *type_name)
{
	List *fields = gql_collect_subfields(st->req, group);
	List *keys = NIL;
	List *exprs = NIL;
	ListCell *lc;
	StringInfoData out;

	foreach (lc, fields)
	{
		GqlFieldGroup *f = lfirst(lc);
		GqlColumn *c;
		char *agg;

		keys = lappend(keys, (void *) f->key);
		if (f->is_typename)
		{
			exprs = lappend(exprs, quote_literal_cstr(type_name));
			continue;
		}
		c = ((GqlFieldInfo *) f->def->user_data)->column;
		agg = psprintf("pg_catalog.%s(%s.%s)", fn, alias, c->quoted);
		if (strcmp(fn, "sum") == 0)
			exprs =
			    lappend(exprs, c->scalar == GQL_FLOAT ? agg : output_expr(agg, GQL_BIGINT, false));
		else if (strcmp(fn, "avg") == 0)
			exprs = lappend(exprs,
			                c->scalar == GQL_FLOAT ? agg : output_expr(agg, GQL_BIGFLOAT, false));
		else
			exprs = lappend(exprs, output_expr(agg, c->scalar, c->is_text));
	}
	initStringInfo(&out);
	gql_build_object(&out, keys, exprs);
	return out.data;
}

/* The SQL of one group-by option over the row alias. */
static char *
option_expr(GqlGroupOption *o, const char *alias)
{
	GqlColumn *c = o->column;
	char *col = psprintf("%s.%s", alias, c->quoted);
	const char *unit = o->trunc == GQL_GROUP_WEEK ? "week" : "month";

	if (o->trunc == GQL_GROUP_VALUE)
		return col;
	if (c->type_oid == TIMESTAMPTZOID)
		col = psprintf("pg_catalog.timezone('Asia/Shanghai'::pg_catalog.text, %s)", col);
	else if (c->type_oid == DATEOID)
		col = psprintf("(%s)::pg_catalog.timestamp", col);
	return psprintf("(pg_catalog.date_trunc('%s'::pg_catalog.text, %s))::pg_catalog.date", unit,
	                col);
}

/* The object of XAggregate or XGroup over the current (grouped) rows. */
static void
aggregate_object_sql(GqlStatement *st, StringInfo out, GqlTable *t, const char *alias,
                     GqlFieldGroup *group, const char *type_name, GqlGroupOption **by, int nby)
{
	GqlTableSets *sets = t->sets;
	List *fields = gql_collect_subfields(st->req, group);
	List *keys = NIL;
	List *exprs = NIL;
	ListCell *lc;

	foreach (lc, fields)
	{
		GqlFieldGroup *f = lfirst(lc);
		const char *name = f->is_typename ? "__typename" : f->def->name;

		keys = lappend(keys, (void *) f->key);
		if (f->is_typename)
			exprs = lappend(exprs, quote_literal_cstr(type_name));
		else if (strcmp(name, "count") == 0)
			exprs = lappend(exprs, "pg_catalog.count(*)");
		else if (strcmp(name, "sum") == 0)
			exprs =
			    lappend(exprs, column_aggregates_sql(st, "sum", alias, f, sets->sums_type->name));
		else if (strcmp(name, "avg") == 0)
			exprs =
			    lappend(exprs, column_aggregates_sql(st, "avg", alias, f, sets->avgs_type->name));
		else if (strcmp(name, "min") == 0)
			exprs =
			    lappend(exprs, column_aggregates_sql(st, "min", alias, f, sets->mins_type->name));
		else if (strcmp(name, "max") == 0)
			exprs =
			    lappend(exprs, column_aggregates_sql(st, "max", alias, f, sets->maxes_type->name));
		else if (strcmp(name, "key") == 0)
		{
			List *kf = gql_collect_subfields(st->req, f);
			List *kk = NIL;
			List *ke = NIL;
			ListCell *lc2;
			StringInfoData key;

			foreach (lc2, kf)
			{
				GqlFieldGroup *k = lfirst(lc2);
				GqlGroupOption *o;
				int i;
				bool grouped = false;

				kk = lappend(kk, (void *) k->key);
				if (k->is_typename)
				{
					ke = lappend(ke, quote_literal_cstr(sets->group_key_type->name));
					continue;
				}
				o = k->def->user_data;
				for (i = 0; i < nby; i++)
					if (by[i] == o)
						grouped = true;
				if (!grouped)
					ke = lappend(ke, "NULL");
				else if (o->trunc == GQL_GROUP_VALUE)
					ke = lappend(ke, output_expr(option_expr(o, alias), o->column->scalar,
					                             o->column->is_text));
				else
					ke = lappend(ke, option_expr(o, alias));
			}
			initStringInfo(&key);
			gql_build_object(&key, kk, ke);
			exprs = lappend(exprs, key.data);
		}
		else
			elog(ERROR, "uphub graphql: unexpected aggregate field \"%s\"", name);
	}
	gql_build_object(out, keys, exprs);
}

/* groups(by:, first:) over the filtered set. */
static void
groups_sql(GqlStatement *st, StringInfo out, GqlTable *t, const char *alias, const char *where,
           GqlFieldGroup *group)
{
	GqlTableSets *sets = t->sets;
	GraphqlValue *args = gql_argument_values(st, group->def, group->first);
	GraphqlValue *by_value = gql_object_get(args, "by");
	GraphqlValue *first_value = gql_object_get(args, "first");
	GqlGroupOption **by = palloc0(sizeof(GqlGroupOption *) * (sets->noptions + 1));
	int nby = 0;
	int64 limit = gql_max_rows;
	GraphqlValue *item;
	StringInfoData order;
	int i;

	for (item = by_value->items; item; item = item->next)
	{
		const GraphqlEnumValue *ev = graphql_type_find_enum_value(sets->group_by_type, item->text);
		GqlGroupOption *o = ev ? ev->user_data : NULL;
		bool seen = false;

		if (o == NULL)
			elog(ERROR, "uphub graphql: unknown group option \"%s\"", item->text);
		for (i = 0; i < nby; i++)
			if (by[i] == o)
				seen = true;
		if (!seen)
			by[nby++] = o;
	}
	if (first_value && first_value->kind != GRAPHQL_VALUE_NULL)
	{
		if (!gql_value_to_int64(first_value, &limit) || limit < 0)
			gql_bad_input(st, group->first->loc, "Argument \"first\" must not be negative.");
		if (limit > gql_max_rows)
			limit = gql_max_rows;
	}

	initStringInfo(&order);
	for (i = 0; i < nby; i++)
		appendStringInfo(&order, "%s%s ASC NULLS LAST", i ? ", " : "", option_expr(by[i], alias));

	appendStringInfoString(out, "(SELECT COALESCE(pg_catalog.json_agg(g.j ORDER BY g.__n), "
	                            "'[]'::pg_catalog.json) FROM (SELECT ");
	aggregate_object_sql(st, out, t, alias, group, sets->group_type->name, by, nby);
	appendStringInfo(out, " AS j, pg_catalog.row_number() OVER (%s%s) AS __n FROM %s %s WHERE %s",
	                 nby ? "ORDER BY " : "", order.data, t->qualified, alias, where);
	if (nby > 0)
	{
		appendStringInfoString(out, " GROUP BY ");
		for (i = 0; i < nby; i++)
			appendStringInfo(out, "%s%s", i ? ", " : "", option_expr(by[i], alias));
		appendStringInfo(out, " ORDER BY %s", order.data);
	}
	/* written, not bound: the planner sizes the groups by it (see translate.c) */
	appendStringInfo(out, " LIMIT " INT64_FORMAT ") g)", limit);
}

/* aggregate or groups of a connection whose rows are `alias` in `where`. */
void
gql_set_field_sql(GqlStatement *st, StringInfo out, GqlTable *table, const char *alias,
                  const char *where, GqlFieldGroup *group)
{
	if (strcmp(group->def->name, "groups") == 0)
	{
		groups_sql(st, out, table, alias, where, group);
		return;
	}
	appendStringInfoString(out, "(SELECT ");
	aggregate_object_sql(st, out, table, alias, group, table->sets->aggregate_type->name, NULL, 0);
	appendStringInfo(out, " FROM %s %s WHERE %s)", table->qualified, alias, where);
}
