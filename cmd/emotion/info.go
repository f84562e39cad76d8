package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"emotion/dsp/audio"
)

// infoRecord is one line of `emotion info -json`.
type infoRecord struct {
	File string `json:"file"`
	*audio.Info
	Samples16k int    `json:"samples_16k,omitempty"` // decoded sample count at 16 kHz
	Error      string `json:"error,omitempty"`
	ErrorCode  string `json:"error_code,omitempty"` // audio.Code: "truncated", "unsupported", ...
}

func runInfo(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("info", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "one JSON object per line")
	lim := limitFlags(fs)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: emotion info [-json] FILE...")
		return 2
	}
	status := 0
	enc := json.NewEncoder(stdout)
	for _, name := range fs.Args() {
		rec := infoRecord{File: name}
		clip, err := decodeFile(name, *lim)
		if err != nil {
			rec.Error, rec.ErrorCode = err.Error(), audio.Code(err)
			status = 1
		} else {
			rec.Info, rec.Samples16k = &clip.Info, len(clip.Samples)
		}
		if *asJSON {
			enc.Encode(rec)
			continue
		}
		if err != nil {
			fmt.Fprintf(stdout, "%s: error: %v\n", name, err)
			continue
		}
		fmt.Fprintf(stdout, "%s: %s\n", name, describe(rec))
	}
	return status
}

// describe is the one-line human form of a decoded file.
func describe(r infoRecord) string {
	in := r.Info
	s := fmt.Sprintf("%s %s, %d Hz, %d ch", in.Container, in.Codec, in.SampleRate, in.Channels)
	if in.BitDepth > 0 {
		s += fmt.Sprintf(", %d-bit", in.BitDepth)
	}
	if in.Bitrate > 0 {
		vbr := "CBR"
		if in.VBR {
			vbr = "VBR"
		}
		s += fmt.Sprintf(", MPEG-%s %d kbit/s %s", in.MPEG, in.Bitrate, vbr)
	}
	s += fmt.Sprintf(", %.3f s, %d samples at 16 kHz", in.Duration, r.Samples16k)
	for _, w := range in.Warnings {
		s += "; warning: " + w
	}
	return s
}
