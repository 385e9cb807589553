# Optuna's CmaEsSampler and QMCSampler overhead, in the output format of anchors/sampler_overhead.py
# (which has neither row): cumulative wall time of N trials of a free D-dimensional objective.
# CMA-ES needs the `cmaes` module (Debian: python3-cmaes), QMC scipy. Run by sampler-overhead.ts
# beside the shared anchor.
# Measured 2026-12-03 (2 cores, 1000 trials x 5 floats, cumulative s at 100/250/500/1000):
#   Optuna 3.1.0 + cmaes 0.9.1: 0.05 / 0.14 / 0.29 / 0.66; Shoal CmaEsSampler: 0.058 / 0.113 / 0.172 / 0.318.
import sys, time, optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
D = int(sys.argv[2]) if len(sys.argv) > 2 else 5
def obj(t):
    xs = [t.suggest_float(f"x{i}", -5, 5) for i in range(D)]
    return sum(x * x for x in xs)
for name, mk in [("cmaes", lambda: optuna.samplers.CmaEsSampler(seed=0)),
                 ("qmc", lambda: optuna.samplers.QMCSampler(seed=0))]:
    st = optuna.create_study(sampler=mk())
    t0 = time.perf_counter(); marks = {}
    for k in range(N):
        st.optimize(obj, n_trials=1)
        if k + 1 in (100, 250, 500, 1000, 2000): marks[k + 1] = round(time.perf_counter() - t0, 2)
    print(name, f"N={N} D={D}", "cumulative s at trial:", marks, "best", round(st.best_value, 4))
