/*
 * response.c — the response envelope of GraphQL (spec October 2021, §7).
 *
 * A request error (syntax, validation, unknown operation, bad variables,
 * limits) answers {"errors": [...]} with no "data" key; execution errors
 * answer {"data": ..., "errors": [...]}; "errors" is left out when there are
 * none. An error object carries message, locations (1-based line and
 * column) when it maps to the document, path (response keys and 0-based
 * indices) when it maps to a response field, and extensions.code
 * (API.md), plus extensions.sqlstate for errors raised by SQL.
 *
 * The envelope is written as JSON text and turned into jsonb once, by the
 * caller, so field values produced by SQL are copied only once.
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "gql/gql.h"

static const char *const code_names[] = {
    "GRAPHQL_PARSE_FAILED",
    "GRAPHQL_VALIDATION_FAILED",
    "BAD_USER_INPUT",
    "FORBIDDEN",
    "TOO_COMPLEX",
    "INTERNAL_SERVER_ERROR",
    "PERSISTED_QUERY_NOT_FOUND",
};

/* The extensions.code of an error. */
const char *
gql_code_name(GqlErrorCode code)
{
	return code_names[code];
}

/* A new error without location or path. */
GqlError *
gql_error_new(GqlErrorCode code, const char *message)
{
	GqlError *e = palloc0(sizeof(GqlError));

	e->code = code;
	e->message = pstrdup(message);
	return e;
}

/* Add a document location (ignored when unknown, line 0). */
void
gql_error_add_location(GqlError *error, GraphqlLocation loc)
{
	if (loc.line == 0)
		return;
	if (error->locations == NULL)
		error->locations = palloc(sizeof(GraphqlLocation) * 4);
	else if (error->nlocations % 4 == 0)
		error->locations =
		    repalloc(error->locations, sizeof(GraphqlLocation) * (error->nlocations + 4));
	error->locations[error->nlocations++] = loc;
}

/* Record a request-level error. */
void
gql_request_error(GqlRequest *req, GqlErrorCode code, const char *message, GraphqlLocation *loc)
{
	GqlError *e = gql_error_new(code, message);

	if (loc)
		gql_error_add_location(e, *loc);
	req->errors = lappend(req->errors, e);
}

/* One error object as JSON. */
void
gql_append_error_json(StringInfo out, GqlError *error)
{
	int i;
	ListCell *lc;

	appendStringInfoString(out, "{\"message\": ");
	gql_json_string(out, error->message);
	if (error->nlocations > 0)
	{
		appendStringInfoString(out, ", \"locations\": [");
		for (i = 0; i < error->nlocations; i++)
			appendStringInfo(out, "%s{\"line\": %u, \"column\": %u}", i ? ", " : "",
			                 error->locations[i].line, error->locations[i].column);
		appendStringInfoChar(out, ']');
	}
	if (error->path != NIL)
	{
		appendStringInfoString(out, ", \"path\": [");
		foreach (lc, error->path)
		{
			GqlPathElem *p = lfirst(lc);

			if (lc != list_head(error->path))
				appendStringInfoString(out, ", ");
			if (p->key)
				gql_json_string(out, p->key);
			else
				appendStringInfo(out, "%d", p->index);
		}
		appendStringInfoChar(out, ']');
	}
	appendStringInfo(out, ", \"extensions\": {\"code\": \"%s\"", gql_code_name(error->code));
	if (error->sqlstate[0])
		appendStringInfo(out, ", \"sqlstate\": \"%s\"", error->sqlstate);
	appendStringInfoString(out, "}}");
}

/* {"errors": [...]}: the answer to a request that did not execute. */
Jsonb *
gql_errors_response(List *errors)
{
	StringInfoData out;
	ListCell *lc;

	initStringInfo(&out);
	appendStringInfoString(&out, "{\"errors\": [");
	foreach (lc, errors)
	{
		if (lc != list_head(errors))
			appendStringInfoString(&out, ", ");
		gql_append_error_json(&out, lfirst(lc));
	}
	appendStringInfoString(&out, "]}");
	return DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(out.data)));
}
