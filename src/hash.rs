//! The content hash every stage uses to tell whether bytes are the same as
//! before: of a document as loaded, of a page as written; and the stamp of
//! the program, without which nothing kept from an earlier build is the same.

/// SipHash-1-3 with 128 bits and a fixed key (a stable, documented
/// algorithm; collisions between a file and its next version are out of
/// reach). Kept in the output folder's manifest, so it never changes.
pub fn content_hash(bytes: &[u8]) -> u128 {
    siphasher::sip128::SipHasher13::new().hash(bytes).as_u128()
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
