package dataset

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/svmbench/svmbench/internal/atomicfile"
	"github.com/svmbench/svmbench/matrix"
)

// MaxLIBSVMIndex is the largest feature index the LIBSVM reader accepts.
// Samples are stored dense, so a larger index could not be held anyway.
const MaxLIBSVMIndex = 1 << 24

// maxDense is the largest matrix (elements, 4 GB of float32) a LIBSVM file
// is expanded to: past it, an error rather than running out of memory.
var maxDense = int64(1) << 30

// sparseRows is a parsed LIBSVM file before it is made dense.
type sparseRows struct {
	labels []int
	start  []int // row i has features start[i]:start[i+1] of idx, val
	idx    []int32
	val    []float32
	maxIdx int // largest index seen (the dimension), 0 for none
}

// parseLIBSVM parses LIBSVM text from r; name is used in errors.
//
// A line is `label idx:val idx:val ...` with an integer label, 1-based
// strictly ascending indices and finite values, separated by spaces or
// tabs; anything from '#' to the end of the line is a comment; blank and
// comment-only lines are skipped.
func parseLIBSVM(name string, r io.Reader) (*sparseRows, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	s := &sparseRows{start: []int{0}}
	var long []byte // a line longer than br's buffer
	for line := 1; ; line++ {
		b, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			long = append(long[:0], b...)
			for err == bufio.ErrBufferFull {
				b, err = br.ReadSlice('\n')
				long = append(long, b...)
			}
			b = long
		}
		if err != nil && err != io.EOF {
			return nil, &ParseError{File: name, Line: line, Msg: err.Error()}
		}
		if len(b) > 0 {
			if perr := s.parseLine(b); perr != "" {
				return nil, &ParseError{File: name, Line: line, Msg: perr}
			}
		}
		if err == io.EOF {
			break
		}
	}
	return s, nil
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// nextField returns the next field of b from i and the position after it.
func nextField(b []byte, i int) (field []byte, next int) {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	j := i
	for j < len(b) && !isSpace(b[j]) {
		j++
	}
	return b[i:j], j
}

// parseLine adds the sample of one line; it returns "" or what was wrong.
func (s *sparseRows) parseLine(b []byte) string {
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
	prev := 0
	n0 := len(s.idx)
	for {
		f, i = nextField(b, i)
		if len(f) == 0 {
			break
		}
		c := bytes.IndexByte(f, ':')
		if c < 0 {
			s.idx, s.val = s.idx[:n0], s.val[:n0]
			return fmt.Sprintf("feature %q: want index:value", f)
		}
		idx, err := strconv.ParseInt(string(f[:c]), 10, 64)
		if err != nil || idx < 1 {
			s.idx, s.val = s.idx[:n0], s.val[:n0]
			return fmt.Sprintf("feature %q: index %q is not a positive integer", f, f[:c])
		}
		if idx > MaxLIBSVMIndex {
			s.idx, s.val = s.idx[:n0], s.val[:n0]
			return fmt.Sprintf("feature %q: index %d is larger than %d", f, idx, MaxLIBSVMIndex)
		}
		if int(idx) <= prev {
			s.idx, s.val = s.idx[:n0], s.val[:n0]
			return fmt.Sprintf("feature %q: index %d follows %d; indices must be strictly ascending", f, idx, prev)
		}
		v, err := strconv.ParseFloat(string(f[c+1:]), 32)
		if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
			s.idx, s.val = s.idx[:n0], s.val[:n0]
			if len(f) == c+1 {
				return fmt.Sprintf("feature %q: no value after ':'", f)
			}
			return fmt.Sprintf("feature %q: value %q is not a finite float32 number", f, f[c+1:])
		}
		prev = int(idx)
		s.idx = append(s.idx, int32(idx))
		s.val = append(s.val, float32(v))
	}
	s.maxIdx = max(s.maxIdx, prev)
	s.labels = append(s.labels, label)
	s.start = append(s.start, len(s.idx))
	return ""
}

// parseLabel parses an integer class label; "1", "+1", "-1" and "2.0"
// are accepted, "1.5" and "abc" are not.
func parseLabel(f []byte) (int, string) {
	if v, err := strconv.ParseInt(string(f), 10, 32); err == nil {
		return int(v), ""
	}
	v, err := strconv.ParseFloat(string(f), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Sprintf("label %q is not a number", f)
	}
	if v != math.Trunc(v) || math.Abs(v) > math.MaxInt32 {
		return 0, fmt.Sprintf("label %q is not an integer within ±2147483647 (classification needs integer class labels)", f)
	}
	return int(v), ""
}

// dense expands s into a len(labels)×cols matrix (cols ≥ s.maxIdx).
func (s *sparseRows) dense(name string, cols int) (*matrix.Matrix, error) {
	n := len(s.labels)
	if int64(n)*int64(cols) > maxDense {
		return nil, fmt.Errorf("dataset: %s: %d samples × %d features is too large to hold dense (at most %d values)", name, n, cols, maxDense)
	}
	x := matrix.New(n, cols)
	for i := 0; i < n; i++ {
		row := x.Row(i)
		for k := s.start[i]; k < s.start[i+1]; k++ {
			row[s.idx[k]-1] = s.val[k]
		}
	}
	return x, nil
}

// readSparse parses the LIBSVM file name and returns it with its checksum.
func readSparse(name string) (*sparseRows, FileSum, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, FileSum{}, fmt.Errorf("dataset: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	cr := &countingReader{r: io.TeeReader(f, h)}
	s, err := parseLIBSVM(name, cr)
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
// other deviation is a *ParseError naming the file and line.
func ReadLIBSVMFile(path string) (x *matrix.Matrix, y []int, err error) {
	s, _, err := readSparse(path)
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
// data set. The feature dimension is the largest index in either file.
// Labels are renumbered 0..K-1 in ascending order of the labels of the
// files (over both), and Classes[i].Name is the label as written, so that
// "-1"/"+1" files and "1".."10" files work alike.
func LoadLIBSVM(train, test string) (*Dataset, error) {
	tr, trSum, err := readSparse(train)
	if err != nil {
		return nil, err
	}
	te, teSum, err := readSparse(test)
	if err != nil {
		return nil, err
	}
	cols := max(tr.maxIdx, te.maxIdx)
	d := &Dataset{Source: fmt.Sprintf("libsvm %s,%s", absPath(train), absPath(test)), Files: []FileSum{trSum, teSum}}
	if d.Train.X, err = tr.dense(train, cols); err != nil {
		return nil, err
	}
	if d.Test.X, err = te.dense(test, cols); err != nil {
		return nil, err
	}
	labels := slices.Concat(tr.labels, te.labels)
	slices.Sort(labels)
	labels = slices.Compact(labels)
	index := make(map[int]int, len(labels))
	for i, l := range labels {
		index[l] = i
		d.Classes = append(d.Classes, Class{Label: i, Name: strconv.Itoa(l)})
	}
	d.Train.Y = make([]int, len(tr.labels))
	for i, l := range tr.labels {
		d.Train.Y[i] = index[l]
	}
	d.Test.Y = make([]int, len(te.labels))
	for i, l := range te.labels {
		d.Test.Y[i] = index[l]
	}
	return d, nil
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// WriteLIBSVM writes x and y as LIBSVM text: `label index:value ...`, one
// sample a line, 1-based indices, only the non-zero values, each printed
// with %.9g so that the float32 value reads back exactly (and svm-train,
// which reads doubles, sees the float32 value to 9 digits). Values must be
// finite.
func WriteLIBSVM(w io.Writer, x *matrix.Matrix, y []int) error {
	if x.Rows != len(y) {
		return fmt.Errorf("dataset: WriteLIBSVM: %d rows but %d labels", x.Rows, len(y))
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	var buf []byte
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
			buf = strconv.AppendFloat(buf, float64(v), 'g', 9, 64)
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
