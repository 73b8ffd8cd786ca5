//! Blobs kept by hash: what is slow to make and depends only on a few inputs
//! (a share image, a shard of the search index) is kept by a stable hash of
//! those inputs ([`Key`]), in memory across the rebuilds of `serve`, and for
//! `build` in a folder of the cache beside the output
//! (`.<name>.factbrief-cache/<kind>/`), which is safe to delete: what is
//! missing is made again.
//!
//! On disk each blob is one file, `<hash>.bin`, that checks itself: a header
//! with its key, length and CRC-32, then the bytes. A file that is truncated,
//! corrupt or under the wrong name is never returned (the blob is made again
//! and the file replaced). A blob is written as soon as it is made, whole to a
//! temporary name then renamed, so a killed build leaves no half file under a
//! blob's name, and a build holds in memory no second copy of what it keeps on
//! disk.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// The first bytes of a blob's file (the last one is the format's version).
const MAGIC: &[u8; 8] = b"fbblob\n\x01";

/// Magic, key (u64), length (u64), CRC-32 of the bytes (u32), all little-endian.
const HEADER: usize = 8 + 8 + 8 + 4;

/// The extension of a blob's file.
const EXTENSION: &str = "bin";

/// Blobs by key, in memory or in a folder.
#[derive(Debug, Default)]
pub struct Blobs {
    /// Every blob of the run, kept in memory (when there is no folder).
    memory: Mutex<HashMap<u64, Arc<Vec<u8>>>>,
    /// The folder on disk, if any.
    dir: Option<PathBuf>,
    /// Blobs made are written to `dir` (not for `check`, which writes nothing).
    write: bool,
    /// Blobs asked for in this run.
    used: Mutex<HashSet<u64>>,
    /// The first blob that could not be written, for [`Blobs::persist`] to report.
    failed: Mutex<Option<std::io::Error>>,
}

impl Blobs {
    /// Kept in memory only (for `serve`, across its rebuilds).
    pub fn in_memory() -> Blobs {
        Blobs::default()
    }

    /// Read from `dir`, and what is made written there at once (the folder is
    /// created when first written). Nothing is kept in memory.
    pub fn on_disk(dir: PathBuf) -> Blobs {
        Blobs {
            dir: Some(dir),
            write: true,
            ..Blobs::default()
        }
    }

    /// Read from `dir`; what is made is neither written nor kept.
    pub fn read_only(dir: PathBuf) -> Blobs {
        Blobs {
            dir: Some(dir),
            ..Blobs::default()
        }
    }

    /// The blob of `key`, kept in memory or read whole and sound from the
    /// folder; `None` when it must be made (then [`Blobs::put`]).
    pub fn get(&self, key: u64) -> Option<Arc<Vec<u8>>> {
        lock(&self.used).insert(key);
        match &self.dir {
            None => lock(&self.memory).get(&key).cloned(),
            Some(dir) => read_sound(&dir.join(file_name(key)), key).map(Arc::new),
        }
    }

    /// Whether there is a blob of `key`, without reading it (it may yet
    /// turn out unsound when read).
    pub fn has(&self, key: u64) -> bool {
        match &self.dir {
            None => lock(&self.memory).contains_key(&key),
            Some(dir) => dir.join(file_name(key)).is_file(),
        }
    }

    /// Keep `bytes`, just made, as the blob of `key`.
    pub fn put(&self, key: u64, bytes: Vec<u8>) -> Arc<Vec<u8>> {
        lock(&self.used).insert(key);
        let bytes = Arc::new(bytes);
        match &self.dir {
            None => {
                lock(&self.memory).insert(key, bytes.clone());
            }
            Some(dir) if self.write => {
                if let Err(e) = write_whole(dir, key, &bytes) {
                    lock(&self.failed).get_or_insert(e);
                }
            }
            Some(_) => {}
        }
        bytes
    }

    /// The blob of `key`: kept, or made by `make` and kept.
    pub fn get_or_make(&self, key: u64, make: impl FnOnce() -> Vec<u8>) -> Arc<Vec<u8>> {
        match self.get(key) {
            Some(b) => b,
            None => self.put(key, make()),
        }
    }

    /// Count the blob of `key` as asked for, without reading it: it is
    /// still wanted (its page was kept), so [`Blobs::persist`] must not prune it.
    pub fn want(&self, key: u64) {
        lock(&self.used).insert(key);
    }

    /// Let go of the blobs in memory other than `keep` (for `serve`, where the
    /// blobs of older versions of the site would otherwise pile up).
    pub fn forget_all_but(&self, keep: &HashSet<u64>) {
        lock(&self.memory).retain(|k, _| keep.contains(k));
    }

    /// After a run: with `prune` (after a build that asked for every blob the
    /// site has) remove from the folder the files of the blobs not asked for;
    /// and say whether some blob made could not be written. A blob that could
    /// not be written is made again next time: the error is to be shown as a
    /// warning, never fatal.
    pub fn persist(&self, prune: bool) -> std::io::Result<()> {
        let Some(dir) = self.dir.as_ref().filter(|_| self.write) else {
            return Ok(());
        };
        if let Some(e) = lock(&self.failed).take() {
            return Err(e);
        }
        if prune {
            let used = lock(&self.used);
            if let Ok(entries) = std::fs::read_dir(dir) {
                for e in entries.flatten() {
                    let keep =
                        key_of(&e.file_name().to_string_lossy()).is_some_and(|k| used.contains(&k));
                    if !keep {
                        let _ = std::fs::remove_file(e.path());
                    }
                }
            }
        }
        Ok(())
    }
}

/// A stable hash of the inputs of a blob: FNV-1a (64 bits), each field
/// followed by a byte no UTF-8 text has, so `("ab", "c")` and `("a", "bc")`
/// differ. The same on every run and machine.
#[derive(Debug, Clone)]
pub struct Key(u64);

impl Key {
    /// A hash of `kind` (the kind of blob and its version) alone, to feed fields to.
    pub fn new(kind: &str) -> Key {
        let mut k = Key(0xcbf2_9ce4_8422_2325);
        k.field(kind.as_bytes());
        k
    }

    /// Feed one field.
    pub fn field(&mut self, bytes: &[u8]) -> &mut Key {
        let mut h = self.0;
        for b in bytes.iter().chain([0xff_u8].iter()) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
        self
    }

    /// The hash.
    pub fn finish(&self) -> u64 {
        self.0
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn file_name(key: u64) -> String {
    format!("{key:016x}.{EXTENSION}")
}

/// The key of a blob's file name, if it is one.
fn key_of(name: &str) -> Option<u64> {
    let hex = name.strip_suffix(EXTENSION)?.strip_suffix('.')?;
    (hex.len() == 16)
        .then(|| u64::from_str_radix(hex, 16).ok())
        .flatten()
}

/// Write the file of blob `key` under `dir`: whole to a temporary name of
/// this process and write alone, then renamed into place.
fn write_whole(dir: &Path, key: u64, bytes: &[u8]) -> std::io::Result<()> {
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let name = file_name(key);
    let n = WRITES.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.tmp-{}-{n}", std::process::id()));
    let write = |tmp: &Path| -> std::io::Result<()> {
        let mut f = std::fs::File::create(tmp)?;
        f.write_all(&header(key, bytes))?;
        f.write_all(bytes)
    };
    if let Err(e) = write(&tmp) {
        // The folder may be missing (first write, or deleted since): once more.
        std::fs::create_dir_all(dir)?;
        if write(&tmp).is_err() {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    }
    std::fs::rename(&tmp, dir.join(name)).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

fn header(key: u64, bytes: &[u8]) -> [u8; HEADER] {
    let mut h = [0; HEADER];
    h[..8].copy_from_slice(MAGIC);
    h[8..16].copy_from_slice(&key.to_le_bytes());
    h[16..24].copy_from_slice(&(bytes.len() as u64).to_le_bytes());
    h[24..].copy_from_slice(&crc32fast::hash(bytes).to_le_bytes());
    h
}

/// The bytes of blob `key` in the file at `path`, if it is whole and sound:
/// read once, into a buffer of their size.
fn read_sound(path: &Path, key: u64) -> Option<Vec<u8>> {
    let mut f = std::fs::File::open(path).ok()?;
    let mut head = [0; HEADER];
    f.read_exact(&mut head).ok()?;
    let len = u64::from_le_bytes(head[16..24].try_into().ok()?);
    let file_len = f.metadata().ok()?.len();
    if head[..16] != header(key, &[])[..16] || file_len.checked_sub(HEADER as u64) != Some(len) {
        return None;
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).ok()?);
    f.read_to_end(&mut bytes).ok()?;
    (head == header(key, &bytes)).then_some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut n: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    }

    #[test]
    fn a_blob_is_made_once_and_read_back_from_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("kind-v1");
        let key = Key::new("kind-v1").field(b"input").finish();
        let made = std::cell::Cell::new(0);
        let make = || {
            made.set(made.get() + 1);
            b"the blob".to_vec()
        };
        // Kept in memory.
        let memory = Blobs::in_memory();
        assert!(memory.get(key).is_none(), "a miss");
        assert_eq!(*memory.get_or_make(key, make), b"the blob");
        assert_eq!(*memory.get_or_make(key, make), b"the blob");
        assert_eq!(made.get(), 1);
        memory.persist(true).unwrap();
        // Read only: made, but neither written nor kept.
        let check = Blobs::read_only(folder.clone());
        assert_eq!(*check.get_or_make(key, make), b"the blob");
        check.persist(true).unwrap();
        assert!(!folder.exists(), "a read-only run writes nothing");
        assert_eq!(made.get(), 2);
        // On disk: written as soon as made (the folder created), then read back.
        let blobs = Blobs::on_disk(folder.clone());
        assert_eq!(*blobs.get_or_make(key, make), b"the blob");
        assert_eq!(names(&folder), [file_name(key)]);
        assert_eq!(*blobs.get_or_make(key, make), b"the blob");
        assert_eq!(made.get(), 3, "read, not made");
        assert!(lock(&blobs.memory).is_empty(), "no second copy in memory");
        // A new run reads it: same bytes.
        let again = Blobs::on_disk(folder.clone());
        assert_eq!(*again.get_or_make(key, make), b"the blob");
        assert_eq!(
            *Blobs::read_only(folder.clone()).get(key).unwrap(),
            b"the blob"
        );
        assert_eq!(made.get(), 3, "read, not made");
        // The folder deleted during a run is made again at the next write.
        std::fs::remove_dir_all(&folder).unwrap();
        again.put(7, b"seven".to_vec());
        again.persist(false).unwrap();
        assert_eq!(names(&folder), [file_name(7)]);
    }

    #[test]
    fn a_blob_that_cannot_be_written_is_reported_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        // A file where the folder should be.
        let folder = dir.path().join("kind-v1");
        std::fs::write(&folder, b"in the way").unwrap();
        let blobs = Blobs::on_disk(folder);
        assert_eq!(*blobs.get_or_make(1, || b"one".to_vec()), b"one");
        assert!(blobs.persist(true).is_err());
    }

    #[test]
    fn keys_are_stable_and_fields_do_not_run_together() {
        let k = |fields: &[&str]| {
            let mut k = Key::new("kind-v1");
            for f in fields {
                k.field(f.as_bytes());
            }
            k.finish()
        };
        // Pinned (FNV-1a of "kind-v1\xffa\xff"): the same on every machine and run, as it names files on disk.
        assert_eq!(k(&["a"]), 0xd5ef_f6a6_71be_6d24, "{:#x}", k(&["a"]));
        assert_ne!(k(&["ab", "c"]), k(&["a", "bc"]));
        assert_ne!(k(&["a"]), k(&["a", ""]));
        assert_eq!(key_of(&file_name(0x1234)), Some(0x1234));
        assert_eq!(key_of("1234.bin"), None);
        assert_eq!(key_of(&format!(".{}.tmp-1", file_name(0x1234))), None);
    }

    #[test]
    fn a_corrupt_truncated_or_misnamed_file_is_made_again() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("kind-v1");
        let blobs = Blobs::on_disk(folder.clone());
        blobs.put(1, b"one, whole".to_vec());
        blobs.put(2, b"two, whole".to_vec());
        let file = folder.join(file_name(1));
        let good = std::fs::read(&file).unwrap();
        let bad: Vec<Vec<u8>> = vec![
            good[..good.len() - 1].to_vec(),
            good[..HEADER - 1].to_vec(),
            Vec::new(),
            {
                let mut b = good.clone();
                *b.last_mut().unwrap() ^= 1;
                b
            },
            {
                let mut b = good.clone();
                b.extend_from_slice(b"more");
                b
            },
            // Another blob's file under this name.
            std::fs::read(folder.join(file_name(2))).unwrap(),
        ];
        for b in bad {
            std::fs::write(&file, &b).unwrap();
            let run = Blobs::on_disk(folder.clone());
            assert!(run.get(1).is_none(), "{b:?}");
            assert_eq!(
                *run.get_or_make(1, || b"one, again".to_vec()),
                b"one, again"
            );
            // Replaced by a sound file.
            assert_eq!(
                *Blobs::on_disk(folder.clone()).get(1).unwrap(),
                b"one, again"
            );
            std::fs::write(&file, &good).unwrap();
        }
        assert_eq!(*Blobs::on_disk(folder).get(1).unwrap(), b"one, whole");
    }

    #[test]
    fn files_no_run_asked_for_are_pruned() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("kind-v1");
        let first = Blobs::on_disk(folder.clone());
        first.put(1, b"one".to_vec());
        first.put(2, b"two".to_vec());
        std::fs::write(folder.join("stray.png"), b"x").unwrap();
        // A run asking for blob 2 only, and making blob 3.
        let second = Blobs::on_disk(folder.clone());
        assert!(second.get(2).is_some());
        second.put(3, b"three".to_vec());
        // Without prune (a run that did not ask for everything), nothing goes.
        second.persist(false).unwrap();
        assert_eq!(names(&folder).len(), 4);
        // A read-only run never prunes.
        Blobs::read_only(folder.clone()).persist(true).unwrap();
        assert_eq!(names(&folder).len(), 4);
        second.persist(true).unwrap();
        assert_eq!(names(&folder), [file_name(2), file_name(3)]);
    }

    #[test]
    fn memory_keeps_only_what_is_still_used() {
        let blobs = Blobs::in_memory();
        blobs.put(1, b"one".to_vec());
        blobs.put(2, b"two".to_vec());
        blobs.forget_all_but(&HashSet::from([2]));
        assert!(blobs.get(1).is_none());
        assert!(blobs.get(2).is_some());
    }
}
