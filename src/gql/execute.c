/*
 * execute.c — uphub.graphql(query, variables, operation_name, extensions).
 *
 * Phases of a request, each in the request's own memory context:
 *   1. the schema of the calling role (reflect.c cache);
 *   2. parse, validate (§5), select the operation (§6.1), check the
 *      complexity limits, coerce the variables (§6.1.2) — any problem here
 *      is a request error: {"errors": [...]}, no data;
 *   3. collect the root fields (§6.3.2) and run each in its own
 *      subtransaction: introspection fields from the schema model, every
 *      other field as one SQL statement (translate.c) through SPI. An
 *      error in one root field makes that field null and adds an error;
 *      the others keep their data;
 *   4. assemble {"data": ..., "errors": [...]} and return it as jsonb.
 *
 * Errors: SQL errors are caught only at ERROR level; FATAL (e.g.
 * pg_terminate_backend) exits as usual. A query cancel or statement_timeout
 * (57014) becomes the error of the field that was running, and the fields
 * after it are not run (they report the same error), so a timeout still
 * ends the request promptly.
 *
 * Runs as the caller (SECURITY INVOKER): privileges and row-level security
 * of the calling role apply to every statement. search_path is pinned to
 * pg_catalog, the exposed schemas, pg_temp, so objects in the caller's other
 * schemas (a planted public.=) never take part: from the first step that can
 * resolve a name (reflection, a document not in the cache, a mutation,
 * introspection, more than one statement) to the end of the request. A
 * cached document with a single statement is pinned inside that statement's
 * subtransaction instead (translation, binding, planning and execution all
 * run there), and the end of the subtransaction restores the caller's path
 * in the pass over the GUCs it makes anyway: one GUC nest level and one such
 * pass fewer per request. What runs before it on that path is C over cached
 * structures (the document, the model, variable coercion, field collection)
 * plus RBAC's cache, which reloads under its own pinned path.
 */
#include "postgres.h"

#include "access/xact.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/resowner.h"
#include "utils/timestamp.h"

#include "errors.h"
#include "gql/gql.h"
#include "gql/mutation.h"
#include "stats/stats.h"
#include "uphub.h"

char *gql_schemas_guc = NULL;
int gql_max_rows = 100;
int gql_max_depth = 12;
int gql_max_fields = 2000;
bool gql_introspection = true;

PG_FUNCTION_INFO_V1(uphub_graphql);

/* GUCs and the reflection cache's hooks. */
void
GqlInit(void)
{
	DefineCustomStringVariable(
	    "uphub.graphql_schemas", "Schemas reflected into the GraphQL API, comma separated.", NULL,
	    &gql_schemas_guc, "uphub", PGC_SUSET, GUC_LIST_INPUT, NULL, NULL, NULL);
	DefineCustomIntVariable("uphub.graphql_max_rows",
	                        "Most rows of one GraphQL page; first and last are clamped to it.",
	                        NULL, &gql_max_rows, 100, 1, 1000000, PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("uphub.graphql_max_depth",
	                        "Deepest selection a GraphQL operation may have.", NULL, &gql_max_depth,
	                        12, 1, 1000, PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("uphub.graphql_max_fields",
	                        "Most fields one GraphQL operation may select, fragments expanded.",
	                        NULL, &gql_max_fields, 2000, 1, 1000000, PGC_SUSET, 0, NULL, NULL,
	                        NULL);
	DefineCustomBoolVariable("uphub.graphql_introspection",
	                         "Answer GraphQL introspection (__schema, __type).", NULL,
	                         &gql_introspection, true, PGC_SUSET, 0, NULL, NULL, NULL);
	gql_shmem_init();
	gql_cache_init();
}

/* Library errors as request errors of the given code. */
static void
add_library_errors(GqlRequest *req, GraphqlError *errors, GqlErrorCode code)
{
	GraphqlError *e;

	for (e = errors; e; e = e->next)
	{
		GqlError *ge =
		    gql_error_new(e->kind == GRAPHQL_ERROR_LIMIT ? GQL_E_TOO_COMPLEX : code, e->message);
		uint32 i;

		for (i = 0; i < e->location_count; i++)
			gql_error_add_location(ge, e->locations[i]);
		req->errors = lappend(req->errors, ge);
	}
}

/* The error of a root field from a caught ErrorData. */
GqlError *
gql_field_error(ErrorData *edata, GqlFieldGroup *group, GqlStatement *st)
{
	GqlError *e;
	GqlPathElem *path = palloc0(sizeof(GqlPathElem));
	int code = edata->sqlerrcode;

	if (code == ERRCODE_UPHUB_GRAPHQL_BAD_INPUT)
	{
		e = gql_error_new(GQL_E_BAD_USER_INPUT, edata->message);
		gql_error_add_location(e, st->error_location.line ? st->error_location : group->first->loc);
	}
	else
	{
		if (code == ERRCODE_INSUFFICIENT_PRIVILEGE)
			e = gql_error_new(GQL_E_FORBIDDEN, edata->message);
		else if (ERRCODE_TO_CATEGORY(code) == ERRCODE_DATA_EXCEPTION && !st->executing)
			e = gql_error_new(GQL_E_BAD_USER_INPUT, edata->message); /* a value we bound */
		else if ((ERRCODE_TO_CATEGORY(code) == ERRCODE_DATA_EXCEPTION ||
		          ERRCODE_TO_CATEGORY(code) == ERRCODE_INTEGRITY_CONSTRAINT_VIOLATION) &&
		         st->req->operation && st->req->operation->operation == GRAPHQL_OPERATION_MUTATION)
			/* a written value the table refuses: a duplicate key, a check, a bad value */
			e = gql_error_new(GQL_E_BAD_USER_INPUT, edata->message);
		else
			e = gql_error_new(GQL_E_INTERNAL, edata->message);
		strlcpy(e->sqlstate, unpack_sql_state(code), sizeof(e->sqlstate));
		gql_error_add_location(e, group->first->loc);
	}
	path->key = group->key;
	e->path = list_make1(path);
	return e;
}

/* Pin search_path for the rest of the request (once; see the file comment). */
static void
request_pin(GqlRequest *req)
{
	if (req->pin_level == 0)
		req->pin_level = uphub_pin_search_path(gql_schemas_guc);
}

/*
 * Run one root field in a subtransaction. Returns its JSON text (NULL for
 * null); on failure sets *error. Unless the request is pinned already, the
 * path is pinned inside the subtransaction, whose end restores it.
 */
static char *
run_root_field(GqlRequest *req, GqlFieldGroup *group, int root_index, GqlError **error)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	GqlStatement *st = palloc0(sizeof(GqlStatement));
	char *volatile result = NULL;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		int rc;

		if (req->pin_level == 0)
			uphub_pin_search_path_in_subxact(gql_schemas_guc);
		gql_statement_init(st, req);
		if (gql_me_is_field(group->def))
			gql_me_sql(st, group);
		else if (!gql_recipe_bind(st, root_index, group))
		{
			gql_translate_root_field(st, group);
			gql_recipe_store(st, root_index);
		}
		elog(DEBUG1, "uphub graphql: %s", st->sql.data);
		st->executing = true;
		rc = gql_plan_execute(st);
		MemoryContextSwitchTo(cxt);
		if (rc != SPI_OK_SELECT)
			elog(ERROR, "uphub graphql: unexpected SPI result %d", rc);
		if (SPI_processed > 0)
		{
			bool isnull;
			Datum d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);

			if (!isnull)
				result = text_to_cstring(DatumGetTextPP(d));
		}
		SPI_freetuptable(SPI_tuptable);
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
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
		*error = gql_field_error(edata, group, st);
		result = NULL;
	}
	PG_END_TRY();
	return result;
}

/* Execute the collected root fields; append "data" members to out. */
static void
execute_root_fields(GqlRequest *req, StringInfo out, List *fields)
{
	ListCell *lc;
	GqlError *canceled = NULL;
	bool connected = false;
	int statements = 0;
	bool introspection = false;

	/*
	 * One statement and nothing else that reads the catalog: its own
	 * subtransaction carries the pin (run_root_field). Otherwise (more
	 * statements, or introspection), or when the request is pinned
	 * already, one pin for the whole request.
	 */
	foreach (lc, fields)
	{
		GqlFieldGroup *group = lfirst(lc);

		if (group->is_typename)
			continue;
		if (strcmp(group->def->name, "__schema") == 0 || strcmp(group->def->name, "__type") == 0)
			introspection = true;
		else
			statements++;
	}
	if (statements > 1 || introspection)
		request_pin(req);

	foreach (lc, fields)
	{
		GqlFieldGroup *group = lfirst(lc);
		int root_index = foreach_current_index(lc);

		if (lc != list_head(fields))
			appendStringInfoString(out, ", ");
		gql_json_string(out, group->key);
		appendStringInfoString(out, ": ");
		if (group->is_typename)
		{
			appendStringInfoString(out, "\"Query\"");
			continue;
		}
		if (strcmp(group->def->name, "__schema") == 0 || strcmp(group->def->name, "__type") == 0)
		{
			gql_introspect_field(req, out, group);
			continue;
		}
		if (canceled)
		{
			GqlError *e = gql_error_new(canceled->code, canceled->message);
			GqlPathElem *path = palloc0(sizeof(GqlPathElem));

			memcpy(e->sqlstate, canceled->sqlstate, sizeof(e->sqlstate));
			gql_error_add_location(e, group->first->loc);
			path->key = group->key;
			e->path = list_make1(path);
			req->errors = lappend(req->errors, e);
			appendStringInfoString(out, "null");
			continue;
		}
		if (!connected)
		{
			if (SPI_connect() != SPI_OK_CONNECT)
				elog(ERROR, "uphub graphql: SPI_connect failed");
			MemoryContextSwitchTo(req->cxt);
			connected = true;
		}
		{
			GqlError *error = NULL;
			char *json = run_root_field(req, group, root_index, &error);

			if (error)
			{
				req->errors = lappend(req->errors, error);
				if (strcmp(error->sqlstate, "57014") == 0)
					canceled = error;
			}
			else
				req->rows++;
			appendStringInfoString(out, json ? json : "null");
		}
	}
	if (connected)
	{
		SPI_finish();
		MemoryContextSwitchTo(req->cxt);
	}
}

/* Parse, validate, coerce and execute one request; returns the response text or NULL. */
static char *
handle_request(GqlRequest *req, const char *query, size_t query_len, Jsonb *variables,
               const char *operation_name)
{
	GraphqlError *errors = NULL;
	GraphqlParseLimits parse_limits = {0};
	GraphqlValidateOptions options = {0};
	GraphqlComplexityLimits limits = {0};
	List *roots;
	StringInfoData out;
	ListCell *lc;

	req->model = gql_model_cached();
	if (req->model == NULL)
	{
		request_pin(req); /* reflection runs SQL */
		req->model = gql_model_for_current_role();
	}
	req->visibility = gql_visibility_for(req);
	if (gql_doc_cache_lookup(req, query, query_len, operation_name))
		goto coerce; /* no catalog access until the root fields run */
	request_pin(req);
	query = gql_doc_cache_begin(req, query, query_len);

	parse_limits.max_bytes = gql_max_document_bytes;
	parse_limits.max_tokens = gql_max_tokens;
	req->doc = graphql_parse(gql_request_arena(req), query, query_len, &parse_limits, &errors);
	if (req->doc == NULL)
	{
		add_library_errors(req, errors, GQL_E_PARSE);
		return NULL;
	}
	options.disable_introspection = !gql_introspection;
	options.visibility = req->visibility;
	errors = graphql_validate(req->arena, req->model->schema, req->doc, &options);
	if (errors)
	{
		add_library_errors(req, errors, GQL_E_VALIDATION);
		return NULL;
	}
	req->queryid = graphql_document_hash(req->arena, req->doc);
	req->operation = graphql_get_operation(req->arena, req->doc, operation_name, &errors);
	if (req->operation == NULL)
	{
		add_library_errors(req, errors, GQL_E_BAD_USER_INPUT);
		return NULL;
	}
	req->operation_type = req->operation->operation == GRAPHQL_OPERATION_QUERY ? "query"
	                      : req->operation->operation == GRAPHQL_OPERATION_MUTATION
	                          ? "mutation"
	                          : "subscription";
	if (graphql_schema_root(req->model->schema, req->operation->operation) == NULL ||
	    req->operation->operation == GRAPHQL_OPERATION_SUBSCRIPTION)
	{
		GraphqlLocation loc = req->operation->loc;

		gql_request_error(req, GQL_E_VALIDATION,
		                  psprintf("Schema is not configured to execute %s operation.",
		                           req->operation->operation == GRAPHQL_OPERATION_MUTATION
		                               ? "mutation"
		                               : "subscription"),
		                  &loc);
		return NULL;
	}
	limits.max_depth = gql_max_depth;
	limits.max_fields = gql_max_fields;
	limits.max_aliases_per_field = gql_max_aliases;
	limits.ignore_introspection = true;
	errors = graphql_check_complexity(req->arena, req->doc, req->operation, &limits);
	if (errors)
	{
		add_library_errors(req, errors, GQL_E_TOO_COMPLEX);
		return NULL;
	}
	gql_doc_cache_store(req, operation_name);
coerce:
	if (!gql_coerce_variables(req, variables))
		return NULL;

	roots =
	    gql_collect_fields(req, graphql_schema_root(req->model->schema, req->operation->operation),
	                       list_make1(req->operation->selections));
	initStringInfo(&out);
	appendStringInfoString(&out, "{\"data\": ");
	if (req->operation->operation == GRAPHQL_OPERATION_MUTATION)
	{
		request_pin(req);
		gql_execute_mutation(req, &out, roots); /* one unit: its data, or null */
	}
	else
	{
		appendStringInfoChar(&out, '{');
		execute_root_fields(req, &out, roots);
		appendStringInfoChar(&out, '}');
	}
	if (req->errors != NIL)
	{
		appendStringInfoString(&out, ", \"errors\": [");
		foreach (lc, req->errors)
		{
			if (lc != list_head(req->errors))
				appendStringInfoString(&out, ", ");
			gql_append_error_json(&out, lfirst(lc));
		}
		appendStringInfoChar(&out, ']');
	}
	appendStringInfoChar(&out, '}');
	return out.data;
}

/*
 * The operation name a request is counted under in uphub.stats: the selected
 * operation's; before one is selected (a request error), the name asked for,
 * else the name of the document's only operation. NULL: __anonymous__.
 */
static const char *
stats_operation_name(GqlRequest *req, const char *operation_name)
{
	const GraphqlDefinition *def;
	const GraphqlDefinition *only = NULL;

	if (req->operation)
		return req->operation->name;
	if (operation_name)
		return operation_name;
	if (req->doc == NULL)
		return NULL;
	for (def = req->doc->definitions; def; def = def->next)
	{
		if (def->kind != GRAPHQL_DEFINITION_OPERATION)
			continue;
		if (only)
			return NULL;
		only = def;
	}
	return only ? only->name : NULL;
}

/* SQL entry point: uphub.graphql(text, jsonb, text, jsonb) RETURNS jsonb. */
Datum
uphub_graphql(PG_FUNCTION_ARGS)
{
	MemoryContext caller = CurrentMemoryContext;
	MemoryContext cxt;
	GqlRequest *req;
	text *query;
	char *operation_name;
	char *response;
	Jsonb *result;
	TimestampTz start;
	TimestampTz end;
	long secs;
	int usecs;

	uphub_require_preload();
	start = GetCurrentTimestamp();
	cxt = AllocSetContextCreate(caller, "uphub graphql request", ALLOCSET_DEFAULT_SIZES);
	MemoryContextSwitchTo(cxt);
	req = palloc0(sizeof(GqlRequest));
	req->cxt = cxt;
	operation_name = PG_ARGISNULL(2) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(2));

	query = PG_ARGISNULL(0) ? NULL : PG_GETARG_TEXT_PP(0);
	if (query == NULL && PG_ARGISNULL(3))
	{
		gql_request_error(req, GQL_E_BAD_USER_INPUT,
		                  "GraphQL operations must contain a non-empty `query`.", NULL);
		response = NULL;
	}
	else if (!gql_persisted_resolve(req, &query, PG_ARGISNULL(3) ? NULL : PG_GETARG_JSONB_P(3)))
		response = NULL;
	else
	{
		/* Reflection and generated SQL resolve names as uphub means them (request_pin). */
		response = handle_request(req, VARDATA_ANY(query), VARSIZE_ANY_EXHDR(query),
		                          PG_ARGISNULL(1) ? NULL : PG_GETARG_JSONB_P(1), operation_name);
		if (req->pin_level != 0)
			uphub_unpin_search_path(req->pin_level);
	}

	MemoryContextSwitchTo(caller);
	if (response)
		result = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(response)));
	else
		result = gql_errors_response(req->errors);
	end = GetCurrentTimestamp();
	TimestampDifference(start, end, &secs, &usecs);
	stats_graphql_request(req->queryid, stats_operation_name(req, operation_name),
	                      req->operation_type, req->errors == NIL, req->rows,
	                      secs + usecs / 1000000.0, end);
	MemoryContextDelete(cxt);
	PG_RETURN_JSONB_P(result);
}
