"""The HiGHS wrapper: a silent instance (the banner), the status names, the option sets, and every solve bounded
by iterations and time and interruptible (:func:`run_highs`)."""
from __future__ import annotations

import os
import signal
import sys
import threading

import highspy
import numpy as np

from . import settings

HINF = highspy.kHighsInf
MS = highspy.HighsModelStatus

# presolve off (tiny LPs, solved thousands of times); dual simplex (patches keep the basis dual feasible)
DEFAULT_OPTIONS = {"presolve": "off", "simplex_strategy": 1, "solver": "simplex"}
# on a numerical failure: drop the basis and retry, then primal simplex, then interior point with crossover
RETRY_OPTIONS = [{}, {"simplex_strategy": 4}, {"solver": "ipm", "run_crossover": "on"}]
# the robust path: an equilibrated model, the tightest tolerances HiGHS accepts, no entry dropped as "small"
# (with HiGHS's feasibility tolerances at settings.TIGHT_TOL: robust_options)
ROBUST_OPTIONS = {"presolve": "off", "solver": "simplex", "small_matrix_value": 1e-12, "large_matrix_value": 1e30}


def robust_options() -> dict:
    """:data:`ROBUST_OPTIONS` with both feasibility tolerances at ``settings.TIGHT_TOL`` (read now)."""
    return {**ROBUST_OPTIONS, "primal_feasibility_tolerance": settings.TIGHT_TOL,
            "dual_feasibility_tolerance": settings.TIGHT_TOL}

_banner_shown = False
_banner_lock = threading.Lock()


def new_highs() -> highspy.Highs:
    """A silent HiGHS instance.

    highspy >= 1.16 prints a copyright banner to the C-level standard output the first time a ``Highs`` is
    constructed in a process (before any option can switch output off). The first construction in each process
    runs with file descriptor 1 pointed at the null device so the banner does not end up in the user's terminal
    or in the CSV a shell redirect writes; later instances print nothing anyway.
    """
    global _banner_shown
    if _banner_shown:
        h = highspy.Highs()
    else:
        with _banner_lock:         # two threads swapping file descriptor 1 at once could leave it on the null device
            if _banner_shown:
                h = highspy.Highs()
            else:
                sys.stdout.flush()
                saved = os.dup(1)
                try:
                    with open(os.devnull, "w") as devnull:
                        os.dup2(devnull.fileno(), 1)
                        h = highspy.Highs()
                finally:
                    os.dup2(saved, 1)
                    os.close(saved)
                _banner_shown = True
    h.setOptionValue("output_flag", False)
    return h


# ----------------------------------------------------------------------------------------------------
# HiGHS's thread scheduler
#
# HiGHS keeps one global thread scheduler per process, sized by the first run() of any instance; a later run() whose
# "threads" option asks another size fails at once (kError, no solve). The engine's models ask for one thread (their
# LPs are solved by the serial dual simplex, and a one-thread scheduler makes each run() about 30 % cheaper than the
# default's: 0.088 against 0.124 ms on an 8-row LP of 300 columns). But a user who solved anything with HiGHS first
# (highspy, cvxpy's HIGHS solver) has sized the scheduler otherwise, and every engine LP would then come back as a
# numerical error. So each engine model asks :func:`engine_threads` first, which probes the scheduler with one tiny
# model and, where one thread is refused, leaves the user's scheduler alone and asks for HiGHS's default (0: any
# size), which every scheduler accepts.

def _runs_with(threads: int) -> bool:
    h = new_highs()
    h.setOptionValue("threads", threads)
    h.addCol(1.0, 0.0, 1.0, 0, np.zeros(0, dtype=np.int32), np.zeros(0))
    return h.run() == highspy.HighsStatus.kOk


def engine_threads() -> int:
    """The ``threads`` option for the engine's HiGHS models in this process now: 1 where HiGHS's scheduler is unset
    or one thread (the probe sets it so when unset), else 0 (HiGHS's default, which runs on any scheduler)."""
    return 1 if _runs_with(1) else 0


_STATUS_NAMES = {
    MS.kOptimal: "optimal",
    MS.kInfeasible: "infeasible",
    MS.kUnbounded: "unbounded",
    MS.kIterationLimit: "iteration_limit",
    MS.kTimeLimit: "time_limit",
    MS.kSolveError: "numerical_error",
    MS.kUnknown: "numerical_error",
}


def status_name(ms) -> str:
    return _STATUS_NAMES.get(ms, f"solver_error:{str(ms).split('.')[-1]}")

# ----------------------------------------------------------------------------------------------------
# Limits on every HiGHS call
#
# On extreme data HiGHS can run forever: a dual simplex cycling at the tightest tolerances (output SBM with 1e-8
# placeholders, method="full"), an interior-point solve whose inner conjugate-residual iterations never converge
# (data spanning 1e-8..1e12). A C++ call that never returns is a hang Ctrl-C cannot stop either, since Python handles
# a signal only between bytecodes. So every HiGHS solve goes through :func:`run_highs`, which bounds it by iterations
# and time (a limit reached is a numerical failure like any other: the next retry, then the robust path, then NaN with
# ``"numerical_error"``) and hands control back to Python often enough for a Ctrl-C to stop the run within
# ``INTERRUPT_SECONDS`` or so. The limits are far above what any LP of valid data needs (benchmarks/bench_extreme.py

STOP = threading.Event()    # set when the caller was interrupted: solves in other threads end at their next slice


def highs_option(h: highspy.Highs, name: str):
    """The value of HiGHS option ``name`` (highspy 1.16 returns it with a status, earlier versions alone)."""
    value = h.getOptionValue(name)
    return value[1] if isinstance(value, tuple) else value


def simplex_iteration_limit(h: highspy.Highs) -> int:
    """The simplex iterations a solve of the model in ``h`` may take (:data:`SIMPLEX_ITERATIONS_PER_SIZE`)."""
    return max(settings.SIMPLEX_ITERATIONS_MIN, settings.SIMPLEX_ITERATIONS_PER_SIZE * (h.getNumRow() + h.getNumCol()))


def run_highs(h: highspy.Highs, seconds: float | None = None):
    """Solve the model in ``h`` within the limits above and return HiGHS's model status (``kTimeLimit`` or
    ``kIterationLimit`` when one ended it).

    A simplex solve runs in slices of ``INTERRUPT_SECONDS`` (HiGHS's ``time_limit``; it resumes from its basis), so
    between two slices Python runs a pending Ctrl-C handler (``KeyboardInterrupt``) and a solve in another thread sees
    :data:`STOP`. An interior-point solve cannot resume: it runs in one piece with HiGHS's interrupt callback
    (:func:`_run_interruptible`). HiGHS's run clock adds up over all runs of a model, so each limit is set relative
    to it."""
    if STOP.is_set():
        raise KeyboardInterrupt
    iterations = simplex_iteration_limit(h)
    limit = settings.SOLVE_SECONDS
    seconds = min(max(limit if seconds is None else seconds, 0.0), limit)
    start = h.getRunTime()
    if highs_option(h, "solver") == "ipm":
        h.setOptionValue("ipm_iteration_limit", settings.IPM_ITERATIONS)
        h.setOptionValue("simplex_iteration_limit", iterations)      # crossover
        h.setOptionValue("time_limit", start + seconds)
        return _run_interruptible(h)
    while True:
        h.setOptionValue("simplex_iteration_limit", iterations)
        h.setOptionValue("time_limit", min(h.getRunTime() + settings.INTERRUPT_SECONDS, start + seconds))
        h.run()
        ms = h.getModelStatus()
        if ms != MS.kTimeLimit or h.getRunTime() >= start + seconds:
            return ms
        if STOP.is_set():        # (in the calling thread a Ctrl-C has raised KeyboardInterrupt by now)
            raise KeyboardInterrupt
        iterations -= h.getInfo().simplex_iteration_count
        if iterations <= 0:
            return MS.kIterationLimit


def _run_interruptible(h: highspy.Highs):
    """``h.run()`` with HiGHS's interior-point interrupt callback asking to stop once :data:`STOP` is set or, in the
    main thread, a Ctrl-C arrived: during the run SIGINT only sets a flag (a Python exception raised inside HiGHS's
    callback would be swallowed by HiGHS), and after it the signal is raised again for the original handler."""
    caught = []
    main = threading.current_thread() is threading.main_thread()
    if main:
        previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))

    def interrupt(event) -> None:
        if caught or STOP.is_set():
            event.interrupt()

    h.cbIpmInterrupt += interrupt
    try:
        h.run()
    finally:
        h.cbIpmInterrupt -= interrupt
        if main:
            signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)
    if caught:
        signal.raise_signal(signal.SIGINT)
    if STOP.is_set():
        raise KeyboardInterrupt
    return h.getModelStatus()


# ----------------------------------------------------------------------------------------------------
# dominance screening
