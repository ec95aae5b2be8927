/*
 * store.c — the shared-memory stats store: GUCs, shared memory, recording.
 *
 * Phases:
 *   _PG_init (StatsInit)   defines the GUCs, chains shmem_request_hook and
 *                          shmem_startup_hook, registers the exporter worker.
 *   shmem request          asks for StatsShared, the two hashes and one named
 *                          LWLock tranche ("uphub_stats").
 *   shmem startup          under AddinShmemInitLock creates or attaches the
 *                          structures; the postmaster then loads the file that
 *                          the last clean shutdown wrote (persist.c) and
 *                          arranges to write it again at its own clean exit.
 *   recording              any backend, through the stats_* API of stats.h.
 *
 * Locking (the pg_stat_statements recipe, see stats_internal.h):
 * - Global counters and gauges are pg_atomic_uint64 and take no lock. A
 *   gauge holds the bits of a double; the refresh time sum is added with a
 *   compare-and-swap loop.
 * - A GraphQL call is first counted in this backend's pending list (no
 *   shared memory touched), which is added to the shared entries at the end
 *   of the transaction, when the list is full, when its oldest call is
 *   STATS_PENDING_MAX_AGE_MS old, outside a transaction, before this backend
 *   reads the store, and at backend exit. Many calls of one hot operation
 *   thus take the locks below once per transaction, not once per call (on
 *   2 cores, 4 clients recording one operation per call ran at ~0.55 of
 *   track = off). Other backends see a running transaction's calls at its
 *   end, or with a later call once the oldest pending one is
 *   STATS_PENDING_MAX_AGE_MS old (like PostgreSQL's own cumulative stats).
 * - An operation entry is found with the LWLock held in shared mode and
 *   updated under its own spinlock. The LWLock is taken in exclusive mode
 *   only to insert an entry while the hash has room; once it is full, calls
 *   of unknown operations are counted in the __other__ entry under the shared
 *   lock. Nothing is ever evicted; stats_reset() empties the store.
 * - Ingest tables work the same way, with an atomic per table.
 * - A snapshot copies everything under the shared lock (so a reset, which
 *   holds it exclusively, is never half-seen) and is formatted outside it.
 *
 * No recording function raises an error: the hashes are allocated in full at
 * start and inserted into with HASH_ENTER_NULL.
 */
#include "postgres.h"

#include <math.h>

#include "access/xact.h"
#include "catalog/pg_control.h"
#include "common/hashfn.h"
#include "common/controldata_utils.h"
#include "miscadmin.h"
#include "mb/pg_wchar.h"
#include "storage/ipc.h"
#include "storage/proc.h"
#include "storage/shmem.h"
#include "utils/guc.h"

#include "stats/stats.h"
#include "stats/stats_internal.h"
#include "uphub.h"

const double stats_bucket_le[STATS_NBUCKETS] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                0.1,    0.25,  0.5,    1,     2.5,  5,     10};

StatsShared *stats_shared = NULL;
HTAB *stats_op_hash = NULL;
HTAB *stats_table_hash = NULL;
int stats_max_operations = 1000;
bool stats_track = true;
char *stats_listen_address = NULL;
int stats_metrics_port = 9753;

static shmem_request_hook_type prev_shmem_request_hook = NULL;
static shmem_startup_hook_type prev_shmem_startup_hook = NULL;

static void stats_shmem_request(void);
static void stats_shmem_startup(void);
static void stats_shmem_shutdown(int code, Datum arg);
static void stats_xact_callback(XactEvent event, void *arg);

/* Define the GUCs and hooks; recording stays a no-op without preloading. */
void
StatsInit(void)
{
	if (!uphub_is_preloaded)
		return;

	DefineCustomBoolVariable("uphub.track", "Record uphub statistics.",
	                         "When off, every recording call of uphub returns at once.",
	                         &stats_track, true, PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable(
	    "uphub.stats_max_operations", "Most GraphQL operations tracked one by one.",
	    "Calls of operations beyond it are counted under \"__other__\".", &stats_max_operations,
	    1000, 1, 1000000, PGC_POSTMASTER, 0, NULL, NULL, NULL);
	DefineCustomStringVariable("uphub.metrics_listen_address",
	                           "Address the HTTP metrics exporter listens on.",
	                           "Empty turns the exporter off; \"*\" listens on every address.",
	                           &stats_listen_address, "", PGC_SIGHUP, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("uphub.metrics_port", "TCP port of the HTTP metrics exporter.", NULL,
	                        &stats_metrics_port, 9753, 1, 65535, PGC_SIGHUP, 0, NULL, NULL, NULL);

	prev_shmem_request_hook = shmem_request_hook;
	shmem_request_hook = stats_shmem_request;
	prev_shmem_startup_hook = shmem_startup_hook;
	shmem_startup_hook = stats_shmem_startup;
	RegisterXactCallback(stats_xact_callback, NULL);

	stats_exporter_register();
}

/* Bytes of shared memory the store needs for the configured capacity. */
static Size
stats_shmem_size(void)
{
	Size size = MAXALIGN(sizeof(StatsShared));

	size = add_size(size, hash_estimate_size(stats_max_operations, sizeof(StatsOpEntry)));
	size = add_size(size, hash_estimate_size(STATS_MAX_TABLES, sizeof(StatsTableEntry)));
	return size;
}

/* Ask the postmaster for the store's memory and its LWLock. */
static void
stats_shmem_request(void)
{
	if (prev_shmem_request_hook)
		prev_shmem_request_hook();
	RequestAddinShmemSpace(stats_shmem_size());
	RequestNamedLWLockTranche("uphub_stats", 1);
}

/* Zero an operation's counters (min_time starts high so the first call sets it). */
static void
stats_counters_init(StatsOpCounters *c)
{
	memset(c, 0, sizeof(*c));
	c->min_time = INFINITY;
}

/*
 * Hash of an operation key: the queryid and the name up to its NUL. The rest
 * of the name is zero padding, which the default blob hash would also hash
 * (136 bytes a call); the keys still compare with memcmp.
 */
static uint32
stats_op_key_hash(const void *key, Size keysize)
{
	const StatsOpKey *k = key;
	uint32 h = hash_bytes_uint32((uint32) k->queryid);

	h = hash_combine(h, hash_bytes_uint32((uint32) (k->queryid >> 32)));
	return hash_combine(h, hash_bytes((const unsigned char *) k->operation_name,
	                                  (int) strnlen(k->operation_name, STATS_OPNAME_LEN)));
}

/* Create or attach the store; the postmaster also loads the saved stats. */
static void
stats_shmem_startup(void)
{
	bool found;
	HASHCTL info;
	int i;

	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();

	stats_shared = NULL;
	stats_op_hash = NULL;
	stats_table_hash = NULL;

	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	stats_shared = ShmemInitStruct("uphub_stats", sizeof(StatsShared), &found);
	if (!found)
	{
		stats_shared->lock = &(GetNamedLWLockTranche("uphub_stats"))->lock;
		for (i = 0; i < STATS_NCOUNTERS; i++)
			pg_atomic_init_u64(&stats_shared->counters[i], 0);
		for (i = 0; i < STATS_NGAUGES; i++)
			pg_atomic_init_u64(&stats_shared->gauges[i], stats_double_to_bits(0.0));
		for (i = 0; i <= STATS_NBUCKETS; i++)
			pg_atomic_init_u64(&stats_shared->refresh_buckets[i], 0);
		pg_atomic_init_u32(&stats_shared->restored, 0);
		memset(&stats_shared->other_op.key, 0, sizeof(StatsOpKey));
		strlcpy(stats_shared->other_op.key.operation_name, STATS_OTHER_NAME, STATS_OPNAME_LEN);
		memset(stats_shared->other_op.operation_type, 0, STATS_OPTYPE_LEN);
		SpinLockInit(&stats_shared->other_op.mutex);
		stats_counters_init(&stats_shared->other_op.c);
		memset(stats_shared->other_table.name, 0, STATS_TABLE_LEN);
		strlcpy(stats_shared->other_table.name, STATS_OTHER_NAME, STATS_TABLE_LEN);
		pg_atomic_init_u64(&stats_shared->other_table.rows, 0);
		pg_atomic_write_u64(&stats_shared->gauges[STATS_G_RESET_TIME],
		                    stats_double_to_bits(stats_unix_time(GetCurrentTimestamp())));
	}

	memset(&info, 0, sizeof(info));
	info.keysize = sizeof(StatsOpKey);
	info.entrysize = sizeof(StatsOpEntry);
	info.hash = stats_op_key_hash;
	stats_op_hash = ShmemInitHash("uphub_stats operations", stats_max_operations,
	                              stats_max_operations, &info, HASH_ELEM | HASH_FUNCTION);
	memset(&info, 0, sizeof(info));
	info.keysize = STATS_TABLE_LEN;
	info.entrysize = sizeof(StatsTableEntry);
	stats_table_hash = ShmemInitHash("uphub_stats tables", STATS_MAX_TABLES, STATS_MAX_TABLES,
	                                 &info, HASH_ELEM | HASH_BLOBS);
	LWLockRelease(AddinShmemInitLock);

	/* Only the postmaster loads the file and saves it at its exit. */
	if (!IsUnderPostmaster)
	{
		on_shmem_exit(stats_shmem_shutdown, (Datum) 0);
		if (!found)
			stats_file_load();
	}
}

/*
 * Was the server shut down cleanly? The postmaster exits with code 0 after
 * an immediate shutdown too, so ask the control file, which says "shut down"
 * only after the shutdown checkpoint.
 */
static bool
stats_shutdown_was_clean(void)
{
	bool is_clean = false;
	MemoryContext cxt = CurrentMemoryContext;

	PG_TRY();
	{
		bool crc_ok = false;
		ControlFileData *control = get_controlfile(DataDir, &crc_ok);

		is_clean = crc_ok &&
		           (control->state == DB_SHUTDOWNED || control->state == DB_SHUTDOWNED_IN_RECOVERY);
		pfree(control);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		FlushErrorState();
		is_clean = false;
	}
	PG_END_TRY();
	return is_clean;
}

/* Write the stats at a clean postmaster exit; after a crash they are lost. */
static void
stats_shmem_shutdown(int code, Datum arg)
{
	if (code != 0 || stats_shared == NULL || stats_op_hash == NULL)
		return;
	if (!stats_shutdown_was_clean())
		return;
	stats_file_save();
}

/* Reinterpret atomics' bits as a double. */
double
stats_bits_to_double(uint64 bits)
{
	double value;

	memcpy(&value, &bits, sizeof(value));
	return value;
}

/* Store a double in a uint64 atomic. */
uint64
stats_double_to_bits(double value)
{
	uint64 bits;

	memcpy(&bits, &value, sizeof(bits));
	return bits;
}

/* Seconds since 1970 of a timestamp, as Prometheus wants times. */
double
stats_unix_time(TimestampTz t)
{
	return (double) t / USECS_PER_SEC +
	       (double) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY;
}

/* Add to a double held in an atomic, without a lock. */
static void
stats_atomic_add_double(pg_atomic_uint64 *target, double delta)
{
	uint64 old = pg_atomic_read_u64(target);

	while (!pg_atomic_compare_exchange_u64(target, &old,
	                                       stats_double_to_bits(stats_bits_to_double(old) + delta)))
		;
}

/* Which histogram bucket a duration falls in (STATS_NBUCKETS = above all). */
static int
stats_bucket_of(double seconds)
{
	int i;

	for (i = 0; i < STATS_NBUCKETS; i++)
		if (seconds <= stats_bucket_le[i])
			return i;
	return STATS_NBUCKETS;
}

/* Count one call in an operation's counters (a pending entry of this backend). */
void
stats_observe(StatsOpCounters *c, bool ok, int64 rows, double seconds, TimestampTz now)
{
	if (!(seconds >= 0)) /* also NaN */
		seconds = 0;
	if (c->calls == 0)
		c->first_call = now;
	c->calls++;
	if (!ok)
		c->errors++;
	if (rows > 0)
		c->rows += rows;
	c->total_time += seconds;
	if (seconds < c->min_time)
		c->min_time = seconds;
	if (seconds > c->max_time)
		c->max_time = seconds;
	c->buckets[stats_bucket_of(seconds)]++;
	c->last_call = now;
}

/* Add one operation's counters to another's (for __other__ and label merges). */
void
stats_merge(StatsOpCounters *into, const StatsOpCounters *from)
{
	int i;

	if (from->calls == 0)
		return;
	if (into->calls == 0 || from->first_call < into->first_call)
		into->first_call = from->first_call;
	if (into->calls == 0 || from->last_call > into->last_call)
		into->last_call = from->last_call;
	into->calls += from->calls;
	into->errors += from->errors;
	into->rows += from->rows;
	into->total_time += from->total_time;
	if (from->min_time < into->min_time)
		into->min_time = from->min_time;
	if (from->max_time > into->max_time)
		into->max_time = from->max_time;
	for (i = 0; i <= STATS_NBUCKETS; i++)
		into->buckets[i] += from->buckets[i];
}

/* Is anything to be recorded now? (A process without a PGPROC cannot wait on a lock.) */
bool
stats_enabled(void)
{
	return stats_track && stats_shared != NULL && stats_op_hash != NULL && MyProc != NULL;
}

/* Bump a global counter. */
static inline void
stats_count(StatsCounter counter, uint64 n)
{
	pg_atomic_fetch_add_u64(&stats_shared->counters[counter], n);
}

/* Record an RBAC decision. */
void
stats_rbac_check(bool allowed)
{
	if (!stats_enabled())
		return;
	stats_count(allowed ? STATS_C_RBAC_ALLOWED : STATS_C_RBAC_DENIED, 1);
}

/* Record one refresh run of the aggregate worker or refresh_aggregates(). */
void
stats_refresh_run(int64 changes, double seconds, bool ok)
{
	if (!stats_enabled())
		return;
	if (!(seconds >= 0))
		seconds = 0;
	stats_count(STATS_C_REFRESH_RUNS, 1);
	if (!ok)
		stats_count(STATS_C_REFRESH_ERRORS, 1);
	if (changes > 0)
		stats_count(STATS_C_REFRESH_CHANGES, (uint64) changes);
	pg_atomic_fetch_add_u64(&stats_shared->refresh_buckets[stats_bucket_of(seconds)], 1);
	stats_atomic_add_double(&stats_shared->gauges[STATS_G_REFRESH_TIME_SUM], seconds);
	if (ok)
		pg_atomic_write_u64(&stats_shared->gauges[STATS_G_REFRESH_LAST_SUCCESS],
		                    stats_double_to_bits(stats_unix_time(GetCurrentTimestamp())));
}

/* Publish the aggregate lag. */
void
stats_set_aggregate_lag(double seconds)
{
	if (!stats_enabled())
		return;
	if (!(seconds >= 0))
		seconds = 0;
	pg_atomic_write_u64(&stats_shared->gauges[STATS_G_AGGREGATE_LAG],
	                    stats_double_to_bits(seconds));
}

/* Record a plan cache lookup. */
void
stats_plan_cache(bool hit)
{
	if (!stats_enabled())
		return;
	stats_count(hit ? STATS_C_PLAN_CACHE_HITS : STATS_C_PLAN_CACHE_MISSES, 1);
}

/* Copy a string into a zero-padded fixed buffer, clipped on a character boundary. */
static void
stats_copy_name(char *dst, int dstlen, const char *src)
{
	int len;

	memset(dst, 0, dstlen);
	if (src == NULL)
		return;
	len = strlen(src);
	if (len >= dstlen)
		len = pg_mbcliplen(src, len, dstlen - 1);
	memcpy(dst, src, len);
}

/* Record rows loaded by the ingest path into a table. */
void
stats_ingest_rows(const char *table, int64 rows)
{
	char name[STATS_TABLE_LEN];
	StatsTableEntry *entry;
	pg_atomic_uint64 *target = NULL;

	if (!stats_enabled() || rows <= 0)
		return;
	stats_copy_name(name, STATS_TABLE_LEN, table ? table : STATS_OTHER_NAME);

	LWLockAcquire(stats_shared->lock, LW_SHARED);
	entry = hash_search(stats_table_hash, name, HASH_FIND, NULL);
	if (entry)
		target = &entry->rows;
	else if (hash_get_num_entries(stats_table_hash) >= STATS_MAX_TABLES)
		target = &stats_shared->other_table.rows;
	if (target)
	{
		pg_atomic_fetch_add_u64(target, (uint64) rows);
		LWLockRelease(stats_shared->lock);
		return;
	}
	LWLockRelease(stats_shared->lock);

	/* A new table while there is room: insert under the exclusive lock. */
	LWLockAcquire(stats_shared->lock, LW_EXCLUSIVE);
	{
		bool found;

		entry = NULL;
		if (hash_get_num_entries(stats_table_hash) < STATS_MAX_TABLES)
			entry = hash_search(stats_table_hash, name, HASH_ENTER_NULL, &found);
		else
			entry = hash_search(stats_table_hash, name, HASH_FIND, &found);
		if (entry && !found)
			pg_atomic_init_u64(&entry->rows, 0);
		target = entry ? &entry->rows : &stats_shared->other_table.rows;
		pg_atomic_fetch_add_u64(target, (uint64) rows);
	}
	LWLockRelease(stats_shared->lock);
}

/* Add calls counted elsewhere (a backend's pending list) to their operation's entry. */
static void
stats_add_to_entry(const StatsOpKey *key, const char *operation_type, const StatsOpCounters *c)
{
	StatsOpEntry *entry;
	bool found;

	LWLockAcquire(stats_shared->lock, LW_SHARED);
	entry = hash_search(stats_op_hash, key, HASH_FIND, NULL);
	if (entry == NULL && hash_get_num_entries(stats_op_hash) >= stats_max_operations)
		entry = &stats_shared->other_op;
	if (entry == NULL)
	{
		/* A new operation while there is room: insert under the exclusive lock. */
		LWLockRelease(stats_shared->lock);
		LWLockAcquire(stats_shared->lock, LW_EXCLUSIVE);
		entry = NULL;
		if (hash_get_num_entries(stats_op_hash) < stats_max_operations)
			entry = hash_search(stats_op_hash, key, HASH_ENTER_NULL, &found);
		else
			entry = hash_search(stats_op_hash, key, HASH_FIND, &found);
		if (entry && !found)
		{
			memcpy(entry->operation_type, operation_type, STATS_OPTYPE_LEN);
			SpinLockInit(&entry->mutex);
			stats_counters_init(&entry->c);
		}
		if (entry == NULL)
			entry = &stats_shared->other_op;
	}
	SpinLockAcquire(&entry->mutex);
	stats_merge(&entry->c, c);
	SpinLockRelease(&entry->mutex);
	LWLockRelease(stats_shared->lock);
}

/* Calls of this backend not yet in shared memory; see the top of this file. */
#define STATS_PENDING_MAX        64
#define STATS_PENDING_MAX_AGE_MS 500

typedef struct StatsPendingOp
{
	StatsOpKey key;
	char operation_type[STATS_OPTYPE_LEN];
	StatsOpCounters c;
} StatsPendingOp;

static StatsPendingOp stats_pending[STATS_PENDING_MAX];
static int stats_npending = 0;
static TimestampTz stats_pending_since = 0; /* time of the oldest pending call */
static bool stats_exit_registered = false;

/* Add this backend's pending calls to the shared entries. */
static void
stats_flush_pending(void)
{
	int i;

	if (stats_npending == 0 || stats_shared == NULL || stats_op_hash == NULL || MyProc == NULL)
		return;
	for (i = 0; i < stats_npending; i++)
		stats_add_to_entry(&stats_pending[i].key, stats_pending[i].operation_type,
		                   &stats_pending[i].c);
	stats_npending = 0;
}

/* The end of a transaction publishes its calls. */
static void
stats_xact_callback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PREPARE:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_PARALLEL_ABORT:
			stats_flush_pending();
			break;
		default:
			break;
	}
}

/* Backend exit publishes what is left (runs before the LWLocks go away). */
static void
stats_exit_callback(int code, Datum arg)
{
	stats_flush_pending();
}

/* Record one GraphQL request: count it in the pending list, publish when due. */
void
stats_graphql_request(uint64 queryid, const char *operation_name, const char *operation_type,
                      bool ok, int64 rows, double seconds, TimestampTz now)
{
	StatsOpKey key;
	StatsPendingOp *pending = NULL;
	int i;

	if (!stats_enabled())
		return;
	memset(&key, 0, sizeof(key));
	key.queryid = queryid;
	stats_copy_name(key.operation_name, STATS_OPNAME_LEN, operation_name);

	for (i = 0; i < stats_npending; i++)
		if (stats_pending[i].key.queryid == queryid &&
		    memcmp(&stats_pending[i].key, &key, sizeof(key)) == 0)
		{
			pending = &stats_pending[i];
			break;
		}
	if (pending == NULL)
	{
		if (stats_npending == STATS_PENDING_MAX)
			stats_flush_pending();
		if (!stats_exit_registered)
		{
			before_shmem_exit(stats_exit_callback, (Datum) 0);
			stats_exit_registered = true;
		}
		if (stats_npending == 0)
			stats_pending_since = now;
		pending = &stats_pending[stats_npending++];
		pending->key = key;
		stats_copy_name(pending->operation_type, STATS_OPTYPE_LEN, operation_type);
		stats_counters_init(&pending->c);
	}
	stats_observe(&pending->c, ok, rows, seconds, now);

	if (!IsTransactionState() ||
	    TimestampDifferenceExceeds(stats_pending_since, now, STATS_PENDING_MAX_AGE_MS))
		stats_flush_pending();
}

/* Copy the whole store, consistent with respect to resets; format it later. */
StatsSnapshot *
stats_snapshot_take(bool with_operations)
{
	StatsSnapshot *snap = palloc0(sizeof(StatsSnapshot));
	HASH_SEQ_STATUS seq;
	int i;

	snap->max_operations = stats_max_operations;
	if (stats_shared == NULL || stats_op_hash == NULL)
		return snap;
	/* This backend's own calls are part of what it reads. */
	stats_flush_pending();
	/* Allocate before locking: the hashes never outgrow their capacity. */
	if (with_operations)
		snap->ops = palloc((stats_max_operations + 1) * sizeof(StatsOpSnapshot));
	snap->tables = palloc((STATS_MAX_TABLES + 1) * sizeof(StatsTableSnapshot));

	LWLockAcquire(stats_shared->lock, LW_SHARED);
	for (i = 0; i < STATS_NCOUNTERS; i++)
		snap->counters[i] = pg_atomic_read_u64(&stats_shared->counters[i]);
	for (i = 0; i < STATS_NGAUGES; i++)
		snap->gauges[i] = stats_bits_to_double(pg_atomic_read_u64(&stats_shared->gauges[i]));
	for (i = 0; i <= STATS_NBUCKETS; i++)
		snap->refresh_buckets[i] = pg_atomic_read_u64(&stats_shared->refresh_buckets[i]);
	snap->restored = pg_atomic_read_u32(&stats_shared->restored) != 0;
	snap->noperations = (int) hash_get_num_entries(stats_op_hash);

	if (with_operations)
	{
		StatsOpEntry *entry;

		hash_seq_init(&seq, stats_op_hash);
		while ((entry = hash_seq_search(&seq)) != NULL)
		{
			StatsOpSnapshot *op = &snap->ops[snap->nops++];

			op->queryid = entry->key.queryid;
			memcpy(op->operation_name, entry->key.operation_name, STATS_OPNAME_LEN);
			memcpy(op->operation_type, entry->operation_type, STATS_OPTYPE_LEN);
			op->is_other = false;
			SpinLockAcquire(&entry->mutex);
			op->c = entry->c;
			SpinLockRelease(&entry->mutex);
		}
		entry = &stats_shared->other_op;
		SpinLockAcquire(&entry->mutex);
		if (entry->c.calls > 0)
		{
			StatsOpSnapshot *op = &snap->ops[snap->nops++];

			op->queryid = 0;
			strlcpy(op->operation_name, STATS_OTHER_NAME, STATS_OPNAME_LEN);
			op->operation_type[0] = '\0';
			op->is_other = true;
			op->c = entry->c;
		}
		SpinLockRelease(&entry->mutex);
	}

	{
		StatsTableEntry *table;
		uint64 other_rows;

		hash_seq_init(&seq, stats_table_hash);
		while ((table = hash_seq_search(&seq)) != NULL)
		{
			StatsTableSnapshot *t = &snap->tables[snap->ntables++];

			memcpy(t->name, table->name, STATS_TABLE_LEN);
			t->rows = pg_atomic_read_u64(&table->rows);
		}
		other_rows = pg_atomic_read_u64(&stats_shared->other_table.rows);
		if (other_rows > 0)
		{
			StatsTableSnapshot *t = &snap->tables[snap->ntables++];

			strlcpy(t->name, STATS_OTHER_NAME, STATS_TABLE_LEN);
			t->rows = other_rows;
		}
	}
	LWLockRelease(stats_shared->lock);
	return snap;
}

/* Empty the store and note when; callers check permissions. */
void
stats_reset_all(void)
{
	HASH_SEQ_STATUS seq;
	void *entry;
	int i;

	if (stats_shared == NULL || stats_op_hash == NULL)
		return;
	stats_npending = 0; /* this backend's calls before the reset go too */
	LWLockAcquire(stats_shared->lock, LW_EXCLUSIVE);
	hash_seq_init(&seq, stats_op_hash);
	while ((entry = hash_seq_search(&seq)) != NULL)
		hash_search(stats_op_hash, entry, HASH_REMOVE, NULL);
	hash_seq_init(&seq, stats_table_hash);
	while ((entry = hash_seq_search(&seq)) != NULL)
		hash_search(stats_table_hash, entry, HASH_REMOVE, NULL);
	SpinLockAcquire(&stats_shared->other_op.mutex);
	stats_counters_init(&stats_shared->other_op.c);
	SpinLockRelease(&stats_shared->other_op.mutex);
	pg_atomic_write_u64(&stats_shared->other_table.rows, 0);
	for (i = 0; i < STATS_NCOUNTERS; i++)
		pg_atomic_write_u64(&stats_shared->counters[i], 0);
	for (i = 0; i <= STATS_NBUCKETS; i++)
		pg_atomic_write_u64(&stats_shared->refresh_buckets[i], 0);
	/* The lag and the last success describe the present: they stay. */
	pg_atomic_write_u64(&stats_shared->gauges[STATS_G_REFRESH_TIME_SUM], stats_double_to_bits(0.0));
	pg_atomic_write_u64(&stats_shared->gauges[STATS_G_RESET_TIME],
	                    stats_double_to_bits(stats_unix_time(GetCurrentTimestamp())));
	pg_atomic_write_u32(&stats_shared->restored, 0);
	LWLockRelease(stats_shared->lock);
}
