/*
 * graphql_test_schema.c — the shared test schema and queries (see the header).
 *
 * The schema is written the way uphub's reflection layer will build its
 * own: one builder call per type, field, argument and enum value.
 */
#include <stdio.h>
#include <stdlib.h>

#include "graphql_test_schema.h"

const char graphql_test_introspection_query[] = "\n"
                                                "    query IntrospectionQuery {\n"
                                                "      __schema {\n"
                                                "        description\n"
                                                "        queryType { name }\n"
                                                "        mutationType { name }\n"
                                                "        subscriptionType { name }\n"
                                                "        types {\n"
                                                "          ...FullType\n"
                                                "        }\n"
                                                "        directives {\n"
                                                "          name\n"
                                                "          description\n"
                                                "          isRepeatable\n"
                                                "          locations\n"
                                                "          args(includeDeprecated: true) {\n"
                                                "            ...InputValue\n"
                                                "          }\n"
                                                "        }\n"
                                                "      }\n"
                                                "    }\n"
                                                "\n"
                                                "    fragment FullType on __Type {\n"
                                                "      kind\n"
                                                "      name\n"
                                                "      description\n"
                                                "      specifiedByURL\n"
                                                "      fields(includeDeprecated: true) {\n"
                                                "        name\n"
                                                "        description\n"
                                                "        args(includeDeprecated: true) {\n"
                                                "          ...InputValue\n"
                                                "        }\n"
                                                "        type {\n"
                                                "          ...TypeRef\n"
                                                "        }\n"
                                                "        isDeprecated\n"
                                                "        deprecationReason\n"
                                                "      }\n"
                                                "      inputFields(includeDeprecated: true) {\n"
                                                "        ...InputValue\n"
                                                "      }\n"
                                                "      interfaces {\n"
                                                "        ...TypeRef\n"
                                                "      }\n"
                                                "      enumValues(includeDeprecated: true) {\n"
                                                "        name\n"
                                                "        description\n"
                                                "        isDeprecated\n"
                                                "        deprecationReason\n"
                                                "      }\n"
                                                "      possibleTypes {\n"
                                                "        ...TypeRef\n"
                                                "      }\n"
                                                "    }\n"
                                                "\n"
                                                "    fragment InputValue on __InputValue {\n"
                                                "      name\n"
                                                "      description\n"
                                                "      type { ...TypeRef }\n"
                                                "      defaultValue\n"
                                                "      isDeprecated\n"
                                                "      deprecationReason\n"
                                                "    }\n"
                                                "\n"
                                                "    fragment TypeRef on __Type {\n"
                                                "      kind\n"
                                                "      name\n"
                                                "      ofType {\n"
                                                "        kind\n"
                                                "        name\n"
                                                "        ofType {\n"
                                                "          kind\n"
                                                "          name\n"
                                                "          ofType {\n"
                                                "            kind\n"
                                                "            name\n"
                                                "            ofType {\n"
                                                "              kind\n"
                                                "              name\n"
                                                "              ofType {\n"
                                                "                kind\n"
                                                "                name\n"
                                                "                ofType {\n"
                                                "                  kind\n"
                                                "                  name\n"
                                                "                  ofType {\n"
                                                "                    kind\n"
                                                "                    name\n"
                                                "                    ofType {\n"
                                                "                      kind\n"
                                                "                      name\n"
                                                "                    }\n"
                                                "                  }\n"
                                                "                }\n"
                                                "              }\n"
                                                "            }\n"
                                                "          }\n"
                                                "        }\n"
                                                "      }\n"
                                                "    }\n"
                                                "  ";

const char graphql_test_dashboard_query[] =
    "query Dash($mid: BigInt!) { creator(mid: $mid) { name summary { views30d follower } "
    "daily(first: 30, orderBy: [{day: DESC}]) { nodes { day views fansDelta } } "
    "videos(first: 10, orderBy: [{pubdate: DESC}]) { nodes { bvid title } } } }";

static GraphqlSchema *S;

static GraphqlField *
field(GraphqlType *t, const char *name, const char *type)
{
	return graphql_type_add_field(S, t, name, type, NULL);
}

static void
arg(GraphqlField *f, const char *name, const char *type, const char *default_value)
{
	graphql_field_add_argument(S, f, name, type, default_value, NULL);
}

static void
input_field(GraphqlType *t, const char *name, const char *type, const char *default_value)
{
	graphql_input_object_add_field(S, t, name, type, default_value, NULL);
}

/* A column filter input: eq neq lt lte gt gte in notIn isNull (+ string ops). */
static GraphqlType *
column_filter(const char *name, const char *scalar, bool is_string)
{
	GraphqlType *t = graphql_schema_add_input_object(S, name, NULL);
	char list[64];
	static const char *const ops[] = {"eq", "neq", "lt", "lte", "gt", "gte"};
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		input_field(t, ops[i], scalar, NULL);
	snprintf(list, sizeof(list), "[%s!]", scalar);
	input_field(t, "in", list, NULL);
	input_field(t, "notIn", list, NULL);
	input_field(t, "isNull", "Boolean", NULL);
	if (is_string)
	{
		input_field(t, "like", "String", NULL);
		input_field(t, "ilike", "String", NULL);
		input_field(t, "startsWith", "String", NULL);
		input_field(t, "endsWith", "String", NULL);
		input_field(t, "contains", "String", NULL);
	}
	return t;
}

/* Pagination arguments of a connection field. */
static void
connection_args(GraphqlField *f, const char *filter, const char *order_by)
{
	if (filter)
		arg(f, "filter", filter, NULL);
	if (order_by)
		arg(f, "orderBy", order_by, NULL);
	arg(f, "first", "Int", NULL);
	arg(f, "after", "Cursor", NULL);
	arg(f, "last", "Int", NULL);
	arg(f, "before", "Cursor", NULL);
	arg(f, "offset", "Int", NULL);
}

GraphqlSchema *
graphql_test_schema_create(void)
{
	GraphqlType *direction, *group_by, *creator_filter, *partition_filter, *video_filter,
	    *daily_filter, *creator_order, *daily_order, *video_order, *insert_input, *node, *creator,
	    *video, *partition, *summary, *daily, *page_info, *creator_conn, *creator_edge,
	    *creator_agg, *creator_sums, *creator_group, *video_conn, *video_edge, *daily_conn, *search,
	    *me, *me_perm, *query, *mutation, *subscription, *mutation_result;
	GraphqlField *f;
	GraphqlDirectiveDef *d;
	const char *err;
	static const char *const directions[] = {
	    "ASC", "DESC", "ASC_NULLS_FIRST", "ASC_NULLS_LAST", "DESC_NULLS_FIRST", "DESC_NULLS_LAST"};
	size_t i;

	S = graphql_schema_create(NULL);
	graphql_schema_set_description(S, "uphub test schema");
	graphql_schema_add_scalar(S, "BigInt", "int8: a string in output, string or integer in input",
	                          GRAPHQL_ACCEPT_INT | GRAPHQL_ACCEPT_STRING);
	graphql_schema_add_scalar(S, "BigFloat", NULL,
	                          GRAPHQL_ACCEPT_INT | GRAPHQL_ACCEPT_FLOAT | GRAPHQL_ACCEPT_STRING);
	graphql_schema_add_scalar(S, "Date", NULL, GRAPHQL_ACCEPT_STRING);
	graphql_scalar_set_specified_by(
	    S, graphql_schema_add_scalar(S, "Datetime", NULL, GRAPHQL_ACCEPT_STRING),
	    "https://datatracker.ietf.org/doc/html/rfc3339");
	graphql_schema_add_scalar(S, "JSON", NULL, GRAPHQL_ACCEPT_ANY);
	graphql_schema_add_scalar(S, "Cursor", NULL, GRAPHQL_ACCEPT_STRING);

	direction = graphql_schema_add_enum(S, "OrderDirection", NULL);
	for (i = 0; i < 6; i++)
		graphql_enum_add_value(S, direction, directions[i], NULL);
	group_by = graphql_schema_add_enum(S, "CreatorGroupBy", NULL);
	graphql_enum_add_value(S, group_by, "MID", NULL);
	graphql_enum_add_value(S, group_by, "MAIN_TID", NULL);
	graphql_enum_add_value(S, group_by, "JOINED_AT", NULL);
	graphql_enum_add_value(S, group_by, "JOINED_AT_WEEK", NULL);
	graphql_enum_value_set_deprecated(
	    S, graphql_enum_add_value(S, group_by, "JOINED_AT_MONTH", NULL), "Use JOINED_AT_WEEK.");

	column_filter("BigIntFilter", "BigInt", false);
	column_filter("IntFilter", "Int", false);
	column_filter("StringFilter", "String", true);
	column_filter("DateFilter", "Date", false);
	column_filter("DatetimeFilter", "Datetime", false);

	partition_filter = graphql_schema_add_input_object(S, "PartitionFilter", NULL);
	input_field(partition_filter, "tid", "IntFilter", NULL);
	input_field(partition_filter, "name", "StringFilter", NULL);
	creator_filter = graphql_schema_add_input_object(S, "CreatorFilter", NULL);
	input_field(creator_filter, "mid", "BigIntFilter", NULL);
	input_field(creator_filter, "name", "StringFilter", NULL);
	input_field(creator_filter, "level", "IntFilter", NULL);
	input_field(creator_filter, "mainTid", "IntFilter", NULL);
	input_field(creator_filter, "joinedAt", "DatetimeFilter", NULL);
	input_field(creator_filter, "partition", "PartitionFilter", NULL);
	input_field(creator_filter, "and", "[CreatorFilter!]", NULL);
	input_field(creator_filter, "or", "[CreatorFilter!]", NULL);
	input_field(creator_filter, "not", "CreatorFilter", NULL);
	video_filter = graphql_schema_add_input_object(S, "VideoFilter", NULL);
	input_field(video_filter, "aid", "BigIntFilter", NULL);
	input_field(video_filter, "title", "StringFilter", NULL);
	input_field(video_filter, "pubdate", "DatetimeFilter", NULL);
	daily_filter = graphql_schema_add_input_object(S, "CreatorDailyFilter", NULL);
	input_field(daily_filter, "day", "DateFilter", NULL);
	creator_order = graphql_schema_add_input_object(S, "CreatorOrderBy", NULL);
	input_field(creator_order, "mid", "OrderDirection", NULL);
	input_field(creator_order, "name", "OrderDirection", NULL);
	input_field(creator_order, "level", "OrderDirection", NULL);
	daily_order = graphql_schema_add_input_object(S, "CreatorDailyOrderBy", NULL);
	input_field(daily_order, "day", "OrderDirection", NULL);
	input_field(daily_order, "views", "OrderDirection", NULL);
	video_order = graphql_schema_add_input_object(S, "VideoOrderBy", NULL);
	input_field(video_order, "pubdate", "OrderDirection", NULL);
	input_field(video_order, "aid", "OrderDirection", NULL);
	insert_input = graphql_schema_add_input_object(S, "CreatorInsertInput", NULL);
	input_field(insert_input, "mid", "BigInt!", NULL);
	input_field(insert_input, "name", "String!", NULL);
	input_field(insert_input, "level", "Int!", "0");
	input_field(insert_input, "sign", "String", NULL);

	node = graphql_schema_add_interface(S, "Node", "An object with an ID.");
	field(node, "id", "ID!");

	creator = graphql_schema_add_object(S, "Creator", "A Bilibili uploader.");
	graphql_type_add_interface(S, creator, node);
	field(creator, "id", "ID!");
	field(creator, "mid", "BigInt!");
	field(creator, "name", "String!");
	field(creator, "face", "String");
	field(creator, "sign", "String");
	field(creator, "level", "Int");
	field(creator, "mainTid", "Int");
	field(creator, "joinedAt", "Datetime");
	graphql_field_set_deprecated(S, field(creator, "fans", "Int"), "Use summary.follower.");
	field(creator, "partition", "Partition");
	field(creator, "summary", "CreatorSummary");
	connection_args(field(creator, "videos", "VideoConnection!"), "VideoFilter", "[VideoOrderBy!]");
	connection_args(field(creator, "daily", "CreatorDailyConnection!"), "CreatorDailyFilter",
	                "[CreatorDailyOrderBy!]");

	video = graphql_schema_add_object(S, "Video", NULL);
	graphql_type_add_interface(S, video, node);
	field(video, "id", "ID!");
	field(video, "aid", "BigInt!");
	field(video, "bvid", "String!");
	field(video, "title", "String!");
	field(video, "pubdate", "Datetime!");
	field(video, "duration", "Int");
	field(video, "tags", "[String!]!");
	field(video, "creator", "Creator!");

	partition = graphql_schema_add_object(S, "Partition", NULL);
	graphql_type_add_interface(S, partition, node);
	field(partition, "id", "ID!");
	field(partition, "tid", "Int!");
	field(partition, "name", "String!");
	field(partition, "parent", "Partition");
	connection_args(field(partition, "creators", "CreatorConnection!"), "CreatorFilter",
	                "[CreatorOrderBy!]");

	summary = graphql_schema_add_object(S, "CreatorSummary", NULL);
	field(summary, "mid", "BigInt!");
	field(summary, "follower", "Int");
	field(summary, "viewsTotal", "BigInt");
	field(summary, "views7d", "BigInt");
	field(summary, "views30d", "BigInt");
	field(summary, "fansDelta30d", "Int");
	field(summary, "engagement30d", "Float");

	daily = graphql_schema_add_object(S, "CreatorDaily", NULL);
	field(daily, "mid", "BigInt!");
	field(daily, "day", "Date!");
	field(daily, "views", "BigInt");
	field(daily, "likes", "BigInt");
	field(daily, "fansDelta", "Int");

	page_info = graphql_schema_add_object(S, "PageInfo", NULL);
	field(page_info, "hasNextPage", "Boolean!");
	field(page_info, "hasPreviousPage", "Boolean!");
	field(page_info, "startCursor", "Cursor");
	field(page_info, "endCursor", "Cursor");

	creator_conn = graphql_schema_add_object(S, "CreatorConnection", NULL);
	field(creator_conn, "edges", "[CreatorEdge!]!");
	field(creator_conn, "nodes", "[Creator!]!");
	field(creator_conn, "pageInfo", "PageInfo!");
	field(creator_conn, "totalCount", "Int!");
	field(creator_conn, "aggregate", "CreatorAggregate!");
	f = field(creator_conn, "groups", "[CreatorGroup!]!");
	arg(f, "by", "[CreatorGroupBy!]!", NULL);
	arg(f, "first", "Int", NULL);
	creator_edge = graphql_schema_add_object(S, "CreatorEdge", NULL);
	field(creator_edge, "cursor", "Cursor!");
	field(creator_edge, "node", "Creator!");
	creator_agg = graphql_schema_add_object(S, "CreatorAggregate", NULL);
	field(creator_agg, "count", "Int!");
	field(creator_agg, "sum", "CreatorSums");
	creator_sums = graphql_schema_add_object(S, "CreatorSums", NULL);
	field(creator_sums, "level", "BigInt");
	creator_group = graphql_schema_add_object(S, "CreatorGroup", NULL);
	field(creator_group, "key", "JSON!");
	field(creator_group, "count", "Int!");

	video_conn = graphql_schema_add_object(S, "VideoConnection", NULL);
	field(video_conn, "edges", "[VideoEdge!]!");
	field(video_conn, "nodes", "[Video!]!");
	field(video_conn, "pageInfo", "PageInfo!");
	field(video_conn, "totalCount", "Int!");
	video_edge = graphql_schema_add_object(S, "VideoEdge", NULL);
	field(video_edge, "cursor", "Cursor!");
	field(video_edge, "node", "Video!");
	daily_conn = graphql_schema_add_object(S, "CreatorDailyConnection", NULL);
	field(daily_conn, "nodes", "[CreatorDaily!]!");
	field(daily_conn, "totalCount", "Int!");

	search = graphql_schema_add_union(S, "SearchResult", NULL);
	graphql_union_add_member(S, search, creator);
	graphql_union_add_member(S, search, video);

	me = graphql_schema_add_object(S, "Me", NULL);
	field(me, "principal", "String");
	field(me, "activeRoles", "[String!]!");
	field(me, "permissions", "[MePermission!]!");
	me_perm = graphql_schema_add_object(S, "MePermission", NULL);
	field(me_perm, "permission", "String!");
	field(me_perm, "scopeKind", "String!");
	field(me_perm, "scopeId", "BigInt");

	mutation_result = graphql_schema_add_object(S, "CreatorMutationResult", NULL);
	field(mutation_result, "affectedCount", "Int!");
	field(mutation_result, "records", "[Creator!]!");

	query = graphql_schema_add_object(S, "Query", NULL);
	arg(field(query, "creator", "Creator"), "mid", "BigInt!", NULL);
	connection_args(field(query, "creators", "CreatorConnection!"), "CreatorFilter",
	                "[CreatorOrderBy!]");
	arg(field(query, "video", "Video"), "aid", "BigInt!", NULL);
	arg(field(query, "videoByBvid", "Video"), "bvid", "String!", NULL);
	arg(field(query, "node", "Node"), "id", "ID!", NULL);
	f = field(query, "search", "[SearchResult!]!");
	arg(f, "text", "String!", NULL);
	arg(f, "first", "Int", "10");
	field(query, "me", "Me!");
	f = field(query, "echo", "String");
	arg(f, "value", "JSON", NULL);
	arg(f, "limit", "Int!", "10");
	arg(f, "flag", "Boolean", NULL);
	arg(f, "ratio", "Float", NULL);
	arg(f, "id", "ID", NULL);
	arg(f, "text", "String", NULL);
	arg(f, "direction", "OrderDirection", NULL);
	arg(f, "directions", "[OrderDirection!]", NULL);
	arg(f, "matrix", "[[Int!]]", NULL);
	arg(f, "filter", "CreatorFilter", NULL);
	arg(f, "input", "CreatorInsertInput", NULL);
	graphql_schema_set_root(S, GRAPHQL_OPERATION_QUERY, query);

	mutation = graphql_schema_add_object(S, "Mutation", NULL);
	arg(field(mutation, "insertIntoCreators", "CreatorMutationResult!"), "objects",
	    "[CreatorInsertInput!]!", NULL);
	f = field(mutation, "deleteFromCreators", "CreatorMutationResult!");
	arg(f, "filter", "CreatorFilter", NULL);
	arg(f, "atMost", "Int!", "1");
	graphql_schema_set_root(S, GRAPHQL_OPERATION_MUTATION, mutation);

	subscription = graphql_schema_add_object(S, "Subscription", NULL);
	arg(field(subscription, "creatorUpdated", "Creator"), "mid", "BigInt!", NULL);
	field(subscription, "videoPublished", "Video");
	graphql_schema_set_root(S, GRAPHQL_OPERATION_SUBSCRIPTION, subscription);

	d = graphql_schema_add_directive(S, "cached", "Cache the result.",
	                                 GRAPHQL_DL_QUERY | GRAPHQL_DL_FIELD, false);
	graphql_directive_add_argument(S, d, "ttl", "Int", "60", NULL);
	d = graphql_schema_add_directive(S, "tag", NULL, GRAPHQL_DL_FIELD, true);
	graphql_directive_add_argument(S, d, "name", "String!", NULL, NULL);

	err = graphql_schema_finalize(S);
	if (err)
	{
		fprintf(stderr, "test schema: %s\n", err);
		abort();
	}
	return S;
}
