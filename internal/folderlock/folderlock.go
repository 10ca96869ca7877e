package folderlock

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/svmbench/svmbench/internal/atomicfile"
)

// FileName is the lock file Acquire creates in a folder.
const FileName = ".svmbench.lock"

// HeldError is returned by Acquire when another process holds the folder.
type HeldError struct {
	Dir string // the folder
	PID int    // the holder's process ID, 0 when unknown
}

func (e *HeldError) Error() string {
	who := "another process"
	if e.PID > 0 {
		who = "process " + strconv.Itoa(e.PID)
	}
	return fmt.Sprintf("folderlock: %s is in use by %s (another run writes there): wait for it, or choose another folder", e.Dir, who)
}

// A Lock is a held folder. Unlock releases it.
type Lock struct {
	key  string
	once sync.Once
}

type held struct {
	f    *os.File
	refs int
}

var (
	mu    sync.Mutex
	table = map[string]*held{}
)

// Acquire creates dir if needed, takes its exclusive lock without waiting and
// removes stale temporary files from it. The error is a *HeldError when
// another process holds the folder.
func Acquire(dir string) (*Lock, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("folderlock: %w", err)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	mu.Lock()
	defer mu.Unlock()
	if h, ok := table[abs]; ok {
		h.refs++
		return &Lock{key: abs}, nil
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("folderlock: %w", err)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil && real != abs {
		abs = real
		if h, ok := table[abs]; ok {
			h.refs++
			return &Lock{key: abs}, nil
		}
	}
	path := filepath.Join(abs, FileName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|unix.O_CLOEXEC, 0o644)
	if err != nil {
		return nil, fmt.Errorf("folderlock: %w", err)
	}
	if err := flock(f); err != nil {
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, &HeldError{Dir: dir, PID: readPID(path)}
		}
		return nil, fmt.Errorf("folderlock: locking %s: %w (does the filesystem support flock? see the folderlock package documentation)", dir, err)
	}
	// Record the holder for the error of the next one. A failure here
	// only makes that error less precise.
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	table[abs] = &held{f: f, refs: 1}
	if err := atomicfile.RemoveStale(abs); err != nil {
		delete(table, abs)
		f.Close()
		return nil, fmt.Errorf("folderlock: removing stale temporary files: %w", err)
	}
	return &Lock{key: abs}, nil
}

func flock(f *os.File) error {
	for {
		err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		if err != unix.EINTR {
			return err
		}
	}
}

func readPID(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}

// Unlock releases l; the folder is free once every Lock of this process on
// it is released. Unlocking twice is harmless; a nil Lock does nothing.
func (l *Lock) Unlock() error {
	if l == nil {
		return nil
	}
	var err error
	l.once.Do(func() {
		mu.Lock()
		defer mu.Unlock()
		h := table[l.key]
		if h == nil {
			return
		}
		h.refs--
		if h.refs == 0 {
			delete(table, l.key)
			err = h.f.Close() // closing the last descriptor releases the flock
		}
	})
	return err
}
