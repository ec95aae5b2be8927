/*
 * suggest.c — "Did you mean ...?" suggestions, as graphql-js v16 makes them.
 *
 * suggestionList keeps the options within a lexical distance of
 * floor(0.4 * len(input)) + 1 (Damerau-Levenshtein on lower-cased names, a
 * pure case change counting as one edit), sorted by distance and then by
 * naturalCompare. didYouMean formats at most five of them.
 */
#include <ctype.h>
#include <string.h>

#include "graphql_int.h"

#define MAX_SUGGESTIONS 5

/* graphql-js naturalCompare: digit runs compare as numbers. */
int
graphql_natural_compare(const char *a, const char *b)
{
	size_t ai = 0;
	size_t bi = 0;
	size_t alen = strlen(a);
	size_t blen = strlen(b);

	while (ai < alen && bi < blen)
	{
		unsigned char ac = (unsigned char) a[ai];
		unsigned char bc = (unsigned char) b[bi];

		if (isdigit(ac) && isdigit(bc))
		{
			uint64_t an = 0;
			uint64_t bn = 0;

			do
			{
				++ai;
				an = an * 10 + (ac - '0');
				ac = ai < alen ? (unsigned char) a[ai] : 0;
			} while (isdigit(ac) && an > 0 && an < UINT64_C(100000000000000000));
			do
			{
				++bi;
				bn = bn * 10 + (bc - '0');
				bc = bi < blen ? (unsigned char) b[bi] : 0;
			} while (isdigit(bc) && bn > 0 && bn < UINT64_C(100000000000000000));
			if (an < bn)
				return -1;
			if (an > bn)
				return 1;
		}
		else
		{
			if (ac < bc)
				return -1;
			if (ac > bc)
				return 1;
			++ai;
			++bi;
		}
	}
	if (alen < blen)
		return -1;
	return alen > blen ? 1 : 0;
}

static bool
equal_ignoring_case(const char *a, const char *b)
{
	while (*a && *b)
	{
		if (tolower((unsigned char) *a) != tolower((unsigned char) *b))
			return false;
		a++;
		b++;
	}
	return *a == *b;
}

/* Optimal-string-alignment distance, or -1 when above threshold. */
static int
lexical_distance(GraphqlArena *arena, const char *input, const char *option, int threshold)
{
	const char *a;
	const char *b;
	size_t alen;
	size_t blen;
	int *rows[3];
	size_t i;
	size_t j;
	int d;

	if (strcmp(input, option) == 0)
		return 0;
	if (equal_ignoring_case(input, option))
		return 1;
	a = option;
	b = input;
	alen = strlen(a);
	blen = strlen(b);
	if (alen < blen)
	{
		const char *t = a;
		size_t tl = alen;

		a = b;
		b = t;
		alen = blen;
		blen = tl;
	}
	if ((int) (alen - blen) > threshold)
		return -1;
	for (i = 0; i < 3; i++)
		rows[i] = graphql_arena_alloc(arena, sizeof(int) * (blen + 1));
	for (j = 0; j <= blen; j++)
		rows[0][j] = (int) j;
	for (i = 1; i <= alen; i++)
	{
		int *up = rows[(i - 1) % 3];
		int *cur = rows[i % 3];
		int smallest = cur[0] = (int) i;

		for (j = 1; j <= blen; j++)
		{
			int cost =
			    tolower((unsigned char) a[i - 1]) == tolower((unsigned char) b[j - 1]) ? 0 : 1;
			int cell = up[j] + 1;

			if (cur[j - 1] + 1 < cell)
				cell = cur[j - 1] + 1;
			if (up[j - 1] + cost < cell)
				cell = up[j - 1] + cost;
			if (i > 1 && j > 1 &&
			    tolower((unsigned char) a[i - 1]) == tolower((unsigned char) b[j - 2]) &&
			    tolower((unsigned char) a[i - 2]) == tolower((unsigned char) b[j - 1]))
			{
				int dd = rows[(i - 2) % 3][j - 2] + 1;

				if (dd < cell)
					cell = dd;
			}
			if (cell < smallest)
				smallest = cell;
			cur[j] = cell;
		}
		if (smallest > threshold)
			return -1;
	}
	d = rows[alen % 3][blen];
	return d <= threshold ? d : -1;
}

const char **
graphql_suggestion_list(GraphqlArena *arena, const char *input, const char **options,
                        uint32_t option_count, uint32_t *result_count)
{
	const char **out = graphql_arena_alloc(arena, sizeof(char *) * (option_count + 1));
	int *dist = graphql_arena_alloc(arena, sizeof(int) * (option_count + 1));
	int threshold = (int) (strlen(input) * 4 / 10) + 1;
	uint32_t n = 0;
	uint32_t i;

	for (i = 0; i < option_count; i++)
	{
		int d = lexical_distance(arena, input, options[i], threshold);
		uint32_t k;
		bool duplicate = false;

		if (d < 0)
			continue;
		for (k = 0; k < n; k++)
		{
			if (strcmp(out[k], options[i]) == 0)
				duplicate = true;
		}
		if (duplicate)
			continue;
		k = n++;
		while (k > 0 && (dist[k - 1] > d ||
		                 (dist[k - 1] == d && graphql_natural_compare(out[k - 1], options[i]) > 0)))
		{
			out[k] = out[k - 1];
			dist[k] = dist[k - 1];
			k--;
		}
		out[k] = options[i];
		dist[k] = d;
	}
	*result_count = n;
	return out;
}

void
graphql_did_you_mean(GraphqlBuf *buf, const char *sub_message, const char **suggestions,
                     uint32_t count)
{
	uint32_t i;

	if (count == 0)
		return;
	graphql_buf_puts(buf, " Did you mean ");
	if (sub_message)
	{
		graphql_buf_puts(buf, sub_message);
		graphql_buf_putc(buf, ' ');
	}
	if (count > MAX_SUGGESTIONS)
		count = MAX_SUGGESTIONS;
	for (i = 0; i < count; i++)
	{
		if (i > 0)
		{
			if (count == 2)
				graphql_buf_puts(buf, " or ");
			else if (i == count - 1)
				graphql_buf_puts(buf, ", or ");
			else
				graphql_buf_puts(buf, ", ");
		}
		graphql_buf_printf(buf, "\"%s\"", suggestions[i]);
	}
	graphql_buf_putc(buf, '?');
}
