"""The argument parser, built from :data:`frontier.cli.commands.COMMANDS`, :data:`frontier.options.PARAMETERS`
and the model registry: a parameter's flag, choices and help are written once, in ``options.py``; the options
only some models take (EBM's ``--epsilon``) come from the registry. Building the parser imports neither pandas
nor the engine (``frontier --help`` stays quick)."""
from __future__ import annotations

import argparse
import os
import textwrap

from ..models import REGISTRY, model_names
from ..models.registry import option_help
from ..options import PARAMETERS, CHAIN_POLICIES
from .commands import PLOT_OPTIONS

EXIT_USAGE = 2
MODEL_OPTION = "model_option_"          # the dest prefix of the registry's family options (``--epsilon``)


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors: ``frontier: error: ... (see 'frontier X --help')``."""

    def error(self, message):
        self.exit(EXIT_USAGE, f"frontier: error: {message} (see '{self.prog} --help')\n")


class Formatter(argparse.RawDescriptionHelpFormatter):
    """Wraps the option help and the description; keeps the epilog (examples) as written."""

    def __init__(self, prog):
        super().__init__(prog, max_help_position=30, width=min(100, _terminal_width()))

    def add_text(self, text):
        if text and text is not argparse.SUPPRESS and "\n" not in text:
            text = textwrap.fill(text, width=max(self._width - self._current_indent, 40))
        super().add_text(text)


def _terminal_width() -> int:
    try:
        return os.get_terminal_size().columns
    except OSError:
        return 100


# ----------------------------------------------------------------------------------------------------
# value converters (argparse ``type=``): a bad value is a one-line usage error naming the option
# ----------------------------------------------------------------------------------------------------

def lower_name(text: str) -> str:
    return text.strip().lower().replace("-", "_")


def nonnegative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {value}")
    return value


def weight(text: str):
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"weights are VARIABLE=NUMBER, got {text!r}")
    try:
        return name, float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"weight of {name!r} must be a number, got {value!r}") from None


def price(text: str):
    """``VARIABLE=COLUMN`` or ``VARIABLE=NUMBER``; which of the two is decided against the data's columns."""
    name, sep, value = text.partition("=")
    if not sep or not name or not value:
        raise argparse.ArgumentTypeError(f"prices are VARIABLE=COLUMN or VARIABLE=NUMBER, got {text!r}")
    return name, value


def rule_or_number(rules: tuple):
    """A converter taking one of ``rules`` (a bandwidth rule) or a number."""
    def convert(text: str):
        if lower_name(text) in rules:
            return lower_name(text)
        try:
            return float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected one of {', '.join(rules)} or a number, got {text!r}") \
                from None
    return convert


def number_or_json(text: str):
    import json

    try:
        return json.loads(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number or JSON text, got {text!r}") from None


def separator(text: str) -> str:
    if text.lower() in ("tab", "\\t", "\t"):
        return "\t"
    if not text:
        raise argparse.ArgumentTypeError("the separator is empty")
    return text


def encoding(text: str) -> str:
    import codecs

    try:
        return codecs.lookup(text).name
    except LookupError:
        raise argparse.ArgumentTypeError(f"unknown text encoding {text!r} (e.g. utf-8, gbk, gb18030, "
                                         "latin-1)") from None


def carry_over(text: str):
    """``KIND=COLUMN`` (dynamic SBM's carry-overs): the pair ``(kind, column)``, the kind checked by the call."""
    kind, sep, column = text.partition("=")
    if not sep or not kind or not column:
        raise argparse.ArgumentTypeError(f"carry-overs are KIND=COLUMN (good, bad, free or fixed), got {text!r}")
    return kind, column


def node_rts(text: str):
    """``NODE=RTS`` (network SBM's per-node returns to scale): the pair ``(node, rts)``, checked by the call."""
    node, sep, value = text.partition("=")
    if not sep or not node or not value:
        raise argparse.ArgumentTypeError(f"node returns to scale are NODE=crs or NODE=vrs, got {text!r}")
    return node, lower_name(value)


STRUCTURE_FILES = (".json", ".toml", ".yaml", ".yml")


def structure(text: str):
    """A structure (a network's nodes, links, stages): JSON text, or a .json, .toml, .yaml or .yml file holding
    it. Read here, so a wrong file is a usage error before the data are read."""
    import json

    if text.lower().endswith(STRUCTURE_FILES):
        try:
            with open(text, "rb") as handle:
                raw = handle.read()
        except OSError as error:
            raise argparse.ArgumentTypeError(f"cannot read {text!r}: {error.strerror}") from None
        suffix = os.path.splitext(text)[1].lower()
        try:
            if suffix == ".toml":
                try:
                    import tomllib
                except ImportError:             # Python 3.10
                    raise argparse.ArgumentTypeError("a TOML file needs Python 3.11 or later; give JSON or YAML") \
                        from None
                return tomllib.loads(raw.decode("utf-8"))
            if suffix in (".yaml", ".yml"):
                try:
                    import yaml
                except ImportError:
                    raise argparse.ArgumentTypeError("a YAML file needs PyYAML (pip install pyyaml); or give "
                                                     "JSON") from None
                return yaml.safe_load(raw.decode("utf-8"))
            return json.loads(raw.decode("utf-8"))
        except argparse.ArgumentTypeError:
            raise
        except Exception as error:              # each reader's own parse error
            raise argparse.ArgumentTypeError(f"{text!r} is not valid {suffix[1:].upper()}: {error}") from None
    try:
        return json.loads(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"expected JSON text or a .json/.toml/.yaml file, got {text!r} ({error})") \
            from None


PAIRS = {"weights": weight, "prices": price, "carry_overs": carry_over, "period_weights": weight,
         "node_weights": weight, "node_rts": node_rts}
# a ``pairs`` parameter's converter, by name

# ----------------------------------------------------------------------------------------------------
# the options that are the command line's own (files, plots, messages): no keyword of the function
# ----------------------------------------------------------------------------------------------------

FILE_HELP = "data file: .csv, .xlsx/.xls (Excel), .dta (Stata) or .parquet; one row per DMU"
PANEL_FILE_HELP = "data file (.csv, .xlsx/.xls, .dta or .parquet): a long panel, one row per entity and period"

#: dest -> (flags, ``add_argument`` keywords); every option a data command has beyond its function's keywords
CLI_OPTIONS = {
    "sheet": (("--sheet",), dict(default=None, help="the Excel sheet to read (name or number; default the first)")),
    "sep": (("--sep",), dict(type=separator, default=None, metavar="CHAR",
                             help="CSV field separator (default ',' for .csv, tab for .tsv; 'tab' or '\\t' for a "
                                  "tab, e.g. --sep ';')")),
    "decimal": (("--decimal",), dict(default=".", metavar="CHAR",
                                     help="CSV decimal mark (default '.'; e.g. --decimal , for files with European "
                                          "settings)")),
    "encoding": (("--encoding",), dict(type=encoding, default=None, metavar="NAME",
                                       help="CSV text encoding (default utf-8, with or without a byte-order mark); "
                                            "a CSV saved by Excel on Chinese Windows is usually gbk or gb18030")),
    "na_values": (("--na-values",), dict(nargs="+", default=[], metavar="TEXT",
                                         help="cell texts that mean 'missing' in CSV and Excel files, besides empty "
                                              "cells (the default: only empty cells, so that an entity called NA "
                                              "keeps its name), e.g. --na-values NA . -")),
    "output": (("-o", "--output"), dict(metavar="FILE",
                                        help="write the results here; the format follows the extension: .csv, "
                                             ".xlsx (with a 'specification' sheet), .dta (variable labels, the "
                                             "specification as notes) or .parquet; '-' writes CSV to standard "
                                             "output. Never the data file itself (see --force)")),
    "bom": (("--bom",), dict(action=argparse.BooleanOptionalAction, default=True,
                             help="start a CSV written with -o (or --by-output) with the UTF-8 byte-order mark, so "
                                  "that Excel (on Chinese Windows too) shows Chinese headers and labels correctly "
                                  "(default); --no-bom for programs that do not skip it (R's read.csv)")),
    "by_output": (("--by-output",), dict(metavar="FILE",
                                         help="with --by: write the table by group and period there (.csv, .xlsx, "
                                              ".dta or .parquet; the group labels kept as they are, Chinese "
                                              "included)")),
    "keep_data": (("--keep-data",), dict(action="store_true",
                                         help="write all input columns followed by the results (default: only the "
                                              "identifying columns and the results, ready to merge back)")),
    "force": (("--force",), dict(action="store_true",
                                 help="let -o (or a plot option) overwrite the data file FILE itself, which is "
                                      "otherwise refused (also through a link)")),
    "score": (("--score",), dict(metavar="COL", default="score",
                                 help="second-stage: the column of FILE holding the DEA scores (default 'score', "
                                      "the column 'frontier efficiency -o' writes)")),
    "quiet": (("-q", "--quiet"), dict(action="store_true",
                                      help="print nothing but errors: no summary, no progress bar (unless "
                                           "--progress), no 'wrote ...' notes and no warnings")),
    "traceback": (("--traceback",), dict(action="store_true",
                                         help="on an error, show the full Python traceback (for bug reports)")),
    "chain": (("--chain",), dict(type=lower_name, default="propagate", choices=CHAIN_POLICIES,
                                 help="a missing index (failed LP) in the cumulative GTFP: 'propagate' leaves every "
                                      "later level missing (default); 'restart' re-bases the chain after the gap "
                                      "(column restarted marks it)")),
    "plot_entities": (("--plot-entities",), dict(nargs="+", metavar="ENTITY",
                                                 help="plot these entities' own rows instead of the mean and band")),
}
FILE_OPTIONS = ("sheet", "sep", "decimal", "encoding", "na_values", "output", "keep_data", "bom", "force")

# ----------------------------------------------------------------------------------------------------
# building
# ----------------------------------------------------------------------------------------------------


def declared(fact: str, leave_out: tuple = (None,)) -> tuple:
    """Every value of a family fact (``orientations``, ``disposabilities``) over the registered models, in order:
    the command line offers what some model declares, and the model's own check refuses the rest."""
    values = (value for fam in REGISTRY.values() for value in getattr(fam, fact))
    return tuple(dict.fromkeys(v for v in values if v not in leave_out))


#: parameters whose choices the model families declare (unless an analysis has its own subset in options.py)
REGISTRY_CHOICES = {"orientation": lambda: declared("orientations"),
                    # "slacks" (the SBM models' own treatment) is what leaving the option out means
                    "bad_disposability": lambda: declared("disposabilities", (None, "slacks")),
                    "model": lambda: model_names("efficiency")}


def family_options() -> dict:
    """Each family-specific option name -> the models that take it."""
    names: dict = {}
    for model, fam in REGISTRY.items():
        for name in fam.model_options:
            names.setdefault(name, []).append(model)
    return names


def add_parameter(group, name: str, analysis: str, required: bool = False, dest: str | None = None) -> None:
    """The flag of ``options.PARAMETERS[name]`` as ``analysis`` takes it (parsed into ``dest``, by default the
    name). Its default is None, "not given": the function's own default then applies, so a default is written in
    one place (its signature)."""
    p = PARAMETERS[name]
    kw: dict = dict(dest=dest or name, default=None, help=p.help_of(analysis).replace("%", "%%"))
    choices = p.choices_for.get(analysis) or (REGISTRY_CHOICES[name]() if name in REGISTRY_CHOICES else p.choices)
    if p.kind == "choice":
        kw.update(choices=choices, type=lower_name if all(isinstance(c, str) for c in choices) else int)
    elif p.kind == "columns":
        kw.update(nargs="+")
    elif p.kind in ("count", "seed"):
        kw.update(type=nonnegative_int)
    elif p.kind == "int":
        kw.update(type=int)
    elif p.kind == "float":
        kw.update(type=float)
    elif p.kind == "switch":
        kw.update(action=argparse.BooleanOptionalAction)
    elif p.kind == "pairs":
        kw.update(nargs="+", type=PAIRS[name])
    elif p.kind == "rule":
        kw.update(type=rule_or_number(choices))
    elif p.kind == "structure":
        kw.update(type=structure)
    if p.metavar and p.kind not in ("choice", "switch"):
        kw["metavar"] = p.metavar
    if required:
        kw["required"] = True
    group.add_argument(p.option, *p.aliases, **kw)      # the long flag first: errors name the option by it


def add_family_options(group, analysis: str) -> None:
    """The options only some models take, from the registry: ``--epsilon VALUE`` for ebm; one with an entry in
    :data:`frontier.options.PARAMETERS` (``--bounded``) takes its flag, kind and help from there."""
    for name, models in family_options().items():
        if name in PARAMETERS:
            add_parameter(group, name, analysis, dest=MODEL_OPTION + name)
            continue
        about = option_help(name)
        group.add_argument(f"--{name.replace('_', '-')}", dest=MODEL_OPTION + name, type=number_or_json,
                           metavar="VALUE", help=f"model {'/'.join(models)}: {about} A number or JSON text, e.g. "
                                                 "'{\"input\": 0.3, \"output\": 0.6}'.")


def add_cli_option(group, name: str, taken: tuple = (), **override) -> None:
    """One of the command line's own options; a long flag a keyword of the command already uses (sfa's
    ``--output COL``) gives way to ``--<flag>-file`` (``-o`` stays)."""
    flags, kw = CLI_OPTIONS[name]
    flags = tuple(f + "-file" if f in taken else f for f in flags)
    group.add_argument(*flags, dest=name, **{**kw, **override})


def add_command(sub, cmd, run) -> argparse.ArgumentParser:
    """One data command's parser from its declaration; ``run(cmd, args, argv)`` carries it out."""
    parser = sub.add_parser(cmd.name, help=cmd.help, formatter_class=Formatter, epilog=cmd.epilog,
                            description=cmd.description)
    parser.add_argument("file", metavar="FILE", help=PANEL_FILE_HELP if cmd.panel else FILE_HELP)
    parser.set_defaults(func=lambda args, argv: run(cmd, args, argv))
    for title, names in cmd.groups:
        group = parser.add_argument_group(title)
        for name in names:
            if name in PARAMETERS:
                add_parameter(group, name, cmd.function, required=name in cmd.required, dest=cmd.dest_of(name))
            else:
                add_cli_option(group, name)
        if title == "model" and cmd.model_options:
            add_family_options(group, cmd.function)
    if cmd.tables:
        group = parser.add_argument_group("tables written beside the results (-o)")
        for table in cmd.tables:
            for name in (table.option,) + table.takes:
                add_parameter(group, name, cmd.function)
    files = parser.add_argument_group("input and output files")
    taken = tuple(PARAMETERS[name].option for name in cmd.options if name in PARAMETERS)
    for name in FILE_OPTIONS:
        add_cli_option(files, name, taken)
    for plot in cmd.plots:
        files.add_argument(plot.flag, dest=plot.dest, metavar="FILE.png", help=plot.help)
    for name in PLOT_OPTIONS if cmd.plots else ():
        add_parameter(files, name, cmd.function)
    if cmd.plot_entities:
        add_cli_option(files, "plot_entities")
    add_cli_option(files, "quiet")
    add_cli_option(parser, "traceback")
    return parser
