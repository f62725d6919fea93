package nlu

import (
	"bufio"
	_ "embed"
	"fmt"
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
	sc := bufio.NewScanner(strings.NewReader(data))
	line := 0
	for sc.Scan() {
		line++
		l := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		cols := strings.SplitN(l, "\t", 3)
		if len(cols) != 3 {
			return nil, fmt.Errorf("nlu: %s:%d: want 3 tab-separated columns, got %d", name, line, len(cols))
		}
		loc, in, text := cols[0], Intent(cols[1]), strings.TrimSpace(cols[2])
		if normalizeHint(loc) != loc {
			return nil, fmt.Errorf("nlu: %s:%d: unknown locale %q", name, line, loc)
		}
		if intentIndex(in) < 0 {
			return nil, fmt.Errorf("nlu: %s:%d: unknown intent %q", name, line, in)
		}
		if text == "" {
			return nil, fmt.Errorf("nlu: %s:%d: empty text", name, line)
		}
		out = append(out, Example{Text: text, Locale: loc, Intent: in})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("nlu: %s: %w", name, err)
	}
	return out, nil
}
