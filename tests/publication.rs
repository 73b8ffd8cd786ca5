//! The briefing as a publication: what readers and machines read is right.
//! No doubled quotation marks, counts that match what they count, links to
//! the passage in the original, corrections, contact, and ClaimReview data.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;

use serde_json::Value;

fn example() -> BTreeMap<String, String> {
    common::pages_of(&common::render_example(Some(
        "https://factcheck.example/call/",
    )))
}

/// The text of `html` without tags, scripts and styles (entities left as they are but `&quot;`).
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let skip_to = |end: &str| tail.find(end).map_or(tail.len(), |j| j + end.len());
        let n = if tail.starts_with("<script") {
            skip_to("</script>")
        } else if tail.starts_with("<style") {
            skip_to("</style>")
        } else {
            skip_to(">")
        };
        rest = &tail[n..];
    }
    out.push_str(rest);
    out.replace("&quot;", "\"")
}

#[test]
fn no_page_shows_doubled_quotation_marks() {
    let pages = example();
    let mut checked = 0;
    for (path, html) in &pages {
        if !path.ends_with(".html") {
            continue;
        }
        let text = visible_text(html);
        for doubled in ["““", "””", "\"\"", "“\"", "\"”", "‘‘", "’’"] {
            assert!(!text.contains(doubled), "{path} shows {doubled}");
        }
        checked += 1;
    }
    assert!(checked > 40);
    // The quotes that start with speech are shown once, as written.
    let claim = &pages["claims/decisive-response-warning/index.html"];
    assert!(
        claim.contains("<blockquote><p>“He made it clear"),
        "a quote opening with speech keeps its own mark"
    );
}

/// The numbers after `marker` in `html` (e.g. "cited by 3 claims").
fn number_after(html: &str, marker: &str) -> Option<usize> {
    let i = html.find(marker)? + marker.len();
    html[i..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .ok()
}

#[test]
fn every_count_shown_is_the_count_of_distinct_items() {
    let p = common::built(&common::repo_root());
    let site = p.site().unwrap();
    let pages = common::pages_of(&p);
    let index = &pages["index.html"];

    // Source cards: distinct claims citing the source (not the sum over stances).
    for (id, linked) in site.sources.iter() {
        let claims: BTreeSet<&str> = linked.citations.iter().map(|c| c.claim.as_str()).collect();
        let card_at = index
            .find(&format!(
                "<li class=\"source-card\">\n<a href=\"./sources/{id}/\""
            ))
            .unwrap();
        let card = &index[card_at..card_at + index[card_at..].find("</li>").unwrap()];
        let shown = number_after(card, "cited by ").unwrap_or(0);
        assert_eq!(shown, claims.len(), "source {id}: {card}");
        let page = &pages[&format!("sources/{id}/index.html")];
        if !claims.is_empty() {
            assert_eq!(
                number_after(page, "#cited-by\">Cited by "),
                Some(claims.len()),
                "{id}"
            );
            // Each citing claim is listed once in the list of citing claims.
            let list = &page[page.find("id=\"cited-by\"").unwrap()..];
            for c in &claims {
                let link = format!("class=\"claim-link\" href=\"../../claims/{c}/\"");
                assert_eq!(list.matches(&link).count(), 1, "{id}: {c}");
            }
        }
    }
    // Claim cards: distinct sources per stance.
    for (id, linked) in site.claims.iter() {
        let card_at = index
            .find(&format!("class=\"claim-link\" href=\"./claims/{id}/\""))
            .unwrap();
        let card = &index[card_at..card_at + index[card_at..].find("</li>").unwrap()];
        let at = card.find("Sources: ").unwrap() + 9;
        let numbers: Vec<usize> = card[at..]
            .split(", ")
            .take(3)
            .map(|part| part.split(' ').next().unwrap().parse().unwrap())
            .collect();
        for (i, stance) in ["supports", "contradicts", "context"].iter().enumerate() {
            let sources: BTreeSet<&str> = linked
                .evidence
                .iter()
                .filter(|e| e.stance.key() == *stance)
                .map(|e| e.source.as_str())
                .collect();
            assert_eq!(numbers[i], sources.len(), "claim {id}, {stance}: {card}");
        }
    }
    // Verdict counts on the front page, tags and outlets on their indexes: the items of each page.
    for (key, claims) in &site.taxonomies.verdicts {
        let shown = number_after(index, &format!("./verdicts/{key}/\">")).or_else(|| {
            let at = index.find(&format!("./verdicts/{key}/\""))?;
            number_after(&index[at..], "<span class=\"count\">")
        });
        assert_eq!(shown, Some(claims.len()), "verdict {key}");
        let page = &pages[&format!("verdicts/{key}/index.html")];
        assert_eq!(
            page.matches("class=\"claim-link\"").count(),
            claims.len(),
            "{key}"
        );
    }
    let tags = &pages["tags/index.html"];
    for (slug, term) in &site.taxonomies.tags {
        let at = tags.find(&format!("tags/{slug}/\"")).unwrap();
        assert_eq!(
            number_after(&tags[at..], "<span class=\"count\">"),
            Some(term.items.len()),
            "{slug}"
        );
        let page = &pages[&format!("tags/{slug}/index.html")];
        assert_eq!(
            page.matches("class=\"claim-link\"").count(),
            term.items.len(),
            "{slug}"
        );
    }
    let outlets = &pages["outlets/index.html"];
    for (slug, term) in site.taxonomies.outlets.iter() {
        let at = outlets.find(&format!("outlets/{slug}/\"")).unwrap();
        assert_eq!(
            number_after(&outlets[at..], "<span class=\"count\">"),
            Some(term.items.len()),
            "{slug}"
        );
    }
}

#[test]
fn evidence_links_to_the_passage_in_the_original_and_the_archive() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::small_site(root);
    common::replace_in(
        root,
        "content/sources/report.md",
        "outlet = \"Wire\"\n",
        "outlet = \"Wire\"\nurl = \"https://wire.example/story?id=7#top\"\narchive_url = \"https://web.archive.org/web/2022/https://wire.example/story?id=7\"\n",
    );
    let out = root.join("public");
    common::build_ok(root, &out);
    let claim = fs::read_to_string(out.join("claims/troops/index.html")).unwrap();
    let href = |class: &str| {
        let at = claim
            .find(&format!("class=\"{class}\" href=\""))
            .unwrap_or_else(|| panic!("no {class} link"))
            + class.len()
            + 15;
        common::unescape(&claim[at..at + claim[at..].find('"').unwrap()])
    };
    // The quote: "around 100,000 troops near the Ukrainian border" (7 words: whole).
    let want = "around%20100%2C000%20troops%20near%20the%20Ukrainian%20border";
    assert_eq!(
        href("original"),
        format!("https://wire.example/story?id=7#:~:text={want}")
    );
    assert_eq!(
        href("archived"),
        format!("https://web.archive.org/web/2022/https://wire.example/story?id=7#:~:text={want}")
    );
    let source = fs::read_to_string(out.join("sources/report/index.html")).unwrap();
    assert!(source.contains(">Archived copy</a>"));
}

#[test]
fn claim_pages_lead_with_the_verdict_and_share_themselves() {
    let pages = example();
    let html = &pages["claims/call-lasted-two-hours/index.html"];
    let h1 = html.find("<h1").unwrap();
    let verdict = html.find("class=\"verdict-box").unwrap();
    let analysis = html.find("id=\"analysis\"").unwrap();
    let evidence = html.find("id=\"evidence\"").unwrap();
    assert!(h1 < verdict && verdict < analysis && analysis < evidence);
    // The verdict has a shape as well as a colour, and the scale is one click away.
    let box_html = &html[verdict..analysis];
    assert!(box_html.contains("<svg class=\"verdict-icon\""));
    assert!(box_html.contains("<strong>False</strong>"));
    assert!(box_html.contains("href=\"../../verdicts/\""));
    // Its own description, Open Graph and Twitter tags, canonical URL and image.
    assert!(
        html.contains("<meta name=\"description\" content=\"False: "),
        "{html}"
    );
    assert!(html.contains("<link rel=\"canonical\" href=\"https://factcheck.example/call/claims/call-lasted-two-hours/\">"));
    assert!(html.contains("<meta property=\"og:image\" content=\"https://factcheck.example/call/claims/call-lasted-two-hours/share.png\">"));
    assert!(html.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
    assert!(html.contains("<link rel=\"icon\" href=\"../../favicon.svg\""));
    // Descriptions differ from page to page.
    let descriptions: BTreeSet<&str> = pages
        .iter()
        .filter(|(p, _)| p.starts_with("claims/") || p.starts_with("sources/"))
        .filter_map(|(_, h)| {
            let at = h.find("<meta name=\"description\" content=\"")? + 34;
            Some(&h[at..at + h[at..].find('"')?])
        })
        .collect();
    assert!(descriptions.len() >= 25, "{}", descriptions.len());
}

/// Google's required and recommended ClaimReview fields.
fn check_review(r: &Value, scale_keys: &BTreeMap<String, Option<u64>>) {
    let field = |k: &str| r.get(k).unwrap_or_else(|| panic!("no {k} in {r}"));
    assert_eq!(field("@type"), "ClaimReview");
    assert!(field("claimReviewed")
        .as_str()
        .is_some_and(|s| !s.is_empty()));
    assert!(field("url")
        .as_str()
        .is_some_and(|u| u.starts_with("https://factcheck.example/call/claims/")));
    assert_eq!(field("author")["@type"], "Organization");
    assert!(field("author")["name"].is_string());
    assert!(field("datePublished").is_string());
    let rating = field("reviewRating");
    let name = rating["name"].as_str().expect("reviewRating.name");
    assert_eq!(rating["alternateName"].as_str(), Some(name));
    let item = field("itemReviewed");
    assert_eq!(item["@type"], "Claim");
    if let Some(author) = item.get("author") {
        assert!(["Person", "Organization"].contains(&author["@type"].as_str().unwrap()));
        assert!(author["name"].is_string());
    }
    // Numeric ratings only for verdicts on the ordered scale.
    let rated = scale_keys
        .values()
        .any(|r| r.is_some() && rating.get("ratingValue").and_then(Value::as_u64) == *r);
    match rating.get("ratingValue") {
        Some(v) => {
            assert!(rated, "{v}");
            assert!(rating["bestRating"].is_u64() && rating["worstRating"].is_u64());
        }
        None => assert!(rating.get("bestRating").is_none()),
    }
}

#[test]
fn claim_reviews_and_their_data_feed_have_every_required_field() {
    let pages = example();
    let scale: BTreeMap<String, Option<u64>> = [
        ("true", Some(5)),
        ("mostly-true", Some(4)),
        ("mixed", Some(3)),
        ("mostly-false", Some(2)),
        ("false", Some(1)),
        ("misleading", None),
        ("unproven", None),
    ]
    .into_iter()
    .map(|(k, r)| (k.to_owned(), r))
    .collect();
    let mut from_pages = BTreeSet::new();
    for (path, html) in &pages {
        if !(path.starts_with("claims/") && path.ends_with("/index.html"))
            || path.starts_with("claims/page/")
            || path == "claims/index.html"
        {
            continue;
        }
        let at = html.find("<script type=\"application/ld+json\">").unwrap() + 35;
        let json = &html[at..at + html[at..].find("</script>").unwrap()];
        let r: Value = serde_json::from_str(json).unwrap();
        assert_eq!(r["@context"], "https://schema.org");
        check_review(&r, &scale);
        from_pages.insert(r["url"].as_str().unwrap().to_owned());
    }
    assert_eq!(from_pages.len(), 20);
    let feed: Value = serde_json::from_str(&pages["claimreview.json"]).unwrap();
    assert_eq!(feed["@context"], "https://schema.org");
    assert_eq!(feed["@type"], "DataFeed");
    let items = feed["dataFeedElement"].as_array().unwrap();
    let mut in_feed = BTreeSet::new();
    for it in items {
        assert_eq!(it["@type"], "DataFeedItem");
        assert!(it["dateCreated"].is_string());
        let reviews = it["item"].as_array().unwrap();
        assert_eq!(reviews.len(), 1);
        check_review(&reviews[0], &scale);
        in_feed.insert(reviews[0]["url"].as_str().unwrap().to_owned());
    }
    assert_eq!(in_feed, from_pages);
}

#[test]
fn corrections_show_on_the_claim_the_feed_the_corrections_page_and_claim_review() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::small_site(root);
    common::replace_in(
        root,
        "content/claims/troops.md",
        "verdict = \"mostly-true\"\n",
        "verdict = \"mostly-true\"\nclaimant = \"Wire Service\"\nclaimant_type = \"organization\"\ncorrections = [\n  { date = 2022-01-07, note = \"Added the troop estimate's source.\" },\n  { date = 2022-01-09, note = \"Fixed a typo.\" },\n]\n",
    );
    let out = root.join("public");
    let o = common::build_ok(root, &out);
    let (_, err) = common::texts(&o);
    assert!(
        !err.contains("no-contact") && !err.contains("relative-base-url"),
        "{err}"
    );
    let claim = fs::read_to_string(out.join("claims/troops/index.html")).unwrap();
    let section = &claim[claim
        .find("id=\"corrections\"")
        .expect("a corrections section")..];
    let first = section.find("7 January 2022").unwrap();
    let second = section.find("9 January 2022").unwrap();
    assert!(first < second, "oldest first, newest last");
    assert!(claim.contains("updated <time datetime=\"2022-01-09\">"));
    assert!(claim.contains("\"dateModified\": \"2022-01-09\""));
    assert!(
        claim.contains("\"@type\": \"Organization\",\n      \"name\": \"Wire Service\""),
        "{claim}"
    );
    assert!(claim.contains("<a href=\"mailto:desk@example.org\">desk@example.org</a>"));
    let feed = fs::read_to_string(out.join("feed.xml")).unwrap();
    assert!(
        feed.contains("<updated>2022-01-09T00:00:00Z</updated>"),
        "{feed}"
    );
    assert!(feed.contains("Updated 9 January 2022: Fixed a typo."));
    let log = fs::read_to_string(out.join("corrections/index.html")).unwrap();
    assert!(
        log.find("9 January 2022").unwrap() < log.find("7 January 2022").unwrap(),
        "latest first"
    );
    assert!(log.contains("mailto:desk@example.org"));
}

#[test]
fn check_warns_without_contact_or_absolute_base_url_and_a_bad_contact_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::small_site(root);
    common::replace_in(
        root,
        "content/_index.md",
        "base_url = \"https://desk.example/\"\ncontact = \"desk@example.org\"\n",
        "",
    );
    let o = common::run(root, &["check"]);
    let (_, err) = common::texts(&o);
    assert!(o.status.success(), "{err}");
    assert_eq!(err.matches("warning[no-contact]").count(), 1, "{err}");
    assert_eq!(
        err.matches("warning[relative-base-url]").count(),
        1,
        "{err}"
    );
    assert!(
        err.contains("sitemap"),
        "names what will be relative: {err}"
    );
    // Given on the command line, a relative base is deliberate.
    let o = common::run(root, &["check", "--base-url", "/brief/"]);
    assert!(!common::texts(&o).1.contains("relative-base-url"));
    common::replace_in(
        root,
        "content/_index.md",
        "published = 2022-01-05\n",
        "published = 2022-01-05\ncontact = \"write to us\"\n",
    );
    let o = common::run(root, &["check"]);
    let (_, err) = common::texts(&o);
    assert!(!o.status.success());
    assert!(
        err.contains("content/_index.md:4") && err.contains("bad-value"),
        "{err}"
    );
}
