// The README's example: plan an Account Debit from the objects stripe-node returns, and
// send the planned request with stripe-node. Type-checked by ci.sh (tsc --strict).
import Stripe from 'stripe';
import { InputError, Planned, planDebit } from 'stripe-account-debits';

export async function debit(stripe: Stripe, platformId: string, connectedId: string, chargeId: string): Promise<string> {
  const [platform, connected, balance, charge] = await Promise.all([
    stripe.accounts.retrieve(platformId),
    stripe.accounts.retrieve(connectedId),
    stripe.balance.retrieve({}, { stripeAccount: connectedId }),
    stripe.charges.retrieve(chargeId, {}, { stripeAccount: connectedId }),
  ]);
  let result;
  try {
    result = planDebit({
      at: Math.floor(Date.now() / 1000),
      platform_account: platform,
      connected_account: connected,
      connected_balance: balance,
      consent: { granted_at: 1700000000, evidence: 'agreement-42' },
      debit: { id: 'recovery-42', amount: 500, currency: 'usd', reference_transaction: { ...charge, account: connectedId } },
    });
  } catch (err) {
    if (err instanceof InputError) return `cannot read ${err.path}: ${err.detail}`;
    throw err;
  }
  if (!(result instanceof Planned)) return `rejected: ${result.codes.join(', ')}`;
  const { params, options, path } = result.request;
  // A transfer from the connected account, or (platform-managed service charge) a charge.
  const created =
    path === '/v1/transfers'
      ? await stripe.transfers.create(params as unknown as Stripe.TransferCreateParams, options)
      : await stripe.charges.create(params as unknown as Stripe.ChargeCreateParams, options);
  return created.id;
}
