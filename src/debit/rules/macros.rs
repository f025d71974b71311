//! `rule_table!`: the macro that turns a declarative rule table (the debit's in
//! [`super::table`], the reversal's in `crate::lifecycle`) into the types callers branch
//! on. Read a table, not this, to learn a rule.

/// Defines an enum of rules with data (`Violation`, `Advisory`, `ReversalViolation`) and its
/// data-less twin (`ViolationKind`, ...) from one list of entries. The header names both,
/// the public path they are exported at (`in stripe_account_debits::lifecycle`, for the
/// examples in their docs) and, for a table of rules a [`Rejection`](super::Rejection)
/// lists, what such a rejection refuses (`, rejects "debit"`): the table's violations are
/// then a [`Rule`](super::Rule). Each entry gives:
///
/// - the variant's docs and fields (its data),
/// - `code`: the stable snake_case code, the only place it is written,
/// - `when`: one line saying when the rule is broken, for the rules tables in the docs,
/// - `source`: where Stripe says so,
/// - `message`: how the violation reads, `|f| write!(f, ...)` with the fields in scope
///   (money as [`Wire`](super::Wire) shows it: `4.00 usd`).
///
/// The order of the entries is the order a rejection lists its violations:
/// `Kind::position` is the entry's index, a `const`.
macro_rules! rule_table {
    (
        $(#[$meta:meta])*
        pub enum $Enum:ident / $Kind:ident in $($path:ident)::+ $(, rejects $subject:literal)? {
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
        #[doc = concat!("use ", stringify!($($path)::+), "::", stringify!($Kind), ";")]
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
        }

        impl $crate::debit::rules::Entry for $Enum {
            fn for_each_detail(
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

        $(
            impl $crate::debit::rules::Rule for $Enum {
                type Kind = $Kind;
                const REJECTS: &'static str = $subject;
                const ALL: &'static [$Kind] = $Kind::ALL;
                const CODES: &'static [&'static str] = $Enum::CODES;

                fn kind(&self) -> $Kind {
                    $Enum::kind(self)
                }

                fn code(&self) -> &'static str {
                    $Enum::code(self)
                }

                fn position(&self) -> usize {
                    $Enum::position(self)
                }
            }
        )?

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
