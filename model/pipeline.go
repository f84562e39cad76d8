package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"emotion/dsp"
	"emotion/dsp/audio"
)

// MinSpeech is the shortest speech, after trimming silence, that the
// classifier accepts: below it there is too little voice for an emotion.
const MinSpeech = 0.3 // seconds

// Errors of the pipeline besides those of audio.Decode.
var (
	ErrNoSpeech = dsp.ErrNoSpeech
	ErrTooShort = errors.New("too little speech to classify")
)

// Code returns the stable machine-readable code of a pipeline error: the
// codes of audio.Code, "no_speech", "too_short", "" for nil and "error"
// for anything else. The CLI's JSON and the JavaScript API use it.
func Code(err error) string {
	switch c := audio.Code(err); {
	case c != "error":
		return c
	case errors.Is(err, ErrNoSpeech):
		return "no_speech"
	case errors.Is(err, ErrTooShort):
		return "too_short"
	default:
		return c
	}
}

// Segment is the answer for one window of a clip longer than one window.
type Segment struct {
	Start         float64            `json:"start"` // seconds from the start of the file
	End           float64            `json:"end"`
	Label         string             `json:"label"`
	Probabilities map[string]float64 `json:"probabilities"`
}

// Result is the answer for one clip; the CLI's -json output and the
// JavaScript API use this structure.
type Result struct {
	Label         string             `json:"label"`
	Confidence    float64            `json:"confidence"` // probability of Label
	Probabilities map[string]float64 `json:"probabilities"`
	Duration      float64            `json:"duration"`     // seconds of audio in the file
	SpeechStart   float64            `json:"speech_start"` // the part classified, after trimming silence
	SpeechEnd     float64            `json:"speech_end"`
	Segments      []Segment          `json:"segments,omitempty"` // one per window, when there are several
}

// Classifier runs the whole pipeline: decode, trim, image, windows,
// model. It keeps its buffers between calls, so a page or a CLI run
// allocates little per clip; calls are serialised.
type Classifier struct {
	m    *Model
	plan *dsp.Plan
	trim dsp.TrimConfig

	mu   sync.Mutex
	feat dsp.Features
	win  []float32 // one window, [3][H][W]
}

// NewClassifier prepares the pipeline for m, with the features and
// trimming stored in the model file.
func NewClassifier(m *Model) (*Classifier, error) {
	plan, err := dsp.NewPlan(m.Features)
	if err != nil {
		return nil, err
	}
	trim, err := m.TrimConfig()
	if err != nil {
		return nil, err
	}
	return &Classifier{m: m, plan: plan, trim: trim, win: make([]float32, m.InputLen())}, nil
}

// TrimConfig is the silence trimming the model was trained with: its trim
// metadata, or dsp.DefaultTrim for a file without one. Everything that
// shows or classifies a clip trims with it.
func (m *Model) TrimConfig() (dsp.TrimConfig, error) {
	trim := dsp.DefaultTrim()
	if len(m.Trim) > 0 {
		if err := json.Unmarshal(m.Trim, &trim); err != nil {
			return trim, fmt.Errorf("model: metadata trim: %w", err)
		}
	}
	return trim, trim.Validate()
}

// Classify decodes a WAV or MP3 file and classifies it.
func (c *Classifier) Classify(data []byte, lim audio.Limits) (*Result, error) {
	clip, err := audio.Decode(data, lim)
	if err != nil {
		return nil, err
	}
	return c.ClassifySamples(clip.Samples)
}

// ClassifySamples classifies mono samples at the model's sample rate.
func (c *Classifier) ClassifySamples(x []float32) (*Result, error) {
	return c.ClassifySamplesEach(x, nil)
}

// EachWindow is told after every model window of a clip: done of total
// windows, and the window's segment (nil when the clip has one window).
// A long clip's segments can so be shown as they come.
type EachWindow func(done, total int, seg *Segment)

// ClassifySamplesEach is ClassifySamples calling each (if not nil) after
// every window, from the calling goroutine.
func (c *Classifier) ClassifySamplesEach(x []float32, each EachWindow) (*Result, error) {
	return c.ClassifySamplesWith(x, Hooks{Window: each})
}

// Hooks are told about a clip while it is classified, from the calling
// goroutine; nil fields are skipped.
type Hooks struct {
	// Image gets the trimmed clip's whole image, once, before the first
	// window: a page can draw it while the model works, without computing
	// it a second time. f and its slices are valid during the call only.
	Image func(f *dsp.Features, speechStart, speechEnd float64)
	// Window is told after every model window.
	Window EachWindow
}

// ClassifySamplesWith is ClassifySamples calling h's hooks.
func (c *Classifier) ClassifySamplesWith(x []float32, h Hooks) (*Result, error) {
	each := h.Window
	c.mu.Lock()
	defer c.mu.Unlock()
	rate := float64(c.m.Features.SampleRate)
	res := &Result{Duration: float64(len(x)) / rate}
	la, lb, err := c.trim.Loud(x)
	if err != nil {
		return nil, err
	}
	if float64(lb-la)/rate < MinSpeech {
		return nil, fmt.Errorf("%w: %.2f s of sound, need %.1f s", ErrTooShort, float64(lb-la)/rate, MinSpeech)
	}
	a, b := c.trim.Widen(la, lb, len(x))
	res.SpeechStart, res.SpeechEnd = float64(a)/rate, float64(b)/rate
	if err := c.plan.ComputeImage(x[a:b], &c.feat); err != nil {
		return nil, err
	}
	if h.Image != nil {
		h.Image(&c.feat, res.SpeechStart, res.SpeechEnd)
	}
	// After the hook, which draws the image as computed: the model's input
	// has its rows centred if its feature configuration says so.
	c.plan.CenterRows(&c.feat, nil)
	width, hop := c.m.InputShape[3], c.m.WindowHop
	if hop == 0 {
		hop = width / 2
	}
	frames := c.feat.Frames
	frameSec := float64(c.m.Features.Hop) / rate
	mean := make([]float64, len(c.m.Labels))
	starts := Windows(frames, width, hop)
	for k, s := range starts {
		c.window(s)
		p32, err := c.m.Probabilities(c.win)
		if err != nil {
			return nil, err
		}
		p := make([]float64, len(p32))
		for i, v := range p32 {
			p[i] = float64(v)
			mean[i] += p[i] / float64(len(starts))
		}
		if len(starts) > 1 {
			seg := Segment{
				Start: res.SpeechStart + float64(s)*frameSec,
				End:   min(res.SpeechStart+float64(s+width)*frameSec, res.SpeechEnd),
			}
			seg.Label, _, seg.Probabilities = c.decide(p)
			res.Segments = append(res.Segments, seg)
		}
		if each != nil {
			var seg *Segment
			if len(starts) > 1 {
				seg = &res.Segments[len(res.Segments)-1]
			}
			each(k+1, len(starts), seg)
		}
	}
	res.Label, res.Confidence, res.Probabilities = c.decide(mean)
	return res, nil
}

// decide names the most probable label of p.
func (c *Classifier) decide(p []float64) (label string, conf float64, probs map[string]float64) {
	probs = make(map[string]float64, len(c.m.Labels))
	best := -1.0
	for i, l := range c.m.Labels {
		probs[l] = p[i]
		if p[i] > best {
			best, label = p[i], l
		}
	}
	return label, best, probs
}

// window copies the image columns [start, start+W) into c.win, or, for a
// clip narrower than W, the whole image centred in zeros (the image's
// floor), exactly as the trainer pads.
func (c *Classifier) window(start int) {
	h, width, frames := c.m.InputShape[2], c.m.InputShape[3], c.feat.Frames
	clear(c.win)
	n, off := width, 0
	if frames < width {
		n, off, start = frames, (width-frames)/2, 0
	}
	for ch := range 3 {
		for r := range h {
			src := c.feat.Image[(ch*h+r)*frames+start:][:n]
			copy(c.win[(ch*h+r)*width+off:], src)
		}
	}
}

// Windows returns the first column of each window of width columns that
// covers frames columns, hop apart, the last one flush with the end. A
// clip of at most one window has the single start 0. The trainer
// (model/train/train.py, windows) uses the same rule.
func Windows(frames, width, hop int) []int {
	if frames <= width {
		return []int{0}
	}
	var s []int
	for i := 0; i <= frames-width; i += hop {
		s = append(s, i)
	}
	if s[len(s)-1] != frames-width {
		s = append(s, frames-width)
	}
	return s
}
