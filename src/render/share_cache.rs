//! Share images, made once: a claim's image depends only on what it shows
//! (verdict, claim, claimant, site title, language), so it is kept by a hash
//! of that as a blob ([`Blobs`]): in memory across the rebuilds of `serve`,
//! and for `build` in the cache folder beside the output
//! (`.<name>.factbrief-cache/share-v1/`).

use std::sync::Arc;

use super::blobs::{Blobs, Key};
use super::share_image::{self, ShareCard};

/// Bumped when the drawing or the encoding changes, so an upgrade never reuses an
/// old image (v2: deflated by zlib-rs at level 3; v3: text drawn from glyph masks).
/// Images kept under an older version's keys are removed by the next full build.
const VERSION: &str = concat!("share-v3-", env!("CARGO_PKG_VERSION"));

/// The folder of cached images under a cache folder.
pub const FOLDER: &str = "share-v1";

/// The PNG of `card`: kept, read from the cache folder, or drawn.
pub fn image(images: &Blobs, card: &ShareCard) -> Vec<u8> {
    let png = images.get_or_make(key(card), || share_image::render(card));
    // Read from the folder (or just made for it) it is ours: no copy.
    Arc::try_unwrap(png).unwrap_or_else(|kept| kept.to_vec())
}

/// A hash of the version and every field of the card.
pub fn key(card: &ShareCard) -> u64 {
    Key::new(VERSION)
        .field(card.verdict_label.as_bytes())
        .field(card.verdict_key.as_bytes())
        .field(&card.rating.unwrap_or(0).to_le_bytes())
        .field(&card.best.to_le_bytes())
        .field(card.claim.as_bytes())
        .field(card.claimant.unwrap_or("\u{0}").as_bytes())
        .field(card.site_title.as_bytes())
        .field(card.language.as_bytes())
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card<'a>(claim: &'a str) -> ShareCard<'a> {
        ShareCard {
            verdict_label: "False",
            verdict_key: "false",
            rating: Some(1),
            best: 5,
            claim,
            claimant: None,
            site_title: "Desk",
            language: "en",
        }
    }

    #[test]
    fn an_image_is_drawn_once_and_read_back_from_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Blobs::on_disk(dir.path().join(FOLDER));
        let a = image(&cache, &card("The call lasted two hours."));
        assert!(a.starts_with(b"\x89PNG\r\n\x1a\n"));
        // A new run reads it instead of drawing it: same bytes.
        let again = Blobs::on_disk(dir.path().join(FOLDER));
        assert_eq!(
            again
                .get(key(&card("The call lasted two hours.")))
                .as_deref(),
            Some(&a)
        );
        // Another card is another image.
        assert_ne!(image(&again, &card("The call lasted an hour.")), a);
        assert_ne!(
            key(&card("The call lasted an hour.")),
            key(&card("The call lasted two hours."))
        );
    }
}
