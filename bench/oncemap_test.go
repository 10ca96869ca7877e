package bench

import (
	"sync"
	"testing"
)

// Each key's value is computed once, however many goroutines ask for it,
// and keys keep their own values.
func TestOnceMap(t *testing.T) {
	var o onceMap[int, int]
	var mu sync.Mutex
	calls := map[int]int{}
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k := g % 3
			if v := o.get(k, func() int {
				mu.Lock()
				calls[k]++
				mu.Unlock()
				return 10 * k
			}); v != 10*k {
				t.Errorf("get(%d) = %d, want %d", k, v, 10*k)
			}
		}()
	}
	wg.Wait()
	for k := range 3 {
		if calls[k] != 1 {
			t.Errorf("key %d computed %d times, want once", k, calls[k])
		}
	}
}
