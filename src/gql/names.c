/*
 * names.c — SQL names to GraphQL names (API.md "Schema reflection and names").
 *
 * Types are the PascalCase of the table (creator_daily -> CreatorDaily),
 * fields the camelCase of the column (main_tid -> mainTid, views_7d ->
 * views7d), root collections the English plural of the type's camelCase
 * (creatorDaily -> creatorDailies). A name that is not a GraphQL Name
 * (/[_A-Za-z][_0-9A-Za-z]*\/, and not starting with "__") after conversion is
 * not exposed: the reflection skips the table or column.
 */
#include "postgres.h"

#include "gql/gql.h"

/* Upper-case every word after an underscore; the first word too when asked. */
static char *
join_words(const char *sql_name, bool capitalize_first)
{
	StringInfoData out;
	bool upper_next = capitalize_first;
	const char *p;

	initStringInfo(&out);
	for (p = sql_name; *p; p++)
	{
		if (*p == '_')
		{
			/* keep a leading underscore; collapse the rest into word breaks */
			if (out.len == 0 && p == sql_name)
				appendStringInfoChar(&out, '_');
			else
				upper_next = true;
			continue;
		}
		if (upper_next && *p >= 'a' && *p <= 'z')
			appendStringInfoChar(&out, *p - 'a' + 'A');
		else
			appendStringInfoChar(&out, *p);
		upper_next = false;
	}
	return out.data;
}

/* Type name of a table. */
char *
gql_pascal_case(const char *sql_name)
{
	return join_words(sql_name, true);
}

/* Field name of a column. */
char *
gql_camel_case(const char *sql_name)
{
	return join_words(sql_name, false);
}

/* Field name derived from a type name: CreatorDaily -> creatorDaily. */
char *
gql_lower_first(const char *name)
{
	char *out = pstrdup(name);

	if (out[0] >= 'A' && out[0] <= 'Z')
		out[0] = out[0] - 'A' + 'a';
	return out;
}

/* English plural of the last word: creator -> creators, daily -> dailies. */
char *
gql_plural(const char *name)
{
	size_t len = strlen(name);
	char last = len > 0 ? name[len - 1] : '\0';
	char before = len > 1 ? name[len - 2] : '\0';

	if (last == 'y' && before != '\0' && strchr("aeiouAEIOU", before) == NULL)
		return psprintf("%.*sies", (int) (len - 1), name);
	if (last == 's' || last == 'x' || last == 'z' ||
	    ((last == 'h') && (before == 'c' || before == 's')))
		return psprintf("%ses", name);
	return psprintf("%ss", name);
}

/* GraphQL Name (§2.1.9), excluding the reserved "__" prefix. */
bool
gql_is_valid_name(const char *name)
{
	const char *p;

	if (name == NULL || name[0] == '\0')
		return false;
	if (name[0] == '_' && name[1] == '_')
		return false;
	if (!((name[0] >= 'A' && name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z') ||
	      name[0] == '_'))
		return false;
	for (p = name + 1; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '_'))
			return false;
	return true;
}
