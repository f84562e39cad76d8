package model

import (
	"math/rand/v2"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"emotion/model/onnxpb"
)

// embeddedProto returns a fresh copy of the embedded model to edit.
func embeddedProto(t *testing.T) *onnxpb.ModelProto {
	t.Helper()
	var pb onnxpb.ModelProto
	if err := proto.Unmarshal(embedded, &pb); err != nil {
		t.Fatal(err)
	}
	return &pb
}

func setMeta(pb *onnxpb.ModelProto, key, value string) {
	for _, p := range pb.MetadataProps {
		if p.GetKey() == key {
			p.Value = proto.String(value)
			return
		}
	}
	pb.MetadataProps = append(pb.MetadataProps, &onnxpb.StringStringEntryProto{Key: proto.String(key), Value: proto.String(value)})
}

func deleteMeta(pb *onnxpb.ModelProto, key string) {
	var kept []*onnxpb.StringStringEntryProto
	for _, p := range pb.MetadataProps {
		if p.GetKey() != key {
			kept = append(kept, p)
		}
	}
	pb.MetadataProps = kept
}

// initializer is the first initializer whose name ends in suffix
// ("_wq", "_wzero"): l0_wq in a single net, n0l0_wq in an ensemble.
func initializer(t *testing.T, pb *onnxpb.ModelProto, suffix string) *onnxpb.TensorProto {
	t.Helper()
	for _, x := range pb.Graph.Initializer {
		if strings.HasSuffix(x.GetName(), suffix) {
			return x
		}
	}
	t.Fatalf("no initializer named *%s", suffix)
	return nil
}

func node(t *testing.T, pb *onnxpb.ModelProto, op string) *onnxpb.NodeProto {
	t.Helper()
	for _, n := range pb.Graph.Node {
		if n.GetOpType() == op {
			return n
		}
	}
	t.Fatalf("no %s node", op)
	return nil
}

// Bad model files give errors, not panics or models.
func TestLoadInvalid(t *testing.T) {
	random := make([]byte, 4096)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(r.Uint32())
	}
	for _, tc := range []struct {
		name, want string
		edit       func(*onnxpb.ModelProto)
		data       []byte
	}{
		{name: "empty", want: "empty", data: []byte{}},
		{name: "truncated", want: "ONNX", data: embedded[:len(embedded)/2]},
		{name: "random", want: "ONNX", data: random},
		{name: "text", want: "ONNX", data: []byte("this is not a model")},
		{name: "no labels", want: `"labels" missing`, edit: func(pb *onnxpb.ModelProto) { deleteMeta(pb, "labels") }},
		{name: "no features", want: `"features" missing`, edit: func(pb *onnxpb.ModelProto) { deleteMeta(pb, "features") }},
		{name: "no input_shape", want: `"input_shape" missing`, edit: func(pb *onnxpb.ModelProto) { deleteMeta(pb, "input_shape") }},
		{name: "bad labels", want: "labels", edit: func(pb *onnxpb.ModelProto) { setMeta(pb, "labels", `{"a":1}`) }},
		{name: "repeated label", want: "repeated label", edit: func(pb *onnxpb.ModelProto) { setMeta(pb, "labels", `["a","b","a"]`) }},
		{name: "bad features", want: "features", edit: func(pb *onnxpb.ModelProto) { setMeta(pb, "features", `{"version":1}`) }},
		{name: "batch 2", want: "input_shape", edit: func(pb *onnxpb.ModelProto) { setMeta(pb, "input_shape", `[2,3,64,128]`) }},
		{name: "height", want: "image height", edit: func(pb *onnxpb.ModelProto) { setMeta(pb, "input_shape", `[1,3,32,128]`) }},
		{name: "width", want: "shape", edit: func(pb *onnxpb.ModelProto) { setMeta(pb, "input_shape", `[1,3,64,96]`) }},
		{name: "window_hop", want: "window_hop", edit: func(pb *onnxpb.ModelProto) { setMeta(pb, "window_hop", "0") }},
		{name: "cv_metrics", want: "cv_metrics", edit: func(pb *onnxpb.ModelProto) { setMeta(pb, "cv_metrics", "{") }},
		{name: "7 labels", want: "output", edit: func(pb *onnxpb.ModelProto) {
			setMeta(pb, "labels", `["a","b","c","d","e","f","g"]`)
		}},
		{name: "nonzero zero point", want: "nonzero", edit: func(pb *onnxpb.ModelProto) {
			initializer(t, pb, "_wzero").RawData[1] = 3
		}},
		{name: "dequantize computed tensor", want: "not initializers", edit: func(pb *onnxpb.ModelProto) {
			node(t, pb, "DequantizeLinear").Input[0] = "input"
		}},
		{name: "scale shape", want: "scale shape", edit: func(pb *onnxpb.ModelProto) {
			for _, a := range node(t, pb, "DequantizeLinear").Attribute {
				a.I = proto.Int64(1)
			}
		}},
		{name: "short weights", want: "bytes", edit: func(pb *onnxpb.ModelProto) {
			w := initializer(t, pb, "_wq")
			w.RawData = w.RawData[:len(w.RawData)-1]
		}},
		{name: "Gemm", want: "Gemm", edit: func(pb *onnxpb.ModelProto) { node(t, pb, "Flatten").OpType = proto.String("Gemm") }},
		{name: "Softmax", want: "unsupported operator Softmax", edit: func(pb *onnxpb.ModelProto) {
			node(t, pb, "Relu").OpType = proto.String("Softmax")
		}},
		{name: "grouped conv", want: "group", edit: func(pb *onnxpb.ModelProto) {
			n := node(t, pb, "Conv")
			n.Attribute = append(n.Attribute, &onnxpb.AttributeProto{Name: proto.String("group"), I: proto.Int64(2),
				Type: onnxpb.AttributeProto_INT.Enum()})
		}},
		{name: "dangling input", want: "before it is computed", edit: func(pb *onnxpb.ModelProto) {
			node(t, pb, "Relu").Input[0] = "nowhere"
		}},
		{name: "Add of a 1-D constant", want: "broadcasts", edit: func(pb *onnxpb.ModelProto) {
			// A bias added as a 1-D constant: ONNX aligns it with the last
			// axis, gorgonnx with the first of its length.
			relu := node(t, pb, "Relu")
			conv := node(t, pb, "Conv")
			pb.Graph.Node = append(pb.Graph.Node, &onnxpb.NodeProto{OpType: proto.String("Add"),
				Input: []string{relu.GetOutput()[0], conv.GetInput()[2]}, Output: []string{"extra"}})
		}},
		{name: "no graph", want: "no graph", edit: func(pb *onnxpb.ModelProto) { pb.Graph = nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := tc.data
			if tc.edit != nil {
				pb := embeddedProto(t)
				tc.edit(pb)
				var err error
				if data, err = proto.Marshal(pb); err != nil {
					t.Fatal(err)
				}
			}
			m, err := Load(data)
			if err == nil {
				t.Fatalf("Load succeeded, want error containing %q", tc.want)
			}
			t.Log(err)
			if m != nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load = %v, %q; want nil and an error containing %q", m, err, tc.want)
			}
		})
	}
}

// Removing the metadata the loader does not need keeps a loadable model,
// and unknown keys are ignored.
func TestLoadOptionalMetadata(t *testing.T) {
	pb := embeddedProto(t)
	for _, k := range []string{"window_hop", "model_version", "cv_metrics", "license", "trim"} {
		deleteMeta(pb, k)
	}
	setMeta(pb, "something_new", "x")
	data, err := proto.Marshal(pb)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Load(data)
	if err != nil {
		t.Fatal(err)
	}
	if m.WindowHop != 0 || m.Version != "" || m.Metrics != nil || m.Metadata["something_new"] != "x" {
		t.Errorf("got %+v", m)
	}
}

// Corrupted bytes of a valid model give an error or a working model,
// never a panic.
func TestLoadCorrupted(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	n := 40
	if testing.Short() {
		n = 5
	}
	for range n {
		data := append([]byte(nil), embedded...)
		for range 1 + r.IntN(4) {
			data[r.IntN(len(data))] = byte(r.Uint32())
		}
		if m, err := Load(data); err == nil && m == nil {
			t.Fatal("nil model without error")
		}
	}
}

func FuzzLoad(f *testing.F) {
	f.Add(embedded)
	f.Add(embedded[:100])
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Load(data)
		if (m == nil) == (err == nil) {
			t.Fatalf("Load = %v, %v", m, err)
		}
	})
}
