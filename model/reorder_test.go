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

// In each of the shipped graph's nets (one, or several whose logits are
// added), the four pooled blocks are all reordered, the frequency block
// (Conv → Relu, no pooling) is left as it is, and the result is still a
// graph checkGraph accepts.
func TestPoolBeforeBias(t *testing.T) {
	g := foldedGraph(t)
	nets := 0
	for _, op := range opTypes(g) {
		if op == "GlobalAveragePool" {
			nets++
		}
	}
	poolBeforeBias(g)
	block := []string{"Conv", "MaxPool", "Add", "Relu"}
	net := slices.Concat(block, block, block, block, []string{"Conv", "Relu", "GlobalAveragePool", "Conv", "Flatten"})
	var want []string
	for range nets {
		want = append(want, net...)
	}
	for range nets - 1 {
		want = append(want, "Add")
	}
	if got := opTypes(g); nets == 0 || !slices.Equal(got, want) {
		t.Fatalf("ops %v, want %v", got, want)
	}
	for k, n := range g.GetNode() {
		if k%len(net) < 16 && n.GetOpType() == "Conv" && len(n.GetInput()) != 2 {
			t.Errorf("conv %v keeps its bias", n.GetOutput())
		}
	}
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
