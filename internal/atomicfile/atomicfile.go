// Package atomicfile writes files so that no reader, and no later run, ever
// sees a half-written one: the content goes to a temporary file in the same
// folder, which is synced, closed and renamed over the destination only when
// everything succeeded. On any failure the temporary file is removed and the
// destination is left as it was.
package atomicfile

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// tempPattern is the os.CreateTemp pattern of the temporary file of path:
// ".NAME.DIGITS.tmp" beside it (CreateTemp puts decimal digits at the *).
func tempPattern(path string) string { return "." + filepath.Base(path) + ".*.tmp" }

// IsTemp reports whether a file name has the form of Write's temporary
// files, ".NAME.DIGITS.tmp".
func IsTemp(name string) bool {
	rest, ok := strings.CutSuffix(name, ".tmp")
	if !ok || !strings.HasPrefix(rest, ".") {
		return false
	}
	dot := strings.LastIndexByte(rest, '.')
	digits := rest[dot+1:]
	if dot < 2 || digits == "" {
		return false
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// RemoveStale removes from dir (not its subfolders) the temporary files
// that a writer killed during Write left behind. Call it only while no other
// process can be writing to dir (internal/folderlock does, once it holds
// the folder's lock): a live writer's temporary file would go too.
func RemoveStale(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Type().IsRegular() && IsTemp(e.Name()) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !os.IsNotExist(err) {
				return err
			}
		}
	}
	return nil
}

// Write creates or replaces path with what write writes. The writer is
// buffered; write need not flush it. The file gets mode 0644 (less the umask).
// Errors are returned as they come, for the caller to prefix and name path.
func Write(path string, write func(w io.Writer) error) error {
	tmp, err := temp(path, write)
	if err != nil {
		return err
	}
	if err := rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// File is one file of WriteAll.
type File struct {
	Path  string
	Write func(w io.Writer) error
}

// WriteAll writes several files that belong together (a model and its
// sidecar) so that a failure leaves none of them: each is written to a
// temporary file first, and only when all are complete are they renamed
// into place, in order; if a rename fails, the files already renamed are
// removed (a previous version of them is then gone too: never a mixed pair).
func WriteAll(files ...File) error {
	tmps := make([]string, 0, len(files))
	cleanup := func() {
		for _, t := range tmps {
			os.Remove(t)
		}
	}
	for _, f := range files {
		tmp, err := temp(f.Path, f.Write)
		if err != nil {
			cleanup()
			return err
		}
		tmps = append(tmps, tmp)
	}
	for i, f := range files {
		if err := rename(tmps[i], f.Path); err != nil {
			for _, done := range files[:i] {
				os.Remove(done.Path)
			}
			tmps = tmps[i:]
			cleanup()
			return err
		}
	}
	return nil
}

// rename is os.Rename; tests replace it to make a rename fail.
var rename = os.Rename

// temp writes a synced, closed temporary file beside path and returns its name.
func temp(path string, write func(w io.Writer) error) (tmp string, err error) {
	f, err := os.CreateTemp(filepath.Dir(path), tempPattern(path))
	if err != nil {
		return "", err
	}
	name := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(name)
		}
	}()
	bw := bufio.NewWriterSize(&aheadWriter{f: f}, 1<<20)
	if err = write(bw); err != nil {
		return "", err
	}
	if err = bw.Flush(); err != nil {
		return "", err
	}
	if err = f.Chmod(0o644); err != nil {
		return "", err
	}
	if err = f.Sync(); err != nil {
		return "", err
	}
	if err = f.Close(); err != nil {
		return "", err
	}
	return name, nil
}

// WriteBytes is Write of a byte slice.
func WriteBytes(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
