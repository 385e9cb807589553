# Optuna's multi-objective samplers' time per trial: N trials of ZDT1 (2 objectives, 6 floats,
# objective ~free), ask/tell, for NSGA-II and TPE (MOTPE), as bench/mo-quality.ts times Shoal's.
# Prints "<sampler> ms/trial <x>" lines. Run by mo-quality.ts --live-anchor.
import math, sys, time, warnings
import optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.filterwarnings("ignore")
N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000

def zdt1(t):
    x = [t.suggest_float(f"x{i}", 0, 1) for i in range(6)]
    g = 1 + 9 * sum(x[1:]) / 5
    return x[0], g * (1 - math.sqrt(x[0] / g))

for name, make in [("nsga2", lambda: optuna.samplers.NSGAIISampler(seed=0)), ("tpe", lambda: optuna.samplers.TPESampler(seed=0))]:
    study = optuna.create_study(directions=["minimize", "minimize"], sampler=make())
    t0 = time.perf_counter()
    study.optimize(zdt1, n_trials=N)
    print(name, "ms/trial", round((time.perf_counter() - t0) * 1000 / N, 2), flush=True)
print("version", optuna.__version__)
