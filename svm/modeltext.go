package svm

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/svmbench/svmbench/internal/textnum"
	"github.com/svmbench/svmbench/matrix"
)

// This file reads and writes the SV section of LIBSVM model files, the
// bulk of them (gigabytes for tens of thousands of image SVs), on all cores.

// svBlock is the number of support vectors formatted as one piece.
const svBlock = 64

// writeSVs writes head (the header) and the SV section: one line per
// support vector, the coefficients in their shortest exact float64 text
// and the non-zero features as index:value in their shortest exact float32
// text (at most 9 digits; svm-train writes %.17g and %.8g). The text goes
// to w in blocks of svBlock lines, the header with the first (w need not
// be buffered: a block of image SVs is megabytes).
func (m *Model) writeSVs(w io.Writer, head []byte) error {
	n := m.NSV()
	var memo sync.Pool
	var index *textnum.IndexText
	if !m.Gram {
		index = textnum.NewIndexText(m.SV.Cols)
	}
	return textnum.WriteOrdered(w, max(1, (n+svBlock-1)/svBlock), func(b []byte, k int) []byte {
		if k == 0 {
			b = append(b, head...)
		}
		ft, _ := memo.Get().(*textnum.Float32Text)
		if ft == nil {
			ft = new(textnum.Float32Text)
		}
		defer memo.Put(ft)
		for v := k * svBlock; v < min(n, (k+1)*svBlock); v++ {
			for r := range m.Coef {
				b = textnum.AppendFloat64(b, m.Coef[r][v])
				b = append(b, ' ')
			}
			if m.Gram {
				b = append(b, "0:"...)
				b = textnum.AppendInt(b, m.SVIndex[v]+1)
				b = append(b, ' ')
			} else {
				for f, x := range m.SV.Row(v) {
					if x == 0 {
						continue
					}
					b = index.Append(b, f+1)
					b = ft.Append(b, x)
					b = append(b, ' ')
				}
			}
			b = append(b, '\n')
		}
		return b
	})
}

// svReader fills a model's support vectors from the lines of the SV
// section, parsed in chunks on all cores. The line at offset i of the
// section is support vector i, written straight into a dense matrix of
// total_sv rows whose width is guessed from the first lines; the rare line
// that does not fit (a blank line shifts the rest, a row wider than the
// guess) is kept aside as sparse and placed by finish.
type svReader struct {
	file      string
	first     int // file line of the section's first line
	nrow      int // coefficient rows
	gram      bool
	sv        *matrix.Matrix // nil for a precomputed model
	coef      [][]float64
	svIndex   []int
	state     []byte // per section line < total_sv: unseen, placed, blank or aside
	mu        sync.Mutex
	aside     []svLine
	maxIdx    int
	maxAt     int // offset of the first line holding feature maxIdx
	nextLines int // section lines seen (the largest offset + 1)
}

// The states of a section line.
const (
	unseen byte = iota
	placed
	blank
	aside
)

// svLine is one support vector kept aside, or a comment line.
type svLine struct {
	at      int // offset of its line in the section
	comment string
	coef    []float64
	idx     []int32 // 1-based; for a precomputed model, the training row
	val     []float32
}

func newSVReader(file string, first, nrow, totalSV, cols int, gram bool) *svReader {
	r := &svReader{file: file, first: first, nrow: nrow, gram: gram,
		coef: make([][]float64, nrow), state: make([]byte, totalSV)}
	for i := range r.coef {
		r.coef[i] = make([]float64, totalSV)
	}
	if gram {
		r.svIndex = make([]int, totalSV)
	} else {
		r.sv = matrix.New(totalSV, cols)
	}
	return r
}

// guessCols returns the largest feature index of the complete lines in
// head, the start of the SV section, and the offset of the first line
// holding it. It cuts lines and fields as parseLine does (NextLine,
// field), without allocating.
func guessCols(head []byte) (cols, at int) {
	if k := bytes.LastIndexByte(head, '\n'); k >= 0 {
		head = head[:k]
	} else {
		head = nil
	}
	for o, next := 0, 0; next < len(head); o++ {
		var line []byte
		line, next = textnum.NextLine(head, next)
		for f, j := field(line, 0); len(f) > 0; f, j = field(line, j) {
			if c := bytes.IndexByte(f, ':'); c > 0 {
				if i, ok := textnum.ParseInt(f[:c]); ok && i > int64(cols) && i <= maxModelIndex {
					cols, at = int(i), o
				}
			}
		}
	}
	return cols, at
}

// maxModelIndex is the largest feature index of a model file.
const maxModelIndex = 1 << 24

// parse parses one chunk of the section.
func (r *svReader) parse(c textnum.Chunk) error {
	var l svLine
	at := c.Line - r.first
	for i := 0; i < len(c.Data); at++ {
		var b []byte
		b, i = textnum.NextLine(c.Data, i)
		l.at, l.coef, l.idx, l.val = at, l.coef[:0], l.idx[:0], l.val[:0]
		if len(b) > 0 && b[0] == '#' {
			r.mu.Lock()
			r.aside = append(r.aside, svLine{at: at, comment: string(b)})
			r.mu.Unlock()
			if at < len(r.state) {
				r.state[at] = aside
			}
			continue
		}
		empty, err := r.parseLine(&l, b, c.Memo)
		if err != nil {
			return err
		}
		r.place(&l, empty)
	}
	r.mu.Lock()
	r.nextLines = max(r.nextLines, at)
	r.mu.Unlock()
	return nil
}

// place stores the parsed line l in the matrix, or aside.
func (r *svReader) place(l *svLine, empty bool) {
	in := l.at < len(r.state)
	if empty {
		if in {
			r.state[l.at] = blank
		}
		return
	}
	last := 0
	if len(l.idx) > 0 {
		last = int(l.idx[len(l.idx)-1])
	}
	if !in || (!r.gram && last > r.sv.Cols) {
		if in {
			r.state[l.at] = aside
		}
		r.mu.Lock()
		r.aside = append(r.aside, svLine{at: l.at, coef: append([]float64(nil), l.coef...),
			idx: append([]int32(nil), l.idx...), val: append([]float32(nil), l.val...)})
		r.noteMax(last, l.at)
		r.mu.Unlock()
		return
	}
	r.state[l.at] = placed
	for k, v := range l.coef {
		r.coef[k][l.at] = v
	}
	if r.gram {
		r.svIndex[l.at] = int(l.idx[0]) - 1
		return
	}
	row := r.sv.Row(l.at)
	for k, i := range l.idx {
		row[i-1] = l.val[k]
	}
	if last > 0 {
		r.mu.Lock()
		r.noteMax(last, l.at)
		r.mu.Unlock()
	}
}

// noteMax records feature last of the line at offset at, if it is the
// widest so far (the first in the file among equals); r.mu is held.
func (r *svReader) noteMax(last, at int) {
	if last > r.maxIdx || (last == r.maxIdx && at < r.maxAt) {
		r.maxIdx, r.maxAt = last, at
	}
}

// finish checks the lines against total_sv (a comment may follow the
// last support vector, and a sidecarMark comment says why the model needs
// its sidecar), moves the rows after blank lines up, places the lines kept
// aside, and sets m's support vectors and coefficients.
func (r *svReader) finish(m *Model, totalSV, totalSVLine int) (need string, err error) {
	slices.SortFunc(r.aside, func(a, b svLine) int { return a.at - b.at })
	n, a := 0, 0
	check := func(l *svLine) error {
		if l.comment == "" {
			if n++; n > totalSV {
				return &ParseError{File: r.file, Line: r.first + l.at, Msg: fmt.Sprintf("support vector %d, but total_sv (line %d) is %d", n, totalSVLine, totalSV)}
			}
			return nil
		}
		if n < totalSV {
			return &ParseError{File: r.file, Line: r.first + l.at, Msg: fmt.Sprintf("a comment among the support vectors (%d of total_sv %d read)", n, totalSV)}
		}
		if rest, ok := strings.CutPrefix(l.comment, sidecarMark); ok {
			need = strings.TrimSpace(rest)
		}
		return nil
	}
	for o, st := range r.state {
		for ; a < len(r.aside) && r.aside[a].at < o; a++ {
			if err := check(&r.aside[a]); err != nil {
				return "", err
			}
		}
		if st == placed && o < r.nextLines {
			n++
		}
	}
	for ; a < len(r.aside); a++ {
		if err := check(&r.aside[a]); err != nil {
			return "", err
		}
	}
	if n != totalSV {
		return "", &ParseError{File: r.file, Line: totalSVLine, Msg: fmt.Sprintf("total_sv %d, but the file has %d support vectors", totalSV, n)}
	}
	r.aside = slices.DeleteFunc(r.aside, func(l svLine) bool { return l.comment != "" })
	sv := r.sv
	if sv != nil && r.maxIdx != sv.Cols {
		sv = matrix.New(totalSV, r.maxIdx) // a row wider than the guess, or all narrower
	}
	moved := sv != r.sv || len(r.aside) > 0
	for o := range r.state {
		if r.state[o] != placed {
			moved = true
		}
	}
	if moved {
		r.compact(sv)
	}
	m.Coef, m.SV = r.coef, sv
	if r.gram {
		m.SVIndex = r.svIndex
	} else {
		m.SVIndex = make([]int, totalSV)
		for v := range m.SVIndex {
			m.SVIndex[v] = -1
		}
	}
	return need, nil
}

// compact writes the support vectors in file order into rows 0, 1, … of
// sv (r.sv itself, or a new matrix of another width).
func (r *svReader) compact(sv *matrix.Matrix) {
	j, a := 0, 0
	// A new matrix is zero already: its rows are not cleared, so that
	// only the pages holding values are touched (a model whose one
	// support vector has index 2^24 would otherwise make every row of
	// 64 MiB resident).
	fresh := sv != r.sv
	put := func(o int, l *svLine) {
		if l != nil {
			for k, v := range l.coef {
				r.coef[k][j] = v
			}
			if r.gram {
				r.svIndex[j] = int(l.idx[0]) - 1
			} else {
				row := sv.Row(j)
				if !fresh {
					clear(row)
				}
				for k, i := range l.idx {
					row[i-1] = l.val[k]
				}
			}
		} else {
			for k := range r.coef {
				r.coef[k][j] = r.coef[k][o]
			}
			if r.gram {
				r.svIndex[j] = r.svIndex[o]
			} else if sv != r.sv || o != j {
				dst := sv.Row(j)
				if !fresh {
					clear(dst)
				}
				src := r.sv.Row(o)
				copy(dst, src[:min(len(src), len(dst))])
			}
		}
		j++
	}
	for o, st := range r.state {
		for a < len(r.aside) && r.aside[a].at < o {
			put(-1, &r.aside[a])
			a++
		}
		if st == placed && o < r.nextLines {
			put(o, nil)
		}
	}
	for ; a < len(r.aside); a++ {
		put(-1, &r.aside[a])
	}
}

// parseLine reads one SV line into l; empty reports a blank line.
func (r *svReader) parseLine(l *svLine, b []byte, memo *textnum.Float32Memo) (empty bool, err error) {
	perr := func(format string, a ...any) error {
		return &ParseError{File: r.file, Line: r.first + l.at, Msg: fmt.Sprintf(format, a...)}
	}
	f, i := field(b, 0)
	if len(f) == 0 {
		return true, nil
	}
	for k := range r.nrow {
		if k > 0 {
			f, i = field(b, i)
		}
		if len(f) == 0 {
			return false, perr("want %d coefficients, got %d fields", r.nrow, len(bytes.Fields(b)))
		}
		v, ok := textnum.ParseFloat64(f)
		if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
			return false, perr("coefficient %s %s", textnum.Quote(f), textnum.StrtodRefusal(f, "is not a finite number"))
		}
		l.coef = append(l.coef, v)
	}
	if r.nrow > 0 {
		if !r.gram {
			i = fastFeatures(l, b, i, memo)
		}
		f, i = field(b, i)
	}
	for ; len(f) > 0; f, i = field(b, i) {
		c := bytes.IndexByte(f, ':')
		var (
			idx, v int64
			x      float32
			ok1    bool
			ok2    = c >= 0
		)
		if ok2 {
			idx, ok1 = textnum.ParseInt(f[:c])
			if r.gram {
				v, ok2 = textnum.ParseInt(f[c+1:])
			} else {
				x, ok2 = textnum.ParseFloat32(f[c+1:])
			}
		}
		if ok1 && !r.gram && c+1 < len(f) && (!ok2 || math.IsNaN(float64(x)) || math.IsInf(float64(x), 0)) {
			if why := textnum.StrtodRefusal(f[c+1:], ""); why != "" {
				return false, perr("feature %s: the value %s %s", textnum.Quote(f), textnum.Quote(f[c+1:]), why)
			}
			if _, err := strconv.ParseFloat(string(f[c+1:]), 64); err == nil || errors.Is(err, strconv.ErrRange) {
				return false, perr("feature %s: the value is not a finite float32 number", textnum.Quote(f))
			}
		}
		if !ok1 || !ok2 {
			return false, perr("feature %s: want INDEX:VALUE", textnum.Quote(f))
		}
		if r.gram {
			if idx != 0 || v < 1 || v > math.MaxInt32 || len(l.idx) > 0 {
				return false, perr("precomputed support vector %s: want 0:ROW with ROW ≥ 1", textnum.Quote(f))
			}
			l.idx = append(l.idx, int32(v))
			continue
		}
		if idx < 1 {
			return false, perr("feature index %d: want ≥ 1", idx)
		}
		if idx > maxModelIndex {
			return false, perr("feature index %d: want ≤ %d", idx, maxModelIndex)
		}
		if n := len(l.idx); n > 0 && int32(idx) <= l.idx[n-1] {
			return false, perr("feature index %d follows %d: indices must be ascending", idx, l.idx[n-1])
		}
		l.idx = append(l.idx, int32(idx))
		l.val = append(l.val, x)
	}
	if r.gram && len(l.idx) == 0 {
		return false, perr("precomputed support vector: want 0:ROW after the coefficients")
	}
	return false, nil
}

// fastFeatures appends the features of b from i for as long as they are
// plain `digits:value` with ascending indices, and returns where it
// stopped: at the first field the general loop must look at, to accept it
// or say what is wrong. memo reads the values (a model of image support
// vectors repeats a few hundred value texts).
func fastFeatures(l *svLine, b []byte, i int, memo *textnum.Float32Memo) int {
	n := len(b)
	prev := int32(0)
	if k := len(l.idx); k > 0 {
		prev = l.idx[k-1]
	}
	for {
		for i < n && (b[i] == ' ' || b[i] == '\t') {
			i++
		}
		j, idx := i, int32(0)
		for j < n && j-i < 8 && b[j]-'0' <= 9 {
			idx = idx*10 + int32(b[j]-'0')
			j++
		}
		if j == n || b[j] != ':' || idx <= prev || idx > maxModelIndex {
			return i
		}
		v, k, ok := memo.Scan(b, j+1)
		if !ok || (k < n && b[k] != ' ' && b[k] != '\t' && b[k] != '\r') {
			for k = j + 1; k < n && b[k] != ' ' && b[k] != '\t' && b[k] != '\r'; k++ {
			}
			if v, ok = textnum.ParseFloat32(b[j+1 : k]); !ok || math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return i
			}
		}
		l.idx = append(l.idx, idx)
		l.val = append(l.val, v)
		prev, i = idx, k
	}
}

// field returns the next space-separated field of b from i and the
// position after it.
func field(b []byte, i int) (f []byte, next int) {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r') {
		i++
	}
	j := i
	for j < len(b) && b[j] != ' ' && b[j] != '\t' && b[j] != '\r' {
		j++
	}
	return b[i:j], j
}

// readSVs reads the SV section from br, whose first line is line first of
// file, into m; total_sv was checked against the file's size. need is the
// reason a sidecarMark line at the end gives, or "". sum, when not nil, is
// given the section's text in order.
func (m *Model) readSVs(ctx context.Context, file string, br *bufio.Reader, first, totalSV, totalSVLine int, sum io.Writer) (need string, err error) {
	cols := 0
	if !m.Gram {
		head, _ := br.Peek(br.Size())
		var at int
		cols, at = guessCols(head)
		if int64(totalSV)*int64(cols) > maxDenseSV {
			return "", tooWide(file, first+at, totalSV, cols)
		}
	}
	r := newSVReader(file, first, len(m.Labels)-1, totalSV, cols, m.Gram)
	err = textnum.LinesTee(ctx, br, first, sum, r.parse) // the file's hash beside the parsing
	if re := (*textnum.ReadError)(nil); errors.As(err, &re) {
		return "", &ParseError{File: file, Line: re.Line, Msg: re.Err.Error()}
	}
	if err != nil {
		return "", err
	}
	if !m.Gram && int64(totalSV)*int64(r.maxIdx) > maxDenseSV {
		return "", tooWide(file, first+r.maxAt, totalSV, r.maxIdx)
	}
	return r.finish(m, totalSV, totalSVLine)
}

// tooWide is the error of a model whose support vector on line has
// feature cols, too many for totalSV of them held dense.
func tooWide(file string, line, totalSV, cols int) error {
	return &ParseError{File: file, Line: line, Msg: fmt.Sprintf("a support vector has feature %d: total_sv %d support vectors of %d features are too many to hold dense (at most %d values)", cols, totalSV, cols, maxDenseSV)}
}

// maxDenseSV is the largest support-vector matrix (values; 8 GB of
// float32) a model file is read into.
const maxDenseSV = 1 << 31
