/*
 * translate.c — one SQL statement per root field, building the JSON in SQL.
 *
 * Field collection (§6.3.2 CollectFields) merges the selections of one
 * response key across fragments and honours @skip/@include; the SQL is then
 * generated from the merged tree:
 *
 *   lookup      SELECT json_build_object('k', t0.col, ...) FROM tab t0
 *               WHERE t0.pk = $1                       -- zero rows: null
 *   to-one      (SELECT json_build_object(...) FROM tgt t1 WHERE t1.pk = <row>.fk)
 *   connection  (SELECT json_build_object('nodes', coalesce(json_agg(<node of p>
 *                   ORDER BY p.__n) FILTER (WHERE p.__n <= $lim), '[]'), 'pageInfo', ...,
 *                   'totalCount', (SELECT count(*) FROM tab t WHERE <corr> AND <filter>))
 *                FROM (SELECT q.*, row_number() OVER (ORDER BY q.__k0, ...) AS __n
 *                      FROM (SELECT <used columns>, <key> AS __k0, ... FROM tab t
 *                            WHERE <corr> AND <filter> AND <cursor>
 *                            ORDER BY <keys> LIMIT <lim + 1> [OFFSET $off]) q) p)
 *
 * The innermost query reads only the columns the selection uses (column
 * privileges), is ordered by the keys with the primary key as tie-breaker
 * and fetches one row more than the page to learn whether another page
 * follows. JSON is built only for the rows of the page.
 *
 * Invariants: every value from the request is a $n parameter (typed as the
 * column it is compared with), except the page size: an integer of ours,
 * clamped to uphub.graphql_max_rows, written so the planner sees it (see
 * gql_connection_sql); every identifier comes from the catalog
 * through quote_identifier; response keys are GraphQL Names (the lexer
 * admits only [_A-Za-z0-9]) and still go through quote_literal. Functions
 * are schema-qualified so the caller's search_path cannot change the
 * meaning. The SQL text is a function of the document, of the shape of
 * the variables and of the page size (never of other values), and carries no random or
 * address-dependent part, so the same request yields the same text.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/fmgroids.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "errors.h"
#include "gql/aggregate.h"
#include "gql/gql.h"

/* json_build_object takes at most FUNC_MAX_ARGS (100) arguments: 50 pairs. */
#define GQL_MAX_PAIRS 50

static void object_sql(GqlStatement *st, StringInfo out, GqlTable *table, const char *alias,
                       bool *used, GqlFieldGroup *group);

/* Start an empty statement. */
void
gql_statement_init(GqlStatement *st, GqlRequest *req)
{
	memset(st, 0, sizeof(*st));
	initStringInfo(&st->sql);
	st->req = req;
	st->maxparams = 16;
	st->types = palloc(sizeof(Oid) * st->maxparams);
	st->values = palloc(sizeof(Datum) * st->maxparams);
	st->nulls = palloc(sizeof(char) * st->maxparams);
	st->rebind_from = -1;
}

/* A fresh table alias: t0, t1, p2, ... */
char *
gql_new_alias(GqlStatement *st, char prefix)
{
	return psprintf("%c%d", prefix, st->next_alias++);
}

/* Bind a value; returns its $n. */
int
gql_param(GqlStatement *st, Oid type, Datum value, bool isnull)
{
	if (st->nparams == st->maxparams)
	{
		st->maxparams *= 2;
		st->types = repalloc(st->types, sizeof(Oid) * st->maxparams);
		st->values = repalloc(st->values, sizeof(Datum) * st->maxparams);
		st->nulls = repalloc(st->nulls, sizeof(char) * st->maxparams);
	}
	st->types[st->nparams] = type;
	st->values[st->nparams] = value;
	st->nulls[st->nparams] = isnull ? 'n' : ' ';
	return ++st->nparams;
}

/* Bind a text value. */
int
gql_param_text(GqlStatement *st, const char *text)
{
	return gql_param(st, TEXTOID, CStringGetTextDatum(text), false);
}

/* Datum of a coerced scalar for a column's (element) type. */
static Datum
value_datum(GqlStatement *st, Oid type, const GraphqlValue *value, GraphqlLocation loc)
{
	int64 i64;

	switch (type)
	{
		case INT2OID:
		case INT4OID:
		case INT8OID:
			if (!gql_value_to_int64(value, &i64))
				gql_bad_input(st, loc, "Expected an integer, got %s.", gql_print_json_value(value));
			if (type == INT2OID && (i64 < PG_INT16_MIN || i64 > PG_INT16_MAX))
				gql_bad_input(st, loc, "Value %s is out of range for this field.",
				              gql_print_json_value(value));
			if (type == INT2OID)
				return Int16GetDatum((int16) i64);
			if (type == INT4OID)
				return Int32GetDatum((int32) i64);
			return Int64GetDatum(i64);
		case BOOLOID:
			if (value->kind != GRAPHQL_VALUE_BOOLEAN)
				gql_bad_input(st, loc, "Expected a boolean, got %s.", gql_print_json_value(value));
			return BoolGetDatum(value->boolean);
		case JSONOID:
		case JSONBOID:
			return OidInputFunctionCall(type == JSONOID ? F_JSON_IN : F_JSONB_IN,
			                            gql_print_json_value(value), InvalidOid, -1);
		default:
		{
			Oid typinput;
			Oid typioparam;

			if (value->kind == GRAPHQL_VALUE_LIST || value->kind == GRAPHQL_VALUE_OBJECT)
				gql_bad_input(st, loc, "Expected a scalar, got %s.", gql_print_json_value(value));
			if (value->text_len != strlen(value->text))
				gql_bad_input(st, loc, "String values must not contain the NUL character.");
			getTypeInputInfo(type, &typinput, &typioparam);
			return OidInputFunctionCall(typinput, (char *) value->text, typioparam, -1);
		}
	}
}

/* Bind a request value for comparison with a column. */
int
gql_param_column(GqlStatement *st, const GqlColumn *column, const GraphqlValue *value,
                 GraphqlLocation loc)
{
	if (value == NULL || value->kind == GRAPHQL_VALUE_NULL)
		return gql_param(st, column->type_oid, (Datum) 0, true);
	return gql_param(st, column->type_oid, value_datum(st, column->type_oid, value, loc), false);
}

/* Bind a list of request values as an array of the column's type (in, notIn). */
int
gql_param_column_array(GqlStatement *st, const GqlColumn *column, const GraphqlValue *list,
                       GraphqlLocation loc)
{
	Oid array_type = get_array_type(column->type_oid);
	int16 typlen;
	bool typbyval;
	char typalign;
	Datum *elems;
	GraphqlValue *item;
	int n = 0;
	int dims[1];
	int lbs[1] = {1};

	if (!OidIsValid(array_type))
		gql_bad_input(st, loc, "This field cannot be compared with a list.");
	get_typlenbyvalalign(column->type_oid, &typlen, &typbyval, &typalign);
	elems = palloc(sizeof(Datum) * (list->count + 1));
	for (item = list->items; item; item = item->next)
		elems[n++] = value_datum(st, column->type_oid, item, loc);
	dims[0] = n;
	return gql_param(
	    st, array_type,
	    PointerGetDatum(construct_md_array(elems, NULL, n > 0 ? 1 : 0, dims, lbs, column->type_oid,
	                                       typlen, typbyval, typalign)),
	    false);
}

/* The SQL of one column's value in a response (API.md "Scalars"). */
void
gql_column_output(StringInfo out, const char *alias, const GqlColumn *column)
{
	bool is_array = OidIsValid(column->elem_oid);

	switch (column->scalar)
	{
		case GQL_BIGINT:
		case GQL_BIGFLOAT:
			/* JSON strings: 64-bit and decimal values do not survive JSON numbers */
			appendStringInfo(out, "%s.%s::pg_catalog.text%s", alias, column->quoted,
			                 is_array ? "[]" : "");
			break;
		case GQL_STRING:
			if (column->is_text)
				appendStringInfo(out, "%s.%s", alias, column->quoted);
			else
				appendStringInfo(out, "%s.%s::pg_catalog.text%s", alias, column->quoted,
				                 is_array ? "[]" : "");
			break;
		default:
			appendStringInfo(out, "%s.%s", alias, column->quoted);
	}
}

/* ---------------------------------------------------------------------- */
/* Field collection                                                         */
/* ---------------------------------------------------------------------- */

/* Does a fragment with this type condition apply to the object type? */
static bool
fragment_applies(const char *type_condition, const GraphqlType *type)
{
	return type_condition == NULL || strcmp(type_condition, type->name) == 0;
}

static void
collect(GqlRequest *req, const GraphqlType *type, GraphqlSelection *sel, List **groups,
        List **visited)
{
	for (; sel; sel = sel->next)
	{
		if (!gql_directives_include(req, sel->directives))
			continue;
		switch (sel->kind)
		{
			case GRAPHQL_SELECTION_FIELD:
			{
				const char *key = sel->alias ? sel->alias : sel->name;
				GqlFieldGroup *group = NULL;
				ListCell *lc;

				foreach (lc, *groups)
				{
					GqlFieldGroup *g = lfirst(lc);

					if (strcmp(g->key, key) == 0)
						group = g;
				}
				if (group == NULL)
				{
					const GraphqlSchema *schema = req->model->schema;

					group = palloc0(sizeof(GqlFieldGroup));
					group->key = key;
					group->first = sel;
					if (strcmp(sel->name, "__typename") == 0)
					{
						group->is_typename = true;
						group->def = graphql_schema_typename_field(schema);
					}
					else if (strcmp(sel->name, "__schema") == 0)
						group->def = graphql_schema_schema_field(schema);
					else if (strcmp(sel->name, "__type") == 0)
						group->def = graphql_schema_type_field(schema);
					else
						group->def = graphql_type_find_field(type, sel->name);
					if (group->def == NULL)
						elog(ERROR, "uphub graphql: field \"%s\" not found on \"%s\"", sel->name,
						     type->name);
					group->type = graphql_typeref_named(group->def->type);
					*groups = lappend(*groups, group);
				}
				group->nodes = lappend(group->nodes, sel);
				break;
			}
			case GRAPHQL_SELECTION_FRAGMENT_SPREAD:
			{
				const GraphqlDefinition *fragment;
				ListCell *lc;
				bool seen = false;

				foreach (lc, *visited)
					if (strcmp((const char *) lfirst(lc), sel->name) == 0)
						seen = true;
				if (seen)
					continue;
				*visited = lappend(*visited, (void *) sel->name);
				fragment = graphql_find_fragment(req->doc, sel->name);
				if (fragment == NULL || !fragment_applies(fragment->type_condition, type))
					continue;
				collect(req, type, fragment->selections, groups, visited);
				break;
			}
			case GRAPHQL_SELECTION_INLINE_FRAGMENT:
				if (!fragment_applies(sel->type_condition, type))
					continue;
				collect(req, type, sel->selections, groups, visited);
				break;
		}
	}
}

/* §6.3.2 CollectFields over several selection sets (merged field nodes). */
List *
gql_collect_fields(GqlRequest *req, const GraphqlType *type, List *selection_sets)
{
	List *groups = NIL;
	List *visited = NIL;
	ListCell *lc;

	foreach (lc, selection_sets)
		collect(req, type, (GraphqlSelection *) lfirst(lc), &groups, &visited);
	return groups;
}

/* The merged sub-selection of a response key (§6.4.3 MergeSelectionSets). */
List *
gql_collect_subfields(GqlRequest *req, GqlFieldGroup *group)
{
	List *sets = NIL;
	ListCell *lc;

	foreach (lc, group->nodes)
	{
		GraphqlSelection *node = lfirst(lc);

		if (node->selections)
			sets = lappend(sets, node->selections);
	}
	return gql_collect_fields(req, group->type, sets);
}

/* ---------------------------------------------------------------------- */
/* Objects                                                                  */
/* ---------------------------------------------------------------------- */

/* json_build_object over (key, expression) pairs, chunked past 50 pairs. */
static void
build_object(StringInfo out, List *keys, List *exprs)
{
	int n = list_length(keys);
	int i;

	if (n == 0)
	{
		appendStringInfoString(out, "'{}'::pg_catalog.json");
		return;
	}
	if (n > GQL_MAX_PAIRS)
		appendStringInfoChar(out, '(');
	for (i = 0; i < n; i++)
	{
		if (i % GQL_MAX_PAIRS == 0)
		{
			if (i > 0)
				appendStringInfoString(out, ") OPERATOR(pg_catalog.||) ");
			appendStringInfoString(out, n > GQL_MAX_PAIRS ? "pg_catalog.jsonb_build_object("
			                                              : "pg_catalog.json_build_object(");
		}
		else
			appendStringInfoString(out, ", ");
		appendStringInfo(out, "%s, %s", quote_literal_cstr((char *) list_nth(keys, i)),
		                 (char *) list_nth(exprs, i));
	}
	appendStringInfoChar(out, ')');
	if (n > GQL_MAX_PAIRS)
		appendStringInfoString(out, ")::pg_catalog.json");
}

/* Equality of a relation's columns: target alias on the left, source row on the right. */
static void
relation_join(StringInfo out, GqlRelation *rel, const char *target_alias, const char *source_alias,
              bool *used)
{
	int i;

	for (i = 0; i < rel->ncols; i++)
	{
		if (i > 0)
			appendStringInfoString(out, " AND ");
		appendStringInfo(out, "%s.%s = %s.%s", target_alias,
		                 rel->target->columns[rel->target_cols[i]].quoted, source_alias,
		                 rel->source->columns[rel->source_cols[i]].quoted);
		if (used)
			used[rel->source_cols[i]] = true;
	}
}

/* A to-one relation: the related row's object, or null. */
static void
to_one_sql(GqlStatement *st, StringInfo out, GqlRelation *rel, const char *alias, bool *used,
           GqlFieldGroup *group)
{
	char *ta = gql_new_alias(st, 't');

	appendStringInfoString(out, "(SELECT ");
	object_sql(st, out, rel->target, ta, NULL, group);
	appendStringInfo(out, " FROM %s %s WHERE ", rel->target->qualified, ta);
	relation_join(out, rel, ta, alias, used);
	appendStringInfoString(out, " LIMIT 1)");
}

/* The JSON object of one row: alias names the row; used collects the columns read. */
static void
object_sql(GqlStatement *st, StringInfo out, GqlTable *table, const char *alias, bool *used,
           GqlFieldGroup *group)
{
	List *fields = gql_collect_subfields(st->req, group);
	List *keys = NIL;
	List *exprs = NIL;
	ListCell *lc;

	foreach (lc, fields)
	{
		GqlFieldGroup *f = lfirst(lc);
		StringInfoData e;
		GqlFieldInfo *info;

		initStringInfo(&e);
		keys = lappend(keys, (void *) f->key);
		if (f->is_typename)
		{
			appendStringInfoString(&e, quote_literal_cstr(table->type_name));
			exprs = lappend(exprs, e.data);
			continue;
		}
		info = f->def->user_data;
		if (info->kind == GQL_F_COLUMN)
		{
			gql_column_output(&e, alias, info->column);
			if (used)
				used[info->column - table->columns] = true;
		}
		else if (info->kind == GQL_F_RELATION && !info->relation->to_many)
			to_one_sql(st, &e, info->relation, alias, used, f);
		else if (info->kind == GQL_F_RELATION)
			gql_connection_sql(st, &e, info->relation->target, info->relation, alias, f);
		else
			elog(ERROR, "uphub graphql: unexpected field \"%s\" on an object", f->def->name);
		exprs = lappend(exprs, e.data);
		if (used && info->kind == GQL_F_RELATION)
		{
			int i;

			for (i = 0; i < info->relation->ncols; i++)
				used[info->relation->source_cols[i]] = true;
		}
	}
	build_object(out, keys, exprs);
}

/* json_build_object over (key, expression) pairs, for the other translate_*.c files. */
void
gql_build_object(StringInfo out, List *keys, List *exprs)
{
	build_object(out, keys, exprs);
}

/* The JSON object of one row (mutation records): alias names a row with every column. */
void
gql_object_sql(GqlStatement *st, StringInfo out, GqlTable *table, const char *alias,
               GqlFieldGroup *group)
{
	object_sql(st, out, table, alias, NULL, group);
}

/* ---------------------------------------------------------------------- */
/* Connections                                                              */
/* ---------------------------------------------------------------------- */

/* Where an argument is written (its value), or the field when it is not. */
static GraphqlLocation
argument_location(GraphqlSelection *node, const char *name)
{
	GraphqlArgument *a;

	for (a = node->arguments; a; a = a->next)
		if (strcmp(a->name, name) == 0)
			return a->value->loc;
	return node->loc;
}

/* Optional Int argument: false when absent or null. */
static bool
int_argument(GqlStatement *st, GraphqlValue *args, const char *name, int64 *result,
             GraphqlSelection *node)
{
	GraphqlValue *v = gql_object_get(args, name);
	GraphqlLocation loc = argument_location(node, name);

	if (v == NULL || v->kind == GRAPHQL_VALUE_NULL)
		return false;
	if (!gql_value_to_int64(v, result))
		gql_bad_input(st, loc, "Argument \"%s\" must be an integer.", name);
	if (*result < 0)
		gql_bad_input(st, loc, "Argument \"%s\" must not be negative.", name);
	return true;
}

static const char *
string_argument(GraphqlValue *args, const char *name)
{
	GraphqlValue *v = gql_object_get(args, name);

	if (v == NULL || v->kind != GRAPHQL_VALUE_STRING)
		return NULL;
	return v->text;
}

/* ORDER BY text of the keys, optionally reversed (backward pagination). */
static void
order_by_sql(StringInfo out, List *keys, List *exprs, bool reverse)
{
	int i;

	for (i = 0; i < list_length(keys); i++)
	{
		GqlOrderKey *k = list_nth(keys, i);
		bool desc = k->descending != reverse;
		bool nulls_first = k->nulls_first != reverse;

		appendStringInfo(out, "%s%s %s NULLS %s", i > 0 ? ", " : "", (char *) list_nth(exprs, i),
		                 desc ? "DESC" : "ASC", nulls_first ? "FIRST" : "LAST");
	}
}

/* The pieces of a pageInfo object. */
typedef struct PageSql
{
	const char *page_alias;
	int fp_param;
	int nkeys;
	int lim_param;
	bool backward;
	const char *has_previous; /* SQL for the side opposite to the fetch direction */
	const char *has_more;     /* SQL: rows beyond the page in the fetch direction */
} PageSql;

/* Cursor of a page row (alias p): base64 of ["<fingerprint>", key values...]. */
void
gql_cursor_sql(StringInfo out, int fingerprint_param, const char *alias, int nkeys)
{
	int i;

	appendStringInfo(out,
	                 "pg_catalog.translate(pg_catalog.encode(pg_catalog.convert_to("
	                 "pg_catalog.json_build_array($%d",
	                 fingerprint_param);
	for (i = 0; i < nkeys; i++)
		appendStringInfo(out, ", %s.__k%d", alias, i);
	appendStringInfoString(out, ")::pg_catalog.text, 'UTF8'), 'base64'), E'\\n', '')");
}

/* startCursor / endCursor: the cursor of the first or last row of the page. */
static void
edge_cursor_sql(StringInfo out, PageSql *ps, bool last_row)
{
	/* fetch order is __n ascending; output order is reversed when paging backward */
	bool descending = last_row != ps->backward;

	appendStringInfoString(out, "(pg_catalog.array_agg(");
	gql_cursor_sql(out, ps->fp_param, ps->page_alias, ps->nkeys);
	appendStringInfo(out, " ORDER BY %s.__n%s) FILTER (WHERE %s.__n <= $%d))[1]", ps->page_alias,
	                 descending ? " DESC" : "", ps->page_alias, ps->lim_param);
}

/* json_agg over the page rows in output order. */
static void
page_agg_sql(StringInfo out, PageSql *ps, const char *element)
{
	appendStringInfo(out,
	                 "COALESCE(pg_catalog.json_agg(%s ORDER BY %s.__n%s) FILTER (WHERE %s.__n <= "
	                 "$%d), '[]'::pg_catalog.json)",
	                 element, ps->page_alias, ps->backward ? " DESC" : "", ps->page_alias,
	                 ps->lim_param);
}

/*
 * A connection: to-many relation rows of the row `parent_alias` (via != NULL)
 * or all rows of the table (root collection).
 */
void
gql_connection_sql(GqlStatement *st, StringInfo out, GqlTable *table, GqlRelation *via,
                   const char *parent_alias, GqlFieldGroup *group)
{
	GqlRequest *req = st->req;
	GraphqlLocation loc = group->first->loc;
	GraphqlValue *args = gql_argument_values(st, group->def, group->first);
	GraphqlValue *filter = gql_object_get(args, "filter");
	GraphqlValue *order_by = gql_object_get(args, "orderBy");
	const char *after = string_argument(args, "after");
	const char *before = string_argument(args, "before");
	int64 first = 0;
	int64 last = 0;
	int64 offset = 0;
	bool has_first = int_argument(st, args, "first", &first, group->first);
	bool has_last = int_argument(st, args, "last", &last, group->first);
	bool has_offset = int_argument(st, args, "offset", &offset, group->first);
	bool backward;
	int64 limit;
	List *keys;
	List *key_exprs = NIL;
	char *fingerprint;
	char *ra = gql_new_alias(st, 't'); /* the table's rows */
	char *pa = gql_new_alias(st, 'p'); /* the page rows */
	StringInfoData where;
	StringInfoData after_cond;
	StringInfoData before_cond;
	bool *used = palloc0(sizeof(bool) * (table->ncolumns + 1));
	List *fields;
	List *out_keys = NIL;
	List *out_exprs = NIL;
	ListCell *lc;
	PageSql ps;
	int i;
	int off_param;
	bool needs_page = false;

	if (has_first && has_last)
		gql_bad_input(st, loc, "Arguments \"first\" and \"last\" cannot be used together.");
	if (has_offset && (has_last || (before && !has_first && !after)))
		gql_bad_input(st, loc, "Argument \"offset\" can be used only when paging forward.");
	backward = has_last || (before != NULL && !has_first && after == NULL);
	limit = backward ? (has_last ? last : gql_max_rows) : (has_first ? first : gql_max_rows);
	if (limit > gql_max_rows)
		limit = gql_max_rows;

	/* ordering and cursors */
	keys = gql_order_keys(st, table, order_by, argument_location(group->first, "orderBy"));
	fingerprint = gql_order_fingerprint(table, keys);
	foreach (lc, keys)
	{
		StringInfoData e;

		initStringInfo(&e);
		gql_order_key_expr(st, &e, table, ra, lfirst(lc));
		key_exprs = lappend(key_exprs, e.data);
	}
	ps.fp_param = gql_param_text(st, fingerprint);
	ps.nkeys = list_length(keys);
	ps.page_alias = pa;
	ps.backward = backward;

	/* WHERE of the whole (filtered) set */
	initStringInfo(&where);
	if (via)
		relation_join(&where, via, ra, parent_alias, NULL);
	else
		appendStringInfoString(&where, "true");
	if (filter && filter->kind != GRAPHQL_VALUE_NULL)
	{
		appendStringInfoString(&where, " AND ");
		gql_filter_sql(st, &where, table, ra, filter, argument_location(group->first, "filter"));
	}
	initStringInfo(&after_cond);
	initStringInfo(&before_cond);
	if (after)
		gql_cursor_condition(st, &after_cond, keys, key_exprs, after, fingerprint, false,
		                     argument_location(group->first, "after"));
	if (before)
		gql_cursor_condition(st, &before_cond, keys, key_exprs, before, fingerprint, true,
		                     argument_location(group->first, "before"));

	ps.lim_param = gql_param(st, INT8OID, Int64GetDatum(limit), false);
	off_param = gql_param(st, INT8OID, Int64GetDatum(offset), false);

	/* the object of the connection */
	fields = gql_collect_subfields(req, group);
	foreach (lc, fields)
	{
		GqlFieldGroup *f = lfirst(lc);
		StringInfoData e;

		initStringInfo(&e);
		out_keys = lappend(out_keys, (void *) f->key);
		if (!f->is_typename && strcmp(f->def->name, "totalCount") != 0 &&
		    !gql_is_set_field(f->def->name))
			needs_page = true;
		if (f->is_typename)
			appendStringInfoString(&e, quote_literal_cstr(table->connection_type->name));
		else if (strcmp(f->def->name, "nodes") == 0)
		{
			StringInfoData node;

			initStringInfo(&node);
			object_sql(st, &node, table, pa, used, f);
			page_agg_sql(&e, &ps, node.data);
		}
		else if (strcmp(f->def->name, "edges") == 0)
		{
			List *edge_fields = gql_collect_subfields(req, f);
			List *ek = NIL;
			List *ee = NIL;
			ListCell *lc2;
			StringInfoData edge;

			foreach (lc2, edge_fields)
			{
				GqlFieldGroup *ef = lfirst(lc2);
				StringInfoData x;

				initStringInfo(&x);
				ek = lappend(ek, (void *) ef->key);
				if (ef->is_typename)
					appendStringInfoString(&x, quote_literal_cstr(table->edge_type->name));
				else if (strcmp(ef->def->name, "cursor") == 0)
					gql_cursor_sql(&x, ps.fp_param, pa, ps.nkeys);
				else
					object_sql(st, &x, table, pa, used, ef);
				ee = lappend(ee, x.data);
			}
			initStringInfo(&edge);
			build_object(&edge, ek, ee);
			page_agg_sql(&e, &ps, edge.data);
		}
		else if (strcmp(f->def->name, "totalCount") == 0)
			appendStringInfo(&e, "(SELECT pg_catalog.count(*) FROM %s %s WHERE %s)",
			                 table->qualified, ra, where.data);
		else if (gql_is_set_field(f->def->name)) /* aggregate, groups: the whole filtered set */
			gql_set_field_sql(st, &e, table, ra, where.data, f);
		else if (strcmp(f->def->name, "pageInfo") == 0)
		{
			List *pf = gql_collect_subfields(req, f);
			List *pk = NIL;
			List *pe = NIL;
			ListCell *lc2;
			/* rows beyond the page in the fetch direction */
			char *more =
			    psprintf("COALESCE(pg_catalog.max(%s.__n) > $%d, false)", pa, ps.lim_param);
			/* rows on the other side: an offset, or rows up to the opposite cursor */
			StringInfoData other;
			const char *opposite = backward ? before_cond.data : after_cond.data;

			initStringInfo(&other);
			appendStringInfo(&other, "($%d > 0", off_param);
			if (opposite[0])
				appendStringInfo(&other,
				                 " OR EXISTS (SELECT 1 FROM %s %s WHERE %s AND NOT "
				                 "COALESCE(%s, false))",
				                 table->qualified, ra, where.data, opposite);
			appendStringInfoChar(&other, ')');

			foreach (lc2, pf)
			{
				GqlFieldGroup *p = lfirst(lc2);
				StringInfoData x;

				initStringInfo(&x);
				pk = lappend(pk, (void *) p->key);
				if (p->is_typename)
					appendStringInfoString(&x, "'PageInfo'");
				else if (strcmp(p->def->name, "hasNextPage") == 0)
					appendStringInfoString(&x, backward ? other.data : more);
				else if (strcmp(p->def->name, "hasPreviousPage") == 0)
					appendStringInfoString(&x, backward ? more : other.data);
				else
					edge_cursor_sql(&x, &ps, strcmp(p->def->name, "endCursor") == 0);
				pe = lappend(pe, x.data);
			}
			build_object(&e, pk, pe);
		}
		else
			elog(ERROR, "uphub graphql: unexpected connection field \"%s\"", f->def->name);
		out_exprs = lappend(out_exprs, e.data);
	}

	/* only totalCount / __typename: no page to read */
	if (!needs_page)
	{
		appendStringInfoString(out, "(SELECT ");
		build_object(out, out_keys, out_exprs);
		appendStringInfoChar(out, ')');
		return;
	}

	/* assemble: outer aggregate over the page (GROUP BY (): one row, even for no rows) */
	appendStringInfoString(out, "(SELECT ");
	build_object(out, out_keys, out_exprs);
	appendStringInfo(out, " FROM (SELECT q.*, pg_catalog.row_number() OVER (ORDER BY ");
	{
		List *qexprs = NIL;

		for (i = 0; i < list_length(keys); i++)
			qexprs = lappend(qexprs, psprintf("q.__k%d", i));
		if (qexprs == NIL)
			appendStringInfoString(out, "NULL");
		else
			order_by_sql(out, keys, qexprs, backward);
	}
	appendStringInfoString(out, ") AS __n FROM (SELECT ");
	{
		bool any = false;

		for (i = 0; i < table->ncolumns; i++)
		{
			if (!used[i])
				continue;
			appendStringInfo(out, "%s%s.%s", any ? ", " : "", ra, table->columns[i].quoted);
			any = true;
		}
		for (i = 0; i < list_length(keys); i++)
		{
			appendStringInfo(out, "%s%s AS __k%d", any ? ", " : "", (char *) list_nth(key_exprs, i),
			                 i);
			any = true;
		}
		if (!any)
			appendStringInfoString(out, "1 AS __one");
	}
	appendStringInfo(out, " FROM %s %s WHERE %s", table->qualified, ra, where.data);
	if (after_cond.len)
		appendStringInfo(out, " AND %s", after_cond.data);
	if (before_cond.len)
		appendStringInfo(out, " AND %s", before_cond.data);
	if (keys != NIL)
	{
		appendStringInfoString(out, " ORDER BY ");
		order_by_sql(out, keys, key_exprs, backward);
	}
	/*
	 * The page size is written into the text, not bound: with LIMIT $n the
	 * planner's generic plan assumes 10% of the rows, costs every per-row
	 * subquery of the page for them, and PostgreSQL's plan cache then
	 * replans each execution (a custom plan always looks cheaper). The
	 * limit is an integer of ours in [1, graphql_max_rows + 1], so the
	 * texts of one shape stay few. A non-zero offset stays a parameter.
	 */
	appendStringInfo(out, " LIMIT " INT64_FORMAT, limit + 1);
	if (has_offset && offset > 0)
		appendStringInfo(out, " OFFSET $%d", off_param);
	appendStringInfo(out, ") q) %s GROUP BY ())", pa);
}

/* ---------------------------------------------------------------------- */
/* Root fields                                                              */
/* ---------------------------------------------------------------------- */

/*
 * Bind the key arguments of a root lookup, one parameter per key column in
 * key order (the last parameters of its statement).
 */
void
gql_lookup_bind_keys(GqlStatement *st, GqlFieldGroup *group)
{
	GqlFieldInfo *info = group->def->user_data;
	GraphqlValue *args = gql_argument_values(st, group->def, group->first);
	GqlKey *key = info->key;
	int i;

	for (i = 0; i < key->ncols; i++)
	{
		GqlColumn *c = &info->table->columns[key->cols[i]];

		gql_param_column(st, c, gql_object_get(args, c->field_name),
		                 argument_location(group->first, c->field_name));
	}
}

/* The statement of one root field; its one row and column holds the field's JSON. */
void
gql_translate_root_field(GqlStatement *st, GqlFieldGroup *group)
{
	GqlFieldInfo *info = group->def->user_data;

	if (info->kind == GQL_F_LOOKUP)
	{
		char *alias = gql_new_alias(st, 't');
		GqlKey *key = info->key;
		int first_key;
		int i;

		/* coerce the arguments first: their errors come before any other */
		gql_argument_values(st, group->def, group->first);
		appendStringInfoString(&st->sql, "SELECT ");
		object_sql(st, &st->sql, info->table, alias, NULL, group);
		appendStringInfo(&st->sql, " FROM %s %s WHERE ", info->table->qualified, alias);
		/* the key parameters come last, so a replay can bind them alone */
		first_key = st->nparams;
		gql_lookup_bind_keys(st, group);
		for (i = 0; i < key->ncols; i++)
			appendStringInfo(&st->sql, "%s%s.%s = $%d", i > 0 ? " AND " : "", alias,
			                 info->table->columns[key->cols[i]].quoted, first_key + i + 1);
		appendStringInfoString(&st->sql, " LIMIT 1");
		st->rebind_from = first_key;
	}
	else if (info->kind == GQL_F_COLLECTION)
	{
		appendStringInfoString(&st->sql, "SELECT ");
		gql_connection_sql(st, &st->sql, info->table, NULL, NULL, group);
		st->rebind_from = st->nparams;
	}
	else
		elog(ERROR, "uphub graphql: unexpected root field \"%s\"", group->def->name);
}
