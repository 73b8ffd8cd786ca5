//! `pages/<id>/index.html`: a free page.

use super::super::PageCx;
use crate::markdown::Trust;

pub(in crate::render) fn fill(cx: &mut PageCx, id: &str) {
    let Some(doc) = cx.site().content.pages.get(id) else {
        return;
    };
    cx.meta(&doc.meta.title, doc.meta.description.as_deref(), "page");
    let body = cx.md(doc.body(), Trust::Editor, &[]);
    cx.insert("body", &body);
}
