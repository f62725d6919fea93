// Package eval runs the QA team's suites against the agent and reports a
// verdict they can trust, run after run.
//
// A suite is a YAML file (the format is in README.md beside this file): a
// few defaults (brain, model, locale, the demo fixture the buyer comes from)
// and cases, each a multi-turn script of buyer messages and confirm or
// decline steps with assertions per turn and at the end. Assertions cover
// the reply's text, the tools called and their arguments (with precision,
// recall and F1), the database's end state, citations, the guardrail
// verdict, the reply's language, latency and token ceilings, and an
// LLM-judged rubric.
//
// The Runner runs cases on a Backend, which gives every run of a case a
// World of its own (in process: a fresh copy of the demo database and an
// agent over it; over the network: a live server, see WSBackend). Results
// distinguish a failure (the agent did the wrong thing) from an error (the
// harness or the judge could not tell), and carry pass^k and flakiness when
// cases are repeated. Reports are a terminal summary, JSON, JUnit XML and a
// self-contained HTML page; Diff compares two JSON reports.
package eval
