package nlu_test

import (
	"fmt"
	"sort"
	"testing"

	"github.com/csagent/csagent/agent/local/nlu"
)

// splitFollowUp holds out every fifth line of each language and act, the
// rest to train on.
func splitFollowUp(t *testing.T) (train, held []nlu.FollowUpExample) {
	t.Helper()
	exs, err := nlu.FollowUpSet()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, ex := range exs {
		k := ex.Locale + "/" + string(ex.Act)
		seen[k]++
		if seen[k]%5 == 0 {
			held = append(held, ex)
		} else {
			train = append(train, ex)
		}
	}
	return train, held
}

// The follow-up reader, trained on four fifths of its lines, reads the
// fifth it never saw: at least 80% right overall and per act, and its
// confident readings (at or over the threshold) more often right than the
// rest. The accuracies per act and language are logged for the report.
func TestFollowUpHeldOut(t *testing.T) {
	train, held := splitFollowUp(t)
	r, err := nlu.TrainFollowUp(train)
	if err != nil {
		t.Fatal(err)
	}
	type tally struct{ right, all int }
	byAct, byLang := map[string]*tally{}, map[string]*tally{}
	var total, sure, unsure tally
	add := func(m map[string]*tally, k string, ok bool) {
		if m[k] == nil {
			m[k] = &tally{}
		}
		m[k].all++
		if ok {
			m[k].right++
		}
	}
	for _, ex := range held {
		act, conf := r.Read(ex.Text)
		ok := act == ex.Act
		if !ok {
			t.Logf("Read(%q) = %s %.2f, want %s", ex.Text, act, conf, ex.Act)
		}
		add(byAct, string(ex.Act), ok)
		add(byLang, ex.Locale, ok)
		add(byAct, string(ex.Act)+"/"+ex.Locale, ok)
		c := &unsure
		if conf >= nlu.FollowUpThreshold {
			c = &sure
		}
		for _, x := range []*tally{&total, c} {
			x.all++
			if ok {
				x.right++
			}
		}
	}
	show := func(m map[string]*tally) string {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		s := ""
		for _, k := range keys {
			s += fmt.Sprintf(" %s %d/%d", k, m[k].right, m[k].all)
		}
		return s
	}
	t.Logf("held out: %d/%d right; at or over the threshold %d/%d, under it %d/%d", total.right, total.all, sure.right, sure.all, unsure.right, unsure.all)
	t.Logf("by act and language:%s", show(byAct))
	t.Logf("by language:%s", show(byLang))
	if total.right*10 < total.all*8 {
		t.Errorf("held-out accuracy %d/%d, want at least 80%%", total.right, total.all)
	}
	for _, act := range []nlu.FollowUpAct{nlu.FollowAccept, nlu.FollowAll, nlu.FollowPick, nlu.FollowDecline, nlu.FollowStop, nlu.FollowOther} {
		if x := byAct[string(act)]; x == nil || x.right*10 < x.all*7 {
			t.Errorf("held-out accuracy of %s: %+v, want at least 70%%", act, x)
		}
	}
}

// Answers written for this test (none in the training lines) are read as
// the act they do, in the four languages, Russian typed in Latin letters
// and Korean without its 요 among them.
func TestFollowUpReadsAnswers(t *testing.T) {
	r, err := nlu.NewFollowUpReader()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		text string
		want nlu.FollowUpAct
	}{
		{"yes go on, do it", nlu.FollowAccept},
		{"그럼 그렇게 해 주세요", nlu.FollowAccept},
		{"vale, hazlo entonces", nlu.FollowAccept},
		{"хорошо, давайте откроем", nlu.FollowAccept},
		{"yes do both of them", nlu.FollowAll},
		{"둘 다 해 주세요", nlu.FollowAll},
		{"sí, las dos por favor", nlu.FollowAll},
		{"da, oba pozhaluysta", nlu.FollowAll},
		{"only the first", nlu.FollowPick},
		{"첫 번째 거만", nlu.FollowPick},
		{"solo la segunda", nlu.FollowPick},
		{"только второй", nlu.FollowPick},
		{"no thanks i'm fine", nlu.FollowDecline},
		{"아니요 안 해도 괜찮아요", nlu.FollowDecline},
		{"no, gracias, no hace falta", nlu.FollowDecline},
		{"нет, спасибо, не надо", nlu.FollowDecline},
		{"wait never mind", nlu.FollowStop},
		{"잠깐만요 다 취소해 주세요", nlu.FollowStop},
		{"espera, olvídalo", nlu.FollowStop},
		{"стоп, забудьте", nlu.FollowStop},
		{"when does my parcel arrive?", nlu.FollowOther},
		{"환불 언제 들어와요?", nlu.FollowOther},
	} {
		if got, conf := r.Read(tt.text); got != tt.want {
			t.Errorf("Read(%q) = %s (%.2f), want %s", tt.text, got, conf, tt.want)
		}
	}
}
