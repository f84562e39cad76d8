package audio

import "errors"

// codes names each sentinel with a stable, machine-readable string for
// JSON output and the JavaScript API.
var codes = []struct {
	err  error
	code string
}{
	{ErrEmpty, "empty"},
	{ErrNotAudio, "not_audio"},
	{ErrTruncated, "truncated"},
	{ErrInvalid, "invalid"},
	{ErrUnsupported, "unsupported"},
	{ErrNoSamples, "no_samples"},
	{ErrTooLarge, "too_large"},
	{ErrTooLong, "too_long"},
}

// Code returns the stable code of the sentinel err wraps ("truncated",
// "unsupported", ...), "" for nil and "error" for anything else.
func Code(err error) string {
	if err == nil {
		return ""
	}
	for _, c := range codes {
		if errors.Is(err, c.err) {
			return c.code
		}
	}
	return "error"
}
