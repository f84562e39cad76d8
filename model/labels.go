// Package model holds the emotion model: its labels, feature
// configuration, loader and inference.
package model

import (
	"strconv"
	"strings"

	"emotion/dsp"
)

// Labels are RAVDESS's eight emotions, in the order of its codes 01–08
// and of the model's outputs. Every interface uses these strings.
var Labels = []string{"neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"}

// FeatureConfig is the feature configuration the model is trained on: the
// reference configuration with 64 mel bands and a 64-row image, which
// halves the CNN's work in the browser against 128 rows; a log-STFT
// channel over the lowest 128 bins (0–2 kHz, 31 Hz per row), where the
// voice's harmonics stay resolved (over all 513 bins a row spans 125 Hz);
// and rows centred per clip (dsp.Plan.CenterRows), which removes the
// talker's and the microphone's long-term spectrum.
func FeatureConfig() dsp.Config {
	c := dsp.Reference()
	c.NMels = 64
	c.Height = 64
	c.STFTBins = 128
	c.Center = true
	return c
}

// ParseRAVDESSName reads the label index (0–7) and the actor (1–24) from
// a RAVDESS file name, 03-01-EE-II-SS-RR-AA.wav; ok is false for any
// other name, including RAVDESS song files (vocal channel 02).
func ParseRAVDESSName(name string) (label, actor int, ok bool) {
	name, found := strings.CutSuffix(name, ".wav")
	if !found {
		return 0, 0, false
	}
	f := strings.Split(name, "-")
	if len(f) != 7 || f[0] != "03" || f[1] != "01" {
		return 0, 0, false
	}
	e, err1 := strconv.Atoi(f[2])
	a, err2 := strconv.Atoi(f[6])
	if err1 != nil || err2 != nil || e < 1 || e > len(Labels) || a < 1 || a > 24 {
		return 0, 0, false
	}
	return e - 1, a, true
}
