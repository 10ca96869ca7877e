# Writes the hand-made trials.json and cost.json of this fixture:
# /usr/bin/python3 gen.py (deterministic). Accuracies are chosen so that
# some pairs differ clearly and some do not.
import json, random
rng = random.Random(7)
man = json.load(open("results.json"))["manifest"]
T = 200
base = {("svm-sigmoid", "pixels"): 0.33, ("svm-rbf", "pixels"): 0.42, ("svm-linear", "pixels"): 0.40,
        ("svm-sigmoid", "hog"): 0.47, ("svm-rbf", "hog"): 0.52, ("svm-linear", "hog"): 0.49}
params = {"svm-sigmoid": {"alpha": 2**-11, "coef0": -0.5, "C": 8}, "svm-rbf": {"gamma": 2**-7, "C": 8}, "svm-linear": {"C": 0.5}}
# One latent difficulty per test image, shared by every model: paired answers.
diff = [rng.random() for _ in range(T)]
trials = []
def trial(study, model, feats, n, rep, noise, p):
    c = "".join("1" if diff[i] * 0.6 + rng.random() * 0.4 < p + 0.1 else "0" for i in range(T))
    trials.append({"study": study, "model": model, "features": feats, "params": params[model], "n": n, "repeat": rep,
                   "noise": noise, "accuracy": c.count("1") / T, "correct": c, "train_seconds": round(n / 400 + rng.random(), 3), "n_sv": n // 2})
for rep in range(3):
    for n in (250, 500, 1000):
        for (m, f), a in base.items():
            trial("curve", m, f, n, rep, 0, a - 0.05 * (1000 / n - 1) / 3)
for m in ("svm-sigmoid", "svm-rbf", "svm-linear"):
    a = base[(m, "pixels")]
    for v in (0.1, 0.2, 0.4):
        trial("labels", m, "pixels", 1000, 0, v, a * (1 - v * (0.5 if m == "svm-sigmoid" else 0.9)))
    for v in (0.05, 0.1, 0.2):
        trial("pixels", m, "pixels", 1000, 0, v, a * (1 - v))
# The CNNs of results.json scored on the same test images, one run each
# (drawn last so that the SVMs' answers above stay as they were): fixed at
# the curve's largest n, seed at its own training size past the curve.
params["cnn-fixed"] = params["cnn-seed"] = {"epochs": 3, "lr": 0.01, "momentum": 0.9, "batch": 64}
trial("curve", "cnn-fixed", "pixels", 1000, 0, 0, 0.47)
trial("curve", "cnn-seed", "pixels", 5000, 0, 0, 0.30)
# The fixed CNN in the noise studies (the full profile's -noise-cnn): its
# clean reference is its curve trial at the same n.
for v in (0.1, 0.2, 0.4):
    trial("labels", "cnn-fixed", "pixels", 1000, 0, v, 0.47 * (1 - v * 0.8))
for v in (0.05, 0.1, 0.2):
    trial("pixels", "cnn-fixed", "pixels", 1000, 0, v, 0.47 * (1 - 1.5 * v))
for t in trials[-8:]:
    t["n_sv"] = 0
json.dump({"version": 1, "manifest": man, "test_n": T, "test_sha256": "fixture", "trials": trials}, open("trials.json", "w"), indent=1)
cost = {"manifest": man, "n": 2000, "dim": 3072, "repeats": 3, "dot_ns_per_value": 1.9,
        "kernels": [
            {"model": "svm-sigmoid", "params": params["svm-sigmoid"], "map_ns_per_value": 0.61, "gram_ns_per_value": 2.4, "map_share_of_gram": 0.254, "train_seconds": 4.1, "map_share_of_train": 0.0006},
            {"model": "svm-rbf", "params": params["svm-rbf"], "map_ns_per_value": 0.55, "gram_ns_per_value": 2.35, "map_share_of_gram": 0.234, "train_seconds": 3.9, "map_share_of_train": 0.0006},
            {"model": "svm-linear", "params": params["svm-linear"], "map_ns_per_value": 0.05, "gram_ns_per_value": 1.95, "map_share_of_gram": 0.026, "train_seconds": 2.5, "map_share_of_train": 0.0001}]}
json.dump(cost, open("cost.json", "w"), indent=1)
