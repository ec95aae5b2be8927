/*
 * translate_mutation.c — mutation fields as data-modifying statements, and
 * the mutation operation as one unit.
 *
 * Each root field is ONE statement: a data-modifying CTE whose RETURNING
 * rows feed the result object, plus the number of rows changed:
 *
 *   WITH __m AS (UPDATE tab AS t0 SET "c" = $1 WHERE <filter over t0>
 *                RETURNING t0.<every visible column>)
 *   SELECT json_build_object('affectedCount', (SELECT count(*) FROM __m),
 *            'records', COALESCE((SELECT json_agg(<object over m> ORDER BY <pk>)
 *                                 FROM __m m), '[]')),
 *          (SELECT count(*) FROM __m)
 *
 * insertInto: INSERT INTO tab AS t0 (<union of the given columns>) VALUES
 * ($1, DEFAULT, ...), ... [ON CONFLICT ON CONSTRAINT c DO UPDATE SET
 * col = EXCLUDED.col, ... WHERE <filter over the existing row t0> | DO
 * NOTHING]; a column an object leaves out takes its DEFAULT, an explicit
 * null is NULL. deleteFrom: DELETE FROM tab AS t0 WHERE <filter>.
 * Every value is a $n parameter typed as its column; the text depends on
 * the document and the shape of the variables only (as for queries).
 *
 * Atomicity: every field of a mutation operation runs, in document order
 * (§6.2.2: serially), inside ONE subtransaction. A field whose statement
 * fails, or an update/delete that changed more rows than atMost, rolls the
 * subtransaction back: nothing any field did remains, the response is
 * {"data": null, "errors": [that error]}. atMost is checked on the count
 * the statement itself returns, so it is exactly the rows that statement
 * changed, also under concurrent writers (a row another transaction
 * changed is re-checked by PostgreSQL before it is updated, READ COMMITTED).
 *
 * Security: the statements run as the caller, so GRANTs, row-level
 * security (RBAC's creator.write / video.write / stats.write policies) and
 * triggers apply; a row the policies reject is SQLSTATE 42501, reported as
 * FORBIDDEN. RETURNING names only the columns the caller may SELECT.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/resowner.h"

#include "gql/gql.h"
#include "gql/mutation.h"

/* Where an argument's value is written, or the field when it is not given. */
static GraphqlLocation
argument_loc(GraphqlSelection *node, const char *name)
{
	GraphqlArgument *a;

	for (a = node->arguments; a; a = a->next)
		if (strcmp(a->name, name) == 0)
			return a->value->loc;
	return node->loc;
}

/* Bind a value for a column (arrays element by element); returns its $n. */
static int
bind_column_value(GqlStatement *st, GqlColumn *c, const GraphqlValue *v, GraphqlLocation loc)
{
	if (v != NULL && v->kind != GRAPHQL_VALUE_NULL && OidIsValid(c->elem_oid))
	{
		GqlColumn elem = *c;

		if (v->kind != GRAPHQL_VALUE_LIST)
			gql_bad_input(st, loc, "Expected a list for \"%s\".", c->field_name);
		elem.type_oid = c->elem_oid;
		return gql_param_column_array(st, &elem, v, loc);
	}
	return gql_param_column(st, c, v, loc);
}

/* The column an input field names. */
static GqlColumn *
input_column(GqlTable *t, const GraphqlType *input, const char *name)
{
	const GraphqlInputValue *iv = graphql_type_find_input_field(input, name);
	GqlFieldInfo *info = iv ? iv->user_data : NULL;

	if (info == NULL || info->kind != GQL_F_COLUMN)
		elog(ERROR, "uphub graphql: unknown input field \"%s\"", name);
	return info->column;
}

/* RETURNING list: every column the caller may read. */
static void
returning_sql(StringInfo out, GqlTable *t, const char *alias)
{
	int i;

	appendStringInfoString(out, " RETURNING ");
	for (i = 0; i < t->ncolumns; i++)
		appendStringInfo(out, "%s%s.%s", i ? ", " : "", alias, t->columns[i].quoted);
}

/* INSERT ... VALUES ... [ON CONFLICT ...] for insertInto<Plural>. */
static void
insert_sql(StringInfo out, GqlStatement *st, GqlTable *t, GraphqlValue *args,
           GraphqlSelection *node)
{
	GqlTableWrite *w = t->write;
	GraphqlValue *objects = gql_object_get(args, "objects");
	GraphqlValue *conflict = gql_object_get(args, "onConflict");
	GraphqlLocation loc = argument_loc(node, "objects");
	bool *given = palloc0(sizeof(bool) * (t->ncolumns + 1));
	GraphqlValue *obj;
	int i;
	bool any = false;

	for (obj = objects->items; obj; obj = obj->next)
	{
		GraphqlArgument *a;

		for (a = obj->fields; a; a = a->next)
			given[input_column(t, w->insert_type, a->name) - t->columns] = true;
	}
	if (objects->count == 0)
	{
		/* nothing to insert: an empty set of the table's shape */
		appendStringInfoString(out, "SELECT ");
		for (i = 0; i < t->ncolumns; i++)
			appendStringInfo(out, "%st0.%s", i ? ", " : "", t->columns[i].quoted);
		appendStringInfo(out, " FROM %s t0 WHERE false", t->qualified);
		return;
	}
	for (i = 0; i < t->ncolumns; i++)
		any |= given[i];
	if (!any)
	{
		/* every object is {}: all defaults, named through the first insertable column */
		for (i = 0; i < t->ncolumns && !w->insertable[i]; i++)
			;
		given[i] = true;
	}

	appendStringInfo(out, "INSERT INTO %s AS t0 (", t->qualified);
	any = false;
	for (i = 0; i < t->ncolumns; i++)
		if (given[i])
		{
			appendStringInfo(out, "%s%s", any ? ", " : "", t->columns[i].quoted);
			any = true;
		}
	appendStringInfoString(out, ") VALUES ");
	for (obj = objects->items; obj; obj = obj->next)
	{
		appendStringInfo(out, "%s(", obj == objects->items ? "" : ", ");
		any = false;
		for (i = 0; i < t->ncolumns; i++)
		{
			GqlColumn *c = &t->columns[i];
			GraphqlValue *v;

			if (!given[i])
				continue;
			v = gql_object_get(obj, c->field_name);
			if (v == NULL)
				appendStringInfo(out, "%sDEFAULT", any ? ", " : "");
			else
				appendStringInfo(out, "%s$%d", any ? ", " : "", bind_column_value(st, c, v, loc));
			any = true;
		}
		appendStringInfoChar(out, ')');
	}

	if (conflict && conflict->kind == GRAPHQL_VALUE_OBJECT)
	{
		GraphqlValue *name = gql_object_get(conflict, "constraint");
		GraphqlValue *update = gql_object_get(conflict, "update");
		GraphqlValue *filter = gql_object_get(conflict, "filter");
		GqlConstraint *con = NULL;
		GraphqlValue *item;
		bool first = true;

		loc = argument_loc(node, "onConflict");
		for (i = 0; i < w->nconstraints; i++)
			if (strcmp(w->constraints[i].enum_name, name->text) == 0)
				con = &w->constraints[i];
		if (con == NULL)
			gql_bad_input(st, loc, "Unknown constraint %s.", name->text);
		appendStringInfo(out, " ON CONFLICT ON CONSTRAINT %s", con->quoted);
		if (update == NULL || update->count == 0)
			appendStringInfoString(out, " DO NOTHING");
		else
		{
			bool *seen = palloc0(sizeof(bool) * (t->ncolumns + 1));

			appendStringInfoString(out, " DO UPDATE SET ");
			for (item = update->items; item; item = item->next)
			{
				int col = -1;

				for (i = 0; i < t->ncolumns; i++)
					if (w->column_enum[i] && strcmp(w->column_enum[i], item->text) == 0)
						col = i;
				if (col < 0)
					gql_bad_input(st, loc, "Column %s cannot be updated.", item->text);
				if (seen[col])
					continue;
				seen[col] = true;
				appendStringInfo(out, "%s%s = EXCLUDED.%s", first ? "" : ", ",
				                 t->columns[col].quoted, t->columns[col].quoted);
				first = false;
			}
			if (filter && filter->kind == GRAPHQL_VALUE_OBJECT)
			{
				appendStringInfoString(out, " WHERE ");
				gql_filter_sql(st, out, t, "t0", filter, loc);
			}
		}
	}
	returning_sql(out, t, "t0");
}

/* UPDATE ... SET ... WHERE ... for update<Plural>. */
static void
update_sql(StringInfo out, GqlStatement *st, GqlTable *t, GraphqlValue *args,
           GraphqlSelection *node)
{
	GraphqlValue *set = gql_object_get(args, "set");
	GraphqlValue *filter = gql_object_get(args, "filter");
	GraphqlLocation loc = argument_loc(node, "set");
	GraphqlArgument *a;

	if (set->count == 0)
		gql_bad_input(st, loc, "Argument \"set\" must give at least one column.");
	appendStringInfo(out, "UPDATE %s AS t0 SET ", t->qualified);
	for (a = set->fields; a; a = a->next)
	{
		GqlColumn *c = input_column(t, t->write->update_type, a->name);

		appendStringInfo(out, "%s%s = $%d", a == set->fields ? "" : ", ", c->quoted,
		                 bind_column_value(st, c, a->value, loc));
	}
	appendStringInfoString(out, " WHERE ");
	gql_filter_sql(st, out, t, "t0", filter, argument_loc(node, "filter"));
	returning_sql(out, t, "t0");
}

/* DELETE FROM ... WHERE ... for deleteFrom<Plural>. */
static void
delete_sql(StringInfo out, GqlStatement *st, GqlTable *t, GraphqlValue *args,
           GraphqlSelection *node)
{
	appendStringInfo(out, "DELETE FROM %s AS t0 WHERE ", t->qualified);
	gql_filter_sql(st, out, t, "t0", gql_object_get(args, "filter"), argument_loc(node, "filter"));
	returning_sql(out, t, "t0");
}

/* The XMutationResult object over the changed rows __m. */
static void
result_sql(StringInfo out, GqlStatement *st, GqlTable *t, GqlFieldGroup *group)
{
	List *fields = gql_collect_subfields(st->req, group);
	ListCell *lc;

	appendStringInfoString(out, "pg_catalog.json_build_object(");
	foreach (lc, fields)
	{
		GqlFieldGroup *f = lfirst(lc);

		if (lc != list_head(fields))
			appendStringInfoString(out, ", ");
		appendStringInfo(out, "%s, ", quote_literal_cstr(f->key));
		if (f->is_typename)
			appendStringInfoString(out, quote_literal_cstr(t->write->result_type->name));
		else if (strcmp(f->def->name, "affectedCount") == 0)
			appendStringInfoString(out, "(SELECT pg_catalog.count(*) FROM __m)");
		else
		{
			int i;

			appendStringInfoString(out, "COALESCE((SELECT pg_catalog.json_agg(");
			gql_object_sql(st, out, t, "m", f);
			if (t->pk)
				for (i = 0; i < t->pk->ncols; i++)
					appendStringInfo(out, "%sm.%s", i ? ", " : " ORDER BY ",
					                 t->columns[t->pk->cols[i]].quoted);
			appendStringInfoString(out, ") FROM __m m), '[]'::pg_catalog.json)");
		}
	}
	appendStringInfoChar(out, ')');
}

/* The statement of one mutation field; *at_most is -1 for inserts. */
static void
translate_mutation(GqlStatement *st, GqlFieldGroup *group, int64 *at_most)
{
	GqlFieldInfo *info = group->def->user_data;
	GqlTable *t = info->table;
	GraphqlValue *args = gql_argument_values(st, group->def, group->first);

	*at_most = -1;
	appendStringInfoString(&st->sql, "WITH __m AS (");
	if (info->kind == GQL_F_INSERT)
		insert_sql(&st->sql, st, t, args, group->first);
	else
	{
		GraphqlLocation loc = argument_loc(group->first, "atMost");

		if (!gql_value_to_int64(gql_object_get(args, "atMost"), at_most) || *at_most < 0)
			gql_bad_input(st, loc, "Argument \"atMost\" must be a non-negative integer.");
		if (info->kind == GQL_F_UPDATE)
			update_sql(&st->sql, st, t, args, group->first);
		else if (info->kind == GQL_F_DELETE)
			delete_sql(&st->sql, st, t, args, group->first);
		else
			elog(ERROR, "uphub graphql: unexpected mutation field \"%s\"", group->def->name);
	}
	appendStringInfoString(&st->sql, ") SELECT ");
	result_sql(&st->sql, st, t, group);
	appendStringInfoString(&st->sql, ", (SELECT pg_catalog.count(*) FROM __m)");
}

/*
 * Run every field of a mutation operation in one subtransaction; append the
 * data object to out, or null (and the error) when any field failed.
 */
void
gql_execute_mutation(GqlRequest *req, StringInfo out, List *fields)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	StringInfoData data;
	GqlFieldGroup *volatile current = NULL;
	GqlStatement *volatile st = NULL;
	volatile int nfields = 0;

	initStringInfo(&data);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "uphub graphql: SPI_connect failed");
	MemoryContextSwitchTo(cxt);
	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		ListCell *lc;

		appendStringInfoChar(&data, '{');
		foreach (lc, fields)
		{
			GqlFieldGroup *group = lfirst(lc);
			GqlStatement *fst = palloc0(sizeof(GqlStatement));
			int64 at_most;
			int64 affected = 0;
			int rc;

			if (lc != list_head(fields))
				appendStringInfoString(&data, ", ");
			gql_json_string(&data, group->key);
			appendStringInfoString(&data, ": ");
			if (group->is_typename)
			{
				appendStringInfoString(&data, "\"Mutation\"");
				continue;
			}
			current = group;
			st = fst;
			gql_statement_init(fst, req);
			translate_mutation(fst, group, &at_most);
			elog(DEBUG1, "uphub graphql: %s", fst->sql.data);
			fst->executing = true;
			rc = SPI_execute_with_args(fst->sql.data, fst->nparams, fst->types, fst->values,
			                           fst->nulls, false, 0);
			MemoryContextSwitchTo(cxt);
			if (rc != SPI_OK_SELECT || SPI_processed != 1)
				elog(ERROR, "uphub graphql: unexpected SPI result %d", rc);
			{
				bool isnull;
				Datum d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);

				appendStringInfoString(&data, text_to_cstring(DatumGetTextPP(d)));
				affected = DatumGetInt64(
				    SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
			}
			SPI_freetuptable(SPI_tuptable);
			if (at_most >= 0 && affected > at_most)
			{
				fst->executing = false;
				gql_bad_input(fst, argument_loc(group->first, "atMost"),
				              "%s would change %lld rows, more than atMost (%lld); nothing was "
				              "changed.",
				              group->def->name, (long long) affected, (long long) at_most);
			}
			nfields++;
		}
		appendStringInfoChar(&data, '}');
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
		appendStringInfoString(out, data.data);
		req->rows += nfields;
	}
	PG_CATCH();
	{
		ErrorData *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
		if (current == NULL)
			ReThrowError(edata);
		req->errors = lappend(req->errors, gql_field_error(edata, current, st));
		appendStringInfoString(out, "null");
	}
	PG_END_TRY();
	SPI_finish();
	MemoryContextSwitchTo(cxt);
}
