package web

import "github.com/csagent/csagent/tools"

// querier is what this package's own queries need of Postgres (the seller's
// inbox, ratings, policy pages, the dev login): the same as a tools store
// needs, so a pool and a transaction both fit. The transcript itself is the
// agent's store's.
type querier = tools.DB
