/*
 * stats_internal.h — the shared-memory layout and the snapshot shared by the
 * files of src/stats/ (store, persist, views, prometheus, exporter).
 *
 * Layout in shared memory (created by store.c):
 *   StatsShared      global counters and gauges as pg_atomic_uint64 (gauges
 *                    hold the bits of a double), the refresh histogram, the
 *                    two overflow entries, and the LWLock of the two hashes.
 *   operation hash   StatsOpEntry keyed by (queryid, operation name), at most
 *                    uphub.stats_max_operations entries.
 *   table hash       StatsTableEntry keyed by table name, at most
 *                    STATS_MAX_TABLES entries.
 * Locking: the LWLock in shared mode to find an entry and to copy the store;
 * in exclusive mode only to insert an entry while there is room, to reset and
 * to load at start. A StatsOpEntry's counters change under its spinlock.
 */
#ifndef UPHUB_STATS_INTERNAL_H
#define UPHUB_STATS_INTERNAL_H

#include "postgres.h"

#include "common/shortest_dec.h"
#include "lib/stringinfo.h"
#include "port/atomics.h"
#include "storage/lwlock.h"
#include "storage/spin.h"
#include "utils/hsearch.h"
#include "utils/timestamp.h"

/* Histogram upper bounds in seconds; one more bucket counts what is above. */
#define STATS_NBUCKETS 14
extern const double stats_bucket_le[STATS_NBUCKETS];

#define STATS_OPNAME_LEN 128 /* longer operation names are clipped */
#define STATS_OPTYPE_LEN 16
#define STATS_TABLE_LEN  NAMEDATALEN
#define STATS_MAX_TABLES 64
#define STATS_OTHER_NAME "__other__"

typedef enum StatsCounter
{
	STATS_C_PLAN_CACHE_HITS,
	STATS_C_PLAN_CACHE_MISSES,
	STATS_C_RBAC_ALLOWED,
	STATS_C_RBAC_DENIED,
	STATS_C_REFRESH_RUNS,
	STATS_C_REFRESH_ERRORS,
	STATS_C_REFRESH_CHANGES,
	STATS_NCOUNTERS
} StatsCounter;

typedef enum StatsGauge
{
	STATS_G_AGGREGATE_LAG,        /* seconds */
	STATS_G_REFRESH_LAST_SUCCESS, /* Unix seconds, 0 = never */
	STATS_G_REFRESH_TIME_SUM,     /* seconds, the refresh histogram's _sum */
	STATS_G_RESET_TIME,           /* Unix seconds of the last reset or empty start */
	STATS_NGAUGES
} StatsGauge;

typedef struct StatsOpKey
{
	uint64 queryid;
	char operation_name[STATS_OPNAME_LEN]; /* "" = anonymous; zero padded */
} StatsOpKey;

typedef struct StatsOpCounters
{
	int64 calls;
	int64 errors;
	int64 rows;
	double total_time; /* seconds */
	double min_time;
	double max_time;
	int64 buckets[STATS_NBUCKETS + 1]; /* per bucket, not cumulative */
	TimestampTz first_call;
	TimestampTz last_call;
} StatsOpCounters;

typedef struct StatsOpEntry
{
	StatsOpKey key; /* hash key: first */
	char operation_type[STATS_OPTYPE_LEN];
	slock_t mutex; /* protects c */
	StatsOpCounters c;
} StatsOpEntry;

typedef struct StatsTableEntry
{
	char name[STATS_TABLE_LEN]; /* hash key: first */
	pg_atomic_uint64 rows;
} StatsTableEntry;

typedef struct StatsShared
{
	LWLock *lock; /* structure of both hashes; see the top of this file */
	pg_atomic_uint64 counters[STATS_NCOUNTERS];
	pg_atomic_uint64 gauges[STATS_NGAUGES]; /* double bits */
	pg_atomic_uint64 refresh_buckets[STATS_NBUCKETS + 1];
	pg_atomic_uint32 restored; /* 1 when loaded from the file at start */
	StatsOpEntry other_op;     /* operations beyond capacity */
	StatsTableEntry other_table;
} StatsShared;

extern StatsShared *stats_shared;
extern HTAB *stats_op_hash;
extern HTAB *stats_table_hash;
extern int stats_max_operations;
extern bool stats_track;

/* One operation as copied out of shared memory. */
typedef struct StatsOpSnapshot
{
	uint64 queryid;
	char operation_name[STATS_OPNAME_LEN];
	char operation_type[STATS_OPTYPE_LEN];
	bool is_other;
	StatsOpCounters c;
} StatsOpSnapshot;

typedef struct StatsTableSnapshot
{
	char name[STATS_TABLE_LEN];
	uint64 rows;
} StatsTableSnapshot;

/* Everything the views and the Prometheus text show, copied at one time. */
typedef struct StatsSnapshot
{
	uint64 counters[STATS_NCOUNTERS];
	double gauges[STATS_NGAUGES];
	uint64 refresh_buckets[STATS_NBUCKETS + 1];
	bool restored;
	int max_operations;
	int noperations; /* entries in the hash, without __other__ */
	int nops;        /* entries in ops[], __other__ included when used */
	StatsOpSnapshot *ops;
	int ntables;
	StatsTableSnapshot *tables;
} StatsSnapshot;

/* store.c */
extern double stats_bits_to_double(uint64 bits);
extern uint64 stats_double_to_bits(double value);
extern double stats_unix_time(TimestampTz t);
extern void stats_observe(StatsOpCounters *c, bool ok, int64 rows, double seconds, TimestampTz now);
extern void stats_merge(StatsOpCounters *into, const StatsOpCounters *from);
extern StatsSnapshot *stats_snapshot_take(bool with_operations);
extern void stats_reset_all(void);

/* persist.c */
extern void stats_file_load(void);
extern void stats_file_save(void);

/* prometheus.c: a walk over the families calls a sink. */
typedef struct StatsSink
{
	void (*family)(void *arg, const char *name, const char *type, const char *help);
	void (*sample)(void *arg, const char *name, int nlabels, const char *const *label_names,
	               const char *const *label_values, double value);
	void *arg;
} StatsSink;
extern void stats_walk(const StatsSink *sink, const StatsSnapshot *snap, bool with_operations);
extern void stats_format_prometheus(StringInfo out, const StatsSnapshot *snap);
#define STATS_VALUE_LEN DOUBLE_SHORTEST_DECIMAL_LEN /* NaN, +Inf and 15 digits fit too */
extern int stats_format_value(char *buf, double value);

/* views.c */
extern bool stats_can_read(void);

/* exporter.c */
extern char *stats_listen_address;
extern int stats_metrics_port;
extern void stats_exporter_register(void);

#endif /* UPHUB_STATS_INTERNAL_H */
