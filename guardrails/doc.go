// Package guardrails will check every buyer message before the model reads it
// (prompt injection, personal data) and every reply before anyone sees it
// (banned phrases, unsupported claims), as DESIGN.md describes. It is built
// by the guardrails issue; until then no reply is checked, and stored replies
// carry no verdict rather than a "pass" nothing earned.
package guardrails
