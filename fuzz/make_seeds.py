#!/usr/bin/env python3
"""Write the seed corpus of each fuzz target under fuzz/seeds/<target>/ from the
example briefing (content/) and the import fixtures (tests/fixtures/seeds/).

Run from anywhere: python3 fuzz/make_seeds.py. The input layouts are described at
the top of each target in fuzz/fuzz_targets/.
"""

import re
import shutil
import struct
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
ROOT = FUZZ.parent
CONTENT = ROOT / "content"
FIXTURES = ROOT / "tests" / "fixtures" / "seeds"
SEEDS = FUZZ / "seeds"


def body(text: str) -> str:
    """The Markdown after the front matter (the whole text if it has none)."""
    for delim in ("+++", "---"):
        if text.startswith(delim + "\n"):
            end = text.find("\n" + delim + "\n", len(delim))
            if end >= 0:
                return text[end + len(delim) + 2 :]
    return text


def word(start: int, length: int) -> bytes:
    """A quote from word `start`, `length` + 1 words long (see common::stretch)."""
    return struct.pack("<HH", 0x8000 | start, length)


def chars(start: int, length: int) -> bytes:
    """A quote from char `start`, `length` chars long."""
    return struct.pack("<HH", start, length)


def one_source(claim: str):
    """The claim with only the evidence from its first source, which becomes `s`;
    links to other documents point at the claim or the source. None if no evidence."""
    fm_end = claim.find("\n+++\n", 3)
    fm, rest = claim[: fm_end + 1], claim[fm_end + 1 :]
    head, *blocks = fm.split("[[evidence]]\n")
    if not blocks:
        return None, None
    first = re.search(r'source = "([^"]+)"', blocks[0]).group(1)
    kept = [b for b in blocks if f'source = "{first}"' in b]
    kept = [re.sub(r'source = "[^"]+"', 'source = "s"', b) for b in kept]
    head = re.sub(r"appears_in = \[[^\]]*\]\n", "", head)
    out = head + "".join("[[evidence]]\n" + b for b in kept) + rest
    out = re.sub(r"\((source|claim|page):[^)#\s]*", lambda m: "(source:s" if m.group(1) == "source" else "(claim:c", out)
    return first, out


def write(target: str, name: str, data: bytes) -> None:
    path = SEEDS / target / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def main() -> None:
    shutil.rmtree(SEEDS, ignore_errors=True)
    docs = sorted(CONTENT.rglob("*.md"))
    sources = {p.stem: p.read_text() for p in sorted((CONTENT / "sources").glob("*.md"))}
    texts = [(k, body(v)) for k, v in sources.items()]
    texts += [(p.stem, p.read_text()) for p in sorted(FIXTURES.glob("*.txt"))]

    # front_matter: every file of the example, and a few shapes it lacks.
    for p in docs:
        write("front_matter", f"{p.parent.name}-{p.name}", p.read_bytes())
    write("front_matter", "yaml-source.md", b'---\ntitle: A report\noutlet: Wire\npublished: 2021-12-30\nkind: news\n---\nText.\n')
    write("front_matter", "yaml-claim.md", b'---\nclaim: "X."\nverdict: "false"\nevidence:\n  - source: wire\n    stance: supports\n    quote: "lasted 50 minutes"\n---\n')
    write("front_matter", "unterminated.md", b'+++\ntitle = "A"\n')
    write("front_matter", "crlf-bom.md", '\ufeff+++\r\ntitle = "A"\r\ntagz = []\r\n+++\r\nx\r\n'.encode())
    write("front_matter", "deep.md", b"---\ntitle: [[[[[[[[{a: [b]}]]]]]]]]\n---\n")

    # quote and marking: a source's body (or an imported article) after the numbers.
    for i, (name, text) in enumerate(texts):
        md = text.encode()
        write("quote", f"{name}-words", word(5 + 7 * i, 6) + md)
        write("quote", f"{name}-chars", chars(40 + 13 * i, 30) + md)
        write("marking", name, bytes([2]) + word(3 + i, 5) + word(4 + i, 8) + word(30, 2) + md)
    write("quote", "markup", word(1, 3) + b"Alpha *beta gamma* [delta](https://x.org) `epsilon` \xe2\x80\x9cquoted\xe2\x80\x9d wait\xe2\x80\xa6 1,100 caf\xc3\xa9\xcc\x81.\n")
    write("marking", "markup", bytes([3]) + word(1, 3) + word(0, 1) + word(2, 4) + word(5, 1)
          + b"Alpha *beta gamma* [delta](https://x.org) `epsilon`\n\n- one\n  - two\n\n> quoted **text**\n\n```rust\nfn x() {}\n```\n\n| a | b |\n|---|---|\n| c | d |\n\n<img src=x onerror=alert(1)> [x](javascript:alert(1)) ![p](https://x.org/p.png)[^1]\n\n[^1]: A note.\n")

    # pipeline: a claim and the one source it quotes first, with a 0 byte between.
    for p in sorted((CONTENT / "claims").glob("*.md"))[:10]:
        first, claim = one_source(p.read_text())
        if claim is None:
            continue
        write("pipeline", p.stem, sources[first].encode() + b"\0" + claim.encode())
    write("pipeline", "hostile", b'+++\ntitle = "<script>x</script>"\noutlet = "W"\npublished = 2021-12-30\nnote = "[a](javascript:alert(1)) <img src=x onerror=alert(2)>"\n+++\nThe call <b>lasted</b> 50 minutes. [x](JavaScript:alert(3))\n\0'
          + b'+++\nclaim = "A claim."\nverdict = "false"\n\n[[evidence]]\nsource = "s"\nstance = "contradicts"\nquote = "lasted</b> 50"\n+++\n')


if __name__ == "__main__":
    main()
