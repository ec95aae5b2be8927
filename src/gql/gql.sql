-- src/gql/gql.sql — uphub.graphql() and what keeps its reflected schema current.
--
-- * uphub.graphql(): the GraphQL endpoint, SECURITY INVOKER (the caller's
--   privileges and row-level security apply).
-- * The event trigger uphub_gql_schema_changed bumps a shared-memory
--   version after any DDL, GRANT/REVOKE or COMMENT, so every backend
--   reflects the catalog again (src/gql/reflect.c).
-- * Of the extension's own tables, only those whose comment carries a
--   directive are reflected: the data model below opts in, internal tables
--   and views (stats, RBAC catalogs) stay out.
-- * Comment directives name uphub's own relations as API.md lists them
--   ("uphub's own surface"). They are prepended to the existing table
--   comments, whose text stays the description. A relation entry names the
--   fields of a declared foreign key with the same columns, or declares a
--   virtual relation when there is none, so the names survive foreign keys
--   being added or dropped. "lookup": false leaves out the root lookup
--   fields of aggregate and snapshot tables, "collection": false the root
--   collection of video_staff (reached through Video.staff), "mutations":
--   false the insert/update/delete fields of the aggregate tables, which
--   only the refresh worker writes.

CREATE FUNCTION uphub.graphql(query text, variables jsonb DEFAULT NULL,
                              operation_name text DEFAULT NULL, extensions jsonb DEFAULT NULL)
	RETURNS jsonb
	LANGUAGE c VOLATILE PARALLEL UNSAFE
	AS 'MODULE_PATHNAME', 'uphub_graphql';
COMMENT ON FUNCTION uphub.graphql(text, jsonb, text, jsonb) IS
	'Answer a GraphQL request as the calling role; returns the response envelope {data, errors}.';
GRANT EXECUTE ON FUNCTION uphub.graphql(text, jsonb, text, jsonb) TO PUBLIC;

CREATE FUNCTION uphub._gql_schema_changed() RETURNS event_trigger
	LANGUAGE c
	AS 'MODULE_PATHNAME', 'uphub_gql_schema_changed';
COMMENT ON FUNCTION uphub._gql_schema_changed() IS
	'Event trigger: the catalog changed, every backend re-reflects its GraphQL schema.';

CREATE EVENT TRIGGER uphub_gql_ddl ON ddl_command_end
	EXECUTE FUNCTION uphub._gql_schema_changed();
CREATE EVENT TRIGGER uphub_gql_drop ON sql_drop
	EXECUTE FUNCTION uphub._gql_schema_changed();

DO $$
DECLARE
	d record;
	old text;
BEGIN
	FOR d IN SELECT * FROM (VALUES
		('partition', '{"relations": [{"columns": ["parent_tid"], "references": "partition", "name": "parent", "foreign_name": "children"}]}'),
		('mcn', '{}'),
		('creator', '{"relations": [{"columns": ["main_tid"], "references": "partition", "name": "partition", "foreign_name": "creators"}, {"columns": ["mcn_id"], "references": "mcn", "name": "mcn", "foreign_name": "creators"}]}'),
		('video', '{"relations": [{"columns": ["mid"], "references": "creator", "name": "creator", "foreign_name": "videos"}, {"columns": ["tid"], "references": "partition", "name": "partition", "foreign_name": false}]}'),
		('video_staff', '{"lookup": false, "collection": false, "relations": [{"columns": ["aid"], "references": "video", "name": "video", "foreign_name": "staff"}]}'),
		('creator_summary', '{"lookup": false, "mutations": false, "relations": [{"columns": ["mid"], "references": "creator", "name": "creator", "foreign_name": "summary"}]}'),
		('creator_daily', '{"lookup": false, "mutations": false, "relations": [{"columns": ["mid"], "references": "creator", "name": "creator", "foreign_name": "daily"}]}'),
		('creator_snapshot', '{"lookup": false, "relations": [{"columns": ["mid"], "references": "creator", "name": "creator", "foreign_name": "snapshots"}]}'),
		('creator_revenue_daily', '{"lookup": false, "relations": [{"columns": ["mid"], "references": "creator", "name": "creator", "foreign_name": "revenue"}]}'),
		('video_daily', '{"lookup": false, "mutations": false, "relations": [{"columns": ["aid"], "references": "video", "name": "video", "foreign_name": "daily"}]}'),
		('video_snapshot', '{"lookup": false, "relations": [{"columns": ["aid"], "references": "video", "name": "video", "foreign_name": "snapshots"}]}'),
		('partition_daily', '{"lookup": false, "mutations": false, "relations": [{"columns": ["tid"], "references": "partition", "name": "partition", "foreign_name": "daily"}]}'),
		('mcn_daily', '{"lookup": false, "mutations": false, "relations": [{"columns": ["mcn_id"], "references": "mcn", "name": "mcn", "foreign_name": "daily"}]}')
	) AS v(rel, directive)
	LOOP
		old := pg_catalog.obj_description(pg_catalog.to_regclass('uphub.' || d.rel), 'pg_class');
		EXECUTE pg_catalog.format('COMMENT ON TABLE uphub.%I IS %L', d.rel,
			'@graphql(' || d.directive || ')' || coalesce(' ' || old, ''));
	END LOOP;
END;
$$;
