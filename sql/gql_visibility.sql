-- The schema as each principal's active roles see it (src/gql/visibility.c):
-- a table's types need its read permission in some scope (creator.read,
-- video.read, stats.read, revenue.read), aggregates need stats.read; a
-- hidden type or field is absent from introspection and reads exactly like
-- one that does not exist. Rows outside the scopes are absent (RLS).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
BEGIN;
INSERT INTO uphub.partition VALUES (901, NULL, 'vis');
INSERT INTO uphub.creator (mid, name, main_tid) VALUES (9901, 'own', 901), (9902, 'other', 901);
INSERT INTO uphub.creator_revenue_daily (mid, day, elec) VALUES (9901, '2024-01-01', 5), (9902, '2024-01-01', 7);
INSERT INTO uphub.creator_summary (mid, follower) VALUES (9901, 10), (9902, 20);
CREATE ROLE gv_analyst; CREATE ROLE gv_creator; CREATE ROLE gv_reader; CREATE ROLE gv_nobody;
SELECT uphub.add_principal('gv_analyst', 'gv_analyst') > 0 AS added;
SELECT uphub.add_principal('gv_creator', 'gv_creator', 9901) > 0 AS added;
SELECT uphub.add_principal('gv_reader', 'gv_reader') > 0 AS added;
SELECT uphub.assign_role('gv_analyst', 'analyst');
SELECT uphub.assign_role('gv_creator', 'creator', 'creator', 9901);
-- A custom role without stats.read.
SELECT uphub.add_role('gv_profiles', 'profiles only');
SELECT uphub.grant_permission('gv_profiles', 'creator.read');
SELECT uphub.grant_permission('gv_profiles', 'video.read');
SELECT uphub.assign_role('gv_reader', 'gv_profiles');

-- The whole schema of the superuser (implicit admin), then what each one misses.
CREATE TEMP TABLE all_types AS
SELECT t ->> 'name' AS name
FROM jsonb_array_elements(uphub.graphql('{ __schema { types { name } } }') #> '{data,__schema,types}') t;
GRANT SELECT ON all_types TO PUBLIC;
CREATE FUNCTION pg_temp.hidden_types() RETURNS text LANGUAGE sql AS $$
	SELECT coalesce(string_agg(name, ' ' ORDER BY name), '(none)') FROM all_types
	WHERE name NOT IN (SELECT t ->> 'name'
		FROM jsonb_array_elements(uphub.graphql('{ __schema { types { name } } }') #> '{data,__schema,types}') t)
$$;
CREATE FUNCTION pg_temp.fields(type text) RETURNS text LANGUAGE sql AS $$
	SELECT coalesce(string_agg(f ->> 'name', ' '), '(type hidden)')
	FROM jsonb_array_elements(uphub.graphql('query($n: String!) { __type(name: $n) { fields { name } inputFields { name } } }',
		jsonb_build_object('n', type)) #> '{data,__type}' -> coalesce(
		CASE WHEN uphub.graphql('query($n: String!) { __type(name: $n) { kind } }', jsonb_build_object('n', type)) #>> '{data,__type,kind}' = 'INPUT_OBJECT'
		THEN 'inputFields' END, 'fields')) f
$$;
SELECT pg_temp.hidden_types() AS superuser_misses;

SET LOCAL ROLE gv_analyst;
SELECT pg_temp.hidden_types() AS analyst_misses;
SELECT pg_temp.fields('Creator') AS creator_fields, pg_temp.fields('CreatorFilter') AS creator_filter;
RESET ROLE;
SET LOCAL ROLE gv_creator;
SELECT pg_temp.hidden_types() AS creator_misses;
SELECT pg_temp.fields('Creator') AS creator_fields;
RESET ROLE;
SET LOCAL ROLE gv_reader;
SELECT pg_temp.hidden_types() AS reader_misses;
SELECT pg_temp.fields('Creator') AS creator_fields, pg_temp.fields('CreatorOrderBy') AS creator_order_by;
SELECT pg_temp.fields('Query') AS query_fields;
RESET ROLE;
SET LOCAL ROLE gv_nobody;
SELECT pg_temp.fields('Query') AS query_fields;
RESET ROLE;

-- Querying a hidden field reads exactly like querying one that does not exist.
SET LOCAL ROLE gv_analyst;
SELECT uphub.graphql('{ creator(mid: 9901) { revenue { totalCount } } }');
SELECT uphub.graphql('{ creator(mid: 9901) { revenux { totalCount } } }');
SELECT uphub.graphql('{ creatorRevenueDailies { totalCount } }');
SELECT uphub.graphql('{ creatorRevenueDailiez { totalCount } }');
SELECT replace(uphub.graphql('{ creator(mid: 9901) { revenue { totalCount } } }')::text, 'revenue', 'X')
	= replace(uphub.graphql('{ creator(mid: 9901) { nosuchfield { totalCount } } }')::text, 'nosuchfield', 'X') AS same_error;
-- No suggestion names a hidden field (the superuser gets one).
SELECT uphub.graphql('{ creator(mid: 9901) { revenu } }');
SELECT uphub.graphql('{ __type(name: "CreatorRevenueDaily") { name } }');
SELECT uphub.graphql('query($f: CreatorRevenueDailyFilter) { creators { totalCount } }');
-- Hidden input fields, in literals and in variables.
SELECT uphub.graphql('{ creators(filter: {revenue: {some: {elec: {gt: 0}}}}) { totalCount } }');
SELECT uphub.graphql('query($f: CreatorFilter) { creators(filter: $f) { totalCount } }',
	'{"f": {"revenue": {"some": {"elec": {"gt": 0}}}}}');
RESET ROLE;
SELECT uphub.graphql('{ creator(mid: 9901) { revenu } }');

-- The creator (revenue.read in its own scope) sees the field, and only its rows.
SET LOCAL ROLE gv_creator;
SELECT uphub.graphql('{ creators { nodes { mid revenue { nodes { elec } } summary { follower } } } }');
SELECT uphub.graphql('{ creatorRevenueDailies { nodes { mid elec } } }');
RESET ROLE;
-- With revenue.read the analyst sees it too, everywhere.
SELECT uphub.grant_permission('analyst', 'revenue.read');
SET LOCAL ROLE gv_analyst;
SELECT uphub.graphql('{ creators { nodes { mid revenue { nodes { elec } } } } }');
RESET ROLE;
-- Without stats.read: no summary, no stats types.
SET LOCAL ROLE gv_reader;
SELECT uphub.graphql('{ creators { nodes { mid summary { follower } } } }');
SELECT uphub.graphql('{ creators(orderBy: [{summary: {follower: DESC}}]) { totalCount } }');
SELECT uphub.graphql('{ creators { nodes { mid name } } }');
RESET ROLE;
-- The active roles decide: a session without the creator role sees nothing of it.
SELECT uphub.act_as('gv_creator');
SELECT uphub.create_session(ARRAY[]::text[]);
SELECT uphub.graphql('{ __type(name: "Creator") { name } me { activeRoles } }');
SELECT uphub.add_active_role('creator');
SELECT uphub.graphql('{ __type(name: "Creator") { name } me { activeRoles } }');
SELECT uphub.act_as(NULL);
ROLLBACK;
