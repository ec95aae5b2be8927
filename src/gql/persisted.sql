-- src/gql/persisted.sql — storage of automatic persisted queries (persisted.c).
--
-- Content-addressed: the key is the SHA-256 (hex) of the text in the
-- database encoding. Nobody but the owner has rights on the table; callers
-- of uphub.graphql() go through the two SECURITY DEFINER functions below,
-- which pin search_path and qualify every name. Storing re-checks the hash,
-- caps one text at 1 MB (uphub.graphql() applies the lower
-- uphub.graphql_max_document_bytes first) and stops at 100,000 rows, so an
-- anonymous client cannot grow the table without bound.

CREATE TABLE uphub.persisted_query (
	hash text PRIMARY KEY CHECK (hash ~ '^[0-9a-f]{64}$'),
	query text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE uphub.persisted_query IS
	'GraphQL documents registered through automatic persisted queries, by SHA-256 of the text.';
COMMENT ON COLUMN uphub.persisted_query.hash IS 'SHA-256 of the text (database encoding), lower-case hex.';
COMMENT ON COLUMN uphub.persisted_query.query IS 'The GraphQL document.';
COMMENT ON COLUMN uphub.persisted_query.created_at IS 'When it was first registered.';
REVOKE ALL ON uphub.persisted_query FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('uphub.persisted_query', '');

CREATE FUNCTION uphub._graphql_persist_query(hash text, query text) RETURNS void
	LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
	INSERT INTO uphub.persisted_query (hash, query)
	SELECT $1, $2
	WHERE $1 OPERATOR(pg_catalog.=) pg_catalog.encode(pg_catalog.sha256(
	          pg_catalog.convert_to($2, pg_catalog.getdatabaseencoding())), 'hex')
	  AND pg_catalog.octet_length($2) OPERATOR(pg_catalog.<=) 1048576
	  AND (SELECT pg_catalog.count(*) FROM uphub.persisted_query) OPERATOR(pg_catalog.<) 100000
	ON CONFLICT DO NOTHING
$$;
COMMENT ON FUNCTION uphub._graphql_persist_query(text, text) IS
	'Store a persisted GraphQL query whose hash matches its text (used by uphub.graphql()).';
GRANT EXECUTE ON FUNCTION uphub._graphql_persist_query(text, text) TO PUBLIC;

CREATE FUNCTION uphub._graphql_persisted_query(hash text) RETURNS text
	LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
	AS $$
	SELECT q.query FROM uphub.persisted_query q WHERE q.hash OPERATOR(pg_catalog.=) $1
$$;
COMMENT ON FUNCTION uphub._graphql_persisted_query(text) IS
	'The text of a persisted GraphQL query, or NULL (used by uphub.graphql()).';
GRANT EXECUTE ON FUNCTION uphub._graphql_persisted_query(text) TO PUBLIC;

CREATE FUNCTION uphub._graphql_cache_entries(OUT documents integer, OUT plans integer)
	LANGUAGE c VOLATILE PARALLEL RESTRICTED
	AS 'MODULE_PATHNAME', 'uphub_graphql_cache_entries';
COMMENT ON FUNCTION uphub._graphql_cache_entries() IS
	'Documents and prepared plans the GraphQL plan cache of this backend holds (for tests).';
