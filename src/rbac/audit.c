/*
 * audit.c — writing uphub.audit_log.
 *
 * Allowed actions are recorded in the caller's transaction: if it rolls
 * back, the action did not happen and neither did its record.
 *
 * A denial is followed by an ERROR that rolls the caller's transaction back,
 * so its record is written by another transaction: the denying backend puts
 * the record into a shared-memory slot and starts a short-lived dynamic
 * background worker that connects to the same database as the bootstrap
 * superuser, inserts the row, commits and exits. The caller waits for the
 * worker (up to 10 s) so the row is visible when the error reaches the
 * client. The worker only takes RowExclusiveLock on audit_log, which nothing
 * the caller holds conflicts with short of an explicit exclusive LOCK TABLE;
 * the timeout covers that case. When no worker can be started
 * (max_worker_processes exhausted) the denial goes to the server log
 * instead, with a WARNING.
 *
 * Slot protocol: a backend claims a free slot under audit_lock and fills it;
 * the worker copies it and frees it under the same lock before connecting.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "mb/pg_wchar.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/proc.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/wait_event.h"

#include "errors.h"
#include "rbac.h"

PGDLLEXPORT void rbac_audit_worker_main(Datum arg);

PG_FUNCTION_INFO_V1(rbac_deny);

static SPIPlanPtr plan_audit_allowed = NULL;

static const char *audit_insert_sql =
    "INSERT INTO uphub.audit_log (at, pg_role, principal, action, target, allowed, detail) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)";

/* Fill the common audit columns for the current caller. */
static void
audit_values(Datum *values, char *nulls, const char *action, const char *target, const char *detail,
             bool allowed)
{
	char *role = GetUserNameFromId(GetOuterUserId(), true);
	const char *principal = rbac_cache_principal_name();

	values[0] = TimestampTzGetDatum(GetCurrentTimestamp());
	nulls[0] = ' ';
	values[1] = role ? DirectFunctionCall1(namein, CStringGetDatum(role)) : (Datum) 0;
	nulls[1] = role ? ' ' : 'n';
	values[2] = principal ? CStringGetTextDatum(principal) : (Datum) 0;
	nulls[2] = principal ? ' ' : 'n';
	values[3] = CStringGetTextDatum(action);
	nulls[3] = ' ';
	values[4] = target ? CStringGetTextDatum(target) : (Datum) 0;
	nulls[4] = target ? ' ' : 'n';
	values[5] = BoolGetDatum(allowed);
	nulls[5] = ' ';
	values[6] = detail ? CStringGetTextDatum(detail) : (Datum) 0;
	nulls[6] = detail ? ' ' : 'n';
}

/* Record an allowed action in the caller's transaction. */
void
rbac_audit_allowed(const char *action, const char *target, const char *detail)
{
	Oid types[7] = {TIMESTAMPTZOID, NAMEOID, TEXTOID, TEXTOID, TEXTOID, BOOLOID, TEXTOID};
	Datum values[7];
	char nulls[7];
	RbacPrivileged priv;

	audit_values(values, nulls, action, target, detail, true);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	rbac_privileged_begin(&priv);
	rbac_spi_run(&plan_audit_allowed, audit_insert_sql, 7, types, values, nulls, false);
	rbac_privileged_end(&priv);
	SPI_finish();
}

/* Copy at most size - 1 bytes, never cutting a multibyte character. */
static void
slot_copy(char *dst, const char *src, size_t size)
{
	size_t len;

	if (src == NULL)
	{
		dst[0] = '\0';
		return;
	}
	len = strlen(src);
	if (len >= size)
		len = pg_mbcliplen(src, len, size - 1);
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/* Record a denial in its own transaction, so it survives the caller's error. */
void
rbac_audit_denial(const char *action, const char *target, const char *detail)
{
	int slot = -1;
	int i;
	BackgroundWorker worker;
	BackgroundWorkerHandle *handle;
	const char *principal = rbac_cache_principal_name();
	char *role = GetUserNameFromId(GetOuterUserId(), true);
	TimestampTz deadline;

	rbac_require_shmem();
	SpinLockAcquire(&rbac_shared->audit_lock);
	for (i = 0; i < RBAC_AUDIT_SLOTS; i++)
		if (!rbac_shared->audit[i].in_use)
		{
			slot = i;
			rbac_shared->audit[i].in_use = true;
			break;
		}
	SpinLockRelease(&rbac_shared->audit_lock);

	if (slot >= 0)
	{
		RbacAuditSlot *s = &rbac_shared->audit[slot];

		s->database = MyDatabaseId;
		s->at = GetCurrentTimestamp();
		slot_copy(s->pg_role, role, sizeof(s->pg_role));
		slot_copy(s->principal, principal, sizeof(s->principal));
		slot_copy(s->action, action, sizeof(s->action));
		slot_copy(s->target, target, sizeof(s->target));
		slot_copy(s->detail, detail, sizeof(s->detail));

		memset(&worker, 0, sizeof(worker));
		worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
		worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
		worker.bgw_restart_time = BGW_NEVER_RESTART;
		snprintf(worker.bgw_library_name, BGW_MAXLEN, "uphub");
		snprintf(worker.bgw_function_name, BGW_MAXLEN, "rbac_audit_worker_main");
		snprintf(worker.bgw_name, BGW_MAXLEN, "uphub audit writer");
		snprintf(worker.bgw_type, BGW_MAXLEN, "uphub audit writer");
		worker.bgw_main_arg = Int32GetDatum(slot);
		worker.bgw_notify_pid = MyProcPid;

		if (RegisterDynamicBackgroundWorker(&worker, &handle))
		{
			deadline = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), 10000);
			for (;;)
			{
				pid_t pid;
				BgwHandleStatus status = GetBackgroundWorkerPid(handle, &pid);

				if (status == BGWH_STOPPED || status == BGWH_POSTMASTER_DIED ||
				    GetCurrentTimestamp() >= deadline)
					break;
				(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, 50,
				                 PG_WAIT_EXTENSION);
				ResetLatch(MyLatch);
				CHECK_FOR_INTERRUPTS();
			}
			return;
		}
		SpinLockAcquire(&rbac_shared->audit_lock);
		s->in_use = false;
		SpinLockRelease(&rbac_shared->audit_lock);
	}
	ereport(WARNING, (errmsg("uphub could not start an audit writer; denial logged here only"),
	                  errdetail("Denied %s on \"%s\" for role \"%s\" (principal \"%s\"): %s",
	                            action, target ? target : "", role ? role : "",
	                            principal ? principal : "", detail ? detail : ""),
	                  errhint("Raise max_worker_processes.")));
}

/* Main of the audit writer: insert one denial, commit, exit. */
void
rbac_audit_worker_main(Datum arg)
{
	int slot = DatumGetInt32(arg);
	RbacAuditSlot rec;
	Oid types[7] = {TIMESTAMPTZOID, NAMEOID, TEXTOID, TEXTOID, TEXTOID, BOOLOID, TEXTOID};
	Datum values[7];
	char nulls[7] = {' ', ' ', ' ', ' ', ' ', ' ', ' '};

	BackgroundWorkerUnblockSignals();
	if (rbac_shared == NULL || slot < 0 || slot >= RBAC_AUDIT_SLOTS)
		proc_exit(1);
	SpinLockAcquire(&rbac_shared->audit_lock);
	rec = rbac_shared->audit[slot];
	rbac_shared->audit[slot].in_use = false;
	SpinLockRelease(&rbac_shared->audit_lock);

	BackgroundWorkerInitializeConnectionByOid(rec.database, InvalidOid, 0);
	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	PushActiveSnapshot(GetTransactionSnapshot());
	pgstat_report_activity(STATE_RUNNING, "uphub: writing an RBAC denial to uphub.audit_log");

	values[0] = TimestampTzGetDatum(rec.at);
	values[1] = DirectFunctionCall1(namein, CStringGetDatum(rec.pg_role));
	nulls[1] = rec.pg_role[0] ? ' ' : 'n';
	values[2] = CStringGetTextDatum(rec.principal);
	nulls[2] = rec.principal[0] ? ' ' : 'n';
	values[3] = CStringGetTextDatum(rec.action);
	values[4] = CStringGetTextDatum(rec.target);
	nulls[4] = rec.target[0] ? ' ' : 'n';
	values[5] = BoolGetDatum(false);
	values[6] = CStringGetTextDatum(rec.detail);
	nulls[6] = rec.detail[0] ? ' ' : 'n';
	if (SPI_execute_with_args(audit_insert_sql, 7, types, values, nulls, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not write an RBAC denial to uphub.audit_log");

	SPI_finish();
	PopActiveSnapshot();
	CommitTransactionCommand();
	pgstat_report_activity(STATE_IDLE, NULL);
	proc_exit(0);
}

/* _rbac_deny(action, target, detail): audit the denial, then raise it. */
Datum
rbac_deny(PG_FUNCTION_ARGS)
{
	char *action = PG_ARGISNULL(0) ? "unknown" : text_to_cstring(PG_GETARG_TEXT_PP(0));
	char *target = PG_ARGISNULL(1) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(1));
	char *detail = PG_ARGISNULL(2) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(2));

	rbac_audit_denial(action, target, detail);
	if (target != NULL)
		ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
		                errmsg("permission denied for %s on \"%s\"", action, target),
		                detail ? errdetail("%s", detail) : 0));
	ereport(ERROR,
	        (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE), errmsg("permission denied for %s", action),
	         detail ? errdetail("%s", detail) : 0));
	PG_RETURN_VOID();
}
