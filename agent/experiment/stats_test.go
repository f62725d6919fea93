package experiment_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/csagent/csagent/agent/experiment"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// TestWilson against values computed by hand from the formula and the
// textbook cases (Newcombe 1998, table I).
func TestWilson(t *testing.T) {
	tests := []struct {
		k, n   int
		lo, hi float64
	}{
		{81, 263, 0.2553, 0.3662},
		{0, 10, 0, 0.2775},
		{10, 10, 0.7225, 1},
		{56, 70, 0.6918, 0.8770},
		{48, 80, 0.4905, 0.7004},
		{0, 0, 0, 1},
	}
	for _, tt := range tests {
		lo, hi := experiment.Wilson(tt.k, tt.n, 0.05)
		if !near(lo, tt.lo, 1e-4) || !near(hi, tt.hi, 1e-4) {
			t.Errorf("Wilson(%d, %d) = (%.4f, %.4f), want (%.4f, %.4f)", tt.k, tt.n, lo, hi, tt.lo, tt.hi)
		}
	}
}

// TestNewcombeDiff: Newcombe (1998), example (a) of table II, method 10:
// 56/70 − 48/80 = 0.2000, interval 0.0524 to 0.3339.
func TestNewcombeDiff(t *testing.T) {
	d, lo, hi := experiment.NewcombeDiff(48, 80, 56, 70, 0.05)
	if !near(d, 0.2, 1e-9) || !near(lo, 0.0524, 1e-4) || !near(hi, 0.3339, 1e-4) {
		t.Errorf("NewcombeDiff(48/80, 56/70) = %.4f (%.4f, %.4f), want 0.2000 (0.0524, 0.3339)", d, lo, hi)
	}
}

// TestChiSquare against the table's critical values.
func TestChiSquare(t *testing.T) {
	tests := []struct {
		x    float64
		df   int
		want float64
	}{
		{3.841459, 1, 0.05}, {6.634897, 1, 0.01}, {10.82757, 1, 0.001},
		{5.991465, 2, 0.05}, {7.814728, 3, 0.05}, {0.4549364, 1, 0.5}, {30, 4, 4.894437e-06},
	}
	for _, tt := range tests {
		if got := experiment.ChiSquareSF(tt.x, tt.df); !near(got, tt.want, tt.want*1e-4) {
			t.Errorf("ChiSquareSF(%g, %d) = %.6g, want %.6g", tt.x, tt.df, got, tt.want)
		}
	}
	// 5,000 / 5,000 is what a 50/50 split expects; 5,200 / 4,800 is not.
	if _, p := experiment.ChiSquareGOF([]int{5000, 5000}, []float64{50, 50}); p != 1 {
		t.Errorf("ChiSquareGOF(5000, 5000) p = %v, want 1", p)
	}
	if stat, p := experiment.ChiSquareGOF([]int{5200, 4800}, []float64{50, 50}); !near(stat, 16, 1e-9) || p > 1e-4 {
		t.Errorf("ChiSquareGOF(5200, 4800) = %v, p %v; want 16, p < 1e-4", stat, p)
	}
}

// TestBootstrapMean: on normal data the percentile interval matches the
// normal one (mean ± 1.96 σ/√n) within a few percent of its width.
func TestBootstrapMean(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	xs := make([]float64, 2000)
	for i := range xs {
		xs[i] = 100 + 20*r.NormFloat64()
	}
	m, lo, hi := experiment.BootstrapMean(r, xs, 4000, 0.05)
	var ss float64
	for _, x := range xs {
		ss += (x - m) * (x - m)
	}
	se := math.Sqrt(ss/float64(len(xs)-1)) / math.Sqrt(float64(len(xs)))
	if !near(lo, m-1.96*se, 0.1*se) || !near(hi, m+1.96*se, 0.1*se) {
		t.Errorf("BootstrapMean = %.3f (%.3f, %.3f), want about (%.3f, %.3f)", m, lo, hi, m-1.96*se, m+1.96*se)
	}
}
