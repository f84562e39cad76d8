package model

import (
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// engine is gorgonia's CPU engine with a direct float32 Transpose.
// gorgonia lowers every Conv to im2col, one matrix product in NHWC order
// and a Transpose back to NCHW; its Transpose walks the tensor with a
// generic FlatIterator (an index computation and a method call per
// element) and allocates a scratch copy each time, which cost 13 % of a
// native run and more in WebAssembly. The tape machine attaches its
// engine to every value it computes, so this one reaches every Transpose
// of the graph.
type engine struct {
	gorgonia.StandardEngine
	scratch *[]float32 // reused by Transpose; a Model's runs are serialised
}

func newEngine() engine { return engine{scratch: new([]float32)} }

// Transpose moves the data of a, whose shape and strides describe the
// transposed view of its current layout, into the row-major layout of
// that shape. tensor.Dense.Transpose rewrites the strides afterwards.
func (e engine) Transpose(a tensor.Tensor, expStrides []int) error {
	d, ok := a.(*tensor.Dense)
	if !ok || d.Dtype() != tensor.Float32 || !d.IsNativelyAccessible() || d.Dims() > 4 || d.Dims() < 1 {
		return e.StandardEngine.Transpose(a, expStrides)
	}
	data := d.Data().([]float32)
	n := d.DataSize()
	if cap(*e.scratch) < n {
		*e.scratch = make([]float32, n)
	}
	tmp := (*e.scratch)[:n]
	// Pad to four dimensions: leading axes of length 1 and stride 0.
	var shape, strides [4]int
	off := 4 - d.Dims()
	for i := range off {
		shape[i] = 1
	}
	copy(shape[off:], d.Shape())
	copy(strides[off:], d.Strides())
	transpose4(tmp, data, shape, strides)
	copy(data, tmp)
	return nil
}

// transpose4 writes src, read through strides, to dst in row-major order
// of shape.
func transpose4(dst, src []float32, shape, strides [4]int) {
	i := 0
	for i0 := range shape[0] {
		for i1 := range shape[1] {
			for i2 := range shape[2] {
				o := i0*strides[0] + i1*strides[1] + i2*strides[2]
				row := dst[i : i+shape[3]]
				for j := range row {
					row[j] = src[o]
					o += strides[3]
				}
				i += shape[3]
			}
		}
	}
}
