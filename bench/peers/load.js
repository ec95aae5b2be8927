// bench/peers/load.js — fixed-count HTTP load against a GraphQL endpoint.
// usage: node load.js <url> <connections> <requests> <query> <var> <lo> <hi>
// Each request sends the query with {<var>: random integer in [lo, hi]}.
// Prints one JSON line: {"rps", "p50_us", "p99_us", "errors", "non2xx"}.
// Latency is timed here per request in microseconds (autocannon's own
// histogram has a resolution of 1 ms, too coarse for sub-millisecond
// answers): from building the request to its response, one request in
// flight per connection.
'use strict';
const autocannon = require('autocannon');
const [url, connections, amount, query, varName, lo, hi] = process.argv.slice(2);
const low = Number(lo);
const high = Number(hi);
let bad = 0;
const latencies = [];
const instance = autocannon({
  url,
  connections: Number(connections),
  amount: Number(amount),
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  requests: [{
    setupRequest: (req, context) => {
      context.t0 = process.hrtime.bigint();
      const v = low + Math.floor(Math.random() * (high - low + 1));
      req.body = JSON.stringify({ query, variables: { [varName]: v } });
      return req;
    },
    onResponse: (status, body, context) => {
      latencies.push(Number(process.hrtime.bigint() - context.t0) / 1000);
      if (status !== 200 || body.includes('"errors"') || body.includes('{"data":null')) bad++;
    },
  }],
}, (err, result) => {
  if (err) { console.error(err); process.exit(2); }
  latencies.sort((a, b) => a - b);
  const pct = (q) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]);
  console.log(JSON.stringify({
    rps: result.requests.average,
    p50_us: pct(0.5),
    p99_us: pct(0.99),
    errors: result.errors + bad,
    non2xx: result.non2xx,
  }));
});
autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false });
