package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// group writes an integer with thin groups of three digits: 31 198 346.
func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// sig3 writes x with three significant digits (integers of four digits
// and more in full, grouped).
func sig3(x float64) string {
	a := math.Abs(x)
	switch {
	case !isFinite(x):
		return "n/a"
	case a >= 999.5:
		return group(int64(math.Round(x)))
	case a >= 99.95:
		return strconv.FormatFloat(x, 'f', 0, 64)
	case a >= 9.995:
		return strconv.FormatFloat(x, 'f', 1, 64)
	case a >= 0.9995:
		return strconv.FormatFloat(x, 'f', 2, 64)
	case a == 0:
		return "0"
	default:
		return strconv.FormatFloat(x, 'g', 3, 64)
	}
}

// unit is a way of writing one quantity: a scale for the numbers and a name.
type unit struct {
	div  float64
	name string
}

// timeUnit picks s, ms or µs for a time in milliseconds.
func timeUnit(ms float64) unit {
	switch a := math.Abs(ms); {
	case a >= 1000:
		return unit{1000, "s"}
	case a >= 1:
		return unit{1, "ms"}
	default:
		return unit{1e-3, "µs"}
	}
}

// bytesUnit picks B, kB or MB (decimal, as the size targets are).
func bytesUnit(b float64) unit {
	switch a := math.Abs(b); {
	case a >= 1e6:
		return unit{1e6, "MB"}
	case a >= 1e3:
		return unit{1e3, "kB"}
	default:
		return unit{1, "B"}
	}
}

// fmtStat writes "median unit (min–max)", all in the unit chosen for the
// median; a single sample (or a figure that is not a sample) is written
// alone.
func fmtStat(s Stat, u unit) string {
	m := sig3(s.Median/u.div) + " " + u.name
	if u.name == "" {
		m = sig3(s.Median / u.div)
	}
	if s.N <= 1 {
		return m
	}
	return fmt.Sprintf("%s (%s–%s)", m, sig3(s.Min/u.div), sig3(s.Max/u.div))
}

// ms, bytes and plain format a Stat of milliseconds, bytes and a plain
// quantity named by suffix; ok false gives "—".
func ms(s Stat, ok bool) string {
	if !ok {
		return "—"
	}
	return fmtStat(s, timeUnit(s.Median))
}

// one formats a single figure in milliseconds.
func one(x float64) string { return ms(Stat{Median: x, N: 1}, true) }

// size formats a single figure in bytes.
func size(x float64) string { return bytes(Stat{Median: x, N: 1}, true) }

func bytes(s Stat, ok bool) string {
	if !ok {
		return "—"
	}
	return fmtStat(s, bytesUnit(s.Median))
}

func plain(s Stat, ok bool, suffix string) string {
	if !ok {
		return "—"
	}
	return fmtStat(s, unit{1, suffix})
}

// ratio writes a/b as "2.31×", or "—".
func ratio(a, b float64) string {
	if !isFinite(a) || !isFinite(b) || b == 0 || a == 0 {
		return "—"
	}
	return sig3(a/b) + "×"
}

// ratioStat writes the ratio of medians with the range of ratios the
// extremes allow: "2.31× (2.10–2.52)".
func ratioStat(a, b Stat) string {
	if a.Median == 0 || b.Median == 0 {
		return "—"
	}
	if a.N <= 1 && b.N <= 1 {
		return ratio(a.Median, b.Median)
	}
	return fmt.Sprintf("%s (%s–%s)", ratio(a.Median, b.Median), sig3(a.Min/b.Max), sig3(a.Max/b.Min))
}

// table accumulates a markdown table.
type table struct {
	b    *strings.Builder
	cols int
}

func newTable(b *strings.Builder, head ...string) *table {
	t := &table{b: b, cols: len(head)}
	t.row(head...)
	seps := make([]string, len(head))
	for i := range seps {
		seps[i] = "---"
	}
	t.row(seps...)
	return t
}

func (t *table) row(cells ...string) {
	for len(cells) < t.cols {
		cells = append(cells, "")
	}
	for i, c := range cells {
		cells[i] = strings.ReplaceAll(c, "|", `\|`)
	}
	fmt.Fprintf(t.b, "| %s |\n", strings.Join(cells, " | "))
}

func (t *table) end() { t.b.WriteString("\n") }
