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

/* One init function per subsystem; each defines its GUCs, hooks, workers. */
extern void SchemaInit(void);
extern void GqlInit(void);
extern void RbacInit(void);
extern void AggInit(void);
extern void StatsInit(void);

#endif /* UPHUB_H */
