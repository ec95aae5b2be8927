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

/* worker.c */
extern void agg_worker_register(void);

#endif /* UPHUB_AGG_H */
