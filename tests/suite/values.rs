//! The value types: what parses, what does not, and the exact errors.

use stripe_account_debits::consent::{Consent, ConsentStatus, Evidence, MAX_EVIDENCE_LEN};
use stripe_account_debits::currency::CurrencyError;
use stripe_account_debits::currency::{self, CurrencySet, WireCode, parse_currency};
use stripe_account_debits::money::{BalanceEffect, EffectError, MoneyError};
use stripe_account_debits::stripe::{
    Account, Balance, Connected, Country, IdError, LossLiability, MAX_ID_LEN, ObjectKind, Platform,
    ReferenceTransaction, ReferenceType, Region,
};
use stripe_account_debits::*;

#[test]
fn account_ids() {
    let id: AccountId = "acct_1PgafTB7WZ01zgkW".parse().unwrap();
    assert_eq!(id.to_string(), "acct_1PgafTB7WZ01zgkW");
    assert_eq!(format!("{id:?}"), "AccountId(\"acct_1PgafTB7WZ01zgkW\")");
    let cases = [
        ("", IdError::Empty, "empty id"),
        (
            "acct",
            IdError::MissingPrefix,
            "id has no prefix (expected letters, then \"_\")",
        ),
        // A well-formed id of a kind this crate does not know is an id, of another kind.
        (
            "zz_1",
            IdError::WrongKind { expected: "acct" },
            "expected an id starting with \"acct_\"",
        ),
        (
            "acct_",
            IdError::EmptyBody,
            "id has nothing after its prefix",
        ),
        (
            "acct_12-3",
            IdError::InvalidCharacter { index: 7 },
            "id has an invalid character at byte 7",
        ),
        (
            "acct_1 2",
            IdError::InvalidCharacter { index: 6 },
            "id has an invalid character at byte 6",
        ),
        (
            "ch_1",
            IdError::WrongKind { expected: "acct" },
            "expected an id starting with \"acct_\"",
        ),
        (
            "ACCT_1",
            IdError::InvalidPrefix,
            "an id's prefix is lowercase letters",
        ),
        (
            "a1_1",
            IdError::InvalidPrefix,
            "an id's prefix is lowercase letters",
        ),
        (
            "_1",
            IdError::InvalidPrefix,
            "an id's prefix is lowercase letters",
        ),
    ];
    for (text, error, message) in cases {
        assert_eq!(text.parse::<AccountId>(), Err(error), "{text:?}");
        assert_eq!(error.to_string(), message);
    }
    let long = format!("acct_{}", "a".repeat(MAX_ID_LEN - 4));
    assert_eq!(
        long.parse::<AccountId>(),
        Err(IdError::TooLong {
            len: MAX_ID_LEN + 1,
            max: MAX_ID_LEN
        })
    );
    assert_eq!(
        IdError::TooLong { len: 65, max: 64 }.to_string(),
        "id is 65 bytes long, more than the 64 allowed"
    );
    assert!(long[1..].parse::<AccountId>().is_err());
    assert!(
        format!("acct_{}", "a".repeat(MAX_ID_LEN - 5))
            .parse::<AccountId>()
            .is_ok()
    );
}

#[test]
fn transaction_ids() {
    for (text, kind) in [
        ("ch_1", ObjectKind::Charge),
        ("py_QXhWZR8SdWquhf", ObjectKind::Payment),
        ("po_1", ObjectKind::Payout),
        ("pi_1", ObjectKind::PaymentIntent),
        ("tr_1", ObjectKind::Transfer),
        ("trr_1", ObjectKind::TransferReversal),
        ("pyr_1", ObjectKind::PaymentRefund),
        ("du_1", ObjectKind::Dispute),
        ("dp_1", ObjectKind::Dispute),
    ] {
        let id: TransactionId = text.parse().unwrap();
        assert_eq!(id.kind(), kind, "{text}");
        assert_eq!(id.as_str(), text);
    }
    assert_eq!(
        "acct_1".parse::<TransactionId>(),
        Err(IdError::AccountNotTransaction)
    );
    assert_eq!(
        IdError::AccountNotTransaction.to_string(),
        "expected a transaction id, not an account id"
    );
    assert_eq!(ObjectKind::Dispute.prefix(), "dp");
    assert_eq!(ObjectKind::Payment.object_name(), "charge");
}

#[test]
fn countries() {
    assert_eq!("us".parse::<Country>().unwrap().as_str(), "US");
    assert_eq!("Gb".parse::<Country>().unwrap().to_string(), "GB");
    for bad in ["", "U", "USA", "ZZ", "1A", "é"] {
        let err = bad.parse::<Country>().unwrap_err();
        assert_eq!(err.code(), bad);
        assert_eq!(err.to_string(), format!("unknown country \"{bad}\""));
    }
}

#[test]
fn currencies() {
    assert_eq!(parse_currency("usd"), Ok(Currency::USD));
    assert_eq!(parse_currency("EUR"), Ok(Currency::EUR));
    assert_eq!(parse_currency("jPy"), Ok(Currency::JPY));
    let err = parse_currency("xyz").unwrap_err();
    assert_eq!(err.to_string(), "unknown currency \"xyz\"");
    assert_eq!(err.currency(), None);
    assert!(parse_currency("usdd").is_err());
    assert!(parse_currency("").is_err());
    let err = parse_currency("xau").unwrap_err();
    assert_eq!(err.to_string(), "currency XAU has no minor unit on stripe");
    assert_eq!(err.currency(), Some(Currency::XAU));
    assert_eq!(WireCode::of(Currency::CHF).to_string(), "chf");
}

#[test]
fn the_stripe_currency_table() {
    let zero = [
        "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV",
        "XAF", "XOF", "XPF",
    ];
    for code in zero {
        let u = currency::StripeCurrency::of(Currency::from_code(code).unwrap()).unwrap();
        assert_eq!((u.wire_exponent(), u.decimal_places()), (0, 0), "{code}");
    }
    for code in ["BHD", "JOD", "KWD", "OMR", "TND"] {
        let u = currency::StripeCurrency::of(Currency::from_code(code).unwrap()).unwrap();
        assert_eq!((u.wire_exponent(), u.decimal_places()), (3, 3), "{code}");
    }
    let isk = currency::StripeCurrency::of(Currency::ISK).unwrap();
    assert_eq!((isk.wire_exponent(), isk.decimal_places()), (2, 0));
    for code in ["USD", "EUR", "GBP", "HUF", "TWD", "CAD"] {
        let u = currency::StripeCurrency::of(Currency::from_code(code).unwrap()).unwrap();
        assert_eq!((u.wire_exponent(), u.decimal_places()), (2, 2), "{code}");
    }
    assert_eq!(currency::StripeCurrency::of(Currency::XAU), None);
}

#[test]
fn money_is_exact_and_never_rounds() {
    let m = Money::from_decimal(Decimal::new(1999, 2), Currency::USD).unwrap();
    assert_eq!((m.minor(), m.amount()), (1999, Decimal::new(1999, 2)));
    assert_eq!(m.to_string(), "19.99 USD");
    assert_eq!(format!("{m:?}"), "Money(19.99 USD)");
    assert_eq!(
        Money::from_decimal(Decimal::new(19999, 3), Currency::USD),
        Err(MoneyError::TooPrecise {
            amount: Decimal::new(19999, 3),
            currency: Currency::USD,
            decimal_places: 2
        })
    );
    // A wire amount is a fact Stripe reports: an ISK balance of 12345 is 123.45 kr, though
    // a debit may only take whole krónur.
    let isk = Money::from_minor(12345, Currency::ISK).unwrap();
    assert_eq!((isk.minor(), isk.amount()), (12345, Decimal::new(12345, 2)));
    assert_eq!(isk.to_string(), "123.45 ISK");
    assert_eq!(
        Money::from_decimal(Decimal::new(12345, 2), Currency::ISK)
            .unwrap_err()
            .to_string(),
        "123.45 ISK has more than 0 decimal places"
    );
    assert_eq!(
        Money::from_minor(12300, Currency::ISK).unwrap().to_string(),
        "123 ISK"
    );
    assert_eq!(
        Money::from_decimal(Decimal::MAX, Currency::USD)
            .unwrap_err()
            .to_string(),
        "79228162514264337593543950335 USD does not fit stripe's integer amount"
    );
    assert_eq!(
        Money::zero(Currency::XAU).unwrap_err().to_string(),
        "currency XAU has no minor unit on stripe"
    );
    let min = Money::from_minor(i64::MIN, Currency::KWD).unwrap();
    assert_eq!(
        min.amount(),
        Decimal::from_i128_with_scale(i64::MIN.into(), 3)
    );
    assert!(min.is_negative() && !min.is_zero() && !min.is_positive());
}

#[test]
fn money_parses_what_it_prints() {
    for text in ["19.99 USD", "-0.01 usd", "123 ISK", "1.250 KWD", "500 JPY"] {
        let m: Money = text.parse().unwrap();
        assert_eq!(m.to_string().parse::<Money>().unwrap(), m, "{text}");
    }
    assert_eq!("5usd".parse::<Money>(), Err(MoneyError::Syntax));
    assert_eq!(
        MoneyError::Syntax.to_string(),
        "expected an amount and a currency code, as in \"12.50 usd\""
    );
    assert_eq!(
        "abc usd".parse::<Money>().unwrap_err().to_string(),
        "invalid amount \"abc\""
    );
    assert_eq!(
        "1 xyz".parse::<Money>().unwrap_err().to_string(),
        "unknown currency \"xyz\""
    );
    // More digits than a Decimal holds is an error, not a rounding.
    assert!(
        "1.00000000000000000000000000001 usd"
            .parse::<Money>()
            .is_err()
    );
}

#[test]
fn money_arithmetic_is_checked() {
    let a = Money::from_minor(i64::MAX, Currency::USD).unwrap();
    let one = Money::from_minor(1, Currency::USD).unwrap();
    assert_eq!(a.checked_add(one), None);
    assert_eq!(
        a.checked_sub(one),
        Some(Money::from_minor(i64::MAX - 1, Currency::USD).unwrap())
    );
    let min = Money::from_minor(i64::MIN, Currency::USD).unwrap();
    assert_eq!(min.checked_sub(one), None);
    assert_eq!(one.checked_add(Money::zero(Currency::EUR).unwrap()), None);
    assert_eq!(one.checked_sub(Money::zero(Currency::EUR).unwrap()), None);
    assert_eq!(one.checked_add(one).map(|m| m.minor()), Some(2));
}

#[test]
fn balances() {
    let usd = Money::from_minor(1, Currency::USD).unwrap();
    let err = Balance::new([usd, usd]).unwrap_err();
    assert_eq!(err.currency(), Currency::USD);
    assert_eq!(err.to_string(), "balance lists currency USD more than once");
    let b = Balance::new([usd, Money::zero(Currency::EUR).unwrap()]).unwrap();
    assert_eq!(b.iter().count(), 2);
    assert_eq!(Balance::empty().available(Currency::USD), None);
}

#[test]
fn debit_ids_and_evidence() {
    assert!("a".parse::<DebitId>().is_ok());
    assert!("refund:re_1/line#2".parse::<DebitId>().is_ok());
    let max = "x".repeat(MAX_DEBIT_ID_LEN);
    assert!(max.parse::<DebitId>().is_ok());
    for bad in ["", "a b", "tab\t", "é", &format!("{max}x")] {
        let err = bad.parse::<DebitId>().unwrap_err();
        assert_eq!(err.max_len(), MAX_DEBIT_ID_LEN);
        assert_eq!(
            err.to_string(),
            "debit id must be 1 to 100 printable ascii characters without spaces"
        );
    }
    assert_eq!(
        "signed pdf #7".parse::<Evidence>().unwrap().as_str(),
        "signed pdf #7"
    );
    for bad in ["", "   ", "line\nbreak", &"e".repeat(MAX_EVIDENCE_LEN + 1)] {
        assert_eq!(
            bad.parse::<Evidence>().unwrap_err().to_string(),
            "evidence must be 1 to 2048 printable ascii characters"
        );
    }
    // A signed document's URL, as e-signature services hand them out: hundreds of
    // characters.
    let url = format!(
        "https://sign.example.com/documents/7f3c/signed.pdf?X-Amz-Credential={}&X-Amz-Signature={}",
        "A".repeat(200),
        "f".repeat(300)
    );
    assert_eq!(url.parse::<Evidence>().unwrap().as_str(), url);
    let longest = "e".repeat(MAX_EVIDENCE_LEN);
    assert_eq!(longest.parse::<Evidence>().unwrap().as_str(), longest);
}

#[test]
fn currency_sets() {
    let set = CurrencySet::new();
    assert!(set.is_empty());
    let set = set.with(Currency::USD).with(Currency::ZWG);
    assert!(!set.is_empty());
    assert!(set.contains(Currency::USD) && set.contains(Currency::ZWG));
    assert!(!set.contains(Currency::AED));
}

#[test]
fn every_value_prints_exactly() {
    let account: AccountId = "acct_1A".parse().unwrap();
    let transaction: TransactionId = "ch_1B".parse().unwrap();
    let debit: DebitId = "refund/7".parse().unwrap();
    let evidence: Evidence = "signed 2026".parse().unwrap();
    let country: Country = "fr".parse().unwrap();
    let key = IdempotencyKey::new(account, "acct_1C".parse().unwrap(), debit);
    let cases: Vec<(String, &str)> = vec![
        (account.to_string(), "acct_1A"),
        (format!("{account:?}"), "AccountId(\"acct_1A\")"),
        (transaction.to_string(), "ch_1B"),
        (format!("{transaction:?}"), "TransactionId(\"ch_1B\")"),
        (debit.to_string(), "refund/7"),
        (debit.as_str().to_owned(), "refund/7"),
        (format!("{debit:?}"), "DebitId(\"refund/7\")"),
        (evidence.to_string(), "signed 2026"),
        (format!("{evidence:?}"), "Evidence(\"signed 2026\")"),
        (country.to_string(), "FR"),
        (format!("{country:?}"), "Country(\"FR\")"),
        (key.to_string(), "account-debit:acct_1A:acct_1C:refund/7"),
        (
            format!("{key:?}"),
            "IdempotencyKey(\"account-debit:acct_1A:acct_1C:refund/7\")",
        ),
        (
            format!("{:?}", WireCode::of(Currency::NOK)),
            "WireCode(\"nok\")",
        ),
        (LossLiability::Stripe.to_string(), "stripe"),
        (LossLiability::Platform.to_string(), "application"),
        (LossLiability::Unknown.to_string(), "unknown"),
        (ReferenceType::Charge.to_string(), "charge"),
        (ReferenceType::Payout.to_string(), "payout"),
        (Timestamp::from_unix(-5).to_string(), "-5"),
        (
            ObjectKind::TransferReversal.to_string(),
            "transfer reversal",
        ),
    ];
    for (got, want) in cases {
        assert_eq!(got, want);
    }
    let regions = [
        (Region::Australia, "australia", "australia"),
        (Region::Canada, "canada", "canada"),
        (Region::Europe, "europe", "europe"),
        (Region::HongKong, "hong_kong", "hong kong"),
        (Region::Japan, "japan", "japan"),
        (Region::NewZealand, "new_zealand", "new zealand"),
        (Region::UnitedStates, "united_states", "the us"),
    ];
    for (region, code, text) in regions {
        assert_eq!((region.code(), region.to_string().as_str()), (code, text));
    }
}

#[test]
fn the_request_prints_what_it_sends() {
    let plan = plan_debit(&demo::input().unwrap()).unwrap();
    let debug = format!("{:?}", plan.request());
    assert!(
        debug.starts_with(
            "StripeRequest { method: \"POST\", path: \"/v1/transfers\", headers: \
             [(\"Stripe-Account\", \"acct_1ConnectedDemo001\"), (\"Idempotency-Key\", "
        ),
        "{debug}"
    );
    assert!(debug.contains("(\"amount\", \"500\")"), "{debug}");
    assert!(format!("{plan:?}").contains("debit_id: DebitId(\"recovery-42\")"));
}

#[test]
fn ids_order_and_hash_by_their_text() {
    use std::collections::HashSet;
    let mut ids: Vec<AccountId> = ["acct_1C", "acct_1A", "acct_1B", "acct_1A"]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    ids.sort();
    let sorted: Vec<&str> = ids.iter().map(AccountId::as_str).collect();
    assert_eq!(sorted, ["acct_1A", "acct_1A", "acct_1B", "acct_1C"]);
    assert!(ids[1] < ids[2]);
    assert_eq!(ids[0].partial_cmp(&ids[3]), Some(std::cmp::Ordering::Less));
    let unique: HashSet<AccountId> = ids.into_iter().collect();
    assert_eq!(unique.len(), 3);
    let debits: HashSet<DebitId> = ["a", "b", "a"].iter().map(|s| s.parse().unwrap()).collect();
    assert_eq!(debits.len(), 2);
    // Hashes follow the text: equal ids hash alike, different ones (almost always) not.
    let hash = |id: &str| {
        use std::hash::{BuildHasher, RandomState};
        let state = RandomState::new();
        let id: AccountId = id.parse().unwrap();
        (
            state.hash_one(id),
            state.hash_one(id.as_str().parse::<AccountId>().unwrap()),
        )
    };
    let (a, a_again) = hash("acct_1A");
    assert_eq!(a, a_again);
    let state = std::hash::RandomState::new();
    let ids: HashSet<u64> = ["acct_1A", "acct_1B", "acct_1C", "acct_1D"]
        .iter()
        .map(|s| std::hash::BuildHasher::hash_one(&state, s.parse::<AccountId>().unwrap()))
        .collect();
    assert!(ids.len() > 1, "every id hashed alike");
}

#[test]
fn money_signs() {
    let cases = [
        (-1, false, true, false),
        (0, true, false, false),
        (1, false, false, true),
    ];
    for (minor, zero, negative, positive) in cases {
        let m = Money::from_minor(minor, Currency::EUR).unwrap();
        assert_eq!(
            (m.is_zero(), m.is_negative(), m.is_positive()),
            (zero, negative, positive)
        );
    }
}

#[test]
fn consent_validity() {
    let consent = Consent::granted(Timestamp::from_unix(10), "e".parse().unwrap())
        .revoke(Timestamp::from_unix(20))
        .unwrap();
    for (at, valid, status) in [
        (9, false, Some(ConsentStatus::NotYetValid)),
        (10, true, Some(ConsentStatus::Valid)),
        (19, true, Some(ConsentStatus::Valid)),
        (20, false, None),
        (21, false, None),
    ] {
        let got = consent.status_at(Timestamp::from_unix(at));
        assert_eq!(consent.is_valid_at(Timestamp::from_unix(at)), valid, "{at}");
        match status {
            Some(status) => assert_eq!(got, status, "{at}"),
            // Revoked, carrying the time of the revocation.
            None => assert!(
                matches!(got, ConsentStatus::Revoked { revoked_at, .. } if revoked_at.unix() == 20),
                "{at}: {got:?}"
            ),
        }
    }
    assert_eq!(consent.revoked_at(), Some(Timestamp::from_unix(20)));
    assert_eq!(consent.evidence().as_str(), "e");
}

#[test]
fn balances_update_in_place() {
    let mut balance = Balance::new([Money::from_minor(5, Currency::EUR).unwrap()]).unwrap();
    balance.set_available(Money::from_minor(7, Currency::USD).unwrap());
    balance.set_available(Money::from_minor(-3, Currency::EUR).unwrap());
    let listed: Vec<String> = balance.iter().map(|m| m.to_string()).collect();
    assert_eq!(listed, ["-0.03 EUR", "0.07 USD"]);
}

#[test]
fn a_currency_set_holds_exactly_what_was_added() {
    let all: Vec<Currency> = (0..1000).filter_map(Currency::from_numeric).collect();
    for c in &all {
        let set = CurrencySet::new().with(*c);
        let members: Vec<&Currency> = all.iter().filter(|o| set.contains(**o)).collect();
        assert_eq!(members, [c]);
    }
}

#[test]
fn a_balance_effect_is_before_after_and_the_growth_of_the_negative_part() {
    let usd = |minor| Money::from_minor(minor, Currency::USD).unwrap();
    // (before, amount) -> (after, reserve, platform available change)
    for (before, amount, after, reserve) in [
        (1_000, 500, 500, 0),
        (500, 500, 0, 0),
        (300, 500, -200, 200),
        (-100, 500, -600, 500),
        (0, 1, -1, 1),
    ] {
        let effect = BalanceEffect::of_debit(usd(before), usd(amount)).unwrap();
        assert_eq!(effect.before(), usd(before));
        assert_eq!(effect.after(), usd(after));
        assert_eq!(effect.amount(), usd(amount));
        assert_eq!(effect.reserve(), usd(reserve));
        assert_eq!(effect.platform_available_change(), usd(amount - reserve));
    }
    let eur = Money::from_minor(5, Currency::EUR).unwrap();
    let err = BalanceEffect::of_debit(usd(5), eur).unwrap_err();
    assert_eq!(
        err,
        EffectError::CurrencyMismatch {
            amount: Currency::EUR,
            balance: Currency::USD
        }
    );
    assert_eq!(err.to_string(), "the amount is in EUR, the balance in USD");
    for amount in [0, -5] {
        let err = BalanceEffect::of_debit(usd(5), usd(amount)).unwrap_err();
        assert_eq!(
            err,
            EffectError::NotPositive {
                amount: usd(amount)
            }
        );
    }
    assert_eq!(
        BalanceEffect::of_debit(usd(5), usd(0))
            .unwrap_err()
            .to_string(),
        "the amount 0.00 USD is not positive"
    );
    let low = usd(i64::MIN + 1);
    assert_eq!(
        BalanceEffect::of_debit(low, usd(2)),
        Err(EffectError::OutOfRange { before: low })
    );
    // The last one that fits.
    assert_eq!(
        BalanceEffect::of_debit(low, usd(1)).unwrap().after(),
        usd(i64::MIN)
    );
}

#[test]
fn a_stripe_currency_is_a_currency_with_its_units() {
    use stripe_account_debits::currency::StripeCurrency;
    let isk = StripeCurrency::of(Currency::ISK).unwrap();
    assert_eq!(isk.currency(), Currency::ISK);
    assert_eq!(Currency::from(isk), Currency::ISK);
    assert_eq!(
        (isk.wire_exponent(), isk.decimal_places(), isk.wire_step()),
        (2, 0, 100)
    );
    assert_eq!(isk.wire_code().as_str(), "isk");
    assert_eq!(isk.to_string(), "isk");
    assert_eq!(format!("{isk:?}"), "StripeCurrency(ISK)");
    let kwd = StripeCurrency::of(Currency::KWD).unwrap();
    assert_eq!(
        (kwd.wire_exponent(), kwd.decimal_places(), kwd.wire_step()),
        (3, 3, 1)
    );
    assert_eq!(StripeCurrency::of(Currency::XAU), None);
    let zero = Money::zero_in(isk);
    assert_eq!((zero.minor(), zero.currency()), (0, Currency::ISK));
    assert_eq!(zero.stripe_currency(), isk);
    assert_eq!(
        Money::from_minor(12_300, Currency::ISK)
            .unwrap()
            .stripe_currency(),
        isk
    );
}

#[test]
fn kinds_name_their_code_order_summary_and_source() {
    assert_eq!(ViolationKind::ALL.len(), Violation::CODES.len());
    for (i, kind) in ViolationKind::ALL.iter().enumerate() {
        assert_eq!(kind.position(), i);
        assert_eq!(kind.code(), Violation::CODES[i]);
        assert_eq!(kind.to_string(), kind.code());
        assert!(
            !kind.when().is_empty() && !kind.source().is_empty(),
            "{kind}"
        );
    }
    assert_eq!(ViolationKind::SameAccount.code(), "same_account");
    assert_eq!(
        ViolationKind::SameAccount.when(),
        "platform and connected account are the same account"
    );
    assert_eq!(
        ViolationKind::SameAccount.source(),
        "a transfer to oneself is no debit"
    );
    assert_eq!(ViolationKind::ConsentRevoked.position(), 23);
    assert_eq!(
        AdvisoryKind::ALL,
        [
            AdvisoryKind::BankAccountUnverified,
            AdvisoryKind::AmountCapUnchecked,
            AdvisoryKind::NegativeBalanceLeft,
            AdvisoryKind::PlatformReservesAssumed,
        ]
    );
    assert_eq!(AdvisoryKind::BankAccountUnverified.position(), 0);
    assert_eq!(
        AdvisoryKind::BankAccountUnverified.code(),
        "bank_account_unverified"
    );
    assert_eq!(
        AdvisoryKind::BankAccountUnverified.to_string(),
        "bank_account_unverified"
    );
    assert!(
        AdvisoryKind::BankAccountUnverified
            .source()
            .starts_with("\"To allow")
    );
    assert!(
        AdvisoryKind::BankAccountUnverified
            .when()
            .starts_with("the connected account")
    );
    assert_eq!(
        Advisory::CODES,
        [
            "bank_account_unverified",
            "amount_cap_unchecked",
            "negative_balance_left",
            "platform_reserves_assumed"
        ]
    );
}

#[test]
fn an_input_can_be_judged_at_another_time() {
    let mut input = demo::input().unwrap();
    assert_eq!(input.at(), Timestamp::from_unix(1_764_000_000));
    input.set_at(Timestamp::from_unix(5));
    assert_eq!(input.at(), Timestamp::from_unix(5));
    assert_eq!(
        plan_debit(&input).unwrap_err().codes().collect::<Vec<_>>(),
        ["consent_not_yet_valid"]
    );
}

/// Every object kind, pinned: its prefixes, how messages name it, and its `object` field.
#[test]
fn every_object_kind_reads_its_prefixes_and_names() {
    use ObjectKind::*;
    let table = [
        (&["acct"][..], Account, "account", "account"),
        (&["ch"], Charge, "charge", "charge"),
        (&["py"], Payment, "payment", "charge"),
        (&["po"], Payout, "payout", "payout"),
        (&["pi"], PaymentIntent, "payment intent", "payment_intent"),
        (&["tr"], Transfer, "transfer", "transfer"),
        (
            &["trr"],
            TransferReversal,
            "transfer reversal",
            "transfer_reversal",
        ),
        (&["re"], Refund, "refund", "refund"),
        (&["pyr"], PaymentRefund, "payment refund", "refund"),
        (
            &["txn"],
            BalanceTransaction,
            "balance transaction",
            "balance_transaction",
        ),
        (&["dp", "du"], Dispute, "dispute", "dispute"),
        (&["ba"], BankAccount, "bank account", "bank_account"),
        (&["card"], Card, "card", "card"),
        (&["cus"], Customer, "customer", "customer"),
        (&["in"], Invoice, "invoice", "invoice"),
        (
            &["fee"],
            ApplicationFee,
            "application fee",
            "application_fee",
        ),
        (&["fr"], FeeRefund, "application fee refund", "fee_refund"),
        (&["pm"], PaymentMethod, "payment method", "payment_method"),
        (&["src"], Source, "source", "source"),
        (&["seti"], SetupIntent, "setup intent", "setup_intent"),
        (&["sub"], Subscription, "subscription", "subscription"),
    ];
    for (prefixes, kind, name, object) in table {
        assert_eq!(kind.prefix(), prefixes[0], "{kind:?}");
        for prefix in prefixes {
            assert_eq!(ObjectKind::from_prefix(prefix), Some(kind), "{prefix}");
        }
        assert_eq!(kind.to_string(), name, "{kind:?}");
        assert_eq!(kind.object_name(), object, "{kind:?}");
    }
    for unknown in ["", "xyz", "CH", "acc", "ch_"] {
        assert_eq!(ObjectKind::from_prefix(unknown), None, "{unknown}");
    }
}

#[test]
fn ids_and_codes_convert_from_and_to_str() {
    fn text<T: AsRef<str> + for<'a> TryFrom<&'a str>>(s: &str) -> String
    where
        for<'a> <T as TryFrom<&'a str>>::Error: std::fmt::Debug,
    {
        T::try_from(s).unwrap().as_ref().to_owned()
    }
    assert_eq!(text::<AccountId>("acct_1A"), "acct_1A");
    assert_eq!(text::<TransactionId>("ch_1A"), "ch_1A");
    assert_eq!(text::<DebitId>("refund-1"), "refund-1");
    assert_eq!(text::<Evidence>("signed agreement 7"), "signed agreement 7");
    assert_eq!(text::<Country>("fr"), "FR");
    assert_eq!(
        AccountId::try_from("ch_1"),
        Err(IdError::WrongKind { expected: "acct" })
    );
    assert!(Country::try_from("XX").is_err());
    assert!(DebitId::try_from("two words").is_err());
    assert!(Evidence::try_from("").is_err());
    assert!(TransactionId::try_from("acct_1").is_err());
    let code = currency::WireCode::of(Currency::EUR);
    assert_eq!(AsRef::<str>::as_ref(&code), "eur");
}

#[test]
fn usd_parses_as_a_currency_stripe_moves() {
    use stripe_account_debits::currency::StripeCurrency;
    for code in ["usd", "USD", "uSd"] {
        assert_eq!(
            code.parse::<StripeCurrency>().unwrap().currency(),
            Currency::USD
        );
        assert_eq!(
            StripeCurrency::try_from(code).unwrap().currency(),
            Currency::USD
        );
    }
    assert_eq!(
        "xau".parse::<StripeCurrency>(),
        Err(CurrencyError::Unsupported {
            currency: Currency::XAU
        })
    );
    assert_eq!(
        "xyz".parse::<StripeCurrency>().unwrap_err().to_string(),
        "unknown currency \"xyz\""
    );
}

#[test]
fn a_balance_iterates_by_reference() {
    let usd = Money::from_minor(5, Currency::USD).unwrap();
    let eur = Money::from_minor(-7, Currency::EUR).unwrap();
    let balance = Balance::new([usd, eur]).unwrap();
    let listed: Vec<Money> = (&balance).into_iter().collect();
    assert_eq!(listed, [usd, eur]);
    assert_eq!(balance.iter().collect::<Vec<_>>(), listed);
}

#[test]
fn a_debit_from_a_wire_amount_is_judged_like_one_from_a_decimal() {
    let reference = ReferenceTransaction::new("ch_1".parse().unwrap(), "acct_1C".parse().unwrap());
    let id: DebitId = "d-1".parse().unwrap();
    for (minor, currency, amount) in [
        (1250, Currency::USD, Decimal::new(1250, 2)),
        (500, Currency::JPY, Decimal::new(500, 0)),
        (12300, Currency::ISK, Decimal::new(12300, 2)),
        (12345, Currency::ISK, Decimal::new(12345, 2)),
        (1250, Currency::KWD, Decimal::new(1250, 3)),
        (-3, Currency::USD, Decimal::new(-3, 2)),
        (7, Currency::XAU, Decimal::new(7, 0)),
    ] {
        let debit = Debit::from_minor(id, minor, currency, reference);
        assert_eq!(debit.amount(), amount, "{minor} {currency:?}");
        assert_eq!(debit.currency(), currency);
        assert_eq!((debit.id(), debit.reference()), (id, Some(reference)));
    }
    // Judged: ISK 12345 (123.45 kr) is too precise, 12300 plans as 123 kr.
    let mut s = crate::common::Scenario::base();
    s.platform = crate::common::account(
        crate::common::PLATFORM,
        "IS",
        Currency::ISK,
        LossLiability::Stripe,
    );
    s.connected = crate::common::account(
        crate::common::CONNECTED,
        "IS",
        Currency::ISK,
        LossLiability::Stripe,
    );
    s.currency = Currency::ISK;
    s.amount = Debit::from_minor(id, 12345, Currency::ISK, reference).amount();
    assert_eq!(s.codes(), ["amount_too_precise"]);
    s.amount = Debit::from_minor(id, 12300, Currency::ISK, reference).amount();
    assert_eq!(s.plan().unwrap().transfer().amount().minor(), 12300);
}

#[test]
fn every_constructor_error_converts_into_one_input_error() {
    fn build(
        account: &str,
        country: &str,
        code: &str,
        debit: &str,
        minor: i64,
    ) -> Result<(), InputError> {
        let _: AccountId = account.parse()?;
        let _: Country = country.parse()?;
        let currency = currency::parse_currency(code)?;
        let _ = Money::from_minor(minor, currency)?;
        let _: DebitId = debit.parse()?;
        let _: Evidence = "e".parse()?;
        let usd = Money::from_minor(1, Currency::USD)?;
        let _ = Balance::new([usd])?;
        Ok(())
    }
    assert_eq!(build("acct_1", "US", "usd", "d", 1), Ok(()));
    let cases = [
        (
            build("ch_1", "US", "usd", "d", 1),
            "expected an id starting with \"acct_\"",
        ),
        (
            build("acct_1", "XX", "usd", "d", 1),
            "unknown country \"XX\"",
        ),
        (
            build("acct_1", "US", "xyz", "d", 1),
            "unknown currency \"xyz\"",
        ),
        (
            build("acct_1", "US", "xau", "d", 1),
            "currency XAU has no minor unit on stripe",
        ),
        (
            build("acct_1", "US", "usd", "", 1),
            "debit id must be 1 to 100 printable ascii characters without spaces",
        ),
    ];
    for (result, message) in cases {
        assert_eq!(result.unwrap_err().to_string(), message);
    }
    assert!(matches!(
        InputError::from(IdError::Empty),
        InputError::Id(IdError::Empty)
    ));
    let twice = Money::from_minor(1, Currency::USD).unwrap();
    let balance_error = Balance::new([twice, twice]).unwrap_err();
    assert!(matches!(
        InputError::from(balance_error),
        InputError::Balance(_)
    ));
    let consent_error = "".parse::<Evidence>().unwrap_err();
    assert!(matches!(
        InputError::from(consent_error),
        InputError::Consent(_)
    ));
}

/// Stripe has more kinds of object than this crate names: a well-formed id of one it does
/// not know (a Checkout Session's `cs_test_…`) is a transaction id of another kind, which
/// the rules then reject by name, rather than input that cannot be read.
#[test]
fn an_id_of_a_kind_this_crate_does_not_know_is_still_an_id() {
    let id: TransactionId = "cs_test_a1B2c3".parse().unwrap();
    assert_eq!(id.kind(), ObjectKind::Other);
    assert_eq!(id.prefix(), "cs");
    assert_eq!(id.as_str(), "cs_test_a1B2c3");
    assert_eq!("ch_1A".parse::<TransactionId>().unwrap().prefix(), "ch");
    assert_eq!(ObjectKind::Other.prefix(), "");
    assert_eq!(ObjectKind::Other.to_string(), "object");
    assert_eq!(ObjectKind::Other.object_name(), "unknown");
    assert_eq!(ObjectKind::from_prefix("cs"), None);
}

#[test]
fn an_account_read_from_a_partial_list_says_so() {
    let account = Account::new(
        "acct_1C".parse().unwrap(),
        "US".parse().unwrap(),
        Currency::USD,
        LossLiability::Stripe,
    );
    assert!(account.bank_account_list_complete());
    let partial = account.with_bank_account_list_incomplete();
    assert!(!partial.bank_account_list_complete());
    assert!(!partial.has_verified_bank_account(Currency::USD));
}

/// The two accounts have roles of their own (swapping them does not compile: see the
/// `compile_fail` example on `Platform`); built the right way round, the input lends them.
#[test]
fn the_platform_and_the_connected_account_are_distinct_types() {
    let demo = demo::input().unwrap();
    let platform = Platform::new(*demo.platform());
    let connected = Connected::new(*demo.connected());
    assert_eq!(platform.account(), demo.platform());
    assert_eq!(connected.account(), demo.connected());
    let input = DebitInput::new(
        platform,
        connected,
        Balance::empty(),
        *demo.debit(),
        demo.at(),
    );
    assert_eq!(input.platform().id().as_str(), demo::PLATFORM);
    assert_eq!(input.connected().id().as_str(), demo::CONNECTED);
}
