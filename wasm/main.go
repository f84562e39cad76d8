//go:build js && wasm

// Command wasm is the WebAssembly entry point: it exposes the pipeline to
// JavaScript as globalThis.emotion and then waits for calls.
//
//	emotion.labels -> string                         // JSON list of the model's labels
//	emotion.kernels -> string                        // dsp's hot loops in use: "simd" (WebAssembly SIMD) or "go"
//	emotion.info(bytes) -> string                    // JSON: the record of `emotion info -json`
//	emotion.classify(bytes, options?) -> string      // JSON: the record of `emotion classify -json`
//	emotion.image(bytes, options?) -> object         // the 3-channel image, ready for a canvas
//
// bytes is a Uint8Array holding a whole WAV or MP3 file; the format is
// sniffed from its content. options is an optional object:
//
//	file         name echoed as the record's "file" (classify)
//	max_bytes    largest accepted input, as the CLI's -max-bytes (default 200 MB)
//	max_seconds  longest accepted audio, as the CLI's -max-seconds (default 600)
//	max_width    the picture (image, or classify's on_image): at most this many
//	             columns; longer images are averaged down
//	on_window    classify: a function called after every model window with
//	             (done, total, segmentJSON or null)
//	on_image     classify: a function called once, before the model runs, with
//	             the clip's picture (what image returns), so a page draws it
//	             without a second call that would decode and analyse the clip again
//	timings      classify: true adds "timings" to the record, milliseconds
//	             spent in each stage: {decode_ms, image_ms, picture_ms, model_ms, total_ms},
//	             and the kernels that computed the features (as emotion.kernels)
//
// image returns {width, height, rgba, channels, duration, speech_start,
// speech_end}: rgba is a Uint8Array of width×height RGBA pixels, top row
// first (highest frequency at the top), R = log-mel, G = chroma,
// B = log-STFT, of the trimmed clip the classifier sees.
//
// kernels is dsp.Kernels(): "simd" when the host compiled dsp's WebAssembly
// SIMD kernels (the "dspsimd" imports, web/lib/go-kernels.js), "go" when
// it could not and the portable Go runs. Results are the same either way.
//
// Errors come back as values ({"error": ..., "error_code": ...}, a JSON
// string or an object as the call returns), never as exceptions or
// panics, so one bad file never stops the worker.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime/debug"
	"syscall/js"
	"time"

	"emotion/dsp"
	"emotion/dsp/audio"
	"emotion/model"
	"emotion/wasm/picture"
)

// Built once at start-up (the model's graph and its warm-up run), so the
// visitor's first clip does not pay for it. pictures serves the separate
// image call only, so it is made on its first use.
var (
	theModel   *model.Model
	classifier *model.Classifier
	pictures   *picture.Maker
)

// Memory. The wasm's linear memory only grows, so its size is the peak
// of everything a tab ever analysed. Two things keep that peak down:
//
//   - clips longer than keepSeconds are analysed with a Classifier and a
//     picture.Maker made for them alone, whose buffers (sized to the clip:
//     ~200 MB for 10 minutes) become garbage afterwards instead of staying
//     in the long-lived ones, and the image's buffers can be reused by the
//     classification that follows;
//   - a soft memory limit makes the GC collect harder as the heap nears it,
//     instead of letting the heap grow to twice the live data (GOGC=100).
const (
	keepSeconds = 60
	memoryLimit = 384 << 20
)

func main() {
	api := js.Global().Get("Object").New()
	api.Set("info", js.FuncOf(info))
	api.Set("kernels", dsp.Kernels())
	debug.SetMemoryLimit(memoryLimit)
	m, err := model.Default()
	theModel = m
	if err == nil {
		classifier, err = model.NewClassifier(m)
	}
	if err != nil {
		api.Set("loadError", err.Error())
	} else {
		labels, _ := json.Marshal(m.Labels)
		api.Set("labels", string(labels))
		api.Set("classify", js.FuncOf(classify))
		api.Set("image", js.FuncOf(image))
	}
	js.Global().Set("emotion", api)
	select {} // keep the Go runtime alive for later calls
}

// failure is the error value every call returns instead of throwing; as
// in the CLI's records, it names the file when the caller gave its name.
type failure struct {
	File      string `json:"file,omitempty"`
	Error     string `json:"error"`
	ErrorCode string `json:"error_code"`
}

func failed(o options, err error) failure { return failure{o.file, err.Error(), errorCode(err)} }

// call parses the arguments (bytes, options?) and runs f on them. A panic
// becomes an "internal" error, so a bug never kills the worker.
func call[T any](args []js.Value, f func(data []byte, o options) (T, error)) (res T, o options, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", errInternal, r)
		}
	}()
	o, err = parseOptions(args)
	if err != nil {
		return res, o, err
	}
	data, err := bytesArg(args[0], o.lim)
	if err != nil {
		return res, o, err
	}
	res, err = f(data, o)
	return res, o, err
}

// respond returns f's result, or its failure, as a JSON string.
func respond(args []js.Value, f func(data []byte, o options) (any, error)) any {
	res, o, err := call(args, f)
	if err != nil {
		res = failed(o, err)
	}
	b, err := json.Marshal(res)
	if err != nil {
		b, _ = json.Marshal(failed(o, fmt.Errorf("%w: %v", errInternal, err)))
	}
	return string(b)
}

// info mirrors the CLI's `info -json` record.
func info(this js.Value, args []js.Value) any {
	return respond(args, func(data []byte, o options) (any, error) {
		clip, err := audio.Decode(data, o.lim)
		if err != nil {
			return nil, err
		}
		return struct {
			*audio.Info
			Samples16k int `json:"samples_16k"`
		}{&clip.Info, len(clip.Samples)}, nil
	})
}

// classifyRecord is the CLI's `classify -json` record (cmd/emotion), with
// the file name only when the caller gives one.
type classifyRecord struct {
	File string `json:"file,omitempty"`
	*model.Result
	Timings *stageTimes `json:"timings,omitempty"`
}

// stageTimes is where a classify call's time went, in milliseconds:
// decoding (with the copy from JavaScript and resampling), trimming and the
// image, drawing the picture and handing it to on_image, the model's windows;
// and which of dsp's kernel sets computed the image (dsp.Kernels).
type stageTimes struct {
	Decode  float64 `json:"decode_ms"`
	Image   float64 `json:"image_ms"`
	Picture float64 `json:"picture_ms"`
	Model   float64 `json:"model_ms"`
	Total   float64 `json:"total_ms"`
	Kernels string  `json:"kernels"`
}

// ms is the time since *t in milliseconds; it moves *t to now.
func ms(t *time.Time) float64 {
	now := time.Now()
	d := now.Sub(*t)
	*t = now
	return float64(d.Microseconds()) / 1000
}

// classify mirrors the CLI's `classify -json` record.
func classify(this js.Value, args []js.Value) any {
	start := time.Now()
	return respond(args, func(data []byte, o options) (any, error) {
		st := stageTimes{Kernels: dsp.Kernels()}
		lap := start
		clip, err := audio.Decode(data, o.lim)
		if err != nil {
			return nil, err
		}
		st.Decode = ms(&lap)
		c := classifier
		if long(clip) {
			if c, err = model.NewClassifier(theModel); err != nil {
				return nil, err
			}
			defer debug.FreeOSMemory()
		}
		hooks := model.Hooks{Window: o.eachWindow()}
		hooks.Image = func(f *dsp.Features, speechStart, speechEnd float64) {
			st.Image = ms(&lap)
			if !o.onImage.IsUndefined() {
				duration := float64(len(clip.Samples)) / float64(theModel.Features.SampleRate)
				o.onImage.Invoke(pictureValue(picture.Of(f, theModel.Features, o.maxWidth, duration, speechStart, speechEnd)))
			}
			st.Picture = ms(&lap)
		}
		res, err := c.ClassifySamplesWith(clip.Samples, hooks)
		if err != nil {
			return nil, err
		}
		rec := classifyRecord{File: o.file, Result: res}
		if o.timings {
			st.Model = ms(&lap)
			st.Total = float64(time.Since(start).Microseconds()) / 1000
			rec.Timings = &st
		}
		return rec, nil
	})
}

// long reports whether clip gets buffers of its own (see keepSeconds).
func long(clip *audio.Clip) bool {
	return len(clip.Samples) > keepSeconds*theModel.Features.SampleRate
}

// image returns the clip's image as a JS object, or a failure object.
func image(this js.Value, args []js.Value) any {
	pic, o, err := call(args, func(data []byte, o options) (*picture.Picture, error) {
		clip, err := audio.Decode(data, o.lim)
		if err != nil {
			return nil, err
		}
		if pictures == nil {
			if pictures, err = picture.New(theModel); err != nil {
				return nil, err
			}
		}
		mk := pictures
		if long(clip) {
			if mk, err = picture.New(theModel); err != nil {
				return nil, err
			}
			defer debug.FreeOSMemory()
		}
		return mk.Draw(clip.Samples, o.maxWidth)
	})
	if err != nil {
		f := failed(o, err)
		return map[string]any{"error": f.Error, "error_code": f.ErrorCode}
	}
	return pictureValue(pic)
}

// pictureValue is pic as the JS object image returns.
func pictureValue(pic *picture.Picture) js.Value {
	// One copy, into a fresh ArrayBuffer that the worker can transfer.
	rgba := js.Global().Get("Uint8Array").New(len(pic.RGBA))
	js.CopyBytesToJS(rgba, pic.RGBA)
	channels := make([]any, len(picture.Channels))
	for i, c := range picture.Channels {
		channels[i] = c
	}
	return js.ValueOf(map[string]any{
		"width": pic.Width, "height": pic.Height, "rgba": rgba, "channels": channels,
		"duration": pic.Duration, "speech_start": pic.SpeechStart, "speech_end": pic.SpeechEnd,
	})
}

// options are the optional second argument of every call.
type options struct {
	lim      audio.Limits
	file     string
	maxWidth int
	onWindow js.Value // a function, or undefined
	onImage  js.Value // a function, or undefined
	timings  bool
}

func parseOptions(args []js.Value) (options, error) {
	o := options{lim: audio.DefaultLimits()}
	if len(args) == 0 || len(args) > 2 {
		return o, fmt.Errorf("%w: got %d arguments", errBadArgument, len(args))
	}
	if len(args) == 1 || args[1].IsUndefined() || args[1].IsNull() {
		return o, nil
	}
	v := args[1]
	if v.Type() != js.TypeObject {
		return o, fmt.Errorf("%w: options must be an object, got %s", errBadArgument, v.Type())
	}
	// num reads an optional positive number.
	num := func(name string) (float64, bool, error) {
		x := v.Get(name)
		if x.IsUndefined() {
			return 0, false, nil
		}
		if x.Type() != js.TypeNumber || !(x.Float() > 0) {
			return 0, false, fmt.Errorf("%w: options.%s must be a positive number", errBadArgument, name)
		}
		return x.Float(), true, nil
	}
	if x, ok, err := num("max_bytes"); err != nil {
		return o, err
	} else if ok {
		o.lim.MaxBytes = int64(max(1, min(x, math.MaxInt64/2)))
	}
	if x, ok, err := num("max_seconds"); err != nil {
		return o, err
	} else if ok {
		o.lim.MaxSeconds = x
	}
	if x, ok, err := num("max_width"); err != nil {
		return o, err
	} else if ok {
		o.maxWidth = int(max(1, min(x, math.MaxInt32)))
	}
	if f := v.Get("file"); !f.IsUndefined() {
		if f.Type() != js.TypeString {
			return o, fmt.Errorf("%w: options.file must be a string", errBadArgument)
		}
		o.file = f.String()
	}
	for name, dst := range map[string]*js.Value{"on_window": &o.onWindow, "on_image": &o.onImage} {
		if f := v.Get(name); !f.IsUndefined() {
			if f.Type() != js.TypeFunction {
				return o, fmt.Errorf("%w: options.%s must be a function", errBadArgument, name)
			}
			*dst = f
		}
	}
	if t := v.Get("timings"); !t.IsUndefined() {
		if t.Type() != js.TypeBoolean {
			return o, fmt.Errorf("%w: options.timings must be a boolean", errBadArgument)
		}
		o.timings = t.Bool()
	}
	return o, nil
}

// eachWindow calls JavaScript's options.on_window(done, total, segmentJSON)
// after every model window (segmentJSON is null for a one-window clip), so
// the worker can post a long clip's timeline as it grows.
func (o options) eachWindow() model.EachWindow {
	if o.onWindow.IsUndefined() {
		return nil
	}
	return func(done, total int, seg *model.Segment) {
		var s any // null
		if seg != nil {
			b, _ := json.Marshal(seg)
			s = string(b)
		}
		o.onWindow.Invoke(done, total, s)
	}
}

// errorCode names err for JavaScript, as the CLI does.
func errorCode(err error) string {
	switch {
	case errors.Is(err, errBadArgument):
		return "bad_argument"
	case errors.Is(err, errInternal):
		return "internal"
	}
	return model.Code(err)
}

var (
	errBadArgument = errors.New("bad argument: expected (Uint8Array, options?)")
	errInternal    = errors.New("internal error")
)

// bytesArg copies the Uint8Array argument into Go memory, once, after
// checking its size so that a huge file is refused without copying it.
func bytesArg(v js.Value, lim audio.Limits) ([]byte, error) {
	if v.Type() != js.TypeObject || !v.InstanceOf(js.Global().Get("Uint8Array")) {
		return nil, fmt.Errorf("%w: the first argument is a %s, not a Uint8Array", errBadArgument, v.Type())
	}
	n := v.Get("length").Int()
	if lim.MaxBytes > 0 && int64(n) > lim.MaxBytes {
		return nil, &audio.Error{Kind: audio.ErrTooLarge, Detail: fmt.Sprintf("%d bytes, limit %d", n, lim.MaxBytes)}
	}
	b := make([]byte, n)
	js.CopyBytesToGo(b, v)
	return b, nil
}
