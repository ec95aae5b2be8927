/*
 * uphub.h — what every subsystem needs from the core: the init functions
 * _PG_init calls, the shared GUCs, and the preload guard.
 */
#ifndef UPHUB_H
#define UPHUB_H

#include "compat.h"

/* Set by _PG_init when loaded from shared_preload_libraries. */
extern bool uphub_is_preloaded;

/* uphub.database: the database the background workers serve. */
extern char *uphub_database;

/* Raise a clear error unless uphub was preloaded. */
extern void uphub_require_preload(void);

/*
 * Pin search_path for SQL that uphub runs through SPI, so that operators,
 * functions and types in the caller's schemas (public, or anything earlier
 * on the path) never change what that SQL means: CVE-2018-1058 applied to
 * C callers. The path is "pg_catalog, <schemas>, pg_temp" (schemas: a
 * comma-separated identifier list, may be NULL). Returns the GUC nest level
 * to pass to uphub_unpin_search_path(); an error in between unwinds it with
 * the (sub)transaction.
 */
extern int uphub_pin_search_path(const char *schemas);
extern void uphub_unpin_search_path(int nestlevel);
/* The same pin, undone by the end of the subtransaction the caller just began. */
extern void uphub_pin_search_path_in_subxact(const char *schemas);

/* One init function per subsystem; each defines its GUCs, hooks, workers. */
extern void SchemaInit(void);
extern void GqlInit(void);
extern void RbacInit(void);
extern void AggInit(void);
extern void StatsInit(void);

#endif /* UPHUB_H */
