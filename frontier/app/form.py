"""The page's form, derived from the command line's declarations, and the settings file.

Each analysis of the page is a data command of :data:`frontier.cli.commands.COMMANDS`; its fields are the
command's options in the command's groups, with the kind, help (English and Chinese) and default of
:data:`frontier.options.PARAMETERS` and the choices of the command's parser (built from the options and the model
registry), except ``model``, whose choices are the families the analysis itself declares
(:attr:`frontier.analyses._pipeline.Analysis.models`). Nothing is listed here by hand: a model registered, a
parameter added or a command declared appears in the page.

A filled form is turned into the command line's own arguments (:func:`arguments`) and parsed by the command
line's parser (:func:`parse`): the page refuses what the command line refuses, with its message, and the same
arguments are the "reproduce" command line and the settings file (:func:`settings`, :func:`load_settings`: JSON,
parsed, never executed).
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import io
import json
import shlex
from dataclasses import dataclass
from typing import NamedTuple

from ..cli import build_parser, distribution_version
from ..cli.commands import COMMAND, COMMANDS, Command
from ..cli.parser import MODEL_OPTION, family_options
from ..cli.runner import resolve
from ..models.registry import option_help, option_label
from ..options import PARAMETERS

#: kinds of field that name columns of the data (the "variables by role" part of the form)
COLUMN_KINDS = ("columns", "column", "mask")
#: options the page sets itself: its own progress bar replaces the terminal's, and it writes its own files (the
#: downloads), so a file the command line would write (``--by-output FILE``) is not a field
PAGE_CONTROLLED = ("progress", "by_output")
#: the settings file's marker and layout version
SETTINGS_FORMAT = "frontier-app-settings"
SETTINGS_VERSION = 1


class CliOptionText(NamedTuple):
    """The page's words for one of the command line's own options (its English help is the parser's)."""

    label: str
    label_zh: str
    zh: str


#: the plain names and the Chinese help of the command line's own options the page shows (the others are about
#: files and terminals)
CLI_OPTION_TEXTS = {
    "chain": CliOptionText("Gaps in the cumulative GTFP", "累积 GTFP 的缺口处理",
                           "累积 GTFP 中缺失的指数（线性规划失败）：propagate 之后各期的水平均留空（默认）；restart 在"
                           "缺口之后重新起算（restarted 列标出）"),
    "score": CliOptionText("Score column", "得分列",
                           "第二阶段：数据中存放 DEA 得分的列（默认 score，即 frontier efficiency -o 写出的列）"),
}


@dataclass(frozen=True)
class Field:
    """One field of an analysis's form: a keyword of the analysis's function (``options.PARAMETERS``), one of the
    command line's own options the command offers (``--chain``, ``--score``), or a model family's own option
    (EBM's ``epsilon``). ``kind`` is the parameter's (``options.KINDS``), or ``"json"`` for a family option
    without an entry there; ``choices`` those the command line accepts (None: free text); ``default`` what leaving
    it empty means. ``label``/``label_zh`` name it in plain words (the page shows them, with ``name``, the keyword of
    the Python API, beside them), each from where the option is declared: ``Param.label``, the family's
    :func:`~frontier.models.registry.labelled` validator, :data:`CLI_OPTION_TEXTS`."""

    name: str
    dest: str
    flag: str
    kind: str
    group: str
    help: str
    zh: str
    label: str
    label_zh: str
    choices: tuple | None = None
    default: object = None
    required: bool = False

    @property
    def names_columns(self) -> bool:
        return self.kind in COLUMN_KINDS

    def help_in(self, language: str) -> str:
        return self.zh if language == "zh" else self.help

    def label_in(self, language: str) -> str:
        return self.label_zh if language == "zh" else self.label


@functools.lru_cache(maxsize=1)
def _parsers() -> dict:
    """Each data command's parser (the command line's own), by command name."""
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {name: sub.choices[name] for name in COMMAND}


def _actions(cmd: Command) -> dict:
    return {a.dest: a for a in _parsers()[cmd.name]._actions}


def _long_flag(action) -> str:
    return max(action.option_strings, key=len)


def analysis_of(cmd: Command):
    """The :class:`~frontier.analyses._pipeline.Analysis` the command's function declares."""
    return resolve(cmd.function).analysis


def _parameter_field(cmd: Command, name: str, action, title: str) -> Field:
    """The field of ``options.PARAMETERS[name]`` as ``cmd`` takes it (parsed into ``action.dest``)."""
    p = PARAMETERS[name]
    analysis = cmd.function
    choices = analysis_of(cmd).models if name == "model" else action.choices or p.choices_of(analysis)
    return Field(name, action.dest, p.option, p.kind, title, p.help_of(analysis), p.zh_of(analysis),
                 p.label_of(analysis), p.label_zh_of(analysis), tuple(choices) if choices else None,
                 p.default_of(analysis), name in cmd.required)


def fields(cmd: Command) -> list[Field]:
    """The form of ``cmd``, in the order of the command's groups (``--help``'s order); the model family options
    after the model group (one with an entry in ``options.PARAMETERS``, EBM's ``bounded``, as that parameter).
    Read at call time, so a family registered later is in it."""
    actions = _actions(cmd)
    out = []
    for title, names in cmd.groups:
        for name in names:
            if name in PAGE_CONTROLLED:
                continue
            action = actions[cmd.dest_of(name)]
            if name in PARAMETERS:
                out.append(_parameter_field(cmd, name, action, title))
                continue
            # the command line's own option (chain, score)
            text = CLI_OPTION_TEXTS[name]
            out.append(Field(name, action.dest, _long_flag(action), "choice" if action.choices else "column", title,
                             action.help, text.zh, text.label, text.label_zh,
                             tuple(action.choices) if action.choices else None, action.default))
        if title == "model" and cmd.model_options:
            for name in family_options():
                action = actions[MODEL_OPTION + name]
                if name in PARAMETERS:
                    out.append(_parameter_field(cmd, name, action, title))
                    continue
                out.append(Field(name, action.dest, _long_flag(action), "json", title, action.help,
                                 option_help(name, "zh"), option_label(name), option_label(name, "zh")))
    return out


def model_choices(cmd: Command) -> tuple:
    """The models the form of ``cmd`` offers."""
    return next((f.choices for f in fields(cmd) if f.name == "model"), ())


# ----------------------------------------------------------------------------------------------------
# form <-> the command line's arguments
# ----------------------------------------------------------------------------------------------------

def _empty(value) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, (list, tuple)) and not value)


def arguments(cmd: Command, values: dict) -> list[str]:
    """The command line's arguments (after ``frontier COMMAND FILE``) for the form's ``values`` (field name ->
    value; None or empty: not given, the function's default applies). Columns are lists of names; a switch
    True/False; pairs the text ``NAME=VALUE ...``; the rest the choice or the text typed."""
    tokens: list[str] = []
    for f in fields(cmd):
        value = values.get(f.name)
        if _empty(value):
            continue
        if f.kind == "switch":
            tokens.append(f.flag if value else "--no-" + f.flag[2:])
        elif f.kind in ("columns", "pairs"):
            items = shlex.split(value) if isinstance(value, str) else [str(v) for v in value]
            tokens += [f.flag, *items]
        else:
            tokens += [f.flag, str(value).strip()]
    return tokens


def parse(cmd: Command, file: str, tokens: list[str]) -> argparse.Namespace:
    """The command line's parse of ``frontier COMMAND FILE TOKENS``; its one-line error as a ``ValueError``."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        try:
            return build_parser().parse_args([cmd.name, file, *tokens])
        except SystemExit:
            text = err.getvalue().strip().splitlines()
            raise ValueError((text[-1] if text else "invalid options").removeprefix("frontier: error: ")) \
                from None


def values_of(cmd: Command, args: argparse.Namespace) -> dict:
    """The form's values for parsed arguments (the inverse of :func:`arguments`)."""
    values = {}
    for f in fields(cmd):
        value = getattr(args, f.dest, None)
        if value is None or (f.name not in PARAMETERS and value == f.default):   # a CLI option at its default
            values[f.name] = None
        elif f.kind == "pairs":
            values[f.name] = " ".join(shlex.quote(f"{k}={v}") for k, v in value)
        elif f.kind == "json":
            values[f.name] = json.dumps(value)
        elif f.kind in ("columns", "choice", "switch", "column", "mask"):
            values[f.name] = list(value) if f.kind == "columns" else value
        else:
            values[f.name] = str(value)
    return values


def command_line(cmd: Command, data_name: str, tokens: list[str], output: str = "results.xlsx") -> str:
    """The ``frontier`` command that computes the same result and writes it to ``output``."""
    return shlex.join(["frontier", cmd.name, data_name, *tokens, "-o", output])


# ----------------------------------------------------------------------------------------------------
# the settings file: the analysis and the command line's arguments, as JSON (parsed, never executed)
# ----------------------------------------------------------------------------------------------------

def settings(cmd: Command, tokens: list[str], data_name: str, sheet=None) -> dict:
    return {"format": SETTINGS_FORMAT, "version": SETTINGS_VERSION, "frontier": distribution_version(),
            "analysis": cmd.name, "data file": data_name, "sheet": sheet, "arguments": list(tokens)}


def load_settings(text: str | bytes) -> tuple[Command, dict, dict]:
    """A settings file -> (the command, the form's values, the file itself). The arguments are checked by the
    command line's parser (an unknown option or a wrong choice is refused with its message); nothing in the file
    is executed."""
    try:
        content = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"the settings file is not JSON: {exc}") from None
    if not isinstance(content, dict) or content.get("format") != SETTINGS_FORMAT:
        raise ValueError(f"not a settings file of frontier app (no \"format\": \"{SETTINGS_FORMAT}\")")
    if content.get("analysis") not in COMMAND:
        raise ValueError(f"unknown analysis {content.get('analysis')!r}; one of {', '.join(COMMAND)}")
    tokens = content.get("arguments")
    if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
        raise ValueError("\"arguments\" must be a list of texts (the command line's arguments)")
    cmd = COMMAND[content["analysis"]]
    return cmd, values_of(cmd, parse(cmd, content.get("data file") or "data.csv", tokens)), content


# ----------------------------------------------------------------------------------------------------
# the worked example
# ----------------------------------------------------------------------------------------------------

EXAMPLE_FILE = "city_panel.csv"


def example() -> tuple:
    """The worked example (docs/worked-example.md, ``frontier demo``): the bundled city panel and the super-SBM
    Malmquist-Luenberger settings -> (the panel, the command, the form's values)."""
    from ..datasets import synthetic_city_panel
    from ..demo import BADS, INPUTS, OUTPUTS

    cmd = COMMAND["productivity"]
    values = {"entity": "city", "period": "year", "inputs": INPUTS, "outputs": OUTPUTS, "bad_outputs": BADS,
              "index": "ml", "model": "sbm", "rts": "vrs", "super_efficiency": True}
    return synthetic_city_panel(), cmd, values


__all__ = ["Field", "COMMANDS", "fields", "model_choices", "arguments", "parse", "values_of", "command_line",
           "settings", "load_settings", "example"]
