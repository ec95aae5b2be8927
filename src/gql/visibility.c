/*
 * visibility.c — the GraphQL schema as the session's active RBAC roles see it.
 *
 * One schema model is cached per PostgreSQL role (reflect.c); RBAC
 * principals sharing that role (a gateway using act_as) see different
 * parts of it. The library's GraphqlVisibility filter hides a type or field
 * so that validation reads exactly as if it did not exist (same message,
 * same suggestions without it); introspect.c asks the same questions, and
 * variable coercion treats hidden input fields as unknown.
 *
 * The rule is the row-level security of src/rbac, read at the type level:
 * a table's types are visible when the active roles hold its read
 * permission in any scope (rows outside the scopes are then absent by RLS).
 *
 *   uphub table                                     read permission
 *   creator                                         creator.read
 *   video, video_staff                              video.read
 *   creator_summary, creator_daily, creator_snapshot,
 *   video_daily, video_snapshot, partition_daily,
 *   mcn_daily                                       stats.read
 *   creator_revenue_daily                           revenue.read
 *   partition, mcn, tables of other schemas         none (GRANTs decide)
 *
 * "A table's types" are every type named after it: X, XConnection, XEdge,
 * XFilter, XListFilter, XOrderBy and the aggregate, group and mutation
 * types (XAggregate, XGroup, XGroupBy, XSums, ..., XInsertInput,
 * XMutationResult, ...), plus any type whose user_data is the table. The
 * fields `aggregate` and `groups` of a connection need stats.read as well.
 * A field (or input field, or argument) whose type is hidden is hidden.
 * Query.me, PageInfo, scalars and scalar filters are always visible.
 *
 * A session whose roles hold every permission any type needs gets no
 * filter at all (validation runs unfiltered). The type -> permission map is
 * computed once per schema model (by serial) and kept beside it.
 */
#include "postgres.h"

#include "utils/hsearch.h"
#include "utils/memutils.h"

#include "gql/gql.h"
#include "rbac/rbac.h"

#define VIS_MAPS 4

typedef struct TypePermission
{
	const GraphqlType *type; /* hash key */
	uint64 required;         /* permission bits, all needed */
} TypePermission;

typedef struct VisibilityMap
{
	uint64 model_serial;
	MemoryContext cxt;
	HTAB *types;
	uint64 stats_bit; /* aggregate / groups fields */
	uint64 all_required;
	uint64 last_used;
} VisibilityMap;

typedef struct VisibilityContext
{
	GraphqlVisibility callbacks;
	VisibilityMap *map;
	uint64 permissions;
} VisibilityContext;

static const struct
{
	const char *table;
	const char *permission;
} table_permissions[] = {
    {"creator", "creator.read"},
    {"video", "video.read"},
    {"video_staff", "video.read"},
    {"creator_summary", "stats.read"},
    {"creator_daily", "stats.read"},
    {"creator_snapshot", "stats.read"},
    {"video_daily", "stats.read"},
    {"video_snapshot", "stats.read"},
    {"partition_daily", "stats.read"},
    {"mcn_daily", "stats.read"},
    {"creator_revenue_daily", "revenue.read"},
};

/* Type names derived from a table's type name. */
static const char *const table_type_suffixes[] = {
    "",          "Connection", "Edge",        "Filter",      "ListFilter", "OrderBy",
    "Aggregate", "Group",      "GroupKey",    "GroupBy",     "Sums",       "Avgs",
    "Mins",      "Maxes",      "InsertInput", "UpdateInput", "OnConflict", "MutationResult",
    "Column",    "Constraint",
};

static VisibilityMap maps[VIS_MAPS];
static uint64 maps_clock = 0;

/* Bit of a permission by name. */
static uint64
permission_bit(const char *name)
{
	return UINT64CONST(1) << rbac_permission_index(name, strlen(name));
}

/* What reading a table's types needs (0: nothing). */
static uint64
table_required(GqlTable *t)
{
	int i;

	if (strcmp(t->schema_name, "uphub") != 0)
		return 0;
	for (i = 0; i < (int) lengthof(table_permissions); i++)
		if (strcmp(t->rel_name, table_permissions[i].table) == 0)
			return permission_bit(table_permissions[i].permission);
	return 0;
}

/* Is the type one of the table's (by name or user_data)? */
static bool
is_table_type(const GraphqlType *type, GqlTable *t)
{
	size_t n = strlen(t->type_name);
	int i;

	if (type->user_data == t)
		return true;
	if (strncmp(type->name, t->type_name, n) != 0)
		return false;
	for (i = 0; i < (int) lengthof(table_type_suffixes); i++)
		if (strcmp(type->name + n, table_type_suffixes[i]) == 0)
			return true;
	return false;
}

/* The type -> permission map of a model, built on first use. */
static VisibilityMap *
map_for(GqlModel *model)
{
	VisibilityMap *m = NULL;
	HASHCTL ctl;
	const GraphqlType *type;
	int i;

	for (i = 0; i < VIS_MAPS; i++)
		if (maps[i].cxt && maps[i].model_serial == model->serial)
		{
			maps[i].last_used = ++maps_clock;
			return &maps[i];
		}
	for (i = 0; i < VIS_MAPS; i++)
		if (m == NULL || maps[i].last_used < m->last_used)
			m = &maps[i];
	if (m->cxt)
		MemoryContextDelete(m->cxt);
	memset(m, 0, sizeof(*m));
	m->cxt =
	    AllocSetContextCreate(CacheMemoryContext, "uphub graphql visibility", ALLOCSET_SMALL_SIZES);
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(const GraphqlType *);
	ctl.entrysize = sizeof(TypePermission);
	ctl.hcxt = m->cxt;
	m->types = hash_create("uphub graphql type permissions", 64, &ctl,
	                       HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	m->stats_bit = permission_bit("stats.read");
	m->all_required = m->stats_bit;
	for (type = graphql_schema_types(model->schema); type; type = type->next)
	{
		ListCell *lc;
		uint64 required = 0;

		if (type->is_builtin || type->is_introspection)
			continue;
		foreach (lc, model->tables)
		{
			GqlTable *t = lfirst(lc);
			uint64 bit = table_required(t);

			if (bit && is_table_type(type, t))
				required |= bit;
		}
		if (required)
		{
			bool found;
			TypePermission *tp = hash_search(m->types, &type, HASH_ENTER, &found);

			tp->required = required;
			m->all_required |= required;
		}
	}
	m->model_serial = model->serial;
	m->last_used = ++maps_clock;
	return m;
}

/* Required permissions of a type. */
static uint64
type_required(VisibilityMap *m, const GraphqlType *type)
{
	TypePermission *tp = hash_search(m->types, &type, HASH_FIND, NULL);

	return tp ? tp->required : 0;
}

/* Library callback: may the session see this type? */
static bool
is_type_visible(const GraphqlType *type, void *context)
{
	VisibilityContext *vc = context;
	uint64 required = type_required(vc->map, type);

	return (required & vc->permissions) == required;
}

/* Library callback: field rules beyond the type's (aggregates need stats.read). */
static bool
is_field_visible(const GraphqlType *parent, const GraphqlField *field, void *context)
{
	VisibilityContext *vc = context;
	size_t n = strlen(parent->name);

	if ((strcmp(field->name, "aggregate") == 0 || strcmp(field->name, "groups") == 0) && n > 10 &&
	    strcmp(parent->name + n - 10, "Connection") == 0)
		return (vc->permissions & vc->map->stats_bit) != 0;
	return true;
}

/* The filter for this request's session, or NULL when it may see everything. */
const GraphqlVisibility *
gql_visibility_for(GqlRequest *req)
{
	RbacIdentity identity;
	VisibilityMap *m;
	VisibilityContext *vc;

	rbac_cache_identity(&identity);
	m = map_for(req->model);
	if ((m->all_required & identity.permissions) == m->all_required)
		return NULL;
	vc = palloc0(sizeof(VisibilityContext));
	vc->map = m;
	vc->permissions = identity.permissions;
	vc->callbacks.is_type_visible = is_type_visible;
	vc->callbacks.is_field_visible = is_field_visible;
	vc->callbacks.context = vc;
	return &vc->callbacks;
}

/* Introspection: is the named type visible? */
bool
gql_type_visible(GqlRequest *req, const GraphqlType *type)
{
	const GraphqlVisibility *v = req->visibility;

	return v == NULL || type == NULL || v->is_type_visible(type, v->context);
}

/* Introspection: is the field, and the type it returns, visible? */
bool
gql_field_visible(GqlRequest *req, const GraphqlType *parent, const GraphqlField *field)
{
	const GraphqlVisibility *v = req->visibility;

	if (v == NULL)
		return true;
	return v->is_field_visible(parent, field, v->context) &&
	       v->is_type_visible(graphql_typeref_named(field->type), v->context);
}

/* Introspection and variables: is the input field's (argument's) type visible? */
bool
gql_input_value_visible(GqlRequest *req, const GraphqlInputValue *value)
{
	const GraphqlVisibility *v = req->visibility;

	return v == NULL || v->is_type_visible(graphql_typeref_named(value->type), v->context);
}
