// Package audio turns the bytes of a dropped file into mono float32 samples
// at the model's sample rate (16 kHz).
//
// The container is sniffed from magic bytes, never from a file name. WAV
// (PCM, IEEE float, A-law/µ-law, WAVE_FORMAT_EXTENSIBLE, RF64) and MP3
// (MPEG-1/2/2.5 Layer III, CBR and VBR, ID3 tags) are supported. Channels
// are downmixed by their mean, then the signal is resampled with a
// band-limited resampler (package resample).
//
// Every failure is an error wrapping one of the Err* sentinels below, so
// callers can test it with errors.Is and show its message to a person.
// Decoding never panics on bad input, and sizes read from headers are
// checked against Limits before anything large is allocated.
package audio

import (
	"errors"
	"fmt"

	"emotion/dsp/resample"
)

// TargetRate is the sample rate Decode returns.
const TargetRate = 16000

// Sentinel errors. Every error returned by this package wraps exactly one.
var (
	ErrEmpty       = errors.New("empty file")
	ErrNotAudio    = errors.New("not a WAV or MP3 file")
	ErrTruncated   = errors.New("file is truncated")
	ErrInvalid     = errors.New("invalid audio header") // zero channels, absurd rate, impossible sizes
	ErrUnsupported = errors.New("unsupported audio encoding")
	ErrNoSamples   = errors.New("file holds no audio samples")
	ErrTooLarge    = errors.New("file is too large")
	ErrTooLong     = errors.New("audio is too long")
)

// Error is the concrete error type: a sentinel Kind plus the detail that
// names the problem for a person ("WAV fmt chunk: 0 channels").
type Error struct {
	Kind   error
	Detail string
}

func (e *Error) Error() string {
	if e.Detail == "" {
		return e.Kind.Error()
	}
	return e.Kind.Error() + ": " + e.Detail
}

func (e *Error) Unwrap() error { return e.Kind }

// errorf builds an *Error of the given kind.
func errorf(kind error, format string, args ...any) error {
	return &Error{Kind: kind, Detail: fmt.Sprintf(format, args...)}
}

// Limits protect a browser tab from files that would exhaust its memory.
type Limits struct {
	MaxBytes   int64   // largest accepted input file, in bytes
	MaxSeconds float64 // longest accepted audio, in seconds
}

// DefaultLimits are sized for a browser tab: 200 MB and 10 minutes.
func DefaultLimits() Limits {
	return Limits{MaxBytes: 200 << 20, MaxSeconds: 600}
}

// Rate bounds accepted from headers; anything outside is ErrInvalid.
const (
	MinRate = 8000
	MaxRate = 192000
)

// Info is what was found in the file.
type Info struct {
	Container  string  `json:"container"`           // "wav", "rf64" or "mp3"
	Codec      string  `json:"codec"`               // "pcm", "float", "alaw", "mulaw", "mp3"
	SampleRate int     `json:"sample_rate"`         // original rate in Hz
	Channels   int     `json:"channels"`            // original channel count
	BitDepth   int     `json:"bit_depth,omitempty"` // bits per sample; 0 for MP3
	Duration   float64 `json:"duration"`            // seconds of audio decoded
	Frames     int     `json:"frames"`              // sample frames at the original rate

	// MP3 only.
	MPEG         string `json:"mpeg,omitempty"`          // "1", "2" or "2.5"
	Bitrate      int    `json:"bitrate_kbps,omitempty"`  // average bitrate
	VBR          bool   `json:"vbr,omitempty"`           // Xing or VBRI header present, or frame bitrates vary
	EncoderDelay int    `json:"encoder_delay,omitempty"` // samples trimmed from the start (LAME tag)
	Padding      int    `json:"padding,omitempty"`       // samples trimmed from the end (LAME tag)

	// Warnings are recoverable oddities, e.g. "data chunk size 0xFFFFFFFF; used the 48000 bytes present".
	Warnings []string `json:"warnings,omitempty"`
}

// Clip is a decoded file: mono samples at Rate, and what was found.
type Clip struct {
	Samples []float32 // mono, at Rate, nominally in [-1, 1]
	Rate    int       // always TargetRate from Decode
	Info    Info
}

// decoded is what a container decoder hands back: mono samples at the
// file's own rate and the Info it filled in (Duration and Frames included).
type decoded struct {
	mono []float32
	info Info
}

// Decode sniffs, decodes, downmixes and resamples data to TargetRate mono.
func Decode(data []byte, lim Limits) (*Clip, error) {
	d, err := DecodeNative(data, lim)
	if err != nil {
		return nil, err
	}
	r, err := resample.New(d.Info.SampleRate, TargetRate)
	if err != nil {
		return nil, errorf(ErrInvalid, "%v", err)
	}
	d.Samples = r.Resample(d.Samples)
	d.Rate = TargetRate
	return d, nil
}

// DecodeNative is Decode without the resampling: mono at the file's own rate.
func DecodeNative(data []byte, lim Limits) (*Clip, error) {
	if len(data) == 0 {
		return nil, &Error{Kind: ErrEmpty}
	}
	if lim.MaxBytes > 0 && int64(len(data)) > lim.MaxBytes {
		return nil, errorf(ErrTooLarge, "%d bytes, limit %d", len(data), lim.MaxBytes)
	}
	var (
		d   decoded
		err error
	)
	switch f := Sniff(data); f {
	case FormatWAV:
		d, err = decodeWAV(data, lim)
	case FormatMP3:
		d, err = decodeMP3(data, lim)
	default:
		return nil, notAudio(data)
	}
	if err != nil {
		return nil, err
	}
	if len(d.mono) == 0 {
		return nil, errorf(ErrNoSamples, "%s container with no sample frames", d.info.Container)
	}
	return &Clip{Samples: d.mono, Rate: d.info.SampleRate, Info: d.info}, nil
}

// checkDuration returns ErrTooLong if frames at rate exceed the limit.
// Decoders call it before allocating sample buffers.
func checkDuration(frames int64, rate int, lim Limits) error {
	if lim.MaxSeconds > 0 && rate > 0 && float64(frames)/float64(rate) > lim.MaxSeconds {
		return errorf(ErrTooLong, "%.1f s, limit %g s", float64(frames)/float64(rate), lim.MaxSeconds)
	}
	return nil
}
