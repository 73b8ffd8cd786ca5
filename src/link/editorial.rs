//! Editorial checks: things that are not wrong enough to stop a build but that
//! an editor should look at before publishing. All are warnings.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::{quote::Normalized, LinkedClaim, Settings};
use crate::diagnostic::Code;
use crate::diagnostic::Diagnostic;
use crate::load::{ClaimMeta, Document, SourceMeta, Stance};

/// What `factbrief import` and `new` write in fields only the editor can fill.
pub const UNFILLED: &str = "FILL IN";

/// The editorial warnings of one claim, added to `out`. `source_doc` gives the
/// document of a source the claim cites, `words_of` the words of a source named in `appears_in`.
pub(crate) fn claim_warnings<'w>(
    doc: &Document<ClaimMeta>,
    linked: &LinkedClaim,
    settings: &Settings,
    source_doc: &dyn Fn(&str) -> Option<Arc<Document<SourceMeta>>>,
    words_of: &dyn Fn(&str) -> Option<&'w HashSet<String>>,
    out: &mut Vec<Diagnostic>,
) {
    let best = settings.scale.best;
    let spans = &doc.spans;

    // A verdict at odds with the evidence.
    let has = |s: Stance| linked.evidence.iter().any(|e| e.stance == s);
    if let Some(verdict) = settings.scale.get(&linked.verdict) {
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
                    .at_line(spans.key_or_start("verdict"))
                    .with_help("check the verdict, or the stance of each evidence entry"),
                );
            }
        }
    }

    // No quoted evidence at all.
    if !doc.meta.evidence.is_empty() && doc.meta.evidence.iter().all(|e| e.quote.is_none()) {
        out.push(
                Diagnostic::warning(Code::NoQuotedEvidence, &doc.file, "no evidence entry quotes its source")
                    .at_line(spans.key_or_start("evidence"))
                    .with_help("add a `quote` to the evidence, so readers can see the passage the verdict rests on"),
            );
    }

    // Each passage cited, with the (1-based) evidence entry that cited it first.
    let mut cited: HashMap<(&str, usize, usize), usize> = HashMap::new();
    for e in &linked.evidence {
        let Some(source) = source_doc(&e.source) else {
            continue;
        };
        let quote_line = || spans.entry(e.n - 1, "quote");
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
                        .at_line(quote_line())
                        .with_help("quote a few more words so the passage is the one meant"),
                    );
            }
            // The same passage cited twice.
            let first = *cited
                .entry((&e.source, p.range.start, p.range.end))
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
                    .at_line(quote_line())
                    .with_label(spans.entry(first - 1, "quote"), "first cited here")
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
                        .at_line(spans.key("reviewed").unwrap_or_else(|| spans.key_or_start("evidence")))
                        .with_help("check both dates: `reviewed` of the claim (or `published` of the briefing) and `published` of the source"),
                    );
            }
        }
    }

    // appears_in a source that does not contain the claim's words.
    let words = content_words(&doc.meta.claim);
    for s in &linked.appears_in {
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
                            s,
                            words.len()
                        ),
                    )
                    .at_line(spans.key_or_start("appears_in"))
                    .with_help("check that the claim appears in that source, or word the claim as the source does"),
                );
        }
    }
    unfilled(doc, out);
}

/// The warning for a source no claim cites or names.
pub(crate) fn uncited(doc: &Document<SourceMeta>) -> Diagnostic {
    Diagnostic::warning(Code::UncitedSource, &doc.file, "no claim cites this source")
        .with_help("cite it from a claim's evidence, or remove it from the briefing")
}

/// Warn about every front-matter line of `doc` still holding the [`UNFILLED`] marker.
pub(crate) fn unfilled<M>(doc: &Document<M>, diags: &mut Vec<Diagnostic>) {
    let (file, front_matter, first_line) = (&doc.file, doc.front_matter(), doc.front_matter_line());
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

    #[test]
    fn words_are_compared_loosely() {
        assert_eq!(
            content_words("Russia's troops, the troop build-up; Hours"),
            vec!["russia", "troop", "build", "hour"]
        );
    }
}
