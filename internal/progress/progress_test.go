package progress

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a fake clock that tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newPlain(buf *bytes.Buffer) (*Progress, *clock) {
	c := &clock{t: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}
	return NewWith(buf, Options{Mode: Plain, Now: c.now}), c
}

func lines(buf *bytes.Buffer) []string {
	s := strings.TrimRight(buf.String(), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func TestPlainLinesAndETA(t *testing.T) {
	var buf bytes.Buffer
	p, c := newPlain(&buf)
	b := p.Bar("gram", 1000)
	// Updates within the interval print nothing.
	for i := int64(1); i <= 100; i++ {
		c.advance(10 * time.Millisecond)
		b.Add(1)
	}
	if got := lines(&buf); got != nil {
		t.Fatalf("printed within the first 5 s: %q", got)
	}
	c.advance(11 * time.Second) // 12 s elapsed
	b.Set(450)
	c.advance(time.Second)
	b.Set(460) // within 5 s of the last line: silent
	c.advance(5 * time.Second)
	b.Set(700) // 18 s: 300 left at 700/18 s → ETA 7.7 s
	c.advance(9 * time.Second)
	b.Set(1000)
	b.Done()
	b.Done() // idempotent
	b.Add(5) // ignored after Done
	p.Wait()
	want := []string{
		"gram: 45% (450/1000) 12s elapsed, ETA 15s",
		"gram: 70% (700/1000) 18s elapsed, ETA 8s",
		"gram: 100% (1000/1000) done in 27s",
	}
	if got := lines(&buf); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestPlainStoppedUnknownAndBytes(t *testing.T) {
	var buf bytes.Buffer
	p, c := newPlain(&buf)
	stopped := p.Bar("grid", 20)
	unknown := p.Bar("read", 0)
	dl := p.ByteBar("download", -1)
	c.advance(6 * time.Second)
	stopped.Set(3)
	unknown.Add(42)
	dl.Func()(80<<20, 170498071)
	p.Wait() // ends the bars not done
	want := []string{
		"grid: 15% (3/20) 6s elapsed, ETA 34s",
		"read: 42 6s elapsed",
		"download: 49% (80.0 MiB/162.6 MiB) 6s elapsed, ETA 6s",
		"grid: 15% (3/20) stopped after 6s",
		"read: 42 done in 6s",
		"download: 49% (80.0 MiB/162.6 MiB) stopped after 6s",
	}
	if got := lines(&buf); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// A bar stopped before it printed anything ends silently; a finished
	// one always has its final line.
	buf.Reset()
	p2, c2 := newPlain(&buf)
	quick := p2.Bar("quick", 10)
	c2.advance(time.Second)
	quick.Set(4)
	quick.Done()
	fast := p2.Bar("fast", 10)
	fast.Set(10)
	fast.Done()
	if got := buf.String(); got != "fast: 100% (10/10) done in 0s\n" {
		t.Errorf("got %q", got)
	}
	// Bars after Wait print nothing.
	buf.Reset()
	p.Bar("late", 3).Done()
	if buf.Len() != 0 {
		t.Errorf("bar after Wait printed %q", buf.String())
	}
}

func TestSkipLeavesResumedWorkOutOfETA(t *testing.T) {
	var buf bytes.Buffer
	p, c := newPlain(&buf)
	b := p.Bar("cells", 100)
	b.Skip(50) // finished in an earlier run
	c.advance(10 * time.Second)
	b.Add(10) // 10 cells in 10 s, 40 left: 40 s
	b.Done()
	if got := lines(&buf)[0]; got != "cells: 60% (60/100) 10s elapsed, ETA 40s" {
		t.Errorf("got %q", got)
	}
}

func TestConcurrentAddsLinesWhole(t *testing.T) {
	var buf bytes.Buffer
	p, c := newPlain(&buf)
	bars := []*Bar{p.Bar("a", 4000), p.Bar("b", 4000)}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				c.advance(time.Millisecond * 7)
				bars[g%2].Add(1)
			}
		}()
	}
	wg.Wait()
	p.Wait()
	got := lines(&buf)
	for _, l := range got {
		if !(strings.HasPrefix(l, "a: ") || strings.HasPrefix(l, "b: ")) || strings.Count(l, ":") != 1 {
			t.Errorf("garbled line %q", l)
		}
	}
	for _, name := range []string{"a", "b"} {
		final := fmt.Sprintf("%s: 100%% (4000/4000) done in", name)
		found := false
		for _, l := range got {
			found = found || strings.HasPrefix(l, final)
		}
		if !found {
			t.Errorf("no final line %q in\n%s", final, buf.String())
		}
	}
}

func TestNilAndQuiet(t *testing.T) {
	var p *Progress
	b := p.Bar("x", 10)
	b.Add(1)
	b.Set(2)
	b.SetTotal(3)
	b.Skip(1)
	b.Done()
	if b.Func() != nil {
		t.Error("nil bar's Func is not nil")
	}
	p.Printf("nothing")
	p.Wait()
	if New(nil).Mode() != Quiet {
		t.Error("New(nil) is not quiet")
	}
	var buf bytes.Buffer
	if m := New(&buf).Mode(); m != Plain {
		t.Errorf("New(buffer) mode %v, want Plain", m)
	}
	q := NewWith(&buf, Options{Mode: Quiet})
	q.Bar("x", 1).Done()
	q.Printf("hello")
	q.Wait()
	if buf.Len() != 0 {
		t.Errorf("quiet progress wrote %q", buf.String())
	}
}

func TestPrintfPlain(t *testing.T) {
	var buf bytes.Buffer
	p, _ := newPlain(&buf)
	p.Printf("source: %s", "synthetic")
	if buf.String() != "source: synthetic\n" {
		t.Errorf("got %q", buf.String())
	}
}

func TestBarsModeSmoke(t *testing.T) {
	var buf bytes.Buffer
	p := NewWith(&buf, Options{Mode: Bars})
	a := p.Bar("epochs", 3)
	d := p.ByteBar("download", 0)
	p.Printf("a message")
	for i := 0; i < 3; i++ {
		a.Add(1)
	}
	d.SetTotal(2048)
	d.Set(1024) // left short: Wait stops it
	p.Wait()
	out := buf.String()
	for _, want := range []string{"epochs", "download", "a message", "3/3"} {
		if !strings.Contains(out, want) {
			t.Errorf("bar output lacks %q:\n%q", want, out)
		}
	}
}

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		850 * time.Millisecond:                     "850ms",
		12 * time.Second:                           "12s",
		59600 * time.Millisecond:                   "1m00s",
		185 * time.Second:                          "3m05s",
		time.Hour + 2*time.Minute + 10*time.Second: "1h02m",
	} {
		if got := Duration(d); got != want {
			t.Errorf("Duration(%v) = %q, want %q", d, got, want)
		}
	}
}
