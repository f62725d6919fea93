// Package guardrails checks what goes into csagent's model and what comes
// out of it, for both brains alike.
//
// Input: CheckInput scores a buyer's message, or text a tool returned, for
// prompt injection and jailbreaks (patterns in English, Korean, Spanish and
// Russian plus a classifier over character n-grams trained on the
// package's own data) and masks personal data (Luhn-valid card numbers,
// phone numbers, emails, street addresses) for logs and external LLMs;
// Redact does the masking alone.
//
// Output: CheckOutput checks a reply against the turn's Evidence, which
// keeps its sources apart (tool results and policy passages, staff
// messages, the buyer's words, the actions taken this turn): banned
// phrases per locale and audience from an operator-edited YAML file,
// matched after a normaliser that sees through evasions; claims (amounts,
// durations, dates, ids, tracking numbers, carriers, percentages, states,
// actions taken, who pays return shipping, named policy rules) the trusted
// evidence does not back, a claim about an order only by what is known of
// that order; policy sentences the evidence does not support; and
// personal data. The verdict is Pass, Rewritten (offending
// sentences removed) or Fallback, with Feedback to regenerate from. A
// Stream does the same while a reply is generated, releasing it sentence
// by sentence, each only once it passed.
//
// Everything is deterministic and in-process: a reply is checked in well
// under a millisecond. A Checker is safe for concurrent use and Reload
// swaps its rules without a restart. Speed and quality are measured on
// labelled sets by internal/guardbench (`csagent bench guardrails`).
package guardrails
