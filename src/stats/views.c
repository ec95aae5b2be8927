/*
 * views.c — the SQL face of the stats: the functions behind the views
 * uphub.stats and uphub.counters, uphub.metrics(), uphub.stats_reset(),
 * uphub.stats_record_ingest() and the test hooks uphub._stats_test_*().
 *
 * Who may read: superusers, members of pg_read_all_stats, and principals
 * whose RBAC grants "metrics.read" (asked through uphub.check_access(text,
 * bigint) when that function exists — it is looked up at each call, so this
 * works before and after the RBAC subsystem is installed). Resetting needs a
 * superuser or both "metrics.read" and "rbac.admin".
 *
 * Every reader takes one snapshot (store.c) and formats it outside any lock.
 */
#include "postgres.h"

#include "catalog/pg_authid.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "parser/parse_func.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/regproc.h"
#include "utils/timestamp.h"
#include "utils/float.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"

#include "errors.h"
#include "stats/stats.h"
#include "stats/stats_internal.h"

PG_FUNCTION_INFO_V1(uphub_stats_operations);
PG_FUNCTION_INFO_V1(uphub_stats_counters);
PG_FUNCTION_INFO_V1(uphub_metrics);
PG_FUNCTION_INFO_V1(uphub_stats_reset);
PG_FUNCTION_INFO_V1(uphub_stats_record_ingest);
PG_FUNCTION_INFO_V1(uphub_stats_test_graphql_request);
PG_FUNCTION_INFO_V1(uphub_stats_test_rbac_check);
PG_FUNCTION_INFO_V1(uphub_stats_test_refresh_run);
PG_FUNCTION_INFO_V1(uphub_stats_test_aggregate_lag);
PG_FUNCTION_INFO_V1(uphub_stats_test_plan_cache);
PG_FUNCTION_INFO_V1(uphub_stats_test_format_value);

/*
 * Ask RBAC, if installed, whether the current principal holds a permission
 * globally; false when uphub.check_access(text, bigint) does not exist.
 */
static bool
stats_rbac_allows(const char *permission)
{
	Oid argtypes[2] = {TEXTOID, INT8OID};
	Oid fn;
	FmgrInfo flinfo;
	LOCAL_FCINFO(fcinfo, 2);
	Datum result;

	fn = LookupFuncName(stringToQualifiedNameList("uphub.check_access"), 2, argtypes, true);
	if (!OidIsValid(fn))
		return false;
	fmgr_info(fn, &flinfo);
	/* A NULL creator asks for a global grant; a strict function cannot be asked that. */
	if (flinfo.fn_strict)
		return false;
	InitFunctionCallInfoData(*fcinfo, &flinfo, 2, InvalidOid, NULL, NULL);
	fcinfo->args[0].value = CStringGetTextDatum(permission);
	fcinfo->args[0].isnull = false;
	fcinfo->args[1].value = (Datum) 0;
	fcinfo->args[1].isnull = true;
	result = FunctionCallInvoke(fcinfo);
	return !fcinfo->isnull && DatumGetBool(result);
}

/* May the current user read the stats? (superuser, pg_read_all_stats, metrics.read) */
bool
stats_can_read(void)
{
	if (superuser() || has_privs_of_role(GetUserId(), ROLE_PG_READ_ALL_STATS))
		return true;
	return stats_rbac_allows("metrics.read");
}

/* Refuse a reader without the right to read the stats. */
static void
stats_require_read(void)
{
	if (!stats_can_read())
		ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
		                errmsg("permission denied to read uphub statistics"),
		                errdetail("Reading the statistics needs the RBAC permission "
		                          "\"metrics.read\", membership in pg_read_all_stats, or "
		                          "superuser."),
		                errhint("Grant a role holding \"metrics.read\" to the principal, or "
		                        "GRANT pg_read_all_stats to the database role.")));
}

/* float8[] of the histogram bounds, +Inf last. */
static ArrayType *
stats_bounds_array(void)
{
	Datum elems[STATS_NBUCKETS + 1];
	int i;

	for (i = 0; i < STATS_NBUCKETS; i++)
		elems[i] = Float8GetDatum(stats_bucket_le[i]);
	elems[STATS_NBUCKETS] = Float8GetDatum(get_float8_infinity());
	return construct_array(elems, STATS_NBUCKETS + 1, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL,
	                       TYPALIGN_DOUBLE);
}

/* The rows of view uphub.stats: one per operation entry, __other__ last. */
Datum
uphub_stats_operations(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	StatsSnapshot *snap;
	ArrayType *bounds;
	int i;

	stats_require_read();
	InitMaterializedSRF(fcinfo, 0);
	snap = stats_snapshot_take(true);
	bounds = stats_bounds_array();

	for (i = 0; i < snap->nops; i++)
	{
		const StatsOpSnapshot *op = &snap->ops[i];
		Datum values[14];
		bool nulls[14];
		Datum counts[STATS_NBUCKETS + 1];
		int64 cumulative = 0;
		int b;
		int k = 0;

		memset(nulls, 0, sizeof(nulls));
		nulls[k] = op->is_other;
		values[k++] = Int64GetDatum((int64) op->queryid);
		nulls[k] = op->operation_name[0] == '\0';
		values[k++] = CStringGetTextDatum(op->operation_name);
		nulls[k] = op->operation_type[0] == '\0';
		values[k++] = CStringGetTextDatum(op->operation_type);
		values[k++] = Int64GetDatum(op->c.calls);
		values[k++] = Int64GetDatum(op->c.errors);
		values[k++] = Int64GetDatum(op->c.rows);
		values[k++] = Float8GetDatum(op->c.total_time * 1000.0);
		values[k++] = Float8GetDatum(op->c.min_time * 1000.0);
		values[k++] = Float8GetDatum(op->c.max_time * 1000.0);
		values[k++] = Float8GetDatum(op->c.total_time * 1000.0 / op->c.calls);
		values[k++] = PointerGetDatum(bounds);
		for (b = 0; b <= STATS_NBUCKETS; b++)
		{
			cumulative += op->c.buckets[b];
			counts[b] = Int64GetDatum(cumulative);
		}
		values[k++] = PointerGetDatum(construct_array(
		    counts, STATS_NBUCKETS + 1, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
		values[k++] = TimestampTzGetDatum(op->c.first_call);
		values[k++] = TimestampTzGetDatum(op->c.last_call);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* uphub.counters sink: families are implicit in the rows. */
static void
stats_rows_family(void *arg, const char *name, const char *type, const char *help)
{
}

/* uphub.counters sink: one row (name, labels jsonb, value). */
static void
stats_rows_sample(void *arg, const char *name, int nlabels, const char *const *label_names,
                  const char *const *label_values, double value)
{
	ReturnSetInfo *rsinfo = arg;
	JsonbParseState *state = NULL;
	JsonbValue *labels;
	Datum values[3];
	bool nulls[3] = {false, false, false};
	int i;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	for (i = 0; i < nlabels; i++)
	{
		JsonbValue v;

		v.type = jbvString;
		v.val.string.val = (char *) label_names[i];
		v.val.string.len = strlen(label_names[i]);
		pushJsonbValue(&state, WJB_KEY, &v);
		v.val.string.val = (char *) label_values[i];
		v.val.string.len = strlen(label_values[i]);
		pushJsonbValue(&state, WJB_VALUE, &v);
	}
	labels = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	values[0] = CStringGetTextDatum(name);
	values[1] = JsonbPGetDatum(JsonbValueToJsonb(labels));
	values[2] = Float8GetDatum(value);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

/* The rows of view uphub.counters: every global counter and gauge. */
Datum
uphub_stats_counters(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	StatsSink sink = {stats_rows_family, stats_rows_sample, NULL};

	stats_require_read();
	InitMaterializedSRF(fcinfo, 0);
	sink.arg = rsinfo;
	stats_walk(&sink, stats_snapshot_take(false), false);
	return (Datum) 0;
}

/* uphub.metrics(): the same text GET /metrics serves. */
Datum
uphub_metrics(PG_FUNCTION_ARGS)
{
	StringInfoData out;

	stats_require_read();
	/* Format behind room for the varlena header: the buffer becomes the text, uncopied. */
	initStringInfo(&out);
	appendStringInfoSpaces(&out, VARHDRSZ);
	stats_format_prometheus(&out, stats_snapshot_take(true));
	SET_VARSIZE(out.data, out.len);
	PG_RETURN_TEXT_P((text *) out.data);
}

/* uphub.stats_reset(): empty the store (superuser, or metrics.read + rbac.admin). */
Datum
uphub_stats_reset(PG_FUNCTION_ARGS)
{
	if (!superuser() && !(stats_rbac_allows("metrics.read") && stats_rbac_allows("rbac.admin")))
		ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
		                errmsg("permission denied to reset uphub statistics"),
		                errdetail("Resetting the statistics needs the RBAC permissions "
		                          "\"metrics.read\" and \"rbac.admin\", or superuser.")));
	stats_reset_all();
	PG_RETURN_VOID();
}

/* uphub.stats_record_ingest(table, rows): the ingest tool reports a batch. */
Datum
uphub_stats_record_ingest(PG_FUNCTION_ARGS)
{
	text *table = PG_GETARG_TEXT_PP(0);
	int64 rows = PG_GETARG_INT64(1);

	if (rows < 0)
		ereport(ERROR,
		        (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("rows must not be negative"),
		         errdetail("stats_record_ingest was called with %lld rows.", (long long) rows)));
	stats_ingest_rows(text_to_cstring(table), rows);
	PG_RETURN_VOID();
}

/* Test hook: record a GraphQL request exactly as the GraphQL executor does. */
Datum
uphub_stats_test_graphql_request(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0) || PG_ARGISNULL(3) || PG_ARGISNULL(4) || PG_ARGISNULL(5))
		PG_RETURN_VOID();
	stats_graphql_request(
	    (uint64) PG_GETARG_INT64(0), PG_ARGISNULL(1) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(1)),
	    PG_ARGISNULL(2) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(2)), PG_GETARG_BOOL(3),
	    PG_GETARG_INT64(4), PG_GETARG_FLOAT8(5), GetCurrentTimestamp());
	PG_RETURN_VOID();
}

/* Test hook: record an RBAC decision. */
Datum
uphub_stats_test_rbac_check(PG_FUNCTION_ARGS)
{
	stats_rbac_check(PG_GETARG_BOOL(0));
	PG_RETURN_VOID();
}

/* Test hook: record a refresh run. */
Datum
uphub_stats_test_refresh_run(PG_FUNCTION_ARGS)
{
	stats_refresh_run(PG_GETARG_INT64(0), PG_GETARG_FLOAT8(1), PG_GETARG_BOOL(2));
	PG_RETURN_VOID();
}

/* Test hook: set the aggregate lag. */
Datum
uphub_stats_test_aggregate_lag(PG_FUNCTION_ARGS)
{
	stats_set_aggregate_lag(PG_GETARG_FLOAT8(0));
	PG_RETURN_VOID();
}

/* Test hook: record a plan cache lookup. */
Datum
uphub_stats_test_plan_cache(PG_FUNCTION_ARGS)
{
	stats_plan_cache(PG_GETARG_BOOL(0));
	PG_RETURN_VOID();
}

/* Test hook: a sample value as the Prometheus text prints it. */
Datum
uphub_stats_test_format_value(PG_FUNCTION_ARGS)
{
	char buf[STATS_VALUE_LEN];
	int len = stats_format_value(buf, PG_GETARG_FLOAT8(0));

	Assert(len == (int) strlen(buf));
	PG_RETURN_TEXT_P(cstring_to_text_with_len(buf, len));
}
