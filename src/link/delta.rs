//! Relinking after only claims changed. The site is patched in place: an edit
//! of one claim costs work for that claim and the sources it cites, not for
//! the whole briefing. Anything else (a source, a page, a claim added or
//! removed) goes through the full [`super::link_cached`].

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use super::{
    claim_texts, editorial, link_claim, markdown, quote, quote_empty, quote_missing, resolve_link,
    scan_links, CachedSource, DocRef, LinkCache, Outcome, Passage, PassageRef, Site,
};
use crate::diagnostic::Code;
use crate::diagnostic::{Diagnostic, Diagnostics, Result};
use crate::load::front_matter::LineIndex;
use crate::load::{id::passage_name, Content, Entries};
use crate::markdown::Trust;

/// Whether `content` differs from the site's only in the documents of existing claims.
pub fn only_claims_changed(site: &Site, content: &Content) -> bool {
    let old = &site.content;
    Arc::ptr_eq(&old.index, &content.index)
        && old.sources.len() == content.sources.len()
        && old
            .sources
            .iter()
            .zip(&content.sources)
            .all(|(a, b)| Arc::ptr_eq(a, b))
        && old.pages.len() == content.pages.len()
        && old
            .pages
            .iter()
            .zip(&content.pages)
            .all(|(a, b)| Arc::ptr_eq(a, b))
        && old.claims.len() == content.claims.len()
        && old
            .claims
            .iter()
            .zip(&content.claims)
            .all(|(a, b)| a.id == b.id)
        && old.drafts == content.drafts
        && old.unreadable == content.unreadable
}

/// Patch `site` for the claims of `content` that changed (by id); `warnings` are
/// those of the last link. Returns the new warnings, or every problem if there is an error.
pub fn relink_claims(
    site: &mut Site,
    content: Content,
    changed: &[String],
    cache: &mut LinkCache,
    warnings: &[Diagnostic],
) -> Result<Vec<Diagnostic>> {
    let mut diags = Diagnostics::default();
    let changed: Vec<usize> = changed
        .iter()
        .filter_map(|id| content.claims.binary_search_by(|d| d.id.cmp(id)).ok())
        .collect();
    let mut affected: BTreeSet<usize> = BTreeSet::new();
    let source_of = |id: &str| {
        content
            .sources
            .binary_search_by(|d| d.id.as_str().cmp(id))
            .ok()
    };
    for &i in &changed {
        let old = site.claims[i].clone();
        let doc = &content.claims[i];
        let mut linked = link_claim(doc, &content, &site.settings, &source_of, &mut diags);

        // Citations of the sources the claim cited and cites, in (claim, evidence) order.
        affected.extend(
            old.evidence
                .iter()
                .map(|e| e.source)
                .chain(old.appears_in.iter().copied()),
        );
        affected.extend(
            linked
                .evidence
                .iter()
                .map(|e| e.source)
                .chain(linked.appears_in.iter().copied()),
        );
        for &s in &affected {
            site.sources[s].citations.retain(|&(c, _)| c != i);
        }
        for (e, ev) in linked.evidence.iter().enumerate() {
            let citations = &mut site.sources[ev.source].citations;
            let at = citations.partition_point(|&ce| ce < (i, e));
            citations.insert(at, (i, e));
        }

        // Passages: the claim's old ones go, its quotes are found again.
        let old_names: HashSet<&str> = old
            .evidence
            .iter()
            .filter_map(|e| e.passage.as_ref().map(|p| p.name.as_str()))
            .collect();
        for &s in &affected {
            site.sources[s]
                .passages
                .retain(|p| !old_names.contains(p.name.as_str()));
        }
        let mut entries: Option<Entries> = None;
        for ev in linked.evidence.iter_mut() {
            let Some(q) = doc.meta.evidence[ev.n - 1].quote.as_deref() else {
                continue;
            };
            let mut line = || {
                entries
                    .get_or_insert_with(|| Entries::new(&doc.front_matter, "evidence"))
                    .field(ev.n - 1, "quote")
                    .unwrap_or(1)
            };
            match quote_outcome(cache, &content, ev.source, q) {
                Outcome::Found(range, occurrences) => {
                    let name = passage_name(&doc.id, ev.n);
                    site.sources[ev.source].passages.push(Passage {
                        name: name.clone(),
                        range: range.clone(),
                    });
                    ev.passage = Some(PassageRef {
                        name,
                        occurrences,
                        range,
                    });
                }
                Outcome::Missing(closest) => {
                    let l = line();
                    diags.push(quote_missing(
                        doc,
                        ev.n,
                        l,
                        &content.sources[ev.source],
                        closest,
                    ));
                }
                Outcome::Empty => {
                    let l = line();
                    diags.push(quote_empty(doc, ev.n, l));
                }
            }
        }
        for &s in &affected {
            site.sources[s]
                .passages
                .sort_by(|a, b| (a.range.start, &a.name).cmp(&(b.range.start, &b.name)));
        }

        // Links in the claim's Markdown.
        site.links.remove(&DocRef::Claim(i));
        let mut jobs = Vec::new();
        claim_texts(i, doc, &mut jobs);
        let uses = scan_links(&jobs);
        cache.claims.insert(
            doc.id.clone(),
            (
                doc.clone(),
                uses.iter()
                    .map(|u| (u.dest.clone(), u.line, u.column))
                    .collect(),
            ),
        );
        for u in uses {
            match resolve_link(&u, &content) {
                Ok(Some(target)) => {
                    site.links
                        .entry(DocRef::Claim(i))
                        .or_default()
                        .insert(target);
                }
                Ok(None) => {}
                Err(d) => diags.push(d),
            }
        }

        // Editorial warnings, with the words of the sources the claim appears in.
        let words: HashMap<usize, Arc<HashSet<String>>> = linked
            .appears_in
            .iter()
            .filter_map(|&s| source_words(cache, &content, s).map(|w| (s, w)))
            .collect();
        diags.extend(editorial::claim_warnings(
            doc,
            &linked,
            &content,
            &site.settings,
            &|s| words.get(&s).cloned(),
        ));
        site.claims[i] = linked;
    }

    // Sources that may have lost or gained their last citation.
    for &s in &affected {
        let named = site.claims.iter().any(|c| c.appears_in.contains(&s));
        if site.sources[s].citations.is_empty() && !named {
            diags.push(editorial::uncited(&content.sources[s]));
        }
    }
    // The other warnings stay as they were.
    let claim_files: HashSet<&std::path::Path> = changed
        .iter()
        .map(|&i| content.claims[i].file.as_path())
        .collect();
    let source_files: HashSet<&std::path::Path> = affected
        .iter()
        .map(|&s| content.sources[s].file.as_path())
        .collect();
    diags.extend(
        warnings
            .iter()
            .filter(|d| !claim_files.contains(d.file.as_path()))
            .filter(|d| !(d.code == Code::UncitedSource && source_files.contains(d.file.as_path())))
            .cloned(),
    );
    site.content = content;
    diags.into_result()
}

/// The source's cache entry, made if it has none for this document.
fn entry<'c>(cache: &'c mut LinkCache, content: &Content, s: usize) -> &'c mut CachedSource {
    let doc = &content.sources[s];
    let fresh = cache
        .sources
        .get(&doc.id)
        .is_none_or(|c| !Arc::ptr_eq(&c.doc, doc));
    if fresh {
        let scan = markdown::scan(&doc.body, Trust::Untrusted, true);
        let index = LineIndex::new(&doc.body);
        let links = scan.links.into_iter().map(|(dest, off)| {
            let (line, column) = index.line_col(off);
            (dest, line, column)
        });
        cache.sources.insert(
            doc.id.clone(),
            CachedSource {
                doc: doc.clone(),
                links: links.collect(),
                text: Some(Arc::new(scan.text)),
                words: None,
                quotes: HashMap::new(),
            },
        );
    }
    let e = cache.sources.get_mut(&doc.id).expect("inserted above");
    if e.text.is_none() {
        e.text = Some(Arc::new(
            markdown::scan(&doc.body, Trust::Untrusted, true).text,
        ));
    }
    e
}

/// What quote `q` comes to in source `s`, from the cache when it has been asked before.
fn quote_outcome(cache: &mut LinkCache, content: &Content, s: usize, q: &str) -> Outcome {
    let e = entry(cache, content, s);
    if let Some(o) = e.quotes.get(q) {
        return o.clone();
    }
    let text = e.text.clone().unwrap_or_default();
    let o = if quote::Normalized::new(q).text.is_empty() {
        Outcome::Empty
    } else {
        let hay = quote::Normalized::new(&text);
        match quote::find(&text, &hay, q) {
            Some((range, n)) => Outcome::Found(range, n),
            None => Outcome::Missing(quote::closest(&text, &hay, q)),
        }
    };
    e.quotes.insert(q.to_owned(), o.clone());
    o
}

/// The words of source `s`, for the appears_in check.
fn source_words(
    cache: &mut LinkCache,
    content: &Content,
    s: usize,
) -> Option<Arc<HashSet<String>>> {
    let e = entry(cache, content, s);
    if e.words.is_none() {
        let text = e.text.clone().unwrap_or_default();
        e.words = Some(Arc::new(
            editorial::content_words(&text).into_iter().collect(),
        ));
    }
    e.words.clone()
}
