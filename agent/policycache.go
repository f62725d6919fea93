package agent

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/jackc/pgx/v5"

	"github.com/csagent/csagent/tools"
)

// The policy answer cache (Config.PolicyCache): a grounded, guard-passed
// answer to a policy question is stored in Postgres (policy_answers,
// migrations/00013_routing.sql) under two keys, and a later question finds
// it by either:
//
//   - the normalised question, locale and audience: the same question asked
//     again, answered without a search;
//   - the kind of question (a duration, who pays, …), locale, audience and
//     the passages the search returns first: a question worded otherwise
//     that finds the same policy text and asks for the same kind of fact.
//
// An entry is served only while every policy document version it rests on
// is still the one in force, and storing a policy document deletes every
// entry resting on it in the same transaction (a trigger): a re-ingest
// invalidates by version on every replica at once, whichever process
// ingested. That is why the cache is a table: `csagent ingest` runs in
// another process, and N replicas would each keep serving a stale answer
// until some signal reached them. In front of the table each process keeps
// the answers it found in force (answerMemo, policymemo.go) under the
// policy generation, which that same write changes and which the turn
// reads in the round trip that stores the buyer's message: a hit costs no
// round trip of its own, and a re-ingest still reaches every process at
// its next turn.
//
// A served answer still goes through the guardrails, against the passages
// it rests on (the turn's search, or the stored search result), and keeps
// its citations. The guardrails' checks are deterministic, so an answer
// that passed under the same version of their rules against the same
// evidence keeps that verdict rather than being checked again
// (verdictCache); a reload of the rules changes the version. Nothing about an order or an account is ever stored: only
// turns whose tools were nothing but search_policy, whose question and
// answer name no order, refund, dispute, amount, tracking number or
// contact detail.

// policyPlan is a policy question's way through the cache in one turn.
type policyPlan struct {
	question, qtype, locale string
	exactKey, passKey       []byte
	// search is the cache's own search_policy call and its result, when
	// it searched; evidence is that result's content.
	search   []Message
	evidence string
	hit      *policyAnswer
	// counted is the key of a hit served from the process's memo, whose
	// hit the reply's transaction counts.
	counted []byte
	// reading is the local model's reading of the turn the lookup decided
	// on; routing decides on it too instead of reading the turn again.
	reading Reading
}

// policyAnswer is a stored answer.
type policyAnswer struct {
	kind      string
	text      string
	citations json.RawMessage
	evidence  string
}

// cacheSearchID is the call id of the search the cache runs itself.
const cacheSearchID = "call_policy_cache"

// The cache's kinds of key.
const (
	keyQuestion = "question"
	keyPassages = "passages"
)

// policyLookup looks the turn's question up in the cache when it is a
// policy question the local model reads with confidence in a conversation
// with no open thread. It returns the turn with its plan (nil when the
// cache does not apply) and the messages the model must see after the
// history: the cache's search and its result, or, for an answer found by
// its question, the stored search result it rests on.
func (a *Agent) policyLookup(ctx context.Context, caller tools.Caller, t Turn, turnID string, st *turnState, emit func(Event) error) (Turn, []Message) {
	if !a.cfg.PolicyCache || a.reader == nil || caller.Role != tools.RoleBuyer {
		return t, nil
	}
	rd := a.reader.Read(Request{Messages: a.history(t, st), Locale: t.Locale})
	if rd.Intent != "policy_question" || rd.Carried || rd.Search == nil || rd.Confidence < a.routing(t).Threshold ||
		openThread(st, rd).kind != "" || namesAccountData(t.Text) {
		return t, nil
	}
	p := &policyPlan{question: normaliseQuestion(rd.Question), qtype: rd.QuestionType, locale: rd.Locale, reading: rd}
	if p.question == "" {
		return t, nil
	}
	scope := a.turnExposure(st).cacheScope()
	p.exactKey = scopedKey(scope, keyQuestion, p.question, p.locale, audienceBuyer)
	t.policy = p
	if hit := a.findAnswer(ctx, p, p.exactKey, st.policyGen, turnID); hit != nil {
		p.hit = hit
		a.metrics.observeCache("hit_exact")
		return t, evidenceMessages(hit.evidence)
	}
	specs, _ := a.specs(caller.Role)
	call := ToolCall{ID: cacheSearchID, Name: policySearchTool, Arguments: rd.Search}
	res := a.runTools(ctx, caller, specs, t, turnID, []ToolCall{call}, nil, emit)
	p.search = []Message{{Role: RoleAssistant, ToolCalls: []ToolCall{call}}, res[0].msg}
	p.evidence = res[0].msg.Content
	if passages := topPassages(p.evidence); passages != "" {
		p.passKey = scopedKey(scope, keyPassages, p.qtype, p.locale, audienceBuyer, passages)
		if hit := a.findAnswer(ctx, p, p.passKey, st.policyGen, turnID); hit != nil {
			p.hit = hit
			a.metrics.observeCache("hit_similar")
			return t, p.search
		}
	}
	a.metrics.observeCache("miss")
	return t, p.search
}

// findAnswer returns the answer in force under key, nil when there is
// none: from the process's memo when it was found in force under gen, the
// generation the turn read with its message, else from the table, and
// then kept in the memo under the generation the table's check saw. An
// answer from the memo has its hit counted with the turn's reply (p.counted)
// rather than in a round trip of its own.
func (a *Agent) findAnswer(ctx context.Context, p *policyPlan, key []byte, gen policyGeneration, turnID string) *policyAnswer {
	if hit := a.answers.get(key, gen); hit != nil {
		p.counted = key
		a.metrics.observeCache("memory")
		return hit
	}
	hit, found, err := a.store.policyAnswer(ctx, key)
	if err != nil {
		a.logger.WarnContext(ctx, "look up the policy answer cache", "turn_id", turnID, "err", err)
		return nil
	}
	if hit != nil {
		a.answers.put(key, found, hit)
	}
	return hit
}

// evidenceMessages returns the stored search result an answer found by its
// question rests on, as the tool message the guardrails check it against.
func evidenceMessages(evidence string) []Message {
	call := ToolCall{ID: cacheSearchID, Name: policySearchTool, Arguments: json.RawMessage(`{}`)}
	return []Message{
		{Role: RoleAssistant, ToolCalls: []ToolCall{call}},
		{Role: RoleTool, ToolCallID: cacheSearchID, Name: policySearchTool, Content: evidence},
	}
}

// answerModel answers a turn from the cache: the stored answer first; a
// second call (the guardrails asking for a regeneration) goes to the
// model the turn would have had.
type answerModel struct {
	hit   *policyAnswer
	next  Model
	calls int
}

func (m *answerModel) Generate(ctx context.Context, req Request, onDelta func(string) error) (Response, error) {
	m.calls++
	if m.calls > 1 {
		return m.next.Generate(ctx, req, onDelta)
	}
	if onDelta != nil {
		if err := onDelta(m.hit.text); err != nil {
			return Response{}, err
		}
	}
	return Response{Message: Message{Role: RoleAssistant, Content: m.hit.text}, Model: ModelPolicyCache}, nil
}

// ModelPolicyCache is the model a turn answered from the policy answer
// cache records.
const ModelPolicyCache = "policy_cache"

// policyStore stores the answer of a turn planned as p, when it may be
// cached: the reply passed the guardrails as written, cites the policy,
// no fallback answered, the turn called nothing but search_policy, and
// the answer names no order or account data.
func (a *Agent) policyStore(ctx context.Context, p *policyPlan, reply StoredMessage, usage TurnUsage, audit []tools.AuditRow) {
	if p == nil || p.hit != nil || reply.Seq == 0 {
		return
	}
	evidence := p.evidence
	for _, r := range audit {
		if r.Tool != policySearchTool || r.ErrorCode != nil {
			a.metrics.observeCache("skipped")
			return
		}
		if evidence == "" && r.Result != nil {
			b, _ := json.Marshal(ToolResult{OK: true, Data: r.Result})
			evidence = string(b)
		}
	}
	var cites []Citation
	if json.Unmarshal(reply.Citations, &cites) != nil || len(cites) == 0 || evidence == "" ||
		reply.Guardrail != "pass" || usage.Fallback != "" || namesAccountData(reply.Text) {
		a.metrics.observeCache("skipped")
		return
	}
	type docRef struct {
		DocID   string `json:"doc_id"`
		Locale  string `json:"locale"`
		Version int    `json:"version"`
	}
	var docs []docRef
	for _, c := range cites {
		if !slices.ContainsFunc(docs, func(d docRef) bool { return d.DocID == c.DocID && d.Locale == c.Locale }) {
			docs = append(docs, docRef{c.DocID, c.Locale, c.Version})
		}
	}
	db, _ := json.Marshal(docs)
	e := policyAnswer{text: reply.Text, citations: reply.Citations, evidence: evidence}
	keys := map[string][]byte{keyQuestion: p.exactKey}
	if p.passKey != nil {
		keys[keyPassages] = p.passKey
	}
	if err := a.store.putPolicyAnswer(ctx, keys, p, e, db); err != nil {
		a.logger.WarnContext(ctx, "store a policy answer in the cache", "err", err)
		return
	}
	a.metrics.observeCache("stored")
}

// inForceSQL is true while every document version an entry's docs list is
// the version in force: not retired, and no newer version of the same
// document and language has come into force.
const inForceSQL = `NOT EXISTS (
	SELECT 1 FROM jsonb_to_recordset(p.docs) AS d(doc_id text, locale text, version int)
	WHERE NOT EXISTS (SELECT 1 FROM policy_documents pd WHERE pd.doc_id = d.doc_id AND pd.locale = d.locale
			AND pd.version = d.version AND pd.retired_at IS NULL)
		OR EXISTS (SELECT 1 FROM policy_documents pd WHERE pd.doc_id = d.doc_id AND pd.locale = d.locale
			AND pd.version > d.version AND pd.retired_at IS NULL AND pd.effective_at <= (now() AT TIME ZONE 'UTC')::date))`

// policyAnswer returns the cache entry under key, nil when there is none in
// force, and the policy generation its check saw (the same snapshot).
func (s *Store) policyAnswer(ctx context.Context, key []byte) (*policyAnswer, policyGeneration, error) {
	var e policyAnswer
	var g policyGeneration
	err := s.pool.QueryRow(ctx, `UPDATE policy_answers p SET hits = hits + 1
		WHERE key = $1 AND `+inForceSQL+`
		RETURNING kind, answer, citations, evidence, `+generationSQL, key).Scan(&e.kind, &e.text, &e.citations, &e.evidence, &g.gen, &g.day)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, policyGeneration{}, nil
	}
	if err != nil {
		return nil, policyGeneration{}, fmt.Errorf("look up a policy answer: %w", err)
	}
	return &e, g, nil
}

// countHitSQL counts a hit served from a process's memo, in the
// transaction that stores the reply.
const countHitSQL = `UPDATE policy_answers SET hits = hits + 1 WHERE key = $1`

// putPolicyAnswer stores e under each of keys.
func (s *Store) putPolicyAnswer(ctx context.Context, keys map[string][]byte, p *policyPlan, e policyAnswer, docs []byte) error {
	var b pgx.Batch
	for kind, key := range keys {
		b.Queue(`INSERT INTO policy_answers (key, kind, locale, audience, question, question_type, answer, citations, docs, evidence)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			ON CONFLICT (key) DO UPDATE SET answer = EXCLUDED.answer, citations = EXCLUDED.citations, docs = EXCLUDED.docs,
				evidence = EXCLUDED.evidence, hits = 0, created_at = now()`,
			key, kind, p.locale, audienceBuyer, p.question, p.qtype, e.text, e.citations, docs, e.evidence)
	}
	return s.pool.SendBatch(ctx, &b).Close()
}

// cacheKey hashes the parts of a key, each ended by a NUL.
func cacheKey(parts ...string) []byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum(nil)
}

// scopedKey is cacheKey of parts within an experiment variant's scope
// (exposure.cacheScope); the defaults' keys ("" scope) are unchanged.
func scopedKey(scope string, parts ...string) []byte {
	if scope != "" {
		parts = append(parts, "variant", scope)
	}
	return cacheKey(parts...)
}

// topPassageCount is how many of the search's first passages make a key.
const topPassageCount = 3

// topPassages names the first passages of a search_policy result, by chunk
// and document version; "" for a failed or empty search.
func topPassages(content string) string {
	var r struct {
		OK   bool `json:"ok"`
		Data struct {
			Hits []struct {
				DocID   string `json:"doc_id"`
				Locale  string `json:"locale"`
				Version int    `json:"version"`
				ChunkID int64  `json:"chunk_id"`
			} `json:"hits"`
		} `json:"data"`
	}
	if json.Unmarshal([]byte(content), &r) != nil || !r.OK || len(r.Data.Hits) == 0 {
		return ""
	}
	var b strings.Builder
	for i, h := range r.Data.Hits {
		if i == topPassageCount {
			break
		}
		b.WriteString(h.DocID + "/" + h.Locale + "/" + itoa(int64(h.Version)) + "#" + itoa(h.ChunkID) + " ")
	}
	return b.String()
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// normaliseQuestion folds a question for its key: lower case, letters and
// digits only, words separated by one space.
func normaliseQuestion(q string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(q), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

// accountData finds what makes a text about one buyer's order or account:
// order, refund and dispute ids, amounts of money, long numbers (tracking
// numbers, phones, cards) and e-mail addresses.
var accountData = regexp.MustCompile(`(?i)\b(ORD|RF|DSP)-[A-Z0-9]|\d{5,}|\d[\d\s.,]*\s?(USD|KRW|EUR|RUB|dollars?|euros?|won|руб|원|€|\$|₩|₽)|[$€₩₽]\s?\d|[\w.+-]+@[\w-]+\.[\w.]+`)

// namesAccountData reports whether text names an order, a refund, a
// dispute, an amount or a contact detail: such a text is never cached.
func namesAccountData(text string) bool { return accountData.MatchString(text) }

// replyCitations returns the citations of a reply: the ones its turn's
// searches resolve, or, for an answer the cache served by its question
// (which searched nothing), the ones stored with it.
func (a *Agent) replyCitations(ctx context.Context, t Turn, turnID, text string, audit []tools.AuditRow) json.RawMessage {
	c := a.citations(ctx, t.ConversationID, turnID, text, audit)
	if p := t.policy; c == nil && p != nil && p.hit != nil && p.hit.text == text {
		return p.hit.citations
	}
	return c
}
