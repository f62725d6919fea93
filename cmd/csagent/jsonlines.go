package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// jsonLines answers each non-empty line of in with one JSON line on out,
// the value answer gives for it (n counts from 1, blank lines included, so
// a result names the line a person sees in their file). A line longer than
// maxLine ends the run with an error: the lines before it are answered.
func jsonLines(in io.Reader, out io.Writer, maxLine int, answer func(raw []byte, n int) any) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	w := bufio.NewWriter(out)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	n := 0
	for sc.Scan() {
		n++
		if len(sc.Bytes()) == 0 {
			continue
		}
		if err := enc.Encode(answer(sc.Bytes(), n)); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read stdin: %w", err)
	}
	return nil
}
