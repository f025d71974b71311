//! `rule_table!`: the macro that turns the declarative table in [`super::table`] into the
//! types callers branch on. Read the table, not this, to learn a rule.

/// Defines an enum of rules with data (`Violation`, `Advisory`) and its data-less twin
/// (`ViolationKind`, `AdvisoryKind`) from one list of entries. Each entry gives:
///
/// - the variant's docs and fields (its data),
/// - `code`: the stable snake_case code, the only place it is written,
/// - `when`: one line saying when the rule is broken, for the rules table in the README,
/// - `source`: where Stripe says so,
/// - `message`: how the violation reads, `|f| write!(f, ...)` with the fields in scope.
///
/// The order of the entries is the order a rejection lists its violations:
/// `Kind::position` is the entry's index, a `const`.
macro_rules! rule_table {
    (
        $(#[$meta:meta])*
        pub enum $Enum:ident / $Kind:ident {
            $(
                $(#[doc = $doc:literal])*
                $Variant:ident {
                    $( $(#[doc = $fdoc:literal])* $field:ident : $Ty:ty ),* $(,)?
                } => {
                    code: $code:literal,
                    when: $when:literal,
                    source: $source:literal,
                    message: |$f:ident| $message:expr $(,)?
                }
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $Enum {
            $(
                $(#[doc = $doc])*
                #[non_exhaustive]
                $Variant {
                    $( $(#[doc = $fdoc])* $field: $Ty, )*
                },
            )*
        }

        #[doc = concat!(
            "Which [`", stringify!($Enum), "`] it is, without its data: its code, its place ",
            "in the order, when it applies and its Stripe source."
        )]
        ///
        /// # Example
        ///
        /// ```
        #[doc = concat!("use stripe_account_debits::", stringify!($Kind), ";")]
        ///
        #[doc = concat!("for kind in ", stringify!($Kind), "::ALL {")]
        ///     assert!(!kind.code().is_empty() && !kind.source().is_empty());
        #[doc = concat!("    assert_eq!(", stringify!($Kind), "::ALL[kind.position()], *kind);")]
        /// }
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum $Kind {
            $( $(#[doc = $doc])* $Variant, )*
        }

        impl $Kind {
            /// Every kind, in order.
            pub const ALL: &'static [$Kind] = &[$($Kind::$Variant),*];

            /// The stable snake_case code.
            pub const fn code(self) -> &'static str {
                match self {
                    $($Kind::$Variant => $code,)*
                }
            }

            /// Where this kind stands in the order a rejection or a plan lists them.
            pub const fn position(self) -> usize {
                self as usize
            }

            /// When it applies, in one line.
            pub const fn when(self) -> &'static str {
                match self {
                    $($Kind::$Variant => $when,)*
                }
            }

            /// Where Stripe says so.
            pub const fn source(self) -> &'static str {
                match self {
                    $($Kind::$Variant => $source,)*
                }
            }
        }

        impl core::fmt::Display for $Kind {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl $Enum {
            /// Every code, in order: the public list, a slice so that adding a rule is not a
            /// breaking change.
            pub const CODES: &'static [&'static str] = &[$($code),*];

            /// Which one this is, without its data.
            pub const fn kind(&self) -> $Kind {
                match self {
                    $($Enum::$Variant { .. } => $Kind::$Variant,)*
                }
            }

            /// The stable snake_case code.
            pub const fn code(&self) -> &'static str {
                self.kind().code()
            }

            /// Where it stands in the order of [`Self::CODES`].
            pub const fn position(&self) -> usize {
                self.kind().position()
            }

            /// Calls `visit` with the name and value of each field, in order: what the JSON
            /// output writes beside the code and the message.
            #[allow(dead_code)] // Used by the `serde` feature's JSON output.
            pub(crate) fn for_each_detail(
                &self,
                visit: &mut dyn FnMut(&'static str, $crate::debit::rules::Detail),
            ) {
                match self {
                    $(
                        #[allow(unused_variables)]
                        $Enum::$Variant { $($field),* } => {
                            $( visit(stringify!($field), $crate::debit::rules::Detail::from(*$field)); )*
                        }
                    )*
                }
            }
        }

        impl core::fmt::Display for $Enum {
            fn fmt(&self, formatter: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                match self {
                    $(
                        #[allow(unused_variables)]
                        $Enum::$Variant { $($field),* } => {
                            let $f = &mut *formatter;
                            $message
                        }
                    )*
                }
            }
        }
    };
}

pub(crate) use rule_table;
