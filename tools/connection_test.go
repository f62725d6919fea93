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
// few seconds.
func TestConnectionRetryDelay(t *testing.T) {
	want := []time.Duration{50 * time.Millisecond, 200 * time.Millisecond, 800 * time.Millisecond, 2 * time.Second, 2 * time.Second}
	var total time.Duration
	for i, w := range want {
		if got := tools.ConnectionRetryDelay(i + 1); got != w {
			t.Errorf("ConnectionRetryDelay(%d) = %v, want %v", i+1, got, w)
		}
		if i < 4 {
			total += w
		}
	}
	if total < 3*time.Second {
		t.Errorf("four waits span %v, want at least 3 s", total)
	}
}
