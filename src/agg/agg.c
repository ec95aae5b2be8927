/*
 * agg.c — AggInit: the aggregate subsystem's GUCs, shared memory and worker.
 *
 * uphub.refresh_naptime and uphub.refresh_batch_size are read by the worker
 * (reloaded on SIGHUP) and by refresh_aggregates(). Shared memory and the
 * worker exist only when uphub is preloaded; without it the capture triggers
 * and refresh_aggregates() still work, nothing refreshes in the background.
 */
#include "postgres.h"

#include "utils/guc.h"

#include "agg/agg.h"
#include "uphub.h"

int agg_refresh_naptime = 1000;
/*
 * 50,000 changes: a batch's creator-level statements cost about the same
 * for 10,000 changes as for 50,000 (they follow the creator days touched),
 * and a bigger batch finds more of each video's changes at once. Measured
 * on a 300k-change sustained-ingest backlog (bench/agg.sh's feed): 10,000:
 * 24,400 changes/s, max lag 11.7 s; 50,000: 37,000 changes/s, 8.5 s;
 * 100,000: 39,700 changes/s, but 11.8 s (the oldest change waits for the
 * whole batch).
 */
int agg_refresh_batch_size = 50000;

/* Define the GUCs; when preloading, request shared memory and register the worker. */
void
AggInit(void)
{
	DefineCustomIntVariable("uphub.refresh_naptime",
	                        "How long the aggregate worker sleeps when there is nothing to do.",
	                        "Committed changes wake it at once; this is the longest it waits.",
	                        &agg_refresh_naptime, 1000, 10, 3600 * 1000, PGC_SIGHUP, GUC_UNIT_MS,
	                        NULL, NULL, NULL);
	DefineCustomIntVariable(
	    "uphub.refresh_batch_size", "Most logged changes one refresh transaction applies.",
	    "The worker commits after each batch; refresh_aggregates() runs "
	    "batches until it has caught up.",
	    &agg_refresh_batch_size, 50000, 1, 10000000, PGC_SUSET, 0, NULL, NULL, NULL);

	if (!uphub_is_preloaded)
		return;
	agg_shmem_init();
	agg_worker_register();
}
