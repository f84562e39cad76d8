package model

import (
	"encoding/json"
	"testing"
)

// The shipped model says how well it did: issue 5 asks that the
// cross-validated means travel inside the file, next to the labels.
func TestShippedModelCarriesCVMetrics(t *testing.T) {
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	var cv map[string]map[string]float64
	if err := json.Unmarshal(m.Metrics, &cv); err != nil {
		t.Fatalf("cv_metrics %q: %v", m.Metrics, err)
	}
	for _, k := range []string{"cnn", "cnn_int8", "baseline"} {
		ua := cv[k]["unweighted_accuracy"]
		if ua <= 0.125 || ua > 1 {
			t.Errorf("cv_metrics[%s].unweighted_accuracy = %v, want above chance (0.125) and at most 1", k, ua)
		}
	}
	if cv["cnn_int8"]["unweighted_accuracy"] <= cv["baseline"]["unweighted_accuracy"] {
		t.Errorf("the shipped CNN (%v) does not beat the baseline (%v)", cv["cnn_int8"], cv["baseline"])
	}
}
