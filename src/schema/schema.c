/*
 * schema.c — core helpers shared by every subsystem.
 *
 * Owns the GUC uphub.database (the database the background workers of the
 * other subsystems serve) and the preload guard. The install script calls
 * uphub._require_preload() before creating anything, so CREATE EXTENSION
 * fails with a hint, instead of half-working, when uphub is not in
 * shared_preload_libraries: shared memory, hooks and workers only exist
 * when the library is loaded by the postmaster.
 */
#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "nodes/pg_list.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/varlena.h"

#include "errors.h"
#include "uphub.h"

char *uphub_database = NULL;

PG_FUNCTION_INFO_V1(uphub_require_preload_sql);

/* Define the core GUCs; the workers read uphub.database at start. */
void
SchemaInit(void)
{
	/* Postmaster-level settings can only be defined while preloading. */
	if (!uphub_is_preloaded)
		return;

	DefineCustomStringVariable("uphub.database", "Database that uphub's background workers serve.",
	                           "The aggregate worker and the metrics exporter connect to "
	                           "this database; uphub must be installed there.",
	                           &uphub_database, "postgres", PGC_POSTMASTER, 0, NULL, NULL, NULL);
}

/* Refuse to run a feature that needs what only preloading provides. */
void
uphub_require_preload(void)
{
	if (!uphub_is_preloaded)
		ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
		                errmsg("uphub must be loaded via shared_preload_libraries"),
		                errdetail("uphub uses shared memory, hooks and background workers, which "
		                          "exist only when the server loads it at start."),
		                errhint("Add 'uphub' to shared_preload_libraries in postgresql.conf and "
		                        "restart the server.")));
}

/* SQL entry point of the preload guard, called first by the install script. */
Datum
uphub_require_preload_sql(PG_FUNCTION_ARGS)
{
	uphub_require_preload();
	PG_RETURN_VOID();
}

/*
 * The search_path value for a schema list: "pg_catalog, <schemas>, pg_temp".
 * The last one is kept (in TopMemoryContext), so a request pinning the
 * same list as the one before builds no string.
 */
static const char *
pinned_path_for(const char *schemas)
{
	static char *last_schemas = NULL; /* "" stands for NULL */
	static char *last_path = NULL;
	const char *key = schemas ? schemas : "";
	StringInfoData path;
	List *names = NIL;
	ListCell *lc;

	if (last_path != NULL && strcmp(last_schemas, key) == 0)
		return last_path;
	initStringInfo(&path);
	appendStringInfoString(&path, "pg_catalog");
	if (schemas != NULL && SplitIdentifierString(pstrdup(schemas), ',', &names))
	{
		foreach (lc, names)
		{
			const char *name = (const char *) lfirst(lc);

			if (strcmp(name, "pg_catalog") != 0 && strcmp(name, "pg_temp") != 0)
				appendStringInfo(&path, ", %s", quote_identifier(name));
		}
	}
	appendStringInfoString(&path, ", pg_temp");
	if (last_path != NULL)
	{
		pfree(last_path);
		pfree(last_schemas);
		last_path = NULL;
	}
	last_schemas = MemoryContextStrdup(TopMemoryContext, key);
	last_path = MemoryContextStrdup(TopMemoryContext, path.data);
	pfree(path.data);
	return last_path;
}

/* Pin search_path to pg_catalog, the given schemas, pg_temp; see uphub.h. */
int
uphub_pin_search_path(const char *schemas)
{
	int nestlevel = NewGUCNestLevel();

	(void) set_config_option("search_path", pinned_path_for(schemas), PGC_USERSET, PGC_S_SESSION,
	                         GUC_ACTION_SAVE, true, 0, false);
	return nestlevel;
}

/*
 * Pin search_path until the end of the current GUC nest level: right after
 * BeginInternalSubTransaction(), the end of that subtransaction (release or
 * rollback) restores the caller's path, in the one GUC pass it makes anyway.
 */
void
uphub_pin_search_path_in_subxact(const char *schemas)
{
	(void) set_config_option("search_path", pinned_path_for(schemas), PGC_USERSET, PGC_S_SESSION,
	                         GUC_ACTION_SAVE, true, 0, false);
}

/* Restore the search_path that uphub_pin_search_path() replaced. */
void
uphub_unpin_search_path(int nestlevel)
{
	AtEOXact_GUC(true, nestlevel);
}
