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

// respond runs f on the call's single Uint8Array argument and returns
// JSON: f's result, or {"error", "error_code"}. A panic becomes an
// "internal" error, so a bug never kills the worker.
func respond(args []js.Value, f func(data []byte) (any, error)) (ret any) {
	type failure struct {
		Error     string `json:"error"`
		ErrorCode string `json:"error_code"`
	}
	var res any
	defer func() {
		if r := recover(); r != nil {
			res = failure{fmt.Sprintf("internal error: %v", r), "internal"}
		}
		b, _ := json.Marshal(res)
		ret = string(b)
	}()
	data, err := bytesArg(args)
	if err == nil {
		res, err = f(data)
	}
	if err != nil {
		res = failure{err.Error(), errorCode(err)}
	}
	return
}

// info mirrors the CLI's `info -json` record.
func info(this js.Value, args []js.Value) any {
	return respond(args, func(data []byte) (any, error) {
		clip, err := audio.Decode(data, audio.DefaultLimits())
		if err != nil {
			return nil, err
		}
		return struct {
			*audio.Info
			Samples16k int `json:"samples_16k"`
		}{&clip.Info, len(clip.Samples)}, nil
	})
}

// classify mirrors the CLI's `classify -json` record.
func classify(this js.Value, args []js.Value) any {
	return respond(args, func(data []byte) (any, error) {
		return classifier.Classify(data, audio.DefaultLimits())
	})
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
