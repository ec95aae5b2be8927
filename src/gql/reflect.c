/*
 * reflect.c — the catalog as a GraphQL model, cached per backend and role.
 *
 * Phases of a reflection (gql_reflect), all through SPI on pg_catalog:
 *   1. tables and views of the schemas in uphub.graphql_schemas that the
 *      current role may SELECT from (any column), partitions excluded;
 *      the extension's own objects only when their comment carries a
 *      directive (gql.sql gives one to each table of API.md's surface), so
 *      internal tables and views (stats, RBAC catalogs) stay out;
 *   2. their columns the role may SELECT, typed into GraphQL scalars;
 *   3. primary keys, unique constraints and foreign keys;
 *   4. comment directives: a comment may start with @graphql({...}); the
 *      rest of the comment is the description. Keys: tables "name",
 *      "plural", "omit", "lookup", "collection", "primary_key",
 *      "relations", "mutations" (read by build_mutation.c); columns "name", "omit"; foreign keys "local_name",
 *      "foreign_name" (false: no field on that side). A relation entry is
 *      {"columns": [...], "references": "table", "referenced_columns":
 *      [...], "name": ..., "foreign_name": ...}: it names the fields of a
 *      declared foreign key with the same columns, or declares a virtual
 *      one (DESIGN: keep relations across tables without cross-creator FKs);
 *   5. relations: a to-one field on the referencing type, and on the
 *      referenced type a to-many connection, or a to-one field when the
 *      referencing columns are unique.
 *
 * Cache: up to GQL_CACHE_SIZE models per backend, keyed by (role, schema
 * version, uphub.graphql_schemas). The schema version is a shared-memory
 * counter bumped by the event trigger uphub._gql_schema_changed() (DDL,
 * GRANT, COMMENT) and again when the bumping (sub)transaction ends, so a
 * backend that reflected the catalog before the commit sees the change
 * after it. Role membership changes arrive as syscache invalidations of
 * pg_auth_members / pg_authid and drop the local cache. Each model owns one
 * memory context under CacheMemoryContext.
 *
 * Locking: the counter is a pg_atomic_uint64; readers take no lock.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/event_trigger.h"
#include "common/jsonapi.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "port/atomics.h"
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"
#include "utils/typcache.h"
#include "utils/varlena.h"

#include "gql/gql.h"
#include "gql/mutation.h"
#include "uphub.h"

#define GQL_CACHE_SIZE 4

typedef struct GqlShared
{
	pg_atomic_uint64 version;
} GqlShared;

typedef struct GqlCacheEntry
{
	GqlModel *model;
	uint64 last_used;
} GqlCacheEntry;

static GqlShared *gql_shared = NULL;
static shmem_request_hook_type prev_shmem_request_hook = NULL;
static shmem_startup_hook_type prev_shmem_startup_hook = NULL;
static GqlCacheEntry gql_cache[GQL_CACHE_SIZE];
static uint64 gql_cache_clock = 0;
static uint64 gql_model_serial = 0;
static uint64 gql_local_generation = 0; /* bumped by syscache callbacks */
static bool gql_bump_pending = false;

/* Parsed relation declaration (from a foreign key or a directive). */
typedef struct RelationSpec
{
	GqlTable *source;
	GqlTable *target;
	int ncols;
	int *source_cols;
	int *target_cols;
	char *local_name; /* NULL: default */
	char *foreign_name;
	bool hide_local;
	bool hide_foreign;
	char *description;
} RelationSpec;

PG_FUNCTION_INFO_V1(uphub_gql_schema_changed);

/* Reserve the version counter. */
static void
gql_shmem_request(void)
{
	if (prev_shmem_request_hook)
		prev_shmem_request_hook();
	RequestAddinShmemSpace(MAXALIGN(sizeof(GqlShared)));
}

/* Create (or attach to) the version counter. */
static void
gql_shmem_startup(void)
{
	bool found;

	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();
	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	gql_shared = ShmemInitStruct("uphub graphql", sizeof(GqlShared), &found);
	if (!found)
		pg_atomic_init_u64(&gql_shared->version, 1);
	LWLockRelease(AddinShmemInitLock);
}

/* Advance the shared version so every backend re-reflects. */
static void
gql_bump_version(void)
{
	if (gql_shared)
		pg_atomic_fetch_add_u64(&gql_shared->version, 1);
	gql_local_generation++;
}

/* A DDL transaction ended: its change (or its undoing) is now visible. */
static void
gql_xact_callback(XactEvent event, void *arg)
{
	if (!gql_bump_pending)
		return;
	if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT ||
	    event == XACT_EVENT_PARALLEL_COMMIT || event == XACT_EVENT_PARALLEL_ABORT)
	{
		gql_bump_pending = false;
		gql_bump_version();
	}
}

/* A subtransaction with DDL rolled back: what it changed is gone again. */
static void
gql_subxact_callback(SubXactEvent event, SubTransactionId mySubid, SubTransactionId parentSubid,
                     void *arg)
{
	if (gql_bump_pending && event == SUBXACT_EVENT_ABORT_SUB)
		gql_bump_version();
}

/* Role memberships or attributes changed: privileges may differ now. */
static void
gql_role_callback(Datum arg, int cacheid, uint32 hashvalue)
{
	gql_local_generation++;
}

/* Hooks of the reflection cache; called from GqlInit. */
void
gql_shmem_init(void)
{
	if (uphub_is_preloaded)
	{
		prev_shmem_request_hook = shmem_request_hook;
		shmem_request_hook = gql_shmem_request;
		prev_shmem_startup_hook = shmem_startup_hook;
		shmem_startup_hook = gql_shmem_startup;
	}
	RegisterXactCallback(gql_xact_callback, NULL);
	RegisterSubXactCallback(gql_subxact_callback, NULL);
	CacheRegisterSyscacheCallback(AUTHMEMROLEMEM, gql_role_callback, (Datum) 0);
	CacheRegisterSyscacheCallback(AUTHOID, gql_role_callback, (Datum) 0);
}

/* Current schema version, combining the shared and the local counter. */
uint64
gql_schema_version(void)
{
	uint64 shared = gql_shared ? pg_atomic_read_u64(&gql_shared->version) : 0;

	return (shared << 20) ^ gql_local_generation;
}

/* Event trigger on ddl_command_end and sql_drop: the catalog changed. */
Datum
uphub_gql_schema_changed(PG_FUNCTION_ARGS)
{
	if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
		ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
		                errmsg("uphub._gql_schema_changed() must be called as an event trigger")));
	gql_bump_version();
	gql_bump_pending = true;
	PG_RETURN_NULL();
}

/*
 * The cached model for the current role, or NULL when it must be reflected:
 * looks only at this backend's cache (no catalog access, no SQL).
 */
GqlModel *
gql_model_cached(void)
{
	Oid role = GetUserId();
	uint64 version = gql_schema_version();
	const char *schemas = gql_schemas_guc ? gql_schemas_guc : "";
	int i;

	for (i = 0; i < GQL_CACHE_SIZE; i++)
	{
		GqlModel *m = gql_cache[i].model;

		if (m && m->role == role && m->version == version && strcmp(m->schemas, schemas) == 0)
		{
			gql_cache[i].last_used = ++gql_cache_clock;
			return m;
		}
	}
	return NULL;
}

/* Cached model for the current role, reflecting the catalog when needed. */
GqlModel *
gql_model_for_current_role(void)
{
	Oid role = GetUserId();
	uint64 version = gql_schema_version();
	const char *schemas = gql_schemas_guc ? gql_schemas_guc : "";
	int i;
	int victim = 0;
	GqlModel *model;
	MemoryContext cxt;
	MemoryContext old;

	model = gql_model_cached();
	if (model)
		return model;
	for (i = 0; i < GQL_CACHE_SIZE; i++)
	{
		if (gql_cache[i].model == NULL)
		{
			victim = i;
			break;
		}
		if (gql_cache[i].last_used < gql_cache[victim].last_used)
			victim = i;
	}

	/* Build under the caller's context; keep it only when complete. */
	cxt =
	    AllocSetContextCreate(CurrentMemoryContext, "uphub graphql schema", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(cxt);
	model = palloc0(sizeof(GqlModel));
	model->cxt = cxt;
	model->serial = ++gql_model_serial;
	model->role = role;
	model->version = version;
	model->schemas = pstrdup(schemas);
	gql_reflect(model);
	gql_reflect_writes(model);
	gql_build_schema(model);
	MemoryContextSwitchTo(old);
	MemoryContextSetParent(cxt, CacheMemoryContext);

	if (gql_cache[victim].model)
		MemoryContextDelete(gql_cache[victim].model->cxt);
	gql_cache[victim].model = model;
	gql_cache[victim].last_used = ++gql_cache_clock;
	return model;
}

/* ---------------------------------------------------------------------- */
/* Directives                                                               */
/* ---------------------------------------------------------------------- */

/*
 * Split a comment into its @graphql({...}) directive and the description.
 * A malformed directive is reported as a WARNING and ignored (it is the
 * administrator's, not the client's, mistake).
 */
static GraphqlValue *
parse_comment(const char *comment, char **description, const char *what)
{
	const char *p;
	const char *start;
	int depth = 0;
	bool in_string = false;
	GraphqlValue *directive = NULL;

	*description = NULL;
	if (comment == NULL)
		return NULL;
	p = comment;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (strncmp(p, "@graphql(", 9) != 0)
	{
		*description = pstrdup(comment);
		return NULL;
	}
	start = p + 9;
	for (p = start; *p; p++)
	{
		if (in_string)
		{
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '"')
				in_string = false;
		}
		else if (*p == '"')
			in_string = true;
		else if (*p == '{' || *p == '[')
			depth++;
		else if (*p == '}' || *p == ']')
		{
			if (--depth == 0)
			{
				p++;
				break;
			}
		}
	}
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (depth != 0 || *p != ')')
	{
		ereport(WARNING, (errmsg("ignoring malformed @graphql directive on %s", what)));
		*description = pstrdup(comment);
		return NULL;
	}
	{
		char *json = pnstrdup(start, p - start);
		JsonLexContext *lex =
		    makeJsonLexContextCstringLen(json, strlen(json), GetDatabaseEncoding(), true);

		if (pg_parse_json(lex, &nullSemAction) != JSON_SUCCESS)
			ereport(WARNING, (errmsg("ignoring malformed @graphql directive on %s", what),
			                  errdetail("The directive is not valid JSON.")));
		else
		{
			Jsonb *jb = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(json)));

			directive = gql_jsonb_to_value(&jb->root);
			if (directive->kind != GRAPHQL_VALUE_OBJECT)
			{
				ereport(WARNING, (errmsg("ignoring malformed @graphql directive on %s", what),
				                  errdetail("The directive must be a JSON object.")));
				directive = NULL;
			}
		}
	}
	p++;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (*p)
		*description = pstrdup(p);
	return directive;
}

/* A string-valued directive key, or NULL. */
static char *
directive_string(const GraphqlValue *directive, const char *key)
{
	GraphqlValue *v = directive ? gql_object_get(directive, key) : NULL;

	if (v && v->kind == GRAPHQL_VALUE_STRING)
		return pstrdup(v->text);
	return NULL;
}

/* A boolean directive key; dflt when absent. */
static bool
directive_bool(const GraphqlValue *directive, const char *key, bool dflt)
{
	GraphqlValue *v = directive ? gql_object_get(directive, key) : NULL;

	if (v && v->kind == GRAPHQL_VALUE_BOOLEAN)
		return v->boolean;
	return dflt;
}

/* Is the key present with the value false (meaning: no such field)? */
static bool
directive_is_false(const GraphqlValue *directive, const char *key)
{
	GraphqlValue *v = directive ? gql_object_get(directive, key) : NULL;

	return v && v->kind == GRAPHQL_VALUE_BOOLEAN && !v->boolean;
}

/* ---------------------------------------------------------------------- */
/* Catalog                                                                  */
/* ---------------------------------------------------------------------- */

/* The GraphQL scalar a column type maps to (API.md "Scalars"). */
static GqlScalar
scalar_for_type(Oid type)
{
	switch (type)
	{
		case INT2OID:
		case INT4OID:
			return GQL_INT;
		case INT8OID:
			return GQL_BIGINT;
		case NUMERICOID:
			return GQL_BIGFLOAT;
		case FLOAT4OID:
		case FLOAT8OID:
			return GQL_FLOAT;
		case BOOLOID:
			return GQL_BOOLEAN;
		case DATEOID:
			return GQL_DATE;
		case TIMESTAMPOID:
		case TIMESTAMPTZOID:
			return GQL_DATETIME;
		case JSONOID:
		case JSONBOID:
			return GQL_JSON;
		default:
			return GQL_STRING;
	}
}

static GqlTable *
find_table_by_oid(GqlModel *model, Oid oid)
{
	ListCell *lc;

	foreach (lc, model->tables)
	{
		GqlTable *t = lfirst(lc);

		if (t->oid == oid)
			return t;
	}
	return NULL;
}

/* A table named in a directive: "table" in the same schema, or "schema.table". */
static GqlTable *
find_table_by_name(GqlModel *model, const char *schema, const char *name)
{
	ListCell *lc;
	const char *dot = strchr(name, '.');

	foreach (lc, model->tables)
	{
		GqlTable *t = lfirst(lc);

		if (dot)
		{
			if (strncmp(t->schema_name, name, dot - name) == 0 &&
			    t->schema_name[dot - name] == '\0' && strcmp(t->rel_name, dot + 1) == 0)
				return t;
		}
		else if (strcmp(t->schema_name, schema) == 0 && strcmp(t->rel_name, name) == 0)
			return t;
	}
	return NULL;
}

static int
column_by_attnum(GqlTable *table, int16 attnum)
{
	int i;

	for (i = 0; i < table->ncolumns; i++)
		if (table->columns[i].attnum == attnum)
			return i;
	return -1;
}

static int
column_by_name(GqlTable *table, const char *name)
{
	int i;

	for (i = 0; i < table->ncolumns; i++)
		if (strcmp(table->columns[i].sql_name, name) == 0)
			return i;
	return -1;
}

/* Column indexes of an int2[] of attnums; false when one is not visible. */
static bool
attnums_to_columns(GqlTable *table, Datum array, int *ncols, int **cols)
{
	ArrayType *arr = DatumGetArrayTypeP(array);
	Datum *elems;
	int n;
	int i;

	deconstruct_array(arr, INT2OID, 2, true, TYPALIGN_SHORT, &elems, NULL, &n);
	*ncols = n;
	*cols = palloc(sizeof(int) * n);
	for (i = 0; i < n; i++)
	{
		(*cols)[i] = column_by_attnum(table, DatumGetInt16(elems[i]));
		if ((*cols)[i] < 0)
			return false;
	}
	return true;
}

/* Column indexes of a directive's list of column names. */
static bool
names_to_columns(GqlTable *table, const GraphqlValue *list, int *ncols, int **cols)
{
	GraphqlValue *item;
	int i = 0;

	if (list == NULL || list->kind != GRAPHQL_VALUE_LIST || list->count == 0)
		return false;
	*ncols = list->count;
	*cols = palloc(sizeof(int) * list->count);
	for (item = list->items; item; item = item->next)
	{
		if (item->kind != GRAPHQL_VALUE_STRING)
			return false;
		(*cols)[i] = column_by_name(table, item->text);
		if ((*cols)[i++] < 0)
			return false;
	}
	return true;
}

static bool
same_columns(int n, const int *a, const int *b)
{
	int i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* Do the columns cover the primary key or a unique constraint (so: at most one row)? */
static bool
columns_are_unique(GqlTable *table, int ncols, const int *cols)
{
	int k;

	for (k = -1; k < table->nuniques; k++)
	{
		GqlKey *key = k < 0 ? table->pk : &table->uniques[k];
		int i;
		int j;
		bool covered = true;

		if (key == NULL)
			continue;
		for (i = 0; i < key->ncols && covered; i++)
		{
			bool found = false;

			for (j = 0; j < ncols; j++)
				if (cols[j] == key->cols[i])
					found = true;
			covered = found;
		}
		if (covered)
			return true;
	}
	return false;
}

/* Is a field name already taken on the table's type? */
static bool
field_taken(GqlTable *table, const char *name)
{
	ListCell *lc;
	int i;

	for (i = 0; i < table->ncolumns; i++)
		if (strcmp(table->columns[i].field_name, name) == 0)
			return true;
	foreach (lc, table->relations)
		if (strcmp(((GqlRelation *) lfirst(lc))->field_name, name) == 0)
			return true;
	return strcmp(name, "__typename") == 0;
}

/* "By" + PascalCase of the columns: the suffix that disambiguates a relation. */
static char *
by_columns(GqlTable *table, int ncols, const int *cols)
{
	StringInfoData s;
	int i;

	initStringInfo(&s);
	appendStringInfoString(&s, "By");
	for (i = 0; i < ncols; i++)
		appendStringInfoString(&s, gql_pascal_case(table->columns[cols[i]].sql_name));
	return s.data;
}

/* Add one side of a relation, choosing a free name. */
static void
add_relation_field(GqlTable *holder, GqlTable *other, bool to_many, const char *explicit_name,
                   const char *default_name, int ncols, int *holder_cols, int *other_cols,
                   GqlTable *fk_table, int *fk_cols, const char *description)
{
	GqlRelation *rel;
	char *name;

	if (explicit_name)
		name = pstrdup(explicit_name);
	else
	{
		name = pstrdup(default_name);
		if (field_taken(holder, name))
			name = psprintf("%s%s", default_name, by_columns(fk_table, ncols, fk_cols));
	}
	if (!gql_is_valid_name(name) || field_taken(holder, name))
		return;
	rel = palloc0(sizeof(GqlRelation));
	rel->field_name = name;
	rel->source = holder;
	rel->target = other;
	rel->to_many = to_many;
	rel->ncols = ncols;
	rel->source_cols = holder_cols;
	rel->target_cols = other_cols;
	rel->description = description ? pstrdup(description) : NULL;
	holder->relations = lappend(holder->relations, rel);
}

/*
 * Turn the relation declarations into fields on both types. Two passes:
 * sides with an explicit name first, so a default name never takes it.
 */
static void
resolve_relations(List *specs)
{
	ListCell *lc;
	int pass;

	for (pass = 0; pass < 2; pass++)
	{
		foreach (lc, specs)
		{
			RelationSpec *s = lfirst(lc);
			bool reverse_unique = columns_are_unique(s->source, s->ncols, s->source_cols);

			if (!s->hide_local && (s->local_name != NULL) == (pass == 0))
				add_relation_field(
				    s->source, s->target, false, s->local_name,
				    gql_lower_first(s->target->type_name), s->ncols, s->source_cols, s->target_cols,
				    s->source, s->source_cols,
				    s->description ? s->description
				                   : psprintf("The %s this row references.", s->target->type_name));
			if (!s->hide_foreign && (s->foreign_name != NULL) == (pass == 0))
			{
				char *dflt = reverse_unique ? gql_lower_first(s->source->type_name)
				                            : gql_plural(gql_lower_first(s->source->type_name));

				add_relation_field(s->target, s->source, !reverse_unique, s->foreign_name, dflt,
				                   s->ncols, s->target_cols, s->source_cols, s->source,
				                   s->source_cols,
				                   psprintf(reverse_unique ? "The %s that references this row."
				                                           : "The %s rows that reference this row.",
				                            s->source->type_name));
			}
		}
	}
}

/* Run one catalog query with an oid[] or text[] parameter. */
static void
run_catalog_query(const char *sql, Oid argtype, Datum arg)
{
	if (SPI_execute_with_args(sql, 1, &argtype, &arg, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "uphub graphql: catalog query failed");
}

static char *
get_text(HeapTuple tuple, TupleDesc desc, int col)
{
	char *v = SPI_getvalue(tuple, desc, col);

	return v ? pstrdup(v) : NULL;
}

/* Read tables, columns, keys and relations of the exposed schemas (phases 1-5). */
void
gql_reflect(GqlModel *model)
{
	MemoryContext model_cxt = CurrentMemoryContext;
	List *schema_names = NIL;
	char *raw = pstrdup(model->schemas);
	Datum *names;
	int nnames;
	ListCell *lc;
	Datum *oids;
	int ntables;
	int i;
	List *specs = NIL;
	List *virtual_specs = NIL;

	if (!SplitIdentifierString(raw, ',', &schema_names))
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
		                errmsg("invalid list syntax in uphub.graphql_schemas")));
	nnames = list_length(schema_names);
	names = palloc(sizeof(Datum) * (nnames + 1));
	i = 0;
	foreach (lc, schema_names)
		names[i++] = CStringGetTextDatum((char *) lfirst(lc));

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "uphub graphql: SPI_connect failed");

	/* Phase 1: tables. */
	run_catalog_query(
	    "SELECT c.oid, n.nspname::pg_catalog.text, c.relname::pg_catalog.text, "
	    "c.relkind::pg_catalog.text, pg_catalog.obj_description(c.oid, 'pg_class'), "
	    "EXISTS (SELECT 1 FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_extension e "
	    "ON e.oid = d.refobjid WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass "
	    "AND d.objid = c.oid AND d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass "
	    "AND d.deptype = 'e' AND e.extname = 'uphub') "
	    "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
	    "WHERE n.nspname::pg_catalog.text = ANY ($1) AND c.relkind IN ('r','p','v','m','f') "
	    "AND NOT c.relispartition AND pg_catalog.has_schema_privilege(n.oid, 'USAGE') "
	    "AND pg_catalog.has_any_column_privilege(c.oid, 'SELECT') "
	    "ORDER BY pg_catalog.array_position($1, n.nspname::pg_catalog.text), c.relname",
	    TEXTARRAYOID,
	    PointerGetDatum(construct_array(names, nnames, TEXTOID, -1, false, TYPALIGN_INT)));
	{
		MemoryContext spi_cxt = MemoryContextSwitchTo(model_cxt);
		uint64 r;

		for (r = 0; r < SPI_processed; r++)
		{
			HeapTuple tup = SPI_tuptable->vals[r];
			TupleDesc desc = SPI_tuptable->tupdesc;
			GqlTable *t = palloc0(sizeof(GqlTable));
			char *comment = get_text(tup, desc, 5);
			GraphqlValue *directive;
			char *relkind = get_text(tup, desc, 4);
			char *name;
			ListCell *lc2;
			bool duplicate = false;
			bool is_internal;

			t->oid = DatumGetObjectId(SPI_getbinval(tup, desc, 1, &(bool){false}));
			t->schema_name = get_text(tup, desc, 2);
			t->rel_name = get_text(tup, desc, 3);
			t->is_view = relkind[0] == 'v' || relkind[0] == 'm' || relkind[0] == 'f';
			t->qualified =
			    psprintf("%s.%s", quote_identifier(t->schema_name), quote_identifier(t->rel_name));
			directive = parse_comment(comment, &t->description, psprintf("table %s", t->qualified));
			/* uphub's internal tables and views take part only when a directive asks */
			is_internal = DatumGetBool(SPI_getbinval(tup, desc, 6, &(bool){false}));
			if (directive_bool(directive, "omit", false) || (is_internal && directive == NULL))
				continue;
			name = directive_string(directive, "name");
			t->type_name = name ? name : gql_pascal_case(t->rel_name);
			if (!gql_is_valid_name(t->type_name))
				continue;
			foreach (lc2, model->tables)
				if (strcmp(((GqlTable *) lfirst(lc2))->type_name, t->type_name) == 0)
					duplicate = true;
			if (duplicate)
				continue;
			t->camel = gql_lower_first(t->type_name);
			name = directive_string(directive, "plural");
			t->plural = name ? name : gql_plural(t->camel);
			if (strcmp(t->plural, t->camel) == 0)
				t->plural = psprintf("%sCollection", t->camel);
			t->has_lookup = directive_bool(directive, "lookup", true);
			t->has_collection = directive_bool(directive, "collection", true);
			t->directive = directive;
			model->tables = lappend(model->tables, t);
		}
		MemoryContextSwitchTo(spi_cxt);
	}

	ntables = list_length(model->tables);
	if (ntables == 0)
	{
		SPI_finish();
		return;
	}
	oids = palloc(sizeof(Datum) * ntables);
	i = 0;
	foreach (lc, model->tables)
		oids[i++] = ObjectIdGetDatum(((GqlTable *) lfirst(lc))->oid);

	/* Phase 2: columns. */
	run_catalog_query(
	    "SELECT a.attrelid, a.attnum, a.attname::pg_catalog.text, a.atttypid, a.attnotnull, "
	    "pg_catalog.col_description(a.attrelid, a.attnum) "
	    "FROM pg_catalog.pg_attribute a WHERE a.attrelid = ANY ($1) AND a.attnum > 0 "
	    "AND NOT a.attisdropped AND pg_catalog.has_column_privilege(a.attrelid, a.attnum, "
	    "'SELECT') ORDER BY a.attrelid, a.attnum",
	    OIDARRAYOID,
	    PointerGetDatum(construct_array(oids, ntables, OIDOID, sizeof(Oid), true, TYPALIGN_INT)));
	{
		MemoryContext spi_cxt = MemoryContextSwitchTo(model_cxt);
		uint64 r;
		bool isnull;

		foreach (lc, model->tables)
		{
			GqlTable *t = lfirst(lc);

			t->columns = palloc0(sizeof(GqlColumn) * (SPI_processed + 1));
		}
		for (r = 0; r < SPI_processed; r++)
		{
			HeapTuple tup = SPI_tuptable->vals[r];
			TupleDesc desc = SPI_tuptable->tupdesc;
			GqlTable *t =
			    find_table_by_oid(model, DatumGetObjectId(SPI_getbinval(tup, desc, 1, &isnull)));
			GqlColumn *c;
			GraphqlValue *directive;
			char *name;
			Oid type;
			int j;
			bool duplicate = false;

			if (t == NULL)
				continue;
			c = &t->columns[t->ncolumns];
			c->attnum = DatumGetInt16(SPI_getbinval(tup, desc, 2, &isnull));
			c->sql_name = get_text(tup, desc, 3);
			c->quoted = pstrdup(quote_identifier(c->sql_name));
			type = getBaseType(DatumGetObjectId(SPI_getbinval(tup, desc, 4, &isnull)));
			c->not_null = DatumGetBool(SPI_getbinval(tup, desc, 5, &isnull));
			directive = parse_comment(get_text(tup, desc, 6), &c->description,
			                          psprintf("column %s.%s", t->qualified, c->quoted));
			if (directive_bool(directive, "omit", false))
				continue;
			name = directive_string(directive, "name");
			c->field_name = name ? name : gql_camel_case(c->sql_name);
			if (!gql_is_valid_name(c->field_name))
				continue;
			for (j = 0; j < t->ncolumns; j++)
				if (strcmp(t->columns[j].field_name, c->field_name) == 0)
					duplicate = true;
			if (duplicate)
				continue;
			c->type_oid = type;
			c->elem_oid = get_element_type(type);
			if (OidIsValid(c->elem_oid))
			{
				c->elem_oid = getBaseType(c->elem_oid);
				c->scalar = scalar_for_type(c->elem_oid);
			}
			else
			{
				TypeCacheEntry *tce = lookup_type_cache(type, TYPECACHE_LT_OPR);

				c->scalar = scalar_for_type(type);
				c->sortable = OidIsValid(tce->lt_opr) && c->scalar != GQL_JSON;
				c->is_text = type == TEXTOID || type == VARCHAROID;
			}
			t->ncolumns++;
		}
		MemoryContextSwitchTo(spi_cxt);
	}

	/* Phase 3: keys and foreign keys. */
	run_catalog_query(
	    "SELECT con.conrelid, con.contype::pg_catalog.text, con.conname::pg_catalog.text, "
	    "con.conkey, con.confrelid, con.confkey, pg_catalog.obj_description(con.oid, "
	    "'pg_constraint') FROM pg_catalog.pg_constraint con WHERE con.conrelid = ANY ($1) "
	    "AND con.contype IN ('p','u','f') AND con.conparentid = 0 "
	    "ORDER BY con.contype DESC, con.conrelid, con.conname",
	    OIDARRAYOID,
	    PointerGetDatum(construct_array(oids, ntables, OIDOID, sizeof(Oid), true, TYPALIGN_INT)));
	{
		MemoryContext spi_cxt = MemoryContextSwitchTo(model_cxt);
		uint64 r;
		bool isnull;

		foreach (lc, model->tables)
		{
			GqlTable *t = lfirst(lc);

			t->uniques = palloc0(sizeof(GqlKey) * (SPI_processed + 1));
		}
		for (r = 0; r < SPI_processed; r++)
		{
			HeapTuple tup = SPI_tuptable->vals[r];
			TupleDesc desc = SPI_tuptable->tupdesc;
			GqlTable *t =
			    find_table_by_oid(model, DatumGetObjectId(SPI_getbinval(tup, desc, 1, &isnull)));
			char *contype = get_text(tup, desc, 2);
			int ncols;
			int *cols;

			if (t == NULL ||
			    !attnums_to_columns(t, SPI_getbinval(tup, desc, 4, &isnull), &ncols, &cols))
				continue;
			if (contype[0] == 'p' || contype[0] == 'u')
			{
				GqlKey *key =
				    contype[0] == 'p' ? palloc0(sizeof(GqlKey)) : &t->uniques[t->nuniques++];

				key->ncols = ncols;
				key->cols = cols;
				if (contype[0] == 'p')
					t->pk = key;
			}
			else
			{
				GqlTable *target = find_table_by_oid(
				    model, DatumGetObjectId(SPI_getbinval(tup, desc, 5, &isnull)));
				RelationSpec *s;
				char *description;
				GraphqlValue *directive;
				int nt;
				int *tcols;

				if (target == NULL ||
				    !attnums_to_columns(target, SPI_getbinval(tup, desc, 6, &isnull), &nt, &tcols))
					continue;
				s = palloc0(sizeof(RelationSpec));
				s->source = t;
				s->target = target;
				s->ncols = ncols;
				s->source_cols = cols;
				s->target_cols = tcols;
				directive = parse_comment(get_text(tup, desc, 7), &description,
				                          psprintf("constraint %s", get_text(tup, desc, 3)));
				s->local_name = directive_string(directive, "local_name");
				s->foreign_name = directive_string(directive, "foreign_name");
				s->hide_local = directive_is_false(directive, "local_name");
				s->hide_foreign = directive_is_false(directive, "foreign_name");
				s->description = description;
				specs = lappend(specs, s);
			}
		}
		MemoryContextSwitchTo(spi_cxt);
	}
	SPI_finish();

	/* Phase 4: table directives (primary keys of views, relations). */
	foreach (lc, model->tables)
	{
		GqlTable *t = lfirst(lc);
		GraphqlValue *directive = t->directive;
		GraphqlValue *rels;
		GraphqlValue *item;
		int ncols;
		int *cols;

		if (directive == NULL)
			continue;
		if (t->pk == NULL &&
		    names_to_columns(t, gql_object_get(directive, "primary_key"), &ncols, &cols))
		{
			t->pk = palloc0(sizeof(GqlKey));
			t->pk->ncols = ncols;
			t->pk->cols = cols;
		}
		rels = gql_object_get(directive, "relations");
		if (rels == NULL || rels->kind != GRAPHQL_VALUE_LIST)
			continue;
		for (item = rels->items; item; item = item->next)
		{
			char *ref;
			GqlTable *target;
			RelationSpec *s = NULL;
			ListCell *lc2;
			int nt;
			int *tcols;

			if (item->kind != GRAPHQL_VALUE_OBJECT)
				continue;
			ref = directive_string(item, "references");
			target = ref ? find_table_by_name(model, t->schema_name, ref) : NULL;
			if (target == NULL ||
			    !names_to_columns(t, gql_object_get(item, "columns"), &ncols, &cols))
				continue;
			if (gql_object_get(item, "referenced_columns"))
			{
				if (!names_to_columns(target, gql_object_get(item, "referenced_columns"), &nt,
				                      &tcols))
					continue;
			}
			else if (target->pk)
			{
				nt = target->pk->ncols;
				tcols = target->pk->cols;
			}
			else
				continue;
			if (nt != ncols)
				continue;
			foreach (lc2, specs)
			{
				RelationSpec *f = lfirst(lc2);

				if (f->source == t && f->target == target && f->ncols == ncols &&
				    same_columns(ncols, f->source_cols, cols) &&
				    same_columns(ncols, f->target_cols, tcols))
					s = f;
			}
			if (s == NULL)
			{
				s = palloc0(sizeof(RelationSpec));
				s->source = t;
				s->target = target;
				s->ncols = ncols;
				s->source_cols = cols;
				s->target_cols = tcols;
				virtual_specs = lappend(virtual_specs, s);
			}
			if (directive_string(item, "name"))
				s->local_name = directive_string(item, "name");
			if (directive_string(item, "foreign_name"))
				s->foreign_name = directive_string(item, "foreign_name");
			if (directive_is_false(item, "name"))
				s->hide_local = true;
			if (directive_is_false(item, "foreign_name"))
				s->hide_foreign = true;
		}
	}

	/* Phase 5: relation fields; explicit names first so defaults yield to them. */
	resolve_relations(list_concat(specs, virtual_specs));
}
