/*
 * validate_int.h — state shared by the validator's files (validate.c,
 * validate_document.c, validate_overlap.c); not part of the public API.
 */
#ifndef UPHUB_GRAPHQL_VALIDATE_INT_H
#define UPHUB_GRAPHQL_VALIDATE_INT_H

#include <setjmp.h>

#include "graphql_int.h"

/* A variable used somewhere, with the input type expected there. */
typedef struct VariableUsage
{
	const GraphqlValue *node;
	const GraphqlTypeRef *type; /* NULL when unknown */
	bool has_location_default;
} VariableUsage;

/* What the walk learned about one definition. */
typedef struct DefinitionInfo
{
	const GraphqlDefinition *def;
	VariableUsage *usages;
	uint32_t usage_count;
	uint32_t usage_cap;
	GraphqlError **anchor; /* operations: where their leave-time errors go */
} DefinitionInfo;

/* A growable array of pointers. */
typedef struct PtrArray
{
	const void **items;
	uint32_t count;
	uint32_t cap;
} PtrArray;

typedef struct PairMap PairMap;

typedef struct Validator
{
	GraphqlArena *arena;
	const GraphqlSchema *schema;
	GraphqlDocument *doc;
	const GraphqlVisibility *visibility;
	bool introspection_enabled;
	uint32_t max_errors;
	GraphqlError *errors;
	GraphqlError **tail;
	uint32_t error_count;
	jmp_buf abort;

	GraphqlNameMap *fragments;     /* name -> definition (last wins, as graphql-js) */
	GraphqlNameMap *info_by_def;   /* definition -> DefinitionInfo */
	GraphqlNameMap *spreads_cache; /* selection list -> PtrArray of spreads */
	DefinitionInfo *current;       /* definition being walked */
	uint32_t operation_count;
	GraphqlNameMap *operation_names;
	GraphqlNameMap *fragment_names;
	GraphqlNameMap *cycle_visited; /* NoFragmentCycles */

	/* OverlappingFieldsCanBeMerged memo tables */
	GraphqlNameMap *overlap_cache;  /* selection list -> FieldsAndFragments */
	uint8_t *pair_bits;             /* PairSet of fragment names, see validate_overlap.c */
	GraphqlNameMap *fragment_index; /* fragment name -> index + 1 */
	uint32_t fragment_count;
	PairMap *conflict_memo;           /* field node pair -> Conflict */
	PairMap *conflict_memo_exclusive; /* the same, mutually exclusive parents */
	GraphqlNameMap *argument_strings; /* field node -> canonical arguments text */
	uint32_t overlap_depth;
	GraphqlNameMap *fragment_walks; /* fragment name -> last walk that reached it */
	uintptr_t walk_counter;
} Validator;

/* validate.c */
void graphql_v_report(Validator *v, const char *message, uint32_t count,
                      const GraphqlLocation *locs);
void graphql_v_reportf(Validator *v, GraphqlLocation loc, const char *fmt, ...)
    GRAPHQL_PRINTF(3, 4);
const GraphqlType *graphql_v_lookup_type(Validator *v, const char *name);
const GraphqlType *graphql_v_type_from_ast(Validator *v, GraphqlTypeRef *ref);
void graphql_v_ptr_push(Validator *v, PtrArray *a, const void *item);
const PtrArray *graphql_v_fragment_spreads(Validator *v, const GraphqlSelection *selections);
const GraphqlDefinition *graphql_v_fragment(Validator *v, const char *name);
bool graphql_v_should_include(const GraphqlDirective *directives);

/* validate_document.c */
void graphql_v_operation_enter(Validator *v, const GraphqlDefinition *op);
void graphql_v_fragment_enter(Validator *v, const GraphqlDefinition *frag);
void graphql_v_finish_document(Validator *v);
bool graphql_v_typeref_subtype(const GraphqlTypeRef *sub, const GraphqlTypeRef *super);

/* validate_overlap.c */
void graphql_v_overlapping_fields(Validator *v, const GraphqlType *parent,
                                  const GraphqlSelection *selections);

#endif /* UPHUB_GRAPHQL_VALIDATE_INT_H */
