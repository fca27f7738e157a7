"""Real files for upload tests, built byte by byte: each opens in the program it claims to be for.

PNG, PDF, DOCX and ODT are complete minimal documents; the JPEG is a valid 1×1 baseline image;
the HEIC is an ISO base media file with the `heic` brand and a `meta` box, as phones write them.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile


def png(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b"
    "0b0c1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e3334"
    "32ffc0000b080001000101011100ffc4001f0000010501010101010100000000000000000102030405060708"
    "090a0bffc400b5100002010303020403050504040000017d01020300041105122131410613516107227114"
    "328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748"
    "494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999a"
    "a2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8"
    "e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9"
)


def pdf(text: str = "Ritning över altanen", extra: bytes = b"") -> bytes:
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>" + extra,
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def heic() -> bytes:
    brands = b"heic" + struct.pack(">I", 0) + b"mif1heic"
    ftyp = struct.pack(">I", 8 + len(brands)) + b"ftyp" + brands
    handler = b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00pict" + b"\x00" * 12 + b"\x00"
    hdlr = struct.pack(">I", 8 + len(handler)) + b"hdlr" + handler
    meta_body = b"\x00\x00\x00\x00" + hdlr
    meta = struct.pack(">I", 8 + len(meta_body)) + b"meta" + meta_body
    mdat_body = b"\x00" * 64
    mdat = struct.pack(">I", 8 + len(mdat_body)) + b"mdat" + mdat_body
    return ftyp + meta + mdat


DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="{main}"/></Types>'
)
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCX_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
DOCX_DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
)


def docx(
    text: str = "Ansökan om bygglov",
    *,
    main: str = DOCX_MAIN,
    extra: dict[str, bytes] | None = None,
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_TYPES.format(main=main))
        archive.writestr("_rels/.rels", DOCX_RELS)
        archive.writestr("word/document.xml", DOCX_DOCUMENT.format(text=text))
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def odt(text: str = "Synpunkt på snöröjningen") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED
        )
        archive.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            f"<office:body><office:text><text:p>{text}</text:p></office:text></office:body>"
            "</office:document-content>",
            compress_type=zipfile.ZIP_DEFLATED,
        )
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
            'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
            '<manifest:file-entry manifest:full-path="content.xml" '
            'manifest:media-type="text/xml"/></manifest:manifest>',
            compress_type=zipfile.ZIP_DEFLATED,
        )
    return buffer.getvalue()


def plain_zip(members: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (members or {"foto.jpg": JPEG}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb(megabytes: int = 50) -> bytes:
    """A DOCX-shaped zip whose one entry unpacks to `megabytes` of zeros (about 1000:1)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_TYPES.format(main=DOCX_MAIN))
        archive.writestr("word/document.xml", DOCX_DOCUMENT.format(text="x"))
        archive.writestr("word/media/image1.png", b"\x00" * (megabytes * 1024 * 1024))
    return buffer.getvalue()


def overlapping_zip() -> bytes:
    """A zip whose central directory lists the same compressed block twice (overlapping files):
    the shape of the non-recursive zip bombs, which unpack to far more than any ratio shows."""
    original = docx()
    archive = zipfile.ZipFile(io.BytesIO(original))
    entries = archive.infolist()
    start = original.rindex(b"PK\x05\x06")
    directory_offset = struct.unpack("<I", original[start + 16 : start + 20])[0]
    directory = original[directory_offset:start]
    # Append a copy of the first directory record under a new name pointing at offset 0.
    first_record_length = 46 + len(entries[0].filename.encode())
    record = bytearray(directory[:first_record_length])
    new_name = b"word/copy.xml"[: len(entries[0].filename.encode())].ljust(
        len(entries[0].filename.encode()), b"x"
    )
    record[46:] = new_name
    new_directory = directory + bytes(record)
    count = len(entries) + 1
    end = bytearray(original[start:])
    struct.pack_into("<HH", end, 8, count, count)
    struct.pack_into("<I", end, 12, len(new_directory))
    return original[:directory_offset] + new_directory + bytes(end)


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)
