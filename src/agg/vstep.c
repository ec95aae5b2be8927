/*
 * vstep.c — the video step of a refresh batch, in C.
 *
 * uphub._agg_video_step(whole boolean) does steps 2 and 3 of
 * _agg_refresh_batch (src/agg/README.md) for the videos claimed into
 * agg_work_change: each video's day range, its days recomputed from its
 * snapshots, video_daily and agg_video_latest brought to them, and the
 * difference logged for the creator steps that follow in SQL.
 *
 * Phases, per batch:
 *   1. read   one statement (an SPI cursor) returns, per claimed video in
 *             key order, its owner and its snapshots from three days before
 *             its first changed time on (whole: all of them), one row per
 *             snapshot: a lateral index range read per video.
 *   2. range  per video, agg_range_compute() (interp.c). The videos whose
 *             window cannot tell (no complete snapshot before the change, or
 *             none at or before the first day's start) are read again, whole,
 *             by a second statement once the first is done.
 *   3. days   agg_days_compute() over the snapshots of the range.
 *   4. merge  the video's stored video_daily rows of the range (one index
 *             range scan of its primary key) against the new days: an equal
 *             row is left alone, a changed one updated in place (HOT when
 *             the page has room), a new one inserted, one no longer there
 *             deleted. Each change is summed, in memory, per creator day
 *             (agg_work_vday) and per creator day and partition in force
 *             that day (agg_work_tdelta, from the video's video_tid_history
 *             rows): the count of rows gone (-1) or added (+1) and the
 *             counter differences (a changed row: 0 and new - old; a row
 *             whose owner changed: gone under the old owner, added under
 *             the new). When the range runs to the last
 *             snapshot, the latest counters are compared with agg_video_latest
 *             the same way. The range goes to agg_work_range for the
 *             statements after this one.
 *
 * Before, the batch deleted every video_daily row of a range and inserted
 * the recomputed ones (three index entries each), logged both one row each,
 * and summed them per creator day and partition in SQL: a video with a new
 * snapshot rewrote two rows where one changes and one appears. The sums are
 * the same either way. The SQL after this step takes the recomputed creator
 * days out of both tables.
 *
 * Writes go through the table AM and the executor's index insertion, as
 * logical replication's apply does, without triggers: the only triggers on
 * these tables are their foreign-key checks, which the SQL statement this
 * replaces skipped as well (session_replication_role = replica: a check
 * locks the video row until the batch commits, and ingest upserts of the
 * video then wait for the batch). A video deleted by a transaction still in
 * flight: its rows' updates wait for it and are skipped once it commits (the
 * rows went with the video); a row inserted for a video deleted meanwhile is
 * removed by the next batch, which the snapshot deletes of that video
 * logged (src/agg/README.md).
 *
 * Visibility: the reads use the snapshots of their statements; rows written
 * here carry the current command id, which none of those snapshots sees,
 * and each (video, day) is written at most once per call.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/heapam.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "nodes/makefuncs.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "agg/agg.h"

PG_FUNCTION_INFO_V1(uphub_agg_video_step);

/* Columns of video_daily (mid, aid, day, 7 counters) and agg_video_latest (aid, 5). */
#define VS_DAILY_NATTS      (3 + AGG_NCOUNTERS)
#define VS_LATEST_NCOUNTERS 5
#define VS_FETCH            2000

/* One video_daily row as stored. */
typedef struct VsRow
{
	int64 day;
	int64 mid;
	int64 c[AGG_NCOUNTERS];
	ItemPointerData tid;
} VsRow;

/* A creator day (tid unused: 0) or creator day and partition, and the difference of its video days. */
typedef struct VsDayKey
{
	int64 mid;
	int32 day;
	int32 tid;
} VsDayKey;

typedef struct VsDayDiff
{
	VsDayKey key;
	int32 cnt;
	int64 c[AGG_NCOUNTERS];
} VsDayDiff;

/* A table written with index maintenance. */
typedef struct VsTable
{
	Relation rel;
	Relation pkey;
	ResultRelInfo *rri;
	TupleTableSlot *slot;
	IndexScanDesc scan;
} VsTable;

/* A scratch table appended to. */
typedef struct VsScratch
{
	Relation rel;
	TupleTableSlot *slot;
	BulkInsertState bi;
} VsScratch;

typedef struct VsState
{
	EState *estate;
	CommandId cid;
	Snapshot snap;
	VsTable daily;
	VsTable latest;
	VsScratch range;
	Relation tid_hist; /* video_tid_history and its primary key */
	Relation tid_hist_pkey;
	IndexScanDesc tid_scan;
	TupleTableSlot *tid_slot;
	HTAB *vday;            /* (mid, day) -> the difference of its video days */
	HTAB *tday;            /* (mid, day, tid) -> the same, per partition in force that day */
	MemoryContext vctx;    /* reset per video */
	MemoryContext scanctx; /* the index scans' (btgettuple allocates in the caller's context) */

	/* The video being read: its claimed span, owner and snapshots. */
	int64 key;
	TimestampTz lo, hi;
	bool has_mid;
	int64 mid;
	int ntid;        /* its partition history (-1: not read yet) */
	int32 *tid_from; /* from_day, ascending */
	int32 *tid;      /* partition from that day */
	bool *tid_null;  /* ... or none */
	int n, cap;
	TimestampTz *ts;
	int64 *v;
	bool *vnull;
	bool *complete;

	/* Videos the window could not answer (read again whole). */
	int nfall, capfall;
	Datum *fkey, *flo, *fhi;

	int64 videos;
} VsState;

static Oid
vs_relid(const char *name)
{
	Oid nsp = get_namespace_oid("uphub", false);
	Oid relid = get_relname_relid(name, nsp);

	if (!OidIsValid(relid))
		elog(ERROR, "uphub: relation uphub.%s is missing", name);
	return relid;
}

/* Open a table for reads through its primary key and writes with its indexes. */
static void
vs_table_open(VsState *st, VsTable *t, const char *name, int rti, int nkeys)
{
	t->rel = table_open(vs_relid(name), RowExclusiveLock);
	t->pkey = index_open(RelationGetPrimaryKeyIndex(t->rel), RowExclusiveLock);
	t->rri = makeNode(ResultRelInfo);
	InitResultRelInfo(t->rri, t->rel, rti, NULL, 0);
	ExecOpenIndices(t->rri, false);
	t->slot = table_slot_create(t->rel, NULL);
	t->scan = index_beginscan(t->rel, t->pkey, st->snap, nkeys, 0);
}

static void
vs_table_close(VsTable *t)
{
	index_endscan(t->scan);
	ExecDropSingleTupleTableSlot(t->slot);
	ExecCloseIndices(t->rri);
	index_close(t->pkey, NoLock);
	table_close(t->rel, NoLock);
}

static void
vs_scratch_open(VsScratch *s, const char *name)
{
	s->rel = table_open(vs_relid(name), RowExclusiveLock);
	s->slot = table_slot_create(s->rel, NULL);
	s->bi = GetBulkInsertState();
}

static void
vs_scratch_close(VsScratch *s)
{
	FreeBulkInsertState(s->bi);
	table_finish_bulk_insert(s->rel, 0);
	ExecDropSingleTupleTableSlot(s->slot);
	table_close(s->rel, NoLock);
}

/* Append the row in s->slot's values to a scratch table. */
static void
vs_scratch_put(VsState *st, VsScratch *s)
{
	ExecStoreVirtualTuple(s->slot);
	table_tuple_insert(s->rel, s->slot, st->cid, 0, s->bi);
}

/* Insert the row in t->slot's values, with its index entries. */
static void
vs_insert(VsState *st, VsTable *t)
{
	ExecStoreVirtualTuple(t->slot);
	table_tuple_insert(t->rel, t->slot, st->cid, 0, NULL);
	if (t->rri->ri_NumIndices > 0)
		ExecInsertIndexTuples(t->rri, t->slot, st->estate, false, false, NULL, NIL);
	ResetPerTupleExprContext(st->estate);
}

/*
 * Replace the row at tid by the values in t->slot. False when the row went
 * meanwhile (its video was deleted by a transaction that committed).
 */
static bool
vs_update(VsState *st, VsTable *t, ItemPointer tid)
{
	TM_FailureData tmfd;
	LockTupleMode lockmode;
	bool update_indexes;
	TM_Result res;

	ExecStoreVirtualTuple(t->slot);
	res = table_tuple_update(t->rel, tid, t->slot, st->cid, st->snap, InvalidSnapshot, true, &tmfd,
	                         &lockmode, &update_indexes);
	if (res == TM_Updated || res == TM_Deleted)
		return false;
	if (res != TM_Ok)
		elog(ERROR, "uphub: unexpected result %d updating %s", (int) res,
		     RelationGetRelationName(t->rel));
	if (update_indexes && t->rri->ri_NumIndices > 0)
		ExecInsertIndexTuples(t->rri, t->slot, st->estate, true, false, NULL, NIL);
	ResetPerTupleExprContext(st->estate);
	return true;
}

/* Delete the row at tid; false when it went meanwhile (as above). */
static bool
vs_delete(VsState *st, VsTable *t, ItemPointer tid)
{
	TM_FailureData tmfd;
	TM_Result res;

	res = table_tuple_delete(t->rel, tid, st->cid, st->snap, InvalidSnapshot, true, &tmfd, false);
	if (res == TM_Updated || res == TM_Deleted)
		return false;
	if (res != TM_Ok)
		elog(ERROR, "uphub: unexpected result %d deleting from %s", (int) res,
		     RelationGetRelationName(t->rel));
	return true;
}

/* The video's partition history (video_tid_history), read once per video. */
static void
vs_read_tids(VsState *st)
{
	ScanKeyData key;
	MemoryContext old = MemoryContextSwitchTo(st->scanctx);
	int cap = 4;

	st->ntid = 0;
	st->tid_from = MemoryContextAlloc(st->vctx, sizeof(int32) * cap);
	st->tid = MemoryContextAlloc(st->vctx, sizeof(int32) * cap);
	st->tid_null = MemoryContextAlloc(st->vctx, sizeof(bool) * cap);
	ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(st->key));
	index_rescan(st->tid_scan, &key, 1, NULL, 0);
	while (index_getnext_slot(st->tid_scan, ForwardScanDirection, st->tid_slot))
	{
		bool isnull;
		Datum d;

		if (st->ntid == cap)
		{
			cap *= 2;
			st->tid_from = repalloc(st->tid_from, sizeof(int32) * cap);
			st->tid = repalloc(st->tid, sizeof(int32) * cap);
			st->tid_null = repalloc(st->tid_null, sizeof(bool) * cap);
		}
		st->tid_from[st->ntid] = DatumGetDateADT(slot_getattr(st->tid_slot, 2, &isnull));
		d = slot_getattr(st->tid_slot, 3, &st->tid_null[st->ntid]);
		st->tid[st->ntid] = st->tid_null[st->ntid] ? 0 : DatumGetInt32(d);
		st->ntid++;
	}
	MemoryContextSwitchTo(old);
}

/* Add sign * counters and cnt to the entry of key in a difference table. */
static void
vs_add(HTAB *h, const VsDayKey *key, int cnt, const int64 *c, const int64 *minus)
{
	bool found;
	VsDayDiff *e = hash_search(h, key, HASH_ENTER, &found);
	int i;

	if (!found)
	{
		e->cnt = 0;
		memset(e->c, 0, sizeof(e->c));
	}
	e->cnt += cnt;
	for (i = 0; i < AGG_NCOUNTERS; i++)
		e->c[i] += (c ? c[i] : 0) - (minus ? minus[i] : 0);
}

/*
 * Log a video_daily difference (cnt rows: -1, 0, +1; c - minus) to its
 * creator day and to the partition the video was in that day (none: the
 * day goes to no partition, as before its history began).
 */
static void
vs_log(VsState *st, int64 mid, int64 day, int cnt, const int64 *c, const int64 *minus)
{
	VsDayKey key;
	int i, last = -1;

	memset(&key, 0, sizeof(key));
	key.mid = mid;
	key.day = (int32) day;
	vs_add(st->vday, &key, cnt, c, minus);
	if (st->ntid < 0)
		vs_read_tids(st);
	for (i = 0; i < st->ntid && st->tid_from[i] <= day; i++)
		last = i;
	if (last < 0 || st->tid_null[last])
		return;
	key.tid = st->tid[last];
	vs_add(st->tday, &key, cnt, c, minus);
}

/* Write a difference table to its scratch table (agg_work_vday or agg_work_tdelta). */
static void
vs_flush(VsState *st, HTAB *h, const char *name, bool with_tid)
{
	VsScratch out;
	HASH_SEQ_STATUS seq;
	VsDayDiff *e;

	vs_scratch_open(&out, name);
	hash_seq_init(&seq, h);
	while ((e = hash_seq_search(&seq)) != NULL)
	{
		TupleTableSlot *s = out.slot;
		int k = 0, i;

		ExecClearTuple(s);
		memset(s->tts_isnull, 0, sizeof(bool) * s->tts_tupleDescriptor->natts);
		s->tts_values[k++] = Int64GetDatum(e->key.mid);
		s->tts_values[k++] = DateADTGetDatum((DateADT) e->key.day);
		if (with_tid)
			s->tts_values[k++] = Int32GetDatum(e->key.tid);
		s->tts_values[k++] = Int32GetDatum(e->cnt);
		for (i = 0; i < AGG_NCOUNTERS; i++)
			s->tts_values[k++] = Int64GetDatum(e->c[i]);
		vs_scratch_put(st, &out);
	}
	vs_scratch_close(&out);
}

/* Put a video_daily row's values into the table's slot. */
static void
vs_fill_daily(VsState *st, int64 mid, int64 day, const int64 *c)
{
	TupleTableSlot *s = st->daily.slot;
	int i;

	ExecClearTuple(s);
	s->tts_values[0] = Int64GetDatum(mid);
	s->tts_values[1] = Int64GetDatum(st->key);
	s->tts_values[2] = DateADTGetDatum((DateADT) day);
	for (i = 0; i < AGG_NCOUNTERS; i++)
		s->tts_values[3 + i] = Int64GetDatum(c[i]);
	memset(s->tts_isnull, 0, sizeof(bool) * VS_DAILY_NATTS);
}

/* The video's stored video_daily rows of days d1..d2, by day. */
static VsRow *
vs_read_daily(VsState *st, int64 d1, int64 d2, int *nrows)
{
	ScanKeyData key[3];
	TupleTableSlot *s = st->daily.slot;
	VsRow *rows = NULL;
	int n = 0, cap = 0;
	MemoryContext old = MemoryContextSwitchTo(st->scanctx);

	ScanKeyInit(&key[0], 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(st->key));
	ScanKeyInit(&key[1], 2, BTGreaterEqualStrategyNumber, F_DATE_GE, DateADTGetDatum((DateADT) d1));
	ScanKeyInit(&key[2], 2, BTLessEqualStrategyNumber, F_DATE_LE, DateADTGetDatum((DateADT) d2));
	index_rescan(st->daily.scan, key, 3, NULL, 0);
	while (index_getnext_slot(st->daily.scan, ForwardScanDirection, s))
	{
		int i;

		if (n == cap)
		{
			cap = cap ? 2 * cap : 8;
			rows = rows ? repalloc(rows, sizeof(VsRow) * cap)
			            : MemoryContextAlloc(st->vctx, sizeof(VsRow) * cap);
		}
		slot_getallattrs(s);
		rows[n].mid = DatumGetInt64(s->tts_values[0]);
		rows[n].day = DatumGetDateADT(s->tts_values[2]);
		for (i = 0; i < AGG_NCOUNTERS; i++)
			rows[n].c[i] = DatumGetInt64(s->tts_values[3 + i]);
		rows[n].tid = s->tts_tid;
		n++;
	}
	MemoryContextSwitchTo(old);
	*nrows = n;
	return rows;
}

/* Bring the video's agg_video_latest row to its latest counters. */
static void
vs_latest(VsState *st, const AggDays *days)
{
	ScanKeyData key;
	TupleTableSlot *s = st->latest.slot;
	ItemPointerData tid;
	bool found, same = true;
	int i;
	MemoryContext old = MemoryContextSwitchTo(st->scanctx);

	ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(st->key));
	index_rescan(st->latest.scan, &key, 1, NULL, 0);
	found = index_getnext_slot(st->latest.scan, ForwardScanDirection, s);
	MemoryContextSwitchTo(old);
	if (found)
	{
		tid = s->tts_tid;
		slot_getallattrs(s);
		for (i = 0; i < VS_LATEST_NCOUNTERS; i++)
		{
			if (s->tts_isnull[1 + i] != days->latest_null[i] ||
			    (!days->latest_null[i] && DatumGetInt64(s->tts_values[1 + i]) != days->latest[i]))
				same = false;
		}
		if (same)
			return;
	}
	ExecClearTuple(s);
	s->tts_values[0] = Int64GetDatum(st->key);
	s->tts_isnull[0] = false;
	for (i = 0; i < VS_LATEST_NCOUNTERS; i++)
	{
		s->tts_values[1 + i] = Int64GetDatum(days->latest[i]);
		s->tts_isnull[1 + i] = days->latest_null[i];
	}
	if (found)
		vs_update(st, &st->latest, &tid);
	else
		vs_insert(st, &st->latest);
}

/* Remember a video the window could not answer. */
static void
vs_fall_back(VsState *st)
{
	if (st->nfall == st->capfall)
	{
		st->capfall = st->capfall ? 2 * st->capfall : 256;
		st->fkey = repalloc(st->fkey, sizeof(Datum) * st->capfall);
		st->flo = repalloc(st->flo, sizeof(Datum) * st->capfall);
		st->fhi = repalloc(st->fhi, sizeof(Datum) * st->capfall);
	}
	st->fkey[st->nfall] = Int64GetDatum(st->key);
	st->flo[st->nfall] = TimestampTzGetDatum(st->lo);
	st->fhi[st->nfall] = TimestampTzGetDatum(st->hi);
	st->nfall++;
}

/* Steps 2-4 for the video read into st (see the file's comment). */
static void
vs_video(VsState *st, bool whole)
{
	TupleTableSlot *rs = st->range.slot;
	MemoryContext old;
	AggRange r;
	AggDays days;
	VsRow *rows;
	int nrows, from, upto, i, j;
	TimestampTz plo, phi;

	if (!agg_range_compute(st->ts, st->complete, st->n, st->lo, st->hi, whole, &r))
	{
		vs_fall_back(st);
		return;
	}
	from = r.from >= 0 ? r.from : 0;
	upto = r.upto >= 0 ? r.upto : st->n - 1;
	if (r.from >= 0)
		plo = st->ts[r.from];
	else
		TIMESTAMP_NOBEGIN(plo);
	if (r.upto >= 0)
		phi = st->ts[r.upto];
	else
		TIMESTAMP_NOEND(phi);

	/* Everything of this video (but the index scans' state) goes with it. */
	old = MemoryContextSwitchTo(st->vctx);
	ExecClearTuple(rs);
	memset(rs->tts_isnull, 0, sizeof(bool) * rs->tts_tupleDescriptor->natts);
	rs->tts_values[0] = CharGetDatum('v');
	rs->tts_values[1] = Int64GetDatum(st->key);
	rs->tts_values[2] = TimestampTzGetDatum(st->lo);
	rs->tts_values[3] = TimestampTzGetDatum(st->hi);
	rs->tts_values[4] = DateADTGetDatum((DateADT) r.d1);
	rs->tts_values[5] = DateADTGetDatum((DateADT) r.d2);
	rs->tts_values[6] = TimestampTzGetDatum(plo);
	rs->tts_values[7] = TimestampTzGetDatum(phi);
	vs_scratch_put(st, &st->range);

	/* A video that is gone keeps no rows (the SQL after this step handles its creator days). */
	if (st->has_mid)
		agg_days_compute(st->ts + from, st->v + (int64) from * AGG_NCOUNTERS,
		                 st->vnull + (int64) from * AGG_NCOUNTERS, upto - from + 1, r.d1, r.d2,
		                 &days);
	else
		memset(&days, 0, sizeof(days));

	rows = vs_read_daily(st, r.d1, r.d2, &nrows);
	i = 0;
	j = 0;
	while (i < nrows || j < days.ndays)
	{
		int64 nday;
		const int64 *nc;

		if (j < days.ndays && !days.has[j])
		{
			j++;
			continue;
		}
		nday = j < days.ndays ? days.lo_day + j : PG_INT64_MAX;
		nc = j < days.ndays ? days.delta + (int64) j * AGG_NCOUNTERS : NULL;
		if (i < nrows && rows[i].day < nday)
		{
			/* A day that has no row any more. */
			if (vs_delete(st, &st->daily, &rows[i].tid))
				vs_log(st, rows[i].mid, rows[i].day, -1, NULL, rows[i].c);
			i++;
		}
		else if (i >= nrows || nday < rows[i].day)
		{
			/* A day that appears. */
			vs_fill_daily(st, st->mid, nday, nc);
			vs_insert(st, &st->daily);
			vs_log(st, st->mid, nday, 1, nc, NULL);
			j++;
		}
		else
		{
			/* A day stored and recomputed: rewritten only when it differs. */
			if (rows[i].mid != st->mid || memcmp(rows[i].c, nc, sizeof(int64) * AGG_NCOUNTERS) != 0)
			{
				vs_fill_daily(st, st->mid, nday, nc);
				if (vs_update(st, &st->daily, &rows[i].tid))
				{
					if (rows[i].mid == st->mid)
						vs_log(st, st->mid, nday, 0, nc, rows[i].c);
					else
					{
						vs_log(st, rows[i].mid, nday, -1, NULL, rows[i].c);
						vs_log(st, st->mid, nday, 1, nc, NULL);
					}
				}
			}
			i++;
			j++;
		}
	}

	/* Up to the last snapshot: its latest counters may have changed. */
	if (st->has_mid && r.upto < 0)
		vs_latest(st, &days);

	st->videos++;
	MemoryContextSwitchTo(old);
	MemoryContextReset(st->vctx);
}

/* Keep one fetched row (a snapshot of the video being read, or its first row). */
static void
vs_take_row(VsState *st, HeapTuple tup, TupleDesc desc, bool whole, bool *started)
{
	bool isnull;
	int64 key = DatumGetInt64(heap_getattr(tup, 1, desc, &isnull));
	Datum t;
	int c;
	bool all = true;

	if (!*started || key != st->key)
	{
		if (*started)
		{
			if (key < st->key)
				elog(ERROR, "uphub: video step read videos out of order");
			vs_video(st, whole);
		}
		*started = true;
		st->key = key;
		st->lo = DatumGetTimestampTz(heap_getattr(tup, 2, desc, &isnull));
		st->hi = DatumGetTimestampTz(heap_getattr(tup, 3, desc, &isnull));
		st->mid = DatumGetInt64(heap_getattr(tup, 4, desc, &isnull));
		st->has_mid = !isnull;
		st->ntid = -1;
		st->n = 0;
	}
	t = heap_getattr(tup, 5, desc, &isnull);
	if (isnull)
		return; /* no snapshot in the window */
	if (st->n == st->cap)
	{
		st->cap *= 2;
		st->ts = repalloc(st->ts, sizeof(TimestampTz) * st->cap);
		st->v = repalloc(st->v, sizeof(int64) * st->cap * AGG_NCOUNTERS);
		st->vnull = repalloc(st->vnull, sizeof(bool) * st->cap * AGG_NCOUNTERS);
		st->complete = repalloc(st->complete, sizeof(bool) * st->cap);
	}
	st->ts[st->n] = DatumGetTimestampTz(t);
	if (st->n > 0 && st->ts[st->n] <= st->ts[st->n - 1])
		elog(ERROR, "uphub: video step read snapshots out of order");
	for (c = 0; c < AGG_NCOUNTERS; c++)
	{
		int k = st->n * AGG_NCOUNTERS + c;
		Datum d = heap_getattr(tup, 6 + c, desc, &st->vnull[k]);

		st->v[k] = st->vnull[k] ? 0 : DatumGetInt64(d);
		all = all && !st->vnull[k];
	}
	st->complete[st->n] = all;
	st->n++;
}

/* Run one read statement over its videos and process each (window or whole). */
static void
vs_run(VsState *st, const char *sql, int nargs, Oid *types, Datum *args, bool whole)
{
	Portal portal;
	bool started = false;

	portal = SPI_cursor_open_with_args(NULL, sql, nargs, types, args, NULL, false, 0);
	/* The cursor's open advanced the command counter: write after it. */
	st->cid = GetCurrentCommandId(true);
	st->estate->es_output_cid = st->cid;
	for (;;)
	{
		uint64 i;

		SPI_cursor_fetch(portal, true, VS_FETCH);
		if (SPI_processed == 0)
			break;
		for (i = 0; i < SPI_processed; i++)
			vs_take_row(st, SPI_tuptable->vals[i], SPI_tuptable->tupdesc, whole, &started);
		SPI_freetuptable(SPI_tuptable);
	}
	if (started)
		vs_video(st, whole);
	SPI_cursor_close(portal);
}

#define VS_SELECT                                                                                \
	"SELECT r.key, r.lo, r.hi, vid.mid, s.observed_at, s.view, s.\"like\", s.coin, s.favorite, " \
	"s.share, s.danmaku, s.reply FROM "
#define VS_LATERAL                                                                              \
	" LEFT JOIN LATERAL (SELECT v.mid FROM uphub.video v WHERE v.aid = r.key OFFSET 0) vid ON " \
	"true LEFT JOIN LATERAL (SELECT s.* FROM uphub.video_snapshot s WHERE s.aid = r.key"
#define VS_ORDER " ORDER BY s.observed_at OFFSET 0) s ON true"

/* SQL: steps 2 and 3 of a batch for its videos (see the file's comment). */
Datum
uphub_agg_video_step(PG_FUNCTION_ARGS)
{
	bool whole = PG_GETARG_BOOL(0);
	VsState st;
	List *rtable;
	RangeTblEntry *rte;
	const char *claimed =
	    "(SELECT c.key, pg_catalog.min(c.t_lo) AS lo, pg_catalog.max(c.t_hi) AS hi "
	    "FROM uphub.agg_work_change c WHERE c.kind = 'v' GROUP BY c.key "
	    "ORDER BY c.key) r";

	memset(&st, 0, sizeof(st));
	SPI_connect();
	st.scanctx = CurrentMemoryContext;
	st.vctx =
	    AllocSetContextCreate(CurrentMemoryContext, "uphub video step", ALLOCSET_DEFAULT_SIZES);
	st.cap = 64;
	st.ts = palloc(sizeof(TimestampTz) * st.cap);
	st.v = palloc(sizeof(int64) * st.cap * AGG_NCOUNTERS);
	st.vnull = palloc(sizeof(bool) * st.cap * AGG_NCOUNTERS);
	st.complete = palloc(sizeof(bool) * st.cap);
	st.fkey = palloc(sizeof(Datum));
	st.flo = palloc(sizeof(Datum));
	st.fhi = palloc(sizeof(Datum));

	/* Reads of the stored rows see everything committed before this step. */
	st.snap = RegisterSnapshot(GetLatestSnapshot());
	st.estate = CreateExecutorState();
	rte = makeNode(RangeTblEntry);
	rte->rtekind = RTE_RELATION;
	rte->relid = vs_relid("video_daily");
	rte->relkind = RELKIND_RELATION;
	rte->rellockmode = RowExclusiveLock;
	rtable = list_make1(rte);
	rte = copyObject(rte);
	rte->relid = vs_relid("agg_video_latest");
	rtable = lappend(rtable, rte);
	ExecInitRangeTable(st.estate, rtable);
	vs_table_open(&st, &st.daily, "video_daily", 1, 3);
	vs_table_open(&st, &st.latest, "agg_video_latest", 2, 1);
	vs_scratch_open(&st.range, "agg_work_range");
	st.tid_hist = table_open(vs_relid("video_tid_history"), AccessShareLock);
	st.tid_hist_pkey = index_open(RelationGetPrimaryKeyIndex(st.tid_hist), AccessShareLock);
	st.tid_scan = index_beginscan(st.tid_hist, st.tid_hist_pkey, st.snap, 1, 0);
	st.tid_slot = table_slot_create(st.tid_hist, NULL);
	{
		HASHCTL ctl;

		ctl.keysize = sizeof(VsDayKey);
		ctl.entrysize = sizeof(VsDayDiff);
		ctl.hcxt = CurrentMemoryContext;
		st.vday =
		    hash_create("uphub video step days", 4096, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
		st.tday = hash_create("uphub video step partition days", 4096, &ctl,
		                      HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}

	vs_run(&st,
	       psprintf("%s%s%s%s%s", VS_SELECT, claimed, VS_LATERAL,
	                whole ? "" : " AND s.observed_at >= r.lo - interval '3 days'", VS_ORDER),
	       0, NULL, NULL, whole);
	if (st.nfall > 0)
	{
		Oid types[3] = {INT8ARRAYOID, TIMESTAMPTZARRAYOID, TIMESTAMPTZARRAYOID};
		Datum args[3];

		args[0] = PointerGetDatum(
		    construct_array(st.fkey, st.nfall, INT8OID, sizeof(int64), true, TYPALIGN_DOUBLE));
		args[1] = PointerGetDatum(construct_array(st.flo, st.nfall, TIMESTAMPTZOID,
		                                          sizeof(TimestampTz), true, TYPALIGN_DOUBLE));
		args[2] = PointerGetDatum(construct_array(st.fhi, st.nfall, TIMESTAMPTZOID,
		                                          sizeof(TimestampTz), true, TYPALIGN_DOUBLE));
		st.nfall = 0;
		vs_run(&st,
		       psprintf("%s%s%s%s", VS_SELECT,
		                "ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2), "
		                "pg_catalog.unnest($3)) AS r(key, lo, hi)",
		                VS_LATERAL, VS_ORDER),
		       3, types, args, true);
	}

	vs_flush(&st, st.vday, "agg_work_vday", false);
	vs_flush(&st, st.tday, "agg_work_tdelta", true);
	ExecDropSingleTupleTableSlot(st.tid_slot);
	index_endscan(st.tid_scan);
	index_close(st.tid_hist_pkey, NoLock);
	table_close(st.tid_hist, NoLock);
	vs_scratch_close(&st.range);
	vs_table_close(&st.latest);
	vs_table_close(&st.daily);
	FreeExecutorState(st.estate);
	UnregisterSnapshot(st.snap);
	SPI_finish();
	/* The statements after this one see its writes. */
	CommandCounterIncrement();
	PG_RETURN_INT64(st.videos);
}
