"""Bytes to text: binary sniffing, decoding with fallbacks and warnings, newline
normalisation, and the repair of lone surrogates in Python strings.

A declared charset (an HTML ``<meta charset>``, an HTTP ``Content-Type``
parameter) is a label chosen by whoever wrote the input, so it never names a
Python codec directly: only the labels of the WHATWG Encoding Standard are
honoured (:func:`charset_codec`, the table ``data/lexicons/encoding_labels.tsv``).
Any other label ("undefined", "punycode", "utf-7", a Python-only codec) gives one
warning and the bytes are decoded as if nothing had been declared.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache
from typing import BinaryIO

from ..errors import (
    BinaryInputError,
    EmptyInputError,
    InputError,
)
from ..lexicons import LEXICON_DIR, read_table

#: Bytes inspected when sniffing binary content.
SNIFF_BYTES = 8192


#: Share of control bytes (other than tab, newline, CR, form feed, ESC) above
#: which content is called binary.
MAX_CONTROL_SHARE = 0.10


#: Known magic numbers of binary formats (prefix -> name).
MAGIC_NUMBERS: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ\x90\x00", "Windows executable"),
    (b"BZh91AY&SY", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office (OLE) document"),
    (b"PAR1", "Parquet file"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"\x00asm", "WebAssembly module"),
    (b"(\xb5/\xfd", "zstd archive"),
)


BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


#: Fallback encodings after UTF-8; latin-1 decodes any bytes.
FALLBACK_ENCODINGS = ("cp1252", "latin-1")


#: The allow-list of declared charsets: label, WHATWG name, Python codec.
ENCODING_LABELS_FILE = LEXICON_DIR / "encoding_labels.tsv"

#: What :func:`decode_bytes` says when nobody says who declared a charset.
DECLARED_BY_PAGE = "declared by the page"

_ASCII_SPACE = " \t\n\r\f"


@lru_cache(maxsize=1)
def encoding_labels() -> dict[str, tuple[str, str]]:
    """Every honoured charset label (ASCII lower case) -> (its WHATWG encoding name, the Python codec)."""
    return {cells[0]: (cells[1], cells[2]) for cells in read_table(ENCODING_LABELS_FILE)}


def charset_encoding(label: str | None) -> tuple[str, str] | None:
    """(WHATWG name, Python codec) of a declared charset ``label``, or None when the label
    is not on the allow-list (matched as the WHATWG standard says: outer ASCII white
    space dropped, ASCII case ignored)."""
    if not label:
        return None
    label = label.strip(_ASCII_SPACE)
    if not label.isascii():
        return None
    return encoding_labels().get(label.lower())


def charset_codec(label: str | None) -> str | None:
    """The Python codec for a declared charset ``label``, or None when it is not honoured."""
    known = charset_encoding(label)
    return known[1] if known else None


def unknown_charset_warning(name: str, label: str, declared_by: str = DECLARED_BY_PAGE) -> str:
    """The one warning for a declared charset that is not honoured."""
    shown = ascii(label.strip(_ASCII_SPACE)[:60])
    return f"{name}: charset {shown} ({declared_by}) is not a known text encoding; ignored"


_HTML_START_RE = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)


_HTML_TAG_RE = re.compile(r"<(?:p|div|article|body|h1|title|meta|br)\b[^>]*>", re.IGNORECASE)


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``; a leading BOM is dropped."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def repair_text(text: str) -> tuple[str, int]:
    """``text`` with lone surrogates replaced by U+FFFD, and how many were replaced.

    A Python ``str`` can hold surrogate code points (a JSON ``"\\ud800"``
    escape, a Parquet or API string), which are not valid Unicode: encoding
    them to UTF-8 fails far downstream.  A surrogate pair is joined into the
    character it encodes.  Text without surrogates is returned as it is.
    """
    if _SURROGATE_RE.search(text) is None:
        return text, 0
    fixed = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return fixed, fixed.count("\ufffd") - text.count("\ufffd")


def repaired(text: str, what: str, warnings: list[str]) -> str:
    """:func:`repair_text`, with a warning naming ``what`` (input, row and field) when
    something was replaced: the one place where text from Python strings is repaired."""
    fixed, n = repair_text(text)
    if n:
        warnings.append(f"{what}: {n} lone surrogate(s) (invalid Unicode) replaced with U+FFFD")
    return fixed


def binary_kind(data: bytes) -> str | None:
    """What binary format ``data`` looks like, or None when it may be text.

    Text with a UTF-16/32 byte-order mark is text.
    """
    head = data[:SNIFF_BYTES]
    if any(head.startswith(bom) for bom, _ in BOMS):
        return None
    for magic, name in MAGIC_NUMBERS:
        if head.startswith(magic):
            return name
    if _utf16_without_bom(head):
        return None
    if b"\x00" in head:
        return "binary data (NUL bytes)"
    if head:
        control = sum(1 for b in head if b < 0x20 and b not in (9, 10, 12, 13, 27))
        if control / len(head) > MAX_CONTROL_SHARE:
            return "binary data (control bytes)"
    return None


def _utf16_without_bom(head: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` when ``head`` looks like BOM-less UTF-16
    text: NULs in most high bytes of one parity, almost none in the other, and
    the sample decodes."""
    n = len(head) - len(head) % 2
    if n < 8:
        return None
    half = n // 2
    odd_nul = head[1:n:2].count(0)
    even_nul = head[0:n:2].count(0)
    guess = None
    if odd_nul >= 0.6 * half and even_nul <= 0.02 * half:
        guess = "utf-16-le"
    elif even_nul >= 0.6 * half and odd_nul <= 0.02 * half:
        guess = "utf-16-be"
    if guess is None:
        return None
    try:
        codecs.getincrementaldecoder(guess)().decode(head[:n], final=False)  # the tail may be cut
    except UnicodeDecodeError:
        return None
    return guess


def decode_bytes(
    data: bytes, name: str, *, encoding: str | None = None, declared_by: str = DECLARED_BY_PAGE
) -> tuple[str, list[str]]:
    """Decode ``data`` (from ``name``, used in messages) to text, plus warnings.

    BOMs (UTF-8/16/32) are honoured; then ``encoding``, a declared charset label
    (an HTML meta charset, an HTTP charset; ``declared_by`` says which, for the
    warnings), when it is on the allow-list (:func:`charset_codec`; any other
    label is one warning and is ignored); then UTF-8, then cp1252 and latin-1,
    with a warning naming the encoding used whenever the text was not UTF-8.
    Newlines are normalised.  No label can make decoding fail: a codec that
    refuses the bytes is passed over for the next candidate.

    Raises :class:`EmptyInputError` for empty or whitespace-only input and
    :class:`BinaryInputError` for binary content.
    """
    warnings: list[str] = []
    if not data or data.isspace():
        raise EmptyInputError(f"{name}: empty input (no text)")
    kind = binary_kind(data)
    if kind:
        raise BinaryInputError(f"{name}: looks like a binary file ({kind}), not text or HTML")
    text: str | None = None
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: has a {codec} byte-order mark but is not valid {codec} ({exc.reason})") from None
            if codec != "utf-8":
                warnings.append(f"{name}: input is not UTF-8; decoded as {codec} (byte-order mark)")
            break
    if text is None:
        known = charset_encoding(encoding)
        declared = known[1] if known else None
        if encoding and declared is None:
            warnings.append(unknown_charset_warning(name, encoding, declared_by))
        bomless = _utf16_without_bom(data[:SNIFF_BYTES])
        candidates = [c for c in (bomless, declared, "utf-8", *FALLBACK_ENCODINGS) if c]
        for codec in dict.fromkeys(candidates):
            try:
                text = data.decode(codec)
            except (UnicodeError, LookupError):  # UnicodeError: a codec that fails in its own way
                continue
            if codecs.lookup(codec).name != "utf-8":
                how = (declared_by if codec == declared
                       else "UTF-16 without byte-order mark" if codec == bomless else "not valid UTF-8")
                shown = known[0] if known and codec == declared else codec
                warnings.append(f"{name}: input is not UTF-8; decoded as {shown} ({how})")
            break
    assert text is not None  # latin-1 decodes anything
    text = normalise_newlines(text)
    if not text or text.isspace():
        raise EmptyInputError(f"{name}: empty input (no text)")
    return text, warnings


def looks_like_html(text: str) -> bool:
    """True when ``text`` starts like an HTML document or is dense with HTML tags."""
    head = text[:4096]
    if _HTML_START_RE.match(head):
        return True
    return head.lstrip().startswith("<") and len(_HTML_TAG_RE.findall(head)) >= 2


def read_capped(stream: BinaryIO, name: str, limit: int, chunk: int = 1 << 20) -> bytes:
    """Read at most ``limit`` bytes in chunks (no ``limit``-sized buffer up front)."""
    parts: list[bytes] = []
    size = 0
    while True:
        part = stream.read(min(chunk, limit + 1 - size))
        if not part:
            break
        parts.append(part)
        size += len(part)
        if size > limit:
            raise InputError(f"{name}: larger than {limit // (1024 * 1024)} MB; too big for one article")
    return b"".join(parts)
