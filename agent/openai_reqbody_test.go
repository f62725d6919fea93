package agent

import (
	"errors"
	"io"
	"sync"
	"testing"
)

// A request's buffer is lent again only once the call has released it and
// every reader the transport was given is closed; a reader closed, or
// asked for after the release, reads no bytes of another call.
func TestRequestBodyIsLentOnlyWhenUnread(t *testing.T) {
	// A buffer too large for the pool, so no other test's call takes it
	// once released.
	b := &requestBody{b: make([]byte, 0, maxPooledBody+1)}
	b.refs.Store(1)
	b.b = append(b.b, `{"model":"m"}`...)
	r1, r2 := b.reader(), b.reader()
	b.release() // the call ended; the transport still holds two readers
	if got := b.refs.Load(); got != 2 {
		t.Fatalf("holds after the call's release: %d, want 2 (the readers)", got)
	}
	if got, err := io.ReadAll(r1); err != nil || string(got) != `{"model":"m"}` {
		t.Errorf("reader after the call ended read %q, %v; want the body", got, err)
	}
	r1.Close()
	r1.Close() // a second close drops nothing more
	if got := b.refs.Load(); got != 1 {
		t.Fatalf("holds after one reader closed twice: %d, want 1", got)
	}
	r2.Close()
	if got := b.refs.Load(); got != 0 {
		t.Fatalf("holds after every reader closed: %d, want 0", got)
	}
	if _, err := r2.Read(make([]byte, 8)); !errors.Is(err, errBodyReleased) {
		t.Errorf("read after close: %v, want errBodyReleased", err)
	}
	late := b.reader()
	if _, err := late.Read(make([]byte, 8)); !errors.Is(err, errBodyReleased) {
		t.Errorf("reader made after the release read: %v, want errBodyReleased", err)
	}
	late.Close()
	if got := b.refs.Load(); got != 0 {
		t.Errorf("holds after a late reader closed: %d, want 0", got)
	}
}

// Read and Close from two goroutines (a transport may close a body while
// its writer still copies it) are safe; run with -race.
func TestRequestBodyCloseWhileReading(t *testing.T) {
	for range 200 {
		b := &requestBody{b: make([]byte, 64<<10, maxPooledBody+1)}
		b.refs.Store(1)
		r := b.reader()
		b.release()
		var wg sync.WaitGroup
		wg.Go(func() { io.Copy(io.Discard, r) }) //nolint:errcheck // either error is fine
		wg.Go(func() { r.Close() })
		wg.Wait()
		if got := b.refs.Load(); got != 0 {
			t.Fatalf("holds after close: %d, want 0", got)
		}
	}
}
