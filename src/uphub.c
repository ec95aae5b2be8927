/*
 * uphub.c — module entry point.
 *
 * _PG_init only hands over to one init function per subsystem; each of them
 * defines its GUCs, requests its shared memory, installs its hooks and
 * registers its background workers. Nothing else happens here.
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/guc.h"

#include "uphub.h"

PG_MODULE_MAGIC;

void _PG_init(void);

bool uphub_is_preloaded = false;

/* Set up every subsystem; see each subsystem's README for what it registers. */
void
_PG_init(void)
{
	uphub_is_preloaded = process_shared_preload_libraries_in_progress;

	SchemaInit();
	GqlInit();
	RbacInit();
	AggInit();
	StatsInit();

	/* Last: every uphub.* GUC is defined now, so a misspelt one is reported. */
	MarkGUCPrefixReserved("uphub");
}
