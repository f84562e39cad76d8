package dsp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
)

// ConfigVersion is the version of the serialised Config this package
// writes and the only one it reads. Bump it whenever the meaning of a field
// or of the computation changes, so that a model trained on one definition
// of the features is never fed another.
const ConfigVersion = 1

// Normalisation rules for the image channels (Config.Norm).
const (
	// NormUnit maps each channel to [0, 1]: a dB channel x in
	// [-TopDB, 0] becomes (x+TopDB)/TopDB; chroma is already in [0, 1].
	NormUnit = "unit"
	// NormNone copies dB values and chroma into the image unchanged.
	NormNone = "none"
)

// WindowHann is the periodic Hann window, scipy's get_window("hann", N,
// fftbins=True): w[n] = 0.5 - 0.5 cos(2πn/N).
const WindowHann = "hann"

// Config describes the features completely. Its JSON form (MarshalJSON,
// ParseConfig) travels inside the model file so that the browser computes
// exactly what the model was trained on.
//
// Frames are always centred, with n_fft/2 zeros of padding on each side
// (librosa center=True, pad_mode="constant"), and the spectrogram is the
// power |X|² of the windowed real FFT.
type Config struct {
	SampleRate int     // samples per second of the input
	NFFT       int     // FFT length and window length; a power of two
	Hop        int     // samples between successive frames
	Window     string  // window function; only WindowHann
	NMels      int     // mel bands (Slaney scale, Slaney area normalisation)
	FMin, FMax float64 // mel filter bank edges in Hz
	NChroma    int     // chroma bins per octave
	TopDB      float64 // dB range kept below the maximum (power_to_db top_db)
	AminPower  float64 // floor on mel power before log (power_to_db amin)
	AminAmp    float64 // floor on STFT magnitude before log (amplitude_to_db amin)
	Height     int     // image rows per channel
	Norm       string  // image channel scaling: NormUnit or NormNone
	// STFTBins: the log-STFT image channel covers STFT bins [0, STFTBins)
	// only (0: all Bins()). With 128 of 513 bins (0–2 kHz at 16 kHz) a
	// row spans 31 Hz instead of 125, so the harmonics of the voice, and
	// with them its pitch, stay resolved; the mel channel still covers
	// the whole band. Serialised only when set, like Center.
	STFTBins int
	// Center: the log-mel and log-STFT rows of a clip's image have their
	// mean over the clip subtracted (Plan.CenterRows). Serialised only
	// when set, so configurations written before it still read the same,
	// and a build that does not know it refuses a model that needs it.
	Center bool
}

// Reference returns the reference configuration, which matches the librosa
// calls in the golden data set:
//
//	S      = |stft(y, n_fft=1024, hop_length=256, window="hann", center=True, pad_mode="constant")|
//	mel    = melspectrogram(S=S**2, sr=16000, n_mels=128, fmin=0, fmax=8000, htk=False, norm="slaney")
//	logmel = power_to_db(mel, ref=np.max, amin=1e-10, top_db=80)
//	chroma = chroma_stft(S=S**2, sr=16000, n_chroma=12, tuning=0.0, norm=np.inf)
//	logstft= amplitude_to_db(S, ref=np.max, amin=1e-5, top_db=80)
//
// with a 128-row image scaled to [0, 1].
func Reference() Config {
	return Config{
		SampleRate: 16000,
		NFFT:       1024,
		Hop:        256,
		Window:     WindowHann,
		NMels:      128,
		FMin:       0,
		FMax:       8000,
		NChroma:    12,
		TopDB:      80,
		AminPower:  1e-10,
		AminAmp:    1e-5,
		Height:     128,
		Norm:       NormUnit,
	}
}

// Bins returns the number of STFT frequency bins, NFFT/2+1.
func (c Config) Bins() int { return c.NFFT/2 + 1 }

// ImageSTFTBins returns the number of STFT bins, from 0 Hz, that the
// log-STFT image channel covers: STFTBins, or all Bins() if it is 0.
func (c Config) ImageSTFTBins() int {
	if c.STFTBins > 0 {
		return c.STFTBins
	}
	return c.Bins()
}

// Frames returns the number of frames for n input samples: 1 + n/Hop, as
// librosa computes with centred frames. It is 0 for n <= 0.
func (c Config) Frames(n int) int {
	if n <= 0 || c.Hop <= 0 {
		return 0
	}
	return 1 + n/c.Hop
}

// maxNFFT bounds the FFT so that tables stay small in a browser tab.
const maxNFFT = 1 << 16

// Validate reports the first invalid field, or nil.
func (c Config) Validate() error {
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	switch {
	case c.SampleRate <= 0:
		return fmt.Errorf("dsp: config: sample_rate %d must be positive", c.SampleRate)
	case c.NFFT < 16 || c.NFFT > maxNFFT || c.NFFT&(c.NFFT-1) != 0:
		return fmt.Errorf("dsp: config: n_fft %d must be a power of two in [16, %d]", c.NFFT, maxNFFT)
	case c.Hop <= 0 || c.Hop > c.NFFT:
		return fmt.Errorf("dsp: config: hop_length %d must be in [1, n_fft=%d]", c.Hop, c.NFFT)
	case c.Window != WindowHann:
		return fmt.Errorf("dsp: config: window %q unsupported (want %q)", c.Window, WindowHann)
	case c.NMels <= 0 || c.NMels > c.Bins():
		return fmt.Errorf("dsp: config: n_mels %d must be in [1, %d]", c.NMels, c.Bins())
	case !finite(c.FMin) || !finite(c.FMax) || c.FMin < 0 || c.FMin >= c.FMax || c.FMax > float64(c.SampleRate)/2:
		return fmt.Errorf("dsp: config: need 0 <= fmin (%g) < fmax (%g) <= sample_rate/2 (%g)",
			c.FMin, c.FMax, float64(c.SampleRate)/2)
	case c.NChroma <= 0 || c.NChroma > 120:
		return fmt.Errorf("dsp: config: n_chroma %d must be in [1, 120]", c.NChroma)
	case !finite(c.TopDB) || c.TopDB <= 0:
		return fmt.Errorf("dsp: config: top_db %g must be positive and finite", c.TopDB)
	case !finite(c.AminPower) || c.AminPower <= 0:
		return fmt.Errorf("dsp: config: amin_power %g must be positive and finite", c.AminPower)
	case !finite(c.AminAmp) || c.AminAmp <= 0:
		return fmt.Errorf("dsp: config: amin_amplitude %g must be positive and finite", c.AminAmp)
	case c.STFTBins < 0 || c.STFTBins > c.Bins():
		return fmt.Errorf("dsp: config: stft_bins %d must be in [0, %d] (0: all)", c.STFTBins, c.Bins())
	case c.Height <= 0 || c.Height > 4096:
		return fmt.Errorf("dsp: config: height %d must be in [1, 4096]", c.Height)
	case c.Norm != NormUnit && c.Norm != NormNone:
		return fmt.Errorf("dsp: config: norm %q unsupported (want %q or %q)", c.Norm, NormUnit, NormNone)
	}
	return nil
}

// configJSON is the serialised form. Pointers let ParseConfig tell a
// missing field from a zero one.
type configJSON struct {
	Version    *int     `json:"version"`
	SampleRate *int     `json:"sample_rate"`
	NFFT       *int     `json:"n_fft"`
	Hop        *int     `json:"hop_length"`
	Window     *string  `json:"window"`
	NMels      *int     `json:"n_mels"`
	FMin       *float64 `json:"fmin"`
	FMax       *float64 `json:"fmax"`
	NChroma    *int     `json:"n_chroma"`
	TopDB      *float64 `json:"top_db"`
	AminPower  *float64 `json:"amin_power"`
	AminAmp    *float64 `json:"amin_amplitude"`
	Height     *int     `json:"height"`
	Norm       *string  `json:"norm"`
	STFTBins   *int     `json:"stft_bins,omitempty"`
	Center     *bool    `json:"center,omitempty"`
}

// MarshalJSON writes c with a "version" field. It fails if c is invalid,
// so an invalid configuration never reaches a model file.
func (c Config) MarshalJSON() ([]byte, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	v := ConfigVersion
	j := configJSON{
		Version: &v, SampleRate: &c.SampleRate, NFFT: &c.NFFT, Hop: &c.Hop,
		Window: &c.Window, NMels: &c.NMels, FMin: &c.FMin, FMax: &c.FMax,
		NChroma: &c.NChroma, TopDB: &c.TopDB, AminPower: &c.AminPower,
		AminAmp: &c.AminAmp, Height: &c.Height, Norm: &c.Norm,
	}
	if c.STFTBins != 0 {
		j.STFTBins = &c.STFTBins
	}
	if c.Center {
		j.Center = &c.Center
	}
	return json.Marshal(j)
}

// UnmarshalJSON is ParseConfig for encoding/json users.
func (c *Config) UnmarshalJSON(data []byte) error {
	cfg, err := ParseConfig(data)
	if err != nil {
		return err
	}
	*c = cfg
	return nil
}

// ErrConfigVersion is wrapped by ParseConfig's error for a version it does
// not know.
var ErrConfigVersion = errors.New("dsp: unsupported feature config version")

// ParseConfig parses the JSON form of a Config strictly: the version must be
// ConfigVersion, every field but the optional "stft_bins" and "center" must
// be present, unknown fields, duplicate documents and trailing data are
// rejected, and the result must Validate.
func ParseConfig(data []byte) (Config, error) {
	var j configJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return Config{}, fmt.Errorf("dsp: config: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Config{}, errors.New("dsp: config: trailing data after JSON object")
	}
	if j.Version == nil {
		return Config{}, errors.New("dsp: config: missing field \"version\"")
	}
	if *j.Version != ConfigVersion {
		return Config{}, fmt.Errorf("%w: %d (this build reads %d)", ErrConfigVersion, *j.Version, ConfigVersion)
	}
	var c Config
	missing := ""
	setInt := func(dst *int, src *int, name string) {
		if src == nil {
			if missing == "" {
				missing = name
			}
			return
		}
		*dst = *src
	}
	setF := func(dst *float64, src *float64, name string) {
		if src == nil {
			if missing == "" {
				missing = name
			}
			return
		}
		*dst = *src
	}
	setS := func(dst *string, src *string, name string) {
		if src == nil {
			if missing == "" {
				missing = name
			}
			return
		}
		*dst = *src
	}
	setInt(&c.SampleRate, j.SampleRate, "sample_rate")
	setInt(&c.NFFT, j.NFFT, "n_fft")
	setInt(&c.Hop, j.Hop, "hop_length")
	setS(&c.Window, j.Window, "window")
	setInt(&c.NMels, j.NMels, "n_mels")
	setF(&c.FMin, j.FMin, "fmin")
	setF(&c.FMax, j.FMax, "fmax")
	setInt(&c.NChroma, j.NChroma, "n_chroma")
	setF(&c.TopDB, j.TopDB, "top_db")
	setF(&c.AminPower, j.AminPower, "amin_power")
	setF(&c.AminAmp, j.AminAmp, "amin_amplitude")
	setInt(&c.Height, j.Height, "height")
	setS(&c.Norm, j.Norm, "norm")
	if j.STFTBins != nil { // optional: absent is 0, all bins
		c.STFTBins = *j.STFTBins
	}
	if j.Center != nil { // optional: absent is false
		c.Center = *j.Center
	}
	if missing != "" {
		return Config{}, fmt.Errorf("dsp: config: missing field %q", missing)
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}
