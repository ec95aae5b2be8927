/*
 * plancache.c — per-backend caches that let a repeated GraphQL request skip
 * parsing, validation, SQL planning and (bind-only documents) translation.
 *
 * Two LRU caches, each bounded by uphub.graphql_plan_cache_size (0 turns
 * both off):
 *
 *   documents  raw query text -> the parsed, validated document, the
 *              selected operation, its complexity check passed and its
 *              queryid. Key: hash of the text, the operation name and the
 *              identity below; a hit compares the text itself, so a hash
 *              collision is only ever a miss. The entry owns a memory
 *              context holding the text and the library arena of the parse;
 *              the validator's annotations point into the schema model, so
 *              an entry is only used with the model (by serial) it was
 *              validated against.
 *   plans      SQL text of one root field + parameter types -> a prepared
 *              plan (SPI_prepare + SPI_keepplan). The SQL text of a field is
 *              a function of the document, the operation, the root field and
 *              the shape of the variables (translate.c inlines no value
 *              but the page size), so keying on the text covers all
 *              of them exactly.
 *   recipes    per document entry and root field, for bind-only documents
 *              (document_bind_only: variables only as root lookup keys):
 *              the SQL, its plan key and the parameters the document fixes.
 *              A repeated request binds the lookup keys and runs the kept
 *              plan — no translation. Other documents translate on every
 *              request, which is what binds their variable values.
 *
 * Identity (part of both keys): the current role (GetUserId: SET ROLE has
 * its own entries, and privileges/RLS are the role's), the RBAC principal
 * (act_as included) and the set of permissions its active roles hold (what
 * the visible schema depends on), plus the settings that change what
 * validation and the limits accept and uphub.graphql_max_rows (page sizes
 * are written into the SQL).
 *
 * Invalidation: both caches are flushed when the GraphQL schema version
 * (DDL, GRANT/REVOKE, COMMENT; reflect.c) or the committed RBAC catalog
 * generation moves. While the current transaction has written the RBAC
 * catalog (uncommitted grants), nothing is looked up or stored. PostgreSQL's
 * own plan cache additionally replans a kept plan on relcache invalidation,
 * a search_path change or a role change under row-level security.
 *
 * Memory: entries live under CacheMemoryContext; an evicted document frees
 * its context, an evicted plan SPI_freeplan()s. Not shared between backends.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/ilist.h"
#include "miscadmin.h"
#include "utils/datum.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "gql/gql.h"
#include "rbac/rbac.h"
#include "stats/stats.h"

int gql_plan_cache_size = 256;
int gql_max_aliases = 30;
int gql_max_document_bytes = 100 * 1024;
int gql_max_tokens = 10000;

/* Who asks, and under which limits: compared with memcmp, so always zeroed first. */
typedef struct CacheIdentity
{
	Oid role;
	int64 principal;
	uint64 permissions;
	int max_depth;
	int max_fields;
	int max_aliases;
	int max_document_bytes;
	int max_tokens;
	int max_rows; /* page sizes are written into the SQL (translate.c) */
	bool introspection;
} CacheIdentity;

/*
 * A root field translated once for a bind-only document: its SQL, the plan
 * cache key of that SQL, and the parameters the document fixes. A replay
 * copies those and binds the lookup keys from the request's variables.
 */
typedef struct Recipe
{
	char *sql;
	int len;
	uint64 plan_key;
	int nparams;
	int rebind_from;
	Oid *types;
	Datum *values;
	char *nulls;
} Recipe;

typedef struct DocEntry
{
	uint64 key; /* hash key */
	dlist_node lru;
	MemoryContext cxt;
	CacheIdentity identity;
	uint64 model_serial;
	char *text;
	size_t len;
	char *operation_name; /* NULL when none was given */
	GraphqlDocument *doc;
	const GraphqlDefinition *operation;
	uint64 queryid;
	const char *operation_type;
	bool bind_only;   /* see document_bind_only */
	int nrecipes;     /* length of recipes: root fields of the operation */
	Recipe **recipes; /* by root field index; NULL until translated once */
} DocEntry;

typedef struct PlanEntry
{
	uint64 key; /* hash key */
	dlist_node lru;
	CacheIdentity identity;
	char *sql;
	int nparams;
	Oid *types;
	SPIPlanPtr plan;
} PlanEntry;

static HTAB *doc_table = NULL;
static HTAB *plan_table = NULL;
static dlist_head doc_lru = DLIST_STATIC_INIT(doc_lru);
static dlist_head plan_lru = DLIST_STATIC_INIT(plan_lru);
static int doc_count = 0;
static int plan_count = 0;
static MemoryContext plan_cxt = NULL;

/* Epoch of what is cached: a change of either counter flushes everything. */
static uint64 cached_schema_version = 0;
static uint64 cached_rbac_gen = 0;

/* The current request's identity, set by gql_doc_cache_lookup. */
static CacheIdentity current;
static bool current_usable = false;
static MemoryContext pending_cxt = NULL;

/* GUCs of the cache and the limits; called from GqlInit. */
void
gql_cache_init(void)
{
	DefineCustomIntVariable("uphub.graphql_plan_cache_size",
	                        "Cached GraphQL documents and prepared plans per backend (0: off).",
	                        NULL, &gql_plan_cache_size, 256, 0, 100000, PGC_SUSET, 0, NULL, NULL,
	                        NULL);
	DefineCustomIntVariable("uphub.graphql_max_aliases",
	                        "Most aliases of the same field in one GraphQL selection set.", NULL,
	                        &gql_max_aliases, 30, 1, 100000, PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("uphub.graphql_max_document_bytes",
	                        "Largest GraphQL document accepted, in bytes.", NULL,
	                        &gql_max_document_bytes, 100 * 1024, 1, MaxAllocSize / 2, PGC_SUSET,
	                        GUC_UNIT_BYTE, NULL, NULL, NULL);
	DefineCustomIntVariable("uphub.graphql_max_tokens", "Most tokens of one GraphQL document.",
	                        NULL, &gql_max_tokens, 10000, 1, 100000000, PGC_SUSET, 0, NULL, NULL,
	                        NULL);
}

/* Drop every cached document and plan. */
static void
flush_all(void)
{
	HASH_SEQ_STATUS seq;
	DocEntry *d;
	PlanEntry *p;

	if (doc_table)
	{
		hash_seq_init(&seq, doc_table);
		while ((d = hash_seq_search(&seq)) != NULL)
			MemoryContextDelete(d->cxt);
		hash_destroy(doc_table);
		doc_table = NULL;
	}
	if (plan_table)
	{
		hash_seq_init(&seq, plan_table);
		while ((p = hash_seq_search(&seq)) != NULL)
			SPI_freeplan(p->plan);
		hash_destroy(plan_table);
		plan_table = NULL;
	}
	if (plan_cxt)
		MemoryContextReset(plan_cxt);
	dlist_init(&doc_lru);
	dlist_init(&plan_lru);
	doc_count = plan_count = 0;
}

/* Create the tables on first use. */
static void
ensure_tables(void)
{
	HASHCTL ctl;

	if (plan_cxt == NULL)
		plan_cxt = AllocSetContextCreate(CacheMemoryContext, "uphub graphql plan cache",
		                                 ALLOCSET_DEFAULT_SIZES);
	if (doc_table == NULL)
	{
		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(uint64);
		ctl.entrysize = sizeof(DocEntry);
		ctl.hcxt = CacheMemoryContext;
		doc_table =
		    hash_create("uphub graphql documents", 64, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	if (plan_table == NULL)
	{
		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = sizeof(uint64);
		ctl.entrysize = sizeof(PlanEntry);
		ctl.hcxt = CacheMemoryContext;
		plan_table =
		    hash_create("uphub graphql plans", 64, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
}

/* 64-bit hash of bytes, chained from a seed. */
static uint64
hash64(const void *data, size_t len, uint64 seed)
{
	return hash_bytes_extended((const unsigned char *) data, (int) len, seed);
}

/* The library's allocator: palloc in the given memory context. */
static void *
arena_alloc(size_t size, void *context)
{
	return MemoryContextAllocExtended((MemoryContext) context, size, MCXT_ALLOC_HUGE);
}

static void
arena_oom(size_t size, void *context)
{
	ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory"),
	                errdetail("Failed on request of size %zu in the GraphQL library.", size)));
}

/* An arena backed by a memory context. */
static GraphqlArena *
arena_in(MemoryContext cxt)
{
	GraphqlAllocator allocator = {arena_alloc, NULL, arena_oom, cxt};

	return graphql_arena_create(&allocator);
}

/* The current request's identity; false when nothing may be cached for it. */
static bool
compute_identity(GqlRequest *req)
{
	RbacIdentity rbac;
	uint64 version = gql_schema_version();

	memset(&current, 0, sizeof(current));
	if (gql_plan_cache_size <= 0)
	{
		if (doc_count > 0 || plan_count > 0)
			flush_all();
		return false;
	}
	rbac_cache_identity(&rbac);
	if (!rbac.is_settled)
		return false;
	if (version != cached_schema_version || rbac.catalog_gen != cached_rbac_gen)
	{
		flush_all();
		cached_schema_version = version;
		cached_rbac_gen = rbac.catalog_gen;
	}
	current.role = GetUserId();
	current.principal = rbac.principal;
	current.permissions = rbac.permissions;
	current.max_depth = gql_max_depth;
	current.max_fields = gql_max_fields;
	current.max_aliases = gql_max_aliases;
	current.max_document_bytes = gql_max_document_bytes;
	current.max_tokens = gql_max_tokens;
	current.max_rows = gql_max_rows;
	current.introspection = gql_introspection;
	ensure_tables();
	return true;
}

/* Key of a document entry. */
static uint64
doc_key(const char *query, size_t len, const char *operation_name)
{
	uint64 h = hash64(query, len, 0x9e3779b97f4a7c15);

	if (operation_name)
		h = hash64(operation_name, strlen(operation_name) + 1, h);
	return hash64(&current, sizeof(current), h);
}

/*
 * The request's own arena (for printing types into error messages, and for
 * parsing when the document cannot become a cache entry), created on first
 * use: a cache hit that reports no error never needs one.
 */
GraphqlArena *
gql_request_arena(GqlRequest *req)
{
	if (req->arena == NULL)
		req->arena = arena_in(req->cxt);
	return req->arena;
}

/*
 * Look the request up; on a hit the request has its document, operation and
 * queryid and goes straight to variable coercion. Either way req->arena is
 * unset afterwards (gql_request_arena makes one when needed).
 */
bool
gql_doc_cache_lookup(GqlRequest *req, const char *query, size_t len, const char *operation_name)
{
	DocEntry *d;
	uint64 key;

	req->arena = NULL;
	req->cache_entry = NULL;
	req->bind_only = false;
	pending_cxt = NULL;
	current_usable = compute_identity(req);
	if (!current_usable)
		return false;
	key = doc_key(query, len, operation_name);
	d = hash_search(doc_table, &key, HASH_FIND, NULL);
	if (d == NULL || d->model_serial != req->model->serial || d->len != len ||
	    memcmp(d->text, query, len) != 0 || memcmp(&d->identity, &current, sizeof(current)) != 0 ||
	    (d->operation_name == NULL) != (operation_name == NULL) ||
	    (operation_name && strcmp(d->operation_name, operation_name) != 0))
		return false;
	dlist_move_head(&doc_lru, &d->lru);
	req->doc = d->doc;
	req->operation = d->operation;
	req->queryid = d->queryid;
	req->operation_type = d->operation_type;
	req->cache_entry = d;
	req->cache_key = key;
	req->bind_only = d->bind_only;
	return true;
}

/*
 * A miss: parse into a context that may become a cache entry. Returns the
 * copy of the text the document must point into.
 */
const char *
gql_doc_cache_begin(GqlRequest *req, const char *query, size_t len)
{
	char *copy;

	if (!current_usable)
		return query;
	pending_cxt = AllocSetContextCreate(req->cxt, "uphub graphql document", ALLOCSET_SMALL_SIZES);
	copy = MemoryContextAlloc(pending_cxt, len + 1);
	memcpy(copy, query, len);
	copy[len] = '\0';
	req->arena = arena_in(pending_cxt);
	return copy;
}

/* Remove one document entry. */
static void
doc_remove(DocEntry *d)
{
	uint64 key = d->key;

	dlist_delete(&d->lru);
	MemoryContextDelete(d->cxt);
	hash_search(doc_table, &key, HASH_REMOVE, NULL);
	doc_count--;
}

/* Does a value mention a variable anywhere? */
static bool
value_has_variable(const GraphqlValue *v)
{
	const GraphqlValue *item;
	const GraphqlArgument *f;

	if (v == NULL)
		return false;
	if (v->kind == GRAPHQL_VALUE_VARIABLE)
		return true;
	for (item = v->kind == GRAPHQL_VALUE_LIST ? v->items : NULL; item; item = item->next)
		if (value_has_variable(item))
			return true;
	for (f = v->kind == GRAPHQL_VALUE_OBJECT ? v->fields : NULL; f; f = f->next)
		if (value_has_variable(f->value))
			return true;
	return false;
}

static bool
arguments_have_variable(const GraphqlArgument *a)
{
	for (; a; a = a->next)
		if (value_has_variable(a->value))
			return true;
	return false;
}

static bool
directives_have_variable(const GraphqlDirective *d)
{
	for (; d; d = d->next)
		if (arguments_have_variable(d->arguments))
			return true;
	return false;
}

/* Does a selection set (with its sub-selections) mention a variable? */
static bool
selections_have_variable(const GraphqlSelection *s)
{
	for (; s; s = s->next)
		if (arguments_have_variable(s->arguments) || directives_have_variable(s->directives) ||
		    selections_have_variable(s->selections))
			return true;
	return false;
}

/*
 * A query whose variables appear only as the whole value of an argument of
 * a root lookup field written in the operation itself (creator(mid: $mid)):
 * then field collection, the SQL text of every root field and all its
 * parameters but the lookup keys are fixed by the document, so a repeated
 * request binds the keys and reuses the rest (Recipe). Anything else that
 * mentions a variable (directives, nested arguments, fragments, filters,
 * page sizes, cursors) can change the SQL and is translated every time.
 */
static bool
document_bind_only(GqlRequest *req)
{
	const GraphqlDefinition *op = req->operation;
	const GraphqlDefinition *def;
	const GraphqlType *root;
	const GraphqlSelection *s;

	if (op->operation != GRAPHQL_OPERATION_QUERY || directives_have_variable(op->directives))
		return false;
	for (def = req->doc->definitions; def; def = def->next)
		if (def->kind == GRAPHQL_DEFINITION_FRAGMENT &&
		    (directives_have_variable(def->directives) ||
		     selections_have_variable(def->selections)))
			return false;
	root = graphql_schema_root(req->model->schema, GRAPHQL_OPERATION_QUERY);
	for (s = op->selections; s; s = s->next)
	{
		const GraphqlField *field;
		const GqlFieldInfo *info;
		const GraphqlArgument *a;

		if (directives_have_variable(s->directives) || selections_have_variable(s->selections))
			return false;
		if (!arguments_have_variable(s->arguments))
			continue;
		if (s->kind != GRAPHQL_SELECTION_FIELD)
			return false;
		field = graphql_type_find_field(root, s->name);
		if (field == NULL || gql_me_is_field(field))
			return false;
		info = field->user_data;
		if (info == NULL || info->kind != GQL_F_LOOKUP)
			return false;
		for (a = s->arguments; a; a = a->next)
			if (a->value->kind != GRAPHQL_VALUE_VARIABLE && value_has_variable(a->value))
				return false;
	}
	return true;
}

/* The document passed every check: keep it for the next identical request. */
void
gql_doc_cache_store(GqlRequest *req, const char *operation_name)
{
	DocEntry *d;
	uint64 key;
	bool found;

	if (!current_usable || pending_cxt == NULL)
		return;
	key = doc_key(req->doc->source, req->doc->source_len, operation_name);
	d = hash_search(doc_table, &key, HASH_FIND, NULL);
	if (d)
		doc_remove(d);
	while (doc_count >= gql_plan_cache_size && !dlist_is_empty(&doc_lru))
		/* cppcheck-suppress nullPointer ; offsetof in dlist_container */
		doc_remove(dlist_container(DocEntry, lru, dlist_tail_node(&doc_lru)));
	d = hash_search(doc_table, &key, HASH_ENTER, &found);
	d->cxt = pending_cxt;
	MemoryContextSetParent(pending_cxt, CacheMemoryContext);
	d->identity = current;
	d->model_serial = req->model->serial;
	d->text = (char *) req->doc->source;
	d->len = req->doc->source_len;
	d->operation_name = operation_name ? MemoryContextStrdup(pending_cxt, operation_name) : NULL;
	d->doc = req->doc;
	d->operation = req->operation;
	d->queryid = req->queryid;
	d->operation_type = req->operation_type;
	d->bind_only = document_bind_only(req);
	d->nrecipes = 0;
	d->recipes = NULL;
	dlist_push_head(&doc_lru, &d->lru);
	doc_count++;
	pending_cxt = NULL;
	req->arena = NULL; /* the parse arena belongs to the entry now */
	req->cache_entry = d;
	req->cache_key = key;
	req->bind_only = d->bind_only;
}

/* Remove one plan entry. */
static void
plan_remove(PlanEntry *p)
{
	uint64 key = p->key;

	dlist_delete(&p->lru);
	SPI_freeplan(p->plan);
	pfree(p->sql);
	pfree(p->types);
	hash_search(plan_table, &key, HASH_REMOVE, NULL);
	plan_count--;
}

/* Plan cache key of a statement: its text, parameter types and the identity. */
static uint64
plan_key(GqlStatement *st)
{
	uint64 key = hash64(st->sql.data, st->sql.len, 0x5851f42d4c957f2d);

	key = hash64(st->types, sizeof(Oid) * st->nparams, key);
	return hash64(&current, sizeof(current), key);
}

/*
 * Run the statement of a root field (SPI connected): through a kept plan
 * when the cache is on, else as a one-shot statement. Returns the SPI code.
 */
int
gql_plan_execute(GqlStatement *st)
{
	PlanEntry *p;
	SPIPlanPtr plan;
	uint64 key;
	bool found;
	MemoryContext old;

	if (!current_usable || gql_plan_cache_size <= 0 || plan_table == NULL)
		return SPI_execute_with_args(st->sql.data, st->nparams, st->types, st->values, st->nulls,
		                             false, 0);
	key = st->has_plan_key ? st->plan_key : plan_key(st);
	p = hash_search(plan_table, &key, HASH_FIND, NULL);
	if (p && p->nparams == st->nparams && strcmp(p->sql, st->sql.data) == 0 &&
	    memcmp(p->types, st->types, sizeof(Oid) * st->nparams) == 0 &&
	    memcmp(&p->identity, &current, sizeof(current)) == 0)
	{
		dlist_move_head(&plan_lru, &p->lru);
		stats_plan_cache(true);
		return SPI_execute_plan(p->plan, st->values, st->nulls, false, 0);
	}
	stats_plan_cache(false);
	plan = SPI_prepare(st->sql.data, st->nparams, st->types);
	if (plan == NULL)
		elog(ERROR, "uphub graphql: SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "uphub graphql: SPI_keepplan failed");
	if (p)
		plan_remove(p);
	while (plan_count >= gql_plan_cache_size && !dlist_is_empty(&plan_lru))
		/* cppcheck-suppress nullPointer ; offsetof in dlist_container */
		plan_remove(dlist_container(PlanEntry, lru, dlist_tail_node(&plan_lru)));
	p = hash_search(plan_table, &key, HASH_ENTER, &found);
	old = MemoryContextSwitchTo(plan_cxt);
	p->identity = current;
	p->sql = pstrdup(st->sql.data);
	p->nparams = st->nparams;
	p->types = palloc(sizeof(Oid) * Max(st->nparams, 1));
	memcpy(p->types, st->types, sizeof(Oid) * st->nparams);
	p->plan = plan;
	MemoryContextSwitchTo(old);
	dlist_push_head(&plan_lru, &p->lru);
	plan_count++;
	return SPI_execute_plan(plan, st->values, st->nulls, false, 0);
}

/* The request's cache entry when recipes may be used with it, else NULL. */
static DocEntry *
recipe_entry(GqlRequest *req)
{
	DocEntry *d;

	if (!req->bind_only || req->cache_entry == NULL || !current_usable || doc_table == NULL)
		return NULL;
	/* still the entry the request started with (a nested request may have evicted it) */
	d = hash_search(doc_table, &req->cache_key, HASH_FIND, NULL);
	if (d != req->cache_entry || d->model_serial != req->model->serial ||
	    memcmp(&d->identity, &current, sizeof(current)) != 0)
		return NULL;
	return d;
}

/*
 * A cache hit on a bind-only document: fill the statement of root field
 * root_index from its recipe, binding only the lookup keys. False when
 * there is no recipe yet (translate, then gql_recipe_store).
 */
bool
gql_recipe_bind(GqlStatement *st, int root_index, GqlFieldGroup *group)
{
	DocEntry *d = recipe_entry(st->req);
	Recipe *r;
	int i;

	if (d == NULL || root_index >= d->nrecipes || (r = d->recipes[root_index]) == NULL)
		return false;
	st->sql.data = r->sql; /* read only from here on */
	st->sql.len = r->len;
	st->sql.maxlen = r->len + 1;
	for (i = 0; i < r->rebind_from; i++)
		gql_param(st, r->types[i], r->values[i], r->nulls[i] == 'n');
	if (r->rebind_from < r->nparams)
		gql_lookup_bind_keys(st, group);
	if (st->nparams != r->nparams || memcmp(st->types, r->types, sizeof(Oid) * r->nparams) != 0)
		elog(ERROR, "uphub graphql: cached statement of \"%s\" does not match its bound keys",
		     group->key);
	st->plan_key = r->plan_key;
	st->has_plan_key = true;
	return true;
}

/*
 * Fixed parameters a recipe may keep: types whose input does not depend on
 * session settings (dates and times read DateStyle and TimeZone, so a value
 * parsed under one setting must not be reused under another).
 */
static bool
stable_constant_type(Oid type)
{
	Oid elem;

	switch (type)
	{
		case BOOLOID:
		case INT2OID:
		case INT4OID:
		case INT8OID:
		case NUMERICOID:
		case FLOAT4OID:
		case FLOAT8OID:
		case TEXTOID:
		case VARCHAROID:
		case BPCHAROID:
		case JSONOID:
		case JSONBOID:
		case UUIDOID:
			return true;
		default:
			elem = get_element_type(type);
			return OidIsValid(elem) && !OidIsValid(get_element_type(elem)) &&
			       stable_constant_type(elem);
	}
}

/* Keep a freshly translated root field of a bind-only document as its recipe. */
void
gql_recipe_store(GqlStatement *st, int root_index)
{
	DocEntry *d = recipe_entry(st->req);
	MemoryContext old;
	Recipe *r;
	int i;

	if (d == NULL || st->rebind_from < 0 || st->has_plan_key)
		return;
	for (i = 0; i < st->rebind_from; i++)
		if (!stable_constant_type(st->types[i]))
			return;
	old = MemoryContextSwitchTo(d->cxt);
	if (root_index >= d->nrecipes)
	{
		int n = Max(root_index + 1, 4);

		Recipe **grown = palloc0(sizeof(Recipe *) * n);

		if (d->nrecipes > 0)
			memcpy(grown, d->recipes, sizeof(Recipe *) * d->nrecipes);
		d->recipes = grown;
		d->nrecipes = n;
	}
	r = palloc0(sizeof(Recipe));
	r->sql = pnstrdup(st->sql.data, st->sql.len);
	r->len = st->sql.len;
	r->plan_key = plan_key(st);
	r->nparams = st->nparams;
	r->rebind_from = st->rebind_from;
	r->types = palloc(sizeof(Oid) * Max(st->nparams, 1));
	memcpy(r->types, st->types, sizeof(Oid) * st->nparams);
	r->values = palloc0(sizeof(Datum) * Max(st->nparams, 1));
	r->nulls = palloc(Max(st->nparams, 1));
	memcpy(r->nulls, st->nulls, st->nparams);
	for (i = 0; i < st->rebind_from; i++)
	{
		int16 typlen;
		bool typbyval;

		if (st->nulls[i] == 'n')
			continue;
		get_typlenbyval(st->types[i], &typlen, &typbyval);
		r->values[i] = datumCopy(st->values[i], typbyval, typlen);
	}
	d->recipes[root_index] = r;
	MemoryContextSwitchTo(old);
}

PG_FUNCTION_INFO_V1(uphub_graphql_cache_entries);

/* uphub._graphql_cache_entries(): documents and plans this backend holds (for tests). */
Datum
uphub_graphql_cache_entries(PG_FUNCTION_ARGS)
{
	TupleDesc desc;
	Datum values[2];
	bool nulls[2] = {false, false};

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "uphub._graphql_cache_entries: return type must be a row type");
	values[0] = Int32GetDatum(doc_count);
	values[1] = Int32GetDatum(plan_count);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}
