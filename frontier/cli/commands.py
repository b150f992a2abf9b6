"""The data commands, one declaration each: which public function a command calls, which of its keywords the
command line offers (grouped as ``--help`` shows them), how FILE's rows are identified, what ``--keep-data`` and
each plot option do, and the examples. A parameter's flag, choices and help are not here: they come from
:data:`frontier.options.PARAMETERS` (and the model registry), so a command cannot offer a flag its function
does not receive. :func:`frontier.cli.runner.run` carries out any of them.

``tests/test_cli_mirrors_api.py`` checks every declaration against its function's signature (each keyword
reachable, or listed in ``api_only`` with the reason) and that each option arrives in the call.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from . import files

VARIABLES = ("inputs", "outputs", "bad_outputs")
MODEL = ("model", "orientation", "rts", "super_efficiency", "bad_disposability", "direction", "weights", "zeros")
ENGINE = ("n_jobs", "method", "chunk_size", "progress")
BY = ("by", "by_output")       # a table of means by a grouping column of the data (the result's period_means)
#: entries of ``options.PARAMETERS`` that are keywords of every figure: a command with plot options offers them too,
#: and each :class:`Plot` passes those given to its drawing (:func:`figure_options`)
PLOT_OPTIONS = ("lang",)


@dataclass(frozen=True)
class Plot:
    """A plot option: ``draw(result, file, args, data)`` saves the figure (``data``: FILE as read), with the
    :data:`PLOT_OPTIONS` given (``**figure_options(args)``); ``needs`` are options it cannot do without."""

    flag: str
    help: str
    draw: Callable
    needs: tuple = ()

    @property
    def dest(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")


@dataclass(frozen=True)
class Table:
    """A table the result derives, written beside the results (its columns appended to -o's table, its description
    to the specification): ``option`` is the entry of ``options.PARAMETERS`` whose flag asks for it (a switch, or
    the value it needs, such as --shadow-prices' numeraire), ``takes`` further entries that only it reads (they
    are refused without ``option``), and ``make(result, args)`` computes it: a result with its own ``export()``
    (:class:`frontier.results.PerDMUTable`)."""

    option: str
    make: Callable
    takes: tuple = ()


@dataclass(frozen=True)
class Command:
    """One data command.

    ``function``: the public ``frontier.<function>`` it calls (looked up when the command runs, so the parser
    imports no analysis). ``groups``: (help title, names) in ``--help`` order; a name is a keyword of the function
    (an entry of ``options.PARAMETERS``) or one of the command line's own options (``parser.CLI_OPTIONS``).
    ``required``: the options that must be given. ``panel``: FILE is a long panel (``--entity``, ``--period``).
    ``model_options``: the function takes the registry's family options (``**model_options``). What -o writes is
    the result's own ``export()`` (:mod:`frontier.results`); ``export_options(args)`` its extra keywords.
    ``keep_data(frame, export, args)``: puts the input columns into the export (with --keep-data, or when
    nothing else identifies the rows). ``saved(args)``: what -o holds, for the "not saved" note. ``checks``:
    functions of ``args`` raising ``ValueError`` before any file is read. ``api_only``: keywords of the
    function the command line leaves out, with the reason. ``tables``: the :class:`Table` s of the result the
    command offers beside its results (efficiency's --shadow-prices, --factor-efficiency, --multipliers).
    ``result_options``: entries of ``options.PARAMETERS`` in ``groups`` that are keywords of the result's table,
    not of the function (``by``: the runner prints ``result.period_means(by=..., data=FILE)`` and
    ``--by-output`` writes it). ``call(function, data, keywords, args)``: how the function is called (second
    stage: the score column first); ``prepare(keywords)``: the keywords as the function takes them (network: a
    whole ``--network`` description split into its parts), also what the page's reproducing code shows.
    """

    name: str
    function: str
    help: str
    description: str
    groups: tuple
    required: tuple
    keep_data: Callable
    saved: Callable
    epilog: str = ""
    panel: bool = False
    model_options: bool = False
    plots: tuple = ()
    tables: tuple = ()
    plot_entities: bool = False
    export_options: Callable = lambda args: {}
    checks: tuple = ()
    api_only: dict = field(default_factory=dict)
    result_options: tuple = ()
    dests: dict = field(default_factory=dict)
    call: Callable = lambda function, data, keywords, args: function(data, **keywords)
    prepare: Callable = lambda keywords: keywords

    def dest_of(self, name: str) -> str:
        """The parsed-argument name of keyword ``name`` (itself, unless it clashes with one of the command line's
        own options: sfa's ``output`` column and ``-o/--output FILE``)."""
        return self.dests.get(name, name)

    @property
    def options(self) -> tuple:
        """Every name in ``groups``, in order."""
        return tuple(name for _, names in self.groups for name in names)

    @property
    def keywords(self) -> tuple:
        """The function's keywords the command passes (not the ``result_options``)."""
        from ..options import PARAMETERS

        return tuple(n for n in self.options if n in PARAMETERS and n not in self.result_options)

    def text_columns(self, args) -> list:
        """The identifier columns read as text (codes such as 001 keep their leading zeros): the entity of a panel
        command, else the --id columns (network has no --id: its data identify the rows)."""
        if self.panel:
            return [args.entity]
        return list(getattr(args, "id", None) or [])


def given(args, name: str, analysis: str):
    """The value of option ``name``, or its default for ``analysis`` when it was not given."""
    from ..options import PARAMETERS

    value = getattr(args, name, None)
    return PARAMETERS[name].default_of(analysis) if value is None else value


# ----------------------------------------------------------------------------------------------------
# what --keep-data does, per kind of rows
# ----------------------------------------------------------------------------------------------------

def _row_position() -> str:
    """The column an export without --id is labelled by (the row's position in FILE)."""
    from ..io import ROW_POSITION

    return ROW_POSITION


def _id_columns(args) -> list:
    period = getattr(args, "period", None)
    return list(args.id) + ([period] if period else []) if args.id else [_row_position()]


def _copy_with_id(frame, export, args) -> None:
    """efficiency, bootstrap, sfa: the data's columns, then the results, with --keep-data or without --id (the rows
    need something to identify them)."""
    if args.keep_data or not args.id:
        files.data_first(export, frame, files.with_data(frame, export.table, _id_columns(args)))


def _copy_with_roles(*roles: str) -> Callable:
    """metafrontier, economic: as :func:`_copy_with_id`, the ``roles``' columns (group, period), which the export
    also holds, written once, with the data."""
    def keep(frame, export, args) -> None:
        if args.keep_data or not args.id:
            own = _id_columns(args) + [getattr(args, r) for r in roles if getattr(args, r, None)]
            files.data_first(export, frame, files.with_data(frame, export.table, list(dict.fromkeys(own))))
    return keep


def _merge_panel(how: str) -> Callable:
    """productivity, window: with --keep-data, the data merged with the results on the entity and period."""
    def keep(frame, export, args) -> None:
        if args.keep_data:
            files.data_first(export, frame, frame.merge(export.table, on=[args.entity, args.period], how=how,
                                                        suffixes=("", "_dea")))
    return keep


# ----------------------------------------------------------------------------------------------------
# plots (frontier.plots looked up when drawing)
# ----------------------------------------------------------------------------------------------------

def _plots():
    from .. import plots

    return plots


def figure_options(args) -> dict:
    """The keywords of the figure given on the command line (``--lang zh``): those not given are left to the
    drawing's own defaults."""
    return {name: getattr(args, name) for name in PLOT_OPTIONS if getattr(args, name, None) is not None}


def _gtfp(res, file, args, data) -> None:
    entities = files.match_entities(args.plot_entities, res.indices.index.get_level_values(0)) \
        if args.plot_entities else None
    levels = res.cumulative(policy=args.chain) if args.chain != "propagate" else res
    if args.by and entities is None:                  # one line per group
        _plots().plot_gtfp(levels, file, by=args.by, data=data, **figure_options(args))
        return
    _plots().plot_gtfp(levels, file, entities=entities, **figure_options(args))


def _windows(res, file, args, data) -> None:
    entities = files.match_entities(args.plot_entities, res.scores[res.spec.entity]) if args.plot_entities else None
    _plots().plot_windows(res, file, entities=entities, **figure_options(args))


def _profit_direction_only(args) -> None:
    kind = given(args, "kind", "economic")
    if args.direction is not None and kind != "profit":
        raise ValueError(f"--direction applies to --kind profit, not --kind {kind}")


def _shadow_prices_need_a_priced_output(args) -> None:
    """--shadow-prices names one of --outputs, needs bad outputs and a model of the DDF family: said before the LPs."""
    from ..models import family, model_names

    if args.shadow_prices is None:
        return
    if args.shadow_prices not in args.outputs:
        raise ValueError(f"--shadow-prices {args.shadow_prices}: the numeraire must be one of --outputs "
                         f"{' '.join(args.outputs)}")
    if not args.bad_outputs:
        raise ValueError("--shadow-prices prices bad outputs: give them with --bad-outputs")
    model = given(args, "model", "efficiency")
    if not family(model).shadow_prices:
        priced = " ".join(name for name in model_names() if family(name).shadow_prices)
        raise ValueError(f"--shadow-prices comes from the DDF family's multipliers (--model {priced}), not --model "
                         f"{model}")


EFFICIENCY_TABLES = (
    Table("shadow_prices", lambda res, args: res.shadow_prices(args.shadow_prices, price=given(
        args, "numeraire_price", "efficiency")), takes=("numeraire_price",)),
    Table("factor_efficiency", lambda res, args: res.factor_efficiency()),
    Table("multipliers", lambda res, args: res.multipliers),
)

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
  frontier efficiency panel.csv --inputs K L E --outputs GDP --bad-outputs CO2 --id city --period year \\
      --model ddf --shadow-prices GDP --factor-efficiency -o mac.dta    # shadow prices, energy efficiency
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
  frontier bootstrap sites.csv --inputs x1 x2 x3 --outputs y1 y2 --orientation output --scheme subsampling \\
      --B 500 --seed 1 -o subsampling.csv
"""


SECOND_STAGE_EPILOG = """\
A Stata user's simarwilson: 'simarwilson score z1 z2, algorithm(1) reps(2000)' is
'frontier second-stage scores.csv --score score --covariates z1 z2 --L2 2000'. The scores are those of
'frontier efficiency --model radial -o scores.csv' (input theta <= 1 or output phi >= 1); the regression is on the
distance delta = 1/theta (input) or phi (output), so a positive coefficient LOWERS efficiency (simarwilson's default
regresses on the efficiency score itself: its signs are the opposite for input theta). Algorithm 2 re-estimates
the DEA and needs the first stage's model: use the Python API (fr.second_stage(result, data, ...)).
--method tobit | fractional | ols regress the score itself (Stata's tobit ..., ul(1) vce(robust) for theta <= 1
or ll(1) for phi >= 1; fracreg logit on theta or 1/phi; regress ..., vce(robust)), every DMU included.

output (-o): the regression table (term, coefficient, std_error, z, p_value, lower, upper, significant, stars:
*** p < 0.01, ** p < 0.05, * p < 0.1; the column z holds t for ols); Excel adds the distances sheet (delta, used;
--method tobit, fractional, ols: the dependent sheet, the regressed score and Tobit's censored) led by --id.

examples:
  frontier efficiency firms.csv --inputs K L --outputs Y --model radial --id firm -o scores.csv --keep-data
  frontier second-stage scores.csv --score score --covariates age export_share --id firm --seed 1 -o sw.xlsx
  frontier second-stage scores.csv --score score --covariates age export_share --method tobit -o tobit.dta
"""

SFA_EPILOG = """\
examples:
  frontier sfa firms.csv --output Y --inputs K L --id firm -o sfa.xlsx
  frontier sfa firms.csv --output C --inputs Y w1 w2 --frontier cost --form translog -o cost_frontier.dta
  frontier sfa firms.csv --output Y --inputs K L --distribution truncated_normal \\
      --inefficiency-covariates age --no-log -o bc95.csv
"""

PARTIAL_FRONTIER_EPILOG = """\
output columns (one row per DMU; merge on the --id columns):
  score: input theta (the share of its inputs the DMU needs; FDH <= 1) or output phi (the factor its outputs could
  grow by; FDH >= 1). Order-m and order-alpha frontiers do not envelop every DMU: input theta > 1 (output phi < 1)
  is super-efficient, beyond the partial frontier. std_error (order-m: the Monte Carlo error of the B draws),
  n_reference (the DMUs the score is taken over). No LP is solved. Excel adds the 'outliers' sheet: the share of
  super-efficient DMUs against m or alpha (Daraio & Simar 2007). See docs/partial-frontiers.md.

examples:
  frontier partial-frontier firms.csv --inputs K L --outputs Y --estimator order_m --m 25 --B 200 --seed 1 \\
      --id firm -o orderm.xlsx --plot-outliers outliers.png      # Stata: orderm K L = Y, m(25)
  frontier partial-frontier firms.csv --inputs K L --outputs Y --estimator order_alpha --alpha 0.95 \\
      --orientation output -o alpha.dta
  frontier partial-frontier firms.csv --inputs K L --outputs Y --estimator fdh -o fdh.csv
"""

RETURNS_TO_SCALE_EPILOG = """\
output columns (one row per DMU; merge on the --id columns):
  crs, vrs, nirs: the radial scores (input theta <= 1, output phi >= 1); scale_efficiency (CRS / VRS, output
  VRS / CRS; in (0, 1]); rts: irs, crs or drs at the DMU's projection (--rule deap: CRS = VRS -> crs, else NIRS =
  VRS -> drs, else irs, as DEAP; --rule banker_thrall: the smallest and largest sum of lambdas over the CRS optima,
  also written); scale_elasticity; mpss_<variable>: the most productive scale size. See docs/returns-to-scale.md.

examples:
  frontier returns-to-scale firms.csv --inputs K L --outputs Y --id firm -o rts.xlsx      # DEAP's table
  frontier returns-to-scale firms.csv --inputs K L --outputs Y --orientation output --rule banker_thrall -o rts.csv
"""

TEST_RETURNS_TO_SCALE_EPILOG = """\
what is printed: the test table (H0, the statistic's value, its bootstrap p-value, B, the decision at --alpha).
output columns (one row per DMU; merge on the --id columns): crs (or nirs), vrs: the radial scores (input theta
  <= 1, output phi >= 1); ratio: the H0 score over the VRS score; the test table is in the specification (and an
  Excel sheet). See docs/bootstrap.md ("Tests of returns to scale and independence").

examples:
  frontier test-returns-to-scale firms.csv --inputs K L --outputs Y --B 999 --seed 1          # H0 CRS vs VRS
  frontier test-returns-to-scale firms.csv --inputs K L --outputs Y --null nirs --bandwidth sj-dpi -o nirs.xlsx
"""

TEST_INDEPENDENCE_EPILOG = """\
what is printed: the test table (H0 the score is independent of the mix, Wilson's T4n, its bootstrap p-value, B,
  the decision at --alpha): rejected -> the heterogeneous bootstrap (frontier bootstrap --scheme heterogeneous).
output columns (one row per DMU): score, the position (outputs or inputs held fixed, angle_k of the mix), status.

examples:
  frontier test-independence firms.csv --inputs K L --outputs Y --rts vrs --B 999 --seed 1
  frontier test-independence firms.csv --inputs K L --outputs Y1 Y2 --orientation output -o independence.csv
"""

CROSS_EFFICIENCY_EPILOG = """\
output columns (one row per DMU; merge on the --id columns):
  ccr (the CCR input score, the self-appraisal), cross_efficiency (the mean of the DMU's ratings by every DMU),
  peer_appraisal (by the others only), rank (1 = best), maverick ((ccr - peer) / peer). Excel adds the matrix
  (rows rate, columns are rated) and the weights (or, --variant game, the iterations). See
  docs/cross-efficiency.md.

examples:
  frontier cross-efficiency firms.csv --inputs K L --outputs Y --id firm -o cross.xlsx    # aggressive (default)
  frontier cross-efficiency firms.csv --inputs K L --outputs Y --variant game --tolerance 1e-4 -o game.csv
"""


DYNAMIC_EPILOG = """\
output columns (one row per entity and period; merge on the --entity and --period columns):
  term (the period's efficiency within the entity's dynamic LP), overall (the entity's overall efficiency over all
  periods), status, slack_<column> and target_<column> for every input, output, bad output and carry-over. Scores
  are in (0, 1], 1 = efficient; a score is missing (never 0 or 1) when its LP failed. Excel adds the sheets 'terms'
  (entity x period) and 'overall'. The panel must be balanced. See docs/models/dynamic.md.

examples:
  frontier dynamic panel.csv --entity city --period year --inputs labour energy --outputs gdp --bad-outputs so2 \\
      --carry-overs good=capital -o dsbm.xlsx --plot terms.png
  frontier dynamic banks.dta --entity bank --period year --inputs staff expense --outputs loans \\
      --carry-overs good=earned_surplus bad=npl --orientation input --rts crs -o dsbm.dta
  frontier dynamic panel.csv --entity city --period year --network dnsbm.json -o dnsbm.xlsx
      # dynamic network SBM: nodes with their own "carry_overs": {KIND: [COL]}, links within each period
"""


THREE_STAGE_EPILOG = """\
output columns (one row per DMU; merge on the --id columns):
  score_stage1, status_stage1 (observed inputs), score_stage3, status_stage3 (adjusted inputs), change; per input
  slack_<x> (x - target), environment_<x> (z b), managerial_<x> (E[u|e]), noise_<x> (E[v|e]) and adjusted_<x>
  (x + [max(z b) - z b] + [max(v) - v]). Excel adds the second stage's coefficients and LR tests. See
  docs/three-stage.md.

examples:
  frontier three-stage provinces.csv --inputs K L E --outputs GDP --environment gdp_pc industry openness \\
      --id province -o three_stage.xlsx --plot change.png            # radial BCC, input-oriented
  frontier three-stage provinces.csv --inputs K L E --outputs GDP --bad-outputs CO2 --environment gdp_pc \\
      --model sbm --super -o sbm_three_stage.csv
"""

ZSG_EPILOG = """\
output columns (one row per DMU; merge on the --id columns):
  radial (the CCR / BCC input score), zsg (the ZSG efficiency, >= radial), observed and reallocated (the fixed
  variable before and after; the same total), change, final_radial (1 after the reallocation). Excel adds the
  amounts after each round. See docs/zsg.md.

examples:
  frontier zsg provinces.csv --inputs K L E --outputs GDP --bad-outputs CO2 --reallocate CO2 --id province \\
      -o quotas.xlsx --plot quotas.png
"""

NETWORK_EPILOG = """\
the network (JSON text or a .json, .toml or .yaml file):
  --network FILE holds {"nodes": {...}, "links": [...], "stages": [...]} (links and stages optional), or give
  --nodes and --links separately. A node: {"inputs": [...], "outputs": [...], "bad_outputs": [...]}; a link:
  {"from": NODE, "to": NODE, "column": COL, "kind": "free" | "fixed"}. See docs/models/network.md.

output columns (one row per DMU, after the data's columns):
  system (the system or overall efficiency), node_<node>, stage_<s> (relational, additive), slack_<node>
  (relational), weight_<s> (additive), ccr_system and ccr_<node>, slack_<column> and target_<column> (sbm), status.

examples:
  frontier network firms.csv --network green.json --model sbm --rts vrs -o nsbm.xlsx
  frontier network firms.csv --nodes '{"rd": {"inputs": ["staff", "spending"]}, "market": {"outputs": ["revenue"]}}' \\
      --links '[{"from": "rd", "to": "market", "column": "patents"}]' -o relational.csv
"""

#: the keys of a whole network description (``--network FILE``)
NETWORK_KEYS = ("nodes", "links", "stages")


def _split_network(keywords: dict) -> dict:
    """``--network`` (an alias of ``--nodes``) may hold the whole description ``{"nodes", "links", "stages"}``: a
    mapping with a ``nodes`` key whose keys are all among those three (a node's own roles never are); its parts
    become the keywords, and one given both there and as its own option is refused."""
    nodes = keywords.get("nodes")
    if isinstance(nodes, dict) and "nodes" in nodes and set(nodes) <= set(NETWORK_KEYS):
        keywords = dict(keywords)
        for key in NETWORK_KEYS:
            if key in nodes:
                if key != "nodes" and key in keywords:
                    raise ValueError(f"the network description gives {key!r} and so does --{key}: give it once")
                keywords[key] = nodes[key]
    return keywords


def _copy_data(frame, export, args) -> None:
    """network: the data's columns, then the results (the command has no --id: the data identify the rows)."""
    files.data_first(export, frame, files.with_data(frame, export.table, [export.table.columns[0]]))


def _second_stage_call(function, data, keywords, args):
    """The scores are FILE's --score column; the covariates (and --id) its other columns."""
    if args.score not in data.columns:
        raise ValueError(f"--score column {args.score!r} not found in the file; available columns: "
                         f"{list(data.columns)}")
    return function(data[args.score], data, **keywords)


def _keep_none(frame, export, args) -> None:
    """The regression table has one row per coefficient: nothing of the data is copied into it."""


COMMANDS = (
    Command(
        "efficiency", "efficiency", help="score every DMU (row) of a data file with one DEA model",
        description="Score every DMU (row) of a data file with one DEA model, optionally period by period "
                    "(--period). Options mirror frontier.efficiency().",
        epilog=EFFICIENCY_EPILOG,
        groups=(("variables", VARIABLES),
                ("DMUs and periods", ("id", "period", "technology", "window", "reference")),
                ("model", MODEL),
                ("table by group", BY),
                ("computation", ENGINE)),
        required=("inputs", "outputs"), model_options=True, result_options=("by",),
        keep_data=_copy_with_id, saved=lambda args: "scores",
        tables=EFFICIENCY_TABLES, checks=(_shadow_prices_need_a_priced_output,),
        plots=(Plot("--plot", "save a plot of the score distribution (box plots per period with --period, else a "
                              "histogram) (.png, .pdf, .svg; needs matplotlib)",
                    lambda res, file, args, data: _plots().plot_scores(res, file, **figure_options(args))),)),
    Command(
        "productivity", "productivity",
        help="productivity change (ML, GML, SML, Malmquist, Luenberger) and cumulative GTFP over a panel",
        description="Productivity change of every entity between its consecutive periods, its decomposition, and "
                    "the cumulative (GTFP) series. Options mirror frontier.productivity().",
        epilog=PRODUCTIVITY_EPILOG, panel=True,
        groups=(("panel", ("entity", "period")),
                ("variables", VARIABLES),
                ("index", ("index", "technology", "window", "group", "decomposition", "adjacency", "base",
                           "bootstrap", "scheme", "kappa", "alpha", "bandwidth", "random_state", "chain")),
                ("model", MODEL),
                ("table by group", BY),
                ("computation", ENGINE)),
        required=("entity", "period", "inputs", "outputs"), model_options=True, result_options=("by",),
        export_options=lambda args: {"policy": args.chain},
        keep_data=_merge_panel("left"), saved=lambda args: "indices",
        plots=(Plot("--plot", "save a plot of the cumulative GTFP trajectories (mean and interquartile band, one "
                              "line per group with --by, or the --plot-entities) (.png, .pdf, .svg; needs "
                              "matplotlib)", _gtfp),
               Plot("--plot-decomposition", "save a plot of the index, efficiency change and technical change by "
                                            "period",
                    lambda res, file, args, data: _plots().plot_decomposition(res, file, **figure_options(args)))),
        plot_entities=True),
    Command(
        "window", "window_analysis", help="classic window analysis (Charnes, Clark, Cooper & Golany 1985)",
        description="Window analysis: every window of --width consecutive periods pools its periods into one "
                    "frontier and scores every observation in it. Options mirror frontier.window_analysis().",
        epilog=WINDOW_EPILOG, panel=True,
        groups=(("panel", ("entity", "period", "width")),
                ("variables", VARIABLES),
                ("model", MODEL),
                ("computation", ENGINE)),
        required=("entity", "period", "inputs", "outputs"), model_options=True,
        keep_data=_merge_panel("right"), saved=lambda args: "scores",
        plots=(Plot("--plot", "save a plot of each window's mean score by period (or the --plot-entities' own rows) "
                              "(.png, .pdf, .svg; needs matplotlib)", _windows),),
        plot_entities=True),
    Command(
        "metafrontier", "metafrontier",
        help="score every DMU against its group's frontier and the metafrontier; the technology gap ratio",
        description="Score every DMU (row) against the frontier of its group (region, industry, ownership) and "
                    "against the metafrontier of all groups, and report the technology gap, optionally period by "
                    "period (--period). Options mirror frontier.metafrontier(); see docs/metafrontier.md.",
        epilog=METAFRONTIER_EPILOG,
        groups=(("variables", VARIABLES),
                ("groups, DMUs and periods", ("group", "meta", "id", "period", "technology", "window")),
                ("model", MODEL),
                ("computation", ENGINE)),
        required=("group", "inputs", "outputs"), model_options=True,
        saved=lambda args: "scores",
        keep_data=_copy_with_roles("group", "period"),
        plots=(Plot("--plot", "save box plots of the technology gap by group, with the mean and n of each group "
                              "(.png, .pdf, .svg; needs matplotlib)",
                    lambda res, file, args, data: _plots().plot_tgr(res, file, **figure_options(args))),
               Plot("--plot-periods", "with --period: save the mean technology gap of each group by period, n "
                                      "under every point",
                    lambda res, file, args, data: _plots().plot_tgr(res, file, over="period", **figure_options(args)),
                    needs=("period",)))),
    Command(
        "bootstrap", "bootstrap",
        help="bias-corrected radial efficiency scores and confidence intervals (Simar & Wilson 1998 bootstrap)",
        description="Bias-corrected radial (CCR/BCC) efficiency scores and confidence intervals by the smoothed "
                    "homogeneous (Simar & Wilson 1998) or heterogeneous (2000) bootstrap, or by subsampling "
                    "(Kneip, Simar & Wilson 2008). Options mirror frontier.bootstrap().",
        epilog=BOOTSTRAP_EPILOG,
        groups=(("variables", VARIABLES),
                ("DMUs and periods", ("id", "period", "technology")),
                ("model and bootstrap", ("model", "orientation", "rts", "scheme", "B", "alpha", "bandwidth", "kappa",
                                          "random_state")),
                ("computation", ENGINE)),
        required=("inputs", "outputs"),
        keep_data=_copy_with_id,
        saved=lambda args: "bootstrap estimates",
        plots=(Plot("--plot", "save a plot of the scores with their intervals, sorted (.png, .pdf, .svg; needs "
                              "matplotlib)",
                    lambda res, file, args, data: _plots().plot_bootstrap(res, file, **figure_options(args))),)),
    Command(
        "economic", "economic", help="cost, revenue or profit efficiency with technical and allocative parts",
        description="Cost, revenue or (Nerlovian) profit efficiency of every DMU at its prices, split into "
                    "technical and allocative parts. Options mirror frontier.economic().",
        epilog=ECONOMIC_EPILOG,
        groups=(("variables", VARIABLES),
                ("prices and model", ("kind", "prices", "rts", "bad_disposability", "direction")),
                ("DMUs and periods", ("id", "period", "technology", "window")),
                ("computation", ("n_jobs", "method", "chunk_size"))),
        required=("inputs", "outputs", "prices"),
        checks=(_profit_direction_only,),
        keep_data=_copy_with_roles("period"),
        saved=lambda args: f"{given(args, 'kind', 'economic')} efficiency results"),
    Command(
        "second-stage", "second_stage",
        help="regress DEA scores on covariates (Simar & Wilson 2007 truncated regression, bootstrap intervals; or "
             "Tobit, fractional logit, OLS)",
        description="Regress the DEA distance (from a file of scores, e.g. 'frontier efficiency -o') on "
                    "covariates by truncated-normal maximum likelihood with Simar & Wilson's (2007) parametric "
                    "bootstrap (Algorithm 1; the default), or the scores by a Tobit censored at 1, a fractional logit "
                    "or OLS with robust standard errors (--method). Options mirror frontier.second_stage().",
        epilog=SECOND_STAGE_EPILOG,
        groups=(("scores and covariates", ("score", "covariates", "id")),
                ("regression and bootstrap", ("method", "L2", "alpha", "interval", "random_state"))),
        required=("covariates",),
        keep_data=_keep_none, saved=lambda args: "coefficients",
        call=_second_stage_call,
        api_only={"algorithm": "Algorithm 2 re-estimates the DEA and needs the first stage's model, which a file "
                               "of scores does not carry: use fr.second_stage(result, data, algorithm=2)",
                  "L1": "Algorithm 2 only (see algorithm)",
                  "n_jobs": "Algorithm 2 only: Algorithm 1 solves no LP",
                  "lp_method": "Algorithm 2 only: Algorithm 1 solves no LP",
                  "chunk_size": "Algorithm 2 only: Algorithm 1 solves no LP",
                  "progress": "Algorithm 2 only: Algorithm 1 solves no LP"}),
    Command(
        "sfa", "sfa",
        help="stochastic frontier analysis: a Cobb-Douglas or translog production or cost frontier by ML",
        description="A stochastic production or cost frontier (Aigner, Lovell & Schmidt 1977; Battese & Coelli "
                    "1995) by maximum likelihood, with each observation's technical efficiency. Options mirror "
                    "frontier.sfa().",
        epilog=SFA_EPILOG,
        groups=(("variables", ("output", "inputs", "id")),
                ("model", ("form", "distribution", "frontier", "inefficiency_covariates", "log", "max_iter"))),
        required=("output", "inputs"), dests={"output": "dependent"},
        keep_data=_copy_with_id, saved=lambda args: "efficiencies"),
    Command(
        "partial-frontier", "partial_frontier",
        help="FDH, order-m and order-alpha efficiency: frontiers robust to outliers, with no LP",
        description="Free disposal hull (Deprins, Simar & Tulkens 1984), order-m (Cazals, Florens & Simar 2002) or "
                    "order-alpha (Aragon, Daouia & Thomas-Agnan 2005) efficiency of every DMU (row), input or "
                    "output oriented. Options mirror frontier.partial_frontier().",
        epilog=PARTIAL_FRONTIER_EPILOG,
        groups=(("variables", ("inputs", "outputs", "id")),
                ("estimator", ("estimator", "orientation", "m", "alpha", "B", "random_state"))),
        required=("inputs", "outputs"),
        keep_data=_copy_with_id, saved=lambda args: "scores",
        plots=(Plot("--plot", "save a histogram of the scores (.png, .pdf, .svg; needs matplotlib)",
                    lambda res, file, args, data: res.draw("scores", file, **figure_options(args))),
               Plot("--plot-outliers", "save the outlier plot: the share of super-efficient DMUs against m or alpha "
                                       "(Daraio & Simar 2007)",
                    lambda res, file, args, data: res.draw("outliers", file, **figure_options(args))))),
    Command(
        "returns-to-scale", "returns_to_scale",
        help="returns to scale of every DMU (irs / crs / drs), scale efficiency, scale elasticity and MPSS",
        description="Returns to scale of every DMU (row) from the radial CRS, VRS and NIRS scores (as DEAP) or from "
                    "Banker & Thrall's sums of lambdas, with scale efficiency, the scale elasticity and the most "
                    "productive scale size. Options mirror frontier.returns_to_scale().",
        epilog=RETURNS_TO_SCALE_EPILOG,
        groups=(("variables", ("inputs", "outputs", "id")),
                ("model", ("orientation", "rule", "tolerance")),
                ("computation", ENGINE)),
        required=("inputs", "outputs"),
        keep_data=_copy_with_id, saved=lambda args: "returns to scale",
        plots=(Plot("--plot", "save a plot of scale efficiency against the VRS score by returns to scale (.png, "
                              ".pdf, .svg; needs matplotlib)",
                    lambda res, file, args, data: res.draw("scale", file, **figure_options(args))),)),
    Command(
        "test-returns-to-scale", "test_returns_to_scale",
        help="bootstrap test of H0 CRS (or NIRS) against VRS (Simar & Wilson 2002; npsf's nptestrts)",
        description="Test whether the technology has constant (or non-increasing) returns to scale against "
                    "variable returns, with a p-value from the smoothed bootstrap under H0 (Simar & Wilson 2002), as "
                    "npsf's nptestrts. Options mirror frontier.test_returns_to_scale().",
        epilog=TEST_RETURNS_TO_SCALE_EPILOG,
        groups=(("variables", ("inputs", "outputs", "id")),
                ("test", ("orientation", "null", "statistic", "B", "alpha", "bandwidth", "random_state")),
                ("computation", ENGINE)),
        required=("inputs", "outputs"),
        keep_data=_copy_with_id, saved=lambda args: "the scores and the test"),
    Command(
        "test-independence", "test_independence",
        help="bootstrap test that efficiency is independent of the input (output) mix (Wilson 2003; nptestind)",
        description="Test whether the radial score is independent of where the DMU lies (the mix and the quantities "
                    "held fixed), the homogeneous bootstrap's assumption, by Wilson's (2003) statistic with a "
                    "bootstrap p-value, as npsf's nptestind. Options mirror frontier.test_independence().",
        epilog=TEST_INDEPENDENCE_EPILOG,
        groups=(("variables", ("inputs", "outputs", "id")),
                ("test", ("orientation", "rts", "B", "alpha", "bandwidth", "random_state")),
                ("computation", ENGINE)),
        required=("inputs", "outputs"),
        keep_data=_copy_with_id, saved=lambda args: "the scores and the test"),
    Command(
        "cross-efficiency", "cross_efficiency",
        help="cross-efficiency matrix, mean cross-efficiency, rank and maverick index (CCR multiplier form)",
        description="Every DMU rated with every DMU's CCR weights (Sexton et al. 1986), with Doyle & Green's (1994) "
                    "aggressive or benevolent secondary goal or Liang et al.'s (2008) game cross-efficiency. "
                    "Options mirror frontier.cross_efficiency().",
        epilog=CROSS_EFFICIENCY_EPILOG,
        groups=(("variables", ("inputs", "outputs", "id")),
                ("cross-efficiency", ("variant", "tolerance", "max_iter")),
                ("computation", ENGINE)),
        required=("inputs", "outputs"),
        keep_data=_copy_with_id, saved=lambda args: "cross-efficiencies",
        plots=(Plot("--plot", "save the CCR scores and mean cross-efficiencies by rank (.png, .pdf, .svg; needs "
                              "matplotlib)",
                    lambda res, file, args, data: res.draw("ranking", file, **figure_options(args))),)),
    Command(
        "dynamic", "dynamic",
        help="dynamic SBM with carry-overs between periods (Tone & Tsutsui 2010): overall and term efficiencies",
        description="Dynamic SBM (Tone & Tsutsui 2010): each entity's periods in one LP, linked by carry-overs "
                    "(good, bad, free, fixed), with overall and per-period (term) efficiencies, slacks and targets. "
                    "Options mirror frontier.dynamic().",
        epilog=DYNAMIC_EPILOG, panel=True,
        groups=(("panel", ("entity", "period")),
                ("variables", VARIABLES + ("carry_overs",)),
                ("model", ("orientation", "rts", "period_weights")),
                ("dynamic network SBM", ("nodes", "links", "node_rts", "node_weights")),
                ("computation", ENGINE)),
        required=("entity", "period"),
        keep_data=_merge_panel("left"), saved=lambda args: "dynamic SBM scores", prepare=_split_network,
        plots=(Plot("--plot", "save a plot of the term efficiencies over time (mean and interquartile band) "
                              "(.png, .pdf, .svg; needs matplotlib)",
                    lambda res, file, args, data: res.draw("terms", file, **figure_options(args))),)),
    Command(
        "three-stage", "three_stage",
        help="three-stage DEA: scores purged of the environment and of noise by an SFA of every input slack",
        description="Three-stage DEA (Fried, Lovell, Schmidt & Yaisawarng 2002): the DEA model, a cost-type "
                    "stochastic frontier of every input's slack on the environmental variables, the inputs "
                    "adjusted for environment and noise, the model again. Options mirror frontier.three_stage().",
        epilog=THREE_STAGE_EPILOG,
        groups=(("variables", VARIABLES + ("environment", "id")),
                ("model", MODEL + ("distribution",)),
                ("computation", ENGINE)),
        required=("inputs", "outputs", "environment"), model_options=True,
        keep_data=_copy_with_id, saved=lambda args: "three-stage results",
        plots=(Plot("--plot", "save a plot of the stage-3 against the stage-1 scores (.png, .pdf, .svg; needs "
                              "matplotlib)",
                    lambda res, file, args, data: res.draw("change", file, **figure_options(args))),)),
    Command(
        "zsg", "zsg",
        help="zero-sum-gains DEA: reallocate a fixed total (e.g. CO2 quotas) until every DMU is efficient",
        description="Zero-sum-gains DEA (Lins et al. 2003; Gomes & Lins 2008): the ZSG efficiency of every DMU and "
                    "the reallocation of the fixed total of one input or undesirable output by the proportional "
                    "reduction strategy. Options mirror frontier.zsg().",
        epilog=ZSG_EPILOG,
        groups=(("variables", VARIABLES + ("reallocate", "id")),
                ("model", ("rts", "tolerance", "max_iter"))),
        required=("inputs", "outputs", "reallocate"),
        keep_data=_copy_with_id, saved=lambda args: "allocation",
        plots=(Plot("--plot", "save a bar chart of the observed and reallocated amounts (.png, .pdf, .svg; needs "
                              "matplotlib)",
                    lambda res, file, args, data: res.draw("allocation", file, **figure_options(args))),)),
    Command(
        "network", "network",
        help="network DEA: relational (Kao & Hwang), additive two-stage (Chen et al.) or network SBM (Tone & Tsutsui)",
        description="Network DEA: each DMU (row) opened into nodes linked by intermediate products, scored in one LP "
                    "over the whole network, with node (divisional) and stage efficiencies. Options mirror "
                    "frontier.network().",
        epilog=NETWORK_EPILOG,
        groups=(("network", NETWORK_KEYS),
                ("model", ("model", "rts", "orientation", "node_rts", "node_weights", "ccr")),
                ("computation", ENGINE)),
        required=("nodes",), keep_data=_copy_data, saved=lambda args: "network efficiencies",
        prepare=_split_network),
)

COMMAND = {cmd.name: cmd for cmd in COMMANDS}
