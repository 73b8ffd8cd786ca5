//! Load: the files of `content/` into typed [`Document`]s.
//!
//! Reads `_index.md`, `sources/`, `claims/` and `pages/`, checks ids and
//! front matter, and reports every problem found, not just the first.

pub mod cache;
pub mod date;
pub mod document;
pub mod front_matter;
pub mod id;
pub mod inside;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use crate::diagnostic::Code;
use crate::diagnostic::{Diagnostic, Diagnostics, Result};
use crate::hash::content_hash;
pub use cache::LoadCache;
pub use date::Date;
pub use document::*;

/// What to load.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Include documents marked `draft = true`.
    pub drafts: bool,
}

/// A document slot: the document, or why its file could not be read.
/// A document as read, or what stopped it (one problem, or several found at once).
type Slot<M> = std::result::Result<Arc<Document<M>>, Vec<Diagnostic>>;

/// The documents of `content/` as read from disk, kept between builds so that
/// a rebuild re-reads only the files that changed.
pub struct Store {
    root: PathBuf,
    index: Option<Slot<IndexMeta>>,
    sources: BTreeMap<String, Slot<SourceMeta>>,
    claims: BTreeMap<String, Slot<ClaimMeta>>,
    pages: BTreeMap<String, Slot<PageMeta>>,
    /// Problems of files that are no document (bad ids, walk errors, stray files), by file.
    problems: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// The documents of each kind as the last [`Store::content`] sorted them, while
    /// none of that kind changed: a rebuild shares them instead of sorting again.
    sorted: std::sync::Mutex<SortedKinds>,
}

/// The documents of one kind sorted for a build, with the drafts (`bool`) setting they were sorted for.
type SortedKind<M> = Option<(bool, Arc<Sorted<M>>)>;

#[derive(Default)]
struct SortedKinds {
    sources: SortedKind<SourceMeta>,
    claims: SortedKind<ClaimMeta>,
    pages: SortedKind<PageMeta>,
}

/// The documents of one kind for a build.
struct Sorted<M> {
    docs: Arc<Docs<M>>,
    left_out: Vec<DocId>,
    unreadable: Vec<DocId>,
    diags: Vec<Diagnostic>,
}

// By hand: the documents are shared, so `M` need not be `Clone`.
impl<M> Clone for Sorted<M> {
    fn clone(&self) -> Self {
        Sorted {
            docs: self.docs.clone(),
            left_out: self.left_out.clone(),
            unreadable: self.unreadable.clone(),
            diags: self.diags.clone(),
        }
    }
}

/// What a changed path was, for [`Store::update`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changed {
    /// A document (`_index.md` included).
    Doc(DocId),
    /// Something else in `content/` (a stray file, a bad id).
    Other,
}

impl Store {
    /// Read every file of `content/` under `root`.
    pub fn scan(root: &Path) -> Result<Store> {
        Store::scan_with(root, false, None)
    }

    /// [`Store::scan`] for a single build: the sources' bodies are left on
    /// disk ([`Document::leave_body_on_disk`]), so that the build holds the
    /// sources' fields and what linking finds in them, not all their texts.
    /// (A rebuild keeps the texts: it re-reads only what changed.)
    pub fn scan_single_run(root: &Path) -> Result<Store> {
        Store::scan_with(root, true, None)
    }

    /// [`Store::scan_single_run`], taking from `cache` each document whose
    /// file stands as it did when a build read it (and keeping there what
    /// the next build may take: see [`cache`]).
    pub fn scan_single_run_cached(root: &Path, cache: &LoadCache) -> Result<Store> {
        Store::scan_with(root, true, Some(cache))
    }

    fn scan_with(root: &Path, lean: bool, cache: Option<&LoadCache>) -> Result<Store> {
        let content_dir = root.join("content");
        if !content_dir.is_dir() {
            return Err(crate::diagnostic::Error::Content(vec![Diagnostic::error(
                Code::NoContent,
                "content/",
                format!("no `content/` folder in {}", root.display()),
            )
            .with_help("run factbrief in a site root, pass --root DIR, or create one with `factbrief init DIR`")]));
        }
        let mut store = Store {
            root: root.to_path_buf(),
            index: None,
            sources: BTreeMap::new(),
            claims: BTreeMap::new(),
            pages: BTreeMap::new(),
            problems: BTreeMap::new(),
            sorted: Default::default(),
        };
        let index_file = content_dir.join("_index.md");
        let site = inside::SiteRoot::new(root);
        let linked =
            |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
        if linked(&content_dir) && site.leads_outside(&content_dir) {
            return Err(crate::diagnostic::Error::Content(vec![
                site.outside(&content_dir)
            ]));
        }
        if linked(&index_file) && site.leads_outside(&index_file) {
            store.index = Some(Err(vec![site.outside(&index_file)]));
        } else if index_file.is_file() {
            store.index = Some(
                read_document(
                    root,
                    &index_file,
                    "_index".to_owned(),
                    IndexMeta::FIELDS,
                    &[],
                )
                .map(Arc::new),
            );
        }
        for d in stray_files(root, &content_dir) {
            store.problems.entry(d.file.clone()).or_default().push(d);
        }
        let problems = &mut store.problems;
        store.sources = scan_kind(root, Kind::Source, lean, cache, problems);
        store.claims = scan_kind(root, Kind::Claim, lean, cache, problems);
        store.pages = scan_kind(root, Kind::Page, lean, cache, problems);
        Ok(store)
    }

    /// The drafts (`draft = true`) a build without `--drafts` leaves out: each
    /// file, and the fields it still marks `FILL IN`, in file order.
    pub fn drafts(&self) -> Vec<(PathBuf, Vec<String>)> {
        fn of<M>(
            slots: &BTreeMap<String, Slot<M>>,
            is_draft: impl Fn(&M) -> bool,
            out: &mut Vec<(PathBuf, Vec<String>)>,
        ) {
            for d in slots.values().flatten().filter(|d| is_draft(&d.meta)) {
                out.push((d.file.clone(), unfilled(d.front_matter())));
            }
        }
        let mut out = Vec::new();
        of(&self.sources, |m: &SourceMeta| m.draft, &mut out);
        of(&self.claims, |m: &ClaimMeta| m.draft, &mut out);
        of(&self.pages, |m: &PageMeta| m.draft, &mut out);
        out.sort();
        out
    }

    /// Re-read one file (given relative to the root) after it changed, appeared or
    /// went away. Returns what it was, or `None` when the change cannot be applied
    /// file by file (a folder, a symbolic link): then scan again.
    pub fn update(&mut self, rel_path: &Path) -> Option<Changed> {
        let path = self.root.join(rel_path);
        let meta = std::fs::symlink_metadata(&path).ok();
        // A folder, a link: scan again, which checks where links lead. A file
        // reached through a linked folder may lie outside the site: likewise.
        if meta.as_ref().is_some_and(|m| !m.is_file())
            || (meta.is_some() && inside::SiteRoot::new(&self.root).leads_outside(&path))
        {
            return None;
        }
        // Something that went away and was no document (a folder, say): scan again.
        if meta.is_none() && path.extension().is_none_or(|e| e != "md") {
            return None;
        }
        let mut parts = rel_path
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        if parts.next().as_deref() != Some("content") {
            return None;
        }
        let rest: Vec<String> = parts.collect();
        if rest.len() == 1 && rest[0] == "_index.md" {
            self.index = meta.map(|_| {
                read_document(
                    &self.root,
                    &path,
                    "_index".to_owned(),
                    IndexMeta::FIELDS,
                    &[],
                )
                .map(Arc::new)
            });
            return Some(Changed::Doc(DocId::Index));
        }
        let kind = match rest.first().map(String::as_str) {
            Some("sources") if rest.len() > 1 => Kind::Source,
            Some("claims") if rest.len() > 1 => Kind::Claim,
            Some("pages") if rest.len() > 1 => Kind::Page,
            _ => return None,
        };
        let folder = kind.folder();
        self.problems.remove(rel_path);
        let name = rest.last().cloned().unwrap_or_default();
        if name.starts_with('.') {
            return Some(Changed::Other);
        }
        if !name.ends_with(".md") {
            if meta.is_some() {
                self.problems
                    .entry(rel_path.to_path_buf())
                    .or_default()
                    .push(stray_kind_file(rel_path, &name));
            }
            return Some(Changed::Other);
        }
        let folder_path = self.root.join("content").join(folder);
        let id = match id::from_path(&folder_path, &path) {
            Ok(id) => id,
            Err(bad) => {
                if meta.is_some() {
                    self.problems
                        .entry(rel_path.to_path_buf())
                        .or_default()
                        .push(bad_id(rel_path, bad));
                }
                return Some(Changed::Other);
            }
        };
        let root = self.root.clone();
        let exists = meta.is_some();
        let sorted = self.sorted.get_mut().unwrap_or_else(|p| p.into_inner());
        match kind {
            Kind::Source => {
                update_slot(&mut self.sources, &root, &path, &id, exists);
                patch_sorted(&mut sorted.sources, kind, &self.sources, &id, |m| m.draft);
            }
            Kind::Claim => {
                update_slot(&mut self.claims, &root, &path, &id, exists);
                patch_sorted(&mut sorted.claims, kind, &self.claims, &id, |m| m.draft);
            }
            Kind::Page => {
                update_slot(&mut self.pages, &root, &path, &id, exists);
                patch_sorted(&mut sorted.pages, kind, &self.pages, &id, |m| m.draft);
            }
        }
        Some(Changed::Doc(DocId::Doc(kind, id)))
    }

    /// The content to build (drafts left out unless asked for) and every problem found.
    pub fn content(&self, options: &LoadOptions) -> Result<(Content, Diagnostics)> {
        let mut diags = Diagnostics::default();
        for ds in self.problems.values() {
            diags.extend(ds.iter().cloned());
        }
        let index = match &self.index {
            Some(Ok(i)) => Some(i.clone()),
            Some(Err(ds)) => {
                diags.extend(ds.iter().cloned());
                None
            }
            None => {
                diags.push(
                    Diagnostic::error(
                        Code::NoIndex,
                        "content/_index.md",
                        "the briefing has no `content/_index.md`",
                    )
                    .with_help("create it with at least `title = \"...\"` in its front matter"),
                );
                None
            }
        };
        let mut drafts = BTreeSet::new();
        let mut unreadable = BTreeSet::new();
        let mut cache = self.sorted.lock().unwrap_or_else(|p| p.into_inner());
        macro_rules! take {
            ($sorted:expr) => {
                drafts.extend($sorted.left_out.iter().cloned());
                unreadable.extend($sorted.unreadable.iter().cloned());
                diags.extend($sorted.diags.iter().cloned());
            };
        }
        let d = options.drafts;
        let sources = cached(&mut cache.sources, d, || {
            sort(Kind::Source, &self.sources, d, |m| m.draft)
        });
        take!(sources);
        let claims = cached(&mut cache.claims, d, || {
            sort(Kind::Claim, &self.claims, d, |m| m.draft)
        });
        take!(claims);
        let pages = cached(&mut cache.pages, d, || {
            sort(Kind::Page, &self.pages, d, |m| m.draft)
        });
        take!(pages);
        drop(cache);
        let (sources, claims, pages) = (
            sources.docs.clone(),
            claims.docs.clone(),
            pages.docs.clone(),
        );
        let Some(index) = index else {
            diags.into_result()?;
            return Err(crate::diagnostic::Error::usage(
                "content/_index.md",
                "content/_index.md could not be read",
            ));
        };
        let content = Content {
            index,
            sources,
            claims,
            pages,
            drafts,
            unreadable,
        };
        check_claims(&content, &mut diags);
        Ok((content, diags))
    }
}

fn update_slot<M: Meta>(
    slots: &mut BTreeMap<String, Slot<M>>,
    root: &Path,
    path: &Path,
    id: &str,
    exists: bool,
) {
    if exists {
        slots.insert(
            id.to_owned(),
            read_document(root, path, id.to_owned(), M::FIELDS, M::ENTRY_FIELDS).map(Arc::new),
        );
    } else {
        slots.remove(id);
    }
}

/// Bring the sorted documents of a kind in `slot` up to date with document
/// `id` as `slots` now hold it: the documents are copied with it put in
/// place (or out), which costs an edit less than sorting them again. When
/// the document could not be read, before or now, they are sorted again
/// instead: its problems are listed with the kind's, which are kept in the
/// documents' order.
fn patch_sorted<M>(
    slot: &mut SortedKind<M>,
    kind: Kind,
    slots: &BTreeMap<String, Slot<M>>,
    id: &str,
    is_draft: impl Fn(&M) -> bool,
) {
    let doc_id = DocId::Doc(kind, id.to_owned());
    let Some((drafts, sorted)) = slot.as_mut() else {
        return;
    };
    if sorted.unreadable.contains(&doc_id) || slots.get(id).is_some_and(|s| s.is_err()) {
        *slot = None;
        return;
    }
    let sorted = Arc::make_mut(sorted);
    let docs = Arc::make_mut(&mut sorted.docs);
    docs.remove(id);
    sorted.left_out.retain(|d| *d != doc_id);
    match slots.get(id) {
        Some(Ok(d)) if *drafts || !is_draft(&d.meta) => {
            docs.insert(id.to_owned(), d.clone());
        }
        Some(Ok(_)) => sorted.left_out.push(doc_id),
        _ => {}
    }
}

/// The sorted documents of a kind from `slot`, or sorted anew (and kept there).
fn cached<M>(
    slot: &mut SortedKind<M>,
    drafts: bool,
    sort: impl FnOnce() -> Sorted<M>,
) -> Arc<Sorted<M>> {
    match slot {
        Some((d, sorted)) if *d == drafts => sorted.clone(),
        _ => {
            let sorted = Arc::new(sort());
            *slot = Some((drafts, sorted.clone()));
            sorted
        }
    }
}

/// The documents of `kind` for a build: drafts left out unless `drafts`, unreadable ones reported.
fn sort<M>(
    kind: Kind,
    slots: &BTreeMap<String, Slot<M>>,
    drafts: bool,
    is_draft: impl Fn(&M) -> bool,
) -> Sorted<M> {
    let mut out = Sorted {
        docs: Arc::new(Docs::new()),
        left_out: Vec::new(),
        unreadable: Vec::new(),
        diags: Vec::new(),
    };
    let mut docs = Docs::new();
    for (id, slot) in slots {
        match slot {
            Ok(d) if drafts || !is_draft(&d.meta) => {
                docs.insert(id.clone(), d.clone());
            }
            Ok(_) => out.left_out.push(DocId::Doc(kind, id.clone())),
            Err(ds) => {
                out.unreadable.push(DocId::Doc(kind, id.clone()));
                out.diags.extend(ds.iter().cloned());
            }
        }
    }
    out.docs = Arc::new(docs);
    out
}

/// The front matter of a kind of document.
trait Meta: DeserializeOwned + serde::Serialize + Send + Sync {
    /// Its field names, for "did you mean".
    const FIELDS: &'static [&'static str];
    /// The fields of its `[[evidence]]` entries, to locate.
    const ENTRY_FIELDS: &'static [&'static str] = &[];
    /// `doc` for a single build: the same, but for a source, whose body is
    /// left on disk ([`Document::leave_body_on_disk`]).
    fn single_run(doc: Document<Self>, _path: &Path) -> Document<Self> {
        doc
    }
}

impl Meta for SourceMeta {
    const FIELDS: &'static [&'static str] = SourceMeta::FIELDS;
    fn single_run(doc: Document<Self>, path: &Path) -> Document<Self> {
        doc.leave_body_on_disk(path.to_path_buf())
    }
}

impl Meta for ClaimMeta {
    const FIELDS: &'static [&'static str] = ClaimMeta::FIELDS;
    const ENTRY_FIELDS: &'static [&'static str] = EvidenceMeta::FIELDS;
}

impl Meta for PageMeta {
    const FIELDS: &'static [&'static str] = PageMeta::FIELDS;
}

/// Checks of a claim that need no other document.
fn check_claims(content: &Content, diags: &mut Diagnostics) {
    for claim in content.claims.values() {
        if claim.meta.evidence.is_empty() {
            diags.push(
                Diagnostic::error(Code::NoEvidence, &claim.file, "the claim has no evidence")
                    .at_line(claim.spans.key_or_start("evidence"))
                    .with_text(claim.text.clone())
                    .with_help("add at least one [[evidence]] entry with `source` and `stance`"),
            );
        }
    }
}

fn stray_kind_file(rel_path: &Path, name: &str) -> Diagnostic {
    // `Report.MD`, `notes.markdown`, `a.txt`: say so rather than skip it silently.
    Diagnostic::warning(
        Code::StrayFile,
        rel_path,
        format!("`{name}` is not read: only `.md` files are"),
    )
    .with_help(
        "rename it to end in `.md` if it is a document of the briefing, or move it out of content/",
    )
}

fn bad_id(rel_path: &Path, bad: id::BadId) -> Diagnostic {
    let mut d = Diagnostic::error(
        Code::BadId,
        rel_path,
        format!("`{}` is not a valid id", bad.segment),
    );
    d.help = Some(match bad.suggestion {
        Some(s) => format!(
            "ids use lower-case letters a-z, digits, `-` and `_`, starting with a letter or digit: rename the file to `{s}.md`"
        ),
        None => "ids use lower-case letters a-z, digits, `-` and `_`, starting with a letter or digit: rename the file".to_owned(),
    });
    d
}

/// Every `.md` file of `content/<kind>/`, parsed, by id (as for a single
/// build when `lean`, see [`Meta::single_run`], taken from `cache` where it
/// can be); other problems go to `problems`.
fn scan_kind<M: Meta>(
    root: &Path,
    kind: Kind,
    lean: bool,
    cache: Option<&LoadCache>,
    problems: &mut BTreeMap<PathBuf, Vec<Diagnostic>>,
) -> BTreeMap<String, Slot<M>> {
    let folder = root.join("content").join(kind.folder());
    let mut slots = BTreeMap::new();
    if !folder.is_dir() {
        return slots;
    }
    let mut files = Vec::new();
    let site = inside::SiteRoot::new(root);
    let mut walk = walkdir::WalkDir::new(&folder)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walk.next() {
        match entry {
            Ok(e) => {
                if let Some(d) = site.check_entry(&e) {
                    if e.file_type().is_dir() {
                        walk.skip_current_dir();
                    }
                    problems.entry(d.file.clone()).or_default().push(d);
                    continue;
                }
                let name = e.file_name().to_string_lossy().into_owned();
                if !e.file_type().is_file() || name.starts_with('.') {
                    continue;
                }
                if name.ends_with(".md") {
                    files.push(e.into_path());
                } else {
                    let r = rel(root, e.path());
                    problems
                        .entry(r.clone())
                        .or_default()
                        .push(stray_kind_file(&r, &name));
                }
            }
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| rel(root, p))
                    .unwrap_or_else(|| rel(root, &folder));
                let (code, msg) = if e.loop_ancestor().is_some() {
                    (
                        Code::SymlinkLoop,
                        "a symbolic link loops back to a folder that contains it".to_owned(),
                    )
                } else {
                    (Code::Unreadable, format!("cannot read: {e}"))
                };
                problems.entry(path.clone()).or_default().push(
                    Diagnostic::error(code, path, msg)
                        .with_help("remove the link or fix the permissions"),
                );
            }
        }
    }
    // A file is a document (by id), or a problem of its own (a bad id).
    let results: Vec<std::result::Result<(String, Slot<M>), Diagnostic>> = files
        .par_iter()
        .map(|file| {
            let id = id::from_path(&folder, file).map_err(|bad| bad_id(&rel(root, file), bad))?;
            let slot = match cache {
                Some(cache) if lean => load_cached::<M>(cache, root, file, &id),
                _ => read_document::<M>(root, file, id.clone(), M::FIELDS, M::ENTRY_FIELDS).map(
                    |d| match lean {
                        true => M::single_run(d, file),
                        false => d,
                    },
                ),
            }
            .map(Arc::new);
            Ok((id, slot))
        })
        .collect();
    for r in results {
        match r {
            Ok((id, slot)) => {
                slots.insert(id, slot);
            }
            Err(d) => problems.entry(d.file.clone()).or_default().push(d),
        }
    }
    slots
}

/// Files and folders in `content/` that factbrief does not read: say so, rather than ignore them silently.
fn stray_files(root: &Path, content_dir: &Path) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let Ok(entries) = std::fs::read_dir(content_dir) else {
        return diags;
    };
    let mut stray: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            !name.starts_with('.')
                && !matches!(name.as_str(), "_index.md" | "sources" | "claims" | "pages")
        })
        .collect();
    stray.sort();
    for p in stray {
        diags.push(
            Diagnostic::warning(
                Code::StrayFile,
                rel(root, &p),
                "this is not read: content/ holds only _index.md, sources/, claims/ and pages/",
            )
            .with_help("move free pages to content/pages/"),
        );
    }
    diags
}

/// Read one file into a document.
fn read_document<M: DeserializeOwned>(
    root: &Path,
    file: &Path,
    id: String,
    fields: &[&'static str],
    entry_fields: &[&'static str],
) -> std::result::Result<Document<M>, Vec<Diagnostic>> {
    let relpath = rel(root, file);
    let text = read_text(file, &relpath)?;
    parse_text(text, relpath, id, (fields, entry_fields))
}

/// A document for a single build ([`Meta::single_run`]) of the file `file`,
/// taken from `cache` when it vouches for it, else read (and kept there).
fn load_cached<M: Meta>(
    cache: &LoadCache,
    root: &Path,
    file: &Path,
    id: &str,
) -> std::result::Result<Document<M>, Vec<Diagnostic>> {
    let relpath = rel(root, file);
    let fields = (M::FIELDS, M::ENTRY_FIELDS);
    // (Taken before the file is looked at: a change meanwhile is not settled.)
    let now = std::time::SystemTime::now();
    let stat = std::fs::metadata(file).ok().filter(|m| m.is_file());
    let key = relpath.to_str().map(str::to_owned);
    let (Some(key), Some(stat)) = (key.as_deref(), stat.as_ref().map(cache::Stat::of)) else {
        let doc = read_document(root, file, id.to_owned(), fields.0, fields.1)?;
        return Ok(M::single_run(doc, file));
    };
    let same = match cache.take::<M>(key, id, file, stat, fields) {
        cache::Taken::Whole(doc) => return Ok(doc),
        cache::Taken::Read(same) => same,
    };
    let text = read_text(file, &relpath)?;
    // (Hashed here only when there is a parse to compare with: parsing a
    // source hashes its text anyway.)
    let hash = same.as_ref().map(|_| content_hash(text.as_bytes()));
    let reused = same
        .filter(|(kept, _)| Some(*kept) == hash)
        .and_then(|(_, at)| cache.same_text::<M>(&at, (key, id), file, fields));
    let doc = match reused {
        Some(doc) => doc,
        None => M::single_run(parse_text(text, relpath, id.to_owned(), fields)?, file),
    };
    cache.put(
        key,
        &doc,
        stat,
        now,
        hash.unwrap_or_else(|| doc.text_hash()),
    );
    Ok(doc)
}

/// The text of `file` (`relpath` in messages) as parsed: control characters dropped, line ends made `\n`.
fn read_text(file: &Path, relpath: &Path) -> std::result::Result<Arc<str>, Vec<Diagnostic>> {
    let bytes = std::fs::read(file)
        .map_err(|e| {
            Diagnostic::error(
                Code::Unreadable,
                relpath,
                format!("cannot read the file: {e}"),
            )
            .with_help("check that it exists and is readable")
        })
        .map_err(|d| vec![d])?;
    let raw = String::from_utf8(bytes)
        .map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            let (line, col) = front_matter::line_col(
                std::str::from_utf8(&e.as_bytes()[..valid]).unwrap_or(""),
                valid,
            );
            // Located, but shown without an excerpt: only readable text of the site is shown.
            Diagnostic::error(Code::NotUtf8, relpath, "the file is not valid UTF-8 text")
                .at(line, col)
                .with_help(
                    "save it as UTF-8 (most editors offer this under \"Save with encoding\")",
                )
        })
        .map_err(|d| vec![d])?;
    Ok(Arc::from(front_matter::clean_text(raw)))
}

/// The document `id` of the file `relpath`, whose text is `text`.
fn parse_text<M: DeserializeOwned>(
    text: Arc<str>,
    relpath: PathBuf,
    id: String,
    (fields, entry_fields): (&[&'static str], &[&'static str]),
) -> std::result::Result<Document<M>, Vec<Diagnostic>> {
    // Problems are shown with the text they were found in.
    let split =
        front_matter::split(&text, &relpath).map_err(|d| vec![d.with_text(text.clone())])?;
    let meta = front_matter::parse::<M>(&split, &relpath, fields, entry_fields).map_err(|ds| {
        ds.into_iter()
            .map(|d| d.with_text(text.clone()))
            .collect::<Vec<_>>()
    })?;
    let range = |part: &str| {
        let start = part.as_ptr() as usize - text.as_ptr() as usize;
        start..start + part.len()
    };
    let parts = (
        (range(split.front_matter), split.front_matter_line),
        (range(split.body), split.body_line),
    );
    Ok(Document::new(
        id,
        relpath,
        meta,
        text.clone(),
        parts.0,
        parts.1,
        (fields, entry_fields),
    ))
}

/// The fields of `front_matter` whose value still says `FILL IN` (as `import` and `new` write them).
fn unfilled(front_matter: &str) -> Vec<String> {
    front_matter
        .lines()
        .filter(|l| l.contains("FILL IN"))
        .filter_map(|l| {
            let (key, _) = l.split_once(['=', ':'])?;
            let key = key
                .trim()
                .trim_start_matches("- ")
                .trim_matches(['"', '\'']);
            (!key.is_empty() && !key.contains(' ')).then(|| key.to_owned())
        })
        .collect()
}

/// `path` relative to `root`, for messages.
pub fn rel(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

/// 1-based line within `front_matter` where top-level `key` is set.
pub(crate) fn locate_key(front_matter: &str, key: &str) -> Option<usize> {
    front_matter
        .lines()
        .position(|l| {
            let l = l.trim_start();
            l.strip_prefix(key)
                .map(|rest| {
                    let rest = rest.trim_start();
                    rest.starts_with('=') || rest.starts_with(':')
                })
                .unwrap_or(false)
                || l == format!("[[{key}]]")
        })
        .map(|i| i + 1)
}

/// Where each entry of an array of tables (`[[evidence]]` in TOML, a `- ` list in
/// YAML) starts and ends in a front matter, found once for many look-ups.
pub(crate) struct Entries<'a> {
    lines: Vec<&'a str>,
    /// (first line, end line) of each entry, 0-based, end exclusive.
    spans: Vec<(usize, usize)>,
}

impl<'a> Entries<'a> {
    /// Find the entries of `array` (`[[array]]` tables in TOML, `array:` list items in YAML).
    pub(crate) fn new(front_matter: &'a str, array: &str) -> Entries<'a> {
        let lines: Vec<&str> = front_matter.lines().collect();
        let header = format!("[[{array}]]");
        // `[[evidence]]`, also written `[[ evidence ]]` or with a comment after it.
        let is_header = |l: &str| {
            let code = l.split('#').next().unwrap_or("");
            // (Compared as they come: most lines are no header, and none is
            // worth a string of its own.)
            code.contains("[[")
                && code
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .eq(header.chars())
        };
        let toml_starts: Vec<usize> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| is_header(l))
            .map(|(i, _)| i)
            .collect();
        let mut spans = Vec::new();
        if !toml_starts.is_empty() {
            for &start in &toml_starts {
                let end = lines[start + 1..]
                    .iter()
                    .position(|l| l.trim_start().starts_with('['))
                    .map_or(lines.len(), |p| start + 1 + p);
                spans.push((start, end));
            }
        } else if let Some(key_line) = locate_key(front_matter, array).filter(|&k| {
            // TOML inline tables: `evidence = [ {...}, {...} ]`, an entry per `{`.
            lines[k - 1].trim_start()[array.len()..]
                .trim_start()
                .starts_with('=')
        }) {
            for (i, l) in lines.iter().enumerate().skip(key_line - 1) {
                if i >= key_line
                    && locate_key(l, l.split(['=', ' ']).next().unwrap_or("")).is_some()
                    && !l.trim_start().starts_with('{')
                {
                    break;
                }
                for _ in l.matches('{') {
                    spans.push((i, i + 1));
                }
            }
        } else if let Some(key_line) = locate_key(front_matter, array) {
            // YAML: items of the list under `array:` at the first item's indentation.
            let mut items = Vec::new();
            let mut indent = None;
            let mut stop = lines.len();
            for (i, l) in lines.iter().enumerate().skip(key_line) {
                let trimmed = l.trim_start();
                let ind = l.len() - trimmed.len();
                if trimmed.is_empty() {
                    continue;
                }
                let item = trimmed.starts_with("- ") || trimmed == "-";
                if ind == 0 && !item {
                    stop = i;
                    break;
                }
                if item && indent.is_none_or(|x| x == ind) {
                    indent = Some(ind);
                    items.push(i);
                }
            }
            for (k, &start) in items.iter().enumerate() {
                spans.push((start, items.get(k + 1).copied().unwrap_or(stop)));
            }
        }
        Entries { lines, spans }
    }

    /// 1-based line where entry `index` starts.
    pub(crate) fn start(&self, index: usize) -> Option<usize> {
        self.spans.get(index).map(|&(start, _)| start + 1)
    }

    /// 1-based line of `field` in entry `index`, if the entry sets it.
    pub(crate) fn own_field(&self, index: usize, field: &str) -> Option<usize> {
        let &(start, end) = self.spans.get(index)?;
        (start..end)
            .find(|&i| {
                let l = self.lines[i]
                    .trim_start()
                    .trim_start_matches("- ")
                    .trim_start();
                l.strip_prefix(field).is_some_and(|r| {
                    let r = r.trim_start();
                    r.starts_with('=') || r.starts_with(':')
                })
            })
            .map(|i| i + 1)
    }

    /// 1-based line of `field` in entry `index`, else of the entry's first line.
    #[cfg(test)]
    fn field(&self, index: usize, field: &str) -> Option<usize> {
        self.own_field(index, field).or_else(|| self.start(index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_line(front_matter: &str, array: &str, index: usize, field: &str) -> Option<usize> {
        Entries::new(front_matter, array).field(index, field)
    }

    #[test]
    fn locates_evidence_fields_in_toml_and_yaml() {
        let toml = "claim = \"x\"\n\n[[evidence]]\nsource = \"a\"\nquote = \"q1\"\n\n[[evidence]]\nsource = \"b\"\nquote = \"q2\"\n";
        assert_eq!(field_line(toml, "evidence", 0, "quote"), Some(5));
        assert_eq!(field_line(toml, "evidence", 1, "quote"), Some(9));
        assert_eq!(field_line(toml, "evidence", 1, "note"), Some(7));
        assert_eq!(field_line(toml, "evidence", 2, "quote"), None);
        let yaml = "claim: x\nevidence:\n  - source: a\n    quote: q1\n  - source: b\n    stance: supports\n    quote: q2\ntags: []\n";
        assert_eq!(field_line(yaml, "evidence", 0, "quote"), Some(4));
        assert_eq!(field_line(yaml, "evidence", 1, "quote"), Some(7));
        assert_eq!(field_line(yaml, "evidence", 1, "source"), Some(5));
        assert_eq!(locate_key(yaml, "tags"), Some(8));
        let variants = "claim = \"x\"\n[[ evidence ]] # first\nsource = \"a\"\nquote = \"q1\"\n";
        assert_eq!(field_line(variants, "evidence", 0, "quote"), Some(4));
        let inline = "claim = \"x\"\nevidence = [\n  { source = \"a\", quote = \"q1\" },\n  {source = \"b\", stance = \"supports\"},\n]\ntags = []\n";
        assert_eq!(field_line(inline, "evidence", 0, "quote"), Some(3));
        assert_eq!(field_line(inline, "evidence", 1, "source"), Some(4));
        assert_eq!(field_line(inline, "evidence", 2, "source"), None);
        let dash = "evidence:\n  -\n    source: a\n    quote: q\n";
        assert_eq!(field_line(dash, "evidence", 0, "quote"), Some(4));
    }
}
