package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/agent/local/nlu"
)

// routeConfig is local-first routing: routine turns the local model is sure
// of never reach the LLM.
type routeConfig struct {
	enabled   bool
	threshold float64
	// intents is the routine set, comma-separated.
	intents string
}

func (c *routeConfig) register(f *flags) {
	f.bool(&c.enabled, "route-local-first", false, "with an LLM configured, let the local model answer routine turns it is sure of (see --route-threshold, --route-intents); a clarification or \"I don't know\" goes to the LLM in the same turn", "CSAGENT_ROUTE_LOCAL_FIRST")
	f.float(&c.threshold, "route-threshold", agent.DefaultRouteThreshold, "calibrated confidence of the local model's reading from which it answers a routine turn", "CSAGENT_ROUTE_THRESHOLD")
	f.string(&c.intents, "route-intents", strings.Join(agent.DefaultRoutine, ","), "the routine intents the local model may answer alone, comma-separated, or \"cautious\" for the lookups, policy questions and small talk without the requests that propose an action", "CSAGENT_ROUTE_INTENTS")
}

// routing returns the agent's routing configuration.
func (c *routeConfig) routing() agent.Routing {
	r := agent.Routing{Enabled: c.enabled, Threshold: c.threshold, Routine: []string{}}
	intents := c.intents
	if intents == "cautious" {
		intents = strings.Join(agent.CautiousRoutine, ",")
	}
	for _, s := range strings.Split(intents, ",") {
		if s = strings.TrimSpace(s); s != "" {
			r.Routine = append(r.Routine, s)
		}
	}
	return r
}

// check refuses a routine set naming an intent the local model does not
// know, and a threshold outside (0, 1].
func (c *routeConfig) check() error {
	if c.threshold <= 0 || c.threshold > 1 {
		return usageError{fmt.Sprintf("--route-threshold %v: want a confidence in (0, 1]", c.threshold)}
	}
	for _, s := range c.routing().Routine {
		if !slices.Contains(nlu.Intents(), nlu.Intent(s)) {
			return usageError{fmt.Sprintf("--route-intents: %q is not an intent of the local model (csagent nlu lists them)", s)}
		}
	}
	return nil
}
