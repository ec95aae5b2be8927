/*
 * cache.c — the per-backend decision cache and its invalidation.
 *
 * What is cached (in cache_cxt, rebuilt as a whole):
 *   - the permission names (name -> small id),
 *   - the resolved principal of this session (session.c says who: act_as or
 *     the outer role's mapping; superuser without mapping = implicit admin),
 *   - per permission, the effective grant of the session's active roles:
 *     a global flag and sorted arrays of creator, MCN and partition scopes
 *     (partition scopes expanded to every sub-partition).
 * Beside it, two caches that depend on creator data: a hash of
 * mid -> (main_tid, mcn_id), and per permission the visible_creators() array.
 *
 * Invalidation (the invariant: a committed revoke is never served):
 *   - Statement triggers on every RBAC table and on uphub.partition call
 *     rbac_catalog_changed(); triggers on uphub.creator (inserts, deletes,
 *     moves between partitions/MCNs) call rbac_creator_changed(). Both mark
 *     the local caches dirty at once (the writer's own later statements see
 *     its uncommitted change) and remember that this transaction wrote.
 *   - At XACT_EVENT_COMMIT — after the commit is visible in the proc array —
 *     the matching shared generation is incremented. Every check reads the
 *     generation (one atomic load) and rebuilds when it moved. Because the
 *     rebuild reads the generation first and then queries with a fresh
 *     snapshot (GetLatestSnapshot), a rebuild that sees the new generation
 *     also sees the committed rows; one that raced ahead of the increment is
 *     rebuilt again on the next check.
 *   - At abort (of the transaction or a subtransaction) of a writer, the
 *     local caches are marked dirty: a rolled-back grant never sticks.
 *   - PREPARE TRANSACTION of a writer is refused: its commit could happen in
 *     another backend, which would not bump the generation.
 *
 * Catalog queries run through rbac_spi_run() as the bootstrap superuser (so
 * RLS of the caller does not recurse into them and the caller needs no
 * rights on the catalog), with search_path pinned to pg_catalog, pg_temp and
 * every name qualified.
 */
#include "postgres.h"

#include "catalog/pg_authid.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "miscadmin.h"

#include "errors.h"
#include "rbac.h"

/* Most creators remembered in the mid -> scope hash before it starts over. */
#define RBAC_CREATOR_CACHE_MAX 65536

typedef struct RbacCache
{
	bool is_valid;
	uint64 catalog_gen;
	Oid outer_role;
	uint64 session_version;
	int64 principal;
	char *principal_name;
	uint64 permissions; /* bit i: permission i is granted (rbac_cache_identity) */
	char *perm_name[RBAC_MAX_PERMISSIONS];
	int perm_len[RBAC_MAX_PERMISSIONS];
	RbacGrant grants[RBAC_MAX_PERMISSIONS];
} RbacCache;

typedef struct RbacCreatorScope
{
	int64 mid; /* hash key */
	bool exists;
	bool has_tid;
	bool has_mcn;
	int32 main_tid;
	int64 mcn_id;
} RbacCreatorScope;

static RbacCache cache;
static MemoryContext cache_cxt = NULL;
static bool cache_dirty = true;
static bool cache_building = false;

static HTAB *creator_scopes = NULL;
static uint64 creator_scopes_stamp = 0;
static uint64 creator_local_epoch = 0;

/* Did the current transaction write what the caches depend on? */
static bool wrote_catalog = false;
static bool wrote_creators = false;

static SPIPlanPtr plan_permissions = NULL;
static SPIPlanPtr plan_principal_by_role = NULL;
static SPIPlanPtr plan_principal_by_id = NULL;
static SPIPlanPtr plan_grants = NULL;
static SPIPlanPtr plan_creator_scope = NULL;
static SPIPlanPtr plan_visible = NULL;

PG_FUNCTION_INFO_V1(rbac_catalog_changed);
PG_FUNCTION_INFO_V1(rbac_creator_changed);

/* Trigger on the RBAC catalog: this backend's cache is stale now, everyone's at commit. */
Datum
rbac_catalog_changed(PG_FUNCTION_ARGS)
{
	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
		                errmsg("rbac_catalog_changed must be called as a trigger")));
	wrote_catalog = true;
	cache_dirty = true;
	return PointerGetDatum(NULL);
}

/* Trigger on uphub.creator: scope membership may have changed. */
Datum
rbac_creator_changed(PG_FUNCTION_ARGS)
{
	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
		                errmsg("rbac_creator_changed must be called as a trigger")));
	wrote_creators = true;
	creator_local_epoch++;
	return PointerGetDatum(NULL);
}

/* Publish committed changes; forget rolled-back ones. */
void
rbac_cache_xact_event(XactEvent event)
{
	switch (event)
	{
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_PARALLEL_COMMIT:
			if (rbac_shared != NULL)
			{
				if (wrote_catalog)
					pg_atomic_fetch_add_u64(&rbac_shared->catalog_generation, 1);
				if (wrote_creators)
					pg_atomic_fetch_add_u64(&rbac_shared->creator_generation, 1);
			}
			wrote_catalog = wrote_creators = false;
			break;
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
			if (wrote_catalog)
				cache_dirty = true;
			if (wrote_creators)
				creator_local_epoch++;
			wrote_catalog = wrote_creators = false;
			cache_building = false;
			break;
		case XACT_EVENT_PRE_PREPARE:
			if (wrote_catalog || wrote_creators)
				ereport(
				    ERROR,
				    (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				     errmsg("cannot PREPARE a transaction that changed uphub's RBAC catalog or "
				            "creator scopes"),
				     errdetail("Other sessions learn about such a change when it commits in the "
				               "session that made it.")));
			break;
		default:
			break;
	}
}

/* A rolled-back subtransaction may have written rows the caches now hold. */
void
rbac_cache_subxact_abort(void)
{
	if (wrote_catalog)
		cache_dirty = true;
	if (wrote_creators)
		creator_local_epoch++;
	cache_building = false;
}

/* Stamp of the creator-dependent caches: shared generation plus local writes. */
static inline uint64
creator_stamp(void)
{
	return pg_atomic_read_u64(&rbac_shared->creator_generation) + (creator_local_epoch << 40);
}

/* Become the bootstrap superuser with a safe search_path for catalog queries. */
void
rbac_privileged_begin(RbacPrivileged *priv)
{
	GetUserIdAndSecContext(&priv->save_userid, &priv->save_sec_context);
	SetUserIdAndSecContext(BOOTSTRAP_SUPERUSERID, priv->save_sec_context |
	                                                  SECURITY_LOCAL_USERID_CHANGE |
	                                                  SECURITY_RESTRICTED_OPERATION);
	priv->save_nestlevel = NewGUCNestLevel();
	(void) set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION,
	                         GUC_ACTION_SAVE, true, 0, false);
}

/* Back to the caller (an error unwinds both through transaction abort). */
void
rbac_privileged_end(RbacPrivileged *priv)
{
	AtEOXact_GUC(true, priv->save_nestlevel);
	SetUserIdAndSecContext(priv->save_userid, priv->save_sec_context);
}

/* Run a kept plan; with use_latest_snapshot, see everything committed by now. */
int
rbac_spi_run(SPIPlanPtr *plan, const char *sql, int nargs, Oid *argtypes, Datum *values,
             const char *nulls, bool use_latest_snapshot)
{
	int rc;

	if (*plan == NULL)
	{
		SPIPlanPtr p = SPI_prepare(sql, nargs, argtypes);

		if (p == NULL)
			elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql,
			     SPI_result_code_string(SPI_result));
		if (SPI_keepplan(p) != 0)
			elog(ERROR, "SPI_keepplan failed");
		*plan = p;
	}
	if (use_latest_snapshot)
		rc = SPI_execute_snapshot(*plan, values, nulls, GetLatestSnapshot(), InvalidSnapshot, true,
		                          false, 0);
	else
		rc = SPI_execute_plan(*plan, values, nulls, false, 0);
	if (rc < 0)
		elog(ERROR, "SPI failed for \"%s\": %s", sql, SPI_result_code_string(rc));
	return rc;
}

/* Copy column col (int8) of row i out of the current SPI result. */
static int64
spi_int64(int row, int col, bool *isnull)
{
	Datum d = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col, isnull);

	return *isnull ? 0 : DatumGetInt64(d);
}

/* Load permissions, the principal and its effective grants. */
static void
rbac_cache_load(uint64 gen, RbacSessionState *s)
{
	RbacPrivileged priv;
	MemoryContext old;
	Oid types[2];
	Datum values[2];
	char nulls[2];
	uint64 i;
	bool isnull;
	int64 principal = RBAC_NOBODY;
	char *principal_name = NULL;

	memset(cache.perm_name, 0, sizeof(cache.perm_name));
	memset(cache.perm_len, 0, sizeof(cache.perm_len));
	memset(cache.grants, 0, sizeof(cache.grants));

	rbac_privileged_begin(&priv);

	rbac_spi_run(&plan_permissions,
	             "SELECT p.permission_id, p.name FROM uphub.permission p ORDER BY 1", 0, NULL, NULL,
	             NULL, true);
	for (i = 0; i < SPI_processed; i++)
	{
		int id = (int) DatumGetInt32(
		    SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));
		char *name = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2);

		if (id <= 0 || id >= RBAC_MAX_PERMISSIONS)
			continue;
		cache.perm_name[id] = MemoryContextStrdup(cache_cxt, name);
		cache.perm_len[id] = strlen(name);
	}

	/* Who: the act_as principal, else the outer role's mapping. */
	if (s->acting > 0)
	{
		types[0] = INT8OID;
		values[0] = Int64GetDatum(s->acting);
		rbac_spi_run(&plan_principal_by_id,
		             "SELECT p.principal_id, p.name FROM uphub.principal p "
		             "WHERE p.principal_id OPERATOR(pg_catalog.=) $1",
		             1, types, values, NULL, true);
	}
	else
	{
		char *rolname = GetUserNameFromId(s->outer_role, true);

		types[0] = NAMEOID;
		values[0] = DirectFunctionCall1(namein, CStringGetDatum(rolname ? rolname : ""));
		rbac_spi_run(&plan_principal_by_role,
		             "SELECT p.principal_id, p.name FROM uphub.principal p "
		             "WHERE p.pg_role OPERATOR(pg_catalog.=) $1",
		             1, types, values, NULL, true);
	}
	if (SPI_processed == 1)
	{
		principal = spi_int64(0, 1, &isnull);
		principal_name = MemoryContextStrdup(
		    cache_cxt, SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2));
	}
	else if (s->acting == 0 && superuser_arg(s->outer_role))
		principal = RBAC_IMPLICIT_ADMIN;

	if (principal > 0)
	{
		uint64 n;
		int counts[RBAC_MAX_PERMISSIONS][3];

		types[0] = INT8OID;
		types[1] = INT4ARRAYOID;
		values[0] = Int64GetDatum(principal);
		nulls[0] = ' ';
		nulls[1] = 'n';
		values[1] = (Datum) 0;
		if (s->has_session && s->session_principal == principal)
		{
			Datum *elems = palloc(sizeof(Datum) * Max(s->n_active, 1));
			int k;

			for (k = 0; k < s->n_active; k++)
				elems[k] = Int32GetDatum(s->active[k]);
			values[1] = PointerGetDatum(
			    construct_array(elems, s->n_active, INT4OID, 4, true, TYPALIGN_INT));
			nulls[1] = ' ';
		}
		rbac_spi_run(&plan_grants,
		             "SELECT g.permission_id, g.scope_kind, g.scope_id "
		             "FROM uphub._rbac_effective_grants($1, $2) g ORDER BY 1, 2, 3",
		             2, types, values, nulls, true);
		n = SPI_processed;

		/* Two passes: count per permission and kind, then fill sorted arrays. */
		memset(counts, 0, sizeof(counts));
		for (i = 0; i < n; i++)
		{
			int id = DatumGetInt32(
			    SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));
			char *kind = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2);
			RbacGrant *g;

			if (id <= 0 || id >= RBAC_MAX_PERMISSIONS)
				continue;
			g = &cache.grants[id];
			g->is_present = true;
			if (strcmp(kind, "global") == 0)
				g->is_global = true;
			else if (strcmp(kind, "creator") == 0)
				counts[id][0]++;
			else if (strcmp(kind, "mcn") == 0)
				counts[id][1]++;
			else if (strcmp(kind, "partition") == 0)
				counts[id][2]++;
		}
		old = MemoryContextSwitchTo(cache_cxt);
		for (i = 0; i < RBAC_MAX_PERMISSIONS; i++)
		{
			cache.grants[i].creators = palloc(sizeof(int64) * Max(counts[i][0], 1));
			cache.grants[i].mcns = palloc(sizeof(int64) * Max(counts[i][1], 1));
			cache.grants[i].partitions = palloc(sizeof(int32) * Max(counts[i][2], 1));
		}
		MemoryContextSwitchTo(old);
		for (i = 0; i < n; i++)
		{
			int id = DatumGetInt32(
			    SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));
			char *kind = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2);
			int64 scope = spi_int64(i, 3, &isnull);
			RbacGrant *g;

			if (id <= 0 || id >= RBAC_MAX_PERMISSIONS || isnull)
				continue;
			g = &cache.grants[id];
			if (strcmp(kind, "creator") == 0)
				g->creators[g->n_creators++] = scope;
			else if (strcmp(kind, "mcn") == 0)
				g->mcns[g->n_mcns++] = scope;
			else if (strcmp(kind, "partition") == 0)
				g->partitions[g->n_partitions++] = (int32) scope;
		}
	}

	rbac_privileged_end(&priv);

	cache.principal = principal;
	cache.principal_name = principal_name;
	cache.permissions = 0;
	for (i = 1; i < RBAC_MAX_PERMISSIONS; i++)
		if (principal == RBAC_IMPLICIT_ADMIN ? cache.perm_name[i] != NULL
		                                     : cache.grants[i].is_present)
			cache.permissions |= UINT64CONST(1) << i;
	cache.catalog_gen = gen;
	cache.outer_role = s->outer_role;
	cache.session_version = s->version;
}

/* Make the cache answer for this session as of now; rebuild when anything moved. */
void
rbac_cache_validate(void)
{
	RbacSessionState *s;
	uint64 gen;

	rbac_require_shmem();
	gen = pg_atomic_read_u64(&rbac_shared->catalog_generation);
	s = rbac_session_state();
	if (likely(cache.is_valid && !cache_dirty && gen == cache.catalog_gen &&
	           s->outer_role == cache.outer_role && s->version == cache.session_version))
		return;

	if (cache_building)
		elog(ERROR, "uphub RBAC cache rebuilt recursively");
	if (cache_cxt == NULL)
		cache_cxt =
		    AllocSetContextCreate(TopMemoryContext, "uphub rbac cache", ALLOCSET_SMALL_SIZES);
	cache.is_valid = false;
	MemoryContextReset(cache_cxt);
	cache_dirty = false;
	cache_building = true;
	PG_TRY();
	{
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		rbac_cache_load(gen, s);
		SPI_finish();
	}
	PG_FINALLY();
	{
		cache_building = false;
	}
	PG_END_TRY();
	cache.is_valid = true;
}

/* The resolved principal: > 0, RBAC_IMPLICIT_ADMIN or RBAC_NOBODY. */
int64
rbac_cache_principal(void)
{
	rbac_cache_validate();
	return cache.principal;
}

/* Name of the resolved principal, NULL when there is none. */
const char *
rbac_cache_principal_name(void)
{
	rbac_cache_validate();
	return cache.principal_name;
}

/* The session's identity for caches keyed on it (GraphQL plan cache, visibility). */
void
rbac_cache_identity(RbacIdentity *identity)
{
	rbac_cache_validate();
	identity->principal = cache.principal;
	identity->catalog_gen = cache.catalog_gen;
	identity->is_settled = !wrote_catalog;
	identity->permissions = cache.permissions; /* computed once per load */
}

/* Permission name -> id, from the (valid) cache; unknown names are an error. */
int
rbac_permission_index(const char *name, int len)
{
	int i;

	for (i = 1; i < RBAC_MAX_PERMISSIONS; i++)
		if (cache.perm_len[i] == len && memcmp(cache.perm_name[i], name, len) == 0)
			return i;
	ereport(ERROR, (errcode(ERRCODE_UPHUB_RBAC_UNKNOWN_OBJECT),
	                errmsg("permission \"%.*s\" does not exist", len, name),
	                errhint("The permissions are creator.read, creator.write, video.read, "
	                        "video.write, stats.read, stats.write, revenue.read, rbac.admin and "
	                        "metrics.read.")));
	return 0; /* not reached */
}

/* The session's grant of a permission (valid until the next validate). */
RbacGrant *
rbac_cache_grant(int permission)
{
	return &cache.grants[permission];
}

static int
cmp_int64(const void *a, const void *b)
{
	int64 x = *(const int64 *) a;
	int64 y = *(const int64 *) b;

	return (x > y) - (x < y);
}

static int
cmp_int32(const void *a, const void *b)
{
	int32 x = *(const int32 *) a;
	int32 y = *(const int32 *) b;

	return (x > y) - (x < y);
}

/* Look a creator's partition and MCN up, through the per-backend hash. */
static RbacCreatorScope *
creator_scope(int64 mid)
{
	uint64 stamp = creator_stamp();
	RbacCreatorScope *entry;
	RbacCreatorScope found;
	bool isnull;
	Oid types[1] = {INT8OID};
	Datum values[1];
	RbacPrivileged priv;

	if (creator_scopes == NULL || creator_scopes_stamp != stamp ||
	    hash_get_num_entries(creator_scopes) >= RBAC_CREATOR_CACHE_MAX)
	{
		HASHCTL ctl;

		if (creator_scopes != NULL)
			hash_destroy(creator_scopes);
		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(int64);
		ctl.entrysize = sizeof(RbacCreatorScope);
		creator_scopes =
		    hash_create("uphub rbac creator scopes", 1024, &ctl, HASH_ELEM | HASH_BLOBS);
		creator_scopes_stamp = stamp;
	}
	entry = hash_search(creator_scopes, &mid, HASH_FIND, NULL);
	if (entry != NULL)
		return entry;

	/* Query first, then insert: an error must not leave a half-made entry. */
	memset(&found, 0, sizeof(found));
	found.mid = mid;
	values[0] = Int64GetDatum(mid);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	rbac_privileged_begin(&priv);
	rbac_spi_run(&plan_creator_scope,
	             "SELECT c.main_tid, c.mcn_id FROM uphub.creator c "
	             "WHERE c.mid OPERATOR(pg_catalog.=) $1",
	             1, types, values, NULL, true);
	if (SPI_processed == 1)
	{
		Datum d;

		found.exists = true;
		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
		found.has_tid = !isnull;
		found.main_tid = isnull ? 0 : DatumGetInt32(d);
		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull);
		found.has_mcn = !isnull;
		found.mcn_id = isnull ? 0 : DatumGetInt64(d);
	}
	rbac_privileged_end(&priv);
	SPI_finish();

	entry = hash_search(creator_scopes, &mid, HASH_ENTER, NULL);
	*entry = found;
	return entry;
}

/* Is the creator inside one of the grant's scopes (global aside)? */
bool
rbac_creator_in_scope(RbacGrant *g, int64 mid)
{
	RbacCreatorScope *c;

	if (g->n_creators > 0 && bsearch(&mid, g->creators, g->n_creators, sizeof(int64), cmp_int64))
		return true;
	if (g->n_mcns == 0 && g->n_partitions == 0)
		return false;
	c = creator_scope(mid);
	if (!c->exists)
		return false;
	if (c->has_mcn && g->n_mcns > 0 &&
	    bsearch(&c->mcn_id, g->mcns, g->n_mcns, sizeof(int64), cmp_int64))
		return true;
	if (c->has_tid && g->n_partitions > 0 &&
	    bsearch(&c->main_tid, g->partitions, g->n_partitions, sizeof(int32), cmp_int32))
		return true;
	return false;
}

/* Sorted mids of every creator in the grant's scopes (global aside), cached per stamp. */
ArrayType *
rbac_visible_creators(RbacGrant *g)
{
	uint64 stamp = creator_stamp();
	Oid types[3] = {INT8ARRAYOID, INT8ARRAYOID, INT4ARRAYOID};
	Datum values[3];
	Datum *elems;
	int i;
	bool isnull;
	RbacPrivileged priv;
	MemoryContext old;
	Datum result;

	if (g->visible != NULL && g->visible_gen == stamp)
		return g->visible;

	elems = palloc(sizeof(Datum) * Max(g->n_creators, Max(g->n_mcns, Max(g->n_partitions, 1))));
	for (i = 0; i < g->n_creators; i++)
		elems[i] = Int64GetDatum(g->creators[i]);
	values[0] = PointerGetDatum(
	    construct_array(elems, g->n_creators, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	for (i = 0; i < g->n_mcns; i++)
		elems[i] = Int64GetDatum(g->mcns[i]);
	values[1] = PointerGetDatum(
	    construct_array(elems, g->n_mcns, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	for (i = 0; i < g->n_partitions; i++)
		elems[i] = Int32GetDatum(g->partitions[i]);
	values[2] =
	    PointerGetDatum(construct_array(elems, g->n_partitions, INT4OID, 4, true, TYPALIGN_INT));

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	rbac_privileged_begin(&priv);
	rbac_spi_run(&plan_visible,
	             "SELECT coalesce(pg_catalog.array_agg(s.mid ORDER BY s.mid), '{}') FROM ("
	             " SELECT pg_catalog.unnest($1) AS mid"
	             " UNION SELECT c.mid FROM uphub.creator c"
	             "  WHERE c.mcn_id OPERATOR(pg_catalog.=) ANY ($2)"
	             " UNION SELECT c.mid FROM uphub.creator c"
	             "  WHERE c.main_tid OPERATOR(pg_catalog.=) ANY ($3)) s",
	             3, types, values, NULL, true);
	result = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	old = MemoryContextSwitchTo(cache_cxt);
	g->visible = DatumGetArrayTypePCopy(result);
	MemoryContextSwitchTo(old);
	rbac_privileged_end(&priv);
	SPI_finish();
	g->visible_gen = stamp;
	return g->visible;
}
