"""The ``frontier`` command line: ``efficiency``, ``productivity``, ``window``, ``metafrontier``, ``bootstrap``,
``economic``, ``validate``, ``demo`` and ``app`` (the web page, :mod:`frontier.app`).

::

    frontier efficiency firms.csv --inputs K L E --outputs Y --bad-outputs SO2 COD --model sbm --rts vrs \\
        --super --id firm -o scores.csv
    frontier productivity panel.dta --entity city --period year --inputs K L E --outputs Y \\
        --bad-outputs SO2 --index gml -o gtfp.xlsx --plot gtfp.png
    frontier metafrontier panel.csv --group region --inputs K L E --outputs Y --bad-outputs SO2 --id city \\
        --period year --meta pooled -o tgr.csv --plot tgr.png
    frontier economic firms.csv --inputs K L --outputs Y --kind cost --prices K=r L=wage -o cost.xlsx
    frontier validate [DIR]

The data commands are derived, not written out: :mod:`frontier.cli.commands` declares each one (the public
function it calls and which of its keywords it offers), :mod:`frontier.cli.parser` builds the flags from
:data:`frontier.options.PARAMETERS` and the model registry, and :func:`frontier.cli.runner.run` carries out
any of them (read, call, write, plot). Files are read and written by extension (CSV, Excel, Stata, Parquet; see
:mod:`frontier.io`) by :mod:`frontier.cli.files`.

Errors print one line, ``frontier: error: ...``, and exit with status 2 (``--traceback`` shows the Python
traceback). Python warnings print as ``frontier: warning: ...`` lines, each text once; ``-q`` silences them with
the summary, the progress bar and the notes.
"""
from __future__ import annotations

import contextlib
import os
import sys
import warnings
import zipfile
from pathlib import Path

from . import files
from .commands import COMMANDS
from .parser import EXIT_USAGE, Formatter, Parser, add_cli_option, add_command
from .runner import run

DISTRIBUTION = "frontier-dea"           # the name on PyPI (pip install frontier-dea); the import name is frontier
#: warning categories Python itself hides by default (library internals, not the user's business)
#: the environment variable naming the temporary folder of the page's uploads (``frontier app`` removes it at exit)
APP_TEMP_DIR_VAR = "FRONTIER_APP_TMP"
HIDDEN_WARNINGS = (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning)


def distribution_version() -> str:
    """The installed distribution's version (``pip show frontier-dea``), else the source tree's
    ``frontier.__version__`` (run from a checkout that is not installed, or installed under an old name)."""
    from importlib import metadata

    from .._version import __version__

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return __version__


def build_parser() -> Parser:
    parser = Parser(prog="frontier", formatter_class=Formatter,
                    description="Green productivity with Data Envelopment Analysis: efficiency scores and "
                                "productivity indices (Malmquist, ML, GML, Luenberger) with undesirable outputs.",
                    epilog="Run 'frontier COMMAND --help' for the options of each command.")
    parser.add_argument("--version", action="version", version=f"frontier {distribution_version()} ({DISTRIBUTION})")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True
    for cmd in COMMANDS:
        add_command(sub, cmd, run)

    val = sub.add_parser("validate", help="reproduce the published DEA cases and print the comparison table",
                         formatter_class=Formatter,
                         description="Run frontier on the published validation cases (one folder per case) and "
                                     "print, for each check, the model, the max absolute error, the tolerance "
                                     "and pass/fail. Exits with status 1 if any hard check fails.")
    val.add_argument("directory", nargs="?", metavar="DIR",
                     help="folder of validation cases (default: $FRONTIER_VALIDATION_DIR, else "
                          "../shared/validation from the current folder, else beside the package's repository)")
    val.add_argument("--case", action="append", dest="cases", metavar="NAME",
                     help="run only this case (repeatable)")
    add_cli_option(val, "traceback")
    val.set_defaults(func=_run_validate)

    demo = sub.add_parser("demo", help="run the worked example on the bundled synthetic city panel",
                          formatter_class=Formatter,
                          description="The worked example: SBM efficiency, a super-SBM ML and an SBM-DDF GML "
                                      "index on a synthetic panel of 270 cities x 12 years, chained into GTFP "
                                      "series; tables and a plot are written to the folder -o names.")
    demo.add_argument("-o", "--out", default=".", metavar="DIR",
                      help="folder the tables and the plot are written to, created if missing (default: the current "
                           "folder)")
    demo.add_argument("--n-jobs", type=int, default=1, help="parallel workers (-1 = all cores)")
    add_cli_option(demo, "traceback")
    demo.set_defaults(func=_run_demo)

    app = sub.add_parser("app", help="start the point-and-click page in the browser (needs frontier-dea[app])",
                         formatter_class=Formatter,
                         description="Start the local web page (Streamlit): upload a data file, choose an analysis, "
                                     "its variables and options, run, and download the results with the methods "
                                     "paragraph and the code that reproduces them. Ctrl-C stops it. See "
                                     "docs/app.md.")
    app.add_argument("--port", type=int, default=8501, help="the port to serve on (default 8501)")
    app.add_argument("--host", default="127.0.0.1",
                     help="the address to serve on (default 127.0.0.1: this computer only). Another address "
                          "(0.0.0.0) lets anyone who can reach this computer use the page and read what is "
                          "uploaded: only on a network you trust")
    app.add_argument("--no-browser", action="store_true", help="do not open the browser")
    app.add_argument("--max-upload", type=int, default=200, metavar="MB",
                     help="the largest data file the page accepts, in megabytes (default 200)")
    add_cli_option(app, "traceback")
    app.set_defaults(func=_run_app)
    return parser


def validation_directory(directory=None) -> Path:
    """The folder of validation cases, resolved by :func:`frontier.validation.validation_directory`."""
    from ..validation import validation_directory as resolve

    return resolve(directory)


def _run_validate(args, argv) -> int:
    from ..validation import ENV_VAR, format_table, hard_failures, run_validation

    directory = validation_directory(args.directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"validation folder {str(directory)!r} not found (pass DIR or set {ENV_VAR})")
    df = run_validation(directory, cases=args.cases)
    print(f"validation cases: {directory}")
    print(format_table(df))
    failed = hard_failures(df)
    if len(failed):
        files.say(f"{len(failed)} check(s) FAILED: "
                  + "; ".join(f"{r['case']}: {r['check']}" for _, r in failed.iterrows()))
        return 1
    return 0


def _run_demo(args, argv) -> int:
    from ..demo import run as run_demo

    run_demo(args.out, n_jobs=args.n_jobs)
    return 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _run_app(args, argv) -> int:
    """``streamlit run`` the page (the module ``frontier.app.page``, found by name: the command line does not import
    the page, which imports the command line's declarations) on ``--host``/``--port``, with the uploads in a
    temporary folder removed when the page stops."""
    import importlib.util
    import shutil
    import signal
    import subprocess
    import tempfile

    if importlib.util.find_spec("streamlit") is None:
        raise ImportError("frontier app needs Streamlit: pip install 'frontier-dea[app]'")
    page = importlib.util.find_spec("frontier.app.page").origin
    folder = tempfile.mkdtemp(prefix="frontier-app-")
    command = [sys.executable, "-m", "streamlit", "run", page, "--server.port", str(args.port),
               "--server.address", args.host, "--server.headless", "true" if args.no_browser else "false",
               "--server.maxUploadSize", str(args.max_upload), "--browser.gatherUsageStats", "false",
               "--global.developmentMode", "false", "--client.toolbarMode", "minimal",
               "--server.fileWatcherType", "none"]
    environment = {**os.environ, APP_TEMP_DIR_VAR: folder, "MPLBACKEND": "Agg"}
    print(f"frontier app: http://{args.host}:{args.port} (Ctrl-C to stop)", flush=True)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        files.say(f"warning: serving on {args.host}: anyone who can reach this computer can use the page")
    process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL)
    signal.signal(signal.SIGTERM, _interrupt)     # a service manager's stop: as Ctrl-C, the folder removed
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()          # Streamlit stops on its own Ctrl-C too (same process group)
        process.wait(timeout=10)
        print("frontier app: stopped", file=sys.stderr)
        return 0
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def warnings_as_lines(quiet: bool):
    """Python warnings raised while a command runs print as one line ``frontier: warning: ...`` on standard
    error (never ``file:line: UserWarning`` and the source line), each distinct text once (a result's summary, its
    export and its plot may each warn about the same broken chain), and not at all with ``-q``. The categories
    Python hides by default stay hidden."""
    shown: set = set()

    def show(message, category, filename, lineno, file=None, line=None):
        text = " ".join(str(message).split())
        if quiet or text in shown:
            return
        shown.add(text)
        print(f"frontier: warning: {text}", file=sys.stderr)

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        for category in HIDDEN_WARNINGS:
            warnings.simplefilter("ignore", category)
        warnings.showwarning = show
        yield


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
        with warnings_as_lines(quiet=getattr(args, "quiet", False)):
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
