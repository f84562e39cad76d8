#!/usr/bin/python3
"""Unit tests of the training code that the figures depend on: the
frequency warp, the window rule, batch-norm folding and int8 quantization.

  /usr/bin/python3 -m unittest discover -s model/train -p 'test_*.py'
"""
import os
import sys
import unittest

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train  # noqa: E402

H = 64


def impulse(channel, row, t=8):
    x = torch.zeros(3, H, t)
    x[channel, row, :] = 1.0
    return x


class WarpTest(unittest.TestCase):
    def test_identity_at_one(self):
        # dsp repeats each of the 12 chroma bins over H/12 rows; the warp
        # reads a bin's first row.
        x = torch.randn(3, H, 16)
        x[1] = torch.randn(12, 16)[[r * 12 // H for r in range(H)]]
        self.assertTrue(torch.equal(train.warp(x, 1.0), x))

    def test_stft_rows_scale_linearly(self):
        # Row r's centre is (r + 0.5) bins: at 1.1 row 20 moves to row 22.
        y = train.warp(impulse(2, 20), 1.1)
        self.assertEqual(int(y[2, :, 0].argmax()), 22)
        y = train.warp(impulse(2, 22), 1 / 1.1)
        self.assertEqual(int(y[2, :, 0].argmax()), 20)

    def test_mel_rows_scale_on_dsps_slaney_scale(self):
        # dsp's bank (librosa htk=False, fmin 0, fmax 8 kHz): H + 2 points
        # equally spaced in Slaney mels; row r's centre is point r + 1.
        sp, logstep = 200 / 3, np.log(6.4) / 27
        mel = lambda f: f / sp if f < 1000 else 15 + np.log(f / 1000) / logstep
        imel = lambda m: m * sp if m < 15 else 1000 * np.exp(logstep * (m - 15))
        centre = lambda r: imel((r + 1) * mel(8000.0) / (H + 1))
        # A ramp (row i holds i) warped holds, in output row r, the
        # fractional source row it reads: the one alpha below in frequency.
        ramp = torch.zeros(3, H, 2)
        ramp[0] = torch.arange(H, dtype=torch.float32)[:, None]
        for alpha in (0.9, 1.1):
            y = train.warp(ramp, alpha)
            for r in range(H):
                want = mel(centre(r) / alpha) / mel(8000.0) * (H + 1) - 1
                if 0 <= want <= H - 1:
                    self.assertAlmostEqual(float(y[0, r, 0]), want, delta=1e-3, msg=f"row {r}, alpha {alpha}")

    def test_chroma_rolls_by_semitones(self):
        bins = [r * 12 // H for r in range(H)]
        rows_of = lambda b: [r for r in range(H) if bins[r] == b]
        x = torch.zeros(3, H, 4)
        x[1, rows_of(11)] = 1.0
        # 1.06 (alpha is rounded to 0.005) is 1.0088 semitones up: B -> C,
        # 0.88 % of it on to C#.
        frac = 12 * np.log2(1.06) - 1
        y = train.warp(x, 1.06)
        for b in range(12):
            want = {0: 1 - frac, 1: frac}.get(b, 0.0)
            self.assertTrue(torch.allclose(y[1, rows_of(b)], torch.full_like(y[1, rows_of(b)], want), atol=1e-5), f"bin {b}")

    def test_warp_keeps_time_and_other_channels_separate(self):
        x = impulse(2, 10)
        y = train.warp(x, 1.05)
        self.assertEqual(float(y[0].abs().sum()), 0.0)
        self.assertEqual(float(y[1].abs().sum()), 0.0)
        self.assertEqual(y.shape, x.shape)


class WindowTest(unittest.TestCase):
    def test_short_clip_is_one_window(self):
        self.assertEqual(list(train.windows(50)), [0])
        self.assertEqual(list(train.windows(train.WIDTH)), [0])

    def test_long_clip_half_overlap_last_flush(self):
        starts = list(train.windows(300))
        self.assertEqual(starts[:3], [0, 64, 128])
        self.assertEqual(starts[-1], 300 - train.WIDTH)
        for a, b in zip(starts, starts[1:]):
            self.assertLessEqual(b - a, train.WIDTH // 2)

    def test_fit_pads_short_clips_with_zeros(self):
        x = torch.ones(3, H, 10)
        y = train.fit(x)
        self.assertEqual(tuple(y.shape), (3, H, train.WIDTH))
        self.assertEqual(float(y.sum()), float(x.sum()))


class ExportTest(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(0)
        self.net = train.Net((8, 8, 8, 8), 0.0, height=H, freq=16).to(memory_format=train.CL)
        for m in self.net.modules():  # non-trivial batch-norm statistics
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 2.0)
                m.weight.data.uniform_(0.5, 1.5)
                m.bias.data.uniform_(-0.2, 0.2)
        self.net.eval()
        self.x = torch.randn(2, 3, H, train.WIDTH)

    def test_folded_net_equals_trained_net(self):
        with torch.no_grad():
            want = self.net(self.x.contiguous(memory_format=train.CL))
            got = train.Folded(train.fold_bn(self.net))(self.x)
        self.assertLess(float((want - got).abs().max()), 1e-4)

    def test_int8_weights_round_trip(self):
        for w, _, _ in train.fold_bn(self.net):
            q, scale = train.quantize(w)
            self.assertEqual(q.dtype, torch.int8)
            self.assertEqual(int(q.abs().flatten(1).max(1).values.min()), 127)  # every channel uses the range
            err = (train.dequant(q, scale) - w).abs()
            self.assertTrue(bool((err <= scale[:, None, None, None] / 2 + 1e-7).all()))


if __name__ == "__main__":
    unittest.main()
