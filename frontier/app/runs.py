"""One analysis run in its own process: progress, cancel, and a page that never freezes.

A :class:`Run` starts the command's function (:func:`frontier.cli.runner.resolve`, called as the command line
calls it, ``Command.call``) in a child process and returns at once; the page polls :meth:`Run.poll`. The child
asks the analysis for its progress bar (``progress=True``, where the function takes it) and reports the bar's
count; its warnings come back with the result. :meth:`Run.cancel` ends the child, which stops the LPs at once
(a thread could not be stopped). Each browser tab is a Streamlit session holding its own runs, so two tabs never
share one.

The child is forked from a server process that imported ``frontier`` once (``forkserver``, where the platform
has it), so a run starts in milliseconds, not the seconds of a fresh interpreter.
"""
from __future__ import annotations

import multiprocessing
import queue
import re
import sys
import threading
import time
import traceback
import types
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field

#: a tqdm line's count: "... 4131/9180 [00:03<...]"
_COUNT = re.compile(r"(\d+)/(\d+)")


def _context():
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["frontier", "frontier.app.runs"])
        return ctx
    return multiprocessing.get_context("spawn")


class _ProgressStream:
    """The child's standard error: each progress line (tqdm's ``n/total``) becomes a ``("progress", n, total)``
    message; the rest is dropped (warnings are recorded separately)."""

    def __init__(self, messages):
        self.messages = messages
        self.last = 0.0

    def write(self, text: str) -> int:
        found = _COUNT.findall(text)
        now = time.monotonic()
        if found and now - self.last > 0.2:
            done, total = map(int, found[-1])
            self.messages.put(("progress", done, total))
            self.last = now
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def _work(command_name: str, data, keywords: dict, args, messages) -> None:
    """The child: call the command's function as the command line does, send back the result (or the error's
    one-line message) and the warnings."""
    from ..cli.commands import COMMAND
    from ..cli.runner import resolve

    cmd = COMMAND[command_name]
    sys.stderr = _ProgressStream(messages)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for category in (DeprecationWarning, PendingDeprecationWarning, ResourceWarning):
                warnings.simplefilter("ignore", category)
            result = cmd.call(resolve(cmd.function), data, keywords, args)
        texts = list(dict.fromkeys(" ".join(str(w.message).split()) for w in caught))
        messages.put(("done", result, texts))
    except Exception as exc:  # the API's message is the page's message
        text = (f"{exc.args[0]!r} not found" if isinstance(exc, KeyError) and exc.args
                else " ".join(str(exc).split()) or type(exc).__name__)
        messages.put(("error", text, traceback.format_exc()))


@contextmanager
def _no_main_module():
    """While a child starts, ``__main__`` is an empty module: multiprocessing would otherwise run the main module
    again in the child, which under Streamlit is the page itself (Streamlit executes the page as ``__main__``)."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


@dataclass
class Run:
    """A run of ``command_name`` on ``data`` with ``keywords`` (and the parsed ``args`` the command's call reads)."""

    command_name: str
    data: object
    keywords: dict
    args: object
    state: str = "running"              # running, done, error, cancelled
    done: int = 0
    total: int = 0
    result: object = None
    error: str = ""
    details: str = ""
    warnings: list = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    seconds: float = 0.0

    def __post_init__(self):
        import argparse

        ctx = _context()
        # the parsed arguments without the parser's callback (a lambda): what the command's call reads
        self.args = argparse.Namespace(**{k: v for k, v in vars(self.args).items() if k != "func"})
        self._messages = ctx.Queue()
        # two script runs of one page may read the run at once (Streamlit starts a new one for a click while the
        # last one stops): one at a time, or one could take the result's message as the other found the pipe empty
        # and the child ended, and call the run failed
        self._lock = threading.Lock()
        self._process = ctx.Process(target=_work, args=(self.command_name, self.data, self.keywords, self.args,
                                                         self._messages), daemon=True)
        with _no_main_module():
            self._process.start()

    @property
    def running(self) -> bool:
        return self.state == "running"

    @property
    def fraction(self) -> float | None:
        """The share of the LPs solved (None before the first report)."""
        return min(self.done / self.total, 1.0) if self.total else None

    def poll(self) -> str:
        """Read what the child sent; returns the state."""
        with self._lock:
            return self._read()

    def _read(self) -> str:
        while self.running:
            try:
                message = self._messages.get_nowait()
            except queue.Empty:
                if not self._process.is_alive() and self._messages.empty():
                    time.sleep(0.05)             # a last message may still be in the pipe
                    if self._messages.empty():
                        self._finish("error", error=f"the run stopped unexpectedly (exit code "
                                                    f"{self._process.exitcode})")
                break
            kind = message[0]
            if kind == "progress":
                self.done, self.total = message[1], message[2]
            elif kind == "done":
                self.result, self.warnings = message[1], message[2]
                self._finish("done")
            else:
                self._finish("error", error=message[1], details=message[2])
        return self.state

    def wait(self, timeout: float = 600.0) -> str:
        """Poll until the run ends (tests, scripts)."""
        end = time.monotonic() + timeout
        while self.poll() == "running" and time.monotonic() < end:
            time.sleep(0.05)
        return self.state

    def cancel(self) -> None:
        """Stop the run now: the child process ends (its LPs with it)."""
        with self._lock:
            if self.running:
                self._process.terminate()
                self._finish("cancelled")

    def _finish(self, state: str, error: str = "", details: str = "") -> None:
        self.state, self.error, self.details = state, error, details
        self.seconds = time.monotonic() - self.started
        self._process.join(timeout=5)

