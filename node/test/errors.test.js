'use strict';
// Input that cannot be read throws InputError with its kind and path; an exception a
// caller's getter or toJSON throws reaches the caller unchanged; money stays exact.

const assert = require('node:assert/strict');
const { test } = require('node:test');
const lib = require('..');
const { example } = require('./helpers.js');

const demo = () => example('scenarios', 'demo.json');

/** The InputError `run` throws. */
function inputError(run) {
  try {
    run();
  } catch (err) {
    assert.ok(err instanceof lib.InputError, `not an InputError: ${err && err.stack}`);
    assert.ok(err instanceof Error);
    assert.equal(err.name, 'InputError');
    return err;
  }
  assert.fail('nothing thrown');
}

test('a wrong type, a missing field and an invalid value name their path', () => {
  const wrong = demo();
  wrong.debit.amount = '500';
  let err = inputError(() => lib.planDebit(wrong));
  assert.equal(err.kind, 'wrong_type');
  assert.equal(err.path, 'debit.amount');
  assert.equal(err.message, `debit.amount: ${err.detail}`);
  assert.deepEqual(err.toJSON(), { outcome: 'invalid_input', error: err.message, kind: 'wrong_type', path: 'debit.amount' });

  const missing = demo();
  delete missing.debit.currency;
  err = inputError(() => lib.planDebit(missing));
  assert.deepEqual([err.kind, err.path], ['missing', 'debit.currency']);

  const invalid = demo();
  invalid.debit.currency = 'xyz';
  err = inputError(() => lib.planDebit(invalid));
  assert.deepEqual([err.kind, err.path, err.detail], ['invalid', 'debit.currency', 'unknown currency "xyz"']);

  // A key left `undefined` is absent, as JSON.stringify leaves it out.
  const undef = demo();
  undef.debit.id = undefined;
  assert.equal(inputError(() => lib.planDebit(undef)).path, 'debit.id');
});

test('the lifecycle, book and machine inputs name their paths too', () => {
  const reply = example('lifecycle', 'reply-retry.json');
  reply.attempt.sends = 'one';
  assert.equal(inputError(() => lib.readReply(reply)).path, 'attempt.sends');
  const find = example('lifecycle', 'find-found.json');
  find.scenario.at = null;
  assert.equal(inputError(() => lib.findDebit(find)).path, 'scenario.at');
  assert.equal(inputError(() => lib.planBatch({ at: 1, platform_account: null })).path, 'platform_account');
  assert.equal(inputError(() => lib.DebitMachine.start(demo(), { settle_ms: 'soon' })).path, 'options.settle_ms');
  assert.equal(inputError(() => lib.DebitMachine.fromJSON(demo(), { version: 1 })).path, 'state');
  const machine = lib.DebitMachine.start(demo());
  machine.poll(1764000000000);
  assert.equal(inputError(() => machine.onReply(1764000000001, { status: 99 })).path, 'reply.status');
  assert.match(inputError(() => machine.onReply(1764000000001, { status: 200, headers: { a: '1', A: '2' } })).message, /given twice/);
  assert.equal(inputError(() => machine.poll(1.5)).path, 'nowMs');
});

test('what JSON has not, where a document belongs, is refused', () => {
  for (const input of [undefined, () => 1, Symbol('s')]) {
    const err = inputError(() => lib.planDebit(input));
    assert.equal(err.kind, 'wrong_type');
    assert.equal(err.path, '');
  }
  // In a Stripe object, whose unknown keys are skipped (`debit` refuses one at once).
  const cycle = demo();
  cycle.connected_account.self = cycle;
  const err = inputError(() => lib.planDebit(cycle));
  assert.equal(err.kind, 'syntax');
  assert.match(err.message, /nest more than 128 deep/);
});

test('a key that is not a plain name prints as the library prints it', () => {
  // The addon finds this error itself (a value nested too deep), the library the next one
  // (an unknown key): both name the key "x.y" the same way.
  const odd = demo();
  const cycle = {};
  cycle.self = cycle;
  odd.connected_account.metadata = { 'x.y': cycle };
  let err = inputError(() => lib.planDebit(odd));
  assert.equal(err.kind, 'syntax');
  assert.ok(err.path.startsWith('connected_account.metadata["x.y"].self.self'), err.path);
  const unknown = demo();
  unknown['x.y'] = 1;
  err = inputError(() => lib.planDebit(unknown));
  assert.equal(err.kind, 'unknown_key');
  assert.equal(err.path, '["x.y"]');
});

test("a caller's getter, toJSON or proxy throws: the exception reaches the caller unchanged", () => {
  const mine = new RangeError('from a getter');
  const scenario = demo();
  Object.defineProperty(scenario.connected_account, 'country', { enumerable: true, get() { throw mine; } });
  assert.throws(() => lib.planDebit(scenario), (err) => err === mine);

  const fromToJson = { message: 'not even an Error' };
  const withToJson = demo();
  withToJson.consent = { toJSON() { throw fromToJson; } };
  assert.throws(() => lib.planDebit(withToJson), (err) => err === fromToJson);

  const trapped = demo();
  trapped.debit = new Proxy(trapped.debit, { ownKeys() { throw mine; } });
  assert.throws(() => lib.readReply({ ...example('lifecycle', 'reply-retry.json'), scenario: trapped }), (err) => err === mine);
});

test('toJSON is used as JSON.stringify uses it: a Date, a class of the caller', () => {
  class Consent {
    toJSON(key) {
      assert.equal(key, 'consent');
      return { granted_at: 1700000000, evidence: 'agreement-42' };
    }
  }
  const scenario = demo();
  scenario.consent = new Consent();
  assert.equal(lib.planDebit(scenario).outcome, 'planned');
  scenario.at = new Date(0);
  // A Date writes an ISO string: not the integer `at` needs.
  assert.equal(inputError(() => lib.planDebit(scenario)).path, 'at');
});

test('money is exact: unsafe integers are refused as numbers, read as BigInt, written as strings', () => {
  const unsafe = demo();
  unsafe.connected_balance.available[0].amount = 2 ** 53;
  const err = inputError(() => lib.planDebit(unsafe));
  assert.equal(err.path, 'connected_balance.available[0].amount');
  for (const amount of [500.5, -0, NaN, Infinity]) {
    const odd = demo();
    odd.debit.amount = amount;
    assert.equal(inputError(() => lib.planDebit(odd)).path, 'debit.amount');
  }
  const big = demo();
  big.connected_balance.available[0].amount = 9007199254741993n; // 2^53 + 1001
  big.debit.amount = 500n;
  const plan = lib.planDebit(big);
  assert.equal(plan.connectedAvailable.before, '9007199254741993');
  assert.equal(plan.connectedAvailable.after, '9007199254741493');
  assert.equal(plan.connectedAvailable.beforeMajor, '90071992547419.93');
  assert.equal(plan.toJSON().connected_available.before, '9007199254741993');
  assert.equal(plan.transfer.amount, 500);
  assert.equal(typeof plan.transfer.amount, 'number');
});
