// Types of stripe-account-debits for Node (written by hand; the addon's own generated
// declarations, native/native.d.ts, only say `unknown` where these say what is there).
//
// Money: an amount in minor units is a `number` when it is a safe integer
// (Number.isSafeInteger), else its decimal string (`Minor`); an amount in major units is a
// decimal string (`"5.00"`). Never a float. In inputs, an amount is a safe-integer
// `number` or a `bigint` (a number beyond 2^53 - 1 is refused: it may have been rounded).

/** Minor units: a number when a safe integer, else the integer's decimal string. */
export type Minor = number | string;
/** An integer as an input takes it: a safe-integer number, or a bigint. */
export type Int = number | bigint;
/** A JSON value (as `JSON.parse` gives). */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

// ---------------------------------------------------------------------------------------
// Inputs: plain objects, or what stripe-node returns, as they are. Only the fields read are
// named; every other field of Stripe's objects is ignored.

/** Stripe's Account (v1, or v2 `v2.core.account`): the fields read. */
export interface AccountInput {
  id: string;
  object?: string | null;
  country?: string | null;
  default_currency?: string | null;
  type?: string | null;
  created?: Int | null;
  controller?: {
    losses?: { payments?: string | null } | null;
    requirement_collection?: string | null;
  } | null;
  external_accounts?: {
    data?: ReadonlyArray<{ object?: string | null; currency?: string | null; status?: string | null }>;
    has_more?: boolean | null;
  } | null;
  settings?: { payouts?: { debit_negative_balances?: boolean | null } | null } | null;
  identity?: { country?: string | null } | null;
  defaults?: { currency?: string | null; responsibilities?: { losses_collector?: string | null } | null } | null;
}

/** Stripe's Balance: the fields read (the entry in the debit's currency must be readable). */
export interface BalanceInput {
  available?: ReadonlyArray<{ amount: Int; currency: string }> | null;
}

export interface ConsentInput {
  granted_at: Int;
  revoked_at?: Int | null;
  evidence?: string | null;
}

/** A Charge or Payout (an object with `id`, or the whole object) and the account it is on. */
export interface ReferenceInput {
  id: string;
  object?: string | null;
  account?: string | null;
}

export interface DebitInput {
  id: string;
  amount: Int;
  currency: string;
  /** Platform-managed flow: `service_charge`, `recovery` or `adjustment`. */
  purpose?: 'service_charge' | 'recovery' | 'adjustment' | null;
  reference_transaction?: ReferenceInput | null;
}

/** The `plan` command's input. */
export interface Scenario {
  /** Unix seconds. */
  at: Int;
  platform_account: AccountInput;
  connected_account: AccountInput;
  connected_balance: BalanceInput;
  consent?: ConsentInput | null;
  debit: DebitInput;
  negative_balances_allowed?: boolean | null;
  platform_reserves_enabled?: boolean | null;
  /** Caps in minor units per currency (`{ eur: 9000000 }`). */
  amount_caps?: { readonly [currency: string]: Int } | null;
}

/** A reply as `readReply` and `DebitMachine.onReply` take it. */
export interface ReplyInput {
  status: number;
  /** An object of names to values, a fetch `Headers`, or `[name, value]` pairs. */
  headers?: { readonly [name: string]: string } | Iterable<readonly [string, string]> | null;
  /** The raw text, its bytes, or the parsed JSON (stripe-node's object). */
  body?: string | Uint8Array | object | null;
}

/** The `reply` command's input. */
export interface ReplyCommandInput {
  scenario: Scenario;
  attempt: { sends: Int; first_sent_at: Int; now: Int; number?: Int | null };
  /** `null`: no reply came (a timeout, a connection error). */
  reply: { status: Int; headers?: { readonly [name: string]: string } | null; body?: Json | string | Uint8Array } | null;
  options?: { max_sends?: Int; key_window_margin_seconds?: Int } | null;
}

/** Stripe's Transfer: the object a list or a reply holds (read as the crate reads it). */
export type TransferInput = object;

/** The `find` command's input: a Stripe list object of transfers, as stripe-node returns it. */
export interface FindInput {
  scenario: Scenario;
  transfers: { object?: string; data: readonly TransferInput[]; has_more: boolean };
  platform_balance: BalanceInput;
}

/** The `reverse` command's input. */
export interface ReverseInput {
  scenario: Scenario;
  transfer: TransferInput;
  amount?: Int | null;
  reversal_id: string;
  platform_balance: BalanceInput;
}

/** The `batch` and `book` commands' input. */
export interface BookInput {
  at: Int;
  platform_account: AccountInput;
  platform_balance?: BalanceInput | null;
  accounts: ReadonlyArray<{
    account: AccountInput;
    balance: BalanceInput;
    consent?: ConsentInput | null;
    negative_since?: Int | null;
  }>;
  debits?: ReadonlyArray<{ account: string; id: string; amount: Int; currency: string; [field: string]: unknown }>;
  within_days?: Int | null;
  [field: string]: unknown;
}

/** The `step` command's `options` (each optional, in milliseconds or counts). */
export interface MachineOptions {
  fast_sends?: Int;
  key_window_margin_ms?: Int;
  settle_ms?: Int;
  act_within_ms?: Int;
  request_timeout_ms?: Int;
  clock_skew_ms?: Int;
  max_attempts?: Int;
}

// ---------------------------------------------------------------------------------------
// Errors

export type InputErrorKind = 'missing' | 'wrong_type' | 'invalid' | 'unknown_key' | 'syntax' | 'document' | 'too_large';

/**
 * Input that cannot be read. `message` is `path: detail` (safe to log: the library escapes
 * and cuts short any text from the input); `toJSON()` is the command line's output.
 * An exception thrown by a caller's getter, `toJSON` or proxy is passed on unchanged
 * instead.
 */
export class InputError extends Error {
  private constructor();
  readonly name: 'InputError';
  readonly kind: InputErrorKind;
  /** The JSON path at fault (`connected_account.default_currency`), `''` for the whole input. */
  readonly path: string;
  /** The message without its path. */
  readonly detail: string;
  toJSON(): { outcome: 'invalid_input'; error: string; kind: InputErrorKind; path: string };
}

// ---------------------------------------------------------------------------------------
// planDebit

/** A rule broken or an advisory: its JSON (`code`, `message`, and the values it names). */
export interface Coded {
  readonly code: string;
  readonly message: string;
  readonly [field: string]: Json;
}

export interface MoneyOf {
  readonly amount: Minor;
  /** Major units, a decimal string (`"5.00"`). */
  readonly amountMajor: string;
  readonly currency: string;
}

/** A request as stripe-node takes it. */
export interface Request {
  readonly method: 'POST' | 'GET';
  readonly path: string;
  readonly stripeAccount: string | null;
  readonly idempotencyKey: string | null;
  /** `Stripe-Account`, `Idempotency-Key`, and `Content-Type` for a POST. */
  readonly headers: { readonly [name: string]: string };
  /** The form fields as sent, in order. */
  readonly form: ReadonlyArray<readonly [string, string]>;
  /** The parameters for stripe-node: a bracketed name a nested object, `amount` a number. */
  readonly params: { readonly amount?: Minor; readonly [name: string]: unknown };
  /** stripe-node's request options: `stripeAccount` (when set) and `idempotencyKey`. */
  readonly options: { readonly stripeAccount?: string; readonly idempotencyKey?: string };
}

export class Planned {
  private constructor();
  readonly outcome: 'planned';
  readonly flow: 'stripe_managed' | 'platform_managed';
  readonly method: 'transfer' | 'charge';
  readonly transfer: {
    readonly account: string;
    readonly destination: string;
    readonly amount: Minor;
    readonly amountMajor: string;
    readonly currency: string;
    readonly referenceType: 'charge' | 'payout' | null;
    readonly referenceId: string | null;
  };
  readonly payment: { readonly account: string; readonly sourceAccount: string } & MoneyOf;
  readonly reserveHold: ({ readonly account: string } & MoneyOf) | null;
  readonly connectedAvailable: {
    readonly before: Minor;
    readonly beforeMajor: string;
    readonly after: Minor;
    readonly afterMajor: string;
    readonly currency: string;
  };
  readonly platformAvailableChange: Minor;
  readonly platformAvailableChangeMajor: string;
  readonly advisories: readonly Coded[];
  /** The request under attempt 1's idempotency key. */
  readonly request: Request & { readonly method: 'POST'; readonly idempotencyKey: string };
  /** The request under attempt `n`'s key (`account-debit#<n>:...` from the second). */
  requestFor(n: number): Request & { readonly method: 'POST'; readonly idempotencyKey: string };
  /** The plan command's JSON. */
  toJSON(): { readonly outcome: 'planned'; readonly [field: string]: Json };
}

export class Rejected {
  private constructor();
  readonly outcome: 'rejected';
  /** Every rule broken, in the order the library checks them. */
  readonly violations: readonly Coded[];
  readonly codes: readonly string[];
  toJSON(): { readonly outcome: 'rejected'; readonly violations: readonly Coded[] };
}

/** Plans one Account Debit. Throws `InputError` when the scenario cannot be read. */
export function planDebit(scenario: Scenario): Planned | Rejected;

// ---------------------------------------------------------------------------------------
// The other commands: each result's own properties are the command's JSON (frozen).

export abstract class CommandResult {
  /** The command's JSON. */
  toJSON(): { readonly [field: string]: Json };
}

type StripeErrorOut = {
  readonly type: string | null;
  readonly code: string | null;
  readonly param: string | null;
  readonly message: string | null;
};

export type ReplyNext =
  | { readonly next: 'confirmed'; readonly transfer: string; readonly payment: string | null; readonly replayed: boolean }
  | { readonly next: 'mismatch'; readonly field: string; readonly planned: string; readonly returned: string }
  | {
      readonly next: 'retry';
      readonly reason: string;
      readonly attempt: number;
      readonly idempotency_key: string;
      readonly delay_ms: { readonly min: number; readonly max: number };
    }
  | {
      readonly next: 'failed';
      readonly status: number;
      readonly error: StripeErrorOut;
      readonly request_id: string | null;
      readonly new_attempt_may_succeed: boolean;
      readonly idempotency_error: boolean;
    }
  | { readonly next: 'in_doubt'; readonly reason: string; readonly status: number | null; readonly request_id: string | null; readonly then: string };
export type ReplyDecision = CommandResult & ReplyNext;

export interface PlannedReversal {
  readonly outcome: 'planned';
  readonly transfer: string;
  readonly amount: Minor;
  readonly request: {
    readonly method: 'POST';
    readonly path: string;
    readonly headers: { readonly [name: string]: string };
    readonly form: ReadonlyArray<readonly [string, string]>;
  };
  readonly connected_available: { readonly before: Minor; readonly after: Minor; readonly currency: string };
  readonly reserve_release: { readonly amount: Minor; readonly currency: string } | null;
  readonly platform_available_change: Minor;
  readonly platform_available: { readonly before: Minor; readonly after: Minor; readonly currency: string };
}
export type Reversal = PlannedReversal | { readonly outcome: 'rejected'; readonly violations: readonly Coded[] };
export type ReversalResult = CommandResult & Reversal;

export type Found =
  | { readonly outcome: 'found'; readonly transfers: readonly string[]; readonly transfer: string; readonly payment: string | null }
  | { readonly outcome: 'not_found'; readonly transfers: readonly []; readonly list_complete: boolean }
  | { readonly outcome: 'duplicated'; readonly transfers: readonly string[]; readonly kept: string; readonly reversals: readonly Reversal[] };
export type FindResult = CommandResult & Found;

export interface Uncounted {
  readonly account: string;
  readonly path: string;
  readonly error: string;
}

export type BatchResult = CommandResult & {
  /** `'planned'` when every debit is planned, else `'rejected'` (not in `toJSON()`). */
  readonly outcome: 'planned' | 'rejected';
  readonly rejected: number;
  /** False when an entry of a balance could not be read: see `uncounted`. */
  readonly complete: boolean;
  readonly outcomes: ReadonlyArray<{ readonly outcome: 'planned' | 'rejected'; readonly account: string; readonly debit: string; readonly [field: string]: Json }>;
  readonly accounts: readonly Json[];
  readonly reserve: readonly Json[];
  readonly schedule: Json;
  readonly uncounted: readonly Uncounted[];
};

export type BookResult = CommandResult & {
  readonly complete: boolean;
  readonly accounts: readonly Json[];
  readonly reserve: ReadonlyArray<{ readonly amount: Minor; readonly currency: string }>;
  readonly ageing: Json;
  readonly uncounted: readonly Uncounted[];
};

/** What Stripe's reply to the debit's request means. Throws `InputError`. */
export function readReply(input: ReplyCommandInput): ReplyDecision;
/** The debit among the connected account's transfers. Throws `InputError`. */
export function findDebit(input: FindInput): FindResult;
/** The reversal of the debit's transfer. Throws `InputError`. */
export function planReversal(input: ReverseInput): ReversalResult;
/** The book's debits planned in order. Throws `InputError`. */
export function planBatch(book: BookInput): BatchResult;
/** The platform's reserve for negative balances and the accounts Stripe zeroes from it. */
export function reserveBook(book: BookInput): BookResult;

export const ReplyDecision: abstract new () => ReplyDecision;
export const FindResult: abstract new () => FindResult;
export const ReversalResult: abstract new () => ReversalResult;
export const BatchResult: abstract new () => BatchResult;
export const BookResult: abstract new () => BookResult;
export const Action: abstract new () => Action;

// ---------------------------------------------------------------------------------------
// The debit's state machine

/** A machine's request: a Request with the encoded form and the latest time to make it. */
export interface HttpRequest extends Request {
  readonly encodedParams: string;
  readonly actByMs: Minor;
}

export type ActionJson =
  | {
      readonly action: 'send' | 'list';
      readonly method: 'POST' | 'GET';
      readonly path: string;
      readonly stripe_account: string | null;
      readonly idempotency_key: string | null;
      readonly params: ReadonlyArray<readonly [string, string]>;
      readonly body?: string;
      readonly query?: string;
      readonly act_by_ms: Minor;
    }
  | { readonly action: 'wait'; readonly until_ms: number; readonly jitter_ms: number }
  | {
      readonly action: 'done';
      readonly outcome:
        | { readonly code: 'confirmed'; readonly transfer: string; readonly payment: string | null; readonly by: 'reply' | 'search'; readonly replayed?: boolean; readonly reversed: readonly Json[] }
        | { readonly code: 'failed'; readonly attempt: number; readonly status: number; readonly request_id: string | null; readonly error: StripeErrorOut; readonly new_attempt_may_succeed: boolean; readonly [field: string]: Json };
    }
  | {
      readonly action: 'escalate';
      readonly reason: 'mismatch' | 'idempotency_error' | 'attempts_exhausted' | 'search_failed' | 'reversal_refused';
      readonly detail: string;
      readonly [field: string]: Json;
    };

/** What a machine asks for: the step command's action, and for send and list the request. */
export type Action = CommandResult &
  (
    | (Extract<ActionJson, { action: 'send' | 'list' }> & { readonly request: HttpRequest })
    | Exclude<ActionJson, { action: 'send' | 'list' }>
  );

/** The machine's saved state (the step command's `state`): a JSON document to keep. */
export type MachineState = { readonly version: number; readonly [field: string]: Json };

export class DebitMachine {
  private constructor();
  /** Plans the scenario's debit and starts its machine, or returns the rejection. */
  static start(scenario: Scenario, options?: MachineOptions | null): DebitMachine | Rejected;
  /** Resumes from a state `toJSON()` returned (or its JSON text), with the same scenario. */
  static fromJSON(scenario: Scenario, state: MachineState | string): DebitMachine;
  /** What to do at `nowMs` (milliseconds since the Unix epoch). */
  poll(nowMs: number): Action;
  /** The reply to the request asked for; `null` or `undefined` when none came. */
  onReply(nowMs: number, reply?: ReplyInput | null): void;
  /** After a `failed` outcome whose cause has been put right: a new attempt, a new key. */
  newAttempt(nowMs: number): void;
  /** The state to save before every request made. */
  toJSON(): MachineState;
  readonly phase: 'sending' | 'searching' | 'reversing' | 'done' | 'escalated';
  readonly attempt: number;
}
