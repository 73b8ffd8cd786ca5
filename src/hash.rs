//! The content hash every stage uses to tell whether bytes are the same as
//! before: of a document as loaded, of a page as written; and the stamp of
//! the program, without which nothing kept from an earlier build is the same.

/// SipHash-1-3 with 128 bits and a fixed key (a stable, documented
/// algorithm; collisions between a file and its next version are out of
/// reach). Kept in the output folder's manifest, so it never changes.
pub fn content_hash(bytes: &[u8]) -> u128 {
    siphasher::sip128::SipHasher13::new().hash(bytes).as_u128()
}

/// Append `v` to `out` as 32 lowercase hexadecimal digits (as `{:032x}`
/// writes it, several times faster: the cache and manifest files write
/// thousands).
pub fn push_hex(out: &mut String, v: u128) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    out.reserve(32);
    for i in (0..32).rev() {
        out.push(char::from(DIGITS[((v >> (4 * i)) & 0xf) as usize]));
    }
}

/// The value of 32 hexadecimal digits (either case), as [`push_hex`] writes
/// it; `None` for anything else.
pub fn parse_hex(digits: &str) -> Option<u128> {
    if digits.len() != 32 {
        return None;
    }
    digits.bytes().try_fold(0u128, |v, b| {
        let d = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => return None,
        };
        Some(v << 4 | u128::from(d))
    })
}

/// The [`content_hash`] of a sequence of byte strings, each length-prefixed
/// so that two sequences never run together into the same bytes (what a
/// kept page or search record is made of).
#[derive(Default)]
pub struct Fields(Vec<u8>);

impl Fields {
    /// Add one field.
    pub fn add(&mut self, bytes: &[u8]) -> &mut Fields {
        self.0
            .extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        self.0.extend_from_slice(bytes);
        self
    }

    /// The hash of the fields added.
    pub fn finish(&self) -> u128 {
        content_hash(&self.0)
    }
}

/// The version, size and modification time of the running binary: a
/// rebuilt factbrief may link or render anything differently.
/// (Read once: every reader of the cache folder compares it.)
pub fn program_stamp() -> &'static str {
    static STAMP: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    STAMP.get_or_init(stamp)
}

fn stamp() -> String {
    let meta = std::env::current_exe().and_then(std::fs::metadata);
    match meta {
        Ok(m) => format!(
            "{} {} {:?}",
            env!("CARGO_PKG_VERSION"),
            m.len(),
            m.modified().ok()
        ),
        // Unknown: never the same twice, so nothing is reused.
        Err(_) => format!("unknown {:?}", std::time::SystemTime::now()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_as_format_writes_it_and_reads_back() {
        for v in [0, 1, 0xabc, u128::MAX, u128::MAX / 3, content_hash(b"x")] {
            let mut out = String::from("> ");
            push_hex(&mut out, v);
            assert_eq!(out, format!("> {v:032x}"));
            assert_eq!(parse_hex(&out[2..]), Some(v));
            assert_eq!(parse_hex(&out[2..].to_uppercase()), Some(v));
        }
        let bad = [
            "",
            "0",
            &"0".repeat(31),
            &"0".repeat(33),
            &format!("{}g", "0".repeat(31)),
            &format!("+{}", "0".repeat(31)),
            &format!("{}é", "0".repeat(30)),
        ];
        for b in bad {
            assert_eq!(parse_hex(b), None, "{b:?}");
        }
    }
}
