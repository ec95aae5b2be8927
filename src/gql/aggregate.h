/*
 * aggregate.h — aggregate and groups on every connection (API.md
 * "Collections"): XAggregate, XSums, XAvgs, XMins, XMaxes, XGroupBy,
 * XGroupKey, XGroup.
 *
 *   build_aggregate.c      the types and the two connection fields
 *   translate_aggregate.c  their SQL: aggregates over the connection's
 *                          filtered set, in the connection's statement
 */
#ifndef UPHUB_GQL_AGGREGATE_H
#define UPHUB_GQL_AGGREGATE_H

#include "gql/gql.h"

/* One XGroupBy option: a column as is, or truncated to its week or month. */
typedef enum GqlGroupTrunc
{
	GQL_GROUP_VALUE,
	GQL_GROUP_WEEK,
	GQL_GROUP_MONTH
} GqlGroupTrunc;

typedef struct GqlGroupOption
{
	char *enum_name; /* DAY, DAY_WEEK, DAY_MONTH */
	char *key_field; /* day, dayWeek, dayMonth */
	GqlColumn *column;
	GqlGroupTrunc trunc;
} GqlGroupOption;

/* The aggregate types of one table; a type is NULL when no column qualifies. */
typedef struct GqlTableSets
{
	GraphqlType *aggregate_type; /* XAggregate */
	GraphqlType *sums_type;      /* XSums: numeric columns */
	GraphqlType *avgs_type;      /* XAvgs */
	GraphqlType *mins_type;      /* XMins: orderable columns */
	GraphqlType *maxes_type;     /* XMaxes */
	GraphqlType *group_by_type;  /* XGroupBy */
	GraphqlType *group_key_type; /* XGroupKey */
	GraphqlType *group_type;     /* XGroup */
	int noptions;
	GqlGroupOption *options;
} GqlTableSets;

/* build_aggregate.c */
extern void gql_declare_set_types(GqlModel *model, GqlTable *table);
extern void gql_build_set_fields(GqlModel *model, GqlTable *table);
extern bool gql_is_set_field(const char *name);

/* translate_aggregate.c */
extern void gql_set_field_sql(GqlStatement *st, StringInfo out, GqlTable *table, const char *alias,
                              const char *where, GqlFieldGroup *group);

#endif /* UPHUB_GQL_AGGREGATE_H */
