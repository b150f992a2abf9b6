"""What the page hands back with a result: the files (the result's own exports in every format, its figures, a
zip of everything), the methods paragraph in English and Chinese, and the code that reproduces it.

The files are what ``frontier COMMAND ... -o FILE`` writes: the result's ``export()`` with the command's export
options, the data columns the command keeps (``Command.keep_data``), written by :func:`frontier.io.write_table`
(which escapes formula-like text in spreadsheets and keeps Chinese names). The methods paragraph reads the
result's :class:`~frontier.results.Specification` and the declarations behind it (the model family's label with
its references, the index's help in :data:`frontier.options.PARAMETERS`).
"""
from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

from ..cli import distribution_version
from ..cli.commands import Command
from ..io import write_table
from ..options import PARAMETERS
from . import form

#: the result's table in each format the page offers: extension -> name shown
TABLE_FORMATS = {"xlsx": "Excel", "dta": "Stata", "csv": "CSV", "parquet": "Parquet"}
FIGURE_FORMATS = ("png", "svg")
#: the commands whose function takes more than the data first (``Command.call``): the call's leading arguments
LEADING_ARGUMENTS = {"second-stage": lambda args: f"data[{args.score!r}], data"}


def export_of(cmd: Command, result, frame, args, data_name: str, tokens: list):
    """The export ``frontier COMMAND ... -o`` writes (with the command line as its ``command`` row)."""
    extra = {"command": form.command_line(cmd, data_name, tokens), "data file": data_name}
    export = result.export(extra, **cmd.export_options(args))
    cmd.keep_data(frame, export, args)
    return export


def write_files(folder: Path, cmd: Command, result, frame, args, data_name: str, tokens: list, sheet=None,
                stem: str = "results") -> tuple[dict, list]:
    """Every download in ``folder``: the table in each of :data:`TABLE_FORMATS`, each figure as PNG and SVG,
    the settings file, the Python code, the command line, the methods paragraph, and a zip of them all.
    Returns (name -> path, the writers' warnings)."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        export = export_of(cmd, result, frame, args, data_name, tokens)
        for ext in TABLE_FORMATS:
            path = folder / f"{stem}.{ext}"
            write_table(export.table, path, export=export)
            files[path.name] = path
        for kind in getattr(result, "PLOTS", {}):
            for ext in FIGURE_FORMATS:
                path = folder / f"{stem}_{kind}.{ext}"
                try:
                    result.draw(kind, path)
                except (ValueError, TypeError) as exc:     # a figure this result cannot draw (e.g. no period)
                    warnings.warn(f"figure {kind!r} not drawn: {exc}")
                    break
                files[path.name] = path
        _close_figures()
    texts = {"settings.json": _json(form.settings(cmd, tokens, data_name, sheet)),
             "reproduce.py": python_code(cmd, args, frame, data_name, sheet),
             "command.txt": form.command_line(cmd, data_name, tokens) + "\n",
             "methods.md": methods(result, cmd, "en") + "\n\n" + methods(result, cmd, "zh") + "\n"}
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
        files[name] = folder / name
    archive = folder / f"{stem}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, path in files.items():
            zf.write(path, name)
    files[archive.name] = archive
    return files, list(dict.fromkeys(" ".join(str(w.message).split()) for w in caught))


def _close_figures() -> None:
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


def _json(content: dict) -> str:
    import json

    return json.dumps(content, ensure_ascii=False, indent=2) + "\n"


# ----------------------------------------------------------------------------------------------------
# reproduce: the Python code
# ----------------------------------------------------------------------------------------------------

def python_code(cmd: Command, args, frame, data_name: str, sheet=None) -> str:
    """The Python code computing the same result from the data file: the reading, the call with every option the
    form set (the others are the function's defaults), the summary and the Excel file."""
    from ..cli.runner import arguments

    _, keywords = arguments(cmd, args, frame)
    keywords.pop("progress", None)
    imports = ["import frontier as fr", "from frontier.io import read_table"]
    parts = []
    for name, value in keywords.items():
        if PARAMETERS.get(name) is not None and PARAMETERS[name].kind == "mask":
            imports.append("from frontier.cli.runner import reference_rows")
            parts.append(f"{name}=reference_rows({getattr(args, cmd.dest_of(name))!r}, data)")
        else:
            parts.append(f"{name}={value!r}")
    leading = LEADING_ARGUMENTS[cmd.name](args) if cmd.name in LEADING_ARGUMENTS else "data"
    reading = [repr(data_name)]
    if sheet is not None:
        reading.append(f"sheet={sheet!r}")
    if cmd.text_columns(args):
        reading.append(f"text_columns={cmd.text_columns(args)!r}")
    export_options = "".join(f", {k}={v!r}" for k, v in cmd.export_options(args).items())
    call = f"result = fr.{cmd.function.rpartition(':')[2]}(" + ",\n    ".join([leading] + parts) + ")"
    return "\n".join(imports + ["", f"data = read_table({', '.join(reading)})", call, "print(result.summary())",
                                f'result.to_excel("results.xlsx"{export_options})', ""])


# ----------------------------------------------------------------------------------------------------
# the methods paragraph
# ----------------------------------------------------------------------------------------------------

WORDS = {
    "en": {"crs": "constant", "vrs": "variable", "nirs": "non-increasing", "ndrs": "non-decreasing",
           "input": "input-oriented", "output": "output-oriented", "nonoriented": "non-oriented",
           "weak": "weakly disposable (reduced only together with the desirable outputs)",
           "strong": "strongly (freely) disposable", "apz": "disposable as in Aparicio, Pastor & Zofio (2013)",
           "slacks": "treated through their slacks in the objective", "None": "none"},
    "zh": {"crs": "不变", "vrs": "可变", "nirs": "非递增", "ndrs": "非递减", "input": "投入导向", "output": "产出导向",
           "nonoriented": "非导向", "weak": "弱可处置（只能随期望产出一同缩减）", "strong": "强可处置（可自由缩减）",
           "apz": "按 Aparicio、Pastor 与 Zofío（2013）的方式处置", "slacks": "通过目标函数中的松弛变量处理",
           "None": "无", "contemporaneous": "当期", "sequential": "序列", "global": "全局", "window": "窗口",
           "biennial": "两期"},
}


def _word(language: str, value) -> str:
    return WORDS[language].get(str(value), str(value))


def _family_label(model) -> str | None:
    from ..models import family

    try:
        return family(model).label
    except ValueError:                     # economic efficiency's kinds are no model family
        return None


def index_reference(alias: str, language: str) -> str | None:
    """The index's own sentence in the ``index`` parameter's help (with its references), English or Chinese."""
    p = PARAMETERS["index"]
    text, separator = (p.zh, "；") if language == "zh" else (p.help, "; ")
    start = f"{alias} " if language == "zh" else f"'{alias}'"
    return next((part.strip() for part in text.replace("生产率指数：", "").split(separator)
                 if part.strip().startswith(start)), None)


def methods(result, cmd: Command, language: str = "en") -> str:
    """A paragraph for the paper's methods section: the model, orientation, returns to scale, technology, the
    treatment of bad outputs, the index, the references and the software version."""
    version = distribution_version()
    spec = getattr(result, "spec", None)
    if spec is None or not hasattr(spec, "keys") or "model" not in spec:
        if language == "zh":
            return f"本结果由 frontier-dea {version}（Python）的 {cmd.function} 计算：{cmd.description}"
        return f"Computed with {cmd.function} of frontier-dea {version} (Python): {cmd.description}"
    bads = list(spec.get("bad_outputs") or [])
    label = _family_label(spec["model"])
    alias = spec.get("alias")
    technology = spec.get("technology")
    reference = index_reference(alias, language) if alias else None
    if language == "zh":
        parts = [f"采用{spec.get('description') or spec['model']}（{label or spec['model']}）",
                 f"{_word('zh', spec.get('orientation'))}，规模报酬{_word('zh', spec.get('rts'))}"]
        if technology:
            parts.append(f"{_word('zh', technology)}技术")
        parts.append("投入：" + "、".join(spec["inputs"]) + "；期望产出：" + "、".join(spec["outputs"]))
        parts.append(("非期望产出：" + "、".join(bads) + "，" + _word("zh", spec.get("bad_disposability")))
                     if bads else "无非期望产出")
        if reference:
            parts.append(f"生产率指数：{reference}")
        return "；".join(parts) + f"。计算软件：frontier-dea {version}（Python，线性规划由 HiGHS 求解）。"
    text = (f"Scores were computed with {spec.get('description') or spec['model']}"
            f"{f' ({label})' if label else ''}, {_word('en', spec.get('orientation'))}, under "
            f"{_word('en', spec.get('rts'))} returns to scale")
    if technology:
        text += f", against a {technology} technology"
    text += (f". Inputs: {', '.join(spec['inputs'])}; desirable outputs: {', '.join(spec['outputs'])}; "
             + (f"undesirable outputs: {', '.join(bads)}, {_word('en', spec.get('bad_disposability'))}."
                if bads else "no undesirable outputs."))
    if reference:
        text += f" Productivity index: {reference}."
    return text + f" Software: frontier-dea {version} (Python; the linear programs solved by HiGHS)."
