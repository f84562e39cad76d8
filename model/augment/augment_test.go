package augment

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func sine(n int, f, amp float64) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(amp * math.Sin(2*math.Pi*f*float64(i)/Rate))
	}
	return x
}

func snr(clean, noisy []float32) float64 {
	var s, e float64
	for i := range clean {
		s += float64(clean[i]) * float64(clean[i])
		d := float64(noisy[i] - clean[i])
		e += d * d
	}
	return 10 * math.Log10(s/e)
}

func TestAddNoiseHitsTheSNR(t *testing.T) {
	for colour := range 3 {
		clean := sine(Rate, 300, 0.3)
		noisy := AddNoise(append([]float32(nil), clean...), 10, colour, rand.New(rand.NewPCG(1, 1)))
		if got := snr(clean, noisy); math.Abs(got-10) > 0.01 {
			t.Errorf("colour %d: SNR %.3f dB, want 10", colour, got)
		}
	}
}

func TestGain(t *testing.T) {
	x := Gain([]float32{0.1, -0.2}, 20)
	if math.Abs(float64(x[0])-1) > 1e-6 || math.Abs(float64(x[1])+2) > 1e-6 {
		t.Errorf("Gain +20 dB = %v", x)
	}
}

func TestSpeedChangesLengthAndPitch(t *testing.T) {
	x := sine(Rate, 500, 0.5)
	y, err := Speed(x, 1.05)
	if err != nil {
		t.Fatal(err)
	}
	if want := float64(len(x)) / 1.05; math.Abs(float64(len(y))-want) > 2 {
		t.Errorf("len %d, want about %.0f", len(y), want)
	}
	// 5 % faster: 500 Hz becomes 525 Hz; count zero crossings over the middle.
	c := 0
	for i := 1000; i < len(y)-1000; i++ {
		if (y[i-1] < 0) != (y[i] < 0) {
			c++
		}
	}
	f := float64(c) / 2 / (float64(len(y)-2000) / Rate)
	if math.Abs(f-525) > 3 {
		t.Errorf("frequency after speed-up %.1f Hz, want 525", f)
	}
}

func TestReverbKeepsLevelAndSpreadsAnImpulse(t *testing.T) {
	x := make([]float32, Rate)
	x[100] = 1
	y := Reverb(x, 0.5, 0.5, rand.New(rand.NewPCG(3, 3)))
	if len(y) != len(x) {
		t.Fatalf("len %d", len(y))
	}
	if math.Abs(power32(y)/power32(x)-1) > 1e-3 {
		t.Errorf("level changed: %g vs %g", power32(y), power32(x))
	}
	tail := 0.0
	for _, v := range y[100+Rate/10:] {
		tail += float64(v) * float64(v)
	}
	if tail == 0 {
		t.Error("no reverberant tail after 100 ms")
	}
}

func TestMP3RoundTrip(t *testing.T) {
	x := sine(Rate, 440, 0.3)
	y, err := MP3RoundTrip(x, 64)
	if err != nil {
		t.Fatal(err)
	}
	if len(y) != len(x) {
		t.Fatalf("len %d, want %d (LAME tag gapless trimming)", len(y), len(x))
	}
	if s := snr(x[2000:len(x)-2000], y[2000:len(y)-2000]); s < 15 {
		t.Errorf("MP3 round trip SNR %.1f dB, want >= 15", s)
	}
}

func TestPolicyIsSeededAndDefaultChanges(t *testing.T) {
	x := sine(Rate, 200, 0.2)
	p := Default()
	p.PMP3 = 0 // keep this test free of lame
	a, err := p.Apply(x, rand.New(rand.NewPCG(7, 7)))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := p.Apply(x, rand.New(rand.NewPCG(7, 7)))
	if len(a) != len(b) {
		t.Fatal("same seed, different lengths")
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatal("same seed, different output")
		}
	}
	if q := p.Only("gain"); q.PGain != 1 || q.PNoise != 0 || q.PSpeed != 0 {
		t.Errorf("Only(gain) = %+v", q)
	}
}

func TestParsePolicy(t *testing.T) {
	d := Default()
	for _, c := range []struct {
		spec string
		want Policy
	}{
		{"all", d},
		{"none", Policy{}},
		{"noise", d.Only("noise")},
		{"all-noise", d.Without("noise")},
		{"all-noise-mp3", d.Without("noise").Without("mp3")},
	} {
		got, err := d.Parse(c.spec)
		if err != nil {
			t.Fatalf("Parse(%q): %v", c.spec, err)
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("Parse(%q) = %+v, want %+v", c.spec, got, c.want)
		}
	}
	if q, _ := d.Parse("all-noise"); q.PNoise != 0 || q.PSpeed != d.PSpeed || q.PMP3 != d.PMP3 {
		t.Errorf("all-noise = %+v", q)
	}
	for _, bad := range []string{"", "nosie", "all-", "all-noise-typo", "speed,reverb", "ALL"} {
		if _, err := d.Parse(bad); err == nil {
			t.Errorf("Parse(%q) succeeded, want an error", bad)
		}
	}
}
