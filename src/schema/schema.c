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
#include "utils/guc.h"

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
