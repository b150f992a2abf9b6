"""frontier._stata: the dataset notes written through pandas' private StataWriterUTF8 hooks, pinned.

NotesWriter overrides ``_write_characteristics`` and uses ``_update_map``, ``_write_bytes``, ``_byteorder`` and
``_dta_version``; a pandas release that renames or changes them should fail here, by name, not as a damaged file.
"""
from __future__ import annotations

import inspect

import pandas as pd
from pandas.io.stata import StataWriterUTF8

from frontier._stata import NotesWriter, stata_notes

HOOKS = ("_write_characteristics", "_update_map", "_write_bytes")


def frame() -> pd.DataFrame:
    return pd.DataFrame({"city": ["北京", "a"], "score": [0.5, 1.0]})


def test_the_private_hooks_exist_where_notes_writer_expects_them():
    for name in HOOKS:
        assert callable(getattr(StataWriterUTF8, name, None)), f"pandas' StataWriterUTF8 has no {name}"
    assert list(inspect.signature(StataWriterUTF8._update_map).parameters) == ["self", "tag"]
    assert list(inspect.signature(StataWriterUTF8._write_bytes).parameters) == ["self", "value"]


def test_notes_are_written_and_read_back_and_the_data_is_intact(tmp_path):
    path = tmp_path / "notes.dta"
    notes = ["model: sbm", "convention: 1 = efficient", "ünïcode 城市"]
    writer = NotesWriter(path, frame(), write_index=False, version=118, data_label="frontier",
                         variable_labels={"score": "efficiency score"}, notes=notes)
    assert writer._dta_version == 118 and writer._byteorder in ("<", ">")
    writer.write_file()
    assert stata_notes(path) == notes
    with pd.io.stata.StataReader(path) as reader:
        back = reader.read()
        assert reader.variable_labels()["score"] == "efficiency score"
        assert reader.data_label == "frontier"
    pd.testing.assert_frame_equal(back, frame())


def test_without_notes_the_file_is_pandas_own(tmp_path):
    ours, theirs = tmp_path / "ours.dta", tmp_path / "theirs.dta"
    NotesWriter(ours, frame(), write_index=False, version=118).write_file()
    StataWriterUTF8(theirs, frame(), write_index=False, version=118).write_file()
    assert stata_notes(ours) == []
    # the header's time stamp is the only difference a second apart could make
    strip = lambda raw: raw.replace(raw[raw.find(b"<timestamp>"): raw.find(b"</timestamp>")], b"")  # noqa: E731
    assert strip(ours.read_bytes()) == strip(theirs.read_bytes())


def test_format_119_holds_the_notes_too(tmp_path):
    path = tmp_path / "wide.dta"
    NotesWriter(path, frame(), write_index=False, version=119, notes=["a: 1", "b: 2"]).write_file()
    assert stata_notes(path) == ["a: 1", "b: 2"]
    pd.testing.assert_frame_equal(pd.read_stata(path), frame())
