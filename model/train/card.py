#!/usr/bin/python3
"""Write model/MODEL_CARD.md from the training outputs.

  /usr/bin/python3 model/train/card.py --cv OUT/cv.json --model OUT/emotion.onnx --log OUT/final.log > model/MODEL_CARD.md
"""
import argparse
import json
import os
import re

CORNER = "true \\\\ predicted"
LABELS = ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"]


def pct(x):
    return "–" if x is None else f"{100 * x:.1f}"  # None: a fold or mean not run


def table(rows, head):
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cv", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--cv-log")
    ap.add_argument("--final-log")
    ap.add_argument("--history", default=os.path.join(os.path.dirname(__file__), "history.json"),
                    help="earlier measured runs, for the card's 'what was tried'")
    ap.add_argument("--ablation", default=os.path.join(os.path.dirname(__file__), "ablation.json"),
                    help="./build.sh ablate's summary, for the card's augmentation table")
    a = ap.parse_args()
    cv = json.load(open(a.cv))
    args = cv["args"]
    import onnx
    m = onnx.load(a.model)
    meta = {p.key: p.value for p in m.metadata_props}
    shape = json.loads(meta["input_shape"])
    features = json.loads(meta["features"])
    centred = features.get("center", False)
    stft_bins = features.get("stft_bins", 0)
    stft_text = (f" The log-STFT channel covers only the lowest {stft_bins} of the {features['n_fft'] // 2 + 1} STFT bins "
                 f"(0–{stft_bins * features['sample_rate'] / features['n_fft']:.0f} Hz, `\"stft_bins\"`), {stft_bins / shape[2]:g} bins per row, "
                 "so that the voice's harmonics, and with them its pitch, stay resolved; the log-mel channel covers the whole band."
                 ) if stft_bins else ""
    center_text = ("\nEach log-mel and log-STFT row then has its mean over the clip subtracted (`\"center\": true`): "
                   "the long-term spectrum of the talker, microphone and room goes, how the spectrum moves stays. "
                   "Chroma is left as it is.") if centred else ""

    def walltime(path):
        if not path or not os.path.exists(path):
            return "?"
        t = re.findall(r"wall time (\d+) s", open(path).read())
        return f"{max(map(int, t)) / 60:.1f} min" if t else "?"

    rows = []
    models = [("cnn", "CNN float"), ("cnn_int8", "CNN int8 (shipped)"), ("baseline", "baseline: logistic regression")]
    if "teachers" in cv:
        models.insert(0, ("teachers", f"teachers: ensemble of {args['teachers']} CNNs, float (not shipped)"))
    for key, name in models:
        for f in cv[key]:
            rows.append([name, f"fold {f['fold']} {cv['folds'][f['fold']]}", pct(f["accuracy"]),
                         pct(f["unweighted_accuracy"]), pct(f["macro_f1"])])
        mu = cv[key + "_mean"]
        rows.append([f"**{name}**", "**mean**", f"**{pct(mu['accuracy'])}**",
                     f"**{pct(mu['unweighted_accuracy'])}**", f"**{pct(mu['macro_f1'])}**"])
    history = json.load(open(a.history)) if os.path.exists(a.history) else []
    hrows = [[h["run"], h["settings"], " / ".join(pct(x) for x in h["cnn_int8_ua"]), pct(h["cnn_int8_ua_mean"]),
              pct(h["baseline_ua_mean"])] for h in history]
    hrows.append(["this model", f"{args['epochs']} epochs, mixup {args['mixup']}, class-balanced loss {bool(args.get('balance', 0))}, "
                  f"{'-'.join(map(str, args['widths']))} channels"
                  + (f", frequency block of {args['freq']} channels" if args.get('freq') else ", no frequency block")
                  + (f", distilled from {args['teachers']} teachers" + (" (chained)" if args.get('kd_chain') else "")
                     + (" ({} epochs; student {})".format(*schedule(args)) if schedule(args) != (args['epochs'],) * 2 else "")
                     if args.get('teachers') else "")
                  + (f", frequency warp {args['fwarp']}" if args.get('fwarp') else "")
                  + (f", log-STFT channel over the lowest {stft_bins} bins" if stft_bins else "")
                  + (", log-mel and log-STFT rows centred per clip" if centred else "")
                  + (f", the student and {args['ensemble'] - 1} teacher(s) shipped as one graph (logits averaged)" if args.get('ensemble', 1) > 1 else "")
                  + (f", windows every {args['hop']} frames" if args.get('hop') else ""),
                  " / ".join(pct(f["unweighted_accuracy"]) for f in cv["cnn_int8"]), pct(cv["cnn_int8_mean"]["unweighted_accuracy"]),
                  pct(cv["baseline_mean"]["unweighted_accuracy"])])
    ablation = ablation_section(a.ablation, args)
    variants = variants_section(cv)
    cm = cv["cnn_int8_confusion_total"]
    cmrows = [[LABELS[i]] + cm[i] + [pct(cm[i][i] / max(1, sum(cm[i])))] for i in range(len(LABELS))]

    print(f"""# Model card: speech emotion CNN (int8)

`model/emotion.onnx`, version {meta.get('model_version')}, {os.path.getsize(a.model)} bytes. Written by
`./build.sh train`; this card is generated from the same run (`model/train/card.py`).

## What it does

Classifies a speech clip into one of RAVDESS's eight acted emotions: {', '.join(LABELS)}.
Input: the project's 3-channel spectrogram image (log-mel, chroma, log-STFT; `dsp` package, the
`features` metadata holds the exact configuration) of {shape[2]} rows × {shape[3]} frames
(2.05 s at 16 kHz, hop 256), after trimming silence at the edges (`trim` metadata).{stft_text}{center_text} Clips longer
than one window are covered by windows every {meta.get('window_hop')} frames, the last flush with
the end; their softmax probabilities are averaged. Shorter clips are zero-padded, centred{" (zero is then the clip's mean level)" if centred else ""}.

Architecture: {len(args['widths'])} × (Conv 3×3 → ReLU → MaxPool 2×2) with {args['widths']} channels (batch norm
folded into the convolutions), {freq_text(args, shape)}global average pooling (over {'time' if args.get('freq') else 'frequency and time'}) and a 1×1
convolution to 8 logits.{ensemble_text(args)}
Weights are int8, symmetric, per output channel, stored as ONNX `DequantizeLinear` (QDQ) pairs;
biases and activations are float32.

## Data and licence

RAVDESS speech (Livingstone & Russo 2018, PLoS ONE 13(5): e0196391), actors 01–20, 16 kHz.
Actors 21–24 are held out by the project and never used. **RAVDESS is licensed CC BY-NC-SA 4.0,
and this model, trained on it, inherits those terms: non-commercial use, share-alike, with
attribution.**

## Training

PyTorch (Debian), seeded. Waveform augmentation in Go (`model/augment`, via `emotion featurize`):
speed ±6 %, synthetic room reverberation, white/pink/brown noise at 5–30 dB SNR, gain ±12 dB and an
MP3 round trip (32–128 kbit/s); each file has one clean and several augmented copies, and a
training example is a random copy, randomly cropped to {shape[3]} frames. {fwarp_text(args)}Then SpecAugment (two
frequency and two time masks). AdamW, one-cycle schedule, label smoothing {args['smooth']},
{args['epochs']} epochs, batch {args['batch']}, lr {args['lr']}, mixup α {args['mixup']}, {args['seeds']} seed(s) per fold.
{distill_text(args)}
Wall time on this 2-core machine: cross-validation {walltime(a.cv_log)}, final model {walltime(a.final_log)}.

## Evaluation: speaker-independent only

5-fold cross-validation with folds by actor (four actors each, two male and two female); the same
actor is never in training and test. Metrics on the clean test clips, whole-clip decision.
Unweighted accuracy (UA) is the mean per-class recall. Chance is 12.5 %.

{table(rows, ['model', 'fold (test actors)', 'accuracy %', 'UA %', 'macro-F1 %'])}

Confusion matrix of the shipped int8 model, summed over the five test folds (rows: true label,
columns: predicted, same order; last column recall %):

{table(cmrows, [CORNER] + LABELS + ['recall %'])}

{variants}## What was tried (same folds, int8 UA)

{table(hrows, ['run', 'settings', 'UA % per fold', 'mean UA %', 'baseline UA %'])}

The project's target is a mean UA of 70 %; this model falls short of it (see the table for by how much).
{NOT_MEASURED_ABLATION if not ablation else NOT_MEASURED}{ablation}
The final model is trained on all 20 actors with the same settings; its figures are the
cross-validated ones above, not a score on its own training data.

## Intended use and limits

- A demonstration of private, in-browser speech emotion recognition; not for decisions about people.
- Acted, read English speech from 20 North-American actors, two sentences, studio quality.
  Spontaneous speech, other languages, children, far-field or noisy recordings, and emotions
  outside the eight labels are out of distribution: expect much lower accuracy.
- "Calm" vs "neutral" and "sad" vs "calm"/"neutral" are the usual confusions.
- One label per 2-second window; no speaker or gender information is used or produced.
""")


def ensemble_text(args):
    """The architecture paragraph's sentence on an ensemble in one graph."""
    n = args.get("ensemble", 1)
    if n <= 1:
        return ""
    return (f"\nThe file holds {n} such nets side by side, the distilled student and its first {n - 1} teacher(s)\n"
            f"(see Training), all reading the same image; each head is scaled by 1/{n} and their logits are\n"
            f"added (`Add`), so the output is the mean of their logits ({n}× one net's multiply-adds).")


VARIANT_NAMES = {"student": "the distilled student alone", "ensemble2": "student + teacher 1, logits averaged",
                 "ensemble3": "student + teachers 1 and 2, logits averaged"}


def variants_section(cv):
    """What the same CV run scores for other shippable graphs: the student
    alone or with its teachers, and quarter-window hops."""
    var = cv.get("variants")
    if not var:
        return ""
    rows = []
    for key in sorted(var, key=lambda k: (not k.startswith("student"), k.split("_")[0], "float" in k, k)):
        name, rest = key.split("_", 1)
        kind = ("int8" if "int8" in rest else "float") + (", windows every " + rest.split("hop")[1] + " frames" if "hop" in rest else "")
        rows.append([VARIANT_NAMES.get(name, name), kind, " / ".join(pct(f["unweighted_accuracy"]) for f in var[key]),
                     pct(cv["variants_mean"][key]["unweighted_accuracy"]), pct(cv["variants_mean"][key]["macro_f1"])])
    return f"""## Other graphs from the same training

The same cross-validation run also scores, at no extra training, the nets it trained combined in
one graph (logits averaged, as `train.py --ensemble N` exports them) and windows a quarter of a
window apart instead of half (the model's `window_hop`), on the same clean test clips:

{table(rows, ['graph', 'weights, windows', 'UA % per fold', 'mean UA %', 'macro-F1 %'])}

"""


def fwarp_text(args):
    """The frequency-warp sentence of the training paragraph."""
    f = args.get("fwarp", 0)
    if not f:
        return ""
    return (f"Half the examples are frequency-warped (as VTLP: every frequency scaled by a factor drawn from\n"
            f"U[{1 - f:.2f}, {1 + f:.2f}]: mel rows moved on dsp's Slaney mel scale, STFT rows linearly, chroma rolled by\n"
            f"semitones), so that the training speakers stand for more vocal-tract lengths. ")


def schedule(args):
    """Epochs of each teacher and of the distilled student (0 in the
    arguments: --epochs)."""
    return args.get("teacher_epochs") or args["epochs"], args.get("student_epochs") or args["epochs"]


def distill_text(args):
    """The distillation sentence of the training paragraph."""
    if not args.get("teachers"):
        return "No distillation."
    chain = (" one after another, each after the first itself distilled (as below) from the ones before it\n"
             "(born-again distillation)") if args.get("kd_chain") else ""
    te, se = schedule(args)
    epochs = f" teachers train {te} epochs, the student {se};" if (te, se) != (args["epochs"],) * 2 else ""
    return (f"Distilled: {args['teachers']} nets of the same shape (other seeds) are trained first on the same\n"
            f"actors{chain};{epochs} the shipped net's loss is {args['kd_weight']} × the KL divergence from their mean softmax at\n"
            f"temperature {args['kd_temp']} on the same batch, plus {1 - args['kd_weight']:.1f} × the hard-label loss. The teachers'\n"
            "ensemble is scored too (first rows below): what the student is taught from.")


def freq_text(args, shape):
    """The frequency block's line in the architecture paragraph."""
    if not args.get("freq"):
        return ""
    rows = shape[2] >> len(args["widths"])
    return (f"then a frequency block (Conv {rows}×1 over all {rows} remaining rows → ReLU, {args['freq']} channels:\n"
            "each time step's whole spectrum becomes one vector, so the position of a pattern in frequency,\n"
            "such as pitch height or spectral tilt, survives the pooling), ")


def network_text(ab, args):
    """How the ablation's network compares with the shipped one."""
    net = ab.get("network")
    if net is None or (net["widths"] == args["widths"] and net["freq"] == args.get("freq", 0)):
        return "the shipped settings"
    block = f"a frequency block of {net['freq']} channels" if net["freq"] else "no frequency block"
    return (f"the shipped settings but an earlier network ({'-'.join(map(str, net['widths']))} channels, {block});\n"
            "the ranking of the perturbations, not their exact figures, is what carries over")


def ablation_section(path, args):
    """The augmentation ablation (./build.sh ablate) as a card section, or
    "" when it has not been run."""
    if not path or not os.path.exists(path) or os.path.getsize(path) == 0:
        return ""
    ab = json.load(open(path))
    pol = ab["policies"]
    what = {"none": "none: the clean copy of each file only", "all": "all: the training policy (every perturbation)",
            "speed": "speed alone", "reverb": "reverb alone", "noise": "noise alone", "gain": "gain alone",
            "mp3": "MP3 round trip alone"}
    for p in pol:
        if p.startswith("all-"):
            what[p] = "all but " + ", ".join(p.split("-")[1:])
    perturbed = any("perturbed_ua_mean" in r for r in pol.values())
    rows = [[what.get(p, p), " / ".join(pct(x) for x in r["cnn_int8_ua"]), pct(r["cnn_int8_ua_mean"]),
             "" if p == "none" or "delta_vs_none" not in r else f"{100 * r['delta_vs_none']:+.1f}",
             "" if p == "none" or "folds_better_than_none" not in r else f"{r['folds_better_than_none']} of {len(r['cnn_int8_ua'])}"]
            + ([pct(r.get("perturbed_ua_mean"))] if perturbed else [])
            for p, r in pol.items()]
    head = ['policy', 'UA % per fold', 'mean UA %', 'vs none, points', 'folds better than none']
    if perturbed:
        head.append('mean UA % on perturbed copies')
    scored = [p for p in pol if "perturbed_ua_mean" in pol[p]]
    if scored:
        trade = ("Clean and perturbed test UA side by side (mean %): "
                 + "; ".join(f"{what.get(p, p).split(':')[0]} {pct(pol[p]['cnn_int8_ua_mean'])} clean, "
                             f"{pct(pol[p]['perturbed_ua_mean'])} perturbed" for p in scored) + ".\n"
                 "The perturbations cost clean-test points at this schedule and are what holds the model up on\n"
                 "recordings unlike RAVDESS's (noise above all); the shipped model trains on `all`, since visitors'\n"
                 "clips are such recordings.\n")
    else:
        trade = ("Clean-test accuracy is only half of what augmentation is for: the perturbations model the noise,\n"
                 "rooms, levels and MP3 files of visitors' clips, which this table does not test, and "
                 f"{ab['epochs']} epochs may\nbe too few for the harder, augmented data to pay off.\n")
    perturbed_note = """
The last column scores the same test actors on perturbed recordings: the four augmented copies of
each test file from the `all` data set (every perturbation, the training policy's mix), the same
copies for every row; "–" where that run did not score them.
""" if perturbed else ""
    best = max((p for p in pol if p != "none"), key=lambda p: pol[p].get("delta_vs_none", -1), default=None)
    return f"""
## Which waveform perturbations help (ablation)

`./build.sh ablate`: one data set per augmentation policy (1 clean + {TRAIN_COPIES} augmented copies per
file; a perturbation "alone" is applied to every augmented copy, `all` and "all but" draw each
perturbation with the training policy's probabilities), the same 5 actor folds, a shorter
schedule of {ab['epochs']} epochs (the shipped model: {args['epochs']}), otherwise {network_text(ab, args)}; int8 UA on
the clean test clips. The difference is paired by fold (same test actors); with one seed per fold,
differences of a point or two are within the noise.

{table(rows, head)}
{perturbed_note}
Best single perturbation against clean-only training at this schedule: {best} ({100 * pol[best]['delta_vs_none']:+.1f} points);
costing more than a point of clean-test UA: {', '.join(f"{p} ({100 * pol[p]['delta_vs_none']:+.1f})" for p in pol if pol[p].get('delta_vs_none', 0) < -0.01) or 'none'}.
{trade}"""


TRAIN_COPIES = 4  # build.sh's TRAIN_COPIES, which ablate uses too

NOT_MEASURED_ABLATION = """Not yet measured: the effect of each waveform perturbation on its own (`emotion featurize -policy NAME`
makes the data sets), deeper networks at the full schedule, more or wider teachers, longer
schedules, and a second round of distillation.
"""
NOT_MEASURED = """Not yet measured: deeper networks at the full schedule (at 30 epochs, two convolutions in the
last two blocks did not help), wider teachers (a third teacher of the same shape did not help,
alone or chained), a distillation weight below 0.7 (a weight of 0.9 and a temperature of 4
did not help), a 128-row image at the full schedule (2.3× the training time), and schedules
that would take well over an hour here.
"""


if __name__ == "__main__":
    main()
