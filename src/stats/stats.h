/*
 * stats.h — the recording API every subsystem calls, and StatsInit.
 *
 * Every stats_* recording function is safe to call from any backend at any
 * time: it does nothing when uphub.track is off or when uphub was not
 * preloaded (no shared memory), and it never raises an error. The hot path
 * takes no exclusive lock: global counters are atomics, a per-operation entry
 * is found under a shared LWLock and updated under its own spinlock.
 */
#ifndef UPHUB_STATS_H
#define UPHUB_STATS_H

#include "postgres.h"

#include "datatype/timestamp.h"

/* True when a recording call would record (tracking on, shared memory present). */
extern bool stats_enabled(void);

/* One RBAC decision: allowed or denied. */
extern void stats_rbac_check(bool allowed);

/* One aggregate refresh run; ok also sets the last-success time to now. */
extern void stats_refresh_run(int64 changes, double seconds, bool ok);

/* Current age, in seconds, of the oldest change not yet applied. */
extern void stats_set_aggregate_lag(double seconds);

/* Rows loaded into a table by the ingest path. */
extern void stats_ingest_rows(const char *table, int64 rows);

/* One lookup in the GraphQL plan cache. */
extern void stats_plan_cache(bool hit);

/*
 * One GraphQL request. queryid is the hash of the normalized document;
 * operation_name may be NULL (anonymous operation); operation_type is
 * "query", "mutation" or "subscription" (NULL when unknown); now is when it
 * ended (the caller has just read the clock to time it).
 */
extern void stats_graphql_request(uint64 queryid, const char *operation_name,
                                  const char *operation_type, bool ok, int64 rows, double seconds,
                                  TimestampTz now);

#endif /* UPHUB_STATS_H */
