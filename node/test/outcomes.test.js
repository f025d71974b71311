'use strict';
// Every outcome kind, as typed results: a rejection is a result, not an exception.

const assert = require('node:assert/strict');
const { test } = require('node:test');
const lib = require('..');
const { example } = require('./helpers.js');

const T0 = 1764000000000;

test('a planned transfer: the accessors and the request, exact', () => {
  const plan = lib.planDebit(example('scenarios', 'demo.json'));
  assert.ok(plan instanceof lib.Planned);
  assert.equal(plan.outcome, 'planned');
  assert.equal(plan.flow, 'stripe_managed');
  assert.equal(plan.method, 'transfer');
  assert.deepEqual(plan.transfer, {
    account: 'acct_1ConnectedDemo001',
    destination: 'acct_1PlatformDemo0001',
    amount: 500,
    amountMajor: '5.00',
    currency: 'usd',
    referenceType: 'charge',
    referenceId: 'ch_1DemoCharge00000001',
  });
  assert.deepEqual(plan.payment, {
    account: 'acct_1PlatformDemo0001',
    sourceAccount: 'acct_1ConnectedDemo001',
    amount: 500,
    amountMajor: '5.00',
    currency: 'usd',
  });
  assert.equal(plan.reserveHold, null);
  assert.deepEqual(plan.connectedAvailable, { before: 1000, beforeMajor: '10.00', after: 500, afterMajor: '5.00', currency: 'usd' });
  assert.equal(plan.platformAvailableChange, 500);
  assert.equal(plan.platformAvailableChangeMajor, '5.00');
  assert.deepEqual(plan.advisories, []);
  const request = plan.request;
  assert.equal(request.method, 'POST');
  assert.equal(request.path, '/v1/transfers');
  assert.equal(request.stripeAccount, 'acct_1ConnectedDemo001');
  assert.equal(request.idempotencyKey, 'account-debit:acct_1PlatformDemo0001:acct_1ConnectedDemo001:recovery-42');
  assert.deepEqual(request.options, { stripeAccount: request.stripeAccount, idempotencyKey: request.idempotencyKey });
  assert.deepEqual(request.params, {
    amount: 500,
    currency: 'usd',
    destination: 'acct_1PlatformDemo0001',
    reference_transaction: { type: 'charge', charge: 'ch_1DemoCharge00000001' },
    metadata: { account_debit_id: 'recovery-42' },
  });
  assert.deepEqual(request.form, plan.toJSON().request.form);
  assert.deepEqual(request.headers, plan.toJSON().request.headers);
  assert.equal(plan.requestFor(2).idempotencyKey, 'account-debit#2:acct_1PlatformDemo0001:acct_1ConnectedDemo001:recovery-42');
  assert.throws(() => plan.requestFor(0), /attempts count from 1/);
});

test('a reserve hold: the part the balance cannot cover', () => {
  const scenario = example('scenarios', 'demo.json');
  scenario.connected_balance.available[0].amount = 100;
  const plan = lib.planDebit(scenario);
  assert.deepEqual(plan.reserveHold, { account: 'acct_1PlatformDemo0001', amount: 400, amountMajor: '4.00', currency: 'usd' });
  assert.equal(plan.connectedAvailable.after, -400);
});

test('a platform-managed service charge plans a charge', () => {
  const plan = lib.planDebit(example('scenarios', 'platform_managed.json'));
  assert.equal(plan.flow, 'platform_managed');
  assert.equal(plan.method, 'charge');
  assert.equal(plan.request.path, '/v1/charges');
  assert.equal(plan.request.stripeAccount, null);
  assert.deepEqual(Object.keys(plan.request.options), ['idempotencyKey']);
  assert.equal(plan.transfer.referenceType, null);
});

test('a rejection is a result with every rule broken, in order', () => {
  const rejected = lib.planDebit(example('scenarios', 'rejected.json'));
  assert.ok(rejected instanceof lib.Rejected);
  assert.equal(rejected.outcome, 'rejected');
  assert.deepEqual(rejected.codes, ['reference_kind_unsupported', 'consent_missing']);
  assert.equal(rejected.violations[1].account, 'acct_1ConnectedDemo001');
  assert.match(rejected.violations[1].message, /no consent/);
});

test('each reply decision: confirmed, mismatch, retry, failed, in doubt', () => {
  const next = (name) => lib.readReply(example('lifecycle', `reply-${name}.json`));
  const confirmed = next('confirmed');
  assert.ok(confirmed instanceof lib.ReplyDecision);
  assert.equal(confirmed.next, 'confirmed');
  assert.equal(confirmed.transfer, 'tr_1DemoDebit0000000001');
  assert.equal(next('mismatch').field, 'amount');
  const retry = next('retry');
  assert.equal(retry.next, 'retry');
  assert.deepEqual(retry.delay_ms, { min: 500, max: 500 });
  assert.equal(next('failed').error.type, 'idempotency_error');
  assert.equal(next('in-doubt').next, 'in_doubt');
  assert.ok(Object.isFrozen(retry) && Object.isFrozen(retry.delay_ms));
});

test('find: found, not found, duplicated (with the reversals planned)', () => {
  const find = (name) => lib.findDebit(example('lifecycle', `find-${name}.json`));
  assert.equal(find('found').outcome, 'found');
  assert.equal(find('not-found').list_complete, true);
  const duplicated = find('duplicated');
  assert.ok(duplicated instanceof lib.FindResult);
  assert.equal(duplicated.outcome, 'duplicated');
  assert.equal(duplicated.reversals[0].outcome, 'planned');
});

test('reverse: planned and rejected', () => {
  const planned = lib.planReversal(example('lifecycle', 'reverse-planned.json'));
  assert.ok(planned instanceof lib.ReversalResult);
  assert.equal(planned.outcome, 'planned');
  assert.equal(planned.amount, 200);
  const rejected = lib.planReversal(example('lifecycle', 'reverse-rejected.json'));
  assert.equal(rejected.violations[0].code, 'platform_balance_insufficient');
});

test('a batch with a rejected debit, and the book: complete and not', () => {
  const batch = lib.planBatch(example('book', 'batch.json'));
  assert.ok(batch instanceof lib.BatchResult);
  assert.equal(batch.rejected, 1);
  assert.equal(batch.outcome, 'rejected');
  assert.equal(batch.complete, true);
  assert.equal('outcome' in batch.toJSON(), false);
  const book = lib.reserveBook(example('book', 'batch.json'));
  assert.ok(book instanceof lib.BookResult);
  assert.equal(book.complete, true);
  const incomplete = lib.reserveBook(example('book', 'incomplete.json'));
  assert.equal(incomplete.complete, false);
  assert.ok(incomplete.uncounted.some((u) => u.path === 'accounts[1].balance.available[2].currency'));
});

test('the machine: send, wait, list, done, escalate, failed and a new attempt; saved and resumed', () => {
  const scenario = example('scenarios', 'demo.json');
  assert.ok(lib.DebitMachine.start(example('scenarios', 'rejected.json')) instanceof lib.Rejected);
  let machine = lib.DebitMachine.start(scenario, { settle_ms: 1000 });
  assert.ok(machine instanceof lib.DebitMachine);
  assert.equal(machine.phase, 'sending');
  const send = machine.poll(T0);
  assert.ok(send instanceof lib.Action);
  assert.equal(send.action, 'send');
  assert.equal(send.request.path, '/v1/transfers');
  assert.equal(send.request.params.amount, 500);
  assert.equal(send.request.encodedParams, send.body);
  assert.equal('request' in send.toJSON(), false);
  // Saved as an object and as text, resumed from either.
  const state = machine.toJSON();
  assert.deepEqual(lib.DebitMachine.fromJSON(scenario, JSON.stringify(state)).toJSON(), state);
  machine = lib.DebitMachine.fromJSON(scenario, state);
  machine.onReply(T0 + 9000, example('lifecycle', 'reply-in-doubt.json').reply);
  const wait = machine.poll(T0 + 9000);
  assert.equal(wait.action, 'wait');
  assert.equal(typeof wait.until_ms, 'number');
  const list = machine.poll(wait.until_ms);
  assert.equal(list.action, 'list');
  assert.equal(list.request.method, 'GET');
  assert.equal(list.request.idempotencyKey, null);

  const confirmed = example('lifecycle', 'step-confirmed.json');
  machine = lib.DebitMachine.fromJSON(confirmed.scenario, confirmed.state);
  machine.onReply(confirmed.now_ms, confirmed.reply);
  const done = machine.poll(confirmed.now_ms);
  assert.equal(done.action, 'done');
  assert.equal(done.outcome.code, 'confirmed');
  assert.equal(machine.phase, 'done');

  const mismatch = example('lifecycle', 'step-escalate.json');
  machine = lib.DebitMachine.fromJSON(mismatch.scenario, mismatch.state);
  machine.onReply(mismatch.now_ms, mismatch.reply);
  const escalate = machine.poll(mismatch.now_ms);
  assert.equal(escalate.action, 'escalate');
  assert.equal(escalate.reason, 'mismatch');

  const failed = example('lifecycle', 'step-failed.json');
  machine = lib.DebitMachine.fromJSON(failed.scenario, failed.state);
  machine.onReply(failed.now_ms, failed.reply);
  assert.equal(machine.poll(failed.now_ms).outcome.code, 'failed');
  machine.newAttempt(failed.now_ms + 1);
  assert.equal(machine.attempt, 2);
  assert.match(machine.poll(failed.now_ms + 1).request.idempotencyKey, /^account-debit#2:/);
  // A reply with no request out is the caller's mistake, refused.
  assert.throws(() => lib.DebitMachine.start(scenario).onReply(T0, null), /no request is out/);
});
