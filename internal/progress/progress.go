// Package progress shows the progress of long work: bars with an ETA on a
// terminal, plain lines a few seconds apart anywhere else (CI logs, files,
// pipes), so that logs never fill with carriage-return redraws.
//
// Every command makes one Progress on its stderr, one Bar per long task,
// and hands lower packages the callback (*Bar).Func, which has the
// signature of their Progress config fields, func(done, total int64).
//
// Plain mode prints, at most once per Interval (5 s) per bar and only when
// the bar moves,
//
//	NAME: 45% (450/1000) 12s elapsed, ETA 15s
//
// and one final line when the bar is done:
//
//	NAME: 100% (1000/1000) done in 27s
//
// or, for a bar ended short of its total after it printed a line,
// "NAME: 45% (450/1000) stopped after 12s"; a bar stopped before it printed
// anything ends silently (the error that stopped it says enough).
//
// The ETA is (total − done)·elapsed/(done − skipped): the rate of this run,
// with work found finished (Skip, for resumed runs) left out. A total ≤ 0
// is unknown: the line shows the count and the elapsed time only.
//
// A nil *Progress and a nil *Bar are valid and show nothing, so callers
// need not check for "no progress wanted". All methods are safe for
// concurrent use.
package progress

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/svmbench/svmbench/internal/memory"
	"github.com/vbauerster/cupwriter"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// Mode says how progress is shown.
type Mode int

const (
	// Auto shows bars when the writer is a terminal, plain lines otherwise.
	Auto Mode = iota
	// Plain prints plain lines at most every Interval.
	Plain
	// Bars draws terminal bars whatever the writer is.
	Bars
	// Quiet shows nothing.
	Quiet
)

// DefaultInterval is the least time between two plain lines of one bar.
const DefaultInterval = 5 * time.Second

// Options configure a Progress. The zero value is the default: Auto mode,
// DefaultInterval, the system clock.
type Options struct {
	Mode Mode
	// Interval is the least time between two plain lines of one bar;
	// 0 means DefaultInterval.
	Interval time.Duration
	// Now is the clock; nil means time.Now. Tests inject their own.
	Now func() time.Time
}

// Progress is a set of bars written to one writer.
type Progress struct {
	w        io.Writer
	mode     Mode // Plain, Bars or Quiet once resolved
	interval time.Duration
	now      func() time.Time

	mu     sync.Mutex // serialises writes and guards bars and waited
	bars   []*Bar
	waited bool
	mp     *mpb.Progress // Bars mode
}

// New returns a Progress writing to w in Auto mode: bars when w is an
// *os.File that is a terminal (and TERM is not "dumb"), plain lines
// otherwise. A nil w shows nothing.
func New(w io.Writer) *Progress { return NewWith(w, Options{}) }

// NewWith returns a Progress writing to w as o says.
func NewWith(w io.Writer, o Options) *Progress {
	p := &Progress{w: w, mode: o.Mode, interval: o.Interval, now: o.Now}
	if p.interval <= 0 {
		p.interval = DefaultInterval
	}
	if p.now == nil {
		p.now = time.Now
	}
	if w == nil {
		p.mode = Quiet
	}
	tty := IsTerminal(w)
	if p.mode == Auto {
		p.mode = Plain
		if tty {
			p.mode = Bars
		}
	}
	if p.mode == Bars {
		opts := []mpb.ContainerOption{mpb.WithOutput(w), mpb.WithRefreshRate(200 * time.Millisecond)}
		if !tty { // forced bars on a file or buffer: fixed width, redraw anyway
			opts = append(opts, mpb.WithWidth(80), mpb.WithAutoRefresh())
		}
		p.mp = mpb.New(opts...)
	}
	return p
}

// IsTerminal reports whether w is an *os.File on a terminal that can draw
// bars: a TTY with a known, non-zero width, and TERM not "dumb".
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || f == nil {
		return false
	}
	if os.Getenv("TERM") == "dumb" {
		return false
	}
	cw := cupwriter.New(f, false)
	if !cw.IsTerminal() {
		return false
	}
	width, _, err := cw.GetTermSize()
	return err == nil && width > 0
}

// Mode returns the resolved mode: Plain, Bars or Quiet.
func (p *Progress) Mode() Mode {
	if p == nil {
		return Quiet
	}
	return p.mode
}

// Bar adds a bar counting items up to total (≤ 0: unknown).
func (p *Progress) Bar(name string, total int64) *Bar { return p.add(name, total, false) }

// ByteBar adds a bar counting bytes up to total (≤ 0: unknown); its lines
// show sizes in KiB, MiB or GiB.
func (p *Progress) ByteBar(name string, total int64) *Bar { return p.add(name, total, true) }

func (p *Progress) add(name string, total int64, bytes bool) *Bar {
	if p == nil {
		return nil
	}
	now := p.now()
	b := &Bar{p: p, name: name, total: total, bytes: bytes, start: now, lastLine: now}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.waited {
		b.finished = true // a Progress is not reused after Wait
		return b
	}
	p.bars = append(p.bars, b)
	if p.mode == Bars {
		b.mb = p.mp.AddBar(max(total, 0),
			mpb.PrependDecorators(
				decor.Name(name, decor.WC{C: decor.DSyncSpaceR}),
				decor.Any(func(decor.Statistics) string { return b.percent() }, decor.WC{W: 5}),
			),
			mpb.AppendDecorators(
				decor.Any(func(decor.Statistics) string { return b.counts() }, decor.WC{C: decor.DextraSpace}),
				decor.Any(func(decor.Statistics) string { return b.timing() }, decor.WC{C: decor.DextraSpace}),
			),
		)
	}
	return b
}

// Printf writes a message line. With bars it goes above them, so that it
// does not tear them.
func (p *Progress) Printf(format string, a ...any) {
	if p == nil || p.mode == Quiet {
		return
	}
	msg := fmt.Sprintf(format, a...)
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.mp != nil && !p.waited {
		p.mp.Write([]byte(msg)) //nolint:errcheck // best effort, like stderr
		return
	}
	io.WriteString(p.w, msg) //nolint:errcheck
}

// Wait ends every bar not yet done (as stopped) and returns when all are
// drawn for the last time. Call it once, when the command's work is over;
// bars added after Wait show nothing.
func (p *Progress) Wait() {
	if p == nil {
		return
	}
	p.mu.Lock()
	if p.waited {
		p.mu.Unlock()
		return
	}
	bars := append([]*Bar(nil), p.bars...)
	p.mu.Unlock()
	for _, b := range bars {
		b.Done()
	}
	p.mu.Lock()
	p.waited = true
	p.mu.Unlock()
	if p.mp != nil {
		p.mp.Wait()
	}
}

// writeLine writes one plain line.
func (p *Progress) writeLine(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	io.WriteString(p.w, s+"\n") //nolint:errcheck
}

// Bar is one task's progress.
type Bar struct {
	p     *Progress
	name  string
	bytes bool
	start time.Time
	mb    *mpb.Bar // Bars mode

	mu       sync.Mutex
	total    int64
	done     int64
	skipped  int64 // done before this run (Skip), left out of the rate
	lastLine time.Time
	printed  bool // a periodic line was written
	finished bool
	end      time.Time // when Done was called
}

// SetTotal changes the total (≤ 0: unknown), e.g. once a download's size
// is known.
func (b *Bar) SetTotal(total int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	if b.finished || total == b.total {
		b.mu.Unlock()
		return
	}
	b.total = total
	b.mu.Unlock()
	if b.mb != nil {
		b.mb.SetTotal(max(total, 0), false)
	}
}

// Set sets the count of items done.
func (b *Bar) Set(done int64) { b.update(done, false) }

// Add adds n to the count of items done.
func (b *Bar) Add(n int64) { b.update(n, true) }

// Skip counts n items as done that were finished before this run (found
// on resume): they advance the bar but do not speed up its ETA.
func (b *Bar) Skip(n int64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	b.skipped += n
	b.mu.Unlock()
	b.update(n, true)
}

func (b *Bar) update(v int64, add bool) {
	if b == nil {
		return
	}
	b.mu.Lock()
	if b.finished {
		b.mu.Unlock()
		return
	}
	if add {
		b.done += v
	} else {
		b.done = v
	}
	done := b.done
	var line string
	// A bar at its total waits for Done's final line instead.
	if b.p.mode == Plain && (b.total <= 0 || done < b.total) {
		if now := b.p.now(); now.Sub(b.lastLine) >= b.p.interval {
			b.lastLine, b.printed = now, true
			line = b.lineLocked(now, false)
		}
	}
	b.mu.Unlock()
	if line != "" {
		b.p.writeLine(line)
	}
	if b.mb != nil {
		b.mb.SetCurrent(done)
	}
}

// Done ends the bar: a final line in plain mode (done, or stopped when the
// count is short of a known total and the bar has printed before). Later
// calls do nothing.
func (b *Bar) Done() {
	if b == nil {
		return
	}
	b.mu.Lock()
	if b.finished {
		b.mu.Unlock()
		return
	}
	b.finished, b.end = true, b.p.now()
	complete := b.total <= 0 || b.done >= b.total
	var line string
	// A bar stopped short before it showed anything ends silently: the
	// error that stopped it says enough.
	if b.p.mode == Plain && (complete || b.printed) {
		line = b.lineLocked(b.end, true)
	}
	b.mu.Unlock()
	if line != "" {
		b.p.writeLine(line)
	}
	if b.mb != nil {
		if complete {
			b.mb.SetTotal(-1, true) // total := current, complete
		} else {
			b.mb.Abort(false)
		}
	}
}

// Func returns a callback func(done, total int64) that sets the bar, for
// the Progress fields of lower packages' configs. A total < 0 leaves the
// total as it is; nil for a nil bar.
func (b *Bar) Func() func(done, total int64) {
	if b == nil {
		return nil
	}
	return func(done, total int64) {
		if total >= 0 {
			b.SetTotal(total)
		}
		b.Set(done)
	}
}

// lineLocked formats a plain line; b.mu is held.
func (b *Bar) lineLocked(now time.Time, final bool) string {
	elapsed := now.Sub(b.start)
	var sb strings.Builder
	sb.WriteString(b.name)
	sb.WriteString(": ")
	if b.total > 0 {
		fmt.Fprintf(&sb, "%s (%s) ", percent(b.done, b.total), b.countsLocked())
	} else {
		fmt.Fprintf(&sb, "%s ", b.countsLocked())
	}
	switch {
	case final && (b.total <= 0 || b.done >= b.total):
		fmt.Fprintf(&sb, "done in %s", Duration(elapsed))
	case final:
		fmt.Fprintf(&sb, "stopped after %s", Duration(elapsed))
	default:
		fmt.Fprintf(&sb, "%s elapsed", Duration(elapsed))
		if eta, ok := b.etaLocked(elapsed); ok {
			fmt.Fprintf(&sb, ", ETA %s", Duration(eta))
		}
	}
	return sb.String()
}

func (b *Bar) countsLocked() string {
	if b.bytes {
		if b.total > 0 {
			return memory.Bytes(b.done) + "/" + memory.Bytes(b.total)
		}
		return memory.Bytes(b.done)
	}
	if b.total > 0 {
		return fmt.Sprintf("%d/%d", b.done, b.total)
	}
	return fmt.Sprint(b.done)
}

func (b *Bar) etaLocked(elapsed time.Duration) (time.Duration, bool) {
	ran := b.done - b.skipped
	if b.total <= 0 || ran <= 0 || elapsed <= 0 {
		return 0, false
	}
	left := b.total - b.done
	if left <= 0 {
		return 0, true
	}
	return time.Duration(float64(elapsed) * float64(left) / float64(ran)), true
}

// Decorator texts of terminal bars, from the same state as plain lines.
func (b *Bar) percent() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.total <= 0 {
		return ""
	}
	return percent(b.done, b.total)
}

func (b *Bar) counts() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.countsLocked()
}

func (b *Bar) timing() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.finished { // frozen at Done
		return Duration(b.end.Sub(b.start))
	}
	elapsed := b.p.now().Sub(b.start)
	if eta, ok := b.etaLocked(elapsed); ok {
		return Duration(elapsed) + ", ETA " + Duration(eta)
	}
	return Duration(elapsed)
}

func percent(done, total int64) string {
	return fmt.Sprintf("%d%%", int(math.Floor(100*float64(done)/float64(total))))
}

// Duration formats d for people: 850ms, 12s, 3m05s, 1h02m.
func Duration(d time.Duration) string {
	if d < 0 {
		return "-" + Duration(-d)
	}
	if d == 0 {
		return "0s"
	}
	if d < time.Second {
		return fmt.Sprintf("%dms", d.Milliseconds())
	}
	s := int64(d.Round(time.Second) / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	}
	m := int64(d.Round(time.Minute) / time.Minute)
	return fmt.Sprintf("%dh%02dm", m/60, m%60)
}
