package demo

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// History writes n past conversations spread over the days before now, as
// the operations dashboard would see a live month: buyers asking about
// their orders in four languages, replies by the local model or an LLM
// with tokens, cost and latencies, guardrail verdicts (a few rewritten or
// fallen back, with violation codes), injection flags, LLM→local
// fallbacks, tool calls with some errors, handoffs, ratings, and buyers
// coming back about the same order. It needs the demo shops (Seed) and
// adds its own buyers (hist-…), one per four conversations.
//
// The same n, days and now write the same history, under ids of their own
// each time (a run tag in every conversation and turn id), so running it
// twice on one database adds a second history instead of failing. It is
// written with set-based SQL in transactions of historyBatch
// conversations, so a million take minutes, not hours, and no transaction
// holds millions of rows. The rows carry past timestamps, which the
// dashboard's rollup refresher cannot see by time: History marks the
// rollups for a full rebuild, which the server's refresher then does.
func History(ctx context.Context, pool *pgxpool.Pool, n, days int, now time.Time) error {
	return HistoryWith(ctx, pool, n, days, now, nil)
}

// HistoryExperiment runs the history as a two-arm experiment: every
// conversation is exposed to Name at its first message, in the arm Arm
// gives its buyer (Control or Variant), and the Variant arm is planted
// with an effect (TreatmentEffect), so a readout of it has something to
// find.
type HistoryExperiment struct {
	Name, Control, Variant string
	// Arm returns the arm a buyer id is assigned to, as the server would
	// assign it (experiment.Experiment.Assign).
	Arm func(buyerID string) string
}

// TreatmentEffect is what HistoryWith plants in an experiment's variant
// arm: handoffs at 6 % of conversations instead of 8 %, LLM replies with
// a fifth fewer tokens, and turns 15 % faster. Resolution, CSAT and
// guardrail fallbacks are otherwise drawn alike in both arms.
const TreatmentEffect = "handoffs 8 % → 6 %; LLM tokens and cost −20 %; turn latency −15 %"

// HistoryWith is History, run as experiment exp when exp is not nil.
func HistoryWith(ctx context.Context, pool *pgxpool.Pool, n, days int, now time.Time, exp *HistoryExperiment) error {
	if n <= 0 || days <= 0 {
		return fmt.Errorf("history: n and days must be positive")
	}
	var b [5]byte
	if _, err := rand.Read(b[:]); err != nil {
		return fmt.Errorf("history: run tag: %w", err)
	}
	// Base 32 in lower case: conversation ids allow [0-9a-z] only.
	tag := strings.ToLower(base32.HexEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
	buyers := max(1, n/4)
	// The variant arm's buyers, by the server's own assignment, as a
	// lookup by buyer number (treated[b-1]); none without an experiment.
	arms := historyArms{treated: []bool{}}
	if exp != nil {
		arms = historyArms{name: exp.Name, control: exp.Control, variant: exp.Variant, treated: make([]bool, buyers)}
		for b := 1; b <= buyers; b++ {
			arms.treated[b-1] = exp.Arm(fmt.Sprintf("hist-%d", b)) == exp.Variant
		}
	}
	for first := 1; first <= n; first += historyBatch {
		last := min(n, first+historyBatch-1)
		if err := historyBatchWrite(ctx, pool, tag, first, last, buyers, days, now, arms); err != nil {
			return err
		}
	}
	if _, err := pool.Exec(ctx, `UPDATE ops_rollup_state SET watermark = NULL, resets = resets + 1`); err != nil {
		return fmt.Errorf("history: mark the dashboard rollups for a rebuild: %w", err)
	}
	return nil
}

// historyBatch is how many conversations one transaction of History writes.
const historyBatch = 50000

// historyArms is the experiment a history runs as: its name and arms
// ("" for none), and which buyers (by number, from 1) are in the variant.
type historyArms struct {
	name, control, variant string
	treated                []bool
}

// historyBatchWrite writes conversations first through last of a history.
func historyBatchWrite(ctx context.Context, pool *pgxpool.Pool, tag string, first, last, buyers, days int, now time.Time, arms historyArms) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		steps := []struct{ what, sql string }{
			// Each batch its own seed: the same history whatever the run.
			{"seed randomness", `SELECT setseed(1.0 / (1 + $1::int))`},
			{"buyers", `INSERT INTO buyers (id, name, email, locale)
                SELECT 'hist-' || b, 'History buyer ' || b, 'hist' || b || '@example.com', (ARRAY['en','ko','es','ru'])[1 + b % 4]
                FROM generate_series(1, $1::int) b ON CONFLICT (id) DO NOTHING`},
			// One row per conversation with every random choice made once.
			{"plan", `CREATE TEMP TABLE hist ON COMMIT DROP AS
                SELECT i, 'c_h' || $5::text || lpad(i::text, 10, '0') AS id, 't_' || $5::text || '_' || i AS turn,
                    x.buyer,
                    $3::timestamptz - (random() * $2::int * interval '1 day') AS at,
                    random() AS r_model, random() AS r_verdict, random() AS r_inj, random() AS r_llmfb,
                    random() AS r_tool, random() AS r_handoff, random() AS r_rate, random() AS r_csat,
                    random() AS r_lat, random() AS r_order, random() AS r_shop,
                    coalesce(($7::bool[])[x.buyer], false) AS treated
                FROM generate_series($6::int, $4::int) i, LATERAL (SELECT (1 + (i::bigint * 7919) % $1::int)::int AS buyer) x`},
			{"conversations", `INSERT INTO conversations (id, buyer_id, shop_id, locale, status, last_seq, created_at, updated_at, experiment, variant, exposed_at)
                SELECT h.id, 'hist-' || h.buyer, (ARRAY['shop-maple','shop-hangang','shop-sol','shop-taiga'])[1 + floor(h.r_shop * 4)::int],
                    (ARRAY['en','ko','es','ru'])[1 + h.buyer % 4], CASE WHEN h.r_handoff < CASE WHEN h.treated THEN 0.06 ELSE 0.08 END THEN 'handoff' ELSE 'closed' END,
                    2, h.at, h.at + interval '3 minutes',
                    nullif($1, ''), CASE WHEN $1 <> '' THEN CASE WHEN h.treated THEN $3 ELSE $2 END END, CASE WHEN $1 <> '' THEN h.at END
                FROM hist h`},
			{"buyer messages", `INSERT INTO messages (conversation_id, seq, turn_id, role, author_id, text, created_at)
                SELECT h.id, 1, h.turn, 'user', 'hist-' || h.buyer,
                    (ARRAY['Where is my order ', '주문 상태 알려주세요 ', '¿Dónde está mi pedido ', 'Где мой заказ '])[1 + h.buyer % 4]
                        || 'ORD-' || (20000 + (h.buyer * 3 + floor(h.r_order * 3)::int) % 79999), h.at
                FROM hist h`},
			{"replies", `INSERT INTO messages (conversation_id, seq, turn_id, role, author_id, text, guardrail, usage, created_at)
                SELECT h.id, 2, h.turn, 'assistant', 'agent', 'Here is what I found about your order.',
                    v.verdict, jsonb_strip_nulls(jsonb_build_object(
                        'model', m.model, 'prompt_version', 'v1',
                        'prompt_tokens', m.pt, 'completion_tokens', m.ct, 'cost_usd', (m.pt * 0.15 + m.ct * 0.6) / 1e6,
                        'steps', 2, 'tool_calls', 1,
                        'first_token_ms', CASE WHEN m.llm THEN round(m.speed * (300 + h.r_lat ^ 3 * 2500)) END,
                        'total_ms', round(m.speed * CASE WHEN m.llm THEN 900 + h.r_lat ^ 3 * 6000 ELSE 40 + h.r_lat * 120 END),
                        'experiment', nullif($1, ''), 'variant', CASE WHEN $1 <> '' THEN CASE WHEN h.treated THEN $3 ELSE $2 END END,
                        'fallback', CASE WHEN m.llm_failed THEN 'fallback_from_gpt-4o-mini' END,
                        'guardrail', jsonb_strip_nulls(jsonb_build_object('verdict', v.verdict, 'score', 1,
                            'violations', CASE WHEN v.verdict <> 'pass' THEN jsonb_build_array(
                                (ARRAY['claim:unsupported_amount','claim:unsupported_date','banned:promise','pii:email'])[1 + floor(h.r_verdict * 1000)::int % 4]) END,
                            'input', CASE WHEN h.r_inj < 0.01 THEN 'injection' ELSE 'clean' END,
                            'input_score', CASE WHEN h.r_inj < 0.01 THEN 0.93 END)))),
                    h.at + interval '2 seconds'
                FROM hist h,
                    LATERAL (SELECT h.r_model < 0.35 AND h.r_llmfb >= 0.05 AS llm, h.r_model < 0.35 AND h.r_llmfb < 0.05 AS llm_failed) f,
                    LATERAL (SELECT CASE WHEN f.llm THEN 'gpt-4o-mini' ELSE 'local' END AS model,
                        CASE WHEN f.llm THEN floor(CASE WHEN h.treated THEN 0.8 ELSE 1 END * (1200 + floor(h.r_lat * 800)))::int ELSE 0 END AS pt,
                        CASE WHEN f.llm THEN floor(CASE WHEN h.treated THEN 0.8 ELSE 1 END * (90 + floor(h.r_lat * 120)))::int ELSE 0 END AS ct,
                        CASE WHEN h.treated THEN 0.85 ELSE 1 END AS speed, f.llm, f.llm_failed) m,
                    LATERAL (SELECT CASE WHEN h.r_verdict < 0.03 THEN 'fallback' WHEN h.r_verdict < 0.10 THEN 'rewritten' ELSE 'pass' END AS verdict) v`},
			{"tool calls", `INSERT INTO tool_calls (conversation_id, turn_id, call_id, actor_role, actor_id, tool, arguments, result, error_code, latency_us, created_at)
                SELECT h.id, h.turn, 'call_' || h.i, 'buyer', 'hist-' || h.buyer, 'get_order',
                    jsonb_build_object('order_id', 'ORD-' || (20000 + (h.buyer * 3 + floor(h.r_order * 3)::int) % 79999)),
                    CASE WHEN h.r_tool >= 0.04 THEN '{"ok":true}'::jsonb END,
                    CASE WHEN h.r_tool < 0.025 THEN 'not_found' WHEN h.r_tool < 0.04 THEN 'unavailable' END,
                    2000 + floor(h.r_lat * 20000)::bigint, h.at + interval '1 second'
                FROM hist h`},
			{"handoffs", `INSERT INTO handoffs (conversation_id, reason, summary, created_at)
                SELECT h.id, 'cannot_resolve', 'The buyer needs a person.', h.at + interval '3 seconds'
                FROM hist h WHERE h.r_handoff < CASE WHEN h.treated THEN 0.06 ELSE 0.08 END`},
			{"ratings", `INSERT INTO ratings (conversation_id, buyer_id, thumbs, csat, created_at, updated_at)
                SELECT h.id, 'hist-' || h.buyer,
                    CASE WHEN h.r_csat < 0.15 THEN 'down' WHEN h.r_csat > 0.5 THEN 'up' END,
                    CASE WHEN h.r_csat < 0.08 THEN 1 WHEN h.r_csat < 0.15 THEN 2 WHEN h.r_csat < 0.3 THEN 3 WHEN h.r_csat < 0.6 THEN 4 ELSE 5 END,
                    h.at + interval '4 minutes', h.at + interval '4 minutes'
                FROM hist h WHERE h.r_rate < 0.3`},
		}
		if first > 1 {
			steps = slices.DeleteFunc(steps, func(s struct{ what, sql string }) bool { return s.what == "buyers" })
		}
		args := map[string][]any{
			"seed randomness": {first / historyBatch},
			"buyers":          {buyers},
			"plan":            {buyers, days, now, last, tag, first, arms.treated},
			"conversations":   {arms.name, arms.control, arms.variant},
			"replies":         {arms.name, arms.control, arms.variant},
		}
		for _, s := range steps {
			if _, err := tx.Exec(ctx, s.sql, args[s.what]...); err != nil {
				return fmt.Errorf("history: %s: %w", s.what, err)
			}
		}
		return nil
	})
}
