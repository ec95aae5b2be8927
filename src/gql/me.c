/*
 * me.c — Query.me: who the RBAC session is (API.md "Other").
 *
 *   type Me { principal: String  activeRoles: [String!]!  permissions: [MePermission!]! }
 *   type MePermission { permission: String!  scopeKind: String!  scopeId: BigInt }
 *
 * Answered like any root field: one SQL statement (so it goes through the
 * plan cache and its own subtransaction) over the RBAC session functions
 * uphub.current_principal(), uphub.session_roles() and
 * uphub.session_permissions() — the active roles of the session (act_as and
 * create_session included) and the permissions they grant with their
 * scopes. An unmapped superuser (implicit admin) has no principal, no roles
 * and every permission globally; a role without a principal has nothing.
 * The selection decides the keys (aliases, fragments, __typename).
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "gql/gql.h"

/* Marks the Query.me field (GraphqlField.user_data); never dereferenced as a table. */
static GqlFieldInfo me_info = {GQL_F_LOOKUP, NULL, NULL, NULL, NULL};

/* Add Me, MePermission and Query.me to a schema being built. */
void
gql_me_build(GqlModel *model, GraphqlType *query)
{
	GraphqlSchema *s = model->schema;
	GraphqlType *me;
	GraphqlType *perm;
	GraphqlField *f;

	me = graphql_schema_add_object(s, "Me", "The principal of this session and what it may do.");
	graphql_type_add_field(s, me, "principal", "String",
	                       "Name of the principal (act_as, or the role's mapping); null for none.");
	graphql_type_add_field(s, me, "activeRoles", "[String!]!",
	                       "Roles active in this session, by name.");
	graphql_type_add_field(s, me, "permissions", "[MePermission!]!",
	                       "Permissions the active roles grant, with their scopes.");
	perm = graphql_schema_add_object(s, "MePermission", "A permission in a scope.");
	graphql_type_add_field(s, perm, "permission", "String!", "Permission name, e.g. stats.read.");
	graphql_type_add_field(s, perm, "scopeKind", "String!", "global, partition, mcn or creator.");
	graphql_type_add_field(s, perm, "scopeId", "BigInt",
	                       "The partition tid, MCN id or creator mid; null for global.");
	f = graphql_type_add_field(s, query, "me", "Me!", "Who this session is and what it may do.");
	f->user_data = &me_info;
}

/* Is this the Query.me field? */
bool
gql_me_is_field(const GraphqlField *field)
{
	return field->user_data == &me_info;
}

/* json_build_object over (key, expression) pairs; jsonb concatenation past 50 pairs. */
static void
build_object(StringInfo out, List *keys, List *exprs)
{
	int n;
	bool wide = list_length(keys) > 50;

	if (keys == NIL)
	{
		appendStringInfoString(out, "'{}'::json");
		return;
	}
	if (wide)
		appendStringInfoString(out, "(");
	for (n = 0; n < list_length(keys); n++)
	{
		if (n % 50 == 0)
			appendStringInfoString(out, n == 0 ? (wide ? "pg_catalog.jsonb_build_object("
			                                           : "pg_catalog.json_build_object(")
			                                   : ") || pg_catalog.jsonb_build_object(");
		else
			appendStringInfoString(out, ", ");
		appendStringInfo(out, "%s, %s", quote_literal_cstr(list_nth(keys, n)),
		                 (char *) list_nth(exprs, n));
	}
	appendStringInfoString(out, wide ? "))::json" : ")");
}

/* The object of one MePermission row (alias p). */
static char *
permission_sql(GqlRequest *req, GqlFieldGroup *group)
{
	List *keys = NIL;
	List *exprs = NIL;
	ListCell *lc;
	StringInfoData out;

	foreach (lc, gql_collect_subfields(req, group))
	{
		GqlFieldGroup *f = lfirst(lc);
		const char *name = f->is_typename ? "__typename" : f->def->name;

		keys = lappend(keys, (void *) f->key);
		if (f->is_typename)
			exprs = lappend(exprs, "'MePermission'");
		else if (strcmp(name, "permission") == 0)
			exprs = lappend(exprs, "p.permission");
		else if (strcmp(name, "scopeKind") == 0)
			exprs = lappend(exprs, "p.scope_kind");
		else
			exprs = lappend(exprs, "p.scope_id::pg_catalog.text");
	}
	initStringInfo(&out);
	build_object(&out, keys, exprs);
	return out.data;
}

/* The statement answering a Query.me field. */
void
gql_me_sql(GqlStatement *st, GqlFieldGroup *group)
{
	List *keys = NIL;
	List *exprs = NIL;
	ListCell *lc;

	foreach (lc, gql_collect_subfields(st->req, group))
	{
		GqlFieldGroup *f = lfirst(lc);
		const char *name = f->is_typename ? "__typename" : f->def->name;

		keys = lappend(keys, (void *) f->key);
		if (f->is_typename)
			exprs = lappend(exprs, "'Me'");
		else if (strcmp(name, "principal") == 0)
			exprs = lappend(exprs, "uphub.current_principal()");
		else if (strcmp(name, "activeRoles") == 0)
			exprs = lappend(exprs, "(SELECT COALESCE(pg_catalog.json_agg(r.r ORDER BY "
			                       "r.r), '[]'::pg_catalog.json) FROM uphub.session_roles() r(r))");
		else
			exprs = lappend(
			    exprs, psprintf("(SELECT COALESCE(pg_catalog.json_agg(%s ORDER BY p.permission, "
			                    "p.scope_kind, p.scope_id), '[]'::pg_catalog.json) FROM "
			                    "uphub.session_permissions() p)",
			                    permission_sql(st->req, f)));
	}
	appendStringInfoString(&st->sql, "SELECT ");
	build_object(&st->sql, keys, exprs);
}
