package agent

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
)

// Chain is a Model that asks its models in order until one answers: the
// fallback chain of an LLM, a second LLM, then the local model. A model that
// fails is skipped for this call only; its own circuit breaker decides when
// it is worth asking again.
type Chain struct {
	models []Model
	names  []string
	logger *slog.Logger
}

// NewChain returns a Chain of models; names label them in logs and usage.
func NewChain(logger *slog.Logger, models []Model, names []string) *Chain {
	return &Chain{models: models, names: names, logger: logger.With("component", "agent")}
}

var _ Model = (*Chain)(nil)

// Generate returns the first model's answer that is not an error. Deltas a
// failing model streamed before it failed stay streamed; the agent sees
// Response.Fallback and knows a later model answered.
func (c *Chain) Generate(ctx context.Context, req Request, onDelta func(string) error) (Response, error) {
	var errs []error
	for i, m := range c.models {
		resp, err := m.Generate(ctx, req, onDelta)
		if err == nil {
			if i > 0 {
				resp.Fallback = "fallback_from_" + c.names[0]
			}
			return resp, nil
		}
		errs = append(errs, fmt.Errorf("%s: %w", c.names[i], err))
		if ctx.Err() != nil {
			break
		}
		c.logger.WarnContext(ctx, "model failed; trying the next", "model", c.names[i], "err", err)
	}
	return Response{}, errors.Join(errs...)
}
