"""The LP engine: one HiGHS model per stage and reference set, patched per DMU, solved exactly over a
restricted set of reference columns.

How one stage is solved for a batch of DMUs
-------------------------------------------
1. A HiGHS model is built once with the stage's own columns, its rows, and a small *active set* of reference
   columns. For each DMU only the :class:`~frontier.models.base.Patch` is applied (row bounds, the stage's own
   columns' coefficients, costs and bounds); HiGHS keeps the previous basis, so each solve is warm-started.
2. **Exact column generation.** After the restricted LP is optimal, every other reference column is priced
   with the row duals ``pi``: reduced cost ``c_j - a_j' pi``, vectorised over the reference data. Columns with a
   negative reduced cost join the active set and the LP is re-solved, until none remain: the restricted
   optimum is then the full LP's optimum. The active set is shared by the DMUs solved in sequence.
3. **Infeasible restricted LPs** are never reported as such without proof: the dual ray (Farkas certificate)
   of the restricted LP is priced the same way; columns that break the certificate join the active set. Only
   when no reference column can break it is the LP declared infeasible (a certificate for the full LP).
   A restricted LP that is unbounded implies the full LP is unbounded (its feasible set is larger).
4. **Dominance screening.** A reference column whose data is strictly dominated by another column's in every
   freely-disposable row (no larger input or strongly disposable bad output, no smaller output) can be
   replaced by the dominating one without losing feasibility or objective value, so it never needs pricing
   (:func:`dominance_screen`). Blocks with an equality row (weakly disposable bad outputs) are priced in
   full. For super-efficiency a column is only left out when two columns dominate it, so one remains when
   the evaluated DMU leaves its own reference set. For very large jobs (``settings.FRAME_MIN_EVALUATED`` DMUs or more)
   pricing is narrowed further to the block's *frame*, its extreme columns (:mod:`frontier.engine.reduction`, exact and
   LP-certified): removing a non-frame column leaves the technology, and so every stage's optimum, unchanged.

``method="full"`` puts every reference column in the model from the start (no pricing); it is the
baseline the restricted path is tested and benchmarked against.

**The compiled kernel** (:mod:`frontier.engine.kernel`). On the restricted path, LPs of at most
``settings.KERNEL_ROWS`` rows are first solved by a bounded primal simplex compiled with Numba
(:mod:`frontier.engine.simplex`, the one the dense batch's compiled loop also uses), over the same active
columns and warm-started from the previous DMU's basis; its answers are priced and certified exactly as HiGHS's, and
HiGHS solves whatever it does not finish (an infeasible restricted LP its phase-1 duals cannot price out of, an
unbounded ray, the iteration limit, a singular basis), badly scaled LPs (data spanning more than
``settings.KERNEL_MAX_RANGE``), max-slack LPs held to an exact answer's rounding, and every answer the certificate
refuses. For a stage of default-layout blocks the whole per-DMU loop (set the LP, solve, price, add columns,
record the answer; Farkas pricing of an infeasible restricted LP) runs compiled over a run of DMUs
(:meth:`~frontier.engine.kernel.KernelLP.run`), back in Python only for a DMU it does not finish, a model rebuild and
the batch certificate. A call uses it from ``settings.KERNEL_MIN_DMUS`` DMUs (loading numba in a process costs about
0.25 s), and ``"auto"`` then takes the restricted path for every job but small reference sets packed into the dense
simplex.

``method="dense"`` first solves all the LPs of a stage at once with the batched dense simplex of
:mod:`frontier.engine.dense` over the pricing candidates (several small reference sets, e.g. a bootstrap's
replicates, in one batch: :func:`pack_tasks`), certifies every answer as below, and gives HiGHS (the restricted
path) only the LPs it did not finish or whose answer the certificate refused. ``"auto"`` picks it for LPs of few
rows against small reference sets (:func:`job_method`), where it was measured fastest.

The DMUs of a job are solved in :func:`solve_order`, similar DMUs one after another, so each warm start begins near
the next optimum (about half the simplex iterations); results are returned in the job's own order.

Every LP's HiGHS model status is mapped to a string (``"optimal"``, ``"infeasible"``, ``"unbounded"``,
``"numerical_error"``, ...); a stage that is not optimal yields NaN values, never a number.

Verification and the robust path
--------------------------------
HiGHS works to absolute tolerances (1e-7) and drops matrix entries below 1e-9. A DMU whose value is tiny relative to
its column (a bad output of 1e-6 among values near 100, a 1e-8 placeholder for a zero, a column spanning
1e-8..1e12) enters its LP as coefficients the solver treats as zero, and an "optimal" answer can be meaningless
(an efficient DMU scored 0, a feasible but far from optimal vertex). So every optimal solution is *certified*
before it is reported (:func:`accepted`, :func:`kkt_violation`): with the variables clipped to their bounds, each
row's residual below ``settings.VERIFY_TOL`` relative to the magnitude of its terms, every reduced cost (the stage's own
columns and every priced reference column, in the model or not) of the right sign to within ``settings.OPTIMALITY_TOL``
of its terms' magnitude, and the objective in the stage's documented range (:meth:`Stage.objective_range`). These
measures do not change when a row or column is rescaled, so they mean the same in the user's units. A stage whose
score is its objective (``relative_objective``: radial, SBM, network and dynamic SBM) also needs its rows'
residuals times their duals to move the objective by at most ``settings.VERIFY_TOL`` of it, and the objective clear
of its terms' errors (:func:`certified`): at least ``settings.CANCELLATION_TOL`` of its terms with every reduced
cost known only to its tolerance, or, with each known to the error measured, a bound of the objective's error (the
cost side, the own columns over the range the model allows them, the rows' part) at most ``settings.VERIFY_TOL`` of
it; the second certifies an efficient DMU's score 1 under the large degenerate duals of a large frontier. A max-slack
stage's answer is held to the accuracy its score was certified to (:func:`certify.primal_tolerance`): after a score
of the fast path, its rows to ``settings.DETAIL_FAST_VERIFY_TOL``; where the score needed the robust path, to
``settings.DETAIL_VERIFY_TOL`` (an exact answer's rounding), and the robust path solves it exactly (the score at its
exact optimum first, then the slacks: :func:`robust.exact_simplex`).

The certificate runs once per batch of DMUs, vectorised over all their solutions (:func:`certified`): pricing
already found each LP's negative reduced costs under its final duals, so only those few are judged there. A solution
it refuses is first solved again from the same warm model at HiGHS's tightest tolerances (HiGHS stops at 1e-7
absolute, the certificate asks 1e-9 relative; this second solve usually closes the gap).

A solution that still fails, and any LP the fast path calls unbounded or fails to solve, goes to :func:`solve_robust`:
the DMU's LP with rows scaled by its own values (:func:`own_value_scaling`) or equilibrated, tight HiGHS tolerances,
HiGHS's final basis recomputed in exact rationals (:func:`exact_basic_solution`), and each answer certified as above.
Up to ``settings.ROBUST_FULL_COLUMNS`` reference columns the LP holds every one; beyond (a million-observation global
frontier: hundreds of such LPs over up to a million columns each), it starts from the restricted model's active
columns and the DMU's own, and columns join until none prices in: every candidate column is priced against the
exact duals of an exactly optimal basis (in floating point with a rigorous error bound, in rationals where that
leaves the sign open), and a Farkas ray is checked against every reference column, so an answer is reported only
when it holds for the full LP. A restricted LP small enough (``settings.ROBUST_EXACT_COLUMNS``) whose HiGHS basis is
not exactly optimal is pivoted to one that is (:func:`exact_simplex`). An infeasible or unbounded status is only
returned with a checked Farkas ray (:func:`farkas_certified`) or unbounded ray and feasible point
(:func:`ray_certified`). Anything else is NaN with status ``"numerical_error"``, never a number.

The modules, in dependency order (each imports only those before it)
--------------------------------------------------------------------
* :mod:`~frontier.engine.settings`: every tuning constant and tolerance, read at call time (``settings.FULL_MAX``);
* :mod:`~frontier.engine.highs`: the HiGHS wrapper (silent instances, status names, option sets, bounded solves);
* :mod:`~frontier.engine.simplex`: the compiled bounded-variable primal simplex of both compiled paths;
* :mod:`~frontier.engine.reduction`: the dominance screen and the exact frame;
* :mod:`~frontier.engine.pricing`: each block's pricing candidates and seed columns (:class:`StagePlan`);
* :mod:`~frontier.engine.certify`: the certificate every answer passes, whichever backend found it;
* :mod:`~frontier.engine.kernel`: the restricted path's copy of its LP, solved by that simplex before HiGHS, and the
  compiled per-DMU run;
* :mod:`~frontier.engine.robust`: the robust path and its exact rational checks;
* :mod:`~frontier.engine.restricted`: the HiGHS backends (``"restricted"``, with the kernel before HiGHS; ``"full"``);
* :mod:`~frontier.engine.dense_kernel`: the dense batch's LPs one after another on the compiled simplex;
* :mod:`~frontier.engine.dense`: the batched dense simplex (``"dense"``), its compiled loop where the call has the
  kernel;
* :mod:`~frontier.engine.stages`: one stage for a batch, a model for several chunks, the unit of parallel work;
* :mod:`~frontier.engine.pool`: the worker pool's policy;
* :mod:`~frontier.engine.schedule`: jobs, chunks, order, method choice, packing and :func:`run_jobs`.

This façade exports what the rest of the package uses and no tunable: patch ``frontier.engine.settings`` (or the
submodule that owns a function), never this module.
"""
from __future__ import annotations

from . import settings
from .pool import start_pool
from .schedule import METHODS, Job, job_method, run_jobs, run_model
from .stages import BatchResult

__all__ = ["METHODS", "BatchResult", "Job", "job_method", "run_jobs", "run_model", "settings", "start_pool"]
