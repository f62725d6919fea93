package agent

import (
	"context"
	"strings"
)

// Experiments is what the agent needs of the experiments in force
// (package agent/experiment): which arm a buyer is in, and what an arm
// changes. Both are asked on every turn and answer from memory, without
// I/O.
type Experiments interface {
	// Arms returns, in the configuration's order, the arm buyerID is
	// assigned to in each running experiment whose locale filter admits
	// locale, with the shops it is limited to. A conversation joins the
	// first whose shops admit it, at its first message.
	Arms(buyerID, locale string) []Arm
	// Variant returns what variant changes in experiment, and false when
	// experiment no longer runs (stopped, past its stop, removed) or the
	// variant is gone: the turn then runs the defaults, which is the
	// experiment's kill switch.
	Variant(experiment, variant string) (Variant, bool)
}

// Arm is a buyer's assignment in one experiment.
type Arm struct {
	Experiment, Variant string
	// Shops limits the experiment to conversations about these shops;
	// empty admits every conversation.
	Shops []string
}

// Variant is what an experiment's arm changes in a turn; a zero field
// keeps the default.
type Variant struct {
	// PromptVersion is the system prompt's version (PromptVersions).
	PromptVersion string
	// Model answers the turn's model calls instead of the default; spent
	// budgets still hand the turn to the local model.
	Model Model
	// Guard checks the turn instead of the default guardrails (the same
	// checks, other thresholds).
	Guard Guard
	// Tools scopes the context the turn's tools run in, which is how
	// retrieval settings reach search_policy.
	Tools func(context.Context) context.Context
	// Routing replaces local-first routing's Enabled and Threshold for
	// the turn; a nil Routine keeps the server's routine set.
	Routing *Routing
}

// zero reports whether v changes nothing: control, the defaults.
func (v Variant) zero() bool {
	return v.PromptVersion == "" && v.Model == nil && v.Guard == nil && v.Tools == nil && v.Routing == nil
}

// exposure is the experiment arm a conversation was assigned at its first
// message, as the turn read it, and what it changes now.
type exposure struct {
	experiment, variant string
	// v is the variant's changes; active is false when the experiment no
	// longer runs and the turn gets the defaults.
	v      Variant
	active bool
}

// exposure resolves the conversation's stored assignment against the
// experiments in force.
func (a *Agent) exposure(experiment, variant string) exposure {
	e := exposure{experiment: experiment, variant: variant}
	if experiment == "" || a.experiments == nil {
		return e
	}
	e.v, e.active = a.experiments.Variant(experiment, variant)
	return e
}

// arms returns the arms of the running experiments buyerID is eligible
// for in locale, as the parallel arrays the exposure statement reads
// (shops comma-separated, "" for any); empty without experiments.
func (a *Agent) arms(buyerID, locale string) armArrays {
	var out armArrays
	if a.experiments == nil {
		return out
	}
	for _, arm := range a.experiments.Arms(buyerID, locale) {
		out.exps = append(out.exps, arm.Experiment)
		out.variants = append(out.variants, arm.Variant)
		out.shops = append(out.shops, strings.Join(arm.Shops, ","))
	}
	return out
}

// turnExposure returns what st's experiment arm changes in this turn,
// resolved once per turn and kept in st.
func (a *Agent) turnExposure(st *turnState) *exposure {
	if st.exp == nil {
		e := a.exposure(st.experiment, st.variant)
		st.exp = &e
	}
	return st.exp
}

// applyVariant gives turn t its experiment arm's tool settings (in the
// returned context) and routing. The loop applies it again for turns that
// did not start in respond (a confirmation): applying it twice changes
// nothing.
func (a *Agent) applyVariant(ctx context.Context, t Turn, st *turnState) (context.Context, Turn) {
	e := a.turnExposure(st)
	if !e.active {
		return ctx, t
	}
	if e.v.Tools != nil {
		ctx = e.v.Tools(ctx)
	}
	if e.v.Routing != nil && t.Routing == nil {
		r := *e.v.Routing
		if r.Routine == nil {
			r.Routine = a.cfg.Routing.Routine
		}
		t.Routing = &r
	}
	return ctx, t
}

// cacheScope keeps the policy answer cache apart per variant: an answer
// written under a variant's prompt, model, retrieval or guardrails is
// served only in that variant, and a variant never gets the defaults'
// answers, which would blur the comparison. Control and conversations in
// no experiment share the defaults' answers ("").
func (e *exposure) cacheScope() string {
	if e == nil || !e.active || e.v.zero() {
		return ""
	}
	return e.experiment + "/" + e.variant
}

// stamp records e in the turn's usage: the arm, whether it applied, and
// the prompt version the turn ran with.
func (e *exposure) stamp(u *TurnUsage) {
	if e == nil {
		return
	}
	u.Experiment, u.Variant = e.experiment, e.variant
	if e.experiment != "" && !e.active {
		u.Variant = ""
		u.ExperimentStopped = true
	}
	if e.active && e.v.PromptVersion != "" {
		u.PromptVersion = e.v.PromptVersion
	}
}

// exposeSQL records a conversation's exposure at its first message: the
// first of the buyer's arms ($2 experiments, $3 variants, $4 comma-joined
// shop lists, "" for any) whose shops admit the shop the first message is
// about. It changes nothing after the first message, or once set, so a
// conversation is exposed once and stays in its arm.
const exposeSQL = `UPDATE conversations c SET experiment = a.experiment, variant = a.variant, exposed_at = now()
	FROM (SELECT u.experiment, u.variant
		FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS u(experiment, variant, shops, i)
		WHERE u.shops = '' OR (SELECT m.shop_id FROM messages m WHERE m.conversation_id = $1 AND m.seq = 1) = ANY (string_to_array(u.shops, ','))
		ORDER BY u.i LIMIT 1) a
	WHERE c.id = $1 AND c.last_seq = 1 AND c.experiment IS NULL
	RETURNING c.experiment, c.variant`
