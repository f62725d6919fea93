package agent

import (
	"container/list"
	"crypto/sha256"
	"sync"
)

// policyGeneration is what a cached policy answer's being in force
// depends on besides its own row: the generation of the policy documents
// and cached answers (migrations/00018_policy_cache_generation.sql), which
// every write that may retire an answer changes in its own transaction,
// and the database's UTC date, on which a newer document version comes
// into force without any write. The zero value is unknown: nothing is
// served from memory under it.
type policyGeneration struct {
	gen int64
	day string
}

func (g policyGeneration) known() bool { return g.gen != 0 && g.day != "" }

// generationSQL reads the policy generation; the turn's state read runs
// it (stateQuery.policyGen) and so does a lookup that finds an answer in
// force, in the same snapshot as its check.
const generationSQL = `(SELECT gen FROM policy_cache_generation), (now() AT TIME ZONE 'UTC')::date::text`

// answerMemo is the process's own copy of the policy answers it found in
// force in policy_answers, each under the generation it was found in force
// under. A turn serves an answer from it only under the same generation
// as the turn read with its message (in the round trip that stores the
// message, so at no extra cost): a re-ingest in any process, an answer
// deleted or replaced, or a new day sends the next lookup to the table
// again. This spares a cache hit its lookup round trip; the table stays
// the one shared truth.
//
// It is a least-recently-used list, bounded in entries and bytes.
type answerMemo struct {
	mu    sync.Mutex
	order *list.List // of *memoEntry, the most recently used first
	m     map[[sha256.Size]byte]*list.Element
	bytes int
}

type memoEntry struct {
	key  [sha256.Size]byte
	gen  policyGeneration
	ans  *policyAnswer
	size int
}

// The memo's bounds: an entry is mostly the search result it rests on,
// a few KiB; a larger one is not kept.
const (
	maxMemoAnswers    = 2048
	maxMemoBytes      = 16 << 20
	maxMemoEntryBytes = 256 << 10
)

func newAnswerMemo() *answerMemo {
	return &answerMemo{order: list.New(), m: map[[sha256.Size]byte]*list.Element{}}
}

// get returns the answer under key when it was found in force under gen,
// else nil. An entry of another generation is dropped: generations only
// grow.
func (c *answerMemo) get(key []byte, gen policyGeneration) *policyAnswer {
	if !gen.known() || len(key) != sha256.Size {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.m[[sha256.Size]byte(key)]
	if !ok {
		return nil
	}
	e := el.Value.(*memoEntry)
	if e.gen != gen {
		c.remove(el)
		return nil
	}
	c.order.MoveToFront(el)
	return e.ans
}

// put keeps ans under key as found in force under gen. ans is shared by
// every turn that gets it: read only.
func (c *answerMemo) put(key []byte, gen policyGeneration, ans *policyAnswer) {
	size := len(ans.text) + len(ans.citations) + len(ans.evidence) + len(ans.kind)
	if !gen.known() || len(key) != sha256.Size || size > maxMemoEntryBytes {
		return
	}
	k := [sha256.Size]byte(key)
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.m[k]; ok {
		c.remove(el)
	}
	c.m[k] = c.order.PushFront(&memoEntry{key: k, gen: gen, ans: ans, size: size})
	c.bytes += size
	for c.order.Len() > maxMemoAnswers || c.bytes > maxMemoBytes {
		c.remove(c.order.Back())
	}
}

func (c *answerMemo) remove(el *list.Element) {
	e := c.order.Remove(el).(*memoEntry)
	delete(c.m, e.key)
	c.bytes -= e.size
}
