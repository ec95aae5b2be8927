/*
 * worker.c — the aggregate worker: keeps the aggregates current.
 *
 * Loop (like worker_spi / pg_cron):
 *   1. wait on the latch: set by committing writers (capture.c), by SIGHUP
 *      and SIGTERM, or after uphub.refresh_naptime; exit on postmaster death;
 *   2. reload the configuration after SIGHUP;
 *   3. in one transaction: if the extension is installed in uphub.database
 *      (a syscache lookup), try the refresh lock and apply one batch of at
 *      most uphub.refresh_batch_size changes, then roll the summaries over if
 *      the Asia/Shanghai day changed. The batch's claim of the log and the
 *      aggregate rows commit together, so the log is the worker's position
 *      and a crash at any point loses or repeats nothing;
 *   4. a batch that applied changes may have left more: loop without
 *      sleeping until a round finds nothing.
 * Errors abort the transaction, are logged, and the loop goes on after a
 * nap. The per-loop memory context is reset every round. When the process
 * dies anyway, or is terminated (SIGTERM) while the server runs, the
 * postmaster starts it again after AGG_RESTART_SECONDS.
 * The worker never takes a lock that a writer needs: it only deletes log
 * rows and writes aggregate tables.
 */
#include "postgres.h"

#include "access/xact.h"
#include "commands/extension.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/proc.h"
#include "tcop/tcopprot.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "agg/agg.h"
#include "stats/stats.h"
#include "uphub.h"

#define AGG_RESTART_SECONDS 5

PGDLLEXPORT void uphub_agg_worker_main(Datum arg);

static volatile sig_atomic_t agg_got_sigterm = false;

/* SIGTERM: finish the current round, then exit. */
static void
agg_sigterm(SIGNAL_ARGS)
{
	int save_errno = errno;

	agg_got_sigterm = true;
	SetLatch(MyLatch);
	errno = save_errno;
}

/* Register the worker with the postmaster (only while preloading). */
void
agg_worker_register(void)
{
	BackgroundWorker worker;

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = AGG_RESTART_SECONDS;
	snprintf(worker.bgw_library_name, BGW_MAXLEN, "uphub");
	snprintf(worker.bgw_function_name, BGW_MAXLEN, "uphub_agg_worker_main");
	snprintf(worker.bgw_name, BGW_MAXLEN, "uphub aggregate worker");
	snprintf(worker.bgw_type, BGW_MAXLEN, "uphub aggregate worker");
	RegisterBackgroundWorker(&worker);
}

/* Stop advertising the latch when the process exits. */
static void
agg_worker_on_exit(int code, Datum arg)
{
	agg_worker_detach_latch();
}

/* One round in one transaction; returns the number of changes applied. */
static int64
agg_worker_round(bool *installed)
{
	int64 n = 0;
	bool locked = false;
	bool rolled_day = false;

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	/* Each statement of the batch must see what committed before it. */
	XactIsoLevel = XACT_READ_COMMITTED;
	PushActiveSnapshot(GetTransactionSnapshot());

	*installed = OidIsValid(get_extension_oid("uphub", true));
	if (*installed)
	{
		pgstat_report_activity(STATE_RUNNING, "uphub: refreshing aggregates");
		n = agg_refresh_run(agg_refresh_batch_size, 1, false, &locked, &rolled_day);
		if (n > 0 || rolled_day)
			elog(DEBUG1, "uphub: applied %lld aggregate changes%s", (long long) n,
			     rolled_day ? ", rolled the summaries over to a new day" : "");
	}

	PopActiveSnapshot();
	CommitTransactionCommand();
	pgstat_report_stat(false);
	pgstat_report_activity(STATE_IDLE, NULL);
	return n;
}

/* Entry point of the aggregate worker. */
void
uphub_agg_worker_main(Datum arg)
{
	MemoryContext loop_ctx;
	static bool was_installed = true;

	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, agg_sigterm);
	BackgroundWorkerUnblockSignals();

	BackgroundWorkerInitializeConnection(uphub_database, NULL, 0);
	pgstat_report_appname("uphub aggregate worker");

	agg_worker_attach_latch();
	before_shmem_exit(agg_worker_on_exit, (Datum) 0);

	loop_ctx =
	    AllocSetContextCreate(TopMemoryContext, "uphub agg worker loop", ALLOCSET_DEFAULT_SIZES);

	while (!agg_got_sigterm)
	{
		volatile int64 n = 0;
		static bool installed;
		volatile bool failed = false;
		TimestampTz start;

		installed = false;

		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
		}

		start = GetCurrentTimestamp();
		MemoryContextSwitchTo(loop_ctx);
		PG_TRY();
		{
			n = agg_worker_round(&installed);
		}
		PG_CATCH();
		{
			MemoryContextSwitchTo(loop_ctx);
			EmitErrorReport();
			FlushErrorState();
			AbortCurrentTransaction();
			pgstat_report_activity(STATE_IDLE, NULL);
			failed = true;
		}
		PG_END_TRY();
		MemoryContextSwitchTo(TopMemoryContext);
		MemoryContextReset(loop_ctx);
		/* Count rounds that did something, and failures. */
		if (failed || n > 0)
			stats_refresh_run(n, (double) (GetCurrentTimestamp() - start) / USECS_PER_SEC, !failed);

		if (installed != was_installed && !failed)
		{
			if (installed)
				ereport(LOG, (errmsg("uphub aggregate worker: extension found in database \"%s\", "
				                     "refreshing",
				                     uphub_database)));
			else
				ereport(LOG, (errmsg("uphub aggregate worker: extension not installed in "
				                     "database \"%s\", waiting",
				                     uphub_database)));
			was_installed = installed;
		}

		/*
		 * A batch that applied changes: there may be more (a batch claims
		 * whole entities, so it can stop short of the batch size with a
		 * backlog behind it); go on at once until a round finds nothing.
		 */
		if (!failed && n > 0)
		{
			CHECK_FOR_INTERRUPTS();
			continue;
		}

		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
		                 agg_refresh_naptime, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
	}

	/*
	 * Exit code 1, not 0: a worker terminated while the server runs
	 * (pg_terminate_backend, DROP DATABASE ... WITH (FORCE)) is started again
	 * after AGG_RESTART_SECONDS; 0 would unregister it until the next server
	 * start. At shutdown nothing restarts it either way.
	 */
	proc_exit(1);
}
