// test/graphql/check.js — graphql-js v16 as a real client of uphub.graphql().
//
//   node check.js query                 print the standard introspection query
//   node check.js check RESULT.json     build the client schema from the
//                                       response, compare printSchema with
//                                       schema.graphql, validate queries/*.graphql
// UPDATE_SNAPSHOT=1 rewrites schema.graphql instead of comparing.
'use strict';
const fs = require('fs');
const path = require('path');
const {
  getIntrospectionQuery, buildClientSchema, printSchema, parse, validate,
} = require('graphql');

const here = __dirname;
const mode = process.argv[2];

if (mode === 'query') {
  process.stdout.write(getIntrospectionQuery({
    descriptions: true,
    specifiedByUrl: true,
    directiveIsRepeatable: true,
    schemaDescription: true,
    inputValueDeprecation: true,
  }));
  process.exit(0);
}

if (mode !== 'check') {
  console.error('usage: check.js query | check RESULT.json');
  process.exit(2);
}

let failed = 0;
const response = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
if (response.errors) {
  console.error('introspection returned errors:', JSON.stringify(response.errors));
  process.exit(1);
}
const schema = buildClientSchema(response.data);
console.log('ok buildClientSchema');

const printed = printSchema(schema) + '\n';
const snapshot = path.join(here, 'schema.graphql');
if (process.env.UPDATE_SNAPSHOT) {
  fs.writeFileSync(snapshot, printed);
  console.log('wrote', snapshot);
} else if (fs.readFileSync(snapshot, 'utf8') !== printed) {
  fs.writeFileSync(path.join(process.env.OUT_DIR || '/tmp', 'schema.actual.graphql'), printed);
  console.error('not ok printSchema differs from test/graphql/schema.graphql ' +
                '(actual written to ' + (process.env.OUT_DIR || '/tmp') + '/schema.actual.graphql)');
  failed++;
} else {
  console.log('ok printSchema matches the snapshot');
}

const dir = path.join(here, 'queries');
for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.graphql')).sort()) {
  const errors = validate(schema, parse(fs.readFileSync(path.join(dir, name), 'utf8')));
  if (errors.length) {
    console.error('not ok', name, errors.map((e) => e.message).join('; '));
    failed++;
  } else {
    console.log('ok validate', name);
  }
}
process.exit(failed ? 1 : 0);
