//! Watching `content/`, `templates/` and `static/` with notify, and turning
//! bursts of events (an editor's save-by-rename, several files saved at once)
//! into one batch of changed paths.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use crate::diagnostic::{Error, Result};

/// Quiet time that ends a burst: short, so a save shows at once.
pub const DEBOUNCE: Duration = Duration::from_millis(8);
/// Longest a burst is collected before it is handed over anyway.
const MAX_BURST: Duration = Duration::from_millis(250);

/// The folders of a site that are watched.
const WATCHED: [&str; 4] = ["content", "templates", "static", "i18n"];

/// A watch on a site's inputs, which takes up `templates/` and `static/`
/// (and `content/`) when they are created after it started.
pub struct Watch {
    watcher: RecommendedWatcher,
    root: PathBuf,
    /// `root` made absolute, as event paths are.
    root_abs: PathBuf,
}

/// Watch the inputs under `root`; batches of changed paths arrive on the returned channel.
/// Keep the [`Watch`] alive as long as batches are wanted, and give it each batch ([`Watch::adopt`]).
pub fn watch(root: &Path) -> Result<(Watch, Receiver<Vec<PathBuf>>)> {
    let (raw_tx, raw_rx) = mpsc::channel::<PathBuf>();
    // Events name paths as the watcher resolved them (absolute): compare with both forms.
    let top = root.to_path_buf();
    let top_abs = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    // Symbolic links are not followed: a linked folder leading outside the site
    // must not be watched (a scan reports it), and one inside is watched anyway.
    let config = notify::Config::default().with_follow_symlinks(false);
    let mut watcher = RecommendedWatcher::new(
        move |res: notify::Result<notify::Event>| {
            if let Ok(event) = res {
                if matches!(event.kind, notify::EventKind::Access(_)) {
                    return;
                }
                for p in event.paths {
                    // Of the root itself, only the watched folders (not public/, not README).
                    let at_top =
                        p.parent() == Some(top.as_path()) || p.parent() == Some(top_abs.as_path());
                    if at_top
                        && !p
                            .file_name()
                            .is_some_and(|n| WATCHED.iter().any(|w| n == *w))
                    {
                        continue;
                    }
                    let _ = raw_tx.send(p);
                }
            }
        },
        config,
    )
    .map_err(|e| Error::usage(root, format!("cannot watch {}: {e}", root.display())))?;
    // The root, not recursively: to see the watched folders come (and go).
    watcher
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| Error::usage(root, format!("cannot watch {}: {e}", root.display())))?;
    let mut w = Watch {
        watcher,
        root: root.to_path_buf(),
        root_abs: std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
    };
    for dir in WATCHED {
        let path = root.join(dir);
        if path.is_dir() {
            w.watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| {
                    Error::usage(&path, format!("cannot watch {}: {e}", path.display()))
                })?;
        }
    }
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || debounce(raw_rx, tx));
    Ok((w, rx))
}

impl Watch {
    /// Watch the folders `batch` shows were created (or created again) since.
    pub fn adopt(&mut self, batch: &[PathBuf]) {
        for dir in WATCHED {
            let path = self.root.join(dir);
            let abs = self.root_abs.join(dir);
            if batch.iter().any(|p| p == &path || p == &abs) && path.is_dir() {
                // Watched again from scratch: a folder removed and made again is a new one.
                let _ = self.watcher.unwatch(&path);
                let _ = self.watcher.watch(&path, RecursiveMode::Recursive);
            }
        }
    }
}

/// Group raw events into batches separated by [`DEBOUNCE`] of quiet.
fn debounce(raw: Receiver<PathBuf>, out: Sender<Vec<PathBuf>>) {
    while let Ok(first) = raw.recv() {
        let started = Instant::now();
        let mut batch: BTreeSet<PathBuf> = BTreeSet::new();
        if !ignored(&first) {
            batch.insert(first);
        }
        loop {
            let left = MAX_BURST.saturating_sub(started.elapsed());
            match raw.recv_timeout(DEBOUNCE.min(left)) {
                Ok(p) => {
                    if !ignored(&p) {
                        batch.insert(p);
                    }
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
            if started.elapsed() >= MAX_BURST {
                break;
            }
        }
        if !batch.is_empty() && out.send(batch.into_iter().collect()).is_err() {
            return;
        }
    }
}

/// Editors' scratch files: swap files, backups, Vim's write test.
fn ignored(p: &Path) -> bool {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913"
        || name.starts_with(".#")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_one_batch() {
        let (raw_tx, raw_rx) = mpsc::channel();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || debounce(raw_rx, tx));
        for p in [
            "content/a.md",
            "content/.a.md.swp",
            "content/b.md",
            "content/a.md",
            "content/a.md~",
        ] {
            raw_tx.send(PathBuf::from(p)).unwrap();
        }
        let batch = rx.recv_timeout(Duration::from_secs(2)).unwrap();
        assert_eq!(
            batch,
            vec![PathBuf::from("content/a.md"), PathBuf::from("content/b.md")]
        );
        std::thread::sleep(DEBOUNCE * 3);
        raw_tx.send(PathBuf::from("content/c.md")).unwrap();
        assert_eq!(
            rx.recv_timeout(Duration::from_secs(2)).unwrap(),
            vec![PathBuf::from("content/c.md")]
        );
    }
}
