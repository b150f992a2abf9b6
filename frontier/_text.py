"""Small text helpers shared by every layer (a leaf: numpy only).

* :func:`format_labels` -- row labels for an error message, ``[1, 'b', 7 and 3 more]`` (was ``data._rows``);
* :func:`format_rows` -- the rows a boolean mask selects, ``rows [1, 5] and 3 more`` (was ``io._rows``);
* :func:`plural` -- ``city`` -> ``cities`` for messages and figure labels about entities;
* :func:`geo_mean` -- the geometric mean of a Series; what a non-positive value does is the caller's explicit choice;
* :func:`label` -- a figure's text in the language asked for (``lang="zh"``): :data:`ZH` is the one table of
  translations, English text (or template) -> Simplified Chinese.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .options import LANGUAGES


def format_labels(labels: Iterable, limit: int = 8) -> str:
    """At most ``limit`` labels in brackets (text quoted), then how many more: ``['a', 'b' and 3 more]``."""
    labels = list(labels)
    shown = ", ".join(repr(v) if isinstance(v, str) else str(v) for v in labels[:limit])
    more = f" and {len(labels) - limit} more" if len(labels) > limit else ""
    return f"[{shown}{more}]"


def format_rows(mask) -> str:
    """The index labels where the boolean Series ``mask`` is true, as ``rows [..5 labels..] and N more``."""
    rows = list(mask.index[mask.to_numpy()])
    return f"rows {rows[:5]}" + (f" and {len(rows) - 5} more" if len(rows) > 5 else "")


def plural(word) -> str:
    """'city' -> 'cities', 'firm' -> 'firms', 'province' -> 'provinces'; anything not a plain word -> 'entities'."""
    word = str(word or "")
    if not word.isalpha() or not word.isascii():
        return "entities"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def geo_mean(values, *, drop_nonpositive: bool = False) -> float:
    """The geometric mean of a Series' non-missing values (NaN when there are none).

    A value <= 0 has no logarithm. ``drop_nonpositive=False`` (the summaries' means of indices and levels) makes
    the mean NaN then: a mean that silently left such a value out would describe other data. ``True`` (the
    decomposition plot's bars) leaves those values out and averages the positive ones.
    """
    x = values.dropna()
    positive = x[x > 0]
    if not len(positive) or (len(positive) < len(x) and not drop_nonpositive):
        return np.nan
    return float(np.exp(np.log(positive).mean()))


#: Figure labels in Simplified Chinese (``lang="zh"``): the English text or template as the figures write it ->
#: its translation, the one place either is written. Templates keep their ``{fields}``; names (GML, SBM, VRS, n)
#: stay as they are. Also the common words a column name may be (``year`` -> 年份), for axis titles.
ZH = {
    # --- words: technologies, means, column names
    "global": "全局", "contemporaneous": "当期", "sequential": "序列", "biennial": "两期", "window": "窗口",
    "geometric mean": "几何平均", "mean": "均值", "median": "中位数",
    "year": "年份", "period": "时期", "city": "城市", "province": "省份", "firm": "企业", "region": "地区",
    "country": "国家", "industry": "行业", "entity": "个体", "entities": "个体",
    # --- the index and its components (``IndexTexts.components``)
    "index": "指数", "{label} index": "{label} 指数", "metafrontier {label}": "共同前沿 {label}",
    "efficiency change (EC)": "技术效率变化（EC）", "technical change (TC)": "技术进步（TC）",
    "pure efficiency change (PEC)": "纯技术效率变化（PEC）", "scale efficiency change (SEC)": "规模效率变化（SEC）",
    "best-practice gap change (BPC)": "最佳实践差距变化（BPC）", "best-practice change (BPC)": "最佳实践变化（BPC）",
    "technology-gap change (TGC)": "技术差距变化（TGC）", "output quantity index": "产出数量指数",
    "input quantity index": "投入数量指数",
    # --- GTFP trajectories
    "GTFP": "绿色全要素生产率（GTFP）", "cumulative {name}": "累积 {name}", "{what}: {subtitle}": "{what}：{subtitle}",
    "{center} across {entities}": "各{entities}{center}", "selected entities": "所选个体",
    "{center} across {entities} by {group}": "按{group}分组的各{entities}{center}",
    "; band: {low} to {high} percentile": "；阴影：第 {low} 至第 {high} 百分位",
    "cumulative index (first period = {base:g})": "累积指数（首期 = {base:g}）",
    "cumulative indicator (first period = {base:g})": "累积指标（首期 = {base:g}）",
    "cumulative index": "累积指数", "cumulative indicator": "累积指标",
    # --- the decomposition
    "{index} by period ({center} across entities)": "各期{index}（个体{center}）",
    "{period} (change from the previous {period})": "{period}（相对上一{period}的变化）",
    "; k/n: pairs with every LP solved": "；k/n：全部线性规划有解的配对数",
    "index (> 1 = progress)": "指数（> 1 表示进步）", "indicator (> 0 = progress)": "指标（> 0 表示进步）",
    "{index} (GTFP)": "{index}（累积，GTFP）",
    "chained period {center}s (first period = {base:g})": "各期{center}的累积（首期 = {base:g}）",
    "chain broken at {period}: no pair of that period has every LP solved":
        "累积在 {period} 中断：该期没有全部线性规划有解的配对",
    # --- efficiency scores
    "inefficiency (0 = efficient)": "无效率值（0 = 有效）", "efficiency score (1 = efficient)": "效率得分（1 = 有效）",
    "score (1 = efficient)": "得分（1 = 有效）", "; {nan} NaN not shown": "；{nan} 个 NaN 未显示",
    "efficient": "有效值", "mean {value:.3f}": "均值 {value:.3f}", "number of DMUs": "DMU 个数",
    "{period} ({technology} frontier)": "{period}（{technology}前沿）",
    "{model} scores by period (n = {n})": "各期 {model} 效率得分（n = {n}）",
    "{model} scores (n = {n})": "{model} 效率得分（n = {n}）",
    "above the axis (count)": "超出纵轴（个数）",
    # --- the technology gap (metafrontier)
    "pooled": "合并样本", "union": "并集", "metafrontier": "共同前沿", "technology gap": "技术差距",
    "TGR = E*/E^g (1 = on the metafrontier)": "TGR = E*/E^g（1 = 位于共同前沿上）",
    "gap = D* - D^g (0 = on the metafrontier)": "差距 = D* - D^g（0 = 位于共同前沿上）",
    "{model}, {rts}, {meta} metafrontier": "{model}，{rts}，{meta}共同前沿",
    "{group} (n = DMUs with a defined {gap})": "{group}（n = {gap} 有定义的 DMU 个数）",
    "{what} by {group} ({model})": "按{group}分组的{what}（{model}）",
    "{period} ({technology} frontiers; n = DMUs per point)": "{period}（{technology}前沿；n = 每点的 DMU 个数）",
    "mean {what} by {group} and {period} ({model})": "按{group}与{period}分组的{what}均值（{model}）",
    # --- window analysis
    "all entities (mean)": "全部个体（均值）",
    "Window analysis: {model} ({rts}), width {width}": "窗口分析：{model}（{rts}），窗宽 {width}",
    # --- the efficiency bootstrap and the bootstrap tests
    "{level} interval": "{level} 置信区间", "DEA score": "DEA 得分", "bias-corrected": "偏差校正得分",
    "DMUs sorted by bias-corrected score": "按偏差校正得分排序的 DMU", "DMUs sorted by DEA score": "按 DEA 得分排序的 DMU",
    "; {missing} without estimates not shown": "；{missing} 个无估计值的 DMU 未显示",
    "input efficiency theta (1 = efficient)": "投入效率 theta（1 = 有效）",
    "output expansion phi (1 = efficient)": "产出扩张系数 phi（1 = 有效）",
    "{name}: bootstrap (B = {B}), n = {n}": "{name}：自助法（B = {B}），n = {n}",
    "bootstrap under H0 (B = {B})": "原假设下的自助法分布（B = {B}）",
    "data: {value:.4g}, p = {p:.3f}": "样本值：{value:.4g}，p = {p:.3f}",
    "statistic ({statistic})": "统计量（{statistic}）", "replicates": "自助样本个数", "H0: {H0}": "原假设：{H0}",
    # --- partial frontiers
    "input": "投入导向", "output": "产出导向", "frontier (1)": "前沿（1）",
    "input efficiency theta": "投入效率 theta", "output efficiency phi": "产出效率 phi",
    "{estimator} {orientation} scores ({settings}), n = {n}": "{estimator} {orientation}得分（{settings}），n = {n}",
    "super-efficient DMUs (theta > 1)": "超效率 DMU（theta > 1）", "super-efficient DMUs (phi < 1)": "超效率 DMU（phi < 1）",
    "{by} = {own:g} (this result)": "{by} = {own:g}（本结果）",
    "m (order-m, the same draws)": "m（order-m，相同抽样）", "alpha (order-alpha; 1 = FDH)": "alpha（order-alpha；1 = FDH）",
    "% of the {n} DMUs": "占 {n} 个 DMU 的百分比（%）",
    "partial frontiers: super-efficient DMUs (Daraio & Simar 2007)": "部分前沿：超效率 DMU（Daraio 与 Simar 2007）",
    # --- returns to scale, cross-efficiency, dynamic SBM, three-stage DEA, ZSG DEA
    "VRS score theta": "VRS 得分 theta", "VRS score phi": "VRS 得分 phi", "scale efficiency": "规模效率",
    "returns to scale ({rule}), n = {n}": "规模报酬（{rule}），n = {n}",
    "aggressive": "进攻型", "benevolent": "仁慈型", "simple": "简单", "game": "博弈",
    "CCR score (self-appraisal)": "CCR 得分（自评）", "mean cross-efficiency": "平均交叉效率", "efficiency": "效率",
    "cross-efficiency ({variant}), n = {n}": "交叉效率（{variant}），n = {n}",
    "interquartile range": "四分位距", "mean term efficiency": "平均分期效率",
    "term efficiency (1 = efficient)": "分期效率（1 = 有效）",
    "dynamic SBM term efficiencies, n = {n}": "动态 SBM 分期效率，n = {n}",
    "DMUs ({n})": "DMU（{n}）", "no change": "无变化", "stage 1 score (observed inputs)": "第一阶段得分（实际投入）",
    "stage 3 score (adjusted inputs)": "第三阶段得分（调整后投入）", "three-stage DEA, n = {n}": "三阶段 DEA，n = {n}",
    "observed": "观测值", "reallocated": "重新分配后",
    "ZSG reallocation of {variable} (DMUs by ZSG efficiency)": "{variable} 的 ZSG 重新分配（DMU 按 ZSG 效率排序）",
}


def check_lang(lang) -> str:
    """``lang`` if it is one of :data:`frontier.options.LANGUAGES` (``"en"``, ``"zh"``), else a ValueError."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES} (figure labels in English or Simplified Chinese), "
                         f"got {lang!r}")
    return lang


def label(text: str, lang: str = "en", **fields) -> str:
    """``text`` (an English label or template) in ``lang``, its ``{fields}`` filled in: :data:`ZH` for ``"zh"``.

    A text the table does not hold (a user's own column name or group label) is kept as it is."""
    if lang == "zh":
        text = ZH.get(text, text)
    return text.format(**fields) if fields else text


def word(name, lang: str = "en") -> str:
    """A column name or other single word as a figure shows it: in Chinese the common ones (``year`` -> 年份,
    ``city`` -> 城市) are translated, any other (``地区``, ``GDP``) kept."""
    text = str(name)
    return ZH.get(text.lower(), text) if lang == "zh" else text
