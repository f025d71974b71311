//! Reading an input, a file or standard input, with one set of checks and errors: too
//! large (reading stops one byte past the limit), then not UTF-8, then what the reader
//! finds. `batch` and `book` read it a piece at a time ([`Checked`]: the text is never
//! held, memory is that of what is read from it); the other commands read it whole
//! ([`read_whole`], through the same [`Checked`]).

use std::io::{self, Read};
use std::path::Path;

use stripe_account_debits::json::ReadError;

use super::cannot_read;

/// The file at `path`, or standard input for `-`, and the name its errors give it.
pub fn open(path: &Path) -> Result<(Box<dyn Read>, String), ReadError> {
    if path.as_os_str() == "-" {
        return Ok((Box::new(io::stdin().lock()), "standard input".to_owned()));
    }
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| cannot_read(&name, &e))?;
    Ok((Box::new(file), name))
}

/// The text of the file at `path`, or of standard input for `-`, of at most `max` bytes.
pub fn read_whole(path: &Path, max: usize) -> Result<String, ReadError> {
    let (reader, name) = open(path)?;
    let mut checked = Checked::new(reader, max);
    let mut bytes = Vec::new();
    let read = checked.read_to_end(&mut bytes);
    // What stopped the reading, as a piece-at-a-time reading says it.
    if let Some(error) = checked.finish(&name) {
        return Err(error);
    }
    read.map_err(|e| cannot_read(&name, &e))?;
    String::from_utf8(bytes)
        .map_err(|_| ReadError::document(format_args!("{name} is not UTF-8 text")))
}

/// A reader that counts what it reads, checks that it is UTF-8, and stops (with an error)
/// past `max` bytes or at the first invalid byte. What stopped it is kept, to be reported
/// as reading the whole text reports it.
pub struct Checked<R> {
    inner: R,
    max: usize,
    read: usize,
    /// The start of a UTF-8 sequence cut by the end of the last read, and its length.
    pending: [u8; 4],
    pending_len: usize,
    too_large: bool,
    not_utf8: bool,
    failed: Option<io::Error>,
}

impl<R: Read> Checked<R> {
    pub fn new(inner: R, max: usize) -> Checked<R> {
        Checked {
            inner,
            max,
            read: 0,
            pending: [0; 4],
            pending_len: 0,
            too_large: false,
            not_utf8: false,
            failed: None,
        }
    }

    /// Whether `bytes` (read after the last call) continue valid UTF-8.
    fn check(&mut self, mut bytes: &[u8]) -> bool {
        if self.pending_len > 0 {
            let need = sequence_len(self.pending[0]).saturating_sub(self.pending_len);
            let take = need.min(bytes.len());
            let (head, rest) = bytes.split_at(take);
            for (slot, byte) in self.pending.iter_mut().skip(self.pending_len).zip(head) {
                *slot = *byte;
            }
            self.pending_len = self.pending_len.saturating_add(take);
            bytes = rest;
            if take < need {
                return true;
            }
            let done = self.pending.get(..self.pending_len).unwrap_or_default();
            if core::str::from_utf8(done).is_err() {
                return false;
            }
            self.pending_len = 0;
        }
        match core::str::from_utf8(bytes) {
            Ok(_) => true,
            // A sequence cut by the end of the buffer: kept to be checked with what follows.
            Err(error) if error.error_len().is_none() => {
                let cut = bytes.get(error.valid_up_to()..).unwrap_or_default();
                for (slot, byte) in self.pending.iter_mut().zip(cut) {
                    *slot = *byte;
                }
                self.pending_len = cut.len();
                true
            }
            Err(_) => false,
        }
    }

    /// What reading the whole input finds: too large (reading stops one byte past the
    /// limit: an input may never end), not UTF-8, an error of the reader, or `None`. Reads
    /// what is left up to the limit, only to check it.
    pub fn finish(mut self, name: &str) -> Option<ReadError> {
        if let Some(error) = self.failed.take() {
            return Some(cannot_read(name, &error));
        }
        let mut rest = [0u8; 8192];
        while !self.too_large {
            match self.inner.read(&mut rest) {
                Ok(0) => break,
                Ok(n) => {
                    self.read = self.read.saturating_add(n);
                    self.too_large = self.read > self.max;
                    let chunk = rest.get(..n).unwrap_or_default();
                    if !self.not_utf8 && !self.check(chunk) {
                        self.not_utf8 = true;
                    }
                }
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Some(cannot_read(name, &error)),
            }
        }
        if self.too_large {
            return Some(ReadError::over_limit(self.max));
        }
        if self.not_utf8 || self.pending_len > 0 {
            return Some(ReadError::document(format_args!(
                "{name} is not UTF-8 text"
            )));
        }
        None
    }
}

/// The length of the UTF-8 sequence that `lead` starts (1 for anything else).
fn sequence_len(lead: u8) -> usize {
    match lead {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => 1,
    }
}

impl<R: Read> Read for Checked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.too_large || self.not_utf8 || self.failed.is_some() {
            return Err(io::Error::other("the input stopped being read"));
        }
        let n = match self.inner.read(buf) {
            Ok(n) => n,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => return Err(error),
            Err(error) => {
                let stop = io::Error::new(error.kind(), error.to_string());
                self.failed = Some(error);
                return Err(stop);
            }
        };
        self.read = self.read.saturating_add(n);
        if self.read > self.max {
            self.too_large = true;
            return Err(io::Error::other("the input is too large"));
        }
        if !self.check(buf.get(..n).unwrap_or_default()) {
            self.not_utf8 = true;
            return Err(io::Error::other("the input is not UTF-8"));
        }
        if n == 0 && self.pending_len > 0 {
            self.not_utf8 = true;
            return Err(io::Error::other("the input ends within a UTF-8 sequence"));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::Checked;
    use std::io::Read;

    /// Reads `bytes` through a `Checked` in reads of `step` bytes: whether every byte was
    /// read without an error, and what `finish` says.
    fn through(bytes: &[u8], step: usize, max: usize) -> (bool, Option<String>) {
        struct Steps<'a>(&'a [u8], usize);
        impl Read for Steps<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.1.min(buf.len()).min(self.0.len());
                let (head, rest) = self.0.split_at(n);
                buf[..n].copy_from_slice(head);
                self.0 = rest;
                Ok(n)
            }
        }
        let mut checked = Checked::new(Steps(bytes, step), max);
        let mut out = Vec::new();
        let ok = checked.read_to_end(&mut out).is_ok();
        (ok, checked.finish("in").map(|e| e.to_string()))
    }

    #[test]
    fn checks_utf8_across_reads() {
        let text = "a é € 𝄞 z".as_bytes();
        for step in 1..5 {
            assert_eq!(through(text, step, 100), (true, None), "{step}");
        }
        let mut bad = text.to_vec();
        bad.insert(3, 0xFF);
        for step in 1..5 {
            assert_eq!(
                through(&bad, step, 100),
                (false, Some("in is not UTF-8 text".into()))
            );
        }
        // Cut within a sequence at the end.
        let cut = &"é".as_bytes()[..1];
        assert_eq!(
            through(cut, 1, 100),
            (false, Some("in is not UTF-8 text".into()))
        );
    }

    #[test]
    fn too_large_stops_at_the_limit_and_comes_first() {
        let mut bytes = vec![b'x'; 10];
        bytes.push(0xFF);
        let (ok, error) = through(&bytes, 3, 4);
        assert!(!ok);
        assert_eq!(
            error.as_deref(),
            Some("the input is more than the 4 bytes allowed")
        );
        assert_eq!(through(b"abcd", 3, 4), (true, None));
    }
}
