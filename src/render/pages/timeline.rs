//! `timeline/index.html`: sources and claims by date.

use super::super::view::{DateView, TimelineDay, TimelineItem};
use super::super::PageCx;
use crate::load::Date;

pub(in crate::render) fn fill(cx: &mut PageCx) {
    cx.meta("Timeline", None, "timeline");
    let site = cx.site();
    let cards = cx.cards();
    let c = &site.content;
    let mut entries: Vec<(Date, u8, &str, TimelineItem)> = Vec::new();
    for (id, s) in c.sources.iter() {
        entries.push((
            s.meta.published,
            0,
            id,
            TimelineItem {
                kind: "source",
                source: Some(cards.source(id)),
                claim: None,
                date_is: "published",
            },
        ));
    }
    let mut undated = Vec::new();
    for (id, cl) in c.claims.iter() {
        let reviewed = site.claims.get(id).and_then(|l| l.reviewed);
        let (date, date_is) = match (cl.meta.claimed, reviewed) {
            (Some(d), _) => (d, "claimed"),
            (None, Some(d)) => (d, "reviewed"),
            (None, None) => {
                undated.push(TimelineItem {
                    kind: "claim",
                    source: None,
                    claim: Some(cards.claim(id)),
                    date_is: "unknown",
                });
                continue;
            }
        };
        entries.push((
            date,
            1,
            id,
            TimelineItem {
                kind: "claim",
                source: None,
                claim: Some(cards.claim(id)),
                date_is,
            },
        ));
    }
    entries.sort_by(|a, b| (a.0.day(), a.0, a.1, a.2).cmp(&(b.0.day(), b.0, b.1, b.2)));
    let mut days: Vec<TimelineDay> = Vec::new();
    for (date, _, _, item) in entries {
        let day = Date::Day(date.day());
        match days.last_mut() {
            Some(TimelineDay {
                date: Some(d),
                items,
            }) if d.iso == day.iso() => items.push(item),
            _ => days.push(TimelineDay {
                date: Some(DateView::from(&day)),
                items: vec![item],
            }),
        }
    }
    // Claims with no date at all still belong on the timeline, at its end.
    if !undated.is_empty() {
        days.push(TimelineDay {
            date: None,
            items: undated,
        });
    }
    cx.insert("days", &days);
}
