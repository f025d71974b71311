//! An expandable field of a Stripe object: its id, or the whole object when the caller
//! asked for it with `expand[]`.
//!
//! Source: Stripe's API reference, "Expanding responses", and each object's page, which
//! marks such fields "expandable (can be expanded into an object with the `expand` request
//! parameter)": on a Transfer `balance_transaction`, `destination`, `destination_payment`;
//! on a Charge `balance_transaction`, `source_transfer`; on a Transfer reversal `transfer`,
//! `balance_transaction` (API version 2025-04-30.basil and the unversioned pages). An
//! expanded object carries its id under `id`.

use crate::reader::{Leaf, Path, ReadError, ReadErrorKind as Kind, StrOr, describe, fields};

fields! {
    /// An expanded object: its `id` alone is read.
    pub(crate) struct ExpandedDoc<'de> {
        unknown: skipped;
        "id" => id: Leaf<'de>,
    }
}

/// An expandable field as read: its id as a string, the expanded object, or what was
/// found instead, judged when the field is used, so that the error names its path.
pub(crate) type Expandable<'de> = StrOr<'de, ExpandedDoc<'de>>;

/// The id of an expandable field at `path`, when present (absent or `null`: `None`): the
/// string itself, or the `id` of the expanded object, which must be a string. Anything
/// else is an error at `path` (at `path.id` for an object's id).
pub(crate) fn optional_id<'a>(
    field: &'a Expandable<'_>,
    path: &Path<'_>,
) -> Result<Option<&'a str>, ReadError> {
    match field {
        StrOr::Absent | StrOr::Null => Ok(None),
        StrOr::Str(id) => Ok(Some(id)),
        StrOr::Got(object) => match &object.id {
            Leaf::Str(id) => Ok(Some(id)),
            other => Err(ReadError::at(
                Kind::WrongType,
                &path.key("id"),
                format_args!(
                    "an expanded object needs its id as a string, found {}",
                    describe(other)
                ),
            )),
        },
        StrOr::Not(other) => Err(ReadError::at(
            Kind::WrongType,
            path,
            format_args!(
                "expected an id or an expanded object with an id, found {}",
                describe(other)
            ),
        )),
    }
}

/// As [`optional_id`], for a field that must be there.
pub(crate) fn required_id<'a>(
    field: &'a Expandable<'_>,
    path: &Path<'_>,
) -> Result<&'a str, ReadError> {
    optional_id(field, path)?.ok_or_else(|| ReadError::at(Kind::Missing, path, "missing"))
}

#[cfg(test)]
mod tests {
    use super::{Expandable, optional_id};
    use crate::reader::{self, Path};

    fn id(json: &str) -> Result<Option<String>, String> {
        let field: Expandable<'_> = reader::read_text(json).map_err(|e| e.to_string())?;
        optional_id(&field, &Path::Root.key("destination"))
            .map(|id| id.map(str::to_owned))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn an_id_or_an_expanded_objects_id() {
        assert_eq!(id(r#""acct_1""#), Ok(Some("acct_1".to_owned())));
        assert_eq!(id(r#""acct\u0031""#), Ok(Some("acct1".to_owned())));
        assert_eq!(
            id(r#"{"object": "account", "id": "acct_1", "settings": {"id": 5}}"#),
            Ok(Some("acct_1".to_owned()))
        );
        assert_eq!(id("null"), Ok(None));
        // The same read through a parsed value.
        let value = serde_json::json!({"id": "py_1", "object": "charge"});
        let field: Expandable<'_> = reader::read_from(&value).unwrap();
        assert_eq!(optional_id(&field, &Path::Root).unwrap(), Some("py_1"));
    }

    #[test]
    fn anything_else_is_named_at_its_path() {
        let cases = [
            (r#"{"object": "account"}"#, "destination.id", "nothing"),
            (r#"{"id": 5}"#, "destination.id", "an integer"),
            (r#"{"id": null}"#, "destination.id", "null"),
            (r#"{"id": {"id": "acct_1"}}"#, "destination.id", "an object"),
            (r#"{"id": ["acct_1"]}"#, "destination.id", "an array"),
            ("5", "destination", "an integer"),
            ("true", "destination", "a boolean"),
            (r#"["acct_1"]"#, "destination", "an array"),
        ];
        for (json, path, found) in cases {
            let error = id(json).unwrap_err();
            assert!(error.starts_with(&format!("{path}: ")), "{json}: {error}");
            assert!(
                error.ends_with(&format!("found {found}")),
                "{json}: {error}"
            );
        }
        assert_eq!(
            id(r#"{"object": "account"}"#).unwrap_err(),
            "destination.id: an expanded object needs its id as a string, found nothing"
        );
        // An object that gives its id twice is not read.
        assert_eq!(
            id(r#"{"id": "a", "id": "b"}"#).unwrap_err(),
            "id: the key \"id\" is given twice"
        );
    }
}
