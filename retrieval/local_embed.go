package retrieval

import (
	"context"
	"math"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// The built-in embedder's identity. The name is stored with every chunk and
// named by the HNSW index of migration 00004, so any change to the features,
// their weights or the IDF table must come with a new name (and an index for
// it), never under this one.
const (
	LocalModel = "local-ngram-v1-384"
	LocalDims  = 384
)

// Feature families, kept in the top two bits of a feature key so one sorted
// slice holds them all.
const (
	famChar = iota
	famWord
	famBigram
)

// The weights balance the families. Character n-grams carry the
// embedder: on the English and Spanish halves of testdata/questions.tsv,
// weighting words and word pairs up (2.5 and 2 per feature) lowered
// vector-only MRR from 0.68 to 0.58, because a paraphrased question shares
// stems far more often than whole words, and in 384 hashed dimensions every
// extra feature is also noise. At these low weights they are neutral on
// that set (and on the Korean and Russian halves, which were not used for
// choosing) and still favour an exact word over a near-spelling.
const (
	charWeight   = 1
	wordWeight   = 0.25
	bigramWeight = 0.1
)

// LocalEmbedder is the embedder that needs nothing outside the binary:
// hashed character 2- to 4-grams of each word (which carry Korean, whose
// particles are glued to words, and Russian and Spanish inflection), word
// unigrams and bigrams, each weighted by sublinear term frequency times an
// inverse document frequency, signed-hashed into 384 dimensions and
// L2-normalised. It is deterministic: the same text gives the same vector
// bit for bit, in any process.
//
// The IDF table was fitted on the demo policy corpus and is frozen in the
// binary (local_idf.bin.gz, see local_idf.go) rather than refitted on the
// stored chunks: refitting would change every stored vector whenever a
// document changed, and query vectors and document vectors must agree.
// Features the table never saw get the highest weight, as rare words should.
type LocalEmbedder struct {
	idf []float32
}

// NewLocalEmbedder returns the built-in embedder.
func NewLocalEmbedder() *LocalEmbedder {
	idf, err := decodeIDF(localIDFTable)
	if err != nil {
		panic("retrieval: embedded IDF table: " + err.Error()) // fixed at build time, checked by tests
	}
	return &LocalEmbedder{idf: idf}
}

var _ Embedder = (*LocalEmbedder)(nil)

// Model returns LocalModel.
func (e *LocalEmbedder) Model() string { return LocalModel }

// Dims returns LocalDims.
func (e *LocalEmbedder) Dims() int { return LocalDims }

// Embed returns the vectors of texts. It fails only when ctx has ended.
func (e *LocalEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	var keys []uint64
	for i, t := range texts {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		out[i] = make([]float32, LocalDims)
		keys = e.embed(out[i], t, keys[:0])
	}
	return out, nil
}

// embed writes the vector of text into vec, reusing keys as scratch space.
func (e *LocalEmbedder) embed(vec []float32, text string, keys []uint64) []uint64 {
	familyWeights := [3]float32{famChar: charWeight, famWord: wordWeight, famBigram: bigramWeight}
	keys = appendFeatures(keys, text)
	// Sorting makes the sum's order, and so its rounding, independent of
	// anything but the text.
	slices.Sort(keys)
	var sum float64
	for i := 0; i < len(keys); {
		j := i + 1
		for j < len(keys) && keys[j] == keys[i] {
			j++
		}
		k := keys[i]
		w := familyWeights[k>>62] * (1 + float32(math.Log(float64(j-i)))) * e.idf[idfBucket(k)]
		d := k % LocalDims
		if k>>61&1 == 1 {
			w = -w
		}
		vec[d] += w
		i = j
	}
	for _, v := range vec {
		sum += float64(v) * float64(v)
	}
	if sum == 0 {
		// No features at all (an empty or all-punctuation text): a fixed
		// unit vector keeps cosine distance defined.
		vec[0] = 1
		return keys
	}
	inv := float32(1 / math.Sqrt(sum))
	for i := range vec {
		vec[i] *= inv
	}
	return keys
}

// appendFeatures appends the feature keys of text: its family in the top two
// bits, a hash of the feature below. Text is NFKC-normalised and
// lower-cased first, so full-width letters and case do not matter.
func appendFeatures(keys []uint64, text string) []uint64 {
	text = strings.ToLower(norm.NFKC.String(text))
	var prev string
	var word []rune
	emitWord := func() {
		if len(word) == 0 {
			return
		}
		w := string(word)
		keys = append(keys, featureKey(famWord, w, ""))
		if prev != "" {
			keys = append(keys, featureKey(famBigram, prev, w))
		}
		prev = w
		// Character n-grams of the word between boundary marks, so "<re"
		// (a prefix) and "re" (anywhere) are different features.
		padded := make([]rune, 0, len(word)+2)
		padded = append(padded, '\x02')
		padded = append(padded, word...)
		padded = append(padded, '\x03')
		for n := 2; n <= 4; n++ {
			for i := 0; i+n <= len(padded); i++ {
				keys = append(keys, featureKey(famChar, string(padded[i:i+n]), ""))
			}
		}
		word = word[:0]
	}
	for _, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			word = append(word, r)
			continue
		}
		emitWord()
	}
	emitWord()
	return keys
}

// featureKey hashes a feature (FNV-1a, then a finaliser that spreads FNV's
// weak low bits) and puts its family in the top two bits.
func featureKey(family int, a, b string) uint64 {
	h := uint64(14695981039346656037)
	h = (h ^ uint64(family)) * 1099511628211
	for i := 0; i < len(a); i++ {
		h = (h ^ uint64(a[i])) * 1099511628211
	}
	if b != "" {
		h = (h ^ ' ') * 1099511628211
		for i := 0; i < len(b); i++ {
			h = (h ^ uint64(b[i])) * 1099511628211
		}
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h&^(3<<62) | uint64(family)<<62
}

// idfBucket is where a feature's IDF is kept: bits that neither its
// dimension (the low bits) nor its sign (bit 61) nor its family use.
func idfBucket(key uint64) uint64 {
	return key >> 20 & (1<<idfBits - 1)
}
