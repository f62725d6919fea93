package experiment_test

import (
	"os"
	"strings"
	"testing"

	"github.com/csagent/csagent/agent/experiment"
)

func loadFile(t testing.TB, path string) experiment.Config {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := experiment.LoadConfig(f)
	if err != nil {
		t.Fatalf("LoadConfig(%s): %v", path, err)
	}
	return cfg
}

func TestLoadConfig(t *testing.T) {
	cfg := loadFile(t, "testdata/experiments.yaml")
	v, ok := cfg.Variant("concise")
	if !ok || v.Prompt != "support-v2" || v.Retrieval.K != 3 || v.Guardrail.LowSupport != 0.6 || v.Guardrail.InjectionThreshold != 0.5 ||
		v.Routing.LocalFirstThreshold != 0.9 {
		t.Errorf("variant concise = %+v, want the file's overrides", v)
	}
	e, ok := cfg.Experiment("maple-local")
	if !ok || e.Horizon != 400 || e.Stop == nil || e.Eligible.Shops[0] != "shop-maple" || e.Arms[1].Share != 20 {
		t.Errorf("experiment maple-local = %+v", e)
	}
	if _, ok := cfg.Variant(experiment.Control); !ok {
		t.Error("control is not built in")
	}
}

// TestLoadConfigRefuses holds the file to its rules, above all that a
// variant can never switch a safety check off.
func TestLoadConfigRefuses(t *testing.T) {
	const arms = `
experiments:
  - name: e
    arms: [{variant: control, share: 50}, {variant: v, share: 50}]
    start: 2026-01-01T00:00:00Z
    horizon: 500
`
	variant := func(body string) string {
		return "version: 1\nvariants:\n  - name: v\n" + body + arms
	}
	tests := []struct {
		name, yaml, want string
	}{
		{"pii off", variant("    guardrails:\n      pii: off\n"), "cannot switch a safety check off"},
		{"output checks disabled", variant("    guardrails:\n      enabled: false\n"), "cannot switch a safety check off"},
		{"injection off", variant("    guardrails:\n      injection_threshold: 1\n"), "outside the safe bounds"},
		{"injection too loose", variant("    guardrails:\n      injection_threshold: 0.95\n"), "outside the safe bounds"},
		{"support too loose", variant("    guardrails:\n      low_support: 0.1\n"), "outside the safe bounds"},
		{"support zero", variant("    guardrails:\n      low_support: -0.2\n"), "outside the safe bounds"},
		{"unknown prompt", variant("    prompt: support-v9\n"), "unknown prompt version"},
		{"llm without name", variant("    model: {brain: llm}\n"), "needs the model's name"},
		{"unknown brain", variant("    model: {brain: gpt}\n"), "want local or llm"},
		{"k too large", variant("    retrieval: {k: 50}\n"), "want 1 to 8"},
		{"unknown variant key", variant("    temperature: 3\n"), "unknown field"},
		{"routing out of range", variant("    routing: {local_first_threshold: 2}\n"), "want 0 to 1"},
		{"no control", `version: 1
variants: [{name: a}, {name: b}]
experiments:
  - {name: e, arms: [{variant: a, share: 50}, {variant: b, share: 50}], start: 2026-01-01T00:00:00Z, horizon: 500}
`, "one arm must be control"},
		{"shares", `version: 1
variants: [{name: a}]
experiments:
  - {name: e, arms: [{variant: control, share: 50}, {variant: a, share: 40}], start: 2026-01-01T00:00:00Z, horizon: 500}
`, "add up to 90"},
		{"no horizon", `version: 1
variants: [{name: a}]
experiments:
  - {name: e, arms: [{variant: control, share: 50}, {variant: a, share: 50}], start: 2026-01-01T00:00:00Z}
`, "fixed horizon"},
		{"unknown arm", `version: 1
experiments:
  - {name: e, arms: [{variant: control, share: 50}, {variant: a, share: 50}], start: 2026-01-01T00:00:00Z, horizon: 500}
`, "no variant named"},
		{"control redefined", `version: 1
variants: [{name: control, prompt: support-v2}]
`, "declared twice"},
		{"bad name", `version: 1
variants: [{name: "Has Space"}]
`, "lower-case"},
		{"stop before start", `version: 1
variants: [{name: a}]
experiments:
  - {name: e, arms: [{variant: control, share: 50}, {variant: a, share: 50}], start: 2026-02-01T00:00:00Z, stop: 2026-01-01T00:00:00Z, horizon: 500}
`, "after start"},
		{"unknown top-level", "version: 1\nexperiment: []\n", "not found"},
		{"version", "version: 2\n", "want 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := experiment.LoadConfig(strings.NewReader(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("LoadConfig = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
