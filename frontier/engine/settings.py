"""Every tuning constant and tolerance of the engine, each with the measurement it rests on.

The engine's modules read them at call time (``settings.FULL_MAX``), never copy them, so a test or a benchmark that
sets one here (``monkeypatch.setattr(frontier.engine.settings, "FULL_MAX", 0)``) changes what the engine does; the
package façade :mod:`frontier.engine` exports none of them, so a patch of a stale path fails instead of passing
silently (``tests/test_engine.py``).
"""

# ----------------------------------------------------------------------------------------------------
# the certificate and pricing (certify.py, restricted.py)
# ----------------------------------------------------------------------------------------------------
PRICING_TOL = 1e-9
FARKAS_TOL = 1e-12
MAX_ADD_PER_ROUND = 64
# the kernel's pricing screens every candidate in float32 first and computes in float64 only those the screen cannot
# prove positive (kernel._negative_candidates: the same candidates and values as a float64 pass); off: float64 only
PRICING_SCREEN = True
VERIFY_TOL = 1e-7       # largest accepted row residual, relative to the magnitude of the row's terms
# ... in a max-slack stage whose score needed the robust path: the rounding of an exact answer. HiGHS's max-slack
# answers miss rows by 1e-12..3e-11 of their terms on ordinary data, and by 5e-13..6e-9 where they were wrong on data
# spanning 1e-8..1e10: no one tolerance parts them, so a score that needed the robust path (the mark of such data)
# has its slacks solved exactly (certify.primal_tolerance, robust.exact_simplex)
DETAIL_VERIFY_TOL = 1e-14
# ... in a max-slack stage after a score of the fast path: a degenerate optimal face turns a row missed by 5.6e-8 of
# its terms (an output 13.9 short of 1.2e8) into a slack of 4,009 on a moved input of 4,012 whose exact value is 0
# (benchmarks/bench_oracle.py, seed 11); ordinary answers miss by 1e-12..3e-11
DETAIL_FAST_VERIFY_TOL = 1e-9
EXACT_PIVOTS = 200       # rational simplex pivots the robust path may take from the slack basis (robust.exact_simplex)
OPTIMALITY_TOL = 1e-9   # largest accepted wrong-signed reduced cost, relative to the magnitude of its terms
CANCELLATION_TOL = 1e-5  # an objective below this fraction of its terms' magnitude needs an exact certificate
RANGE_TOL = 1e-9        # slack on an objective's documented range, times max(1, |bound|)
TIGHT_TOL = 1e-10       # HiGHS's feasibility tolerances for a second attempt at a solution the certificate refused
CERTIFY_ENTRIES = 1 << 21    # reduced costs computed at once by the certificate (pricing candidates x DMUs)

# The matrix entries the robust path hands HiGHS, after scaling: none above HiGHS's default bound on an entry (its
# option large_matrix_value; a scaling with larger ones is shifted down by a power of two on every row), and none
# below the smallest it keeps (small_matrix_value at its least, as set above: such entries are zeros to HiGHS anyway,
# and are left out here, so HiGHS never edits its matrix). On data spanning 1e-8..1e12, entries from 6.6e-19 to 2.6e18 made HiGHS 1.16 abort
# the interpreter ("double free or corruption", docs/upstream/highs-abort.md). What HiGHS returns for the
# shortened matrix is certified against the LP's own entries, as every answer is.
HIGHS_LARGEST_ENTRY = 1e15
HIGHS_SMALLEST_ENTRY = 1e-12


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
# measures both), so they change no answer there.
SOLVE_SECONDS = 30.0        # the longest one HiGHS solve may run (all its slices together)
INTERRUPT_SECONDS = 0.25    # a simplex solve runs in slices this long: Python handles Ctrl-C between them
SIMPLEX_ITERATIONS_MIN = 10_000     # simplex iterations one solve may take: at least this many ...
SIMPLEX_ITERATIONS_PER_SIZE = 20    # ... or this many per row and column of the model
IPM_ITERATIONS = 100        # interior-point iterations (its own default is 2^31 - 1)
ROBUST_SECONDS = 60.0       # the robust path's time for one LP, over all its scalings and retries
# The robust path's LP has every reference column up to ROBUST_FULL_COLUMNS columns (all blocks together); beyond, it
# starts from the restricted path's active columns and the DMU's own and adds the columns that price in under the
# exact duals (or break the Farkas certificate). At 30,000 columns (GML 3,000 x 10 hard, the global technology, from
# the plan's 21 seed columns, benchmarks/bench_scale.py robust): 48 against 258 ms per score LP, 30 against 247 ms per
# super-SBM LP; below a few thousand columns the LP with every column is as cheap and needs no pricing rounds
ROBUST_FULL_COLUMNS = 5000
# ... and a restricted robust LP of at most ROBUST_EXACT_COLUMNS columns whose HiGHS basis is not exactly optimal (or
# for which HiGHS finds none) is pivoted on in rational arithmetic (robust.exact_simplex): on 1e-8 placeholders HiGHS
# answered a 35-column LP with a basis 100 % off its rows under every scaling (tests/test_robust_restricted.py)
ROBUST_EXACT_COLUMNS = 1000

# ----------------------------------------------------------------------------------------------------
# pricing: the exact frame pre-pass (pricing.py, reduction.py)
# ----------------------------------------------------------------------------------------------------

# The frame pre-pass (frontier.frame) costs about one small LP per candidate column (up to three with layers=2), about
# as much as one DMU's own LP; it saves a pricing pass over the non-frame candidates (about 80 % of them on hard data)
# for every LP of every evaluated DMU, and keeps non-extreme columns out of the active sets. Measured at n = 3,000
# (benchmarks/bench_frame.py, a loaded 2-core machine): 2.7-17 ms of pre-pass per candidate against 40-110 ns per
# priced column and 1.0-1.2 passes per LP, so the pricing savings alone repay it from 32,000 (benchmark firms, SBM),
# 90,000 (hard data, BCC) and 300,000 (hard data, SBM) evaluated DMUs, whatever the reference size (both sides grow
# with the candidates); the rule takes the largest. Smaller active sets save more (LPs alone 1.02-1.19x faster).
# Only single-layer frames are built: the two-layer frame of a super-efficiency stage costs up to three LPs per
# candidate, and such a stage usually evaluates only the DMUs its first stage found efficient (1.2 % of a million
# friendly panel observations against the global frontier), whose pricing over the screened candidates costs far less.
FRAME_MIN_EVALUATED = 300_000
FRAME_MIN_CANDIDATES = 500

# frame.py's constants (reduction.py)
CLEANUP_MAX = 2000

# Divide and conquer: the frame of a union lies in the union of its parts' frames (a point extreme in T of all the
# columns is extreme in T of any part that holds it), so a large candidate set is split into parts of about PART_SIZE,
# each part's frame is found, and one last pass runs over their union. Each pass costs more per candidate the more
# candidates it holds (its hyperplane and basis tests run over every open one), so the parts are cheaper than the
# whole: on 99,301 candidates of the city panel (1,174 in the frame), one pass 24.9 s; 2 / 4 / 8 / 16 parts 13.7 /
# 11.7 / 9.8 / 12.5 s in all, the same frame each time.
PART_SIZE = 12_500
FRAME_TOL = 1e-9
CACHE_SIZE = 8     # reference sets whose frames are kept (cached_frame)

# ----------------------------------------------------------------------------------------------------
# the restricted model (restricted.py, stages.py)
# ----------------------------------------------------------------------------------------------------
ACTIVE_CAP = 300        # rebuild the restricted model from recently used columns beyond this many columns
RECENT = 256           # ... namely the support of the last RECENT solutions

# ----------------------------------------------------------------------------------------------------
# the batched dense simplex (dense.py)
# ----------------------------------------------------------------------------------------------------
DUAL_TOL = 1e-11       # a reduced cost below -DUAL_TOL x (|c_j| + |a_j|'|y|) enters
PRIMAL_TOL = 1e-9      # Harris's bound relaxation, times max(1, |bound|)
PIVOT_TOL = 1e-9       # smallest pivot, relative to the largest entry of the direction
PHASE1_TOL = 1e-9      # artificials summing to more than this (times max(1, |row bounds|)) after phase 1: infeasible
REFACTOR = 16          # iterations between recomputations of the basis inverse and the basic values
BLAND_AFTER = 30       # degenerate pivots in a row before an LP switches to Bland's rule
MAX_ITER_PER_ROW = 40  # iteration limit: this many per row, plus the number of local variables
TAIL_FACTOR = 3        # the batch stops once it has run this many times as long as half its LPs took, if at most
TAIL_SHARE = 20        # ... 1 / TAIL_SHARE of them remain (the engine gives those to HiGHS)
ADD_PER_LP = 8         # column generation: columns an LP adds to its group's active set per pricing pass
PRICE_SHARE = 8        # ... and a pass waits until 1 / PRICE_SHARE of the running LPs have nothing to enter
DENSE_MIN_BATCH = 64     # fewer LPs (a max-slack stage's few unsettled DMUs) are HiGHS's: an iteration costs too much
DENSE_ALL_COLUMNS = 400  # the dense simplex prices every candidate column up to this many, else generates columns
PACK_DMUS = 1200        # "dense" jobs of one model are packed into one batch of the dense simplex up to this many DMUs
INTENSITY_CUT = 1e-12   # a dense batch's answer keeps the intensities above this times its largest (at least 1)
# The compiled loop over a dense batch's LPs (dense_kernel.py), used where the call's plans carry the kernel flag
# (kernel.kernel_pays): each LP's iteration limit is this many pivots plus this many per row and column, beyond it the
# LP is HiGHS's; an optimum counts only if its clipped solution meets every row to this fraction of the row's terms
DENSE_KERNEL_ITERATIONS_MIN = 100
DENSE_KERNEL_ITERATIONS_PER_SIZE = 2
DENSE_RESIDUAL_TOL = 1e-10
# ... and "auto" sends a job of at most this many reference columns to it even unpacked (a Malmquist bootstrap's
# replicate jobs, 540-810 DMUs each, are split into chunks, which are not packed): one core, CPU seconds, the radial
# VRS Malmquist bootstrap of the 270 x 12 city panel with B = 8 (reference sets of 270) 3.5-4.2 s against 7.9-8.1 s on
# the restricted path with the kernel; input BCC of 2,000 / 3,000 hard DMUs against themselves (one reference set)
# 0.29-0.31 / 0.60-0.73 s against 0.18-0.20 / 0.37 s there (the loop prices every column, the restricted path a small
# active set), so large reference sets stay on the restricted path
DENSE_KERNEL_MAX = 500

# ----------------------------------------------------------------------------------------------------
# chunks, order, method choice and packing (schedule.py)
# ----------------------------------------------------------------------------------------------------
DEFAULT_CHUNK = 1024    # the largest default chunk (DMUs per task)
# Parallel work, measured with benchmarks/bench_threshold.py (SBM VRS, two bad outputs, pool started, same chunks
# serially and on two workers): dispatching the tasks of a call to running workers costs about 35-60 ms of wall time
# (n = 20..100, where the serial call takes 0.1-0.5 s; on a machine loaded about 10 on 2 cores, where one DMU's LPs
# took about 4 ms), so two free cores pay from about 2 x 45 / 4 = 25 DMUs on. Jobs of SPLIT_MIN DMUs or more are split
# into an even number of balanced chunks (two workers end together) whatever n_jobs is, so results never depend on
# it; splitting costs nothing measurable serially at n = 500..3,000 (each chunk's active set is smaller) and 10% at
# n = 200. Workers start when a call has PARALLEL_MIN DMUs or more in two tasks or more: a 20-fold margin over the
# break-even, as the pool's first start (a cold call) costs about a second more (benchmarks/bench_cold.py). At load
# about 3.5, two workers against one serial chunk: n = 200 1.5x, 500 1.7x, 1,000 1.7x (medians of 3).
SPLIT_MIN = 500
PARALLEL_MIN = 500

ORDER_MIN = 64          # jobs of fewer DMUs are solved in the given order
ORDER_WINDOW = 128     # DMUs chained by nearest neighbours within each window of the Z-order

# "auto" puts every reference column in the model for reference sets of at most FULL_MAX columns: measured with one
# core on the hard data (VRS SBM with bad outputs / input BCC), the full model against column generation took 0.90 /
# 0.75 of the time at 100 DMUs, 0.86 / 0.92 at 200, 0.99 / 1.09 at 300, 1.16 / 1.07 at 500 and 1.48 / 1.46 at 800
FULL_MAX = 200

# "auto" solves LPs of at most DENSE_ROWS rows against reference sets of at most DENSE_MAX DMUs with the batched dense
# simplex (frontier.dense_simplex; column generation inside it above DENSE_ALL_COLUMNS candidates).
# benchmarks/bench_dense.py (one core, hard data, one reference set) timed it against the better of "full" and
# "restricted" at 300 / 1,000 / 2,000 / 3,000 DMUs: input BCC (5 rows) 0.67 / 0.56 / 0.55 / 0.91, output BCC 0.57 /
# 0.62 / 0.67 / 0.69, SBM without bad outputs (6 rows) 0.61 / 0.72 / 0.61 / 0.71, input EBM (5 rows) 0.78 / 0.67 / 0.66
# / 0.84, radial with two weakly disposable bad outputs (7 rows) 0.84 / 0.62 / 0.61 / 0.69; at 6,000 about even (BCC
# 0.93-1.07, SBM 1.02-1.12). VRS SBM with two bad outputs (8 rows, 7 own columns) lost: 0.85 / 1.35 / 1.97 / 2.20 (its
# LPs need many distinct columns, so the shared active set grows to most candidates and the iterations triple).
# Below FULL_MAX DMUs it pays only when jobs are packed (pack_tasks): bootstrap replicates of 50 / 100 / 200 DMUs took
# 0.37 / 0.34 / 0.37 of the full model's time, so small reference sets use it when PACK_MIN_JOBS one-chunk jobs of the
# model come together.
DENSE_MAX = 3000
DENSE_ROWS = 7
PACK_MIN_JOBS = 4

# ----------------------------------------------------------------------------------------------------
# the worker pool (pool.py)
# ----------------------------------------------------------------------------------------------------
# A cold pool: starting joblib's default (loky) workers costs about a second on the 2-core machine (two fresh
# interpreters importing numpy, highspy and the engine: 0.8 s for the pool, then the engine's import in each worker;
# benchmarks/bench_cold.py), more than a call whose LPs take a second or two serially saves on two workers. Starting
# them while the calling process works does not help on two cores (measured: hard BCC at n = 3,000 1.95 s against
# 1.79 s waiting for the pool and 1.2 s serially). So when a call would start a cold pool, its first units of work
# are solved in the calling process (one per thread where threads help: in_process_threads), and the workers start
# only once the time they would save is worth their start-up: the work left, extrapolated from those units, times
# (1 - 1 / workers), added up over the calls kept in the process so far (the ski-rental rule: a session of many
# small calls starts the pool after forgoing about one start-up's worth), above POOL_START_SECONDS. A pool that ran
# within its idle timeout counts as running (warm), and any other joblib backend (threads, Dask, multiprocessing) as
# cheap to start. Threads and workers count only the cores other processes leave free (pool.usable_jobs: at load 10
# on the 2 cores, two threads at n = 1,000 took 1.24x as long as one, a started pool at n = 10,000 1.23x), so a cold
# call on a busy machine stays on one thread. Whoever solves a unit, its answer is the same.
POOL_START_SECONDS = 1.0
# ... decided while the first round runs too, every POOL_POLL_SECONDS: its time so far bounds each of its units' from
# below, so a call of large units (a million-observation GML: a unit of 1,024 DMUs against the global frontier took
# minutes) starts the workers once that bound shows they pay, not after the round
POOL_POLL_SECONDS = 0.05
POOL_IDLE_SECONDS = 300.0      # joblib's loky workers stop after this long idle (its default idle_worker_timeout)
THREADS_MAX = 2     # HiGHS releases the GIL for about half of an LP's time, so more threads would add little

# ----------------------------------------------------------------------------------------------------
# the compiled kernel (kernel.py): the restricted path's LPs of at most KERNEL_ROWS rows, before HiGHS
# ----------------------------------------------------------------------------------------------------
KERNEL = True                   # off: HiGHS solves every LP of the restricted path
KERNEL_ROWS = 12
# Loading numba in a process (its import and the kernel's first call, from numba's cache) costs 0.23-0.25 s of CPU
# (0.34-0.37 s wall; five fresh processes, ninth session; compiling it the first time on a machine: 5-17 s). A cold
# call with the kernel against without it, hard data, n_jobs=1, CPU of the process, medians of 4 alternated rounds
# (ninth session): VRS SBM with bad outputs 0.28 / 0.25 s at 500 DMUs, 0.30 / 0.35 at 750, 0.31 / 0.45 at 1,000,
# 0.41 / 0.93 at 2,000; input BCC 0.31 / 0.11 at 500, 0.29 / 0.19 at 750, 0.30 / 0.30 at 1,000, 0.30 / 0.52 at
# 1,250, 0.33 / 1.17 at 2,000. The kernel pays from about 600 DMUs of SBM and 1,000 of BCC: a call uses it from this
# many DMUs (all its jobs together; 2,000 before that measurement)
KERNEL_MIN_DMUS = 1000
KERNEL_LOAD_SECONDS = 0.3       # ... that loading, which a started worker pays too (pool.map_units' start-up rule)
KERNEL_REFACTOR = 20            # pivots between recomputations of the basis inverse and the basic values
KERNEL_BLAND_AFTER = 30         # degenerate pivots in a row before Bland's rule (no cycling)
KERNEL_PRIMAL_TOL = 1e-9        # a basic value this far outside a bound (times max(1, |bound|)) is infeasible
KERNEL_DUAL_TOL = 1e-11         # a reduced cost enters beyond this times (1 + |c_j| + sum |a_ij y_i|)
KERNEL_PIVOT_TOL = 1e-9         # smallest pivot, relative to the largest entry of the entering column
# an optimal basis is the kernel's answer only if its clipped solution meets every row to this fraction of the row's
# terms (the certificate accepts VERIFY_TOL; on data spanning 1e-8..1e15 a kernel answer missed a row by 2e-8 of its
# terms and its score, 1.1e-8, was not the exact 0; on ordinary data the kernel's rows are met to about 1e-15)
KERNEL_RESIDUAL_TOL = 1e-10
# ... and it solves only LPs whose data (reference columns, own columns, row bounds; the engine's data are scaled per
# variable) span at most this ratio; the rest are HiGHS's as before (the oracle's badly scaled instances span 1e20)
KERNEL_MAX_RANGE = 1e9
KERNEL_ITERATIONS_MIN = 100     # iteration limit: this many plus ...
KERNEL_ITERATIONS_PER_SIZE = 2  # ... this many per row and column; beyond it HiGHS solves the LP
# a kernel call holds the thread until it returns (no Ctrl-C inside it): models of more columns (a restricted model
# grown past its active-set cap, a declared layout priced in full) are HiGHS's; at this size the iteration limit
# bounds a call to about 0.2 s (12 rows x 3,000 columns x 6,100 pivots), where a typical one takes 30-50 microseconds
KERNEL_MAX_COLUMNS = 3000
