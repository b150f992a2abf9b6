"""The one runner of every data command: check, read, call, write, plot. Nothing here names a command or a
keyword: each command's declaration (:mod:`frontier.cli.commands`) says what differs."""
from __future__ import annotations

import importlib

from . import files
from .commands import figure_options
from .parser import MODEL_OPTION

ROLES = {"inputs": "input", "outputs": "output", "bad_outputs": "bad output"}   # column roles in error messages


def resolve(target: str):
    """``"module:name"`` -> the object; a bare name is the public ``frontier.<name>``."""
    module, _, name = target.rpartition(":")
    return getattr(importlib.import_module(module or "frontier"), name)


def run(cmd, args, argv) -> int:
    """Carry out data command ``cmd``: every check that needs no data first (so a long run cannot fail at its
    end), then read FILE, call the function with the options given, print the summary, write -o and the plots."""
    _check_before_reading(cmd, args)
    plots = {plot.flag: getattr(args, plot.dest) for plot in cmd.plots}
    files.check_outputs(args, {"-o": args.output, "--by-output": getattr(args, "by_output", None)}, plots)
    frame = files.read_checked(args, cmd.text_columns(args), _columns(cmd, args))
    data, keywords = arguments(cmd, args, frame)
    result = cmd.call(resolve(cmd.function), data, keywords, args)
    files.print_summary(result.summary(), args)
    if getattr(args, "by", None):
        _table_by_group(result, frame, args, argv)
    export = result.export(files.extra(args, argv), **cmd.export_options(args))
    export = beside(cmd, result, export, args, argv)
    cmd.keep_data(frame, export, args)
    files.save(export, args, cmd.saved(args))
    for plot in cmd.plots:
        path = getattr(args, plot.dest)
        if path:
            files.save_plot(lambda file, plot=plot: plot.draw(result, file, args, frame), path, args)
    return 0


def beside(cmd, result, export, args, argv):
    """The export with the columns of every table of the result the command line asked for (``cmd.tables``)."""
    from ..results.base import join_columns

    for table in cmd.tables:
        if getattr(args, table.option):
            export = join_columns(export, table.make(result, args).export(files.extra(args, argv)))
    return export


def _table_by_group(result, frame, args, argv) -> None:
    """``--by COL``: print the result's table of means by group and period (``period_means(by=COL, data=FILE)``)
    and write it to ``--by-output FILE``, with the specification, in any format."""
    from ..io import write_table

    table = result.period_means(by=args.by, data=frame)
    files.print_summary(f"by {args.by}" + (f" and {table.index.names[1]}" if table.index.nlevels > 1 else "")
                        + " (n: the rows behind each mean):\n  "
                        + table.round(4).to_string().replace("\n", "\n  "), args)
    if args.by_output:
        export = result.export(files.extra(args, argv), by=args.by, data=frame)
        write_table(export.table, args.by_output, export=export, bom=args.bom)
        files.say(f"wrote {args.by_output} ({len(export.table)} rows: the table by {args.by})", args)


def arguments(cmd, args, frame) -> tuple:
    """The data and the keywords of the call: every option given (None = not given, so the function's own
    default applies), converted where the data are needed (prices naming columns, the reference column), and
    the registry's family options. With ``-q`` the progress bar is off unless ``--progress`` asks for it."""
    keywords = {}
    for name in cmd.keywords:
        value = getattr(args, cmd.dest_of(name))
        if value is not None:
            keywords[name] = _convert(name, value, frame)
    if "progress" in cmd.keywords and args.quiet and args.progress is None:
        keywords["progress"] = False
    if cmd.model_options:
        keywords.update({key[len(MODEL_OPTION):]: value for key, value in vars(args).items()
                         if key.startswith(MODEL_OPTION) and value is not None})
    return frame, cmd.prepare(keywords)


def _convert(name: str, value, frame):
    if name in ("weights", "period_weights", "node_weights", "node_rts"):
        return dict(value)
    if name == "prices":
        return prices(value, frame)
    if name == "reference":
        return reference_rows(value, frame)
    return value


def prices(pairs, frame) -> dict:
    """``--prices`` pairs -> ``{variable: column name or number}``: a value naming a column of the data is that
    column, else it must be a number."""
    out = {}
    for name, value in pairs:
        if name in out:
            raise ValueError(f"--prices gives {name!r} twice")
        if value in frame.columns:
            out[name] = value
            continue
        try:
            out[name] = float(value)
        except ValueError:
            raise ValueError(f"--prices {name}={value}: {value!r} is neither a column of the data nor a number") \
                from None
    return out


def reference_rows(column: str, frame):
    """``--reference COL``: the boolean mask of the rows spanning the frontier, from a column of 0/1 or
    true/false; any other value is refused with the rows that hold it."""
    import pandas as pd

    values = frame[column]
    if values.dtype == bool:
        return values.to_numpy()
    numbers = pd.to_numeric(values, errors="coerce")
    bad = ~numbers.isin([0, 1])
    if bad.any():
        rows = ", ".join(map(str, list(frame.index[bad.to_numpy()])[:5]))
        raise ValueError(f"--reference column {column!r} must hold 0/1 (or true/false) in every row; rows {rows} "
                         f"hold {values[bad].iloc[0]!r}{' and more' if bad.sum() > 1 else ''}")
    return numbers.eq(1).to_numpy()


def _check_before_reading(cmd, args) -> None:
    """--technology chooses among the periods' frontiers, so it needs --period; a plot's own needs; --lang only
    with a plot; a table's own options only with the table; the command's own checks."""
    from ..options import PARAMETERS

    optional_period = "period" in cmd.options and "period" not in cmd.required
    if optional_period and getattr(args, "technology", None) is not None and args.period is None:
        raise ValueError(f"--technology {args.technology} needs --period (the column of periods)")
    for plot in cmd.plots:
        for need in plot.needs:
            if getattr(args, plot.dest) and getattr(args, need) is None:
                raise ValueError(f"{plot.flag} needs --{need} (the column of periods)")
    given_figure_options = [PARAMETERS[name].option for name in figure_options(args)]
    if given_figure_options and not any(getattr(args, plot.dest) for plot in cmd.plots):
        raise ValueError(f"{' '.join(given_figure_options)} applies to the figures: give a plot option "
                         f"({' or '.join(plot.flag + ' FILE.png' for plot in cmd.plots)})")
    for table in cmd.tables:
        for name in table.takes:
            if getattr(args, name) is not None and not getattr(args, table.option):
                raise ValueError(f"{PARAMETERS[name].option} applies with {PARAMETERS[table.option].option}")
    if getattr(args, "by_output", None) and not args.by:
        raise ValueError("--by-output needs --by (the column of the data to group by)")
    for check in cmd.checks:
        check(args)


def _columns(cmd, args) -> dict:
    """Every column an option names, by role, for one clear error naming each one the file lacks."""
    from ..options import PARAMETERS

    columns = {}
    for name in cmd.options:
        p = PARAMETERS.get(name)
        if p is not None and p.kind in ("columns", "column", "mask"):
            value = getattr(args, cmd.dest_of(name))
            if value is not None:
                columns[ROLES.get(name, name)] = list(value) if isinstance(value, list) else [value]
    return columns
