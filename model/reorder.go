package model

import (
	"google.golang.org/protobuf/proto"

	"emotion/model/onnxpb"
)

// poolBeforeBias rewrites every Conv (with bias) → Relu → MaxPool chain
// of the checked graph into Conv (no bias) → MaxPool → Add (bias) → Relu.
//
// The result is bit for bit the same: a per-channel constant and Relu
// are both monotonic, and float32 rounding is monotonic, so the maximum
// of fl(x+b) is fl(max x + b) and the maximum of Relu(x) is Relu(max x).
// But the bias (which gorgonia broadcasts by materialising it at the
// size of the activation) and Relu (a comparison and a product) then
// run on a quarter of the values with 2×2 pooling.
//
// Chains that do not match exactly (a tensor read by a second node or
// an output of the graph, pooling with padding) are left as they are.
func poolBeforeBias(g *onnxpb.GraphProto) {
	readers := make(map[string]int)
	for _, n := range g.GetNode() {
		for _, s := range n.GetInput() {
			readers[s]++
		}
	}
	for _, o := range g.GetOutput() {
		readers[o.GetName()]++
	}
	inits := make(map[string]*onnxpb.TensorProto)
	for _, t := range g.GetInitializer() {
		inits[t.GetName()] = t
	}
	producer := make(map[string]int) // tensor name → index of its node
	for i, n := range g.GetNode() {
		for _, s := range n.GetOutput() {
			producer[s] = i
		}
	}

	nodes := g.GetNode()
	var out []*onnxpb.NodeProto
	skip := make(map[int]bool)
	for i, conv := range nodes {
		if skip[i] {
			continue
		}
		relu, pool, ok := chain(nodes, i, readers, producer)
		if !ok || inits[conv.GetInput()[2]] == nil {
			out = append(out, conv)
			continue
		}
		bias := inits[conv.GetInput()[2]]
		// gorgonnx's Add broadcasts a [C,1,1] operand against [1,C,H,W];
		// a 1-D one it would align with the first axis of length C.
		chw := proto.Clone(bias).(*onnxpb.TensorProto)
		chw.Name = proto.String(bias.GetName() + "/chw")
		chw.Dims = []int64{bias.GetDims()[0], 1, 1} // checkAttrs: 1-D, C values
		g.Initializer = append(g.Initializer, chw)

		convOut, reluOut, poolOut := conv.GetOutput()[0], relu.GetOutput()[0], pool.GetOutput()[0]
		newConv := proto.Clone(conv).(*onnxpb.NodeProto)
		newConv.Input = newConv.Input[:2]
		newPool := proto.Clone(pool).(*onnxpb.NodeProto)
		newPool.Input = []string{convOut}
		newPool.Output = []string{reluOut}
		add := &onnxpb.NodeProto{
			OpType: proto.String("Add"),
			Name:   proto.String(conv.GetName() + "/bias"),
			Input:  []string{reluOut, chw.GetName()},
			Output: []string{poolOut + "/biased"},
		}
		newRelu := proto.Clone(relu).(*onnxpb.NodeProto)
		newRelu.Input = []string{add.Output[0]}
		newRelu.Output = []string{poolOut}
		out = append(out, newConv, newPool, add, newRelu)
		skip[producer[reluOut]], skip[producer[poolOut]] = true, true
	}
	g.Node = out
	pruneInitializers(g)
}

// chain returns the Relu and MaxPool that follow the Conv nodes[i] when
// the three form a private chain that poolBeforeBias may reorder.
func chain(nodes []*onnxpb.NodeProto, i int, readers map[string]int, producer map[string]int) (relu, pool *onnxpb.NodeProto, ok bool) {
	conv := nodes[i]
	if conv.GetOpType() != "Conv" || len(conv.GetInput()) != 3 || len(conv.GetOutput()) != 1 {
		return nil, nil, false
	}
	next := func(n *onnxpb.NodeProto, op string) *onnxpb.NodeProto {
		out := n.GetOutput()[0]
		if readers[out] != 1 {
			return nil
		}
		for _, m := range nodes {
			if m.GetOpType() == op && len(m.GetInput()) == 1 && m.GetInput()[0] == out && len(m.GetOutput()) == 1 {
				return m
			}
		}
		return nil
	}
	if relu = next(conv, "Relu"); relu == nil {
		return nil, nil, false
	}
	if pool = next(relu, "MaxPool"); pool == nil {
		return nil, nil, false
	}
	for _, a := range pool.GetAttribute() {
		if a.GetName() == "pads" {
			for _, v := range a.GetInts() {
				if v != 0 {
					return nil, nil, false
				}
			}
		}
	}
	// The nodes are in topological order: Relu and MaxPool come after
	// the Conv, and nothing in between may move.
	if producer[relu.GetOutput()[0]] < i || producer[pool.GetOutput()[0]] < i {
		return nil, nil, false
	}
	return relu, pool, true
}
