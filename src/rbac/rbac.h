/*
 * rbac.h — what the files of src/rbac/ share.
 *
 *   init.c     RbacInit: shared memory (generations, audit slots), callbacks
 *   cache.c    per-backend decision cache, its invalidation, privileged SPI
 *   session.c  identity (outer role, act_as) and the NIST session state
 *   check.c    SQL entry points of the decisions (check_access & co.)
 *   audit.c    denials written by their own transaction (background worker)
 */
#ifndef UPHUB_RBAC_H
#define UPHUB_RBAC_H

#include "postgres.h"

#include "access/xact.h"
#include "executor/spi.h"
#include "port/atomics.h"
#include "storage/spin.h"
#include "utils/array.h"
#include "utils/timestamp.h"

/* Permission ids are small (uphub.permission.permission_id BETWEEN 1 AND 63). */
#define RBAC_MAX_PERMISSIONS 64
/* Most roles one NIST session can have active. */
#define RBAC_MAX_ACTIVE 64
/* Denials being handed to audit workers at the same time. */
#define RBAC_AUDIT_SLOTS 16

/* Resolved principal ids: > 0 a principal; these two are special. */
#define RBAC_IMPLICIT_ADMIN INT64CONST(0) /* superuser without a mapping */
#define RBAC_NOBODY         INT64CONST(-1)

typedef struct RbacAuditSlot
{
	bool in_use;
	Oid database;
	TimestampTz at;
	char pg_role[NAMEDATALEN];
	char principal[129];
	char action[64];
	char target[256];
	char detail[512];
} RbacAuditSlot;

/*
 * Shared state. The generations only ever grow; a backend whose remembered
 * value differs rebuilds. They are bumped after a writing transaction has
 * become visible (XACT_EVENT_COMMIT), never before.
 */
typedef struct RbacShared
{
	pg_atomic_uint64 catalog_generation; /* RBAC tables and uphub.partition */
	pg_atomic_uint64 creator_generation; /* creators added, removed or moved */
	slock_t audit_lock;
	RbacAuditSlot audit[RBAC_AUDIT_SLOTS];
} RbacShared;

extern RbacShared *rbac_shared;

/* Effective grant of one permission for the current session. */
typedef struct RbacGrant
{
	bool is_present;
	bool is_global;
	int n_creators;
	int64 *creators; /* sorted */
	int n_mcns;
	int64 *mcns; /* sorted */
	int n_partitions;
	int32 *partitions; /* sorted, sub-partitions included */
	/* visible_creators() result, valid for visible_gen of creator_generation */
	ArrayType *visible;
	uint64 visible_gen;
} RbacGrant;

/* NIST session state of this backend (session.c). */
typedef struct RbacSessionState
{
	Oid outer_role;          /* role the state belongs to */
	int64 acting;            /* act_as principal, 0 when not acting */
	bool has_session;        /* create_session/add/drop_active_role used */
	int64 session_principal; /* principal the active set belongs to */
	int n_active;
	int32 active[RBAC_MAX_ACTIVE];
	uint64 version; /* changes with every change of the above */
} RbacSessionState;

/*
 * What a cache built on top of the decisions keys on (src/gql/plancache.c):
 * the resolved principal, the permissions its active roles hold in any
 * scope (bit = permission id), and the committed catalog generation.
 * is_settled is false while the current transaction wrote the RBAC catalog
 * (its uncommitted grants must not be cached under the old generation).
 */
typedef struct RbacIdentity
{
	int64 principal;
	uint64 permissions;
	uint64 catalog_gen;
	bool is_settled;
} RbacIdentity;

/* init.c */
extern void rbac_require_shmem(void);

/* cache.c */
extern void rbac_cache_validate(void);
extern int64 rbac_cache_principal(void);
extern const char *rbac_cache_principal_name(void);
extern int rbac_permission_index(const char *name, int len);
extern RbacGrant *rbac_cache_grant(int permission);
extern bool rbac_creator_in_scope(RbacGrant *grant, int64 mid);
extern ArrayType *rbac_visible_creators(RbacGrant *grant);
extern void rbac_cache_xact_event(XactEvent event);
extern void rbac_cache_subxact_abort(void);
extern void rbac_cache_identity(RbacIdentity *identity);

/* Privileged SPI: run catalog queries as the bootstrap superuser with a pinned search_path. */
typedef struct RbacPrivileged
{
	Oid save_userid;
	int save_sec_context;
	int save_nestlevel;
} RbacPrivileged;
extern void rbac_privileged_begin(RbacPrivileged *priv);
extern void rbac_privileged_end(RbacPrivileged *priv);
extern int rbac_spi_run(SPIPlanPtr *plan, const char *sql, int nargs, Oid *argtypes, Datum *values,
                        const char *nulls, bool use_latest_snapshot);

/* session.c */
extern RbacSessionState *rbac_session_state(void);
extern void rbac_session_xact_event(XactEvent event);
extern void rbac_session_subxact_event(SubXactEvent event);

/* audit.c */
extern void rbac_audit_denial(const char *action, const char *target, const char *detail);
extern void rbac_audit_allowed(const char *action, const char *target, const char *detail);

#endif /* UPHUB_RBAC_H */
