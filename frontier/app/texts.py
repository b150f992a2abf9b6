"""The page's own words, English and Simplified Chinese (the options' help comes from
:data:`frontier.options.PARAMETERS`)."""
from __future__ import annotations

LANGUAGES = {"en": "English", "zh": "简体中文"}

TEXTS = {
    "title": ("frontier: green productivity with DEA", "frontier：基于 DEA 的绿色生产率"),
    "intro": ("Upload a data file, choose an analysis and its variables, and run. Every result comes with its "
              "settings, the equivalent Python code and command line, and a methods paragraph.",
              "上传数据文件，选择分析方法与变量，然后运行。每个结果都附有设置文件、等价的 Python 代码与命令行，以及方法说明段落。"),
    "language": ("Language", "语言"),
    "example": ("Load the example data", "载入示例数据"),
    "example_help": ("the bundled city panel (270 cities x 12 years) with the worked example's super-SBM ML settings",
                     "内置的城市面板数据（270 个城市 x 12 年）及示例中超效率 SBM 的 ML 指数设置"),
    "settings_file": ("Load a settings file (.json)", "载入设置文件（.json）"),
    "settings_loaded": ("Settings loaded: {name}", "已载入设置：{name}"),
    "data": ("1. Data", "1. 数据"),
    "upload": ("Data file: CSV, Excel, Stata (.dta) or Parquet", "数据文件：CSV、Excel、Stata（.dta）或 Parquet"),
    "sheet": ("Excel sheet", "Excel 工作表"),
    "rows": ("{name}: {rows} rows x {cols} columns", "{name}：{rows} 行 x {cols} 列"),
    "columns": ("Columns, their types and what the analyses would refuse", "各列的类型及分析会拒绝的问题"),
    "column": ("column", "列"), "type": ("type", "类型"), "missing": ("missing", "缺失"),
    "negative": ("negative", "负值"), "zero": ("zero", "零值"), "problem": ("problem", "问题"),
    "no_data": ("Upload a data file or load the example data.", "请上传数据文件或载入示例数据。"),
    "analysis": ("2. Analysis", "2. 分析方法"),
    "choose": ("Analysis", "分析方法"),
    "variables": ("Variables by role", "按角色选择变量"),
    "options": ("Options: {title}", "选项：{title}"),
    "default": ("default", "默认"), "default_is": ("default: {value}", "默认：{value}"),
    "check": ("Before running", "运行前检查"),
    "run_section": ("3. Run", "3. 运行"),
    "run": ("Run", "运行"),
    "cancel": ("Cancel", "取消"),
    "running": ("Running... {done} of {total} LPs", "正在运行…… 已求解 {done} / {total} 个线性规划"),
    "starting": ("Running...", "正在运行……"),
    "cancelled": ("The run was cancelled.", "运行已取消。"),
    "failed": ("The analysis refused or failed: {error}", "分析被拒绝或失败：{error}"),
    "results": ("4. Results", "4. 结果"),
    "took": ("done in {seconds:.1f} s", "用时 {seconds:.1f} 秒"),
    "summary": ("Summary", "摘要"), "table": ("Table", "结果表"), "figures": ("Figures", "图"),
    "downloads": ("Downloads", "下载"), "methods": ("Methods", "方法说明"), "reproduce": ("Reproduce", "复现"),
    "gtfp_line": ("GTFP in {last} relative to {first}: {mean} mean {value:.4f} (n = {n})",
                  "{last} 年相对于 {first} 年的 GTFP：{mean}平均 {value:.4f}（n = {n}）"),
    "geometric": ("geometric", "几何"), "arithmetic": ("arithmetic", "算术"),
    "python": ("Python code", "Python 代码"), "command": ("Command line", "命令行"),
    "settings": ("Settings file (load it again with the sidebar)", "设置文件（可在侧栏再次载入）"),
    "all": ("Everything (zip)", "全部（zip）"),
    "warnings": ("Warnings", "警告"),
}


#: the Chinese titles of the command line's option groups (``Command.groups``); a title missing here shows in English
GROUP_TITLES_ZH = {
    "DMUs and periods": "DMU 与时期", "computation": "计算", "cross-efficiency": "交叉效率", "estimator": "估计方法",
    "groups, DMUs and periods": "分组、DMU 与时期", "index": "指数", "model": "模型", "model and bootstrap": "模型与自助法",
    "network": "网络结构", "dynamic network SBM": "动态网络 SBM", "panel": "面板", "prices and model": "价格与模型", "regression and bootstrap": "回归与自助法",
    "scores and covariates": "效率值与解释变量", "table by group": "分组表", "test": "检验", "variables": "变量",
}


def group_title(title: str, language: str) -> str:
    """An option group's title in ``language``."""
    return GROUP_TITLES_ZH.get(title, title) if language == "zh" else title


def t(key: str, language: str, **values) -> str:
    """The text ``key`` in ``language`` ("en" or "zh"), formatted with ``values``."""
    en, zh = TEXTS[key]
    return (zh if language == "zh" else en).format(**values)
