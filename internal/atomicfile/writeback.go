package atomicfile

import "os"

// writebackEvery is how much a file grows between two requests to start
// writing it to the disk (startWriteback).
const writebackEvery = 8 << 20

// aheadWriter writes to f and, every writebackEvery bytes, asks the kernel
// to start writing the new part to the disk, so that the sync at the end
// waits only for the last part: writing a model of 224 MB, the final fsync
// took 0.08–0.13 s after plain writes and under 1 ms after these requests,
// on this project's machine (virtio disk, ext4).
type aheadWriter struct {
	f       *os.File
	n, sent int64 // bytes written; bytes whose writeback was started
}

func (a *aheadWriter) Write(p []byte) (int, error) {
	n, err := a.f.Write(p)
	a.n += int64(n)
	if a.n-a.sent >= writebackEvery {
		startWriteback(a.f, a.sent, a.n-a.sent)
		a.sent = a.n
	}
	return n, err
}
