package agent

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"

	"github.com/csagent/csagent/retrieval"
	"github.com/csagent/csagent/tools"
)

// Citations: the policy passages a reply rests on, stored with the reply
// (messages.citations) so the message frame can link each one to its
// section of the policy page.
//
// A passage counts when the reply cites it — "[refunds §Refund window]", the
// form search_policy hands out and both brains write — and a search_policy
// call of the same turn returned it. A citation the turn's searches never
// returned is not resolved into a link: the reply made it up, and judging
// that is the guardrails' business, not a link's.

// Citation is one policy passage a reply cites.
type Citation struct {
	DocID  string `json:"doc_id"`
	Locale string `json:"locale"`
	Title  string `json:"title,omitempty"`
	// Heading is the section the reply names; HeadingPath the headings down
	// to it, "Refunds and returns > Refund window".
	Heading     string `json:"heading"`
	HeadingPath string `json:"heading_path"`
	Version     int    `json:"version,omitempty"`
	// URL is the section on the policy page: /policies/{doc}/{locale}#anchor.
	URL string `json:"url"`
}

// policySearchTool is the tool whose results citations are resolved against.
const policySearchTool = "search_policy"

// citePattern finds citations in a reply, as the chat page does
// (web/assets/common.js, citePattern).
var citePattern = regexp.MustCompile(`\[([a-z0-9][a-z0-9-]{0,63}) §([^\]\n]{1,120})\]`)

// policyHit is the part of a search_policy hit a citation needs.
type policyHit struct {
	DocID       string `json:"doc_id"`
	Title       string `json:"title"`
	Locale      string `json:"locale"`
	Version     int    `json:"version"`
	Heading     string `json:"heading"`
	HeadingPath string `json:"heading_path"`
}

// citations returns the citations of a turn's reply text as the JSON the
// messages table stores, or nil for none. It reads the turn's search_policy
// results from the audit log only when the text cites something, so a turn
// without a citation costs no query.
func (a *Agent) citations(ctx context.Context, convID, turnID, text string, audit []tools.AuditRow) json.RawMessage {
	if !citePattern.MatchString(text) {
		return nil
	}
	var results []json.RawMessage
	calls := map[string][]pastCall{}
	if tools.AuditLaterFrom(ctx) == nil {
		// Without a turn's deferred audit, its searches are on record.
		var err error
		if calls, err = a.store.toolCalls(ctx, convID, []string{turnID}); err != nil {
			a.logger.WarnContext(ctx, "load the turn's policy searches for citations", "turn_id", turnID, "err", err)
			return nil
		}
	}
	for _, c := range calls[turnID] {
		if c.tool == policySearchTool {
			results = append(results, json.RawMessage(c.result))
		}
	}
	// The searches whose audit rows wait to be written with the reply.
	for _, r := range audit {
		if r.Tool == policySearchTool && r.ErrorCode == nil && r.Result != nil {
			results = append(results, r.Result)
		}
	}
	cites := CitationsOf(text, results)
	if len(cites) == 0 {
		return nil
	}
	b, err := json.Marshal(cites)
	if err != nil {
		return nil
	}
	return b
}

// CitationsOf returns the passages of results (search_policy results,
// {"hits":[…]}) that text cites, in the order the text first cites them,
// each once. A citation matches a hit of its document whose heading, or the
// end of whose heading path, it names, ignoring case and spacing; results
// that are not search_policy data (failed calls) are skipped.
func CitationsOf(text string, results []json.RawMessage) []Citation {
	var hits []policyHit
	for _, r := range results {
		var res struct {
			Hits []policyHit `json:"hits"`
		}
		if json.Unmarshal(r, &res) == nil {
			hits = append(hits, res.Hits...)
		}
	}
	out := []Citation{}
	if len(hits) == 0 {
		return out
	}
	seen := map[string]bool{}
	for _, m := range citePattern.FindAllStringSubmatch(text, -1) {
		doc, named := m[1], fold(m[2])
		for _, h := range hits {
			if h.DocID != doc || !namesSection(named, h) {
				continue
			}
			key := h.DocID + "\x00" + h.Locale + "\x00" + h.HeadingPath
			if seen[key] {
				break
			}
			seen[key] = true
			heading := h.Heading
			if heading == "" {
				heading = lastHeading(h.HeadingPath)
			}
			out = append(out, Citation{
				DocID: h.DocID, Locale: h.Locale, Title: h.Title, Heading: heading, HeadingPath: h.HeadingPath,
				Version: h.Version, URL: retrieval.PageURL(h.DocID, h.Locale, heading),
			})
			break
		}
	}
	return out
}

// namesSection reports whether a citation's folded heading names hit's
// section: its heading, or a suffix of its heading path ("Disputes > Time
// limits") for a model that cites more of the path than the heading.
func namesSection(named string, h policyHit) bool {
	if h.Heading != "" && fold(h.Heading) == named {
		return true
	}
	path := fold(h.HeadingPath)
	return path == named || strings.HasSuffix(path, "> "+named)
}

// fold normalises a heading for comparison: lower case, single spaces, and
// a ">" between path parts whatever spacing the writer used.
func fold(s string) string {
	parts := strings.Split(s, ">")
	for i, p := range parts {
		parts[i] = strings.Join(strings.Fields(strings.ToLower(p)), " ")
	}
	return strings.Join(parts, " > ")
}

func lastHeading(path string) string {
	if i := strings.LastIndex(path, ">"); i >= 0 {
		return strings.TrimSpace(path[i+1:])
	}
	return strings.TrimSpace(path)
}
