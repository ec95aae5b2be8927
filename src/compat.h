/*
 * compat.h — the one place for PostgreSQL version differences.
 *
 * uphub targets PostgreSQL 15. Everything that differs between major
 * versions goes behind PG_VERSION_NUM here, so 16 and 17 are a small step.
 */
#ifndef UPHUB_COMPAT_H
#define UPHUB_COMPAT_H

#include "postgres.h"

#if PG_VERSION_NUM < 150000
#error "uphub requires PostgreSQL 15 or later"
#endif

/*
 * shmem_request_hook appeared in 15; before it, RequestAddinShmemSpace was
 * called directly from _PG_init.
 */
#define UPHUB_HAS_SHMEM_REQUEST_HOOK (PG_VERSION_NUM >= 150000)

#endif /* UPHUB_COMPAT_H */
