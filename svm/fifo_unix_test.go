//go:build unix

package svm

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestLoadFromPipe: a model read from a pipe (bench predict -model
// <(zcat m.gz), or /dev/stdin) loads: the bound on header counts came
// from the file's size, 0 for a pipe, and every count was refused ("the
// file (0 bytes) cannot hold that many").
func TestLoadFromPipe(t *testing.T) {
	p := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	go func() {
		f, err := os.OpenFile(p, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		f.WriteString(goodHeader + "1 1:0.5\n-1 2:0.5\n")
		f.Close()
	}()
	m, err := Load(p)
	if err != nil || m.NSV() != 2 {
		t.Fatalf("model from a pipe: %v", err)
	}
}
