//! Share images, made once: a claim's image depends only on what it shows
//! (verdict, claim, claimant, site title, language), so it is kept by a hash
//! of that, in memory across the rebuilds of `serve`, and for `build` in a
//! cache folder beside the output (`.<name>.factbrief-cache/share-v1/`),
//! which is safe to delete: what is missing is drawn again.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::share_image::{self, ShareCard};

/// Bumped when the drawing changes, so an upgrade never reuses an old image.
const VERSION: &str = concat!("share-v1-", env!("CARGO_PKG_VERSION"));

/// The folder of cached images under a cache folder.
pub const FOLDER: &str = "share-v1";

/// Share images by the hash of their card.
#[derive(Debug, Default)]
pub struct ShareImages {
    memory: Mutex<HashMap<u64, Arc<Vec<u8>>>>,
    /// The cache folder on disk, if any.
    dir: Option<PathBuf>,
    /// Images drawn in this run, to write to `dir`.
    new: Mutex<HashSet<u64>>,
    /// Images asked for in this run.
    used: Mutex<HashSet<u64>>,
}

impl ShareImages {
    /// Kept in memory only.
    pub fn in_memory() -> ShareImages {
        ShareImages::default()
    }

    /// Kept in memory, read from and written to `dir` (created when first written).
    pub fn on_disk(dir: PathBuf) -> ShareImages {
        ShareImages {
            dir: Some(dir),
            ..ShareImages::default()
        }
    }

    /// The PNG of `card`: kept, read from the cache folder, or drawn.
    pub fn get(&self, card: &ShareCard) -> Vec<u8> {
        let key = key(card);
        lock(&self.used).insert(key);
        if let Some(b) = lock(&self.memory).get(&key) {
            return b.to_vec();
        }
        let from_disk = self
            .dir
            .as_ref()
            .and_then(|d| std::fs::read(d.join(file_name(key))).ok())
            .filter(|b| b.starts_with(b"\x89PNG\r\n\x1a\n"));
        let bytes = match from_disk {
            Some(b) => b,
            None => {
                lock(&self.new).insert(key);
                share_image::render(card)
            }
        };
        lock(&self.memory).insert(key, Arc::new(bytes.clone()));
        bytes
    }

    /// Write the images drawn in this run to the cache folder, and remove the
    /// ones no page asked for (after a build of every page). An image that
    /// cannot be written is drawn again next time: errors are returned to be
    /// shown as a warning, never fatal.
    pub fn persist(&self, prune: bool) -> std::io::Result<()> {
        let Some(dir) = &self.dir else {
            return Ok(());
        };
        let new: Vec<u64> = lock(&self.new).drain().collect();
        if !new.is_empty() {
            std::fs::create_dir_all(dir)?;
        }
        let memory = lock(&self.memory);
        for key in new {
            if let Some(bytes) = memory.get(&key) {
                // Written whole, then renamed: a killed build leaves no half image.
                let tmp = dir.join(format!(".{}.tmp-{}", file_name(key), std::process::id()));
                std::fs::write(&tmp, bytes.as_slice())?;
                std::fs::rename(&tmp, dir.join(file_name(key)))?;
            }
        }
        if prune {
            let used = lock(&self.used);
            if let Ok(entries) = std::fs::read_dir(dir) {
                for e in entries.flatten() {
                    let name = e.file_name().to_string_lossy().into_owned();
                    let keep = name
                        .strip_suffix(".png")
                        .and_then(|h| u64::from_str_radix(h, 16).ok())
                        .is_some_and(|k| used.contains(&k));
                    if !keep {
                        let _ = std::fs::remove_file(e.path());
                    }
                }
            }
        }
        Ok(())
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn file_name(key: u64) -> String {
    format!("{key:016x}.png")
}

/// FNV-1a over the version and every field of the card (stable across runs and machines).
fn key(card: &ShareCard) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes.iter().chain([0xff_u8].iter()) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    feed(VERSION.as_bytes());
    feed(card.verdict_label.as_bytes());
    feed(card.verdict_key.as_bytes());
    feed(&card.rating.unwrap_or(0).to_le_bytes());
    feed(&card.best.to_le_bytes());
    feed(card.claim.as_bytes());
    feed(card.claimant.unwrap_or("\u{0}").as_bytes());
    feed(card.site_title.as_bytes());
    feed(card.language.as_bytes());
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card<'a>(claim: &'a str) -> ShareCard<'a> {
        ShareCard {
            verdict_label: "False",
            verdict_key: "false",
            rating: Some(1),
            best: 5,
            claim,
            claimant: None,
            site_title: "Desk",
            language: "en",
        }
    }

    #[test]
    fn an_image_is_drawn_once_and_read_back_from_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ShareImages::on_disk(dir.path().join(FOLDER));
        let a = cache.get(&card("The call lasted two hours."));
        cache.persist(true).unwrap();
        let files: Vec<_> = std::fs::read_dir(dir.path().join(FOLDER))
            .unwrap()
            .collect();
        assert_eq!(files.len(), 1);
        // A new run reads it instead of drawing it: same bytes.
        let again = ShareImages::on_disk(dir.path().join(FOLDER));
        assert_eq!(again.get(&card("The call lasted two hours.")), a);
        assert!(lock(&again.new).is_empty(), "read, not drawn");
        // A different card is another image; the unused one is pruned.
        let other = again.get(&card("The call lasted an hour."));
        assert_ne!(other, a);
        let third = ShareImages::on_disk(dir.path().join(FOLDER));
        third.get(&card("The call lasted an hour."));
        third.persist(true).unwrap();
        again.persist(false).unwrap();
        let names: Vec<String> = std::fs::read_dir(dir.path().join(FOLDER))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn a_corrupt_cached_file_is_drawn_again() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join(FOLDER);
        std::fs::create_dir_all(&folder).unwrap();
        let c = card("The call began at 3:35 p.m.");
        std::fs::write(folder.join(file_name(key(&c))), b"not a png").unwrap();
        let cache = ShareImages::on_disk(folder);
        assert!(cache.get(&c).starts_with(b"\x89PNG"));
    }
}
