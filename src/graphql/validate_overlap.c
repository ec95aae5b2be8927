/*
 * validate_overlap.c — OverlappingFieldsCanBeMerged (§5.3.2), following the
 * graphql-js v16 algorithm so conflicts, messages and locations match.
 *
 * For each selection set the fields are grouped by response name
 * (fragments inlined, named fragment spreads kept as names); fields of the
 * same response name are compared pairwise (FieldsInSetCanMerge), then the
 * set is compared with every spread fragment and the fragments with each
 * other. Two fields conflict when, unless their parents are distinct
 * object types (mutually exclusive), they differ in field name or
 * arguments; and, always, when their return types differ in shape
 * (SameResponseShape: lists, non-null, leaf types) or their sub-selections
 * conflict.
 *
 * Memo tables, all per validation: fields-and-fragment-names per selection
 * set, the fragment pairs already compared (with the exclusivity flag, as
 * graphql-js's PairSet), the canonical argument text per field, and the
 * result per pair of field nodes that have sub-selections (keeps nested
 * repetitions polynomial). Fragment cycles are cut by a per-walk visited
 * set (NoFragmentCycles reports them), and recursion stops at a fixed depth;
 * very long reasons and location lists are cut (see MAX_REASON_LENGTH).
 */
#include <stdio.h>
#include <string.h>

#include "validate_int.h"

#define MAX_OVERLAP_DEPTH 1000

/*
 * Conflicts found through the memo share sub-conflicts, so written out as a
 * tree a reason can grow exponentially with nesting: messages are cut after
 * this many bytes (with " ...") and location lists after this many entries.
 * Real documents stay far below both.
 */
#define MAX_REASON_LENGTH      4096
#define MAX_CONFLICT_LOCATIONS 256

typedef struct FieldEntry
{
	const GraphqlType *parent;
	const GraphqlSelection *node;
	const GraphqlField *def;
} FieldEntry;

typedef struct ResponseGroup
{
	const char *name;
	FieldEntry *items;
	uint32_t count;
	uint32_t cap;
} ResponseGroup;

typedef struct FieldMap
{
	ResponseGroup *groups;
	uint32_t count;
	uint32_t cap;
	GraphqlNameMap *index; /* response name -> group number + 1 */
} FieldMap;

typedef struct FieldsAndFragments
{
	FieldMap fields;
	PtrArray fragment_names;
	GraphqlNameMap *fragment_seen;
} FieldsAndFragments;

typedef struct Conflict Conflict;

typedef struct ConflictList
{
	Conflict *items;
	uint32_t count;
	uint32_t cap;
} ConflictList;

struct Conflict
{
	const char *response_name;
	const char *reason; /* NULL when the reason is a list of sub-conflicts */
	ConflictList subs;
	PtrArray fields1;
	PtrArray fields2;
};

static void
find_conflicts_between_sub_selection_sets(Validator *v, bool exclusive, const GraphqlType *parent1,
                                          const GraphqlSelection *sel1, const GraphqlType *parent2,
                                          const GraphqlSelection *sel2, ConflictList *out);

static void
field_map_add(Validator *v, FieldMap *map, const char *name, FieldEntry entry)
{
	uintptr_t i = (uintptr_t) graphql_map_get(map->index, name);
	ResponseGroup *g;

	if (i == 0)
	{
		if (map->count == map->cap)
		{
			uint32_t cap = map->cap ? map->cap * 2 : 8;
			ResponseGroup *groups = graphql_arena_alloc(v->arena, sizeof(ResponseGroup) * cap);

			if (map->count)
				memcpy(groups, map->groups, sizeof(ResponseGroup) * map->count);
			map->groups = groups;
			map->cap = cap;
		}
		map->groups[map->count].name = name;
		i = ++map->count;
		graphql_map_put(map->index, name, (void *) i);
	}
	g = &map->groups[i - 1];
	if (g->count == g->cap)
	{
		uint32_t cap = g->cap ? g->cap * 2 : 4;
		FieldEntry *items = graphql_arena_alloc(v->arena, sizeof(FieldEntry) * cap);

		if (g->count)
			memcpy(items, g->items, sizeof(FieldEntry) * g->count);
		g->items = items;
		g->cap = cap;
	}
	g->items[g->count++] = entry;
}

static const ResponseGroup *
field_map_get(const FieldMap *map, const char *name)
{
	uintptr_t i = (uintptr_t) graphql_map_get(map->index, name);

	return i ? &map->groups[i - 1] : NULL;
}

/* _collectFieldsAndFragmentNames */
static void
collect_fields_and_fragment_names(Validator *v, const GraphqlType *parent,
                                  const GraphqlSelection *s, FieldsAndFragments *out)
{
	for (; s; s = s->next)
	{
		switch (s->kind)
		{
			case GRAPHQL_SELECTION_FIELD:
			{
				FieldEntry e;

				e.parent = parent;
				e.node = s;
				e.def = NULL;
				if (parent &&
				    (parent->kind == GRAPHQL_KIND_OBJECT || parent->kind == GRAPHQL_KIND_INTERFACE))
					e.def = graphql_type_find_field(parent, s->name);
				field_map_add(v, &out->fields, s->alias ? s->alias : s->name, e);
				break;
			}
			case GRAPHQL_SELECTION_FRAGMENT_SPREAD:
				if (graphql_map_put(out->fragment_seen, s->name, (void *) 1) == NULL)
					graphql_v_ptr_push(v, &out->fragment_names, s->name);
				break;
			case GRAPHQL_SELECTION_INLINE_FRAGMENT:
				collect_fields_and_fragment_names(
				    v, s->type_condition ? graphql_v_lookup_type(v, s->type_condition) : parent,
				    s->selections, out);
				break;
		}
	}
}

/* getFieldsAndFragmentNames, memoized per selection set. */
static FieldsAndFragments *
fields_and_fragment_names(Validator *v, const GraphqlType *parent,
                          const GraphqlSelection *selections)
{
	FieldsAndFragments *f = graphql_map_get(v->overlap_cache, selections);

	if (f)
		return f;
	f = graphql_arena_alloc(v->arena, sizeof(FieldsAndFragments));
	f->fields.index = graphql_map_create(v->arena, 8, false);
	f->fragment_seen = graphql_map_create(v->arena, 4, false);
	collect_fields_and_fragment_names(v, parent, selections, f);
	graphql_map_put(v->overlap_cache, selections, f);
	return f;
}

/* getReferencedFieldsAndFragmentNames */
static FieldsAndFragments *
referenced_fields_and_fragment_names(Validator *v, const GraphqlDefinition *frag)
{
	FieldsAndFragments *f = graphql_map_get(v->overlap_cache, frag->selections);

	if (f)
		return f;
	return fields_and_fragment_names(v, graphql_v_lookup_type(v, frag->type_condition),
	                                 frag->selections);
}

/*
 * A set of unordered pairs of pointers with a small value, for the
 * memo of field-node comparisons; keys
 * are compared by identity, so no key text is built per lookup.
 */
typedef struct PairEntry
{
	const void *a;
	const void *b;
	void *value;
} PairEntry;

struct PairMap
{
	PairEntry *entries;
	uint32_t cap;
	uint32_t count;
};

static uint64_t
pair_hash(const void *a, const void *b)
{
	uint64_t h = (uint64_t) (uintptr_t) a * UINT64_C(0x9E3779B97F4A7C15);

	h ^= (uint64_t) (uintptr_t) b + UINT64_C(0x632BE59BD9B4E019) + (h << 6) + (h >> 2);
	h ^= h >> 31;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	return h;
}

static PairEntry *
pair_slot(PairMap *map, const void *a, const void *b)
{
	uint32_t mask = map->cap - 1;
	uint32_t i = (uint32_t) pair_hash(a, b) & mask;

	for (;;)
	{
		PairEntry *e = &map->entries[i];

		if (e->a == NULL || (e->a == a && e->b == b))
			return e;
		i = (i + 1) & mask;
	}
}

/* Value stored for the pair (a, b), or NULL. */
static void *
pair_get(Validator *v, PairMap **mapp, const void *a, const void *b)
{
	if (*mapp == NULL)
		return NULL;
	return pair_slot(*mapp, a, b)->value;
}

static void
pair_set(Validator *v, PairMap **mapp, const void *a, const void *b, void *value)
{
	PairMap *map = *mapp;
	PairEntry *e;

	if (map == NULL)
	{
		map = *mapp = graphql_arena_alloc(v->arena, sizeof(PairMap));
		map->cap = 64;
		map->entries = graphql_arena_alloc(v->arena, sizeof(PairEntry) * map->cap);
	}
	if ((map->count + 1) * 2 > map->cap)
	{
		PairEntry *old = map->entries;
		uint32_t old_cap = map->cap;
		uint32_t i;

		map->cap *= 2;
		map->entries = graphql_arena_alloc(v->arena, sizeof(PairEntry) * map->cap);
		for (i = 0; i < old_cap; i++)
		{
			if (old[i].a)
				*pair_slot(map, old[i].a, old[i].b) = old[i];
		}
	}
	e = pair_slot(map, a, b);
	if (e->a == NULL)
		map->count++;
	e->a = a;
	e->b = b;
	e->value = value;
}

/*
 * PairSet of fragment names as a bit matrix over the document's fragment
 * definitions (two bits per ordered pair: added, added as non-exclusive):
 * k fragments cost k*k/4 bytes however many pairs are compared.
 */
static bool
pair_bits(Validator *v, const char *a, const char *b, uint64_t *bit)
{
	uintptr_t x = (uintptr_t) graphql_map_get(v->fragment_index, a);
	uintptr_t y = (uintptr_t) graphql_map_get(v->fragment_index, b);

	if (x == 0 || y == 0)
		return false;
	if (x > y)
	{
		uintptr_t t = x;

		x = y;
		y = t;
	}
	if (v->pair_bits == NULL)
		v->pair_bits = graphql_arena_alloc(
		    v->arena, ((size_t) v->fragment_count * v->fragment_count * 2 + 7) / 8);
	*bit = ((uint64_t) (x - 1) * v->fragment_count + (y - 1)) * 2;
	return true;
}

/* PairSet.has: a pair added as non-exclusive also answers for exclusive. */
static bool
pair_has(Validator *v, const char *a, const char *b, bool exclusive)
{
	uint64_t bit;
	bool added;
	bool non_exclusive;

	if (!pair_bits(v, a, b, &bit))
		return false;
	added = (v->pair_bits[bit / 8] >> (bit % 8)) & 1;
	non_exclusive = (v->pair_bits[(bit + 1) / 8] >> ((bit + 1) % 8)) & 1;
	if (!added)
		return false;
	return exclusive ? true : non_exclusive;
}

static void
pair_add(Validator *v, const char *a, const char *b, bool exclusive)
{
	uint64_t bit;

	if (!pair_bits(v, a, b, &bit))
		return;
	v->pair_bits[bit / 8] |= (uint8_t) (1u << (bit % 8));
	if (exclusive)
		v->pair_bits[(bit + 1) / 8] &= (uint8_t) ~(1u << ((bit + 1) % 8));
	else
		v->pair_bits[(bit + 1) / 8] |= (uint8_t) (1u << ((bit + 1) % 8));
}

/* stringifyArguments: arguments sorted by name, object fields sorted too. */
static const char *
arguments_text(Validator *v, const GraphqlSelection *field)
{
	const char *text = graphql_map_get(v->argument_strings, field);
	GraphqlValue obj = {0};
	GraphqlBuf buf;

	if (text)
		return text;
	obj.kind = GRAPHQL_VALUE_OBJECT;
	obj.fields = field->arguments;
	obj.count = field->argument_count;
	graphql_buf_init(&buf, v->arena, 32);
	graphql_print_value_to(&buf, &obj, true);
	graphql_map_put(v->argument_strings, field, buf.data);
	return buf.data;
}

/* doTypesConflict (SameResponseShape on the type level). */
static bool
types_conflict(const GraphqlTypeRef *t1, const GraphqlTypeRef *t2)
{
	if (t1->kind == GRAPHQL_TYPEREF_LIST)
		return t2->kind == GRAPHQL_TYPEREF_LIST ? types_conflict(t1->of_type, t2->of_type) : true;
	if (t2->kind == GRAPHQL_TYPEREF_LIST)
		return true;
	if (t1->kind == GRAPHQL_TYPEREF_NON_NULL)
		return t2->kind == GRAPHQL_TYPEREF_NON_NULL ? types_conflict(t1->of_type, t2->of_type)
		                                            : true;
	if (t2->kind == GRAPHQL_TYPEREF_NON_NULL)
		return true;
	if ((t1->type && graphql_type_is_leaf(t1->type)) ||
	    (t2->type && graphql_type_is_leaf(t2->type)))
		return t1->type != t2->type;
	return false;
}

static Conflict *
conflict_push(Validator *v, ConflictList *list)
{
	Conflict *c;

	if (list->count == list->cap)
	{
		uint32_t cap = list->cap ? list->cap * 2 : 4;
		Conflict *items = graphql_arena_alloc(v->arena, sizeof(Conflict) * cap);

		if (list->count)
			memcpy(items, list->items, sizeof(Conflict) * list->count);
		list->items = items;
		list->cap = cap;
	}
	c = &list->items[list->count++];
	memset(c, 0, sizeof(*c));
	return c;
}

/* findConflict: the conflict between two fields, if any, appended to out. */
static void
find_conflict(Validator *v, bool parents_exclusive, const char *response_name, const FieldEntry *f1,
              const FieldEntry *f2, ConflictList *out)
{
	bool exclusive = parents_exclusive || (f1->parent != f2->parent && f1->parent && f2->parent &&
	                                       f1->parent->kind == GRAPHQL_KIND_OBJECT &&
	                                       f2->parent->kind == GRAPHQL_KIND_OBJECT);
	const GraphqlTypeRef *t1 = f1->def ? f1->def->type : NULL;
	const GraphqlTypeRef *t2 = f2->def ? f2->def->type : NULL;
	Conflict *c;

	if (!exclusive)
	{
		if (strcmp(f1->node->name, f2->node->name) != 0)
		{
			c = conflict_push(v, out);
			c->response_name = response_name;
			c->reason = graphql_format(v->arena, "\"%s\" and \"%s\" are different fields",
			                           f1->node->name, f2->node->name);
			graphql_v_ptr_push(v, &c->fields1, f1->node);
			graphql_v_ptr_push(v, &c->fields2, f2->node);
			return;
		}
		if (f1->node->arguments != f2->node->arguments &&
		    strcmp(arguments_text(v, f1->node), arguments_text(v, f2->node)) != 0)
		{
			c = conflict_push(v, out);
			c->response_name = response_name;
			c->reason = "they have differing arguments";
			graphql_v_ptr_push(v, &c->fields1, f1->node);
			graphql_v_ptr_push(v, &c->fields2, f2->node);
			return;
		}
	}
	if (t1 && t2 && types_conflict(t1, t2))
	{
		c = conflict_push(v, out);
		c->response_name = response_name;
		c->reason = graphql_format(v->arena, "they return conflicting types \"%s\" and \"%s\"",
		                           graphql_print_typeref(v->arena, t1),
		                           graphql_print_typeref(v->arena, t2));
		graphql_v_ptr_push(v, &c->fields1, f1->node);
		graphql_v_ptr_push(v, &c->fields2, f2->node);
		return;
	}
	if (f1->node->selections && f2->node->selections)
	{
		PairMap **memo_map = exclusive ? &v->conflict_memo_exclusive : &v->conflict_memo;
		Conflict *memo = pair_get(v, memo_map, f1->node, f2->node);
		ConflictList subs = {0};
		uint32_t i;
		uint32_t j;

		if (memo == NULL)
		{
			/* placeholder first, so a re-entrant comparison sees "no conflict" */
			memo = graphql_arena_alloc(v->arena, sizeof(Conflict));
			pair_set(v, memo_map, f1->node, f2->node, memo);
			if (v->overlap_depth < MAX_OVERLAP_DEPTH)
			{
				v->overlap_depth++;
				find_conflicts_between_sub_selection_sets(
				    v, exclusive, t1 ? graphql_typeref_named(t1) : NULL, f1->node->selections,
				    t2 ? graphql_typeref_named(t2) : NULL, f2->node->selections, &subs);
				v->overlap_depth--;
			}
			if (subs.count > 0)
			{
				memo->response_name = response_name;
				memo->subs = subs;
				graphql_v_ptr_push(v, &memo->fields1, f1->node);
				graphql_v_ptr_push(v, &memo->fields2, f2->node);
				for (i = 0; i < subs.count; i++)
				{
					for (j = 0; j < subs.items[i].fields1.count; j++)
						if (memo->fields1.count < MAX_CONFLICT_LOCATIONS)
							graphql_v_ptr_push(v, &memo->fields1, subs.items[i].fields1.items[j]);
					for (j = 0; j < subs.items[i].fields2.count; j++)
						if (memo->fields2.count < MAX_CONFLICT_LOCATIONS)
							graphql_v_ptr_push(v, &memo->fields2, subs.items[i].fields2.items[j]);
				}
			}
		}
		if (memo->subs.count > 0)
		{
			c = conflict_push(v, out);
			*c = *memo;
			c->response_name = response_name;
		}
	}
}

/* collectConflictsWithin: pairs inside each response-name group. */
static void
collect_conflicts_within(Validator *v, ConflictList *out, const FieldMap *map)
{
	uint32_t g;
	uint32_t i;
	uint32_t j;

	for (g = 0; g < map->count; g++)
	{
		const ResponseGroup *group = &map->groups[g];

		for (i = 0; i < group->count; i++)
			for (j = i + 1; j < group->count; j++)
				find_conflict(v, false, group->name, &group->items[i], &group->items[j], out);
	}
}

/* collectConflictsBetween two field maps. */
static void
collect_conflicts_between(Validator *v, ConflictList *out, bool exclusive, const FieldMap *map1,
                          const FieldMap *map2)
{
	uint32_t g;
	uint32_t i;
	uint32_t j;

	for (g = 0; g < map1->count; g++)
	{
		const ResponseGroup *g1 = &map1->groups[g];
		const ResponseGroup *g2 = field_map_get(map2, g1->name);

		if (g2 == NULL)
			continue;
		for (i = 0; i < g1->count; i++)
			for (j = 0; j < g2->count; j++)
				find_conflict(v, exclusive, g1->name, &g1->items[i], &g2->items[j], out);
	}
}

/*
 * collectConflictsBetweenFieldsAndFragment. Each top-level call is one walk
 * with its own number; a fragment already reached in this walk (a cycle or
 * a diamond) is not compared again. One table serves every walk.
 */
static void
collect_conflicts_between_fields_and_fragment(Validator *v, ConflictList *out, bool exclusive,
                                              const FieldMap *map, const char *fragment_name,
                                              uintptr_t walk)
{
	const GraphqlDefinition *frag = graphql_v_fragment(v, fragment_name);
	FieldsAndFragments *f2;
	uint32_t i;

	if (frag == NULL || (uintptr_t) graphql_map_get(v->fragment_walks, fragment_name) == walk)
		return;
	graphql_map_set(v->fragment_walks, fragment_name, (void *) walk);
	f2 = referenced_fields_and_fragment_names(v, frag);
	if (map == &f2->fields)
		return;
	collect_conflicts_between(v, out, exclusive, map, &f2->fields);
	for (i = 0; i < f2->fragment_names.count; i++)
		collect_conflicts_between_fields_and_fragment(v, out, exclusive, map,
		                                              f2->fragment_names.items[i], walk);
}

/* collectConflictsBetweenFragments */
static void
collect_conflicts_between_fragments(Validator *v, ConflictList *out, bool exclusive,
                                    const char *name1, const char *name2)
{
	const GraphqlDefinition *frag1;
	const GraphqlDefinition *frag2;
	FieldsAndFragments *f1;
	FieldsAndFragments *f2;
	uint32_t i;

	if (strcmp(name1, name2) == 0)
		return;
	if (pair_has(v, name1, name2, exclusive))
		return;
	pair_add(v, name1, name2, exclusive);
	frag1 = graphql_v_fragment(v, name1);
	frag2 = graphql_v_fragment(v, name2);
	if (frag1 == NULL || frag2 == NULL)
		return;
	f1 = referenced_fields_and_fragment_names(v, frag1);
	f2 = referenced_fields_and_fragment_names(v, frag2);
	collect_conflicts_between(v, out, exclusive, &f1->fields, &f2->fields);
	for (i = 0; i < f2->fragment_names.count; i++)
		collect_conflicts_between_fragments(v, out, exclusive, name1, f2->fragment_names.items[i]);
	for (i = 0; i < f1->fragment_names.count; i++)
		collect_conflicts_between_fragments(v, out, exclusive, f1->fragment_names.items[i], name2);
}

/* findConflictsBetweenSubSelectionSets */
static void
find_conflicts_between_sub_selection_sets(Validator *v, bool exclusive, const GraphqlType *parent1,
                                          const GraphqlSelection *sel1, const GraphqlType *parent2,
                                          const GraphqlSelection *sel2, ConflictList *out)
{
	FieldsAndFragments *f1 = fields_and_fragment_names(v, parent1, sel1);
	FieldsAndFragments *f2 = fields_and_fragment_names(v, parent2, sel2);
	uint32_t i;
	uint32_t j;

	collect_conflicts_between(v, out, exclusive, &f1->fields, &f2->fields);
	for (i = 0; i < f2->fragment_names.count; i++)
		collect_conflicts_between_fields_and_fragment(
		    v, out, exclusive, &f1->fields, f2->fragment_names.items[i], ++v->walk_counter);
	for (i = 0; i < f1->fragment_names.count; i++)
		collect_conflicts_between_fields_and_fragment(
		    v, out, exclusive, &f2->fields, f1->fragment_names.items[i], ++v->walk_counter);
	for (i = 0; i < f1->fragment_names.count; i++)
		for (j = 0; j < f2->fragment_names.count; j++)
			collect_conflicts_between_fragments(v, out, exclusive, f1->fragment_names.items[i],
			                                    f2->fragment_names.items[j]);
}

/* reasonMessage */
static void
reason_message(GraphqlBuf *buf, const Conflict *c)
{
	uint32_t i;

	if (c->reason)
	{
		graphql_buf_puts(buf, c->reason);
		return;
	}
	for (i = 0; i < c->subs.count; i++)
	{
		if (buf->len > MAX_REASON_LENGTH)
		{
			graphql_buf_puts(buf, " ...");
			return;
		}
		if (i > 0)
			graphql_buf_puts(buf, " and ");
		graphql_buf_printf(buf, "subfields \"%s\" conflict because ",
		                   c->subs.items[i].response_name);
		reason_message(buf, &c->subs.items[i]);
	}
}

void
graphql_v_overlapping_fields(Validator *v, const GraphqlType *parent,
                             const GraphqlSelection *selections)
{
	FieldsAndFragments *f = fields_and_fragment_names(v, parent, selections);
	ConflictList conflicts = {0};
	uint32_t i;
	uint32_t j;

	collect_conflicts_within(v, &conflicts, &f->fields);
	for (i = 0; i < f->fragment_names.count; i++)
	{
		collect_conflicts_between_fields_and_fragment(
		    v, &conflicts, false, &f->fields, f->fragment_names.items[i], ++v->walk_counter);
		for (j = i + 1; j < f->fragment_names.count; j++)
			collect_conflicts_between_fragments(v, &conflicts, false, f->fragment_names.items[i],
			                                    f->fragment_names.items[j]);
	}
	for (i = 0; i < conflicts.count; i++)
	{
		const Conflict *c = &conflicts.items[i];
		uint32_t n = c->fields1.count + c->fields2.count;
		GraphqlLocation *locs = graphql_arena_alloc(v->arena, sizeof(GraphqlLocation) * n);
		GraphqlBuf buf;
		uint32_t k = 0;

		for (j = 0; j < c->fields1.count; j++)
			locs[k++] = ((const GraphqlSelection *) c->fields1.items[j])->loc;
		for (j = 0; j < c->fields2.count; j++)
			locs[k++] = ((const GraphqlSelection *) c->fields2.items[j])->loc;
		graphql_buf_init(&buf, v->arena, 128);
		graphql_buf_printf(&buf, "Fields \"%s\" conflict because ", c->response_name);
		reason_message(&buf, c);
		graphql_buf_puts(&buf, ". Use different aliases on the fields to fetch both if this was "
		                       "intentional.");
		graphql_v_report(v, buf.data, n, locs);
	}
}
