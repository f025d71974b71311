//! A field that holds a container (an object of declared fields, or an array folded as it
//! is read), and the [`fields!`] macro that declares an object's fields.

use core::fmt;
use std::borrow::Cow;

use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};

use super::leaf::{Int, MapStart, map_start};
use super::skip::{Key, Keys, skip_map, skip_seq};
use super::{Ctx, Leaf, Path, Read};
use super::{ReadError, ReadErrorKind as Kind};

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
    pub(crate) fn get(&self, path: &Path<'_>) -> Result<&T, ReadError> {
        match self {
            Field::Got(got) => Ok(got),
            Field::Absent => Err(Leaf::Absent.type_error(path, T::EXPECTED)),
            Field::Null => Err(Leaf::Null.type_error(path, T::EXPECTED)),
            Field::Not(leaf) => Err(leaf.type_error(path, T::EXPECTED)),
        }
    }

    /// The container, or a `Missing` error at `path` when it is absent or `null`.
    pub(crate) fn required(&self, path: &Path<'_>) -> Result<&T, ReadError> {
        match self {
            Field::Absent | Field::Null => Err(ReadError::at(Kind::Missing, path, "missing")),
            _ => self.get(path),
        }
    }

    /// The container when there is one: absent or `null` is `None`, another type an error
    /// (never read as absent).
    pub(crate) fn optional(&self, path: &Path<'_>) -> Result<Option<&T>, ReadError> {
        match self {
            Field::Absent | Field::Null => Ok(None),
            _ => self.get(path).map(Some),
        }
    }

    /// As [`Field::get`], taking the container (to move what it read, not copy it).
    pub(crate) fn into_got(self, path: &Path<'_>) -> Result<T, ReadError> {
        match self {
            Field::Got(got) => Ok(got),
            other => Err(other
                .get(path)
                .err()
                .unwrap_or_else(|| ReadError::at(Kind::Invalid, path, "not read"))),
        }
    }

    /// As [`Field::required`], taking the container.
    pub(crate) fn into_required(self, path: &Path<'_>) -> Result<T, ReadError> {
        match self {
            Field::Absent | Field::Null => Err(ReadError::at(Kind::Missing, path, "missing")),
            other => other.into_got(path),
        }
    }

    /// As [`Field::optional`], taking the container.
    pub(crate) fn into_optional(self, path: &Path<'_>) -> Result<Option<T>, ReadError> {
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
    /// The keys to look up ([`super::LOOKUP`]) when the object skips the others; `None`
    /// when every key must be seen (an object that refuses undeclared keys, an array).
    const LOOKUP_KEYS: Option<&'static [&'static str]> = None;

    /// Reads an object whose first key (already taken) is `first` into `Self`, or skips
    /// it and returns `None` when `Self` is not an object. The reader calls
    /// [`Container::read_map_into`], whose default calls this; a declaration of fields
    /// ([`fields!`]) reads in place through its own `read_map_into` and leaves this one
    /// as it is.
    fn read_map<A: MapAccess<'de>>(
        first: Option<Cow<'de, str>>,
        map: A,
        ctx: Ctx<'_>,
    ) -> Result<Option<Self>, A::Error> {
        skip_map(first, map, ctx).map(|()| None)
    }

    /// As [`Container::read_map`], into the field `out`: what it read, or
    /// `Field::Not(Leaf::Object)` when `Self` is not an object. An object of declared
    /// fields is read where it stays, not moved out through the deserializer's layers
    /// (each a copy of the whole object).
    fn read_map_into<A: MapAccess<'de>>(
        first: Option<Cow<'de, str>>,
        map: A,
        ctx: Ctx<'_>,
        out: &mut Field<Self>,
    ) -> Result<(), A::Error> {
        *out = Self::read_map(first, map, ctx)?.map_or(Field::Not(Leaf::Object), Field::Got);
        Ok(())
    }

    /// Reads an array into `Self`, or skips it and returns `None` when `Self` is not an
    /// array.
    fn read_seq<A: SeqAccess<'de>>(seq: A, ctx: Ctx<'_>) -> Result<Option<Self>, A::Error> {
        skip_seq(seq, ctx).map(|()| None)
    }
}

/// What becomes of a key an object does not declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unknown {
    /// Skipped without being built: Stripe's objects, which grow new fields.
    Skipped,
    /// Refused, naming it (`UnknownKey`): the crate's own shapes, where an unknown key is
    /// a mistake (`{"maxsends": 1}`) that must not read as the defaults.
    Refused,
}

/// An object of declared fields: [`fields!`] implements it.
pub(crate) trait Fields<'de>: Default {
    /// What becomes of a key the object does not declare.
    const UNKNOWN: Unknown;
    /// The keys declared, in order: an unknown key's error lists them.
    const KEYS: &'static [&'static str];

    /// Reads the value of `key` when it is a declared field, and returns the field's index
    /// (its place in [`Fields::KEYS`]); `None` (the value left unread) when it is not one.
    fn read_field<A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        ctx: Ctx<'_>,
    ) -> Result<Option<u32>, A::Error>;
}

/// Reads the rest of an object, whose first key (already taken) is `first`, into the
/// field `out`, which it makes `Got` with the fields of `T`: a key given twice is refused,
/// and an undeclared key skipped or refused as `T` says. An object's
/// [`Container::read_map_into`] for a declaration of fields.
pub(crate) fn read_fields_in_place<'de, T: Fields<'de>, A: MapAccess<'de>>(
    first: Option<Cow<'de, str>>,
    map: A,
    ctx: Ctx<'_>,
    out: &mut Field<T>,
) -> Result<(), A::Error> {
    *out = Field::Got(T::default());
    match out {
        Field::Got(fields) => read_fields_into(first, map, ctx, fields),
        // Never: `out` was just made `Got`.
        _ => skip_map(first, map, ctx),
    }
}

/// As [`read_fields_in_place`], into `fields` (as `T::default()` leaves them).
fn read_fields_into<'de, T: Fields<'de>, A: MapAccess<'de>>(
    first: Option<Cow<'de, str>>,
    mut map: A,
    ctx: Ctx<'_>,
    fields: &mut T,
) -> Result<(), A::Error> {
    let mut declared_seen = 0u64;
    // Made at the first key not declared: an object of declared keys alone never pays for it.
    let mut others: Option<Keys<'de>> = None;
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
            None if T::UNKNOWN == Unknown::Refused => {
                return Err(ctx.unknown(&ctx.path.key(&key), &key, T::KEYS));
            }
            None => others
                .get_or_insert_with(Keys::default)
                .skip_value(key, &mut map, ctx)?,
        }
        next = map.next_key_seed(Key)?;
    }
    Ok(())
}

/// One object read as two declarations at once: a reply's body, which is a Transfer when
/// the status is a 2xx and an error object otherwise, and whose status may come after it.
/// A key either declares is read by the first that does; any other is skipped.
#[derive(Debug, Default)]
pub(crate) struct Both<A, B>(pub(crate) A, pub(crate) B);

impl<'de, A: Fields<'de>, B: Fields<'de>> Fields<'de> for Both<A, B> {
    const UNKNOWN: Unknown = Unknown::Skipped;
    // Only an unknown key's error lists the keys, and this object refuses none.
    const KEYS: &'static [&'static str] = &[];

    fn read_field<M: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut M,
        ctx: Ctx<'_>,
    ) -> Result<Option<u32>, M::Error> {
        if let Some(index) = self.0.read_field(key, map, ctx)? {
            return Ok(Some(index));
        }
        let offset = u32::try_from(A::KEYS.len()).unwrap_or(u32::MAX);
        Ok(self
            .1
            .read_field(key, map, ctx)?
            .map(|index| index.saturating_add(offset)))
    }
}

impl<'de, A: Fields<'de>, B: Fields<'de>> Container<'de> for Both<A, B> {
    const EXPECTED: &'static str = "a JSON object";

    fn read_map_into<M: MapAccess<'de>>(
        first: Option<Cow<'de, str>>,
        map: M,
        ctx: Ctx<'_>,
        out: &mut Field<Self>,
    ) -> Result<(), M::Error> {
        read_fields_in_place(first, map, ctx, out)
    }
}

/// Declares the fields of an object read from a document: first what becomes of a key it
/// does not declare (`unknown: skipped;` for Stripe's objects, `unknown: refused;` for the
/// crate's own shapes), then `"json_key" => field: Type` for each field, where the type is
/// a [`Leaf`], a [`Field`] of another declared object, a `Field` of a [`List`](super::List),
/// or a [`StrOr`]. The fields are seen by the declaring module and its parent.
macro_rules! fields {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident<'de> {
            unknown: $unknown:ident;
            $( $(#[$field_meta:meta])* $json:literal => $field:ident: $type:ty, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Default)]
        $vis struct $name<'de> {
            $( $(#[$field_meta])* pub(super) $field: $type, )+
            _text: ::core::marker::PhantomData<&'de str>,
        }

        impl<'de> $crate::reader::Fields<'de> for $name<'de> {
            const UNKNOWN: $crate::reader::Unknown = $crate::reader::fields!(@unknown $unknown);
            const KEYS: &'static [&'static str] = &[$( $json, )+];

            #[inline]
            fn read_field<A: ::serde::de::MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
                ctx: $crate::reader::Ctx<'_>,
            ) -> Result<Option<u32>, A::Error> {
                #[allow(non_camel_case_types, reason = "one variant per field, named as it")]
                enum Index { $( $field, )+ }
                match key {
                    $( $json => {
                        let path = ctx.path.key($json);
                        self.$field = ::serde::de::MapAccess::next_value_seed(
                            map,
                            $crate::reader::Seed::new(ctx.at(&path)),
                        )?;
                        Ok(Some(Index::$field as u32))
                    } )+
                    _ => Ok(None),
                }
            }
        }

        impl<'de> $crate::reader::Container<'de> for $name<'de> {
            const EXPECTED: &'static str = "a JSON object";
            const LOOKUP_KEYS: Option<&'static [&'static str]> = match $crate::reader::fields!(@unknown $unknown) {
                $crate::reader::Unknown::Skipped => Some(&[$( $json, )+]),
                $crate::reader::Unknown::Refused => None,
            };

            fn read_map_into<A: ::serde::de::MapAccess<'de>>(
                first: Option<::std::borrow::Cow<'de, str>>,
                map: A,
                ctx: $crate::reader::Ctx<'_>,
                out: &mut $crate::reader::Field<Self>,
            ) -> Result<(), A::Error> {
                $crate::reader::read_fields_in_place(first, map, ctx, out)
            }
        }
    };
    (@unknown skipped) => { $crate::reader::Unknown::Skipped };
    (@unknown refused) => { $crate::reader::Unknown::Refused };
}
pub(crate) use fields;

impl<'de, T: Container<'de>> Read<'de> for Field<T> {
    fn read<D: Deserializer<'de>>(deserializer: D, ctx: Ctx<'_>) -> Result<Self, D::Error> {
        let mut field = Field::Absent;
        let visitor = FieldVisitor(ctx, &mut field);
        read_container(deserializer, ctx, visitor, T::LOOKUP_KEYS)?;
        Ok(field)
    }
}

/// Hands `visitor` the value, asking for the object's `keys` alone ([`super::LOOKUP`])
/// when reading by lookups and the container skips its other keys.
fn read_container<'de, D: Deserializer<'de>, V: Visitor<'de>>(
    deserializer: D,
    ctx: Ctx<'_>,
    visitor: V,
    keys: Option<&'static [&'static str]>,
) -> Result<V::Value, D::Error> {
    match keys {
        Some(keys) if ctx.lookup => deserializer.deserialize_struct(super::LOOKUP, keys, visitor),
        _ => deserializer.deserialize_any(visitor),
    }
}

/// Reads a field that holds a container `T` into the field it lends.
struct FieldVisitor<'c, 'f, T>(Ctx<'c>, &'f mut Field<T>);

impl<'de, T: Container<'de>> FieldVisitor<'_, '_, T> {
    /// Leaves `field` read.
    fn put<E>(self, field: Field<T>) -> Result<(), E> {
        *self.1 = field;
        Ok(())
    }
}

impl<'de, T: Container<'de>> Visitor<'de> for FieldVisitor<'_, '_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTED)
    }

    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.put(Field::Not(Leaf::Bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.put(Field::Not(Leaf::Int(Int::from(v))))
    }

    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        self.put(Field::Not(Leaf::Int(Int::from(v))))
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        self.put(Field::Not(Leaf::Number))
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        self.put(Field::Not(Leaf::Str(Cow::Borrowed(""))))
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.put(Field::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let read = T::read_seq(seq, self.0)?;
        self.put(read.map_or(Field::Not(Leaf::Array), Field::Got))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let first = match map_start(&mut map)? {
            MapStart::Number(number, _) => return self.put(Field::Not(number)),
            MapStart::Key(first) => first,
        };
        T::read_map_into(first, map, self.0, self.1)
    }
}

/// A field that holds either a string or a container `T`: an expandable field of a Stripe
/// object (an id, or the expanded object), a reply's body (its raw text, or its JSON).
/// The string is kept borrowed from the text.
#[derive(Debug, Default)]
pub(crate) enum StrOr<'de, T> {
    /// The key was not there.
    #[default]
    Absent,
    Null,
    Str(Cow<'de, str>),
    /// The container, read.
    Got(T),
    /// A value of another type, skipped and kept as its type alone.
    Not(Leaf<'static>),
}

impl<'de, T: Container<'de>> Read<'de> for StrOr<'de, T> {
    fn read<D: Deserializer<'de>>(deserializer: D, ctx: Ctx<'_>) -> Result<Self, D::Error> {
        let mut field = Field::Absent;
        let visitor = StrOrVisitor(FieldVisitor(ctx, &mut field));
        Ok(
            match read_container(deserializer, ctx, visitor, T::LOOKUP_KEYS)? {
                Some(text) => StrOr::Str(text),
                None => StrOr::from(field),
            },
        )
    }
}

impl<'de, T> From<Field<T>> for StrOr<'de, T> {
    fn from(field: Field<T>) -> Self {
        match field {
            Field::Absent => StrOr::Absent,
            Field::Null => StrOr::Null,
            Field::Got(got) => StrOr::Got(got),
            Field::Not(leaf) => StrOr::Not(leaf),
        }
    }
}

/// Reads a string as itself, and anything else as [`FieldVisitor`] does.
struct StrOrVisitor<'c, 's, T>(FieldVisitor<'c, 's, T>);

impl<'de, T: Container<'de>> Visitor<'de> for StrOrVisitor<'_, '_, T> {
    /// The string, or `None` when the value was read into the field.
    type Value = Option<Cow<'de, str>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a string or {}", T::EXPECTED)
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
        self.0.visit_bool(v).map(|()| None)
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.0.visit_i64(v).map(|()| None)
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.0.visit_u64(v).map(|()| None)
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.0.visit_f64(v).map(|()| None)
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v)))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        self.0.put(Field::Null).map(|()| None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.0.visit_seq(seq).map(|()| None)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.0.visit_map(map).map(|()| None)
    }
}

/// Reads the rest of an object whose keys the document chooses (a reply's headers), whose
/// first key (already taken) is `first`: each key and its value, read as a [`Leaf`], are
/// handed to `entry` with their path. A key given twice is refused, and so is any entry
/// `entry` refuses.
pub(crate) fn read_entries<'de, A: MapAccess<'de>>(
    first: Option<Cow<'de, str>>,
    mut map: A,
    ctx: Ctx<'_>,
    mut entry: impl FnMut(&Cow<'de, str>, Leaf<'de>, &Path<'_>) -> Result<(), ReadError>,
) -> Result<(), A::Error> {
    let mut keys = Keys::default();
    let mut next = first;
    while let Some(key) = next {
        let path = ctx.path.key(&key);
        let value: Leaf<'de> = map.next_value_seed(super::Seed::new(ctx.at(&path)))?;
        if !keys.insert(&key) {
            return Err(ctx.duplicate(&path, &key));
        }
        entry(&key, value, &path).map_err(|error| ctx.fail(error))?;
        next = map.next_key_seed(Key)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde::de::SeqAccess;

    use super::super::{Leaf, Path, describe, read_text};
    use super::*;

    fields! {
        /// A document with a field of each container kind.
        struct Outer<'de> {
            unknown: skipped;
            "inner" => inner: Field<Inner<'de>>,
            "either" => either: StrOr<'de, Inner<'de>>,
            "seq" => seq: Field<Count>,
        }
    }

    fields! {
        struct Inner<'de> {
            unknown: refused;
            "a" => a: Leaf<'de>,
        }
    }

    /// An array read as its length: a container that is not an object, so an object given
    /// in its place is skipped (the default [`Container::read_map_into`]).
    #[derive(Debug)]
    struct Count(usize);

    impl<'de> Container<'de> for Count {
        const EXPECTED: &'static str = "an array";

        fn read_seq<A: SeqAccess<'de>>(mut seq: A, _: Ctx<'_>) -> Result<Option<Self>, A::Error> {
            let mut count = 0;
            while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                count += 1;
            }
            Ok(Some(Count(count)))
        }
    }

    /// What reading `value` as `key` of [`Outer`] gives: the error, or `read` of the field.
    fn read<R>(key: &str, value: &str, read: impl FnOnce(&Outer<'_>) -> R) -> Result<R, String> {
        let text = format!(r#"{{"{key}": {value}}}"#);
        let doc: Field<Outer<'_>> = read_text(&text).map_err(|e| e.to_string())?;
        let outer = doc.get(&Path::Root).map_err(|e| e.to_string())?;
        Ok(read(outer))
    }

    fn inner(value: &str) -> Result<String, String> {
        read("inner", value, |outer| {
            let path = Path::Root.key("inner");
            match outer.inner.get(&path) {
                Ok(inner) => inner.a.str(&path.key("a")).map(str::to_owned),
                Err(error) => Err(error),
            }
            .unwrap_or_else(|e| e.to_string())
        })
    }

    #[test]
    fn a_container_field_holds_what_the_document_gave() {
        assert_eq!(inner(r#"{"a": "x"}"#), Ok("x".to_owned()));
        for (value, found) in [
            ("true", "a boolean"),
            ("-1", "an integer"),
            ("1", "an integer"),
            ("1.5", "a number that is not a 64-bit integer"),
            (r#""text""#, "a string"),
            ("null", "null"),
            ("[1]", "an array"),
        ] {
            let want = format!("inner: expected a JSON object, found {found}");
            assert_eq!(inner(value), Ok(want), "{value}");
        }
        // An object of declared fields refuses an unknown key with its path.
        assert_eq!(
            inner(r#"{"b": 1}"#),
            Err("inner.b: unknown key \"b\" (known: a)".to_owned())
        );
        let absent: Result<bool, String> = read("other", "1", |outer| {
            matches!(outer.inner, Field::Absent) && matches!(outer.either, StrOr::Absent)
        });
        assert_eq!(absent, Ok(true));
    }

    #[test]
    fn a_string_or_container_field_holds_what_the_document_gave() {
        let either = |value: &str| {
            read("either", value, |outer| match &outer.either {
                StrOr::Str(text) => format!("string {text}"),
                StrOr::Got(inner) => format!("object {:?}", inner.a),
                StrOr::Null => "null".to_owned(),
                StrOr::Not(leaf) => format!("not {}", describe(leaf)),
                StrOr::Absent => "absent".to_owned(),
            })
        };
        assert_eq!(either(r#""py_1""#), Ok("string py_1".to_owned()));
        assert_eq!(either(r#""p\u0079_1""#), Ok("string py_1".to_owned()));
        assert_eq!(
            either(r#"{"a": 2}"#),
            Ok(format!("object {:?}", Leaf::Int(Int::from(2i64))))
        );
        assert_eq!(either("null"), Ok("null".to_owned()));
        // An owned `Value` hands its string over owned (`visit_string`).
        let value = serde_json::json!({ "either": "py_2" });
        let doc: Field<Outer<'_>> = super::super::read_from(value).unwrap();
        match doc {
            Field::Got(Outer {
                either: StrOr::Str(text),
                ..
            }) => assert_eq!(text, "py_2"),
            other => panic!("{other:?}"),
        }
        for (value, found) in [
            ("false", "a boolean"),
            ("-7", "an integer"),
            ("7", "an integer"),
            ("0.5", "a number that is not a 64-bit integer"),
            ("[]", "an array"),
        ] {
            assert_eq!(either(value), Ok(format!("not {found}")), "{value}");
        }
    }

    #[test]
    fn an_array_field_read_in_place_and_an_object_in_its_place_skipped() {
        let seq = |value: &str| {
            read("seq", value, |outer| match &outer.seq {
                Field::Got(Count(count)) => format!("{count} elements"),
                Field::Not(leaf) => format!("not {}", describe(leaf)),
                Field::Null => "null".to_owned(),
                Field::Absent => "absent".to_owned(),
            })
        };
        assert_eq!(seq("[1, 2, 3]"), Ok("3 elements".to_owned()));
        assert_eq!(seq(r#"{"a": 1}"#), Ok("not an object".to_owned()));
        assert_eq!(seq("true"), Ok("not a boolean".to_owned()));
        // Skipped, an object still refuses a key given twice.
        assert_eq!(
            seq(r#"{"a": 1, "a": 2}"#),
            Err("seq.a: the key \"a\" is given twice".to_owned())
        );
    }
}
