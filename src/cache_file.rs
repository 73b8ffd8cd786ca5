//! The framing of the files of the cache folder that hold what a build
//! learned (`link-v2`, `load-v2`): a first line naming the file's kind and
//! version, a second with the stamp of the program that wrote it
//! ([`program_stamp`]: a rebuilt factbrief may read or link differently, so
//! it reads nothing another build of it wrote), a third with a checksum of the
//! rest, then the body. A file of another kind, version or program, cut short
//! or corrupt, reads as nothing (and is safe to delete).

use std::io;
use std::path::Path;

use crate::hash::program_stamp;

/// The body of the file `name` of the cache folder `dir`, if it is there,
/// starts with `header` and this program's stamp, and is whole.
pub fn read(dir: &Path, name: &str, header: &str) -> Option<Vec<u8>> {
    let mut bytes = std::fs::read(dir.join(name)).ok()?;
    let mut lines = bytes.splitn(4, |b| *b == b'\n');
    if lines.next()? != header.as_bytes() || lines.next()? != program_stamp().as_bytes() {
        return None;
    }
    let sum: u32 = std::str::from_utf8(lines.next()?).ok()?.parse().ok()?;
    let body = lines.next()?;
    if crc32fast::hash(body) != sum {
        return None;
    }
    let start = body.as_ptr() as usize - bytes.as_ptr() as usize;
    bytes.drain(..start);
    Some(bytes)
}

/// Replace the file `name` of the cache folder `dir` (made if need be) with
/// a body made of `pieces`, one after the other (written as they are, not
/// gathered first), under `header`, whole (written under a temporary name,
/// then renamed).
pub fn write_pieces(dir: &Path, name: &str, header: &str, pieces: &[&[u8]]) -> io::Result<()> {
    let mut sum = crc32fast::Hasher::new();
    for piece in pieces {
        sum.update(piece);
    }
    let head = format!("{header}\n{}\n{}\n", program_stamp(), sum.finalize());
    crate::write::replace_file_with(dir, name, |out| {
        out.write_all(head.as_bytes())?;
        pieces.iter().try_for_each(|piece| out.write_all(piece))
    })
}

/// How the entries of these files are encoded: bincode, reading at most
/// `limit` bytes (the entry's own: a length read that runs past it is an
/// error, whatever the format's own checks).
pub fn encoding(limit: usize) -> impl bincode::Options + Copy {
    use bincode::Options;
    bincode::DefaultOptions::new().with_limit(limit as u64)
}

/// Where each entry is in `body`, by its path: the body is, for each entry,
/// the length of its path (4 bytes, little-endian), the path, the length of
/// the entry and the entry ([`write_framed`]). `None` if it does not frame whole.
pub fn frames(body: &[u8]) -> Option<std::collections::HashMap<Box<str>, std::ops::Range<usize>>> {
    fn take(body: &[u8], at: &mut usize) -> Option<std::ops::Range<usize>> {
        let len = u32::from_le_bytes(body.get(*at..*at + 4)?.try_into().ok()?) as usize;
        let start = *at + 4;
        let end = start.checked_add(len).filter(|end| *end <= body.len())?;
        *at = end;
        Some(start..end)
    }
    let mut index = std::collections::HashMap::new();
    let mut at = 0;
    while at < body.len() {
        let path = std::str::from_utf8(&body[take(body, &mut at)?]).ok()?;
        let entry = take(body, &mut at)?;
        // (A path twice is no body this program wrote.)
        if index.insert(path.into(), entry).is_some() {
            return None;
        }
    }
    Some(index)
}

/// Remove the file `name` of the cache folder `dir`, of a version no longer
/// read, if it is there (what cannot be removed stays: nothing reads it).
pub fn remove_older(dir: &Path, name: &str) {
    let _ = std::fs::remove_file(dir.join(name));
}

/// [`write_pieces`] of a body [`frames`] reads: each of `entries`, a path
/// and its entry, in their order (one over 4 GB is left out).
pub fn write_framed(
    dir: &Path,
    name: &str,
    header: &str,
    entries: &[(&str, &[u8])],
) -> io::Result<()> {
    let length = |b: &[u8]| u32::try_from(b.len()).ok().map(u32::to_le_bytes);
    let lengths: Vec<Option<([u8; 4], [u8; 4])>> = (entries.iter())
        .map(|(path, entry)| Some((length(path.as_bytes())?, length(entry)?)))
        .collect();
    let mut pieces: Vec<&[u8]> = Vec::with_capacity(entries.len() * 4);
    for ((path, entry), lengths) in entries.iter().zip(&lengths) {
        if let Some((of_path, of_entry)) = lengths {
            pieces.extend([&of_path[..], path.as_bytes(), &of_entry[..], entry]);
        }
    }
    write_pieces(dir, name, header, &pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_back_only_what_it_wrote_whole() {
        let dir = tempfile::tempdir().unwrap();
        write_pieces(dir.path(), "f", "kind 1", &[b"{\"a\":\n1}"]).unwrap();
        assert_eq!(read(dir.path(), "f", "kind 1").unwrap(), b"{\"a\":\n1}");
        assert_eq!(read(dir.path(), "f", "kind 2"), None);
        assert_eq!(read(dir.path(), "g", "kind 1"), None);
        let path = dir.path().join("f");
        let whole = std::fs::read(&path).unwrap();
        std::fs::write(&path, &whole[..whole.len() - 1]).unwrap();
        assert_eq!(read(dir.path(), "f", "kind 1"), None);
        let mut flipped = whole.clone();
        *flipped.last_mut().unwrap() = b'2';
        std::fs::write(&path, &flipped).unwrap();
        assert_eq!(read(dir.path(), "f", "kind 1"), None);
        let other = String::from_utf8(whole)
            .unwrap()
            .replacen(program_stamp(), "0.0.0 1 None", 1);
        std::fs::write(&path, other).unwrap();
        assert_eq!(read(dir.path(), "f", "kind 1"), None);
    }

    #[test]
    fn frames_read_back_what_write_framed_wrote_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let entries: [(&str, &[u8]); 3] =
            [("a.md", b"one"), ("b\n.md", b""), ("c.md", b"\x00\xff")];
        write_framed(dir.path(), "f", "kind 1", &entries).unwrap();
        let body = read(dir.path(), "f", "kind 1").unwrap();
        let index = frames(&body).unwrap();
        assert_eq!(index.len(), 3);
        assert_eq!(&body[index["a.md"].clone()], b"one");
        assert_eq!(&body[index["b\n.md"].clone()], b"");
        assert_eq!(&body[index["c.md"].clone()], b"\x00\xff");
        assert_eq!(frames(&[]).unwrap().len(), 0);
        // Cut anywhere inside: not whole.
        for cut in 1..body.len() {
            let whole = frames(&body[..cut]).is_some_and(|i| i.len() < 3);
            let at_an_end = [15, 28].contains(&cut);
            assert_eq!(whole, at_an_end, "cut at {cut}");
        }
        // A path twice, or one that is not UTF-8: not a body this program wrote.
        let twice = [&body[..15], &body[..15]].concat();
        assert!(frames(&twice).is_none());
        let mut bad = body.clone();
        bad[4] = 0xff;
        assert!(frames(&bad).is_none());
    }
}
