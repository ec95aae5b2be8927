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
 * Pure formatting: no locks, no catalog access, so the exporter worker
 * (which has no database connection) can run it.
 */
#include "postgres.h"

#include <math.h>

#include "common/shortest_dec.h"

#include "stats/stats_internal.h"

#define STATS_ANONYMOUS_NAME "__anonymous__"

/* Shortest round-trip decimal for a sample value, in Prometheus' spelling. */
static void
stats_format_value(char *buf, double value)
{
	if (isnan(value))
		strcpy(buf, "NaN");
	else if (isinf(value))
		strcpy(buf, value > 0 ? "+Inf" : "-Inf");
	else
		double_to_shortest_decimal_buf(value, buf);
}

/* Order operations by their label so equal names are adjacent. */
static int
stats_op_label_cmp(const void *a, const void *b)
{
	const StatsOpSnapshot *x = a;
	const StatsOpSnapshot *y = b;

	return strcmp(x->operation_name, y->operation_name);
}

/* Call the sink for a histogram: cumulative buckets, +Inf, sum and count. */
static void
stats_walk_histogram(const StatsSink *sink, const char *name, const char *label_name,
                     const char *label_value, const int64 *buckets, double sum)
{
	char bucket_name[128];
	char le[DOUBLE_SHORTEST_DECIMAL_LEN];
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
	values[nlabels] = le;
	snprintf(bucket_name, sizeof(bucket_name), "%s_bucket", name);
	for (i = 0; i <= STATS_NBUCKETS; i++)
	{
		cumulative += buckets[i];
		if (i < STATS_NBUCKETS)
			stats_format_value(le, stats_bucket_le[i]);
		else
			strcpy(le, "+Inf");
		sink->sample(sink->arg, bucket_name, nlabels + 1, names, values, (double) cumulative);
	}
	snprintf(bucket_name, sizeof(bucket_name), "%s_sum", name);
	sink->sample(sink->arg, bucket_name, nlabels, names, values, sum);
	snprintf(bucket_name, sizeof(bucket_name), "%s_count", name);
	sink->sample(sink->arg, bucket_name, nlabels, names, values, (double) cumulative);
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
	StatsOpSnapshot *ops;
	StatsOpSnapshot *merged;
	int nmerged = 0;
	int i;
	const char *names[2];
	const char *values[2];

	ops = palloc(Max(snap->nops, 1) * sizeof(StatsOpSnapshot));
	memcpy(ops, snap->ops, snap->nops * sizeof(StatsOpSnapshot));
	for (i = 0; i < snap->nops; i++)
		if (ops[i].operation_name[0] == '\0')
			strlcpy(ops[i].operation_name, STATS_ANONYMOUS_NAME, STATS_OPNAME_LEN);
	qsort(ops, snap->nops, sizeof(StatsOpSnapshot), stats_op_label_cmp);
	merged = ops;
	for (i = 0; i < snap->nops; i++)
	{
		if (nmerged > 0 && strcmp(merged[nmerged - 1].operation_name, ops[i].operation_name) == 0)
			stats_merge(&merged[nmerged - 1].c, &ops[i].c);
		else
			merged[nmerged++] = ops[i];
	}

	names[0] = "operation";
	names[1] = "status";
	sink->family(sink->arg, "uphub_graphql_requests_total", "counter",
	             "GraphQL requests by operation name and outcome.");
	for (i = 0; i < nmerged; i++)
	{
		values[0] = merged[i].operation_name;
		values[1] = "ok";
		sink->sample(sink->arg, "uphub_graphql_requests_total", 2, names, values,
		             (double) (merged[i].c.calls - merged[i].c.errors));
		values[1] = "error";
		sink->sample(sink->arg, "uphub_graphql_requests_total", 2, names, values,
		             (double) merged[i].c.errors);
	}
	sink->family(sink->arg, "uphub_graphql_response_rows_total", "counter",
	             "Rows returned by GraphQL requests, by operation name.");
	for (i = 0; i < nmerged; i++)
	{
		values[0] = merged[i].operation_name;
		sink->sample(sink->arg, "uphub_graphql_response_rows_total", 1, names, values,
		             (double) merged[i].c.rows);
	}
	sink->family(sink->arg, "uphub_graphql_request_duration_seconds", "histogram",
	             "Time to answer a GraphQL request, by operation name.");
	for (i = 0; i < nmerged; i++)
		stats_walk_histogram(sink, "uphub_graphql_request_duration_seconds", "operation",
		                     merged[i].operation_name, merged[i].c.buckets, merged[i].c.total_time);
	pfree(ops);
}

/* Every family of the snapshot, in a fixed order. */
void
stats_walk(const StatsSink *sink, const StatsSnapshot *snap, bool with_operations)
{
	const char *names[1];
	const char *values[1];
	int64 refresh_buckets[STATS_NBUCKETS + 1];
	int i;

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
	stats_walk_histogram(sink, "uphub_refresh_duration_seconds", NULL, NULL, refresh_buckets,
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

/* Append a label value with Prometheus' escapes. */
static void
stats_append_escaped(StringInfo out, const char *value)
{
	const char *p;

	for (p = value; *p; p++)
	{
		if (*p == '\\')
			appendStringInfoString(out, "\\\\");
		else if (*p == '"')
			appendStringInfoString(out, "\\\"");
		else if (*p == '\n')
			appendStringInfoString(out, "\\n");
		else
			appendStringInfoChar(out, *p);
	}
}

/* Text sink: HELP and TYPE lines. */
static void
stats_text_family(void *arg, const char *name, const char *type, const char *help)
{
	StringInfo out = arg;

	appendStringInfo(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* Text sink: one sample line. */
static void
stats_text_sample(void *arg, const char *name, int nlabels, const char *const *label_names,
                  const char *const *label_values, double value)
{
	StringInfo out = arg;
	char buf[DOUBLE_SHORTEST_DECIMAL_LEN];
	int i;

	appendStringInfoString(out, name);
	if (nlabels > 0)
	{
		appendStringInfoChar(out, '{');
		for (i = 0; i < nlabels; i++)
		{
			if (i > 0)
				appendStringInfoChar(out, ',');
			appendStringInfo(out, "%s=\"", label_names[i]);
			stats_append_escaped(out, label_values[i]);
			appendStringInfoChar(out, '"');
		}
		appendStringInfoChar(out, '}');
	}
	stats_format_value(buf, value);
	appendStringInfo(out, " %s\n", buf);
}

/* The Prometheus text of a snapshot, every family included. */
void
stats_format_prometheus(StringInfo out, const StatsSnapshot *snap)
{
	StatsSink sink = {stats_text_family, stats_text_sample, out};

	stats_walk(&sink, snap, true);
}
