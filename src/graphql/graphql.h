/*
 * graphql.h — public interface of uphub's pure-C GraphQL library.
 *
 * The library implements the GraphQL specification (October 2021 edition)
 * for executable documents: lexer (§2), parser to an AST, a schema model
 * with the built-in scalars, directives and introspection types (§3, §4),
 * the validation rules of §5 with graphql-js v16 error wording, complexity
 * limits, canonical printing and a stable 64-bit document hash.
 *
 * It uses only libc: no PostgreSQL headers. Everything a request creates
 * lives in one GraphqlArena, freed in one call; the arena takes a pluggable
 * allocator so the extension can back it with palloc in a memory context.
 * A schema owns its own arena and is immutable once finalized, so it can be
 * built once per backend and shared by every request of that backend.
 *
 * Typical use:
 *
 *   arena = graphql_arena_create(NULL);
 *   doc = graphql_parse(arena, text, len, &parse_limits, &errors);
 *   if (doc == NULL) -> errors (kind GRAPHQL_ERROR_SYNTAX or _LIMIT)
 *   errors = graphql_validate(arena, schema, doc, &options);
 *   op = graphql_get_operation(arena, doc, operation_name, &errors);
 *   errors = graphql_check_complexity(arena, schema, doc, op, &limits);
 *   hash = graphql_document_hash(arena, doc);
 *   graphql_arena_destroy(arena);
 *
 * Strings in the AST and schema are NUL-terminated UTF-8. String values may
 * contain U+0000 (from "\u0000"), so GraphqlValue also carries a length.
 */
#ifndef UPHUB_GRAPHQL_H
#define UPHUB_GRAPHQL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C"
{
#endif

	/* ------------------------------------------------------------------ */
	/* Arena                                                                */
	/* ------------------------------------------------------------------ */

	/*
 * Backing allocator. alloc must return memory aligned for any type, or NULL;
 * free may be NULL when the backing memory is released by other means (for
 * example a PostgreSQL memory context reset). When alloc returns NULL the
 * arena calls out_of_memory (if set; it must not return, e.g. it may
 * longjmp or elog(ERROR)) and otherwise aborts the process.
 */
	typedef struct GraphqlAllocator
	{
		void *(*alloc)(size_t size, void *context);
		void (*free)(void *pointer, void *context);
		void (*out_of_memory)(size_t size, void *context);
		void *context;
	} GraphqlAllocator;

	typedef struct GraphqlArena GraphqlArena;

	/* allocator == NULL uses malloc/free; the struct is copied. */
	GraphqlArena *graphql_arena_create(const GraphqlAllocator *allocator);
	void graphql_arena_destroy(GraphqlArena *arena);
	void *graphql_arena_alloc(GraphqlArena *arena, size_t size); /* zeroed */
	char *graphql_arena_strdup(GraphqlArena *arena, const char *s);
	char *graphql_arena_strndup(GraphqlArena *arena, const char *s, size_t len);
	size_t graphql_arena_bytes_used(const GraphqlArena *arena);

	/* ------------------------------------------------------------------ */
	/* Errors                                                               */
	/* ------------------------------------------------------------------ */

	typedef enum GraphqlErrorKind
	{
		GRAPHQL_ERROR_SYNTAX,     /* lexer/parser: GRAPHQL_PARSE_FAILED */
		GRAPHQL_ERROR_VALIDATION, /* §5 rules: GRAPHQL_VALIDATION_FAILED */
		GRAPHQL_ERROR_OPERATION,  /* unknown / ambiguous operation name */
		GRAPHQL_ERROR_LIMIT       /* a configured limit was exceeded: TOO_COMPLEX */
	} GraphqlErrorKind;

	/* 1-based; column counts Unicode code points from the line start. */
	typedef struct GraphqlLocation
	{
		uint32_t line;
		uint32_t column;
	} GraphqlLocation;

	typedef struct GraphqlError
	{
		GraphqlErrorKind kind;
		const char *message; /* graphql-js wording, e.g. "Syntax Error: Unexpected \"}\"." */
		uint32_t location_count;
		const GraphqlLocation *locations;
		struct GraphqlError *next;
	} GraphqlError;

	/* ------------------------------------------------------------------ */
	/* AST                                                                  */
	/* ------------------------------------------------------------------ */

	typedef enum GraphqlValueKind
	{
		GRAPHQL_VALUE_VARIABLE,
		GRAPHQL_VALUE_INT,
		GRAPHQL_VALUE_FLOAT,
		GRAPHQL_VALUE_STRING,
		GRAPHQL_VALUE_BOOLEAN,
		GRAPHQL_VALUE_NULL,
		GRAPHQL_VALUE_ENUM,
		GRAPHQL_VALUE_LIST,
		GRAPHQL_VALUE_OBJECT
	} GraphqlValueKind;

	struct GraphqlArgument;

	typedef struct GraphqlValue
	{
		GraphqlValueKind kind;
		GraphqlLocation loc;
		/*
	 * VARIABLE: name without '$'; INT/FLOAT: literal text as written;
	 * STRING: decoded value (block strings after BlockStringValue());
	 * ENUM: the name; BOOLEAN: "true"/"false"; NULL: "null".
	 */
		const char *text;
		size_t text_len;
		bool boolean;
		bool is_block_string;
		struct GraphqlValue *items;     /* LIST, linked by next */
		struct GraphqlArgument *fields; /* OBJECT, linked by next */
		uint32_t count;                 /* LIST items / OBJECT fields */
		struct GraphqlValue *next;
	} GraphqlValue;

	/* An argument of a field or directive, or a field of an object value. */
	typedef struct GraphqlArgument
	{
		const char *name;
		GraphqlLocation loc; /* of the name */
		GraphqlValue *value;
		struct GraphqlArgument *next;
	} GraphqlArgument;

	typedef struct GraphqlDirective
	{
		const char *name;
		GraphqlLocation loc;      /* of '@' */
		GraphqlLocation name_loc; /* of the name */
		GraphqlArgument *arguments;
		struct GraphqlDirective *next;
	} GraphqlDirective;

	typedef enum GraphqlTypeRefKind
	{
		GRAPHQL_TYPEREF_NAMED,
		GRAPHQL_TYPEREF_LIST,
		GRAPHQL_TYPEREF_NON_NULL
	} GraphqlTypeRefKind;

	struct GraphqlType;

	/* A type reference: Name, [T] or T!. Used by the AST and the schema. */
	typedef struct GraphqlTypeRef
	{
		GraphqlTypeRefKind kind;
		GraphqlLocation loc;
		const char *name;               /* NAMED */
		struct GraphqlTypeRef *of_type; /* LIST, NON_NULL */
		const struct GraphqlType *type; /* NAMED: resolved (schema; AST after validation) */
	} GraphqlTypeRef;

	typedef struct GraphqlVariableDefinition
	{
		const char *name;         /* without '$' */
		GraphqlLocation loc;      /* of '$' */
		GraphqlLocation name_loc; /* of the name */
		GraphqlTypeRef *type;
		GraphqlValue *default_value; /* NULL if none */
		GraphqlDirective *directives;
		struct GraphqlVariableDefinition *next;
	} GraphqlVariableDefinition;

	typedef enum GraphqlSelectionKind
	{
		GRAPHQL_SELECTION_FIELD,
		GRAPHQL_SELECTION_FRAGMENT_SPREAD,
		GRAPHQL_SELECTION_INLINE_FRAGMENT
	} GraphqlSelectionKind;

	struct GraphqlField;

	typedef struct GraphqlSelection
	{
		GraphqlSelectionKind kind;
		GraphqlLocation loc;        /* field: alias or name; fragments: "..." */
		GraphqlLocation name_loc;   /* field / spread name; inline: type condition */
		const char *alias;          /* FIELD: NULL when none */
		const char *name;           /* FIELD: field name; SPREAD: fragment name */
		const char *type_condition; /* INLINE_FRAGMENT: NULL when none */
		GraphqlArgument *arguments;
		GraphqlDirective *directives;
		struct GraphqlSelection *selections; /* sub-selection set, NULL if none */
		GraphqlLocation selection_set_loc;   /* of '{' */
		uint32_t argument_count;
		uint32_t selection_count;
		/* Set by graphql_validate on FIELD nodes it could resolve. */
		const struct GraphqlType *parent_type;
		const struct GraphqlField *field_def;
		struct GraphqlSelection *next;
	} GraphqlSelection;

	typedef enum GraphqlOperationType
	{
		GRAPHQL_OPERATION_QUERY,
		GRAPHQL_OPERATION_MUTATION,
		GRAPHQL_OPERATION_SUBSCRIPTION
	} GraphqlOperationType;

	typedef enum GraphqlDefinitionKind
	{
		GRAPHQL_DEFINITION_OPERATION,
		GRAPHQL_DEFINITION_FRAGMENT
	} GraphqlDefinitionKind;

	typedef struct GraphqlDefinition
	{
		GraphqlDefinitionKind kind;
		GraphqlLocation loc;            /* of the keyword, or '{' for shorthand */
		GraphqlLocation name_loc;       /* of the name when there is one */
		GraphqlOperationType operation; /* OPERATION */
		bool is_shorthand;              /* OPERATION written as a bare { } */
		const char *name;               /* NULL for anonymous operations */
		GraphqlVariableDefinition *variables;
		const char *type_condition; /* FRAGMENT */
		GraphqlLocation type_condition_loc;
		GraphqlDirective *directives;
		GraphqlSelection *selections;
		GraphqlLocation selection_set_loc;
		uint32_t variable_count;
		struct GraphqlDefinition *next;
	} GraphqlDefinition;

	typedef struct GraphqlDocument
	{
		GraphqlDefinition *definitions;
		uint32_t definition_count;
		uint32_t token_count;
		const char *source; /* not copied: must outlive the document */
		size_t source_len;
	} GraphqlDocument;

	/* ------------------------------------------------------------------ */
	/* Parsing                                                              */
	/* ------------------------------------------------------------------ */

	typedef struct GraphqlParseLimits
	{
		size_t max_bytes;    /* 0 = unlimited */
		uint32_t max_tokens; /* 0 = unlimited */
		uint32_t max_depth;  /* nesting of selection sets, values, types; 0 = default 128 */
	} GraphqlParseLimits;

#define GRAPHQL_DEFAULT_PARSE_DEPTH 128

	/*
 * Parse an executable document. Returns NULL and sets *error (one error,
 * kind SYNTAX, or LIMIT for the size/token/depth limits) on failure.
 * limits may be NULL. The source need not be NUL-terminated.
 */
	GraphqlDocument *graphql_parse(GraphqlArena *arena, const char *source, size_t len,
	                               const GraphqlParseLimits *limits, GraphqlError **error);

	/* Parse a single value (e.g. a default value); const_only rejects variables. */
	GraphqlValue *graphql_parse_value(GraphqlArena *arena, const char *source, size_t len,
	                                  bool const_only, GraphqlError **error);

	/* Parse a type reference such as "[Int!]!". */
	GraphqlTypeRef *graphql_parse_type(GraphqlArena *arena, const char *source, size_t len,
	                                   GraphqlError **error);

	/* ------------------------------------------------------------------ */
	/* Lexer (exposed for tests and tools)                                  */
	/* ------------------------------------------------------------------ */

	typedef enum GraphqlTokenKind
	{
		GRAPHQL_TOKEN_SOF,
		GRAPHQL_TOKEN_EOF,
		GRAPHQL_TOKEN_BANG,
		GRAPHQL_TOKEN_DOLLAR,
		GRAPHQL_TOKEN_AMP,
		GRAPHQL_TOKEN_PAREN_L,
		GRAPHQL_TOKEN_PAREN_R,
		GRAPHQL_TOKEN_SPREAD,
		GRAPHQL_TOKEN_COLON,
		GRAPHQL_TOKEN_EQUALS,
		GRAPHQL_TOKEN_AT,
		GRAPHQL_TOKEN_BRACKET_L,
		GRAPHQL_TOKEN_BRACKET_R,
		GRAPHQL_TOKEN_BRACE_L,
		GRAPHQL_TOKEN_PIPE,
		GRAPHQL_TOKEN_BRACE_R,
		GRAPHQL_TOKEN_NAME,
		GRAPHQL_TOKEN_INT,
		GRAPHQL_TOKEN_FLOAT,
		GRAPHQL_TOKEN_STRING,
		GRAPHQL_TOKEN_BLOCK_STRING
	} GraphqlTokenKind;

	typedef struct GraphqlToken
	{
		GraphqlTokenKind kind;
		size_t start; /* byte offsets into the source */
		size_t end;
		GraphqlLocation loc;
		const char *value; /* NAME/INT/FLOAT text, decoded STRING; else NULL */
		size_t value_len;
	} GraphqlToken;

	typedef struct GraphqlLexer GraphqlLexer;

	GraphqlLexer *graphql_lexer_create(GraphqlArena *arena, const char *source, size_t len);
	/* Advance to the next token; false (and *error set) on a lexical error. */
	bool graphql_lexer_next(GraphqlLexer *lexer, GraphqlToken *token, GraphqlError **error);
	/* Description of a token kind as graphql-js prints it: "\"{\"", "Name", "<EOF>". */
	const char *graphql_token_kind_name(GraphqlTokenKind kind);

	/* ------------------------------------------------------------------ */
	/* Schema                                                               */
	/* ------------------------------------------------------------------ */

	typedef enum GraphqlTypeKind
	{
		GRAPHQL_KIND_SCALAR,
		GRAPHQL_KIND_OBJECT,
		GRAPHQL_KIND_INTERFACE,
		GRAPHQL_KIND_UNION,
		GRAPHQL_KIND_ENUM,
		GRAPHQL_KIND_INPUT_OBJECT
	} GraphqlTypeKind;

	/* Directive locations (§3.13), as a bit mask. */
	typedef enum GraphqlDirectiveLocation
	{
		GRAPHQL_DL_QUERY = 1 << 0,
		GRAPHQL_DL_MUTATION = 1 << 1,
		GRAPHQL_DL_SUBSCRIPTION = 1 << 2,
		GRAPHQL_DL_FIELD = 1 << 3,
		GRAPHQL_DL_FRAGMENT_DEFINITION = 1 << 4,
		GRAPHQL_DL_FRAGMENT_SPREAD = 1 << 5,
		GRAPHQL_DL_INLINE_FRAGMENT = 1 << 6,
		GRAPHQL_DL_VARIABLE_DEFINITION = 1 << 7,
		GRAPHQL_DL_SCHEMA = 1 << 8,
		GRAPHQL_DL_SCALAR = 1 << 9,
		GRAPHQL_DL_OBJECT = 1 << 10,
		GRAPHQL_DL_FIELD_DEFINITION = 1 << 11,
		GRAPHQL_DL_ARGUMENT_DEFINITION = 1 << 12,
		GRAPHQL_DL_INTERFACE = 1 << 13,
		GRAPHQL_DL_UNION = 1 << 14,
		GRAPHQL_DL_ENUM = 1 << 15,
		GRAPHQL_DL_ENUM_VALUE = 1 << 16,
		GRAPHQL_DL_INPUT_OBJECT = 1 << 17,
		GRAPHQL_DL_INPUT_FIELD_DEFINITION = 1 << 18
	} GraphqlDirectiveLocation;

#define GRAPHQL_DL_COUNT 19
	/* Name of the single location bit (e.g. "FIELD"), NULL if not one bit. */
	const char *graphql_directive_location_name(uint32_t location);

/* Literal kinds a custom scalar accepts in documents (bit mask). */
#define GRAPHQL_ACCEPT_INT     (1u << 0)
#define GRAPHQL_ACCEPT_FLOAT   (1u << 1)
#define GRAPHQL_ACCEPT_STRING  (1u << 2)
#define GRAPHQL_ACCEPT_BOOLEAN (1u << 3)
#define GRAPHQL_ACCEPT_ENUM    (1u << 4)
#define GRAPHQL_ACCEPT_LIST    (1u << 5)
#define GRAPHQL_ACCEPT_OBJECT  (1u << 6)
#define GRAPHQL_ACCEPT_ANY     0x7fu

	typedef struct GraphqlSchema GraphqlSchema;
	typedef struct GraphqlType GraphqlType;

	/* An argument, or a field of an input object. */
	typedef struct GraphqlInputValue
	{
		const char *name;
		const char *description;
		GraphqlTypeRef *type;
		const char *default_value_text; /* GraphQL literal text, NULL if none */
		GraphqlValue *default_value;    /* parsed form of the above */
		const char *deprecation_reason; /* NULL unless deprecated */
		void *user_data;
		struct GraphqlInputValue *next;
	} GraphqlInputValue;

	typedef struct GraphqlField
	{
		const char *name;
		const char *description;
		GraphqlTypeRef *type;
		GraphqlInputValue *arguments;
		uint32_t argument_count;
		const char *deprecation_reason;
		void *user_data; /* the reflection layer's column / relation */
		const GraphqlType *owner;
		struct GraphqlField *next;
	} GraphqlField;

	typedef struct GraphqlEnumValue
	{
		const char *name;
		const char *description;
		const char *deprecation_reason;
		void *user_data;
		struct GraphqlEnumValue *next;
	} GraphqlEnumValue;

	typedef struct GraphqlTypeList
	{
		const GraphqlType *type;
		struct GraphqlTypeList *next;
	} GraphqlTypeList;

	struct GraphqlNameMap;

	struct GraphqlType
	{
		GraphqlTypeKind kind;
		const char *name;
		const char *description;
		const char *specified_by_url; /* scalars */
		uint32_t accepted_literals;   /* scalars: GRAPHQL_ACCEPT_* mask */
		bool is_builtin;              /* Int, Float, String, Boolean, ID */
		bool is_introspection;        /* __Schema, __Type, ... */
		GraphqlField *fields;         /* OBJECT, INTERFACE (declaration order) */
		uint32_t field_count;
		GraphqlInputValue *input_fields; /* INPUT_OBJECT */
		uint32_t input_field_count;
		GraphqlEnumValue *enum_values; /* ENUM */
		uint32_t enum_value_count;
		GraphqlTypeList *interfaces;     /* OBJECT, INTERFACE: implemented interfaces */
		GraphqlTypeList *possible_types; /* UNION members; INTERFACE implementing objects */
		uint32_t possible_type_count;
		void *user_data; /* the reflection layer's table / type info */
		/* private */
		struct GraphqlNameMap *member_map;
		GraphqlTypeList *sub_interfaces; /* INTERFACE: interfaces implementing it */
		GraphqlField *last_field;
		GraphqlInputValue *last_input_field;
		GraphqlEnumValue *last_enum_value;
		struct GraphqlType *next;
	};

	typedef struct GraphqlDirectiveDef
	{
		const char *name;
		const char *description;
		uint32_t locations; /* GraphqlDirectiveLocation mask */
		bool is_repeatable;
		bool is_builtin;
		GraphqlInputValue *arguments;
		uint32_t argument_count;
		struct GraphqlDirectiveDef *next;
	} GraphqlDirectiveDef;

	/*
 * Building a schema. Create it (it already holds Int, Float, String,
 * Boolean, ID, @skip, @include, @deprecated, @specifiedBy and the
 * introspection types), add types, fields, arguments, set the root types,
 * then call graphql_schema_finalize once. Type strings ("[Creator!]!") may
 * name types added later: references are resolved by finalize. Builder
 * calls never fail loudly: the first problem is remembered and returned by
 * finalize. After finalize the schema is read-only.
 */
	GraphqlSchema *graphql_schema_create(const GraphqlAllocator *allocator);
	void graphql_schema_destroy(GraphqlSchema *schema);
	GraphqlArena *graphql_schema_arena(GraphqlSchema *schema);

	GraphqlType *graphql_schema_add_type(GraphqlSchema *schema, GraphqlTypeKind kind,
	                                     const char *name, const char *description);
	GraphqlType *graphql_schema_add_scalar(GraphqlSchema *schema, const char *name,
	                                       const char *description, uint32_t accepted_literals);
	GraphqlType *graphql_schema_add_object(GraphqlSchema *schema, const char *name,
	                                       const char *description);
	GraphqlType *graphql_schema_add_interface(GraphqlSchema *schema, const char *name,
	                                          const char *description);
	GraphqlType *graphql_schema_add_union(GraphqlSchema *schema, const char *name,
	                                      const char *description);
	GraphqlType *graphql_schema_add_enum(GraphqlSchema *schema, const char *name,
	                                     const char *description);
	GraphqlType *graphql_schema_add_input_object(GraphqlSchema *schema, const char *name,
	                                             const char *description);
	void graphql_schema_set_root(GraphqlSchema *schema, GraphqlOperationType operation,
	                             GraphqlType *type);
	void graphql_schema_set_description(GraphqlSchema *schema, const char *description);

	/* type (an object or interface) gets a field; type_text is GraphQL type syntax: "[String!]!". */
	GraphqlField *graphql_type_add_field(GraphqlSchema *schema, GraphqlType *type, const char *name,
	                                     const char *type_text, const char *description);
	/* default_value is a GraphQL literal ("10", "[ASC]", "{a: 1}") or NULL. */
	GraphqlInputValue *graphql_field_add_argument(GraphqlSchema *schema, GraphqlField *field,
	                                              const char *name, const char *type,
	                                              const char *default_value,
	                                              const char *description);
	GraphqlInputValue *graphql_input_object_add_field(GraphqlSchema *schema,
	                                                  GraphqlType *input_object, const char *name,
	                                                  const char *type, const char *default_value,
	                                                  const char *description);
	GraphqlEnumValue *graphql_enum_add_value(GraphqlSchema *schema, GraphqlType *enum_type,
	                                         const char *name, const char *description);
	void graphql_type_add_interface(GraphqlSchema *schema, GraphqlType *object_or_interface,
	                                GraphqlType *interface_type);
	void graphql_union_add_member(GraphqlSchema *schema, GraphqlType *union_type,
	                              GraphqlType *object_type);
	GraphqlDirectiveDef *graphql_schema_add_directive(GraphqlSchema *schema, const char *name,
	                                                  const char *description, uint32_t locations,
	                                                  bool is_repeatable);
	GraphqlInputValue *graphql_directive_add_argument(GraphqlSchema *schema,
	                                                  GraphqlDirectiveDef *directive,
	                                                  const char *name, const char *type,
	                                                  const char *default_value,
	                                                  const char *description);
	void graphql_field_set_deprecated(GraphqlSchema *schema, GraphqlField *field,
	                                  const char *reason);
	void graphql_enum_value_set_deprecated(GraphqlSchema *schema, GraphqlEnumValue *value,
	                                       const char *reason);
	void graphql_input_value_set_deprecated(GraphqlSchema *schema, GraphqlInputValue *value,
	                                        const char *reason);
	void graphql_scalar_set_specified_by(GraphqlSchema *schema, GraphqlType *scalar,
	                                     const char *url);

	/* Resolve references, build lookup tables. NULL on success, else a message. */
	const char *graphql_schema_finalize(GraphqlSchema *schema);

	/* Lookups (after finalize; hash lookups). */
	const GraphqlType *graphql_schema_find_type(const GraphqlSchema *schema, const char *name);
	const GraphqlType *graphql_schema_root(const GraphqlSchema *schema,
	                                       GraphqlOperationType operation);
	const char *graphql_schema_description(const GraphqlSchema *schema);
	const GraphqlType *graphql_schema_types(const GraphqlSchema *schema); /* linked by next */
	const GraphqlDirectiveDef *graphql_schema_directives(const GraphqlSchema *schema);
	const GraphqlDirectiveDef *graphql_schema_find_directive(const GraphqlSchema *schema,
	                                                         const char *name);
	const GraphqlField *graphql_type_find_field(const GraphqlType *type, const char *name);
	const GraphqlInputValue *graphql_type_find_input_field(const GraphqlType *type,
	                                                       const char *name);
	const GraphqlEnumValue *graphql_type_find_enum_value(const GraphqlType *type, const char *name);
	const GraphqlInputValue *graphql_find_argument(const GraphqlInputValue *arguments,
	                                               const char *name);
	/* The meta fields: __typename (any composite type), __schema and __type (query root). */
	const GraphqlField *graphql_schema_typename_field(const GraphqlSchema *schema);
	const GraphqlField *graphql_schema_schema_field(const GraphqlSchema *schema);
	const GraphqlField *graphql_schema_type_field(const GraphqlSchema *schema);
	/* Is object_type (or interface) a possible type of the abstract type? */
	bool graphql_type_is_subtype(const GraphqlType *abstract_type,
	                             const GraphqlType *maybe_subtype);

	const GraphqlType *graphql_typeref_named(const GraphqlTypeRef *ref);
	bool graphql_type_is_input(const GraphqlType *type);
	bool graphql_type_is_composite(const GraphqlType *type);
	bool graphql_type_is_leaf(const GraphqlType *type);
	bool graphql_type_is_abstract(const GraphqlType *type);

	/* ------------------------------------------------------------------ */
	/* Validation                                                           */
	/* ------------------------------------------------------------------ */

	/*
 * Per-request visibility filter: a hidden type or field reads exactly like
 * one that does not exist. Lets one cached schema serve every role.
 */
	typedef struct GraphqlVisibility
	{
		bool (*is_type_visible)(const GraphqlType *type, void *context);
		bool (*is_field_visible)(const GraphqlType *parent, const GraphqlField *field,
		                         void *context);
		void *context;
	} GraphqlVisibility;

	typedef struct GraphqlValidateOptions
	{
		uint32_t max_errors;        /* 0 = 100, as graphql-js */
		bool disable_introspection; /* __schema / __type read as unknown fields */
		const GraphqlVisibility *visibility;
	} GraphqlValidateOptions;

	/*
 * Validate doc against schema (finalized). Returns the list of errors in
 * graphql-js order, or NULL when the document is valid. Annotates FIELD
 * selections with parent_type/field_def and NAMED type refs with type.
 * options may be NULL.
 */
	GraphqlError *graphql_validate(GraphqlArena *arena, const GraphqlSchema *schema,
	                               GraphqlDocument *doc, const GraphqlValidateOptions *options);

	/* ------------------------------------------------------------------ */
	/* Execution helpers                                                    */
	/* ------------------------------------------------------------------ */

	/*
 * §6.1 GetOperation: name may be NULL. On failure returns NULL with *error:
 * "Unknown operation named \"x\"." or "Must provide operation name if query
 * contains multiple operations." (kind OPERATION) or "Must provide an
 * operation." for a document without operations.
 */
	const GraphqlDefinition *graphql_get_operation(GraphqlArena *arena, const GraphqlDocument *doc,
	                                               const char *name, GraphqlError **error);
	const GraphqlDefinition *graphql_find_fragment(const GraphqlDocument *doc, const char *name);

	/*
 * Complexity limits, checked on one operation after fragment expansion.
 * Depth: a root field has depth 1. Fields: every field selection counts
 * once per place it lands after expanding fragments (a fragment spread
 * twice counts twice). Aliases: within one selection set (fragments spread
 * or inlined at that level merged in), the number of distinct response
 * names that select the same field name. Zero means unlimited.
 */
	typedef struct GraphqlComplexityLimits
	{
		uint32_t max_depth;
		uint32_t max_fields;
		uint32_t max_aliases_per_field;
		bool ignore_introspection; /* don't count inside __schema / __type */
	} GraphqlComplexityLimits;

	/* Errors of kind LIMIT, or NULL. Safe on unvalidated documents (cycles). */
	GraphqlError *graphql_check_complexity(GraphqlArena *arena, const GraphqlDocument *doc,
	                                       const GraphqlDefinition *operation,
	                                       const GraphqlComplexityLimits *limits);

	/* Measured values (saturating at UINT32_MAX), for stats or custom policies. */
	void graphql_measure_operation(GraphqlArena *arena, const GraphqlDocument *doc,
	                               const GraphqlDefinition *operation, uint32_t *depth,
	                               uint32_t *field_count);

	/* ------------------------------------------------------------------ */
	/* Printing and hashing                                                 */
	/* ------------------------------------------------------------------ */

	/*
 * Canonical text of a document: one line, single spaces, no comments,
 * commas only between list/argument items, strings re-escaped (block
 * strings as ordinary strings). Two documents that differ only in ignored
 * tokens or string spelling print identically.
 */
	char *graphql_print_document(GraphqlArena *arena, const GraphqlDocument *doc, size_t *len);
	/* A value as graphql-js print() writes it (used in error messages). */
	char *graphql_print_value(GraphqlArena *arena, const GraphqlValue *value);
	/* A type reference as graphql-js inspect() writes it: "[Int!]!". */
	char *graphql_print_typeref(GraphqlArena *arena, const GraphqlTypeRef *ref);

	/* FNV-1a 64-bit with a final avalanche step; stable across platforms. */
	uint64_t graphql_hash64(const void *data, size_t len);
	/* graphql_hash64 of graphql_print_document. */
	uint64_t graphql_document_hash(GraphqlArena *arena, const GraphqlDocument *doc);

#ifdef __cplusplus
}
#endif

#endif /* UPHUB_GRAPHQL_H */
