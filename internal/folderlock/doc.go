// Package folderlock gives a process exclusive use of an output folder, so
// that two runs never write one folder at once.
//
// Acquire opens (creating it) the file FOLDER/.svmbench.lock and takes an
// exclusive flock(2) on it without waiting. A second process that locks
// the same folder is refused at once with an error naming the folder and
// the process ID written in the lock file by the holder. The lock belongs
// to the open file: the kernel releases it when the holder closes it or
// dies, however it dies (SIGKILL included), so a killed run never blocks
// the next one. The lock file itself stays; it carries no state.
//
// Within one process, locking a folder that the process already holds
// succeeds and counts references (the main job holds its results folder
// while the grids it runs lock the same one), so library code can lock
// every folder it writes without knowing its caller.
//
// Once a run holds a folder, Acquire removes the temporary files that an
// earlier writer killed in the middle of a write left there: only names of
// internal/atomicfile's own pattern (atomicfile.IsTemp), only directly in
// the folder.
//
// # Network filesystems
//
// flock is advisory and as good as the filesystem's locking. On local
// filesystems (ext4, xfs, btrfs, tmpfs) it excludes every process of the
// machine. On NFS, Linux (since 2.6.12) emulates flock with POSIX byte-range
// locks through the NFS lock protocol (NLM for v3, built into v4), so it
// excludes processes on other clients too, provided the server and the
// clients run their lock services; a client mounted with -o nolock or
// local_lock=flock only excludes processes of its own machine. On SMB/CIFS,
// Lustre (without -o flock) and some FUSE filesystems flock either fails
// (Acquire then returns the error, and the run does not start) or is local to
// one machine. Two machines writing one folder of such a filesystem are not
// excluded: give each machine its own folder (as grid shards do) and join
// them with bench merge. A lock held by a process on another machine shows
// that machine's process ID.
package folderlock
