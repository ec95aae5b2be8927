/*
 * session.c — who this session is, and its NIST session (active roles).
 *
 * Identity: the outer role (GetOuterUserId: the session user, or the role of
 * SET ROLE; unlike current_user it does not change inside SECURITY DEFINER
 * functions, so uphub's own definer functions see their caller), mapped
 * through uphub.principal.pg_role. A member of uphub_gateway may replace it
 * with act_as(principal). Nothing is read from a GUC.
 *
 * The state lives in this backend's memory and is bound to the outer role
 * it was made for: when the outer role differs (SET ROLE, RESET ROLE, SET
 * SESSION AUTHORIZATION), the state is reset — act_as ends and the active
 * role set returns to the default.
 *
 * Changes are transactional: before the first change at a (sub)transaction
 * nesting level the previous state is pushed on an undo stack; abort of
 * that level restores it, commit of a subtransaction hands the entry to the
 * parent, top-level commit drops the stack. So a rolled-back act_as (or
 * create_session) changes nothing, as a rolled-back SET ROLE does not.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "errors.h"
#include "rbac.h"

typedef struct RbacUndo
{
	int nest_level;
	RbacSessionState saved;
} RbacUndo;

static RbacSessionState state = {InvalidOid};
static uint64 version_counter = 0;
static List *undo_stack = NIL; /* newest first, in TopMemoryContext */
static SPIPlanPtr plan_principal_by_name = NULL;

PG_FUNCTION_INFO_V1(rbac_act_as);
PG_FUNCTION_INFO_V1(rbac_set_session);
PG_FUNCTION_INFO_V1(rbac_session_active);

/* The state for the current outer role; a different role starts afresh. */
RbacSessionState *
rbac_session_state(void)
{
	Oid outer = GetOuterUserId();

	if (unlikely(state.outer_role != outer))
	{
		state.outer_role = outer;
		state.acting = 0;
		state.has_session = false;
		state.session_principal = 0;
		state.n_active = 0;
		state.version = ++version_counter;
	}
	return &state;
}

/* Remember the state before the first change at this nesting level. */
static void
session_save(void)
{
	int level = GetCurrentTransactionNestLevel();
	RbacUndo *head = undo_stack != NIL ? (RbacUndo *) linitial(undo_stack) : NULL;
	MemoryContext old;
	RbacUndo *u;

	if (head != NULL && head->nest_level >= level)
		return;
	old = MemoryContextSwitchTo(TopMemoryContext);
	u = palloc(sizeof(RbacUndo));
	u->nest_level = level;
	u->saved = state;
	undo_stack = lcons(u, undo_stack);
	MemoryContextSwitchTo(old);
}

/* Drop the undo stack, optionally restoring its oldest entry first. */
static void
session_finish(bool restore)
{
	if (undo_stack == NIL)
		return;
	if (restore)
	{
		state = ((RbacUndo *) llast(undo_stack))->saved;
		state.version = ++version_counter;
	}
	list_free_deep(undo_stack);
	undo_stack = NIL;
}

/* Top-level end: keep (commit) or undo (abort) the transaction's changes. */
void
rbac_session_xact_event(XactEvent event)
{
	switch (event)
	{
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_PREPARE:
			session_finish(false);
			break;
		case XACT_EVENT_ABORT:
			session_finish(true);
			break;
		default:
			break;
	}
}

/* Subtransaction end: undo on abort, hand the entry to the parent on commit. */
void
rbac_session_subxact_event(SubXactEvent event)
{
	int level = GetCurrentTransactionNestLevel();

	if (event == SUBXACT_EVENT_ABORT_SUB)
	{
		bool restore = false;
		RbacSessionState saved;

		while (undo_stack != NIL && ((RbacUndo *) linitial(undo_stack))->nest_level >= level)
		{
			RbacUndo *u = linitial(undo_stack);

			saved = u->saved;
			restore = true;
			undo_stack = list_delete_first(undo_stack);
			pfree(u);
		}
		if (restore)
		{
			state = saved;
			state.version = ++version_counter;
		}
	}
	else if (event == SUBXACT_EVENT_COMMIT_SUB && undo_stack != NIL)
	{
		RbacUndo *head = linitial(undo_stack);

		if (head->nest_level == level)
		{
			if (list_length(undo_stack) > 1 &&
			    ((RbacUndo *) lsecond(undo_stack))->nest_level == level - 1)
			{
				undo_stack = list_delete_first(undo_stack);
				pfree(head);
			}
			else
				head->nest_level = level - 1;
		}
	}
}

/* Principal id by name, or 0 when there is none. */
static int64
principal_by_name(const char *name)
{
	Oid types[1] = {TEXTOID};
	Datum values[1];
	int64 id = 0;
	bool isnull;
	RbacPrivileged priv;

	values[0] = CStringGetTextDatum(name);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	rbac_privileged_begin(&priv);
	rbac_spi_run(&plan_principal_by_name,
	             "SELECT p.principal_id FROM uphub.principal p "
	             "WHERE p.name OPERATOR(pg_catalog.=) $1",
	             1, types, values, NULL, true);
	if (SPI_processed == 1)
		id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	rbac_privileged_end(&priv);
	SPI_finish();
	return id;
}

/*
 * act_as(principal): a trusted gateway acts for a principal until
 * act_as(NULL), a change of role, or the end of the session. Audited.
 */
Datum
rbac_act_as(PG_FUNCTION_ARGS)
{
	char *target = PG_ARGISNULL(0) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(0));
	Oid gateway;
	int64 id = 0;

	rbac_require_shmem();
	gateway = get_role_oid("uphub_gateway", true);
	if (!OidIsValid(gateway) || !is_member_of_role(GetOuterUserId(), gateway))
	{
		rbac_audit_denial("act_as", target,
		                  "Only members of uphub_gateway may act as another principal.");
		ereport(ERROR,
		        (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
		         errmsg("permission denied to act as another principal"),
		         errdetail("Only members of the role uphub_gateway may call act_as."),
		         errhint("A trusted application server is granted uphub_gateway; the session "
		                 "is otherwise the principal mapped to its PostgreSQL role.")));
	}
	if (target != NULL)
	{
		id = principal_by_name(target);
		if (id == 0)
			ereport(ERROR, (errcode(ERRCODE_UPHUB_RBAC_UNKNOWN_OBJECT),
			                errmsg("principal \"%s\" does not exist", target)));
	}

	/* Audit as the gateway itself, then switch. */
	rbac_audit_allowed("act_as", target, target ? "acting as the principal" : "acting ended");
	(void) rbac_session_state();
	session_save();
	state.acting = id;
	state.has_session = false;
	state.session_principal = 0;
	state.n_active = 0;
	state.version = ++version_counter;
	PG_RETURN_VOID();
}

/* Set the active role set of the current principal (validated by the SQL caller). */
Datum
rbac_set_session(PG_FUNCTION_ARGS)
{
	int64 principal = PG_GETARG_INT64(0);
	ArrayType *ids = PG_GETARG_ARRAYTYPE_P(1);
	Datum *elems;
	bool *nulls;
	int n;
	int i;

	if (rbac_cache_principal() != principal || principal <= 0)
		ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
		                errmsg("a session's active roles belong to its own principal")));
	deconstruct_array(ids, INT4OID, 4, true, TYPALIGN_INT, &elems, &nulls, &n);
	if (n > RBAC_MAX_ACTIVE)
		ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
		                errmsg("at most %d roles can be active in one session", RBAC_MAX_ACTIVE)));
	session_save();
	state.has_session = true;
	state.session_principal = principal;
	state.n_active = 0;
	for (i = 0; i < n; i++)
		if (!nulls[i])
			state.active[state.n_active++] = DatumGetInt32(elems[i]);
	state.version = ++version_counter;
	PG_RETURN_VOID();
}

/* Active role ids of the session; NULL when the default set applies. */
Datum
rbac_session_active(PG_FUNCTION_ARGS)
{
	int64 principal = rbac_cache_principal();
	Datum *elems;
	int i;

	if (principal <= 0 || !state.has_session || state.session_principal != principal)
		PG_RETURN_NULL();
	elems = palloc(sizeof(Datum) * Max(state.n_active, 1));
	for (i = 0; i < state.n_active; i++)
		elems[i] = Int32GetDatum(state.active[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, state.n_active, INT4OID, 4, true, TYPALIGN_INT));
}
