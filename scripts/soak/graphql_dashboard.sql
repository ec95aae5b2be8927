-- soak workload: a creator dashboard through GraphQL (slot: runs once uphub.graphql exists).
-- requires: uphub.graphql(text,jsonb,text,jsonb)
-- counts: graphql_requests=1
\set mid random(1, 200)
SELECT uphub.graphql('query Dash($mid: BigInt!) { creator(mid: $mid) { name daily(first: 30) { nodes { day views } } } }', jsonb_build_object('mid', :mid), 'Dash', NULL);
