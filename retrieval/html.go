package retrieval

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

var blankLines = regexp.MustCompile(`\n[ \t]*(\n[ \t]*)+`)

// htmlToMarkdown reduces an HTML page to the Markdown the splitter reads:
// headings become "#" headings, so chunks keep their heading paths; blocks
// become paragraphs, list items "- " lines, table rows "|"-separated lines;
// scripts, styles and the rest of <head> are dropped. It returns the text
// of <title> too, the document's title when nothing else names one.
func htmlToMarkdown(src string) (markdown, title string) {
	z := html.NewTokenizer(strings.NewReader(src))
	var (
		b       strings.Builder
		skip    int // depth inside elements whose text is not content
		heading int // level of the open heading, 0 outside one
		pre     int
		inTitle bool
		head    strings.Builder
	)
	block := func() { b.WriteString("\n\n") }
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			out := blankLines.ReplaceAllString(b.String(), "\n\n")
			return strings.TrimSpace(out), strings.Join(strings.Fields(title), " ")
		case html.TextToken:
			text := string(z.Text())
			switch {
			case inTitle:
				title += text
			case skip > 0:
			case heading > 0:
				head.WriteString(text)
			case pre > 0:
				b.WriteString(text)
			default:
				if f := strings.Fields(text); len(f) > 0 {
					if strings.IndexAny(text[:1], " \t\n\r") == 0 {
						b.WriteString(" ")
					}
					b.WriteString(strings.Join(f, " "))
					if strings.IndexAny(text[len(text)-1:], " \t\n\r") == 0 {
						b.WriteString(" ")
					}
				}
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			start := tt != html.EndTagToken
			switch a {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Svg, atom.Head, atom.Nav, atom.Footer:
				if tt == html.SelfClosingTagToken {
					break
				}
				if start {
					skip++
				} else if skip > 0 {
					skip--
				}
			case atom.Title:
				inTitle = start && tt != html.SelfClosingTagToken
			case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				if start {
					heading = int(name[1] - '0')
					head.Reset()
					continue
				}
				if heading > 0 && skip == 0 {
					if text := strings.Join(strings.Fields(head.String()), " "); text != "" {
						block()
						b.WriteString(strings.Repeat("#", heading) + " " + text)
						block()
					}
				}
				heading = 0
			case atom.Pre:
				if start {
					pre++
				} else if pre > 0 {
					pre--
				}
				block()
			case atom.Li:
				if start {
					b.WriteString("\n- ")
				}
			case atom.Tr:
				b.WriteString("\n")
			case atom.Td, atom.Th:
				if start {
					b.WriteString(" | ")
				}
			case atom.Br:
				b.WriteString("\n")
			case atom.P, atom.Div, atom.Section, atom.Article, atom.Main, atom.Ul, atom.Ol, atom.Table,
				atom.Blockquote, atom.Dl, atom.Dt, atom.Dd, atom.Hr, atom.Header, atom.Aside, atom.Figure:
				block()
			}
		}
	}
}
