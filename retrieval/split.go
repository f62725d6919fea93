package retrieval

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/tmc/langchaingo/textsplitter"
)

// Chunk is one piece of a document: the text of one section, or of part of
// a long one, with the headings above it.
type Chunk struct {
	// Ordinal numbers the chunks of a document from 0 in reading order.
	Ordinal int
	// HeadingPath is the document's title and the headings down to the
	// chunk's section, e.g. "Refunds and returns > Refund window".
	HeadingPath string
	Text        string
}

// Heading returns the innermost heading of the chunk's path, the one a
// citation names.
func (c Chunk) Heading() string { return lastHeading(c.HeadingPath) }

// headingSeparator joins the headings of a path.
const headingSeparator = " > "

func lastHeading(path string) string {
	if i := strings.LastIndex(path, headingSeparator); i >= 0 {
		return path[i+len(headingSeparator):]
	}
	return path
}

// The chunking. Policy sections are written to answer one question each
// (see policies/README.md), so a section is a chunk whenever it fits; only
// longer sections are cut, with some overlap so a sentence at a cut is not
// lost to either side. Sizes count characters, not bytes, so Korean and
// Russian chunks hold as much text as English ones.
const (
	chunkSize    = 800
	chunkOverlap = 100
	// splitterVersion is part of every document's index hash: changing the
	// chunking re-indexes everything on the next ingest.
	splitterVersion = "headings+recursive/v1/800/100"
)

// Splitter cuts documents into chunks along their Markdown headings.
//
// langchaingo's MarkdownTextSplitter (v0.1.14) was tried first: it only
// exposes the heading path by pasting the headings into the chunk text, and
// it drops a table's header row when the table follows a paragraph (the
// return-shipping table lost its "who pays" column). So the splitter walks
// the headings itself, which gives each chunk its path as data, and uses
// langchaingo's RecursiveCharacter splitter inside a section that is too
// long for one chunk.
type Splitter struct {
	inner textsplitter.RecursiveCharacter
}

// NewSplitter returns the splitter the Ingester uses.
func NewSplitter() *Splitter {
	return &Splitter{inner: textsplitter.NewRecursiveCharacter(
		textsplitter.WithChunkSize(chunkSize),
		textsplitter.WithChunkOverlap(chunkOverlap),
		textsplitter.WithSeparators([]string{"\n\n", "\n", ". ", "。", " ", ""}),
		textsplitter.WithLenFunc(utf8.RuneCountInString),
	)}
}

var (
	atxHeading = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	codeFence  = regexp.MustCompile("^ {0,3}(```|~~~)")
	mdLink     = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
)

// Split cuts a Markdown body into chunks. title starts every heading path
// unless the body has a level-1 heading of its own. Headings inside fenced
// code blocks are text, and sections without text produce no chunk (their
// headings still appear in their subsections' paths).
func (s *Splitter) Split(title, body string) ([]Chunk, error) {
	type heading struct {
		level int
		text  string
	}
	var (
		stack   []heading
		section strings.Builder
		chunks  []Chunk
		inFence string
	)
	path := func() string {
		parts := make([]string, 0, len(stack)+1)
		if len(stack) == 0 || stack[0].level != 1 {
			parts = append(parts, title)
		}
		for _, h := range stack {
			parts = append(parts, h.text)
		}
		return strings.Join(parts, headingSeparator)
	}
	flush := func() error {
		var err error
		chunks, err = s.appendSection(chunks, path(), section.String())
		section.Reset()
		return err
	}

	for line := range strings.Lines(strings.ReplaceAll(body, "\r\n", "\n")) {
		trimmed := strings.TrimRight(line, "\n")
		if m := codeFence.FindStringSubmatch(trimmed); m != nil {
			switch {
			case inFence == "":
				inFence = m[1]
			case inFence == m[1]:
				inFence = ""
			}
		}
		m := atxHeading.FindStringSubmatch(trimmed)
		if inFence != "" || m == nil {
			section.WriteString(line)
			continue
		}
		if err := flush(); err != nil {
			return nil, err
		}
		level := len(m[1])
		for len(stack) > 0 && stack[len(stack)-1].level >= level {
			stack = stack[:len(stack)-1]
		}
		if text := plainHeading(m[2]); text != "" {
			stack = append(stack, heading{level, text})
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return chunks, nil
}

// SplitPlain cuts a plain-text body into chunks: one section under title,
// whatever its lines start with.
func (s *Splitter) SplitPlain(title, body string) ([]Chunk, error) {
	return s.appendSection(nil, title, strings.ReplaceAll(body, "\r\n", "\n"))
}

// appendSection appends the chunks of one section's text: the whole of it
// when it fits, otherwise langchaingo's recursive split.
func (s *Splitter) appendSection(chunks []Chunk, path, text string) ([]Chunk, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return chunks, nil
	}
	pieces := []string{text}
	if utf8.RuneCountInString(text) > chunkSize {
		var err error
		if pieces, err = s.inner.SplitText(text); err != nil {
			return chunks, err
		}
	}
	for _, piece := range pieces {
		if piece = strings.TrimSpace(piece); piece != "" {
			chunks = append(chunks, Chunk{Ordinal: len(chunks), HeadingPath: path, Text: piece})
		}
	}
	return chunks, nil
}

// plainHeading strips the inline Markdown a heading may carry, so a path
// reads as text.
func plainHeading(s string) string {
	s = mdLink.ReplaceAllString(s, "$1")
	s = strings.NewReplacer("**", "", "__", "", "`", "").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}
