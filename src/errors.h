/*
 * errors.h — uphub's own SQLSTATE class "UH".
 *
 * PostgreSQL's standard codes are used wherever one fits (permission failures
 * are ERRCODE_INSUFFICIENT_PRIVILEGE, bad arguments ERRCODE_INVALID_PARAMETER_VALUE,
 * and so on). The codes below name conditions that only uphub has, so clients
 * can tell them apart without parsing messages. Class UH is not used by
 * PostgreSQL (like TimescaleDB's class TS).
 */
#ifndef UPHUB_ERRORS_H
#define UPHUB_ERRORS_H

#include "utils/elog.h"

/* UH000: generic uphub failure that no more specific code describes */
#define ERRCODE_UPHUB_INTERNAL MAKE_SQLSTATE('U', 'H', '0', '0', '0')
/* UH001: uphub was not loaded through shared_preload_libraries */
#define ERRCODE_UPHUB_NOT_PRELOADED MAKE_SQLSTATE('U', 'H', '0', '0', '1')

/* UH1xx: RBAC */
#define ERRCODE_UPHUB_RBAC_UNKNOWN_OBJECT  MAKE_SQLSTATE('U', 'H', '1', '0', '0')
#define ERRCODE_UPHUB_RBAC_DUPLICATE       MAKE_SQLSTATE('U', 'H', '1', '0', '1')
#define ERRCODE_UPHUB_RBAC_NOT_ASSIGNED    MAKE_SQLSTATE('U', 'H', '1', '0', '2')
#define ERRCODE_UPHUB_RBAC_SSD_VIOLATION   MAKE_SQLSTATE('U', 'H', '1', '0', '3')
#define ERRCODE_UPHUB_RBAC_DSD_VIOLATION   MAKE_SQLSTATE('U', 'H', '1', '0', '4')
#define ERRCODE_UPHUB_RBAC_CYCLE           MAKE_SQLSTATE('U', 'H', '1', '0', '5')
#define ERRCODE_UPHUB_RBAC_BAD_CARDINALITY MAKE_SQLSTATE('U', 'H', '1', '0', '6')

/* UH2xx: aggregates */
#define ERRCODE_UPHUB_AGG_BUSY MAKE_SQLSTATE('U', 'H', '2', '0', '0')

/* UH3xx: GraphQL (reported inside the response, rarely raised) */
#define ERRCODE_UPHUB_GRAPHQL             MAKE_SQLSTATE('U', 'H', '3', '0', '0')
#define ERRCODE_UPHUB_GRAPHQL_TOO_COMPLEX MAKE_SQLSTATE('U', 'H', '3', '0', '1')
/* UH302: a GraphQL argument value that cannot be used (reported as BAD_USER_INPUT) */
#define ERRCODE_UPHUB_GRAPHQL_BAD_INPUT MAKE_SQLSTATE('U', 'H', '3', '0', '2')

/* UH4xx: stats */
#define ERRCODE_UPHUB_STATS MAKE_SQLSTATE('U', 'H', '4', '0', '0')

#endif /* UPHUB_ERRORS_H */
