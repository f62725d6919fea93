package nlu

import (
	"slices"
	"testing"
)

// Vosotros and vos forms read as the ustedes and tú forms the training
// data speaks; words that only end like them stay as they are.
func TestFromVosotros(t *testing.T) {
	tests := []struct {
		word, want string
	}{
		{"podeis", "pueden"},
		{"devolveis", "devuelven"},
		{"enviais", "envian"},
		{"reembolseis", "reembolsen"},
		{"mandasteis", "mandaron"},
		{"devolvisteis", "devolvieron"},
		{"devolvedme", "devuelvanme"},
		{"reembolsadme", "reembolsenme"},
		{"cancelad", "cancelen"},
		{"habeis", "han"},
		{"os", "les"},
		{"podes", "puedes"},
		// Not vosotros forms.
		{"dieciseis", "dieciseis"},
		{"seis", "seis"},
		{"pais", "pais"},
		{"ciudad", "ciudad"},
		{"verdad", "verdad"},
		{"order", "order"},
	}
	for _, tt := range tests {
		got, _ := fromVosotros(tt.word)
		if got != tt.want {
			t.Errorf("fromVosotros(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

// A request in vosotros reads as the same request in ustedes: the tokens
// and the act cues agree.
func TestVosotrosReadsAsUstedes(t *testing.T) {
	c := classifier(t)
	tests := []struct{ vosotros, ustedes string }{
		{"¿me podéis devolver el dinero del pedido 10042?", "¿me pueden devolver el dinero del pedido 10042?"},
		{"cancelad el pedido 10042", "cancelen el pedido 10042"},
		{"¿cuándo me enviáis las sandalias?", "¿cuándo me envían las sandalias?"},
	}
	for _, tt := range tests {
		a, b := analyze(tt.vosotros, false, c.vocab), analyze(tt.ustedes, false, c.vocab)
		if !slices.Equal(a.tokens, b.tokens) || a.act != b.act {
			t.Errorf("analyze(%q) = %v %+v, want %v %+v as for %q", tt.vosotros, a.tokens, a.act, b.tokens, b.act, tt.ustedes)
		}
	}
}

// "Ya" is Spanish for "already" before it is English chat for "you":
// "¿ya me devolvieron el dinero?" keeps its word.
func TestYaIsSpanish(t *testing.T) {
	toks := tokenize("ya me devolvieron el dinero")
	if toks[0] != "ya" {
		t.Errorf("tokenize(%q) = %v, want %q first", "ya me devolvieron el dinero", toks, "ya")
	}
}
