-- Introspection: __typename, __type and __schema answered from the
-- reflected schema, with descriptions from SQL comments (directives
-- stripped), wrapped types, arguments with defaults, enum values,
-- directives; off when uphub.graphql_introspection is off. The whole
-- standard graphql-js query is exercised by test/checks/gql_graphql_js.sh.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
BEGIN;
CREATE SCHEMA gql_i;
CREATE TABLE gql_i.shelf (id integer PRIMARY KEY, label text NOT NULL, tags text[]);
COMMENT ON TABLE gql_i.shelf IS 'Shelves in the store.';
COMMENT ON COLUMN gql_i.shelf.label IS '@graphql({"name": "title"}) What is written on the shelf.';
CREATE TABLE gql_i.book (isbn text PRIMARY KEY, shelf_id integer NOT NULL REFERENCES gql_i.shelf (id), pages integer, code text UNIQUE);
COMMENT ON CONSTRAINT book_shelf_id_fkey ON gql_i.book IS '@graphql({"local_name": "home", "foreign_name": "volumes"}) Where the book stands.';
SET LOCAL uphub.graphql_schemas = 'gql_i';

SELECT uphub.graphql('{ __typename }');
SELECT jsonb_pretty(uphub.graphql($$
{
  __type(name: "Shelf") {
    kind name description
    fields { name description args { name defaultValue type { name } } type { kind name ofType { kind name ofType { kind name } } } }
  }
}
$$));
SELECT jsonb_pretty(uphub.graphql('{ __type(name: "Book") { fields { name description type { name kind } } } }'));
SELECT jsonb_pretty(uphub.graphql('{ q: __schema { queryType { name fields { name args { name type { kind name ofType { name } } } } } mutationType { name } } }'));
SELECT uphub.graphql('{ __type(name: "OrderByDirection") { kind enumValues { name description } } }');
SELECT uphub.graphql('{ __type(name: "IntFilter") { kind inputFields { name type { kind name ofType { kind name ofType { name } } } } } }');
SELECT uphub.graphql('{ __type(name: "Datetime") { kind specifiedByURL description } nope: __type(name: "Nope") { name } }');
SELECT uphub.graphql('{ __schema { description directives { name isRepeatable locations args { name type { kind ofType { name } } } } } }');
-- Type names of the whole schema.
SELECT string_agg(t ->> 'name', ' ' ORDER BY t ->> 'name')
FROM jsonb_array_elements(uphub.graphql('{ __schema { types { name } } }') #> '{data,__schema,types}') AS t;
-- __typename inside data and introspection objects, and aliases.
SELECT uphub.graphql('{ shelfs(first: 1) { __typename edges { __typename } pageInfo { __typename } } t: __type(name: "Book") { __typename k: kind } }');

-- Off: __schema and __type read as unknown fields; __typename still works.
SET LOCAL uphub.graphql_introspection = off;
SELECT uphub.graphql('{ __schema { queryType { name } } }');
SELECT uphub.graphql('{ __type(name: "Shelf") { name } }');
SELECT uphub.graphql('{ __typename }');
ROLLBACK;
