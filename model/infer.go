package model

import (
	"fmt"
	"math"
	"slices"
)

// InputLen returns the number of values Logits expects: channels × height
// × width, channel-major then row-major, as dsp builds the image.
func (m *Model) InputLen() int { return m.InputShape[1] * m.InputShape[2] * m.InputShape[3] }

// Logits runs the model on one window of the spectrogram image and returns
// a new slice of len(m.Labels) logits. input is copied; it must hold
// InputLen values.
func (m *Model) Logits(input []float32) ([]float32, error) {
	if len(input) != m.InputLen() {
		return nil, fmt.Errorf("model: input has %d values, want %d (%v)", len(input), m.InputLen(), m.InputShape)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	copy(m.data, input)
	return m.run()
}

// Probabilities returns the softmax of Logits(input).
func (m *Model) Probabilities(input []float32) ([]float32, error) {
	l, err := m.Logits(input)
	if err != nil {
		return nil, err
	}
	return Softmax(l), nil
}

// Softmax returns exp(x[i]) / Σ exp(x[j]) in a new slice, computed in
// float64 after subtracting the maximum so that it cannot overflow.
func Softmax(x []float32) []float32 {
	p := make([]float32, len(x))
	if len(x) == 0 {
		return p
	}
	hi := float64(slices.Max(x))
	var sum float64
	for _, v := range x {
		sum += math.Exp(float64(v) - hi)
	}
	for i, v := range x {
		p[i] = float32(math.Exp(float64(v)-hi) / sum)
	}
	return p
}

// run executes the graph on the current contents of m.in and returns a
// copy of the output, which gorgonia overwrites on the next run. The
// caller holds m.mu (or owns m, during Load).
func (m *Model) run() (out []float32, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("model: running graph: %v", r)
		}
	}()
	// Rebinding the same tensor is cheap; it keeps the input correct even
	// if onnx-go or gorgonia swapped the node's value.
	if err := m.dec.SetInput(0, m.in); err != nil {
		return nil, fmt.Errorf("model: setting input: %w", err)
	}
	if err := m.graph.Run(); err != nil {
		return nil, fmt.Errorf("model: running graph: %w", err)
	}
	outs, err := m.dec.GetOutputTensors()
	if err != nil {
		return nil, fmt.Errorf("model: reading output: %w", err)
	}
	if len(outs) != 1 || outs[0] == nil {
		return nil, fmt.Errorf("model: graph gave %d outputs, want 1", len(outs))
	}
	data, ok := outs[0].Data().([]float32)
	if !ok {
		return nil, fmt.Errorf("model: output is %T, want []float32", outs[0].Data())
	}
	return slices.Clone(data), nil
}
