package model

import (
	_ "embed"
	"sync"
)

// embedded is the model shipped with the program.
//
//go:embed emotion.onnx
var embedded []byte

var loadDefault = sync.OnceValues(func() (*Model, error) { return Load(embedded) })

// Default returns the model embedded in the program, loading it on the
// first call; later calls return the same Model (or the same error).
func Default() (*Model, error) { return loadDefault() }
