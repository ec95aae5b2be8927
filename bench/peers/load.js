// bench/peers/load.js — fixed-count HTTP load against a GraphQL endpoint.
// usage: node load.js <url> <connections> <requests> <query> <var> <lo> <hi>
// Each request sends the query with {<var>: random integer in [lo, hi]}.
// Prints one JSON line: {"rps", "p50_us", "p99_us", "errors", "non2xx"}.
'use strict';
const autocannon = require('autocannon');
const [url, connections, amount, query, varName, lo, hi] = process.argv.slice(2);
const low = Number(lo);
const high = Number(hi);
let bad = 0;
const instance = autocannon({
  url,
  connections: Number(connections),
  amount: Number(amount),
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  requests: [{
    setupRequest: (req) => {
      const v = low + Math.floor(Math.random() * (high - low + 1));
      req.body = JSON.stringify({ query, variables: { [varName]: v } });
      return req;
    },
    onResponse: (status, body) => {
      if (status !== 200 || body.includes('"errors"') || body.includes('{"data":null')) bad++;
    },
  }],
}, (err, result) => {
  if (err) { console.error(err); process.exit(2); }
  console.log(JSON.stringify({
    rps: result.requests.average,
    p50_us: Math.round(result.latency.p50 * 1000),
    p99_us: Math.round(result.latency.p99 * 1000),
    errors: result.errors + bad,
    non2xx: result.non2xx,
  }));
});
autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false });
