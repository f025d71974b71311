//! An array read element by element into a running result, so that its elements are never
//! held all at once.

use serde::de::SeqAccess;

use super::{Container, Ctx, Path, Read, Seed};

/// What an array is read into: each element, as it is read, is folded in.
pub(crate) trait Fold<'de>: Default {
    /// One element, as it is read.
    type Item: Read<'de>;

    /// Folds in `item`, read at `path`.
    fn fold(&mut self, item: Self::Item, path: &Path<'_>);
}

/// An array folded into `F` as it is read.
#[derive(Debug, Default)]
pub(crate) struct List<F>(pub(crate) F);

impl<'de, F: Fold<'de>> Container<'de> for List<F> {
    const EXPECTED: &'static str = "an array";

    fn read_seq<A: SeqAccess<'de>>(mut seq: A, ctx: Ctx<'_>) -> Result<Option<Self>, A::Error> {
        let mut folded = F::default();
        let mut index = 0usize;
        loop {
            let path = ctx.path.index(index);
            match seq.next_element_seed(Seed::<F::Item>::new(ctx.at(&path)))? {
                Some(item) => folded.fold(item, &path),
                None => return Ok(Some(List(folded))),
            }
            index = index.saturating_add(1);
        }
    }
}
