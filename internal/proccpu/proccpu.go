// Package proccpu reads a process's CPU time from /proc, for the
// instruments that count the CPU of Postgres's backends beside their own:
// pgtest.CPUClock in benchmarks and bench turn's split of a turn's CPU.
package proccpu

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Of returns the user and system time of process pid, or false when /proc
// does not show it (another machine, another user's process, gone).
func Of(pid int32) (time.Duration, bool) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// utime and stime, in clock ticks (100 a second on Linux), are the
	// 14th and 15th fields; the command name before them may hold spaces.
	f := strings.Fields(string(raw[bytes.LastIndexByte(raw, ')')+1:]))
	if len(f) < 13 {
		return 0, false
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+s) * 10 * time.Millisecond, true
}
