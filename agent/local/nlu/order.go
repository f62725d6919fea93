package nlu

import (
	"cmp"
	"slices"
)

// training holds the hyper-parameters of trainWith, so that experiments
// (the stability test) can vary them without touching the defaults.
type training struct {
	epochs int
	// lr decays per epoch as lr / (1 + decay·e).
	lr, decay float64
}

// defaultTraining is the configuration New trains with.
var defaultTraining = training{epochs: trainEpochs, lr: learningRate, decay: learningDecay}

// exampleKeys returns each example's ordering key, a hash of its label
// and text: the same line gets the same key wherever it sits in the
// files and whatever lines are added or removed around it.
func exampleKeys(examples []Example) []uint64 {
	keys := make([]uint64, len(examples))
	for i, ex := range examples {
		keys[i] = fnv64(string(ex.Intent) + "\t" + ex.Text)
	}
	return keys
}

// fnv64 is the 64-bit FNV-1a hash of s: fixed across processes and Go
// versions, unlike maphash, so that training stays deterministic.
func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// mix64 is the splitmix64 finaliser: it spreads every bit of x over the
// result, so that keys mixed with different epochs sort independently.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// epochOrder sorts order (indices of the training examples) into the
// order of one epoch: by each example's key mixed with the epoch.
//
// SGD's result depends on the order it sees the examples in. A shuffle
// with a fixed seed permutes positions, so removing or adding one line
// moves every later example and acts like a new seed: 20 unrelated
// training lines removed changed 88 of 3,000 held-out predictions (TEST-8
// and TEST-7, mean of five draws). Keyed on the examples themselves, the
// others keep their relative order and the same edit changed 11.
func epochOrder(order []int, keys []uint64, epoch int) {
	e := mix64(uint64(epoch+1) * 0x9E3779B97F4A7C15)
	// Mixed once per example rather than at every comparison.
	mixed := make([]uint64, len(keys))
	for i, k := range keys {
		mixed[i] = mix64(k ^ e)
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := cmp.Compare(mixed[a], mixed[b]); c != 0 {
			return c
		}
		// The same line twice: its copies are interchangeable.
		return cmp.Compare(a, b)
	})
}
