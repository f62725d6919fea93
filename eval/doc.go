// Package eval will run the QA team's YAML suites against the agent, in
// process or over the websocket protocol, and report pass rates, pass^k and
// tool-call metrics, as DESIGN.md describes. It is built by the eval issue.
package eval
