package dsp

import "math"

// hann returns the periodic Hann window of length n, as scipy's
// get_window("hann", n, fftbins=True): 0.5 - 0.5 cos(2πi/n).
func hann(n int) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n))
	}
	return w
}
