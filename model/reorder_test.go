package model

import (
	"slices"
	"testing"

	"google.golang.org/protobuf/proto"

	"emotion/model/onnxpb"
)

func foldedGraph(t *testing.T) *onnxpb.GraphProto {
	t.Helper()
	var pb onnxpb.ModelProto
	if err := proto.Unmarshal(embedded, &pb); err != nil {
		t.Fatal(err)
	}
	if err := foldDequantize(pb.GetGraph()); err != nil {
		t.Fatal(err)
	}
	return pb.GetGraph()
}

func opTypes(g *onnxpb.GraphProto) []string {
	var ops []string
	for _, n := range g.GetNode() {
		ops = append(ops, n.GetOpType())
	}
	return ops
}

// The shipped graph's four pooled blocks are all reordered, the frequency
// block (Conv → Relu, no pooling) is left as it is, and the result is
// still a graph checkGraph accepts once Add is allowed.
func TestPoolBeforeBias(t *testing.T) {
	g := foldedGraph(t)
	poolBeforeBias(g)
	block := []string{"Conv", "MaxPool", "Add", "Relu"}
	want := slices.Concat(block, block, block, block, []string{"Conv", "Relu", "GlobalAveragePool", "Conv", "Flatten"})
	if got := opTypes(g); !slices.Equal(got, want) {
		t.Fatalf("ops %v, want %v", got, want)
	}
	for _, n := range g.GetNode()[:16] {
		if n.GetOpType() == "Conv" && len(n.GetInput()) != 2 {
			t.Errorf("conv %v keeps its bias", n.GetOutput())
		}
	}
	supportedOps["Add"] = true
	defer delete(supportedOps, "Add")
	if err := checkGraph(g, [4]int{1, 3, 64, 128}, 8); err != nil {
		t.Error(err)
	}
}

// A Relu output that something else also reads must not move.
func TestPoolBeforeBiasSharedTensor(t *testing.T) {
	g := foldedGraph(t)
	relu := g.GetNode()[1]
	g.Output = append(g.Output, &onnxpb.ValueInfoProto{Name: proto.String(relu.GetOutput()[0])})
	poolBeforeBias(g)
	if got := opTypes(g)[:3]; !slices.Equal(got, []string{"Conv", "Relu", "MaxPool"}) {
		t.Errorf("first block became %v", got)
	}
	if got := opTypes(g)[3:7]; !slices.Equal(got, []string{"Conv", "MaxPool", "Add", "Relu"}) {
		t.Errorf("second block became %v", got)
	}
}
