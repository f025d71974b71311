//! Why a scenario cannot be read.

use core::fmt;

/// Why a scenario cannot be read: the JSON path at fault and what is wrong there.
///
/// # Example
///
/// ```
/// use stripe_account_debits::json;
///
/// let err = json::read_scenario("[]").unwrap_err();
/// assert_eq!(err.path(), "");
/// assert_eq!(err.to_string(), "expected a JSON object, found an array");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    path: String,
    message: String,
}

impl ScenarioError {
    pub(crate) fn at(path: &str, message: impl fmt::Display) -> ScenarioError {
        ScenarioError {
            path: path.to_owned(),
            message: message.to_string(),
        }
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
        ScenarioError::at("", message)
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
