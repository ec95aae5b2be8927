/*
 * graphql_test_schema.h — a small schema resembling uphub's GraphQL surface
 * (creator(mid: BigInt!), connections with filter/orderBy inputs, enums, an
 * interface, a union, mutations and subscriptions) plus the standard
 * graphql-js v16 introspection query; shared by the unit test, the fuzzer
 * and the benchmark.
 */
#ifndef UPHUB_GRAPHQL_TEST_SCHEMA_H
#define UPHUB_GRAPHQL_TEST_SCHEMA_H

#include "graphql.h"

/* Build and finalize the test schema (aborts on a schema error). */
GraphqlSchema *graphql_test_schema_create(void);

/* getIntrospectionQuery({descriptions, specifiedByUrl, directiveIsRepeatable,
 * schemaDescription, inputValueDeprecation: true}) of graphql-js v16. */
extern const char graphql_test_introspection_query[];

/* A typical dashboard query. */
extern const char graphql_test_dashboard_query[];

#endif
