//go:build js && wasm

// Command wasm is the WebAssembly entry point: it exposes the pipeline to
// JavaScript as globalThis.emotion and then waits for calls.
//
//	emotion.info(bytes: Uint8Array) -> string  // JSON: same fields as `emotion info -json`
//
// Errors come back as values ({"error": ..., "error_code": ...}), never as
// exceptions or panics, so one bad file never stops the worker.
package main

import (
	"encoding/json"
	"fmt"
	"syscall/js"

	"emotion/dsp/audio"
)

func main() {
	api := js.Global().Get("Object").New()
	api.Set("info", js.FuncOf(info))
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
	if err != nil {
		res.Error, res.ErrorCode = err.Error(), audio.Code(err)
		if res.ErrorCode == "error" {
			res.ErrorCode = "bad_argument"
		}
		return
	}
	clip, err := audio.Decode(data, audio.DefaultLimits())
	if err != nil {
		res.Error, res.ErrorCode = err.Error(), audio.Code(err)
		return
	}
	res.Info, res.Samples16k = &clip.Info, len(clip.Samples)
	return
}

// bytesArg copies the single Uint8Array argument into Go memory, once.
func bytesArg(args []js.Value) ([]byte, error) {
	if len(args) != 1 || args[0].Type() != js.TypeObject || !args[0].InstanceOf(js.Global().Get("Uint8Array")) {
		return nil, fmt.Errorf("expected one Uint8Array argument")
	}
	n := args[0].Get("length").Int()
	if lim := audio.DefaultLimits().MaxBytes; int64(n) > lim {
		return nil, &audio.Error{Kind: audio.ErrTooLarge, Detail: fmt.Sprintf("%d bytes, limit %d", n, lim)}
	}
	b := make([]byte, n)
	js.CopyBytesToGo(b, args[0])
	return b, nil
}
