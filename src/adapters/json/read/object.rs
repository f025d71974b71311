//! A field that holds a container (an object of declared fields, or an array folded as it
//! is read), and the [`fields!`] macro that declares an object's fields.

use core::fmt;
use core::marker::PhantomData;
use std::borrow::Cow;

use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};

use super::leaf::{MapStart, map_start};
use super::skip::{Key, Keys, skip_map, skip_seq};
use super::{Ctx, Leaf, Path, Read};
use crate::json::{ScenarioError, ScenarioErrorKind as Kind};

/// A field that holds a container `T` ([`Container`]), or what it held instead.
#[derive(Debug, Default)]
pub(crate) enum Field<T> {
    /// The key was not there.
    #[default]
    Absent,
    Null,
    /// The container, read.
    Got(T),
    /// A value of another type, skipped and kept as its type alone (a string's text is
    /// not kept), for the error that names it.
    Not(Leaf<'static>),
}

impl<'de, T: Container<'de>> Field<T> {
    /// The container, or a `WrongType` error at `path` naming what was there instead.
    pub(crate) fn get(&self, path: &Path<'_>) -> Result<&T, ScenarioError> {
        match self {
            Field::Got(got) => Ok(got),
            Field::Absent => Err(Leaf::Absent.type_error(path, T::EXPECTED)),
            Field::Null => Err(Leaf::Null.type_error(path, T::EXPECTED)),
            Field::Not(leaf) => Err(leaf.type_error(path, T::EXPECTED)),
        }
    }

    /// The container, or a `Missing` error at `path` when it is absent or `null`.
    pub(crate) fn required(&self, path: &Path<'_>) -> Result<&T, ScenarioError> {
        match self {
            Field::Absent | Field::Null => {
                Err(ScenarioError::at_path(Kind::Missing, path, "missing"))
            }
            _ => self.get(path),
        }
    }

    /// The container when there is one: absent or `null` is `None`, another type an error
    /// (never read as absent).
    pub(crate) fn optional(&self, path: &Path<'_>) -> Result<Option<&T>, ScenarioError> {
        match self {
            Field::Absent | Field::Null => Ok(None),
            _ => self.get(path).map(Some),
        }
    }

    /// As [`Field::get`], taking the container (to move what it read, not copy it).
    pub(crate) fn into_got(self, path: &Path<'_>) -> Result<T, ScenarioError> {
        match self {
            Field::Got(got) => Ok(got),
            other => Err(other
                .get(path)
                .err()
                .unwrap_or_else(|| ScenarioError::at_path(Kind::Invalid, path, "not read"))),
        }
    }

    /// As [`Field::required`], taking the container.
    pub(crate) fn into_required(self, path: &Path<'_>) -> Result<T, ScenarioError> {
        match self {
            Field::Absent | Field::Null => {
                Err(ScenarioError::at_path(Kind::Missing, path, "missing"))
            }
            other => other.into_got(path),
        }
    }

    /// As [`Field::optional`], taking the container.
    pub(crate) fn into_optional(self, path: &Path<'_>) -> Result<Option<T>, ScenarioError> {
        match self {
            Field::Absent | Field::Null => Ok(None),
            other => other.into_got(path).map(Some),
        }
    }
}

/// A JSON container read into a type: an object of declared fields ([`fields!`]), or an
/// array folded as it is read ([`List`](super::List)).
pub(crate) trait Container<'de>: Sized {
    /// What the container is, as an error says it expected it: "a JSON object".
    const EXPECTED: &'static str;

    /// Reads an object whose first key (already taken) is `first` into `Self`, or skips
    /// it and returns `None` when `Self` is not an object.
    fn read_map<A: MapAccess<'de>>(
        first: Option<Cow<'de, str>>,
        map: A,
        ctx: Ctx<'_>,
    ) -> Result<Option<Self>, A::Error> {
        skip_map(first, map, ctx).map(|()| None)
    }

    /// Reads an array into `Self`, or skips it and returns `None` when `Self` is not an
    /// array.
    fn read_seq<A: SeqAccess<'de>>(seq: A, ctx: Ctx<'_>) -> Result<Option<Self>, A::Error> {
        skip_seq(seq, ctx).map(|()| None)
    }
}

/// An object of declared fields: [`fields!`] implements it.
pub(crate) trait Fields<'de>: Default {
    /// The declared keys, in order, for the error that names an undeclared one.
    const KEYS: &'static [&'static str];

    /// Reads the value of `key` when it is a declared field, and returns the field's index;
    /// `None` (the value left unread) when it is not one.
    fn read_field<A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        ctx: Ctx<'_>,
    ) -> Result<Option<u32>, A::Error>;
}

/// Reads the rest of an object, whose first key (already taken) is `first`, into the
/// fields of `T`: undeclared keys are skipped, and a key given twice is refused.
pub(crate) fn read_fields<'de, T: Fields<'de>, A: MapAccess<'de>>(
    first: Option<Cow<'de, str>>,
    map: A,
    ctx: Ctx<'_>,
) -> Result<T, A::Error> {
    read_declared(first, map, ctx, false)
}

/// An object of declared fields `T` that refuses any other key: a document of this
/// crate's own (the `step` command's, the machine's options), where a key it does not
/// declare is a mistake (`"now"` for `"now_ms"`), not a field of Stripe's to skip.
#[derive(Debug, Default)]
pub(crate) struct Strict<T>(pub(crate) T);

impl<'de, T: Fields<'de>> Container<'de> for Strict<T> {
    const EXPECTED: &'static str = "a JSON object";

    fn read_map<A: MapAccess<'de>>(
        first: Option<Cow<'de, str>>,
        map: A,
        ctx: Ctx<'_>,
    ) -> Result<Option<Self>, A::Error> {
        read_declared(first, map, ctx, true).map(|fields| Some(Strict(fields)))
    }
}

/// [`read_fields`], refusing an undeclared key when `strict`.
fn read_declared<'de, T: Fields<'de>, A: MapAccess<'de>>(
    first: Option<Cow<'de, str>>,
    mut map: A,
    ctx: Ctx<'_>,
    strict: bool,
) -> Result<T, A::Error> {
    let mut fields = T::default();
    let mut declared_seen = 0u64;
    let mut others = Keys::default();
    let mut next = first;
    while let Some(key) = next {
        match fields.read_field(&key, &mut map, ctx)? {
            Some(index) => {
                let bit = 1u64.checked_shl(index).unwrap_or(0);
                debug_assert!(bit != 0, "an object declares at most 64 fields");
                if declared_seen & bit != 0 {
                    return Err(ctx.duplicate(&ctx.path.key(&key), &key));
                }
                declared_seen |= bit;
            }
            None if strict => {
                return Err(ctx.fail(ScenarioError::at_path(
                    Kind::Invalid,
                    &ctx.path.key(&key),
                    format_args!(
                        "not a key of this object (its keys: {})",
                        T::KEYS.join(", ")
                    ),
                )));
            }
            None => others.skip_value(key, &mut map, ctx)?,
        }
        next = map.next_key_seed(Key)?;
    }
    Ok(fields)
}

/// Declares the fields of an object read from a document: `"json_key" => field: Type`,
/// where the type is a [`Leaf`], a [`Field`] of another declared object, or a `Field` of a
/// [`List`](super::List). Undeclared keys are skipped.
macro_rules! fields {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident<'de> {
            $( $(#[$field_meta:meta])* $json:literal => $field:ident: $type:ty, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Default)]
        $vis struct $name<'de> {
            $( $(#[$field_meta])* $field: $type, )+
            _text: ::core::marker::PhantomData<&'de str>,
        }

        impl<'de> $crate::adapters::json::read::Fields<'de> for $name<'de> {
            const KEYS: &'static [&'static str] = &[$( $json, )+];

            fn read_field<A: ::serde::de::MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
                ctx: $crate::adapters::json::read::Ctx<'_>,
            ) -> Result<Option<u32>, A::Error> {
                #[allow(non_camel_case_types, reason = "one variant per field, named as it")]
                enum Index { $( $field, )+ }
                match key {
                    $( $json => {
                        let path = ctx.path.key($json);
                        self.$field = ::serde::de::MapAccess::next_value_seed(
                            map,
                            $crate::adapters::json::read::Seed::new(ctx.at(&path)),
                        )?;
                        Ok(Some(Index::$field as u32))
                    } )+
                    _ => Ok(None),
                }
            }
        }

        impl<'de> $crate::adapters::json::read::Container<'de> for $name<'de> {
            const EXPECTED: &'static str = "a JSON object";

            fn read_map<A: ::serde::de::MapAccess<'de>>(
                first: Option<::std::borrow::Cow<'de, str>>,
                map: A,
                ctx: $crate::adapters::json::read::Ctx<'_>,
            ) -> Result<Option<Self>, A::Error> {
                $crate::adapters::json::read::read_fields(first, map, ctx).map(Some)
            }
        }
    };
}
pub(crate) use fields;

impl<'de, T: Container<'de>> Read<'de> for Field<T> {
    fn read<D: Deserializer<'de>>(deserializer: D, ctx: Ctx<'_>) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FieldVisitor(ctx, PhantomData))
    }
}

struct FieldVisitor<'c, T>(Ctx<'c>, PhantomData<fn() -> T>);

impl<'de, T: Container<'de>> Visitor<'de> for FieldVisitor<'_, T> {
    type Value = Field<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTED)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Field::Not(Leaf::Bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Field::Not(Leaf::Int(i128::from(v))))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Field::Not(Leaf::Int(i128::from(v))))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Field::Not(Leaf::Number))
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Field::Not(Leaf::Str(Cow::Borrowed(""))))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Field::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Ok(T::read_seq(seq, self.0)?.map_or(Field::Not(Leaf::Array), Field::Got))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let first = match map_start(&mut map)? {
            MapStart::Number(number, _) => return Ok(Field::Not(number)),
            MapStart::Key(first) => first,
        };
        Ok(T::read_map(first, map, self.0)?.map_or(Field::Not(Leaf::Object), Field::Got))
    }
}
