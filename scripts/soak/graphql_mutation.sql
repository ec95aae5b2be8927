-- soak workload: a creator changes its own profile and videos through GraphQL
-- (one request, two mutation fields: one unit). Ingest leaves creator 5's
-- videos alone, so the two writers never wait for each other.
-- requires: uphub.graphql(text,jsonb,text,jsonb)
-- role: creator
-- counts: graphql_requests=1
\set d random(1, 3600)
SELECT uphub.graphql('mutation Touch($sign: String!, $d: Int!) { updateCreators(set: {sign: $sign}, filter: {mid: {eq: 5}}) { affectedCount } updateVideos(set: {duration: $d}, filter: {mid: {eq: 5}}, atMost: 100) { affectedCount records { aid duration } } }', jsonb_build_object('sign', 'soak ' || :d, 'd', :d), 'Touch', NULL);
