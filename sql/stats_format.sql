-- The sample-value formatter of the Prometheus text (stats_format_value):
-- whole numbers below 1e15 take an integer fast path, everything else the
-- shortest round-trip decimal. Both must print exactly what float8out prints
-- (the shortest decimal, extra_float_digits = 1), spelled the Prometheus way
-- for NaN and the infinities.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS uphub;
SET extra_float_digits = 1;

SELECT v::text AS float8out, uphub._stats_test_format_value(v) AS prometheus,
	uphub._stats_test_format_value(v) = CASE v::text WHEN 'Infinity' THEN '+Inf'
		WHEN '-Infinity' THEN '-Inf' ELSE v::text END AS same
FROM unnest(ARRAY[0, '-0', 1, 7, 9, 10, 42, 100, 1000000, 123456789,
	99999999999999, 999999999999998, 999999999999999, 1e15, 1000000000000001,
	1234567890123456, 9007199254740992, 9007199254740993, 9223372036854775807,
	18446744073709551615, 1e16, 1e20, 1e300, '1.7976931348623157e308',
	0.5, 1.5, 2.5, 123456789.5, 999999999999999.5, 0.1, 0.0005, 0.001, 0.0025, 0.3,
	0.30000000000000004, 1e-4, 1e-5, 1e-9, 5e-324, 2.2250738585072014e-308,
	-1, -42, -0.5, -1e15, -1e300,
	'Infinity', '-Infinity', 'NaN']::float8[]) AS v;

-- Many more: whole numbers around powers of ten and of two, every count up to
-- 100000, thousandths, and random magnitudes from 1e-20 to 1e20.
SELECT count(*) AS checked,
	count(*) FILTER (WHERE uphub._stats_test_format_value(v) <> v::text) AS different
FROM (SELECT (10::numeric ^ e + d)::float8 AS v FROM generate_series(0, 15) e, generate_series(-3, 3) d
	UNION ALL SELECT (2::numeric ^ e + d)::float8 FROM generate_series(0, 60) e, generate_series(-2, 2) d
	UNION ALL SELECT i::float8 FROM generate_series(0, 100000) i
	UNION ALL SELECT i / 1000.0 FROM generate_series(-5000, 5000) i
	UNION ALL SELECT random() * 10 ^ (random() * 40 - 20) FROM generate_series(1, 20000)) s
WHERE v >= 0 OR v < 0;
RESET extra_float_digits;
