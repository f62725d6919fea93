package web

import (
	"strings"
	"testing"
)

func TestRenderPolicy(t *testing.T) {
	t.Parallel()
	md := "# Title\n\nIntro with **bold**, *em*, `code` and [a link](https://x.example/?a=1&b=2).\n\n" +
		"## Same\n\n- one\n  continued\n- two [bad](javascript:alert(1))\n\n## Same\n\n1. first\n2. second\n\n" +
		"| A | B |\n|---|:-:|\n| <i>x</i> | y |\n\nplain <script>x</script>"
	out, heads := renderPolicy(md)
	got := string(out)
	for _, want := range []string{
		`<h1 id="title">Title`,
		`<strong>bold</strong>`, `<em>em</em>`, `<code>code</code>`,
		`<a href="https://x.example/?a=1&amp;b=2">a link</a>`,
		`<li>one continued</li>`, `<li>two bad)</li>`,
		`<h2 id="same">`, `<h2 id="same-2">`,
		"<ol>\n<li>first</li>",
		`<th>A</th><th>B</th>`, `<td>&lt;i&gt;x&lt;/i&gt;</td>`,
		`<p>plain &lt;script&gt;x&lt;/script&gt;</p>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("renderPolicy lacks %q in:\n%s", want, got)
		}
	}
	if strings.Contains(got, "javascript:") || strings.Contains(got, "<script>") {
		t.Errorf("renderPolicy let something through:\n%s", got)
	}
	if len(heads) != 3 || heads[2].ID != "same-2" || heads[1].Level != 2 {
		t.Errorf("headings = %+v", heads)
	}
}
