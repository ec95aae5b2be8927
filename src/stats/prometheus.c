/*
 * prometheus.c — one walk over a snapshot that names every metric family and
 * sample; the Prometheus text (uphub.metrics() and GET /metrics) and the
 * uphub.counters view are two sinks of that same walk.
 *
 * Text format 0.0.4: a HELP and a TYPE line per family, counters end in
 * _total, times are in seconds, histograms have cumulative _bucket{le=...}
 * samples whose le="+Inf" equals _count, then _sum and _count. Label values
 * escape backslash, double quote and newline.
 *
 * Per-operation families are labelled by operation name. Entries with the
 * same name (two documents with one operation name) are summed so every
 * series appears once; an anonymous operation is "__anonymous__" (names
 * beginning with "__" are reserved by GraphQL, so neither it nor "__other__"
 * can clash with a real operation name).
 *
 * Speed (a scrape of 1,000 operations is ~20,000 samples, ~1.6 MB): the
 * operations are sorted as pointers, not copied; the histogram's le values
 * and sample names are formatted once, not per sample; the text sink writes
 * each line with memcpy into a buffer reserved once for the whole text,
 * escapes a label value in one pass (a plain copy when nothing needs an
 * escape) and prints whole numbers below 1e15 (every count) with an integer
 * routine — the same digits the shortest round-trip decimal gives them.
 *
 * Pure formatting: no locks, no catalog access, so the exporter worker
 * (which has no database connection) can run it.
 */
#include "postgres.h"

#include <math.h>

#include "common/shortest_dec.h"
#include "utils/memutils.h"

#include "stats/stats_internal.h"

#define STATS_ANONYMOUS_NAME "__anonymous__"

/* Below this a whole number prints as plain digits (ryu switches to exponents at 1e15). */
#define STATS_INTEGER_LIMIT 1e15

/* One label-merged operation: its label and its counters (summed when shared). */
typedef struct StatsOpSeries
{
	const char *name;
	const StatsOpCounters *c; /* into the snapshot, or into sums when summed */
	uint64 queryid;
	int index; /* in the snapshot: the last tie-break */
	bool summed;
} StatsOpSeries;

/* The sample names of one histogram family, built once per family. */
typedef struct StatsHistNames
{
	char bucket[128];
	char sum[128];
	char count[128];
} StatsHistNames;

/* The le label values of the buckets, "+Inf" last; filled on first use. */
static char stats_le_text[STATS_NBUCKETS + 1][STATS_VALUE_LEN];
static bool stats_le_ready = false;

/*
 * A sample value in Prometheus' spelling: NaN, +Inf, -Inf, or the shortest
 * round-trip decimal (what float8out prints). Returns the length; buf needs
 * STATS_VALUE_LEN bytes and is NUL-terminated.
 */
int
stats_format_value(char *buf, double value)
{
	/* Whole numbers below 1e15 (counts): their digits are the shortest decimal. */
	if (value >= 0 && value < STATS_INTEGER_LIMIT && !(value == 0 && signbit(value)))
	{
		uint64 n = (uint64) value;

		if ((double) n == value)
		{
			char digits[20];
			int len = 0;
			int i;

			do
			{
				digits[len++] = (char) ('0' + n % 10);
				n /= 10;
			} while (n > 0);
			for (i = 0; i < len; i++)
				buf[i] = digits[len - 1 - i];
			buf[len] = '\0';
			return len;
		}
	}
	if (isnan(value))
	{
		strcpy(buf, "NaN");
		return 3;
	}
	if (isinf(value))
	{
		strcpy(buf, value > 0 ? "+Inf" : "-Inf");
		return 4;
	}
	return double_to_shortest_decimal_buf(value, buf);
}

/* Format the bucket bounds once per process: they never change. */
static void
stats_le_prepare(void)
{
	int i;

	if (stats_le_ready)
		return;
	for (i = 0; i < STATS_NBUCKETS; i++)
		stats_format_value(stats_le_text[i], stats_bucket_le[i]);
	strcpy(stats_le_text[STATS_NBUCKETS], "+Inf");
	stats_le_ready = true;
}

/* The _bucket, _sum and _count sample names of a histogram family. */
static void
stats_hist_names(StatsHistNames *names, const char *family)
{
	snprintf(names->bucket, sizeof(names->bucket), "%s_bucket", family);
	snprintf(names->sum, sizeof(names->sum), "%s_sum", family);
	snprintf(names->count, sizeof(names->count), "%s_count", family);
}

/*
 * Order operations by their label so equal names are adjacent; equal names
 * by queryid, so their float sums add up in the same order whatever order
 * the hash gave them in.
 */
static int
stats_op_series_cmp(const void *a, const void *b)
{
	const StatsOpSeries *x = a;
	const StatsOpSeries *y = b;
	int cmp = strcmp(x->name, y->name);

	if (cmp != 0)
		return cmp;
	if (x->queryid != y->queryid)
		return x->queryid > y->queryid ? 1 : -1;
	return (x->index > y->index) - (x->index < y->index);
}

/* Call the sink for a histogram: cumulative buckets, +Inf, sum and count. */
static void
stats_walk_histogram(const StatsSink *sink, const StatsHistNames *hist, const char *label_name,
                     const char *label_value, const int64 *buckets, double sum)
{
	const char *names[2];
	const char *values[2];
	int nlabels = 0;
	int64 cumulative = 0;
	int i;

	if (label_name)
	{
		names[0] = label_name;
		values[0] = label_value;
		nlabels = 1;
	}
	names[nlabels] = "le";
	for (i = 0; i <= STATS_NBUCKETS; i++)
	{
		cumulative += buckets[i];
		values[nlabels] = stats_le_text[i];
		sink->sample(sink->arg, hist->bucket, nlabels + 1, names, values, (double) cumulative);
	}
	sink->sample(sink->arg, hist->sum, nlabels, names, values, sum);
	sink->sample(sink->arg, hist->count, nlabels, names, values, (double) cumulative);
}

/* One unlabelled sample. */
static void
stats_walk_single(const StatsSink *sink, const char *name, double value)
{
	sink->sample(sink->arg, name, 0, NULL, NULL, value);
}

/* Per-operation families, summed by operation name. */
static void
stats_walk_operations(const StatsSink *sink, const StatsSnapshot *snap)
{
	StatsOpSeries *series;
	StatsOpCounters *sums = NULL;
	int nsums = 0;
	int nseries = 0;
	int i;
	const char *names[2];
	const char *values[2];
	StatsHistNames hist;

	/* Sort pointers to the snapshot's entries; copy counters only to sum a shared name. */
	series = palloc(Max(snap->nops, 1) * sizeof(StatsOpSeries));
	for (i = 0; i < snap->nops; i++)
	{
		const StatsOpSnapshot *op = &snap->ops[i];

		series[i].name = op->operation_name[0] != '\0' ? op->operation_name : STATS_ANONYMOUS_NAME;
		series[i].c = &op->c;
		series[i].queryid = op->queryid;
		series[i].index = i;
		series[i].summed = false;
	}
	qsort(series, snap->nops, sizeof(StatsOpSeries), stats_op_series_cmp);
	for (i = 0; i < snap->nops; i++)
	{
		StatsOpSeries *last = nseries > 0 ? &series[nseries - 1] : NULL;

		if (last && strcmp(last->name, series[i].name) == 0)
		{
			if (sums == NULL)
				sums = palloc(snap->nops * sizeof(StatsOpCounters));
			if (!last->summed)
			{
				sums[nsums] = *last->c;
				last->c = &sums[nsums];
				last->summed = true;
				nsums++;
			}
			stats_merge(&sums[nsums - 1], series[i].c);
		}
		else
			series[nseries++] = series[i];
	}

	names[0] = "operation";
	names[1] = "status";
	sink->family(sink->arg, "uphub_graphql_requests_total", "counter",
	             "GraphQL requests by operation name and outcome.");
	for (i = 0; i < nseries; i++)
	{
		values[0] = series[i].name;
		values[1] = "ok";
		sink->sample(sink->arg, "uphub_graphql_requests_total", 2, names, values,
		             (double) (series[i].c->calls - series[i].c->errors));
		values[1] = "error";
		sink->sample(sink->arg, "uphub_graphql_requests_total", 2, names, values,
		             (double) series[i].c->errors);
	}
	sink->family(sink->arg, "uphub_graphql_response_rows_total", "counter",
	             "Rows returned by GraphQL requests, by operation name.");
	for (i = 0; i < nseries; i++)
	{
		values[0] = series[i].name;
		sink->sample(sink->arg, "uphub_graphql_response_rows_total", 1, names, values,
		             (double) series[i].c->rows);
	}
	sink->family(sink->arg, "uphub_graphql_request_duration_seconds", "histogram",
	             "Time to answer a GraphQL request, by operation name.");
	stats_hist_names(&hist, "uphub_graphql_request_duration_seconds");
	for (i = 0; i < nseries; i++)
		stats_walk_histogram(sink, &hist, "operation", series[i].name, series[i].c->buckets,
		                     series[i].c->total_time);
	pfree(series);
	if (sums)
		pfree(sums);
}

/* Every family of the snapshot, in a fixed order. */
void
stats_walk(const StatsSink *sink, const StatsSnapshot *snap, bool with_operations)
{
	const char *names[1];
	const char *values[1];
	int64 refresh_buckets[STATS_NBUCKETS + 1];
	StatsHistNames hist;
	int i;

	stats_le_prepare();
	if (with_operations)
		stats_walk_operations(sink, snap);

	sink->family(sink->arg, "uphub_graphql_plan_cache_hits_total", "counter",
	             "GraphQL plan cache lookups that found a prepared plan.");
	stats_walk_single(sink, "uphub_graphql_plan_cache_hits_total",
	                  (double) snap->counters[STATS_C_PLAN_CACHE_HITS]);
	sink->family(sink->arg, "uphub_graphql_plan_cache_misses_total", "counter",
	             "GraphQL plan cache lookups that had to plan.");
	stats_walk_single(sink, "uphub_graphql_plan_cache_misses_total",
	                  (double) snap->counters[STATS_C_PLAN_CACHE_MISSES]);

	names[0] = "result";
	sink->family(sink->arg, "uphub_rbac_checks_total", "counter",
	             "RBAC access decisions by result.");
	values[0] = "allowed";
	sink->sample(sink->arg, "uphub_rbac_checks_total", 1, names, values,
	             (double) snap->counters[STATS_C_RBAC_ALLOWED]);
	values[0] = "denied";
	sink->sample(sink->arg, "uphub_rbac_checks_total", 1, names, values,
	             (double) snap->counters[STATS_C_RBAC_DENIED]);

	sink->family(sink->arg, "uphub_refresh_runs_total", "counter",
	             "Aggregate refresh runs, failed ones included.");
	stats_walk_single(sink, "uphub_refresh_runs_total",
	                  (double) snap->counters[STATS_C_REFRESH_RUNS]);
	sink->family(sink->arg, "uphub_refresh_errors_total", "counter",
	             "Aggregate refresh runs that failed.");
	stats_walk_single(sink, "uphub_refresh_errors_total",
	                  (double) snap->counters[STATS_C_REFRESH_ERRORS]);
	sink->family(sink->arg, "uphub_refresh_changes_total", "counter",
	             "Captured changes applied to the aggregates.");
	stats_walk_single(sink, "uphub_refresh_changes_total",
	                  (double) snap->counters[STATS_C_REFRESH_CHANGES]);
	sink->family(sink->arg, "uphub_refresh_duration_seconds", "histogram",
	             "Time of one aggregate refresh run.");
	for (i = 0; i <= STATS_NBUCKETS; i++)
		refresh_buckets[i] = (int64) snap->refresh_buckets[i];
	stats_hist_names(&hist, "uphub_refresh_duration_seconds");
	stats_walk_histogram(sink, &hist, NULL, NULL, refresh_buckets,
	                     snap->gauges[STATS_G_REFRESH_TIME_SUM]);
	sink->family(sink->arg, "uphub_aggregate_lag_seconds", "gauge",
	             "Age of the oldest captured change not yet applied to the aggregates.");
	stats_walk_single(sink, "uphub_aggregate_lag_seconds", snap->gauges[STATS_G_AGGREGATE_LAG]);
	sink->family(sink->arg, "uphub_refresh_last_success_timestamp_seconds", "gauge",
	             "Unix time of the last successful refresh run (0 = none yet).");
	stats_walk_single(sink, "uphub_refresh_last_success_timestamp_seconds",
	                  snap->gauges[STATS_G_REFRESH_LAST_SUCCESS]);

	names[0] = "table";
	sink->family(sink->arg, "uphub_ingest_rows_total", "counter",
	             "Rows loaded by the ingest path, by table.");
	for (i = 0; i < snap->ntables; i++)
	{
		values[0] = snap->tables[i].name;
		sink->sample(sink->arg, "uphub_ingest_rows_total", 1, names, values,
		             (double) snap->tables[i].rows);
	}

	sink->family(sink->arg, "uphub_stats_operations", "gauge",
	             "GraphQL operations tracked one by one (without __other__).");
	stats_walk_single(sink, "uphub_stats_operations", (double) snap->noperations);
	sink->family(sink->arg, "uphub_stats_operations_max", "gauge",
	             "Capacity of the operation table (uphub.stats_max_operations).");
	stats_walk_single(sink, "uphub_stats_operations_max", (double) snap->max_operations);
	sink->family(
	    sink->arg, "uphub_stats_reset_timestamp_seconds", "gauge",
	    "Unix time since which the statistics count (reset, or a start without saved stats).");
	stats_walk_single(sink, "uphub_stats_reset_timestamp_seconds",
	                  snap->gauges[STATS_G_RESET_TIME]);
	sink->family(sink->arg, "uphub_stats_restored", "gauge",
	             "1 when the statistics were restored from the last clean shutdown, else 0.");
	stats_walk_single(sink, "uphub_stats_restored", snap->restored ? 1 : 0);
}

/* Bytes a label value takes once escaped, and whether it needs an escape at all. */
static size_t
stats_escaped_len(const char *value, size_t len, bool *plain)
{
	size_t extra = 0;
	size_t i;

	for (i = 0; i < len; i++)
		if (value[i] == '\\' || value[i] == '"' || value[i] == '\n')
			extra++;
	*plain = extra == 0;
	return len + extra;
}

/* Write a label value with Prometheus' escapes; returns the end of what was written. */
static char *
stats_write_escaped(char *p, const char *value, size_t len, bool plain)
{
	size_t i;

	if (plain)
	{
		memcpy(p, value, len);
		return p + len;
	}
	for (i = 0; i < len; i++)
	{
		char c = value[i];

		if (c == '\\' || c == '"')
		{
			*p++ = '\\';
			*p++ = c;
		}
		else if (c == '\n')
		{
			*p++ = '\\';
			*p++ = 'n';
		}
		else
			*p++ = c;
	}
	return p;
}

/* Text sink: HELP and TYPE lines. */
static void
stats_text_family(void *arg, const char *name, const char *type, const char *help)
{
	StringInfo out = arg;

	appendStringInfo(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* Text sink: one sample line, written straight into the buffer. */
static void
stats_text_sample(void *arg, const char *name, int nlabels, const char *const *label_names,
                  const char *const *label_values, double value)
{
	StringInfo out = arg;
	size_t name_len = strlen(name);
	size_t key_len[2];
	size_t value_len[2];
	bool plain[2];
	size_t need = name_len + 2 + 1 + STATS_VALUE_LEN + 1;
	char *p;
	int i;

	Assert(nlabels <= 2);
	for (i = 0; i < nlabels; i++)
	{
		key_len[i] = strlen(label_names[i]);
		value_len[i] = strlen(label_values[i]);
		need += key_len[i] + 4 + stats_escaped_len(label_values[i], value_len[i], &plain[i]);
	}
	enlargeStringInfo(out, (int) need);
	p = out->data + out->len;
	memcpy(p, name, name_len);
	p += name_len;
	if (nlabels > 0)
	{
		*p++ = '{';
		for (i = 0; i < nlabels; i++)
		{
			if (i > 0)
				*p++ = ',';
			memcpy(p, label_names[i], key_len[i]);
			p += key_len[i];
			*p++ = '=';
			*p++ = '"';
			p = stats_write_escaped(p, label_values[i], value_len[i], plain[i]);
			*p++ = '"';
		}
		*p++ = '}';
	}
	*p++ = ' ';
	p += stats_format_value(p, value);
	*p++ = '\n';
	*p = '\0';
	out->len = (int) (p - out->data);
}

/*
 * Room for the whole text, reserved once: each operation gives 20 lines of
 * at most ~100 bytes plus its label (escaped at most twice as long); the
 * other families take a few KiB. A low guess only costs a regrowth.
 */
static void
stats_text_reserve(StringInfo out, const StatsSnapshot *snap)
{
	double bytes = 8192 + 64.0 * (STATS_TABLE_LEN * 2 + 64);
	int i;

	for (i = 0; i < snap->nops; i++)
		bytes += (STATS_NBUCKETS + 6) * (104.0 + 2 * strlen(snap->ops[i].operation_name));
	if (bytes < (double) (MaxAllocSize / 2 - out->len))
		enlargeStringInfo(out, (int) bytes);
}

/* The Prometheus text of a snapshot, every family included, appended to out. */
void
stats_format_prometheus(StringInfo out, const StatsSnapshot *snap)
{
	StatsSink sink = {stats_text_family, stats_text_sample, out};

	stats_text_reserve(out, snap);
	stats_walk(&sink, snap, true);
}
