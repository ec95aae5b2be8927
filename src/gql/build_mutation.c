/*
 * build_mutation.c — what the calling role may write, as the Mutation root
 * (API.md "Mutations").
 *
 * Phases, after reflect.c has read the tables the role may SELECT:
 *   1. gql_reflect_writes: one catalog pass (SPI) for the tables (never
 *      views, nor tables whose directive says "mutations": false — gql.sql
 *      gives that to uphub's aggregate tables): table privileges INSERT,
 *      UPDATE, DELETE; per visible column the INSERT and UPDATE privileges
 *      (generated and GENERATED ALWAYS identity columns are never written);
 *      the primary key and unique constraints whose columns are all visible
 *      (ON CONFLICT arbiters).
 *   2. gql_build_mutations: per table X with a write privilege
 *        type   XMutationResult { affectedCount: Int!  records: [X!]! }
 *        input  XInsertInput    insertable columns, all optional (DEFAULT)
 *        input  XUpdateInput    updatable columns, all optional
 *        enum   XColumn         updatable columns, UPPER_SNAKE_CASE
 *        enum   XConstraint     unique constraints, UPPER_SNAKE_CASE of the name
 *        input  XOnConflict     { constraint: XConstraint!  update: [XColumn!]!  filter: XFilter }
 *        Mutation.insertInto<Plural>(objects: [XInsertInput!]!, onConflict: XOnConflict)
 *        Mutation.update<Plural>(set: XUpdateInput!, filter: XFilter, atMost: Int! = 1)
 *        Mutation.deleteFrom<Plural>(filter: XFilter, atMost: Int! = 1)
 *      Each root field exists only with the privilege it needs; the
 *      Mutation type only when it has a field.
 *
 * Privileges are a schema property (the model is cached per role and
 * rebuilt after GRANT/REVOKE); row-level security and RBAC decide per row
 * when the statement runs as the caller.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "gql/gql.h"
#include "gql/mutation.h"

/* UPPER_SNAKE_CASE of a camelCase name: mainTid -> MAIN_TID, views7d -> VIEWS_7D. */
char *
gql_upper_snake(const char *field_name)
{
	StringInfoData s;
	const char *p;

	initStringInfo(&s);
	for (p = field_name; *p; p++)
	{
		bool is_upper = *p >= 'A' && *p <= 'Z';
		bool is_digit = *p >= '0' && *p <= '9';

		if (p > field_name && p[-1] != '_' &&
		    (is_upper || (is_digit && !(p[-1] >= '0' && p[-1] <= '9'))))
			appendStringInfoChar(&s, '_');
		appendStringInfoChar(&s, (*p >= 'a' && *p <= 'z') ? *p - 'a' + 'A' : *p);
	}
	return s.data;
}

/* The enum value of a constraint name, or NULL when it cannot be one. */
static char *
constraint_enum_name(const char *conname)
{
	char *name = pstrdup(conname);
	char *p;

	for (p = name; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = *p - 'a' + 'A';
	if (!gql_is_valid_name(name) || strcmp(name, "TRUE") == 0 || strcmp(name, "FALSE") == 0 ||
	    strcmp(name, "NULL") == 0)
		return NULL;
	return name;
}

static GqlTable *
table_by_oid(GqlModel *model, Oid oid)
{
	ListCell *lc;

	foreach (lc, model->tables)
		if (((GqlTable *) lfirst(lc))->oid == oid)
			return lfirst(lc);
	return NULL;
}

static int
column_index(GqlTable *t, int16 attnum)
{
	int i;

	for (i = 0; i < t->ncolumns; i++)
		if (t->columns[i].attnum == attnum)
			return i;
	return -1;
}

/* May the table be written through GraphQL at all (before privileges)? */
static bool
is_writable_kind(GqlTable *t)
{
	GraphqlValue *v;

	if (t->is_view)
		return false;
	v = t->directive ? gql_object_get(t->directive, "mutations") : NULL;
	return !(v && v->kind == GRAPHQL_VALUE_BOOLEAN && !v->boolean);
}

/* Phase 1: write privileges, writable columns and arbiter constraints. */
void
gql_reflect_writes(GqlModel *model)
{
	MemoryContext model_cxt = CurrentMemoryContext;
	Datum *oids;
	int n = 0;
	ListCell *lc;
	Oid argtype = OIDARRAYOID;
	Datum arg;
	uint64 r;
	bool isnull;

	oids = palloc(sizeof(Datum) * (list_length(model->tables) + 1));
	foreach (lc, model->tables)
	{
		GqlTable *t = lfirst(lc);

		if (is_writable_kind(t))
			oids[n++] = ObjectIdGetDatum(t->oid);
	}
	if (n == 0)
		return;
	arg = PointerGetDatum(construct_array(oids, n, OIDOID, sizeof(Oid), true, TYPALIGN_INT));

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "uphub graphql: SPI_connect failed");

	if (SPI_execute_with_args(
	        "SELECT c.oid, pg_catalog.has_any_column_privilege(c.oid, 'INSERT'), "
	        "pg_catalog.has_any_column_privilege(c.oid, 'UPDATE'), "
	        "pg_catalog.has_table_privilege(c.oid, 'DELETE') FROM pg_catalog.pg_class c "
	        "WHERE c.oid = ANY ($1) AND c.relkind IN ('r', 'p')",
	        1, &argtype, &arg, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "uphub graphql: catalog query failed");
	MemoryContextSwitchTo(model_cxt);
	for (r = 0; r < SPI_processed; r++)
	{
		HeapTuple tup = SPI_tuptable->vals[r];
		TupleDesc desc = SPI_tuptable->tupdesc;
		GqlTable *t = table_by_oid(model, DatumGetObjectId(SPI_getbinval(tup, desc, 1, &isnull)));
		GqlTableWrite *w;

		if (t == NULL)
			continue;
		w = palloc0(sizeof(GqlTableWrite));
		w->can_insert = DatumGetBool(SPI_getbinval(tup, desc, 2, &isnull));
		w->can_update = DatumGetBool(SPI_getbinval(tup, desc, 3, &isnull));
		w->can_delete = DatumGetBool(SPI_getbinval(tup, desc, 4, &isnull));
		w->insertable = palloc0(sizeof(bool) * (t->ncolumns + 1));
		w->updatable = palloc0(sizeof(bool) * (t->ncolumns + 1));
		w->column_enum = palloc0(sizeof(char *) * (t->ncolumns + 1));
		w->constraints = palloc0(sizeof(GqlConstraint) * (t->nuniques + 2));
		if (w->can_insert || w->can_update || w->can_delete)
			t->write = w;
	}

	if (SPI_execute_with_args(
	        "SELECT a.attrelid, a.attnum, pg_catalog.has_column_privilege(a.attrelid, a.attnum, "
	        "'INSERT'), pg_catalog.has_column_privilege(a.attrelid, a.attnum, 'UPDATE'), "
	        "a.attgenerated <> '' OR a.attidentity = 'a' FROM pg_catalog.pg_attribute a "
	        "WHERE a.attrelid = ANY ($1) AND a.attnum > 0 AND NOT a.attisdropped",
	        1, &argtype, &arg, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "uphub graphql: catalog query failed");
	MemoryContextSwitchTo(model_cxt); /* SPI calls return in SPI's own context */
	for (r = 0; r < SPI_processed; r++)
	{
		HeapTuple tup = SPI_tuptable->vals[r];
		TupleDesc desc = SPI_tuptable->tupdesc;
		GqlTable *t = table_by_oid(model, DatumGetObjectId(SPI_getbinval(tup, desc, 1, &isnull)));
		int col;
		bool generated;

		if (t == NULL || t->write == NULL)
			continue;
		col = column_index(t, DatumGetInt16(SPI_getbinval(tup, desc, 2, &isnull)));
		if (col < 0)
			continue;
		generated = DatumGetBool(SPI_getbinval(tup, desc, 5, &isnull));
		t->write->insertable[col] =
		    !generated && DatumGetBool(SPI_getbinval(tup, desc, 3, &isnull));
		t->write->updatable[col] = !generated && DatumGetBool(SPI_getbinval(tup, desc, 4, &isnull));
	}

	if (SPI_execute_with_args("SELECT con.conrelid, con.conname::pg_catalog.text, con.conkey "
	                          "FROM pg_catalog.pg_constraint con WHERE con.conrelid = ANY ($1) "
	                          "AND con.contype IN ('p', 'u') ORDER BY con.conrelid, con.conname",
	                          1, &argtype, &arg, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "uphub graphql: catalog query failed");
	MemoryContextSwitchTo(model_cxt); /* SPI calls return in SPI's own context */
	for (r = 0; r < SPI_processed; r++)
	{
		HeapTuple tup = SPI_tuptable->vals[r];
		TupleDesc desc = SPI_tuptable->tupdesc;
		GqlTable *t = table_by_oid(model, DatumGetObjectId(SPI_getbinval(tup, desc, 1, &isnull)));
		char *conname = SPI_getvalue(tup, desc, 2);
		char *enum_name;
		ArrayType *keys;
		Datum *elems;
		int nelems;
		int i;
		bool visible = true;

		if (t == NULL || t->write == NULL)
			continue;
		keys = DatumGetArrayTypeP(SPI_getbinval(tup, desc, 3, &isnull));
		deconstruct_array(keys, INT2OID, 2, true, TYPALIGN_SHORT, &elems, NULL, &nelems);
		for (i = 0; i < nelems; i++)
			if (column_index(t, DatumGetInt16(elems[i])) < 0)
				visible = false;
		enum_name = constraint_enum_name(conname);
		if (!visible || enum_name == NULL || t->write->nconstraints >= t->nuniques + 2)
			continue;
		for (i = 0; i < t->write->nconstraints; i++)
			if (strcmp(t->write->constraints[i].enum_name, enum_name) == 0)
				visible = false;
		if (!visible)
			continue;
		t->write->constraints[t->write->nconstraints].enum_name = enum_name;
		t->write->constraints[t->write->nconstraints].quoted = pstrdup(quote_identifier(conname));
		t->write->nconstraints++;
	}
	SPI_finish();
	MemoryContextSwitchTo(model_cxt);
}

/* The GraphQL input type of a column's values (nullable: absent means DEFAULT). */
static char *
input_type(GqlColumn *c)
{
	const char *base = gql_scalar_name(c->scalar);

	return OidIsValid(c->elem_oid) ? psprintf("[%s]", base) : pstrdup(base);
}

static GqlFieldInfo *
mutation_info(GqlFieldKind kind, GqlTable *t)
{
	GqlFieldInfo *info = palloc0(sizeof(GqlFieldInfo));

	info->kind = kind;
	info->table = t;
	return info;
}

/* Input field of a column, carrying the column for translation. */
static void
add_column_input(GraphqlSchema *s, GraphqlType *input, GqlTable *t, GqlColumn *c)
{
	GraphqlInputValue *iv = graphql_input_object_add_field(s, input, c->field_name, input_type(c),
	                                                       NULL, c->description);
	GqlFieldInfo *info = mutation_info(GQL_F_COLUMN, t);

	info->column = c;
	iv->user_data = info;
}

/* The write types of one table (phase 2); returns whether a root field was added. */
static void
build_table_mutations(GqlModel *model, GqlTable *t, GraphqlType **mutation)
{
	GraphqlSchema *s = model->schema;
	GqlTableWrite *w = t->write;
	char *plural = pstrdup(t->plural);
	bool any_insertable = false;
	bool any_updatable = false;
	GraphqlField *f;
	int i;

	if (plural[0] >= 'a' && plural[0] <= 'z')
		plural[0] = plural[0] - 'a' + 'A';
	for (i = 0; i < t->ncolumns; i++)
	{
		any_insertable |= w->insertable[i];
		any_updatable |= w->updatable[i];
	}
	if (!(w->can_insert && any_insertable) && !(w->can_update && any_updatable) && !w->can_delete)
		return;
	if (*mutation == NULL)
	{
		*mutation = graphql_schema_add_object(s, "Mutation", "The root of every write.");
		graphql_schema_set_root(s, GRAPHQL_OPERATION_MUTATION, *mutation);
	}

	w->result_type = graphql_schema_add_object(
	    s, psprintf("%sMutationResult", t->type_name),
	    psprintf("The %s rows a mutation inserted, updated or deleted.", t->type_name));
	w->result_type->user_data = t;
	graphql_type_add_field(s, w->result_type, "affectedCount", "Int!",
	                       "How many rows the mutation changed.");
	graphql_type_add_field(s, w->result_type, "records", psprintf("[%s!]!", t->type_name),
	                       "The changed rows as they are after the mutation (deleted rows as "
	                       "they were), ordered by primary key.");

	if (w->can_update && any_updatable)
	{
		w->column_type =
		    graphql_schema_add_enum(s, psprintf("%sColumn", t->type_name),
		                            psprintf("A column of %s that may be updated.", t->type_name));
		w->update_type = graphql_schema_add_input_object(
		    s, psprintf("%sUpdateInput", t->type_name),
		    psprintf("New values for %s columns; absent columns keep their value.", t->type_name));
		for (i = 0; i < t->ncolumns; i++)
		{
			char *value;
			bool duplicate = false;
			GraphqlEnumValue *ev;

			if (!w->updatable[i])
				continue;
			add_column_input(s, w->update_type, t, &t->columns[i]);
			value = gql_upper_snake(t->columns[i].field_name);
			for (ev = w->column_type->enum_values; ev; ev = ev->next)
				if (strcmp(ev->name, value) == 0)
					duplicate = true;
			if (duplicate || strcmp(value, "TRUE") == 0 || strcmp(value, "FALSE") == 0 ||
			    strcmp(value, "NULL") == 0)
				continue;
			w->column_enum[i] = value;
			graphql_enum_add_value(s, w->column_type, value, t->columns[i].description);
		}
		if (w->column_type->enum_values == NULL)
			graphql_enum_add_value(s, w->column_type, "NONE", "No column can be named here.");
	}

	if (w->can_insert && any_insertable)
	{
		w->insert_type = graphql_schema_add_input_object(
		    s, psprintf("%sInsertInput", t->type_name),
		    psprintf("A new %s row; absent columns take their default.", t->type_name));
		for (i = 0; i < t->ncolumns; i++)
			if (w->insertable[i])
				add_column_input(s, w->insert_type, t, &t->columns[i]);
		if (w->nconstraints > 0 && w->column_type)
		{
			GraphqlType *constraint_type = graphql_schema_add_enum(
			    s, psprintf("%sConstraint", t->type_name),
			    psprintf("A unique constraint of %s, to detect conflicting rows.", t->type_name));

			for (i = 0; i < w->nconstraints; i++)
				graphql_enum_add_value(s, constraint_type, w->constraints[i].enum_name, NULL);
			w->conflict_type = graphql_schema_add_input_object(
			    s, psprintf("%sOnConflict", t->type_name),
			    psprintf("What to do with a new %s row whose unique key is taken.", t->type_name));
			graphql_input_object_add_field(s, w->conflict_type, "constraint",
			                               psprintf("%s!", constraint_type->name), NULL,
			                               "The unique constraint that detects the conflict.");
			graphql_input_object_add_field(s, w->conflict_type, "update",
			                               psprintf("[%s!]!", w->column_type->name), NULL,
			                               "Columns of the existing row to set from the new "
			                               "row; an empty list keeps the existing row.");
			graphql_input_object_add_field(s, w->conflict_type, "filter", t->filter_type->name,
			                               NULL,
			                               "Only existing rows matching the filter are "
			                               "updated; the others are left as they are.");
		}
		f = graphql_type_add_field(s, *mutation, psprintf("insertInto%s", plural),
		                           psprintf("%s!", w->result_type->name),
		                           psprintf("Insert %s rows, all or none.", t->type_name));
		f->user_data = mutation_info(GQL_F_INSERT, t);
		graphql_field_add_argument(s, f, "objects", psprintf("[%s!]!", w->insert_type->name), NULL,
		                           "The rows to insert.");
		if (w->conflict_type)
			graphql_field_add_argument(s, f, "onConflict", w->conflict_type->name, NULL,
			                           "Upsert: update (or keep) the existing row instead of "
			                           "failing.");
	}

	if (w->can_update && any_updatable)
	{
		f = graphql_type_add_field(
		    s, *mutation, psprintf("update%s", plural), psprintf("%s!", w->result_type->name),
		    psprintf("Update the %s rows matching the filter.", t->type_name));
		f->user_data = mutation_info(GQL_F_UPDATE, t);
		graphql_field_add_argument(s, f, "set", psprintf("%s!", w->update_type->name), NULL,
		                           "The new values.");
		graphql_field_add_argument(s, f, "filter", t->filter_type->name, NULL,
		                           "Only rows matching the filter (all rows when absent).");
		graphql_field_add_argument(s, f, "atMost", "Int!", "1",
		                           "Most rows the update may change; beyond it, it fails and "
		                           "changes nothing.");
	}

	if (w->can_delete)
	{
		f = graphql_type_add_field(
		    s, *mutation, psprintf("deleteFrom%s", plural), psprintf("%s!", w->result_type->name),
		    psprintf("Delete the %s rows matching the filter.", t->type_name));
		f->user_data = mutation_info(GQL_F_DELETE, t);
		graphql_field_add_argument(s, f, "filter", t->filter_type->name, NULL,
		                           "Only rows matching the filter (all rows when absent).");
		graphql_field_add_argument(s, f, "atMost", "Int!", "1",
		                           "Most rows the delete may remove; beyond it, it fails and "
		                           "removes nothing.");
	}
}

/* Phase 2: the Mutation root and the write types of every writable table. */
void
gql_build_mutations(GqlModel *model)
{
	GraphqlType *mutation = NULL;
	ListCell *lc;

	foreach (lc, model->tables)
	{
		GqlTable *t = lfirst(lc);

		if (t->write)
			build_table_mutations(model, t, &mutation);
	}
}
