"""The ``frontier`` command line: ``efficiency``, ``productivity``, ``metafrontier``, ``window``, ``economic``,
``validate`` and ``demo``.

::

    frontier efficiency firms.csv --inputs K L E --outputs Y --bad-outputs SO2 COD --model sbm --rts vrs \\
        --super --id firm -o scores.csv
    frontier productivity panel.dta --entity city --period year --inputs K L E --outputs Y \\
        --bad-outputs SO2 --index gml -o gtfp.xlsx --plot gtfp.png
    frontier metafrontier panel.csv --group region --inputs K L E --outputs Y --bad-outputs SO2 --id city \\
        --period year --meta pooled -o tgr.csv --plot tgr.png
    frontier economic firms.csv --inputs K L --outputs Y --kind cost --prices K=r L=wage -o cost.xlsx
    frontier validate [DIR]

Files are read and written by extension (CSV, Excel, Stata, Parquet; see :mod:`frontier.io`). The options
mirror the keyword arguments of :func:`frontier.efficiency`, :func:`frontier.productivity` and
:func:`frontier.metafrontier`. Errors print one
line, ``frontier: error: ...``, and exit with status 2 (``--traceback`` shows the Python traceback).
"""
from __future__ import annotations

import argparse
import os
import sys
import textwrap
import zipfile
from pathlib import Path

from .models import REGISTRY, model_names

EXIT_USAGE = 2
DISTRIBUTION = "frontier-dea"           # the name on PyPI (pip install frontier-dea); the import name is frontier


def distribution_version() -> str:
    """The installed distribution's version (``pip show frontier-dea``), else the source tree's
    ``frontier.__version__`` (run from a checkout that is not installed, or installed under an old name)."""
    from importlib import metadata

    from . import __version__

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return __version__


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors: ``frontier: error: ... (see 'frontier X --help')``."""

    def error(self, message):
        self.exit(EXIT_USAGE, f"frontier: error: {message} (see '{self.prog} --help')\n")


class _Formatter(argparse.RawDescriptionHelpFormatter):
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


def _lower_name(text: str) -> str:
    return text.strip().lower().replace("-", "_")


def _weight(text: str):
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"weights are VARIABLE=NUMBER, got {text!r}")
    try:
        return name, float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"weight of {name!r} must be a number, got {value!r}") from None


def _separator(text: str) -> str:
    if text.lower() in ("tab", "\\t", "\t"):
        return "\t"
    if not text:
        raise argparse.ArgumentTypeError("the separator is empty")
    return text


def _encoding(text: str) -> str:
    import codecs

    try:
        return codecs.lookup(text).name
    except LookupError:
        raise argparse.ArgumentTypeError(f"unknown text encoding {text!r} (e.g. utf-8, gbk, gb18030, "
                                         "latin-1)") from None


def _price(text: str):
    """``VARIABLE=COLUMN`` or ``VARIABLE=NUMBER``; which of the two is decided against the data's columns."""
    name, sep, value = text.partition("=")
    if not sep or not name or not value:
        raise argparse.ArgumentTypeError(f"prices are VARIABLE=COLUMN or VARIABLE=NUMBER, got {text!r}")
    return name, value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {value}")
    return value


HELP = {
    "file": "data file: .csv, .xlsx/.xls (Excel), .dta (Stata) or .parquet; one row per DMU",
    "inputs": "input columns (resources used), e.g. capital labour energy",
    "outputs": "desirable output columns (more is better), e.g. GDP",
    "bad_outputs": "undesirable output columns (less is better), e.g. SO2 COD CO2",
    "model": "the DEA model. 'sbm': slacks-based measure (Tone), non-radial, accounts for every slack (default); "
             "'radial': CCR/BCC, shrinks all inputs (or expands all outputs) in proportion; "
             "'ddf': directional distance function, moves along --direction; 'nddf': non-radial DDF, "
             "one step size per variable; 'sbm_ddf': slacks-based directional inefficiency "
             "(Fukuyama-Weber). See docs/choosing-a-model.md",
    "orientation": "which side of production the score improves. 'input': use less input for the same outputs "
                   "(radial default; score theta <= 1); 'output': produce more for the same inputs "
                   "(radial score phi >= 1); 'nonoriented': both at once (SBM default). "
                   "The directional models use --direction instead",
    "rts": "returns to scale of the frontier. 'vrs' variable (default): a DMU is compared with DMUs of "
           "similar size; 'crs' constant: any DMU may be scaled up or down (size does not matter); "
           "'nirs' non-increasing; 'ndrs' non-decreasing",
    "super": "super-efficiency: each DMU leaves its own reference set, so efficient DMUs get scores beyond "
             "the efficient value (SBM: delta >= 1; radial input: theta > 1) and can be ranked. "
             "Some LPs may then be infeasible (under VRS, or with bad outputs held at an equality): "
             "their score is left missing",
    "bad_disposability": "how bad outputs can be cut (radial, ddf, nddf). 'weak' (default): only together "
                         "with good outputs, by scaling activity down (Fare et al. 1989; Kuosmanen under VRS); "
                         "'strong': freely, like an input; 'apz': Aparicio-Pastor-Zofio 2013 (ddf, nddf). "
                         "SBM models treat bad outputs through their slacks",
    "direction": "directional models (ddf, nddf, sbm_ddf): the direction a DMU moves to reach the frontier. "
                 "'observed': its own (x, y, b), cut inputs and bad outputs and raise good outputs in "
                 "proportion (default for sbm_ddf, and for ddf/nddf in 'frontier efficiency'); 'output': "
                 "(0, y, b), raise good and cut bad outputs with inputs fixed (gtfpch's g = (0, y, -b); "
                 "default for ddf/nddf in 'frontier productivity'); 'input': cut inputs only; 'ones': unit "
                 "steps; 'mean': the column means",
    "weights": "weights of the variables in the score (sbm, ebm, nddf, sbm_ddf), as VARIABLE=NUMBER, "
               "e.g. --weights capital=1 labour=1 energy=2",
    "zeros": "zeros in variables the SBM score divides by: 'error' (default, stop and name them), "
             "'small_positive' (use 1/100 of the column's smallest positive value: Tone's rule, as deaR), "
             "'drop_term' (leave that variable's term out)",
    "n_jobs": "parallel worker processes (-1 = all cores); results do not depend on it",
    "method": "LP strategy: 'auto' (default: the fastest of the others for the model and data size), "
              "'restricted' (HiGHS, exact column generation over a small active reference set), 'dense' (the LPs "
              "of a reference set pivoted together by a vectorised simplex, each answer certified), 'full' (HiGHS "
              "with every reference DMU in every LP; slower, for checking)",
    "progress": "show a progress bar (default: for runs of 5,000+ LPs in a terminal)",
    "output": "write the results here; the format follows the extension: .csv, .xlsx (with a "
              "'specification' sheet), .dta (variable labels, the specification as notes) or .parquet; "
              "'-' writes CSV to standard output",
    "keep_data": "write all input columns followed by the results (default: only the identifying columns "
                 "and the results, ready to merge back)",
    "sheet": "the Excel sheet to read (name or number; default the first)",
    "sep": "CSV field separator (default ',' for .csv, tab for .tsv; 'tab' or '\\t' for a tab, e.g. --sep ';')",
    "decimal": "CSV decimal mark (default '.'; e.g. --decimal , for files with European settings)",
    "encoding": "CSV text encoding (default utf-8, with or without a byte-order mark); a CSV saved by Excel on "
                "Chinese Windows is usually gbk or gb18030",
    "na_values": "cell texts that mean 'missing' in CSV and Excel files, besides empty cells (the default: only "
                 "empty cells, so that an entity called NA keeps its name), e.g. --na-values NA . -",
    "quiet": "do not print the summary",
    "traceback": "on an error, show the full Python traceback (for bug reports)",
    "window": "with --technology window: the bandwidth h, periods t-h..t+h form period t's frontier",
    "panel_file": "data file (.csv, .xlsx/.xls, .dta or .parquet): a long panel, one row per entity and period",
}


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--traceback", action="store_true", help=HELP["traceback"])


def _variables(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("variables")
    g.add_argument("--inputs", "-x", nargs="+", required=True, metavar="COL", help=HELP["inputs"])
    g.add_argument("--outputs", "-y", nargs="+", required=True, metavar="COL", help=HELP["outputs"])
    g.add_argument("--bad-outputs", "-b", nargs="+", default=[], metavar="COL", help=HELP["bad_outputs"])


def _declared(fact: str, leave_out: tuple = (None,)) -> tuple:
    """Every value of a family fact (``orientations``, ``disposabilities``) over the registered models, in order:
    the command line offers what some model declares, and the model's own check refuses the rest."""
    values = (value for fam in REGISTRY.values() for value in getattr(fam, fact))
    return tuple(dict.fromkeys(v for v in values if v not in leave_out))


def _model_options(parser: argparse.ArgumentParser, productivity: bool) -> None:
    g = parser.add_argument_group("model")
    g.add_argument("--model", type=_lower_name, default=None if productivity else "sbm", choices=model_names(),
                   help=HELP["model"] + (" (default: sbm; radial for --index hicks_moorsteen, ddf for lhm)"
                                         if productivity else ""))
    g.add_argument("--orientation", type=_lower_name, choices=_declared("orientations"),
                   help=HELP["orientation"])
    g.add_argument("--rts", type=_lower_name, default="vrs", choices=("crs", "vrs", "nirs", "ndrs"),
                   help=HELP["rts"])
    if productivity:
        g.add_argument("--super", dest="super_efficiency", action=argparse.BooleanOptionalAction, default=None,
                       help=HELP["super"] + " (default: on for sbm, the super-SBM ML/GML of applied work; "
                                            "off otherwise)")
    else:
        g.add_argument("--super", dest="super_efficiency", action=argparse.BooleanOptionalAction, default=False,
                       help=HELP["super"] + " (default: off)")
    # "slacks" (the SBM models' own treatment) is what leaving the option out means
    g.add_argument("--bad-disposability", type=_lower_name, choices=_declared("disposabilities", (None, "slacks")),
                   help=HELP["bad_disposability"])
    g.add_argument("--direction", type=_lower_name, choices=("observed", "output", "input", "ones", "mean"),
                   help=HELP["direction"])
    g.add_argument("--weights", nargs="+", type=_weight, metavar="VAR=W", help=HELP["weights"])
    g.add_argument("--zeros", type=_lower_name, default="error", choices=("error", "small_positive", "drop_term"),
                   help=HELP["zeros"])
    for name, models in _family_options().items():       # options only some models take, from the registry
        validator = REGISTRY[models[0]].model_options[name]
        about = " ".join((validator.__doc__ or "").split())
        g.add_argument(f"--{name.replace('_', '-')}", dest=f"model_option_{name}", type=_number_or_json,
                       metavar="VALUE", help=f"model {'/'.join(models)}: {about} A number or JSON text, e.g. "
                                             "'{\"input\": 0.3, \"output\": 0.6}'.")


def _family_options() -> dict:
    """Each family-specific option name -> the models that take it."""
    names: dict = {}
    for model, fam in REGISTRY.items():
        for name in fam.model_options:
            names.setdefault(name, []).append(model)
    return names


def _number_or_json(text: str):
    import json

    try:
        return json.loads(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number or JSON text, got {text!r}") from None


def _given_model_options(args) -> dict:
    """The family-specific options given on the command line (``--epsilon`` ...), by name."""
    prefix = "model_option_"
    return {key[len(prefix):]: value for key, value in vars(args).items()
            if key.startswith(prefix) and value is not None}


def _engine_options(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("computation")
    g.add_argument("--n-jobs", type=int, default=1, metavar="N", help=HELP["n_jobs"])
    g.add_argument("--method", type=_lower_name, default="auto", choices=("auto", "restricted", "dense", "full"),
                   help=HELP["method"])
    g.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None, help=HELP["progress"])


def _file_options(parser: argparse.ArgumentParser, plots: dict | None = None) -> None:
    """The "input and output files" group every data command shares: how FILE is read (--sheet, --sep, --decimal,
    --encoding, --na-values), where the results go (-o, --keep-data), the command's own plot options and -q.
    ``plots``: option -> its ``add_argument`` keywords (metavar FILE.png unless given)."""
    g = parser.add_argument_group("input and output files")
    g.add_argument("--sheet", default=None, help=HELP["sheet"])
    g.add_argument("--sep", type=_separator, default=None, metavar="CHAR", help=HELP["sep"])
    g.add_argument("--decimal", default=".", metavar="CHAR", help=HELP["decimal"])
    g.add_argument("--encoding", type=_encoding, default=None, metavar="NAME", help=HELP["encoding"])
    g.add_argument("--na-values", nargs="+", default=[], metavar="TEXT", help=HELP["na_values"])
    g.add_argument("-o", "--output", metavar="FILE", help=HELP["output"])
    g.add_argument("--keep-data", action="store_true", help=HELP["keep_data"])
    for option, keywords in (plots or {}).items():
        g.add_argument(option, **{"metavar": "FILE.png", **keywords})
    g.add_argument("-q", "--quiet", action="store_true", help=HELP["quiet"])


TECHNOLOGIES = ("contemporaneous", "sequential", "global", "window")


def _technology_options(g, technologies: tuple, help: str) -> None:
    """--technology (the reference frontier of each period) and, when 'window' is among its choices, --window."""
    g.add_argument("--technology", type=_lower_name, default=None, choices=technologies, help=help)
    if "window" in technologies:
        g.add_argument("--window", type=_positive_int, metavar="H", help=HELP["window"])


def _dmu_options(g, id_help: str, period_help: str, technology_help: str, technologies: tuple = TECHNOLOGIES) -> None:
    """--id, --period and the period's --technology (and --window) of the commands that score one row per DMU."""
    g.add_argument("--id", nargs="+", default=[], metavar="COL", help=id_help)
    g.add_argument("--period", metavar="COL", help=period_help)
    _technology_options(g, technologies, technology_help)


def _panel_options(parser: argparse.ArgumentParser):
    """The "panel" group (--entity, --period) of the commands over a long panel; returned for the command's own."""
    g = parser.add_argument_group("panel")
    g.add_argument("--entity", required=True, metavar="COL", help="column identifying the entity (city, firm...)")
    g.add_argument("--period", required=True, metavar="COL", help="column identifying the period (year...)")
    return g


def _command(sub, name: str, run, help: str, description: str, epilog: str | None = None,
             file_help: str = HELP["file"]) -> argparse.ArgumentParser:
    """A data command's parser with its FILE argument; ``run(args, argv)`` carries it out."""
    parser = sub.add_parser(name, help=help, formatter_class=_Formatter, epilog=epilog, description=description)
    parser.add_argument("file", metavar="FILE", help=file_help)
    parser.set_defaults(func=run)
    return parser


EFFICIENCY_EPILOG = """\
scores:
  radial input theta in (0, 1] and sbm rho in (0, 1]: 1 = efficient; radial output phi >= 1 (1 = efficient);
  with --super efficient DMUs score above 1 (sbm: delta >= 1). ddf, nddf, sbm_ddf: inefficiency, 0 = efficient.
  A score is missing (never 0 or 1) when its LP failed; the status column says why.

examples:
  frontier efficiency firms.csv --inputs K L E --outputs Y --bad-outputs SO2 COD --model sbm --rts vrs --super \\
      --id firm -o scores.csv
  frontier efficiency panel.dta --inputs K L E --outputs Y --bad-outputs SO2 --id city --period year \\
      --technology global --model ddf --direction output -o eff.dta --plot scores.png
"""

ECONOMIC_EPILOG = """\
output columns (one row per DMU):
  economic, technical, allocative: cost (revenue) efficiency in (0, 1], 1 = cost minimising (revenue maximising),
  = technical (input radial theta; revenue: 1/phi) x allocative; profit: the Nerlovian profit inefficiency >= 0,
  0 = profit maximising, = technical (DDF beta) + allocative. status, technical_status; the observed and optimal
  cost (revenue, profit); optimal_<var>: the optimal plan. Bad outputs are held at their level, never priced.

examples:
  frontier economic firms.csv --inputs K L E --outputs Y --kind cost --prices K=r L=wage E=2.5 -o cost.xlsx
  frontier economic firms.csv --inputs K L --outputs Y --bad-outputs SO2 --kind profit \\
      --prices K=r L=wage Y=price --direction ones -o profit.dta
"""

PRODUCTIVITY_EPILOG = """\
output columns (one row per entity and period; merge on the entity and period columns):
  period_from, index, ec, tc [, pec, sec], status: the change from period_from to period; ratio indices
  (ml, gml, sml, malmquist) > 1 = progress and index = ec x tc; luenberger > 0 = progress, index = ec + tc.
  With a global technology tc is the best-practice gap change (BPC). gtfp, cum_ec, cum_tc: the chained
  levels (cumulative GTFP), each entity's first period = 1 (luenberger: 0). With --group (the metafrontier
  index) the components are ec, bpc, tgc (index = ec x bpc x tgc) and their levels cum_ec, cum_bpc, cum_tgc.
  hicks_moorsteen, lhm: index, output_quantity, input_quantity, with index = output_quantity / input_quantity
  (lhm: output_quantity - input_quantity); cum_output_quantity, cum_input_quantity their chained levels.

examples:
  frontier productivity panel.csv --entity city --period year --inputs K L E --outputs Y \\
      --bad-outputs SO2 COD --index ml --model sbm --super -o ml.xlsx --plot gtfp.png
  frontier productivity panel.dta --entity id --period year --inputs K L E --outputs Y --bad-outputs SO2 \\
      --index gml --model ddf --rts crs -o gml.dta      # = gtfpch K L E = Y : SO2, dmu(id) global
  frontier productivity panel.csv --entity city --period year --inputs K L E --outputs Y \
      --index hicks_moorsteen --technology global --rts vrs -o hm.xlsx
  frontier productivity panel.csv --entity city --period year --inputs K L E --outputs Y --bad-outputs SO2 \\
      --group region --model sbm -o meta_gml.csv --plot-decomposition ec_bpc_tgc.png
"""

WINDOW_EPILOG = """\
output columns (one row per entity, window and period; merge on the entity and period columns):
  window (its first and last period), score, status. An Excel file adds the sheets 'window table' (entity x
  window rows, period columns), 'by entity' (mean, column_range, total_range, n, n_nan), 'row view' and
  'column view'. Not the centred window technology of 'efficiency --technology window'.

examples:
  frontier window panel.csv --entity city --period year --inputs K L E --outputs Y --bad-outputs SO2 \
      --width 3 --model radial -o windows.xlsx --plot windows.png
"""

METAFRONTIER_EPILOG = """\
output columns (one row per DMU, in the file's order; merge on the --id and --period columns):
  the group column, group_score, group_status (against the DMU's group frontier), meta_score, meta_status
  (against the metafrontier) and tgr = meta / group efficiency in (0, 1] (radial, sbm; 1 = the group frontier
  touches the metafrontier) or, for ddf, nddf, sbm_ddf (inefficiencies), gap = meta - group >= 0. A score is
  missing (never 0 or 1) when its LP failed; the status column says why.

examples:
  frontier metafrontier panel.csv --group region --inputs K L E --outputs Y --bad-outputs SO2 --id city \\
      --period year --model sbm --meta pooled -o tgr.xlsx --plot tgr.png --plot-periods tgr_by_year.png
  frontier metafrontier firms.dta --group ownership --inputs K L --outputs Y --model ddf --rts crs \\
      --meta union -o gap.dta
"""


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="frontier", formatter_class=_Formatter,
                     description="Green productivity with Data Envelopment Analysis: efficiency scores and "
                                 "productivity indices (Malmquist, ML, GML, Luenberger) with undesirable "
                                 "outputs.",
                     epilog="Run 'frontier COMMAND --help' for the options of each command.")
    parser.add_argument("--version", action="version", version=f"frontier {distribution_version()} ({DISTRIBUTION})")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    eff = _command(sub, "efficiency", _run_efficiency, help="score every DMU (row) of a data file with one DEA model",
                   epilog=EFFICIENCY_EPILOG,
                   description="Score every DMU (row) of a data file with one DEA model, optionally period by "
                               "period (--period). Options mirror frontier.efficiency().")
    _variables(eff)
    _dmu_options(eff.add_argument_group("DMUs and periods"),
                 id_help="column(s) identifying each DMU (e.g. --id firm, or --id city with --period year), "
                         "written first in the output (as efficiency(id=...)); codes such as 001 are kept as "
                         "text. Without --id all input columns are copied to the output",
                 period_help="score each period against its own frontier (see --technology)",
                 technology_help="with --period, which observations form period t's frontier: 'contemporaneous' "
                                 "period t only (default); 'sequential' all periods up to t; 'global' all periods "
                                 "(one common frontier); 'window' periods t-h..t+h (--window h)")
    _model_options(eff, productivity=False)
    _engine_options(eff)
    _file_options(eff, {"--plot": dict(help="save a plot of the score distribution (box plots per period with "
                                            "--period, else a histogram) (.png, .pdf, .svg; needs matplotlib)")})
    _common(eff)

    pro = _command(sub, "productivity", _run_productivity,
                   help="productivity change (ML, GML, SML, Malmquist, Luenberger) and cumulative GTFP over a panel",
                   epilog=PRODUCTIVITY_EPILOG, file_help=HELP["panel_file"],
                   description="Productivity change of every entity between its consecutive periods, its "
                               "decomposition, and the cumulative (GTFP) series. Options mirror "
                               "frontier.productivity().")
    _panel_options(pro)
    _variables(pro)
    g = pro.add_argument_group("index")
    g.add_argument("--index", type=_lower_name, default="gml",
                   choices=("ml", "gml", "sml", "malmquist", "luenberger", "hicks_moorsteen", "lhm"),
                   help="'gml' global Malmquist-Luenberger (Oh 2010): one frontier of all periods, chains "
                        "exactly, no infeasible cross-period LPs (default); 'ml' Malmquist-Luenberger (Chung et al. 1997): "
                        "each period's own frontier; 'sml' sequential ML (Oh & Heshmati 2010): frontier of all "
                        "periods so far, no technical regress; 'malmquist': the ratio index with --technology; "
                        "'luenberger': the difference indicator (> 0 = progress) with --technology; "
                        "'hicks_moorsteen' (Bjurek 1996; model radial) output over input quantity index, and "
                        "'lhm' Luenberger-Hicks-Moorsteen (Briec & Kerstens 2004; model ddf, directions (0, y, b) "
                        "and (x, 0, 0)) with --technology contemporaneous, sequential, window or global "
                        "(transitive)")
    _technology_options(g, ("contemporaneous", "sequential", "global", "biennial", "window"),
                        help="reference frontier for 'malmquist' and 'luenberger' (ml/gml/sml imply theirs): "
                             "'contemporaneous' each period's own; 'sequential' all periods up to t; 'global' all "
                             "periods; 'biennial' the two periods compared; 'window' t-h..t+h (--window h)")
    g.add_argument("--group", metavar="COL",
                   help="column naming each entity's group (region, industry): the metafrontier index of Oh & Lee "
                        "(2010) and Oh (2010) on the global metafrontier, index = ec x bpc x tgc (luenberger: "
                        "ec + bpc + tgc) with ec against the contemporaneous group frontier, bpc the best-practice "
                        "change and tgc the technology-gap change; with --index gml (default), or malmquist / "
                        "luenberger with --technology global. Each entity stays in one group")
    g.add_argument("--decomposition", type=_lower_name, choices=("fgnz",),
                   help="'fgnz': also split efficiency change into pure (pec) x scale (sec) efficiency change "
                        "(Fare, Grosskopf, Norris & Zhang 1994); index and tc then use CRS distances")
    g.add_argument("--adjacency", type=_lower_name, default="observed", choices=("observed", "calendar"),
                   help="'observed': compare each entity's consecutive observed periods (default); 'calendar': "
                        "only periods adjacent in the panel (a gap gives a missing index, status 'gap')")
    g.add_argument("--base", type=_lower_name, default="previous", choices=("previous", "first"),
                   help="'previous': year-on-year changes, chained into GTFP (default); 'first': every period "
                        "against the entity's first (fixed base)")
    g.add_argument("--bootstrap", type=_positive_int, metavar="B",
                   help="B replicates of the Simar & Wilson (1999) bootstrap: intervals <component>_lower/_upper and "
                        "<component>_significant (radial Malmquist only: --index malmquist --model radial)")
    g.add_argument("--alpha", type=float, default=0.05, help="with --bootstrap: intervals at level 1 - alpha")
    g.add_argument("--random-state", type=int, metavar="SEED", help="with --bootstrap: the seed (reproducible)")
    g.add_argument("--chain", type=_lower_name, default="propagate", choices=("propagate", "restart"),
                   help="a missing index (failed LP) in the cumulative GTFP: 'propagate' leaves every later "
                        "level missing (default); 'restart' re-bases the chain after the gap (column "
                        "restarted marks it)")
    _model_options(pro, productivity=True)
    _engine_options(pro)
    _file_options(pro, {
        "--plot": dict(help="save a plot of the cumulative GTFP trajectories (mean and interquartile band, or the "
                            "--plot-entities) (.png, .pdf, .svg; needs matplotlib)"),
        "--plot-decomposition": dict(help="save a plot of the index, efficiency change and technical change by "
                                          "period"),
        "--plot-entities": dict(nargs="+", metavar="ENTITY",
                                help="plot these entities' own GTFP trajectories instead of the mean and band")})
    _common(pro)

    win = _command(sub, "window", _run_window, help="classic window analysis (Charnes, Clark, Cooper & Golany 1985)",
                   epilog=WINDOW_EPILOG, file_help=HELP["panel_file"],
                   description="Window analysis: every window of --width consecutive periods pools its periods "
                               "into one frontier and scores every observation in it. Options mirror "
                               "frontier.window_analysis().")
    _panel_options(win).add_argument("--width", type=_positive_int, default=3, metavar="W",
                                     help="periods per window (default 3); windows 1..T-W+1 slide by one period")
    _variables(win)
    _model_options(win, productivity=False)
    _engine_options(win)
    _file_options(win, {
        "--plot": dict(help="save a plot of each window's mean score by period (or the --plot-entities' own rows) "
                            "(.png, .pdf, .svg; needs matplotlib)"),
        "--plot-entities": dict(nargs="+", metavar="ENTITY", help="plot these entities' own rows")})
    _common(win)
    _metafrontier_parser(sub)
    _bootstrap_parser(sub)

    eco = _command(sub, "economic", _run_economic,
                   help="cost, revenue or profit efficiency with technical and allocative parts",
                   epilog=ECONOMIC_EPILOG,
                   description="Cost, revenue or (Nerlovian) profit efficiency of every DMU at its prices, split "
                               "into technical and allocative parts. Options mirror frontier.economic().")
    _variables(eco)
    g = eco.add_argument_group("prices and model")
    g.add_argument("--kind", type=_lower_name, default="cost", choices=("cost", "revenue", "profit"),
                   help="'cost' (prices of every input; default), 'revenue' (of every output) or 'profit' (both)")
    g.add_argument("--prices", nargs="+", type=_price, required=True, metavar="VAR=PRICE",
                   help="the price of each priced variable: a column of the data (each DMU's own price) or a "
                        "number (common to all), e.g. --prices K=r L=wage E=2.5. Bad outputs are not priced")
    g.add_argument("--rts", type=_lower_name, default="vrs", choices=("crs", "vrs", "nirs", "ndrs"),
                   help=HELP["rts"] + ". Profit is bounded only under vrs (or ndrs)")
    g.add_argument("--bad-disposability", type=_lower_name, default="weak", choices=("weak", "strong"),
                   help="bad outputs held at their level: 'weak' (default; B'lambda = b, Kuosmanen under VRS) or "
                        "'strong' (B'lambda <= b)")
    g.add_argument("--direction", type=_lower_name, choices=("observed", "ones", "mean"),
                   help="profit only: the direction (g_x, g_y) of the technical DDF and of the normalisation "
                        "p'g_y + w'g_x: 'observed' (default), 'ones' or 'mean'")
    _dmu_options(eco.add_argument_group("DMUs and periods"),
                 id_help="column(s) identifying each DMU, copied to the output (without --id all input columns "
                         "are copied)",
                 period_help="evaluate each period against its own frontier (--technology)",
                 technology_help="with --period, which observations form period t's frontier (as for 'frontier "
                                 "efficiency')")
    _engine_options(eco)
    _file_options(eco)
    _common(eco)

    val = sub.add_parser("validate", help="reproduce the published DEA cases and print the comparison table",
                         formatter_class=_Formatter,
                         description="Run frontier on the published validation cases (one folder per case) and "
                                     "print, for each check, the model, the max absolute error, the tolerance "
                                     "and pass/fail. Exits with status 1 if any hard check fails.")
    val.add_argument("directory", nargs="?", metavar="DIR",
                     help="folder of validation cases (default: $FRONTIER_VALIDATION_DIR, else "
                          "../shared/validation from the current folder, else beside the package's repository)")
    val.add_argument("--case", action="append", dest="cases", metavar="NAME",
                     help="run only this case (repeatable)")
    _common(val)
    val.set_defaults(func=_run_validate)

    demo = sub.add_parser("demo", help="run the worked example on the bundled synthetic city panel",
                          formatter_class=_Formatter,
                          description="The worked example: SBM efficiency, a super-SBM ML and an SBM-DDF GML "
                                      "index on a synthetic panel of 270 cities x 12 years, chained into GTFP "
                                      "series; tables and a plot are written to the output folder.")
    demo.add_argument("-o", "--out", default="frontier-demo", help="output folder (default: frontier-demo)")
    demo.add_argument("--n-jobs", type=int, default=1, help="parallel workers (-1 = all cores)")
    _common(demo)
    demo.set_defaults(func=_run_demo)
    return parser


BOOTSTRAP_EPILOG = """\
output columns (one row per DMU; merge on the --id columns):
  score (radial: input theta <= 1, output phi >= 1, as 'frontier efficiency'), bias (= score - bias_corrected),
  bias_corrected, lower, upper (the 1 - alpha interval), bias_to_variance (bias^2 / variance; Simar & Wilson
  advise the correction when it exceeds 1/3: correction_advised), n_replicates (replicates whose LP solved),
  status. Radial models only: SBM and the directional models have no established bootstrap. See docs/bootstrap.md.

examples:
  frontier bootstrap plants.csv --inputs Labor Fuel Capital --outputs Output --rts vrs --B 2000 --seed 1 \\
      --id Plant -o boot.xlsx --plot intervals.png
  frontier bootstrap firms.dta --inputs K L --outputs Y --orientation output --rts crs --bandwidth lscv \\
      --n-jobs 2 -o boot.dta
"""


def _bootstrap_parser(sub) -> None:
    """``frontier bootstrap``: the Simar-Wilson bootstrap of radial efficiency scores."""
    boot = _command(sub, "bootstrap", _run_bootstrap, help="bias-corrected radial efficiency scores and confidence "
                                                           "intervals (Simar & Wilson 1998 bootstrap)",
                    epilog=BOOTSTRAP_EPILOG,
                    description="Bias-corrected radial (CCR/BCC) efficiency scores and confidence intervals by the "
                                "smoothed homogeneous bootstrap of Simar & Wilson (1998, 2000). Options mirror "
                                "frontier.bootstrap().")
    _variables(boot)
    _dmu_options(boot.add_argument_group("DMUs and periods"), technologies=("contemporaneous", "global"),
                 id_help="column(s) identifying each DMU, written first in the output (without --id all input "
                         "columns are copied)",
                 period_help="bootstrap each period against its own frontier (or, with --technology global, one "
                             "pooled frontier)",
                 technology_help="with --period: 'contemporaneous' (default) or 'global'")
    g = boot.add_argument_group("model and bootstrap")
    g.add_argument("--orientation", type=_lower_name, default="input", choices=("input", "output"),
                   help="'input' (default; theta <= 1) or 'output' (phi >= 1)")
    g.add_argument("--rts", type=_lower_name, default="vrs", choices=("crs", "vrs"), help=HELP["rts"])
    g.add_argument("--B", "--replicates", dest="B", type=_positive_int, default=2000, metavar="B",
                   help="number of bootstrap replicates (default 2000; B x n LPs)")
    g.add_argument("--alpha", type=float, default=0.05, help="1 - alpha intervals (default 0.05: 95%%)")
    g.add_argument("--bandwidth", default="silverman", metavar="RULE",
                   help="kernel bandwidth: 'silverman' (default), 'lscv' or a number")
    g.add_argument("--seed", type=int, default=None, help="random seed: the same seed gives the same numbers "
                                                          "whatever --n-jobs")
    _engine_options(boot)
    _file_options(boot, {"--plot": dict(help="save a plot of the scores with their intervals, sorted (.png, .pdf, "
                                             ".svg; needs matplotlib)")})
    _common(boot)


def _metafrontier_parser(sub) -> None:
    """``frontier metafrontier``: group frontiers, the metafrontier and the technology gap."""
    meta = _command(sub, "metafrontier", _run_metafrontier,
                    help="score every DMU against its group's frontier and the metafrontier; the technology gap ratio",
                    epilog=METAFRONTIER_EPILOG,
                    description="Score every DMU (row) against the frontier of its group (region, industry, "
                                "ownership) and against the metafrontier of all groups, and report the technology "
                                "gap, optionally period by period (--period). Options mirror frontier.metafrontier(); "
                                "see docs/metafrontier.md.")
    _variables(meta)
    g = meta.add_argument_group("groups, DMUs and periods")
    g.add_argument("--group", required=True, metavar="COL",
                   help="column naming each DMU's group; every group frontier needs at least 2 DMUs (in each "
                        "period's technology)")
    g.add_argument("--meta", type=_lower_name, default="pooled", choices=("pooled", "union"),
                   help="'pooled': the convex metafrontier spanned by all groups' DMUs (O'Donnell, Rao & Battese "
                        "2008; the meta score is the plain efficiency score on the pooled data) (default); "
                        "'union': the non-convex union of the group technologies (the worst score over the group "
                        "frontiers)")
    _dmu_options(g, id_help="column(s) identifying each DMU, copied to the output (e.g. --id city); without --id all "
                            "input columns are copied",
                 period_help="score each period against its own group frontiers and metafrontier (see --technology)",
                 technology_help="with --period, which observations form period t's frontiers: 'contemporaneous' "
                                 "period t only (default); 'sequential' all periods up to t; 'global' all periods; "
                                 "'window' periods t-h..t+h (--window h)")
    _model_options(meta, productivity=False)
    _engine_options(meta)
    _file_options(meta, {
        "--plot": dict(help="save box plots of the technology gap by group, with the mean and n of each group (.png, "
                            ".pdf, .svg; needs matplotlib)"),
        "--plot-periods": dict(help="with --period: save the mean technology gap of each group by period, n under "
                                    "every point")})
    _common(meta)


# ----------------------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------------------

def _say(message: str) -> None:
    print(f"frontier: {message}", file=sys.stderr)


def _check_columns(frame, roles: dict) -> None:
    """One clear error for every named column the file lacks."""
    missing = []
    for role, cols in roles.items():
        for c in cols:
            if c is not None and c not in frame.columns:
                missing.append(f"{c!r} ({role})")
    if missing:
        shown = ", ".join(map(str, list(frame.columns)[:30])) + (" ..." if len(frame.columns) > 30 else "")
        raise ValueError(f"column(s) not in the data: {', '.join(missing)}; the file has: {shown}")


def _weights(args):
    return dict(args.weights) if args.weights else None


def _extra(args, argv) -> dict:
    cmd = "frontier " + " ".join(_quote(a) for a in (argv if argv is not None else sys.argv[1:]))
    return {"command": cmd, "data file": str(args.file)}


def _quote(arg: str) -> str:
    return f"'{arg}'" if (not arg or any(ch in arg for ch in " \"'$;&|<>*?")) else arg


def _with_data(frame, table, key_cols: list[str]):
    """All input columns (in the input's row order) followed by the result columns of ``table``."""
    import pandas as pd

    results = table.drop(columns=[c for c in key_cols if c in table.columns])
    clash = [c for c in results.columns if c in frame.columns]
    results = results.rename(columns={c: f"{c}_dea" for c in clash})
    return pd.concat([frame.reset_index(drop=True), results.reset_index(drop=True)], axis=1)


def _check_outputs(args, plots: dict) -> None:
    """Before the data are read and the LPs solved, check that every file to write can be written (known
    format, existing writable folder, writer installed): a long run must not fail at its end and lose its
    results. ``plots``: option name -> path (or None)."""
    from .io import check_output, check_writable

    if args.output:
        check_output(args.output)
    plots = {option: path for option, path in plots.items() if path is not None}
    if not plots:
        return
    from .plots import _mpl

    _mpl()                                        # the clear "needs matplotlib" error, before the work
    from matplotlib.backend_bases import FigureCanvasBase

    kinds = FigureCanvasBase.get_supported_filetypes()
    for option, path in plots.items():
        ext = Path(path).suffix.lower().lstrip(".")
        if ext not in kinds:
            shown = f"extension {'.' + ext!r}" if ext else "no extension"
            raise ValueError(f"{option} {str(path)!r}: cannot tell the image format ({shown}); use .png, .pdf "
                             f"or .svg")
        check_writable(path, what="plot")


def _save_plot(draw, path) -> None:
    """``draw(file)`` saves a figure; it goes to a temporary file renamed to ``path`` on success, so that a
    failing plot leaves an existing file as it was."""
    from .io import atomic_write

    with atomic_write(path) as tmp:
        draw(tmp)
    _say(f"wrote {path}")


def _write(export, path, args) -> None:
    """Write the export; the writer's warnings (formula-like text in a CSV, characters Excel cannot hold)
    become ``frontier: warning: ...`` lines on stderr."""
    import warnings

    from .io import write_table

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        write_table(export.table, path, export=export)
    for w in caught:
        _say("warning: " + " ".join(str(w.message).split()))
    if str(path) != "-":
        rows, cols = export.table.shape
        _say(f"wrote {path} ({rows} rows x {cols} columns)")


def _print_summary(text: str, args) -> None:
    if args.quiet:
        return
    stream = sys.stderr if args.output == "-" else sys.stdout
    print(text, file=stream)


def _variable_columns(args) -> dict:
    """The columns of --inputs, --outputs and --bad-outputs by role, for :func:`_check_columns`."""
    return {"input": args.inputs, "output": args.outputs, "bad output": args.bad_outputs}


def _read_checked(args, text_columns, columns: dict):
    """FILE read with the command's reading options (:func:`_read`), with one clear error for every column of
    ``columns`` (role -> names) it lacks."""
    frame = _read(args, text_columns=text_columns)
    _check_columns(frame, columns)
    return frame


def _check_technology(args) -> None:
    """--technology chooses among the periods' frontiers, so it needs --period."""
    if args.technology is not None and args.period is None:
        raise ValueError(f"--technology {args.technology} needs --period (the column of periods)")


def _export(res, to_export, args, argv):
    """Print the result's summary (unless -q) and turn the result into its export, the command line recorded."""
    _print_summary(res.summary(), args)
    return to_export(res, _extra(args, argv))


def _id_columns(args) -> list:
    """The columns an export of ``efficiency``/``bootstrap`` is labelled by: --id (with --period), else the row
    position."""
    from .io import ROW_POSITION

    return list(args.id) + ([args.period] if args.period else []) if args.id else [ROW_POSITION]


def _data_first(export, frame, table) -> None:
    """The export's table becomes ``table``, the input data with the results; the input columns are described
    as input data, ahead of the results' own descriptions."""
    export.table = table
    export.descriptions = {**{c: "input data" for c in frame.columns}, **export.descriptions}


def _save(export, args, what: str) -> None:
    """Write the export to -o FILE, or say (unless -q) that the ``what`` were not saved."""
    if args.output:
        _write(export, args.output, args)
    elif not args.quiet:
        _say(f"no -o FILE given: the {what} were not saved")


# ----------------------------------------------------------------------------------------------------
# commands
# ----------------------------------------------------------------------------------------------------

def _run_efficiency(args, argv) -> int:
    from . import io
    from .scoring import efficiency

    _check_outputs(args, {"--plot": args.plot})
    frame = _read_checked(args, args.id, {**_variable_columns(args), "id": args.id, "period": [args.period]})
    _check_technology(args)
    res = efficiency(frame, args.inputs, args.outputs, args.bad_outputs, id=args.id or None, model=args.model,
                     orientation=args.orientation, rts=args.rts, super_efficiency=args.super_efficiency,
                     bad_disposability=args.bad_disposability, direction=args.direction, weights=_weights(args),
                     period=args.period, technology=args.technology, window=args.window, zeros=args.zeros,
                     n_jobs=args.n_jobs, method=args.method, progress=args.progress, **_given_model_options(args))
    export = _export(res, io.efficiency_export, args, argv)
    if args.keep_data or not args.id:         # without --id every input column is copied, to identify the rows
        _data_first(export, frame, _with_data(frame, export.table, _id_columns(args)))
    _save(export, args, "scores")
    if args.plot:
        from .plots import plot_scores

        _save_plot(lambda file: plot_scores(res, file), args.plot)
    return 0


def _run_productivity(args, argv) -> int:
    from . import io
    from .indices import productivity

    _check_outputs(args, {"--plot": args.plot, "--plot-decomposition": args.plot_decomposition})
    frame = _read_checked(args, [args.entity], {"entity": [args.entity], "period": [args.period],
                                                **_variable_columns(args), "group": [args.group]})
    pr = productivity(frame, args.entity, args.period, args.inputs, args.outputs, args.bad_outputs,
                      index=args.index, technology=args.technology, window=args.window,
                      decomposition=args.decomposition, model=args.model, orientation=args.orientation,
                      rts=args.rts, super_efficiency=args.super_efficiency, direction=args.direction,
                      weights=_weights(args), bad_disposability=args.bad_disposability, adjacency=args.adjacency,
                      base=args.base, zeros=args.zeros, group=args.group, n_jobs=args.n_jobs, method=args.method,
                      progress=args.progress, bootstrap=args.bootstrap, alpha=args.alpha,
                      random_state=args.random_state, **_given_model_options(args))
    export = _export(pr, lambda res, extra: io.productivity_export(res, extra, policy=args.chain), args, argv)
    if args.keep_data:
        _data_first(export, frame, frame.merge(export.table, on=[args.entity, args.period], how="left",
                                               suffixes=("", "_dea")))
    _save(export, args, "indices")
    if args.plot or args.plot_decomposition:
        from .plots import plot_decomposition, plot_gtfp

        if args.plot:
            entities = _match_entities(args.plot_entities, pr.indices.index.get_level_values(0)) \
                if args.plot_entities else None
            levels = pr.cumulative(policy=args.chain) if args.chain != "propagate" else pr
            _save_plot(lambda file: plot_gtfp(levels, file, entities=entities), args.plot)
        if args.plot_decomposition:
            _save_plot(lambda file: plot_decomposition(pr, file), args.plot_decomposition)
    return 0


def _run_window(args, argv) -> int:
    from . import io
    from .window import window_analysis

    _check_outputs(args, {"--plot": args.plot})
    frame = _read_checked(args, [args.entity], {"entity": [args.entity], "period": [args.period],
                                                **_variable_columns(args)})
    res = window_analysis(frame, args.entity, args.period, args.inputs, args.outputs, args.bad_outputs,
                          width=args.width, model=args.model, orientation=args.orientation, rts=args.rts,
                          super_efficiency=args.super_efficiency, bad_disposability=args.bad_disposability,
                          direction=args.direction, weights=_weights(args), zeros=args.zeros, n_jobs=args.n_jobs,
                          method=args.method, progress=args.progress, **_given_model_options(args))
    export = _export(res, io.window_export, args, argv)
    if args.keep_data:
        _data_first(export, frame, frame.merge(export.table, on=[args.entity, args.period], how="right",
                                               suffixes=("", "_dea")))
    _save(export, args, "scores")
    if args.plot:
        from .plots import plot_windows

        entities = _match_entities(args.plot_entities, res.scores[res.spec.entity]) if args.plot_entities else None
        _save_plot(lambda file: plot_windows(res, file, entities=entities), args.plot)
    return 0


def _run_metafrontier(args, argv) -> int:
    from . import io
    from .group_frontiers import metafrontier

    if args.plot_periods and args.period is None:
        raise ValueError("--plot-periods needs --period (the column of periods)")
    _check_technology(args)
    _check_outputs(args, {"--plot": args.plot, "--plot-periods": args.plot_periods})
    frame = _read_checked(args, args.id, {**_variable_columns(args), "group": [args.group], "id": args.id,
                                          "period": [args.period]})
    keys = _dmu_keys(frame, args.id, args.period)
    data = frame.set_index(keys, drop=False) if keys else frame
    res = metafrontier(data, args.group, args.inputs, args.outputs, args.bad_outputs, meta=args.meta,
                       model=args.model, orientation=args.orientation, rts=args.rts,
                       super_efficiency=args.super_efficiency, bad_disposability=args.bad_disposability,
                       direction=args.direction, weights=_weights(args), period=args.period,
                       technology=args.technology, window=args.window, zeros=args.zeros, n_jobs=args.n_jobs,
                       method=args.method, progress=args.progress)
    export = _export(res, io.metafrontier_export, args, argv)
    if args.keep_data or not keys:
        # the group and period columns are the data's own: written once, with the data
        own = (keys or ["row"]) + [args.group] + ([args.period] if args.period else [])
        _data_first(export, frame, _with_data(frame, export.table, own))
    _save(export, args, "scores")
    if args.plot or args.plot_periods:
        from .plots import plot_tgr

        if args.plot:
            _save_plot(lambda file: plot_tgr(res, file), args.plot)
        if args.plot_periods:
            _save_plot(lambda file: plot_tgr(res, file, over="period"), args.plot_periods)
    return 0


def _run_bootstrap(args, argv) -> int:
    from .efficiency_bootstrap import bootstrap, bootstrap_export

    _check_outputs(args, {"--plot": args.plot})
    frame = _read_checked(args, args.id, {**_variable_columns(args), "id": args.id, "period": [args.period]})
    try:
        bandwidth = float(args.bandwidth)
    except ValueError:
        bandwidth = args.bandwidth
    res = bootstrap(frame, args.inputs, args.outputs, args.bad_outputs, id=args.id or None,
                    orientation=args.orientation, rts=args.rts, B=args.B, alpha=args.alpha, bandwidth=bandwidth,
                    random_state=args.seed, period=args.period, technology=args.technology, n_jobs=args.n_jobs,
                    method=args.method, progress=args.progress)
    export = _export(res, bootstrap_export, args, argv)
    if args.keep_data or not args.id:         # without --id every input column is copied, to identify the rows
        _data_first(export, frame, _with_data(frame, export.table, _id_columns(args)))
    _save(export, args, "bootstrap estimates")
    if args.plot:
        from .plots import plot_bootstrap

        _save_plot(lambda file: plot_bootstrap(res, file), args.plot)
    return 0


def _dmu_keys(frame, ids: list, period) -> list:
    """The columns that label each row (``--id`` and, with it, ``--period``), checked to identify the rows;
    [] without ``--id``."""
    keys = list(ids) + ([period] if ids and period and period not in ids else [])
    if keys:
        dup = frame.duplicated(keys, keep=False)
        if dup.any():
            example = frame.loc[dup, keys].head(3).to_dict("records")
            raise ValueError(f"--id {' '.join(keys)} does not identify the rows: {int(dup.sum())} rows share "
                             f"their values, e.g. {example}")
    return keys


def _prices(pairs, frame) -> dict:
    """``--prices`` pairs -> ``{variable: column name or number}``: a value naming a column of the data is that
    column, else it must be a number."""
    prices = {}
    for name, value in pairs:
        if name in prices:
            raise ValueError(f"--prices gives {name!r} twice")
        if value in frame.columns:
            prices[name] = value
            continue
        try:
            prices[name] = float(value)
        except ValueError:
            raise ValueError(f"--prices {name}={value}: {value!r} is neither a column of the data nor a number") \
                from None
    return prices


def _run_economic(args, argv) -> int:
    from . import io
    from .economic_efficiency import economic

    _check_outputs(args, {})
    frame = _read_checked(args, args.id, {**_variable_columns(args), "id": args.id, "period": [args.period]})
    _check_technology(args)
    if args.direction is not None and args.kind != "profit":
        raise ValueError(f"--direction applies to --kind profit, not --kind {args.kind}")
    keys = _dmu_keys(frame, args.id, args.period)
    data = frame.set_index(keys, drop=False) if keys else frame
    res = economic(data, args.inputs, args.outputs, args.bad_outputs, kind=args.kind,
                   prices=_prices(args.prices, frame), rts=args.rts, bad_disposability=args.bad_disposability,
                   direction=args.direction, period=args.period, technology=args.technology, window=args.window,
                   n_jobs=args.n_jobs, method=args.method)
    export = _export(res, io.economic_export, args, argv)
    if args.keep_data or not keys:
        _data_first(export, frame, _with_data(frame, export.table, keys if keys else [io.ROW_POSITION]))
    _save(export, args, f"{args.kind} efficiency results")
    return 0


def _match_entities(names, entities) -> list:
    """Entity labels from the command line (strings) matched to the result's (maybe numeric) ``entities``."""
    labels = list(dict.fromkeys(entities))
    by_text = {str(e): e for e in labels}
    missing = [n for n in names if n not in by_text]
    if missing:
        raise ValueError(f"--plot-entities: no entity {missing[0]!r} with results; e.g. "
                         f"{', '.join(map(str, labels[:5]))}")
    return [by_text[n] for n in names]


def _read(args, text_columns):
    """The data file, parsed with the command's --sheet, --sep, --decimal, --encoding and --na-values; the
    identifier columns of a CSV are read as text (codes such as 001 keep their leading zeros)."""
    from .io import read_table

    return read_table(args.file, sheet=_sheet(args.sheet), sep=args.sep, decimal=args.decimal,
                      encoding=args.encoding, na_values=args.na_values, text_columns=text_columns)


def _sheet(sheet):
    if sheet is None:
        return None
    return int(sheet) if str(sheet).isdigit() else sheet


def validation_directory(directory=None) -> Path:
    """The folder of validation cases, resolved by :func:`frontier.validation.validation_directory`."""
    from .validation import validation_directory as resolve

    return resolve(directory)


def _run_validate(args, argv) -> int:
    from .validation import ENV_VAR, format_table, hard_failures, run_validation

    directory = validation_directory(args.directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"validation folder {str(directory)!r} not found (pass DIR or set {ENV_VAR})")
    df = run_validation(directory, cases=args.cases)
    print(f"validation cases: {directory}")
    print(format_table(df))
    failed = hard_failures(df)
    if len(failed):
        _say(f"{len(failed)} check(s) FAILED: " + "; ".join(f"{r['case']}: {r['check']}" for _, r in failed.iterrows()))
        return 1
    return 0


def _run_demo(args, argv) -> int:
    from .demo import run

    run(args.out, n_jobs=args.n_jobs)
    return 0


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, KeyError) and exc.args:
        text = f"{exc.args[0]!r} not found"
    else:
        text = str(exc) or type(exc).__name__
    return " ".join(text.split())


def main(argv=None) -> int:
    """Entry point of the ``frontier`` command; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error (already printed in one line)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        return args.func(args, argv)
    except KeyboardInterrupt:
        print("frontier: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `frontier ... -o - | head`: the reader left, which is fine
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 0
    except (ValueError, KeyError, OSError, ImportError, zipfile.BadZipFile) as exc:
        if args.traceback or os.environ.get("FRONTIER_TRACEBACK"):
            raise
        print(f"frontier: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # a bug: still one line, unless asked for the traceback
        if args.traceback or os.environ.get("FRONTIER_TRACEBACK"):
            raise
        print(f"frontier: error: unexpected {type(exc).__name__}: {_one_line(exc)} "
              "(run again with --traceback and report it)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
