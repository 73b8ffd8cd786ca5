//! Dates as written in front matter: `YYYY-MM-DD` or an RFC 3339 date-time,
//! as a TOML date/date-time or as a string.

use std::cmp::Ordering;
use std::fmt;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A calendar date, optionally with a time of day and UTC offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Date {
    /// A day, `2021-12-30`.
    Day(NaiveDate),
    /// A local date-time with no offset (TOML allows it), `2021-12-30T15:35:00`.
    Local(NaiveDateTime),
    /// An RFC 3339 date-time, `2021-12-30T15:35:00-05:00`.
    Zoned(DateTime<FixedOffset>),
}

impl Date {
    /// Parse `YYYY-MM-DD`, an RFC 3339 date-time, or a local date-time.
    pub fn parse(s: &str) -> Result<Date, String> {
        let s = s.trim();
        // (The common form, without parsing a pattern: briefings have thousands of dates.)
        if let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = *s.as_bytes() {
            let digits = [y1, y2, y3, y4, m1, m2, d1, d2];
            if digits.iter().all(u8::is_ascii_digit) {
                let n = |ds: &[u8]| ds.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0'));
                let (y, m, d) = (n(&digits[..4]), n(&digits[4..6]), n(&digits[6..]));
                if let Some(d) = NaiveDate::from_ymd_opt(y as i32, m, d) {
                    return Ok(Date::Day(d));
                }
            }
        }
        if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            return Ok(Date::Day(d));
        }
        if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
            return Ok(Date::Zoned(dt));
        }
        for fmt in [
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%d %H:%M:%S",
        ] {
            if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
                return Ok(Date::Local(dt));
            }
        }
        Err(format!(
            "`{s}` is not a date: write YYYY-MM-DD (e.g. 2021-12-30) or an RFC 3339 date-time (e.g. 2021-12-30T15:35:00-05:00)"
        ))
    }

    /// The calendar day.
    pub fn day(&self) -> NaiveDate {
        match self {
            Date::Day(d) => *d,
            Date::Local(dt) => dt.date(),
            Date::Zoned(dt) => dt.date_naive(),
        }
    }

    /// Whether `self` and `other` are written the same: `==` takes two
    /// zoned times at the same instant as equal, though their offsets (and
    /// so their days) differ.
    pub fn same_as(&self, other: &Date) -> bool {
        match (self, other) {
            (Date::Zoned(a), Date::Zoned(b)) => a == b && a.offset() == b.offset(),
            _ => self == other,
        }
    }

    /// Machine-readable form for `datetime` attributes, JSON-LD and sitemaps.
    pub fn iso(&self) -> String {
        match self {
            // (Written out for the years of four digits: chrono's formatter
            // parses its pattern each time, and cards, the sitemap and
            // `claimreview.json` write thousands of dates.)
            Date::Day(d) if (0..=9999).contains(&d.year()) => {
                format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
            }
            Date::Day(d) => d.format("%Y-%m-%d").to_string(),
            Date::Local(dt) => dt.format("%Y-%m-%dT%H:%M:%S").to_string(),
            Date::Zoned(dt) => dt.to_rfc3339(),
        }
    }

    /// RFC 3339 with a time and offset, as Atom requires (a bare day becomes midnight UTC).
    pub fn rfc3339(&self) -> String {
        match self {
            Date::Day(d) => format!("{}T00:00:00Z", d.format("%Y-%m-%d")),
            Date::Local(dt) => format!("{}Z", dt.format("%Y-%m-%dT%H:%M:%S")),
            Date::Zoned(dt) => dt.to_rfc3339(),
        }
    }

    /// How readers see it: `30 December 2021`.
    pub fn human(&self) -> String {
        self.day().format("%-d %B %Y").to_string()
    }

    fn sort_key(&self) -> (NaiveDate, i64) {
        match self {
            Date::Day(d) => (*d, 0),
            Date::Local(dt) => (dt.date(), dt.and_utc().timestamp()),
            Date::Zoned(dt) => (dt.date_naive(), dt.timestamp()),
        }
    }
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Date {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

/// As a string [`Date::parse`] reads back as the same date (for the load
/// cache); an error for a date it would not.
impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = match self {
            Date::Day(_) => self.iso(),
            Date::Local(dt) => dt.format("%Y-%m-%dT%H:%M:%S%.f").to_string(),
            Date::Zoned(dt) => dt.to_rfc3339(),
        };
        match Date::parse(&text) {
            Ok(back) if back.same_as(self) => serializer.serialize_str(&text),
            _ => Err(serde::ser::Error::custom(format!(
                "{text} does not read back"
            ))),
        }
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // (A format that does not describe itself, the cache folder's bincode,
        // holds the text only.)
        if deserializer.is_human_readable() {
            deserializer.deserialize_any(DateVisitor)
        } else {
            deserializer.deserialize_str(DateVisitor)
        }
    }
}

struct DateVisitor;

impl<'de> Visitor<'de> for DateVisitor {
    type Value = Date;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a date (YYYY-MM-DD) or an RFC 3339 date-time")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
        Date::parse(v).map_err(E::custom)
    }

    // The toml crate hands its native date-times over as a one-entry map
    // whose value is the date-time's text.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Date, A::Error> {
        let Some((_, value)) = map.next_entry::<String, String>()? else {
            return Err(de::Error::custom("expected a date"));
        };
        Date::parse(&value).map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_written_form() {
        assert_eq!(Date::parse("2021-12-30").unwrap().iso(), "2021-12-30");
        assert_eq!(
            Date::parse("2021-12-30T15:35:00-05:00").unwrap().iso(),
            "2021-12-30T15:35:00-05:00"
        );
        assert_eq!(
            Date::parse("2021-12-30T15:35:00").unwrap().iso(),
            "2021-12-30T15:35:00"
        );
        assert!(Date::parse("30/12/2021")
            .unwrap_err()
            .contains("YYYY-MM-DD"));
        assert!(Date::parse("2021-02-30").is_err());
    }

    #[test]
    fn toml_native_and_string_dates_agree() {
        #[derive(Deserialize)]
        struct T {
            a: Date,
            b: Date,
            c: Date,
        }
        let t: T =
            toml::from_str("a = 2021-12-30\nb = \"2021-12-30\"\nc = 2021-12-30T15:35:00Z").unwrap();
        assert_eq!(t.a, t.b);
        assert_eq!(t.c.rfc3339(), "2021-12-30T15:35:00+00:00");
        let y: T =
            serde_yaml_ng::from_str("a: 2021-12-30\nb: '2021-12-30'\nc: 2021-12-30T15:35:00Z")
                .unwrap();
        assert_eq!(y.a, t.a);
    }

    #[test]
    fn orders_by_day_then_time_and_reads_humanly() {
        let a = Date::parse("2021-12-29").unwrap();
        let b = Date::parse("2021-12-30T10:00:00Z").unwrap();
        assert!(a < b);
        assert_eq!(b.human(), "30 December 2021");
        assert_eq!(a.rfc3339(), "2021-12-29T00:00:00Z");
    }
}
