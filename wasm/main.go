//go:build js && wasm

// Command wasm is the WebAssembly entry point: it exposes the pipeline to
// JavaScript as globalThis.emotion and then waits for calls.
//
//	emotion.info(bytes: Uint8Array) -> string      // JSON: same fields as `emotion info -json`
//	emotion.classify(bytes: Uint8Array) -> string  // JSON: same fields as `emotion classify -json`
//	emotion.labels -> string                       // JSON list of the model's labels
//
// Errors come back as values ({"error": ..., "error_code": ...}), never as
// exceptions or panics, so one bad file never stops the worker.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"syscall/js"

	"emotion/dsp/audio"
	"emotion/model"
)

// classifier is built once at start-up (the model's graph and its
// warm-up run), so the visitor's first clip does not pay for it.
var classifier *model.Classifier

func main() {
	api := js.Global().Get("Object").New()
	api.Set("info", js.FuncOf(info))
	m, err := model.Default()
	if err == nil {
		classifier, err = model.NewClassifier(m)
	}
	if err != nil {
		api.Set("loadError", err.Error())
	} else {
		labels, _ := json.Marshal(m.Labels)
		api.Set("labels", string(labels))
		api.Set("classify", js.FuncOf(classify))
	}
	js.Global().Set("emotion", api)
	select {} // keep the Go runtime alive for later calls
}

// infoResult mirrors the CLI's `info -json` record.
type infoResult struct {
	*audio.Info
	Samples16k int    `json:"samples_16k,omitempty"`
	Error      string `json:"error,omitempty"`
	ErrorCode  string `json:"error_code,omitempty"`
}

func info(this js.Value, args []js.Value) (ret any) {
	var res infoResult
	defer func() {
		if r := recover(); r != nil { // a bug must not kill the worker
			res = infoResult{Error: fmt.Sprintf("internal error: %v", r), ErrorCode: "internal"}
		}
		b, _ := json.Marshal(res)
		ret = string(b)
	}()
	data, err := bytesArg(args)
	var clip *audio.Clip
	if err == nil {
		clip, err = audio.Decode(data, audio.DefaultLimits())
	}
	if err != nil {
		res.Error, res.ErrorCode = err.Error(), errorCode(err)
		return
	}
	res.Info, res.Samples16k = &clip.Info, len(clip.Samples)
	return
}

// classifyResult mirrors the CLI's `classify -json` record.
type classifyResult struct {
	*model.Result
	Error     string `json:"error,omitempty"`
	ErrorCode string `json:"error_code,omitempty"`
}

func classify(this js.Value, args []js.Value) (ret any) {
	var res classifyResult
	defer func() {
		if r := recover(); r != nil {
			res = classifyResult{Error: fmt.Sprintf("internal error: %v", r), ErrorCode: "internal"}
		}
		b, _ := json.Marshal(res)
		ret = string(b)
	}()
	data, err := bytesArg(args)
	if err == nil {
		res.Result, err = classifier.Classify(data, audio.DefaultLimits())
	}
	if err != nil {
		res.Error, res.ErrorCode = err.Error(), errorCode(err)
	}
	return
}

// errorCode names err for JavaScript, as the CLI does.
func errorCode(err error) string {
	if errors.Is(err, errBadArgument) {
		return "bad_argument"
	}
	return model.Code(err)
}

var errBadArgument = errors.New("expected one Uint8Array argument")

// bytesArg copies the single Uint8Array argument into Go memory, once.
func bytesArg(args []js.Value) ([]byte, error) {
	if len(args) != 1 || args[0].Type() != js.TypeObject || !args[0].InstanceOf(js.Global().Get("Uint8Array")) {
		return nil, errBadArgument
	}
	n := args[0].Get("length").Int()
	if lim := audio.DefaultLimits().MaxBytes; int64(n) > lim {
		return nil, &audio.Error{Kind: audio.ErrTooLarge, Detail: fmt.Sprintf("%d bytes, limit %d", n, lim)}
	}
	b := make([]byte, n)
	js.CopyBytesToGo(b, args[0])
	return b, nil
}
