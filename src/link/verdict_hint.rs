//! Suggestions for a verdict that is not on the rating scale, by meaning as
//! well as by spelling. A suggestion must never invert a verdict: `untrue`
//! is not "did you mean `true`?".

use super::Scale;
use crate::diagnostic::did_you_mean;

/// Which side of the truth a written verdict is on, as far as its words tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    True,
    False,
    Unknown,
}

/// Words that deny what follows, or that mean false on their own.
const NEGATIONS: &[&str] = &["not", "no", "never", "non", "isnt", "isn't"];
const FALSE_WORDS: &[&str] = &[
    "untrue",
    "false",
    "fake",
    "wrong",
    "incorrect",
    "inaccurate",
    "bogus",
    "lie",
    "lies",
    "fabricated",
    "debunked",
    "baseless",
    "hoax",
];
const TRUE_WORDS: &[&str] = &[
    "true",
    "correct",
    "accurate",
    "right",
    "verified",
    "confirmed",
];

/// The words of `written`, lower-case, split at anything but letters and apostrophes.
fn words(written: &str) -> Vec<String> {
    written
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

fn side(words: &[String]) -> Side {
    let negated = words.iter().any(|w| NEGATIONS.contains(&w.as_str()));
    let says_false = words.iter().any(|w| FALSE_WORDS.contains(&w.as_str()));
    let says_true = words.iter().any(|w| TRUE_WORDS.contains(&w.as_str()));
    match (says_true, says_false, negated) {
        (true, false, false) => Side::True,
        (true, false, true) | (false, true, false) => Side::False,
        // "not false", or both: no side to go by.
        _ => Side::Unknown,
    }
}

/// The side a key of the scale is on, by its key and label.
fn key_side(key: &str, label: &str) -> Side {
    let mut w = words(key);
    w.extend(words(label));
    side(&w)
}

/// The verdict of `scale` that `written` most likely means, if any.
pub fn suggest<'s>(written: &str, scale: &'s Scale) -> Option<&'s str> {
    // Not chosen yet (as `new claim` writes it): nothing to guess from.
    if written.contains("FILL IN") {
        return None;
    }
    let keys = || scale.verdicts.iter().map(|v| v.key.as_str());
    let w = words(written);
    let slugged = w.join("-");
    // Written as the key or the label would be, in other case or spacing.
    if let Some(v) = scale
        .verdicts
        .iter()
        .find(|v| v.key == slugged || words(&v.label).join("-") == slugged)
    {
        return Some(&v.key);
    }
    let written_side = side(&w);
    let mostly = w
        .iter()
        .any(|x| x == "mostly" || x == "largely" || x == "mainly");
    let half = w
        .iter()
        .any(|x| ["half", "partly", "partially", "mixture", "mixed"].contains(&x.as_str()));
    let has = |k: &'static str| keys().any(|x| x == k).then_some(k);
    // By meaning, on the default scale's keys when the scale has them.
    let by_meaning = match written_side {
        _ if half => has("mixed"),
        Side::False if mostly => has("mostly-false"),
        Side::False => has("false"),
        Side::True if mostly => has("mostly-true"),
        Side::True => has("true"),
        Side::Unknown => {
            if w.iter().any(|x| {
                [
                    "unproven",
                    "unverified",
                    "unsubstantiated",
                    "unclear",
                    "unknown",
                    "proven",
                ]
                .contains(&x.as_str())
            }) {
                has("unproven")
            } else if w.iter().any(|x| x.starts_with("mislead") || x == "context") {
                has("misleading")
            } else {
                None
            }
        }
    };
    if let Some(k) = by_meaning {
        return scale
            .verdicts
            .iter()
            .find(|v| v.key == k)
            .map(|v| v.key.as_str());
    }
    // By spelling, but never to the other side (`untrue` is not `true`).
    let guess = did_you_mean(&slugged, keys())?;
    let guess_side = scale
        .get(guess)
        .map_or(Side::Unknown, |v| key_side(&v.key, &v.label));
    let inverts = matches!(
        (written_side, guess_side),
        (Side::True, Side::False) | (Side::False, Side::True)
    );
    // A word that denies something, with a guess that denies nothing, may invert it too.
    let denies = w
        .iter()
        .any(|x| NEGATIONS.contains(&x.as_str()) || x.starts_with("un") || x.starts_with("in"));
    let guess_denies = words(guess).iter().any(|x| {
        x.starts_with("un")
            || x.starts_with("in")
            || FALSE_WORDS.contains(&x.as_str())
            || NEGATIONS.contains(&x.as_str())
    });
    let may_invert = denies && !guess_denies && guess_side == Side::True;
    (!inverts && !may_invert).then_some(guess)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(written: &str) -> Option<&'static str> {
        static SCALE: std::sync::OnceLock<Scale> = std::sync::OnceLock::new();
        suggest(written, SCALE.get_or_init(Scale::default_scale))
    }

    #[test]
    fn negations_never_suggest_the_true_side() {
        for w in [
            "untrue",
            "not true",
            "not-true",
            "Not True",
            "incorrect",
            "fake",
            "wrong",
            "inaccurate",
        ] {
            assert_eq!(s(w), Some("false"), "{w}");
        }
        for w in [
            "mostly untrue",
            "mostly not true",
            "mostly-incorrect",
            "largely false",
        ] {
            assert_eq!(s(w), Some("mostly-false"), "{w}");
        }
        // Nothing safe to say.
        assert_eq!(s("not false"), None);
    }

    #[test]
    fn misspellings_and_other_spellings_are_still_suggested() {
        assert_eq!(s("Fals"), Some("false"));
        assert_eq!(s("flase"), Some("false"));
        assert_eq!(s("ture"), Some("true"));
        assert_eq!(s("Mostly True"), Some("mostly-true"));
        assert_eq!(s("mostly_false"), Some("mostly-false"));
        assert_eq!(s("half true"), Some("mixed"));
        assert_eq!(s("accurate"), Some("true"));
        assert_eq!(s("unverified"), Some("unproven"));
        assert_eq!(s("misleads"), Some("misleading"));
        assert_eq!(s("misleding"), Some("misleading"));
        assert_eq!(s("banana"), None);
    }
}
