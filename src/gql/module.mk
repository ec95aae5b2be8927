# GraphQL: uphub.graphql(), schema reflection, SQL translation, introspection.
OBJS      += src/gql/build.o src/gql/execute.o src/gql/introspect.o src/gql/names.o \
             src/gql/reflect.o src/gql/response.o src/gql/translate.o \
             src/gql/translate_filter.o src/gql/translate_values.o
# mutations, aggregates and groups
OBJS      += src/gql/build_aggregate.o src/gql/build_mutation.o \
             src/gql/translate_aggregate.o src/gql/translate_mutation.o
# Plan cache, RBAC-shaped schema, Query.me, persisted queries (issue 8).
OBJS      += src/gql/plancache.o src/gql/visibility.o src/gql/me.o src/gql/persisted.o
UPHUB_SQL += src/gql/gql.sql src/gql/persisted.sql
