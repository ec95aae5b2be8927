/*
 * persisted.c — automatic persisted queries (the Apollo APQ protocol).
 *
 * extensions: {"persistedQuery": {"version": 1, "sha256Hash": "<64 hex>"}}
 *   with the query text   sha256(text) must equal the hash (else
 *                         "provided sha does not match query",
 *                         BAD_USER_INPUT); the text is stored and run;
 *   without it            the stored text of that hash is run, or the
 *                         request fails with "PersistedQueryNotFound"
 *                         (PERSISTED_QUERY_NOT_FOUND) and the client
 *                         retries with the text.
 *
 * Storage: the table uphub.persisted_query (hash, query, created_at), so
 * every backend shares what any of them registered. Nobody but the owner
 * has rights on it; the caller goes through two SECURITY DEFINER functions
 * (persisted.sql) with a pinned search_path: _graphql_persist_query
 * re-checks the hash and the size (at most uphub.graphql_max_document_bytes
 * here, 1 MB in SQL) and refuses once the table holds 100,000 rows;
 * _graphql_persisted_query reads one text. The rows are content-addressed
 * (the key is the hash of the value), so letting anyone insert lets nobody
 * change what another client's hash means. A read-only transaction (or a
 * standby) runs the query without storing it.
 *
 * The hash is SHA-256 (PostgreSQL's pg_cryptohash) of the text's bytes in
 * the database encoding — UTF-8 in practice, as Apollo clients hash it.
 * Each backend remembers the texts it looked up (hash -> text never
 * changes), up to 1024 of them.
 */
#include "postgres.h"

#include "access/xact.h"
#include "access/xlog.h"
#include "catalog/pg_type.h"
#include "common/cryptohash.h"
#include "common/sha2.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

#include "gql/gql.h"

#define PERSISTED_LOCAL_MAX 1024

typedef struct LocalQuery
{
	char hash[65]; /* hash key: lower-case hex */
	char *query;
} LocalQuery;

static HTAB *local_queries = NULL;
static MemoryContext local_cxt = NULL;
static SPIPlanPtr plan_store = NULL;
static SPIPlanPtr plan_lookup = NULL;

/* A member of a jsonb object, or NULL. */
static JsonbValue *
member(JsonbContainer *object, const char *key)
{
	JsonbValue *v = palloc(sizeof(JsonbValue));

	if (!JsonContainerIsObject(object))
		return NULL;
	return getKeyJsonValueFromContainer(object, key, strlen(key), v);
}

/* Lower-case hex SHA-256 of bytes. */
static void
sha256_hex(const char *data, size_t len, char *hex)
{
	uint8 digest[PG_SHA256_DIGEST_LENGTH];
	pg_cryptohash_ctx *ctx = pg_cryptohash_create(PG_SHA256);

	if (pg_cryptohash_init(ctx) < 0 || pg_cryptohash_update(ctx, (const uint8 *) data, len) < 0 ||
	    pg_cryptohash_final(ctx, digest, sizeof(digest)) < 0)
		elog(ERROR, "could not compute SHA-256: %s", pg_cryptohash_error(ctx));
	pg_cryptohash_free(ctx);
	hex_encode((const char *) digest, sizeof(digest), hex);
	hex[PG_SHA256_DIGEST_LENGTH * 2] = '\0';
}

/* The backend's memory of looked-up texts. */
static HTAB *
local_table(void)
{
	HASHCTL ctl;

	if (local_queries && hash_get_num_entries(local_queries) >= PERSISTED_LOCAL_MAX)
	{
		hash_destroy(local_queries);
		local_queries = NULL;
		MemoryContextReset(local_cxt);
	}
	if (local_queries == NULL)
	{
		if (local_cxt == NULL)
			local_cxt = AllocSetContextCreate(CacheMemoryContext, "uphub graphql persisted",
			                                  ALLOCSET_DEFAULT_SIZES);
		memset(&ctl, 0, sizeof(ctl));
		ctl.keysize = 65;
		ctl.entrysize = sizeof(LocalQuery);
		ctl.hcxt = local_cxt;
		local_queries = hash_create("uphub graphql persisted queries", 64, &ctl,
		                            HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	}
	return local_queries;
}

/* Store a verified text (no-op when already known here, or read-only). */
static void
store(const char *hash, text *query)
{
	Oid types[2] = {TEXTOID, TEXTOID};
	Datum values[2];

	if (local_queries && hash_search(local_queries, hash, HASH_FIND, NULL))
		return;
	if (XactReadOnly || RecoveryInProgress())
		return;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "uphub graphql: SPI_connect failed");
	if (plan_store == NULL)
	{
		SPIPlanPtr plan = SPI_prepare("SELECT uphub._graphql_persist_query($1, $2)", 2, types);

		if (plan == NULL || SPI_keepplan(plan) != 0)
			elog(ERROR, "uphub graphql: could not prepare the persisted query store");
		plan_store = plan;
	}
	values[0] = CStringGetTextDatum(hash);
	values[1] = PointerGetDatum(query);
	if (SPI_execute_plan(plan_store, values, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "uphub graphql: storing a persisted query failed");
	SPI_finish();
}

/* The stored text of a hash, or NULL. */
static text *
lookup(const char *hash, MemoryContext cxt)
{
	Oid types[1] = {TEXTOID};
	Datum values[1];
	LocalQuery *local;
	bool found;
	bool isnull;
	text *result = NULL;
	Datum d;

	local = hash_search(local_table(), hash, HASH_FIND, NULL);
	if (local)
		return cstring_to_text(local->query);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "uphub graphql: SPI_connect failed");
	if (plan_lookup == NULL)
	{
		SPIPlanPtr plan = SPI_prepare("SELECT uphub._graphql_persisted_query($1)", 1, types);

		if (plan == NULL || SPI_keepplan(plan) != 0)
			elog(ERROR, "uphub graphql: could not prepare the persisted query lookup");
		plan_lookup = plan;
	}
	values[0] = CStringGetTextDatum(hash);
	if (SPI_execute_plan(plan_lookup, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "uphub graphql: looking up a persisted query failed");
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (!isnull)
	{
		char *s = TextDatumGetCString(d);

		local = hash_search(local_table(), hash, HASH_ENTER, &found);
		local->query = MemoryContextStrdup(local_cxt, s);
		result = (text *) MemoryContextAlloc(cxt, VARSIZE_ANY(DatumGetPointer(d)));
		memcpy(result, DatumGetPointer(d), VARSIZE_ANY(DatumGetPointer(d)));
	}
	SPI_finish();
	return result;
}

/*
 * Resolve the query text of a request: the given text, verified and stored
 * when it comes with a persistedQuery hash, or the stored text of a hash.
 * False (with a request error) when there is nothing to run.
 */
bool
gql_persisted_resolve(GqlRequest *req, text **query, Jsonb *extensions)
{
	JsonbValue *pq = NULL;
	JsonbValue *version;
	JsonbValue *hash_value;
	char hash[65];
	int i;

	if (extensions && JB_ROOT_IS_OBJECT(extensions))
		pq = member(&extensions->root, "persistedQuery");
	if (pq == NULL || pq->type == jbvNull)
	{
		if (*query == NULL)
		{
			gql_request_error(req, GQL_E_BAD_USER_INPUT,
			                  "GraphQL operations must contain a non-empty `query`.", NULL);
			return false;
		}
		return true;
	}
	if (pq->type != jbvBinary || !JsonContainerIsObject(pq->val.binary.data))
	{
		gql_request_error(req, GQL_E_BAD_USER_INPUT, "extensions.persistedQuery must be an object.",
		                  NULL);
		return false;
	}
	version = member(pq->val.binary.data, "version");
	if (version == NULL || version->type != jbvNumeric ||
	    strcmp(DatumGetCString(
	               DirectFunctionCall1(numeric_out, NumericGetDatum(version->val.numeric))),
	           "1") != 0)
	{
		gql_request_error(req, GQL_E_BAD_USER_INPUT, "Unsupported persisted query version.", NULL);
		return false;
	}
	hash_value = member(pq->val.binary.data, "sha256Hash");
	if (hash_value == NULL || hash_value->type != jbvString || hash_value->val.string.len != 64)
	{
		gql_request_error(req, GQL_E_BAD_USER_INPUT,
		                  "extensions.persistedQuery.sha256Hash must be 64 hexadecimal digits.",
		                  NULL);
		return false;
	}
	for (i = 0; i < 64; i++)
	{
		char c = hash_value->val.string.val[i];

		if (c >= 'A' && c <= 'F')
			c = c - 'A' + 'a';
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
		{
			gql_request_error(req, GQL_E_BAD_USER_INPUT,
			                  "extensions.persistedQuery.sha256Hash must be 64 hexadecimal "
			                  "digits.",
			                  NULL);
			return false;
		}
		hash[i] = c;
	}
	hash[64] = '\0';

	if (*query != NULL)
	{
		char actual[65];

		sha256_hex(VARDATA_ANY(*query), VARSIZE_ANY_EXHDR(*query), actual);
		if (strcmp(actual, hash) != 0)
		{
			gql_request_error(req, GQL_E_BAD_USER_INPUT, "provided sha does not match query", NULL);
			return false;
		}
		/* Too large: not stored; parsing reports the limit. */
		if (VARSIZE_ANY_EXHDR(*query) <= (Size) gql_max_document_bytes)
			store(hash, *query);
		return true;
	}
	*query = lookup(hash, req->cxt);
	if (*query == NULL)
	{
		gql_request_error(req, GQL_E_PERSISTED_QUERY_NOT_FOUND, "PersistedQueryNotFound", NULL);
		return false;
	}
	return true;
}
