package model

import (
	"gorgonia.org/tensor"

	"emotion/model/internal/sgemm"
)

// In WebAssembly gonum's Sgemm has no assembly and computes each element
// of C as a scalar dot product; the convolutions, lowered by gorgonia to
// im2col and one Sgemm each, ran 4-5× faster with our register-blocked
// kernel (see docs/PERFORMANCE.md). tensor.Use is process-wide; the model
// is the only user of gorgonia in this program. Natively gonum's SSE
// assembly is faster, so it stays.
func init() { tensor.Use(sgemm.Implementation{}) }
