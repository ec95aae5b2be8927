/*
 * init.c — RbacInit: shared memory and transaction callbacks of the RBAC
 * subsystem.
 *
 * Shared memory follows pg_stat_statements: requested in shmem_request_hook,
 * created in shmem_startup_hook under AddinShmemInitLock, previous hooks
 * chained. It holds two generation counters (lock-free atomics, read on every
 * check_access) and the slots through which denials reach the audit worker
 * (protected by a spinlock; a slot is held for microseconds).
 *
 * The transaction callbacks bump the generations at commit of a transaction
 * that changed the RBAC catalog or creator scopes (cache.c), and undo
 * session-state changes (act_as, active roles) of aborted (sub)transactions
 * (session.c).
 */
#include "postgres.h"

#include "miscadmin.h"
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"

#include "rbac.h"
#include "uphub.h"

RbacShared *rbac_shared = NULL;

static shmem_request_hook_type prev_shmem_request_hook = NULL;
static shmem_startup_hook_type prev_shmem_startup_hook = NULL;

/* Ask the postmaster for our share of shared memory. */
static void
rbac_shmem_request(void)
{
	if (prev_shmem_request_hook)
		prev_shmem_request_hook();
	RequestAddinShmemSpace(MAXALIGN(sizeof(RbacShared)));
}

/* Create (postmaster) or attach to (EXEC_BACKEND children) the shared state. */
static void
rbac_shmem_startup(void)
{
	bool found;

	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();

	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	rbac_shared = ShmemInitStruct("uphub rbac", sizeof(RbacShared), &found);
	if (!found)
	{
		memset(rbac_shared, 0, sizeof(RbacShared));
		pg_atomic_init_u64(&rbac_shared->catalog_generation, 1);
		pg_atomic_init_u64(&rbac_shared->creator_generation, 1);
		SpinLockInit(&rbac_shared->audit_lock);
	}
	LWLockRelease(AddinShmemInitLock);
}

/* One callback for both subsystems that care about transaction ends. */
static void
rbac_xact_callback(XactEvent event, void *arg)
{
	rbac_cache_xact_event(event);
	rbac_session_xact_event(event);
}

/* Subtransaction ends: undo session changes and drop caches that saw rolled-back rows. */
static void
rbac_subxact_callback(SubXactEvent event, SubTransactionId my_subid, SubTransactionId parent_subid,
                      void *arg)
{
	if (event == SUBXACT_EVENT_ABORT_SUB)
		rbac_cache_subxact_abort();
	rbac_session_subxact_event(event);
}

/* Register shared memory and callbacks; everything else is lazy. */
void
RbacInit(void)
{
	RegisterXactCallback(rbac_xact_callback, NULL);
	RegisterSubXactCallback(rbac_subxact_callback, NULL);

	if (!uphub_is_preloaded)
		return;
	prev_shmem_request_hook = shmem_request_hook;
	shmem_request_hook = rbac_shmem_request;
	prev_shmem_startup_hook = shmem_startup_hook;
	shmem_startup_hook = rbac_shmem_startup;
}

/* Every RBAC entry point needs the shared generations. */
void
rbac_require_shmem(void)
{
	if (rbac_shared == NULL)
		uphub_require_preload();
	if (rbac_shared == NULL)
		ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
		                errmsg("uphub RBAC shared memory is not initialized")));
}
