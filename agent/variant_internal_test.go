package agent

import (
	"context"
	"testing"
)

// TestPolicyCacheScopedByVariant: the policy answer cache keeps a
// variant's answers apart from the defaults' and from other variants';
// control (no overrides) and conversations in no experiment share the
// defaults' keys, which the scope leaves unchanged.
func TestPolicyCacheScopedByVariant(t *testing.T) {
	prompt := &exposure{experiment: "e", variant: "concise", active: true, v: Variant{PromptVersion: "support-v2"}}
	other := &exposure{experiment: "e", variant: "other", active: true, v: Variant{Tools: func(ctx context.Context) context.Context { return ctx }}}
	control := &exposure{experiment: "e", variant: "control", active: true}
	stopped := &exposure{experiment: "e", variant: "concise", v: Variant{PromptVersion: "support-v2"}}
	parts := []string{keyQuestion, "how long", "en", "buyer"}
	def := string(cacheKey(parts...))
	for _, c := range []struct {
		name string
		e    *exposure
		same bool
	}{{"no experiment", nil, true}, {"control", control, true}, {"stopped", stopped, true}, {"a variant", prompt, false}, {"another variant", other, false}} {
		if got := string(scopedKey(c.e.cacheScope(), parts...)) == def; got != c.same {
			t.Errorf("%s: key equals the defaults' = %v, want %v", c.name, got, c.same)
		}
	}
	if string(scopedKey(prompt.cacheScope(), parts...)) == string(scopedKey(other.cacheScope(), parts...)) {
		t.Error("two variants share a policy cache key")
	}
}
