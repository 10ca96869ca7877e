package atomicfile

import (
	"os"

	"golang.org/x/sys/unix"
)

// startWriteback starts writing bytes [off, off+n) of f to the disk and
// returns without waiting for it (sync_file_range, SYNC_FILE_RANGE_WRITE).
// It is a hint: its errors are left to the fsync that follows, which
// reports any failure to write the file.
func startWriteback(f *os.File, off, n int64) {
	rc, err := f.SyscallConn()
	if err != nil {
		return
	}
	rc.Control(func(fd uintptr) {
		unix.SyncFileRange(int(fd), off, n, unix.SYNC_FILE_RANGE_WRITE)
	})
}
