//! Layer 4, consent: the platform's record of the connected account's consent to be
//! debited, which Stripe requires and does not check. Every debit flow judges it.

use core::fmt;
use core::str::FromStr;

use std::sync::Arc;

use crate::value::time::Timestamp;

/// The longest evidence reference accepted: 2,048 characters, the longest URL that the
/// common browsers and servers are taken to accept, so that a signed document's URL
/// (hundreds of characters, with its signature) fits.
pub const MAX_EVIDENCE_LEN: usize = 2048;

/// The caller's reference to the evidence of consent (a signed agreement's id, a signed
/// document's URL): 1 to [`MAX_EVIDENCE_LEN`] printable ASCII characters.
///
/// Held on the heap and shared, not inline like ids: at that length an inline copy would
/// make every [`Consent`] and every input kilobytes to move, and evidence is read only by
/// people, never while planning. Cloning it shares the text.
///
/// # Example
///
/// ```
/// use stripe_account_debits::consent::Evidence;
///
/// let e: Evidence = "agreement-42".parse()?;
/// assert_eq!(e.as_str(), "agreement-42");
/// assert!("".parse::<Evidence>().is_err());
/// # Ok::<(), stripe_account_debits::consent::ConsentError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Evidence(Arc<str>);

impl Evidence {
    /// The reference as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Evidence {
    type Err = ConsentError;

    /// # Errors
    ///
    /// [`ConsentError::InvalidEvidence`] for an empty, too long or non-printable reference.
    fn from_str(text: &str) -> Result<Evidence, ConsentError> {
        let printable = text.bytes().all(|b| (0x20..=0x7e).contains(&b));
        if printable && text.len() <= MAX_EVIDENCE_LEN && !text.trim().is_empty() {
            Ok(Evidence(Arc::from(text)))
        } else {
            Err(ConsentError::InvalidEvidence {
                max_len: MAX_EVIDENCE_LEN,
            })
        }
    }
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Evidence({:?})", self.as_str())
    }
}

/// Why a consent record cannot be built.
///
/// # Example
///
/// ```
/// use stripe_account_debits::Timestamp;
/// use stripe_account_debits::consent::{Consent, ConsentError, Evidence};
///
/// let err = "".parse::<Evidence>().unwrap_err();
/// assert_eq!(err.to_string(), "evidence must be 1 to 2048 printable ascii characters");
///
/// let consent = Consent::granted(Timestamp::from_unix(100), "agreement-42".parse()?);
/// let err = consent.revoke(Timestamp::from_unix(50)).unwrap_err();
/// assert!(matches!(err, ConsentError::RevokedBeforeGranted { .. }));
/// assert_eq!(err.to_string(), "consent revoked at 50, before it was granted at 100");
/// # Ok::<(), ConsentError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConsentError {
    /// The evidence reference is empty, too long or not printable ASCII.
    #[error("evidence must be 1 to {max_len} printable ascii characters")]
    InvalidEvidence {
        /// [`MAX_EVIDENCE_LEN`].
        max_len: usize,
    },
    /// Revoked before it was granted.
    #[error("consent revoked at {revoked_at}, before it was granted at {granted_at}")]
    RevokedBeforeGranted {
        /// When it was granted.
        granted_at: Timestamp,
        /// When it was revoked.
        revoked_at: Timestamp,
    },
}

/// Legally binding consent from the connected account to be debited, as the platform
/// recorded it. Stripe requires it ("Using Account Debits requires getting legally binding
/// consent from your connected accounts"); Stripe does not check it, so the platform must.
///
/// # Example
///
/// ```
/// use stripe_account_debits::Timestamp;
/// use stripe_account_debits::consent::Consent;
///
/// let granted = Consent::granted(Timestamp::from_unix(1_700_000_000), "agreement-42".parse()?);
/// let revoked = granted.revoke(Timestamp::from_unix(1_800_000_000))?;
/// assert_eq!(revoked.revoked_at(), Some(Timestamp::from_unix(1_800_000_000)));
/// assert!(revoked.is_valid_at(Timestamp::from_unix(1_750_000_000)));
/// assert!(!revoked.is_valid_at(Timestamp::from_unix(1_800_000_000)));
/// # Ok::<(), stripe_account_debits::consent::ConsentError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Consent {
    granted_at: Timestamp,
    revoked_at: Option<Timestamp>,
    evidence: Evidence,
}

impl Consent {
    /// Consent granted at `granted_at`, not revoked.
    pub fn granted(granted_at: Timestamp, evidence: Evidence) -> Consent {
        Consent {
            granted_at,
            revoked_at: None,
            evidence,
        }
    }

    /// This consent, revoked at `revoked_at`: from that second on it no longer holds. (The
    /// getter of that time is [`Consent::revoked_at`].)
    ///
    /// # Errors
    ///
    /// [`ConsentError::RevokedBeforeGranted`] when `revoked_at` is before the grant.
    pub fn revoke(self, revoked_at: Timestamp) -> Result<Consent, ConsentError> {
        if revoked_at < self.granted_at {
            return Err(ConsentError::RevokedBeforeGranted {
                granted_at: self.granted_at,
                revoked_at,
            });
        }
        Ok(Consent {
            revoked_at: Some(revoked_at),
            ..self
        })
    }

    /// When consent was granted.
    pub fn granted_at(&self) -> Timestamp {
        self.granted_at
    }

    /// When consent was revoked, if it was.
    pub fn revoked_at(&self) -> Option<Timestamp> {
        self.revoked_at
    }

    /// The evidence reference.
    pub fn evidence(&self) -> &Evidence {
        &self.evidence
    }

    /// Where this consent stands at `at`. It holds from the second it was granted up to,
    /// not including, the second it was revoked: a debit at the very second of revocation
    /// is no longer covered.
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::Timestamp;
    /// use stripe_account_debits::consent::{Consent, ConsentStatus};
    ///
    /// let consent = Consent::granted(Timestamp::from_unix(100), "signed-pdf-7".parse()?);
    /// assert_eq!(consent.status_at(Timestamp::from_unix(99)), ConsentStatus::NotYetValid);
    /// assert_eq!(consent.status_at(Timestamp::from_unix(100)), ConsentStatus::Valid);
    /// # Ok::<(), stripe_account_debits::consent::ConsentError>(())
    /// ```
    pub fn status_at(&self, at: Timestamp) -> ConsentStatus {
        match self.revoked_at {
            _ if at < self.granted_at => ConsentStatus::NotYetValid,
            Some(revoked_at) if revoked_at <= at => ConsentStatus::Revoked { revoked_at },
            _ => ConsentStatus::Valid,
        }
    }

    /// Whether consent holds at `at` (see [`Consent::status_at`]).
    pub fn is_valid_at(&self, at: Timestamp) -> bool {
        self.status_at(at) == ConsentStatus::Valid
    }
}

/// Where a [`Consent`] stands at a given time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConsentStatus {
    /// Granted, not revoked.
    Valid,
    /// Granted only later.
    NotYetValid,
    /// Revoked at or before that time.
    #[non_exhaustive]
    Revoked {
        /// When it was revoked.
        revoked_at: Timestamp,
    },
}

crate::value::text_conversions!(Evidence);
