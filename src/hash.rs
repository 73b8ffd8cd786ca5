//! The content hash every stage uses to tell whether bytes are the same as
//! before: of a document as loaded, of a page as written.

/// SipHash-1-3 with 128 bits and a fixed key (a stable, documented
/// algorithm; collisions between a file and its next version are out of
/// reach). Kept in the output folder's manifest, so it never changes.
pub fn content_hash(bytes: &[u8]) -> u128 {
    siphasher::sip128::SipHasher13::new().hash(bytes).as_u128()
}
