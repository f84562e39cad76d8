#!/usr/bin/python3
"""Train the emotion CNN speaker-independently and export it as int8 ONNX.

Input: data sets written by `emotion featurize` (the project's own Go DSP):
images.npy [3, H, T] and index.csv (file, actor, label, copy, offset, frames).
Copy 0 of every file is clean; copies 1.. are waveform-augmented.

  /usr/bin/python3 model/train/train.py cv    --data D --out O   # 5-fold CV by actor + baseline
  /usr/bin/python3 model/train/train.py final --data D --out O   # all 20 actors, export ONNX
  /usr/bin/python3 model/train/train.py export --data D --out O --ensemble N  # re-export final's nets

Everything is seeded; see model/MODEL_CARD.md for the figures.
"""
import argparse
import csv
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

LABELS = ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"]
# Folds by actor, four each, two male (odd) and two female (even).
FOLDS = [[2 * k + 1, 2 * k + 2, 2 * k + 11, 2 * k + 12] for k in range(5)]
WIDTH = 128  # model input width in frames (2.05 s at hop 256 / 16 kHz)
# Channels-last tensors: PyTorch's CPU convolutions run about twice as fast
# forward (1.3x a training step) on this machine; the results are the same.
CL = torch.channels_last


# ---------------------------------------------------------------- data


class Dataset:
    """All clip copies in memory: images [3, H, T] and per-copy rows."""

    def __init__(self, d):
        self.img = torch.from_numpy(np.load(os.path.join(d, "images.npy")))
        with open(os.path.join(d, "index.csv")) as f:
            rows = list(csv.DictReader(f))
        self.files = sorted({r["file"] for r in rows})
        fid = {f: i for i, f in enumerate(self.files)}
        self.copies = [[] for _ in self.files]  # file -> [(copy, offset, frames)]
        self.label = np.zeros(len(self.files), dtype=np.int64)
        self.actor = np.zeros(len(self.files), dtype=np.int64)
        for r in rows:
            i = fid[r["file"]]
            self.label[i] = LABELS.index(r["label"])
            self.actor[i] = int(r["actor"])
            self.copies[i].append((int(r["copy"]), int(r["offset"]), int(r["frames"])))
        for c in self.copies:
            c.sort()
        self.height = self.img.shape[1]
        # Row means that centring removed (config "center"): [row of
        # index.csv, log-mel / log-STFT, H]. The baseline adds them back.
        mp = os.path.join(d, "means.npy")
        self.means = torch.from_numpy(np.load(mp)) if os.path.exists(mp) else None
        self.row = {}  # (file, copy) -> row of index.csv
        for k, r in enumerate(rows):
            self.row[fid[r["file"]], int(r["copy"])] = k

    def clip(self, i, copy=0):
        """Image [3, H, frames] of copy `copy` of file i."""
        _, off, n = self.copies[i][copy]
        return self.img[:, :, off:off + n]


def windows(frames, width=WIDTH, hop=None):
    """Window starts covering `frames` columns, hop apart (default: half a
    window), the last flush with the end. The Go inference uses the same
    rule, with the hop from the model's window_hop metadata."""
    if frames <= width:
        return [0]
    starts = list(range(0, frames - width + 1, hop or width // 2))
    if starts[-1] != frames - width:
        starts.append(frames - width)
    return starts


def fit(x, width=WIDTH, start=None):
    """Crop [3, H, n] to width columns from start (random if None), or place
    a shorter clip at column start (centred if None) in zeros, the image's
    floor. Inference (model.Classifier) centres short clips likewise."""
    n = x.shape[2]
    if n >= width:
        s = start if start is not None else np.random.randint(0, n - width + 1)
        return x[:, :, s:s + width]
    out = torch.zeros(x.shape[0], x.shape[1], width)
    s = (width - n) // 2 if start is None else start
    out[:, :, s:s + n] = x
    return out


def window(x, start):
    """The model input for window `start` of a clip (see windows): the
    columns from start, or a clip narrower than one window centred."""
    return fit(x, start=start if x.shape[2] >= WIDTH else (WIDTH - x.shape[2]) // 2)


# Slaney's mel scale, as dsp/mel.go (librosa htk=False): 200/3 Hz per mel
# below 1 kHz, then logarithmic, 27 mels per factor 6.4.
_SP, _LOGSTEP = 200.0 / 3, np.log(6.4) / 27


def slaney_mel(f):
    return f / _SP if f < 1000 else 1000 / _SP + np.log(f / 1000) / _LOGSTEP


def slaney_hz(m):
    return m * _SP if m < 1000 / _SP else 1000 * np.exp(_LOGSTEP * (m - 1000 / _SP))


def warp_matrices(h, alpha):
    """Row-interpolation matrices [h, h] that scale every frequency by alpha
    (a vocal-tract length change, as VTLP): log-mel rows on the mel scale,
    log-STFT rows linear in frequency (from 0 Hz), chroma rolled by
    12·log2(alpha) semitones. Rows beyond the top repeat the top row.
    Mel rows are placed on dsp's Slaney scale (linear below 1 kHz,
    logarithmic above), so each row's centre frequency moves by alpha.
    Round 9 used the HTK formula here by mistake (a row's factor was then
    1.068-1.112 for alpha 1.1); round 11 on use the Slaney centres."""
    def interp(src):  # src[r]: fractional source row of output row r
        m = torch.zeros(h, h)
        for r, q in enumerate(src):
            q = min(max(q, 0.0), h - 1.0)
            i = int(np.floor(q)); f = q - i
            m[r, i] += 1 - f
            if f > 0:
                m[r, i + 1] += f
        return m
    top = slaney_mel(8000.0)
    centres = [slaney_hz((r + 1) * top / (h + 1)) for r in range(h)]
    mmel = interp([slaney_mel(f / alpha) / top * (h + 1) - 1 for f in centres])
    mstft = interp([(r + 0.5) / alpha - 0.5 for r in range(h)])
    shift = 12 * np.log2(alpha)
    bins = [r * 12 // h for r in range(h)]
    mch = torch.zeros(h, h)
    first = [min(r for r in range(h) if bins[r] == b) for b in range(12)]
    for r in range(h):
        q = (bins[r] - shift) % 12
        i = int(np.floor(q)); f = q - i
        mch[r, first[i % 12]] += 1 - f
        mch[r, first[(i + 1) % 12]] += f
    return mmel, mch, mstft


_warps = {}


def warp(x, alpha):
    """x [3, H, T] with every frequency scaled by alpha, rounded to 0.005
    so that the matrices are built once."""
    key = (x.shape[1], round(alpha * 200))
    if key not in _warps:
        _warps[key] = warp_matrices(key[0], key[1] / 200)
    return torch.stack([m @ x[c] for c, m in enumerate(_warps[key])])


def train_batch(ds, idx, p_clean, specaug, fwarp=0.0):
    xs = []
    for i in idx:
        c = 0 if len(ds.copies[i]) == 1 or np.random.rand() < p_clean else np.random.randint(1, len(ds.copies[i]))
        x = ds.clip(i, c)
        n = x.shape[2]
        if n >= WIDTH:
            x = fit(x)
        else:
            x = fit(x, start=np.random.randint(0, WIDTH - n + 1))
        if fwarp > 0 and np.random.rand() < 0.5:
            x = warp(x, float(np.random.uniform(1 - fwarp, 1 + fwarp)))
        if specaug:
            x = x.clone()
            for _ in range(2):
                w = np.random.randint(0, ds.height // 8 + 1)
                f0 = np.random.randint(0, ds.height - w + 1)
                x[:, f0:f0 + w, :] = 0
                w = np.random.randint(0, WIDTH // 8 + 1)
                t0 = np.random.randint(0, WIDTH - w + 1)
                x[:, :, t0:t0 + w] = 0
        xs.append(x)
    return torch.stack(xs).contiguous(memory_format=CL), torch.from_numpy(ds.label[idx])


# ---------------------------------------------------------------- model


class Net(nn.Module):
    """Conv3x3-BN-ReLU-MaxPool blocks, an optional frequency block, global
    average pool, 1x1-conv head. Every operator maps to one that onnx-go's
    gorgonia backend runs (Conv, Relu, MaxPool, GlobalAveragePool, Flatten);
    the head is a 1x1 Conv because gorgonnx's Gemm corrupts its bias on
    reused graphs.

    The frequency block (freq > 0 channels) is a Conv-BN-ReLU whose kernel
    spans every remaining row and one column: each time step's whole
    spectrum becomes one vector before the average over time, so the
    network knows where in frequency a pattern lies (pitch height, spectral
    tilt), which a global average over frequency and time throws away."""

    def __init__(self, widths=(16, 32, 48, 64), drop=0.3, n=len(LABELS), height=128, freq=0):
        super().__init__()
        layers, c = [], 3
        for w in widths:
            layers += [nn.Conv2d(c, w, 3, padding=1, bias=False), nn.BatchNorm2d(w), nn.ReLU(), nn.MaxPool2d(2)]
            c = w
        self.features = nn.Sequential(*layers)
        self.freq = None
        if freq > 0:
            rows = height >> len(widths)
            self.freq = nn.Sequential(nn.Conv2d(c, freq, (rows, 1), bias=False), nn.BatchNorm2d(freq), nn.ReLU())
            c = freq
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.drop = nn.Dropout(drop)
        self.head = nn.Conv2d(c, n, 1)

    def forward(self, x):
        x = self.features(x)
        if self.freq is not None:
            x = self.freq(x)
        return self.head(self.drop(self.pool(x))).flatten(1)


def macs(widths, h, w=WIDTH, freq=0):
    total, c = 0, 3
    for k in widths:
        total += c * k * 9 * h * w
        h, w, c = h // 2, w // 2, k
    if freq > 0:
        total += c * freq * h * w
        c = freq
    return total + c * len(LABELS)


# ---------------------------------------------------------------- metrics


def metrics(y, p, n=len(LABELS)):
    cm = np.zeros((n, n), dtype=np.int64)
    for a, b in zip(y, p):
        cm[a, b] += 1
    recall = cm.diagonal() / np.maximum(cm.sum(1), 1)
    prec = cm.diagonal() / np.maximum(cm.sum(0), 1)
    f1 = np.where(recall + prec > 0, 2 * recall * prec / np.maximum(recall + prec, 1e-12), 0)
    return {"accuracy": float(cm.diagonal().sum() / cm.sum()), "unweighted_accuracy": float(recall.mean()),
            "macro_f1": float(f1.mean()), "confusion": cm.tolist()}


@torch.no_grad()
def predict(net, ds, files, copy=0, hop=None):
    """Clip probabilities: softmax averaged over the clip's windows, of
    copy `copy` of each file (0: the clean one)."""
    net.eval()
    out = []
    for i in files:
        x = ds.clip(i, copy)
        xs = torch.stack([window(x, s) for s in windows(x.shape[2], hop=hop)]).contiguous(memory_format=CL)
        out.append(F.softmax(net(xs), 1).mean(0))
    return torch.stack(out)


# ---------------------------------------------------------------- training


def train(ds, files, args, seed, log=None, teachers=(), epochs=None):
    """One net trained on files for epochs (default args.epochs). With
    teachers (trained nets), the loss is mixed with distillation: the KL
    divergence from the teachers' mean softmax at temperature args.kd_temp
    on the same (mixed, masked) batch, weighted args.kd_weight, the
    hard-label loss the rest."""
    epochs = epochs or args.epochs
    torch.manual_seed(seed)
    np.random.seed(seed)
    net = Net(tuple(args.widths), args.dropout, height=ds.height, freq=args.freq).to(memory_format=CL)
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=args.wd)
    steps = epochs * ((len(files) + args.batch - 1) // args.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps, pct_start=0.2)
    files = np.array(files)
    # Class weights make the loss balanced: RAVDESS has half as many neutral
    # clips as any other emotion, and unweighted accuracy is the target.
    counts = np.bincount(ds.label[files], minlength=len(LABELS)).astype(np.float64)
    weight = torch.tensor(len(files) / (len(LABELS) * np.maximum(counts, 1)), dtype=torch.float32) \
        if args.balance else None
    for ep in range(epochs):
        net.train()
        t0, tot, nb = time.time(), 0.0, 0
        perm = files[np.random.permutation(len(files))]
        for b in range(0, len(files), args.batch):
            idx = perm[b:b + args.batch]
            x, y = train_batch(ds, idx, args.p_clean, args.specaug, args.fwarp)
            if args.mixup > 0:
                lam = float(np.random.beta(args.mixup, args.mixup))
                j = torch.randperm(len(y))
                x = lam * x + (1 - lam) * x[j]
                logits = net(x)
                loss = lam * F.cross_entropy(logits, y, weight=weight, label_smoothing=args.smooth) + \
                    (1 - lam) * F.cross_entropy(logits, y[j], weight=weight, label_smoothing=args.smooth)
            else:
                logits = net(x)
                loss = F.cross_entropy(logits, y, weight=weight, label_smoothing=args.smooth)
            if teachers:
                t = args.kd_temp
                with torch.no_grad():
                    soft = sum(F.softmax(m(x) / t, 1) for m in teachers) / len(teachers)
                kd = F.kl_div(F.log_softmax(logits / t, 1), soft, reduction="batchmean") * t * t
                loss = (1 - args.kd_weight) * loss + args.kd_weight * kd
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot, nb = tot + loss.item(), nb + 1
        if log and (ep % 10 == 9 or ep == epochs - 1):
            log(f"  epoch {ep + 1}/{epochs} loss {tot / nb:.3f} ({time.time() - t0:.1f} s)")
    return net


def train_distilled(ds, files, args, seed, log=None):
    """The shipped net for files: with args.teachers > 0, that many nets
    (seeds seed+1…) are trained first and distilled into it. Returns the
    net and the teachers (eval mode), whose ensemble CV scores too."""
    teachers = []
    for t in range(args.teachers):
        if log:
            log(f" teacher {t + 1}/{args.teachers}")
        # With args.kd_chain, teacher t is itself distilled from teachers
        # 1..t-1 (born-again distillation): a better teacher 2 made the
        # student +0.7 points UA in round 13 (history.json).
        teachers.append(train(ds, files, args, seed + 1 + t, log, teachers if args.kd_chain else (),
                              args.teacher_epochs).eval())
    if teachers and log:
        log(" student")
    # A distilled student keeps learning from its teachers long after
    # hard labels alone would overfit ("patient" distillation), so it may
    # train longer than they do (--student-epochs).
    return train(ds, files, args, seed, log, teachers, args.student_epochs if teachers else None), teachers


# ---------------------------------------------------------------- quantization and export


def fold_all(net, teachers):
    """Folded layers of the student and its teachers, student first: the
    order --ensemble, score_variants and nets.pt count on."""
    return [fold_bn(m.eval()) for m in [net, *teachers]]


def fold_bn(net):
    """Conv layers with batch norm folded in: [(weight, bias, kind)] in order,
    kind "conv" (3×3, followed by Relu, MaxPool), "freq" (unpadded, followed
    by Relu) or "head"."""
    def fold(conv, bn, kind):
        s = bn.weight / torch.sqrt(bn.running_var + bn.eps)
        w = conv.weight * s[:, None, None, None]
        b = bn.bias - bn.running_mean * s
        layers.append((w.detach().float().contiguous(), b.detach().float(), kind))
    layers = []
    mods = list(net.features)
    for k in range(0, len(mods), 4):
        fold(mods[k], mods[k + 1], "conv")
    if net.freq is not None:
        fold(net.freq[0], net.freq[1], "freq")
    layers.append((net.head.weight.detach().float().contiguous(), net.head.bias.detach().float(), "head"))
    return layers


def quantize(w):
    """Symmetric per-output-channel int8: w ≈ q * scale[c]. The Go loader
    computes float32(q) * scale in float32, exactly as dequant() here."""
    amax = w.abs().flatten(1).max(1).values.clamp(min=1e-12)
    scale = (amax / 127).float()
    q = torch.clamp(torch.round(w / scale[:, None, None, None]), -127, 127).to(torch.int8)
    return q, scale


def dequant(q, scale):
    return q.float() * scale[:, None, None, None]


class Folded(nn.Module):
    """The exported network, from folded (and possibly dequantized) layers."""

    def __init__(self, layers):
        super().__init__()
        self.layers = layers

    def forward(self, x):
        for w, b, kind in self.layers:
            if kind == "conv":
                x = F.max_pool2d(F.relu(F.conv2d(x, w, b, padding=1)), 2)
            elif kind == "freq":
                x = F.relu(F.conv2d(x, w, b))
            else:
                x = F.conv2d(F.adaptive_avg_pool2d(x, 1), w, b)
        return x.flatten(1)


class Sum(nn.Module):
    """Several nets as one: the sum of their logits, as the exported graph
    adds them (Add)."""

    def __init__(self, nets):
        super().__init__()
        self.nets = nets

    def forward(self, x):
        return sum(n(x) for n in self.nets)


def scale_heads(nets_layers):
    """The folded layers of n nets with each head's weight and bias divided
    by n, so that the sum of their logits is the mean."""
    n = len(nets_layers)
    return [[(w / n, b / n, k) if k == "head" else (w, b, k) for w, b, k in layers] for layers in nets_layers]


def shipped(nets_layers, int8=True):
    """The exported network, from the folded layers of one net or several
    (the student first, then teachers): the mean of their logits."""
    nets = [Folded(int8_layers(l) if int8 else l) for l in scale_heads(nets_layers)]
    return nets[0] if len(nets) == 1 else Sum(nets)


def int8_layers(layers):
    return [(dequant(*quantize(w)), b, k) for w, b, k in layers]


def export_onnx(nets_layers, path, height, meta):
    """Write the int8 QDQ model: each weight an int8 initializer with a
    per-channel scale and zero point, through DequantizeLinear(axis=0).
    Several nets read the same input and their logits, each head scaled
    by 1/n, are added: the graph computes their mean."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    nodes, inits, outs = [], [], []
    for j, layers in enumerate(scale_heads(nets_layers)):
        x = "input"
        pre = "" if len(nets_layers) == 1 else f"n{j}"
        for i, (w, b, kind) in enumerate(layers):
            q, scale = quantize(w)
            n = f"{pre}l{i}"
            inits += [numpy_helper.from_array(q.numpy(), n + "_wq"),
                      numpy_helper.from_array(scale.numpy().astype(np.float32), n + "_wscale"),
                      numpy_helper.from_array(np.zeros(len(scale), np.int8), n + "_wzero"),
                      numpy_helper.from_array(b.numpy().astype(np.float32), n + "_b")]
            nodes.append(helper.make_node("DequantizeLinear", [n + "_wq", n + "_wscale", n + "_wzero"], [n + "_w"], axis=0))
            if kind == "conv":
                nodes += [helper.make_node("Conv", [x, n + "_w", n + "_b"], [n + "_conv"], kernel_shape=[3, 3],
                                           pads=[1, 1, 1, 1], strides=[1, 1]),
                          helper.make_node("Relu", [n + "_conv"], [n + "_relu"]),
                          helper.make_node("MaxPool", [n + "_relu"], [n + "_pool"], kernel_shape=[2, 2], strides=[2, 2])]
                x = n + "_pool"
            elif kind == "freq":
                nodes += [helper.make_node("Conv", [x, n + "_w", n + "_b"], [n + "_conv"], kernel_shape=list(w.shape[2:]),
                                           pads=[0, 0, 0, 0], strides=[1, 1]),
                          helper.make_node("Relu", [n + "_conv"], [n + "_relu"])]
                x = n + "_relu"
            else:
                out = "logits" if len(nets_layers) == 1 else pre + "_logits"
                nodes += [helper.make_node("GlobalAveragePool", [x], [pre + "gap"]),
                          helper.make_node("Conv", [pre + "gap", n + "_w", n + "_b"], [n + "_conv"], kernel_shape=[1, 1]),
                          helper.make_node("Flatten", [n + "_conv"], [out], axis=1)]
                outs.append(out)
    # Summed in the order Sum does (((a + b) + c)), so that float32 agrees.
    acc = outs[0]
    for j, o in enumerate(outs[1:], 1):
        name = "logits" if j == len(outs) - 1 else f"sum{j}"
        nodes.append(helper.make_node("Add", [acc, o], [name]))
        acc = name
    graph = helper.make_graph(nodes, "emotion", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, height, WIDTH])],
                              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, len(LABELS)])], inits)
    model = helper.make_model(graph, producer_name="emotion/model/train", opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    for k, v in meta.items():
        model.metadata_props.append(onnx.StringStringEntryProto(key=k, value=v))
    onnx.checker.check_model(model)
    onnx.save(model, path)


# ---------------------------------------------------------------- baseline


def baseline(ds, tr, te, seed):
    """Logistic regression on the mean and standard deviation over time of
    each log-mel row of the clean, trimmed clip (before any centring)."""
    def mean(i):
        m = ds.clip(i)[0].mean(1)
        return m if ds.means is None else m + ds.means[ds.row[i, 0], 0]

    def feats(files):
        return torch.stack([torch.cat([mean(i), ds.clip(i)[0].std(1)]) for i in files])
    torch.manual_seed(seed)
    xtr, xte = feats(tr), feats(te)
    mu, sd = xtr.mean(0), xtr.std(0) + 1e-6
    xtr, xte = (xtr - mu) / sd, (xte - mu) / sd
    ytr = torch.from_numpy(ds.label[tr])
    lin = nn.Linear(xtr.shape[1], len(LABELS))
    opt = torch.optim.LBFGS(lin.parameters(), max_iter=500)

    def closure():
        opt.zero_grad()
        loss = F.cross_entropy(lin(xtr), ytr) + 1e-2 * lin.weight.pow(2).sum()
        loss.backward()
        return loss
    opt.step(closure)
    with torch.no_grad():
        return lin(xte).argmax(1).numpy()


# ---------------------------------------------------------------- commands


def summarize(folds):
    keys = ["accuracy", "unweighted_accuracy", "macro_f1"]
    return {k: float(np.mean([f[k] for f in folds])) for k in keys}


def perturbed_metrics(nets, pds, names, y):
    """Metrics over every augmented copy (1…) of the named files in pds,
    pooled: each copy is one more test clip with its file's label. The
    nets' probabilities are summed, as for the clean test clips."""
    idx = [pds.files.index(n) for n in names]
    ncopies = min(len(pds.copies[i]) for i in idx)
    if ncopies < 2:
        sys.exit("cv: --perturbed data has no augmented copies")
    ys, ps = [], []
    for c in range(1, ncopies):
        ps.append(sum(predict(net, pds, idx, c) for net in nets).argmax(1).numpy())
        ys.append(y)
    return metrics(np.concatenate(ys), np.concatenate(ps))


def cmd_cv(args, log):
    ds = Dataset(args.data)
    pds = Dataset(args.perturbed) if args.perturbed else None
    res = {"folds": FOLDS, "cnn": [], "cnn_int8": [], "baseline": [], "args": vars(args)}
    folds = args.folds if args.folds else list(range(len(FOLDS)))
    for k in folds:
        test = [i for i in range(len(ds.files)) if ds.actor[i] in FOLDS[k]]
        tr = [i for i in range(len(ds.files)) if ds.actor[i] not in FOLDS[k] and ds.actor[i] <= 20]
        t0 = time.time()
        log(f"fold {k}: test actors {FOLDS[k]}, {len(tr)} train / {len(test)} test files")
        y = ds.label[test]
        probs, nets8 = 0, []
        for s in range(args.seeds):
            net, teachers = train_distilled(ds, tr, args, args.seed + 1000 * k + 100 * s, log)
            if teachers and s == 0:
                # What the student is taught from: the teachers' ensemble (float).
                mt = metrics(y, sum(predict(m, ds, test) for m in teachers).argmax(1).numpy())
                mt["fold"] = k
                res.setdefault("teachers", []).append(mt)
                log(f"fold {k}: UA of the {len(teachers)} teachers' ensemble (float) {mt['unweighted_accuracy']:.3f}")
            trained = fold_all(net, teachers)
            nets8.append(shipped(trained[:args.ensemble]))
            probs = probs + predict(nets8[-1], ds, test, hop=args.hop)
            if s == 0:
                pf = predict(shipped(trained[:args.ensemble], int8=False), ds, test, hop=args.hop)
                for name, m in score_variants(ds, test, y, trained).items():
                    m["fold"] = k
                    res.setdefault("variants", {}).setdefault(name, []).append(m)
                    log(f"fold {k}: UA of variant {name} {m['unweighted_accuracy']:.3f}")
        m8 = metrics(y, probs.argmax(1).numpy())
        mf = metrics(y, pf.argmax(1).numpy())
        mb = metrics(y, baseline(ds, tr, test, args.seed))
        for key, m in (("cnn", mf), ("cnn_int8", m8), ("baseline", mb)):
            m["fold"] = k
            res[key].append(m)
        if pds is not None:
            # The same perturbed copies of the test files for every policy:
            # how well the model holds up on recordings unlike RAVDESS's.
            mp = perturbed_metrics(nets8, pds, [ds.files[i] for i in test], y)
            mp["fold"] = k
            res.setdefault("cnn_int8_perturbed", []).append(mp)
            log(f"fold {k}: int8 UA on perturbed test copies {mp['unweighted_accuracy']:.3f}")
        log(f"fold {k}: UA float {mf['unweighted_accuracy']:.3f} int8 {m8['unweighted_accuracy']:.3f} "
            f"baseline {mb['unweighted_accuracy']:.3f} ({time.time() - t0:.0f} s)")
    name = "cv.json" if len(folds) == len(FOLDS) else "cv-" + "-".join(map(str, folds)) + ".json"
    finish_cv(res, os.path.join(args.out, name), log)


def score_variants(ds, test, y, nets_layers):
    """Metrics of other networks that the same training gives, at no
    training cost: the student alone, the student with its first k-1
    teachers as one graph (int8 and float), each also with windows a
    quarter (not half) of a window apart."""
    out = {}
    for k in range(1, len(nets_layers) + 1):
        name = "student" if k == 1 else f"ensemble{k}"
        for int8 in (True, False):
            net = shipped(nets_layers[:k], int8)
            for hop in (None, WIDTH // 4):
                if not int8 and hop:
                    continue
                key = name + ("_int8" if int8 else "_float") + (f"_hop{hop}" if hop else "")
                out[key] = metrics(y, predict(net, ds, test, hop=hop).argmax(1).numpy())
    return out


# The per-fold score lists a cv.json may hold; finish_cv and merge treat them alike.
SCORES = ("cnn", "cnn_int8", "baseline", "cnn_int8_perturbed", "teachers")


def finish_cv(res, path, log):
    """Means over the folds present, the summed int8 confusion, and write."""
    total = np.zeros((len(LABELS), len(LABELS)), dtype=np.int64)
    for f in res["cnn_int8"]:
        total += np.array(f["confusion"])
    for key in SCORES:
        if key not in res:
            continue
        res[key] = sorted(res[key], key=lambda f: f["fold"])
        res[key + "_mean"] = summarize(res[key])
    for name, folds in res.get("variants", {}).items():
        res["variants"][name] = sorted(folds, key=lambda f: f["fold"])
        res.setdefault("variants_mean", {})[name] = summarize(folds)
    res["cnn_int8_confusion_total"] = total.tolist()
    log("mean: " + json.dumps({k: res[k + "_mean"] for k in ("cnn", "cnn_int8", "baseline")}))
    with open(path, "w") as f:
        json.dump(res, f, indent=1)


def cmd_merge(args, log):
    """Combine cv-*.json from runs over disjoint folds into cv.json."""
    parts = [json.load(open(os.path.join(args.out, p))) for p in sorted(os.listdir(args.out))
             if p.startswith("cv-") and p.endswith(".json")]
    res = parts[0]
    for p in parts[1:]:
        for key in SCORES:
            if key in p:
                res.setdefault(key, [])
                res[key] += p[key]
        for name, folds in p.get("variants", {}).items():
            res.setdefault("variants", {}).setdefault(name, [])
            res["variants"][name] += folds
    if sorted(f["fold"] for f in res["cnn"]) != list(range(len(FOLDS))):
        sys.exit(f"merge: folds {[f['fold'] for f in res['cnn']]} do not cover all {len(FOLDS)}")
    res["args"]["folds"] = None
    finish_cv(res, os.path.join(args.out, "cv.json"), log)
    # The final model trains while the folds do (build.sh runs them side by
    # side), so its cv_metrics are stamped in here, once all folds are known.
    path = os.path.join(args.out, "emotion.onnx")
    if os.path.exists(path):
        stamp_cv(path, os.path.join(args.out, "cv.json"))
        log(f"stamped the CV means into {path}")


def cv_means(path):
    with open(path) as f:
        c = json.load(f)
    return {k: c[k + "_mean"] for k in ("cnn", "cnn_int8", "baseline")}


def stamp_cv(model_path, cv_path):
    """Set the model's cv_metrics metadata to the means in cv_path."""
    import onnx
    m = onnx.load(model_path)
    for p in m.metadata_props:
        if p.key == "cv_metrics":
            p.value = json.dumps(cv_means(cv_path))
    onnx.save(m, model_path)


def cmd_final(args, log):
    ds = Dataset(args.data)
    files = [i for i in range(len(ds.files)) if ds.actor[i] <= 20]
    net, teachers = train_distilled(ds, files, args, args.seed, log)
    # Every trained net's folded layers, so that `export` can ship another
    # ensemble of them without training again.
    trained = fold_all(net, teachers)
    torch.save(trained, os.path.join(args.out, "nets.pt"))
    export(args, ds, log, trained)


def cmd_export(args, log):
    """Write emotion.onnx and the test vectors from the nets that `final`
    saved, with --ensemble and --hop as given."""
    export(args, Dataset(args.data), log, torch.load(os.path.join(args.out, "nets.pt")))


def export(args, ds, log, nets_layers):
    """emotion.onnx and the test vectors from the folded layers of the
    trained nets (student first): the first --ensemble of them."""
    if not 1 <= args.ensemble <= len(nets_layers):
        sys.exit(f"export: --ensemble {args.ensemble}, but {len(nets_layers)} nets were trained")
    nets_layers = nets_layers[:args.ensemble]
    cv = cv_means(args.cv) if args.cv and os.path.exists(args.cv) else {}
    with open(os.path.join(args.data, "config.json")) as f:
        features = f.read()
    with open(os.path.join(args.data, "trim.json")) as f:
        trim = f.read()
    meta = {"labels": json.dumps(LABELS), "features": features, "trim": trim, "input_shape": json.dumps([1, 3, ds.height, WIDTH]),
            "window_hop": str(args.hop or WIDTH // 2), "model_version": args.version, "cv_metrics": json.dumps(cv),
            "license": "CC BY-NC-SA 4.0 (trained on RAVDESS)"}
    path = os.path.join(args.out, "emotion.onnx")
    export_onnx(nets_layers, path, ds.height, meta)
    # Test vectors for the Go parity tests: a few real windows and their logits.
    rng = np.random.default_rng(args.seed)
    picks = rng.choice(len(ds.files), 4, replace=False)
    xs = torch.stack([window(ds.clip(int(i)), 0) for i in picks])
    with torch.no_grad():
        lf, lq = shipped(nets_layers, int8=False)(xs), shipped(nets_layers)(xs)
    np.save(os.path.join(args.out, "testvec_input.npy"), xs.numpy().astype(np.float32))
    np.save(os.path.join(args.out, "testvec_logits_int8.npy"), lq.numpy().astype(np.float32))
    np.save(os.path.join(args.out, "testvec_logits_float.npy"), lf.numpy().astype(np.float32))
    log(f"wrote {path} ({os.path.getsize(path)} bytes), {len(nets_layers)} net(s), "
        f"{len(nets_layers) * macs(args.widths, ds.height, freq=args.freq) / 1e6:.1f} M MACs per window")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["cv", "final", "merge", "export"])
    ap.add_argument("--data")
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=int, default=100)
    ap.add_argument("--teacher-epochs", type=int, default=0, help="epochs of each teacher (0: --epochs)")
    ap.add_argument("--student-epochs", type=int, default=0, help="epochs of a distilled student (0: --epochs)")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--wd", type=float, default=1e-3)
    ap.add_argument("--dropout", type=float, default=0.3)
    ap.add_argument("--smooth", type=float, default=0.1)
    ap.add_argument("--mixup", type=float, default=0.2)
    ap.add_argument("--p-clean", type=float, default=0.3)
    ap.add_argument("--specaug", type=int, default=1)
    ap.add_argument("--fwarp", type=float, default=0.1, help="frequency warp: scale by U[1-f, 1+f] on half the examples (0: none)")
    ap.add_argument("--balance", type=int, default=1, help="class-balanced loss weights")
    ap.add_argument("--widths", type=int, nargs="+", default=[16, 32, 48, 64])
    ap.add_argument("--freq", type=int, default=128, help="channels of the frequency block (0: none)")
    ap.add_argument("--teachers", type=int, default=2, help="nets trained first and distilled into each shipped one (0: none)")
    ap.add_argument("--kd-chain", type=int, default=1, help="1: each teacher after the first is distilled from the ones before it (0: teachers trained alone)")
    ap.add_argument("--kd-weight", type=float, default=0.7, help="share of the distillation term in the loss")
    ap.add_argument("--kd-temp", type=float, default=2.0, help="softmax temperature of distillation")
    ap.add_argument("--ensemble", type=int, default=1, help="nets in the shipped graph: the student and the first n-1 teachers, logits averaged")
    ap.add_argument("--hop", type=int, default=0, help="frames between the windows of a clip (0: half a window)")
    ap.add_argument("--seeds", type=int, default=1, help="models per fold, probabilities averaged")
    ap.add_argument("--folds", type=int, nargs="*")
    ap.add_argument("--perturbed", help="cv: also score the test files' augmented copies in this featurized data set")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1, help="Debian's torch runs one thread; build.sh runs processes in parallel")
    ap.add_argument("--cv", help="cv.json whose means go into the model metadata")
    ap.add_argument("--version", default="1")
    args = ap.parse_args()
    if not 1 <= args.ensemble <= args.teachers + 1:
        ap.error(f"--ensemble {args.ensemble}: want 1 to {args.teachers + 1} (the student and its --teachers {args.teachers})")
    torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)
    logf = open(os.path.join(args.out, f"{args.cmd}.log"), "a")

    def log(s):
        print(s, flush=True)
        logf.write(s + "\n")
        logf.flush()
    log(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(sys.argv[1:])}")
    t0 = time.time()
    {"cv": cmd_cv, "final": cmd_final, "merge": cmd_merge, "export": cmd_export}[args.cmd](args, log)
    log(f"wall time {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
