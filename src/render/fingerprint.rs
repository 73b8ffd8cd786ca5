//! Fingerprints of what pages are rendered from, so that a page whose output
//! would be the same as last time is not rendered again.
//!
//! A page's output is a function of its template context (what its module
//! puts in it), the global context (`site`), the theme's templates, its words
//! ([`Translations`](super::i18n::Translations)), the HTML `serve` injects and
//! factbrief itself. Every value put in a page's context is also written, as
//! serde gives it, into a stream of bytes that says each value and its type
//! (`Inputs`; a claim's or a source's card writes a hash of itself instead,
//! made once: see [`Shown`]); a page's fingerprint is the hash of that stream, of the same
//! stream of the global context, and of the other inputs. Two equal
//! fingerprints mean the same template run on the same values, short of a
//! collision of a 128-bit hash. The hash is SipHash-1-3 with 128 bits and a
//! fixed key, as the content hash of the output manifest: the same on every
//! machine, so fingerprints may be kept across processes (of one build of
//! factbrief: only its version is in them).
//!
//! The pipeline keeps the fingerprint of each page it holds the bytes of
//! ([`Fingerprints`]) and gives them to the next render ([`Kept`]): a page
//! whose fingerprint is the one kept is not rendered, its bytes are kept.

use std::collections::{BTreeMap, HashMap};
use std::ops::Deref;
use std::sync::OnceLock;

use serde::{ser, Deserialize, Serialize};
use tera::Context;

use super::view::{no_cards, KnownCards};

/// The fingerprint of the inputs each page was rendered from, by output path
/// (`/`-separated, relative to the output root). Only pages rendered with a
/// template have one, and `claimreview.json` (of the values it is written from).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprints {
    pages: BTreeMap<String, u128>,
}

impl Fingerprints {
    /// The fingerprint of the page at output path `path`, if one is kept.
    pub fn get(&self, path: &str) -> Option<u128> {
        self.pages.get(path).copied()
    }

    /// How many pages have a fingerprint.
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    /// Whether no page has one.
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    /// Forget every fingerprint.
    pub fn clear(&mut self) {
        self.pages.clear();
    }

    /// Forget the fingerprint of the page at `path` (its bytes went, or were
    /// replaced by bytes made otherwise).
    pub fn forget(&mut self, path: &str) {
        self.pages.remove(path);
    }

    /// Keep only the fingerprints of the pages at the paths `keep` accepts.
    pub fn retain(&mut self, mut keep: impl FnMut(&str) -> bool) {
        self.pages.retain(|p, _| keep(p));
    }

    /// Take the fingerprints of a render: those of the pages it rendered
    /// replace any kept for their paths (call [`Fingerprints::forget`] first
    /// for the files it made without a template).
    pub fn extend(&mut self, rendered: impl IntoIterator<Item = (String, u128)>) {
        self.pages.extend(rendered);
    }
}

/// What a render may keep of the last: the fingerprints of the pages whose
/// bytes are still held, for the pages it would render again. For a build
/// into a folder holding the last build's site, the bytes are not held in
/// memory but are the files there ([`Kept::in_folder`]).
#[derive(Clone, Copy)]
pub struct Kept<'a>(Held<'a>, &'a KnownCards<'a>);

#[derive(Clone, Copy)]
enum Held<'a> {
    Nothing,
    /// Fingerprints, and whether a page's bytes are still held.
    InMemory(&'a Fingerprints, &'a (dyn Fn(&str) -> bool + Sync)),
    /// By output path, the fingerprint and the content hash of the file;
    /// and the pages known by their inputs instead (see [`Kept::needs_print`]).
    InFolder(
        &'a HashMap<String, (u128, u128)>,
        &'a (dyn Fn(&str) -> bool + Sync),
    ),
}

impl<'a> Kept<'a> {
    /// Nothing: every page is rendered.
    pub fn nothing() -> Kept<'static> {
        Kept(Held::Nothing, &no_cards)
    }

    /// The fingerprints `prints`, of the pages whose bytes `held` says are
    /// still there as they were rendered with them.
    pub fn new(prints: &'a Fingerprints, held: &'a (dyn Fn(&str) -> bool + Sync)) -> Kept<'a> {
        Kept(Held::InMemory(prints, held), &no_cards)
    }

    /// The pages a build wrote into the output folder: by path, the
    /// fingerprint each was rendered with and the content hash of its file.
    /// The pages `by_inputs` accepts are known by the fingerprint of their
    /// inputs ([`super::reuse`]), not of their context: none is made for them.
    /// The fingerprints of the cards `cards` knows were kept by that build.
    pub fn in_folder(
        files: &'a HashMap<String, (u128, u128)>,
        by_inputs: &'a (dyn Fn(&str) -> bool + Sync),
        cards: &'a KnownCards<'a>,
    ) -> Kept<'a> {
        Kept(Held::InFolder(files, by_inputs), cards)
    }

    /// The fingerprints of the cards known before they are made.
    pub fn cards(&self) -> &'a KnownCards<'a> {
        self.1
    }

    /// Whether the page at `path` needs the fingerprint of its template
    /// context: not when it is known otherwise. (Written out, a source's page
    /// context is about a tenth of a full build's work.)
    pub fn needs_print(&self, path: &str) -> bool {
        match self.0 {
            Held::InFolder(_, by_inputs) => !by_inputs(path),
            _ => true,
        }
    }

    /// The fingerprint kept for the page at `path`, if its bytes are held
    /// (or its file is in the folder).
    pub fn get(&self, path: &str) -> Option<u128> {
        match self.0 {
            Held::Nothing => None,
            Held::InMemory(prints, held) => prints.get(path).filter(|_| held(path)),
            Held::InFolder(files, _) => files.get(path).map(|f| f.0),
        }
    }

    /// The content hash of the file of the page at `path` in the output
    /// folder, for a build into it: a page found unchanged is kept only if
    /// the sink vouches that the file holds it.
    pub fn file(&self, path: &str) -> Option<u128> {
        match self.0 {
            Held::InFolder(files, _) => files.get(path).map(|f| f.1),
            _ => None,
        }
    }
}

/// A page's template context being filled, and the fingerprint of what was
/// put in it; or the fingerprint alone, to tell whether the page changed
/// before converting anything for Tera.
pub(super) struct Inputs {
    ctx: Context,
    /// Values go into `ctx` too.
    convert: bool,
    /// The stream of what the page is rendered from; none without the
    /// fingerprint of what every page shares.
    stream: Option<Stream>,
}

impl Inputs {
    /// A context to render `template` with, and its fingerprint, given that
    /// of the inputs every page shares (see [`global`]).
    pub(super) fn context(global: Option<u128>, template: &str) -> Inputs {
        let stream = global.map(|g| {
            let mut s = Stream::default();
            s.put(&g.to_le_bytes());
            s.str(template);
            s
        });
        Inputs {
            ctx: Context::new(),
            convert: true,
            stream,
        }
    }

    /// The fingerprint alone (the context stays empty).
    pub(super) fn fingerprint_only(global: Option<u128>, template: &str) -> Inputs {
        Inputs {
            convert: false,
            ..Inputs::context(global, template)
        }
    }

    /// Put `value` in the context as `key` (the only way in, so the
    /// fingerprint covers everything the context holds).
    pub(super) fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        if let Some(s) = &mut self.stream {
            s.entry(key, value);
        }
        if self.convert {
            self.ctx.insert(key, value);
        }
    }

    /// The context.
    pub(super) fn ctx(&self) -> &Context {
        &self.ctx
    }

    /// The page's fingerprint: of what was put in its context, the template
    /// and what every page shares; none without the latter, or when a value
    /// could not be written.
    pub(super) fn fingerprint(&mut self) -> Option<u128> {
        self.stream.as_mut()?.finish()
    }
}

/// The fingerprint of the inputs every page shares: factbrief's version, the
/// theme's templates (their fingerprint), its words (theirs), the HTML put in
/// every page, and the global context, `site`, as written by `site`; none
/// when `site` cannot be written.
pub(super) fn global(
    templates: u128,
    words: u128,
    inject: Option<&str>,
    site: &impl Serialize,
) -> Option<u128> {
    let mut s = Stream::default();
    s.str(env!("CARGO_PKG_VERSION"));
    s.put(&templates.to_le_bytes());
    s.put(&words.to_le_bytes());
    s.entry("inject", &inject);
    s.entry("site", site);
    s.finish()
}

/// The fingerprint of named texts (the theme's templates, a table of words).
pub fn of_texts<'a>(texts: impl IntoIterator<Item = (&'a str, &'a str)>) -> u128 {
    let mut s = Stream::default();
    for (name, text) in texts {
        s.str(name);
        s.str(text);
    }
    s.finish().unwrap_or_default()
}

/// A value many pages show (a claim's or a source's card), written into a
/// page's fingerprint as a fingerprint of its own, made the first time it is
/// asked for: a list of fifty cards then writes fifty hashes, not fifty cards,
/// and each card is written out once a build however many lists show it.
/// Every other serializer (the template context's) gets the value itself.
///
/// The value is made when first needed, and its fingerprint may be known
/// before (kept by the last build, which made the card from the same
/// inputs: see [`super::reuse`]): a list whose cards are all known is then
/// fingerprinted without making any, and only a list being rendered makes them.
///
/// [`Stream`] is the one serializer that is not human-readable, which is how
/// the two are told apart.
pub struct Shown<T, A> {
    value: OnceLock<T>,
    /// What the value is made of, and how.
    args: A,
    make: fn(A) -> T,
    /// None if the value could not be written.
    print: OnceLock<Option<u128>>,
    /// The fingerprint was known before.
    given: bool,
}

impl<T, A: Copy> Shown<T, A> {
    /// The value `make` makes of `args`, when first needed; its fingerprint
    /// `print`, if known.
    pub fn lazy(args: A, make: fn(A) -> T, print: Option<u128>) -> Shown<T, A> {
        let known = OnceLock::new();
        if let Some(p) = print {
            let _ = known.set(Some(p));
        }
        Shown {
            value: OnceLock::new(),
            args,
            make,
            print: known,
            given: print.is_some(),
        }
    }

    /// Its fingerprint, if it was not known before but has been made since.
    pub fn made_print(&self) -> Option<u128> {
        self.print.get().copied().flatten().filter(|_| !self.given)
    }
}

impl<T: std::fmt::Debug, A: Copy> std::fmt::Debug for Shown<T, A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl<T, A: Copy> Deref for Shown<T, A> {
    type Target = T;

    fn deref(&self) -> &T {
        self.value.get_or_init(|| (self.make)(self.args))
    }
}

impl<T: Serialize, A: Copy> Serialize for Shown<T, A> {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            return (**self).serialize(serializer);
        }
        let print = self.print.get_or_init(|| {
            let mut s = Stream::default();
            s.entry("shown", &**self);
            s.finish()
        });
        match print {
            Some(print) => serializer.serialize_newtype_struct("Shown", print),
            None => Err(ser::Error::custom(Failed)),
        }
    }
}

/// Values as serde gives them, written so that different values (or the
/// same written with different types) never give the same bytes: each value
/// starts with a byte saying its kind, lengths and names are written out, and
/// compound values end with a byte no value starts with. The bytes are hashed
/// as they come: SipHash-1-3 with 128 bits and a fixed key, as the output
/// manifest's content hash.
struct Stream {
    hasher: siphasher::sip128::SipHasher13,
    /// Bytes not hashed yet (hashed a block at a time).
    buf: Vec<u8>,
    /// A value could not be written (its `Serialize` failed): no fingerprint.
    failed: bool,
}

/// How many bytes [`Stream`] keeps before hashing them.
const BLOCK: usize = 8192;

impl Default for Stream {
    fn default() -> Stream {
        Stream {
            hasher: siphasher::sip128::SipHasher13::new(),
            buf: Vec::with_capacity(BLOCK),
            failed: false,
        }
    }
}

/// The byte that ends a compound value (no value starts with it).
const END: u8 = b'.';

impl Stream {
    /// Bytes of a length known when compiled (copied without a call).
    #[inline]
    fn put_array<const N: usize>(&mut self, bytes: [u8; N]) {
        if self.buf.len() + N > BLOCK {
            self.flush();
        }
        self.buf.extend_from_slice(&bytes);
    }

    fn put(&mut self, bytes: &[u8]) {
        if self.buf.len() + bytes.len() > BLOCK {
            self.flush();
            if bytes.len() > BLOCK {
                std::hash::Hasher::write(&mut self.hasher, bytes);
                return;
            }
        }
        self.buf.extend_from_slice(bytes);
    }

    fn flush(&mut self) {
        std::hash::Hasher::write(&mut self.hasher, &self.buf);
        self.buf.clear();
    }

    /// The hash of every byte written; none if a value could not be written.
    fn finish(&mut self) -> Option<u128> {
        use siphasher::sip128::Hasher128;
        self.flush();
        (!self.failed).then(|| self.hasher.finish128().as_u128())
    }

    fn entry<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        self.tag(b'=');
        self.str(key);
        if value.serialize(&mut *self).is_err() {
            self.failed = true;
        }
    }

    #[inline]
    fn tag(&mut self, tag: u8) {
        self.put_array([tag]);
    }

    /// A length, in LEB128 (seven bits a byte, the last byte's top bit clear).
    #[inline]
    fn len(&mut self, n: usize) {
        let mut n = n as u64;
        while n >= 0x80 {
            self.put_array([(n as u8 & 0x7f) | 0x80]);
            n >>= 7;
        }
        self.put_array([n as u8]);
    }

    fn str(&mut self, s: &str) {
        self.len(s.len());
        self.put(s.as_bytes());
    }

    /// A variant: its type's name, index and name.
    fn variant(&mut self, name: &str, index: u32, variant: &str) {
        self.str(name);
        self.put_array(index.to_le_bytes());
        self.str(variant);
    }
}

/// Why a value could not be written (its own `Serialize` said so).
#[derive(Debug)]
struct Failed;

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the value cannot be serialized")
    }
}

impl std::error::Error for Failed {}

impl ser::Error for Failed {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Failed
    }
}

type Done = Result<(), Failed>;

macro_rules! numbers {
    ($($method:ident: $ty:ty => $tag:expr, $width:expr;)*) => {
        $(fn $method(self, v: $ty) -> Done {
            self.tag($tag);
            self.tag($width);
            self.put_array(v.to_le_bytes());
            Ok(())
        })*
    };
}

impl<'s> ser::Serializer for &'s mut Stream {
    type Ok = ();
    type Error = Failed;
    type SerializeSeq = &'s mut Stream;
    type SerializeTuple = &'s mut Stream;
    type SerializeTupleStruct = &'s mut Stream;
    type SerializeTupleVariant = &'s mut Stream;
    type SerializeMap = &'s mut Stream;
    type SerializeStruct = &'s mut Stream;
    type SerializeStructVariant = &'s mut Stream;

    /// Not human-readable: that is how a [`Shown`] value knows to write its fingerprint.
    fn is_human_readable(&self) -> bool {
        false
    }

    fn serialize_bool(self, v: bool) -> Done {
        self.tag(b'B');
        self.tag(u8::from(v));
        Ok(())
    }

    numbers! {
        serialize_i8: i8 => b'i', 1;
        serialize_i16: i16 => b'i', 2;
        serialize_i32: i32 => b'i', 4;
        serialize_i64: i64 => b'i', 8;
        serialize_i128: i128 => b'i', 16;
        serialize_u8: u8 => b'u', 1;
        serialize_u16: u16 => b'u', 2;
        serialize_u32: u32 => b'u', 4;
        serialize_u64: u64 => b'u', 8;
        serialize_u128: u128 => b'u', 16;
    }

    fn serialize_f32(self, v: f32) -> Done {
        self.tag(b'f');
        self.put_array(v.to_bits().to_le_bytes());
        Ok(())
    }

    fn serialize_f64(self, v: f64) -> Done {
        self.tag(b'd');
        self.put_array(v.to_bits().to_le_bytes());
        Ok(())
    }

    fn serialize_char(self, v: char) -> Done {
        self.tag(b'c');
        self.put_array(u32::from(v).to_le_bytes());
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Done {
        self.tag(b's');
        self.str(v);
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Done {
        self.tag(b'b');
        self.len(v.len());
        self.put(v);
        Ok(())
    }

    fn serialize_none(self) -> Done {
        self.tag(b'N');
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Done {
        self.tag(b'S');
        value.serialize(self)
    }

    fn serialize_unit(self) -> Done {
        self.tag(b'U');
        Ok(())
    }

    fn serialize_unit_struct(self, name: &'static str) -> Done {
        self.tag(b'T');
        self.str(name);
        Ok(())
    }

    fn serialize_unit_variant(self, name: &'static str, index: u32, variant: &'static str) -> Done {
        self.tag(b'V');
        self.variant(name, index, variant);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Done {
        self.tag(b'W');
        self.str(name);
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Done {
        self.tag(b'X');
        self.variant(name, index, variant);
        value.serialize(self)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self, Failed> {
        self.tag(b'[');
        Ok(self)
    }

    fn serialize_tuple(self, len: usize) -> Result<Self, Failed> {
        self.tag(b'(');
        self.len(len);
        Ok(self)
    }

    fn serialize_tuple_struct(self, name: &'static str, len: usize) -> Result<Self, Failed> {
        self.tag(b'P');
        self.str(name);
        self.len(len);
        Ok(self)
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self, Failed> {
        self.tag(b'Q');
        self.variant(name, index, variant);
        self.len(len);
        Ok(self)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self, Failed> {
        self.tag(b'{');
        Ok(self)
    }

    fn serialize_struct(self, name: &'static str, _len: usize) -> Result<Self, Failed> {
        self.tag(b'R');
        self.str(name);
        Ok(self)
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self, Failed> {
        self.tag(b'Y');
        self.variant(name, index, variant);
        Ok(self)
    }
}

impl ser::SerializeSeq for &mut Stream {
    type Ok = ();
    type Error = Failed;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        value.serialize(&mut **self)
    }
    fn end(self) -> Done {
        self.tag(END);
        Ok(())
    }
}

impl ser::SerializeTuple for &mut Stream {
    type Ok = ();
    type Error = Failed;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        value.serialize(&mut **self)
    }
    fn end(self) -> Done {
        self.tag(END);
        Ok(())
    }
}

impl ser::SerializeTupleStruct for &mut Stream {
    type Ok = ();
    type Error = Failed;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        value.serialize(&mut **self)
    }
    fn end(self) -> Done {
        self.tag(END);
        Ok(())
    }
}

impl ser::SerializeTupleVariant for &mut Stream {
    type Ok = ();
    type Error = Failed;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        value.serialize(&mut **self)
    }
    fn end(self) -> Done {
        self.tag(END);
        Ok(())
    }
}

impl ser::SerializeMap for &mut Stream {
    type Ok = ();
    type Error = Failed;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Done {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        value.serialize(&mut **self)
    }
    fn end(self) -> Done {
        self.tag(END);
        Ok(())
    }
}

impl ser::SerializeStruct for &mut Stream {
    type Ok = ();
    type Error = Failed;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Done {
        self.tag(b'F');
        self.str(key);
        value.serialize(&mut **self)
    }
    fn skip_field(&mut self, key: &'static str) -> Done {
        self.tag(b'K');
        self.str(key);
        Ok(())
    }
    fn end(self) -> Done {
        self.tag(END);
        Ok(())
    }
}

impl ser::SerializeStructVariant for &mut Stream {
    type Ok = ();
    type Error = Failed;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Done {
        self.tag(b'F');
        self.str(key);
        value.serialize(&mut **self)
    }
    fn skip_field(&mut self, key: &'static str) -> Done {
        self.tag(b'K');
        self.str(key);
        Ok(())
    }
    fn end(self) -> Done {
        self.tag(END);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hash of the stream of one value.
    fn stream<T: Serialize + ?Sized>(value: &T) -> u128 {
        let mut s = Stream::default();
        s.entry("v", value);
        s.finish().expect("written")
    }

    #[derive(Serialize)]
    struct A<'a> {
        x: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        y: Option<u32>,
    }

    #[derive(Serialize)]
    struct B<'a> {
        x: &'a str,
    }

    #[derive(Serialize)]
    enum E {
        One,
        Two(u8),
    }

    #[test]
    fn values_that_differ_write_differently() {
        // Each pair is alike as text or JSON, but not as Tera values (or not as serde gives them).
        let pairs: Vec<(u128, u128)> = vec![
            (stream("1"), stream(&1u64)),
            (stream(&1u64), stream(&1i64)),
            (stream(&1u32), stream(&1u64)),
            (stream(&None::<u8>), stream(&())),
            (stream(&Some("")), stream("")),
            (stream(&Some(None::<u8>)), stream(&None::<u8>)),
            (stream(&[["a"], ["b"]]), stream(&[["a", "b"]])),
            (stream(&vec!["ab"]), stream(&vec!["a", "b"])),
            (
                stream(&vec![vec!["a"], vec![]]),
                stream(&vec![vec![], vec!["a"]]),
            ),
            (stream(&vec![1u8, 2]), stream(&(1u8, 2u8))),
            (stream(&A { x: "a", y: None }), stream(&B { x: "a" })),
            (
                stream(&A { x: "a", y: Some(1) }),
                stream(&A { x: "a", y: None }),
            ),
            (stream(&E::One), stream("One")),
            (stream(&E::Two(1)), stream(&1u8)),
            (stream(&0.0f64), stream(&-0.0f64)),
            (stream(&'a'), stream("a")),
            (
                stream(&BTreeMap::from([("a", "b")])),
                stream(&BTreeMap::from([("b", "a")])),
            ),
        ];
        for (i, (a, b)) in pairs.iter().enumerate() {
            assert_ne!(a, b, "pair {i}");
        }
        // The same value writes the same.
        assert_eq!(
            stream(&A { x: "a", y: Some(1) }),
            stream(&A { x: "a", y: Some(1) })
        );
    }

    #[test]
    fn a_fingerprint_covers_the_shared_inputs_and_the_template() {
        let site = B { x: "Briefing" };
        let g = global(1, 2, None, &site);
        assert!(g.is_some());
        for other in [
            global(9, 2, None, &site),
            global(1, 9, None, &site),
            global(1, 2, Some(""), &site),
            global(1, 2, None, &B { x: "Other" }),
        ] {
            assert_ne!(g, other);
        }
        let print = |global: Option<u128>, template: &str, title: &str, convert: bool| {
            let mut page = if convert {
                Inputs::context(global, template)
            } else {
                Inputs::fingerprint_only(global, template)
            };
            page.insert("title", title);
            // Converted for Tera, or not.
            assert_eq!(page.ctx().get("title").is_some(), convert);
            page.fingerprint()
        };
        let first = print(g, "claims.html", "T", true);
        assert!(first.is_some());
        assert_eq!(first, print(g, "claims.html", "T", false));
        assert_ne!(first, print(g, "tag.html", "T", true));
        assert_ne!(first, print(g, "claims.html", "U", true));
        assert_ne!(
            first,
            print(global(1, 2, Some(""), &site), "claims.html", "T", true)
        );
        assert_eq!(print(None, "claims.html", "T", true), None);
    }

    /// A shown value known by its fingerprint is written into a page's by
    /// that fingerprint, without being made; one not known is made once,
    /// and writes what it would have written had it been known.
    #[test]
    fn a_shown_value_known_by_its_fingerprint_is_not_made() {
        fn never(_: ()) -> String {
            panic!("made although its fingerprint is known")
        }
        let known = Shown::lazy((), never, Some(7));
        let print = stream(&known);
        assert_eq!(known.made_print(), None, "known, not made");

        fn make(x: &str) -> String {
            format!("card of {x}")
        }
        let unknown = Shown::lazy("a", make, None);
        let made = stream(&unknown);
        let card = unknown
            .made_print()
            .expect("its fingerprint is made as it is written");
        assert_eq!(stream(&Shown::lazy((), never, Some(card))), made);
        assert_ne!(print, made);
        // As Tera sees it (human-readable): the value itself.
        assert_eq!(
            serde_json::to_string(&unknown).unwrap(),
            "\"card of a\"".to_owned()
        );
    }

    #[test]
    fn a_value_that_cannot_be_written_has_no_fingerprint() {
        struct Fails;
        impl Serialize for Fails {
            fn serialize<S: ser::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(ser::Error::custom("no"))
            }
        }
        let mut only = Inputs::fingerprint_only(Some(1), "t");
        only.insert("x", &Fails);
        assert_eq!(only.fingerprint(), None);
        assert_eq!(global(1, 2, None, &Fails), None);
    }

    #[test]
    fn the_hash_is_the_manifests() {
        // What `write::manifest::content_hash` is, of the bytes joined, however long.
        let long = "x".repeat(3 * BLOCK);
        let mut joined = Vec::new();
        let mut s = Stream::default();
        for part in ["ab", "", "cd", &long, "ef"] {
            s.put(part.as_bytes());
            joined.extend_from_slice(part.as_bytes());
        }
        let hash = siphasher::sip128::SipHasher13::new()
            .hash(&joined)
            .as_u128();
        assert_eq!(s.finish(), Some(hash));
    }

    #[test]
    fn fingerprints_round_trip_through_serde() {
        let mut prints = Fingerprints::default();
        prints.extend([
            ("index.html".to_owned(), u128::MAX),
            ("a/index.html".to_owned(), 7),
        ]);
        let json = serde_json::to_string(&prints).unwrap();
        let back: Fingerprints = serde_json::from_str(&json).unwrap();
        assert_eq!(back, prints);
        assert_eq!(back.get("index.html"), Some(u128::MAX));
        let held = |p: &str| p == "index.html";
        let kept = Kept::new(&back, &held);
        assert_eq!(kept.get("index.html"), Some(u128::MAX));
        assert_eq!(kept.get("a/index.html"), None, "not held");
        assert_eq!(Kept::nothing().get("index.html"), None);
    }
}
