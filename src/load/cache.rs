//! What loading found in each file of `content/`, kept in the cache folder
//! between builds (the file `load-v2`), so that a build reads and parses
//! again only the files that changed.
//!
//! For each document file read without a problem, by its path: how the file
//! stood when it was read (size, modification and change times, inode and
//! device), the content hash of its text, and the document as parsed (its
//! fields, its text as held and where its front matter's fields sit). A
//! build takes the entry instead of reading the file when the file stands as
//! it did then. A file that stands otherwise (touched, checked out again,
//! copied back) is read, and its parse is still taken from the entry when its
//! text has the same hash.
//!
//! A file modified within [`SETTLE`] before it was read could be modified
//! again within the same tick of the file system's clock, leaving it standing
//! as it did: its entry is not trusted on how the file stands, only on its
//! hash (the file is read again), until a build reads it settled. The change
//! time is in the key because no program can set it: a file written with the
//! same size and an old modification time (`cp -p`, `rsync -t`, `touch -d`)
//! still stands otherwise. (Only a program writing a file twice within one
//! tick, the same size and setting the same old modification time each
//! time, while a build reads it in between, could go unnoticed.)
//!
//! Only a single run (`build`) uses it: its sources' bodies are left on disk,
//! and the entries hold them so. The file is framed by [`crate::cache_file`]
//! (another version or program, cut short or corrupt: not read), and
//! replaced whenever a build read any file (or one went away).

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use bincode::Options;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::document::{Document, Stored, StoredRef};
use crate::cache_file::{encoding, frames};

/// The name of the file in the cache folder (its version is in the name and in its first line).
pub const FILE: &str = "load-v2";
const HEADER: &str = "factbrief load cache, version 2";
/// The file of the version before (JSON), removed when this one is written.
const OLDER: &str = "load-v1";

/// How long after it last changed a file's standing is trusted to tell its text.
pub const SETTLE: Duration = Duration::from_secs(2);

/// How a file stood when it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Stat {
    size: u64,
    /// Modification and change times, in seconds and nanoseconds.
    modified: (i64, i64),
    changed: (i64, i64),
    inode: u64,
    device: u64,
}

impl Stat {
    /// How the file of `meta` stands.
    pub(super) fn of(meta: &fs::Metadata) -> Stat {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Stat {
                size: meta.size(),
                modified: (meta.mtime(), meta.mtime_nsec()),
                changed: (meta.ctime(), meta.ctime_nsec()),
                inode: meta.ino(),
                device: meta.dev(),
            }
        }
        #[cfg(not(unix))]
        {
            let since = |t: io::Result<SystemTime>| {
                t.ok()
                    .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
                    .map_or((0, 0), |d| {
                        (d.as_secs() as i64, i64::from(d.subsec_nanos()))
                    })
            };
            Stat {
                size: meta.len(),
                modified: since(meta.modified()),
                changed: since(meta.created()),
                inode: 0,
                device: 0,
            }
        }
    }

    /// Whether the file had not been modified for [`SETTLE`] at `now` (a
    /// clock set back, or a time in the future, is not settled). Never,
    /// outside Unix: there is no change time to tell a file written with an
    /// old modification time, so every file is read (and its parse taken
    /// when its text is the same).
    pub(super) fn settled(&self, now: SystemTime) -> bool {
        if cfg!(not(unix)) {
            return false;
        }
        let last = self.modified;
        let Ok(now) = now.duration_since(SystemTime::UNIX_EPOCH) else {
            return false;
        };
        let now = (now.as_secs() as i64, i64::from(now.subsec_nanos()));
        let settle = (SETTLE.as_secs() as i64, 0);
        (last.0 + settle.0, last.1) < now
    }
}

/// One file's entry, borrowed to be written.
#[derive(Serialize)]
struct EntryRef<'a, M> {
    stat: Stat,
    settled: bool,
    /// [`crate::hash::content_hash`] of the whole text as parsed.
    hash: u128,
    doc: StoredRef<'a, M>,
}

/// One file's entry as read back.
#[derive(Deserialize)]
struct Entry<M> {
    stat: Stat,
    settled: bool,
    hash: u128,
    doc: Stored<M>,
}

/// The entries the last build kept, by file path relative to the site root
/// (each read when its file is loaded), and those this load makes for the
/// next one.
///
/// The file's body is an entry per file, in path order, framed by
/// [`frames`], each in bincode ([`encoding`]: a fresh process decodes 12,000
/// of them in a fraction of the time JSON takes). Indexing it takes a look
/// at each length; an entry kept as it was is written back from the same bytes.
#[derive(Debug, Default)]
pub struct LoadCache {
    body: Vec<u8>,
    /// Where each file's entry is in `body`.
    index: HashMap<Box<str>, std::ops::Range<usize>>,
    next: Mutex<Next>,
}

#[derive(Debug, Default)]
struct Next {
    entries: Vec<(String, Kept)>,
    /// Whether any entry differs from the one read.
    changed: bool,
}

/// An entry for the next build.
#[derive(Debug)]
enum Kept {
    /// The one read, at this place of the body.
    Read(std::ops::Range<usize>),
    /// A new one.
    New(Vec<u8>),
}

/// What [`LoadCache::take`] found for a file.
pub(super) enum Taken<M> {
    /// The document, as the entry keeps it: the file need not be read.
    Whole(Document<M>),
    /// The file must be read; if its text has this hash, the entry's
    /// document (at this place of the body) is its parse ([`LoadCache::same_text`]).
    Read(Option<(u128, std::ops::Range<usize>)>),
}

impl LoadCache {
    /// The entries kept in the cache folder `dir`; none if the file is
    /// missing, of another version or program, or not whole.
    pub fn read(dir: &Path) -> LoadCache {
        let body = crate::cache_file::read(dir, FILE, HEADER).unwrap_or_default();
        // (A body that does not frame whole is not read at all.)
        let index = frames(&body).unwrap_or_default();
        let body = if index.is_empty() { Vec::new() } else { body };
        LoadCache {
            body,
            index,
            next: Mutex::default(),
        }
    }

    fn entry<M: DeserializeOwned>(&self, at: &std::ops::Range<usize>) -> Option<Entry<M>> {
        let bytes = self.body.get(at.clone())?;
        encoding(bytes.len()).deserialize(bytes).ok()
    }

    /// The document `id` of the file `rel` (at `path`), which stands as
    /// `stat`, when its entry is vouched for by the stat; else what reading
    /// the file may still reuse.
    pub(super) fn take<M: DeserializeOwned>(
        &self,
        rel: &str,
        id: &str,
        path: &Path,
        stat: Stat,
        fields: (&[&'static str], &[&'static str]),
    ) -> Taken<M> {
        let Some(at) = self.index.get(rel) else {
            return Taken::Read(None);
        };
        let Some(entry) = self.entry::<M>(at) else {
            return Taken::Read(None);
        };
        if entry.stat != stat || !entry.settled {
            return Taken::Read(Some((entry.hash, at.clone())));
        }
        match Document::from_stored(entry.doc, entry.hash, path, fields) {
            Some(doc) if doc.id == id && doc.file == Path::new(rel) => {
                self.keep(rel, Kept::Read(at.clone()), false);
                Taken::Whole(doc)
            }
            _ => Taken::Read(None),
        }
    }

    /// The document `id` of the file `rel` that the entry at `at` (as
    /// [`LoadCache::take`] gave it) keeps, for the file read again at
    /// `path`, its text having the entry's hash.
    pub(super) fn same_text<M: DeserializeOwned>(
        &self,
        at: &std::ops::Range<usize>,
        (rel, id): (&str, &str),
        path: &Path,
        fields: (&[&'static str], &[&'static str]),
    ) -> Option<Document<M>> {
        let entry = self.entry::<M>(at)?;
        Document::from_stored(entry.doc, entry.hash, path, fields)
            .filter(|doc| doc.id == id && doc.file == Path::new(rel))
    }

    /// Keep `doc`, read from a file that stood as `stat` at `now` and whose
    /// whole text has hash `hash`, for the next build.
    pub(super) fn put<M: Serialize>(
        &self,
        rel: &str,
        doc: &Document<M>,
        stat: Stat,
        now: SystemTime,
        hash: u128,
    ) {
        let entry = EntryRef {
            stat,
            settled: stat.settled(now),
            hash,
            doc: doc.stored(),
        };
        // (A date that would not read back is not kept: the file is read next time.)
        if let Ok(bytes) = encoding(usize::MAX).serialize(&entry) {
            self.keep(rel, Kept::New(bytes), true);
        }
    }

    fn keep(&self, rel: &str, entry: Kept, changed: bool) {
        let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
        next.changed |= changed;
        next.entries.push((rel.to_owned(), entry));
    }

    /// Keep the entries of this load in the cache folder `dir`, unless they
    /// are those read (whole, under a temporary name, then renamed).
    pub fn write(self, dir: &Path) -> io::Result<()> {
        let next = self.next.into_inner().unwrap_or_else(|p| p.into_inner());
        if !next.changed && next.entries.len() == self.index.len() {
            return Ok(());
        }
        let mut entries = next.entries;
        // (In path order, so the same files make the same file.)
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let body_read = &self.body;
        fn bytes<'a>(body: &'a [u8], kept: &'a Kept) -> &'a [u8] {
            match kept {
                Kept::Read(at) => &body[at.clone()],
                Kept::New(bytes) => bytes,
            }
        }
        let framed: Vec<(&str, &[u8])> = (entries.iter())
            .map(|(path, e)| (path.as_str(), bytes(body_read, e)))
            .collect();
        crate::cache_file::write_framed(dir, FILE, HEADER, &framed)?;
        crate::cache_file::remove_older(dir, OLDER);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::ClaimMeta;

    const CLAIM: &str = "+++\nclaim = \"A\"\nverdict = \"true\"\nreviewed = 2022-01-05\n\n[[evidence]]\nsource = \"s\"\nstance = \"supports\"\n+++\nBody.\n";
    const FIELDS: (&[&str], &[&str]) = (ClaimMeta::FIELDS, crate::load::EvidenceMeta::FIELDS);

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    /// The claim file `rel` of the site `root`, written: its path, its
    /// document and how it stands.
    fn claim_file(root: &Path, rel: &str) -> (std::path::PathBuf, Document<ClaimMeta>, Stat) {
        let file = root.join(rel);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(&file, CLAIM).unwrap();
        let doc =
            super::super::read_document::<ClaimMeta>(root, &file, "a".into(), FIELDS.0, FIELDS.1)
                .unwrap();
        let stat = Stat::of(&fs::metadata(&file).unwrap());
        (file, doc, stat)
    }

    #[test]
    fn an_entry_is_taken_on_its_stat_only_once_settled() {
        let dir = tempfile::tempdir().unwrap();
        let (file, doc, stat) = claim_file(dir.path(), "content/claims/a.md");
        let modified =
            SystemTime::UNIX_EPOCH + Duration::new(stat.modified.0 as u64, stat.modified.1 as u32);
        let rel = "content/claims/a.md";
        for (now, settled) in [
            (modified, false),
            (modified + Duration::from_millis(1900), false),
            (modified + Duration::from_millis(2100), true),
            (modified - Duration::from_secs(60), false),
        ] {
            let cache = LoadCache::default();
            cache.put(rel, &doc, stat, now, doc.text_hash());
            let kept = dir.path().join("cache");
            cache.write(&kept).unwrap();
            let read = LoadCache::read(&kept);
            match read.take::<ClaimMeta>(rel, "a", &file, stat, FIELDS) {
                Taken::Whole(back) => {
                    assert!(settled, "taken unsettled at {now:?}");
                    assert_eq!(format!("{back:?}"), format!("{doc:?}"));
                }
                Taken::Read(Some((hash, at))) => {
                    assert!(!settled, "not taken settled at {now:?}");
                    assert_eq!(hash, doc.text_hash());
                    let back = read.same_text::<ClaimMeta>(&at, (rel, "a"), &file, FIELDS);
                    assert_eq!(format!("{:?}", back.unwrap()), format!("{doc:?}"));
                    // Not for another file or id.
                    assert!(read
                        .same_text::<ClaimMeta>(&at, (rel, "b"), &file, FIELDS)
                        .is_none());
                }
                Taken::Read(None) => panic!("no entry"),
            }
            // Standing otherwise: read again, whether settled or not.
            let other = Stat {
                changed: (stat.changed.0 + 1, stat.changed.1),
                ..stat
            };
            assert!(matches!(
                read.take::<ClaimMeta>(rel, "a", &file, other, FIELDS),
                Taken::Read(Some(_))
            ));
            assert!(matches!(
                read.take::<ClaimMeta>("content/claims/b.md", "b", &file, stat, FIELDS),
                Taken::Read(None)
            ));
        }
        assert!(Stat {
            modified: (10, 0),
            ..stat
        }
        .settled(at(13)));
        assert!(!Stat {
            modified: (10, 0),
            ..stat
        }
        .settled(at(12)));
    }

    #[test]
    fn the_file_is_written_again_only_when_an_entry_changed() {
        let dir = tempfile::tempdir().unwrap();
        let (file, doc, stat) = claim_file(dir.path(), "a.md");
        let kept = dir.path().join("cache");
        let cache = LoadCache::default();
        cache.put("a.md", &doc, stat, at(u32::MAX.into()), doc.text_hash());
        cache.write(&kept).unwrap();
        let first = fs::read(kept.join(FILE)).unwrap();
        // Every entry taken as it was: not written again.
        let read = LoadCache::read(&kept);
        assert!(matches!(
            read.take::<ClaimMeta>("a.md", "a", &file, stat, FIELDS),
            Taken::Whole(_)
        ));
        fs::remove_file(kept.join(FILE)).unwrap();
        read.write(&kept).unwrap();
        assert!(!kept.join(FILE).exists());
        // The file gone: written without it.
        fs::write(kept.join(FILE), &first).unwrap();
        LoadCache::read(&kept).write(&kept).unwrap();
        let after = crate::cache_file::read(&kept, FILE, HEADER).unwrap();
        assert!(after.is_empty(), "{after:?}");
    }

    #[test]
    fn any_path_is_kept_and_a_body_cut_short_reads_as_none() {
        let dir = tempfile::tempdir().unwrap();
        let (file, doc, stat) = claim_file(dir.path(), "a.md");
        let kept = dir.path().join("cache");
        let cache = LoadCache::default();
        let odd = "b\n\tc.md";
        cache.put("a.md", &doc, stat, at(u32::MAX.into()), doc.text_hash());
        cache.put(odd, &doc, stat, at(u32::MAX.into()), doc.text_hash());
        cache.write(&kept).unwrap();
        let read = LoadCache::read(&kept);
        assert_eq!(read.index.len(), 2);
        assert!(read.index.contains_key(odd));
        assert!(matches!(
            read.take::<ClaimMeta>("a.md", "a", &file, stat, FIELDS),
            Taken::Whole(_)
        ));
        // An entry is for its own file only.
        assert!(matches!(
            read.take::<ClaimMeta>(odd, "a", &file, stat, FIELDS),
            Taken::Read(None)
        ));
        // A body that does not frame whole (the checksum of the file is
        // checked first: this is the framing's own check).
        let body = crate::cache_file::read(&kept, FILE, HEADER).unwrap();
        assert!(frames(&body).is_some());
        for cut in [1, 5, body.len() - 1] {
            assert!(frames(&body[..cut]).is_none(), "cut at {cut}");
        }
        crate::cache_file::write_pieces(&kept, FILE, HEADER, &[&body[..body.len() - 1]]).unwrap();
        assert!(LoadCache::read(&kept).index.is_empty());
        // An entry that does not decode is not taken (its last byte, a bool, made 0xff).
        let mut bad = body.clone();
        let at = frames(&body).unwrap()["a.md"].clone();
        bad[at.end - 1] = 0xff;
        crate::cache_file::write_pieces(&kept, FILE, HEADER, &[&bad]).unwrap();
        let read = LoadCache::read(&kept);
        assert_eq!(read.index.len(), 2);
        assert!(matches!(
            read.take::<ClaimMeta>("a.md", "a", &file, stat, FIELDS),
            Taken::Read(None)
        ));
    }
}
