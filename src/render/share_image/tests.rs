use super::*;

fn card<'a>(claim: &'a str, language: &'a str) -> ShareCard<'a> {
    ShareCard {
        verdict_label: "Mostly false",
        verdict_key: "mostly-false",
        rating: Some(2),
        best: 5,
        claim,
        claimant: Some("Unidentified outlet"),
        site_title: "The Biden–Putin call, checked",
        language,
    }
}

const LONG: &str = "The 30 December 2021 telephone call between the two presidents lasted about two hours, \
    during which the American side agreed to withdraw its troops from three eastern member states of the \
    alliance, to freeze the deployment of new missile systems for the coming decade, and to open talks on \
    a new treaty of security guarantees in Geneva before the middle of January, according to a statement \
    that the Kremlin's press office published late that night and that several outlets then repeated \
    without checking it against the White House's own account of the call and its length, which officials put at fifty minutes";

/// Width and height from a PNG's header, and the names of its chunks.
fn png_info(bytes: &[u8]) -> (u32, u32, Vec<String>) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    let mut chunks = Vec::new();
    let mut at = 8;
    while at + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        chunks.push(String::from_utf8_lossy(&bytes[at + 4..at + 8]).into_owned());
        at += 12 + len;
    }
    assert_eq!(at, bytes.len(), "chunks end where the file does");
    let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    (w, h, chunks)
}

/// How far usvg's box of a line may pass the margin: the invisible direction marks
/// of a right-to-left line take about a pixel, which measuring leaves out.
const SLACK: f32 = 1.5;

/// The text boxes usvg lays `svg` out into: (left, right) of every `<text>`.
fn text_extents(svg: &str) -> Vec<(f32, f32)> {
    let options = usvg::Options {
        fontdb: fonts().db.clone(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).expect("usvg parses the card");
    let mut out = Vec::new();
    fn walk(group: &usvg::Group, out: &mut Vec<(f32, f32)>) {
        for node in group.children() {
            match node {
                usvg::Node::Group(g) => walk(g, out),
                usvg::Node::Text(t) => {
                    let b = t.abs_bounding_box();
                    out.push((b.left(), b.right()));
                }
                _ => {}
            }
        }
    }
    walk(tree.root(), &mut out);
    out
}

fn all_text(block: &TextBlock) -> String {
    block
        .lines
        .iter()
        .map(Line::text)
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn fonts_are_embedded_and_found_by_name() {
    let fonts = fonts();
    assert_eq!(fonts.faces.len(), 8);
    assert_eq!(fonts.db.len(), 8);
    assert_eq!(fonts.regular.len(), 4);
    assert_eq!(fonts.bold.len(), 4);
    for family in [
        "Noto Sans",
        "Noto Sans Arabic",
        "Noto Sans Devanagari",
        "Noto Sans Hebrew",
    ] {
        for weight in [400, 700] {
            let id = fonts.db.query(&usvg::fontdb::Query {
                families: &[usvg::fontdb::Family::Name(family)],
                weight: usvg::fontdb::Weight(weight),
                ..Default::default()
            });
            let face = id.and_then(|id| fonts.db.face(id)).expect(family);
            assert_eq!(face.weight.0, weight, "{family} {weight}");
        }
    }
}

#[test]
fn image_is_1200_by_630_png_without_metadata() {
    let png = render(&card("The call lasted about two hours.", "en"));
    let (w, h, chunks) = png_info(&png);
    assert_eq!((w, h), (WIDTH, HEIGHT));
    assert_eq!(chunks.first().map(String::as_str), Some("IHDR"));
    assert_eq!(chunks.last().map(String::as_str), Some("IEND"));
    assert!(
        chunks
            .iter()
            .all(|c| ["IHDR", "PLTE", "IDAT", "IEND"].contains(&c.as_str())),
        "only header, palette, data and end: {chunks:?}"
    );
    // Decodes, with the size and colour type it says.
    let decoder = png::Decoder::new(std::io::Cursor::new(&png));
    let reader = decoder.read_info().expect("a valid PNG");
    let info = reader.info();
    assert_eq!((info.width, info.height), (1200, 630));
    assert_eq!(info.color_type, png::ColorType::Indexed);
}

/// The pixels of a PNG as RGB.
fn decode_rgb(png: &[u8]) -> Vec<u8> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    buf.truncate(info.buffer_size());
    buf
}

#[test]
fn encoding_is_lossless_with_or_without_a_palette() {
    let n = (WIDTH * HEIGHT) as usize;
    // Few colours: a palette. Many: RGB. Both decode to the pixels given.
    for colours in [1u32, 200, 256, 257, 5000] {
        let rgba: Vec<u8> = (0..n as u32)
            .flat_map(|i| {
                let c = (i / 7) % colours;
                [(c * 37) as u8, (c >> 8) as u8, (c * 11 % 256) as u8, 255]
            })
            .collect();
        let png = encode(&rgba).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(&png));
        let indexed = decoder.read_info().unwrap().info().color_type == png::ColorType::Indexed;
        let distinct: std::collections::BTreeSet<_> =
            rgba.chunks(4).map(|p| [p[0], p[1], p[2]]).collect();
        assert_eq!(indexed, distinct.len() <= 256, "{colours}");
        let rgb: Vec<u8> = rgba.chunks(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
        assert!(decode_rgb(&png) == rgb, "{colours} colours round-trip");
    }
}

#[test]
fn bytes_are_deterministic() {
    for (claim, lang) in [
        ("The call lasted about two hours.", "en"),
        (LONG, "en"),
        ("Путин и Байден говорили два часа.", "ru"),
        ("قال الرئيس إن المكالمة استمرت ساعتين.", "ar"),
        ("普京和拜登通话两个小时。", "zh"),
    ] {
        let c = card(claim, lang);
        let a = render(&c);
        let b = render(&c);
        assert!(a == b, "same card, same bytes: {claim}");
        // From another thread too (the fonts are loaded once, shared).
        let c2 = std::thread::scope(|s| s.spawn(|| render(&c)).join().unwrap());
        assert!(a == c2, "same bytes on another thread: {claim}");
    }
}

#[test]
fn very_long_claim_is_shortened_at_a_word_and_fits() {
    assert!(LONG.chars().count() >= 600);
    let layout = layout(&card(LONG, "en"));
    let claim = layout.claim.as_ref().expect("Latin is covered");
    assert!(claim.truncated);
    assert!(claim.lines.len() >= 2);
    for line in &claim.lines {
        assert!(
            line.width <= TEXT_WIDTH,
            "{} is {}px",
            line.text(),
            line.width
        );
        assert!(line.width <= claim.max_width);
    }
    let last = claim.lines.last().unwrap().text();
    assert!(last.ends_with('…'), "{last}");
    // Every word shown is a whole word of the claim, in order: the shown text less
    // the ellipsis is the claim cut just before a space.
    let shown = all_text(claim);
    let shown = shown.trim_end_matches('…');
    let (clean_long, _) = clean(LONG);
    assert!(clean_long.starts_with(shown), "{shown}");
    let next = clean_long[shown.len()..].chars().next();
    assert!(
        next == Some(' ') || next.is_some_and(|c| c.is_ascii_punctuation()),
        "cut at a word boundary: {shown:?} then {next:?}"
    );
    // No room left for the claimant under a claim that fills the box.
    assert!(layout.claimant.is_none());
    // And usvg, laying the SVG out itself, keeps every text inside the margins.
    let svg = svg(&card(LONG, "en"));
    for (left, right) in text_extents(&svg) {
        assert!(left >= MARGIN - SLACK, "{left}");
        assert!(right <= WIDTH as f32 - MARGIN + SLACK, "{right}");
    }
}

#[test]
fn wrap_never_overflows_and_cuts_only_overlong_words() {
    // Widths from a whole range of sizes and boxes.
    for size in [20.0, 33.0, 46.0, 60.0] {
        for width in [200.0, 517.0, 1056.0] {
            let block = wrap(LONG, false, size, width, 4).unwrap();
            assert!(block.truncated);
            assert!(block.lines.len() <= 4);
            for line in &block.lines {
                assert!(line.width <= width, "{size} {width}: {}", line.text());
            }
            if width < 500.0 {
                continue; // words wider than the box are cut: below
            }
            let shown = all_text(&block);
            let shown = shown.trim_end_matches('…');
            let words: Vec<&str> = LONG.split_whitespace().collect();
            for (i, w) in shown.split(' ').enumerate() {
                assert!(words[i].starts_with(w), "{w} is {}", words[i]);
                if i + 1 < shown.split(' ').count() {
                    assert_eq!(w, words[i], "only the last word may lose punctuation");
                }
            }
        }
    }
    // A single word wider than a line is cut to fill lines, never overflowing.
    let word = "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft"
        .repeat(3);
    let block = wrap(&word, false, 60.0, 500.0, 3).unwrap();
    assert_eq!(block.lines.len(), 3);
    assert!(block.truncated);
    assert!(block.lines.iter().all(|l| l.width <= 500.0));
    let joined: String = block.lines.iter().map(Line::text).collect();
    assert!(word.starts_with(joined.trim_end_matches('…')));
    // One that fits is whole, on one line, not marked.
    let block = wrap("Short claim.", false, 60.0, 1056.0, 3).unwrap();
    assert_eq!(block.lines.len(), 1);
    assert!(!block.truncated);
    assert_eq!(block.lines[0].text(), "Short claim.");
}

#[test]
fn no_punctuation_before_the_ellipsis() {
    let block = wrap(
        "alpha beta, gamma delta epsilon zeta eta theta",
        false,
        40.0,
        260.0,
        1,
    )
    .unwrap();
    let text = block.lines[0].text();
    assert!(text.ends_with('…'), "{text}");
    assert!(!text.contains(",…"), "{text}");
}

#[test]
fn russian_and_arabic_use_the_embedded_glyphs() {
    let ru = layout(&card(
        "Президент России заявил, что разговор с американским коллегой длился почти два часа.",
        "ru",
    ));
    let claim = ru.claim.as_ref().expect("Cyrillic is covered");
    assert_eq!(claim.missing_glyphs, 0);
    assert!(!ru.rtl);
    assert!(claim
        .lines
        .iter()
        .flat_map(|l| &l.runs)
        .all(|r| r.family == "Noto Sans"));

    let ar = layout(&card(
        "قال المتحدث باسم الكرملين إن المكالمة بين الرئيسين استمرت نحو ساعتين، وإنها تناولت الضمانات الأمنية في أوروبا.",
        "ar",
    ));
    assert!(ar.rtl);
    let claim = ar.claim.as_ref().expect("Arabic is covered");
    assert_eq!(claim.missing_glyphs, 0);
    assert!(claim
        .lines
        .iter()
        .flat_map(|l| &l.runs)
        .any(|r| r.family == "Noto Sans Arabic"));
    let svg = svg(&card("قال المتحدث إن المكالمة استمرت ساعتين.", "ar"));
    assert!(svg.contains(r#"text-anchor="end""#), "right-aligned");
    assert!(
        svg.contains('\u{202B}'),
        "an explicit right-to-left embedding"
    );
    for (left, right) in text_extents(&svg) {
        assert!(
            left >= MARGIN - SLACK && right <= WIDTH as f32 - MARGIN + SLACK,
            "{left}..{right}\n{svg}"
        );
    }
    let (w, h, _) = png_info(&render(&card(
        "قال المتحدث إن المكالمة استمرت ساعتين.",
        "ar",
    )));
    assert_eq!((w, h), (WIDTH, HEIGHT));

    // Hindi and Hebrew too.
    for (text, lang, family) in [
        (
            "राष्ट्रपति ने कहा कि बातचीत लगभग दो घंटे चली।",
            "hi",
            "Noto Sans Devanagari",
        ),
        ("הנשיא אמר שהשיחה נמשכה כשעתיים.", "he", "Noto Sans Hebrew"),
    ] {
        let l = layout(&card(text, lang));
        let claim = l.claim.as_ref().expect(lang);
        assert_eq!(claim.missing_glyphs, 0, "{lang}");
        assert!(claim
            .lines
            .iter()
            .flat_map(|l| &l.runs)
            .any(|r| r.family == family));
    }
}

#[test]
fn chinese_claim_falls_back_to_the_verdict_without_tofu() {
    let c = ShareCard {
        claimant: Some("新华社"),
        ..card("普京和拜登的通话持续了大约两个小时。", "zh")
    };
    let l = layout(&c);
    assert!(l.claim.is_none(), "no embedded font has Han");
    assert!(l.claimant.is_none(), "nor the claimant's");
    assert_eq!(l.label.as_ref().unwrap().lines[0].text(), "Mostly false");
    let svg = svg(&c);
    assert!(!svg.contains('普') && !svg.contains('新'));
    let (w, h, _) = png_info(&render(&c));
    assert_eq!((w, h), (WIDTH, HEIGHT));

    // A label in a script with no font is replaced by the key.
    let c = ShareCard {
        verdict_label: "大部分错误",
        ..c
    };
    assert_eq!(layout(&c).label.unwrap().lines[0].text(), "Mostly false");
    // A Latin claimant of a Chinese claim is kept.
    let c = ShareCard {
        claimant: Some("Xinhua"),
        ..c
    };
    assert_eq!(layout(&c).claimant.unwrap().lines[0].text(), "— Xinhua");
}

#[test]
fn emoji_and_symbols_without_glyph_are_dropped_not_the_claim() {
    let l = layout(&card("Vaccines 💉 cause 5G 📡 signals 👩‍🔬 .", "en"));
    let claim = l.claim.unwrap();
    assert_eq!(all_text(&claim), "Vaccines cause 5G signals .");
    assert_eq!(claim.missing_glyphs, 0);
}

#[test]
fn claim_text_is_escaped_for_xml() {
    let claim =
        "<script>alert(\"x\")</script> & 'quoted' \u{1}\u{7}\u{202E}reversed\u{FFFE} ]]> <!-- -->";
    let c = ShareCard {
        claimant: Some("A & B <c>"),
        site_title: "Desk \"One\" & <Two>",
        ..card(claim, "en")
    };
    let svg = svg(&c);
    assert!(
        svg.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;quoted&apos;")
    );
    assert!(svg.contains("A &amp; B &lt;c&gt;"));
    assert!(svg.contains("Desk &quot;One&quot; &amp; &lt;Two&gt;"));
    assert!(!svg.contains("<script") && !svg.contains("<!--") && !svg.contains("]]>"));
    assert!(!svg.contains(['\u{1}', '\u{7}', '\u{202E}', '\u{FFFE}']));
    // usvg parses it, and the text is laid out in it (not dropped as broken).
    assert_eq!(
        text_extents(&svg).len(),
        1 + 1 + 1 + layout(&c).claim.unwrap().lines.len()
    );
    let blank = blank_png();
    assert_ne!(render(&c), blank);
}

#[test]
fn every_verdict_has_a_distinct_shape() {
    let keys = [
        "true",
        "mostly-true",
        "mixed",
        "mostly-false",
        "false",
        "misleading",
        "unproven",
        "house-special",
    ];
    let mut seen = std::collections::BTreeSet::new();
    for key in keys {
        let c = ShareCard {
            verdict_key: key,
            rating: None,
            ..card("x", "en")
        };
        let (colour, mark, solid) = style(&c);
        assert!(seen.insert((format!("{mark:?}"), solid)), "{key}");
        assert!(colour.starts_with('#'));
        let (mut out, mut text) = (String::new(), String::new());
        icon(&mut out, &mut text, &c, 100.0, 100.0, 40.0);
        assert!(!out.is_empty());
    }
}

#[test]
fn a_custom_verdict_has_the_shape_its_page_gives_it() {
    // On a custom scale of 3, the best rating is a check and the worst a cross,
    // whatever the keys are called.
    let top = ShareCard {
        verdict_key: "accurate-enough",
        rating: Some(3),
        best: 3,
        ..card("x", "en")
    };
    let bottom = ShareCard {
        verdict_key: "pants-on-fire",
        rating: Some(1),
        best: 3,
        ..card("x", "en")
    };
    assert_eq!(style(&top).1, Mark::Check);
    assert_eq!(style(&bottom).1, Mark::Cross);
}

#[test]
fn right_to_left_languages() {
    for l in ["ar", "he", "fa", "ur", "ar-EG", "fa_IR", "az-Arab", "HE"] {
        assert!(is_rtl(l), "{l}");
    }
    for l in ["en", "ru", "hi", "", "arn", "ku-Latn", "zh-Hant"] {
        assert!(!is_rtl(l), "{l}");
    }
}

#[test]
fn empty_or_odd_cards_still_render() {
    for c in [
        ShareCard {
            claimant: None,
            rating: None,
            ..card("", "en")
        },
        ShareCard {
            verdict_label: "",
            site_title: "",
            rating: Some(9),
            best: 5,
            ..card("   \n\t ", "")
        },
        ShareCard {
            rating: Some(0),
            best: 0,
            ..card(&"x".repeat(100_000), "en")
        },
    ] {
        let (w, h, _) = png_info(&render(&c));
        assert_eq!((w, h), (WIDTH, HEIGHT));
    }
}

/// Cards in every embedded script, both directions, every kind of icon.
fn varied_cards() -> Vec<ShareCard<'static>> {
    let mut cards = vec![
        card("The call lasted about two hours.", "en"),
        card(LONG, "en"),
        card("Путин и Байден говорили два часа, сообщили в Кремле.", "ru"),
        card(
            "قال المتحدث باسم الكرملين إن مكالمة Biden وبوتين استمرت نحو ساعتين، وإن 50 دقيقة منها خُصصت لأوكرانيا.",
            "ar",
        ),
        card(
            "राष्ट्रपति ने कहा कि बातचीत लगभग दो घंटे चली और सैनिक दो सप्ताह में लौट जाएंगे।",
            "hi",
        ),
        card("הנשיא אמר שהשיחה נמשכה כשעתיים.", "he"),
        card("普京和拜登通话两个小时。", "zh"),
    ];
    for (key, label) in [("unproven", "Unproven"), ("misleading", "Misleading")] {
        cards.push(ShareCard {
            verdict_key: key,
            verdict_label: label,
            rating: None,
            ..card("A claim that cannot be checked yet.", "en")
        });
    }
    cards
}

#[test]
fn glyph_masks_draw_what_resvg_draws() {
    // The text from cached glyph masks, against resvg filling the same outlines: the
    // same pixels but at glyph edges (origins rounded to a quarter pixel, overlapping
    // glyphs blended in turn), and the same amount of ink.
    for c in varied_cards() {
        let layers = to_svg(&c, &layout(&c));
        let fast = draw(&layers, true).unwrap();
        let slow = draw(&layers, false).unwrap();
        let (mut total, mut max, mut differ) = (0u64, 0u8, 0usize);
        let (mut ink_fast, mut ink_slow) = (0u64, 0u64);
        for (a, b) in fast.data().chunks(4).zip(slow.data().chunks(4)) {
            let d = (0..3).map(|i| a[i].abs_diff(b[i])).max().unwrap_or(0);
            total += u64::from(d);
            max = max.max(d);
            differ += usize::from(d > 0);
            ink_fast += (0..3).map(|i| u64::from(255 - a[i])).sum::<u64>();
            ink_slow += (0..3).map(|i| u64::from(255 - b[i])).sum::<u64>();
        }
        let mean = total as f64 / f64::from(WIDTH * HEIGHT);
        let ink = ink_fast as f64 / ink_slow as f64;
        eprintln!(
            "{}: mean {mean:.3}, max {max}, {differ} pixels differ, ink {ink:.4}",
            c.language
        );
        assert!(mean < 1.0, "{}: mean difference {mean}", c.language);
        assert!((ink - 1.0).abs() < 0.005, "{}: ink {ink}", c.language);
    }
}

#[test]
fn kept_glyph_masks_give_the_bytes_of_fresh_ones() {
    let cards = varied_cards();
    let fresh: Vec<Vec<u8>> = cards
        .iter()
        .map(|c| {
            MASKS.with_borrow_mut(|m| m.clear());
            render(c)
        })
        .collect();
    // All cards drawn with one cache, in another order, then on another thread.
    MASKS.with_borrow_mut(|m| m.clear());
    for (c, png) in cards.iter().zip(&fresh).rev() {
        assert!(render(c) == *png, "{}", c.claim);
    }
    for (c, png) in cards.iter().zip(&fresh) {
        assert!(render(c) == *png, "{}", c.claim);
    }
    std::thread::scope(|s| {
        s.spawn(|| {
            for (c, png) in cards.iter().zip(&fresh) {
                assert!(render(c) == *png, "{}", c.claim);
            }
        });
    });
}

#[test]
fn kept_shaping_plans_measure_as_fresh_ones() {
    // harfrust's own plan for each buffer, made afresh, against the kept ones: the
    // same advances, for every script, direction and no script at all (digits).
    let fresh = |face: &Face, text: &str| {
        let font = FontRef::new(face.data).unwrap();
        let shaper = face.shaper.shaper(&font).build();
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        measured(&shaper.shape(buffer, ShapeOptions::new()), face)
    };
    let texts = [
        "Washington",
        "2021,",
        "— ",
        "مكالمة",
        "Biden",
        "राष्ट्रपति",
        "השיחה",
        "Путин",
        "…",
        "office",
    ];
    for _ in 0..2 {
        for face in &fonts().faces {
            for text in texts {
                assert_eq!(shape_em(face, text), fresh(face, text), "{text}");
            }
        }
    }
}

#[test]
fn palette_reads_four_pixels_at_a_time_as_one_by_one() {
    // Runs, changes inside a group of four, a tail of fewer than four, alpha ignored.
    let mut rgba = Vec::new();
    for i in 0..103u32 {
        let c = match i % 11 {
            0..=5 => [250, 250, 249, 255],
            6 => [24, 24, 27, (i * 7) as u8],
            7 | 8 => [(i * 3) as u8, 1, 2, 255],
            _ => [0, 0, 0, 255],
        };
        rgba.extend_from_slice(&c);
    }
    let (colours, indices) = palette(&rgba).unwrap();
    let mut naive: Vec<[u8; 3]> = Vec::new();
    for (p, &index) in rgba.chunks(4).zip(&indices) {
        let rgb = [p[0], p[1], p[2]];
        let at = naive.iter().position(|&c| c == rgb).unwrap_or_else(|| {
            naive.push(rgb);
            naive.len() - 1
        });
        assert_eq!(usize::from(index), at);
    }
    assert_eq!(colours, naive.concat());
}
