//! What linking found in each source, kept in the cache folder between
//! builds, so that a build reads and scans again only the sources whose text
//! changed (or of which something new is asked).
//!
//! Scanning a source (its Markdown rendered to the text quotes are matched
//! in, its links, its own warnings) and finding the quotes cited from it are
//! pure functions of its file's text and of the quotes. For each source, the
//! file `link-v2` of the cache folder keeps, under its file's path: the
//! content hash of its text, its links and warnings, the outcome of each
//! quote cited from it, and the content words it shares with the claims
//! naming it in `appears_in`. A build whose source has the same hash, and
//! asks nothing of it the entry does not hold, takes the entry instead of
//! reading the source's body; anything else scans it as before.
//!
//! The file is framed by [`crate::cache_file`]: its version, the stamp of the
//! program that wrote it (a rebuilt factbrief may scan differently, so it
//! reads nothing another build of it wrote), then a checksum of the rest: a
//! file of another version or program, cut short or corrupt is ignored (and
//! safe to delete).
//! It is replaced as soon as a build has linked (whether or not the build
//! then succeeds: what it holds depends on the sources' texts alone).
//!
//! A source restored from an entry is not read while linking, so a source
//! saved between loading and linking is not noticed then (a scanned one is:
//! "the file changed while the site was being built"); its page, if it is
//! rendered, reads it and notices. The site built is that of the texts loaded.

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use bincode::Options;
use serde::{Deserialize, Serialize};

use super::{LinkAt, Outcome, SourceScan};
use crate::cache_file::{encoding, frames};
use crate::diagnostic::Diagnostic;
use crate::hash::content_hash;
use crate::load::{Document, SourceMeta};

/// The name of the file in the cache folder (its version is in the name and in its first line).
pub const FILE: &str = "link-v2";
const HEADER: &str = "factbrief link cache, version 2";
/// The file of the version before (JSON), removed when this one is written.
const OLDER: &str = "link-v1";

/// What linking found in each source, by the path of its file: each
/// entry encoded ([`Encoded`]), read into an [`Entry`] only when its source is
/// linked (so that the entries of all sources are never held decoded at once).
#[derive(Debug, Default)]
pub struct LinkCache {
    entries: HashMap<String, Encoded>,
}

/// An [`Entry`] as the file keeps it, in bincode ([`encoding`]).
pub(super) type Encoded = Box<[u8]>;

/// What linking found in one source.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct Entry {
    /// The source's id (checked with the path).
    id: String,
    /// [`Document::text_hash`] of the text it was found in.
    text_hash: u128,
    links: Vec<LinkAt>,
    /// Its own warnings, without their excerpts (attached again on use).
    warnings: Vec<Diagnostic>,
    /// The outcome of each quote cited from it, sorted by quote (for a binary search).
    quotes: Vec<(String, Outcome)>,
    /// The hash of the words asked of it (those of the claims naming it in
    /// `appears_in`) and those of them it contains.
    words: Option<(u128, Vec<String>)>,
}

impl LinkCache {
    /// The findings kept in the cache folder `dir`; `None` if there are none,
    /// or the file is of another version or program, or is not whole.
    pub fn read(dir: &Path) -> Option<LinkCache> {
        // (Framed as `load-v2` is: each source's path and its entry.)
        let body = crate::cache_file::read(dir, FILE, HEADER)?;
        let entries = (frames(&body)?.into_iter())
            .map(|(path, at)| (path.into(), body[at].into()))
            .collect();
        Some(LinkCache { entries })
    }

    /// Keep them in the cache folder `dir` (whole, under a temporary name,
    /// then renamed over the last ones).
    pub fn write(&self, dir: &Path) -> io::Result<()> {
        let mut entries: Vec<(&str, &[u8])> = (self.entries.iter())
            .map(|(path, entry)| (path.as_str(), &entry[..]))
            .collect();
        // (In path order, so the same findings make the same file.)
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        crate::cache_file::write_framed(dir, FILE, HEADER, &entries)?;
        crate::cache_file::remove_older(dir, OLDER);
        Ok(())
    }

    /// The entry of `doc`'s file, taken out (as written: see [`Entry::decode`]).
    pub(super) fn remove(&mut self, doc: &Document<SourceMeta>) -> Option<Encoded> {
        self.entries.remove(doc.file.to_str()?)
    }

    /// Keep the entry of `doc`'s file ([`Entry::encode`]).
    pub(super) fn insert(&mut self, doc: &Document<SourceMeta>, entry: Encoded) {
        if let Some(path) = doc.file.to_str() {
            self.entries.insert(path.to_owned(), entry);
        }
    }
}

/// A source's scan and the outcomes of the quotes asked.
pub(super) type Restored<'q> = (SourceScan, Option<HashMap<&'q str, Outcome>>);

impl Entry {
    /// An entry as [`LinkCache::remove`] gives it; `None` if it does not read
    /// (the file it was in checks itself, so only a bug of factbrief's).
    pub(super) fn decode(raw: &[u8]) -> Option<Entry> {
        encoding(raw.len()).deserialize(raw).ok()
    }

    /// The entry as [`LinkCache::insert`] takes it; `None` if it cannot be
    /// written (then the source is read again next time).
    pub(super) fn encode(&self) -> Option<Encoded> {
        encoding(usize::MAX)
            .serialize(self)
            .ok()
            .map(Vec::into_boxed_slice)
    }

    /// The scan of `doc` and the outcomes of `quotes` in it, when this entry
    /// holds them for its text as it is (and the words `need` asks).
    pub(super) fn restore<'q>(
        &self,
        doc: &Arc<Document<SourceMeta>>,
        quotes: Option<&Vec<&'q str>>,
        need: Option<&HashSet<String>>,
    ) -> Option<Restored<'q>> {
        if self.id != doc.id || self.text_hash != doc.text_hash() {
            return None;
        }
        // (Sorted by quote: see `quoted`.)
        let had = |q: &str| {
            let at = self
                .quotes
                .binary_search_by(|(k, _)| k.as_str().cmp(q))
                .ok()?;
            Some(self.quotes[at].1.clone())
        };
        let found = match quotes {
            Some(quotes) => Some(
                quotes
                    .iter()
                    .map(|q| Some((*q, had(q)?)))
                    .collect::<Option<HashMap<_, _>>>()?,
            ),
            None => None,
        };
        let words = OnceLock::new();
        if let Some(need) = need {
            match &self.words {
                Some((hash, have)) if *hash == words_hash(need) => {
                    let _ = words.set(have.iter().cloned().collect());
                }
                _ => return None,
            }
        }
        let scan = SourceScan::restored(doc, self.links.clone(), self.warnings.clone(), words);
        Some((scan, found))
    }

    /// This entry with only the quotes of `found` (those [`Entry::restore`]
    /// found in it); `None` when those are all it holds.
    pub(super) fn narrowed(self, found: Option<&HashMap<&str, Outcome>>) -> Option<Entry> {
        // (Each quote found is one of the entry's, which are distinct.)
        if found.map_or(0, HashMap::len) == self.quotes.len() {
            return None;
        }
        Some(Entry {
            quotes: quoted(found),
            ..self
        })
    }
}

/// The entry of a source just scanned, with the outcomes of the quotes found
/// in it and the words asked of it (`need`, with those it has); `None` when
/// its body could not be read.
pub(super) fn entry(
    scan: &SourceScan,
    found: Option<&HashMap<&str, Outcome>>,
    words: Option<(&HashSet<String>, &HashSet<String>)>,
) -> Option<Entry> {
    if scan.unreadable {
        return None;
    }
    Some(Entry {
        id: scan.doc.id.clone(),
        text_hash: scan.doc.text_hash(),
        links: scan.links.to_vec(),
        // (Their excerpts' text is not written.)
        warnings: scan.warnings.to_vec(),
        quotes: quoted(found),
        words: words.map(|(need, have)| {
            let mut have: Vec<String> = have.iter().cloned().collect();
            have.sort_unstable();
            (words_hash(need), have)
        }),
    })
}

/// The quotes found, sorted by quote.
fn quoted(found: Option<&HashMap<&str, Outcome>>) -> Vec<(String, Outcome)> {
    let mut quotes: Vec<(String, Outcome)> = (found.into_iter().flatten())
        .map(|(q, o)| ((*q).to_owned(), o.clone()))
        .collect();
    quotes.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    quotes
}

/// A hash of a set of words, whatever their order.
fn words_hash(words: &HashSet<String>) -> u128 {
    let mut sorted: Vec<&str> = words.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    content_hash(sorted.join("\n").as_bytes())
}

/// An `f64` kept bit for bit (a decimal form read back may differ in its last bit).
pub(super) mod exact_f64 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(x.to_bits())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        u64::deserialize(d).map(f64::from_bits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::program_stamp;
    use std::fs;

    fn sample() -> Entry {
        let warning = Diagnostic::warning(
            crate::diagnostic::Code::UnsafeUrl,
            "content/sources/a.md",
            "url `javascript:x` is not a web address",
        )
        .at_line(3)
        .with_help("write an address starting with https://");
        let quotes = vec![
            (
                "fifty minutes".to_owned(),
                Outcome::Found(vec![4..9, 10..17], 1, "fifty\nminutes".into()),
            ),
            (
                "two hours".to_owned(),
                Outcome::Missing(Box::new(super::super::Missed {
                    closest: Some(super::super::quote::Closest {
                        passage: "two days".into(),
                        // Not exact in decimal: kept bit for bit.
                        similarity: 0.1 + 0.2,
                        difference: Some("days".into()),
                    }),
                    elided: None,
                    elsewhere: None,
                })),
            ),
            ("…".to_owned(), Outcome::NoWords),
        ];
        Entry {
            id: "a".into(),
            text_hash: u128::MAX - 1,
            links: vec![LinkAt {
                dest: "source:b".into(),
                line: 7,
                column: 2,
            }],
            warnings: vec![warning],
            quotes,
            words: Some((3, vec!["call".into(), "minutes".into()])),
        }
    }

    fn cache_of(entry: &Entry) -> LinkCache {
        let mut entries = HashMap::new();
        entries.insert("content/sources/a.md".to_owned(), entry.encode().unwrap());
        LinkCache { entries }
    }

    fn decoded(cache: &LinkCache) -> Vec<(&String, Option<Entry>)> {
        cache
            .entries
            .iter()
            .map(|(k, v)| (k, Entry::decode(v)))
            .collect()
    }

    #[test]
    fn findings_read_back_what_was_written() {
        let dir = tempfile::tempdir().unwrap();
        cache_of(&sample()).write(dir.path()).unwrap();
        let read = LinkCache::read(dir.path()).unwrap();
        let path = "content/sources/a.md".to_owned();
        assert_eq!(decoded(&read), vec![(&path, Some(sample()))]);
        let entry = Entry::decode(&read.entries[&path]).unwrap();
        let Some((_, Outcome::Missing(m))) = entry.quotes.get(1) else {
            panic!("the outcome read back is not the one written");
        };
        assert_eq!(
            m.closest.as_ref().unwrap().similarity.to_bits(),
            (0.1f64 + 0.2).to_bits()
        );
    }

    #[test]
    fn a_file_cut_short_corrupt_or_of_another_version_or_program_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        cache_of(&sample()).write(dir.path()).unwrap();
        let bytes = fs::read(dir.path().join(FILE)).unwrap();
        let replaced = |from: &str, to: &str| {
            let at = (bytes.windows(from.len()))
                .position(|w| w == from.as_bytes())
                .unwrap();
            [&bytes[..at], to.as_bytes(), &bytes[at + from.len()..]].concat()
        };
        let cut = bytes[..bytes.len() - 3].to_vec();
        let older = replaced("version 2", "version 1");
        let other_program = replaced(program_stamp(), "factbrief 0.0.1 123 None");
        let corrupt = replaced("source:b", "source:c");
        for bad in [
            cut,
            older,
            other_program,
            corrupt,
            vec![],
            b"garbage\n".to_vec(),
        ] {
            fs::write(dir.path().join(FILE), &bad).unwrap();
            assert!(LinkCache::read(dir.path()).is_none(), "{bad:?}");
        }
        // Whole and checked, but not framed whole (a bug of factbrief's only).
        crate::cache_file::write_pieces(dir.path(), FILE, HEADER, &[&[9, 0, 0, 0, b'a']]).unwrap();
        assert!(LinkCache::read(dir.path()).is_none());
    }
}
