package main

import (
	"sync"

	"github.com/csagent/csagent/agent/local/nlu"
)

// The tests' brains share one trained classifier: training is deterministic
// (nlu's TestDeterminism) and the classifier is read-only once trained
// (nlu's TestConcurrentParse, under -race), so a brain built on the shared
// one answers as one that trained its own. Training once instead of for
// every serve and eval run saves minutes under the race detector.
func init() {
	trainClassifier = sync.OnceValues(nlu.New)
}
