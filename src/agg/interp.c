/*
 * interp.c — the daily interpolation of one video's counters, in C.
 *
 * agg_days_compute(ts, v, vnull, n, d1, d2, out)  (the video step, vstep.c)
 *   ts  the observation times of the snapshots, ascending;
 *   v   per snapshot the seven counters (view, like, coin, favorite, share,
 *       danmaku, reply), vnull when hidden.
 * Gives one row per Asia/Shanghai day in [d1, d2] that any counter's
 * observed span overlaps with positive length: the day's delta per counter
 * = value(min(end of day, last point)) - value(max(start of day, first
 * point)), where value() is the snapshot's value at a snapshot and
 * round(v0 + (v1 - v0) * (b - t0) / (t1 - t0)) (numeric, half away from
 * zero) at a time b strictly between two consecutive non-NULL snapshots:
 * exactly the semantics of src/agg/README.md and of the SQL it replaces
 * (_agg_interp over _agg_boundaries), and each counter's last non-NULL
 * value (or none).
 *
 * Exactness: the SQL divides numerics, which rounds the quotient to at
 * least 6 decimals (the scale of an epoch), then rounds to an integer. The
 * exact rational result computed here in 128-bit integers (times in
 * microseconds) rounds the same way unless its fraction lies within 1e-6
 * of one half; those rare cases are computed with the numeric functions
 * themselves, in the same order of operations as _agg_interp.
 *
 * agg_range_compute(), and its SQL form for the tests
 * uphub._agg_video_range(ts timestamptz[], complete boolean[], lo, hi)
 *   The day range [d1, d2] a change at times [lo, hi] can alter and the
 *   snapshots [plo, phi] that recompute it (src/agg/README.md, refresh step
 *   2), from a window of the video's snapshots: every one observed from
 *   some time before lo on, ascending, with whether all seven counters are
 *   non-NULL. When the window holds no complete snapshot before lo, or none
 *   at or before the start of d1, it cannot tell (the answer lies before
 *   it): all four come back NULL and the caller reads all of them.
 *
 * Days: Asia/Shanghai has been UTC+8 without daylight saving since 1991, and
 * the schema only admits observations from 2009 on, so a day is a fixed
 * 24 hours starting at 16:00 UTC.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "agg/agg.h"

#define AGG_TZ_OFFSET (INT64CONST(8) * USECS_PER_HOUR)

PG_FUNCTION_INFO_V1(uphub_agg_video_range);

/* Asia/Shanghai day of a time (days since 2000-01-01, like DateADT). */
int64
agg_day_of(TimestampTz t)
{
	int64 x = t + AGG_TZ_OFFSET;
	int64 d = x / USECS_PER_DAY;

	if (x % USECS_PER_DAY < 0)
		d--;
	return d;
}

/* Start (Asia/Shanghai midnight) of a day. */
TimestampTz
agg_day_start(int64 d)
{
	return d * USECS_PER_DAY - AGG_TZ_OFFSET;
}

/* Epoch of a time as numeric, exactly as EXTRACT(epoch FROM t) gives it. */
static Datum
agg_epoch(TimestampTz t)
{
	return DirectFunctionCall2(extract_timestamptz, PointerGetDatum(cstring_to_text("epoch")),
	                           TimestampTzGetDatum(t));
}

/* _agg_interp() with the numeric functions: the near-half fallback. */
static int64
agg_interp_numeric(TimestampTz t0, int64 v0, TimestampTz t1, int64 v1, TimestampTz b)
{
	Datum n0 = NumericGetDatum(int64_to_numeric(v0));
	Datum n1 = NumericGetDatum(int64_to_numeric(v1));
	Datum e0 = agg_epoch(t0);
	Datum diff, num, den, q, r;

	diff = DirectFunctionCall2(numeric_sub, n1, n0);
	num =
	    DirectFunctionCall2(numeric_mul, diff, DirectFunctionCall2(numeric_sub, agg_epoch(b), e0));
	den = DirectFunctionCall2(numeric_sub, agg_epoch(t1), e0);
	q = DirectFunctionCall2(numeric_div, num, den);
	r = DirectFunctionCall2(numeric_round, DirectFunctionCall2(numeric_add, n0, q),
	                        Int32GetDatum(0));
	return DatumGetInt64(DirectFunctionCall1(numeric_int8, r));
}

/* Value at b strictly between (t0, v0) and (t1, v1), rounded half away from zero. */
static int64
agg_interp(TimestampTz t0, int64 v0, TimestampTz t1, int64 v1, TimestampTz b)
{
	int128 dt = (int128) (t1 - t0);
	int128 total = (int128) v0 * dt + ((int128) v1 - (int128) v0) * (int128) (b - t0);
	bool neg = total < 0;
	int128 a = neg ? -total : total;
	int128 q = a / dt;
	int128 rem = a % dt;
	int128 gap = 2 * rem - dt;

	if (gap < 0)
		gap = -gap;
	/* Fraction within 1e-6 of one half but not exactly one half: use numeric. */
	if (gap != 0 && gap * 1000000 <= dt)
		return agg_interp_numeric(t0, v0, t1, v1, b);
	if (2 * rem >= dt)
		q++;
	return (int64) (neg ? -q : q);
}

/* Value of a counter at time x within its span [t[0], t[n-1]]; *j is a cursor. */
static int64
agg_value_at(const TimestampTz *t, const int64 *v, int n, int *j, TimestampTz x)
{
	while (*j + 1 < n && t[*j + 1] <= x)
		(*j)++;
	if (t[*j] == x || *j + 1 >= n)
		return v[*j];
	return agg_interp(t[*j], v[*j], t[*j + 1], v[*j + 1], x);
}

/* The daily deltas of one video over days [d1, d2] and its latest values (see above). */
void
agg_days_compute(const TimestampTz *ts, const int64 *v, const bool *vnull, int n, int64 d1,
                 int64 d2, AggDays *out)
{
	TimestampTz *pt = palloc(sizeof(TimestampTz) * Max(n, 1));
	int64 *pv = palloc(sizeof(int64) * Max(n, 1));
	int64 lo_day = 0, hi_day = -1;
	int c, i;

	/* The days to fill: the span of all points, clipped to [d1, d2]. */
	if (n >= 2 && d1 <= d2)
	{
		lo_day = Max(agg_day_of(ts[0]), d1);
		hi_day = Min(agg_day_of(ts[n - 1]), d2);
	}
	out->lo_day = lo_day;
	out->ndays = hi_day >= lo_day ? (int) (hi_day - lo_day + 1) : 0;
	out->delta = palloc0(sizeof(int64) * Max(out->ndays, 1) * AGG_NCOUNTERS);
	out->has = palloc0(sizeof(bool) * Max(out->ndays, 1));

	for (c = 0; c < AGG_NCOUNTERS; c++)
	{
		int m = 0;
		int j = 0;
		int64 first, last, d;

		for (i = 0; i < n; i++)
		{
			if (vnull[i * AGG_NCOUNTERS + c])
				continue;
			pt[m] = ts[i];
			pv[m] = v[i * AGG_NCOUNTERS + c];
			m++;
		}
		out->latest_null[c] = m == 0;
		out->latest[c] = m > 0 ? pv[m - 1] : 0;
		if (m < 2 || out->ndays == 0)
			continue;
		first = Max(agg_day_of(pt[0]), lo_day);
		last = Min(agg_day_of(pt[m - 1]), hi_day);
		for (d = first; d <= last; d++)
		{
			TimestampTz x0 = Max(agg_day_start(d), pt[0]);
			TimestampTz x1 = Min(agg_day_start(d + 1), pt[m - 1]);
			int64 v0, v1;

			if (x0 >= x1)
				continue;
			v0 = agg_value_at(pt, pv, m, &j, x0);
			v1 = agg_value_at(pt, pv, m, &j, x1);
			out->delta[(d - lo_day) * AGG_NCOUNTERS + c] += v1 - v0;
			out->has[d - lo_day] = true;
		}
	}
	pfree(pt);
	pfree(pv);
}

/*
 * The day range and snapshot range of a change at [lo, hi] from n snapshots
 * ascending (see above). whole: they are all the video's snapshots, so the
 * answer is always known (no complete snapshot before lo: the range starts
 * at the first snapshot or lo; none at or before d1's start: from the
 * first). Otherwise returns false when the window cannot tell.
 */
bool
agg_range_compute(const TimestampTz *ts, const bool *complete, int n, TimestampTz lo,
                  TimestampTz hi, bool whole, AggRange *r)
{
	int before = -1, after = -1, i;

	/* The last complete snapshot before lo, the first complete after hi. */
	for (i = 0; i < n; i++)
	{
		if (!complete[i])
			continue;
		if (ts[i] < lo)
			before = i;
		if (ts[i] > hi && after < 0)
			after = i;
	}
	if (before >= 0)
		r->d1 = agg_day_of(ts[before]);
	else if (whole)
		r->d1 = agg_day_of(n > 0 ? Min(lo, ts[0]) : lo);
	else
		return false;
	r->d2 = agg_day_of(after >= 0 ? ts[after] : (n > 0 ? Max(hi, ts[n - 1]) : hi));

	/* The snapshots that recompute d1..d2: from at or before d1's start, upto at or after d2's end. */
	r->from = r->upto = -1;
	for (i = 0; i < n; i++)
	{
		if (!complete[i])
			continue;
		if (ts[i] <= agg_day_start(r->d1))
			r->from = i;
		if (ts[i] >= agg_day_start(r->d2 + 1) && r->upto < 0)
			r->upto = i;
	}
	return r->from >= 0 || whole;
}

/* SQL: the day range and snapshot range of a change, from a window (see above). */
Datum
uphub_agg_video_range(PG_FUNCTION_ARGS)
{
	ArrayType *ts_arr = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType *c_arr = PG_GETARG_ARRAYTYPE_P(1);
	TimestampTz lo = PG_GETARG_TIMESTAMPTZ(2);
	TimestampTz hi = PG_GETARG_TIMESTAMPTZ(3);
	TupleDesc desc;
	Datum *ts_d, *c_d;
	bool *ts_null, *c_null;
	int n, nc, i;
	TimestampTz *ts;
	bool *complete;
	AggRange r;
	Datum values[4];
	bool nulls[4] = {0};

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "uphub: _agg_video_range must return a record");
	desc = BlessTupleDesc(desc);
	deconstruct_array(ts_arr, TIMESTAMPTZOID, sizeof(TimestampTz), true, TYPALIGN_DOUBLE, &ts_d,
	                  &ts_null, &n);
	deconstruct_array(c_arr, BOOLOID, 1, true, TYPALIGN_CHAR, &c_d, &c_null, &nc);
	if (nc != n)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
		                errmsg("expected one completeness flag per snapshot")));
	ts = palloc(sizeof(TimestampTz) * Max(n, 1));
	complete = palloc(sizeof(bool) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		if (ts_null[i] || c_null[i])
			ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
			                errmsg("observation times and flags must not be null")));
		ts[i] = DatumGetTimestampTz(ts_d[i]);
		complete[i] = DatumGetBool(c_d[i]);
		if (i > 0 && ts[i] <= ts[i - 1])
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			                errmsg("observation times must be strictly ascending")));
	}
	if (!agg_range_compute(ts, complete, n, lo, hi, false, &r))
		PG_RETURN_NULL();

	values[0] = DateADTGetDatum((DateADT) r.d1);
	values[1] = DateADTGetDatum((DateADT) r.d2);
	values[2] = TimestampTzGetDatum(ts[r.from]);
	if (r.upto >= 0)
		values[3] = TimestampTzGetDatum(ts[r.upto]);
	else
	{
		TimestampTz inf;

		TIMESTAMP_NOEND(inf);
		values[3] = TimestampTzGetDatum(inf);
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
