package bench

import "sync"

// onceMap holds a value per key, computed once by the first get of that
// key while other keys are computed concurrently (the PSD map's minimum
// eigenvalues, alpha seeding's convexity of a pair). Its zero value is
// ready to use.
type onceMap[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]*onceEntry[V]
}

type onceEntry[V any] struct {
	once sync.Once
	v    V
}

// get returns k's value, computing it with f if no get of k has.
func (o *onceMap[K, V]) get(k K, f func() V) V {
	o.mu.Lock()
	e, ok := o.m[k]
	if !ok {
		if o.m == nil {
			o.m = map[K]*onceEntry[V]{}
		}
		e = &onceEntry[V]{}
		o.m[k] = e
	}
	o.mu.Unlock()
	e.once.Do(func() { e.v = f() })
	return e.v
}
