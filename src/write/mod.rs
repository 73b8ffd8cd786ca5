//! Write: put the rendered site in the output folder, all or nothing for
//! each file, and only the files that changed.
//!
//! There are two ways, chosen under the lock (below):
//!
//! - **In place** ([`in_place`]), into a folder holding a site factbrief
//!   wrote (its manifest lists files; what it holds is walked while the site
//!   is made, and a file the manifest does not list refuses the folder
//!   before anything is put in place): each file is compared with the one there (by the content hash
//!   and size its manifest keeps, or byte for byte), and only the new
//!   and changed files are written, each into a staging folder beside the
//!   output folder and then renamed over its old version; the files that went
//!   away are removed, and the manifest is replaced last. Unchanged files are
//!   left alone: same bytes, same inode, same mtime, so a deploy by rsync or
//!   an object-store sync sends only what changed. The order of the steps,
//!   what a build killed at any point leaves (every file whole, old or new,
//!   and listed; the next build finishes the work) and what a reader of the
//!   folder sees meanwhile are documented in that module.
//! - **Whole folder**, for a missing output folder or one whose manifest
//!   lists no file (an empty one), for `--clean`,
//!   and where the new site cannot be put in place file by file (a file where
//!   the new site has a folder, or the reverse; or a rename failed halfway):
//!   the new site is written into a staging folder beside the output folder,
//!   `.<name>.factbrief-new-<pid>-<nanos>` (whose manifest lists each file
//!   before it is written), and swapped in only when complete. On Linux the swap is one `renameat2(RENAME_EXCHANGE)`: the
//!   output path names a whole site at every instant, and the staging path
//!   then holds the previous site, which is removed. Elsewhere (or on a file
//!   system without the exchange) it is two renames through
//!   `.<name>.factbrief-old-<pid>-<nanos>`, with an instant where the output
//!   path is missing. Into a missing folder this is the fastest way: one
//!   rename, and nothing to compare.
//!
//! Either way the files are taken as the pipeline makes them ([`stream_site`]):
//! compared and staged at once, so a build never holds the whole site in
//! memory; nothing in the output folder changes until every file is made.
//!
//! Builds into the same output folder take turns: each holds an advisory lock
//! on `.<name>.factbrief-lock` beside the output folder from before it looks at
//! the folder (so while it renders, too) until the swap is done. The lock file stays: deleting it would
//! let a build that opened it just before lock a file no longer on disk while
//! a third build locks a new one, both at once. Under the lock no other build
//! writes, so every staging or old-site folder of that output is a leftover of
//! a killed build: if the output is missing, the newest old site is put back;
//! the others are removed.
//!
//! factbrief deletes only what it wrote: the output folder keeps a manifest of
//! its files ([`manifest`]), and a folder holding anything else is refused (a
//! leftover holding anything else is left in place, with a warning). Once the
//! new site is in place the write has succeeded: what could not be removed
//! beside it is a warning of code `cleanup` naming the folder.

mod in_place;
mod manifest;

use std::fs;
use std::io;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;

use crate::diagnostic::{Code, Diagnostic, Error, Result};
#[cfg(test)]
use crate::pipeline::Files;

use manifest::{Manifest, OnDisk};
pub use manifest::{MANIFEST, MANIFEST_NEXT};

/// How long a build waits for another build into the same output folder.
const LOCK_TIMEOUT: Duration = Duration::from_secs(120);
/// How often a waiting build looks whether the other one is done.
const LOCK_POLL: Duration = Duration::from_millis(50);

/// What was written.
#[derive(Debug, Clone)]
pub struct WriteReport {
    /// Files of the site (pages and static files).
    pub files: usize,
    /// Of those, the files written (new or changed; all of them in a whole-folder write).
    pub written: usize,
    /// Of those, the files left as they were (same bytes, inode and mtime).
    pub unchanged: usize,
    /// Files of the previous site that went away.
    pub removed: usize,
    /// The content hash of each file of the site, by path, in path order (as
    /// the output folder's manifest lists them).
    pub hashes: Vec<(String, u128)>,
    /// What could not be cleared beside the output folder (code `cleanup`):
    /// the site is in place all the same.
    pub warnings: Vec<Diagnostic>,
}

/// What [`write_site`] does that a unit test may replace.
struct Hooks {
    /// Remove a folder factbrief wrote.
    remove: fn(&Path) -> Result<()>,
    /// How long to wait for another build's lock.
    lock_timeout: Duration,
    /// Swap with one atomic exchange where the system has one.
    exchange: bool,
    /// Rename a staged file into place (writing in place).
    rename: fn(&Path, &Path) -> io::Result<()>,
}

const HOOKS: Hooks = Hooks {
    remove: remove_tree,
    lock_timeout: LOCK_TIMEOUT,
    exchange: true,
    rename: rename_file,
};

fn rename_file(from: &Path, to: &Path) -> io::Result<()> {
    fs::rename(from, to)
}

/// Replace the file `name` of the folder `dir` (made if need be) with
/// `bytes`, whole: written under a temporary name, then renamed over it (for
/// the files of the cache folder). The temporary file is removed if either fails.
pub fn replace_file(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    replace_file_with(dir, name, |file| file.write_all(bytes))
}

/// [`replace_file`], the new file's bytes written by `write`.
pub fn replace_file_with(
    dir: &Path,
    name: &str,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    let temporary = dir.join(format!("{name}.{}.tmp", std::process::id()));
    let done = fs::File::create(&temporary)
        .and_then(|file| {
            let mut out = io::BufWriter::with_capacity(1 << 16, file);
            write(&mut out)?;
            out.flush()
        })
        .and_then(|()| fs::rename(&temporary, dir.join(name)));
    if done.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    done
}

/// Refuse output folders that would put the site's own files at risk.
pub fn check_output_location(root: &Path, output: &Path) -> Result<()> {
    let root = absolute(root);
    let out = absolute(output);
    let shown = output.display();
    if out == root {
        return Err(Error::usage_with_help(
            output,
            format!(
                "refusing to write into {shown}: it is the site root, and a build replaces its output folder"
            ),
            "use a folder of its own, such as --output public",
        ));
    }
    if root.starts_with(&out) {
        return Err(Error::usage_with_help(
            output,
            format!("refusing to write into {shown}: it contains the site root"),
            "use a folder inside the site, such as --output public",
        ));
    }
    for input in ["content", "templates", "static"] {
        if out.starts_with(root.join(input)) {
            return Err(Error::usage_with_help(
                output,
                format!(
                    "refusing to write into {shown}: it is inside {input}/, which factbrief reads"
                ),
                "use a folder of its own, such as --output public",
            ));
        }
    }
    Ok(())
}

/// Make `p` absolute: `..` resolved lexically, then symbolic links of the part that exists.
fn absolute(p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut clean = PathBuf::new();
    for part in joined.components() {
        match part {
            std::path::Component::ParentDir => {
                clean.pop();
            }
            std::path::Component::CurDir => {}
            other => clean.push(other),
        }
    }
    let mut existing = clean.clone();
    let mut missing = Vec::new();
    while !existing.exists() {
        match existing.file_name() {
            Some(name) => missing.push(name.to_owned()),
            None => break,
        }
        existing.pop();
    }
    let mut out = fs::canonicalize(&existing).unwrap_or(existing);
    out.extend(missing.iter().rev());
    out
}

/// The manifest of `output` when it is a folder whose manifest lists files:
/// a site factbrief wrote, to be written in place (checked with [`owned`]).
fn listed_site(output: &Path) -> Option<Manifest> {
    if !output.is_dir() {
        // Missing, or a file: see [`check_owned`].
        return None;
    }
    let manifest = Manifest::read(output);
    (!manifest.files.is_empty()).then_some(manifest)
}

/// `on_disk`, what `output` holds, if its `manifest` lists every file of it.
fn owned(output: &Path, manifest: &Manifest, on_disk: OnDisk) -> Result<OnDisk> {
    let foreign = unlisted(manifest, &on_disk);
    if foreign.is_empty() {
        return Ok(on_disk);
    }
    Err(refused(output, &foreign))
}

/// Refusing to write into `output`, which holds `foreign` files.
fn refused(output: &Path, foreign: &[String]) -> Error {
    Error::usage_with_help(
        output,
        format!(
            "refusing to write into {}: it holds files factbrief did not write ({}), and a build replaces what it holds",
            output.display(),
            some_of(foreign)
        ),
        "choose another --output, or move those files away",
    )
}

/// Check that `output` holds only files factbrief wrote (or nothing at all);
/// what it holds and its manifest, when it is there.
fn check_owned(output: &Path) -> Result<Option<(Manifest, OnDisk)>> {
    if !output.exists() {
        return Ok(None);
    }
    if !output.is_dir() {
        return Err(Error::usage_with_help(
            output,
            format!(
                "refusing to write into {}: it is a file, not a folder",
                output.display()
            ),
            "choose another --output",
        ));
    }
    let manifest = Manifest::read(output);
    let on_disk = owned(output, &manifest, manifest::walk(output)?)?;
    Ok(Some((manifest, on_disk)))
}

/// The manifest of `dir`, what it holds, and the files (relative, with `/`)
/// that its manifest does not list.
fn foreign_files(dir: &Path) -> Result<(Manifest, OnDisk, Vec<String>)> {
    let manifest = Manifest::read(dir);
    let on_disk = manifest::walk(dir)?;
    let foreign = unlisted(&manifest, &on_disk);
    Ok((manifest, on_disk, foreign))
}

/// The files of `on_disk` (relative, with `/`) that `manifest` does not list.
fn unlisted(manifest: &Manifest, on_disk: &OnDisk) -> Vec<String> {
    (on_disk.files.iter())
        .filter(|f| !manifest.files.contains_key(f.as_str()))
        .cloned()
        .collect()
}

/// The first three of `names`, and how many more.
fn some_of(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(3).map(String::as_str).collect();
    let more = if names.len() > 3 {
        format!(" and {} more", names.len() - 3)
    } else {
        String::new()
    };
    format!("{}{more}", shown.join(", "))
}

/// Write `files` as the new content of `output`: in place, only what changed,
/// when `output` holds a previous site; otherwise (or with `clean`) as a whole
/// new folder swapped in. A failure before the new site is in place leaves
/// the previous one as it was.
///
/// Waits (saying so once on standard error) while another build writes into
/// the same folder, and fails after two minutes of it. What could not be
/// cleared beside the folder once the new site is in place is returned as
/// warnings, not as an error. (Builds use [`stream_site`].)
#[cfg(test)]
pub fn write_site(root: &Path, output: &Path, files: &Files, clean: bool) -> Result<WriteReport> {
    write_with(root, output, files, clean, &HOOKS)
}

/// Like [`write_site`], but the files are handed to the [`Writer`] given to
/// `make` as they are made (from any thread), so that they need not all be
/// held in memory: each is compared with the one in place and written beside
/// the output folder (staged) at once if it changed. When `make` returns,
/// the files it did not put are those that went away, and the staged ones are
/// put in place. If `make` fails, the output folder is left as it was, and
/// what was staged is removed.
///
/// The lock on the output folder (see the module documentation) is held while
/// `make` runs.
pub fn stream_site<T>(
    root: &Path,
    output: &Path,
    clean: bool,
    make: impl FnOnce(&Writer) -> Result<T>,
) -> Result<(T, WriteReport)> {
    stream_with(root, output, clean, &HOOKS, make)
}

#[cfg(test)]
fn write_with(
    root: &Path,
    output: &Path,
    files: &Files,
    clean: bool,
    hooks: &Hooks,
) -> Result<WriteReport> {
    let put_all = |w: &Writer| {
        files
            .par_iter()
            .try_for_each(|(rel, bytes)| w.put(rel, bytes))
    };
    stream_with(root, output, clean, hooks, put_all).map(|((), report)| report)
}

/// Where the files of a new site go as they are made: see [`stream_site`].
pub struct Writer<'a> {
    mode: Mode<'a>,
}

enum Mode<'a> {
    /// Into the folder holding a previous site, only what changed.
    InPlace(in_place::Staging<'a>),
    /// Into a new folder, swapped in whole.
    Whole(Whole<'a>),
}

impl Writer<'_> {
    /// Take the file of output path `rel` (`/`-separated), with its bytes.
    /// Each path once; safe to call from several threads at once.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        match &self.mode {
            Mode::InPlace(stage) => stage.put(rel, bytes),
            Mode::Whole(whole) => whole.put(rel, bytes),
        }
    }

    /// Keep the file of output path `rel` as it is, unread, if the folder's
    /// manifest vouches that it holds the content of hash `hash` (it lists
    /// that hash and the size the file has, and the file is not newer than
    /// the manifest); whether it does. Writing a whole new folder, never.
    /// Instead of [`Writer::put`], for the same path.
    pub fn keep(&self, rel: &str, hash: u128) -> bool {
        match &self.mode {
            Mode::InPlace(stage) => stage.keep(rel, hash),
            Mode::Whole(_) => false,
        }
    }
}

impl crate::render::Sink for Writer<'_> {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<()> {
        Writer::put(self, path, bytes)
    }

    fn keep(&self, path: &str, hash: u128) -> bool {
        Writer::keep(self, path, hash)
    }
}

fn stream_with<T>(
    root: &Path,
    output: &Path,
    clean: bool,
    hooks: &Hooks,
    make: impl FnOnce(&Writer) -> Result<T>,
) -> Result<(T, WriteReport)> {
    // An output that is a symbolic link: write where it points, and keep the link.
    let resolved;
    let output = if fs::symlink_metadata(output).is_ok_and(|m| m.file_type().is_symlink()) {
        resolved = fs::canonicalize(output).map_err(|e| Error::io(output, e))?;
        resolved.as_path()
    } else {
        output
    };
    check_output_location(root, output)?;
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| {
            Error::usage(
                output,
                format!(
                    "refusing to write into {}: give the output folder a name",
                    output.display()
                ),
            )
        })?;
    fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;

    // Take turns with other builds into this folder: the lock is held until
    // `_turn` is dropped, on return (or by the system, if this process dies).
    let lock_path = parent.join(format!(".{name}.factbrief-lock"));
    let lock_file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        // Another user's lock file: locking needs only reading.
        .or_else(|_| fs::File::open(&lock_path))
        .map_err(|e| Error::io(&lock_path, e))?;
    let mut lock = fd_lock::RwLock::new(lock_file);
    let deadline = Instant::now() + hooks.lock_timeout;
    let mut said = false;
    let _turn = loop {
        match lock.try_write() {
            Ok(guard) => break guard,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                if Instant::now() >= deadline {
                    return Err(Error::usage_with_help(
                        output,
                        format!(
                            "another build into {} did not finish within {:?} (it holds {}); gave up waiting for it",
                            output.display(),
                            hooks.lock_timeout,
                            lock_path.display(),
                        ),
                        "run this build again once the other one is done",
                    ));
                }
                if !said {
                    eprintln!(
                        "waiting for another build into {} to finish (it holds {})",
                        output.display(),
                        lock_path.display()
                    );
                    said = true;
                }
                std::thread::sleep(LOCK_POLL);
            }
            Err(e) => return Err(Error::io(&lock_path, e)),
        }
    };

    let mut warnings = Vec::new();
    recover(&parent, &name, output, hooks, &mut warnings)?;
    let stamp = unique_stamp();
    let staging = parent.join(format!(".{name}.factbrief-new-{stamp}"));
    let aside = parent.join(format!(".{name}.factbrief-old-{stamp}"));
    let whole = Folders {
        staging: staging.clone(),
        output,
        aside,
        hooks,
    };

    // A folder holding a site: only what changed, unless asked for a clean
    // rewrite. What it holds (as many folders as pages) is walked while the
    // site is made, and checked before anything is put in place.
    let listed = match clean {
        false => listed_site(output),
        true => None,
    };
    if let Some(manifest) = listed {
        // What the walk found of each file, for the pages kept as they are
        // (set once it is done: see `in_place::Looked`).
        let looked = in_place::Looked::default();
        return std::thread::scope(|s| {
            // (On a pool of its own: in the build's pool its folders would
            // wait behind every page.)
            let walking = s.spawn(|| {
                let mut told = looked.teller();
                match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
                    Ok(own) => {
                        let walked = own.install(|| manifest::walk_looking(output));
                        if let Ok(on_disk) = &walked {
                            told.tell(on_disk.looked_by_path());
                        }
                        walked
                    }
                    // (The build's pool may be waiting for what it looked
                    // at: it is not asked to walk too.)
                    Err(_) => {
                        drop(told);
                        manifest::walk(output)
                    }
                }
            });
            let writer = Writer {
                mode: Mode::InPlace(in_place::Staging::new(
                    output,
                    staging.clone(),
                    &manifest,
                    &looked,
                )),
            };
            let made = make(&writer);
            let walked = walking.join().unwrap_or_else(|panic| {
                let _ = fs::remove_dir_all(&staging);
                std::panic::resume_unwind(panic)
            });
            // A folder with files factbrief did not write is refused, whether or not the site could be made.
            let (on_disk, value) = match walked
                .and_then(|on_disk| owned(output, &manifest, on_disk))
                .and_then(|on_disk| Ok((on_disk, made?)))
            {
                Ok(both) => both,
                Err(e) => {
                    let _ = fs::remove_dir_all(&staging);
                    return Err(e);
                }
            };
            let Mode::InPlace(stage) = writer.mode else {
                unreachable!("made in place")
            };
            finish_in_place(stage, &on_disk, whole, warnings, &parent, &name).map(|r| (value, r))
        });
    }
    let previous = check_owned(output)?;
    let on_disk = previous.map(|(_, d)| d);
    let writer = Writer {
        mode: Mode::Whole(whole.open(on_disk)?),
    };
    let made = make(&writer);
    let Mode::Whole(state) = writer.mode else {
        unreachable!("made whole")
    };
    match made {
        Ok(value) => Ok((value, state.finish(warnings)?)),
        Err(e) => {
            let _ = fs::remove_dir_all(&state.folders.staging);
            Err(e)
        }
    }
}

/// Put the files staged by `stage` in place in `whole.output`, which holds
/// `on_disk`; when they cannot be put in place file by file, swap in the
/// whole new site instead (see the module documentation).
fn finish_in_place(
    stage: in_place::Staging<'_>,
    on_disk: &OnDisk,
    whole: Folders<'_>,
    mut warnings: Vec<Diagnostic>,
    parent: &Path,
    name: &str,
) -> Result<WriteReport> {
    let hooks = whole.hooks;
    let staging = whole.staging.clone();
    let first = match stage.finish(on_disk, hooks) {
        Ok(in_place::Outcome::Done {
            written,
            unchanged,
            removed,
            warnings: mut more,
        }) => {
            warnings.append(&mut more);
            return Ok(WriteReport {
                files: written + unchanged,
                written,
                unchanged,
                removed,
                hashes: stage.hashes(),
                warnings,
            });
        }
        Ok(in_place::Outcome::Conflict) => None,
        Ok(in_place::Outcome::Failed(e)) => Some(e),
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    // Nothing was touched (a conflict), or every file is whole and listed,
    // old or new (a failure halfway): swap in the whole new site, made of
    // the staged files and those in place. If that fails too, the first
    // failure is the one to report.
    let sources = stage.sources();
    let whole = Folders {
        staging: parent.join(format!(".{name}.factbrief-new-{}", unique_stamp())),
        ..whole
    };
    let report = whole
        .fill_from(&sources, on_disk)
        .and_then(|w| w.finish(warnings));
    if staging.exists() && (hooks.remove)(&staging).is_err() {
        // Listed whole: the next build's recovery removes it.
    }
    match (report, first) {
        (Ok(report), _) => Ok(report),
        (Err(_), Some(first)) => Err(first),
        (Err(e), None) => Err(e),
    }
}

/// The folders of a whole-folder write: the new site is made in `staging`,
/// then swapped in for `output` (through `aside` where there is no exchange).
struct Folders<'a> {
    staging: PathBuf,
    output: &'a Path,
    aside: PathBuf,
    hooks: &'a Hooks,
}

/// A new site being written whole into a staging folder, to be swapped in.
struct Whole<'a> {
    folders: Folders<'a>,
    /// The staging folder's manifest, open for appending: each file is listed
    /// before it is written, so that a build killed while writing leaves a
    /// folder whose every file is listed.
    log: Mutex<fs::File>,
    /// Each file written, with its stamp.
    stamps: Mutex<Vec<(String, manifest::Stamp)>>,
    /// The files of the previous site, if any (to count those that went away).
    previous: Option<OnDisk>,
}

impl<'a> Folders<'a> {
    /// Make the staging folder, with a manifest listing [`MANIFEST_NEXT`].
    fn open(self, previous: Option<OnDisk>) -> Result<Whole<'a>> {
        let staging = &self.staging;
        fs::create_dir(staging).map_err(|e| Error::io(staging, e))?;
        let path = staging.join(MANIFEST);
        let made = fs::File::create(&path).and_then(|mut f| {
            f.write_all(Manifest::text([(MANIFEST_NEXT, None)]).as_bytes())?;
            Ok(f)
        });
        let log = match made {
            Ok(f) => f,
            Err(e) => {
                let _ = fs::remove_dir_all(staging);
                return Err(Error::io(&path, e));
            }
        };
        Ok(Whole {
            folders: self,
            log: Mutex::new(log),
            stamps: Mutex::new(Vec::new()),
            previous,
        })
    }

    /// A whole new site made of `sources` (each output path with the file
    /// holding its content, which is moved if it is in the staging folder of
    /// an in-place write, else copied), replacing the site `previous`.
    fn fill_from(
        self,
        sources: &[(String, PathBuf, manifest::Stamp)],
        previous: &OnDisk,
    ) -> Result<Whole<'a>> {
        let whole = self.open(Some(OnDisk {
            files: previous.files.clone(),
            ..OnDisk::default()
        }))?;
        let output = whole.folders.output;
        let filled = sources.par_iter().try_for_each(|(rel, from, stamp)| {
            let to = whole.target(rel)?;
            if from.starts_with(output) {
                fs::copy(from, &to).map_err(|e| Error::io(&to, e))?;
            } else {
                fs::rename(from, &to).map_err(|e| Error::io(&to, e))?;
            }
            lock(&whole.stamps).push((rel.clone(), *stamp));
            Ok(())
        });
        if let Err(e) = filled {
            let _ = fs::remove_dir_all(&whole.folders.staging);
            return Err(e);
        }
        Ok(whole)
    }
}

impl Whole<'_> {
    /// The path in the staging folder of output path `rel`, listed in its
    /// manifest and with its folders made.
    fn target(&self, rel: &str) -> Result<PathBuf> {
        let staging = &self.folders.staging;
        {
            let mut log = lock(&self.log);
            log.write_all(format!("- - {rel}\n").as_bytes())
                .map_err(|e| Error::io(&staging.join(MANIFEST), e))?;
        }
        let path = staging.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        Ok(path)
    }

    fn put(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = self.target(rel)?;
        fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
        lock(&self.stamps).push((rel.to_owned(), manifest::stamp_of(bytes)));
        Ok(())
    }

    /// Write the final manifest, swap the new site in, then remove the previous one.
    fn finish(self, mut warnings: Vec<Diagnostic>) -> Result<WriteReport> {
        let Whole {
            folders,
            log,
            stamps,
            previous,
        } = self;
        drop(log);
        let mut stamps = stamps.into_inner().unwrap_or_else(PoisonError::into_inner);
        stamps.sort_by(|a, b| a.0.cmp(&b.0));
        let staging = &folders.staging;
        let fail = |e: Error| {
            let _ = fs::remove_dir_all(staging);
            e
        };
        if let Some(w) = stamps.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(fail(Error::usage(
                folders.output.join(&w[0].0),
                format!("two files were made for {} (a bug in factbrief)", w[0].0),
            )));
        }
        // Written after every file, so newer than all of them.
        let text = Manifest::text(stamps.iter().map(|(rel, s)| (rel.as_str(), Some(*s))));
        let next = staging.join(MANIFEST_NEXT);
        let path = staging.join(MANIFEST);
        fs::write(&next, text).map_err(|e| fail(Error::io(&next, e)))?;
        fs::rename(&next, &path).map_err(|e| fail(Error::io(&path, e)))?;
        let removed = previous.map_or(0, |p| {
            p.files
                .iter()
                .filter(|f| stamps.binary_search_by(|(r, _)| r.as_str().cmp(f)).is_err())
                .count()
        });
        let (output, hooks) = (folders.output, folders.hooks);
        if let Some(previous) = swap(staging, output, &folders.aside, hooks.exchange)? {
            if let Err(e) = (hooks.remove)(&previous) {
                warnings.push(cleanup_warning(
                    &previous,
                    format!(
                        "the new site is in {}, but the previous one could not be removed from {} ({e})",
                        output.display(),
                        previous.display()
                    ),
                    REMOVE_BY_HAND,
                ));
            }
        }
        Ok(WriteReport {
            files: stamps.len(),
            written: stamps.len(),
            unchanged: 0,
            removed,
            hashes: stamps.into_iter().map(|(rel, s)| (rel, s.hash)).collect(),
            warnings,
        })
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// `<pid>-<nanoseconds since 1970>`: no two builds' folders have the same name.
fn unique_stamp() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{}-{nanos}", std::process::id())
}

/// A `cleanup` warning about `dir`, left beside the output folder.
fn cleanup_warning(dir: &Path, message: String, help: &str) -> Diagnostic {
    Diagnostic::warning(Code::Cleanup, dir, message).with_help(help)
}

/// The advice on a folder factbrief could not remove.
const REMOVE_BY_HAND: &str =
    "remove that folder by hand; the next build into the same folder tries again";

/// A folder factbrief makes beside the output folder while it writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leftover {
    /// `.<name>.factbrief-new…`: a new site being written or, after an
    /// exchange, the previous site about to be removed.
    Staging,
    /// `.<name>.factbrief-old…`: the previous site, moved aside by a two-rename swap.
    OldSite,
}

/// What `file_name` is if factbrief names so a folder beside the output
/// folder `name`, with when it was made (0 in the names of earlier versions,
/// `.<name>.factbrief-new` and `.<name>.factbrief-old`, which have no time).
fn leftover(name: &str, file_name: &str) -> Option<(Leftover, u128)> {
    let rest = file_name
        .strip_prefix('.')?
        .strip_prefix(name)?
        .strip_prefix(".factbrief-")?;
    let (kind, rest) = if let Some(rest) = rest.strip_prefix("new") {
        (Leftover::Staging, rest)
    } else if let Some(rest) = rest.strip_prefix("old") {
        (Leftover::OldSite, rest)
    } else {
        return None;
    };
    if rest.is_empty() {
        return Some((kind, 0));
    }
    let (pid, nanos) = rest.strip_prefix('-')?.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(pid) || !digits(nanos) {
        return None;
    }
    Some((kind, nanos.parse().ok()?))
}

/// Recover from builds into `output` that were killed while writing.
///
/// Called under the lock, so no other build is writing into `output`: every
/// staging or old-site folder of it is a leftover. If `output` is missing (a
/// build killed between the two renames of a swap), the newest old site is
/// put back. The other leftovers are removed if they hold only what their
/// manifest lists; what cannot be removed is a warning.
fn recover(
    parent: &Path,
    name: &str,
    output: &Path,
    hooks: &Hooks,
    warnings: &mut Vec<Diagnostic>,
) -> Result<()> {
    let mut found: Vec<(Leftover, u128, PathBuf)> = Vec::new();
    for entry in fs::read_dir(parent).map_err(|e| Error::io(parent, e))? {
        let entry = entry.map_err(|e| Error::io(parent, e))?;
        let file_name = entry.file_name();
        let Some((kind, made)) = file_name.to_str().and_then(|f| leftover(name, f)) else {
            continue;
        };
        // Only real folders: a file or a link of that name is not factbrief's.
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            found.push((kind, made, entry.path()));
        }
    }
    // Oldest first, so the last old site is the newest.
    found.sort_by(|a, b| (a.1, &a.2).cmp(&(b.1, &b.2)));
    let missing =
        matches!(fs::symlink_metadata(output), Err(e) if e.kind() == io::ErrorKind::NotFound);
    if missing {
        if let Some(i) = found
            .iter()
            .rposition(|(kind, _, _)| *kind == Leftover::OldSite)
        {
            let (_, _, old) = found.remove(i);
            fs::rename(&old, output).map_err(|e| Error::io(output, e))?;
        }
    }
    for (_, _, dir) in found {
        let (message, help) = match foreign_files(&dir) {
            Ok((_, _, foreign)) if foreign.is_empty() => match (hooks.remove)(&dir) {
                Ok(()) => continue,
                Err(e) => (
                    format!(
                        "could not remove {}, left by an earlier build into {} ({e})",
                        dir.display(),
                        output.display()
                    ),
                    REMOVE_BY_HAND,
                ),
            },
            Ok((_, _, foreign)) => (
                format!(
                    "left {} in place: it is named like a leftover of a build into {}, but holds files factbrief did not write ({})",
                    dir.display(),
                    output.display(),
                    some_of(&foreign)
                ),
                "move those files away if they are yours, then remove the folder",
            ),
            Err(e) => (
                format!("left {} in place: {e}", dir.display()),
                REMOVE_BY_HAND,
            ),
        };
        warnings.push(cleanup_warning(&dir, message, help));
    }
    Ok(())
}

/// Put the complete site in `staging` at `output`; returns the folder that now
/// holds the previous site, if there was one.
///
/// With `exchange`, on Linux, one `renameat2(RENAME_EXCHANGE)` swaps the two
/// folders, so `output` always names a whole site and `staging` then holds the
/// previous one. Elsewhere, or where the file system refuses the exchange, the
/// previous site is renamed to `aside` and the new one into place.
fn swap(staging: &Path, output: &Path, aside: &Path, exchange: bool) -> Result<Option<PathBuf>> {
    match fs::symlink_metadata(output) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::rename(staging, output).map_err(|e| Error::io(output, e))?;
            return Ok(None);
        }
        Err(e) => return Err(Error::io(output, e)),
        Ok(_) => {}
    }
    // Any failure of the exchange leaves both folders as they were (it is
    // atomic), and the renames below report a real problem themselves.
    if exchange && exchange_folders(staging, output).is_ok() {
        return Ok(Some(staging.to_path_buf()));
    }
    fs::rename(output, aside).map_err(|e| Error::io(output, e))?;
    if let Err(e) = fs::rename(staging, output) {
        // Put the previous site back; what stays beside it the next build clears.
        let _ = fs::rename(aside, output);
        let _ = fs::remove_dir_all(staging);
        return Err(Error::io(output, e));
    }
    Ok(Some(aside.to_path_buf()))
}

/// Swap the folders `a` and `b` in one step.
#[cfg(target_os = "linux")]
fn exchange_folders(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

/// Swap the folders `a` and `b` in one step: not available here.
#[cfg(not(target_os = "linux"))]
fn exchange_folders(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Remove a folder factbrief wrote, its files in parallel (a large site has thousands).
///
/// The manifest goes last, so a removal cut short leaves a folder whose every
/// file is still listed, which the next build recognises as its own.
fn remove_tree(dir: &Path) -> Result<()> {
    let manifest = dir.join(MANIFEST);
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry =
            entry.map_err(|e| Error::usage(dir, format!("cannot read {}: {e}", dir.display())))?;
        if entry.file_type().is_dir() {
            dirs.push(entry.into_path());
        } else if entry.path() != manifest {
            files.push(entry.into_path());
        }
    }
    files
        .par_iter()
        .try_for_each(|f| fs::remove_file(f).map_err(|e| Error::io(f, e)))?;
    match fs::remove_file(&manifest) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(Error::io(&manifest, e)),
        _ => {}
    }
    // Deepest first, so each folder is empty when removed.
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for d in dirs {
        fs::remove_dir(&d).map_err(|e| Error::io(&d, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// A site of two pages saying `word`.
    fn site(word: &str) -> Files {
        let mut files = Files::new();
        for page in ["index.html", "claims/a/index.html"] {
            files.insert(page.into(), Arc::new(format!("{word} {page}").into_bytes()));
        }
        files
    }

    /// The names beside `out` that factbrief made.
    fn beside(out: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(out.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".public.factbrief"))
            .collect();
        names.sort();
        names
    }

    fn cannot_remove(dir: &Path) -> Result<()> {
        Err(Error::io(
            dir,
            io::Error::new(io::ErrorKind::PermissionDenied, "busy, as a test"),
        ))
    }

    #[test]
    fn leftover_names_are_recognised_and_nothing_else() {
        use Leftover::*;
        for (file_name, expected) in [
            (".public.factbrief-new", Some((Staging, 0))),
            (".public.factbrief-old", Some((OldSite, 0))),
            (".public.factbrief-new-12-345", Some((Staging, 345))),
            (".public.factbrief-old-1-2", Some((OldSite, 2))),
            (".public.factbrief-lock", None),
            (".public.factbrief-newer", None),
            (".public.factbrief-new-12", None),
            (".public.factbrief-new-x-1", None),
            (".public.factbrief-new-1-", None),
            (".public.factbrief-new-1-2-3", None),
            (".other.factbrief-new-1-2", None),
            ("public", None),
        ] {
            assert_eq!(leftover("public", file_name), expected, "{file_name}");
        }
    }

    #[test]
    fn a_previous_site_that_cannot_be_removed_is_a_warning_not_an_error() {
        for exchange in [true, false] {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("public");
            write_site(dir.path(), &out, &site("one"), false).unwrap();
            let failing = Hooks {
                remove: cannot_remove,
                exchange,
                ..HOOKS
            };
            // A clean build: the whole-folder swap, which removes the previous site.
            let report = write_with(dir.path(), &out, &site("two"), true, &failing).unwrap();
            // The new site is in place.
            let index = fs::read_to_string(out.join("index.html")).unwrap();
            assert_eq!(index, "two index.html", "exchange: {exchange}");
            // The warning names the folder holding the previous site, which is still there.
            assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
            let warning = &report.warnings[0];
            assert_eq!(warning.code, Code::Cleanup);
            assert_eq!(warning.severity, crate::diagnostic::Severity::Warning);
            let kept = fs::read_to_string(warning.file.join("index.html")).unwrap();
            assert_eq!(kept, "one index.html");
            assert!(warning.message.contains("busy, as a test"), "{warning}");
            // After an exchange the staging folder holds the previous site.
            let kind = if exchange && cfg!(target_os = "linux") {
                "new"
            } else {
                "old"
            };
            let name = warning.file.file_name().unwrap().to_string_lossy();
            assert!(
                name.starts_with(&format!(".public.factbrief-{kind}-")),
                "{name}"
            );
            // The next build clears it.
            let report = write_site(dir.path(), &out, &site("three"), false).unwrap();
            assert!(report.warnings.is_empty(), "{:?}", report.warnings);
            assert_eq!(beside(&out), [".public.factbrief-lock"]);
        }
    }

    #[test]
    fn the_swap_leaves_the_site_and_the_lock_file_only() {
        for (exchange, clean) in [(true, true), (false, true), (true, false)] {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("public");
            let hooks = Hooks { exchange, ..HOOKS };
            for word in ["one", "two", "three"] {
                let report = write_with(dir.path(), &out, &site(word), clean, &hooks).unwrap();
                assert!(report.warnings.is_empty());
                let index = fs::read_to_string(out.join("index.html")).unwrap();
                assert_eq!(index, format!("{word} index.html"));
                assert_eq!(beside(&out), [".public.factbrief-lock"]);
            }
        }
    }

    #[test]
    fn a_build_waits_for_the_lock_and_gives_up_after_the_timeout() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(dir.path(), &out, &site("one"), false).unwrap();
        // Another build holds the lock (a lock on its own open file, as another process's would be).
        let mut other = fd_lock::RwLock::new(
            fs::File::open(dir.path().join(".public.factbrief-lock")).unwrap(),
        );
        let held = other.write().unwrap();
        let impatient = Hooks {
            lock_timeout: Duration::from_millis(200),
            ..HOOKS
        };
        let start = Instant::now();
        let err = write_with(dir.path(), &out, &site("two"), false, &impatient).unwrap_err();
        assert!(start.elapsed() >= Duration::from_millis(200));
        let message = err.to_string();
        assert!(message.contains("another build into"), "{message}");
        assert!(message.contains(".public.factbrief-lock"), "{message}");
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "one index.html",
            "the output is untouched"
        );
        drop(held);
        write_with(dir.path(), &out, &site("two"), false, &impatient).unwrap();
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "two index.html"
        );
    }

    #[test]
    fn a_removal_cut_short_leaves_a_folder_the_next_build_recognises() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(dir.path(), &out, &site("one"), false).unwrap();
        // As if the previous site's removal stopped after one file: the manifest is still there.
        let left = dir.path().join(".public.factbrief-new-1-2");
        fs::rename(&out, &left).unwrap();
        fs::remove_file(left.join("index.html")).unwrap();
        write_site(dir.path(), &out, &site("two"), false).unwrap();
        assert!(!left.exists());
        // A partly written staging folder holds its manifest from the start.
        let staging = dir.path().join(".public.factbrief-new-3-4");
        fs::create_dir(&staging).unwrap();
        let files = site("three");
        fs::write(
            staging.join(MANIFEST),
            "# header\nindex.html\nclaims/a/index.html\n",
        )
        .unwrap();
        fs::write(
            staging.join("index.html"),
            &**files.values().next().unwrap(),
        )
        .unwrap();
        let report = write_site(dir.path(), &out, &files, false).unwrap();
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
        assert_eq!(beside(&out), [".public.factbrief-lock"]);
    }

    /// The bytes of every file of `out` but the manifest.
    fn contents(out: &Path) -> Files {
        let on_disk = manifest::walk(out).unwrap();
        on_disk
            .files
            .iter()
            .map(|f| (f.as_str().into(), Arc::new(fs::read(out.join(f)).unwrap())))
            .collect()
    }

    /// `site(word)` with more files, some the same in every version.
    fn bigger(word: &str) -> Files {
        let mut files = site(word);
        for i in 0..20 {
            files.insert(
                format!("sources/s{i}/index.html").into(),
                Arc::new(format!("source {i}").into_bytes()),
            );
        }
        files.insert(
            format!("claims/{word}/index.html").into(),
            Arc::new(word.as_bytes().to_vec()),
        );
        files
    }

    static RENAMES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

    /// Rename once, then fail, as a full disk or a permission would.
    fn rename_once(from: &Path, to: &Path) -> io::Result<()> {
        if RENAMES.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
            fs::rename(from, to)
        } else {
            Err(io::Error::other("cannot rename, as a test"))
        }
    }

    #[test]
    fn writing_in_place_stopped_halfway_leaves_every_file_whole_and_listed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let (old, new) = (bigger("one"), bigger("two"));
        write_site(dir.path(), &out, &old, false).unwrap();
        // As a build killed while renaming: one file renamed, then it stops.
        let (manifest, on_disk) = check_owned(&out).unwrap().unwrap();
        let staging = dir.path().join(".public.factbrief-new-5-6");
        let hooks = Hooks {
            rename: rename_once,
            ..HOOKS
        };
        let outcome = in_place::write(&out, &staging, &new, &manifest, &on_disk, &hooks).unwrap();
        assert!(matches!(outcome, in_place::Outcome::Failed(_)));
        // Every file is listed, and is the old one or the new one.
        let listed = Manifest::read(&out);
        let now = contents(&out);
        let (mut olds, mut news) = (0, 0);
        for (rel, bytes) in &now {
            assert!(listed.files.contains_key(&**rel), "{rel} is not listed");
            if new.get(rel) == Some(bytes) {
                news += 1;
            } else {
                assert_eq!(old.get(rel), Some(bytes), "{rel} is neither");
                olds += 1;
            }
        }
        assert!(olds > 0 && news > 20, "a mix: {olds} old, {news} new");
        // What is being replaced or removed has no stamp: it is compared next time.
        assert_eq!(listed.files["index.html"], None);
        assert_eq!(listed.files["claims/one/index.html"], None);
        assert!(listed.files["sources/s3/index.html"].is_some());
        // The next build finishes the work and clears the staging folder.
        let report = write_site(dir.path(), &out, &new, false).unwrap();
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
        assert_eq!(contents(&out), new);
        assert_eq!(beside(&out), [".public.factbrief-lock"]);
        assert!(report.written < new.len(), "{report:?}");
    }

    fn cannot_rename(_: &Path, _: &Path) -> io::Result<()> {
        Err(io::Error::other("cannot rename, as a test"))
    }

    #[test]
    fn a_rename_that_fails_falls_back_to_the_whole_folder_swap() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(dir.path(), &out, &bigger("one"), false).unwrap();
        let hooks = Hooks {
            rename: cannot_rename,
            ..HOOKS
        };
        let new = bigger("two");
        let report = write_with(dir.path(), &out, &new, false, &hooks).unwrap();
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
        assert_eq!(report.written, new.len(), "written whole");
        assert_eq!(report.removed, 1);
        assert_eq!(contents(&out), new);
        assert_eq!(beside(&out), [".public.factbrief-lock"]);
    }

    #[test]
    fn a_file_where_a_folder_goes_and_the_reverse_are_written_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let page = |path: &str| -> Files {
            let mut files = site("one");
            files.insert(path.into(), Arc::new(b"x".to_vec()));
            files
        };
        for (before, after) in [("a", "a/b.html"), ("a/b.html", "a"), ("a", "a")] {
            write_site(dir.path(), &out, &page(before), false).unwrap();
            let report = write_site(dir.path(), &out, &page(after), false).unwrap();
            assert_eq!(contents(&out), page(after), "{before} then {after}");
            let whole = before != after;
            assert_eq!(report.unchanged == 0, whole, "{before} then {after}");
            assert_eq!(beside(&out), [".public.factbrief-lock"]);
        }
    }

    #[test]
    fn a_stream_that_fails_leaves_the_output_as_it_was_and_nothing_beside_it() {
        for clean in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("public");
            let old = bigger("one");
            write_site(dir.path(), &out, &old, false).unwrap();
            let new = bigger("two");
            let failed = stream_site(dir.path(), &out, clean, |w| {
                for (rel, bytes) in &new {
                    w.put(rel, bytes)?;
                }
                Err::<(), _>(Error::usage(dir.path(), "a template failed, as a test"))
            });
            assert!(failed.is_err());
            assert_eq!(contents(&out), old, "clean: {clean}");
            assert_eq!(beside(&out), [".public.factbrief-lock"], "clean: {clean}");
        }
    }

    #[test]
    fn a_stream_puts_in_place_what_it_was_given_as_it_came() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(dir.path(), &out, &bigger("one"), false).unwrap();
        let new = bigger("two");
        let ((), report) = stream_site(dir.path(), &out, false, |w| {
            // Staged as they come, before the stream ends: the folder beside has them.
            for (rel, bytes) in &new {
                w.put(rel, bytes)?;
            }
            let staged = beside(&out);
            assert_eq!(staged.len(), 2, "{staged:?}");
            Ok(())
        })
        .unwrap();
        assert_eq!(contents(&out), new);
        assert_eq!((report.written, report.removed), (3, 1), "{report:?}");
        assert_eq!(beside(&out), [".public.factbrief-lock"]);
    }

    #[test]
    fn an_empty_folder_is_written_whole_and_a_file_gone_by_hand_is_written_again() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir(&out).unwrap();
        let files = bigger("one");
        let report = write_site(dir.path(), &out, &files, false).unwrap();
        assert_eq!((report.written, report.unchanged), (files.len(), 0));
        fs::remove_file(out.join("sources/s7/index.html")).unwrap();
        let report = write_site(dir.path(), &out, &files, false).unwrap();
        assert_eq!((report.written, report.unchanged), (1, files.len() - 1));
        assert_eq!(contents(&out), files);
    }
}
