"""Summarise ./build.sh ablate: one 5-fold CV per augmentation policy.

Reads DIR/POLICY/cv.json for each policy named on the command line and
prints JSON: per policy the int8 and float unweighted accuracy per fold
and their means, and the difference from the "none" policy fold by fold
(the folds are the same actors, so the paired difference is the fair
comparison; its spread says how much of a difference is noise).
"""
import argparse
import json
import os
import sys

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--epochs", type=int, required=True)
    ap.add_argument("policies", nargs="+")
    args = ap.parse_args()
    res = {"epochs": args.epochs, "policies": {}}
    ua = {}
    for p in args.policies:
        path = os.path.join(args.dir, p, "cv.json")
        if not os.path.exists(path):
            sys.exit(f"ablation: {path} is missing (did every fold of policy {p} finish?)")
        with open(path) as f:
            cv = json.load(f)
        ua[p] = np.array([f["unweighted_accuracy"] for f in cv["cnn_int8"]])
        res["policies"][p] = {
            "cnn_int8_ua": [round(float(v), 4) for v in ua[p]],
            "cnn_int8_ua_mean": round(float(ua[p].mean()), 4),
            "cnn_ua_mean": round(float(cv["cnn_mean"]["unweighted_accuracy"]), 4),
        }
    if "none" in ua:
        for p, v in ua.items():
            d = v - ua["none"]
            res["policies"][p]["delta_vs_none"] = round(float(d.mean()), 4)
            res["policies"][p]["folds_better_than_none"] = int((d > 0).sum())
    json.dump(res, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
