"""The command line's files: reading FILE with the reading options, checking every output before the work (a
known format, a writable folder, never the data file itself), writing results and plots whole, and the messages
on standard error (``frontier: ...``), which ``-q`` silences."""
from __future__ import annotations

import os
import sys
from pathlib import Path


def say(message: str, args=None) -> None:
    """An informational line on standard error; silent with ``-q``."""
    if args is not None and getattr(args, "quiet", False):
        return
    print(f"frontier: {message}", file=sys.stderr)


# ----------------------------------------------------------------------------------------------------
# reading
# ----------------------------------------------------------------------------------------------------

def read_checked(args, text_columns, columns: dict):
    """FILE parsed with the command's --sheet, --sep, --decimal, --encoding and --na-values (the ``text_columns``
    of a CSV read as text, so that codes such as 001 keep their leading zeros), with one clear error for every
    column of ``columns`` (role -> names) it lacks."""
    from ..io import read_table

    frame = read_table(args.file, sheet=_sheet(args.sheet), sep=args.sep, decimal=args.decimal,
                       encoding=args.encoding, na_values=args.na_values, text_columns=text_columns)
    check_columns(frame, columns)
    return frame


def _sheet(sheet):
    if sheet is None:
        return None
    return int(sheet) if str(sheet).isdigit() else sheet


def check_columns(frame, roles: dict) -> None:
    """One clear error for every named column the file lacks."""
    missing = [f"{c!r} ({role})" for role, cols in roles.items() for c in cols
               if c is not None and c not in frame.columns]
    if missing:
        shown = ", ".join(map(str, list(frame.columns)[:30])) + (" ..." if len(frame.columns) > 30 else "")
        raise ValueError(f"column(s) not in the data: {', '.join(missing)}; the file has: {shown}")


# ----------------------------------------------------------------------------------------------------
# outputs: checked before the work
# ----------------------------------------------------------------------------------------------------

def check_outputs(args, outputs: dict, plots: dict) -> None:
    """Before the data are read and the LPs solved, check that every file to write can be written (known
    format, existing writable folder, writer installed) and is not the data file itself: a long run must not
    fail at its end and lose its results, nor replace the user's data. ``outputs``/``plots``: option -> path
    (or None)."""
    from ..io import check_output, check_writable

    given = {option: path for option, path in {**outputs, **plots}.items() if path is not None and str(path) != "-"}
    for option, path in given.items():
        refuse_the_data_file(option, path, args)
    for path in outputs.values():
        if path is not None:
            check_output(path)
    plots = {option: path for option, path in plots.items() if path is not None}
    if not plots:
        return
    from .._plotting import require_matplotlib

    require_matplotlib()                                        # the clear "needs matplotlib" error, before the work
    from matplotlib.backend_bases import FigureCanvasBase

    kinds = FigureCanvasBase.get_supported_filetypes()
    for option, path in plots.items():
        ext = Path(path).suffix.lower().lstrip(".")
        if ext not in kinds:
            shown = f"extension {'.' + ext!r}" if ext else "no extension"
            raise ValueError(f"{option} {str(path)!r}: cannot tell the image format ({shown}); use .png, .pdf "
                             f"or .svg")
        check_writable(path, what="plot")


def same_file(a, b) -> bool:
    """Whether paths ``a`` and ``b`` are one file on disk: the same device and inode (so also through a symbolic
    or hard link), or the same resolved path. A path that does not exist is no file."""
    try:
        sa, sb = os.stat(a), os.stat(b)
    except OSError:
        return False
    if sa.st_ino and (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino):   # st_ino is 0 where the OS has none
        return True
    return Path(a).resolve() == Path(b).resolve()


def refuse_the_data_file(option: str, path, args) -> None:
    """Writing ``path`` would replace FILE (the data): refuse, unless ``--force``."""
    if getattr(args, "force", False) or not same_file(path, args.file):
        return
    how = "" if Path(path).resolve() == Path(args.file).resolve() else " (the same file, through a link)"
    raise ValueError(f"{option} {str(path)!r} is the data file {str(args.file)!r}{how}: writing it would replace "
                     "your data with the results; choose another file name, or add --force to overwrite it")


# ----------------------------------------------------------------------------------------------------
# writing
# ----------------------------------------------------------------------------------------------------

def extra(args, argv) -> dict:
    """The rows an export adds to its specification: the command line as typed and the data file."""
    cmd = "frontier " + " ".join(_quote(a) for a in (argv if argv is not None else sys.argv[1:]))
    return {"command": cmd, "data file": str(args.file)}


def _quote(arg: str) -> str:
    return f"'{arg}'" if (not arg or any(ch in arg for ch in " \"'$;&|<>*?")) else arg


def print_summary(text: str, args) -> None:
    """The result's summary on standard output (standard error when the table goes to standard output); none
    with ``-q``."""
    if args.quiet:
        return
    stream = sys.stderr if args.output == "-" else sys.stdout
    print(text, file=stream)


def save(export, args, what: str) -> None:
    """Write the export to -o FILE, or say (unless -q) that the ``what`` were not saved. The writers' warnings
    (formula-like text in a CSV, characters Excel cannot hold) reach the command's warning lines."""
    from ..io import write_table

    if not args.output:
        say(f"no -o FILE given: the {what} were not saved", args)
        return
    write_table(export.table, args.output, export=export, bom=args.bom)
    if str(args.output) != "-":
        rows, cols = export.table.shape
        say(f"wrote {args.output} ({rows} rows x {cols} columns)", args)


def save_plot(draw, path, args) -> None:
    """``draw(file)`` saves a figure; it goes to a temporary file renamed to ``path`` on success, so that a
    failing plot leaves an existing file as it was."""
    from ..io import atomic_write

    with atomic_write(path) as tmp:
        draw(tmp)
    say(f"wrote {path}", args)


def with_data(frame, table, key_cols: list[str]):
    """All input columns (in the input's row order) followed by the result columns of ``table``."""
    import pandas as pd

    results = table.drop(columns=[c for c in key_cols if c in table.columns])
    clash = [c for c in results.columns if c in frame.columns]
    results = results.rename(columns={c: f"{c}_dea" for c in clash})
    return pd.concat([frame.reset_index(drop=True), results.reset_index(drop=True)], axis=1)


def data_first(export, frame, table) -> None:
    """The export's table becomes ``table``, the input data with the results, each described
    (:func:`frontier.io.put_input_data_first`)."""
    from ..io import put_input_data_first

    put_input_data_first(export, frame, table)


def match_entities(names, entities) -> list:
    """Entity labels from the command line (strings) matched to the result's (maybe numeric) ``entities``."""
    labels = list(dict.fromkeys(entities))
    by_text = {str(e): e for e in labels}
    missing = [n for n in names if n not in by_text]
    if missing:
        raise ValueError(f"--plot-entities: no entity {missing[0]!r} with results; e.g. "
                         f"{', '.join(map(str, labels[:5]))}")
    return [by_text[n] for n in names]
