package dataset

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/svmbench/svmbench/internal/atomicfile"
	"github.com/svmbench/svmbench/internal/textnum"
	"github.com/svmbench/svmbench/matrix"
)

// MaxLIBSVMIndex is the largest feature index the LIBSVM reader accepts.
// Samples are stored dense, so a larger index could not be held anyway.
const MaxLIBSVMIndex = 1 << 24

// maxDense is the largest matrix (elements, 4 GB of float32) a LIBSVM file
// is expanded to: past it, an error rather than running out of memory.
var maxDense = int64(1) << 30

// sparseRows is a parsed LIBSVM file before it is made dense: its rows in
// parts, one part per chunk of text parsed on its own core, in file order.
type sparseRows struct {
	labels []int
	lines  []int // the file line of each row
	parts  []*sparsePart
	maxIdx int // largest index seen (the dimension), 0 for none
	maxAt  int // the first line holding index maxIdx
}

// sparsePart is the rows of one chunk of a LIBSVM file.
type sparsePart struct {
	rows   int
	start  []int // row i has features start[i]:start[i+1] of idx, val
	idx    []int32
	val    []float32
	labels []int
	lines  []int // the file line of each row
	maxIdx int
	maxAt  int // the first line holding index maxIdx
}

// each calls f with every row of s in order.
func (s *sparseRows) each(f func(i int, idx []int32, val []float32)) {
	i := 0
	for _, p := range s.parts {
		for r := range p.rows {
			a, b := p.start[r], p.start[r+1]
			f(i, p.idx[a:b], p.val[a:b])
			i++
		}
	}
}

// parseLIBSVM parses LIBSVM text from r; name is used in errors.
//
// A line is `label idx:val idx:val ...` with an integer label, 1-based
// strictly ascending indices and finite values, separated by spaces or
// tabs; anything from '#' to the end of the line is a comment; blank and
// comment-only lines are skipped. The text is parsed in chunks of whole
// lines on all cores (textnum.LinesTee); an error names the first bad line.
// When tee is not nil, the text is also written to it, in order, on a
// goroutine of its own (textnum.LinesTee). ctx is checked once per chunk
// of text (4 MiB), not per line: once it is done parsing stops and
// ctx.Err() is returned.
func parseLIBSVM(ctx context.Context, name string, r io.Reader, tee io.Writer) (*sparseRows, error) {
	var (
		mu    sync.Mutex
		parts []*sparsePart
	)
	err := textnum.LinesTee(ctx, r, 1, tee, func(c textnum.Chunk) error {
		p := &sparsePart{start: []int{0}}
		n := len(c.Data)/10 + 1 // about one value per 10 bytes of text
		p.idx, p.val = make([]int32, 0, n), make([]float32, 0, n)
		line := c.Line
		for i := 0; i < len(c.Data); line++ {
			var b []byte
			b, i = textnum.NextLine(c.Data, i)
			before := p.maxIdx
			if msg := p.parseLine(b, c.Memo); msg != "" {
				return &ParseError{File: name, Line: line, Msg: msg}
			}
			if p.maxIdx > before {
				p.maxAt = line
			}
			if len(p.lines) < p.rows {
				p.lines = append(p.lines, line)
			}
		}
		mu.Lock()
		defer mu.Unlock()
		if len(parts) <= c.Seq {
			parts = append(parts, make([]*sparsePart, c.Seq+1-len(parts))...)
		}
		parts[c.Seq] = p
		return nil
	})
	if re := (*textnum.ReadError)(nil); errors.As(err, &re) {
		return nil, &ParseError{File: name, Line: re.Line, Msg: re.Err.Error()}
	}
	if err != nil {
		return nil, err
	}
	s := &sparseRows{parts: parts}
	for _, p := range parts {
		s.labels = append(s.labels, p.labels...)
		s.lines = append(s.lines, p.lines...)
		if p.maxIdx > s.maxIdx {
			s.maxIdx, s.maxAt = p.maxIdx, p.maxAt
		}
	}
	return s, nil
}

// space marks the bytes that separate fields.
var space = [256]bool{' ': true, '\t': true, '\n': true, '\r': true, '\v': true, '\f': true}

// nextField returns the next field of b from i and the position after it.
func nextField(b []byte, i int) (field []byte, next int) {
	for i < len(b) && space[b[i]] {
		i++
	}
	j := i
	for j < len(b) && !space[b[j]] {
		j++
	}
	return b[i:j], j
}

// parseLine adds the sample of one line; it returns "" or what was wrong.
// memo reads the values (ScanFloat32 with a memory of recent texts).
func (s *sparsePart) parseLine(b []byte, memo *textnum.Float32Memo) string {
	if k := bytes.IndexByte(b, '#'); k >= 0 {
		b = b[:k]
	}
	f, i := nextField(b, 0)
	if len(f) == 0 {
		return "" // blank or comment
	}
	label, msg := parseLabel(f)
	if msg != "" {
		return msg
	}
	n0 := len(s.idx)
	prev, i := s.fastFeatures(b, i, memo)
	for {
		f, i = nextField(b, i)
		if len(f) == 0 {
			break
		}
		if msg := s.parseFeature(f, prev); msg != "" {
			s.idx, s.val = s.idx[:n0], s.val[:n0]
			return msg
		}
		prev = int(s.idx[len(s.idx)-1])
	}
	s.maxIdx = max(s.maxIdx, prev)
	s.labels = append(s.labels, label)
	s.start = append(s.start, len(s.idx))
	s.rows++
	return ""
}

// fastFeatures appends the features of b from i for as long as they are
// plain `digits:value` with ascending indices and finite values, and
// returns the last index and where it stopped (at the first field that
// parseFeature must look at, to accept it or say what is wrong).
func (s *sparsePart) fastFeatures(b []byte, i int, memo *textnum.Float32Memo) (prev, next int) {
	n := len(b)
	for {
		for i < n && space[b[i]] {
			i++
		}
		j, idx := i, 0
		for j < n && j-i < 9 && b[j]-'0' <= 9 {
			idx = idx*10 + int(b[j]-'0')
			j++
		}
		if j == n || b[j] != ':' || idx <= prev || idx > MaxLIBSVMIndex {
			return prev, i
		}
		v, k, ok := memo.Scan(b, j+1) // finite when ok
		if !ok || (k < n && !space[b[k]]) {
			for k = j + 1; k < n && !space[b[k]]; k++ {
			}
			v, ok = textnum.ParseFloat32(b[j+1 : k])
			if !ok || math.IsInf(float64(v), 0) || math.IsNaN(float64(v)) {
				return prev, i
			}
		}
		s.idx = append(s.idx, int32(idx))
		s.val = append(s.val, v)
		prev, i = idx, k
	}
}

// parseFeature appends the feature f (index:value, the index above prev).
func (s *sparsePart) parseFeature(f []byte, prev int) string {
	c := bytes.IndexByte(f, ':')
	if c < 0 {
		return fmt.Sprintf("feature %s: want index:value", textnum.Quote(f))
	}
	idx, ok := textnum.ParseInt(f[:c])
	if !ok || idx < 1 {
		return fmt.Sprintf("feature %s: index %s is not a positive integer", textnum.Quote(f), textnum.Quote(f[:c]))
	}
	if idx > MaxLIBSVMIndex {
		return fmt.Sprintf("feature %s: index %d is larger than %d, the largest this reader takes (samples are held dense: each would take %d MiB)", textnum.Quote(f), idx, MaxLIBSVMIndex, idx*4>>20)
	}
	if int(idx) <= prev {
		return fmt.Sprintf("feature %s: index %d follows %d; indices must be strictly ascending", textnum.Quote(f), idx, prev)
	}
	v, ok := textnum.ParseFloat32(f[c+1:])
	if !ok || math.IsInf(float64(v), 0) || math.IsNaN(float64(v)) {
		if len(f) == c+1 {
			return fmt.Sprintf("feature %s: no value after ':'", textnum.Quote(f))
		}
		why := textnum.StrtodRefusal(f[c+1:], "is not a finite float32 number")
		return fmt.Sprintf("feature %s: value %s %s", textnum.Quote(f), textnum.Quote(f[c+1:]), why)
	}
	s.idx = append(s.idx, int32(idx))
	s.val = append(s.val, v)
	return ""
}

// parseLabel parses an integer class label; "1", "+1", "-1" and "2.0"
// are accepted, "1.5" and "abc" are not.
func parseLabel(f []byte) (int, string) {
	if v, ok := textnum.ParseInt(f); ok && v >= math.MinInt32 && v <= math.MaxInt32 {
		return int(v), ""
	}
	v, ok := textnum.ParseFloat64(f)
	if !ok || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Sprintf("label %s %s", textnum.Quote(f), textnum.StrtodRefusal(f, "is not a number"))
	}
	if v != math.Trunc(v) || math.Abs(v) > math.MaxInt32 {
		return 0, fmt.Sprintf("label %s is not an integer within ±2147483647 (classification needs integer class labels)", textnum.Quote(f))
	}
	return int(v), ""
}

// dense expands s into a len(labels)×cols matrix, its parts on all cores;
// features beyond cols are left out.
func (s *sparseRows) dense(name string, cols int) (*matrix.Matrix, error) {
	n := len(s.labels)
	if int64(n)*int64(cols) > maxDense {
		msg := fmt.Sprintf("%d samples × %d features is too large to hold dense (at most %d values)", n, cols, maxDense)
		if cols == s.maxIdx {
			return nil, &ParseError{File: name, Line: s.maxAt, Msg: msg + fmt.Sprintf(": this line has index %d", cols)}
		}
		return nil, &ParseError{File: name, Msg: msg}
	}
	x := matrix.New(n, cols)
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	row := 0
	for _, p := range s.parts {
		base := row
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			for r := range p.rows {
				dst := x.Row(base + r)
				for k := p.start[r]; k < p.start[r+1]; k++ {
					if int(p.idx[k]) <= cols {
						dst[p.idx[k]-1] = p.val[k]
					}
				}
			}
		})
		row += p.rows
	}
	wg.Wait()
	return x, nil
}

// readSparse parses the LIBSVM file name and returns it with its checksum.
func readSparse(ctx context.Context, name string) (*sparseRows, FileSum, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, FileSum{}, fmt.Errorf("dataset: %w", err)
	}
	defer f.Close()
	// The checksum is computed beside the parsing (a 361 MB file takes
	// 0.25 s of SHA-256), not on the goroutine that reads.
	h := sha256.New()
	cr := &countingReader{r: f}
	s, err := parseLIBSVM(ctx, name, cr, h)
	if err != nil {
		return nil, FileSum{}, err
	}
	if len(s.labels) == 0 {
		return nil, FileSum{}, &ParseError{File: name, Msg: "no samples (want lines of `label index:value ...`)"}
	}
	return s, FileSum{Name: name, Bytes: cr.n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}

// ReadLIBSVMFile reads a LIBSVM/svmlight text file: one sample a line,
// `label index:value ...`, integer labels, 1-based strictly ascending
// indices (sparse or dense), an optional trailing `# comment`; blank lines
// and lines holding only a comment are skipped. x has one row per sample
// and as many columns as the largest index; absent features are 0. Any
// other deviation is a *ParseError naming the file and line. When ctx is
// done reading stops (checked once per 4 MiB chunk) and ctx.Err() is
// returned.
func ReadLIBSVMFile(ctx context.Context, path string) (x *matrix.Matrix, y []int, err error) {
	s, _, err := readSparse(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	x, err = s.dense(path, s.maxIdx)
	if err != nil {
		return nil, nil, err
	}
	return x, s.labels, nil
}

// LoadLIBSVM reads a training and a test file in LIBSVM text format into a
// data set; either name may be "" (not both), leaving that split empty
// (0 samples): `bench train -data libsvm:FILE` reads FILE as training data,
// `bench predict` reads only the file it predicts.
//
// Labels are kept as the files write them (1, 2, 3 or -1, +1 or 2, 7, 9);
// Classes lists every label of either file in ascending order, named by
// its decimal text. The feature dimension is the training file's width
// (the largest index in it, LIBSVM's num_features, which -gamma 0 uses),
// or the test file's when there is no training file. A test file with
// fewer features is padded with zeros; one whose samples have a non-zero
// value beyond the training width is an error (a model trained on the
// narrower data could not use it), zeros there are dropped. When ctx is
// done reading stops (checked once per 4 MiB chunk) and ctx.Err() is
// returned.
func LoadLIBSVM(ctx context.Context, train, test string) (*Dataset, error) {
	if train == "" && test == "" {
		return nil, errors.New("dataset: LoadLIBSVM: no file named")
	}
	d := &Dataset{}
	var tr, te *sparseRows
	var names []string
	for _, f := range []struct {
		name string
		dst  **sparseRows
	}{{train, &tr}, {test, &te}} {
		if f.name == "" {
			continue
		}
		s, sum, err := readSparse(ctx, f.name)
		if err != nil {
			return nil, err
		}
		*f.dst = s
		d.Files = append(d.Files, sum)
		names = append(names, absPath(f.name))
	}
	d.Source = "libsvm " + strings.Join(names, ",")
	cols := 0
	if tr != nil {
		cols = tr.maxIdx
	} else {
		cols = te.maxIdx
	}
	labels := map[int]bool{}
	var err error
	if tr != nil {
		if d.Train.X, err = tr.dense(train, cols); err != nil {
			return nil, err
		}
		d.Train.Y, d.Train.Lines = tr.labels, tr.lines
		for _, l := range tr.labels {
			labels[l] = true
		}
	} else {
		d.Train.X = matrix.New(0, cols)
	}
	if te != nil {
		if te.maxIdx > cols {
			if err := te.checkZeroBeyond(test, cols, train); err != nil {
				return nil, err
			}
		}
		if d.Test.X, err = te.dense(test, cols); err != nil {
			return nil, err
		}
		d.Test.Y, d.Test.Lines = te.labels, te.lines
		for _, l := range te.labels {
			labels[l] = true
		}
	} else {
		d.Test.X = matrix.New(0, cols)
	}
	for _, l := range slices.Sorted(maps.Keys(labels)) {
		d.Classes = append(d.Classes, Class{Label: l, Name: strconv.Itoa(l)})
	}
	return d, nil
}

// checkZeroBeyond requires every value at an index beyond cols to be zero,
// and drops those entries (dense ignores them).
func (s *sparseRows) checkZeroBeyond(name string, cols int, train string) error {
	var err error
	s.each(func(i int, idx []int32, val []float32) {
		for k := range idx {
			if int(idx[k]) > cols && val[k] != 0 && err == nil {
				err = &ParseError{File: name, Line: s.lines[i], Msg: fmt.Sprintf("sample %d has %d:%g, beyond the %d features of the training file %s (a model of the training data cannot use it; LIBSVM's sparse convention allows only zeros there)",
					i+1, idx[k], val[k], cols, train)}
			}
		}
	})
	return err
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// WriteLIBSVM writes x and y as LIBSVM text: `label index:value ...`, one
// sample a line, 1-based indices, only the non-zero values, each as the
// shortest decimal that reads back to the same float32 (the text model
// files use, textnum.Float32Text: 0.1, not %.9g's 0.100000001). svm-train,
// which reads doubles, sees a value within half a float32 step of ours,
// the same once rounded to float32. Values must be finite.
func WriteLIBSVM(w io.Writer, x *matrix.Matrix, y []int) error {
	if x.Rows != len(y) {
		return fmt.Errorf("dataset: WriteLIBSVM: %d rows but %d labels", x.Rows, len(y))
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	var buf []byte
	ft := new(textnum.Float32Text)
	for i := 0; i < x.Rows; i++ {
		buf = strconv.AppendInt(buf[:0], int64(y[i]), 10)
		for j, v := range x.Row(i) {
			if v == 0 {
				continue
			}
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return fmt.Errorf("dataset: WriteLIBSVM: row %d, column %d is %v; LIBSVM values must be finite", i+1, j+1, v)
			}
			buf = append(buf, ' ')
			buf = strconv.AppendInt(buf, int64(j+1), 10)
			buf = append(buf, ':')
			buf = ft.Append(buf, v)
		}
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return fmt.Errorf("dataset: WriteLIBSVM: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("dataset: WriteLIBSVM: %w", err)
	}
	return nil
}

// WriteLIBSVMFile writes x and y to path with WriteLIBSVM, through a
// temporary file in the same folder that is renamed into place only when
// complete: path is never left half-written.
func WriteLIBSVMFile(path string, x *matrix.Matrix, y []int) error {
	var werr error // WriteLIBSVM's own error, already prefixed
	err := atomicfile.Write(path, func(w io.Writer) error {
		werr = WriteLIBSVM(w, x, y)
		return werr
	})
	if err != nil && err != werr {
		return fmt.Errorf("dataset: writing %s: %w", path, err)
	}
	return err
}
