//go:build !unix

package features

func cpuTime() int64 { return 0 }
