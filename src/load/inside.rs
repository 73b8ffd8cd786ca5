//! Nothing outside the site root is read: a symbolic link under `content/`,
//! `templates/` or `static/` that leads outside it is an error, located at the
//! link, and what it points to is never opened.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};

/// The site root, resolved, to tell where symbolic links lead.
#[derive(Debug, Clone)]
pub struct SiteRoot {
    /// The root as given (paths in messages are relative to it).
    root: PathBuf,
    /// The root with every symbolic link resolved.
    real: PathBuf,
}

impl SiteRoot {
    /// The root `root`.
    pub fn new(root: &Path) -> SiteRoot {
        SiteRoot {
            root: root.to_path_buf(),
            real: std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
        }
    }

    /// Whether `path`, a path under the root that is (or passes through) a
    /// symbolic link, leads outside the root. A link that leads nowhere is not
    /// outside: reading it fails on its own, with its own message.
    pub fn leads_outside(&self, path: &Path) -> bool {
        match std::fs::canonicalize(path) {
            Ok(real) => !real.starts_with(&self.real),
            Err(_) => false,
        }
    }

    /// The error for the link at `path` that leads outside the root.
    pub fn outside(&self, path: &Path) -> Diagnostic {
        Diagnostic::error(
            Code::OutsideSite,
            super::rel(&self.root, path),
            "this symbolic link leads outside the site: factbrief reads nothing from there",
        )
        .with_help("copy the file into the site instead of linking to it, or remove the link")
    }

    /// Check a walk entry: `Some(error)` when it is a symbolic link leading outside.
    pub fn check_entry(&self, entry: &walkdir::DirEntry) -> Option<Diagnostic> {
        (entry.path_is_symlink() && self.leads_outside(entry.path()))
            .then(|| self.outside(entry.path()))
    }
}
