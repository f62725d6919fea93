package agent

import (
	"bytes"
	"errors"
	"io"
	"sync"
	"sync/atomic"
)

// A model call's request is 15 to 30 KB (the tools' schemas and the
// window), written afresh for each of a turn's two calls: a third of the
// bytes the server allocated a turn, and most of what its collector
// scanned and zeroed. The buffers are lent from a pool instead, and each
// goes back once nothing can read it any more: the call has ended and the
// transport has closed every reader it was given. net/http closes a
// request's body when it is done with it, on every path; a reader it never
// closed keeps its buffer out of the pool (the collector takes it), never
// in it too early.

// maxPooledBody is the largest buffer that goes back to the pool: a rare
// huge request's is left to the collector.
const maxPooledBody = 256 << 10

var requestBodies = sync.Pool{New: func() any { return new(requestBody) }}

// requestBody is one call's encoded request. refs counts its holders: the
// call itself and each reader not yet closed.
type requestBody struct {
	b    []byte
	refs atomic.Int32
}

// newRequestBody lends a buffer, empty, held once by the caller, who
// releases it when the call has ended.
func newRequestBody() *requestBody {
	r := requestBodies.Get().(*requestBody)
	r.b = r.b[:0]
	r.refs.Store(1)
	return r
}

// errBodyReleased is what a reader made after the call ended reads: never
// another call's bytes.
var errBodyReleased = errors.New("the request's body was already released")

// reader returns a reader of the body that holds it until closed.
func (r *requestBody) reader() io.ReadCloser {
	if r.refs.Add(1) <= 1 {
		// Released already (the count was 0): the buffer may be another
		// call's by now.
		r.refs.Add(-1)
		return io.NopCloser(errReader{errBodyReleased})
	}
	return &bodyReader{rd: bytes.NewReader(r.b), owner: r}
}

// release drops one hold; the last returns the buffer to the pool.
func (r *requestBody) release() {
	if r.refs.Add(-1) == 0 && cap(r.b) <= maxPooledBody {
		requestBodies.Put(r)
	}
}

// bodyReader reads a requestBody. Read and Close exclude each other, and
// nothing is read after Close: a transport that closes the body from one
// goroutine while another still copies it cannot read a buffer already
// lent to another call.
type bodyReader struct {
	mu     sync.Mutex
	rd     *bytes.Reader
	owner  *requestBody
	closed bool
}

func (b *bodyReader) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return 0, errBodyReleased
	}
	return b.rd.Read(p)
}

func (b *bodyReader) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.closed {
		b.closed = true
		b.rd = nil
		b.owner.release()
	}
	return nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
