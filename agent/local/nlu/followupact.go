package nlu

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
)

// A buyer answers what the agent put before them (a card waiting, an offer
// made in words) in a few words of their own: "ok do that then", "both",
// "just the refund", "nah", "no wait". Which answer it is cannot be read
// from a list of words: the ways of saying it are many in every language,
// and one word ("no", "just") serves several answers. So the answer is
// read by a small classifier of its own, trained on data/followup.tsv with
// the intent classifier's features and training (the same tokens, slots,
// character n-grams and averaged SGD), over the follow-up acts instead of
// the intents. It is meant only where something waits for the answer: a
// message read with no card or offer before it is a new message, and the
// intent classifier reads it.

// FollowUpAct is what a buyer's short answer does to what waits.
type FollowUpAct string

// The follow-up acts.
const (
	// FollowAccept goes ahead with what was offered or waits ("ok do that
	// then", "네 그렇게 해주세요").
	FollowAccept FollowUpAct = "accept"
	// FollowAll goes ahead with every proposal waiting ("both", "ambas",
	// "давай оба").
	FollowAll FollowUpAct = "all"
	// FollowPick chooses one of several proposals, by its position, its
	// goods or its kind ("the first one", "solo el reembolso").
	FollowPick FollowUpAct = "pick"
	// FollowDecline says no to what was offered ("no thanks", "не надо").
	FollowDecline FollowUpAct = "decline"
	// FollowStop calls off whatever waits ("no wait", "never mind",
	// "отбой").
	FollowStop FollowUpAct = "stop"
	// FollowOther is any other message: a new request, a question.
	FollowOther FollowUpAct = "other"
)

// followUpActs fixes the order of the acts, the classifier's columns.
var followUpActs = [...]FollowUpAct{FollowAccept, FollowAll, FollowPick, FollowDecline, FollowStop, FollowOther}

// FollowUpThreshold is the confidence under which a follow-up reading is
// not acted on: the buyer is asked which they mean, or the message is
// left to the usual reading. Set from the held-out fifth of the data
// (TestFollowUpHeldOut): readings at or above it were right far more
// often than those below.
const FollowUpThreshold = 0.6

//go:embed data/followup.tsv
var followUpTSV string

// FollowUpExample is one labelled answer of data/followup.tsv.
type FollowUpExample struct {
	Locale string
	Act    FollowUpAct
	Text   string
}

// FollowUpSet returns the follow-up examples, in file order.
func FollowUpSet() ([]FollowUpExample, error) {
	var out []FollowUpExample
	err := scanRows("followup.tsv", strings.NewReader(followUpTSV), 3, func(line int, cols []string) error {
		act, text := FollowUpAct(cols[1]), strings.TrimSpace(cols[2])
		if followUpIndex(act) < 0 || normalizeHint(cols[0]) != cols[0] || text == "" {
			return fmt.Errorf("nlu: followup.tsv:%d: bad row %q", line, strings.Join(cols, "\t"))
		}
		out = append(out, FollowUpExample{Locale: cols[0], Act: act, Text: text})
		return nil
	})
	return out, err
}

func followUpIndex(a FollowUpAct) int {
	for i, x := range followUpActs {
		if x == a {
			return i
		}
	}
	return -1
}

// FollowUpReader reads a buyer's answer as a follow-up act. It is
// immutable once trained and safe for concurrent use.
type FollowUpReader struct {
	weights []float32 // feature-major, len(followUpActs) per bucket
	bias    [len(followUpActs)]float32
	vocab   vocabulary
}

// NewFollowUpReader trains a reader on data/followup.tsv. Training is
// deterministic.
func NewFollowUpReader() (*FollowUpReader, error) {
	exs, err := FollowUpSet()
	if err != nil {
		return nil, err
	}
	return TrainFollowUp(exs)
}

// TrainFollowUp trains a reader on exs: a multinomial logistic regression
// fitted by SGD over the intent classifier's features (featurizeAll), its
// iterates averaged (averageIterates), as train does for the intents. The
// SGD steps are its own: train's are specialised to the intents' fixed
// count and skip intents already scored right, which pays on thousands of
// lines and would change this reader's few hundred. Besides exs it learns, as
// FollowOther, a sample of the intent classifier's training lines (see
// otherFromIntents): what a buyer asks anew is no answer to what waits.
func TrainFollowUp(exs []FollowUpExample) (*FollowUpReader, error) {
	if len(exs) == 0 {
		return nil, fmt.Errorf("nlu: empty follow-up training set")
	}
	more, err := otherFromIntents()
	if err != nil {
		return nil, err
	}
	exs = append(slices.Clip(exs), more...)
	const k = len(followUpActs)
	texts := make([]string, len(exs))
	keyed := make([]Example, len(exs))
	ys := make([]int, len(exs))
	for i, ex := range exs {
		texts[i], ys[i] = ex.Text, followUpIndex(ex.Act)
		keyed[i] = Example{Text: ex.Text, Intent: Intent(ex.Act)}
	}
	xs, vocab := featurizeAll(texts)
	w := make([]float32, numBuckets*k)
	acc := make([]float32, numBuckets*k)
	var b, bAcc [k]float64
	order := make([]int, len(exs))
	for i := range order {
		order[i] = i
	}
	keys := exampleKeys(keyed)
	var scores [k]float64
	t := 1.0
	for epoch := range followUpEpochs {
		lr := learningRate / (1 + learningDecay*float64(epoch))
		epochOrder(order, keys, epoch)
		for _, i := range order {
			x := xs[i]
			copy(scores[:], b[:])
			for j, f := range x.idx {
				row := w[int(f)*k : int(f)*k+k]
				for c := range k {
					scores[c] += float64(x.val[j]) * float64(row[c])
				}
			}
			softmax(scores[:])
			scores[ys[i]]--
			for c := range k {
				d := lr * scores[c]
				b[c] -= d
				bAcc[c] -= t * d
			}
			for j, f := range x.idx {
				row := w[int(f)*k : int(f)*k+k]
				arow := acc[int(f)*k : int(f)*k+k]
				v := float64(x.val[j])
				for c := range k {
					d := lr * (scores[c]*v + l2*float64(row[c]))
					row[c] -= float32(d)
					arow[c] -= float32(t * d)
				}
			}
			t++
		}
	}
	r := &FollowUpReader{weights: w, vocab: vocab}
	averageIterates(w, acc, b[:], bAcc[:], t, r.bias[:])
	return r, nil
}

// followUpEpochs is how many passes TrainFollowUp makes over its few
// hundred lines: more than the intents' ten, which see thousands.
const followUpEpochs = 30

// Read returns the follow-up act of text and the reader's probability for
// it. Under FollowUpThreshold the reading is a guess.
func (r *FollowUpReader) Read(text string) (FollowUpAct, float64) {
	const k = len(followUpActs)
	a := analyze(text, false, r.vocab)
	var s [k]float64
	for c := range k {
		s[c] = float64(r.bias[c])
	}
	x := featurize(a)
	for j, f := range x.idx {
		row := r.weights[int(f)*k : int(f)*k+k]
		for c := range k {
			s[c] += float64(x.val[j]) * float64(row[c])
		}
	}
	softmax(s[:])
	best := 0
	for c := range k {
		if s[c] > s[best] {
			best = c
		}
	}
	return followUpActs[best], s[best]
}

// otherEvery is the share of the intent classifier's lines otherFromIntents
// takes: one in otherEvery, enough to show the reader the many requests
// and questions a buyer may write instead of an answer, few enough that
// they do not drown the answers' own few hundred lines.
const otherEvery = 64

// otherFromIntents returns every otherEvery-th line of the intent
// classifier's training set, as FollowOther, leaving out the intents a
// follow-up answer is made of: a yes (Affirm), a no (Deny), and
// cancellations, whose "cancel that" may call off what waits.
func otherFromIntents() ([]FollowUpExample, error) {
	exs, err := trainingExamples()
	if err != nil {
		return nil, err
	}
	var out []FollowUpExample
	n := 0
	for _, ex := range exs {
		if ex.Intent == Affirm || ex.Intent == Deny || ex.Intent == CancelOrder {
			continue
		}
		if n++; n%otherEvery == 0 {
			out = append(out, FollowUpExample{Locale: ex.Locale, Act: FollowOther, Text: ex.Text})
		}
	}
	return out, nil
}
