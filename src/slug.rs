//! Slugs: the URL names of tags and outlets (`Le Monde` -> `le-monde`).
//!
//! Letters of every script are transliterated to ASCII (deunicode), lower-cased;
//! every run of other characters becomes one `-`, and none leads or trails.

/// The slug of `name`: lower-case ASCII letters, digits and single `-`; empty
/// when `name` has no letter or digit that transliterates.
pub fn slug(name: &str) -> String {
    let ascii = deunicode::deunicode(name);
    let mut out = String::with_capacity(ascii.len());
    let mut dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn transliterates_and_lowercases() {
        assert_eq!(slug("Le Monde"), "le-monde");
        assert_eq!(slug("Коммерсантъ"), "kommersant");
        assert_eq!(slug("Süddeutsche Zeitung"), "suddeutsche-zeitung");
        assert_eq!(
            slug("  CBS News; Daily Mail (MailOnline) "),
            "cbs-news-daily-mail-mailonline"
        );
        assert_eq!(slug("COVID-19"), "covid-19");
        assert_eq!(slug("الجزيرة"), "ljzyr");
    }

    #[test]
    fn nothing_to_keep_is_empty() {
        assert_eq!(slug("!!! ---"), "");
        assert_eq!(slug(""), "");
    }
}
