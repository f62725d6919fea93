package tools

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/sethvargo/go-retry"
)

// Code is a stable error code a tool returns. Models read it, eval suites
// assert on it and clients may show it, so codes are never renamed.
type Code string

// The codes tools return.
const (
	CodeNotFound        Code = "not_found"
	CodeInvalidArgument Code = "invalid_argument"
	CodeNotEligible     Code = "not_eligible"
	CodeAlreadyRefunded Code = "already_refunded"
	CodeWindowExpired   Code = "window_expired"
	CodeLimitReached    Code = "limit_reached"
	CodeConflict        Code = "conflict"
	// CodeConfirmationRequired refuses a consequential tool called without
	// the buyer's approval in the context (see Approve).
	CodeConfirmationRequired Code = "confirmation_required"
	// CodePlanChanged refuses a confirmed action whose effect is no longer
	// what the buyer confirmed (see ApprovePlan); nothing was done.
	CodePlanChanged  Code = "plan_changed"
	CodeUnauthorized Code = "unauthorized"
	CodeUnavailable  Code = "unavailable"
	CodeInternal     Code = "internal"
)

// Error is a tool failure with a stable code and a message written so the
// model can relay it to the person it serves. Err, when set, is the internal
// cause: it is logged, never shown.
type Error struct {
	Code    Code
	Message string
	// Refusal, for an action the policy refuses, is the rule, its dates
	// and the alternative, as data (see Refusal).
	Refusal *Refusal
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return string(e.Code) + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with code and a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrNotFound is returned by the store when a row does not exist or does not
// belong to the caller; the two are deliberately indistinguishable.
var ErrNotFound = errors.New("not found")

// constraintOf returns the name of the constraint a Postgres error violated,
// or "" for any other error.
func constraintOf(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.ConstraintName
	}
	return ""
}

// ConnectionLost reports whether err means the database connection broke
// or the database was unreachable, rather than that a statement failed: the
// server was restarted or the connection terminated (SQLSTATE class 08 and
// 57P), the connection closed under a query, or it could not be opened. A
// transaction that failed so did not commit, unless it failed in COMMIT
// itself, so retrying it is safe when a repeat is harmless or idempotent.
// Timeouts and cancellation are not connection losses: the caller gave up.
func ConnectionLost(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	// A connection that could not be opened is a loss whatever the server
	// said: refused, starting up (57P03), not accepting connections (55000).
	var connectErr *pgconn.ConnectError
	if errors.As(err, &connectErr) || pgconn.SafeToRetry(err) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57P")
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) {
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) && !netErr.Timeout() {
		return true
	}
	// pgx reports a query on a connection it has already closed as "conn
	// closed", with no type to match.
	return strings.Contains(err.Error(), "conn closed")
}

// ConnectionBackoff returns the waits between the tries of an operation
// whose database connection was lost: 50 ms, then four times longer each
// try up to 2 s, so five tries span the three seconds or so a Postgres
// restart or failover takes. It allows tries-1 retries; with tries 0 it
// allows retries until the operation's context ends.
func ConnectionBackoff(tries int) retry.Backoff {
	d := 50 * time.Millisecond / 4
	b := retry.BackoffFunc(func() (time.Duration, bool) {
		d = min(d*4, 2*time.Second)
		return d, false
	})
	if tries <= 0 {
		return b
	}
	return retry.WithMaxRetries(uint64(tries-1), b)
}

// RetryConnection runs op, and runs it again after ConnectionBackoff(tries)'s
// waits while op reports its failure worth another try (again): a lost
// connection (ConnectionLost) whose repeat is safe. reset, when set, runs
// before each wait (a pool drops its idle connections, which died with the
// one that failed). op runs at least once, and RetryConnection returns its
// last error, also when ctx ends during a wait.
func RetryConnection(ctx context.Context, tries int, reset func(), op func() (again bool, err error)) error {
	again, err := op()
	if err == nil || !again {
		return err
	}
	waits := ConnectionBackoff(tries)
	b := retry.BackoffFunc(func() (time.Duration, bool) {
		d, stop := waits.Next()
		if !stop && reset != nil {
			reset()
		}
		return d, stop
	})
	tried := false // the first call only hands the first try's failure on
	_ = retry.Do(ctx, b, func(context.Context) error {
		if tried {
			if again, err = op(); err == nil || !again {
				return nil
			}
		}
		tried = true
		return retry.RetryableError(err)
	})
	return err
}
