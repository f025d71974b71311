//! Why an input cannot be read: one error for every input the crate reads (a scenario, a
//! book, a command's input, Stripe's objects), with its kind, its path and its message.

use core::fmt;

use super::path::Path;

/// What kind of thing is wrong with an input, to branch on.
///
/// # Example
///
/// ```
/// use stripe_account_debits::json::{self, ReadErrorKind};
///
/// assert_eq!(json::read_scenario("{").unwrap_err().kind(), ReadErrorKind::Syntax);
/// assert_eq!(ReadErrorKind::WrongType.code(), "wrong_type");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReadErrorKind {
    /// The text is not JSON, or a key is given twice in one object.
    Syntax,
    /// A value the input needs is absent (or `null`).
    Missing,
    /// A value of the wrong JSON type: a string where an object belongs, a float where an
    /// integer does.
    WrongType,
    /// A value of the right type that is not valid: an unknown currency, an id of the wrong
    /// kind, consent revoked before it was granted.
    Invalid,
    /// A key this crate does not know, in an object whose shape is the crate's own (a
    /// command's input, its `attempt`, `reply` or `options`, a scenario, a book, a debit,
    /// a consent record). Stripe's own objects may carry any other key.
    UnknownKey,
    /// The document could not be had at all (a file that cannot be read).
    Document,
    /// The document is larger than the limit it is read with: it is refused before it is
    /// parsed, so the path is empty.
    TooLarge,
}

impl ReadErrorKind {
    /// A stable snake_case code: `syntax`, `missing`, `wrong_type`, `invalid`,
    /// `unknown_key`, `document`, `too_large`.
    pub fn code(self) -> &'static str {
        match self {
            ReadErrorKind::Syntax => "syntax",
            ReadErrorKind::Missing => "missing",
            ReadErrorKind::WrongType => "wrong_type",
            ReadErrorKind::Invalid => "invalid",
            ReadErrorKind::UnknownKey => "unknown_key",
            ReadErrorKind::Document => "document",
            ReadErrorKind::TooLarge => "too_large",
        }
    }
}

/// Why an input cannot be read: what kind of thing is wrong, the JSON path at fault, and
/// what is wrong there. Every input of the crate (a scenario, a book, the `reply`, `find`
/// and `reverse` commands' inputs, Stripe's Transfer and reversal objects) is read by one
/// reader, which gives this one error. The message quotes untrusted text escaped and cut
/// short, so it is safe to log.
///
/// # Example
///
/// ```
/// use stripe_account_debits::json::{self, ReadErrorKind};
///
/// let err = json::read_scenario("[]").unwrap_err();
/// assert_eq!((err.kind(), err.path()), (ReadErrorKind::WrongType, ""));
/// assert_eq!(err.to_string(), "expected a JSON object, found an array");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReadError {
    kind: ReadErrorKind,
    path: String,
    message: String,
}

impl ReadError {
    /// An error at `path`, written out now.
    pub(crate) fn at(
        kind: ReadErrorKind,
        path: &Path<'_>,
        message: impl fmt::Display,
    ) -> ReadError {
        ReadError {
            kind,
            path: path.to_string(),
            message: message.to_string(),
        }
    }

    /// An error about the whole input, with no path.
    fn whole(kind: ReadErrorKind, message: impl fmt::Display) -> ReadError {
        ReadError::at(kind, &Path::Root, message)
    }

    /// A `Syntax` error about the whole input: `serde`'s own, or the text is not JSON.
    pub(crate) fn syntax(message: impl fmt::Display) -> ReadError {
        ReadError::whole(
            ReadErrorKind::Syntax,
            format_args!("invalid JSON: {message}"),
        )
    }

    /// A document of `len` bytes, over the limit of `max` it is read with.
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::json::{ReadError, ReadErrorKind};
    ///
    /// let err = ReadError::too_large(2_000_000, 1_048_576);
    /// assert_eq!(err.kind(), ReadErrorKind::TooLarge);
    /// assert_eq!(err.to_string(), "the input is 2000000 bytes, more than the 1048576 allowed");
    /// ```
    pub fn too_large(len: usize, max: usize) -> ReadError {
        ReadError::whole(
            ReadErrorKind::TooLarge,
            format_args!("the input is {len} bytes, more than the {max} allowed"),
        )
    }

    /// A document read from a stream that went on past the limit of `max` it is read with:
    /// reading stopped there, so its whole length is not known (an input that never ends,
    /// such as `/dev/zero`, is refused as soon as it passes the limit).
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::json::{ReadError, ReadErrorKind};
    ///
    /// let err = ReadError::over_limit(1_048_576);
    /// assert_eq!(err.kind(), ReadErrorKind::TooLarge);
    /// assert_eq!(err.to_string(), "the input is more than the 1048576 bytes allowed");
    /// ```
    pub fn over_limit(max: usize) -> ReadError {
        ReadError::whole(
            ReadErrorKind::TooLarge,
            format_args!("the input is more than the {max} bytes allowed"),
        )
    }

    /// An error about the document as a whole (one that could not be read, say), with no
    /// path.
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::json::ReadError;
    ///
    /// let err = ReadError::document("cannot read scenario.json: permission denied");
    /// assert_eq!(err.to_string(), "cannot read scenario.json: permission denied");
    /// ```
    pub fn document(message: impl fmt::Display) -> ReadError {
        ReadError::whole(ReadErrorKind::Document, message)
    }

    /// What kind of thing is wrong.
    ///
    /// # Example
    ///
    /// ```
    /// use stripe_account_debits::json::{self, ReadErrorKind};
    ///
    /// let err = json::read_scenario(r#"{"at": 1}"#).unwrap_err();
    /// assert_eq!(err.kind(), ReadErrorKind::Missing);
    /// assert_eq!(err.path(), "platform_account");
    /// assert_eq!(err.message(), "missing");
    /// assert_eq!(err.to_string(), "platform_account: missing");
    /// ```
    pub fn kind(&self) -> ReadErrorKind {
        self.kind
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

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for ReadError {}
