package onnxpb_test

import (
	"testing"

	"google.golang.org/protobuf/proto"

	"emotion/model/onnxpb"

	// onnx-go registers its own copy of the ONNX messages; both must load.
	_ "github.com/owulveryck/onnx-go"
)

// TestRoundTrip checks that the types coexist with onnx-go's registration
// and survive a marshal/unmarshal round trip.
func TestRoundTrip(t *testing.T) {
	m := &onnxpb.ModelProto{
		IrVersion:     proto.Int64(7),
		MetadataProps: []*onnxpb.StringStringEntryProto{{Key: proto.String("k"), Value: proto.String("v")}},
		Graph:         &onnxpb.GraphProto{Name: proto.String("g")},
	}
	b, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var got onnxpb.ModelProto
	if err := proto.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(m, &got) {
		t.Errorf("round trip: got %v, want %v", &got, m)
	}
}
