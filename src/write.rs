//! Write: put the rendered site in the output folder, all or nothing.
//!
//! The new site is written beside the output folder and swapped in only when
//! complete, so a failed or interrupted build never leaves a half-written site.
//! factbrief deletes only what it wrote: the output folder keeps a manifest of
//! its files, and a folder holding anything else is refused.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::{Error, Result};
use crate::pipeline::{Bytes, Files};

/// The file in the output folder listing everything factbrief wrote there.
pub const MANIFEST: &str = ".factbrief-manifest";
const MANIFEST_HEADER: &str =
    "# Files written by factbrief; it rewrites this folder on each build.\n";

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteReport {
    /// Files written (pages and static files).
    pub files: usize,
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

/// Check that `output` holds only files factbrief wrote (or nothing at all).
fn check_owned(output: &Path) -> Result<()> {
    if !output.exists() {
        return Ok(());
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
    let manifest = fs::read_to_string(output.join(MANIFEST)).ok();
    let listed: BTreeSet<&str> = manifest
        .as_deref()
        .map(|m| m.lines().filter(|l| !l.starts_with('#')).collect())
        .unwrap_or_default();
    let mut foreign = Vec::new();
    for entry in walkdir::WalkDir::new(output)
        .min_depth(1)
        .sort_by_file_name()
    {
        let entry = entry
            .map_err(|e| Error::usage(output, format!("cannot read {}: {e}", output.display())))?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry.path().strip_prefix(output).unwrap_or(entry.path());
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if rel != MANIFEST && !listed.contains(rel.as_str()) {
            foreign.push(rel);
        }
    }
    if foreign.is_empty() {
        return Ok(());
    }
    let shown: Vec<String> = foreign.iter().take(3).cloned().collect();
    let more = if foreign.len() > 3 {
        format!(" and {} more", foreign.len() - 3)
    } else {
        String::new()
    };
    Err(Error::usage_with_help(
        output,
        format!(
            "refusing to write into {}: it holds files factbrief did not write ({}{more}), and a build replaces the whole folder",
            output.display(),
            shown.join(", ")
        ),
        "choose another --output, or move those files away",
    ))
}

/// Write `files` as the new content of `output`, replacing the old one only on success.
pub fn write_site(root: &Path, output: &Path, files: &Files) -> Result<WriteReport> {
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
    let staging = parent.join(format!(".{name}.factbrief-new"));
    let old = parent.join(format!(".{name}.factbrief-old"));

    // A build killed between the two renames below leaves the previous site here: put it back.
    if !output.exists() && old.is_dir() {
        fs::rename(&old, output).map_err(|e| Error::io(output, e))?;
    }
    check_owned(output)?;

    fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
    }
    fs::create_dir(&staging).map_err(|e| Error::io(&staging, e))?;
    let result = fill(&staging, files);
    if let Err(e) = result {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }

    if output.exists() {
        if old.exists() {
            fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
        }
        fs::rename(output, &old).map_err(|e| Error::io(output, e))?;
        fs::rename(&staging, output).map_err(|e| Error::io(output, e))?;
        remove_tree(&old)?;
    } else {
        fs::rename(&staging, output).map_err(|e| Error::io(output, e))?;
    }
    Ok(WriteReport { files: files.len() })
}

/// Remove a folder factbrief wrote, its files in parallel (a large site has thousands).
fn remove_tree(dir: &Path) -> Result<()> {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry =
            entry.map_err(|e| Error::usage(dir, format!("cannot read {}: {e}", dir.display())))?;
        if entry.file_type().is_dir() {
            dirs.push(entry.into_path());
        } else {
            files.push(entry.into_path());
        }
    }
    files
        .par_iter()
        .try_for_each(|f| fs::remove_file(f).map_err(|e| Error::io(f, e)))?;
    // Deepest first, so each folder is empty when removed.
    dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for d in dirs {
        fs::remove_dir(&d).map_err(|e| Error::io(&d, e))?;
    }
    Ok(())
}

/// Write the site into `dir`.
fn fill(dir: &Path, files: &Files) -> Result<()> {
    let mut folders: BTreeSet<PathBuf> = BTreeSet::new();
    for p in files.keys() {
        if let Some(parent) = Path::new(&**p).parent() {
            folders.insert(dir.join(parent));
        }
    }
    for f in &folders {
        fs::create_dir_all(f).map_err(|e| Error::io(f, e))?;
    }
    let list: Vec<(&Arc<str>, &Bytes)> = files.iter().collect();
    list.par_iter().try_for_each(|(rel, bytes)| {
        let path = dir.join(&***rel);
        fs::write(&path, bytes.as_slice()).map_err(|e| Error::io(&path, e))
    })?;
    // Already sorted: the files are a map by path.
    let listed = files.keys();
    let mut manifest = String::from(MANIFEST_HEADER);
    for l in listed {
        manifest.push_str(l);
        manifest.push('\n');
    }
    let path = dir.join(MANIFEST);
    fs::write(&path, manifest).map_err(|e| Error::io(&path, e))
}
