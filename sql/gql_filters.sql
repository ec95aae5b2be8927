-- Filters: every operator on every scalar kind (Int on int2/int4, BigInt,
-- BigFloat, Float, String on text/varchar/uuid, Boolean, Date, Datetime,
-- JSON), checked against the same condition written in SQL; null operator
-- values ignored; and/or/not nesting (NULL rows under not); to-one and
-- to-many relation filters (some/every/none); output of every scalar.
-- A schema of its own (uphub.graphql_schemas) makes the cases independent
-- of uphub's tables.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
BEGIN;
SET LOCAL timezone = 'UTC';
CREATE SCHEMA gql_t;
CREATE TABLE gql_t.item (
	id integer PRIMARY KEY,
	small smallint, num integer, big bigint, dec numeric, dbl double precision,
	txt text, vc varchar(20), flag boolean, day date, at timestamptz, doc jsonb, uid uuid,
	tags text[], bigs bigint[]);
COMMENT ON TABLE gql_t.item IS 'Items with one column of every scalar kind.';
CREATE TABLE gql_t.part (id integer PRIMARY KEY, item_id integer REFERENCES gql_t.item (id), label text, weight integer);
INSERT INTO gql_t.item VALUES
	(1, 1, 1, 10, 1.5, 0.5, 'apple', 'x', true, '2024-01-01', '2024-01-01 00:00Z', '{"a": 1}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{a,b}', '{1,9007199254740993}'),
	(2, 2, 2, 20, 2.5, 1.5, 'banana%', 'y_z', false, '2024-01-02', '2024-01-02 00:00Z', '[1, 2]', NULL, '{}', NULL),
	(3, 3, 3, 9007199254740993, 3, 2.5, 'Cherry', 'Q''s', NULL, '2024-02-29', '2024-01-01 18:00+08', '"s"', 'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12', NULL, NULL),
	(4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO gql_t.part VALUES (1, 1, 'p1', 5), (2, 1, 'p2', 50), (3, 2, 'p3', 5), (4, NULL, 'orphan', NULL);
SET LOCAL uphub.graphql_schemas = 'gql_t';

-- Every scalar in a response.
SELECT jsonb_pretty(uphub.graphql('{ items(first: 2) { nodes { id small num big dec dbl txt vc flag day at doc uid tags bigs } } }'));

CREATE FUNCTION pg_temp.sql_ids(cond text) RETURNS integer[] LANGUAGE plpgsql AS $$
DECLARE r integer[];
BEGIN
	EXECUTE format('SELECT coalesce(array_agg(id ORDER BY id), ''{}'') FROM gql_t.item WHERE %s', cond) INTO r;
	RETURN r;
END $$;
CREATE FUNCTION pg_temp.gql_ids(filter text) RETURNS integer[] LANGUAGE sql AS $$
	SELECT coalesce(array_agg((n ->> 'id')::integer ORDER BY (n ->> 'id')::integer), '{}')
	FROM jsonb_array_elements(uphub.graphql(format('{ items(filter: %s) { nodes { id } } }', filter)) #> '{data,items,nodes}') AS n
$$;

SELECT filter, pg_temp.gql_ids(filter) AS graphql, pg_temp.gql_ids(filter) = pg_temp.sql_ids(cond) AS same_as_sql
FROM (VALUES
	-- Int (integer)
	('{num: {eq: 2}}', 'num = 2'), ('{num: {neq: 2}}', 'num <> 2'), ('{num: {lt: 2}}', 'num < 2'),
	('{num: {lte: 2}}', 'num <= 2'), ('{num: {gt: 2}}', 'num > 2'), ('{num: {gte: 2}}', 'num >= 2'),
	('{num: {in: [1, 3]}}', 'num IN (1, 3)'), ('{num: {notIn: [1]}}', 'num NOT IN (1)'),
	('{num: {in: []}}', 'false'), ('{num: {notIn: []}}', 'true'),
	('{num: {isNull: true}}', 'num IS NULL'), ('{num: {isNull: false}}', 'num IS NOT NULL'),
	('{num: {gt: 1, lt: 3}}', 'num > 1 AND num < 3'), ('{num: {eq: null}}', 'true'),
	-- Int (smallint)
	('{small: {eq: 3}}', 'small = 3'), ('{small: {in: [1, 2]}}', 'small IN (1, 2)'), ('{small: {gte: 2}}', 'small >= 2'),
	-- BigInt: strings or integers in requests
	('{big: {eq: "9007199254740993"}}', 'big = 9007199254740993'), ('{big: {eq: 9007199254740993}}', 'big = 9007199254740993'),
	('{big: {neq: 10}}', 'big <> 10'), ('{big: {lt: "20"}}', 'big < 20'), ('{big: {lte: 20}}', 'big <= 20'),
	('{big: {gt: "9007199254740992"}}', 'big > 9007199254740992'), ('{big: {gte: 20}}', 'big >= 20'),
	('{big: {in: ["10", 9007199254740993]}}', 'big IN (10, 9007199254740993)'), ('{big: {notIn: ["10"]}}', 'big NOT IN (10)'),
	('{big: {isNull: true}}', 'big IS NULL'),
	-- BigFloat
	('{dec: {eq: "2.50"}}', 'dec = 2.5'), ('{dec: {neq: 3}}', 'dec <> 3'), ('{dec: {lt: 2.5}}', 'dec < 2.5'),
	('{dec: {lte: "2.5"}}', 'dec <= 2.5'), ('{dec: {gt: "1.5"}}', 'dec > 1.5'), ('{dec: {gte: 3}}', 'dec >= 3'),
	('{dec: {in: ["1.5", 3]}}', 'dec IN (1.5, 3)'), ('{dec: {notIn: ["1.5"]}}', 'dec NOT IN (1.5)'), ('{dec: {isNull: false}}', 'dec IS NOT NULL'),
	-- Float
	('{dbl: {eq: 0.5}}', 'dbl = 0.5'), ('{dbl: {neq: 0.5}}', 'dbl <> 0.5'), ('{dbl: {lt: 1.5}}', 'dbl < 1.5'),
	('{dbl: {lte: 1.5}}', 'dbl <= 1.5'), ('{dbl: {gt: 1}}', 'dbl > 1'), ('{dbl: {gte: 2.5}}', 'dbl >= 2.5'),
	('{dbl: {in: [0.5, 2.5]}}', 'dbl IN (0.5, 2.5)'), ('{dbl: {notIn: [0.5]}}', 'dbl NOT IN (0.5)'), ('{dbl: {isNull: true}}', 'dbl IS NULL'),
	-- String (text)
	('{txt: {eq: "apple"}}', 'txt = ''apple'''), ('{txt: {neq: "apple"}}', 'txt <> ''apple'''),
	('{txt: {lt: "b"}}', 'txt < ''b'''), ('{txt: {lte: "banana%"}}', 'txt <= ''banana%'''),
	('{txt: {gt: "apple"}}', 'txt > ''apple'''), ('{txt: {gte: "banana%"}}', 'txt >= ''banana%'''),
	('{txt: {in: ["apple", "Cherry"]}}', 'txt IN (''apple'', ''Cherry'')'), ('{txt: {notIn: ["apple"]}}', 'txt NOT IN (''apple'')'),
	('{txt: {isNull: true}}', 'txt IS NULL'),
	('{txt: {like: "%an%"}}', 'txt LIKE ''%an%'''), ('{txt: {like: "%\\%"}}', 'txt LIKE ''%\%'''),
	('{txt: {ilike: "CHERRY"}}', 'txt ILIKE ''cherry'''), ('{txt: {ilike: "_PP%"}}', 'txt ILIKE ''_pp%'''),
	('{txt: {startsWith: "ban"}}', 'txt LIKE ''ban%'''), ('{txt: {startsWith: "%"}}', 'false'),
	('{txt: {endsWith: "%"}}', 'txt LIKE ''%\%'''), ('{txt: {endsWith: "rry"}}', 'txt LIKE ''%rry'''),
	('{txt: {contains: "na%"}}', 'txt LIKE ''%na\%%'''), ('{txt: {contains: "_"}}', 'false'), ('{txt: {contains: ""}}', 'txt IS NOT NULL'),
	-- String (varchar) and String (uuid)
	('{vc: {eq: "x"}}', 'vc = ''x'''), ('{vc: {like: "y\\_z"}}', 'vc LIKE ''y\_z'''), ('{vc: {contains: "''"}}', 'vc LIKE ''%''''%'''),
	('{vc: {in: ["x", "Q''s"]}}', 'vc IN (''x'', ''Q''''s'')'),
	('{uid: {eq: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}}', 'uid = ''a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'''),
	('{uid: {startsWith: "b0ee"}}', 'uid::text LIKE ''b0ee%'''), ('{uid: {isNull: true}}', 'uid IS NULL'),
	-- Boolean
	('{flag: {eq: true}}', 'flag'), ('{flag: {neq: true}}', 'flag <> true'), ('{flag: {in: [false]}}', 'flag IN (false)'),
	('{flag: {notIn: [false]}}', 'flag NOT IN (false)'), ('{flag: {isNull: true}}', 'flag IS NULL'),
	-- Date
	('{day: {eq: "2024-02-29"}}', 'day = ''2024-02-29'''), ('{day: {neq: "2024-01-01"}}', 'day <> ''2024-01-01'''),
	('{day: {lt: "2024-01-02"}}', 'day < ''2024-01-02'''), ('{day: {lte: "2024-01-02"}}', 'day <= ''2024-01-02'''),
	('{day: {gt: "2024-01-01"}}', 'day > ''2024-01-01'''), ('{day: {gte: "2024-01-02"}}', 'day >= ''2024-01-02'''),
	('{day: {in: ["2024-01-01", "2024-02-29"]}}', 'day IN (''2024-01-01'', ''2024-02-29'')'), ('{day: {notIn: ["2024-01-01"]}}', 'day NOT IN (''2024-01-01'')'),
	-- Datetime, with and without offsets
	('{at: {eq: "2024-01-01T10:00:00+08:00"}}', 'at = ''2024-01-01 02:00Z'''), ('{at: {eq: "2024-01-01T00:00:00Z"}}', 'at = ''2024-01-01 00:00Z'''),
	('{at: {neq: "2024-01-01T00:00:00Z"}}', 'at <> ''2024-01-01 00:00Z'''),
	('{at: {lt: "2024-01-01T10:00:00Z"}}', 'at < ''2024-01-01 10:00Z'''), ('{at: {lte: "2024-01-01T10:00:00Z"}}', 'at <= ''2024-01-01 10:00Z'''),
	('{at: {gt: "2024-01-01T09:59:59.5Z"}}', 'at > ''2024-01-01 09:59:59.5Z'''), ('{at: {gte: "2024-01-02"}}', 'at >= ''2024-01-02 00:00Z'''),
	('{at: {in: ["2024-01-02T00:00:00Z"]}}', 'at IN (''2024-01-02 00:00Z'')'), ('{at: {notIn: ["2024-01-02T00:00:00Z"]}}', 'at NOT IN (''2024-01-02 00:00Z'')'),
	-- JSON
	('{doc: {eq: {a: 1}}}', 'doc = ''{"a": 1}'''), ('{doc: {eq: [1, 2]}}', 'doc = ''[1, 2]'''), ('{doc: {eq: "s"}}', 'doc = ''"s"'''),
	('{doc: {neq: {a: 1}}}', 'doc <> ''{"a": 1}'''), ('{doc: {isNull: true}}', 'doc IS NULL'),
	-- and / or / not, nested; empty lists
	('{and: [{num: {gt: 1}}, {num: {lt: 3}}]}', 'num > 1 AND num < 3'), ('{or: [{num: {eq: 1}}, {txt: {eq: "Cherry"}}]}', 'num = 1 OR txt = ''Cherry'''),
	('{not: {num: {eq: 1}}}', 'NOT coalesce(num = 1, false)'), ('{not: {flag: {eq: true}}}', 'flag IS DISTINCT FROM true'),
	('{or: [{and: [{num: {gte: 2}}, {not: {flag: {eq: false}}}]}, {num: {isNull: true}}]}', '(num >= 2 AND flag IS DISTINCT FROM false) OR num IS NULL'),
	('{not: {or: [{num: {eq: 1}}, {num: {eq: 2}}]}}', 'num IS NULL OR num NOT IN (1, 2)'),
	('{and: []}', 'true'), ('{or: []}', 'false'), ('{}', 'true'), ('{num: {}}', 'true'),
	-- relations: to-many (some, every, none)
	('{parts: {some: {weight: {gt: 10}}}}', 'EXISTS (SELECT 1 FROM gql_t.part p WHERE p.item_id = item.id AND p.weight > 10)'),
	('{parts: {every: {weight: {eq: 5}}}}', 'NOT EXISTS (SELECT 1 FROM gql_t.part p WHERE p.item_id = item.id AND p.weight IS DISTINCT FROM 5)'),
	('{parts: {none: {label: {startsWith: "p"}}}}', 'NOT EXISTS (SELECT 1 FROM gql_t.part p WHERE p.item_id = item.id AND p.label LIKE ''p%'')'),
	('{parts: {some: {}}, num: {lt: 2}}', 'EXISTS (SELECT 1 FROM gql_t.part p WHERE p.item_id = item.id) AND num < 2')
) AS c(filter, cond)
ORDER BY filter;

-- To-one relation filter.
SELECT uphub.graphql('{ parts(filter: {item: {flag: {eq: true}}}) { nodes { id } } a: parts(filter: {not: {item: {num: {gt: 0}}}}) { nodes { id } } }') -> 'data';

-- Values are checked before SQL runs: a bad Date, Datetime, BigInt, BigFloat literal
-- or variable is BAD_USER_INPUT.
SELECT uphub.graphql('{ items(filter: {day: {eq: "2023-02-29"}}) { nodes { id } } }');
SELECT uphub.graphql('{ items(filter: {at: {eq: "yesterday"}}) { nodes { id } } }');
SELECT uphub.graphql('{ items(filter: {big: {eq: "12345678901234567890"}}) { nodes { id } } }');
SELECT uphub.graphql('query ($d: BigFloat) { items(filter: {dec: {eq: $d}}) { nodes { id } } }', '{"d": "1.5.5"}');
SELECT uphub.graphql('{ items(filter: {small: {eq: 40000}}) { nodes { id } } }');
SELECT uphub.graphql('{ items(filter: {uid: {eq: "not-a-uuid"}}) { nodes { id } } }');
SELECT uphub.graphql('{ items(filter: {txt: {eq: "nul \u0000 inside"}}) { nodes { id } } }');
ROLLBACK;
