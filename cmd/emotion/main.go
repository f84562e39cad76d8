// Command emotion is the project's command-line tool over the same
// packages the browser runs.
//
//	emotion info [-json] FILE...    what each file holds, or why it cannot be read
//	emotion image FILE -o out.png   the 3-channel image as PNG
//	emotion features FILE -o DIR    features as .npy, for checking against librosa
//	emotion classify [-json] FILE...  the emotion of each file
//	emotion eval DIR | -manifest F  accuracy against labels
package main

import (
	"fmt"
	"io"
	"os"
)

// command is one sub-command: run gets the arguments after its name and
// returns the exit status.
type command struct {
	name, usage string
	run         func(args []string, stdout, stderr io.Writer) int
}

var commands []command

func init() {
	commands = []command{
		{"info", "info [-json] FILE...       container, codec, rate, channels, bit depth, duration", runInfo},
		{"image", "image FILE -o out.png       the 3-channel image as PNG (RGB, and each channel alone)", runImage},
		{"features", "features FILE -o DIR       logmel, chroma, logstft and image as .npy", runFeatures},
		{"classify", "classify [-json] FILE...   emotion of each file, with segments for long clips", runClassify},
		{"eval", "eval [-json] [-labels a,b] (-manifest F.csv | DIR...)   accuracy, UA, macro-F1, confusion", runEval},
		{"featurize", "featurize -o DIR RAVDESS_DIR   training set: trimmed, augmented images (see -h)", runFeaturize},
		{"badinput", "badinput -o DIR            the bad-input corpus and its manifest.json, for robustness tests", runBadInput},
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "help" || args[0] == "--help" {
		usage(stderr)
		return 2
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "emotion: unknown command %q\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: emotion COMMAND [flags] ARGS\n\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  emotion %s\n", c.usage)
	}
}
