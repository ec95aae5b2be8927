-- Query.me: the principal of the session, its active roles and what they
-- grant with their scopes; each principal gets its own answer.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
BEGIN;
INSERT INTO uphub.partition VALUES (901, NULL, 'me');
INSERT INTO uphub.creator (mid, name, main_tid) VALUES (9901, 'me', 901);
CREATE ROLE gm_analyst; CREATE ROLE gm_creator; CREATE ROLE gm_nobody;
SELECT uphub.add_principal('gm_analyst', 'gm_analyst') > 0 AS added;
SELECT uphub.add_principal('gm_creator', 'gm_creator', 9901) > 0 AS added;
SELECT uphub.assign_role('gm_analyst', 'analyst');
SELECT uphub.assign_role('gm_creator', 'creator', 'creator', 9901);
SELECT uphub.assign_role('gm_creator', 'analyst', 'partition', 901);

-- The superuser without a principal: the implicit admin.
SELECT jsonb_pretty(uphub.graphql('{ me { principal activeRoles permissions { permission scopeKind scopeId } } }'));
SET LOCAL ROLE gm_analyst;
SELECT jsonb_pretty(uphub.graphql('{ me { principal activeRoles permissions { permission scopeKind scopeId } } }'));
RESET ROLE;
SET LOCAL ROLE gm_creator;
SELECT jsonb_pretty(uphub.graphql('{ me { principal activeRoles permissions { permission scopeKind scopeId } } }'));
RESET ROLE;
-- A role without a principal.
SET LOCAL ROLE gm_nobody;
SELECT uphub.graphql('{ me { principal activeRoles permissions { permission } } }');
RESET ROLE;
-- act_as and the NIST session change the answer.
SELECT uphub.act_as('gm_creator');
SELECT uphub.graphql('{ me { principal activeRoles } }');
SELECT uphub.create_session(ARRAY['analyst']);
SELECT uphub.graphql('{ me { principal activeRoles p: permissions { permission scopeId } } }');
SELECT uphub.act_as(NULL);
-- Aliases, fragments, __typename; me is non-null and needs a selection.
SELECT uphub.graphql('query { who: me { __typename name: principal ...R } } fragment R on Me { activeRoles permissions { __typename k: scopeKind } }');
SELECT uphub.graphql('{ me }');
SELECT uphub.graphql('{ me { nosuch } }');
SELECT uphub.graphql('{ __type(name: "Me") { fields { name type { kind name ofType { name } } } } }');
ROLLBACK;
