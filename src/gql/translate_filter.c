/*
 * translate_filter.c — filters, orderings and keyset cursors as SQL.
 *
 * Filters: an XFilter object is the AND of its fields. A column field is
 * the AND of its operators (eq neq lt lte gt gte in notIn isNull, and for
 * strings like ilike startsWith endsWith contains); an operator given as
 * null is ignored. startsWith/endsWith/contains compare text literally
 * (no wildcards), like/ilike take SQL patterns. A to-one relation is an
 * EXISTS on the related row; a to-many relation takes some (EXISTS), none
 * (NOT EXISTS) or every (NOT EXISTS a row failing the filter). and/or are
 * lists (an empty and is true, an empty or false); not is the complement,
 * so a row whose condition is unknown (NULL) counts as not matching.
 *
 * Ordering: orderBy entries have exactly one key; a to-one relation key
 * orders by a value of the related row (a scalar subquery). The primary key
 * (for a view without one: every sortable column) follows as tie-breaker,
 * so the order is total and keyset pagination is stable.
 *
 * Cursors: base64 of the JSON array [fingerprint, k1, ..., kn] where the
 * fingerprint is a 64-bit hash (hex) of the type and the ordering keys.
 * A cursor whose fingerprint or arity differs is rejected (BAD_USER_INPUT);
 * its values are bound as parameters typed like the keys, so a crafted
 * cursor is only ever data. "After the cursor" in an ordering with
 * directions d_i is OR_i(AND_{j<i} k_j = v_j AND k_i beyond v_i), with the
 * nulls placement spelled out for nullable keys; when all keys are NOT NULL
 * and share one direction it is a row comparison, which an index serves.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/base64.h"
#include "common/jsonapi.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"

#include "gql/gql.h"

/* The expression of a column for string operators: text as is, others cast. */
static char *
text_expr(const char *alias, GqlColumn *c)
{
	if (c->is_text)
		return psprintf("%s.%s", alias, c->quoted);
	return psprintf("%s.%s::pg_catalog.text", alias, c->quoted);
}

/* The operators of one column filter, each appended as " AND <cond>". */
static void
column_filter(GqlStatement *st, List **parts, const char *alias, GqlColumn *c,
              const GraphqlValue *ops, GraphqlLocation loc)
{
	GraphqlArgument *op;
	bool is_json = c->type_oid == JSONOID;
	char *col = is_json ? psprintf("%s.%s::pg_catalog.jsonb", alias, c->quoted)
	                    : psprintf("%s.%s", alias, c->quoted);

	for (op = ops->fields; op; op = op->next)
	{
		const GraphqlValue *v = op->value;
		const char *name = op->name;
		const char *cmp = NULL;
		int n;

		if (v->kind == GRAPHQL_VALUE_NULL)
			continue;
		if (strcmp(name, "eq") == 0)
			cmp = "=";
		else if (strcmp(name, "neq") == 0)
			cmp = "<>";
		else if (strcmp(name, "lt") == 0)
			cmp = "<";
		else if (strcmp(name, "lte") == 0)
			cmp = "<=";
		else if (strcmp(name, "gt") == 0)
			cmp = ">";
		else if (strcmp(name, "gte") == 0)
			cmp = ">=";
		if (cmp)
		{
			if (is_json)
				n = gql_param(
				    st, JSONBOID,
				    DirectFunctionCall1(jsonb_in, CStringGetDatum(gql_print_json_value(v))), false);
			else
				n = gql_param_column(st, c, v, loc);
			*parts = lappend(*parts, psprintf("%s %s $%d", col, cmp, n));
		}
		else if (strcmp(name, "in") == 0 || strcmp(name, "notIn") == 0)
		{
			n = gql_param_column_array(st, c, v, loc);
			*parts = lappend(*parts, strcmp(name, "in") == 0 ? psprintf("%s = ANY ($%d)", col, n)
			                                                 : psprintf("%s <> ALL ($%d)", col, n));
		}
		else if (strcmp(name, "isNull") == 0)
			*parts = lappend(*parts, psprintf("%s IS %sNULL", col, v->boolean ? "" : "NOT "));
		else
		{
			char *t = text_expr(alias, c);

			n = gql_param_text(st, v->text);
			if (v->text_len != strlen(v->text))
				gql_bad_input(st, loc, "String values must not contain the NUL character.");
			if (strcmp(name, "like") == 0)
				*parts = lappend(*parts, psprintf("%s LIKE $%d", t, n));
			else if (strcmp(name, "ilike") == 0)
				*parts = lappend(*parts, psprintf("%s ILIKE $%d", t, n));
			else if (strcmp(name, "startsWith") == 0)
				*parts = lappend(*parts, psprintf("pg_catalog.starts_with(%s, $%d)", t, n));
			else if (strcmp(name, "endsWith") == 0)
				*parts = lappend(
				    *parts,
				    psprintf("pg_catalog.\"right\"(%s, pg_catalog.length($%d)) = $%d", t, n, n));
			else if (strcmp(name, "contains") == 0)
				*parts = lappend(*parts, psprintf("pg_catalog.strpos(%s, $%d) > 0", t, n));
			else
				elog(ERROR, "uphub graphql: unknown filter operator \"%s\"", name);
		}
	}
}

/* Equality of a relation: related alias on the left, the filtered row on the right. */
static char *
join_sql(GqlRelation *rel, const char *target_alias, const char *source_alias)
{
	StringInfoData s;
	int i;

	initStringInfo(&s);
	for (i = 0; i < rel->ncols; i++)
		appendStringInfo(&s, "%s%s.%s = %s.%s", i > 0 ? " AND " : "", target_alias,
		                 rel->target->columns[rel->target_cols[i]].quoted, source_alias,
		                 rel->source->columns[rel->source_cols[i]].quoted);
	return s.data;
}

/* A filter condition as a string. */
static char *
filter_string(GqlStatement *st, GqlTable *table, const char *alias, const GraphqlValue *filter,
              GraphqlLocation loc)
{
	StringInfoData s;

	initStringInfo(&s);
	gql_filter_sql(st, &s, table, alias, filter, loc);
	return s.data;
}

/* Append the boolean SQL of an XFilter value over the row `alias`. */
void
gql_filter_sql(GqlStatement *st, StringInfo out, GqlTable *table, const char *alias,
               const GraphqlValue *filter, GraphqlLocation loc)
{
	List *parts = NIL;
	GraphqlArgument *a;
	ListCell *lc;

	if (filter == NULL || filter->kind != GRAPHQL_VALUE_OBJECT)
	{
		appendStringInfoString(out, "true");
		return;
	}
	for (a = filter->fields; a; a = a->next)
	{
		const GraphqlInputValue *iv = graphql_type_find_input_field(table->filter_type, a->name);
		GqlFieldInfo *info = iv ? iv->user_data : NULL;
		const GraphqlValue *v = a->value;

		if (info == NULL)
			elog(ERROR, "uphub graphql: unknown filter field \"%s\"", a->name);
		if (v->kind == GRAPHQL_VALUE_NULL)
			continue;
		switch (info->kind)
		{
			case GQL_F_COLUMN:
				column_filter(st, &parts, alias, info->column, v, loc);
				break;
			case GQL_F_RELATION:
			{
				GqlRelation *rel = info->relation;
				char *ta = gql_new_alias(st, 'f');
				char *join = join_sql(rel, ta, alias);

				if (!rel->to_many)
				{
					parts = lappend(parts, psprintf("EXISTS (SELECT 1 FROM %s %s WHERE %s AND %s)",
					                                rel->target->qualified, ta, join,
					                                filter_string(st, rel->target, ta, v, loc)));
					break;
				}
				{
					GraphqlArgument *q;

					for (q = v->fields; q; q = q->next)
					{
						if (q->value->kind == GRAPHQL_VALUE_NULL)
							continue;
						if (strcmp(q->name, "some") == 0)
							parts = lappend(
							    parts, psprintf("EXISTS (SELECT 1 FROM %s %s WHERE %s AND %s)",
							                    rel->target->qualified, ta, join,
							                    filter_string(st, rel->target, ta, q->value, loc)));
						else if (strcmp(q->name, "none") == 0)
							parts = lappend(
							    parts, psprintf("NOT EXISTS (SELECT 1 FROM %s %s WHERE %s AND %s)",
							                    rel->target->qualified, ta, join,
							                    filter_string(st, rel->target, ta, q->value, loc)));
						else
							parts = lappend(
							    parts, psprintf("NOT EXISTS (SELECT 1 FROM %s %s WHERE %s AND NOT "
							                    "COALESCE(%s, false))",
							                    rel->target->qualified, ta, join,
							                    filter_string(st, rel->target, ta, q->value, loc)));
					}
				}
				break;
			}
			case GQL_F_FILTER_AND:
			case GQL_F_FILTER_OR:
			{
				StringInfoData s;
				GraphqlValue *item;
				bool is_and = info->kind == GQL_F_FILTER_AND;

				initStringInfo(&s);
				appendStringInfoChar(&s, '(');
				for (item = v->items; item; item = item->next)
				{
					if (item != v->items)
						appendStringInfoString(&s, is_and ? " AND " : " OR ");
					appendStringInfoChar(&s, '(');
					gql_filter_sql(st, &s, table, alias, item, loc);
					appendStringInfoChar(&s, ')');
				}
				if (v->items == NULL)
					appendStringInfoString(&s, is_and ? "true" : "false");
				appendStringInfoChar(&s, ')');
				parts = lappend(parts, s.data);
				break;
			}
			case GQL_F_FILTER_NOT:
				parts = lappend(parts, psprintf("NOT COALESCE((%s), false)",
				                                filter_string(st, table, alias, v, loc)));
				break;
			default:
				elog(ERROR, "uphub graphql: unexpected filter field \"%s\"", a->name);
		}
	}
	if (parts == NIL)
	{
		appendStringInfoString(out, "true");
		return;
	}
	appendStringInfoChar(out, '(');
	foreach (lc, parts)
	{
		if (lc != list_head(parts))
			appendStringInfoString(out, " AND ");
		appendStringInfoString(out, (char *) lfirst(lc));
	}
	appendStringInfoChar(out, ')');
}

/* ---------------------------------------------------------------------- */
/* Ordering                                                                 */
/* ---------------------------------------------------------------------- */

/* One orderBy entry (possibly through to-one relations) as a key. */
static GqlOrderKey *
order_entry(GqlStatement *st, GqlTable *table, const GraphqlValue *entry, List *path,
            StringInfo ident, GraphqlLocation loc)
{
	const GraphqlInputValue *iv;
	GqlFieldInfo *info;
	const GraphqlValue *v;

	if (entry->kind != GRAPHQL_VALUE_OBJECT || entry->count != 1 ||
	    entry->fields->value->kind == GRAPHQL_VALUE_NULL)
		gql_bad_input(st, loc, "Each orderBy entry must give exactly one non-null field, got %s.",
		              gql_print_json_value(entry));
	iv = graphql_type_find_input_field(table->order_type, entry->fields->name);
	info = iv ? iv->user_data : NULL;
	v = entry->fields->value;
	if (info == NULL)
		elog(ERROR, "uphub graphql: unknown orderBy field \"%s\"", entry->fields->name);
	appendStringInfo(ident, "%s%s", ident->len ? "." : "", entry->fields->name);
	if (info->kind == GQL_F_RELATION)
		return order_entry(st, info->relation->target, v, lappend(list_copy(path), info->relation),
		                   ident, loc);
	{
		GqlOrderKey *key = palloc0(sizeof(GqlOrderKey));
		const char *dir = v->text;

		key->column = info->column;
		key->relation_path = path;
		key->descending = strncmp(dir, "DESC", 4) == 0;
		key->nulls_first = strstr(dir, "NULLS_FIRST") != NULL || (strcmp(dir, "DESC") == 0);
		key->ident = psprintf("%s:%s", ident->data, dir);
		return key;
	}
}

/* Is the column already a direct key? */
static bool
has_direct_key(List *keys, GqlColumn *c)
{
	ListCell *lc;

	foreach (lc, keys)
	{
		GqlOrderKey *k = lfirst(lc);

		if (k->column == c && k->relation_path == NIL)
			return true;
	}
	return false;
}

static GqlOrderKey *
tie_breaker(GqlColumn *c)
{
	GqlOrderKey *key = palloc0(sizeof(GqlOrderKey));

	key->column = c;
	key->ident = psprintf("%s:ASC", c->field_name);
	return key;
}

/*
 * The keys of an orderBy value plus the tie-breaker: the primary key in key
 * order (a view without one: its sortable columns). Default: primary key
 * ascending.
 */
List *
gql_order_keys(GqlStatement *st, GqlTable *table, const GraphqlValue *order_by, GraphqlLocation loc)
{
	List *keys = NIL;
	GraphqlValue *item;
	int i;

	if (order_by && order_by->kind == GRAPHQL_VALUE_LIST)
		for (item = order_by->items; item; item = item->next)
		{
			StringInfoData ident;

			initStringInfo(&ident);
			keys = lappend(keys, order_entry(st, table, item, NIL, &ident, loc));
		}
	if (table->pk)
	{
		for (i = 0; i < table->pk->ncols; i++)
		{
			GqlColumn *c = &table->columns[table->pk->cols[i]];

			if (!has_direct_key(keys, c))
				keys = lappend(keys, tie_breaker(c));
		}
	}
	else
	{
		for (i = 0; i < table->ncolumns; i++)
		{
			GqlColumn *c = &table->columns[i];

			if (c->sortable && !has_direct_key(keys, c))
				keys = lappend(keys, tie_breaker(c));
		}
	}
	return keys;
}

/* The SQL of an order key over the row `alias` (nested scalar subqueries for relations). */
void
gql_order_key_expr(GqlStatement *st, StringInfo out, GqlTable *table, const char *alias,
                   GqlOrderKey *key)
{
	int n = list_length(key->relation_path);
	char **aliases;
	int i;

	if (n == 0)
	{
		appendStringInfo(out, "%s.%s", alias, key->column->quoted);
		return;
	}
	aliases = palloc(sizeof(char *) * n);
	for (i = 0; i < n; i++)
	{
		aliases[i] = gql_new_alias(st, 'o');
		appendStringInfoString(out, "(SELECT ");
	}
	appendStringInfo(out, "%s.%s", aliases[n - 1], key->column->quoted);
	for (i = n - 1; i >= 0; i--)
	{
		GqlRelation *rel = list_nth(key->relation_path, i);

		appendStringInfo(out, " FROM %s %s WHERE %s LIMIT 1)", rel->target->qualified, aliases[i],
		                 join_sql(rel, aliases[i], i == 0 ? alias : aliases[i - 1]));
	}
}

/* Hash of the type and the ordering: a cursor is valid only for the same one. */
char *
gql_order_fingerprint(GqlTable *table, List *keys)
{
	StringInfoData s;
	ListCell *lc;

	initStringInfo(&s);
	appendStringInfoString(&s, table->type_name);
	foreach (lc, keys)
		appendStringInfo(&s, ";%s", ((GqlOrderKey *) lfirst(lc))->ident);
	return psprintf("%016llx", (unsigned long long) graphql_hash64(s.data, s.len));
}

/* ---------------------------------------------------------------------- */
/* Cursors                                                                  */
/* ---------------------------------------------------------------------- */

/* Decode a cursor into its key values; BAD_USER_INPUT when it is not ours. */
static GraphqlValue *
decode_cursor(GqlStatement *st, const char *cursor, const char *fingerprint, int nkeys,
              GraphqlLocation loc)
{
	int len = strlen(cursor);
	int maxlen = pg_b64_dec_len(len);
	char *raw = palloc(maxlen + 1);
	int rawlen = pg_b64_decode(cursor, len, raw, maxlen);
	JsonLexContext *lex;
	GraphqlValue *v;
	Jsonb *jb;

	if (rawlen < 0 || len == 0)
		gql_bad_input(st, loc, "Invalid cursor: %s.", "not a cursor of this API");
	raw[rawlen] = '\0';
	if (strlen(raw) != (size_t) rawlen || !pg_verifymbstr(raw, rawlen, true))
		gql_bad_input(st, loc, "Invalid cursor: %s.", "not a cursor of this API");
	lex = makeJsonLexContextCstringLen(raw, rawlen, GetDatabaseEncoding(), true);
	if (pg_parse_json(lex, &nullSemAction) != JSON_SUCCESS)
		gql_bad_input(st, loc, "Invalid cursor: %s.", "not a cursor of this API");
	jb = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(raw)));
	v = gql_jsonb_to_value(&jb->root);
	if (v->kind != GRAPHQL_VALUE_LIST || v->count < 1 || v->items->kind != GRAPHQL_VALUE_STRING)
		gql_bad_input(st, loc, "Invalid cursor: %s.", "not a cursor of this API");
	if (strcmp(v->items->text, fingerprint) != 0 || (int) v->count != nkeys + 1)
		gql_bad_input(st, loc,
		              "Invalid cursor: it belongs to another ordering or collection; use cursors "
		              "only with the orderBy they came from.");
	return v->items->next;
}

/* "beyond v" for one key in the effective direction; NULL-safe. */
static char *
beyond_sql(const char *expr, bool nullable, bool greater, bool nulls_last, int param)
{
	const char *op = greater ? ">" : "<";

	if (!nullable)
		return psprintf("%s %s $%d", expr, op, param);
	return psprintf("(CASE WHEN $%d IS NULL THEN %s ELSE COALESCE(%s %s $%d, %s) END)", param,
	                nulls_last ? "false" : psprintf("%s IS NOT NULL", expr), expr, op, param,
	                nulls_last ? "true" : "false");
}

/*
 * Rows strictly after the cursor in the ordering (reverse: strictly before),
 * over the key expressions of the current row.
 */
void
gql_cursor_condition(GqlStatement *st, StringInfo out, List *keys, List *key_exprs,
                     const char *cursor, const char *fingerprint, bool reverse, GraphqlLocation loc)
{
	GraphqlValue *value = decode_cursor(st, cursor, fingerprint, list_length(keys), loc);
	int n = list_length(keys);
	int *params = palloc(sizeof(int) * (n + 1));
	bool *nullable = palloc(sizeof(bool) * (n + 1));
	bool all_simple = true;
	bool first_greater = false;
	int i;

	if (n == 0)
	{
		appendStringInfoString(out, "false");
		return;
	}
	for (i = 0; i < n; i++, value = value->next)
	{
		GqlOrderKey *k = list_nth(keys, i);
		bool greater = k->descending == reverse;

		if (value->kind == GRAPHQL_VALUE_LIST || value->kind == GRAPHQL_VALUE_OBJECT)
			gql_bad_input(st, loc, "Invalid cursor: %s.", "not a cursor of this API");
		nullable[i] = !(k->column->not_null && k->relation_path == NIL);
		if (value->kind == GRAPHQL_VALUE_NULL && !nullable[i])
			gql_bad_input(st, loc, "Invalid cursor: %s.", "not a cursor of this API");
		if (value->kind == GRAPHQL_VALUE_NULL)
			params[i] = gql_param(st, k->column->type_oid, (Datum) 0, true);
		else
		{
			Oid typinput;
			Oid typioparam;
			const char *text = value->kind == GRAPHQL_VALUE_BOOLEAN
			                       ? (value->boolean ? "true" : "false")
			                       : value->text;

			getTypeInputInfo(k->column->type_oid, &typinput, &typioparam);
			params[i] =
			    gql_param(st, k->column->type_oid,
			              OidInputFunctionCall(typinput, (char *) text, typioparam, -1), false);
		}
		if (i == 0)
			first_greater = greater;
		if (nullable[i] || greater != first_greater)
			all_simple = false;
	}

	if (all_simple)
	{
		appendStringInfoChar(out, '(');
		for (i = 0; i < n; i++)
			appendStringInfo(out, "%s%s", i ? ", " : "", (char *) list_nth(key_exprs, i));
		appendStringInfo(out, ") %s (", first_greater ? ">" : "<");
		for (i = 0; i < n; i++)
			appendStringInfo(out, "%s$%d", i ? ", " : "", params[i]);
		appendStringInfoChar(out, ')');
		return;
	}
	appendStringInfoChar(out, '(');
	for (i = 0; i < n; i++)
	{
		int j;
		GqlOrderKey *k = list_nth(keys, i);
		bool greater = k->descending == reverse;
		/* do nulls come after the values, in the direction we move? */
		bool nulls_last = k->nulls_first == reverse;

		appendStringInfoString(out, i ? " OR (" : "(");
		for (j = 0; j < i; j++)
		{
			const char *e = list_nth(key_exprs, j);

			if (nullable[j])
				appendStringInfo(out, "%s IS NOT DISTINCT FROM $%d AND ", e, params[j]);
			else
				appendStringInfo(out, "%s = $%d AND ", e, params[j]);
		}
		appendStringInfoString(
		    out, beyond_sql(list_nth(key_exprs, i), nullable[i], greater, nulls_last, params[i]));
		appendStringInfoChar(out, ')');
	}
	appendStringInfoChar(out, ')');
}
