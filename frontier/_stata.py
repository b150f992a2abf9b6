"""Stata dataset notes: written through pandas' Stata writer, read back from the file's bytes.

pandas writes variable labels and a data label but not Stata's dataset notes (what ``notes`` lists in Stata), where
an export keeps its specification. :class:`NotesWriter` adds them by overriding one step of pandas' **private**
``StataWriterUTF8`` (format 117+): ``_write_characteristics``, using its private ``_update_map``, ``_write_bytes``,
``_byteorder`` and ``_dta_version``. This module is the only place that touches those hooks;
``tests/test_stata.py`` pins the pandas behaviour they rely on, so a pandas release that changes them fails
there, by name, rather than as a damaged file. :func:`stata_notes` reads the notes back from the bytes (pandas
skips characteristics when it reads a file).
"""
from __future__ import annotations

import re
import struct
from pathlib import Path

from pandas.io.stata import StataWriterUTF8

NOTE_LIMIT = 67_000          # bytes of one note's text (Stata's limit for a characteristic is 67,784)


class NotesWriter(StataWriterUTF8):
    """Writes ``notes`` as Stata dataset notes: characteristics ``_dta[note0]`` (the count) and
    ``_dta[note1]``, ``_dta[note2]``... (format 118: 129-byte names, ``<ch>llll varname charname
    contents</ch>``), which Stata lists with ``notes`` and pandas skips when reading."""

    def __init__(self, *args, notes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._frontier_notes = [str(n) for n in notes]

    def _write_characteristics(self) -> None:
        if not self._frontier_notes or self._dta_version < 118:
            return super()._write_characteristics()
        self._update_map("characteristics")
        entries = [("_dta", "note0", str(len(self._frontier_notes)))]
        entries += [("_dta", f"note{i}", text) for i, text in enumerate(self._frontier_notes, start=1)]
        body = b""
        for var, char, contents in entries:
            payload = (var.encode().ljust(129, b"\0") + char.encode().ljust(129, b"\0")
                       + contents.encode("utf-8")[:NOTE_LIMIT] + b"\0")
            body += b"<ch>" + struct.pack(self._byteorder + "I", len(payload)) + payload + b"</ch>"
        self._write_bytes(b"<characteristics>" + body + b"</characteristics>")


def stata_notes(path) -> list[str]:
    """The dataset notes (``_dta[note1]``, ...) of a Stata 118/119 file, in order."""
    raw = Path(path).read_bytes()
    head = raw[:200]
    m = re.search(rb"<release>(\d+)</release>", head)
    release = int(m.group(1)) if m else 0
    if release < 117:
        return []
    order = "<" if b"<byteorder>LSF</byteorder>" in head else ">"
    width = 33 if release == 117 else 129
    start = raw.find(b"<characteristics>")
    end_marker = b"</characteristics>"
    pos = start + len(b"<characteristics>")
    chars = {}
    while raw.startswith(b"<ch>", pos):
        (n,) = struct.unpack(order + "I", raw[pos + 4: pos + 8])
        payload = raw[pos + 8: pos + 8 + n]
        var = payload[:width].split(b"\0")[0].decode()
        char = payload[width: 2 * width].split(b"\0")[0].decode()
        contents = payload[2 * width:].split(b"\0")[0].decode("utf-8", "replace")
        chars[(var, char)] = contents
        pos += 8 + n + len(b"</ch>")
    if not raw.startswith(end_marker, pos):  # pragma: no cover - malformed
        raise ValueError(f"{path}: malformed characteristics block")
    count = int(chars.get(("_dta", "note0"), "0") or 0)
    return [chars.get(("_dta", f"note{i}"), "") for i in range(1, count + 1)]
