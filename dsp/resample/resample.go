// Package resample converts sample rates with a band-limited resampler.
package resample

import "fmt"

// Resampler converts whole signals from one rate to another.
// Placeholder: the real implementation replaces this file.
type Resampler struct{ from, to int }

// New returns a Resampler from rate from to rate to (Hz).
func New(from, to int) (*Resampler, error) {
	if from <= 0 || to <= 0 {
		return nil, fmt.Errorf("resample: bad rates %d -> %d", from, to)
	}
	return &Resampler{from, to}, nil
}

// Resample returns in converted to the output rate.
func (r *Resampler) Resample(in []float32) []float32 {
	if r.from == r.to {
		return in
	}
	panic("not implemented")
}
