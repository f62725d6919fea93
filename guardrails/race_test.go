//go:build race

package guardrails

// raceEnabled: the race detector slows checks down tenfold, so timing
// targets are not asserted under it.
const raceEnabled = true
