"""The vocabulary of ``frontier``: every list of choices, and a table of every public parameter.

This module is a leaf (standard library only), so anything may import it: the analyses check their arguments
against these tuples, the command line builds its flags from :data:`PARAMETERS`, and a web page can show the
same help texts (English and Simplified Chinese). A choice is spelled out here and nowhere else; a new value
(a technology, a bandwidth rule) is added once, here.

What is *not* here: the facts a model family declares (its orientations, bad-output disposabilities, its own
options such as EBM's ``epsilon``) live in the model registry (:mod:`frontier.models.registry`), next to the
model; the command line reads them from there.

:data:`PARAMETERS` maps each keyword of the public functions (``efficiency``, ``productivity``,
``metafrontier``, ``window_analysis``, ``bootstrap``, ``economic``, ``second_stage``), and each table of a result
that the command line offers (``shadow_prices``, ``factor_efficiency``, ``multipliers``; ``by`` of ``period_means``),
and each keyword of the figures it offers (``lang``), to a :class:`Param`: its
kind of value, its choices (per analysis where they differ), its default (per analysis where it differs), its
help and its plain label in English and Chinese and its command-line flag. Tests keep the table equal to the
functions' signatures.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# ----------------------------------------------------------------------------------------------------
# vocabularies
# ----------------------------------------------------------------------------------------------------

#: every reference technology (the frontier period t is scored against); ``technology.Technology`` takes these
TECHNOLOGIES = ("contemporaneous", "sequential", "global", "window", "biennial")
#: the technologies of the analyses that score one row per DMU period by period (efficiency, metafrontier,
#: economic): a biennial frontier needs a pair of periods, which only an index compares
EFFICIENCY_TECHNOLOGIES = ("contemporaneous", "sequential", "global", "window")
#: the technologies of ``productivity(index="malmquist" | "luenberger")``
PRODUCTIVITY_TECHNOLOGIES = ("contemporaneous", "sequential", "global", "biennial", "window")
#: the technologies of the Hicks-Moorsteen indices (each period's frontier scores both periods' quantities)
HICKS_MOORSTEEN_TECHNOLOGIES = ("contemporaneous", "sequential", "window", "global")
#: the technologies of the Simar-Wilson efficiency bootstrap (one frontier per period, or one pooled)
BOOTSTRAP_TECHNOLOGIES = ("contemporaneous", "global")

#: returns to scale: constant, variable, non-increasing, non-decreasing
RTS = ("crs", "vrs", "nirs", "ndrs")
#: the returns to scale the Simar-Wilson bootstrap is established for
BOOTSTRAP_RTS = ("crs", "vrs", "nirs")
#: the orientations the built-in models declare (each model declares its own in the registry)
ORIENTATIONS = ("input", "output", "nonoriented")
#: the orientations of the radial bootstrap
BOOTSTRAP_ORIENTATIONS = ("input", "output")
#: how bad outputs may be disposed of (radial, ddf, nddf); the SBM models treat them through their slacks
DISPOSABILITIES = ("weak", "strong", "apz")
#: bad outputs held at their level in economic efficiency
ECONOMIC_DISPOSABILITIES = ("weak", "strong")
#: named directions of the directional models
DIRECTIONS = ("observed", "output", "input", "ones", "mean")
#: the directions of Nerlovian profit efficiency
PROFIT_DIRECTIONS = ("observed", "ones", "mean")
#: zeros in a variable the score divides by
ZERO_POLICIES = ("error", "small_positive", "drop_term")
#: LP strategies of the engine (``frontier.engine.METHODS`` is this tuple; a test keeps them equal)
METHODS = ("auto", "restricted", "full", "dense")

#: productivity index names: the Malmquist family's aliases, then the Hicks-Moorsteen indices
MALMQUIST_INDICES = ("ml", "gml", "sml", "malmquist", "luenberger")
HICKS_MOORSTEEN_INDICES = ("hicks_moorsteen", "lhm")
INDICES = MALMQUIST_INDICES + HICKS_MOORSTEEN_INDICES
DECOMPOSITIONS = ("fgnz",)
ADJACENCY = ("observed", "calendar")
BASES = ("previous", "first")
#: a missing index in a chained (cumulative) series: leave every later level missing, or restart the chain
CHAIN_POLICIES = ("propagate", "restart")

METAS = ("pooled", "union")
ECONOMIC_KINDS = ("cost", "revenue", "profit")

#: the languages of figure labels (``lang=`` of the plots; the translations are :data:`frontier._text.ZH`)
LANGUAGES = ("en", "zh")

#: kernel bandwidth rules of the efficiency bootstrap (or a number)
BANDWIDTH_RULES = ("silverman", "lscv", "benchmarking", "sj", "sj-dpi")
#: the efficiency bootstrap's schemes: smoothed homogeneous (Simar & Wilson 1998), smoothed heterogeneous (Simar &
#: Wilson 2000), m out of n subsampling (Kneip, Simar & Wilson 2008)
BOOTSTRAP_SCHEMES = ("homogeneous", "heterogeneous", "subsampling")
#: kernel bandwidth rules of the Malmquist bootstrap (or a number)
MALMQUIST_BANDWIDTH_RULES = ("silverman",)
#: the intervals of ``productivity(bootstrap=B)``: the smoothed bivariate bootstrap of Simar & Wilson (1999) (radial
#: Malmquist only), or m out of n subsampling of the entities (any Malmquist-family index; labelled, its rate
#: for the index not established theory: docs/bootstrap.md)
PRODUCTIVITY_BOOTSTRAP_SCHEMES = ("smoothed", "subsampling")
SECOND_STAGE_ALGORITHMS = (1, 2)
#: the second stage's regressions: Simar & Wilson's (2007) truncated regression with bootstrap intervals (the
#: default), a Tobit censored at 1, Papke & Wooldridge's (1996) fractional logit, OLS
SECOND_STAGE_METHODS = ("sw2007", "tobit", "fractional", "ols")
#: stochastic frontiers: functional forms, inefficiency distributions, the side of the one-sided error
SFA_FORMS = ("cobb_douglas", "translog")
SFA_DISTRIBUTIONS = ("half_normal", "truncated_normal", "exponential")
SFA_FRONTIERS = ("production", "cost")
INTERVALS = ("percentile", "basic")
#: partial frontiers: free disposal hull (Deprins, Simar & Tulkens 1984), order-m (Cazals, Florens & Simar 2002),
#: order-alpha (Aragon, Daouia & Thomas-Agnan 2005); and their orientations
PARTIAL_ESTIMATORS = ("fdh", "order_m", "order_alpha")
PARTIAL_ORIENTATIONS = ("input", "output")
#: the orientations of the radial analyses around the scores (returns to scale)
RADIAL_ORIENTATIONS = ("input", "output")
#: how returns to scale are told apart: Färe, Grosskopf & Lovell's comparison of the CRS, VRS and NIRS scores (as
#: DEAP), or Banker & Thrall's smallest and largest sum of lambdas over the CRS optima
RTS_RULES = ("deap", "banker_thrall")
#: the null hypotheses of the bootstrap test of returns to scale (Simar & Wilson 2002), each against VRS
RTS_NULLS = ("crs", "nirs")
#: its statistics: npsf's mean(F0)/mean(F_VRS) (S&W 2002 eq. 4.6) or mean(F0/F_VRS) (eq. 4.5)
RTS_STATISTICS = ("ratio_of_means", "mean_of_ratios")
#: cross-efficiency: the weights each DMU rates the others with (Sexton et al. 1986's own optimal weights as the
#: solver returns them; Doyle & Green 1994's aggressive and benevolent secondary goals; Liang et al. 2008's game)
CROSS_EFFICIENCY_VARIANTS = ("simple", "aggressive", "benevolent", "game")
#: the network DEA models (:func:`frontier.network`): Kao & Hwang's relational model, Chen et al.'s additive one,
#: Tone & Tsutsui's network SBM
NETWORK_MODELS = ("relational", "additive", "sbm")
#: dynamic SBM (Tone & Tsutsui 2010): the kinds of carry-over (desirable, undesirable, discretionary,
#: non-discretionary) and the returns to scale it is defined for
CARRY_OVER_KINDS = ("good", "bad", "free", "fixed")
DYNAMIC_RTS = ("vrs", "crs")
#: zero-sum-gains DEA: the returns to scale of its radial model (ZSG-CCR, ZSG-BCC)
ZSG_RTS = ("crs", "vrs")

#: the public functions whose parameters :data:`PARAMETERS` describes (the keys of per-analysis entries)
ANALYSES = (
    "efficiency",
    "productivity",
    "metafrontier",
    "window_analysis",
    "bootstrap",
    "economic",
    "second_stage",
    "sfa",
    "partial_frontier",
    "returns_to_scale",
    "cross_efficiency",
    "network",
    "dynamic",
    "three_stage",
    "zsg",
    "test_returns_to_scale",
    "test_independence",
)

# ----------------------------------------------------------------------------------------------------
# the parameter table
# ----------------------------------------------------------------------------------------------------

#: kinds of value (``Param.kind``): how a value is written on a command line or in a form
KINDS = ("columns",    # one or more column names
         "column",     # one column name
         "choice",     # one of ``choices``
         "count",      # a whole number >= 0
         "int",        # a whole number (may be negative: n_jobs = -1)
         "float",      # a number
         "switch",     # on / off
         "pairs",      # NAME=VALUE pairs (weights, prices)
         "rule",       # one of ``choices`` or a number (bandwidth)
         "seed",       # a whole number >= 0 (a random seed)
         "mask",       # a column of 0/1 (true/false) marking rows
         "structure")  # a dict or list describing a structure (a network's nodes and links)


@dataclass(frozen=True)
class Param:
    """One public parameter: what it takes, its default, what it means, and its flag on the command line.

    ``choices`` and ``default`` hold for every analysis but those named in ``choices_for`` and ``defaults``.
    ``help``/``zh`` explain it (English / Simplified Chinese); ``help_for``/``zh_for`` replace them for one
    analysis (a parameter that means another thing there, e.g. ``alpha`` of an interval or of a quantile).
    ``label``/``label_zh`` name it in plain words (``rts``: "Returns to scale" / "规模报酬"), as the page of
    ``frontier app`` shows it beside the keyword; ``label_for``/``label_zh_for`` replace them for one analysis where
    the thing named differs (``alpha``: a significance level, or the order of a quantile frontier). ``flag`` is its
    command-line option (``--name-with-dashes`` unless given) and ``aliases`` are other spellings the command line
    accepts.
    """

    name: str
    kind: str
    help: str
    zh: str
    choices: tuple | None = None
    default: object = None
    choices_for: dict = field(default_factory=dict)
    defaults: dict = field(default_factory=dict)
    help_for: dict = field(default_factory=dict)
    zh_for: dict = field(default_factory=dict)
    flag: str | None = None
    aliases: tuple = ()
    metavar: str | None = None
    label: str = ""
    label_zh: str = ""
    label_for: dict = field(default_factory=dict)
    label_zh_for: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Param {self.name!r}: kind must be one of {KINDS}, got {self.kind!r}")

    @property
    def option(self) -> str:
        """The command-line flag."""
        return self.flag or "--" + self.name.replace("_", "-")

    def choices_of(self, analysis: str) -> tuple | None:
        return self.choices_for.get(analysis, self.choices)

    def default_of(self, analysis: str):
        return self.defaults.get(analysis, self.default)

    def help_of(self, analysis: str) -> str:
        return self.help_for.get(analysis, self.help)

    def zh_of(self, analysis: str) -> str:
        return self.zh_for.get(analysis, self.zh)

    def label_of(self, analysis: str) -> str:
        """The plain English name for ``analysis`` (the keyword itself where none is declared)."""
        return self.label_for.get(analysis, self.label) or self.name

    def label_zh_of(self, analysis: str) -> str:
        """The plain Chinese name for ``analysis`` (the English one where none is declared)."""
        return self.label_zh_for.get(analysis, self.label_zh) or self.label_of(analysis)


def _table(*params: Param) -> dict:
    return {p.name: p for p in params}


_RTS_HELP = ("returns to scale of the frontier. 'vrs' variable (default): a DMU is compared with DMUs of similar "
             "size; 'crs' constant: any DMU may be scaled up or down (size does not matter); 'nirs' non-increasing; "
             "'ndrs' non-decreasing")
_TECHNOLOGY_HELP = ("with --period, which observations form period t's frontier: 'contemporaneous' period t only "
                    "(default); 'sequential' all periods up to t; 'global' all periods (one common frontier); "
                    "'window' periods t-h..t+h (--window h)")

PARAMETERS: dict[str, Param] = _table(
    # ---- variables and identifiers
    Param("inputs", "columns", "input columns (resources used), e.g. capital labour energy",
          "投入变量列（所使用的资源），如 资本 劳动 能源", flag="--inputs", aliases=("-x",), metavar="COL",
          label="Inputs", label_zh="投入"),
    Param("outputs", "columns", "desirable output columns (more is better), e.g. GDP",
          "期望产出变量列（越多越好），如 GDP", flag="--outputs", aliases=("-y",), metavar="COL",
          label="Desirable outputs", label_zh="期望产出"),
    Param("bad_outputs", "columns", "undesirable output columns (less is better), e.g. SO2 COD CO2",
          "非期望产出变量列（越少越好），如 二氧化硫、化学需氧量、二氧化碳", aliases=("-b",), metavar="COL",
          label="Undesirable outputs", label_zh="非期望产出"),
    Param("id", "columns",
          "column(s) identifying each DMU, written first in the output; codes such as 001 are kept as text. "
          "Without --id all input columns are copied to the output",
          "标识每个决策单元（DMU）的列，写在输出的最前面；001 这类编码按文本保留。不指定时输出复制全部输入列",
          help_for={"efficiency": "column(s) identifying each DMU (e.g. --id firm, or --id city with --period "
                                  "year), written first in the output (as efficiency(id=...)); codes such as 001 "
                                  "are kept as text. Without --id all input columns are copied to the output"},
          metavar="COL",
          label="DMU identifier", label_zh="DMU 标识"),
    Param("entity", "column", "column identifying the entity (city, firm...)",
          "标识个体（城市、企业等）的列", metavar="COL",
          label="Entity identifier", label_zh="个体标识"),
    Param("period", "column", "column identifying the period (year...)", "标识时期（年份等）的列",
          help_for={"efficiency": "score each period against its own frontier (see --technology)",
                    "metafrontier": "score each period against its own group frontiers and metafrontier (see "
                                    "--technology)",
                    "economic": "evaluate each period against its own frontier (--technology)",
                    "bootstrap": "bootstrap each period against its own frontier (or, with --technology global, "
                                 "one pooled frontier)"},
          metavar="COL",
          label="Time period", label_zh="时期"),
    Param("group", "column",
          "column naming each DMU's group; every group frontier needs at least 2 DMUs (in each period's "
          "technology)",
          "标识每个 DMU 所属组别（地区、行业、所有制）的列；每个组前沿在每期的技术中至少需要 2 个 DMU",
          help_for={"productivity": "column naming each entity's group (region, industry): the metafrontier index "
                                    "of Oh & Lee (2010) and Oh (2010) on the global metafrontier, index = ec x bpc "
                                    "x tgc (luenberger: ec + bpc + tgc) with ec against the contemporaneous group "
                                    "frontier, bpc the best-practice change and tgc the technology-gap change; with "
                                    "--index gml (default), or malmquist / luenberger with --technology global. "
                                    "Each entity stays in one group"},
          metavar="COL",
          label="Group", label_zh="组别"),
    Param("by", "column",
          "a column of the data grouping the rows (region, industry), not a variable of the model: the table of "
          "means by group and period, each with n (rows whose group is missing are left out, with a warning)",
          "数据中用于分组的列（地区、行业等，不能是模型的投入产出变量）：给出按组别与时期的均值表，并注明每个均值所依据的"
          "样本数 n（组别缺失的行不计入任何组，并给出警告）",
          help_for={"productivity": "a column of the data grouping the entities (region: 东部/中部/西部), not a "
                                    "variable of the model: print the geometric means of the index and its "
                                    "components (GTFP, EC, TC) by group and period, each with n, the pairs behind "
                                    "it (--by-output writes the table; --plot draws one line per group). Pairs "
                                    "whose group is missing are left out, with a warning",
                    "efficiency": "a column of the data grouping the DMUs (region, industry), not a variable of "
                                  "the model: print the mean score by group (and period, with --period), each with "
                                  "n, the DMUs behind it (--by-output writes the table). DMUs whose group is "
                                  "missing are left out, with a warning"},
          zh_for={"productivity": "数据中用于对个体分组的列（如地区：东部/中部/西部），不能是模型的变量：输出按组别与时期"
                                  "的指数及其分解（GTFP、EC、TC）的几何平均值，并注明每个均值所依据的配对数 n"
                                  "（--by-output 写出该表；--plot 按组各画一条线）。组别缺失的配对不计入，并给出警告",
                  "efficiency": "数据中用于对 DMU 分组的列（地区、行业等），不能是模型的变量：输出按组别（及时期）的平均"
                                "效率得分与样本数 n（--by-output 写出该表）。组别缺失的 DMU 不计入，并给出警告"},
          metavar="COL",
          label="Group means by", label_zh="分组均值依据"),
    Param("reference", "mask",
          "a column of the data marking the DMUs that span the frontier (1/true: in the reference set, 0/false: "
          "scored against it only); default every row",
          "数据中标记构成前沿的参考 DMU 的列（1/true：属于参考集；0/false：只被评价）；默认全部行",
          metavar="COL",
          label="Reference set", label_zh="参考集"),
    # ---- the model
    Param("model", "choice",
          "the DEA model. 'sbm': slacks-based measure (Tone), non-radial, accounts for every slack (default); "
          "'radial': CCR/BCC, shrinks all inputs (or expands all outputs) in proportion; 'ddf': directional "
          "distance function, moves along --direction; 'nddf': non-radial DDF, one step size per variable; "
          "'sbm_ddf': slacks-based directional inefficiency (Fukuyama-Weber); 'ebm': epsilon-based measure "
          "(Tone & Tsutsui). See docs/choosing-a-model.md",
          "DEA 模型：sbm 基于松弛的测度（Tone，非径向，默认）；radial 径向模型（CCR/BCC），所有投入等比例缩减（或所有"
          "产出等比例扩张）；ddf 方向距离函数，沿 --direction 方向移动；nddf 非径向方向距离函数，每个变量各有步长；"
          "sbm_ddf 基于松弛的方向性无效率（Fukuyama-Weber）；ebm 混合距离模型（EBM，Tone 与 Tsutsui）",
          default="sbm", defaults={"productivity": None, "bootstrap": "radial", "network": "relational",
                                            "three_stage": "radial"},
          choices_for={"network": NETWORK_MODELS},
          help_for={"productivity": "the DEA model (as for 'frontier efficiency'; default sbm, radial for --index "
                                    "hicks_moorsteen, ddf for lhm)",
                    "network": "'relational' (Kao & Hwang 2008; Kao 2009; default), 'additive' (Chen, Cook, Li & "
                               "Zhu 2009) or 'sbm' (network SBM, Tone & Tsutsui 2009; bad outputs, fixed links)",
                    "bootstrap": "'radial' (CCR/BCC), the only model with an established bootstrap"},
          label="Model", label_zh="模型",
          label_for={"network": "Network model"}, label_zh_for={"network": "网络模型"}),
    Param("orientation", "choice",
          "which side of production the score improves. 'input': use less input for the same outputs (radial "
          "default; score theta <= 1); 'output': produce more for the same inputs (radial score phi >= 1); "
          "'nonoriented': both at once (SBM default). The directional models use --direction instead",
          "导向：input 投入导向（产出不变、减少投入；径向模型默认，得分 theta <= 1）；output 产出导向（投入不变、增加产出；"
          "径向得分 phi >= 1）；nonoriented 非导向（同时调整投入与产出；SBM 默认）。方向性模型改用 --direction",
          choices=ORIENTATIONS, choices_for={"bootstrap": BOOTSTRAP_ORIENTATIONS,
                                             "partial_frontier": PARTIAL_ORIENTATIONS,
                                             "returns_to_scale": RADIAL_ORIENTATIONS, "network": ORIENTATIONS,
                                             "test_returns_to_scale": RADIAL_ORIENTATIONS,
                                             "test_independence": RADIAL_ORIENTATIONS},
          defaults={"bootstrap": "input", "partial_frontier": "input", "returns_to_scale": "input",
                    "dynamic": "nonoriented", "test_returns_to_scale": "input", "test_independence": "input"},
          help_for={"bootstrap": "'input' (default; theta <= 1) or 'output' (phi >= 1)",
                    "network": "network SBM (--model sbm): 'nonoriented' (default), 'input' (overall = the weighted "
                               "mean of the divisional scores) or 'output' (their weighted harmonic mean)",
                    "returns_to_scale": "'input' (default; theta <= 1) or 'output' (phi >= 1): the returns to scale "
                                        "at the DMU's projection on the VRS frontier in that orientation",
                    "partial_frontier": "'input' (default): theta, the share of its inputs a DMU needs (FDH <= 1; "
                                        "order-m and order-alpha may exceed 1, super-efficient); 'output': phi, the "
                                        "factor its outputs could grow by (FDH >= 1; partial frontiers may give < 1)"},
          label="Orientation", label_zh="导向"),
    Param("rts", "choice", _RTS_HELP,
          "规模报酬：vrs 规模报酬可变（默认，DMU 只与规模相近者比较）；crs 规模报酬不变（规模无关）；nirs 规模报酬非递增；"
          "ndrs 规模报酬非递减",
          choices=RTS, default="vrs", choices_for={"bootstrap": BOOTSTRAP_RTS, "network": ("crs", "vrs"),
                                                    "dynamic": DYNAMIC_RTS, "zsg": ZSG_RTS,
                                                    "test_independence": BOOTSTRAP_RTS},
          defaults={"network": "crs", "zsg": "crs"},
          help_for={"economic": _RTS_HELP + ". Profit is bounded only under vrs (or ndrs)",
                    "zsg": "'crs' (default): the ZSG-CCR model; 'vrs': ZSG-BCC",
                    "network": "returns to scale: 'crs' (default; the relational model's only) or 'vrs' (additive; "
                               "sbm: every node's, unless --node-rts)"},
          zh_for={"zsg": "crs（默认）：ZSG-CCR 模型；vrs：ZSG-BCC 模型"},
          label="Returns to scale", label_zh="规模报酬"),
    Param("super_efficiency", "switch",
          "super-efficiency: each DMU leaves its own reference set, so efficient DMUs get scores beyond the "
          "efficient value (SBM: delta >= 1; radial input: theta > 1) and can be ranked. Some LPs may then be "
          "infeasible (under VRS, or with bad outputs held at an equality): their score is left missing",
          "超效率：被评价的 DMU 从自身的参考集中剔除，有效 DMU 的得分可超过有效值（SBM：delta >= 1；径向投入导向："
          "theta > 1），从而可以排序。部分线性规划可能因此无可行解（VRS 下或非期望产出取等式约束时），其得分留空",
          flag="--super", default=False, defaults={"productivity": None},
          help_for={"productivity": "super-efficiency (as for 'frontier efficiency'); default: on for sbm, the "
                                    "super-SBM ML/GML of applied work; off otherwise"},
          label="Super-efficiency", label_zh="超效率"),
    Param("bad_disposability", "choice",
          "how bad outputs can be cut (radial, ddf, nddf). 'weak' (default): only together with good outputs, by "
          "scaling activity down (Fare et al. 1989; Kuosmanen under VRS); 'strong': freely, like an input; 'apz': "
          "Aparicio-Pastor-Zofio 2013 (ddf, nddf). SBM models treat bad outputs through their slacks",
          "非期望产出的可处置性（radial、ddf、nddf）：weak 弱可处置（默认，只能随期望产出一同按比例缩减；Färe 等 1989，"
          "VRS 下为 Kuosmanen 形式）；strong 强可处置（可像投入一样自由缩减）；apz 为 Aparicio-Pastor-Zofío（2013）形式。"
          "SBM 类模型通过松弛变量处理非期望产出",
          choices=DISPOSABILITIES, choices_for={"economic": ECONOMIC_DISPOSABILITIES},
          defaults={"economic": "weak"},
          help_for={"economic": "bad outputs held at their level: 'weak' (default; B'lambda = b, Kuosmanen under "
                                "VRS) or 'strong' (B'lambda <= b)"},
          label="Disposability of undesirable outputs", label_zh="非期望产出的可处置性"),
    Param("direction", "choice",
          "directional models (ddf, nddf, sbm_ddf): the direction a DMU moves to reach the frontier. 'observed': "
          "its own (x, y, b), cut inputs and bad outputs and raise good outputs in proportion (default for "
          "sbm_ddf, and for ddf/nddf in 'frontier efficiency'); 'output': (0, y, b), raise good and cut bad "
          "outputs with inputs fixed (gtfpch's g = (0, y, -b); default for ddf/nddf in 'frontier productivity'); "
          "'input': cut inputs only; 'ones': unit steps; 'mean': the column means",
          "方向性模型（ddf、nddf、sbm_ddf）的方向向量：observed 以自身观测值 (x, y, b) 为方向，同比例减少投入和非期望产出、"
          "增加期望产出；output 为 (0, y, b)，投入不变，增加期望产出、减少非期望产出（即 gtfpch 的 g = (0, y, -b)）；"
          "input 只减少投入；ones 单位向量；mean 各列均值",
          choices=DIRECTIONS, choices_for={"economic": PROFIT_DIRECTIONS},
          help_for={"economic": "profit only: the direction (g_x, g_y) of the technical DDF and of the "
                                "normalisation p'g_y + w'g_x: 'observed' (default), 'ones' or 'mean'"},
          label="Direction vector", label_zh="方向向量"),
    Param("weights", "pairs",
          "weights of the variables in the score (sbm, ebm, nddf, sbm_ddf), as VARIABLE=NUMBER, e.g. --weights "
          "capital=1 labour=1 energy=2",
          "各变量在得分中的权重（sbm、ebm、nddf、sbm_ddf），格式为 变量=数值，如 --weights 资本=1 劳动=1 能源=2",
          metavar="VAR=W",
          label="Variable weights", label_zh="变量权重"),
    # ---- a model family's own options (declared with the family in the registry: ModelFamily.model_options)
    Param("bounded", "switch",
          "ebm, non-oriented: the bounded form, theta <= 1 and phi >= 1 (MaxDEA's and Dearun's; VRS binds), or with "
          "--no-bounded the paper's ratio form, whose scores are the CRS ones whatever --rts. Default: bounded "
          "under vrs, nirs and ndrs, the ratio form under crs",
          "EBM 非导向模型的形式：bounded 为有界形式，theta <= 1、phi >= 1（MaxDEA 与 Dearun 的形式，VRS 约束起作用）；"
          "--no-bounded 为原文的比值形式，无论 --rts 如何其得分都等于 CRS 得分。默认：vrs、nirs、ndrs 下为有界形式，"
          "crs 下为比值形式",
          label="Bounded form", label_zh="有界形式"),
    Param("zeros", "choice",
          "zeros in variables the SBM score divides by: 'error' (default, stop and name them), 'small_positive' "
          "(use 1/100 of the column's smallest positive value: Tone's rule, as deaR), 'drop_term' (leave that "
          "variable's term out)",
          "SBM 得分分母中变量取零时的处理：error 报错并指出（默认）；small_positive 以该列最小正值的 1/100 代替"
          "（Tone 的做法，与 deaR 相同）；drop_term 在得分中略去该变量的项",
          choices=ZERO_POLICIES, default="error",
          label="Zeros in divisors", label_zh="分母中零值的处理"),
    # ---- periods and technologies
    Param("technology", "choice", _TECHNOLOGY_HELP,
          "参考技术（第 t 期的前沿由哪些观测构成）：contemporaneous 当期技术（仅第 t 期，默认）；sequential 序列技术"
          "（第 t 期及以前各期）；global 全局技术（全部时期）；window 窗口技术（t-h..t+h 期）；biennial 两期技术"
          "（所比较的两期）",
          choices=EFFICIENCY_TECHNOLOGIES,
          choices_for={"productivity": PRODUCTIVITY_TECHNOLOGIES, "bootstrap": BOOTSTRAP_TECHNOLOGIES},
          help_for={"productivity": "reference frontier for 'malmquist' and 'luenberger' (ml/gml/sml imply "
                                    "theirs): 'contemporaneous' each period's own; 'sequential' all periods up to "
                                    "t; 'global' all periods; 'biennial' the two periods compared; 'window' "
                                    "t-h..t+h (--window h)",
                    "metafrontier": "with --period, which observations form period t's frontiers: "
                                    "'contemporaneous' period t only (default); 'sequential' all periods up to t; "
                                    "'global' all periods; 'window' periods t-h..t+h (--window h)",
                    "economic": "with --period, which observations form period t's frontier (as for 'frontier "
                                "efficiency')",
                    "bootstrap": "with --period: 'contemporaneous' (default) or 'global'"},
          label="Reference technology", label_zh="参考技术"),
    Param("window", "count", "with --technology window: the bandwidth h, periods t-h..t+h form period t's frontier",
          "窗口技术（--technology window）的带宽 h：第 t-h 至 t+h 期构成第 t 期的前沿", metavar="H",
          label="Window bandwidth h", label_zh="窗口带宽 h"),
    # ---- the engine
    Param("n_jobs", "int", "parallel worker processes (-1 = all cores); results do not depend on it",
          "并行工作进程数（-1 表示使用全部核心）；结果与之无关", default=1, metavar="N",
          label="Parallel workers", label_zh="并行进程数"),
    Param("method", "choice",
          "LP strategy: 'auto' (default: the fastest of the others for the model and data size), 'restricted' "
          "(HiGHS, exact column generation over a small active reference set), 'dense' (the LPs of a reference "
          "set pivoted together by a vectorised simplex, each answer certified), 'full' (HiGHS with every "
          "reference DMU in every LP; slower, for checking)",
          "线性规划求解策略：auto 自动选择最快者（默认）；restricted 在较小的活跃参考集上做精确列生成（HiGHS）；dense "
          "同一参考集的线性规划以向量化单纯形法一并求解，每个解都经过验证；full 每个线性规划包含全部参考 DMU（较慢，"
          "用于核对）",
          choices=METHODS, default="auto", choices_for={"second_stage": SECOND_STAGE_METHODS},
          defaults={"second_stage": "sw2007"},
          help_for={"second_stage": "the regression: 'sw2007' (default; Simar & Wilson's 2007 truncated regression of "
                                    "the distance delta >= 1 with bootstrap intervals), 'tobit' (the score censored "
                                    "at 1), 'fractional' (Papke & Wooldridge's 1996 fractional logit of the "
                                    "efficiency in (0, 1]) or 'ols'; the last three with robust standard errors "
                                    "(docs/second-stage.md says what each assumes)"},
          zh_for={"second_stage": "第二阶段回归方法：sw2007（默认；Simar 与 Wilson 2007 的截断回归，因变量为距离 "
                                  "delta >= 1，自助法置信区间）、tobit（得分在 1 处受限的 Tobit 回归）、fractional"
                                  "（Papke 与 Wooldridge 1996 的分数 logit 回归，因变量为 (0, 1] 内的效率）或 ols；"
                                  "后三者报告稳健标准误（各方法的假设见 docs/second-stage.md）"},
          label="LP strategy", label_zh="线性规划求解策略",
          label_for={"second_stage": "Regression method"}, label_zh_for={"second_stage": "回归方法"}),
    Param("lp_method", "choice",
          "with method sw2007, Algorithm 2: the LP strategy of the bias correction's DEA replicates (the engine's "
          "'auto', 'restricted', 'dense' or 'full', as --method of the other commands)",
          "与 sw2007 算法 2 一同使用：偏差校正中 DEA 重复估计的线性规划求解策略（auto、restricted、dense 或 full，"
          "同其他命令的 --method）",
          choices=METHODS, default="auto",
          label="LP strategy of the bias correction", label_zh="偏差校正的线性规划求解策略"),
    Param("chunk_size", "count",
          "LPs per batch sent to a worker (default: chosen from the problem size); results do not depend on it",
          "每批发送给工作进程的线性规划个数（默认按问题规模自动选择）；结果与之无关", metavar="N",
          label="LPs per batch", label_zh="每批线性规划个数"),
    Param("progress", "switch", "show a progress bar (default: for runs of 5,000+ LPs in a terminal)",
          "显示进度条（默认：在终端中求解 5000 个以上线性规划时显示）",
          label="Progress bar", label_zh="进度条"),
    # ---- productivity
    Param("index", "choice",
          "'gml' global Malmquist-Luenberger (Oh 2010): one frontier of all periods, chains exactly, no "
          "infeasible cross-period LPs (default); 'ml' Malmquist-Luenberger (Chung et al. 1997): each period's own "
          "frontier; 'sml' sequential ML (Oh & Heshmati 2010): frontier of all periods so far, no technical "
          "regress; 'malmquist': the ratio index with --technology; 'luenberger': the difference indicator (> 0 = "
          "progress) with --technology; 'hicks_moorsteen' (Bjurek 1996; model radial) output over input quantity "
          "index, and 'lhm' Luenberger-Hicks-Moorsteen (Briec & Kerstens 2004; model ddf, directions (0, y, b) and "
          "(x, 0, 0)) with --technology contemporaneous, sequential, window or global (transitive)",
          "生产率指数：gml 全局 Malmquist-Luenberger 指数（Oh 2010，默认）：以全部时期构成一个前沿，可精确连乘，跨期线性"
          "规划不会无可行解；ml Malmquist-Luenberger 指数（Chung 等 1997）：各期自身的前沿；sml 序列 ML 指数（Oh 与 "
          "Heshmati 2010）：截至当期的全部时期构成前沿，不出现技术退步；malmquist：比值形式的指数，配合 --technology；"
          "luenberger：差值形式的指标（> 0 表示进步），配合 --technology；hicks_moorsteen：Hicks-Moorsteen 指数"
          "（Bjurek 1996，径向模型），产出数量指数与投入数量指数之比；lhm：Luenberger-Hicks-Moorsteen 指标（Briec 与 "
          "Kerstens 2004，ddf 模型）",
          choices=INDICES, default="gml",
          label="Productivity index", label_zh="生产率指数"),
    Param("decomposition", "choice",
          "'fgnz': also split efficiency change into pure (pec) x scale (sec) efficiency change (Fare, Grosskopf, "
          "Norris & Zhang 1994); index and tc then use CRS distances",
          "fgnz：将效率变化进一步分解为纯技术效率变化（pec）与规模效率变化（sec）之积（Färe、Grosskopf、Norris 与 "
          "Zhang 1994）；此时指数与技术变化按 CRS 距离函数计算",
          choices=DECOMPOSITIONS,
          label="Efficiency change decomposition", label_zh="效率变化分解"),
    Param("adjacency", "choice",
          "'observed': compare each entity's consecutive observed periods (default); 'calendar': only periods "
          "adjacent in the panel (a gap gives a missing index, status 'gap')",
          "相邻期的定义：observed 比较每个个体相邻的两个观测期（默认）；calendar 只比较面板中日历上相邻的时期（缺期时指数"
          "留空，状态为 gap）",
          choices=ADJACENCY, default="observed",
          label="Adjacent periods", label_zh="相邻期的定义"),
    Param("base", "choice",
          "'previous': year-on-year changes, chained into GTFP (default); 'first': every period against the "
          "entity's first (fixed base)",
          "基期：previous 与上一期比较（环比，连乘得到累积 GTFP，默认）；first 每期都与该个体的第一期比较（定基）",
          choices=BASES, default="previous",
          label="Base period", label_zh="基期"),
    Param("bootstrap", "count",
          "B replicates of the Simar & Wilson (1999) bootstrap: intervals <component>_lower/_upper and "
          "<component>_significant (radial Malmquist only: --index malmquist --model radial)",
          "Simar 与 Wilson（1999）自助法（Bootstrap）的重复次数 B：给出各分量的置信区间 _lower/_upper 与显著性 "
          "_significant（仅适用于径向 Malmquist 指数：--index malmquist --model radial）",
          metavar="B",
          label="Bootstrap replicates", label_zh="自助法重复次数"),
    Param("alpha", "float", "1 - alpha intervals (default 0.05: 95%)",
          "置信区间的水平为 1 - alpha（默认 0.05，即 95% 置信区间）",
          default=0.05, defaults={"partial_frontier": None},
          zh_for={"partial_frontier": "order-alpha 分位数前沿的阶 alpha，取 (0, 1]（默认 0.95）；alpha = 1 即 FDH",
                  "test_returns_to_scale": "检验的显著性水平：p 值 <= alpha 时拒绝原假设（默认 0.05）",
                  "test_independence": "检验的显著性水平：p 值 <= alpha 时拒绝原假设（默认 0.05）"},
          help_for={"productivity": "with --bootstrap: intervals at level 1 - alpha (default 0.05)",
                    "test_returns_to_scale": "the level of the decision: H0 is rejected when p <= alpha (default "
                                             "0.05)",
                    "test_independence": "the level of the decision: H0 is rejected when p <= alpha (default 0.05)",
                    "partial_frontier": "with --estimator order_alpha: the order alpha in (0, 1] of the quantile "
                                        "frontier (default 0.95); alpha = 1 is FDH"},
          label="Significance level α", label_zh="显著性水平 α",
          label_for={"partial_frontier": "Quantile order α"}, label_zh_for={"partial_frontier": "分位数阶 α"}),
    Param("bandwidth", "rule",
          "kernel bandwidth: 'silverman' (default), 'lscv' (least-squares cross-validation), 'benchmarking' (the rule "
          "of R's Benchmarking and DataEnvelopmentAnalysis.jl), 'sj' or 'sj-dpi' (Sheather-Jones, as npsf), or a "
          "number; none with --scheme subsampling",
          "核密度估计的带宽：silverman（Silverman 经验法则，默认）、lscv（最小二乘交叉验证）、benchmarking（R 软件包 "
          "Benchmarking 与 DataEnvelopmentAnalysis.jl 的规则）、sj 或 sj-dpi（Sheather-Jones 法，同 npsf）或一个正数；"
          "子抽样自助法不使用带宽",
          choices=BANDWIDTH_RULES, default="silverman",
          defaults={"bootstrap": None, "test_returns_to_scale": None, "test_independence": None},
          choices_for={"productivity": MALMQUIST_BANDWIDTH_RULES},
          help_for={"productivity": "with --bootstrap: the kernel bandwidth, 'silverman' (the bivariate normal "
                                    "reference rule; default) or a number"},
          metavar="RULE",
          label="Kernel bandwidth", label_zh="核带宽"),
    Param("random_state", "seed",
          "random seed: the same seed gives the same numbers whatever --n-jobs (default: a seed is drawn and "
          "reported)",
          "随机数种子：相同的种子得到相同的结果，与 --n-jobs 无关（默认随机抽取一个种子并报告）",
          flag="--random-state", aliases=("--seed",), metavar="SEED",
          label="Random seed", label_zh="随机数种子"),
    # ---- metafrontier, window analysis, economic efficiency, bootstrap
    Param("meta", "choice",
          "'pooled': the convex metafrontier spanned by all groups' DMUs (O'Donnell, Rao & Battese 2008; the meta "
          "score is the plain efficiency score on the pooled data) (default); 'union': the non-convex union of the "
          "group technologies (the worst score over the group frontiers)",
          "共同前沿：pooled 由全部组的 DMU 共同张成的凸共同前沿（O'Donnell、Rao 与 Battese 2008，默认）；union 各组技术的"
          "非凸并集（在各组前沿上得分的最差值）",
          choices=METAS, default="pooled",
          label="Metafrontier type", label_zh="共同前沿类型"),
    Param("width", "count", "periods per window (default 3); windows 1..T-W+1 slide by one period",
          "每个窗口包含的时期数（默认 3）；窗口逐期滑动，共 T-W+1 个", default=3, metavar="W",
          label="Window width", label_zh="窗口宽度"),
    Param("scheme", "choice",
          "the bootstrap: 'homogeneous' (smoothed, Simar & Wilson 1998; default), 'heterogeneous' (smoothed over "
          "efficiency and the input or output mix, Simar & Wilson 2000) or 'subsampling' (m out of n, Kneip, Simar "
          "& Wilson 2008)",
          "自助法类型：homogeneous 同质平滑自助法（Simar & Wilson 1998，默认）；heterogeneous 异质平滑自助法（效率与投入"
          "或产出结构的联合分布，Simar & Wilson 2000）；subsampling 子抽样自助法（m-out-of-n，Kneip, Simar & Wilson "
          "2008）",
          choices=BOOTSTRAP_SCHEMES, default="homogeneous",
          choices_for={"productivity": PRODUCTIVITY_BOOTSTRAP_SCHEMES}, defaults={"productivity": "smoothed"},
          help_for={"productivity": "with --bootstrap: 'smoothed' (Simar & Wilson 1999, radial Malmquist only; "
                                    "default) or 'subsampling' (m out of n entities, for ML, GML, SBM and the other "
                                    "Malmquist-family indices: a labelled interval, not established theory for "
                                    "these indices; docs/bootstrap.md)"},
          zh_for={"productivity": "配合 --bootstrap：smoothed 平滑双变量自助法（Simar & Wilson 1999，仅径向 Malmquist "
                                  "指数，默认）；subsampling 对个体做 m-out-of-n 子抽样（适用于 ML、GML、SBM 等 "
                                  "Malmquist 类指数；结果注明此区间对这些指数尚无成熟理论，见 docs/bootstrap.md）"},
          label="Bootstrap scheme", label_zh="自助法类型"),
    Param("kappa", "float",
          "with --scheme subsampling: the subsample size m = n^kappa, kappa in (0, 1) (default: chosen from the data "
          "by the volatility method of Politis, Romano & Wolf 2001)",
          "子抽样自助法的子样本规模 m = n^kappa，kappa 取 (0, 1)（默认由数据按 Politis, Romano & Wolf 2001 的波动性方法"
          "选择）",
          help_for={"productivity": "with --scheme subsampling: m = n^kappa of the n entities per subsample, kappa in "
                                    "(0, 1) (default: chosen from the data by the volatility method)"},
          zh_for={"productivity": "配合 --scheme subsampling：每个子样本抽取 n 个个体中的 m = n^kappa 个，kappa 取 "
                                  "(0, 1)（默认按波动性方法由数据选择）"},
          label="Subsample exponent κ", label_zh="子样本指数 κ"),
    Param("B", "count", "number of bootstrap replicates (default 2000; B x n LPs)",
          "自助法（Bootstrap）重复次数（默认 2000；共求解 B x n 个线性规划）",
          default=2000, defaults={"partial_frontier": None, "test_returns_to_scale": 999, "test_independence": 999},
          flag="--B", aliases=("--replicates",), metavar="B",
          zh_for={"partial_frontier": "order-m 的蒙特卡洛抽样次数：每个 DMU 抽取 m 个单位的次数（默认 200；不求解线性规划）",
                  "test_returns_to_scale": "自助法重复次数（默认 999，同 npsf；共求解 2 x B x n 个线性规划）",
                  "test_independence": "自助法重复次数（默认 999，同 npsf；不求解线性规划）"},
          help_for={"partial_frontier": "with --estimator order_m: Monte Carlo draws of m units per DMU (default "
                                        "200); no LP is solved",
                    "test_returns_to_scale": "bootstrap replicates (default 999, as npsf; 2 x B x n LPs)",
                    "test_independence": "bootstrap replicates (default 999, as npsf; no LP is solved)"},
          label="Bootstrap replicates", label_zh="自助法重复次数",
          label_for={"partial_frontier": "Monte Carlo draws"}, label_zh_for={"partial_frontier": "蒙特卡洛抽样次数"}),
    Param("kind", "choice",
          "'cost' (prices of every input; default), 'revenue' (of every output) or 'profit' (both)",
          "经济效率的类型：cost 成本效率（需要全部投入的价格，默认）；revenue 收益效率（需要全部产出的价格）；profit 利润"
          "效率（两者都需要）",
          choices=ECONOMIC_KINDS, default="cost",
          label="Type of economic efficiency", label_zh="经济效率类型"),
    Param("prices", "pairs",
          "the price of each priced variable: a column of the data (each DMU's own price) or a number (common to "
          "all), e.g. --prices K=r L=wage E=2.5. Bad outputs are not priced",
          "各定价变量的价格：数据中的一列（每个 DMU 自己的价格）或一个数值（所有 DMU 相同），如 --prices 资本=利率 "
          "劳动=工资 能源=2.5。非期望产出不定价",
          metavar="VAR=PRICE",
          label="Prices", label_zh="价格"),
    # ---- second stage (Simar & Wilson 2007)
    Param("covariates", "columns", "environmental variables (covariates) of the truncated regression",
          "截断回归的环境变量（协变量）列", metavar="COL",
          label="Covariates", label_zh="协变量"),
    Param("algorithm", "choice",
          "Simar & Wilson (2007) Algorithm 1 (truncated ML with a parametric bootstrap) or 2 (the distances "
          "bias-corrected first)",
          "Simar 与 Wilson（2007）的算法 1（截断正态极大似然估计与参数自助法）或算法 2（先对距离函数做偏差校正）",
          choices=SECOND_STAGE_ALGORITHMS, default=1,
          label="Simar-Wilson algorithm", label_zh="Simar-Wilson 算法"),
    Param("L1", "count", "Algorithm 2: replicates of the bias correction", "算法 2 中偏差校正的自助法重复次数",
          default=100, metavar="N",
          label="Bias-correction replicates", label_zh="偏差校正重复次数"),
    Param("L2", "count", "replicates of the parametric bootstrap of the coefficients",
          "系数参数自助法的重复次数", default=2000, metavar="N",
          label="Coefficient bootstrap replicates", label_zh="系数自助法重复次数"),
    Param("interval", "choice",
          "'percentile' (default): the alpha/2 and 1 - alpha/2 bootstrap quantiles; 'basic': those quantiles "
          "reflected about the estimate",
          "置信区间的类型：percentile 百分位区间（默认）；basic 基本区间（分位数关于估计值对称反射）",
          choices=INTERVALS, default="percentile",
          label="Interval type", label_zh="置信区间类型"),
    # ---- the tables an efficiency result derives (EfficiencyResult's methods, not keywords of efficiency()): the
    #      command line writes them beside the scores (frontier.cli.commands: Table)
    Param("shadow_prices", "column",
          "write each bad output's shadow price beside the scores, in units of the price of this desirable output "
          "(the numeraire), from the DDF family's multipliers (model ddf, nddf or sbm_ddf): columns "
          "shadow_price_<bad output> and shadow_price_status (res.shadow_prices(numeraire))",
          "在效率得分旁写出各非期望产出的影子价格，以该期望产出（计价物）的价格为单位，由方向距离函数类模型（ddf、nddf、"
          "sbm_ddf）的对偶乘数计算：列 shadow_price_<非期望产出> 与 shadow_price_status",
          metavar="OUTPUT",
          label="Shadow prices (numeraire output)", label_zh="影子价格（计价物产出）"),
    Param("numeraire_price", "float",
          "with --shadow-prices: the numeraire's price (default 1: shadow prices in units of the numeraire)",
          "与 --shadow-prices 一同使用：计价物的价格（默认 1，即以计价物的单位表示影子价格）",
          default=1.0, metavar="PRICE",
          label="Numeraire price", label_zh="计价物价格"),
    Param("factor_efficiency", "switch",
          "write the factor (energy, emission) efficiency beside the scores: efficiency_<variable> (target / "
          "observed; outputs observed / target), redundancy_<variable> or shortfall_<variable>, and share_<variable> "
          "for sbm (res.factor_efficiency())",
          "在效率得分旁写出要素效率（能源效率、排放效率）：efficiency_<变量>（目标值/实际值；期望产出为实际值/目标值）、"
          "redundancy_<变量>（冗余率）或 shortfall_<变量>（不足率），SBM 另有 share_<变量>",
          label="Factor efficiency", label_zh="要素效率"),
    Param("multipliers", "switch",
          "write the multiplier form's weights (the score LP's duals, in the data's units) beside the scores: "
          "weight_<variable>, omega and multiplier_status (res.multipliers)",
          "在效率得分旁写出乘数形式的权重（得分线性规划的对偶值，按数据原单位）：weight_<变量>、omega 与 "
          "multiplier_status",
          label="Multiplier weights", label_zh="乘数权重"),
    # ---- the figures (a keyword of every result's plots, not of the analyses): the command line offers it with
    #      the plot options (frontier.cli.commands.PLOT_OPTIONS)
    Param("lang", "choice",
          "the language of the figures' titles, axis titles and legends: 'en' English (default) or 'zh' "
          "Simplified Chinese (names such as GML, SBM, VRS and the data's own labels are kept)",
          "图中标题、坐标轴标题与图例的语言：en 英文（默认）；zh 简体中文（GML、SBM、VRS 等名称及数据自身的标签保持不变）",
          choices=LANGUAGES, default="en",
          label="Figure language", label_zh="图的语言"),
    # ---- partial frontiers
    Param("estimator", "choice",
          "'order_m' (default): the expected frontier of m units drawn among those producing at least as much "
          "(Cazals, Florens & Simar 2002); 'order_alpha': the alpha-quantile frontier (Aragon, Daouia & "
          "Thomas-Agnan 2005); 'fdh': the free disposal hull (Deprins, Simar & Tulkens 1984). Partial frontiers do "
          "not envelop every DMU, so outliers move them little: a DMU beyond one is super-efficient",
          "估计方法：order_m（默认）在产出不低于被评价单元的单元中抽取 m 个构成的期望前沿（Cazals、Florens 与 Simar "
          "2002）；order_alpha 为 alpha 分位数前沿（Aragon、Daouia 与 Thomas-Agnan 2005）；fdh 为自由处置包"
          "（Deprins、Simar 与 Tulkens 1984）。部分前沿不包络全部 DMU，受离群值影响小；位于其外的 DMU 为超效率",
          choices=PARTIAL_ESTIMATORS, default="order_m",
          label="Partial frontier estimator", label_zh="部分前沿估计方法"),
    Param("m", "count",
          "with --estimator order_m: the number of units m each DMU is compared with (default 25); as m grows the "
          "order-m frontier tends to the FDH frontier",
          "order-m 中每个 DMU 所比较的单元个数 m（默认 25）；m 越大，order-m 前沿越接近 FDH 前沿", metavar="M",
          label="Order m", label_zh="阶数 m"),
    # ---- dynamic SBM (Tone & Tsutsui 2010)
    Param("carry_overs", "pairs",
          "the carry-overs linking each period to the next, as KIND=COLUMN (the value in period t's row is the one "
          "carried into t+1): 'good' (desirable, e.g. retained profit: counted like an output), 'bad' (undesirable, "
          "e.g. bad debt: counted like an input), 'free' (discretionary, not counted), 'fixed' (non-discretionary, "
          "held at its value), e.g. --carry-overs good=capital bad=npl",
          "连接相邻时期的结转变量（carry-over），格式为 类型=列名（第 t 期行中的值结转到第 t+1 期）：good 期望结转（如留存"
          "利润，视同产出）、bad 非期望结转（如不良贷款，视同投入）、free 自由结转（可调整、不计入效率）、fixed 固定结转"
          "（不可调整，保持观测值），如 --carry-overs good=资本 bad=不良贷款",
          metavar="KIND=COL",
          label="Carry-overs", label_zh="结转变量"),
    Param("period_weights", "pairs",
          "the weight of each period in the overall dynamic SBM score, as PERIOD=WEIGHT for every period (normalised "
          "to sum to 1; default equal)",
          "各时期在动态 SBM 总效率中的权重，格式为 时期=权重，需给出每一期（自动归一化为和为 1；默认各期相等）",
          metavar="PERIOD=W",
          label="Period weights", label_zh="时期权重"),
    # ---- stochastic frontier analysis
    Param("output", "column", "the dependent variable's column: the output of a production frontier, the cost of a "
          "cost frontier", "因变量所在的列：生产前沿为产出，成本前沿为成本", flag="--output", metavar="COL",
          label="Dependent variable", label_zh="因变量"),
    Param("form", "choice", "functional form: 'cobb_douglas' (default) or 'translog' (adds squares and cross "
          "products of the logged inputs)", "函数形式：cobb_douglas（柯布-道格拉斯，默认）或 translog（超越对数，加入"
          "投入对数的平方项与交叉项）", choices=SFA_FORMS, default="cobb_douglas",
          label="Functional form", label_zh="函数形式"),
    Param("distribution", "choice", "distribution of the inefficiency term: 'half_normal' (default), "
          "'truncated_normal' or 'exponential'", "无效率项的分布：half_normal 半正态（默认）、truncated_normal "
          "截断正态或 exponential 指数分布", choices=SFA_DISTRIBUTIONS, default="half_normal",
          help_for={"three_stage": "distribution of the inefficiency in the second stage's frontier of each input "
                                   "slack: 'half_normal' (default, as Fried et al. 2002), 'truncated_normal' or "
                                   "'exponential'"},
          zh_for={"three_stage": "第二阶段各投入松弛量随机前沿中无效率项的分布：half_normal 半正态（默认，同 Fried 等 "
                                 "2002）、truncated_normal 截断正态或 exponential 指数分布"},
          label="Inefficiency distribution", label_zh="无效率项分布"),
    Param("frontier", "choice", "'production' (y = x b + v - u, default) or 'cost' (y = x b + v + u)",
          "前沿类型：production 生产前沿（y = x b + v - u，默认）或 cost 成本前沿（y = x b + v + u）",
          choices=SFA_FRONTIERS, default="production",
          label="Frontier type", label_zh="前沿类型"),
    Param("inefficiency_covariates", "columns", "with --distribution truncated_normal: columns z of the mean of the "
          "inefficiency, mu = delta_0 + z delta (Battese & Coelli 1995)", "仅用于截断正态分布：无效率均值的"
          "解释变量 z，mu = delta_0 + z delta（Battese 与 Coelli 1995）", metavar="COL",
          label="Covariates of the inefficiency mean", label_zh="无效率均值的解释变量"),
    Param("log", "switch", "take the natural logs of the output and inputs (default); --no-log when the columns "
          "already hold logs", "对产出与投入取自然对数（默认）；若数据已取对数，使用 --no-log", default=True,
          label="Take logs", label_zh="取对数"),
    Param("max_iter", "count", "the iteration limit of the maximum-likelihood fit (BFGS)",
          "极大似然估计（BFGS 算法）的最大迭代次数", default=1000, defaults={"cross_efficiency": 100, "zsg": 100},
          metavar="N",
          help_for={"cross_efficiency": "with --variant game: the iteration limit of Liang et al.'s (2008) algorithm "
                                        "(default 100)",
                    "zsg": "the largest number of reallocation rounds (default 100)"},
          zh_for={"cross_efficiency": "博弈交叉效率（--variant game）算法的最大迭代次数（默认 100）",
                  "zsg": "重新分配的最大轮数（默认 100）"},
          label="Iteration limit", label_zh="最大迭代次数",
          label_for={"zsg": "Reallocation rounds limit"}, label_zh_for={"zsg": "最大重新分配轮数"}),
    # ---- returns to scale and cross-efficiency
    Param("rule", "choice",
          "how returns to scale are told apart: 'deap' (default) compares the CRS, VRS and NIRS scores (Fare, "
          "Grosskopf & Lovell; as DEAP): CRS = VRS -> crs, else NIRS = VRS -> drs, else irs; 'banker_thrall' takes "
          "the smallest and largest sum of lambdas over the CRS optima (two more LPs per DMU). Both give the same "
          "class (Seiford & Zhu 1999)",
          "规模报酬的判定规则：deap（默认）比较 CRS、VRS 与 NIRS 得分（Färe、Grosskopf 与 Lovell，同 DEAP）：CRS = VRS "
          "为 crs，否则 NIRS = VRS 为 drs，否则为 irs；banker_thrall 取 CRS 全部最优解中 lambda 之和的最小值与最大值"
          "（Banker 与 Thrall，每个 DMU 多解两个线性规划）。两者结论相同（Seiford 与 Zhu 1999）",
          choices=RTS_RULES, default="deap",
          label="Returns-to-scale rule", label_zh="规模报酬判定规则"),
    Param("null", "choice",
          "the null hypothesis of the returns-to-scale test, against VRS: 'crs' (default; constant returns "
          "everywhere) or 'nirs' (non-increasing returns; the test to run after CRS is rejected)",
          "规模报酬检验的原假设（备择假设为 VRS）：crs 规模报酬不变（默认）；nirs 规模报酬非递增（在拒绝 CRS 之后检验）",
          choices=RTS_NULLS, default="crs",
          label="Null hypothesis", label_zh="原假设"),
    Param("statistic", "choice",
          "the statistic of the returns-to-scale test: 'ratio_of_means' (default, as npsf: mean score under H0 over "
          "mean VRS score; Simar & Wilson 2002 eq. 4.6) or 'mean_of_ratios' (the mean of each DMU's ratio; eq. 4.5)",
          "规模报酬检验的统计量：ratio_of_means 原假设下平均得分与 VRS 平均得分之比（默认，同 npsf；Simar 与 Wilson "
          "2002 式 4.6）；mean_of_ratios 各 DMU 得分之比的均值（式 4.5）",
          choices=RTS_STATISTICS, default="ratio_of_means",
          label="Test statistic", label_zh="检验统计量"),
    Param("tolerance", "float",
          "relative tolerance under which two scores (or a sum of lambdas and 1) count as equal (default 1e-6)",
          "判定两个得分（或 lambda 之和与 1）相等的相对容差（默认 1e-6）",
          default=1e-6,
          help_for={"cross_efficiency": "with --variant game: the iterations stop when no DMU's game "
                                        "cross-efficiency moves by more than this (default 1e-6)",
                    "zsg": "a DMU is efficient when its radial score is at least 1 - tolerance; the rounds stop "
                           "when every DMU is (default 1e-6)"},
          zh_for={"cross_efficiency": "博弈交叉效率的收敛容差：各 DMU 的博弈交叉效率变化都不超过此值时停止（默认 1e-6）",
                  "zsg": "DMU 的径向得分不低于 1 - 容差即视为有效；全部有效时停止重新分配（默认 1e-6）"},
          label="Tolerance", label_zh="容差"),
    Param("variant", "choice",
          "the weights each DMU rates the others with, in the input-oriented CRS multiplier form: 'aggressive' "
          "(default; Doyle & Green 1994: among its optimal weights, those that minimise the others' efficiency), "
          "'benevolent' (those that maximise it), 'simple' (the optimal weights the solver returns; Sexton et al. "
          "1986; not unique), 'game' (Liang et al. 2008: each DMU maximises its efficiency while no other falls "
          "below its game cross-efficiency, iterated to the Nash equilibrium)",
          "交叉效率中各 DMU 评价他者所用的权重（投入导向 CRS 乘数模型）：aggressive 进攻型（默认；Doyle 与 Green 1994，"
          "在自身最优权重中使他者效率最小）；benevolent 仁慈型（使他者效率最大）；simple 求解器给出的最优权重（Sexton 等 "
          "1986，不唯一）；game 博弈交叉效率（Liang 等 2008，迭代至纳什均衡）",
          choices=CROSS_EFFICIENCY_VARIANTS, default="aggressive",
          label="Cross-efficiency weights", label_zh="交叉效率权重类型"),
    # ---- network DEA
    Param("nodes", "structure",
          "the network's nodes: {node: {'inputs': [...], 'outputs': [...], 'bad_outputs': [...]}} (a role may be "
          "{measure: column} for columns that are shares of one measure), as JSON text or a .json/.toml/.yaml file; "
          "--network FILE takes the whole description {'nodes': ..., 'links': ..., 'stages': ...} in one file; "
          "dynamic: a node may also hold its 'carry_overs': {kind: [...]} (dynamic network SBM)",
          "网络的节点：{节点: {'inputs': [...], 'outputs': [...], 'bad_outputs': [...]}}（同一指标的分摊列可写作 "
          "{指标: 列}），JSON 文本或 .json/.toml/.yaml 文件；--network 文件可一次给出完整描述 {'nodes', 'links', "
          "'stages'}", aliases=("--network",), metavar="JSON|FILE",
          label="Network nodes", label_zh="网络节点"),
    Param("links", "structure",
          "the intermediate products: [{'from': node, 'to': node, 'column': column}] (optionally 'measure', and "
          "'kind': 'free' (default) or 'fixed', network SBM), as JSON text or a file",
          "中间产品（连接）：[{'from': 节点, 'to': 节点, 'column': 列}]（可选 'measure'，以及 'kind'：free 自由（默认）"
          "或 fixed 固定，网络 SBM），JSON 文本或文件", default=(), metavar="JSON|FILE",
          label="Links (intermediate products)", label_zh="连接（中间产品）"),
    Param("stages", "structure", "the nodes grouped into stages in order (default: by their depth in the network); "
          "relational and additive models",
          "按顺序将节点分为各阶段（默认按网络中的层级）；关系模型与加性模型", metavar="JSON|FILE",
          label="Stage order", label_zh="阶段划分"),
    Param("node_rts", "pairs", "network SBM: the returns to scale of some nodes, NODE=crs or NODE=vrs (the others: "
          "--rts)", "网络 SBM：部分节点的规模报酬，NODE=crs 或 NODE=vrs（其余节点取 --rts）", metavar="NODE=RTS",
          label="Returns to scale by node", label_zh="各节点的规模报酬"),
    Param("node_weights", "pairs", "network SBM: the weight of every node in the overall score, NODE=W (normalised "
          "to sum to 1; default equal)", "网络 SBM：各节点在总体效率中的权重，NODE=W（归一化为和为 1；默认相等）",
          metavar="NODE=W",
          label="Node weights", label_zh="节点权重"),
    Param("ccr", "switch", "also report the independent CCR scores of the black box and of each node (default on)",
          "同时报告黑箱及各节点独立的 CCR 效率（默认开启）", default=True,
          label="Report CCR scores", label_zh="报告 CCR 效率"),
    # ---- three-stage DEA and zero-sum-gains DEA
    Param("environment", "columns",
          "the operating environment's columns (e.g. GDP per capita, industrial structure, openness): the "
          "regressors of the second stage's stochastic frontier of every input slack (Fried et al. 2002)",
          "外部环境变量列（如人均 GDP、产业结构、对外开放度）：第二阶段各投入松弛量随机前沿（SFA）的解释变量"
          "（Fried 等 2002）", metavar="COL",
          label="Environmental variables", label_zh="环境变量"),
    Param("reallocate", "column",
          "the input or undesirable output whose total is fixed (e.g. co2 quotas), reallocated among the DMUs by "
          "the proportional reduction strategy until every DMU is efficient (Lins et al. 2003; Gomes & Lins 2008)",
          "总量固定、在 DMU 之间重新分配的投入或非期望产出列（如二氧化碳配额），按比例削减策略分配直至全部 DMU "
          "有效（Lins 等 2003；Gomes 与 Lins 2008）", metavar="COL",
          label="Variable to reallocate", label_zh="重新分配的变量"),
)
