/*
 * mutation.h — mutations of src/gql: insertInto<Plural>, update<Plural>,
 * deleteFrom<Plural> (API.md "Mutations").
 *
 *   build_mutation.c      write privileges and unique constraints of the
 *                         reflected tables -> Mutation root, XInsertInput,
 *                         XUpdateInput, XOnConflict, XConstraint, XColumn,
 *                         XMutationResult
 *   translate_mutation.c  one data-modifying statement per mutation field;
 *                         every field of the operation in one subtransaction
 */
#ifndef UPHUB_GQL_MUTATION_H
#define UPHUB_GQL_MUTATION_H

#include "gql/gql.h"

/* A unique constraint usable as an ON CONFLICT arbiter. */
typedef struct GqlConstraint
{
	char *enum_name; /* UPPER_SNAKE of the constraint name */
	char *quoted;    /* quote_identifier(conname) */
} GqlConstraint;

/* What the calling role may write in one table (NULL: nothing; views never). */
typedef struct GqlTableWrite
{
	bool can_insert;
	bool can_update;
	bool can_delete;
	bool *insertable; /* per column: INSERT privilege and not generated */
	bool *updatable;  /* per column: UPDATE privilege and not generated */
	int nconstraints;
	GqlConstraint *constraints;
	GraphqlType *result_type;   /* XMutationResult */
	GraphqlType *column_type;   /* XColumn: updatable columns, NULL when none */
	GraphqlType *insert_type;   /* XInsertInput */
	GraphqlType *update_type;   /* XUpdateInput */
	GraphqlType *conflict_type; /* XOnConflict, NULL when no constraint */
	char **column_enum;         /* per column: its XColumn value, or NULL */
} GqlTableWrite;

/* build_mutation.c */
extern void gql_reflect_writes(GqlModel *model);
extern void gql_build_mutations(GqlModel *model);
extern char *gql_upper_snake(const char *field_name);

/* translate_mutation.c */
extern void gql_execute_mutation(GqlRequest *req, StringInfo out, List *fields);

#endif /* UPHUB_GQL_MUTATION_H */
