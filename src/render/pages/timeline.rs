//! `timeline/`: sources and claims by date, oldest first, a page of items at a
//! time, grouped by day within each page.

use super::super::view::{TimelineDay, TimelineItem};
use super::super::{List, PageCx};
use crate::load::Date;

pub(in crate::render) fn fill(cx: &mut PageCx, n: usize) {
    let title = cx.t("nav_timeline");
    cx.meta(&title, None, "timeline");
    let site = cx.site();
    let cards = cx.cards();
    let all = &site.taxonomies.timeline;
    let pager = cx.paginate(&List::Timeline, n, all.len());
    let mut days: Vec<TimelineDay> = Vec::new();
    for d in pager.slice(all) {
        let item = if d.is_claim {
            TimelineItem {
                kind: "claim",
                source: None,
                claim: Some(cards.claim(&d.id)),
                date_is: d.date_is,
            }
        } else {
            TimelineItem {
                kind: "source",
                source: Some(cards.source(&d.id)),
                claim: None,
                date_is: d.date_is,
            }
        };
        let day = d.date.map(|date| cx.date(&Date::Day(date.day())));
        match days.last_mut() {
            Some(last) if last.date.as_ref().map(|d| &d.iso) == day.as_ref().map(|d| &d.iso) => {
                last.items.push(item)
            }
            _ => days.push(TimelineDay {
                date: day,
                items: vec![item],
            }),
        }
    }
    cx.insert("days", &days);
}
