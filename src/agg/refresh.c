/*
 * refresh.c — the refresh loop and refresh_aggregates().
 *
 * A refresh is a sequence of batches, each one call of
 * uphub._agg_refresh_batch() (agg.sql), which claims logged changes with
 * DELETE ... RETURNING and rewrites the aggregate rows they affect. All of
 * it runs under one transaction-level advisory lock (AGG_LOCK_*), taken
 * before any statement of the refresh takes its snapshot, so refreshes are
 * strictly serial: a refresh sees every aggregate row the previous one
 * committed and never claims a change twice. Writers never take this lock.
 *
 * refresh_aggregates() waits for the lock (the worker only tries it, and
 * skips a round when a user refresh runs) and then applies every change
 * logged up to the moment it started; it needs READ COMMITTED, because each
 * batch must see the data committed before it claims (README.md).
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/timestamp.h"

#include "agg/agg.h"
#include "errors.h"
#include "stats/stats.h"
#include "uphub.h"

/* The refresh lock: pg_advisory_xact_lock(AGG_LOCK_CLASS, AGG_LOCK_ID). */
#define AGG_LOCK_CLASS 0x75706875 /* "uphu" */
#define AGG_LOCK_ID    1

PG_FUNCTION_INFO_V1(uphub_refresh_aggregates);

/* Run one query returning a single non-null int8 or bool as int64. */
static int64
agg_spi_int64(const char *sql, int nargs, Oid *argtypes, Datum *values)
{
	int rc;
	bool isnull;
	Datum d;
	Oid type;

	rc = SPI_execute_with_args(sql, nargs, argtypes, values, NULL, false, 1);
	if (rc != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "uphub: unexpected result %d from \"%s\"", rc, sql);
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		return 0;
	type = SPI_gettypeid(SPI_tuptable->tupdesc, 1);
	if (type == BOOLOID)
		return DatumGetBool(d) ? 1 : 0;
	return DatumGetInt64(d);
}

/* Take the refresh lock and apply batches; see agg.h. */
int64
agg_refresh_run(int batch_size, int max_batches, bool wait, bool *locked, bool *rolled_day)
{
	int64 total = 0;
	int64 max_id;
	int batches = 0;
	double lag;
	char sql[160];
	int nestlevel;

	/* The worker and any caller: nothing from the session's search_path. */
	nestlevel = uphub_pin_search_path(NULL);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "uphub: SPI_connect failed");

	snprintf(sql, sizeof(sql), "SELECT pg_catalog.%s(%d, %d)",
	         wait ? "pg_advisory_xact_lock" : "pg_try_advisory_xact_lock", AGG_LOCK_CLASS,
	         AGG_LOCK_ID);
	if (wait)
	{
		if (SPI_execute(sql, false, 1) != SPI_OK_SELECT)
			elog(ERROR, "uphub: could not take the refresh lock");
		*locked = true;
	}
	else
		*locked = agg_spi_int64(sql, 0, NULL, NULL) != 0;

	if (*locked)
	{
		/* Changes logged after this point are left for the next refresh. */
		max_id = agg_spi_int64("SELECT max(id) FROM uphub.agg_change", 0, NULL, NULL);
		while (max_id > 0 && (max_batches <= 0 || batches < max_batches))
		{
			Oid types[2] = {INT4OID, INT8OID};
			Datum values[2] = {Int32GetDatum(batch_size), Int64GetDatum(max_id)};
			int64 n;

			CHECK_FOR_INTERRUPTS();
			n = agg_spi_int64("SELECT uphub._agg_refresh_batch($1, $2)", 2, types, values);
			batches++;
			total += n;
			if (n == 0)
				break;
		}
		*rolled_day = agg_spi_int64("SELECT uphub._agg_roll_day()", 0, NULL, NULL) != 0;
		/*
		 * The lag gauge: set whenever there is something to say. An idle,
		 * caught-up round leaves it alone (the batch that caught up set 0).
		 */
		lag = (double) agg_spi_int64(
		          "SELECT (extract(epoch FROM uphub.aggregate_lag()) * 1e6)::int8", 0, NULL, NULL) /
		      1e6;
		if (total > 0 || lag > 0)
			stats_set_aggregate_lag(lag);
	}

	SPI_finish();
	uphub_unpin_search_path(nestlevel);
	return total;
}

/* SQL: catch up now, synchronously; returns the number of changes applied. */
Datum
uphub_refresh_aggregates(PG_FUNCTION_ARGS)
{
	bool locked;
	bool rolled_day;
	int64 n;
	TimestampTz start;

	if (IsolationUsesXactSnapshot())
		ereport(ERROR,
		        (errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
		         errmsg("refresh_aggregates() cannot run in a REPEATABLE READ or SERIALIZABLE "
		                "transaction"),
		         errdetail("Each batch of the refresh must see the changes committed before it "
		                   "claims them."),
		         errhint("Call it in a READ COMMITTED transaction.")));

	start = GetCurrentTimestamp();
	/*
	 * One batch for everything logged so far: the call is one transaction
	 * anyway (the caller's), and splitting it would only redo the creator,
	 * partition, agency and summary work of the days every batch touches.
	 */
	n = agg_refresh_run(0, 0, true, &locked, &rolled_day);
	stats_refresh_run(n, (double) (GetCurrentTimestamp() - start) / USECS_PER_SEC, true);
	PG_RETURN_INT64(n);
}
