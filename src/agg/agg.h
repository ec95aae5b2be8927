/*
 * agg.h — the aggregate subsystem's internal interface (src/agg/).
 *
 * capture.c  shared state (the worker's latch) and the commit-time wake-up
 *            that the capture triggers ask for;
 * refresh.c  the refresh loop over uphub._agg_refresh_batch() and the SQL
 *            entry point refresh_aggregates();
 * worker.c   the background worker that keeps the aggregates current.
 */
#ifndef UPHUB_AGG_H
#define UPHUB_AGG_H

#include "postgres.h"

#include "datatype/timestamp.h"

/* GUCs */
extern int agg_refresh_naptime;
extern int agg_refresh_batch_size;

/* capture.c */
extern void agg_shmem_init(void);
extern void agg_worker_attach_latch(void);
extern void agg_worker_detach_latch(void);

/* refresh.c: run up to max_batches batches (each claiming at most batch_size
 * changes with id <= max_id; batch_size <= 0: all of them) under the refresh lock. With wait = false, gives
 * up at once when another refresh holds the lock (*locked = false). Caller is
 * inside a transaction and not connected to SPI. Returns changes applied. */
extern int64 agg_refresh_run(int batch_size, int max_batches, bool wait, bool *locked,
                             bool *rolled_day);

/* interp.c: one video's days from its snapshots (see the file's comment).
 * Counters per snapshot: view, like, coin, favorite, share, danmaku, reply. */
#define AGG_NCOUNTERS 7

typedef struct AggDays
{
	int64 lo_day;                    /* day of delta[0] (days since 2000-01-01) */
	int ndays;                       /* days lo_day .. lo_day + ndays - 1 */
	int64 *delta;                    /* ndays x AGG_NCOUNTERS */
	bool *has;                       /* the day has a row */
	int64 latest[AGG_NCOUNTERS];     /* each counter's last non-NULL value */
	bool latest_null[AGG_NCOUNTERS]; /* ... or none */
} AggDays;

typedef struct AggRange
{
	int64 d1, d2; /* the days a change can alter */
	int from;     /* snapshot at or before d1's start (-1: from the first) */
	int upto;     /* snapshot at or after d2's end (-1: to the last) */
} AggRange;

extern int64 agg_day_of(TimestampTz t);
extern TimestampTz agg_day_start(int64 d);
extern void agg_days_compute(const TimestampTz *ts, const int64 *v, const bool *vnull, int n,
                             int64 d1, int64 d2, AggDays *out);
extern bool agg_range_compute(const TimestampTz *ts, const bool *complete, int n, TimestampTz lo,
                              TimestampTz hi, bool whole, AggRange *r);

/* worker.c */
extern void agg_worker_register(void);

#endif /* UPHUB_AGG_H */
