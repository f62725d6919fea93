package nlu

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"sync"
)

// The corpora are tab-separated: locale, intent, text. Lines that are
// empty or start with "#" are ignored, so the files can carry section
// comments.
var (
	//go:embed data/train.tsv
	trainTSV string
	// trainPhrasingTSV holds examples of the way real buyers write:
	// slang, typos, long messages, platform requests, questions that
	// contain action words (see issue 13).
	//go:embed data/train_phrasing.tsv
	trainPhrasingTSV string
	//go:embed data/heldout.tsv
	heldOutTSV string
)

// Example is one labelled utterance.
type Example struct {
	// Text is the utterance as a customer would type it.
	Text string
	// Locale is the language the utterance is written in.
	Locale string
	// Intent is the correct intent.
	Intent Intent
}

// The parsed corpora are cached: they are embedded constants, so parsing
// them once is enough, and callers get copies so they cannot alter them.
var (
	trainOnce, heldOutOnce sync.Once
	trainSet, heldOutSet   []Example
	trainErr, heldOutErr   error
)

func trainingExamples() ([]Example, error) {
	trainOnce.Do(func() {
		trainSet, trainErr = parseTSV("train.tsv", trainTSV)
		if trainErr != nil {
			return
		}
		var more []Example
		more, trainErr = parseTSV("train_phrasing.tsv", trainPhrasingTSV)
		trainSet = append(trainSet, more...)
	})
	return trainSet, trainErr
}

func heldOutExamples() ([]Example, error) {
	heldOutOnce.Do(func() { heldOutSet, heldOutErr = parseTSV("heldout.tsv", heldOutTSV) })
	return heldOutSet, heldOutErr
}

// TrainingSet returns a copy of the embedded training utterances. It
// panics if the embedded file is malformed, which tests rule out.
func TrainingSet() []Example {
	ex, err := trainingExamples()
	if err != nil {
		panic(err)
	}
	return append([]Example(nil), ex...)
}

// HeldOutSet returns a copy of the embedded evaluation utterances, which
// are never used for training. It panics if the embedded file is
// malformed, which tests rule out.
func HeldOutSet() []Example {
	ex, err := heldOutExamples()
	if err != nil {
		panic(err)
	}
	return append([]Example(nil), ex...)
}

// parseTSV parses a corpus, rejecting unknown locales and intents so that
// a typo in the data fails loudly instead of silently training a label
// nobody asked for.
func parseTSV(name, data string) ([]Example, error) {
	var out []Example
	err := scanRows(name, strings.NewReader(data), 3, func(line int, cols []string) error {
		ex, err := checkExample(name, line, cols[0], Intent(cols[1]), strings.TrimSpace(cols[2]))
		if err != nil {
			return err
		}
		out = append(out, ex)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// scanRows calls row with the n tab-separated columns of every line of r
// that is neither blank nor a "#" comment, stopping at the first error.
func scanRows(name string, r io.Reader, n int, row func(line int, cols []string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		l := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		cols := strings.SplitN(l, "\t", n)
		if len(cols) != n {
			return fmt.Errorf("nlu: %s:%d: want %d tab-separated columns, got %d", name, line, n, len(cols))
		}
		if err := row(line, cols); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("nlu: read %s: %w", name, err)
	}
	return nil
}

// checkExample rejects an unknown locale or intent and an empty text.
func checkExample(name string, line int, loc string, in Intent, text string) (Example, error) {
	if normalizeHint(loc) != loc {
		return Example{}, fmt.Errorf("nlu: %s:%d: unknown locale %q", name, line, loc)
	}
	if intentIndex(in) < 0 {
		return Example{}, fmt.Errorf("nlu: %s:%d: unknown intent %q", name, line, in)
	}
	if text == "" {
		return Example{}, fmt.Errorf("nlu: %s:%d: empty text", name, line)
	}
	return Example{Text: text, Locale: loc, Intent: in}, nil
}
