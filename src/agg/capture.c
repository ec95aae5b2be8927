/*
 * capture.c — the C side of change capture: waking the worker at commit.
 *
 * The capture triggers (agg.sql) write agg_change rows in the writer's own
 * transaction and call uphub._agg_wake(), which only sets a backend-local
 * flag. At commit, an xact callback sets the aggregate worker's latch, so
 * the worker runs as soon as the changes are visible; on abort nothing is
 * signalled (and nothing was logged).
 *
 * Shared memory: one small AggShared struct holding the worker's latch,
 * requested in shmem_request_hook and created in shmem_startup_hook under
 * AddinShmemInitLock (previous hooks chained). The latch pointer is guarded
 * by a spinlock; setting a latch that a restarted worker no longer uses is
 * harmless (a spurious wake-up of whoever owns that PGPROC now).
 */
#include "postgres.h"

#include "access/xact.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/lwlock.h"
#include "storage/proc.h"
#include "storage/shmem.h"
#include "storage/spin.h"

#include "agg/agg.h"
#include "uphub.h"

typedef struct AggShared
{
	slock_t mutex;
	Latch *worker_latch; /* NULL while no worker runs */
} AggShared;

static AggShared *agg_shared = NULL;
static shmem_request_hook_type prev_shmem_request_hook = NULL;
static shmem_startup_hook_type prev_shmem_startup_hook = NULL;
static bool agg_wake_pending = false;
static bool agg_xact_callback_registered = false;

PG_FUNCTION_INFO_V1(uphub_agg_wake);

/* Reserve the shared struct before the postmaster sizes shared memory. */
static void
agg_shmem_request(void)
{
	if (prev_shmem_request_hook)
		prev_shmem_request_hook();
	RequestAddinShmemSpace(MAXALIGN(sizeof(AggShared)));
}

/* Create (postmaster) or attach to (EXEC_BACKEND children) the shared struct. */
static void
agg_shmem_startup(void)
{
	bool found;

	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();

	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	agg_shared = ShmemInitStruct("uphub agg", sizeof(AggShared), &found);
	if (!found)
	{
		SpinLockInit(&agg_shared->mutex);
		agg_shared->worker_latch = NULL;
	}
	LWLockRelease(AddinShmemInitLock);
}

/* Install the shared-memory hooks; called from AggInit while preloading. */
void
agg_shmem_init(void)
{
	prev_shmem_request_hook = shmem_request_hook;
	shmem_request_hook = agg_shmem_request;
	prev_shmem_startup_hook = shmem_startup_hook;
	shmem_startup_hook = agg_shmem_startup;
}

/* Publish the worker's latch so committing writers can wake it. */
void
agg_worker_attach_latch(void)
{
	SpinLockAcquire(&agg_shared->mutex);
	agg_shared->worker_latch = MyLatch;
	SpinLockRelease(&agg_shared->mutex);
}

/* Withdraw the latch when the worker exits. */
void
agg_worker_detach_latch(void)
{
	if (agg_shared == NULL)
		return;
	SpinLockAcquire(&agg_shared->mutex);
	if (agg_shared->worker_latch == MyLatch)
		agg_shared->worker_latch = NULL;
	SpinLockRelease(&agg_shared->mutex);
}

/* At commit, wake the worker if this transaction logged changes. */
static void
agg_xact_callback(XactEvent event, void *arg)
{
	Latch *latch = NULL;

	if (event != XACT_EVENT_COMMIT && event != XACT_EVENT_ABORT &&
	    event != XACT_EVENT_PARALLEL_COMMIT && event != XACT_EVENT_PARALLEL_ABORT)
		return;
	if (agg_wake_pending && agg_shared != NULL &&
	    (event == XACT_EVENT_COMMIT || event == XACT_EVENT_PARALLEL_COMMIT))
	{
		SpinLockAcquire(&agg_shared->mutex);
		latch = agg_shared->worker_latch;
		SpinLockRelease(&agg_shared->mutex);
		if (latch != NULL)
			SetLatch(latch);
	}
	agg_wake_pending = false;
}

/* Called by the capture triggers: ask for a wake-up at commit. */
Datum
uphub_agg_wake(PG_FUNCTION_ARGS)
{
	if (!agg_xact_callback_registered)
	{
		RegisterXactCallback(agg_xact_callback, NULL);
		agg_xact_callback_registered = true;
	}
	agg_wake_pending = true;
	PG_RETURN_VOID();
}
