//! An expandable field of a Stripe object: its id, or the whole object when the caller
//! asked for it with `expand[]`.
//!
//! Source: Stripe's API reference, "Expanding responses", and each object's page, which
//! marks such fields "expandable (can be expanded into an object with the `expand` request
//! parameter)": on a Transfer `balance_transaction`, `destination`, `destination_payment`;
//! on a Charge `balance_transaction`, `source_transfer`; on a Transfer reversal `transfer`,
//! `balance_transaction` (API version 2025-04-30.basil and the unversioned pages). An
//! expanded object carries its id under `id`.

use std::borrow::Cow;

use serde::de::{
    self, Deserialize, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
};

use super::transfer::TransferError;

/// An expandable field as read: its id (given as a string, or as the `id` of the expanded
/// object), or what was found instead, judged when the field is used, so that the error
/// names its path. Kept borrowed from the body where the JSON has no escapes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Expandable<'a> {
    /// The id.
    Id(Cow<'a, str>),
    /// An object whose `id` is missing or not a string: what it is instead.
    ObjectWithoutId(&'static str),
    /// Neither a string nor an object: what it is.
    NotAnId(&'static str),
}

impl Expandable<'_> {
    /// The id, or an error at `path` (the field's; `path.id` for an object's id).
    pub(crate) fn id(&self, path: &str) -> Result<&str, TransferError> {
        match self {
            Expandable::Id(id) => Ok(id),
            Expandable::ObjectWithoutId(found) => Err(TransferError::at(
                &format!("{path}.id"),
                format_args!("an expanded object needs its id as a string, found {found}"),
            )),
            Expandable::NotAnId(found) => Err(TransferError::at(
                path,
                format_args!("expected an id or an expanded object with an id, found {found}"),
            )),
        }
    }

    /// The id, when there is one.
    pub(crate) fn as_id(&self) -> Option<&str> {
        match self {
            Expandable::Id(id) => Some(id),
            Expandable::ObjectWithoutId(_) | Expandable::NotAnId(_) => None,
        }
    }
}

/// An optional expandable field's id, or an error at `path`.
pub(crate) fn optional_id<'e>(
    field: Option<&'e Expandable<'_>>,
    path: &str,
) -> Result<Option<&'e str>, TransferError> {
    field.map(|field| field.id(path)).transpose()
}

impl<'de: 'a, 'a> Deserialize<'de> for Expandable<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Expandable<'a>, D::Error> {
        deserializer.deserialize_any(ExpandableVisitor { top: true })
    }
}

/// Reads a string as the id and, at the top (`top`), an object's `id` (skipping its other
/// fields); records anything else for [`Expandable::id`] to name. Within an object, the
/// `id` must itself be a string: an object there is not an id.
struct ExpandableVisitor {
    top: bool,
}

impl<'de> DeserializeSeed<'de> for ExpandableVisitor {
    type Value = Expandable<'de>;

    fn deserialize<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Expandable<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ExpandableVisitor {
    type Value = Expandable<'de>;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("an id or an expanded object")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Expandable<'de>, E> {
        Ok(Expandable::Id(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Expandable<'de>, E> {
        Ok(Expandable::Id(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Expandable<'de>, E> {
        Ok(Expandable::Id(Cow::Owned(v)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Expandable<'de>, A::Error> {
        if !self.top {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return Ok(Expandable::NotAnId("an object"));
        }
        let mut id: Option<Expandable<'de>> = None;
        while let Some(is_id) = map.next_key::<IsId>()? {
            if !is_id.0 {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            if id.is_some() {
                return Err(de::Error::duplicate_field("id"));
            }
            id = Some(
                match map.next_value_seed(ExpandableVisitor { top: false })? {
                    Expandable::NotAnId(found) | Expandable::ObjectWithoutId(found) => {
                        Expandable::ObjectWithoutId(found)
                    }
                    text @ Expandable::Id(_) => text,
                },
            );
        }
        Ok(id.unwrap_or(Expandable::ObjectWithoutId("none")))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Expandable<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Expandable::NotAnId("an array"))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Expandable<'de>, E> {
        Ok(Expandable::NotAnId("a boolean"))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Expandable<'de>, E> {
        Ok(Expandable::NotAnId("a number"))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Expandable<'de>, E> {
        Ok(Expandable::NotAnId("a number"))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Expandable<'de>, E> {
        Ok(Expandable::NotAnId("a number"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Expandable<'de>, E> {
        Ok(Expandable::NotAnId("null"))
    }

    fn visit_none<E: de::Error>(self) -> Result<Expandable<'de>, E> {
        Ok(Expandable::NotAnId("null"))
    }
}

/// Whether a key is `id`, read without keeping it.
struct IsId(bool);

impl<'de> Deserialize<'de> for IsId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<IsId, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = IsId;

            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a key")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<IsId, E> {
                Ok(IsId(v == "id"))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize as _;

    use super::Expandable;

    fn read(json: &str) -> Expandable<'_> {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
    }

    #[test]
    fn an_id_or_an_expanded_objects_id() {
        assert_eq!(read(r#""acct_1""#).as_id(), Some("acct_1"));
        assert_eq!(read(r#""acct\u0031""#).as_id(), Some("acct1"));
        assert_eq!(
            read(r#"{"object": "account", "id": "acct_1", "settings": {"id": 5}}"#).as_id(),
            Some("acct_1")
        );
        // The same read through a parsed value.
        let value = serde_json::json!({"id": "py_1", "object": "charge"});
        let expanded = Expandable::deserialize(&value).unwrap();
        assert_eq!(expanded.id("destination_payment").unwrap(), "py_1");
    }

    #[test]
    fn anything_else_is_named_at_its_path() {
        let cases = [
            (r#"{"object": "account"}"#, "destination.id", "none"),
            (r#"{"id": 5}"#, "destination.id", "a number"),
            (r#"{"id": null}"#, "destination.id", "null"),
            (r#"{"id": {"id": "acct_1"}}"#, "destination.id", "an object"),
            (r#"{"id": ["acct_1"]}"#, "destination.id", "an array"),
            ("5", "destination", "a number"),
            ("true", "destination", "a boolean"),
            (r#"["acct_1"]"#, "destination", "an array"),
        ];
        for (json, path, found) in cases {
            let error = read(json).id("destination").unwrap_err();
            assert_eq!(error.path(), path, "{json}");
            assert!(
                error.message().ends_with(&format!("found {found}")),
                "{json}: {error}"
            );
        }
        assert_eq!(
            read(r#"{"object": "account"}"#)
                .id("destination")
                .unwrap_err()
                .to_string(),
            "destination.id: an expanded object needs its id as a string, found none"
        );
        // An object that gives its id twice is not read.
        assert!(serde_json::from_str::<Expandable<'_>>(r#"{"id": "a", "id": "b"}"#).is_err());
    }
}
