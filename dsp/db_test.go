package dsp

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestLog10(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	var worst float64
	check := func(x float64) {
		e := math.Abs(log10(x) - math.Log10(x))
		worst = max(worst, e)
		if e > 1e-12 {
			t.Fatalf("log10(%g) = %.17g, want %.17g", x, log10(x), math.Log10(x))
		}
	}
	for i := 0; i < 100_000; i++ {
		check(math.Exp(rng.Float64()*200 - 100))
	}
	for _, x := range []float64{1e-10, 1e-5, 1, 2, 10, 1e10, math.Nextafter(2, 0), math.Nextafter(1, 2), 0x1p-1022, math.MaxFloat64} {
		check(x)
	}
	t.Logf("max |log10 - math.Log10| = %.3g", worst)
}

func TestPowerDBs(t *testing.T) {
	src := []float64{0, 1e-12, 1e-10, 3.7e-7, 0.5, 1, 2, 12345.678, 1e30}
	dst := make([]float64, len(src))
	powerDBs(dst, src, 1e-10)
	for i, x := range src {
		want := 10 * math.Log10(max(x, 1e-10))
		if math.Abs(dst[i]-want) > 1e-11 || dst[i] != powerDB(x, 1e-10) {
			t.Errorf("powerDBs(%g) = %.15g, want %.15g", x, dst[i], want)
		}
	}
}
