// Package independent holds the local model's independent held-out set, the
// *.tsv files beside this one (README.md), embedded so that `csagent bench
// nlu` measures it from whatever directory it runs in. Only the bench and
// tests import it: the model never trains or tunes on it.
package independent

import (
	"embed"
	"io/fs"
)

//go:embed *.tsv
var files embed.FS

// FS returns the held-out set's files, for nlu.LoadCasesFS.
func FS() fs.FS { return files }
