-- The schema per role: tables and columns the calling role may not SELECT
-- are absent (read like fields that do not exist), relations need both
-- ends visible; SET ROLE switches schema; row-level security applies.
-- The per-backend cache follows DDL, GRANT/REVOKE and COMMENT at once,
-- inside the transaction that made them and after its rollback.
-- Comment directives rename types, fields and relations, omit tables and
-- columns, and declare primary keys of views and virtual relations.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
BEGIN;
CREATE SCHEMA gql_r;
CREATE TABLE gql_r.team (id integer PRIMARY KEY, name text, budget numeric);
CREATE TABLE gql_r.member (id integer PRIMARY KEY, team_id integer REFERENCES gql_r.team (id), login text, salary integer);
INSERT INTO gql_r.team VALUES (1, 'red', 100), (2, 'blue', 200);
INSERT INTO gql_r.member VALUES (1, 1, 'ann', 10), (2, 1, 'ben', 20), (3, 2, 'cat', 30);
CREATE ROLE gql_r_reader;
GRANT USAGE ON SCHEMA gql_r TO gql_r_reader;
GRANT SELECT (id, name) ON gql_r.team TO gql_r_reader;
GRANT SELECT (id, login, team_id) ON gql_r.member TO gql_r_reader;
SET LOCAL uphub.graphql_schemas = 'gql_r';

-- As the owner: everything.
SELECT uphub.graphql('{ __type(name: "Member") { fields { name } } }');
-- As the reader: no salary, no budget; the relation is there (team_id, id visible on both sides).
SET LOCAL ROLE gql_r_reader;
SELECT uphub.graphql('{ __type(name: "Member") { fields { name } } t: __type(name: "Team") { fields { name } } }');
SELECT uphub.graphql('{ members { nodes { login team { name } } } }');
SELECT uphub.graphql('{ members { nodes { salary } } }');
SELECT uphub.graphql('{ teams(filter: {budget: {gt: 1}}) { totalCount } }');
RESET ROLE;
-- Row-level security of the caller applies.
ALTER TABLE gql_r.member ENABLE ROW LEVEL SECURITY;
CREATE POLICY only_red ON gql_r.member TO gql_r_reader USING (team_id = 1);
SET LOCAL ROLE gql_r_reader;
SELECT uphub.graphql('{ members { totalCount nodes { login } } team(id: 2) { members { totalCount } } }');
RESET ROLE;

-- The cache follows DDL inside the transaction, and its rollback.
SAVEPOINT s;
ALTER TABLE gql_r.team ADD COLUMN motto text DEFAULT 'go';
SELECT uphub.graphql('{ team(id: 1) { motto } }');
ROLLBACK TO SAVEPOINT s;
SELECT uphub.graphql('{ team(id: 1) { motto } }');
-- GRANT and REVOKE change the reader's schema at once.
GRANT SELECT (salary) ON gql_r.member TO gql_r_reader;
SET LOCAL ROLE gql_r_reader;
SELECT uphub.graphql('{ members(first: 1) { nodes { salary } } }');
RESET ROLE;
REVOKE SELECT ON gql_r.member FROM gql_r_reader;
REVOKE SELECT (id, login, team_id, salary) ON gql_r.member FROM gql_r_reader;
SET LOCAL ROLE gql_r_reader;
SELECT uphub.graphql('{ members { totalCount } }');
SELECT uphub.graphql('{ team(id: 1) { name members { totalCount } } }');
RESET ROLE;

-- Comment directives: rename a type and a field, omit a column and a table.
COMMENT ON TABLE gql_r.team IS '@graphql({"name": "Squad", "plural": "squadList"}) Teams of people.';
COMMENT ON COLUMN gql_r.member.login IS '@graphql({"name": "handle"})';
COMMENT ON COLUMN gql_r.member.salary IS '@graphql({"omit": true})';
CREATE TABLE gql_r.internal (id integer PRIMARY KEY);
COMMENT ON TABLE gql_r.internal IS '@graphql({"omit": true}) Not for GraphQL.';
SELECT uphub.graphql('{ squad(id: 1) { name members { nodes { handle } } } squadList { totalCount } __type(name: "Squad") { description } }');
SELECT uphub.graphql('{ members { nodes { salary } } }') -> 'errors' -> 0 ->> 'message';
SELECT uphub.graphql('{ internals { totalCount } }') -> 'errors' -> 0 ->> 'message';
-- A malformed directive is ignored with a warning; the comment stays the description.
SET LOCAL client_min_messages = warning;
COMMENT ON TABLE gql_r.internal IS '@graphql({"omit": tru) oops';
SELECT uphub.graphql('{ __type(name: "Internal") { description } }');
-- Views: a primary key and a virtual relation declared by directive.
CREATE VIEW gql_r.rich AS SELECT id AS member_id, salary FROM gql_r.member WHERE salary >= 20;
COMMENT ON VIEW gql_r.rich IS '@graphql({"primary_key": ["member_id"], "relations": [{"columns": ["member_id"], "references": "member", "name": "who", "foreign_name": "wealth"}]}) Well-paid members.';
SELECT jsonb_pretty(uphub.graphql('{ rich(memberId: 2) { salary who { handle } } members { nodes { id wealth { salary } } } }'));
ROLLBACK;
