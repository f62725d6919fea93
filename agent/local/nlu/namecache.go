package nlu

import (
	"sync"
	"sync/atomic"
)

// nameCache keeps what is worked out of a goods name, by name: a shop's
// names are few and come back turn after turn, and working them out is
// most of the cost of matching a message against them. It stops growing
// at nameCacheMax names, past which it builds and forgets.
type nameCache[T any] struct {
	m    sync.Map // name -> T
	size atomic.Int64
}

const nameCacheMax = 4096

// get returns what build makes of name, built once per name.
func (c *nameCache[T]) get(name string, build func(string) T) T {
	if v, ok := c.m.Load(name); ok {
		return v.(T)
	}
	v := build(name)
	if c.size.Load() < nameCacheMax {
		if _, loaded := c.m.LoadOrStore(name, v); !loaded {
			c.size.Add(1)
		}
	}
	return v
}

// itemNames keeps newItemName by name. An itemName is only read once
// made, so one value serves every caller.
var itemNames nameCache[itemName]

// cachedItemName returns newItemName(name), made once per name.
func cachedItemName(name string) itemName { return itemNames.get(name, newItemName) }
