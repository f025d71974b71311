'use strict';
// stripe-node's own objects, fetched through stripe-node from a local server that plays
// Stripe (the fixtures of Stripe's OpenAPI repository), read as they are; and the planned
// request sent with stripe-node, arriving with the planned method, path, headers and form.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { test } = require('node:test');
const lib = require('..');
const { FIXTURES, stripeServer, stripeClient } = require('./helpers.js');

const fixture = (name) => JSON.parse(fs.readFileSync(path.join(FIXTURES, 'stripe-openapi', `${name}.json`), 'utf8'));
const CONSENT = { granted_at: 1700000000, revoked_at: null, evidence: 'agreement-42' };
const PLATFORM = 'acct_1PlatformFromFixture';

/** The server's routes: the fixture account as connected, a copy as the platform. */
function routes() {
  const connected = fixture('account');
  const transfer = fixture('transfer');
  return {
    [`GET /v1/accounts/${connected.id}`]: connected,
    [`GET /v1/accounts/${PLATFORM}`]: { ...connected, id: PLATFORM },
    'GET /v1/balance': fixture('balance'),
    [`GET /v1/charges/${fixture('charge').id}`]: fixture('charge'),
    'GET /v1/transfers': { object: 'list', url: '/v1/transfers', has_more: false, data: [transfer] },
    'POST /v1/transfers': transfer,
  };
}

/** A scenario of the objects stripe-node returns (with their hidden `lastResponse`). */
async function scenarioFrom(stripe) {
  const connectedId = fixture('account').id;
  const [platform, connected, balance, charge] = await Promise.all([
    stripe.accounts.retrieve(PLATFORM),
    stripe.accounts.retrieve(connectedId),
    stripe.balance.retrieve({}, { stripeAccount: connectedId }),
    stripe.charges.retrieve(fixture('charge').id, {}, { stripeAccount: connectedId }),
  ]);
  assert.ok(Object.getOwnPropertyDescriptor(connected, 'lastResponse'), 'a stripe-node object');
  charge.account = connectedId;
  return {
    at: 1764000000,
    platform_account: platform,
    connected_account: connected,
    connected_balance: balance,
    consent: CONSENT,
    debit: { id: 'recovery-42', amount: 500, currency: 'usd', reference_transaction: charge },
  };
}

test("stripe-node's objects plan as the same objects as JSON do", async () => {
  const server = await stripeServer(routes());
  try {
    const scenario = await scenarioFrom(stripeClient(server.port));
    const plan = lib.planDebit(scenario);
    assert.equal(plan.outcome, 'planned');
    assert.deepEqual(plan.toJSON(), lib.planDebit(JSON.parse(JSON.stringify(scenario))).toJSON());
    // The fixture balance has nothing available: Stripe holds the debit in reserve.
    assert.equal(plan.reserveHold.amount, 500);
    // Their Stripe-Account header reached the server as stripe-node sent it.
    assert.equal(server.requests.find((r) => r.path === '/v1/balance').headers['stripe-account'], fixture('account').id);
  } finally {
    await server.close();
  }
});

test('the planned request sent with stripe-node arrives as planned', async () => {
  const server = await stripeServer(routes());
  try {
    const stripe = stripeClient(server.port);
    const plan = lib.planDebit(await scenarioFrom(stripe));
    const { params, stripeAccount, idempotencyKey } = plan.request;
    const transfer = await stripe.transfers.create(params, { stripeAccount, idempotencyKey });
    const sent = server.requests.at(-1);
    assert.equal(sent.method, plan.request.method);
    assert.equal(sent.path, plan.request.path);
    assert.equal(sent.headers['stripe-account'], plan.request.headers['Stripe-Account']);
    assert.equal(sent.headers['idempotency-key'], plan.request.headers['Idempotency-Key']);
    assert.equal(sent.headers['content-type'], plan.request.headers['Content-Type']);
    assert.deepEqual([...new URLSearchParams(sent.body)], plan.request.form);

    // What came back, as stripe-node gives it: status and headers from its lastResponse.
    const reply = { status: transfer.lastResponse.statusCode, headers: transfer.lastResponse.headers, body: transfer };
    const scenario = await scenarioFrom(stripe);
    const decision = lib.readReply({ scenario, attempt: { sends: 1, first_sent_at: 1764000000, now: 1764000001 }, reply });
    // The fixture transfer is not the planned one: a mismatch, never taken as done.
    assert.equal(decision.next, 'mismatch');
  } finally {
    await server.close();
  }
});

test('a list of transfers as stripe-node returns it is searched as the find command does', async () => {
  const server = await stripeServer(routes());
  try {
    const stripe = stripeClient(server.port);
    const scenario = await scenarioFrom(stripe);
    const transfers = await stripe.transfers.list({ limit: 100 }, { stripeAccount: scenario.connected_account.id });
    const platformBalance = await stripe.balance.retrieve();
    const found = lib.findDebit({ scenario, transfers, platform_balance: platformBalance });
    assert.deepEqual(found.toJSON(), lib.findDebit(JSON.parse(JSON.stringify({ scenario, transfers, platform_balance: platformBalance }))).toJSON());
    assert.ok(['found', 'not_found', 'duplicated'].includes(found.outcome));
  } finally {
    await server.close();
  }
});

test("the machine's request sent with stripe-node's raw request arrives as planned", async () => {
  const server = await stripeServer(routes());
  try {
    const stripe = stripeClient(server.port);
    const scenario = await scenarioFrom(stripe);
    const machine = lib.DebitMachine.start(scenario);
    const action = machine.poll(1764000000000);
    assert.equal(action.action, 'send');
    await stripe.transfers.create(action.request.params, action.request.options);
    const sent = server.requests.at(-1);
    assert.equal(sent.path, action.request.path);
    assert.equal(sent.headers['idempotency-key'], action.request.idempotencyKey);
    // stripe-node leaves brackets unescaped: the same form, decoded.
    assert.deepEqual([...new URLSearchParams(sent.body)], action.request.form);
    assert.deepEqual([...new URLSearchParams(action.request.encodedParams)], action.request.form);
  } finally {
    await server.close();
  }
});
