/*
 * gql.h — internals shared by the files of src/gql (uphub.graphql()).
 *
 * Lifecycle of a request, one file per phase:
 *   reflect.c   catalog -> GqlModel (tables, columns, keys, relations), cached
 *               per backend and role, invalidated by a DDL version counter
 *   build.c     GqlModel -> GraphqlSchema (the library's schema model)
 *   names.c     table/column names -> GraphQL names (PascalCase, camelCase, plural)
 *   translate_values.c  variables and arguments -> coerced GraphqlValue trees
 *   translate.c field collection and one SQL statement per root field
 *   translate_filter.c  filters, ordering, keyset cursors
 *   execute.c   the SQL entry point: parse, validate, run, assemble
 *   response.c  the response envelope and error objects
 *   introspect.c __schema / __type answered from the schema model
 *   build_mutation.c, translate_mutation.c   mutations (mutation.h)
 *   build_aggregate.c, translate_aggregate.c aggregate / groups (aggregate.h)
 *
 * Everything of one request lives in one memory context (GqlRequest.cxt);
 * the cached model and schema live in a long-lived context per cache entry.
 */
#ifndef UPHUB_GQL_H
#define UPHUB_GQL_H

#include "postgres.h"

#include "lib/stringinfo.h"
#include "nodes/pg_list.h"
#include "utils/jsonb.h"
#include "utils/palloc.h"

#include "graphql/graphql.h"

/* ---- GUCs (execute.c) ---- */
extern char *gql_schemas_guc;
extern int gql_max_rows;
extern int gql_max_depth;
extern int gql_max_fields;
extern bool gql_introspection;

/* ---- model ---- */

typedef enum GqlScalar
{
	GQL_INT,
	GQL_BIGINT,
	GQL_BIGFLOAT,
	GQL_FLOAT,
	GQL_STRING,
	GQL_BOOLEAN,
	GQL_DATE,
	GQL_DATETIME,
	GQL_JSON,
	GQL_SCALAR_COUNT
} GqlScalar;

typedef struct GqlColumn
{
	char *sql_name;    /* attname */
	char *quoted;      /* quote_identifier(attname) */
	char *field_name;  /* camelCase or directive name */
	char *description; /* comment without directive, or NULL */
	int16 attnum;
	Oid type_oid; /* the column's type (domains resolved to the base type) */
	Oid elem_oid; /* arrays: element type; else InvalidOid */
	GqlScalar scalar;
	bool not_null;
	bool sortable; /* has a btree ordering */
	bool is_text;  /* text, varchar, bpchar: string operators need no cast */
} GqlColumn;

typedef struct GqlTable GqlTable;

/* A to-one or to-many link between two tables, from a foreign key or a directive. */
typedef struct GqlRelation
{
	char *field_name;
	char *description;
	GqlTable *source; /* the table that holds the field */
	GqlTable *target;
	bool to_many;
	int ncols;
	int *source_cols; /* column indexes in source */
	int *target_cols; /* column indexes in target, pairwise equal */
} GqlRelation;

typedef struct GqlKey
{
	int ncols;
	int *cols;   /* column indexes */
	char *field; /* root lookup field name */
} GqlKey;

struct GqlTable
{
	Oid oid;
	char *schema_name;
	char *rel_name;
	char *qualified; /* quoted schema.table */
	char *type_name;
	char *camel;  /* type name with a lower-case first letter */
	char *plural; /* collection field name */
	char *description;
	bool is_view;
	bool has_lookup;
	bool has_collection;
	int ncolumns;
	GqlColumn *columns;
	GqlKey *pk; /* NULL when none is visible */
	int nuniques;
	GqlKey *uniques;
	List *relations; /* of GqlRelation *, fields on this table's type */
	/* declared directives, kept until relations are resolved */
	void *directive;
	/* GraphQL types of this table (build.c) */
	GraphqlType *object_type;
	GraphqlType *connection_type;
	GraphqlType *edge_type;
	GraphqlType *filter_type;
	GraphqlType *list_filter_type;
	GraphqlType *order_type;
	/* mutations (build_mutation.c) and aggregates (build_aggregate.c) */
	struct GqlTableWrite *write; /* NULL: no mutation of this table */
	struct GqlTableSets *sets;
};

/* What a GraphQL field or input field stands for (GraphqlField.user_data). */
typedef enum GqlFieldKind
{
	GQL_F_COLUMN,
	GQL_F_RELATION,
	GQL_F_LOOKUP,     /* root: one row by a key */
	GQL_F_COLLECTION, /* root: connection over all rows */
	GQL_F_CONNECTION, /* XConnection.edges/nodes/pageInfo/totalCount: by name */
	GQL_F_FILTER_AND,
	GQL_F_FILTER_OR,
	GQL_F_FILTER_NOT,
	GQL_F_INSERT, /* root mutations (translate_mutation.c) */
	GQL_F_UPDATE,
	GQL_F_DELETE
} GqlFieldKind;

typedef struct GqlFieldInfo
{
	GqlFieldKind kind;
	GqlTable *table;
	GqlColumn *column;
	GqlRelation *relation;
	GqlKey *key;
} GqlFieldInfo;

typedef struct GqlModel
{
	MemoryContext cxt;
	uint64 serial; /* unique per built model: what cached documents point into */
	Oid role;
	uint64 version;
	char *schemas; /* the uphub.graphql_schemas value it was built for */
	List *tables;  /* of GqlTable * */
	GraphqlSchema *schema;
	GraphqlType *page_info_type;
	GraphqlType *scalar_filter[GQL_SCALAR_COUNT];
} GqlModel;

/* reflect.c */
extern GqlModel *gql_model_cached(void);
extern GqlModel *gql_model_for_current_role(void);
extern void gql_reflect(GqlModel *model);
extern void gql_shmem_init(void);
extern uint64 gql_schema_version(void);

/* build.c */
extern void gql_build_schema(GqlModel *model);
extern const char *gql_scalar_name(GqlScalar scalar);

/* names.c */
extern char *gql_pascal_case(const char *sql_name);
extern char *gql_camel_case(const char *sql_name);
extern char *gql_lower_first(const char *name);
extern char *gql_plural(const char *name);
extern bool gql_is_valid_name(const char *name);

/* ---- request ---- */

typedef struct GqlPathElem
{
	const char *key; /* NULL for a list index */
	int index;
} GqlPathElem;

typedef enum GqlErrorCode
{
	GQL_E_PARSE,
	GQL_E_VALIDATION,
	GQL_E_BAD_USER_INPUT,
	GQL_E_FORBIDDEN,
	GQL_E_TOO_COMPLEX,
	GQL_E_INTERNAL,
	GQL_E_PERSISTED_QUERY_NOT_FOUND
} GqlErrorCode;

typedef struct GqlError
{
	char *message;
	GqlErrorCode code;
	int nlocations;
	GraphqlLocation *locations;
	List *path; /* of GqlPathElem *; NIL when none */
	char sqlstate[6];
} GqlError;

/* One response key of a selection set after CollectFields (§6.3.2). */
typedef struct GqlFieldGroup
{
	const char *key;
	const GraphqlField *def; /* NULL for __typename */
	const GraphqlType *type; /* named return type */
	GraphqlSelection *first; /* first field node: arguments, location */
	List *nodes;             /* all field nodes with this response key */
	bool is_typename;
} GqlFieldGroup;

typedef struct GqlRequest
{
	MemoryContext cxt;
	GqlModel *model;
	GraphqlArena *arena;
	GraphqlDocument *doc;
	const GraphqlDefinition *operation;
	/* coerced variables: name -> GraphqlValue (absent when not provided) */
	int nvariables;
	const char **variable_names;
	GraphqlValue **variable_values;
	List *errors;                        /* of GqlError * */
	int64 rows;                          /* root fields that resolved, for stats */
	uint64 queryid;                      /* hash of the canonical document; 0 when unparsed */
	const char *operation_type;          /* "query", "mutation", "subscription" or NULL */
	const GraphqlVisibility *visibility; /* what the session's RBAC roles may see */
	/* plancache.c: the cached document entry of this request, if any */
	void *cache_entry;
	uint64 cache_key;
	bool bind_only; /* its variables only feed root lookup keys (plancache.c) */
	/* execute.c: GUC nest level of the request-wide search_path pin, 0 while unpinned */
	int pin_level;
} GqlRequest;

/* Bound parameters and SQL text of one statement. */
typedef struct GqlStatement
{
	StringInfoData sql;
	int nparams;
	int maxparams;
	Oid *types;
	Datum *values;
	char *nulls;
	int next_alias;
	GqlRequest *req;
	GraphqlLocation error_location; /* where a BAD_USER_INPUT points */
	bool executing;                 /* false while translating and binding values */
	/*
	 * Parameters before this one are fixed by the document; from it on they
	 * are bound from the root lookup's arguments (gql_lookup_bind_keys).
	 * -1: the statement cannot be replayed (plancache.c recipes).
	 */
	int rebind_from;
	bool has_plan_key; /* plan_key is the plan cache key of sql (a replayed recipe) */
	uint64 plan_key;
} GqlStatement;

/* translate_values.c */
extern bool gql_coerce_variables(GqlRequest *req, Jsonb *variables);
extern GraphqlValue *gql_jsonb_to_value(JsonbContainer *container);
extern GraphqlValue *gql_argument_values(GqlStatement *st, const GraphqlField *def,
                                         GraphqlSelection *node);
extern GraphqlValue *gql_object_get(const GraphqlValue *object, const char *name);
extern bool gql_directives_include(GqlRequest *req, GraphqlDirective *directives);
extern bool gql_value_to_int64(const GraphqlValue *value, int64 *result);
extern char *gql_value_text(const GraphqlValue *value);
extern void gql_bad_input(GqlStatement *st, GraphqlLocation loc, const char *fmt, ...)
    pg_attribute_printf(3, 4) pg_attribute_noreturn();
extern char *gql_print_json_value(const GraphqlValue *value);

/* translate.c */
extern List *gql_collect_fields(GqlRequest *req, const GraphqlType *type, List *selection_sets);
extern List *gql_collect_subfields(GqlRequest *req, GqlFieldGroup *group);
extern void gql_translate_root_field(GqlStatement *st, GqlFieldGroup *group);
extern void gql_lookup_bind_keys(GqlStatement *st, GqlFieldGroup *group);
extern int gql_param(GqlStatement *st, Oid type, Datum value, bool isnull);
extern int gql_param_text(GqlStatement *st, const char *text);
extern int gql_param_column(GqlStatement *st, const GqlColumn *column, const GraphqlValue *value,
                            GraphqlLocation loc);
extern int gql_param_column_array(GqlStatement *st, const GqlColumn *column,
                                  const GraphqlValue *list, GraphqlLocation loc);
extern void gql_statement_init(GqlStatement *st, GqlRequest *req);
extern char *gql_new_alias(GqlStatement *st, char prefix);
extern void gql_column_output(StringInfo out, const char *alias, const GqlColumn *column);
extern void gql_connection_sql(GqlStatement *st, StringInfo out, GqlTable *table, GqlRelation *via,
                               const char *parent_alias, GqlFieldGroup *group);
extern void gql_build_object(StringInfo out, List *keys, List *exprs);
extern void gql_object_sql(GqlStatement *st, StringInfo out, GqlTable *table, const char *alias,
                           GqlFieldGroup *group);

/* translate_filter.c */
typedef struct GqlOrderKey
{
	GqlColumn *column;   /* the column, on the table or a to-one target */
	List *relation_path; /* of GqlRelation *, to-one hops to the column's table */
	bool descending;
	bool nulls_first;
	char *ident; /* for the ordering fingerprint */
} GqlOrderKey;

extern void gql_filter_sql(GqlStatement *st, StringInfo out, GqlTable *table, const char *alias,
                           const GraphqlValue *filter, GraphqlLocation loc);
extern List *gql_order_keys(GqlStatement *st, GqlTable *table, const GraphqlValue *order_by,
                            GraphqlLocation loc);
extern void gql_order_key_expr(GqlStatement *st, StringInfo out, GqlTable *table, const char *alias,
                               GqlOrderKey *key);
extern char *gql_order_fingerprint(GqlTable *table, List *keys);
extern void gql_cursor_condition(GqlStatement *st, StringInfo out, List *keys, List *key_exprs,
                                 const char *cursor, const char *fingerprint, bool reverse,
                                 GraphqlLocation loc);
extern void gql_cursor_sql(StringInfo out, int fingerprint_param, const char *alias, int nkeys);

/* response.c */
extern GqlError *gql_error_new(GqlErrorCode code, const char *message);
extern void gql_error_add_location(GqlError *error, GraphqlLocation loc);
extern void gql_request_error(GqlRequest *req, GqlErrorCode code, const char *message,
                              GraphqlLocation *loc);
extern void gql_append_error_json(StringInfo out, GqlError *error);
extern Jsonb *gql_errors_response(List *errors);
extern void gql_json_string(StringInfo out, const char *s);
extern const char *gql_code_name(GqlErrorCode code);

/* execute.c */
extern GqlError *gql_field_error(ErrorData *edata, GqlFieldGroup *group, GqlStatement *st);

/* introspect.c */
extern void gql_introspect_field(GqlRequest *req, StringInfo out, GqlFieldGroup *group);

/* plancache.c: parsed documents and prepared plans per backend */
extern int gql_plan_cache_size;
extern int gql_max_aliases;
extern int gql_max_document_bytes;
extern int gql_max_tokens;
extern void gql_cache_init(void);
extern GraphqlArena *gql_request_arena(GqlRequest *req);
extern bool gql_doc_cache_lookup(GqlRequest *req, const char *query, size_t len,
                                 const char *operation_name);
extern const char *gql_doc_cache_begin(GqlRequest *req, const char *query, size_t len);
extern void gql_doc_cache_store(GqlRequest *req, const char *operation_name);
extern int gql_plan_execute(GqlStatement *st);
extern bool gql_recipe_bind(GqlStatement *st, int root_index, GqlFieldGroup *group);
extern void gql_recipe_store(GqlStatement *st, int root_index);

/* visibility.c: the schema as the session's active RBAC roles see it */
extern const GraphqlVisibility *gql_visibility_for(GqlRequest *req);
extern bool gql_type_visible(GqlRequest *req, const GraphqlType *type);
extern bool gql_field_visible(GqlRequest *req, const GraphqlType *parent,
                              const GraphqlField *field);
extern bool gql_input_value_visible(GqlRequest *req, const GraphqlInputValue *value);

/* me.c: Query.me */
extern void gql_me_build(GqlModel *model, GraphqlType *query);
extern bool gql_me_is_field(const GraphqlField *field);
extern void gql_me_sql(GqlStatement *st, GqlFieldGroup *group);

/* persisted.c: Apollo automatic persisted queries */
extern bool gql_persisted_resolve(GqlRequest *req, text **query, Jsonb *extensions);

/* module-wide helpers */
extern void GqlInit(void);

#endif /* UPHUB_GQL_H */
