// Runnable: `node examples/demo.js` (after `npm ci && npm run build`) plans the repository's
// demo scenario and prints what to send to Stripe, as stripe-node takes it.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { planDebit, Planned, InputError } = require('..');

const scenario = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'scenarios', 'demo.json'), 'utf8'));
try {
  const result = planDebit(scenario);
  if (result instanceof Planned) {
    const { method, path: url, params, options } = result.request;
    console.log(`${method} ${url}`, params, options);
    console.log(`reserve hold: ${result.reserveHold ? result.reserveHold.amountMajor : 'none'}`);
  } else {
    console.log('rejected:', result.codes.join(', '));
  }
} catch (err) {
  if (!(err instanceof InputError)) throw err;
  console.log(`invalid input at ${err.path}: ${err.detail}`);
}
