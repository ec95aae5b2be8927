/*
 * limits.c — complexity limits of one operation after fragment expansion.
 *
 * The engine calls graphql_check_complexity on the selected operation and
 * tags its errors TOO_COMPLEX. Measures:
 *  - depth: a root field has depth 1, each nested selection set adds one;
 *    fragments (named or inline) add no depth of their own;
 *  - fields: each field selection counts once per place it lands after
 *    expansion, so a fragment spread twice counts twice;
 *  - aliases: within one selection set, with the fields of fragments spread
 *    or inlined at that level merged in, the number of distinct response
 *    names selecting the same field name (the alias-amplification pattern
 *    `a1: creator(..) a2: creator(..) ...`). The merged level of a
 *    selection set does not depend on where it is expanded, so every
 *    selection set reachable from the operation is checked once.
 *
 * Depth and count are computed bottom-up with a memo per fragment, so a
 * "fragment bomb" (each fragment spreading the previous one twice) costs
 * linear time; counts saturate at UINT32_MAX. Fragment cycles (which
 * validation rejects) are cut rather than followed, so the checker is also
 * safe on unvalidated documents.
 */
#include <string.h>

#include "graphql_int.h"

typedef struct Measure
{
	uint32_t depth;
	uint32_t count;
	bool in_progress;
} Measure;

typedef struct LimitState
{
	GraphqlArena *arena;
	const GraphqlDocument *doc;
	GraphqlNameMap *fragments; /* name -> definition (last wins) */
	GraphqlNameMap *memo;      /* fragment name -> Measure */
	bool ignore_introspection;
} LimitState;

static uint32_t
sat_add(uint32_t a, uint32_t b)
{
	return a > UINT32_MAX - b ? UINT32_MAX : a + b;
}

static bool
is_introspection_field(const LimitState *st, const GraphqlSelection *s)
{
	return st->ignore_introspection && s->kind == GRAPHQL_SELECTION_FIELD &&
	       (strcmp(s->name, "__schema") == 0 || strcmp(s->name, "__type") == 0);
}

static Measure measure_set(LimitState *st, const GraphqlSelection *s);

/* Measure of a named fragment's selection set, memoized. */
static Measure
measure_fragment(LimitState *st, const char *name)
{
	Measure *m = graphql_map_get(st->memo, name);
	const GraphqlDefinition *frag;
	Measure zero = {0, 0, false};

	if (m)
		return m->in_progress ? zero : *m;
	frag = graphql_map_get(st->fragments, name);
	if (frag == NULL)
		return zero;
	m = graphql_arena_alloc(st->arena, sizeof(Measure));
	m->in_progress = true;
	graphql_map_put(st->memo, name, m);
	*m = measure_set(st, frag->selections);
	m->in_progress = false;
	return *m;
}

/* Depth and expanded field count of a selection set. */
static Measure
measure_set(LimitState *st, const GraphqlSelection *s)
{
	Measure total = {0, 0, false};

	for (; s; s = s->next)
	{
		Measure m = {0, 0, false};

		if (is_introspection_field(st, s))
			continue;
		switch (s->kind)
		{
			case GRAPHQL_SELECTION_FIELD:
				if (s->selections)
					m = measure_set(st, s->selections);
				m.depth = sat_add(m.depth, 1);
				m.count = sat_add(m.count, 1);
				break;
			case GRAPHQL_SELECTION_INLINE_FRAGMENT:
				m = measure_set(st, s->selections);
				break;
			case GRAPHQL_SELECTION_FRAGMENT_SPREAD:
				m = measure_fragment(st, s->name);
				break;
		}
		if (m.depth > total.depth)
			total.depth = m.depth;
		total.count = sat_add(total.count, m.count);
	}
	return total;
}

/* Fragments spread on the current path of find_deep_field, innermost first. */
typedef struct FragmentPath
{
	const char *name;
	const struct FragmentPath *outer;
} FragmentPath;

static bool
fragment_on_path(const FragmentPath *path, const char *name)
{
	for (; path; path = path->outer)
		if (strcmp(path->name, name) == 0)
			return true;
	return false;
}

/*
 * Location of the first field lying deeper than max (follows only deep
 * paths). A fragment already on the path is not entered again: on an
 * unvalidated document a cycle would otherwise recurse without end.
 */
static bool
find_deep_field(LimitState *st, const GraphqlSelection *s, uint32_t level, uint32_t max,
                GraphqlLocation *loc, const FragmentPath *path)
{
	for (; s; s = s->next)
	{
		Measure m = {0, 0, false};
		const GraphqlSelection *inner = NULL;

		if (is_introspection_field(st, s))
			continue;
		switch (s->kind)
		{
			case GRAPHQL_SELECTION_FIELD:
				if (level + 1 > max)
				{
					*loc = s->loc;
					return true;
				}
				if (s->selections && sat_add(level + 1, measure_set(st, s->selections).depth) > max)
					return find_deep_field(st, s->selections, level + 1, max, loc, path);
				continue;
			case GRAPHQL_SELECTION_INLINE_FRAGMENT:
				m = measure_set(st, s->selections);
				inner = s->selections;
				break;
			case GRAPHQL_SELECTION_FRAGMENT_SPREAD:
			{
				const GraphqlDefinition *frag = graphql_map_get(st->fragments, s->name);

				if (fragment_on_path(path, s->name))
					continue;
				m = measure_fragment(st, s->name);
				inner = frag ? frag->selections : NULL;
				if (inner && sat_add(level, m.depth) > max)
				{
					FragmentPath here = {s->name, path};

					return find_deep_field(st, inner, level, max, loc, &here);
				}
				continue;
			}
		}
		if (inner && sat_add(level, m.depth) > max)
			return find_deep_field(st, inner, level, max, loc, path);
	}
	return false;
}

/* Collect the merged level of a selection set: (field name, response name) pairs. */
static void
collect_level(LimitState *st, const GraphqlSelection *s, GraphqlNameMap *visited,
              GraphqlNameMap *pairs, GraphqlNameMap *counts, uint32_t limit,
              const GraphqlSelection **offender, uint32_t *offender_count)
{
	for (; s && *offender == NULL; s = s->next)
	{
		if (is_introspection_field(st, s))
			continue;
		switch (s->kind)
		{
			case GRAPHQL_SELECTION_FIELD:
			{
				const char *response = s->alias ? s->alias : s->name;
				char *key = graphql_format(st->arena, "%s %s", s->name, response);
				uintptr_t n;

				if (graphql_map_put(pairs, key, (void *) 1))
					break;
				n = (uintptr_t) graphql_map_get(counts, s->name) + 1;
				graphql_map_set(counts, s->name, (void *) n);
				if (n > limit)
				{
					*offender = s;
					*offender_count = (uint32_t) n;
				}
				break;
			}
			case GRAPHQL_SELECTION_INLINE_FRAGMENT:
				collect_level(st, s->selections, visited, pairs, counts, limit, offender,
				              offender_count);
				break;
			case GRAPHQL_SELECTION_FRAGMENT_SPREAD:
			{
				const GraphqlDefinition *frag;

				if (graphql_map_put(visited, s->name, (void *) 1))
					break;
				frag = graphql_map_get(st->fragments, s->name);
				if (frag)
					collect_level(st, frag->selections, visited, pairs, counts, limit, offender,
					              offender_count);
				break;
			}
		}
	}
}

/* Check the merged level of every selection set reachable from the operation. */
static GraphqlError *
check_aliases(LimitState *st, const GraphqlDefinition *op, uint32_t limit)
{
	GraphqlNameMap *seen_sets = graphql_map_create(st->arena, 32, true);
	GraphqlNameMap *seen_frags = graphql_map_create(st->arena, 16, false);
	const GraphqlSelection **stack;
	uint32_t cap = 64;
	uint32_t top = 0;

	stack = graphql_arena_alloc(st->arena, sizeof(*stack) * cap);
	stack[top++] = op->selections;
	while (top > 0)
	{
		const GraphqlSelection *set = stack[--top];
		const GraphqlSelection *s;
		const GraphqlSelection *offender = NULL;
		uint32_t offender_count = 0;

		if (graphql_map_put(seen_sets, set, (void *) 1))
			continue;
		collect_level(st, set, graphql_map_create(st->arena, 8, false),
		              graphql_map_create(st->arena, 16, false),
		              graphql_map_create(st->arena, 16, false), limit, &offender, &offender_count);
		if (offender)
			return graphql_error_at(st->arena, GRAPHQL_ERROR_LIMIT, offender->loc,
			                        "Field \"%s\" is selected under %u different names in one "
			                        "selection set, more than the limit of %u.",
			                        offender->name, offender_count, limit);
		for (s = set; s; s = s->next)
		{
			const GraphqlSelection *child = NULL;

			if (is_introspection_field(st, s))
				continue;
			if (s->kind == GRAPHQL_SELECTION_FRAGMENT_SPREAD)
			{
				const GraphqlDefinition *frag;

				if (graphql_map_put(seen_frags, s->name, (void *) 1))
					continue;
				frag = graphql_map_get(st->fragments, s->name);
				child = frag ? frag->selections : NULL;
			}
			else
				child = s->selections;
			if (child == NULL)
				continue;
			if (top == cap)
			{
				const GraphqlSelection **grown =
				    graphql_arena_alloc(st->arena, sizeof(*stack) * cap * 2);

				memcpy(grown, stack, sizeof(*stack) * cap);
				stack = grown;
				cap *= 2;
			}
			stack[top++] = child;
		}
	}
	return NULL;
}

static void
limit_state_init(LimitState *st, GraphqlArena *arena, const GraphqlDocument *doc,
                 bool ignore_introspection)
{
	const GraphqlDefinition *d;

	st->arena = arena;
	st->doc = doc;
	st->fragments = graphql_map_create(arena, 16, false);
	st->memo = graphql_map_create(arena, 16, false);
	st->ignore_introspection = ignore_introspection;
	for (d = doc->definitions; d; d = d->next)
	{
		if (d->kind == GRAPHQL_DEFINITION_FRAGMENT)
			graphql_map_set(st->fragments, d->name, (void *) d);
	}
}

void
graphql_measure_operation(GraphqlArena *arena, const GraphqlDocument *doc,
                          const GraphqlDefinition *operation, uint32_t *depth,
                          uint32_t *field_count)
{
	LimitState st;
	Measure m;

	limit_state_init(&st, arena, doc, false);
	m = measure_set(&st, operation->selections);
	if (depth)
		*depth = m.depth;
	if (field_count)
		*field_count = m.count;
}

GraphqlError *
graphql_check_complexity(GraphqlArena *arena, const GraphqlDocument *doc,
                         const GraphqlDefinition *operation, const GraphqlComplexityLimits *limits)
{
	LimitState st;
	Measure m;
	GraphqlLocation loc = {0, 0};

	if (limits == NULL)
		return NULL;
	limit_state_init(&st, arena, doc, limits->ignore_introspection);
	m = measure_set(&st, operation->selections);
	if (limits->max_depth && m.depth > limits->max_depth)
	{
		if (!find_deep_field(&st, operation->selections, 0, limits->max_depth, &loc, NULL))
			loc = operation->loc;
		return graphql_error_at(arena, GRAPHQL_ERROR_LIMIT, loc,
		                        "Operation has selection depth %u, more than the limit of %u.",
		                        m.depth, limits->max_depth);
	}
	if (limits->max_fields && m.count > limits->max_fields)
		return graphql_error_at(arena, GRAPHQL_ERROR_LIMIT, operation->loc,
		                        "Operation selects %u fields after fragment expansion, more than "
		                        "the limit of %u.",
		                        m.count, limits->max_fields);
	if (limits->max_aliases_per_field)
		return check_aliases(&st, operation, limits->max_aliases_per_field);
	return NULL;
}
