package experiment

import (
	"math"
	"math/rand/v2"
	"slices"
)

// The statistics of the readout, each a plain function of counts or
// samples so tests can hold them to known values.

// zFor returns the two-sided standard normal quantile for significance
// level alpha: 1.96 for 0.05.
func zFor(alpha float64) float64 { return math.Sqrt2 * math.Erfinv(1-alpha) }

// Wilson returns the Wilson score interval of k successes in n trials at
// two-sided level alpha (0.05 for 95 %). n = 0 gives (0, 1).
func Wilson(k, n int, alpha float64) (lo, hi float64) {
	if n == 0 {
		return 0, 1
	}
	z := zFor(alpha)
	p, nf := float64(k)/float64(n), float64(n)
	den := 1 + z*z/nf
	mid := (p + z*z/(2*nf)) / den
	half := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / den
	return max(0, mid-half), min(1, mid+half)
}

// NewcombeDiff returns the interval of p2 - p1, the difference of two
// independent proportions (k2/n2 minus k1/n1), by Newcombe's hybrid score
// method (1998, method 10), built from each proportion's Wilson interval.
func NewcombeDiff(k1, n1, k2, n2 int, alpha float64) (d, lo, hi float64) {
	if n1 == 0 || n2 == 0 {
		return 0, -1, 1
	}
	p1, p2 := float64(k1)/float64(n1), float64(k2)/float64(n2)
	l1, u1 := Wilson(k1, n1, alpha)
	l2, u2 := Wilson(k2, n2, alpha)
	d = p2 - p1
	lo = d - math.Sqrt((p2-l2)*(p2-l2)+(u1-p1)*(u1-p1))
	hi = d + math.Sqrt((u2-p2)*(u2-p2)+(p1-l1)*(p1-l1))
	return d, lo, hi
}

// mean returns the mean of xs, 0 for none.
func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// resampleMean returns the mean of a bootstrap resample of xs. An index
// is the high half of a 32-bit random number times len(xs) (Lemire's
// multiply-shift): two per 64-bit draw, a bias under len(xs)/2^32.
func resampleMean(r *rand.Rand, xs []float64) float64 {
	var s float64
	n := uint64(len(xs))
	for i := 0; i < len(xs); i += 2 {
		u := r.Uint64()
		s += xs[(u>>32)*n>>32]
		if i+1 < len(xs) {
			s += xs[(u&0xffffffff)*n>>32]
		}
	}
	return s / float64(len(xs))
}

// quantile returns the q-quantile of sorted xs by linear interpolation.
func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	pos := q * float64(len(sorted)-1)
	i := int(pos)
	if i >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	f := pos - float64(i)
	return sorted[i]*(1-f) + sorted[i+1]*f
}

// BootstrapMean returns the mean of xs and its percentile bootstrap
// interval at two-sided level alpha from b resamples drawn by r.
func BootstrapMean(r *rand.Rand, xs []float64, b int, alpha float64) (m, lo, hi float64) {
	m = mean(xs)
	if len(xs) < 2 {
		return m, m, m
	}
	means := make([]float64, b)
	for i := range means {
		means[i] = resampleMean(r, xs)
	}
	slices.Sort(means)
	return m, quantile(means, alpha/2), quantile(means, 1-alpha/2)
}

// ChiSquareGOF tests observed counts against the shares expected of them
// (which need not add up to 1: they are normalised): Pearson's statistic
// and its p-value with len-1 degrees of freedom.
func ChiSquareGOF(observed []int, shares []float64) (stat, p float64) {
	var n, total float64
	for i, o := range observed {
		n += float64(o)
		total += shares[i]
	}
	if n == 0 || len(observed) < 2 {
		return 0, 1
	}
	for i, o := range observed {
		exp := n * shares[i] / total
		stat += (float64(o) - exp) * (float64(o) - exp) / exp
	}
	return stat, ChiSquareSF(stat, len(observed)-1)
}

// ChiSquareSF is the chi-square distribution's survival function: the
// probability that a variable with df degrees of freedom exceeds x.
func ChiSquareSF(x float64, df int) float64 {
	if x <= 0 {
		return 1
	}
	return gammaQ(float64(df)/2, x/2)
}

// gammaQ is the regularized upper incomplete gamma function Q(a, x), by
// its series below a+1 and its continued fraction above (Numerical
// Recipes, 6.2).
func gammaQ(a, x float64) float64 {
	lg, _ := math.Lgamma(a)
	if x < a+1 {
		sum, del, ap := 1/a, 1/a, a
		for range 1000 {
			ap++
			del *= x / ap
			sum += del
			if math.Abs(del) < math.Abs(sum)*1e-15 {
				break
			}
		}
		return 1 - sum*math.Exp(-x+a*math.Log(x)-lg)
	}
	const tiny = 1e-300
	b := x + 1 - a
	c, d := 1/tiny, 1/b
	h := d
	for i := 1; i < 1000; i++ {
		an := -float64(i) * (float64(i) - a)
		b += 2
		d = an*d + b
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = b + an/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 1e-15 {
			break
		}
	}
	return math.Exp(-x+a*math.Log(x)-lg) * h
}
