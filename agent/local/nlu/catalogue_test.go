package nlu_test

import (
	"slices"
	"testing"

	"github.com/csagent/csagent/agent/local/nlu"
	"github.com/csagent/csagent/tools/demo"
)

// The held-out floors resolve item references against a copy of the demo
// catalogue; it must stay the catalogue the held-out set names.
func TestCatalogueCopyMatchesTheDemo(t *testing.T) {
	if !slices.Equal(nlu.Catalogue, demo.ProductNames()) {
		t.Errorf("catalogue copy = %q, want demo.ProductNames() = %q", nlu.Catalogue, demo.ProductNames())
	}
}
