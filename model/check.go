package model

import (
	"fmt"

	"emotion/model/onnxpb"
)

// supportedOps are the operators of the exported network, each checked
// against PyTorch through the test vectors. gorgonnx implements more, but
// some silently compute something else (Gemm overwrites its bias at batch
// 1, Conv ignores group), so anything outside this list is refused.
var supportedOps = map[string]bool{
	"Conv":              true,
	"Relu":              true,
	"MaxPool":           true,
	"GlobalAveragePool": true,
	"Flatten":           true,
	"Add":               true, // an ensemble's logits (see checkAttrs)
}

// checkGraph validates the folded graph against what gorgonnx computes
// correctly and against the metadata: one float32 input of the given
// shape, one float32 output of [1, classes], float32 initializers, nodes
// in topological order using only supportedOps with supported attributes.
func checkGraph(g *onnxpb.GraphProto, shape [4]int, classes int) error {
	known := make(map[string]bool) // names of tensors available so far
	inits := make(map[string]*onnxpb.TensorProto)
	for _, t := range g.GetInitializer() {
		name := t.GetName()
		if name == "" || known[name] {
			return fmt.Errorf("model: initializer name %q empty or repeated", name)
		}
		if _, err := floatData(t); err != nil {
			return fmt.Errorf("model: initializer %q: %w", name, err)
		}
		known[name], inits[name] = true, t
	}

	var inputs []*onnxpb.ValueInfoProto
	for _, v := range g.GetInput() {
		if !known[v.GetName()] {
			inputs = append(inputs, v)
		}
	}
	if len(inputs) != 1 {
		return fmt.Errorf("model: graph has %d inputs, want 1", len(inputs))
	}
	if err := checkValue(inputs[0], shape[:]); err != nil {
		return fmt.Errorf("model: graph input: %w", err)
	}
	known[inputs[0].GetName()] = true

	for _, n := range g.GetNode() {
		op := n.GetOpType()
		if !isDefaultDomain(n.GetDomain()) {
			return fmt.Errorf("model: unsupported operator %s in domain %q", op, n.GetDomain())
		}
		if !supportedOps[op] {
			if op == "Gemm" {
				return fmt.Errorf("model: unsupported operator Gemm (gorgonnx overwrites its bias at batch 1; export a 1×1 Conv)")
			}
			return fmt.Errorf("model: unsupported operator %s", op)
		}
		for _, s := range n.GetInput() {
			if !known[s] {
				return fmt.Errorf("model: %s node reads %q before it is computed", op, s)
			}
		}
		if err := checkAttrs(n, inits); err != nil {
			return fmt.Errorf("model: %s node %v: %w", op, n.GetOutput(), err)
		}
		for _, s := range n.GetOutput() {
			if known[s] {
				return fmt.Errorf("model: tensor %q written twice", s)
			}
			known[s] = true
		}
	}

	if len(g.GetOutput()) != 1 {
		return fmt.Errorf("model: graph has %d outputs, want 1", len(g.GetOutput()))
	}
	out := g.GetOutput()[0]
	if !known[out.GetName()] {
		return fmt.Errorf("model: graph output %q is never computed", out.GetName())
	}
	if err := checkValue(out, []int{1, classes}); err != nil {
		return fmt.Errorf("model: graph output: %w", err)
	}
	return nil
}

// checkValue requires a float32 tensor whose fixed dimensions equal want.
// Symbolic dimensions pass; the warm-up run checks the output length.
func checkValue(v *onnxpb.ValueInfoProto, want []int) error {
	tt := v.GetType().GetTensorType()
	if tt == nil || onnxpb.TensorProto_DataType(tt.GetElemType()) != onnxpb.TensorProto_FLOAT {
		return fmt.Errorf("%q is not a float32 tensor", v.GetName())
	}
	if tt.GetShape() == nil {
		return nil
	}
	dims := tt.GetShape().GetDim()
	bad := len(dims) != len(want)
	for i := 0; !bad && i < len(dims); i++ {
		if _, fixed := dims[i].GetValue().(*onnxpb.TensorShapeProto_Dimension_DimValue); fixed {
			bad = dims[i].GetDimValue() != int64(want[i])
		}
	}
	if bad {
		return fmt.Errorf("%q has shape %v, but the metadata implies %v", v.GetName(), shapeString(dims), want)
	}
	return nil
}

func shapeString(dims []*onnxpb.TensorShapeProto_Dimension) []string {
	s := make([]string, len(dims))
	for i, d := range dims {
		if p := d.GetDimParam(); p != "" {
			s[i] = p
		} else {
			s[i] = fmt.Sprint(d.GetDimValue())
		}
	}
	return s
}

// checkAttrs refuses the attributes gorgonnx ignores or misreads.
func checkAttrs(n *onnxpb.NodeProto, inits map[string]*onnxpb.TensorProto) error {
	for _, a := range n.GetAttribute() {
		switch name := a.GetName(); {
		case name == "auto_pad" && string(a.GetS()) != "NOTSET":
			return fmt.Errorf("auto_pad %q unsupported", a.GetS())
		case name == "group" && a.GetI() != 1:
			return fmt.Errorf("group %d unsupported (gorgonnx ignores it)", a.GetI())
		case name == "pads":
			// gorgonnx reads a single padding per axis: begin and end
			// must agree, and for Conv both axes too.
			p := a.GetInts()
			for _, v := range p {
				if v != p[0] {
					return fmt.Errorf("pads %v unsupported (want equal pads)", p)
				}
			}
		case name == "ceil_mode" && a.GetI() != 0, name == "storage_order" && a.GetI() != 0:
			return fmt.Errorf("%s %d unsupported", name, a.GetI())
		case name == "dilations" && n.GetOpType() == "MaxPool":
			return fmt.Errorf("dilations unsupported")
		case name == "axis" && n.GetOpType() == "Flatten" && a.GetI() < 0:
			return fmt.Errorf("negative axis %d unsupported", a.GetI())
		}
	}
	if n.GetOpType() == "Add" {
		// gorgonnx broadcasts differently from ONNX (a 1-D operand aligns
		// with the first axis of its length, not the last), so only
		// computed tensors (an ensemble's logits) and the [C,1,1] biases
		// that poolBeforeBias writes are accepted.
		if len(n.GetInput()) != 2 {
			return fmt.Errorf("%d inputs, want 2", len(n.GetInput()))
		}
		for _, s := range n.GetInput() {
			if t := inits[s]; t != nil {
				if d := t.GetDims(); len(d) != 3 || d[1] != 1 || d[2] != 1 {
					return fmt.Errorf("constant operand %q of shape %v (gorgonnx broadcasts it unlike ONNX)", s, d)
				}
			}
		}
		return nil
	}
	if n.GetOpType() != "Conv" {
		return nil
	}
	in := n.GetInput()
	if len(in) < 2 || len(in) > 3 {
		return fmt.Errorf("%d inputs, want 2 or 3", len(in))
	}
	w := inits[in[1]]
	if w == nil || len(w.GetDims()) != 4 {
		return fmt.Errorf("weight %q is not a 4-D initializer", in[1])
	}
	if len(in) == 3 {
		b := inits[in[2]]
		if b == nil || len(b.GetDims()) != 1 || b.GetDims()[0] != w.GetDims()[0] {
			return fmt.Errorf("bias %q is not a 1-D initializer of %d values", in[2], w.GetDims()[0])
		}
	}
	return nil
}
