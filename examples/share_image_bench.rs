//! Share-image benchmark: renders cards with varied text and prints the mean time
//! per image and the PNG sizes.
//!
//! ```text
//! cargo run --release --example share_image_bench -- [--count 200] [--samples DIR]
//! ```
//!
//! `--samples DIR` also writes a few sample PNGs there (Latin short and very long,
//! Russian, Arabic, Hindi, Chinese fallback, every verdict) to look at.

use std::time::Instant;

use factbrief::render::share_image::{render, svg, ShareCard};

const WORDS: &[&str] = &[
    "the",
    "president",
    "said",
    "that",
    "troops",
    "would",
    "leave",
    "within",
    "two",
    "weeks",
    "according",
    "to",
    "officials",
    "in",
    "Washington",
    "and",
    "Moscow",
    "call",
    "lasted",
    "about",
    "hours",
    "sanctions",
    "pipeline",
    "gas",
    "Ukraine",
    "border",
    "100,000",
    "soldiers",
    "NATO",
    "summit",
    "Geneva",
    "January",
    "statement",
    "Kremlin",
    "spokesman",
    "denied",
    "reports",
];

const VERDICTS: &[(&str, &str, Option<u32>)] = &[
    ("true", "True", Some(5)),
    ("mostly-true", "Mostly true", Some(4)),
    ("mixed", "Mixed", Some(3)),
    ("mostly-false", "Mostly false", Some(2)),
    ("false", "False", Some(1)),
    ("misleading", "Misleading", None),
    ("unproven", "Unproven", None),
    ("satire", "Satire", None),
];

/// A deterministic pseudo-random claim of `n` words.
fn claim(seed: &mut u64, n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let w = WORDS[(*seed >> 33) as usize % WORDS.len()];
        if i > 0 {
            out.push(' ');
        }
        if i == 0 {
            let mut c = w.chars();
            out.extend(c.next().map(|c| c.to_ascii_uppercase()));
            out.push_str(c.as_str());
        } else {
            out.push_str(w);
        }
    }
    out.push('.');
    out
}

fn main() -> std::io::Result<()> {
    let mut count = 200;
    let mut samples = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--count" => count = args.next().and_then(|n| n.parse().ok()).unwrap_or(count),
            "--samples" => samples = args.next(),
            _ => {
                eprintln!("usage: share_image_bench [--count N] [--samples DIR]");
                std::process::exit(2);
            }
        }
    }

    if let Some(dir) = &samples {
        std::fs::create_dir_all(dir)?;
        let long = "The 30 December 2021 telephone call between the two presidents lasted about two hours, during which the American side agreed to withdraw its troops from three eastern member states of the alliance, to freeze the deployment of new missile systems for the coming decade, and to open talks on a new treaty of security guarantees in Geneva before the middle of January, according to a statement that the Kremlin's press office published late that night and that several outlets then repeated without checking it against the White House's own account.";
        let base = ShareCard {
            verdict_label: "False",
            verdict_key: "false",
            rating: Some(1),
            best: 5,
            claim: "The 30 December 2021 Biden–Putin call lasted about two hours.",
            claimant: Some("Unidentified outlet"),
            site_title: "The Biden–Putin call of 30 December 2021, checked",
            language: "en",
        };
        let cards = [
            ("latin-short", base),
            ("latin-long", ShareCard { claim: long, verdict_label: "Mostly false", verdict_key: "mostly-false", rating: Some(2), ..base }),
            ("russian", ShareCard {
                claim: "Разговор Байдена и Путина 30 декабря 2021 года длился около двух часов, сообщили в Кремле.",
                claimant: Some("Пресс-служба Кремля"),
                verdict_label: "Ложь",
                site_title: "Проверка фактов: разговор Байдена и Путина",
                language: "ru",
                ..base
            }),
            ("arabic", ShareCard {
                claim: "قال المتحدث باسم الكرملين إن مكالمة Biden وبوتين استمرت نحو ساعتين، وإن 50 دقيقة منها خُصصت لأوكرانيا.",
                claimant: Some("وكالة أنباء"),
                verdict_label: "مضلل",
                verdict_key: "misleading",
                rating: None,
                site_title: "تدقيق: مكالمة بايدن وبوتين",
                language: "ar",
                ..base
            }),
            ("hindi", ShareCard {
                claim: "राष्ट्रपति ने कहा कि बातचीत लगभग दो घंटे चली और सैनिक दो सप्ताह में लौट जाएंगे।",
                claimant: Some("एक समाचार चैनल"),
                verdict_label: "मिश्रित",
                verdict_key: "mixed",
                rating: Some(3),
                site_title: "तथ्य जाँच",
                language: "hi",
                ..base
            }),
            ("chinese-fallback", ShareCard {
                claim: "普京和拜登的通话持续了大约两个小时。",
                claimant: Some("新华社"),
                verdict_label: "大部分错误",
                verdict_key: "mostly-false",
                rating: Some(2),
                site_title: "Fact check desk",
                language: "zh",
                ..base
            }),
            ("hebrew-chinese-fallback", ShareCard {
                claim: "普京和拜登的通话持续了大约两个小时。",
                claimant: Some("סוכנות הידיעות"),
                verdict_label: "לא נכון",
                verdict_key: "false",
                rating: Some(1),
                site_title: "בדיקת עובדות",
                language: "he",
                ..base
            }),
            ("unproven-escaped", ShareCard {
                claim: "A <script> & \"quotes\" claim 💉 that cannot be checked yet.",
                verdict_label: "Unproven",
                verdict_key: "unproven",
                rating: None,
                claimant: None,
                ..base
            }),
        ];
        for (name, card) in cards {
            std::fs::write(format!("{dir}/{name}.png"), render(&card))?;
        }
        for &(key, label, rating) in VERDICTS {
            let card = ShareCard {
                verdict_key: key,
                verdict_label: label,
                rating,
                ..base
            };
            std::fs::write(format!("{dir}/verdict-{key}.png"), render(&card))?;
        }
        println!("samples in {dir}");
    }

    let mut seed = 1u64;
    let claims: Vec<String> = (0..count)
        .map(|i| claim(&mut seed, 6 + (i * 7) % 90))
        .collect();
    // Warm up (the fonts are loaded once).
    let _ = render(&ShareCard {
        verdict_label: "True",
        verdict_key: "true",
        rating: Some(5),
        best: 5,
        claim: "Warm up.",
        claimant: None,
        site_title: "Bench",
        language: "en",
    });
    let card = |i: usize, c: &'static str| {
        let (key, label, rating) = VERDICTS[i % VERDICTS.len()];
        ShareCard {
            verdict_label: label,
            verdict_key: key,
            rating,
            best: 5,
            claim: c,
            claimant: (i % 3 != 0).then_some("A spokesperson of the ministry"),
            site_title: "Benchmark briefing",
            language: "en",
        }
    };
    let claims: Vec<&'static str> = claims.into_iter().map(|c| &*c.leak()).collect();
    let start = Instant::now();
    for (i, c) in claims.iter().enumerate() {
        std::hint::black_box(svg(&card(i, c)));
    }
    let layout = start.elapsed();
    let start = Instant::now();
    let mut sizes = Vec::with_capacity(count);
    for (i, c) in claims.iter().enumerate() {
        sizes.push(render(&card(i, c)).len());
    }
    let elapsed = start.elapsed();
    println!(
        "layout and SVG alone: {:.2} ms per image",
        layout.as_secs_f64() * 1000.0 / count.max(1) as f64
    );
    sizes.sort_unstable();
    let mean = sizes.iter().sum::<usize>() as f64 / sizes.len().max(1) as f64;
    println!(
        "{count} images, one thread: {:.2} ms per image; PNG mean {:.1} KB, median {:.1} KB, max {:.1} KB",
        elapsed.as_secs_f64() * 1000.0 / count.max(1) as f64,
        mean / 1024.0,
        sizes[sizes.len() / 2] as f64 / 1024.0,
        sizes[sizes.len() - 1] as f64 / 1024.0,
    );
    Ok(())
}
