//! Editorial checks: things that are not wrong enough to stop a build but that
//! an editor should look at before publishing. All are warnings.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::{quote::Normalized, LinkedClaim, LinkedSource, Settings};
use crate::diagnostic::Code;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::{locate_key, ClaimMeta, Content, Document, Entries, SourceMeta, Stance};

/// What `factbrief import` and `new` write in fields only the editor can fill.
pub const UNFILLED: &str = "FILL IN";

/// Run every editorial check. `words_of` holds the words of sources named in some `appears_in`.
pub fn check(
    content: &Content,
    settings: &Settings,
    claims: &[LinkedClaim],
    sources: &[LinkedSource],
    words_of: &[Option<std::sync::Arc<HashSet<String>>>],
    diags: &mut Diagnostics,
) {
    let mut appears_anywhere = vec![false; content.sources.len()];
    for linked in claims {
        for &s in &linked.appears_in {
            appears_anywhere[s] = true;
        }
    }
    // Claims are checked in parallel; their warnings keep the claims' order.
    let words = |s: usize| words_of.get(s).cloned().flatten();
    let per_claim: Vec<Vec<Diagnostic>> = content
        .claims
        .par_iter()
        .zip(claims)
        .map(|(doc, linked)| claim_warnings(doc, linked, content, settings, &words))
        .collect();
    for d in per_claim {
        diags.extend(d);
    }

    for (s, (doc, linked)) in content.sources.iter().zip(sources).enumerate() {
        if linked.citations.is_empty() && !appears_anywhere[s] {
            diags.push(uncited(doc));
        }
        let mut out = Vec::new();
        unfilled(
            &doc.file,
            &doc.front_matter,
            doc.front_matter_line,
            &mut out,
        );
        diags.extend(out);
    }
}

/// The editorial warnings of one claim. `words_of` gives the words of a source named in `appears_in`.
pub(crate) fn claim_warnings(
    doc: &Document<ClaimMeta>,
    linked: &LinkedClaim,
    content: &Content,
    settings: &Settings,
    words_of: &(dyn Fn(usize) -> Option<Arc<HashSet<String>>> + Sync),
) -> Vec<Diagnostic> {
    let best = settings.scale.best;
    let mut out: Vec<Diagnostic> = Vec::new();
    let fm_line = |rel: Option<usize>| doc.front_matter_line + rel.unwrap_or(1) - 1;

    // A verdict at odds with the evidence.
    let has = |s: Stance| linked.evidence.iter().any(|e| e.stance == s);
    if let Some(verdict) = settings.scale.verdicts.get(linked.verdict) {
        if let Some(r) = verdict.rating {
            let positive = 2 * r > best + 1;
            let negative = 2 * r < best + 1;
            let odd = if positive && !has(Stance::Supports) && has(Stance::Contradicts) {
                Some("only contradicting")
            } else if negative && !has(Stance::Contradicts) && has(Stance::Supports) {
                Some("only supporting")
            } else {
                None
            };
            if let Some(what) = odd {
                out.push(
                    Diagnostic::warning(
                        Code::VerdictVsEvidence,
                        &doc.file,
                        format!(
                            "the verdict is `{}` but the claim has {what} evidence",
                            verdict.key
                        ),
                    )
                    .at_line(fm_line(locate_key(&doc.front_matter, "verdict")))
                    .with_help("check the verdict, or the stance of each evidence entry"),
                );
            }
        }
    }

    // No quoted evidence at all.
    if !doc.meta.evidence.is_empty() && doc.meta.evidence.iter().all(|e| e.quote.is_none()) {
        out.push(
                Diagnostic::warning(Code::NoQuotedEvidence, &doc.file, "no evidence entry quotes its source")
                    .at_line(fm_line(locate_key(&doc.front_matter, "evidence")))
                    .with_help("add a `quote` to the evidence, so readers can see the passage the verdict rests on"),
            );
    }

    // Each passage cited, with the (1-based) evidence entry that cited it first.
    let mut cited: HashMap<(usize, usize, usize), usize> = HashMap::new();
    let mut entries: Option<Entries> = None;
    // The line of the quote of evidence entry `n` (1-based).
    let mut quote_line = |n: usize| {
        let entries = entries.get_or_insert_with(|| Entries::new(&doc.front_matter, "evidence"));
        fm_line(entries.field(n - 1, "quote"))
    };
    for e in &linked.evidence {
        let source = &content.sources[e.source];
        if let Some(p) = &e.passage {
            // A quote found more than once.
            if p.occurrences > 1 {
                out.push(
                        Diagnostic::warning(
                            Code::RepeatedQuote,
                            &doc.file,
                            format!(
                                "evidence {}: the quote occurs {} times in source `{}`; the first occurrence is linked",
                                e.n, p.occurrences, source.id
                            ),
                        )
                        .at_line(quote_line(e.n))
                        .with_help("quote a few more words so the passage is the one meant"),
                    );
            }
            // The same passage cited twice.
            let first = *cited
                .entry((e.source, p.range.start, p.range.end))
                .or_insert(e.n);
            if first != e.n {
                out.push(
                    Diagnostic::warning(
                        Code::DuplicateCitation,
                        &doc.file,
                        format!(
                            "evidence {}: the same passage of `{}` is cited twice by this claim",
                            e.n, source.id
                        ),
                    )
                    .at_line(quote_line(e.n))
                    .with_label(quote_line(first), "first cited here")
                    .with_help("remove one of the two entries, or merge their notes"),
                );
            }
        }
        // Reviewed before the source existed.
        if let Some(reviewed) = linked.reviewed {
            if reviewed.day() < source.meta.published.day() {
                out.push(
                        Diagnostic::warning(
                            Code::ReviewedBeforePublished,
                            &doc.file,
                            format!(
                                "the claim was reviewed on {} but cites `{}`, published on {}",
                                reviewed.iso(),
                                source.id,
                                source.meta.published.iso()
                            ),
                        )
                        .at_line(fm_line(locate_key(&doc.front_matter, "reviewed").or(locate_key(&doc.front_matter, "evidence"))))
                        .with_help("check both dates: `reviewed` of the claim (or `published` of the briefing) and `published` of the source"),
                    );
            }
        }
    }

    // appears_in a source that does not contain the claim's words.
    let words = content_words(&doc.meta.claim);
    for &s in &linked.appears_in {
        let Some(have) = words_of(s) else {
            continue;
        };
        if words.len() < 2 {
            continue;
        }
        let found = words.iter().filter(|w| have.contains(*w)).count();
        if found * 2 < words.len() {
            out.push(
                    Diagnostic::warning(
                        Code::NotInAppearance,
                        &doc.file,
                        format!(
                            "appears_in names `{}`, but it contains few of the claim's words ({found} of {})",
                            content.sources[s].id,
                            words.len()
                        ),
                    )
                    .at_line(fm_line(locate_key(&doc.front_matter, "appears_in")))
                    .with_help("check that the claim appears in that source, or word the claim as the source does"),
                );
        }
    }
    unfilled(
        &doc.file,
        &doc.front_matter,
        doc.front_matter_line,
        &mut out,
    );
    out
}

/// The warning for a source no claim cites or names.
pub(crate) fn uncited(doc: &Document<SourceMeta>) -> Diagnostic {
    Diagnostic::warning(Code::UncitedSource, &doc.file, "no claim cites this source")
        .with_help("cite it from a claim's evidence, or remove it from the briefing")
}

/// Warn about every front-matter line still holding the [`UNFILLED`] marker.
fn unfilled(
    file: &std::path::Path,
    front_matter: &str,
    first_line: usize,
    diags: &mut Vec<Diagnostic>,
) {
    if !front_matter.contains(UNFILLED) {
        return;
    }
    for (i, line) in front_matter.lines().enumerate() {
        if let Some(at) = line.find(UNFILLED) {
            let field = line.split(['=', ':']).next().unwrap_or("").trim();
            diags.push(
                Diagnostic::warning(
                    Code::UnfilledField,
                    file,
                    format!("`{field}` is still to be filled in"),
                )
                .at(first_line + i, line[..at].chars().count() + 1)
                .with_help(format!("replace the `{UNFILLED}` text with the real value")),
            );
        }
    }
}

/// Lower-case words of four letters or more, roughly stemmed, without common function words.
pub(crate) fn content_words(text: &str) -> Vec<String> {
    const STOP: &[&str] = &[
        "that", "this", "with", "from", "have", "were", "would", "their", "there", "they", "been",
        "about", "which", "after", "before", "into", "than", "when", "what", "said",
    ];
    let norm = Normalized::new(text).text.to_lowercase();
    let mut seen = HashSet::new();
    norm.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4 && !STOP.contains(w))
        .map(|w| w.trim_end_matches('s').to_owned())
        .filter(|w| seen.insert(w.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::content_words;
    use crate::diagnostic::{Code, Label};

    #[test]
    fn a_duplicate_citation_points_at_the_first_one() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let files = [
            ("content/_index.md", "+++\ntitle = \"T\"\n+++\n"),
            (
                "content/sources/report.md",
                "+++\ntitle = \"R\"\noutlet = \"W\"\npublished = 2021-12-30\n+++\n\nAround 100,000 troops massed.\n",
            ),
            (
                "content/claims/c.md",
                "+++\nclaim = \"x\"\nverdict = \"true\"\n\n[[evidence]]\nsource = \"report\"\nstance = \"supports\"\nquote = \"100,000 troops\"\n\n[[evidence]]\nsource = \"report\"\nstance = \"context\"\nnote = \"again\"\nquote = \"100,000  troops\"\n+++\nText.\n",
            ),
        ];
        for (path, text) in files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let (content, diags) =
            crate::load::load(root, &crate::load::LoadOptions { drafts: false }).unwrap();
        let (_, warnings) = crate::link::link(content, None, diags).unwrap();
        let d = warnings
            .iter()
            .find(|d| d.code == Code::DuplicateCitation)
            .unwrap_or_else(|| panic!("no duplicate-citation in {warnings:#?}"));
        assert_eq!(d.line, Some(14), "the second quote");
        assert_eq!(
            d.labels,
            [Label {
                line: 8,
                column: None,
                message: "first cited here".into()
            }]
        );
    }

    #[test]
    fn words_are_compared_loosely() {
        assert_eq!(
            content_words("Russia's troops, the troop build-up; Hours"),
            vec!["russia", "troop", "build", "hour"]
        );
    }
}
