package svm

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/svmbench/svmbench/internal/atomicfile"
	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/matrix"
)

// Meta is what a model file records beyond the model itself, for the tools
// that use it again (bench predict must apply the same features). It is
// stored in MODEL.json.
type Meta struct {
	// Features names the feature extractor ("pixels", "hog", ...).
	Features string `json:"features,omitempty"`
	// Scaling describes the scaling applied to the features, if any.
	Scaling string `json:"scaling,omitempty"`
	// Manifest is the training manifest (bench.Manifest), kept verbatim.
	Manifest json.RawMessage `json:"manifest,omitempty"`
}

// modelJSON is MODEL.json. When LIBSVMFile is set, the model is in that
// LIBSVM file (same folder) and this file adds what LIBSVM cannot hold;
// otherwise (one-vs-rest, a user kernel) the whole model is here.
type modelJSON struct {
	Format       string      `json:"format"` // "svmbench-svm 1"
	LIBSVMFile   string      `json:"libsvm_file,omitempty"`
	LIBSVMSHA256 string      `json:"libsvm_sha256,omitempty"`
	Kernel       *kernelJSON `json:"kernel,omitempty"`
	C            float64     `json:"C,omitempty"`
	OneVsRest    bool        `json:"one_vs_rest,omitempty"`
	Gram         bool        `json:"gram,omitempty"`
	Meta         Meta        `json:"meta"`
	Pairs        []PairStats `json:"pairs,omitempty"`
	Warnings     []string    `json:"warnings,omitempty"`
	Capped       bool        `json:"capped,omitempty"`

	// The whole model, when there is no LIBSVM file.
	Labels   []int       `json:"labels,omitempty"`
	NSVClass []int       `json:"nr_sv,omitempty"`
	SVIndex  []int       `json:"sv_index,omitempty"`
	Coef     [][]float64 `json:"sv_coef,omitempty"`
	Rho      []float64   `json:"rho,omitempty"`
	SV       [][]float32 `json:"sv,omitempty"`
}

type kernelJSON struct {
	Name   string  `json:"name"`
	Alpha  float64 `json:"alpha,omitempty"`
	Gamma  float64 `json:"gamma,omitempty"`
	Coef0  float64 `json:"coef0,omitempty"`
	Degree int     `json:"degree,omitempty"`
	// Builtin is false for a user kernel, which Load cannot rebuild.
	Builtin bool `json:"builtin"`
}

const jsonFormat = "svmbench-svm 1"

func toKernelJSON(k kernels.Kernel) *kernelJSON {
	switch k := k.(type) {
	case nil:
		return nil
	case kernels.Sigmoid:
		return &kernelJSON{Name: "sigmoid", Alpha: k.Alpha, Coef0: k.Coef0, Builtin: true}
	case kernels.RBF:
		return &kernelJSON{Name: "rbf", Gamma: k.Gamma, Builtin: true}
	case kernels.Linear:
		return &kernelJSON{Name: "linear", Builtin: true}
	case kernels.Poly:
		return &kernelJSON{Name: "poly", Gamma: k.Gamma, Coef0: k.Coef0, Degree: k.Degree, Builtin: true}
	default:
		return &kernelJSON{Name: k.Name()}
	}
}

func (kj *kernelJSON) kernel() kernels.Kernel {
	if kj == nil || !kj.Builtin {
		return nil
	}
	switch kj.Name {
	case "sigmoid":
		return kernels.Sigmoid{Alpha: kj.Alpha, Coef0: kj.Coef0}
	case "rbf":
		return kernels.RBF{Gamma: kj.Gamma}
	case "linear":
		return kernels.Linear{}
	case "poly":
		return kernels.Poly{Gamma: kj.Gamma, Coef0: kj.Coef0, Degree: kj.Degree}
	}
	return nil
}

// libsvmExpressible reports whether LIBSVM's format holds the model.
func (m *Model) libsvmExpressible() bool {
	if m.OneVsRest {
		return false
	}
	if m.Gram {
		return true // kernel_type precomputed, SVs as training row numbers
	}
	kj := toKernelJSON(m.Kernel)
	return kj != nil && kj.Builtin && m.SV != nil
}

// Save writes the model. When LIBSVM's format can hold it, path is a LIBSVM
// model file (svm-predict reads it; coefficients and rho with %.17g,
// features as the exact decimal of each float32 value) and path+".json" records what LIBSVM
// cannot (parameters, feature set, pair statistics, manifest). A
// one-vs-rest model or one with a user kernel is written to path+".json"
// alone. Each file is written to a temporary file in the same folder and
// renamed, so a file is never half-written.
func (m *Model) Save(path string) error {
	mj := modelJSON{Format: jsonFormat, Kernel: toKernelJSON(m.Kernel), C: m.C, OneVsRest: m.OneVsRest,
		Gram: m.Gram, Meta: m.Meta, Pairs: m.Pairs, Warnings: m.warnings, Capped: m.capped}
	if m.libsvmExpressible() {
		// Streamed to the file, hashed on the way: a model of tens of
		// thousands of 3072-dimensional support vectors is gigabytes of text.
		h := sha256.New()
		if err := writeAtomicFunc(path, func(w io.Writer) error {
			return m.writeLIBSVM(io.MultiWriter(w, h))
		}); err != nil {
			return err
		}
		sum := h.Sum(nil)
		mj.LIBSVMFile = filepath.Base(path)
		mj.LIBSVMSHA256 = hex.EncodeToString(sum[:])
	} else {
		mj.Labels, mj.NSVClass, mj.SVIndex, mj.Coef, mj.Rho = m.Labels, m.NSVClass, m.SVIndex, m.Coef, m.Rho
		if m.SV != nil {
			for i := range m.SV.Rows {
				mj.SV = append(mj.SV, m.SV.Row(i))
			}
		}
	}
	b, err := json.MarshalIndent(&mj, "", "  ")
	if err != nil {
		return fmt.Errorf("svm: encoding %s.json: %w", path, err)
	}
	return writeAtomic(path+".json", append(b, '\n'))
}

func writeAtomic(path string, data []byte) error {
	return writeAtomicFunc(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writeAtomicFunc writes path through a temporary file (atomicfile.Write).
func writeAtomicFunc(path string, write func(w io.Writer) error) error {
	if err := atomicfile.Write(path, write); err != nil {
		return fmt.Errorf("svm: saving model %s: %w", path, err)
	}
	return nil
}

func fmtG(b []byte, v float64) []byte { return strconv.AppendFloat(b, v, 'g', 17, 64) }

func (m *Model) writeLIBSVM(w io.Writer) error {
	var b []byte
	b = append(b, "svm_type c_svc\n"...)
	if m.Gram {
		b = append(b, "kernel_type precomputed\n"...)
	} else {
		switch k := m.Kernel.(type) {
		case kernels.Linear:
			b = append(b, "kernel_type linear\n"...)
		case kernels.Poly:
			b = append(b, "kernel_type polynomial\ndegree "...)
			b = strconv.AppendInt(b, int64(k.Degree), 10)
			b = append(b, "\ngamma "...)
			b = fmtG(b, k.Gamma)
			b = append(b, "\ncoef0 "...)
			b = fmtG(b, k.Coef0)
			b = append(b, '\n')
		case kernels.RBF:
			b = append(b, "kernel_type rbf\ngamma "...)
			b = fmtG(b, k.Gamma)
			b = append(b, '\n')
		case kernels.Sigmoid:
			b = append(b, "kernel_type sigmoid\ngamma "...)
			b = fmtG(b, k.Alpha)
			b = append(b, "\ncoef0 "...)
			b = fmtG(b, k.Coef0)
			b = append(b, '\n')
		default:
			return fmt.Errorf("svm: kernel %s cannot be written in LIBSVM's format", m.Kernel.Name())
		}
	}
	b = fmt.Appendf(b, "nr_class %d\ntotal_sv %d\n", len(m.Labels), m.NSV())
	if len(m.Labels) > 1 {
		b = append(b, "rho"...)
		for _, r := range m.Rho {
			b = append(b, ' ')
			b = fmtG(b, r)
		}
		b = append(b, '\n')
	}
	b = append(b, "label"...)
	for _, l := range m.Labels {
		b = fmt.Appendf(b, " %d", l)
	}
	b = append(b, "\nnr_sv"...)
	for _, n := range m.NSVClass {
		b = fmt.Appendf(b, " %d", n)
	}
	b = append(b, "\nSV\n"...)
	if _, err := w.Write(b); err != nil {
		return err
	}
	for v := range m.NSV() {
		b = b[:0]
		for r := range m.Coef {
			b = fmtG(b, m.Coef[r][v])
			b = append(b, ' ')
		}
		if m.Gram {
			b = fmt.Appendf(b, "0:%d ", m.SVIndex[v]+1)
		} else {
			for f, x := range m.SV.Row(v) {
				if x == 0 {
					continue
				}
				b = strconv.AppendInt(b, int64(f+1), 10)
				b = append(b, ':')
				b = strconv.AppendFloat(b, float64(x), 'g', -1, 64)
				b = append(b, ' ')
			}
		}
		b = append(b, '\n')
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// Load reads a model written by Save or by LIBSVM's svm-train. path is the
// LIBSVM model file (path+".json" is read too when present and matches
// it), or a MODEL.json written alone.
func Load(path string) (*Model, error) {
	jsonPath := path + ".json"
	if strings.HasSuffix(path, ".json") {
		jsonPath = path
	}
	var mj *modelJSON
	if b, err := os.ReadFile(jsonPath); err == nil {
		mj = new(modelJSON)
		if err := json.Unmarshal(b, mj); err != nil {
			return nil, &ParseError{File: jsonPath, Msg: "not a model JSON file: " + err.Error()}
		}
		if mj.Format != jsonFormat {
			return nil, &ParseError{File: jsonPath, Msg: fmt.Sprintf("format %q: want %q", mj.Format, jsonFormat)}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("svm: %w", err)
	}
	if mj != nil && mj.LIBSVMFile == "" {
		return mj.model(jsonPath)
	}
	lpath := path
	if jsonPath == path {
		lpath = filepath.Join(filepath.Dir(path), mj.LIBSVMFile)
	}
	data, err := os.ReadFile(lpath)
	if err != nil {
		return nil, fmt.Errorf("svm: %w", err)
	}
	m, err := parseLIBSVM(lpath, data)
	if err != nil {
		return nil, err
	}
	if mj != nil {
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) == mj.LIBSVMSHA256 {
			m.C, m.Meta, m.Pairs, m.warnings, m.capped = mj.C, mj.Meta, mj.Pairs, mj.Warnings, mj.Capped
			if m.Gram && m.Kernel == nil {
				m.Kernel = mj.Kernel.kernel()
			}
		}
	}
	return m, nil
}

func (mj *modelJSON) model(file string) (*Model, error) {
	m := &Model{Kernel: mj.Kernel.kernel(), C: mj.C, Labels: mj.Labels, OneVsRest: mj.OneVsRest,
		SVIndex: mj.SVIndex, NSVClass: mj.NSVClass, Coef: mj.Coef, Rho: mj.Rho, Pairs: mj.Pairs,
		Gram: mj.Gram, Meta: mj.Meta, capped: mj.Capped, warnings: mj.Warnings}
	nsv := len(m.SVIndex)
	if len(mj.SV) > 0 {
		if len(mj.SV) != nsv {
			return nil, &ParseError{File: file, Msg: fmt.Sprintf("%d support vectors for %d indices", len(mj.SV), nsv)}
		}
		d := len(mj.SV[0])
		m.SV = matrix.New(nsv, d)
		for i, r := range mj.SV {
			if len(r) != d {
				return nil, &ParseError{File: file, Msg: fmt.Sprintf("support vector %d has %d features, want %d", i, len(r), d)}
			}
			copy(m.SV.Row(i), r)
		}
	}
	want := len(m.Labels) * (len(m.Labels) - 1) / 2
	rows := len(m.Labels) - 1
	if m.OneVsRest {
		want, rows = len(m.Labels), len(m.Labels)
	}
	if len(m.Rho) != want || len(m.Coef) != rows {
		return nil, &ParseError{File: file, Msg: fmt.Sprintf("%d rho and %d coefficient rows for %d classes", len(m.Rho), len(m.Coef), len(m.Labels))}
	}
	for _, c := range m.Coef {
		if len(c) != nsv {
			return nil, &ParseError{File: file, Msg: "coefficient row length differs from the number of support vectors"}
		}
	}
	if mj.Kernel != nil && !mj.Kernel.Builtin {
		m.warnings = append(m.warnings, fmt.Sprintf("user kernel %q cannot be rebuilt by Load: set Model.Kernel", mj.Kernel.Name))
	}
	return m, nil
}

// parseLIBSVM reads LIBSVM's model format.
func parseLIBSVM(file string, data []byte) (*Model, error) {
	m := &Model{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	line := 0
	perr := func(format string, a ...any) error {
		return &ParseError{File: file, Line: line, Msg: fmt.Sprintf(format, a...)}
	}
	kind := ""
	var gamma, coef0 float64
	degree := 3
	nrClass, totalSV := -1, -1
	sawSV := false
	for sc.Scan() {
		line++
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		key, vals := f[0], f[1:]
		one := func() (string, error) {
			if len(vals) != 1 {
				return "", perr("%s: want one value, got %d", key, len(vals))
			}
			return vals[0], nil
		}
		num := func() (float64, error) {
			s, err := one()
			if err != nil {
				return 0, err
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return 0, perr("%s: %q is not a number", key, s)
			}
			return v, nil
		}
		ints := func() ([]int, error) {
			out := make([]int, len(vals))
			for i, s := range vals {
				v, err := strconv.Atoi(s)
				if err != nil {
					return nil, perr("%s: %q is not an integer", key, s)
				}
				out[i] = v
			}
			return out, nil
		}
		var err error
		switch key {
		case "svm_type":
			var s string
			if s, err = one(); err == nil && s != "c_svc" {
				err = perr("svm_type %s: only c_svc is supported", s)
			}
		case "kernel_type":
			kind, err = one()
		case "degree":
			var v float64
			v, err = num()
			degree = int(v)
		case "gamma":
			gamma, err = num()
		case "coef0":
			coef0, err = num()
		case "nr_class":
			var v float64
			v, err = num()
			nrClass = int(v)
		case "total_sv":
			var v float64
			v, err = num()
			totalSV = int(v)
		case "rho":
			for _, s := range vals {
				v, e := strconv.ParseFloat(s, 64)
				if e != nil {
					err = perr("rho: %q is not a number", s)
					break
				}
				m.Rho = append(m.Rho, v)
			}
		case "label":
			m.Labels, err = ints()
		case "nr_sv":
			m.NSVClass, err = ints()
		case "probA", "probB":
			// probability models: the decision values do not need them
		case "SV":
			sawSV = true
		default:
			err = perr("unknown header key %q", key)
		}
		if err != nil {
			return nil, err
		}
		if sawSV {
			break
		}
	}
	if !sawSV {
		return nil, &ParseError{File: file, Line: line, Msg: "no SV section"}
	}
	if nrClass < 1 || totalSV < 0 || len(m.Labels) != nrClass {
		return nil, &ParseError{File: file, Msg: fmt.Sprintf("nr_class %d, total_sv %d and %d labels do not agree", nrClass, totalSV, len(m.Labels))}
	}
	if len(m.NSVClass) != nrClass && !(nrClass == 1 && len(m.NSVClass) == 0) {
		return nil, &ParseError{File: file, Msg: fmt.Sprintf("nr_sv has %d counts for %d classes", len(m.NSVClass), nrClass)}
	}
	if len(m.Rho) != nrClass*(nrClass-1)/2 {
		return nil, &ParseError{File: file, Msg: fmt.Sprintf("rho has %d values, want %d", len(m.Rho), nrClass*(nrClass-1)/2)}
	}
	switch kind {
	case "linear":
		m.Kernel = kernels.Linear{}
	case "polynomial":
		m.Kernel = kernels.Poly{Gamma: gamma, Coef0: coef0, Degree: degree}
	case "rbf":
		m.Kernel = kernels.RBF{Gamma: gamma}
	case "sigmoid":
		m.Kernel = kernels.Sigmoid{Alpha: gamma, Coef0: coef0}
	case "precomputed":
		m.Gram = true
	default:
		return nil, &ParseError{File: file, Msg: fmt.Sprintf("kernel_type %q: want linear, polynomial, rbf, sigmoid or precomputed", kind)}
	}
	nrow := nrClass - 1
	m.Coef = make([][]float64, nrow)
	for r := range m.Coef {
		m.Coef[r] = make([]float64, 0, totalSV)
	}
	// Sparse rows in flat slices (8 bytes a value), made dense at the end.
	var (
		fidx  []int32
		fval  []float32
		start = []int{0}
	)
	dim := 0
	for sc.Scan() {
		line++
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if len(f) < nrow {
			return nil, perr("want %d coefficients, got %d fields", nrow, len(f))
		}
		for r := range nrow {
			v, err := strconv.ParseFloat(f[r], 64)
			if err != nil {
				return nil, perr("coefficient %q is not a number", f[r])
			}
			m.Coef[r] = append(m.Coef[r], v)
		}
		for _, s := range f[nrow:] {
			is, vs, ok := strings.Cut(s, ":")
			i, err1 := strconv.Atoi(is)
			v, err2 := strconv.ParseFloat(vs, 64)
			if !ok || err1 != nil || err2 != nil {
				return nil, perr("feature %q: want INDEX:VALUE", s)
			}
			if m.Gram {
				if i != 0 || v < 1 || v != float64(int(v)) {
					return nil, perr("precomputed support vector %q: want 0:ROW with ROW ≥ 1", s)
				}
				m.SVIndex = append(m.SVIndex, int(v)-1)
				continue
			}
			if i < 1 {
				return nil, perr("feature index %d: want ≥ 1", i)
			}
			if i > 1<<24 {
				return nil, perr("feature index %d: want ≤ %d", i, 1<<24)
			}
			fidx = append(fidx, int32(i-1))
			fval = append(fval, float32(v))
			dim = max(dim, i)
		}
		if !m.Gram {
			start = append(start, len(fidx))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &ParseError{File: file, Line: line, Msg: err.Error()}
	}
	n := len(m.SVIndex)
	if !m.Gram {
		n = len(start) - 1
		m.SV = matrix.New(n, dim)
		m.SVIndex = make([]int, n)
		for v := range n {
			m.SVIndex[v] = -1
			row := m.SV.Row(v)
			for k := start[v]; k < start[v+1]; k++ {
				row[fidx[k]] = fval[k]
			}
		}
	}
	if n != totalSV {
		return nil, &ParseError{File: file, Msg: fmt.Sprintf("total_sv %d but %d support vectors", totalSV, n)}
	}
	sum := 0
	for _, c := range m.NSVClass {
		sum += c
	}
	if sum != totalSV {
		return nil, &ParseError{File: file, Msg: fmt.Sprintf("nr_sv sums to %d, total_sv is %d", sum, totalSV)}
	}
	return m, nil
}
