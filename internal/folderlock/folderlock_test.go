package folderlock

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHelperHold is not a test: run as a child process by the tests below
// (FOLDERLOCK_HOLD=DIR), it locks DIR, says so on stdout, and waits to be
// killed.
func TestHelperHold(t *testing.T) {
	dir := os.Getenv("FOLDERLOCK_HOLD")
	if dir == "" {
		t.Skip("helper process only")
	}
	if _, err := Acquire(dir); err != nil {
		fmt.Println("error:", err)
		os.Exit(3)
	}
	fmt.Println("locked")
	time.Sleep(time.Minute)
	os.Exit(0)
}

// holder starts a child process that holds dir and waits for it to say so.
func holder(t *testing.T, dir string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHold$")
	cmd.Env = append(os.Environ(), "FOLDERLOCK_HOLD="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64)
	n, _ := out.Read(buf)
	if !strings.HasPrefix(string(buf[:n]), "locked") {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("helper: %q", buf[:n])
	}
	return cmd
}

func TestSecondProcessRefusedThenFreedBySIGKILL(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	h := holder(t, dir)
	_, err := Acquire(dir)
	var he *HeldError
	if !errors.As(err, &he) {
		h.Process.Kill()
		h.Wait()
		t.Fatalf("Lock while another process holds %s: %v; want a *HeldError", dir, err)
	}
	if he.PID != h.Process.Pid || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), fmt.Sprint(h.Process.Pid)) || strings.Contains(err.Error(), "\n") {
		t.Errorf("error %q: want one line naming %s and process %d", err, dir, h.Process.Pid)
	}
	// SIGKILL: the kernel releases the lock; nothing to clean up.
	h.Process.Kill()
	h.Wait()
	l, err := Acquire(dir)
	if err != nil {
		t.Fatalf("Lock after the holder was killed: %v", err)
	}
	if err := l.Unlock(); err != nil {
		t.Fatal(err)
	}
}

func TestReentrantInProcess(t *testing.T) {
	dir := t.TempDir()
	a, err := Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Acquire(filepath.Join(dir, ".")) // the same folder, another spelling
	if err != nil {
		t.Fatalf("second Lock in the same process: %v", err)
	}
	a.Unlock()
	a.Unlock() // twice is harmless and does not release b's reference
	h := exec.Command(os.Args[0], "-test.run=^TestHelperHold$")
	h.Env = append(os.Environ(), "FOLDERLOCK_HOLD="+dir)
	out, _ := h.Output()
	if !strings.Contains(string(out), "in use by process") {
		t.Errorf("another process while b is held: %q; want refused", out)
	}
	b.Unlock()
	c := holder(t, dir) // free now
	c.Process.Kill()
	c.Wait()
}

func TestLockRemovesStaleTemporaries(t *testing.T) {
	dir := t.TempDir()
	stale := filepath.Join(dir, ".svm-rbf-pixels.model.123456.tmp")
	other := filepath.Join(dir, "notes.tmp")
	for _, p := range []string{stale, other} {
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	l, err := Acquire(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Unlock()
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("%s survived Lock", stale)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("%s (not atomicfile's) removed: %v", other, err)
	}
}
