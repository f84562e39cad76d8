package main

import (
	"flag"
	"fmt"
	"io"

	"emotion/dsp/audio/badinput"
)

// runBadInput writes the bad-input corpus (package badinput) and its
// manifest.json to a directory, for tests outside Go: the browser page,
// or `emotion classify -json` by hand.
func runBadInput(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("badinput", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "directory to write the files and "+badinput.ManifestName+" into (created if missing)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: emotion badinput -o DIR")
		return 2
	}
	man, err := badinput.Write(*out)
	if err != nil {
		fmt.Fprintf(stderr, "emotion badinput: %v\n", err)
		return 1
	}
	var total int64
	for _, e := range man {
		total += e.Bytes
	}
	fmt.Fprintf(stdout, "wrote %d files (%.1f MB) and %s to %s\n", len(man), float64(total)/1e6, badinput.ManifestName, *out)
	return 0
}
