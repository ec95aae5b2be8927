/*
 * check.c — the decisions, as SQL functions.
 *
 * check_access is the hot path: one atomic load and a few comparisons to
 * validate the cache (cache.c), a linear scan of at most 63 permission
 * names, then a flag test or a binary search; a partition or MCN scope adds
 * a hash lookup of the creator's partition and MCN. No SPI, no allocation
 * when warm.
 *
 * visible_creators / visible_partitions / visible_mcns feed the row-level
 * security policies: each is called from an initPlan, once per statement,
 * and returns NULL for "everything".
 *
 * All of them are PARALLEL RESTRICTED: the identity lives in this backend's
 * memory, which a parallel worker does not have.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "errors.h"
#include "rbac.h"
#include "stats/stats.h"

PG_FUNCTION_INFO_V1(rbac_check_access);
PG_FUNCTION_INFO_V1(rbac_visible_creators_sql);
PG_FUNCTION_INFO_V1(rbac_visible_from);
PG_FUNCTION_INFO_V1(rbac_visible_partitions);
PG_FUNCTION_INFO_V1(rbac_visible_mcns);
PG_FUNCTION_INFO_V1(rbac_current_principal);
PG_FUNCTION_INFO_V1(rbac_actor);
PG_FUNCTION_INFO_V1(rbac_caller_role);

/* Validate the cache and map the permission argument to its grant. */
static RbacGrant *
grant_for_arg(FunctionCallInfo fcinfo, int64 *principal)
{
	text *permission;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
		        (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("permission must not be null")));
	permission = PG_GETARG_TEXT_PP(0);
	rbac_cache_validate();
	*principal = rbac_cache_principal();
	return rbac_cache_grant(
	    rbac_permission_index(VARDATA_ANY(permission), VARSIZE_ANY_EXHDR(permission)));
}

/* check_access(permission, creator_mid): may the session do this to that creator? */
Datum
rbac_check_access(PG_FUNCTION_ARGS)
{
	int64 principal;
	RbacGrant *g = grant_for_arg(fcinfo, &principal);
	bool allowed;

	if (principal == RBAC_IMPLICIT_ADMIN)
		allowed = true;
	else if (!g->is_present)
		allowed = false;
	else if (g->is_global)
		allowed = true;
	else if (PG_ARGISNULL(1))
		allowed = false;
	else
		allowed = rbac_creator_in_scope(g, PG_GETARG_INT64(1));
	stats_rbac_check(allowed); /* uphub_rbac_checks_total{result} */
	PG_RETURN_BOOL(allowed);
}

/* visible_creators(permission): sorted mids, NULL for all. */
Datum
rbac_visible_creators_sql(PG_FUNCTION_ARGS)
{
	int64 principal;
	RbacGrant *g = grant_for_arg(fcinfo, &principal);
	ArrayType *visible;

	if (principal == RBAC_IMPLICIT_ADMIN || g->is_global)
		PG_RETURN_NULL();
	if (!g->is_present || principal <= 0)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(INT8OID));
	visible = rbac_visible_creators(g);
	PG_RETURN_ARRAYTYPE_P(DatumGetArrayTypePCopy(PointerGetDatum(visible)));
}

/* visible_from(permission): min(int8) for a global grant, else NULL (see the RLS policies). */
Datum
rbac_visible_from(PG_FUNCTION_ARGS)
{
	int64 principal;
	RbacGrant *g = grant_for_arg(fcinfo, &principal);

	if (principal == RBAC_IMPLICIT_ADMIN || g->is_global)
		PG_RETURN_INT64(PG_INT64_MIN);
	PG_RETURN_NULL();
}

/* visible_partitions(permission): partitions granted (sub-partitions included), NULL for all. */
Datum
rbac_visible_partitions(PG_FUNCTION_ARGS)
{
	int64 principal;
	RbacGrant *g = grant_for_arg(fcinfo, &principal);
	Datum *elems;
	int i;

	if (principal == RBAC_IMPLICIT_ADMIN || g->is_global)
		PG_RETURN_NULL();
	if (!g->is_present)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(INT4OID));
	elems = palloc(sizeof(Datum) * Max(g->n_partitions, 1));
	for (i = 0; i < g->n_partitions; i++)
		elems[i] = Int32GetDatum(g->partitions[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, g->n_partitions, INT4OID, 4, true, TYPALIGN_INT));
}

/* visible_mcns(permission): MCNs granted, NULL for all. */
Datum
rbac_visible_mcns(PG_FUNCTION_ARGS)
{
	int64 principal;
	RbacGrant *g = grant_for_arg(fcinfo, &principal);
	Datum *elems;
	int i;

	if (principal == RBAC_IMPLICIT_ADMIN || g->is_global)
		PG_RETURN_NULL();
	if (!g->is_present)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(INT8OID));
	elems = palloc(sizeof(Datum) * Max(g->n_mcns, 1));
	for (i = 0; i < g->n_mcns; i++)
		elems[i] = Int64GetDatum(g->mcns[i]);
	PG_RETURN_ARRAYTYPE_P(
	    construct_array(elems, g->n_mcns, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/* current_principal(): the name, NULL for none or an unmapped superuser. */
Datum
rbac_current_principal(PG_FUNCTION_ARGS)
{
	const char *name = rbac_cache_principal_name();

	if (name == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(name));
}

/* _rbac_actor(): principal id, 0 for the implicit admin, NULL for nobody. */
Datum
rbac_actor(PG_FUNCTION_ARGS)
{
	int64 principal = rbac_cache_principal();

	if (principal == RBAC_NOBODY)
		PG_RETURN_NULL();
	PG_RETURN_INT64(principal);
}

/* _rbac_caller_role(): the outer role, as the audit log records it. */
Datum
rbac_caller_role(PG_FUNCTION_ARGS)
{
	char *name = GetUserNameFromId(GetOuterUserId(), true);

	if (name == NULL)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(DirectFunctionCall1(namein, CStringGetDatum(name)));
}
