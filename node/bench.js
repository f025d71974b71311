'use strict';
// How fast planDebit is from Node, beside a plain JavaScript implementation of the same
// rules (below), on the same objects, in one run: `node bench.js` after `npm run build`.
// A benchmark, not a test: nothing is asserted about time. The two are checked to give the
// same JSON on every scenario measured before any time is taken.
//
// The JavaScript implementation covers the stripe-managed flow (the flow of the scenarios
// measured): reading the fields it needs with the same checks (types, integers within
// Number's safe range, the currency's exponent, ids), its 17 rules in the table's order,
// the balance effect, the reserve hold, the bank-account advisory and the request (form,
// headers, idempotency key), written as the plan command writes them. The platform-managed
// flow is not ported: a scenario of that flow is refused by it.

const fs = require('node:fs');
const path = require('node:path');
const lib = require('.');

const ROOT = path.resolve(__dirname, '..');
const read = (...parts) => JSON.parse(fs.readFileSync(path.join(ROOT, ...parts), 'utf8'));

// ---------------------------------------------------------------------------------------
// The plain JavaScript implementation.

class JsInputError extends Error {
  constructor(kind, at, detail) {
    super(at ? `${at}: ${detail}` : detail);
    this.kind = kind;
    this.path = at;
  }
}

const EUROPE = new Set('AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK IS LI NO GB CH GI'.split(' '));
const REGIONS = { AU: 'australia', CA: 'canada', HK: 'hong_kong', JP: 'japan', NZ: 'new_zealand', US: 'united_states' };
const region = (country) => REGIONS[country] || (EUROPE.has(country) ? 'europe' : null);
// Stripe's currencies and their minor units (the zero-decimal and three-decimal ones; two
// for the rest of those listed).
const ZERO = new Set('bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf'.split(' '));
const THREE = new Set('bhd jod kwd omr tnd'.split(' '));
const STRIPE_CURRENCIES = new Set(
  ('usd aed afn all amd ang aoa ars aud awg azn bam bbd bdt bgn bhd bif bmd bnd bob brl bsd bwp byn bzd cad cdf chf clp cny cop crc cve czk djf dkk dop dzd egp etb eur fjd fkp gbp gel gip gmd gnf gtq gyd hkd hnl htg huf idr ils inr isk jmd jod jpy kes kgs khr kmf krw kwd kyd kzt lak lbp lkr lrd lsl mad mdl mga mkd mmk mnt mop mur mvr mwk mxn myr mzn nad ngn nio nok npr nzd omr pab pen pgk php pkr pln pyg qar ron rsd rub rwf sar sbd scr sek sgd shp sle sos srd std szl thb tjs top try ttd twd tzs uah ugx uyu uzs vnd vuv wst xaf xcd xof xpf yer zar zmw').split(' '),
);
const MAX_AMOUNT = 99999999;

function object(value, at) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new JsInputError(value == null ? 'missing' : 'wrong_type', at, value == null ? 'missing' : 'expected a JSON object');
  }
  return value;
}
function string(value, at) {
  if (value == null) throw new JsInputError('missing', at, 'missing');
  if (typeof value !== 'string') throw new JsInputError('wrong_type', at, 'expected a string');
  return value;
}
function integer(value, at) {
  if (value == null) throw new JsInputError('missing', at, 'missing');
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || Object.is(value, -0)) {
    throw new JsInputError('wrong_type', at, 'expected an integer');
  }
  return value;
}
function accountId(value, at) {
  const id = string(value, at);
  if (!/^acct_[A-Za-z0-9]{1,255}$/.test(id)) throw new JsInputError('invalid', at, `"${id}" is not an account id`);
  return id;
}
function currency(value, at) {
  const code = string(value, at).toLowerCase();
  if (!/^[a-z]{3}$/.test(code)) throw new JsInputError('invalid', at, `unknown currency "${code}"`);
  return code;
}
function country(value, at) {
  const code = string(value, at).toUpperCase();
  if (!/^[A-Z]{2}$/.test(code)) throw new JsInputError('invalid', at, `unknown country "${code}"`);
  return code;
}
const exponent = (code) => (ZERO.has(code) ? 0 : THREE.has(code) ? 3 : 2);
function major(minor, code) {
  const e = exponent(code);
  if (e === 0) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(e + 1, '0');
  return `${sign}${digits.slice(0, -e)}.${digits.slice(-e)}`;
}

function readAccount(value, at) {
  const a = object(value, at);
  const controller = a.controller == null ? null : object(a.controller, `${at}.controller`);
  const losses = controller && controller.losses != null ? object(controller.losses, `${at}.controller.losses`) : null;
  const payments = losses && losses.payments != null ? string(losses.payments, `${at}.controller.losses.payments`) : null;
  const type = a.type == null ? null : string(a.type, `${at}.type`);
  const controllerType = controller && controller.type != null ? string(controller.type, `${at}.controller.type`) : null;
  const liability =
    payments === 'stripe' ? 'stripe' : payments === 'application' ? 'application' : payments !== null ? 'unknown'
      : controllerType === 'account' || type === 'standard' ? 'stripe' : 'unknown';
  const banks = [];
  let listedInFull = true;
  if (a.external_accounts != null) {
    const list = object(a.external_accounts, `${at}.external_accounts`);
    const data = list.data == null ? [] : list.data;
    if (!Array.isArray(data)) throw new JsInputError('wrong_type', `${at}.external_accounts.data`, 'expected an array');
    data.forEach((item, i) => {
      const bank = object(item, `${at}.external_accounts.data[${i}]`);
      if (bank.object === 'bank_account') {
        banks.push({ currency: currency(bank.currency, `${at}.external_accounts.data[${i}].currency`), status: bank.status });
      }
    });
    listedInFull = list.has_more !== true;
  }
  return {
    id: accountId(a.id, `${at}.id`),
    country: country(a.country, `${at}.country`),
    defaultCurrency: currency(a.default_currency, `${at}.default_currency`),
    liability,
    banks,
    listedInFull,
  };
}

function readScenario(s) {
  object(s, '');
  const at = integer(s.at, 'at');
  const platform = readAccount(s.platform_account, 'platform_account');
  const connected = readAccount(s.connected_account, 'connected_account');
  const d = object(s.debit, 'debit');
  const debit = {
    id: string(d.id, 'debit.id'),
    amount: integer(d.amount, 'debit.amount'),
    currency: currency(d.currency, 'debit.currency'),
    reference: null,
  };
  if (!STRIPE_CURRENCIES.has(debit.currency) && !/^[a-z]{3}$/.test(debit.currency)) {
    throw new JsInputError('invalid', 'debit.currency', `unknown currency "${debit.currency}"`);
  }
  if (d.reference_transaction != null) {
    const r = object(d.reference_transaction, 'debit.reference_transaction');
    const id = string(r.id, 'debit.reference_transaction.id');
    const kind = id.startsWith('ch_') || id.startsWith('py_') ? 'charge' : id.startsWith('po_') ? 'payout' : null;
    if (r.object != null && kind !== null && string(r.object, 'debit.reference_transaction.object') !== kind) {
      throw new JsInputError('invalid', 'debit.reference_transaction.object', `"${r.object}" does not match the id "${id}"`);
    }
    debit.reference = {
      id,
      kind,
      idKind: id.startsWith('pi_') ? 'payment_intent' : kind,
      account: r.account == null ? null : accountId(r.account, 'debit.reference_transaction.account'),
    };
  }
  const balance = object(s.connected_balance, 'connected_balance');
  let available = null;
  const entries = balance.available == null ? [] : balance.available;
  if (!Array.isArray(entries)) throw new JsInputError('wrong_type', 'connected_balance.available', 'expected an array');
  entries.forEach((item, i) => {
    const entry = object(item, `connected_balance.available[${i}]`);
    if (typeof entry.currency === 'string' && entry.currency.toLowerCase() === debit.currency) {
      if (available !== null) throw new JsInputError('invalid', `connected_balance.available[${i}].currency`, 'listed twice');
      available = integer(entry.amount, `connected_balance.available[${i}].amount`);
    }
  });
  let consent = null;
  if (s.consent != null) {
    const c = object(s.consent, 'consent');
    consent = {
      grantedAt: integer(c.granted_at, 'consent.granted_at'),
      revokedAt: c.revoked_at == null ? null : integer(c.revoked_at, 'consent.revoked_at'),
      evidence: c.evidence == null ? null : string(c.evidence, 'consent.evidence'),
    };
  }
  return { at, platform, connected, debit, available: available === null ? 0 : available, consent };
}

/** The stripe-managed flow's rules, in the table's order. */
function judge(x) {
  const v = [];
  const { platform, connected, debit } = x;
  const pr = region(platform.country);
  const cr = region(connected.country);
  const supported = STRIPE_CURRENCIES.has(debit.currency);
  if (connected.liability === 'application') v.push({ code: 'loss_liability_not_stripe', message: `connected account ${connected.id} has platform-managed risk`, account: connected.id });
  if (connected.liability === 'unknown') v.push({ code: 'loss_liability_unknown', message: `who bears the losses of ${connected.id} is unknown`, account: connected.id });
  if (platform.id === connected.id) v.push({ code: 'same_account', message: `the platform and the connected account are both ${connected.id}`, account: connected.id });
  if (pr === null) v.push({ code: 'platform_region_unsupported', message: `platform country ${platform.country}`, country: platform.country });
  if (cr === null) v.push({ code: 'connected_region_unsupported', message: `connected country ${connected.country}`, country: connected.country });
  if (pr !== null && cr !== null && pr !== cr) v.push({ code: 'region_mismatch', message: `${pr} and ${cr}`, platform_region: pr, connected_region: cr });
  if (debit.currency !== connected.defaultCurrency) v.push({ code: 'currency_mismatch', message: 'currency', currency: debit.currency, default_currency: connected.defaultCurrency });
  if (!supported) v.push({ code: 'currency_unsupported', message: 'currency', currency: debit.currency });
  if (supported && debit.amount <= 0) v.push({ code: 'amount_not_positive', message: 'amount', amount: debit.amount, currency: debit.currency });
  if (supported && Math.abs(debit.amount) > MAX_AMOUNT) v.push({ code: 'amount_out_of_range', message: 'amount', amount: debit.amount, currency: debit.currency });
  const ref = debit.reference;
  if (ref === null) v.push({ code: 'reference_missing', message: 'reference', account: connected.id });
  if (ref !== null && ref.kind === null) v.push({ code: 'reference_kind_unsupported', message: 'reference', kind: ref.idKind, reference: ref.id });
  if (ref !== null && ref.account !== null && ref.account !== connected.id) v.push({ code: 'reference_other_account', message: 'reference', reference: ref.id, created_on: ref.account, debited: connected.id });
  const consent = x.consent;
  if (consent === null) v.push({ code: 'consent_missing', message: 'no consent from the connected account to be debited is on record', account: connected.id });
  if (consent !== null && consent.grantedAt > x.at) v.push({ code: 'consent_not_yet_valid', message: 'consent', granted_at: consent.grantedAt, at: x.at });
  if (consent !== null && consent.revokedAt !== null && consent.revokedAt <= x.at) v.push({ code: 'consent_revoked', message: 'consent', revoked_at: consent.revokedAt, at: x.at });
  return v;
}

/** Plans a debit as the plan command writes it: the plan, or the rejection. */
function planDebitJs(scenario) {
  const x = readScenario(scenario);
  const violations = judge(x);
  if (violations.length > 0) return { outcome: 'rejected', violations };
  const { platform, connected, debit } = x;
  const before = x.available;
  const after = before - debit.amount;
  if (!Number.isSafeInteger(after)) return { outcome: 'rejected', violations: [{ code: 'amount_out_of_range' }] };
  const hold = Math.min(debit.amount, Math.max(0, -after));
  const advisories = [];
  if (!connected.banks.some((b) => b.currency === debit.currency && b.status === 'verified')) {
    advisories.push({
      code: 'bank_account_unverified',
      message: connected.listedInFull
        ? `connected account ${connected.id} has no verified bank account in ${debit.currency} on file: stripe recommends verifying it before debiting`
        : `connected account ${connected.id} has no verified bank account in ${debit.currency} among those listed, but stripe's list has more: check the rest before debiting, as stripe recommends verifying it`,
      account: connected.id,
      currency: debit.currency,
      listed_in_full: connected.listedInFull,
    });
  }
  const reference = { type: debit.reference.kind, [debit.reference.kind]: debit.reference.id };
  const key = `account-debit:${platform.id}:${connected.id}:${debit.id}`;
  return {
    outcome: 'planned',
    flow: 'stripe_managed',
    method: 'transfer',
    transfer: { account: connected.id, destination: platform.id, amount: debit.amount, currency: debit.currency, reference_transaction: reference },
    payment: { account: platform.id, source_account: connected.id, amount: debit.amount, currency: debit.currency },
    reserve_hold: hold > 0 ? { account: platform.id, amount: hold, currency: debit.currency } : null,
    connected_available: { before, after, currency: debit.currency },
    platform_available_change: debit.amount - hold,
    advisories,
    request: {
      method: 'POST',
      path: '/v1/transfers',
      headers: { 'Stripe-Account': connected.id, 'Idempotency-Key': key, 'Content-Type': 'application/x-www-form-urlencoded' },
      form: [
        ['amount', String(debit.amount)],
        ['currency', debit.currency],
        ['destination', platform.id],
        ['reference_transaction[type]', debit.reference.kind],
        [`reference_transaction[${debit.reference.kind}]`, debit.reference.id],
        ['metadata[account_debit_id]', debit.id],
      ],
    },
    // Major units, as the native result's accessors give them.
    _major: major(debit.amount, debit.currency),
  };
}

// ---------------------------------------------------------------------------------------
// The scenarios: the demo as JSON, and one of objects as stripe-node returns them (the
// fixture Account, Balance and Charge of Stripe's OpenAPI repository, each with the hidden
// `lastResponse` stripe-node adds).

function asStripeNode(object) {
  const copy = JSON.parse(JSON.stringify(object));
  Object.defineProperty(copy, 'lastResponse', { value: { statusCode: 200, headers: {}, requestId: 'req_1' }, enumerable: false });
  return copy;
}

function stripeNodeScenario() {
  const fixture = (name) => read('tests', 'fixtures', 'stripe-openapi', `${name}.json`);
  const connected = asStripeNode(fixture('account'));
  const charge = asStripeNode(fixture('charge'));
  charge.account = connected.id;
  return {
    at: 1764000000,
    platform_account: asStripeNode({ ...fixture('account'), id: 'acct_1PlatformFromFixture' }),
    connected_account: connected,
    connected_balance: asStripeNode(fixture('balance')),
    consent: { granted_at: 1700000000, revoked_at: null, evidence: 'agreement-42' },
    debit: { id: 'recovery-42', amount: 500, currency: 'usd', reference_transaction: charge },
  };
}

// ---------------------------------------------------------------------------------------
// Measuring.

/** Median nanoseconds per call over `repeats` runs of about `seconds` each. */
function rate(fn, seconds = 0.5, repeats = 5) {
  let calls = 1000;
  for (;;) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) fn();
    const took = Number(process.hrtime.bigint() - start) / 1e9;
    if (took > seconds / 10) break;
    calls *= 2;
  }
  const runs = [];
  for (let r = 0; r < repeats; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) fn();
    runs.push(Number(process.hrtime.bigint() - start) / calls);
  }
  runs.sort((a, b) => a - b);
  return runs[Math.floor(runs.length / 2)];
}

function main() {
  const scenarios = [
    ['demo scenario (plain objects)', read('examples', 'scenarios', 'demo.json')],
    ['stripe-node objects (fixtures)', stripeNodeScenario()],
  ];
  // The two implementations agree on every scenario measured.
  for (const [name, scenario] of scenarios) {
    const { _major, ...js } = planDebitJs(scenario);
    const native = lib.planDebit(scenario);
    if (JSON.stringify(js) !== JSON.stringify(native.toJSON()) || _major !== native.transfer.amountMajor) {
      throw new Error(`${name}: the JavaScript implementation disagrees:\n${JSON.stringify(js)}\n${JSON.stringify(native.toJSON())}`);
    }
  }
  const text = JSON.stringify(scenarios[0][1]);
  console.log(`Node ${process.version}; nanoseconds per call, median of 5 runs (one process, one thread)`);
  console.log('| scenario | planDebit (Rust, native) | plain JavaScript | ratio (JS / native) |');
  console.log('| --- | --- | --- | --- |');
  for (const [name, scenario] of scenarios) {
    const native = rate(() => lib.planDebit(scenario));
    const js = rate(() => planDebitJs(scenario));
    console.log(`| ${name} | ${native.toFixed(0)} ns | ${js.toFixed(0)} ns | ${(js / native).toFixed(2)}x |`);
  }
  for (const [name, scenario] of scenarios) {
    const values = lib._hostFloor(scenario);
    const floor = rate(() => lib._hostFloor(scenario));
    console.log(`| floor, ${name}: Node-API reads of the ${values} values the rules use, nothing else | ${floor.toFixed(0)} ns | | |`);
  }
  const n = 100000;
  const rust = (lib._rustReadAndPlanSeconds(text, n) / n) * 1e9;
  console.log(`| for scale: Rust reading the demo's JSON text + plan, no Node | ${rust.toFixed(0)} ns | | |`);
  const stringify = rate(() => JSON.stringify(scenarios[1][1]));
  console.log(`| for scale: JSON.stringify of the stripe-node scenario | | ${stringify.toFixed(0)} ns | |`);
  const os = require('node:os');
  console.log(`load average while measuring: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} cores)`);
}

main();
