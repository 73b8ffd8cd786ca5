//! `matrix/`: claims against the sources they cite, a page of claims at a time
//! (in the claims list's order), each page with the sources its claims cite.

use std::collections::BTreeMap;

use super::super::view::{MatrixCell, MatrixRow, ShownSource};
use super::super::{doc_dir, List, PageCx};
use crate::load::Kind;

/// Above this many cited sources the matrix is a list per claim rather than a grid.
const MATRIX_GRID_MAX_COLUMNS: usize = 20;

pub(in crate::render) fn fill(cx: &mut PageCx, n: usize) {
    let title = cx.t("matrix_title");
    cx.meta(&title, None, "matrix");
    let site = cx.site();
    let t = &site.taxonomies;
    let pager = cx.paginate(&List::Matrix, n, t.claims.len());
    let claim_ids = pager.slice(&t.claims);
    let cards = cx.cards();
    let root = cx.root.clone();
    let c = &site.content;
    // Sorted by date, each source looked up once (not at each comparison).
    let by_date = |ids: &mut Vec<&str>| {
        ids.sort_by_cached_key(|id| (c.sources.get(*id).map(|d| d.meta.published), *id));
    };
    let mut cited: Vec<&str> = claim_ids
        .iter()
        .filter_map(|id| site.claims.get(id))
        .flat_map(|c| c.evidence.iter().map(|e| e.source.as_str()))
        .filter(|s| c.sources.contains_key(*s))
        .collect();
    cited.sort_unstable();
    cited.dedup();
    by_date(&mut cited);
    let grid = cited.len() <= MATRIX_GRID_MAX_COLUMNS;
    let rows: Vec<MatrixRow> = claim_ids
        .iter()
        .filter_map(|id| Some((id, site.claims.get(id)?)))
        .map(|(id, claim)| {
            // Stances and first passage per cited source, in the claim's order.
            let mut per_source: BTreeMap<&str, (Vec<&'static str>, Option<&str>)> = BTreeMap::new();
            for e in &claim.evidence {
                let entry = per_source.entry(e.source.as_str()).or_default();
                if !entry.0.contains(&e.stance.key()) {
                    entry.0.push(e.stance.key());
                }
                if entry.1.is_none() {
                    entry.1 = e.passage.as_ref().map(|p| p.name.as_str());
                }
            }
            let cell = |s: &str| {
                let (stances, anchor) = per_source.get(s).cloned().unwrap_or_default();
                // (The card's path, without making the card.)
                let path = doc_dir(Kind::Source, s);
                MatrixCell {
                    source: cards.source(s),
                    href: match anchor {
                        Some(a) => format!("{root}{path}#{a}"),
                        None => format!("{root}{path}"),
                    },
                    stances,
                }
            };
            let cells = if grid {
                cited.iter().map(|s| cell(s)).collect()
            } else {
                let mut srcs: Vec<&str> = per_source.keys().copied().collect();
                by_date(&mut srcs);
                srcs.into_iter().map(cell).collect()
            };
            MatrixRow {
                claim: cards.claim(id),
                cells,
            }
        })
        .collect();
    let columns: Vec<&ShownSource> = if grid {
        cited.iter().map(|s| cards.source(s)).collect()
    } else {
        Vec::new()
    };
    cx.insert("layout", if grid { "grid" } else { "list" });
    cx.insert("columns", &columns);
    cx.insert("rows", &rows);
}
