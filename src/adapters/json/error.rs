//! Why a scenario cannot be read.

use core::fmt;

/// What kind of thing is wrong with a scenario, to branch on.
///
/// # Example
///
/// ```
/// use stripe_account_debits::json::{self, ScenarioErrorKind};
///
/// assert_eq!(json::read_scenario("{").unwrap_err().kind(), ScenarioErrorKind::Syntax);
/// assert_eq!(ScenarioErrorKind::WrongType.code(), "wrong_type");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ScenarioErrorKind {
    /// The text is not JSON.
    Syntax,
    /// A value the scenario needs is absent (or `null`).
    Missing,
    /// A value of the wrong JSON type: a string where an object belongs, a float where an
    /// integer does.
    WrongType,
    /// A value of the right type that is not valid: an unknown currency, an id of the wrong
    /// kind, consent revoked before it was granted.
    Invalid,
    /// The document could not be had at all (a file that cannot be read).
    Document,
    /// The document is larger than the limit it is read with.
    TooLarge,
}

impl ScenarioErrorKind {
    /// A stable snake_case code: `syntax`, `missing`, `wrong_type`, `invalid`, `document`,
    /// `too_large`.
    pub fn code(self) -> &'static str {
        match self {
            ScenarioErrorKind::Syntax => "syntax",
            ScenarioErrorKind::Missing => "missing",
            ScenarioErrorKind::WrongType => "wrong_type",
            ScenarioErrorKind::Invalid => "invalid",
            ScenarioErrorKind::Document => "document",
            ScenarioErrorKind::TooLarge => "too_large",
        }
    }
}

/// Why a scenario cannot be read: what kind of thing is wrong, the JSON path at fault, and
/// what is wrong there. The message quotes untrusted text escaped and cut short, so it is
/// safe to log.
///
/// # Example
///
/// ```
/// use stripe_account_debits::json::{self, ScenarioErrorKind};
///
/// let err = json::read_scenario("[]").unwrap_err();
/// assert_eq!((err.kind(), err.path()), (ScenarioErrorKind::WrongType, ""));
/// assert_eq!(err.to_string(), "expected a JSON object, found an array");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    kind: ScenarioErrorKind,
    path: String,
    message: String,
}

impl ScenarioError {
    pub(crate) fn at(
        kind: ScenarioErrorKind,
        path: &str,
        message: impl fmt::Display,
    ) -> ScenarioError {
        ScenarioError {
            kind,
            path: path.to_owned(),
            message: message.to_string(),
        }
    }

    /// An error at `path`, written out now.
    pub(crate) fn at_path(
        kind: ScenarioErrorKind,
        path: &super::read::Path<'_>,
        message: impl fmt::Display,
    ) -> ScenarioError {
        ScenarioError {
            kind,
            path: path.to_string(),
            message: message.to_string(),
        }
    }

    /// A document of `len` bytes, over the limit of `max` it is read with.
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::json::{ScenarioError, ScenarioErrorKind};
    ///
    /// let err = ScenarioError::too_large(2_000_000, 1_048_576);
    /// assert_eq!(err.kind(), ScenarioErrorKind::TooLarge);
    /// assert_eq!(err.to_string(), "the scenario is 2000000 bytes, more than the 1048576 allowed");
    /// ```
    pub fn too_large(len: usize, max: usize) -> ScenarioError {
        ScenarioError::at(
            ScenarioErrorKind::TooLarge,
            "",
            format_args!("the scenario is {len} bytes, more than the {max} allowed"),
        )
    }

    /// What kind of thing is wrong.
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::json::{self, ScenarioErrorKind};
    ///
    /// let err = json::read_scenario(r#"{"at": 1}"#).unwrap_err();
    /// assert_eq!(err.kind(), ScenarioErrorKind::Missing);
    /// assert_eq!(err.path(), "platform_account");
    /// assert_eq!(err.message(), "missing");
    /// assert_eq!(err.to_string(), "platform_account: missing");
    /// ```
    pub fn kind(&self) -> ScenarioErrorKind {
        self.kind
    }

    /// An error about the document as a whole (one that could not be read, say), with no
    /// path.
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::json::ScenarioError;
    ///
    /// let err = ScenarioError::document("cannot read scenario.json: permission denied");
    /// assert_eq!(err.to_string(), "cannot read scenario.json: permission denied");
    /// ```
    pub fn document(message: impl fmt::Display) -> ScenarioError {
        ScenarioError::at(ScenarioErrorKind::Document, "", message)
    }

    /// The JSON path at fault (`connected_account.default_currency`), empty for the
    /// document as a whole.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong there.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for ScenarioError {}
