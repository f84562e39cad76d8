package dsp

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestReferenceValid(t *testing.T) {
	if err := Reference().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestConfigJSONRoundTrip(t *testing.T) {
	want := Reference()
	data, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"version":1`) {
		t.Errorf("no version field in %s", data)
	}
	got, err := ParseConfig(data)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("round trip: got %+v, want %+v", got, want)
	}
	// Through encoding/json as a field of a larger document.
	var doc struct{ Features Config }
	if err := json.Unmarshal([]byte(`{"Features":`+string(data)+`}`), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Features != want {
		t.Errorf("embedded: got %+v", doc.Features)
	}
	// A non-reference but valid config survives too.
	c := want
	c.Height, c.Norm, c.FMin, c.TopDB = 96, NormNone, 20, 60
	data, _ = json.Marshal(c)
	if got, err := ParseConfig(data); err != nil || got != c {
		t.Errorf("custom: got %+v, %v", got, err)
	}
}

func TestConfigJSONStrict(t *testing.T) {
	ref, _ := json.Marshal(Reference())
	replace := func(old, new string) string {
		s := strings.Replace(string(ref), old, new, 1)
		if s == string(ref) {
			t.Fatalf("%q not in %s", old, ref)
		}
		return s
	}
	for _, tc := range []struct {
		name, json, want string
	}{
		{"unknown version", replace(`"version":1`, `"version":2`), "unsupported feature config version"},
		{"no version", replace(`"version":1,`, ``), `missing field "version"`},
		{"unknown field", replace(`"version":1,`, `"version":1,"dither":true,`), `unknown field "dither"`},
		{"missing field", replace(`"n_mels":128,`, ``), `missing field "n_mels"`},
		{"wrong type", replace(`"n_fft":1024`, `"n_fft":"1024"`), "n_fft"},
		{"fraction", replace(`"hop_length":256`, `"hop_length":256.5`), "hop_length"},
		{"not power of two", replace(`"n_fft":1024`, `"n_fft":1000`), "power of two"},
		{"hop too big", replace(`"hop_length":256`, `"hop_length":2048`), "hop_length"},
		{"window", replace(`"window":"hann"`, `"window":"hamming"`), "window"},
		{"fmax above nyquist", replace(`"fmax":8000`, `"fmax":9000`), "fmax"},
		{"fmin >= fmax", replace(`"fmin":0`, `"fmin":8000`), "fmin"},
		{"top_db", replace(`"top_db":80`, `"top_db":0`), "top_db"},
		{"amin", replace(`"amin_power":1e-10`, `"amin_power":-1`), "amin_power"},
		{"height", replace(`"height":128`, `"height":0`), "height"},
		{"norm", replace(`"norm":"unit"`, `"norm":"zscore"`), "norm"},
		{"trailing", string(ref) + `{}`, "trailing"},
		{"not an object", `[1,2]`, "dsp: config"},
		{"empty", ``, "dsp: config"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tc.json))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParseConfig(%s) error = %v, want one mentioning %q", tc.json, err, tc.want)
			}
		})
	}
	_, err := ParseConfig([]byte(replace(`"version":1`, `"version":7`)))
	if !errors.Is(err, ErrConfigVersion) {
		t.Errorf("version error %v does not wrap ErrConfigVersion", err)
	}
	bad := Reference()
	bad.NMels = 0
	if _, err := json.Marshal(bad); err == nil {
		t.Error("Marshal accepted an invalid config")
	}
	if _, err := NewPlan(bad); err == nil {
		t.Error("NewPlan accepted an invalid config")
	}
}
