/*
 * translate_values.c — request values: variables (§6.1.2 CoerceVariableValues),
 * argument values (§6.4.1 CoerceArgumentValues) and input coercion (§3.5, §3.10).
 *
 * Every input ends up as a coerced GraphqlValue tree without variables:
 * Int and BigInt as INT (normalised decimal text), Float and BigFloat as
 * FLOAT/INT text, String, Date, Datetime, Cursor and ID as STRING, Boolean,
 * enum values as ENUM, input objects as OBJECT (defaults filled in, absent
 * fields left out), lists as LIST, JSON as the value itself. Variables come
 * in as jsonb and are converted to the same tree first, so literals and
 * variables take one path (flag from_json for the few rules that differ:
 * an enum is a string in JSON, BigInt a string or a number).
 *
 * Custom scalars are checked here, in C, so a bad Date or BigInt is a
 * BAD_USER_INPUT error before any SQL runs: variables as request errors,
 * literals as field errors of the root field that uses them.
 *
 * Messages follow graphql-js v16 (coerceInputValue, the scalars' parseValue).
 * All memory is palloc'd in the request context.
 */
#include "postgres.h"

#include <math.h>

#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/json.h"
#include "utils/numeric.h"

#include "errors.h"
#include "gql/gql.h"

/* Deepest JSON nesting accepted in variables and cursors. */
#define JSON_MAX_DEPTH 64

/* An argument or object field whose variable was not provided: leave it out. */
static GraphqlValue absent_value;
#define ABSENT (&absent_value)

typedef struct Coerce
{
	GqlRequest *req;
	bool from_json;
	char *error;         /* first problem */
	StringInfoData path; /* e.g. "filter.mid" for messages */
} Coerce;

/* ---------------------------------------------------------------------- */
/* Values                                                                   */
/* ---------------------------------------------------------------------- */

static GraphqlValue *
new_value(GraphqlValueKind kind, const char *text)
{
	GraphqlValue *v = palloc0(sizeof(GraphqlValue));

	v->kind = kind;
	if (text)
	{
		v->text = text;
		v->text_len = strlen(text);
	}
	return v;
}

/*
 * Append to a linked list kept with a tail pointer. The item is copied:
 * coerced values share nodes with the document and the variables, whose
 * own next links must stay intact.
 */
static GraphqlValue *
append_item(GraphqlValue *list, GraphqlValue **tail, GraphqlValue *value)
{
	GraphqlValue *item = palloc(sizeof(GraphqlValue));

	*item = *value;
	item->next = NULL;
	if (*tail)
		(*tail)->next = item;
	else
		list->items = item;
	*tail = item;
	list->count++;
	return item;
}

static void
append_field(GraphqlValue *object, GraphqlArgument **tail, const char *name, GraphqlValue *value)
{
	GraphqlArgument *a = palloc0(sizeof(GraphqlArgument));

	a->name = name;
	a->value = value;
	if (*tail)
		(*tail)->next = a;
	else
		object->fields = a;
	*tail = a;
	object->count++;
}

/* A field of an OBJECT value, or NULL. */
GraphqlValue *
gql_object_get(const GraphqlValue *object, const char *name)
{
	GraphqlArgument *a;

	if (object == NULL || object->kind != GRAPHQL_VALUE_OBJECT)
		return NULL;
	for (a = object->fields; a; a = a->next)
		if (strcmp(a->name, name) == 0)
			return a->value;
	return NULL;
}

/* Convert one jsonb scalar. */
static GraphqlValue *
jsonb_scalar_value(JsonbValue *jv)
{
	switch (jv->type)
	{
		case jbvNull:
			return new_value(GRAPHQL_VALUE_NULL, "null");
		case jbvBool:
		{
			GraphqlValue *v = new_value(GRAPHQL_VALUE_BOOLEAN, jv->val.boolean ? "true" : "false");

			v->boolean = jv->val.boolean;
			return v;
		}
		case jbvString:
		{
			GraphqlValue *v = new_value(GRAPHQL_VALUE_STRING, NULL);

			v->text = pnstrdup(jv->val.string.val, jv->val.string.len);
			v->text_len = jv->val.string.len;
			return v;
		}
		case jbvNumeric:
		{
			char *text =
			    DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(jv->val.numeric)));

			return new_value(strpbrk(text, ".eE") ? GRAPHQL_VALUE_FLOAT : GRAPHQL_VALUE_INT, text);
		}
		default:
			elog(ERROR, "unexpected jsonb value type %d", jv->type);
	}
	return NULL;
}

/* A jsonb document as a GraphqlValue tree (objects keep jsonb's key order). */
GraphqlValue *
gql_jsonb_to_value(JsonbContainer *container)
{
	JsonbIterator *it = JsonbIteratorInit(container);
	JsonbValue jv;
	JsonbIteratorToken tok;
	GraphqlValue *stack[JSON_MAX_DEPTH];
	GraphqlValue *tails[JSON_MAX_DEPTH];
	GraphqlArgument *ftails[JSON_MAX_DEPTH];
	const char *keys[JSON_MAX_DEPTH];
	int depth = -1;
	GraphqlValue *result = NULL;

	while ((tok = JsonbIteratorNext(&it, &jv, false)) != WJB_DONE)
	{
		GraphqlValue *v = NULL;

		switch (tok)
		{
			case WJB_BEGIN_ARRAY:
			case WJB_BEGIN_OBJECT:
				if (tok == WJB_BEGIN_ARRAY && jv.val.array.rawScalar)
					continue;
				if (depth + 1 >= JSON_MAX_DEPTH)
					ereport(ERROR, (errcode(ERRCODE_UPHUB_GRAPHQL_BAD_INPUT),
					                errmsg("JSON value nested too deeply")));
				v = new_value(tok == WJB_BEGIN_ARRAY ? GRAPHQL_VALUE_LIST : GRAPHQL_VALUE_OBJECT,
				              NULL);
				if (depth >= 0)
				{
					if (stack[depth]->kind == GRAPHQL_VALUE_LIST)
						v = append_item(stack[depth], &tails[depth], v);
					else
						append_field(stack[depth], &ftails[depth], keys[depth], v);
				}
				else
					result = v;
				depth++;
				stack[depth] = v;
				tails[depth] = NULL;
				ftails[depth] = NULL;
				continue;
			case WJB_END_ARRAY:
			case WJB_END_OBJECT:
				if (depth >= 0)
					depth--;
				continue;
			case WJB_KEY:
				keys[depth] = pnstrdup(jv.val.string.val, jv.val.string.len);
				continue;
			case WJB_VALUE:
			case WJB_ELEM:
				v = jsonb_scalar_value(&jv);
				if (depth < 0)
					result = v;
				else if (stack[depth]->kind == GRAPHQL_VALUE_LIST)
					append_item(stack[depth], &tails[depth], v);
				else
					append_field(stack[depth], &ftails[depth], keys[depth], v);
				continue;
			default:
				continue;
		}
	}
	return result ? result : new_value(GRAPHQL_VALUE_NULL, "null");
}

/* Append s as a JSON string. */
void
gql_json_string(StringInfo out, const char *s)
{
	escape_json(out, s);
}

static void
print_json_to(StringInfo out, const GraphqlValue *v)
{
	switch (v->kind)
	{
		case GRAPHQL_VALUE_NULL:
		case GRAPHQL_VALUE_VARIABLE:
			appendStringInfoString(out, "null");
			break;
		case GRAPHQL_VALUE_BOOLEAN:
			appendStringInfoString(out, v->boolean ? "true" : "false");
			break;
		case GRAPHQL_VALUE_INT:
		case GRAPHQL_VALUE_FLOAT:
			appendStringInfoString(out, v->text);
			break;
		case GRAPHQL_VALUE_STRING:
		case GRAPHQL_VALUE_ENUM:
			gql_json_string(out, v->text);
			break;
		case GRAPHQL_VALUE_LIST:
		{
			GraphqlValue *i;

			appendStringInfoChar(out, '[');
			for (i = v->items; i; i = i->next)
			{
				print_json_to(out, i);
				if (i->next)
					appendStringInfoString(out, ", ");
			}
			appendStringInfoChar(out, ']');
			break;
		}
		case GRAPHQL_VALUE_OBJECT:
		{
			GraphqlArgument *a;

			appendStringInfoChar(out, '{');
			for (a = v->fields; a; a = a->next)
			{
				gql_json_string(out, a->name);
				appendStringInfoString(out, ": ");
				print_json_to(out, a->value);
				if (a->next)
					appendStringInfoString(out, ", ");
			}
			appendStringInfoChar(out, '}');
			break;
		}
	}
}

/* A value as JSON text (JSON scalar parameters, messages). */
char *
gql_print_json_value(const GraphqlValue *value)
{
	StringInfoData out;

	initStringInfo(&out);
	print_json_to(&out, value);
	return out.data;
}

/* graphql-js inspect(): how a bad value is shown in an error message. */
static void
inspect_to(StringInfo out, const GraphqlValue *v, bool from_json)
{
	switch (v->kind)
	{
		case GRAPHQL_VALUE_LIST:
		{
			GraphqlValue *i;

			appendStringInfoChar(out, '[');
			for (i = v->items; i; i = i->next)
			{
				inspect_to(out, i, from_json);
				if (i->next)
					appendStringInfoString(out, ", ");
			}
			appendStringInfoChar(out, ']');
			break;
		}
		case GRAPHQL_VALUE_OBJECT:
		{
			GraphqlArgument *a;

			if (v->fields == NULL)
			{
				appendStringInfoString(out, "{}");
				break;
			}
			appendStringInfoString(out, "{ ");
			for (a = v->fields; a; a = a->next)
			{
				appendStringInfo(out, "%s: ", a->name);
				inspect_to(out, a->value, from_json);
				if (a->next)
					appendStringInfoString(out, ", ");
			}
			appendStringInfoString(out, " }");
			break;
		}
		case GRAPHQL_VALUE_ENUM:
			appendStringInfoString(out, v->text);
			break;
		case GRAPHQL_VALUE_VARIABLE:
			appendStringInfo(out, "$%s", v->text);
			break;
		default:
			print_json_to(out, v);
	}
}

static char *
inspect(const GraphqlValue *v, bool from_json)
{
	StringInfoData out;

	initStringInfo(&out);
	inspect_to(&out, v, from_json);
	return out.data;
}

/* Text of a scalar value (INT, FLOAT, STRING, ENUM, BOOLEAN). */
char *
gql_value_text(const GraphqlValue *value)
{
	return (char *) value->text;
}

/* Strict decimal int64 parse. */
static bool
parse_int64(const char *s, int64 *result)
{
	bool neg = false;
	uint64 acc = 0;
	const char *p = s;

	if (*p == '-')
	{
		neg = true;
		p++;
	}
	if (*p == '\0')
		return false;
	for (; *p; p++)
	{
		if (*p < '0' || *p > '9')
			return false;
		if (acc > (PG_UINT64_MAX - (*p - '0')) / 10)
			return false;
		acc = acc * 10 + (*p - '0');
	}
	if (neg)
	{
		if (acc > (uint64) PG_INT64_MAX + 1)
			return false;
		*result = acc == (uint64) PG_INT64_MAX + 1 ? PG_INT64_MIN : -(int64) acc;
	}
	else
	{
		if (acc > (uint64) PG_INT64_MAX)
			return false;
		*result = (int64) acc;
	}
	return true;
}

/* A whole number given as an INT, or as a FLOAT text with no fraction. */
static bool
number_as_int64(const GraphqlValue *v, int64 *result)
{
	double d;
	char *end;

	if (v->kind == GRAPHQL_VALUE_INT)
		return parse_int64(v->text, result);
	if (v->kind != GRAPHQL_VALUE_FLOAT)
		return false;
	d = strtod(v->text, &end);
	if (*end != '\0' || !isfinite(d) || floor(d) != d || d < -9.2233720368547758e18 ||
	    d >= 9.2233720368547758e18)
		return false;
	*result = (int64) d;
	return true;
}

/* Int64 value of a coerced Int or BigInt. */
bool
gql_value_to_int64(const GraphqlValue *value, int64 *result)
{
	if (value == NULL)
		return false;
	if (value->kind == GRAPHQL_VALUE_STRING)
		return parse_int64(value->text, result);
	return number_as_int64(value, result);
}

static bool
is_digits(const char *p, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

/* YYYY-MM-DD with a real day of the month; returns the length consumed or 0. */
static int
check_date(const char *s)
{
	int y;
	int m;
	int d;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (!is_digits(s, 4) || s[4] != '-' || !is_digits(s + 5, 2) || s[7] != '-' ||
	    !is_digits(s + 8, 2))
		return 0;
	y = atoi(pnstrdup(s, 4));
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return 10;
}

/* RFC 3339 date-time (date alone accepted: midnight in the session's zone). */
static bool
check_datetime(const char *s)
{
	const char *p = s;

	if (check_date(p) == 0)
		return false;
	p += 10;
	if (*p == '\0')
		return true;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return false;
	p++;
	if (!is_digits(p, 2) || p[2] != ':' || !is_digits(p + 3, 2))
		return false;
	if ((p[0] - '0') * 10 + (p[1] - '0') > 23 || (p[3] - '0') * 10 + (p[4] - '0') > 59)
		return false;
	p += 5;
	if (*p == ':')
	{
		if (!is_digits(p + 1, 2) || (p[1] - '0') * 10 + (p[2] - '0') > 60)
			return false;
		p += 3;
		if (*p == '.')
		{
			p++;
			if (!is_digits(p, 1))
				return false;
			while (*p >= '0' && *p <= '9')
				p++;
		}
	}
	if (*p == 'Z' || *p == 'z')
		return p[1] == '\0';
	if (*p == '+' || *p == '-')
	{
		p++;
		if (!is_digits(p, 2) || (p[0] - '0') * 10 + (p[1] - '0') > 23)
			return false;
		p += 2;
		if (*p == ':')
			p++;
		if (*p == '\0')
			return true;
		return is_digits(p, 2) && p[2] == '\0' && (p[0] - '0') * 10 + (p[1] - '0') <= 59;
	}
	return *p == '\0';
}

/* Decimal number syntax of SQL numeric (no NaN/Infinity: they are not numbers in JSON). */
static bool
check_decimal(const char *s)
{
	const char *p = s;
	bool digits = false;

	if (*p == '-' || *p == '+')
		p++;
	while (*p >= '0' && *p <= '9')
		p++, digits = true;
	if (*p == '.')
	{
		p++;
		while (*p >= '0' && *p <= '9')
			p++, digits = true;
	}
	if (!digits)
		return false;
	if (*p == 'e' || *p == 'E')
	{
		p++;
		if (*p == '-' || *p == '+')
			p++;
		if (!is_digits(p, 1))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

/* ---------------------------------------------------------------------- */
/* Coercion                                                                 */
/* ---------------------------------------------------------------------- */

static const GraphqlType *
named_type(GqlRequest *req, const GraphqlTypeRef *ref)
{
	while (ref->kind != GRAPHQL_TYPEREF_NAMED)
		ref = ref->of_type;
	if (ref->type)
		return ref->type;
	return graphql_schema_find_type(req->model->schema, ref->name);
}

static GraphqlValue *
coerce_fail(Coerce *cx, const char *fmt, const GraphqlValue *bad)
{
	if (cx->error == NULL)
		cx->error = psprintf(fmt, inspect(bad, cx->from_json));
	return NULL;
}

static GraphqlValue *
find_variable(GqlRequest *req, const char *name)
{
	int i;

	for (i = 0; i < req->nvariables; i++)
		if (strcmp(req->variable_names[i], name) == 0)
			return req->variable_values[i];
	return ABSENT;
}

static GraphqlValue *coerce(Coerce *cx, const GraphqlValue *v, const GraphqlTypeRef *type);

/* The decimal text of an integer (psprintf's format parsing shows up on every request). */
static char *
int64_text(int64 i64)
{
	char *text = palloc(MAXINT8LEN + 1);

	pg_lltoa(i64, text);
	return text;
}

/* A built-in or uphub scalar (§3.5 input coercion). */
static GraphqlValue *
coerce_scalar(Coerce *cx, const GraphqlValue *v, const GraphqlType *t)
{
	const char *name = t->name;
	int64 i64;

	if (strcmp(name, "Int") == 0)
	{
		if (!number_as_int64(v, &i64))
			return coerce_fail(cx,
			                   v->kind == GRAPHQL_VALUE_INT
			                       ? "Int cannot represent non 32-bit signed integer value: %s"
			                       : "Int cannot represent non-integer value: %s",
			                   v);
		if (i64 < PG_INT32_MIN || i64 > PG_INT32_MAX)
			return coerce_fail(cx, "Int cannot represent non 32-bit signed integer value: %s", v);
		return new_value(GRAPHQL_VALUE_INT, int64_text(i64));
	}
	if (strcmp(name, "Float") == 0)
	{
		if (v->kind != GRAPHQL_VALUE_INT && v->kind != GRAPHQL_VALUE_FLOAT)
			return coerce_fail(cx, "Float cannot represent non numeric value: %s", v);
		if (!isfinite(strtod(v->text, NULL)))
			return coerce_fail(cx, "Float cannot represent non numeric value: %s", v);
		return new_value(GRAPHQL_VALUE_FLOAT, v->text);
	}
	if (strcmp(name, "String") == 0 || strcmp(name, "Cursor") == 0)
	{
		if (v->kind != GRAPHQL_VALUE_STRING)
			return coerce_fail(cx, psprintf("%s cannot represent a non string value: %%s", name),
			                   v);
		return (GraphqlValue *) v;
	}
	if (strcmp(name, "ID") == 0)
	{
		if (v->kind == GRAPHQL_VALUE_STRING)
			return (GraphqlValue *) v;
		if (v->kind == GRAPHQL_VALUE_INT)
			return new_value(GRAPHQL_VALUE_STRING, v->text);
		return coerce_fail(cx, "ID cannot represent value: %s", v);
	}
	if (strcmp(name, "Boolean") == 0)
	{
		if (v->kind != GRAPHQL_VALUE_BOOLEAN)
			return coerce_fail(cx, "Boolean cannot represent a non boolean value: %s", v);
		return (GraphqlValue *) v;
	}
	if (strcmp(name, "BigInt") == 0)
	{
		if ((v->kind == GRAPHQL_VALUE_STRING && parse_int64(v->text, &i64)) ||
		    ((v->kind == GRAPHQL_VALUE_INT || v->kind == GRAPHQL_VALUE_FLOAT) &&
		     number_as_int64(v, &i64)))
			return new_value(GRAPHQL_VALUE_INT, int64_text(i64));
		return coerce_fail(cx, "BigInt cannot represent value: %s (a 64-bit integer is expected)",
		                   v);
	}
	if (strcmp(name, "BigFloat") == 0)
	{
		if ((v->kind == GRAPHQL_VALUE_STRING && check_decimal(v->text)) ||
		    v->kind == GRAPHQL_VALUE_INT || v->kind == GRAPHQL_VALUE_FLOAT)
			return new_value(GRAPHQL_VALUE_FLOAT, v->text);
		return coerce_fail(cx, "BigFloat cannot represent value: %s (a decimal number is expected)",
		                   v);
	}
	if (strcmp(name, "Date") == 0)
	{
		if (v->kind == GRAPHQL_VALUE_STRING && strlen(v->text) == 10 && check_date(v->text))
			return (GraphqlValue *) v;
		return coerce_fail(cx, "Date cannot represent value: %s (YYYY-MM-DD is expected)", v);
	}
	if (strcmp(name, "Datetime") == 0)
	{
		if (v->kind == GRAPHQL_VALUE_STRING && check_datetime(v->text))
			return (GraphqlValue *) v;
		return coerce_fail(cx, "Datetime cannot represent value: %s (RFC 3339 is expected)", v);
	}
	if (strcmp(name, "JSON") == 0)
	{
		if (v->kind == GRAPHQL_VALUE_VARIABLE)
			return coerce_fail(cx, "JSON cannot hold a variable: %s", v);
		return (GraphqlValue *) v;
	}
	return coerce_fail(cx, psprintf("%s cannot represent value: %%s", name), v);
}

/* An input object: known fields only, required ones present, defaults filled in. */
static GraphqlValue *
coerce_object(Coerce *cx, const GraphqlValue *v, const GraphqlType *t)
{
	GraphqlValue *out;
	GraphqlArgument *tail = NULL;
	GraphqlArgument *a;
	GraphqlInputValue *def;
	int path_len = cx->path.len;

	if (v->kind != GRAPHQL_VALUE_OBJECT)
		return coerce_fail(cx, psprintf("Expected type \"%s\" to be an object.", t->name), v);
	for (a = v->fields; a; a = a->next)
	{
		for (def = t->input_fields; def; def = def->next)
			if (strcmp(def->name, a->name) == 0)
				break;
		if (def == NULL || !gql_input_value_visible(cx->req, def))
		{
			if (cx->error == NULL)
				cx->error =
				    psprintf("Field \"%s\" is not defined by type \"%s\".", a->name, t->name);
			return NULL;
		}
	}
	out = new_value(GRAPHQL_VALUE_OBJECT, NULL);
	for (def = t->input_fields; def; def = def->next)
	{
		GraphqlValue *given = NULL;
		GraphqlValue *c;

		for (a = v->fields; a; a = a->next)
			if (strcmp(def->name, a->name) == 0)
				given = a->value;
		if (given && given->kind == GRAPHQL_VALUE_VARIABLE && !cx->from_json &&
		    find_variable(cx->req, given->text) == ABSENT)
			given = NULL;
		if (given == NULL)
		{
			if (def->default_value)
			{
				bool saved = cx->from_json;

				cx->from_json = false;
				c = coerce(cx, def->default_value, def->type);
				cx->from_json = saved;
				if (c == NULL)
					return NULL;
				append_field(out, &tail, def->name, c);
			}
			else if (def->type->kind == GRAPHQL_TYPEREF_NON_NULL)
			{
				if (cx->error == NULL)
					cx->error = psprintf(
					    "Field \"%s\" of required type \"%s\" was not provided.", def->name,
					    graphql_print_typeref(gql_request_arena(cx->req), def->type));
				return NULL;
			}
			continue;
		}
		appendStringInfo(&cx->path, ".%s", def->name);
		c = coerce(cx, given, def->type);
		if (c == NULL)
			return NULL;
		cx->path.len = path_len;
		cx->path.data[path_len] = '\0';
		append_field(out, &tail, def->name, c);
	}
	return out;
}

/* §3.5/§3.9/§3.10/§3.11/§3.12 input coercion of one value against a type. */
static GraphqlValue *
coerce(Coerce *cx, const GraphqlValue *v, const GraphqlTypeRef *type)
{
	const GraphqlType *t;

	if (!cx->from_json && v->kind == GRAPHQL_VALUE_VARIABLE)
	{
		GraphqlValue *var = find_variable(cx->req, v->text);

		if (var == ABSENT || var->kind == GRAPHQL_VALUE_NULL)
		{
			if (type->kind == GRAPHQL_TYPEREF_NON_NULL)
			{
				if (cx->error == NULL)
					cx->error = psprintf("Expected non-nullable type \"%s\" not to be null.",
					                     graphql_print_typeref(gql_request_arena(cx->req), type));
				return NULL;
			}
			return new_value(GRAPHQL_VALUE_NULL, "null");
		}
		return var; /* already coerced against a compatible type */
	}
	if (type->kind == GRAPHQL_TYPEREF_NON_NULL)
	{
		if (v->kind == GRAPHQL_VALUE_NULL)
		{
			if (cx->error == NULL)
				cx->error = psprintf("Expected non-nullable type \"%s\" not to be null.",
				                     graphql_print_typeref(gql_request_arena(cx->req), type));
			return NULL;
		}
		return coerce(cx, v, type->of_type);
	}
	if (v->kind == GRAPHQL_VALUE_NULL)
		return (GraphqlValue *) v;
	if (type->kind == GRAPHQL_TYPEREF_LIST)
	{
		GraphqlValue *out = new_value(GRAPHQL_VALUE_LIST, NULL);
		GraphqlValue *tail = NULL;
		GraphqlValue *item;
		int path_len = cx->path.len;
		int index = 0;

		if (v->kind != GRAPHQL_VALUE_LIST)
		{
			GraphqlValue *c = coerce(cx, v, type->of_type);

			if (c == NULL)
				return NULL;
			append_item(out, &tail, c);
			return out;
		}
		for (item = v->items; item; item = item->next, index++)
		{
			GraphqlValue *c;

			appendStringInfo(&cx->path, "[%d]", index);
			c = coerce(cx, item, type->of_type);
			if (c == NULL)
				return NULL;
			cx->path.len = path_len;
			cx->path.data[path_len] = '\0';
			append_item(out, &tail, c);
		}
		return out;
	}
	t = named_type(cx->req, type);
	if (t == NULL)
		return coerce_fail(cx, "Unknown type for value %s.", v);
	switch (t->kind)
	{
		case GRAPHQL_KIND_SCALAR:
			return coerce_scalar(cx, v, t);
		case GRAPHQL_KIND_ENUM:
		{
			const char *name = NULL;
			GraphqlEnumValue *ev;

			if ((cx->from_json && v->kind == GRAPHQL_VALUE_STRING) ||
			    (!cx->from_json && v->kind == GRAPHQL_VALUE_ENUM))
				name = v->text;
			if (name == NULL)
				return coerce_fail(
				    cx, psprintf("Enum \"%s\" cannot represent non-string value: %%s.", t->name),
				    v);
			for (ev = t->enum_values; ev; ev = ev->next)
				if (strcmp(ev->name, name) == 0)
					return new_value(GRAPHQL_VALUE_ENUM, ev->name);
			return coerce_fail(cx, psprintf("Value %%s does not exist in \"%s\" enum.", t->name),
			                   v);
		}
		case GRAPHQL_KIND_INPUT_OBJECT:
			return coerce_object(cx, v, t);
		default:
			return coerce_fail(cx, "Value %s cannot be used as input.", v);
	}
}

/*
 * §6.1.2 CoerceVariableValues. Problems become request errors (no data);
 * returns false when there was one.
 */
bool
gql_coerce_variables(GqlRequest *req, Jsonb *variables)
{
	GraphqlValue *given = NULL;
	const GraphqlVariableDefinition *def;
	int n = 0;

	if (variables)
	{
		given = gql_jsonb_to_value(&variables->root);
		if (given->kind == GRAPHQL_VALUE_NULL)
			given = NULL;
		else if (given->kind != GRAPHQL_VALUE_OBJECT)
		{
			gql_request_error(req, GQL_E_BAD_USER_INPUT,
			                  "Variables must be provided as an Object where each property is a "
			                  "variable value. Perhaps look to see if an unparsed JSON string was "
			                  "provided.",
			                  NULL);
			return false;
		}
	}
	req->nvariables = 0;
	req->variable_names = palloc0(sizeof(char *) * (req->operation->variable_count + 1));
	req->variable_values = palloc0(sizeof(GraphqlValue *) * (req->operation->variable_count + 1));
	for (def = req->operation->variables; def; def = def->next, n++)
	{
		GraphqlValue *value = NULL;
		GraphqlArgument *a;
		Coerce cx = {req, true, NULL};
		GraphqlValue *coerced = NULL;
		GraphqlLocation loc = def->loc;

		if (given)
			for (a = given->fields; a; a = a->next)
				if (strcmp(a->name, def->name) == 0)
					value = a->value;
		if (value == NULL)
		{
			if (def->default_value)
			{
				cx.from_json = false;
				initStringInfo(&cx.path);
				coerced = coerce(&cx, def->default_value, def->type);
				if (coerced == NULL)
				{
					gql_request_error(req, GQL_E_BAD_USER_INPUT,
					                  psprintf("Variable \"$%s\" has invalid default value: %s",
					                           def->name, cx.error),
					                  &loc);
					continue;
				}
			}
			else if (def->type->kind == GRAPHQL_TYPEREF_NON_NULL)
			{
				gql_request_error(
				    req, GQL_E_BAD_USER_INPUT,
				    psprintf("Variable \"$%s\" of required type \"%s\" was not "
				             "provided.",
				             def->name, graphql_print_typeref(gql_request_arena(req), def->type)),
				    &loc);
				continue;
			}
			else
				continue; /* absent */
		}
		else if (value->kind == GRAPHQL_VALUE_NULL && def->type->kind == GRAPHQL_TYPEREF_NON_NULL)
		{
			gql_request_error(req, GQL_E_BAD_USER_INPUT,
			                  psprintf("Variable \"$%s\" of non-null type \"%s\" must not be null.",
			                           def->name,
			                           graphql_print_typeref(gql_request_arena(req), def->type)),
			                  &loc);
			continue;
		}
		else
		{
			initStringInfo(&cx.path);
			coerced = coerce(&cx, value, def->type);
			if (coerced == NULL)
			{
				gql_request_error(
				    req, GQL_E_BAD_USER_INPUT,
				    cx.path.len > 0
				        ? psprintf("Variable \"$%s\" got invalid value %s at \"%s%s\"; %s",
				                   def->name, inspect(value, true), def->name, cx.path.data,
				                   cx.error)
				        : psprintf("Variable \"$%s\" got invalid value %s; %s", def->name,
				                   inspect(value, true), cx.error),
				    &loc);
				continue;
			}
		}
		req->variable_names[req->nvariables] = def->name;
		req->variable_values[req->nvariables] = coerced;
		req->nvariables++;
	}
	return list_length(req->errors) == 0;
}

/* Report a value that cannot be used, as a BAD_USER_INPUT error of the root field. */
void
gql_bad_input(GqlStatement *st, GraphqlLocation loc, const char *fmt, ...)
{
	StringInfoData msg;

	initStringInfo(&msg);
	for (;;)
	{
		va_list args;
		int needed;

		va_start(args, fmt);
		needed = appendStringInfoVA(&msg, fmt, args);
		va_end(args);
		if (needed == 0)
			break;
		enlargeStringInfo(&msg, needed);
	}
	st->error_location = loc;
	ereport(ERROR, (errcode(ERRCODE_UPHUB_GRAPHQL_BAD_INPUT), errmsg_internal("%s", msg.data)));
}

/* §6.4.1 CoerceArgumentValues: an OBJECT value of the field's arguments. */
GraphqlValue *
gql_argument_values(GqlStatement *st, const GraphqlField *def, GraphqlSelection *node)
{
	GraphqlValue *out = new_value(GRAPHQL_VALUE_OBJECT, NULL);
	GraphqlArgument *tail = NULL;
	GraphqlInputValue *arg;

	for (arg = def->arguments; arg; arg = arg->next)
	{
		GraphqlArgument *given = NULL;
		GraphqlArgument *a;
		Coerce cx = {st->req, false, NULL};
		GraphqlValue *c;
		GraphqlValue *value;
		GraphqlLocation loc = node->loc;

		for (a = node->arguments; a; a = a->next)
			if (strcmp(a->name, arg->name) == 0)
				given = a;
		value = given ? given->value : NULL;
		if (value && value->kind == GRAPHQL_VALUE_VARIABLE &&
		    find_variable(st->req, value->text) == ABSENT)
			value = NULL;
		if (given)
			loc = given->value->loc;
		if (value == NULL)
		{
			if (arg->default_value)
				value = arg->default_value;
			else if (arg->type->kind == GRAPHQL_TYPEREF_NON_NULL)
				gql_bad_input(st, loc, "Argument \"%s\" of required type \"%s\" was not provided.",
				              arg->name,
				              graphql_print_typeref(gql_request_arena(st->req), arg->type));
			else
				continue;
		}
		initStringInfo(&cx.path);
		c = coerce(&cx, value, arg->type);
		if (c == NULL)
			gql_bad_input(st, loc, "Argument \"%s\" has invalid value %s%s%s: %s", arg->name,
			              inspect(value, false), cx.path.len ? " at " : "",
			              cx.path.len ? psprintf("\"%s%s\"", arg->name, cx.path.data) : "",
			              cx.error);
		append_field(out, &tail, arg->name, c);
	}
	return out;
}

/* @skip(if:) and @include(if:) (§3.13.2, §3.13.3). */
bool
gql_directives_include(GqlRequest *req, GraphqlDirective *directives)
{
	GraphqlDirective *d;

	for (d = directives; d; d = d->next)
	{
		bool is_skip = strcmp(d->name, "skip") == 0;
		GraphqlArgument *a;

		if (!is_skip && strcmp(d->name, "include") != 0)
			continue;
		for (a = d->arguments; a; a = a->next)
		{
			GraphqlValue *v = a->value;
			bool cond = false;

			if (strcmp(a->name, "if") != 0)
				continue;
			if (v->kind == GRAPHQL_VALUE_VARIABLE)
				v = find_variable(req, v->text);
			if (v != ABSENT && v->kind == GRAPHQL_VALUE_BOOLEAN)
				cond = v->boolean;
			if (is_skip && cond)
				return false;
			if (!is_skip && !cond)
				return false;
		}
	}
	return true;
}
