//! Reuse of what a document's page is made from, kept in the cache
//! folder between builds, so that a build into a folder holding the previous
//! site renders again only the pages whose inputs changed.
//!
//! A page of a document (a claim's page and share image, a source's page)
//! shows that document and the documents it depends on: the sources a claim
//! cites or appears in, the claims citing a source or appearing in it, and
//! the documents its Markdown links to (the same relation, read the other
//! way, as [`Site::dependents`], by which `serve` renders again what an edit
//! touches). Its **input fingerprint** hashes the text of each of those
//! documents, by id, with the **global fingerprint**: the factbrief binary
//! (its size and modification time, so a new build of it never reuses a
//! page), the build's options, the values every page shows (`site` of the
//! templates), `content/_index.md` and every free page, and the theme's
//! templates and the words of the briefing's language (their fingerprints).
//! The pages of the matrix and of each outlet are known the same way, by
//! the input fingerprints of the documents each shows (see `matrix_inputs`,
//! `outlet_inputs`): filling them was the costliest of the lists.
//!
//! Every other page rendered with a template (the lists, the taxonomy and
//! search pages, the front page, free pages) is known by the fingerprint of
//! its template context ([`super::fingerprint`]): what it would be rendered
//! from (`claimreview.json`, made without a template, by that of the values
//! it is written from). That needs the context filled (though not converted for Tera nor
//! rendered), so it is decided while rendering ([`super::Kept::in_folder`]);
//! after a claim edit a few lists of the 10,000-source briefing change, and
//! the other 870 are kept.
//!
//! The file `pages-v2` of the cache folder lists, for each such page, its
//! input fingerprint (for a page of another kind, its context's), the
//! content hash of the file written for it (as in the output folder's
//! manifest), whether it has highlighted code, and for a claim's or a
//! source's page the fingerprint of the document's card, when a build made
//! it (see `Shown` in the fingerprint module). A card shows nothing its page's
//! inputs do not cover, so the next build knows the card of a document whose
//! inputs are the same without making it: a list of such cards is
//! fingerprinted from theirs alone. A page is reused, not
//! rendered, only when its fingerprint is the same, the global fingerprint
//! is the same, and the output folder's manifest vouches that the file
//! there is the one written for it ([`crate::write::Writer::keep`]);
//! anything else renders it. The file is replaced after each successful
//! build; one that is missing, of another version or unreadable is
//! ignored, and is safe to delete.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::Path;

use rayon::prelude::*;

use super::page::{List, Page};
use super::theme::Theme;
use super::view::Pager;
use crate::hash::{parse_hex, program_stamp, push_hex, Fields};
use crate::link::Site;
use crate::load::{DocId, Kind};

/// The name of the file in the cache folder (its version is in the name and in its first line).
pub const FILE: &str = "pages-v2";
const HEADER: &str = "factbrief page fingerprints, version 2";
/// The file of the version before, removed when this one is written.
const OLDER: &str = "pages-v1";

/// What the last build made of each page known by its inputs (a document's,
/// the matrix's, an outlet's), and of each other page by its context.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reuse {
    /// The global fingerprint they were made with.
    pub global: u128,
    /// By output path.
    pub pages: HashMap<String, Entry>,
}

/// What a build made of one page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// Its input fingerprint.
    pub input: u128,
    /// The content hash of the file written for it.
    pub output: u128,
    /// It has highlighted code (and so needs `syntax.css`).
    pub code: bool,
    /// For a claim's or a source's page, the fingerprint of the document's
    /// card, made from the same inputs, if it was made.
    pub card: Option<u128>,
}

impl Reuse {
    /// The fingerprints kept in the cache folder `dir`; `None` if there are
    /// none, or the file is of another version or does not read whole.
    pub fn read(dir: &Path) -> Option<Reuse> {
        let text = fs::read_to_string(dir.join(FILE)).ok()?;
        let mut lines = text.lines();
        if lines.next()? != HEADER {
            return None;
        }
        let global = parse_hex(lines.next()?.strip_prefix("global ")?)?;
        let mut pages = HashMap::new();
        let mut ended = false;
        for line in lines {
            if line == "end" {
                ended = true;
                break;
            }
            let mut parts = line.splitn(5, ' ');
            let input = parse_hex(parts.next()?)?;
            let output = parse_hex(parts.next()?)?;
            let code = match parts.next()? {
                "0" => false,
                "1" => true,
                _ => return None,
            };
            let card = match parts.next()? {
                "-" => None,
                print => Some(parse_hex(print)?),
            };
            let path = parts.next()?;
            pages.insert(
                path.to_owned(),
                Entry {
                    input,
                    output,
                    code,
                    card,
                },
            );
        }
        // A file cut short is not read at all.
        ended.then_some(Reuse { global, pages })
    }

    /// The pages other than documents' (lists, free pages, the front page:
    /// those not in `documents`, this build's entries of documents' pages),
    /// by the fingerprint of their template context, with the content hash
    /// of the file written for each: see [`super::Kept::in_folder`].
    pub fn listings(&self, documents: Option<&Reuse>) -> HashMap<String, (u128, u128)> {
        let Some(documents) = documents else {
            return HashMap::new();
        };
        (self.pages.iter())
            .filter(|(path, _)| !documents.pages.contains_key(*path))
            .map(|(path, e)| (path.clone(), (e.input, e.output)))
            .collect()
    }

    /// Keep them in the cache folder `dir` (whole, under a temporary name,
    /// then renamed over the last ones).
    pub fn write(&self, dir: &Path) -> io::Result<()> {
        let mut paths: Vec<(&String, &Entry)> = self.pages.iter().collect();
        paths.sort_by(|a, b| a.0.cmp(b.0));
        let mut text = format!("{HEADER}\nglobal {:032x}\n", self.global);
        for (path, e) in paths {
            push_hex(&mut text, e.input);
            text.push(' ');
            push_hex(&mut text, e.output);
            text.push_str(if e.code { " 1 " } else { " 0 " });
            match e.card {
                Some(print) => push_hex(&mut text, print),
                None => text.push('-'),
            }
            text.push(' ');
            text.push_str(path);
            text.push('\n');
        }
        text.push_str("end\n");
        crate::write::replace_file(dir, FILE, text.as_bytes())?;
        crate::cache_file::remove_older(dir, OLDER);
        Ok(())
    }
}

/// The global fingerprint of a build of `site` (see the module
/// documentation); `options` names the build's options that change pages.
/// None when the values every page shows cannot be written (nothing is reused).
pub fn global(site: &Site, theme: &Theme, options: &str) -> Option<u128> {
    let mut h = Fields::default();
    h.add(HEADER.as_bytes());
    h.add(program_stamp().as_bytes());
    h.add(options.as_bytes());
    // What every page shows (a change there, such as a first correction,
    // changes every page), with the theme's templates and words.
    h.add(&super::globals_hash(site, theme)?.to_le_bytes());
    h.add(site.content.index.text.as_bytes());
    for (id, page) in site.content.pages.iter() {
        h.add(id.as_bytes());
        h.add(page.text.as_bytes());
    }
    Some(h.finish())
}

/// The input fingerprint of every page of a document (claims' pages and
/// share images, sources' pages), and of the pages of the matrix and of each
/// outlet (made of those of the documents they show), given the global
/// fingerprint.
pub fn inputs(site: &Site, global: u128) -> HashMap<Page, u128> {
    let content = &site.content;
    // Each document's text, hashed once (in parallel: it is all the content;
    // a source whose body was left on disk has its hash from loading).
    let claims: Vec<_> = content.claims.iter().collect();
    let sources: Vec<_> = content.sources.iter().collect();
    let claim_hashes: HashMap<&str, u128> = claims
        .par_iter()
        .map(|(id, d)| (id.as_str(), d.text_hash()))
        .collect();
    let source_hashes: HashMap<&str, u128> = sources
        .par_iter()
        .map(|(id, d)| (id.as_str(), d.text_hash()))
        .collect();
    // A document with no hash (the index, a free page, a draft) is in the global fingerprint.
    let hash_of = |kind: Kind, id: &str| match kind {
        Kind::Claim => claim_hashes.get(id).copied(),
        Kind::Source => source_hashes.get(id).copied(),
        Kind::Page => None,
    };
    // The claims appearing in each source.
    let mut appearing: HashMap<&str, Vec<&str>> = HashMap::new();
    for (claim, linked) in site.claims.iter() {
        for s in &linked.appears_in {
            appearing
                .entry(s.as_str())
                .or_default()
                .push(claim.as_str());
        }
    }
    let docs: Vec<DocId> = (claims.iter().map(|(id, _)| DocId::claim((*id).clone())))
        .chain(sources.iter().map(|(id, _)| DocId::source((*id).clone())))
        .collect();
    let mut inputs = docs
        .into_par_iter()
        .flat_map_iter(|doc| {
            let DocId::Doc(own_kind, own) = &doc else {
                return Vec::new();
            };
            // The documents it depends on: itself, those it shows, those it links to.
            let mut deps: Vec<(Kind, &str)> = vec![(*own_kind, own.as_str())];
            match own_kind {
                Kind::Claim => {
                    if let Some(c) = site.claims.get(own) {
                        deps.extend(c.evidence.iter().map(|e| (Kind::Source, e.source.as_str())));
                        deps.extend(c.appears_in.iter().map(|s| (Kind::Source, s.as_str())));
                    }
                }
                Kind::Source => {
                    if let Some(s) = site.sources.get(own) {
                        deps.extend(s.citations.iter().map(|c| (Kind::Claim, c.claim.as_str())));
                    }
                    if let Some(claims) = appearing.get(own.as_str()) {
                        deps.extend(claims.iter().map(|c| (Kind::Claim, *c)));
                    }
                }
                Kind::Page => {}
            }
            // (The index, linked to, is in the global fingerprint.)
            let targets = site.links.get(&doc).into_iter().flat_map(|r| &r.targets);
            deps.extend(targets.filter_map(|t| match t {
                DocId::Doc(kind, id) => Some((*kind, id.as_str())),
                DocId::Index => None,
            }));
            deps.sort_unstable();
            deps.dedup();
            let mut h = Fields::default();
            h.add(&global.to_le_bytes());
            for (kind, id) in deps {
                h.add(kind.key().as_bytes())
                    .add(id.as_bytes())
                    .add(&hash_of(kind, id).unwrap_or_default().to_le_bytes());
            }
            let input = h.finish();
            Page::of_doc(&doc)
                .into_iter()
                .map(|page| (page, input))
                .collect::<Vec<_>>()
        })
        .collect::<HashMap<Page, u128>>();
    let docs = docs_inputs_of(&inputs);
    let lists: Vec<(Page, u128)> = (matrix_inputs(site, global, &docs).into_iter())
        .chain(outlet_inputs(site, global, &docs))
        .collect();
    inputs.extend(lists);
    inputs
}

/// Add to `h` the document `id` of kind `kind` with its input fingerprint
/// (0 for one that has none: not in the briefing).
fn add_doc(h: &mut Fields, docs: &HashMap<(Kind, &str), u128>, kind: Kind, id: &str) {
    let input = docs.get(&(kind, id)).copied().unwrap_or_default();
    h.add(kind.key().as_bytes())
        .add(id.as_bytes())
        .add(&input.to_le_bytes());
}

/// The input fingerprint of each page of each outlet (see
/// [`super::pages::outlet`]): it shows the outlet's name (which its other
/// sources help decide), the sources of its page of the outlet's list, in
/// that order, each with the claims citing it in the claims list's order;
/// so it is made of that name, those sources' and claims' pages' inputs,
/// which page of how many it is, and the global fingerprint.
fn outlet_inputs(
    site: &Site,
    global: u128,
    docs: &HashMap<(Kind, &str), u128>,
) -> Vec<(Page, u128)> {
    let t = &site.taxonomies;
    let mut out = Vec::new();
    for (slug, term) in t.outlets.iter() {
        let list = List::Outlet(slug.clone());
        let total = list.pages(site).unwrap_or(1);
        for n in 1..=total {
            let mut h = Fields::default();
            h.add(&global.to_le_bytes())
                .add(b"outlet")
                .add(slug.as_bytes())
                .add(term.name.as_bytes())
                .add(&(n as u64).to_le_bytes())
                .add(&(total as u64).to_le_bytes())
                .add(&(term.items.len() as u64).to_le_bytes());
            for id in page_of(site, &term.items, n) {
                add_doc(&mut h, docs, Kind::Source, id);
                let citing = (site.sources.get(id).into_iter())
                    .flat_map(|s| s.citations.iter().map(|c| c.claim.as_str()));
                let claims = t.in_claim_order(citing);
                h.add(&(claims.len() as u64).to_le_bytes());
                for c in claims {
                    add_doc(&mut h, docs, Kind::Claim, c);
                }
            }
            out.push((Page::List(list.clone(), n), h.finish()));
        }
    }
    out
}

/// The items of page `n` of a list of `all` in `site`, as the list's page
/// shows them (the pager its module makes).
fn page_of<'a, T>(site: &Site, all: &'a [T], n: usize) -> &'a [T] {
    Pager::new(n, all.len(), site.settings.paginate_by, |_| String::new()).slice(all)
}

/// The input fingerprint of each document, by kind and id, of the inputs of
/// their pages.
fn docs_inputs_of(inputs: &HashMap<Page, u128>) -> HashMap<(Kind, &str), u128> {
    (inputs.iter())
        .filter_map(|(page, &input)| match page {
            Page::Claim(id) => Some(((Kind::Claim, id.as_str()), input)),
            Page::Source(id) => Some(((Kind::Source, id.as_str()), input)),
            _ => None,
        })
        .collect()
}

/// The input fingerprint of each page of the matrix (see
/// [`super::pages::matrix`]): it shows the claims of its page of the claims
/// list, in that order, with the stances of their evidence, and the cards of
/// the sources they cite, sorted by their dates; so it is made of those
/// claims' and sources' pages' inputs (a source's card counts every claim
/// citing it, which its page's inputs cover), which page of how many it is,
/// and the global fingerprint (the words, `paginate_by`).
fn matrix_inputs(
    site: &Site,
    global: u128,
    docs: &HashMap<(Kind, &str), u128>,
) -> Vec<(Page, u128)> {
    let all = &site.taxonomies.claims;
    let total = List::Matrix.pages(site).unwrap_or(1);
    (1..=total)
        .map(|n| {
            let mut h = Fields::default();
            h.add(&global.to_le_bytes())
                .add(b"matrix")
                .add(&(n as u64).to_le_bytes())
                .add(&(total as u64).to_le_bytes())
                .add(&(all.len() as u64).to_le_bytes());
            let mut cited: Vec<&str> = Vec::new();
            for id in page_of(site, all, n) {
                add_doc(&mut h, docs, Kind::Claim, id);
                if let Some(c) = site.claims.get(id) {
                    cited.extend(c.evidence.iter().map(|e| e.source.as_str()));
                }
            }
            cited.sort_unstable();
            cited.dedup();
            for s in cited {
                add_doc(&mut h, docs, Kind::Source, s);
            }
            (Page::List(List::Matrix, n), h.finish())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Reuse {
        let mut pages = HashMap::new();
        pages.insert(
            "claims/a b/index.html".to_owned(),
            Entry {
                input: 1,
                output: u128::MAX,
                code: true,
                card: Some(9),
            },
        );
        pages.insert(
            "sources/s/index.html".to_owned(),
            Entry {
                input: 2,
                output: 3,
                code: false,
                card: None,
            },
        );
        Reuse { global: 7, pages }
    }

    #[test]
    fn fingerprints_read_back_what_was_written() {
        let dir = tempfile::tempdir().unwrap();
        sample().write(dir.path()).unwrap();
        assert_eq!(Reuse::read(dir.path()), Some(sample()));
    }

    #[test]
    fn a_file_cut_short_of_another_version_or_corrupt_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        sample().write(dir.path()).unwrap();
        let text = fs::read_to_string(dir.path().join(FILE)).unwrap();
        let cut = &text[..text.len() - "end\n".len()];
        let older = text.replace("version 2", "version 1");
        let corrupt = text.replacen(" 1 0", " x 0", 1);
        let bad_card = text.replacen(" - sources", " x sources", 1);
        for bad in [cut, &older, &corrupt, &bad_card, "", "garbage\n"] {
            fs::write(dir.path().join(FILE), bad).unwrap();
            assert_eq!(Reuse::read(dir.path()), None, "{bad:?}");
        }
    }
}
