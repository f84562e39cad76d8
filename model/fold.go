package model

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"google.golang.org/protobuf/proto"

	"emotion/model/onnxpb"
)

// foldDequantize replaces every DequantizeLinear node by a float32
// initializer named as its output, and drops the integer initializers
// nothing uses any more. gorgonnx has no DequantizeLinear and onnx-go
// cannot read int8 tensors, so the weights must be dequantized before the
// graph reaches them.
//
// The weights are computed as float32(q)·scale[c] in float32 arithmetic,
// exactly as PyTorch's q.float() * scale does in the training script, so
// the Go model computes what the file's test vectors were made with.
func foldDequantize(g *onnxpb.GraphProto) error {
	inits := make(map[string]*onnxpb.TensorProto, len(g.GetInitializer()))
	for _, t := range g.GetInitializer() {
		inits[t.GetName()] = t
	}
	nodes := g.Node[:0:0]
	folded := false
	for _, n := range g.GetNode() {
		if n.GetOpType() != "DequantizeLinear" || !isDefaultDomain(n.GetDomain()) {
			nodes = append(nodes, n)
			continue
		}
		w, err := dequantize(n, inits)
		if err != nil {
			return fmt.Errorf("model: DequantizeLinear %q: %w", n.GetOutput(), err)
		}
		if _, dup := inits[w.GetName()]; dup {
			return fmt.Errorf("model: DequantizeLinear output %q is also an initializer", w.GetName())
		}
		inits[w.GetName()] = w
		g.Initializer = append(g.Initializer, w)
		folded = true
	}
	g.Node = nodes
	if folded {
		pruneInitializers(g)
	}
	return nil
}

func isDefaultDomain(d string) bool { return d == "" || d == "ai.onnx" }

// dequantize returns the float32 initializer computed by the
// DequantizeLinear node n, whose inputs must all be initializers.
func dequantize(n *onnxpb.NodeProto, inits map[string]*onnxpb.TensorProto) (*onnxpb.TensorProto, error) {
	in := n.GetInput()
	if len(in) < 2 || len(in) > 3 || len(n.GetOutput()) != 1 {
		return nil, errors.New("want 2 or 3 inputs and 1 output")
	}
	x, xs := inits[in[0]], inits[in[1]]
	if x == nil || xs == nil {
		return nil, errors.New("inputs are not initializers (only constant weights can be folded)")
	}
	q, err := intData(x)
	if err != nil {
		return nil, fmt.Errorf("input %q: %w", in[0], err)
	}
	scale, err := floatData(xs)
	if err != nil {
		return nil, fmt.Errorf("scale %q: %w", in[1], err)
	}
	for _, s := range scale {
		if math.IsNaN(float64(s)) || math.IsInf(float64(s), 0) {
			return nil, fmt.Errorf("scale %q is not finite", in[1])
		}
	}
	if len(in) == 3 && in[2] != "" {
		zt := inits[in[2]]
		if zt == nil {
			return nil, fmt.Errorf("zero point %q is not an initializer", in[2])
		}
		if zt.GetDataType() != x.GetDataType() {
			return nil, fmt.Errorf("zero point %q has a different type from the input", in[2])
		}
		zp, err := intData(zt)
		if err != nil {
			return nil, fmt.Errorf("zero point %q: %w", in[2], err)
		}
		if len(zp) != len(scale) {
			return nil, fmt.Errorf("zero point %q has %d values for %d scales", in[2], len(zp), len(scale))
		}
		// Symmetric quantization only: the exporter writes zeros, and a
		// nonzero zero point would mean a different exporter.
		for _, z := range zp {
			if z != 0 {
				return nil, fmt.Errorf("zero point %q has nonzero value %d (only symmetric quantization is supported)", in[2], z)
			}
		}
	}

	// Per-tensor (scalar scale) or per-axis (1-D scale along axis).
	dims := x.GetDims()
	axis := int64(1) // the ONNX default
	for _, a := range n.GetAttribute() {
		if a.GetName() == "axis" {
			axis = a.GetI()
		}
	}
	if axis < 0 {
		axis += int64(len(dims))
	}
	channels, inner := 1, 1
	switch {
	case len(xs.GetDims()) == 0 && len(scale) == 1:
		channels, inner = 1, len(q)
	case len(xs.GetDims()) == 1 && axis >= 0 && axis < int64(len(dims)) && int64(len(scale)) == dims[axis]:
		channels = len(scale)
		for _, d := range dims[axis+1:] {
			inner *= int(d)
		}
	default:
		return nil, fmt.Errorf("scale shape %v does not fit input shape %v along axis %d", xs.GetDims(), dims, axis)
	}

	raw := make([]byte, 4*len(q))
	for i, v := range q {
		w := float32(v) * scale[(i/inner)%channels]
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(w))
	}
	return &onnxpb.TensorProto{
		Name:     proto.String(n.GetOutput()[0]),
		DataType: proto.Int32(int32(onnxpb.TensorProto_FLOAT)),
		Dims:     append([]int64(nil), dims...),
		RawData:  raw,
	}, nil
}

// pruneInitializers drops the initializers no node reads and no graph
// output names, and removes initializers from the graph inputs, so that
// onnx-go's input 0 is the real input.
func pruneInitializers(g *onnxpb.GraphProto) {
	used := make(map[string]bool)
	for _, n := range g.GetNode() {
		for _, s := range n.GetInput() {
			used[s] = true
		}
	}
	for _, o := range g.GetOutput() {
		used[o.GetName()] = true
	}
	isInit := make(map[string]bool)
	kept := g.Initializer[:0:0]
	for _, t := range g.GetInitializer() {
		isInit[t.GetName()] = true
		if used[t.GetName()] {
			kept = append(kept, t)
		}
	}
	g.Initializer = kept
	inputs := g.Input[:0:0]
	for _, v := range g.GetInput() {
		if !isInit[v.GetName()] {
			inputs = append(inputs, v)
		}
	}
	g.Input = inputs
}

// numel returns the number of elements of t, or an error for a tensor
// whose data is not stored inline.
func numel(t *onnxpb.TensorProto) (int, error) {
	if t.GetDataLocation() == onnxpb.TensorProto_EXTERNAL || t.GetSegment() != nil {
		return 0, errors.New("external or segmented tensor data is not supported")
	}
	n := 1
	for _, d := range t.GetDims() {
		if d < 0 || d > math.MaxInt32 || int64(n)*d > math.MaxInt32 {
			return 0, fmt.Errorf("bad dimensions %v", t.GetDims())
		}
		n *= int(d)
	}
	return n, nil
}

// intData returns the values of an INT8 or UINT8 tensor.
func intData(t *onnxpb.TensorProto) ([]int32, error) {
	n, err := numel(t)
	if err != nil {
		return nil, err
	}
	dt := onnxpb.TensorProto_DataType(t.GetDataType())
	if dt != onnxpb.TensorProto_INT8 && dt != onnxpb.TensorProto_UINT8 {
		return nil, fmt.Errorf("type %v, want INT8 or UINT8", dt)
	}
	v := make([]int32, n)
	switch {
	case t.RawData != nil:
		if len(t.RawData) != n {
			return nil, fmt.Errorf("%d bytes of data for %d elements", len(t.RawData), n)
		}
		for i, b := range t.RawData {
			if dt == onnxpb.TensorProto_INT8 {
				v[i] = int32(int8(b))
			} else {
				v[i] = int32(b)
			}
		}
	case len(t.Int32Data) == n: // the spec stores 8-bit types in int32_data
		copy(v, t.Int32Data)
	default:
		return nil, fmt.Errorf("%d values for %d elements", len(t.Int32Data), n)
	}
	return v, nil
}

// floatData returns the values of a FLOAT tensor.
func floatData(t *onnxpb.TensorProto) ([]float32, error) {
	n, err := numel(t)
	if err != nil {
		return nil, err
	}
	if dt := onnxpb.TensorProto_DataType(t.GetDataType()); dt != onnxpb.TensorProto_FLOAT {
		return nil, fmt.Errorf("type %v, want FLOAT", dt)
	}
	v := make([]float32, n)
	switch {
	case t.RawData != nil:
		if len(t.RawData) != 4*n {
			return nil, fmt.Errorf("%d bytes of data for %d float32 elements", len(t.RawData), n)
		}
		for i := range v {
			v[i] = math.Float32frombits(binary.LittleEndian.Uint32(t.RawData[4*i:]))
		}
	case len(t.FloatData) == n:
		copy(v, t.FloatData)
	default:
		return nil, fmt.Errorf("%d values for %d elements", len(t.FloatData), n)
	}
	return v, nil
}
