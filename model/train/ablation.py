"""Summarise ./build.sh ablate: one 5-fold CV per augmentation policy.

Reads DIR/POLICY/cv.json for each policy named on the command line and
prints JSON: per policy the int8 and float unweighted accuracy per fold
and their means, and the difference from the "none" policy fold by fold
(the folds are the same actors, so the paired difference is the fair
comparison; its spread says how much of a difference is noise); and,
where the CV scored them (train.py cv --perturbed), the UA on the same
perturbed copies of the test files for every policy.
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
    ap.add_argument("policies", nargs="*", help="default: every DIR/POLICY/cv.json, none and all first")
    args = ap.parse_args()
    if not args.policies:
        found = sorted(p for p in os.listdir(args.dir) if os.path.exists(os.path.join(args.dir, p, "cv.json")))
        order = ["none", "all", "speed", "reverb", "noise", "gain", "mp3"]
        args.policies = [p for p in order if p in found] + [p for p in found if p not in order]
    res = {"epochs": args.epochs, "policies": {}}
    ua = {}
    for p in args.policies:
        path = os.path.join(args.dir, p, "cv.json")
        if not os.path.exists(path):
            sys.exit(f"ablation: {path} is missing (did every fold of policy {p} finish?)")
        with open(path) as f:
            cv = json.load(f)
        ua[p] = np.array([f["unweighted_accuracy"] for f in cv["cnn_int8"]])
        # The network the ablation ran on, which the card compares with the shipped one.
        res.setdefault("network", {"widths": cv["args"]["widths"], "freq": cv["args"].get("freq", 0)})
        res["policies"][p] = {
            "cnn_int8_ua": [round(float(v), 4) for v in ua[p]],
            "cnn_int8_ua_mean": round(float(ua[p].mean()), 4),
            "cnn_ua_mean": round(float(cv["cnn_mean"]["unweighted_accuracy"]), 4),
        }
        if "cnn_int8_perturbed" in cv:
            pu = [f["unweighted_accuracy"] for f in cv["cnn_int8_perturbed"]]
            res["policies"][p]["perturbed_ua"] = [round(float(v), 4) for v in pu]
            res["policies"][p]["perturbed_ua_mean"] = round(float(np.mean(pu)), 4)
    if "none" in ua:
        for p, v in ua.items():
            d = v - ua["none"]
            res["policies"][p]["delta_vs_none"] = round(float(d.mean()), 4)
            res["policies"][p]["folds_better_than_none"] = int((d > 0).sum())
    json.dump(res, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
