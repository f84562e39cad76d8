package audio

import (
	"errors"
	"fmt"
	"testing"
)

func TestCode(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range codes {
		wrapped := fmt.Errorf("reading x.wav: %w", errorf(c.err, "detail"))
		if got := Code(wrapped); got != c.code {
			t.Errorf("Code(%v) = %q, want %q", wrapped, got, c.code)
		}
		if seen[c.code] {
			t.Errorf("code %q used twice", c.code)
		}
		seen[c.code] = true
	}
	if Code(nil) != "" || Code(errors.New("other")) != "error" {
		t.Error("Code of nil or a foreign error is wrong")
	}
}
