package main

import (
	"flag"
	"fmt"
	"os"

	"emotion/dsp/audio"
)

// limitFlags registers the decoder limits on fs.
func limitFlags(fs *flag.FlagSet) *audio.Limits {
	lim := audio.DefaultLimits()
	fs.Int64Var(&lim.MaxBytes, "max-bytes", lim.MaxBytes, "largest input file in bytes")
	fs.Float64Var(&lim.MaxSeconds, "max-seconds", lim.MaxSeconds, "longest input audio in seconds")
	return &lim
}

// decodeFile reads and decodes one file to 16 kHz mono. The size is
// checked before reading so a huge file is refused without loading it.
func decodeFile(name string, lim audio.Limits) (*audio.Clip, error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", name)
	}
	if lim.MaxBytes > 0 && st.Size() > lim.MaxBytes {
		return nil, &audio.Error{Kind: audio.ErrTooLarge, Detail: fmt.Sprintf("%d bytes, limit %d", st.Size(), lim.MaxBytes)}
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return audio.Decode(data, lim)
}
