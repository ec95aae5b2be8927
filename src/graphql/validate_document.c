/*
 * validate_document.c — operation-, fragment- and document-level rules.
 *
 * On operation enter: UniqueOperationNames, LoneAnonymousOperation,
 * SingleFieldSubscriptions, KnownOperationTypes (from the later spec draft:
 * a mutation against a schema without a mutation root is rejected here
 * rather than at execution), UniqueVariableNames.
 * On fragment enter: FragmentsOnCompositeTypes, UniqueFragmentNames,
 * NoFragmentCycles.
 * At the end: the rules graphql-js runs when leaving an operation
 * (NoUndefinedVariables, NoUnusedVariables, VariablesInAllowedPosition)
 * need the variable usages of fragments that may be defined after the
 * operation, so they run once the walk is over and their errors are
 * spliced into the list where the operation ended (the anchor recorded by
 * the walk), which reproduces graphql-js's error order. Operations are
 * processed last to first so that anchors shared by several operations keep
 * document order. NoUnusedFragments then closes the list.
 */
#include <string.h>

#include "validate_int.h"

/* Errors are spliced in at an anchor slot, advancing it. */
static void
insert_error(Validator *v, GraphqlError ***slot, const char *message, uint32_t count,
             const GraphqlLocation *locs)
{
	GraphqlError *e;

	if (v->error_count >= v->max_errors)
		return;
	e = graphql_error_new(v->arena, GRAPHQL_ERROR_VALIDATION, message, count, locs);
	e->next = **slot;
	**slot = e;
	*slot = &e->next;
	if (e->next == NULL)
		v->tail = &e->next;
	v->error_count++;
}

/* An ordered group of fields sharing a response name. */
typedef struct FieldGroup
{
	const char *response_name;
	PtrArray nodes;
} FieldGroup;

typedef struct FieldGroups
{
	FieldGroup *groups;
	uint32_t count;
	uint32_t cap;
	GraphqlNameMap *index; /* response name -> group number + 1 */
} FieldGroups;

/* doesFragmentConditionMatch of the executor's CollectFields. */
static bool
condition_matches(Validator *v, const char *condition, const GraphqlType *type)
{
	const GraphqlType *t;

	if (condition == NULL)
		return true;
	t = graphql_v_lookup_type(v, condition);
	if (t == NULL)
		return false;
	if (t == type)
		return true;
	if (graphql_type_is_abstract(t))
		return graphql_type_is_subtype(t, type);
	return false;
}

/* CollectFields (§6.3.2) with no variable values, for subscriptions. */
static void
collect_fields(Validator *v, const GraphqlType *type, const GraphqlSelection *s, FieldGroups *out,
               GraphqlNameMap *visited)
{
	for (; s; s = s->next)
	{
		if (!graphql_v_should_include(s->directives))
			continue;
		switch (s->kind)
		{
			case GRAPHQL_SELECTION_FIELD:
			{
				const char *key = s->alias ? s->alias : s->name;
				uintptr_t i = (uintptr_t) graphql_map_get(out->index, key);

				if (i == 0)
				{
					if (out->count == out->cap)
					{
						uint32_t cap = out->cap ? out->cap * 2 : 8;
						FieldGroup *g = graphql_arena_alloc(v->arena, sizeof(FieldGroup) * cap);

						if (out->count)
							memcpy(g, out->groups, sizeof(FieldGroup) * out->count);
						out->groups = g;
						out->cap = cap;
					}
					out->groups[out->count].response_name = key;
					i = ++out->count;
					graphql_map_put(out->index, key, (void *) i);
				}
				graphql_v_ptr_push(v, &out->groups[i - 1].nodes, s);
				break;
			}
			case GRAPHQL_SELECTION_INLINE_FRAGMENT:
				if (condition_matches(v, s->type_condition, type))
					collect_fields(v, type, s->selections, out, visited);
				break;
			case GRAPHQL_SELECTION_FRAGMENT_SPREAD:
			{
				const GraphqlDefinition *frag;

				if (graphql_map_put(visited, s->name, (void *) 1))
					break;
				frag = graphql_v_fragment(v, s->name);
				if (frag && condition_matches(v, frag->type_condition, type))
					collect_fields(v, type, frag->selections, out, visited);
				break;
			}
		}
	}
}

/* SingleFieldSubscriptions. */
static void
single_field_subscription(Validator *v, const GraphqlDefinition *op)
{
	const GraphqlType *root = graphql_schema_root(v->schema, GRAPHQL_OPERATION_SUBSCRIPTION);
	FieldGroups groups = {0};
	uint32_t i;
	uint32_t j;

	if (root == NULL)
		return;
	groups.index = graphql_map_create(v->arena, 8, false);
	collect_fields(v, root, op->selections, &groups, graphql_map_create(v->arena, 8, false));
	if (groups.count > 1)
	{
		PtrArray locs = {0};
		GraphqlLocation *l;
		uint32_t n = 0;

		for (i = 1; i < groups.count; i++)
			for (j = 0; j < groups.groups[i].nodes.count; j++)
				graphql_v_ptr_push(v, &locs, groups.groups[i].nodes.items[j]);
		l = graphql_arena_alloc(v->arena, sizeof(GraphqlLocation) * locs.count);
		for (i = 0; i < locs.count; i++)
			l[n++] = ((const GraphqlSelection *) locs.items[i])->loc;
		graphql_v_report(v,
		                 op->name ? graphql_format(v->arena,
		                                           "Subscription \"%s\" must select only one top "
		                                           "level field.",
		                                           op->name)
		                          : "Anonymous Subscription must select only one top level field.",
		                 n, l);
	}
	for (i = 0; i < groups.count; i++)
	{
		const GraphqlSelection *first = groups.groups[i].nodes.items[0];

		if (strncmp(first->name, "__", 2) == 0)
		{
			uint32_t n = groups.groups[i].nodes.count;
			GraphqlLocation *l = graphql_arena_alloc(v->arena, sizeof(GraphqlLocation) * n);

			for (j = 0; j < n; j++)
				l[j] = ((const GraphqlSelection *) groups.groups[i].nodes.items[j])->loc;
			graphql_v_report(v,
			                 op->name ? graphql_format(v->arena,
			                                           "Subscription \"%s\" must not select an "
			                                           "introspection top level field.",
			                                           op->name)
			                          : "Anonymous Subscription must not select an introspection "
			                            "top level field.",
			                 n, l);
		}
	}
}

void
graphql_v_operation_enter(Validator *v, const GraphqlDefinition *op)
{
	static const char *const names[] = {"query", "mutation", "subscription"};
	const GraphqlVariableDefinition *var;
	const GraphqlVariableDefinition *other;

	/* UniqueOperationNames */
	if (op->name)
	{
		const GraphqlDefinition *first = graphql_map_put(v->operation_names, op->name, (void *) op);

		if (first)
		{
			GraphqlLocation locs[2] = {first->name_loc, op->name_loc};

			graphql_v_report(
			    v,
			    graphql_format(v->arena, "There can be only one operation named \"%s\".", op->name),
			    2, locs);
		}
	}
	/* LoneAnonymousOperation */
	if (op->name == NULL && v->operation_count > 1)
		graphql_v_reportf(v, op->loc,
		                  "This anonymous operation must be the only defined operation.");
	/* SingleFieldSubscriptions */
	if (op->operation == GRAPHQL_OPERATION_SUBSCRIPTION)
		single_field_subscription(v, op);
	/* KnownOperationTypes */
	if (graphql_schema_root(v->schema, op->operation) == NULL)
		graphql_v_reportf(v, op->loc, "The %s operation is not supported by the schema.",
		                  names[op->operation]);
	/* UniqueVariableNames: one error per repeated name, at every name. */
	for (var = op->variables; var; var = var->next)
	{
		uint32_t count = 0;
		bool earlier = false;

		for (other = op->variables; other; other = other->next)
		{
			if (strcmp(other->name, var->name) == 0)
			{
				if (other == var && count > 0)
					earlier = true;
				count++;
			}
		}
		if (count > 1 && !earlier)
		{
			GraphqlLocation *locs = graphql_arena_alloc(v->arena, sizeof(GraphqlLocation) * count);
			uint32_t n = 0;

			for (other = var; other; other = other->next)
			{
				if (strcmp(other->name, var->name) == 0)
					locs[n++] = other->name_loc;
			}
			graphql_v_report(v,
			                 graphql_format(v->arena,
			                                "There can be only one variable named \"$%s\".",
			                                var->name),
			                 n, locs);
		}
	}
}

/* NoFragmentCycles' depth-first search from one fragment. */
static void
detect_cycles(Validator *v, const GraphqlDefinition *frag, GraphqlNameMap *visited, PtrArray *path,
              GraphqlNameMap *index_by_name)
{
	const PtrArray *spreads;
	uint32_t i;

	if (graphql_map_put(visited, frag->name, (void *) 1))
		return;
	spreads = graphql_v_fragment_spreads(v, frag->selections);
	if (spreads->count == 0)
		return;
	graphql_map_set(index_by_name, frag->name, (void *) (uintptr_t) (path->count + 1));
	for (i = 0; i < spreads->count; i++)
	{
		const GraphqlSelection *spread = spreads->items[i];
		uintptr_t cycle = (uintptr_t) graphql_map_get(index_by_name, spread->name);

		graphql_v_ptr_push(v, path, spread);
		if (cycle == 0)
		{
			const GraphqlDefinition *target = graphql_v_fragment(v, spread->name);

			if (target)
				detect_cycles(v, target, visited, path, index_by_name);
		}
		else
		{
			uint32_t start = (uint32_t) cycle - 1;
			uint32_t n = path->count - start;
			GraphqlLocation *locs = graphql_arena_alloc(v->arena, sizeof(GraphqlLocation) * n);
			GraphqlBuf buf;
			uint32_t k;

			graphql_buf_init(&buf, v->arena, 96);
			graphql_buf_printf(&buf, "Cannot spread fragment \"%s\" within itself", spread->name);
			for (k = 0; k < n; k++)
			{
				const GraphqlSelection *s = path->items[start + k];

				locs[k] = s->loc;
				if (k + 1 < n)
					graphql_buf_printf(&buf, "%s\"%s\"", k == 0 ? " via " : ", ", s->name);
			}
			graphql_buf_putc(&buf, '.');
			graphql_v_report(v, buf.data, n, locs);
		}
		path->count--;
	}
	graphql_map_set(index_by_name, frag->name, NULL);
}

void
graphql_v_fragment_enter(Validator *v, const GraphqlDefinition *frag)
{
	const GraphqlType *type = graphql_v_lookup_type(v, frag->type_condition);
	const GraphqlDefinition *first;
	PtrArray path = {0};

	/* FragmentsOnCompositeTypes */
	if (type && !graphql_type_is_composite(type))
		graphql_v_reportf(v, frag->type_condition_loc,
		                  "Fragment \"%s\" cannot condition on non composite type \"%s\".",
		                  frag->name, frag->type_condition);
	/* UniqueFragmentNames */
	first = graphql_map_put(v->fragment_names, frag->name, (void *) frag);
	if (first)
	{
		GraphqlLocation locs[2] = {first->name_loc, frag->name_loc};

		graphql_v_report(
		    v, graphql_format(v->arena, "There can be only one fragment named \"%s\".", frag->name),
		    2, locs);
	}
	/* NoFragmentCycles (the visited set is shared across the document) */
	if (v->cycle_visited == NULL)
		v->cycle_visited = graphql_map_create(v->arena, 16, false);
	detect_cycles(v, frag, v->cycle_visited, &path, graphql_map_create(v->arena, 16, false));
}

/* getRecursivelyReferencedFragments, in graphql-js order. */
static PtrArray
recursive_fragments(Validator *v, const GraphqlDefinition *op)
{
	PtrArray out = {0};
	PtrArray to_visit = {0};
	GraphqlNameMap *collected = graphql_map_create(v->arena, 16, false);

	graphql_v_ptr_push(v, &to_visit, op->selections);
	while (to_visit.count > 0)
	{
		const PtrArray *spreads = graphql_v_fragment_spreads(v, to_visit.items[--to_visit.count]);
		uint32_t i;

		for (i = 0; i < spreads->count; i++)
		{
			const GraphqlSelection *spread = spreads->items[i];
			const GraphqlDefinition *frag;

			if (graphql_map_put(collected, spread->name, (void *) 1))
				continue;
			frag = graphql_v_fragment(v, spread->name);
			if (frag)
			{
				graphql_v_ptr_push(v, &out, frag);
				graphql_v_ptr_push(v, &to_visit, frag->selections);
			}
		}
	}
	return out;
}

/* isTypeSubTypeOf over resolved type references. */
bool
graphql_v_typeref_subtype(const GraphqlTypeRef *sub, const GraphqlTypeRef *super)
{
	if (super->kind == GRAPHQL_TYPEREF_NON_NULL)
	{
		if (sub->kind == GRAPHQL_TYPEREF_NON_NULL)
			return graphql_v_typeref_subtype(sub->of_type, super->of_type);
		return false;
	}
	if (sub->kind == GRAPHQL_TYPEREF_NON_NULL)
		return graphql_v_typeref_subtype(sub->of_type, super);
	if (super->kind == GRAPHQL_TYPEREF_LIST)
	{
		if (sub->kind == GRAPHQL_TYPEREF_LIST)
			return graphql_v_typeref_subtype(sub->of_type, super->of_type);
		return false;
	}
	if (sub->kind == GRAPHQL_TYPEREF_LIST)
		return false;
	if (sub->type == super->type)
		return true;
	return sub->type && super->type && graphql_type_is_abstract(super->type) &&
	       (sub->type->kind == GRAPHQL_KIND_OBJECT || sub->type->kind == GRAPHQL_KIND_INTERFACE) &&
	       graphql_type_is_subtype(super->type, sub->type);
}

/* allowedVariableUsage (§5.8.5). */
static bool
allowed_usage(const GraphqlVariableDefinition *var, const VariableUsage *u)
{
	if (u->type->kind == GRAPHQL_TYPEREF_NON_NULL && var->type->kind != GRAPHQL_TYPEREF_NON_NULL)
	{
		bool var_default = var->default_value && var->default_value->kind != GRAPHQL_VALUE_NULL;

		if (!var_default && !u->has_location_default)
			return false;
		return graphql_v_typeref_subtype(var->type, u->type->of_type);
	}
	return graphql_v_typeref_subtype(var->type, u->type);
}

/* The three leave-time variable rules of one operation. */
static void
check_operation_variables(Validator *v, DefinitionInfo *info)
{
	const GraphqlDefinition *op = info->def;
	PtrArray frags = recursive_fragments(v, op);
	PtrArray usage_lists = {0};
	GraphqlNameMap *defined = graphql_map_create(v->arena, op->variable_count + 1, false);
	GraphqlNameMap *used = graphql_map_create(v->arena, 16, false);
	GraphqlError **slot = info->anchor;
	const GraphqlVariableDefinition *var;
	uint32_t i;
	uint32_t j;

	for (var = op->variables; var; var = var->next)
		graphql_map_set(defined, var->name, (void *) var); /* last wins, as graphql-js */
	graphql_v_ptr_push(v, &usage_lists, info);
	for (i = 0; i < frags.count; i++)
	{
		DefinitionInfo *fi = graphql_map_get(v->info_by_def, frags.items[i]);

		if (fi)
			graphql_v_ptr_push(v, &usage_lists, fi);
	}
	/* NoUndefinedVariables */
	for (i = 0; i < usage_lists.count; i++)
	{
		const DefinitionInfo *di = usage_lists.items[i];

		for (j = 0; j < di->usage_count; j++)
		{
			const VariableUsage *u = &di->usages[j];

			graphql_map_put(used, u->node->text, (void *) 1);
			if (graphql_map_get(defined, u->node->text) == NULL)
			{
				GraphqlLocation locs[2] = {u->node->loc, op->loc};

				insert_error(v, &slot,
				             op->name ? graphql_format(v->arena,
				                                       "Variable \"$%s\" is not defined by "
				                                       "operation \"%s\".",
				                                       u->node->text, op->name)
				                      : graphql_format(v->arena, "Variable \"$%s\" is not defined.",
				                                       u->node->text),
				             2, locs);
			}
		}
	}
	/* NoUnusedVariables */
	for (var = op->variables; var; var = var->next)
	{
		if (graphql_map_get(used, var->name) == NULL)
			insert_error(
			    v, &slot,
			    op->name ? graphql_format(v->arena,
			                              "Variable \"$%s\" is never used in operation "
			                              "\"%s\".",
			                              var->name, op->name)
			             : graphql_format(v->arena, "Variable \"$%s\" is never used.", var->name),
			    1, &var->loc);
	}
	/* VariablesInAllowedPosition */
	for (i = 0; i < usage_lists.count; i++)
	{
		const DefinitionInfo *di = usage_lists.items[i];

		for (j = 0; j < di->usage_count; j++)
		{
			const VariableUsage *u = &di->usages[j];
			const GraphqlVariableDefinition *vd = graphql_map_get(defined, u->node->text);

			if (vd == NULL || u->type == NULL || graphql_typeref_named(vd->type) == NULL)
				continue;
			if (!allowed_usage(vd, u))
			{
				GraphqlLocation locs[2] = {vd->loc, u->node->loc};

				insert_error(v, &slot,
				             graphql_format(v->arena,
				                            "Variable \"$%s\" of type \"%s\" used in position "
				                            "expecting type \"%s\".",
				                            u->node->text,
				                            graphql_print_typeref(v->arena, vd->type),
				                            graphql_print_typeref(v->arena, u->type)),
				             2, locs);
			}
		}
	}
}

void
graphql_v_finish_document(Validator *v)
{
	PtrArray ops = {0};
	GraphqlNameMap *used = graphql_map_create(v->arena, 16, false);
	const GraphqlDefinition *d;
	uint32_t i;

	for (d = v->doc->definitions; d; d = d->next)
	{
		if (d->kind == GRAPHQL_DEFINITION_OPERATION)
			graphql_v_ptr_push(v, &ops, graphql_map_get(v->info_by_def, d));
	}
	for (i = ops.count; i > 0; i--)
		check_operation_variables(v, (DefinitionInfo *) ops.items[i - 1]);
	if (v->error_count >= v->max_errors)
		graphql_v_report(v, "", 0, NULL); /* appends the abort error and stops */
	/* NoUnusedFragments */
	for (i = 0; i < ops.count; i++)
	{
		const DefinitionInfo *info = ops.items[i];
		PtrArray frags = recursive_fragments(v, info->def);
		uint32_t j;

		for (j = 0; j < frags.count; j++)
			graphql_map_put(used, ((const GraphqlDefinition *) frags.items[j])->name, (void *) 1);
	}
	for (d = v->doc->definitions; d; d = d->next)
	{
		if (d->kind == GRAPHQL_DEFINITION_FRAGMENT && graphql_map_get(used, d->name) == NULL)
			graphql_v_reportf(v, d->loc, "Fragment \"%s\" is never used.", d->name);
	}
}
