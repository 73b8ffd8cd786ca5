//! The manifest of an output folder, `.factbrief-manifest`: the list of the
//! files factbrief wrote there, each with the hash and size of what it
//! wrote, so that the next build can tell an unchanged file without reading
//! it. It is written last, so it is newer than every file it describes.
//!
//! ```text
//! # Files written by factbrief; each build updates this folder to the new site.
//! # format 2: content hash (SipHash-1-3, 128 bits), size in bytes, path; - where unknown
//! 5f0c…(32 hex digits) 10412 claims/a/index.html
//! - - claims/b/index.html
//! ```
//!
//! A file is known unchanged when the manifest's hash is the hash of the new
//! content, the file on disk still has the recorded size, and it is not newer
//! than the manifest. Otherwise (a file edited or touched by hand since; `-`
//! or a field that does not parse; a manifest of the first format, which
//! lists paths alone) the file is compared byte for byte with the new
//! content. Only an edit by hand that keeps the size and either puts the
//! file's mtime back to before the build (as `rsync -t` or `touch -d` can)
//! or is made while a build runs would go unseen: `--clean` rewrites
//! everything. The manifest holds no times, so the
//! same site gives the same manifest, byte for byte.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::diagnostic::{Error, Result};

/// The file in the output folder listing everything factbrief wrote there.
pub const MANIFEST: &str = ".factbrief-manifest";
/// The next manifest, written in a staging folder, then renamed over [`MANIFEST`].
pub const MANIFEST_NEXT: &str = ".factbrief-manifest.next";
const HEADER: &str =
    "# Files written by factbrief; each build updates this folder to the new site.\n";
/// Says the lines carry a hash and a size before the path.
const FORMAT: &str =
    "# format 2: content hash (SipHash-1-3, 128 bits), size in bytes, path; - where unknown\n";

/// What factbrief knew of a file it wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// [`content_hash`] of its bytes.
    pub hash: u128,
    /// Its size in bytes.
    pub size: u64,
}

/// The content hash kept in the manifest.
pub use crate::hash::content_hash;

/// The modification time of `meta`, in nanoseconds since 1970.
pub fn mtime(meta: &fs::Metadata) -> Option<i128> {
    let t = meta.modified().ok()?;
    Some(match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i128::try_from(d.as_nanos()).ok()?,
        Err(e) => -i128::try_from(e.duration().as_nanos()).ok()?,
    })
}

/// The stamp of `bytes`.
pub fn stamp_of(bytes: &[u8]) -> Stamp {
    Stamp {
        hash: content_hash(bytes),
        size: bytes.len() as u64,
    }
}

/// A manifest as read: every path it lists, with its stamp where it has a
/// valid one.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub files: BTreeMap<String, Option<Stamp>>,
    /// When it was written (its mtime, ns since 1970), if known.
    pub written: Option<i128>,
}

impl Manifest {
    /// The manifest of `dir`; empty when it has none (or it cannot be read).
    pub fn read(dir: &Path) -> Manifest {
        let path = dir.join(MANIFEST);
        let Ok(text) = fs::read_to_string(&path) else {
            return Manifest::default();
        };
        Manifest {
            written: fs::metadata(&path).ok().as_ref().and_then(mtime),
            ..Manifest::parse(&text)
        }
    }

    /// Read a manifest of any version: lines starting with `#` are comments;
    /// in format 2 a line is `hash size path`, in the first format the path
    /// alone. A line of format 2 that does not parse lists its path (the rest
    /// after the second space, or the whole line) without a stamp.
    pub fn parse(text: &str) -> Manifest {
        let v2 = text.lines().any(|l| l == FORMAT.trim_end());
        let mut listed: Vec<(String, Option<Stamp>)> = (text.lines())
            .filter(|l| !l.starts_with('#'))
            .map(|line| {
                let (path, stamp) = if v2 { parse_line(line) } else { (line, None) };
                (path.to_owned(), stamp)
            })
            .collect();
        // Of a path listed twice, the last line counts. (Sorted and made
        // unique first, then built at once: a manifest is in order already,
        // and inserting each line was most of reading it.)
        listed.sort_by(|a, b| a.0.cmp(&b.0));
        listed.dedup_by(|later, earlier| {
            let same = later.0 == earlier.0;
            if same {
                std::mem::swap(later, earlier);
            }
            same
        });
        let files: BTreeMap<String, Option<Stamp>> = listed.into_iter().collect();
        Manifest {
            files,
            written: None,
        }
    }

    /// The text of a manifest listing `files`, in their order.
    pub fn text<'a>(files: impl IntoIterator<Item = (&'a str, Option<Stamp>)>) -> String {
        let mut text = String::from(HEADER);
        text.push_str(FORMAT);
        for (path, stamp) in files {
            match stamp {
                Some(s) => {
                    crate::hash::push_hex(&mut text, s.hash);
                    text.push(' ');
                    text.push_str(&s.size.to_string());
                    text.push(' ');
                }
                None => text.push_str("- - "),
            }
            text.push_str(path);
            text.push('\n');
        }
        text
    }
}

/// One line of format 2: its path, and its stamp if every field parses.
fn parse_line(line: &str) -> (&str, Option<Stamp>) {
    let mut parts = line.splitn(3, ' ');
    let (Some(hash), Some(size), Some(path)) = (parts.next(), parts.next(), parts.next()) else {
        return (line, None);
    };
    let hash = crate::hash::parse_hex(hash);
    let stamp = match (hash, size.parse::<u64>()) {
        (Some(hash), Ok(size)) => Some(Stamp { hash, size }),
        _ => None,
    };
    (path, stamp)
}

/// What a folder factbrief wrote holds, relative to it with `/`.
#[derive(Debug, Default)]
pub struct OnDisk {
    /// Every file (anything not a folder), but the manifest, sorted.
    pub files: Vec<String>,
    /// Every folder below it, sorted.
    pub dirs: Vec<String>,
    /// Of a walk that looked at them ([`walk_looking`]), what each of
    /// `files` is, in their order: none for one that is not a regular file
    /// (or could not be looked at).
    pub looked: Vec<Option<FileStat>>,
}

/// A regular file as a walk found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStat {
    /// Its size.
    pub size: u64,
    /// Its modification time ([`mtime`]).
    pub mtime: Option<i128>,
}

impl FileStat {
    /// What `meta` (as `lstat` gives it) says of a regular file; `None` for
    /// anything else.
    pub fn of(meta: &fs::Metadata) -> Option<FileStat> {
        meta.is_file().then(|| FileStat {
            size: meta.len(),
            mtime: mtime(meta),
        })
    }

    /// Whether the file is not newer than a manifest written at `written`,
    /// which then vouches for its content.
    pub fn not_newer(&self, written: Option<i128>) -> bool {
        matches!((self.mtime, written), (Some(m), Some(w)) if m <= w)
    }
}

impl OnDisk {
    /// What each file is, by path (of a walk that looked at them).
    pub fn looked_by_path(&self) -> HashMap<String, FileStat> {
        (self.files.iter().zip(&self.looked))
            .filter_map(|(path, stat)| Some((path.clone(), (*stat)?)))
            .collect()
    }
}

/// Walk `dir` (symbolic links are not followed: a link is a file here): each
/// folder's entries in the order of their names, a folder's before the next
/// entry. Folders are read side by side (an output of 15,000 pages has as many
/// folders).
pub fn walk(dir: &Path) -> Result<OnDisk> {
    walk_with(dir, false)
}

/// [`walk`], looking at each file as well ([`OnDisk::looked`]: `lstat`
/// from its folder, already open, which costs a fraction of looking it up
/// from the top later).
pub fn walk_looking(dir: &Path) -> Result<OnDisk> {
    walk_with(dir, true)
}

fn walk_with(dir: &Path, look: bool) -> Result<OnDisk> {
    let mut on_disk = walk_below(dir, "", look)
        .map_err(|(at, e)| Error::usage(dir, format!("cannot read {}: {e}", at.display())))?;
    if let Some(at) = on_disk.files.iter().position(|f| f == MANIFEST) {
        on_disk.files.remove(at);
        if look {
            on_disk.looked.remove(at);
        }
    }
    Ok(on_disk)
}

/// What a walk below a folder finds, or the folder it could not read and why.
type Walked = std::result::Result<OnDisk, (PathBuf, std::io::Error)>;

/// What is below `dir`, whose path relative to the walk's top is `rel`
/// (empty for the top), each file looked at if `look`.
fn walk_below(dir: &Path, rel: &str, look: bool) -> Walked {
    use rayon::prelude::*;
    let failed = |e| (dir.to_path_buf(), e);
    let mut entries: Vec<(std::ffi::OsString, bool, Option<FileStat>)> = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(failed)? {
        let entry = entry.map_err(failed)?;
        let kind = entry.file_type().map_err(failed)?;
        // (`lstat` relative to the folder being read: `fstatat` on Linux.)
        let stat = (look && kind.is_file())
            .then(|| entry.metadata().ok())
            .flatten()
            .and_then(|m| FileStat::of(&m));
        entries.push((entry.file_name(), kind.is_dir(), stat));
    }
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let path_of = |name: &std::ffi::OsStr| match rel {
        "" => name.to_string_lossy().into_owned(),
        _ => format!("{rel}/{}", name.to_string_lossy()),
    };
    let below: Vec<Walked> = entries
        .par_iter()
        .filter(|(_, is_dir, _)| *is_dir)
        .map(|(name, _, _)| walk_below(&dir.join(name), &path_of(name), look))
        .collect();
    let mut below = below.into_iter();
    let mut out = OnDisk::default();
    for (name, is_dir, stat) in entries {
        let path = path_of(&name);
        if is_dir {
            out.dirs.push(path);
            if let Some(sub) = below.next() {
                let sub = sub?;
                out.dirs.extend(sub.dirs);
                out.files.extend(sub.files);
                out.looked.extend(sub.looked);
            }
        } else {
            out.files.push(path);
            if look {
                out.looked.push(stat);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_walk_lists_what_a_sorted_walk_of_the_folder_finds() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in [
            "b.html",
            "a.html",
            "a/x.html",
            "a/b/y",
            "a-b/z.html",
            "A/upper",
            MANIFEST,
            "sub/.factbrief-manifest",
        ] {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        std::fs::create_dir_all(root.join("empty/inner")).unwrap();
        let mut want = OnDisk::default();
        for e in walkdir::WalkDir::new(root).min_depth(1).sort_by_file_name() {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(root).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            if e.file_type().is_dir() {
                want.dirs.push(rel);
            } else if rel != MANIFEST {
                want.files.push(rel);
            }
        }
        let got = walk(root).unwrap();
        assert_eq!((got.files, got.dirs), (want.files, want.dirs));
        assert!(walk(&root.join("missing")).is_err());
    }

    /// A walk that looks at the files finds what `lstat` says of each
    /// regular file, and nothing of a link; one that does not looks at none.
    #[test]
    fn a_walk_looking_at_the_files_finds_what_lstat_says() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(root.join("a/b/page.html"), "four").unwrap();
        std::fs::write(root.join("top.html"), "").unwrap();
        std::fs::write(root.join(MANIFEST), "listed").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("top.html", root.join("link")).unwrap();
        let got = walk_looking(root).unwrap();
        assert_eq!(got.looked.len(), got.files.len());
        let looked = got.looked_by_path();
        for file in ["a/b/page.html", "top.html"] {
            let meta = std::fs::symlink_metadata(root.join(file)).unwrap();
            let want = FileStat {
                size: meta.len(),
                mtime: mtime(&meta),
            };
            assert_eq!(looked.get(file), Some(&want), "{file}");
        }
        assert!(!looked.contains_key(MANIFEST));
        #[cfg(unix)]
        {
            assert!(got.files.contains(&"link".to_owned()));
            assert!(!looked.contains_key("link"), "a link is not a regular file");
        }
        let plain = walk(root).unwrap();
        assert_eq!(plain.files, got.files);
        assert!(plain.looked.is_empty());
    }

    /// A path listed twice counts as its last line says.
    #[test]
    fn of_a_path_listed_twice_the_last_line_counts() {
        let (a, b) = (stamp_of(b"a"), stamp_of(b"b"));
        let text = Manifest::text([
            ("x.html", Some(a)),
            ("y.html", Some(a)),
            ("x.html", Some(b)),
            ("x.html", None),
            ("y.html", Some(b)),
        ]);
        let m = Manifest::parse(&text);
        assert_eq!(m.files.len(), 2);
        assert_eq!(m.files["x.html"], None);
        assert_eq!(m.files["y.html"], Some(b));
    }

    #[test]
    fn a_manifest_reads_back_what_it_says() {
        let stamp = stamp_of(b"<p>page</p>");
        let text = Manifest::text([("claims/a b/index.html", Some(stamp)), ("index.html", None)]);
        let m = Manifest::parse(&text);
        assert_eq!(m.files.len(), 2);
        assert_eq!(m.files["claims/a b/index.html"], Some(stamp));
        assert_eq!(m.files["index.html"], None);
    }

    #[test]
    fn what_does_not_parse_lists_its_path_without_a_stamp() {
        let good = Manifest::text([("a.html", None)]);
        let text = format!(
            "{good}zz 1 bad-hash.html\n{:032x} x bad-size.html\nshort\n",
            1u128
        );
        let m = Manifest::parse(&text);
        for path in ["bad-hash.html", "bad-size.html", "short"] {
            assert_eq!(m.files.get(path), Some(&None), "{path}: {:?}", m.files);
        }
    }

    #[test]
    fn a_first_format_manifest_lists_paths_alone() {
        let m = Manifest::parse("# Files written by factbrief\nindex.html\na b/index.html\n");
        assert_eq!(
            m.files.keys().collect::<Vec<_>>(),
            ["a b/index.html", "index.html"]
        );
        assert!(m.files.values().all(Option::is_none));
    }

    #[test]
    fn the_content_hash_is_stable() {
        // SipHash-1-3, 128 bits, key 0: pinned, so that an upgrade of the
        // crate that changed it would be seen (it would cost one byte
        // comparison of every file, not a wrong site).
        assert_eq!(
            format!("{:032x}", content_hash(b"factbrief")),
            "9f934c643634ee61c0f75b9fac2b0b2d"
        );
        assert_ne!(content_hash(b"a"), content_hash(b"b"));
    }
}
