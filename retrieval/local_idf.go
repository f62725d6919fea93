package retrieval

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"slices"
)

// The local embedder's IDF table: one weight per bucket of feature hashes,
// 2^17 buckets (collisions among the rare features that fill most of them
// cost little; the few common features are what the table is for).
//
// It is generated from the demo policies by
//
//	go test ./retrieval -run TestLocalIDFTable -update-idf
//
// and frozen: localIDFDigest pins it, so a regenerated table cannot ship
// under the same model name (LocalModel) as vectors made with the old one.
const (
	idfBits = 17
	// idfScale quantises weights to a byte: IDF runs from 1 to about 7.
	idfScale       = 32
	localIDFDigest = "96327b6c01b90747"
)

//go:embed local_idf.bin.gz
var localIDFTable []byte

// fitIDF computes the IDF table of a corpus: ln((N+1)/(df+1)) + 1 per
// bucket, quantised, where df counts the texts with a feature in the bucket.
func fitIDF(texts []string) []byte {
	df := make([]uint32, 1<<idfBits)
	var keys []uint64
	var buckets []uint64
	for _, t := range texts {
		keys = appendFeatures(keys[:0], t)
		buckets = buckets[:0]
		for _, k := range keys {
			buckets = append(buckets, idfBucket(k))
		}
		slices.Sort(buckets)
		for _, b := range slices.Compact(buckets) {
			df[b]++
		}
	}
	n := float64(len(texts))
	table := make([]byte, 1<<idfBits)
	for i, d := range df {
		idf := math.Log((n+1)/(float64(d)+1)) + 1
		table[i] = byte(min(math.Round(idf*idfScale), 255))
	}
	return table
}

// encodeIDF compresses a table for local_idf.bin.gz.
func encodeIDF(table []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(table); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// idfDigest identifies a table's content.
func idfDigest(table []byte) string {
	sum := sha256.Sum256(table)
	return hex.EncodeToString(sum[:8])
}

// decodeIDF decompresses the table and checks it is the pinned one.
func decodeIDF(gz []byte) ([]float32, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	table, err := io.ReadAll(io.LimitReader(zr, 1<<idfBits+1))
	if err != nil {
		return nil, err
	}
	if len(table) != 1<<idfBits {
		return nil, fmt.Errorf("%d entries, want %d", len(table), 1<<idfBits)
	}
	if d := idfDigest(table); d != localIDFDigest {
		return nil, fmt.Errorf("digest %s, want %s: a changed table needs a new model name", d, localIDFDigest)
	}
	idf := make([]float32, len(table))
	for i, q := range table {
		idf[i] = float32(q) / idfScale
	}
	return idf, nil
}
