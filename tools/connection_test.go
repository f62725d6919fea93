package tools_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/csagent/csagent/tools"
)

// A broken connection is told apart from a statement that failed: only the
// first is worth trying again on another connection.
func TestConnectionLost(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"terminated by an administrator", &pgconn.PgError{Code: "57P01", Severity: "FATAL"}, true},
		{"server starting up", fmt.Errorf("append: %w", &pgconn.PgError{Code: "57P03"}), true},
		{"connection failure", &pgconn.PgError{Code: "08006"}, true},
		{"unexpected EOF", fmt.Errorf("read: %w", io.ErrUnexpectedEOF), true},
		{"connection refused", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, true},
		{"closed connection", fmt.Errorf("query: %w", net.ErrClosed), true},
		{"unique violation", &pgconn.PgError{Code: "23505", ConstraintName: "messages_client_id_unique"}, false},
		{"check violation", &pgconn.PgError{Code: "23514"}, false},
		{"no rows", pgx.ErrNoRows, false},
		{"cancelled", fmt.Errorf("query: %w", context.Canceled), false},
		{"timed out", context.DeadlineExceeded, false},
		{"a tool's own error", tools.Errorf(tools.CodeNotFound, "no such order"), false},
		{"anything else", errors.New("boom"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tools.ConnectionLost(tt.err); got != tt.want {
				t.Errorf("ConnectionLost(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

// The waits between tries grow to 2 s and together bridge a restart of a
// few seconds; five tries wait four times, and with no bound the waits go
// on.
func TestConnectionBackoff(t *testing.T) {
	want := []time.Duration{50 * time.Millisecond, 200 * time.Millisecond, 800 * time.Millisecond, 2 * time.Second}
	b := tools.ConnectionBackoff(5)
	var total time.Duration
	for i, w := range want {
		got, stop := b.Next()
		if got != w || stop {
			t.Errorf("wait %d = %v, %v; want %v, false", i+1, got, stop, w)
		}
		total += got
	}
	if total < 3*time.Second {
		t.Errorf("four waits span %v, want at least 3 s", total)
	}
	if _, stop := b.Next(); !stop {
		t.Error("a fifth wait after five tries; want none")
	}
	unbounded := tools.ConnectionBackoff(0)
	for i := range 10 {
		if d, stop := unbounded.Next(); stop || d > 2*time.Second {
			t.Errorf("unbounded wait %d = %v, %v; want at most 2 s and no stop", i+1, d, stop)
		}
	}
}

// RetryConnection runs again only what is worth another try, as often as
// allowed, resets before each wait, and returns the last try's error.
func TestRetryConnection(t *testing.T) {
	lost := errors.New("conn closed")
	tests := []struct {
		name        string
		tries       int
		failures    int  // tries that fail before one succeeds
		again       bool // whether a failure is worth another try
		wantRuns    int
		wantResets  int
		wantSuccess bool
	}{
		{"success at once", 5, 0, true, 1, 0, true},
		{"lost twice then success", 5, 2, true, 3, 2, true},
		{"not worth retrying", 5, 3, false, 1, 0, false},
		{"tries run out", 3, 10, true, 3, 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runs, resets := 0, 0
			err := tools.RetryConnection(t.Context(), tt.tries, func() { resets++ }, func() (bool, error) {
				runs++
				if runs <= tt.failures {
					return tt.again, lost
				}
				return false, nil
			})
			if runs != tt.wantRuns || resets != tt.wantResets || (err == nil) != tt.wantSuccess {
				t.Errorf("RetryConnection ran %d times, reset %d times, = %v; want %d runs, %d resets, success %v",
					runs, resets, err, tt.wantRuns, tt.wantResets, tt.wantSuccess)
			}
			if !tt.wantSuccess && !errors.Is(err, lost) {
				t.Errorf("RetryConnection = %v, want the last try's error", err)
			}
		})
	}
	t.Run("context ended before the first try", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		runs := 0
		err := tools.RetryConnection(ctx, 5, nil, func() (bool, error) { runs++; return true, lost })
		if runs != 1 || !errors.Is(err, lost) {
			t.Errorf("RetryConnection on an ended context ran %d times, = %v; want one try and its error", runs, err)
		}
	})
	t.Run("context ends while waiting", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		err := tools.RetryConnection(ctx, 5, cancel, func() (bool, error) { return true, lost })
		if !errors.Is(err, lost) {
			t.Errorf("RetryConnection = %v, want the try's error, not the context's", err)
		}
	})
}
