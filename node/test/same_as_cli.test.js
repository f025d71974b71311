'use strict';
// Every example through Node and through the command line: the result's toJSON() (an
// input error's too) is the command's JSON, value for value and key for key, in order.

const assert = require('node:assert/strict');
const { test } = require('node:test');
const lib = require('..');
const { example, exampleFiles, cli } = require('./helpers.js');

/** The same JSON, in the same key order. */
function same(got, want, file) {
  assert.deepStrictEqual(got, want, file);
  assert.equal(JSON.stringify(got), JSON.stringify(want), `${file}: key order`);
}

/** `run(input)`'s toJSON(), or the InputError's when it throws one. */
function outcome(run, input) {
  try {
    return run(input).toJSON();
  } catch (err) {
    assert.ok(err instanceof lib.InputError, `not an InputError: ${err}`);
    return err.toJSON();
  }
}

/** The step command's run, through DebitMachine. */
function step(input) {
  const machine =
    input.state === null
      ? lib.DebitMachine.start(input.scenario, input.options)
      : lib.DebitMachine.fromJSON(input.scenario, input.state);
  if (machine instanceof lib.Rejected) return machine;
  if ('reply' in input) machine.onReply(input.now_ms, input.reply);
  if (input.new_attempt === true) machine.newAttempt(input.now_ms);
  const action = machine.poll(input.now_ms);
  return { toJSON: () => ({ state: machine.toJSON(), action: action.toJSON() }) };
}

const COMMANDS = {
  plan: lib.planDebit,
  reply: lib.readReply,
  find: lib.findDebit,
  reverse: lib.planReversal,
  batch: lib.planBatch,
  book: lib.reserveBook,
};

test('every scenario plans as the plan command prints it', () => {
  const files = exampleFiles('scenarios');
  assert.ok(files.length >= 5);
  for (const file of files) same(outcome(COMMANDS.plan, example(file)), cli('plan', file), file);
});

test('every lifecycle example reads as its command prints it', () => {
  const files = exampleFiles('lifecycle').filter((f) => !f.includes('/step-'));
  assert.equal(files.length, 11);
  for (const file of files) {
    const command = file.split('/')[1].split('-')[0];
    same(outcome(COMMANDS[command], example(file)), cli(command, file), file);
  }
});

test('every book batches and books as the batch and book commands print it', () => {
  for (const file of exampleFiles('book')) {
    same(outcome(COMMANDS.batch, example(file)), cli('batch', file), file);
    same(outcome(COMMANDS.book, example(file)), cli('book', file), file);
  }
});

test('every step example runs through DebitMachine as the step command prints it', () => {
  const files = exampleFiles('lifecycle').filter((f) => f.includes('/step-') && !f.includes('invalid'));
  assert.equal(files.length, 5);
  for (const file of files) {
    const [got, want] = [outcome(step, example(file)), cli('step', file)];
    // The command writes the state through a JSON tree, its keys sorted; the machine
    // writes it in its own order: the same values.
    assert.deepStrictEqual(got.state, want.state, file);
    same(got.action, want.action, file);
  }
});
