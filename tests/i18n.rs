//! The theme in the briefing's language: the Arabic, Japanese and French test
//! briefings of `tests/fixtures/i18n-*` (invented test text).

mod common;

use std::collections::BTreeMap;

fn build(name: &str) -> BTreeMap<String, String> {
    let options =
        factbrief::BuildOptions::new(common::repo_root().join("tests/fixtures").join(name));
    let mut pipeline =
        factbrief::pipeline::Pipeline::open(options, factbrief::render::RenderOptions::default())
            .expect("the fixture opens");
    pipeline.build().expect("the fixture builds");
    assert!(
        pipeline
            .warnings()
            .iter()
            .all(|w| w.code != factbrief::diagnostic::Code::NoTranslation),
        "{name} has a table"
    );
    common::pages_of(&pipeline)
}

#[test]
fn arabic_pages() {
    let pages = build("i18n-ar");
    let claim = &pages["claims/thalath-sufun/index.html"];
    assert!(claim.contains("<html lang=\"ar\" dir=\"rtl\">"), "{claim}");
    assert!(claim.contains("حكمنا"));
    assert!(claim.contains("30 ديسمبر 2021"));
    // Machine dates stay ISO 8601.
    assert!(claim.contains("datetime=\"2021-12-30\""));
    // The English source's quote is marked as English, left to right.
    assert!(
        claim.contains("<blockquote lang=\"en\" dir=\"ltr\">"),
        "{claim}"
    );
    insta::assert_snapshot!("ar_claim", claim);
    insta::assert_snapshot!("ar_source", &pages["sources/bayan/index.html"]);
    let en_source = &pages["sources/wire-en/index.html"];
    assert!(
        en_source.contains("<h1 lang=\"en\" dir=\"ltr\">"),
        "{en_source}"
    );
    assert!(en_source.contains("<div class=\"prose source-text\" lang=\"en\" dir=\"ltr\">"));
}

#[test]
fn japanese_pages() {
    let pages = build("i18n-ja");
    let claim = &pages["claims/sanseki/index.html"];
    assert!(claim.contains("<html lang=\"ja\">"));
    assert!(claim.contains("2021年12月30日"));
    insta::assert_snapshot!("ja_claim", claim);
    insta::assert_snapshot!("ja_source", &pages["sources/happyo/index.html"]);
}

#[test]
fn french_dates() {
    let pages = build("i18n-fr");
    let claim = &pages["claims/trois-navires/index.html"];
    assert!(claim.contains(">30 décembre 2021</time>"), "{claim}");
    assert!(claim.contains("Plutôt faux"));
    assert!(pages["index.html"].contains("31 décembre 2021"));
}

/// The text a reader sees: tags, scripts and styles left out.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    for skip in ["<script", "<style"] {
        while let Some(at) = rest.find(skip) {
            let end = rest[at..].find('>').map_or(rest.len(), |e| at + e);
            let close = if skip == "<script" {
                "</script>"
            } else {
                "</style>"
            };
            let stop = rest[end..]
                .find(close)
                .map_or(rest.len(), |c| end + c + close.len());
            out.push_str(&rest[..at]);
            rest = &rest[stop..];
        }
        out.push_str(rest);
        let s = std::mem::take(&mut out);
        out.clear();
        rest = Box::leak(s.into_boxed_str());
    }
    let mut text = String::new();
    let mut in_tag = false;
    for c in rest.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// Whether `word` stands in `text` as a whole word.
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[test]
fn no_english_theme_word_in_other_languages() {
    let en: BTreeMap<String, String> =
        toml::from_str(include_str!("../src/render/i18n/en.toml")).unwrap();
    // Pieces of the English texts between placeholders, of one word of 4
    // letters or more, or of several words.
    let mut phrases: Vec<String> = Vec::new();
    for (key, v) in &en {
        if key == "date_format" || key.starts_with("search_") {
            continue;
        }
        for piece in v.split(['{', '}']) {
            let p = piece.trim_matches(|c: char| !c.is_alphanumeric());
            let letters = p.chars().filter(|c| c.is_alphabetic()).count();
            if (p.contains(' ') || letters >= 4)
                && p != "factbrief"
                && p != "Atom"
                && !p.contains("factbrief")
            {
                phrases.push(p.to_owned());
            }
        }
    }
    phrases.sort();
    phrases.dedup();
    let mut found = Vec::new();
    for fixture in ["i18n-ar", "i18n-ja"] {
        for (path, html) in build(fixture) {
            // The English source of the Arabic briefing is English, rightly.
            if !path.ends_with(".html") || path.contains("wire-en") {
                continue;
            }
            let text = visible_text(&html);
            for p in &phrases {
                if has_word(&text, p) {
                    found.push(format!("{fixture}/{path}: {p:?}"));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "English theme words:\n{}",
        found.join("\n")
    );
}

#[test]
fn words_are_values_too_and_a_sites_table_changes_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::small_site(root);
    common::write_files(
        root,
        &[
            (
                "i18n/en.toml",
                "nav_claims = \"Checks & more\"\nnot_found_title = \"Lost <here>\"\n",
            ),
            // A site's own template may use either form.
            (
                "templates/404.html",
                "{% extends \"base.html\" %}{% block content %}<p id=\"v\">{{ site.words.not_found_title }}</p><p id=\"t\">{{ trans(key=\"not_found_title\") }}</p>{% endblock content %}",
            ),
        ],
    );
    let pages = common::pages_of(&common::built(root));
    // The built-in header takes its words from `site.words`, escaped as `trans` escapes.
    let claim = &pages["claims/troops/index.html"];
    assert!(claim.contains(">Checks &amp; more</a>"), "{claim}");
    let lost = &pages["404.html"];
    assert!(lost.contains("<p id=\"v\">Lost &lt;here&gt;</p>"), "{lost}");
    assert!(lost.contains("<p id=\"t\">Lost &lt;here&gt;</p>"), "{lost}");
}
