//! The framing of the files of the cache folder that hold what a build
//! learned (`link-v1`, `load-v1`): a first line naming the file's kind and
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
/// `body` under `header`, whole (written under a temporary name, then renamed).
pub fn write(dir: &Path, name: &str, header: &str, body: &[u8]) -> io::Result<()> {
    write_pieces(dir, name, header, &[body])
}

/// [`write`] with a body made of `pieces`, one after the other (written as
/// they are, not gathered first).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_back_only_what_it_wrote_whole() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "f", "kind 1", b"{\"a\":\n1}").unwrap();
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
}
