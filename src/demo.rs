//! A ready-made debit, for examples, documentation and benchmarks: a US platform recovers
//! 5.00 USD from a US connected account with Stripe managed risk that has 10.00 USD
//! available, a verified USD bank account and consent on record, justified by a Charge.

use crate::consent::Consent;
use crate::stripe::{Account, Balance, Connected, LossLiability, Platform, ReferenceTransaction};
use crate::{Currency, Debit, DebitInput, Decimal, Money, Timestamp};

/// The platform's account id in the demo.
pub const PLATFORM: &str = "acct_1PlatformDemo0001";
/// The connected account's id in the demo.
pub const CONNECTED: &str = "acct_1ConnectedDemo001";

/// The demo debit.
///
/// # Errors
///
/// None in practice: the demo's values are constants that parse. The `Result` keeps this
/// free of `unwrap`.
///
/// # Example
///
/// ```
/// use stripe_account_debits::{demo, plan_debit};
///
/// let plan = plan_debit(&demo::input()?)?;
/// assert_eq!(plan.request().stripe_account(), Some(demo::CONNECTED));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn input() -> Result<DebitInput, Box<dyn std::error::Error>> {
    let platform = Account::new(
        PLATFORM.parse()?,
        "US".parse()?,
        Currency::USD,
        LossLiability::Stripe,
    );
    let connected = Account::new(
        CONNECTED.parse()?,
        "US".parse()?,
        Currency::USD,
        LossLiability::Stripe,
    )
    .with_verified_bank_account(Currency::USD);
    let balance = Balance::new([Money::from_minor(1000, Currency::USD)?])?;
    let debit = Debit::new(
        "recovery-42".parse()?,
        Decimal::new(500, 2),
        Currency::USD,
        ReferenceTransaction::new("ch_1DemoCharge00000001".parse()?, connected.id()),
    );
    let consent = Consent::granted(Timestamp::from_unix(1_700_000_000), "agreement-42".parse()?);
    Ok(DebitInput::new(
        Platform::new(platform),
        Connected::new(connected),
        balance,
        debit,
        Timestamp::from_unix(1_764_000_000),
    )
    .with_consent(consent))
}
