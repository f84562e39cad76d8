// Command logits prints, as JSON, the logits of the embedded model for
// each window of an .npy input of shape [N, 3, H, W] (float32), so that
// model/bench/ort.mjs can compare onnxruntime-web's answers with ours.
//
//	go run ./model/bench/logits model/testdata/testvec_input.npy
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"codeberg.org/sbinet/npyio"

	"emotion/model"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: logits INPUT.npy")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "logits:", err)
		os.Exit(1)
	}
}

func run(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := npyio.NewReader(f)
	if err != nil {
		return err
	}
	var x []float32
	if err := r.Read(&x); err != nil {
		return err
	}
	m, err := model.Default()
	if err != nil {
		return err
	}
	n := m.InputLen()
	if len(x) == 0 || len(x)%n != 0 {
		return fmt.Errorf("%s: %d values, not a multiple of the window's %d", path, len(x), n)
	}
	var out [][]float32
	for i := 0; i < len(x); i += n {
		l, err := m.Logits(x[i : i+n])
		if err != nil {
			return err
		}
		out = append(out, l)
	}
	return json.NewEncoder(os.Stdout).Encode(out)
}
