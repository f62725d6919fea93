package web

import (
	"html/template"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/csagent/csagent/retrieval"
)

// renderPolicy turns a policy document's Markdown into HTML: headings with
// an anchor each (so a citation can link to its section), paragraphs,
// bulleted and numbered lists, tables, and bold, italic, code and http(s)
// links inside them — what the policy documents use, and no more. Every
// piece of text is escaped; raw HTML in the document shows as text. It
// returns the HTML and the headings, for a table of contents.
func renderPolicy(md string) (template.HTML, []heading) {
	md = stripBidi(md)
	var b strings.Builder
	var heads []heading
	used := map[string]int{}
	lines := strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); {
		line := strings.TrimRight(lines[i], " \t")
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			i++
		case headingLine.MatchString(trimmed):
			m := headingLine.FindStringSubmatch(trimmed)
			level := len(m[1])
			text := strings.TrimSpace(strings.TrimRight(m[2], "#"))
			id := retrieval.Anchor(text)
			if n := used[id]; n > 0 {
				used[id]++
				id = id + "-" + strconv.Itoa(n+1)
			} else {
				used[id] = 1
			}
			heads = append(heads, heading{Level: level, Text: text, ID: id})
			tag := "h" + strconv.Itoa(level)
			b.WriteString("<" + tag + ` id="` + template.HTMLEscapeString(id) + `">`)
			b.WriteString(inline(text))
			b.WriteString(`<a class="anchor" href="#` + template.HTMLEscapeString(id) + `" aria-label="§">§</a>`)
			b.WriteString("</" + tag + ">\n")
			i++
		case strings.HasPrefix(trimmed, "|"):
			var rows [][]string
			for ; i < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i]), "|"); i++ {
				row := strings.Trim(strings.TrimSpace(lines[i]), "|")
				cells := strings.Split(row, "|")
				if tableRule.MatchString(row) {
					continue
				}
				for j := range cells {
					cells[j] = strings.TrimSpace(cells[j])
				}
				rows = append(rows, cells)
			}
			writeTable(&b, rows)
		case listItem.MatchString(line):
			ordered := orderedItem.MatchString(line)
			tag := "ul"
			if ordered {
				tag = "ol"
			}
			b.WriteString("<" + tag + ">\n")
			for ; i < len(lines) && listItem.MatchString(lines[i]); i++ {
				item := listItem.FindStringSubmatch(lines[i])[1]
				// A continuation line belongs to the item above.
				for i+1 < len(lines) && strings.HasPrefix(lines[i+1], "  ") && strings.TrimSpace(lines[i+1]) != "" && !listItem.MatchString(lines[i+1]) {
					i++
					item += " " + strings.TrimSpace(lines[i])
				}
				b.WriteString("<li>" + inline(item) + "</li>\n")
			}
			b.WriteString("</" + tag + ">\n")
		default:
			var para []string
			for ; i < len(lines); i++ {
				t := strings.TrimSpace(lines[i])
				if t == "" || headingLine.MatchString(t) || strings.HasPrefix(t, "|") || listItem.MatchString(lines[i]) {
					break
				}
				para = append(para, t)
			}
			b.WriteString("<p>" + inline(strings.Join(para, " ")) + "</p>\n")
		}
	}
	return template.HTML(b.String()), heads
}

// heading is a section of a policy document.
type heading struct {
	Level int
	Text  string
	ID    string
}

var (
	headingLine = regexp.MustCompile(`^(#{1,6})\s+(.+)$`)
	listItem    = regexp.MustCompile(`^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+(.*)$`)
	orderedItem = regexp.MustCompile(`^\s{0,3}\d{1,3}[.)]\s`)
	tableRule   = regexp.MustCompile(`^[\s|:-]+$`)
	inlineToken = regexp.MustCompile(`\*\*([^*]+)\*\*|__([^_]+)__|\*([^*\s][^*]*)\*|` + "`([^`]+)`" + `|\[([^\]]+)\]\(([^)\s]+)\)`)
)

func writeTable(b *strings.Builder, rows [][]string) {
	if len(rows) == 0 {
		return
	}
	b.WriteString("<div class=\"table\"><table>\n<thead><tr>")
	for _, c := range rows[0] {
		b.WriteString("<th>" + inline(c) + "</th>")
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	for _, r := range rows[1:] {
		b.WriteString("<tr>")
		for _, c := range r {
			b.WriteString("<td>" + inline(c) + "</td>")
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody></table></div>\n")
}

// inline escapes s and renders its emphasis, code and links.
func inline(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range inlineToken.FindAllStringSubmatchIndex(s, -1) {
		b.WriteString(template.HTMLEscapeString(s[last:m[0]]))
		group := func(n int) string { return s[m[2*n]:m[2*n+1]] }
		switch {
		case m[2] >= 0:
			b.WriteString("<strong>" + template.HTMLEscapeString(group(1)) + "</strong>")
		case m[4] >= 0:
			b.WriteString("<strong>" + template.HTMLEscapeString(group(2)) + "</strong>")
		case m[6] >= 0:
			b.WriteString("<em>" + template.HTMLEscapeString(group(3)) + "</em>")
		case m[8] >= 0:
			b.WriteString("<code>" + template.HTMLEscapeString(group(4)) + "</code>")
		default:
			text, href := group(5), group(6)
			if safeHref(href) {
				b.WriteString(`<a href="` + template.HTMLEscapeString(href) + `">` + template.HTMLEscapeString(text) + "</a>")
			} else {
				b.WriteString(template.HTMLEscapeString(text))
			}
		}
		last = m[1]
	}
	b.WriteString(template.HTMLEscapeString(s[last:]))
	return b.String()
}

// safeHref admits web links (http and https with a host) and links within
// the site (a path or a fragment, with no host), never javascript: or data:
// URLs. The URL parser decides, not prefixes; and since browsers read a
// backslash as a slash and drop tabs and newlines ("/\evil.example" and
// "/<tab>/evil.example" both leave the site) while Go's parser does not, such
// characters are refused outright, as are bidi controls.
func safeHref(h string) bool {
	for _, r := range h {
		if r <= ' ' || r == '\\' || r == 0x7f || isBidiControl(r) {
			return false
		}
	}
	u, err := url.Parse(h)
	if err != nil || u.User != nil {
		return false
	}
	switch u.Scheme {
	case "http", "https":
		return u.Host != ""
	case "":
		return u.Host == "" && u.Opaque == "" && (strings.HasPrefix(h, "/") && !strings.HasPrefix(h, "//") || strings.HasPrefix(h, "#"))
	}
	return false
}

// isBidiControl reports whether r is a bidirectional embedding, override or
// isolate (U+202A–U+202E, U+2066–U+2069), which can make text read other
// than it is ("‮fdp.exe" shows as "exe.pdf").
func isBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}

// stripBidi removes the bidi controls from s.
func stripBidi(s string) string {
	if !strings.ContainsFunc(s, isBidiControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isBidiControl(r) {
			return -1
		}
		return r
	}, s)
}
