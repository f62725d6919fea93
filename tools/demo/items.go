package demo

import (
	"math/rand/v2"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Item is one line of a demo order as the seed writes it.
type Item struct {
	ProductID string
	// Name is the product's name in its shop's language.
	Name     string
	Quantity int
	// UnitPriceMinor is the price of one, in minor units of Currency.
	UnitPriceMinor int64
	Currency       string
}

// AmountMinor is what the line cost: quantity times the unit price.
func (it Item) AmountMinor() int64 { return int64(it.Quantity) * it.UnitPriceMinor }

// Items returns every demo order's lines, by order id, without touching a
// database: it replays the seed's own order generation (the same random
// sequence), so what it says is what `csagent seed --demo` wrote.
func Items() map[string][]Item {
	rng := rand.New(rand.NewPCG(2026, 11))
	b := &pgx.Batch{}
	for i, o := range Plan() {
		queueOrder(b, rng, time.Unix(0, 0).UTC(), i, o)
	}
	out := map[string][]Item{}
	for _, q := range b.QueuedQueries {
		if !strings.Contains(q.SQL, "INSERT INTO order_items") {
			continue
		}
		orderID, productID := q.Arguments[0].(string), q.Arguments[2].(string)
		it := Item{ProductID: productID, Quantity: q.Arguments[3].(int), UnitPriceMinor: q.Arguments[4].(int64)}
		for _, s := range shops {
			for _, p := range s.products {
				if p.id == productID {
					it.Name, it.Currency = p.name, s.currency
				}
			}
		}
		out[orderID] = append(out[orderID], it)
	}
	return out
}
