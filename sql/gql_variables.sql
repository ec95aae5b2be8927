-- Variables (§6.1.2): defaults, missing, null, wrong types, coercion of
-- BigInt from string or integer, lists from single values, input objects
-- with unknown fields; directives @skip/@include with literals and
-- variables; operation selection by name.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
BEGIN;
SET LOCAL timezone = 'Asia/Shanghai';
INSERT INTO uphub.mcn VALUES (7, 'Agency Seven');
INSERT INTO uphub.creator (mid, name, level, mcn_id) VALUES (1, 'Alice', 6, 7), (2, 'Bob', 3, 7), (3, 'Carol', NULL, NULL);

-- Defaults apply when a variable is not provided; provided values win.
SELECT uphub.graphql('query ($mid: BigInt! = "2") { creator(mid: $mid) { name } }');
SELECT uphub.graphql('query ($mid: BigInt! = "2") { creator(mid: $mid) { name } }', '{"mid": 1}');
-- BigInt accepts a string or an integer; a list type accepts a single value.
SELECT uphub.graphql('query ($m: [BigInt!]) { creators(filter: {mid: {in: $m}}) { nodes { name } } }', '{"m": "3"}');
SELECT uphub.graphql('query ($m: [BigInt!]) { creators(filter: {mid: {in: $m}}) { nodes { name } } }', '{"m": [1, "2"]}');
-- Whole input objects and enums as variables.
SELECT uphub.graphql('query ($f: CreatorFilter, $o: [CreatorOrderBy!]) { creators(filter: $f, orderBy: $o) { nodes { name } } }',
	'{"f": {"level": {"isNull": false}}, "o": [{"level": "DESC"}]}');
-- A nullable variable not provided leaves its argument out (no filter).
SELECT uphub.graphql('query ($f: CreatorFilter, $n: Int) { creators(filter: $f, first: $n) { totalCount } }');
-- An explicit null for a nullable argument is the same as no argument here.
SELECT uphub.graphql('query ($n: Int) { creators(first: $n) { nodes { mid } } }', '{"n": null}');
-- A variable inside an input object that is not provided leaves that field out.
SELECT uphub.graphql('query ($l: Int) { creators(filter: {level: {gte: $l}, name: {startsWith: "A"}}) { nodes { name } } }');

-- Errors: all request errors (no data).
SELECT uphub.graphql('query ($mid: BigInt!) { creator(mid: $mid) { name } }');
SELECT uphub.graphql('query ($mid: BigInt!) { creator(mid: $mid) { name } }', '{"mid": null}');
SELECT uphub.graphql('query ($mid: BigInt!) { creator(mid: $mid) { name } }', '{"mid": "12x"}');
SELECT uphub.graphql('query ($mid: BigInt!) { creator(mid: $mid) { name } }', '{"mid": 1.5}');
SELECT uphub.graphql('query ($n: Int) { creators(first: $n) { totalCount } }', '{"n": "10"}');
SELECT uphub.graphql('query ($n: Int) { creators(first: $n) { totalCount } }', '{"n": 3000000000}');
SELECT uphub.graphql('query ($o: [CreatorOrderBy!]) { creators(orderBy: $o) { totalCount } }', '{"o": [{"level": "SIDEWAYS"}]}');
SELECT uphub.graphql('query ($f: CreatorFilter) { creators(filter: $f) { totalCount } }', '{"f": {"nope": {"eq": 1}}}');
SELECT uphub.graphql('query ($f: CreatorFilter) { creators(filter: $f) { totalCount } }', '{"f": {"level": {"eq": true}}}');
SELECT uphub.graphql('query ($f: CreatorFilter) { creators(filter: $f) { totalCount } }', '{"f": [1]}');
SELECT uphub.graphql('query ($a: Int!, $b: String!) { creators(first: $a, filter: {name: {eq: $b}}) { totalCount } }', '{}');
SELECT uphub.graphql('{ creators { totalCount } }', '[1, 2]');
SELECT uphub.graphql('query ($d: Datetime) { creators(filter: {joinedAt: {lt: $d}}) { totalCount } }', '{"d": "2024-1-1"}');
SELECT uphub.graphql('query ($d: Datetime) { creators(filter: {joinedAt: {lt: $d}}) { totalCount } }', '{"d": "2024-01-01T25:00:00Z"}');

-- Directives, with literals and variables, on fields, fragments and inline fragments.
SELECT uphub.graphql($$
query ($yes: Boolean!, $no: Boolean = false) {
  creator(mid: 1) {
    a: name @include(if: $yes)
    b: name @include(if: $no)
    c: name @skip(if: $yes)
    d: name @skip(if: false) @include(if: true)
    e: name @skip(if: true) @include(if: true)
    ... @include(if: $yes) { level }
    ...F @skip(if: $yes)
  }
}
fragment F on Creator { mid }
$$, '{"yes": true}');

-- Operation names: select one of several; missing or unknown name.
SELECT uphub.graphql('query A { creator(mid: 1) { name } } query B { creator(mid: 2) { name } }', NULL, 'B');
SELECT uphub.graphql('query A { creator(mid: 1) { name } } query B { creator(mid: 2) { name } }');
SELECT uphub.graphql('query A { creator(mid: 1) { name } } query B { creator(mid: 2) { name } }', NULL, 'C');
SELECT uphub.graphql('query A { creator(mid: 1) { name } }', NULL, 'A');
-- The operation name of an anonymous single operation is optional.
SELECT uphub.graphql('{ creator(mid: 1) { name } }', NULL, NULL);
ROLLBACK;
