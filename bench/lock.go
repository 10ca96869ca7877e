package bench

import "github.com/svmbench/svmbench/internal/folderlock"

// LockOut holds the output folder dir for this process until unlock is
// called (internal/folderlock): another process that writes there is
// refused with an error naming the folder and the process that holds it,
// and the temporary files a killed writer left in dir are removed. The
// folder is made if need be; "" (no output) locks nothing. Every function
// of bench that writes a folder (Grid, Run, RunScaling, Merge) takes it
// itself; commands that write beside them take it with LockOut, and a
// folder held twice by one process is simply held.
func LockOut(dir string) (unlock func(), err error) {
	if dir == "" {
		return func() {}, nil
	}
	l, err := folderlock.Acquire(dir)
	if err != nil {
		return nil, err
	}
	return func() { l.Unlock() }, nil
}
