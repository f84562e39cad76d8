package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/owulveryck/onnx-go"
	"github.com/owulveryck/onnx-go/backend/x/gorgonnx"
	"google.golang.org/protobuf/proto"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"emotion/dsp"
	"emotion/model/onnxpb"
)

// Model is a loaded emotion classifier: the metadata of its ONNX file and
// a computation graph built once, with its weights dequantized.
//
// A Model is safe for concurrent use; its calls are serialised.
type Model struct {
	Labels     []string          // class names, in the order of the logits
	Features   dsp.Config        // the features the model was trained on
	InputShape [4]int            // input tensor: batch (1), channels (3), height, width
	WindowHop  int               // frames between successive windows; 0 if the file does not say
	Version    string            // model_version, or ""
	Metrics    json.RawMessage   // cross-validation metrics (cv_metrics), or nil
	License    string            // licence of the weights, or ""
	Trim       json.RawMessage   // silence-trimming settings (trim), or nil
	Metadata   map[string]string // every metadata_props entry, parsed or not

	mu    sync.Mutex
	graph *gorgonnx.Graph
	dec   *onnx.Model
	in    *tensor.Dense // the graph's input, reused by every call
	data  []float32     // in's backing array
	vm    gorgonia.VM   // the machine running graph, when Load made it
}

// Load parses an ONNX model file as written by model/train/train.py,
// checks it, folds its DequantizeLinear nodes into float32 weights,
// reorders each Conv-Relu-MaxPool block to pool first (poolBeforeBias:
// the same results, less work), builds the computation graph on a faster
// engine (engine.go) and runs it once on zeros so that the first real
// call does not pay the set-up cost.
//
// The metadata keys labels, features and input_shape are required;
// window_hop, model_version, cv_metrics, license and trim are read when
// present, and every key is kept in Metadata.
func Load(onnxBytes []byte) (*Model, error) { return load(onnxBytes, defaultBuild) }

// buildOptions select the speed-ups of the graph, so that benchmarks can
// measure each against gorgonnx's defaults in the same run.
type buildOptions struct {
	engine    bool // run on engine (direct Transpose) instead of gorgonia's
	poolFirst bool // reorder Conv-Relu-MaxPool with poolBeforeBias
	keepRegs  bool // rewindingVM: keep the tape machine's tensors between runs
}

var defaultBuild = buildOptions{engine: true, poolFirst: true, keepRegs: true}

func load(onnxBytes []byte, opt buildOptions) (*Model, error) {
	if len(onnxBytes) == 0 {
		return nil, errors.New("model: empty model file")
	}
	var pb onnxpb.ModelProto
	if err := proto.Unmarshal(onnxBytes, &pb); err != nil {
		return nil, fmt.Errorf("model: not an ONNX model: %w", err)
	}
	if pb.GetGraph() == nil || len(pb.GetGraph().GetNode()) == 0 {
		return nil, errors.New("model: not an ONNX model: no graph")
	}
	if err := checkOpset(&pb); err != nil {
		return nil, err
	}
	m := new(Model)
	if err := m.readMetadata(pb.GetMetadataProps()); err != nil {
		return nil, err
	}
	g := pb.GetGraph()
	if err := foldDequantize(g); err != nil {
		return nil, err
	}
	if err := checkGraph(g, m.InputShape, len(m.Labels)); err != nil {
		return nil, err
	}
	if opt.poolFirst {
		poolBeforeBias(g)
	}
	pb.MetadataProps = nil // onnx-go has no use for them
	folded, err := proto.Marshal(&pb)
	if err != nil {
		return nil, fmt.Errorf("model: re-encoding folded model: %w", err)
	}
	if err := m.build(folded, opt); err != nil {
		return nil, err
	}
	return m, nil
}

// checkOpset requires the default ONNX operator set; no custom domains.
func checkOpset(pb *onnxpb.ModelProto) error {
	for _, o := range pb.GetOpsetImport() {
		if d := o.GetDomain(); d == "" || d == "ai.onnx" {
			return nil
		}
	}
	return errors.New("model: no import of the default ONNX operator set")
}

// readMetadata fills m from the model's metadata_props.
func (m *Model) readMetadata(props []*onnxpb.StringStringEntryProto) error {
	m.Metadata = make(map[string]string, len(props))
	for _, p := range props {
		if _, dup := m.Metadata[p.GetKey()]; dup {
			return fmt.Errorf("model: metadata key %q repeated", p.GetKey())
		}
		m.Metadata[p.GetKey()] = p.GetValue()
	}
	for _, k := range []string{"labels", "features", "input_shape"} {
		if _, ok := m.Metadata[k]; !ok {
			return fmt.Errorf("model: metadata %q missing", k)
		}
	}

	if err := json.Unmarshal([]byte(m.Metadata["labels"]), &m.Labels); err != nil {
		return fmt.Errorf("model: metadata labels: %w", err)
	}
	if len(m.Labels) == 0 {
		return errors.New("model: metadata labels: empty list")
	}
	seen := make(map[string]bool, len(m.Labels))
	for _, l := range m.Labels {
		if l == "" || seen[l] {
			return fmt.Errorf("model: metadata labels: empty or repeated label %q", l)
		}
		seen[l] = true
	}

	var err error
	if m.Features, err = dsp.ParseConfig([]byte(m.Metadata["features"])); err != nil {
		return fmt.Errorf("model: metadata features: %w", err)
	}

	var shape []int
	if err := json.Unmarshal([]byte(m.Metadata["input_shape"]), &shape); err != nil {
		return fmt.Errorf("model: metadata input_shape: %w", err)
	}
	// Batch 1 only: the graph is built for one window at a time.
	if len(shape) != 4 || shape[0] != 1 || shape[1] != 3 || shape[2] <= 0 || shape[3] <= 0 {
		return fmt.Errorf("model: metadata input_shape %v: want [1, 3, height, width]", shape)
	}
	copy(m.InputShape[:], shape)
	if shape[2] != m.Features.Height {
		return fmt.Errorf("model: input height %d differs from the features' image height %d", shape[2], m.Features.Height)
	}

	if s, ok := m.Metadata["window_hop"]; ok {
		hop, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || hop < 1 || hop > shape[3] {
			return fmt.Errorf("model: metadata window_hop %q: want an integer in [1, %d]", s, shape[3])
		}
		m.WindowHop = hop
	}
	m.Version = m.Metadata["model_version"]
	m.License = m.Metadata["license"]
	for _, f := range []struct {
		key string
		dst *json.RawMessage
	}{{"cv_metrics", &m.Metrics}, {"trim", &m.Trim}} {
		if s, ok := m.Metadata[f.key]; ok {
			if !json.Valid([]byte(s)) {
				return fmt.Errorf("model: metadata %s is not valid JSON", f.key)
			}
			*f.dst = json.RawMessage(s)
		}
	}
	return nil
}

// build decodes the folded model with onnx-go, binds the input tensor and
// warms the graph up. gorgonia panics on some malformed graphs, so panics
// become errors here.
func (m *Model) build(folded []byte, opt buildOptions) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("model: building graph: %v", r)
		}
	}()
	m.graph = gorgonnx.NewGraph()
	m.dec = onnx.NewModel(m.graph)
	if err := m.dec.UnmarshalBinary(folded); err != nil {
		return fmt.Errorf("model: building graph: %w", err)
	}
	m.in = tensor.New(tensor.WithShape(m.InputShape[:]...), tensor.Of(tensor.Float32))
	m.data = m.in.Data().([]float32)
	if err := m.dec.SetInput(0, m.in); err != nil {
		return fmt.Errorf("model: setting input: %w", err)
	}
	// The expression graph binds m.in; our tape machine replaces the one
	// gorgonnx would make only to carry a faster engine.
	eg, err := m.graph.GetExprGraph()
	if err != nil {
		return fmt.Errorf("model: building graph: %w", err)
	}
	if opt.engine || opt.keepRegs {
		var tm []gorgonia.VMOpt
		if opt.engine {
			tm = append(tm, gorgonia.WithEngine(newEngine()))
		}
		var vm gorgonia.VM = gorgonia.NewTapeMachine(eg, tm...)
		if opt.keepRegs {
			if vm, err = newRewindingVM(vm, eg); err != nil {
				return err
			}
		}
		m.graph.SetVM(vm)
		m.vm = vm
	}
	// The first run compiles the tape machine (when gorgonnx makes it) and
	// allocates; in WebAssembly it also gets the hot code compiled.
	out, err := m.run()
	if err != nil {
		return err
	}
	if len(out) != len(m.Labels) {
		return fmt.Errorf("model: graph gives %d outputs for %d labels", len(out), len(m.Labels))
	}
	return nil
}
