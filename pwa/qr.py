"""QR codes for invitation links, drawn on the server as inline SVG (segno: a kept,
pure-Python library; nothing is fetched, no image file is written)."""

from __future__ import annotations

import io

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(text: str, *, label: str) -> SafeString:
    """An SVG that scales to its box (a viewBox, no fixed size), dark modules on a white
    quiet zone so phone cameras read it in the dark scheme too."""
    code = segno.make(text, error="m")
    out = io.BytesIO()
    code.save(
        out,
        kind="svg",
        scale=1,
        border=4,
        xmldecl=False,
        svgns=True,
        omitsize=True,
        dark="#000",
        light="#fff",
        title=label,
        svgclass="qr",
        lineclass=None,
    )
    # segno writes the title element itself and escapes the text it is given.
    return mark_safe(out.getvalue().decode().replace("<svg ", '<svg role="img" ', 1))
