package proccpu

import (
	"os"
	"testing"
	"time"
)

func TestOfThisProcess(t *testing.T) {
	// Spin until the kernel has charged this process a tick (10 ms of CPU;
	// on a loaded machine that takes longer than 10 ms of wall time).
	pid := int32(os.Getpid())
	var cpu time.Duration
	ok := true
	for deadline := time.Now().Add(10 * time.Second); ok && cpu == 0 && time.Now().Before(deadline); {
		cpu, ok = Of(pid)
	}
	if !ok || cpu <= 0 {
		t.Errorf("Of(this process) = %v, %v, want some CPU time", cpu, ok)
	}
	if _, ok := Of(-1); ok {
		t.Errorf("Of(-1) = ok, want not found")
	}
}
