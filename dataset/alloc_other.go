//go:build !linux

package dataset

func adviseHuge[T any](x []T) {}
