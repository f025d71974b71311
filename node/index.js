'use strict';
// stripe-account-debits for Node: the rules of the Rust crate, through its native addon
// (built from src/ by `npm run build`). This file only loads the addon, defines
// InputError, and gives each result its class; the addon reads the inputs and writes the
// results. See README.md and index.d.ts.

const { readdirSync } = require('node:fs');
const path = require('node:path');

/** The addon built for this platform (native/account-debits.<platform>-<arch>*.node). */
function loadNative() {
  const dir = path.join(__dirname, 'native');
  const prefix = `account-debits.${process.platform}-${process.arch}`;
  let files = [];
  try {
    files = readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith('.node'));
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
  }
  if (files.length === 0) {
    throw new Error(
      `stripe-account-debits: no native addon for ${process.platform}-${process.arch} in ${dir}: ` +
        'run `npm ci && npm run build` in the package folder (Rust is needed)',
    );
  }
  return require(path.join(dir, files.sort()[0]));
}

const native = loadNative();

/**
 * Input that cannot be read: `kind` (`missing`, `wrong_type`, `invalid`, `unknown_key`,
 * `syntax`, `document`, `too_large`), `path` (the JSON path at fault, `''` for the whole input) and
 * `message` (`path: detail`, escaped and cut short by the library: safe to log); `detail`
 * is the message without its path. `toJSON()` is the command line's invalid-input output.
 */
class InputError extends Error {
  constructor(kind, path, detail) {
    super(path ? `${path}: ${detail}` : detail);
    this.kind = kind;
    this.path = path;
    this.detail = detail;
  }

  get name() {
    return 'InputError';
  }

  toJSON() {
    return { outcome: 'invalid_input', error: this.message, kind: this.kind, path: this.path };
  }
}

native.setInputError(InputError);

/** Freezes `value` and everything in it. */
function deepFreeze(value) {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze(value[key]);
  }
  return value;
}

/**
 * A command's output: its own properties are the JSON the command line prints (snake_case,
 * as Stripe's and stripe-node's objects are), frozen; `toJSON()` returns them.
 */
class CommandResult {
  toJSON() {
    return { ...this };
  }
}

/** What a reply means (`reply`): discriminated by `next`. */
class ReplyDecision extends CommandResult {}
/** The debit among the account's transfers (`find`): discriminated by `outcome`. */
class FindResult extends CommandResult {}
/** The reversal of the debit's transfer (`reverse`): discriminated by `outcome`. */
class ReversalResult extends CommandResult {}
/** A batch of debits planned in order (`batch`). */
class BatchResult extends CommandResult {
  /** `'planned'` when every debit is planned, else `'rejected'` (not in `toJSON()`). */
  get outcome() {
    return this.rejected === 0 ? 'planned' : 'rejected';
  }
}
/** The platform's reserve for negative balances (`book`). */
class BookResult extends CommandResult {}
/**
 * What a machine asks for (`step`'s `action`): discriminated by `action`; for `send` and
 * `list`, `request` (not in `toJSON()`) is the request as stripe-node takes it.
 */
class Action extends CommandResult {}

function result(Class, data) {
  return deepFreeze(Object.setPrototypeOf(data, Class.prototype));
}

const readReply = (input) => result(ReplyDecision, native.readReply(input));
const findDebit = (input) => result(FindResult, native.findDebit(input));
const planReversal = (input) => result(ReversalResult, native.planReversal(input));
const planBatch = (book) => result(BatchResult, native.planBatch(book));
const reserveBook = (book) => result(BookResult, native.reserveBook(book));

/** Only `DebitMachine.start` and `DebitMachine.fromJSON` make one. */
const MAKE = Symbol('DebitMachine');

/**
 * One debit from plan to settled: ask `poll(nowMs)` what to do, do it, tell `onReply` what
 * came back; save `toJSON()` before every request made.
 */
class DebitMachine {
  #native;

  constructor(token, machine) {
    if (token !== MAKE) throw new TypeError('use DebitMachine.start or DebitMachine.fromJSON');
    this.#native = machine;
  }

  /** Plans the scenario's debit and starts its machine: a `DebitMachine`, or `Rejected`. */
  static start(scenario, options) {
    const started = native.NativeMachine.start(scenario, options);
    return started instanceof native.Rejected ? started : new DebitMachine(MAKE, started);
  }

  /** Resumes from the state `toJSON()` returned (or its JSON text). */
  static fromJSON(scenario, state) {
    return new DebitMachine(MAKE, native.NativeMachine.fromJSON(scenario, state));
  }

  /** What to do at `nowMs` (milliseconds since the Unix epoch): an `Action`. */
  poll(nowMs) {
    const [json, request] = this.#native.poll(nowMs);
    const action = Object.setPrototypeOf(json, Action.prototype);
    if (request !== null) {
      Object.defineProperty(action, 'request', { value: deepFreeze(request), enumerable: false });
    }
    return deepFreeze(action);
  }

  /** Reports the reply to the request asked for: `null` for none, else `{ status, headers, body }`. */
  onReply(nowMs, reply) {
    this.#native.onReply(nowMs, reply);
  }

  /** After a `failed` outcome whose cause has been put right: a new attempt, a new key. */
  newAttempt(nowMs) {
    this.#native.newAttempt(nowMs);
  }

  /** The machine's state (the `step` command's `state`), for `DebitMachine.fromJSON`. */
  toJSON() {
    return this.#native.toJSON();
  }

  get phase() {
    return this.#native.phase;
  }

  get attempt() {
    return this.#native.attempt;
  }
}

module.exports = {
  planDebit: native.planDebit,
  readReply,
  findDebit,
  planReversal,
  planBatch,
  reserveBook,
  DebitMachine,
  InputError,
  Planned: native.Planned,
  Rejected: native.Rejected,
  ReplyDecision,
  FindResult,
  ReversalResult,
  BatchResult,
  BookResult,
  Action,
  CommandResult,
  /** For bench.js, not part of the API. */
  _rustReadAndPlanSeconds: native.rustReadAndPlanSeconds,
  /** For bench.js, not part of the API. */
  _hostFloor: native._hostFloor,
};
