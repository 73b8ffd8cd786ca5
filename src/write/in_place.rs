//! Writing into an output folder that holds a previous site: only the files
//! that changed.
//!
//! Each file of the new site is compared with the file of the same path in
//! the folder: by the stamp the manifest keeps (content hash and size, for a
//! file not newer than the manifest), or byte for byte where the manifest
//! does not vouch for it (see [`super::manifest`]). Then, in this order:
//!
//! 1. as they are made, the new and changed files are written into a staging
//!    folder beside the output folder (`.<name>.factbrief-new-<pid>-<nanos>`,
//!    on the same file system, made at the first of them; it has a manifest
//!    of its own listing each before it is written, so that the next build
//!    recognises and removes it if this one is killed);
//! 2. a manifest **in progress** replaces the folder's manifest (by a
//!    rename): it lists every file that is there or is about to be (the
//!    unchanged ones with their stamps, the written and the removed ones
//!    without, `-`);
//! 3. each staged file is renamed into place, the new files first, then the
//!    changed ones: a rename over a file replaces it atomically;
//! 4. the files that went away are removed, then the folders left empty;
//! 5. the final manifest replaces the one in progress (by a rename), and the
//!    staging folder is removed. Written last, it is newer than every file
//!    it vouches for.
//!
//! A build killed at any point leaves every file of the folder whole, the
//! previous version or the new one, and listed by the manifest, so the folder
//! is still recognised as factbrief's. Until step 2 the folder is untouched.
//! From step 2 to step 5 the manifest in progress gives no stamp for any file
//! that is being replaced or removed, so the next build compares those with
//! their new content byte for byte, and rewrites or removes what this one did
//! not get to. The stamps it does give are of files this build leaves alone.
//!
//! What a reader of the folder (a web server) sees meanwhile: every file,
//! at every instant, is whole, the previous version or the new one; the
//! folder is never missing. But during steps 3 and 4 (as long as it takes to
//! rename the changed files, a few milliseconds after one edit) the site is a
//! mix of both: a page may still show the old list, and a page that went
//! away is still there until step 4. New pages arrive before the pages that
//! link to them change, so a new link never leads nowhere.
//!
//! When the new site cannot be put in place file by file (a file where the
//! new site has a folder, or the reverse), [`Outcome::Conflict`] asks for the
//! whole-folder swap instead, before anything is touched; a rename or a
//! removal that fails halfway is [`Outcome::Failed`]: the caller then swaps
//! in the whole new site. Only if that fails too does the build fail with
//! the folder as this left it: every file whole, old or new, and listed, for
//! the next build to finish. (A failure before step 2, such as a full disk
//! while staging, leaves the folder untouched.)

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, OnceLock, PoisonError};

use rayon::prelude::*;

use super::manifest::{content_hash, FileStat, Manifest, OnDisk, Stamp, MANIFEST, MANIFEST_NEXT};
use super::{cleanup_warning, remove_tree, Hooks, REMOVE_BY_HAND};
use crate::diagnostic::{Diagnostic, Error, Result};
#[cfg(test)]
use crate::pipeline::Files;

/// What writing in place did.
pub enum Outcome {
    /// The new site is in place.
    Done {
        written: usize,
        unchanged: usize,
        removed: usize,
        /// What could not be cleared (the staging folder, the final manifest).
        warnings: Vec<Diagnostic>,
    },
    /// The new site cannot be put in place file by file; nothing was touched.
    Conflict,
    /// Putting files in place failed halfway: every file is whole and listed,
    /// some are new and some old. The error says what failed.
    Failed(Error),
}

/// What becomes of one file of the new site.
enum Fate {
    /// Its content is there already: leave it. `newer`: the file is newer
    /// than the manifest (touched by hand), and was compared byte for byte.
    Keep { newer: bool },
    /// Write it (new: no file of that path yet).
    Write { new: bool },
    /// A folder is where it goes, or a file where one of its folders goes.
    Conflict,
}

/// Decide the fate of `rel`, whose new content is `bytes` (hashed `hash`),
/// from what the manifest written at `written` says of it (`known`) and what
/// the folder holds.
fn fate(
    output: &Path,
    rel: &str,
    bytes: &[u8],
    hash: u128,
    known: Option<Stamp>,
    written: Option<i128>,
) -> Fate {
    let path = output.join(rel);
    let meta = match fs::symlink_metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Fate::Write { new: true },
        // Most likely a file where one of its folders should be (ENOTDIR).
        Err(_) => return Fate::Conflict,
    };
    if meta.is_dir() {
        return Fate::Conflict;
    }
    if !meta.is_file() || meta.len() != bytes.len() as u64 {
        return Fate::Write { new: false };
    }
    let stamp = Stamp {
        hash,
        size: meta.len(),
    };
    let newer = FileStat::of(&meta).is_none_or(|f| !f.not_newer(written));
    if known == Some(stamp) && !newer {
        return Fate::Keep { newer };
    }
    // The manifest does not vouch for it: compare the bytes.
    if same_bytes(&path, bytes) {
        Fate::Keep { newer }
    } else {
        Fate::Write { new: false }
    }
}

/// Whether the file at `path` holds exactly `bytes` (its size is known to match).
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    let mut buffer = vec![0u8; 64 * 1024];
    let mut rest = bytes;
    loop {
        match file.read(&mut buffer) {
            Ok(0) => return rest.is_empty(),
            Ok(n) => {
                if n > rest.len() || buffer[..n] != rest[..n] {
                    return false;
                }
                rest = &rest[n..];
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

/// Every folder above `rel` (`a/b/c.html`: `a`, `a/b`).
fn folders_of(rel: &str) -> impl Iterator<Item = &str> {
    rel.match_indices('/').map(move |(i, _)| &rel[..i])
}

/// One file of the new site, as [`Staging::put`] found it.
struct Entry {
    /// Its output path.
    path: String,
    /// Its new content's stamp.
    stamp: Stamp,
    /// Left as it is (`newer`: the file was newer than the manifest), or
    /// staged under the name `name` (a number) of the staging folder (`new`:
    /// no file of that path yet).
    fate: Staged,
}

#[derive(Clone, Copy)]
enum Staged {
    Kept { newer: bool },
    Written { name: usize, new: bool },
}

/// The files of a new site put into a folder holding a previous site
/// (listed by `previous`), one at a time as they are made:
/// [`Staging::put`] compares each with the file there and stages it if it
/// changed (step 1 of the module documentation), [`Staging::finish`] puts
/// the staged files in place (steps 2 to 5). Nothing in the output folder is
/// touched before `finish`.
pub struct Staging<'a> {
    output: &'a Path,
    staging: PathBuf,
    previous: &'a Manifest,
    /// The staging folder's manifest, open for appending once the folder is
    /// made (at the first file to write): each staged name is listed before
    /// its file is written.
    log: Mutex<Option<fs::File>>,
    next: AtomicUsize,
    entries: Mutex<Vec<Entry>>,
    /// A file of the new site goes where the folder holds a folder, or one of
    /// its folders where the folder holds a file.
    conflict: AtomicBool,
    /// What a walk of the folder found of each file.
    looked: &'a Looked,
}

/// What a walk of the output folder, made beside the build, found of each
/// file (see [`super::manifest::walk_looking`]): [`Staging::keep`] waits
/// for it rather than looking each file up from the top (15,000 `lstat`s
/// on the build's way, after linking). Nothing, when the walk failed or
/// did not look: each file is then looked at as it is kept.
#[derive(Debug, Default)]
pub struct Looked {
    found: OnceLock<Option<HashMap<String, FileStat>>>,
    /// Held to look at `found` before waiting, and to signal once it is set.
    lock: Mutex<()>,
    ready: Condvar,
}

impl Looked {
    /// The one who tells what the walk found: told nothing if let go
    /// without telling (a walk that failed or panicked), so that no one waits
    /// for ever.
    pub fn teller(&self) -> Teller<'_> {
        Teller(self)
    }

    /// Nothing will be told: each file is looked at as it is kept.
    #[cfg(test)]
    pub fn nothing() -> Looked {
        let looked = Looked::default();
        drop(looked.teller());
        looked
    }

    /// What the walk found, once told (waiting for it until then).
    fn wait(&self) -> Option<&HashMap<String, FileStat>> {
        // (Once told, as for every page but the first, without the lock.)
        if let Some(found) = self.found.get() {
            return found.as_ref();
        }
        let mut held = lock(&self.lock);
        loop {
            if let Some(found) = self.found.get() {
                return found.as_ref();
            }
            held = (self.ready.wait(held)).unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn tell(&self, found: Option<HashMap<String, FileStat>>) {
        // (Nothing if told already. Set before the lock is taken, so that a
        // waiter looking under the lock either sees it or is woken.)
        let _ = self.found.set(found);
        let _held = lock(&self.lock);
        self.ready.notify_all();
    }
}

/// Tells a [`Looked`] what the walk found (see [`Looked::teller`]).
pub struct Teller<'a>(&'a Looked);

impl Teller<'_> {
    /// What the walk found of each file, by path.
    pub fn tell(&mut self, found: HashMap<String, FileStat>) {
        self.0.tell(Some(found));
    }
}

impl Drop for Teller<'_> {
    fn drop(&mut self) {
        self.0.tell(None);
    }
}

impl<'a> Staging<'a> {
    /// Ready to stage into `staging` (made when first needed) the files of a
    /// new site for `output`.
    /// What the walk of `output` made beside the build found is in `looked`.
    pub fn new(
        output: &'a Path,
        staging: PathBuf,
        previous: &'a Manifest,
        looked: &'a Looked,
    ) -> Staging<'a> {
        Staging {
            output,
            staging,
            previous,
            looked,
            log: Mutex::new(None),
            next: AtomicUsize::new(0),
            entries: Mutex::new(Vec::new()),
            conflict: AtomicBool::new(false),
        }
    }

    /// Take the file of output path `rel`: leave it if the folder has it
    /// already, else stage it. Safe to call from several threads at once.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let hash = content_hash(bytes);
        let known = self.previous.files.get(rel).copied().flatten();
        let stamp = Stamp {
            hash,
            size: bytes.len() as u64,
        };
        let fate = match fate(self.output, rel, bytes, hash, known, self.previous.written) {
            Fate::Keep { newer } => Staged::Kept { newer },
            Fate::Write { new } => Staged::Written {
                name: self.stage(bytes)?,
                new,
            },
            // Staged all the same: the whole-folder swap takes it from there.
            Fate::Conflict => {
                self.conflict.store(true, Ordering::Relaxed);
                Staged::Written {
                    name: self.stage(bytes)?,
                    new: false,
                }
            }
        };
        lock(&self.entries).push(Entry {
            path: rel.to_owned(),
            stamp,
            fate,
        });
        Ok(())
    }

    /// Keep the file of output path `rel` unread, if the manifest vouches it
    /// holds the content of hash `hash`: see [`super::Writer::keep`].
    pub fn keep(&self, rel: &str, hash: u128) -> bool {
        let Some(Some(stamp)) = self.previous.files.get(rel).copied() else {
            return false;
        };
        if stamp.hash != hash {
            return false;
        }
        let found = match self.looked.wait() {
            Some(found) => found.get(rel).copied(),
            None => fs::symlink_metadata(self.output.join(rel))
                .ok()
                .and_then(|m| FileStat::of(&m)),
        };
        let vouched =
            found.is_some_and(|f| f.size == stamp.size && f.not_newer(self.previous.written));
        if vouched {
            lock(&self.entries).push(Entry {
                path: rel.to_owned(),
                stamp,
                fate: Staged::Kept { newer: false },
            });
        }
        vouched
    }

    /// Write `bytes` into the staging folder under a new name, listed first.
    fn stage(&self, bytes: &[u8]) -> Result<usize> {
        let name = self.next.fetch_add(1, Ordering::Relaxed);
        {
            let mut log = lock(&self.log);
            if log.is_none() {
                *log = Some(open_staging(&self.staging)?);
            }
            if let Some(file) = log.as_mut() {
                let manifest = self.staging.join(MANIFEST);
                file.write_all(format!("- - {name}\n").as_bytes())
                    .map_err(|e| Error::io(&manifest, e))?;
            }
        }
        let path = self.staging.join(name.to_string());
        fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
        Ok(name)
    }

    /// The content hash of each file taken, by path, in path order (what the
    /// new manifest lists, once [`Staging::finish`] is done).
    pub fn hashes(&self) -> Vec<(String, u128)> {
        // (`finish` left them sorted by path.)
        lock(&self.entries)
            .iter()
            .map(|e| (e.path.clone(), e.stamp.hash))
            .collect()
    }

    /// The files taken, by path, each with its stamp and where its new content is now: the
    /// staged file if it is still in the staging folder, else the file of the
    /// output folder (left as it was, or already renamed into place).
    pub fn sources(&self) -> Vec<(String, PathBuf, Stamp)> {
        let mut out: Vec<(String, PathBuf, Stamp)> = lock(&self.entries)
            .iter()
            .map(|e| {
                let in_place = self.output.join(&e.path);
                let from = match e.fate {
                    Staged::Written { name, .. } => {
                        let staged = self.staging.join(name.to_string());
                        if staged.exists() {
                            staged
                        } else {
                            in_place
                        }
                    }
                    Staged::Kept { .. } => in_place,
                };
                (e.path.clone(), from, e.stamp)
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// Put the staged files in place and remove what went away (what the
    /// folder holds, `on_disk`, that no file was taken for): steps 2 to 5
    /// of the module documentation.
    pub fn finish(&self, on_disk: &OnDisk, hooks: &Hooks) -> Result<Outcome> {
        if self.conflict.load(Ordering::Relaxed) {
            return Ok(Outcome::Conflict);
        }
        let mut entries = std::mem::take(&mut *lock(&self.entries));
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        if let Some(w) = entries.windows(2).find(|w| w[0].path == w[1].path) {
            return Err(Error::usage(
                self.output.join(&w[0].path),
                format!("two files were made for {} (a bug in factbrief)", w[0].path),
            ));
        }
        let result = self.put_in_place(&entries, on_disk, hooks);
        // For `sources`, should the caller fall back to the whole folder.
        *lock(&self.entries) = entries;
        result
    }

    fn put_in_place(&self, entries: &[Entry], on_disk: &OnDisk, hooks: &Hooks) -> Result<Outcome> {
        let (output, staging) = (self.output, self.staging.as_path());
        let listed = |f: &str| entries.binary_search_by(|e| e.path.as_str().cmp(f)).is_ok();
        let gone: Vec<&str> = (on_disk.files.iter())
            .map(String::as_str)
            .filter(|f| !listed(f))
            .collect();
        let needed: BTreeSet<&str> = entries.iter().flat_map(|e| folders_of(&e.path)).collect();
        let empty: Vec<&str> = (on_disk.dirs.iter())
            .map(String::as_str)
            .filter(|d| !needed.contains(d))
            .collect();
        let mut kept = 0;
        // Some file is newer than the manifest: write it again, so it is not next time.
        let mut refresh = false;
        let mut written = 0;
        for e in entries {
            match e.fate {
                Staged::Kept { newer } => {
                    kept += 1;
                    refresh |= newer;
                }
                Staged::Written { .. } => written += 1,
            }
        }
        let text = Manifest::text(entries.iter().map(|e| (e.path.as_str(), Some(e.stamp))));
        let mut warnings = Vec::new();

        // Nothing changed: leave the folder alone, the manifest too if it says the same.
        if written == 0 && gone.is_empty() && empty.is_empty() {
            if refresh || !fs::read_to_string(output.join(MANIFEST)).is_ok_and(|t| t == text) {
                // Only the manifest to write again: stamps it did not have (files
                // compared byte for byte, an older format), or files touched since.
                let replaced =
                    open_staging(staging).and_then(|_| replace_manifest(output, staging, &text));
                if let Err(e) = replaced {
                    warnings.push(manifest_warning(output, e));
                }
                remove_staging(staging, &mut warnings);
            }
            return Ok(Outcome::Done {
                written: 0,
                unchanged: kept,
                removed: 0,
                warnings,
            });
        }
        // The staged files are all written (a failure there failed `put`):
        // the manifest of the staging folder is complete.
        if lock(&self.log).is_none() {
            open_staging(staging)?;
        }
        *lock(&self.log) = None;

        // 2. The manifest in progress: every file there or about to be; no stamp
        // for what is being replaced or removed.
        let mut progress: Vec<(&str, Option<Stamp>)> = entries
            .iter()
            .map(|e| match e.fate {
                Staged::Kept { .. } => (e.path.as_str(), Some(e.stamp)),
                Staged::Written { .. } => (e.path.as_str(), None),
            })
            .collect();
        progress.extend(gone.iter().map(|g| (*g, None)));
        progress.sort_by(|a, b| a.0.cmp(b.0));
        if let Err(e) = replace_manifest(output, staging, &Manifest::text(progress)) {
            let _ = fs::remove_dir_all(staging);
            return Err(e);
        }

        // 3. Each staged file into place: the new ones first, then the changed ones.
        let order = |first: bool| {
            entries.iter().filter_map(move |e| match e.fate {
                Staged::Written { name, new } if new == first => Some((e.path.as_str(), name)),
                _ => None,
            })
        };
        let mut folders: BTreeSet<&str> = BTreeSet::new();
        for (rel, _) in order(true) {
            folders.extend(folders_of(rel));
        }
        for f in &folders {
            let path = output.join(f);
            if let Err(e) = fs::create_dir_all(&path) {
                return Ok(Outcome::Failed(Error::io(&path, e)));
            }
        }
        for new in [true, false] {
            let moves: Vec<(&str, usize)> = order(new).collect();
            let moved = moves.par_iter().try_for_each(|(rel, name)| {
                let to = output.join(rel);
                (hooks.rename)(&staging.join(name.to_string()), &to).map_err(|e| Error::io(&to, e))
            });
            if let Err(e) = moved {
                return Ok(Outcome::Failed(e));
            }
        }

        // 4. What went away, then the folders left empty (deepest first).
        let removed = gone.par_iter().try_for_each(|rel| {
            let path = output.join(rel);
            match fs::remove_file(&path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(Error::io(&path, e)),
                _ => Ok(()),
            }
        });
        if let Err(e) = removed {
            return Ok(Outcome::Failed(e));
        }
        let mut empty: Vec<PathBuf> = empty.iter().map(|d| output.join(d)).collect();
        empty.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        for d in empty {
            // A folder that is not empty after all (something was added by hand) stays.
            let _ = fs::remove_dir(d);
        }

        // 5. The final manifest, then the staging folder goes.
        if let Err(e) = replace_manifest(output, staging, &text) {
            warnings.push(manifest_warning(output, e));
        }
        remove_staging(staging, &mut warnings);
        Ok(Outcome::Done {
            written,
            unchanged: kept,
            removed: gone.len(),
            warnings,
        })
    }
}

/// Put `files` in `output`, which holds a previous site (`on_disk`, listed by
/// `previous`), writing only what changed: see the module documentation.
#[cfg(test)]
pub fn write(
    output: &Path,
    staging: &Path,
    files: &Files,
    previous: &Manifest,
    on_disk: &OnDisk,
    hooks: &Hooks,
) -> Result<Outcome> {
    let looked = Looked::nothing();
    let stage = Staging::new(output, staging.to_path_buf(), previous, &looked);
    files
        .par_iter()
        .try_for_each(|(rel, bytes)| stage.put(rel, bytes))?;
    stage.finish(on_disk, hooks)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Make the staging folder, with a manifest listing [`MANIFEST_NEXT`], open
/// for appending the names staged (so the next build removes the folder if
/// this one is killed).
fn open_staging(staging: &Path) -> Result<fs::File> {
    fs::create_dir(staging).map_err(|e| Error::io(staging, e))?;
    let path = staging.join(MANIFEST);
    let mut file = fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
    file.write_all(Manifest::text([(MANIFEST_NEXT, None)]).as_bytes())
        .map_err(|e| Error::io(&path, e))?;
    Ok(file)
}

/// Replace the manifest of `output` with `text`, written first as
/// [`MANIFEST_NEXT`] in `staging`, then renamed into place.
fn replace_manifest(output: &Path, staging: &Path, text: &str) -> Result<()> {
    let next = staging.join(MANIFEST_NEXT);
    fs::write(&next, text).map_err(|e| Error::io(&next, e))?;
    let path = output.join(MANIFEST);
    fs::rename(&next, &path).map_err(|e| Error::io(&path, e))
}

/// Remove the staging folder, done with; what cannot be is a warning (the
/// next build removes it: it lists all it holds).
fn remove_staging(staging: &Path, warnings: &mut Vec<Diagnostic>) {
    if let Err(e) = remove_tree(staging) {
        warnings.push(cleanup_warning(
            staging,
            format!("could not remove {} ({e})", staging.display()),
            REMOVE_BY_HAND,
        ));
    }
}

/// A `cleanup` warning: the site is in place, its manifest is not up to date.
fn manifest_warning(output: &Path, e: Error) -> Diagnostic {
    cleanup_warning(
        &output.join(MANIFEST),
        format!(
            "the new site is in {}, but its list of files could not be updated ({e})",
            output.display()
        ),
        "nothing is lost: the next build compares the files byte for byte and writes the list again",
    )
}

#[cfg(test)]
mod tests {
    use super::super::manifest;
    use super::*;

    /// A kept file is vouched for by what the walk found of it, when the
    /// walk looked; else by looking at it then. Either way only a regular
    /// file of the size the manifest says, not newer than the manifest.
    #[test]
    fn a_file_is_kept_as_the_walk_or_a_look_finds_it() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        fs::create_dir_all(&output).unwrap();
        fs::write(output.join("a.html"), "hello").unwrap();
        let meta = fs::symlink_metadata(output.join("a.html")).unwrap();
        let found = FileStat {
            size: meta.len(),
            mtime: manifest::mtime(&meta),
        };
        let stamp = manifest::stamp_of(b"hello");
        let manifest = Manifest {
            files: [("a.html".to_owned(), Some(stamp))].into_iter().collect(),
            written: found.mtime.map(|m| m + 1),
        };
        let staging = dir.path().join("staging");
        let keeps = |looked: &Looked, rel: &str, hash: u128| {
            Staging::new(&output, staging.clone(), &manifest, looked).keep(rel, hash)
        };
        let told = |files: &[(&str, FileStat)]| {
            let looked = Looked::default();
            let found = files.iter().map(|(p, f)| ((*p).to_owned(), *f)).collect();
            looked.teller().tell(found);
            looked
        };
        // Looked at then (the walk told nothing).
        assert!(keeps(&Looked::nothing(), "a.html", stamp.hash));
        assert!(!keeps(&Looked::nothing(), "a.html", stamp.hash ^ 1));
        assert!(!keeps(&Looked::nothing(), "missing.html", stamp.hash));
        // As the walk found it (whatever the disk says now).
        assert!(keeps(&told(&[("a.html", found)]), "a.html", stamp.hash));
        let bigger = FileStat { size: 6, ..found };
        assert!(!keeps(&told(&[("a.html", bigger)]), "a.html", stamp.hash));
        let newer = FileStat {
            mtime: found.mtime.map(|m| m + 2),
            ..found
        };
        assert!(!keeps(&told(&[("a.html", newer)]), "a.html", stamp.hash));
        assert!(
            !keeps(&told(&[]), "a.html", stamp.hash),
            "not a file the walk found"
        );
        // Changed on disk since: a look finds it changed.
        fs::write(output.join("a.html"), "hello!").unwrap();
        assert!(!keeps(&Looked::nothing(), "a.html", stamp.hash));
    }

    /// Who waits for what the walk found gets it once told, whether the
    /// wait began before or after; a teller let go without telling tells
    /// nothing (a walk that failed), and no one waits for ever.
    #[test]
    fn what_the_walk_found_is_waited_for_once_and_told_once() {
        let found = HashMap::from([(
            "index.html".to_owned(),
            FileStat {
                size: 4,
                mtime: Some(1),
            },
        )]);
        let looked = Looked::default();
        std::thread::scope(|s| {
            let waiting = s.spawn(|| looked.wait().map(HashMap::len));
            std::thread::sleep(std::time::Duration::from_millis(20));
            let mut teller = looked.teller();
            teller.tell(found.clone());
            drop(teller);
            assert_eq!(waiting.join().unwrap(), Some(1));
        });
        assert_eq!(looked.wait(), Some(&found), "told once, not undone");

        let failed = Looked::default();
        std::thread::scope(|s| {
            let waiting = s.spawn(|| failed.wait().is_none());
            drop(failed.teller());
            assert!(waiting.join().unwrap());
        });
        assert!(Looked::nothing().wait().is_none());
    }
}
