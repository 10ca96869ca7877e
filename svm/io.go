package svm

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/svmbench/svmbench/internal/atomicfile"
	"github.com/svmbench/svmbench/internal/textnum"
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
	// Fitted holds the fitted parameters of the feature extractor
	// (features.Standard's mean and std, as JSON), so that prediction
	// applies them without reading the training data.
	Fitted json.RawMessage `json:"fitted,omitempty"`
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
	Dim          int         `json:"dim,omitempty"`
	Pairs        []PairStats `json:"pairs,omitempty"`
	Warnings     []string    `json:"warnings,omitempty"`
	Capped       bool        `json:"capped,omitempty"`

	// The whole model, when there is no LIBSVM file.
	Labels   []int       `json:"labels,omitempty"`
	NSVClass []int       `json:"nr_sv,omitempty"`
	SVIndex  []int       `json:"sv_index,omitempty"`
	Coef     [][]float64 `json:"sv_coef,omitempty"`
	Rho      []float64   `json:"rho,omitempty"`
	ProbA    []float64   `json:"probA,omitempty"`
	ProbB    []float64   `json:"probB,omitempty"`
	SV       [][]float32 `json:"sv,omitempty"`
}

type kernelJSON struct {
	Name   string  `json:"name"`
	Alpha  float64 `json:"alpha,omitempty"`
	Gamma  float64 `json:"gamma,omitempty"`
	Coef0  float64 `json:"coef0,omitempty"`
	Degree int     `json:"degree,omitempty"`
	// Builtin is true for a kernel of the registry (kernels.Lookup), which
	// Load rebuilds from Name and the parameters; false for a user kernel
	// that was not registered, which Load cannot rebuild.
	Builtin bool `json:"builtin"`
}

const jsonFormat = "svmbench-svm 1"

func toKernelJSON(k kernels.Kernel) *kernelJSON {
	if k == nil {
		return nil
	}
	s, v, ok := kernels.Of(k)
	if !ok {
		return &kernelJSON{Name: k.Name()}
	}
	return &kernelJSON{Name: s.Name, Alpha: v.Alpha, Gamma: v.Gamma, Coef0: v.Coef0, Degree: v.Degree, Builtin: true}
}

func (kj *kernelJSON) kernel() kernels.Kernel {
	if kj == nil || !kj.Builtin {
		return nil
	}
	s, err := kernels.Lookup(kj.Name)
	if err != nil {
		return nil
	}
	return s.New(kernels.Values{Alpha: kj.Alpha, Gamma: kj.Gamma, Coef0: kj.Coef0, Degree: kj.Degree})
}

// libsvmExpressible reports whether LIBSVM's format holds the model.
func (m *Model) libsvmExpressible() bool {
	if m.OneVsRest {
		return false
	}
	if m.Gram {
		return true // kernel_type precomputed, SVs as training row numbers
	}
	s, _, ok := kernels.Of(m.Kernel)
	return ok && s.LIBSVMName != "" && m.SV != nil
}

// sidecarMark starts the line a LIBSVM model file ends with when the model
// cannot be used without its MODEL.json (svm-predict reads exactly
// total_sv lines after SV, so it ignores the line).
const sidecarMark = "#svmbench needs its sidecar"

// sidecarNeed says why the model cannot be used without MODEL.json (its
// features are not the raw values, or were scaled), or "".
func (m *Model) sidecarNeed() string {
	var why []string
	if f := m.Meta.Features; f != "" && f != "pixels" {
		why = append(why, "features "+f)
	}
	if m.Meta.Scaling != "" {
		why = append(why, "scaling")
	}
	return strings.Join(why, ", ")
}

// Save writes the model. When LIBSVM's format can hold it, path is a LIBSVM
// model file (svm-predict reads it; probA and probB when the model has a
// probability model) and path+".json" records what LIBSVM cannot
// (parameters, feature set, training width, pair statistics, manifest)
// with the SHA-256 of the model file. A one-vs-rest model or one with a
// user kernel is written to path+".json" alone. The files are written to
// temporary files and renamed into place only when both are complete, so
// a failure leaves neither (atomicfile.WriteAll). A model whose features
// need the sidecar (Meta.Features other than pixels, or Meta.Scaling) ends
// its LIBSVM file with a line Load checks for, so that a lost sidecar is
// an error and not a silent switch to raw features.
func (m *Model) Save(path string) error {
	mj := modelJSON{Format: jsonFormat, Kernel: toKernelJSON(m.Kernel), C: m.C, OneVsRest: m.OneVsRest,
		Gram: m.Gram, Meta: m.Meta, Dim: m.Dim, Pairs: m.Pairs, Warnings: m.warnings, Capped: m.capped}
	writeJSON := mj.write
	var err error
	if m.libsvmExpressible() {
		// Streamed to the file, hashed on the way: a model of tens of
		// thousands of 3072-dimensional support vectors is gigabytes of text.
		h := sha256.New()
		mj.LIBSVMFile = filepath.Base(path)
		err = atomicfile.WriteAll(
			atomicfile.File{Path: path, Write: func(w io.Writer) error {
				hw := hashWriter{w: w, h: h}
				if err := m.writeLIBSVM(hw); err != nil {
					return err
				}
				if need := m.sidecarNeed(); need != "" {
					_, err := fmt.Fprintf(hw, "%s %s (%s)\n", sidecarMark, filepath.Base(path)+".json", need)
					return err
				}
				return nil
			}},
			atomicfile.File{Path: path + ".json", Write: func(w io.Writer) error {
				mj.LIBSVMSHA256 = hex.EncodeToString(h.Sum(nil))
				return writeJSON(w)
			}})
	} else {
		mj.Labels, mj.NSVClass, mj.SVIndex, mj.Coef, mj.Rho = m.Labels, m.NSVClass, m.SVIndex, m.Coef, m.Rho
		mj.ProbA, mj.ProbB = m.ProbA, m.ProbB
		if m.SV != nil {
			for i := range m.SV.Rows {
				mj.SV = append(mj.SV, m.SV.Row(i))
			}
		}
		err = atomicfile.Write(path+".json", writeJSON)
	}
	if err != nil {
		return fmt.Errorf("svm: saving model %s: %w", path, err)
	}
	return nil
}

// hashWriter writes to w and adds what it writes to h. A large write is
// hashed on another goroutine while w writes it: hashing the model's text
// (SHA-256, about 1.5 GB/s with the CPU's SHA instructions) then no longer
// adds to the time of the one goroutine that writes the blocks in order.
type hashWriter struct {
	w io.Writer
	h hash.Hash
}

// hashAside is the size from which hashWriter hashes on another goroutine.
const hashAside = 64 << 10

func (hw hashWriter) Write(p []byte) (int, error) {
	if len(p) < hashAside {
		hw.h.Write(p)
		return hw.w.Write(p)
	}
	done := make(chan struct{})
	go func() {
		hw.h.Write(p)
		close(done)
	}()
	n, err := hw.w.Write(p)
	<-done
	return n, err
}

// write writes mj as indented JSON. The support vectors (one-vs-rest
// models) are encoded a row at a time, one row a line, and streamed:
// marshalled whole, 4000 rows of 3072 values took 700 MB of text in memory
// (indented, one value a line), several times the model.
func (mj *modelJSON) write(w io.Writer) error {
	sv := mj.SV
	mj.SV = nil
	defer func() { mj.SV = sv }()
	b, err := json.MarshalIndent(mj, "", "  ")
	if err != nil {
		return err
	}
	if len(sv) == 0 {
		_, err = w.Write(append(b, '\n'))
		return err
	}
	bw := bufio.NewWriter(w)
	bw.Write(bytes.TrimSuffix(b, []byte("\n}"))) // the object, still open
	bw.WriteString(",\n  \"sv\": [")
	for i, row := range sv {
		r, err := json.Marshal(row)
		if err != nil {
			return err
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		bw.Write(r)
	}
	bw.WriteString("\n  ]\n}\n")
	return bw.Flush()
}

// fmtG writes v in the shortest text that reads back as v (LIBSVM's
// %.17g, shorter).
func fmtG(b []byte, v float64) []byte { return textnum.AppendFloat64(b, v) }

func (m *Model) writeLIBSVM(w io.Writer) error {
	var b []byte
	b = append(b, "svm_type c_svc\n"...)
	if m.Gram {
		b = append(b, "kernel_type precomputed\n"...)
	} else {
		ks, v, ok := kernels.Of(m.Kernel)
		if !ok || ks.LIBSVMName == "" {
			return fmt.Errorf("svm: kernel %s cannot be written in LIBSVM's format", m.Kernel.Name())
		}
		var err error
		if b, err = ks.AppendLIBSVM(b, v); err != nil {
			return fmt.Errorf("svm: %w", err)
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
	b = append(b, '\n')
	if m.HasProbability() {
		for _, pr := range []struct {
			key string
			v   []float64
		}{{"probA", m.ProbA}, {"probB", m.ProbB}} {
			b = append(b, pr.key...)
			for _, v := range pr.v {
				b = append(b, ' ')
				b = fmtG(b, v)
			}
			b = append(b, '\n')
		}
	}
	b = append(b, "nr_sv"...)
	for _, n := range m.NSVClass {
		b = fmt.Appendf(b, " %d", n)
	}
	b = append(b, "\nSV\n"...)
	return m.writeSVs(w, b)
}

// Load reads a model written by Save or by LIBSVM's svm-train. path is the
// LIBSVM model file (path+".json" is read too when present), or a
// MODEL.json written alone. probA/probB are kept. The sidecar is checked
// against the model file's SHA-256: when they disagree, or the sidecar is
// missing or unreadable, and the model needs it (a Save of a model with
// features other than pixels or with scaling marks its file so), Load
// returns an error rather than a model that would read its inputs wrongly;
// a sidecar that does not match a model that does not need it is ignored
// with a warning (Model.Warnings).
func Load(path string) (*Model, error) { return LoadContext(context.Background(), path) }

// LoadContext is Load that stops reading the support vectors when ctx is
// done (checked once per 4 MiB of the file) and returns ctx's error: a
// model file can hold hundreds of megabytes.
func LoadContext(ctx context.Context, path string) (*Model, error) {
	jsonPath := path + ".json"
	if strings.HasSuffix(path, ".json") && !exists(jsonPath) && isJSONObject(path) {
		jsonPath = path // a sidecar, or a model saved as JSON alone
	}
	var mj *modelJSON
	b, jerr := os.ReadFile(jsonPath)
	if jerr == nil {
		mj = new(modelJSON)
		if err := json.Unmarshal(b, mj); err != nil {
			return nil, &ParseError{File: jsonPath, Msg: "not a model JSON file: " + err.Error()}
		}
		if mj.Format != jsonFormat {
			return nil, &ParseError{File: jsonPath, Msg: fmt.Sprintf("format %q: want %q", mj.Format, jsonFormat)}
		}
	} else if jsonPath == path || !errors.Is(jerr, fs.ErrNotExist) {
		return nil, fmt.Errorf("svm: model sidecar: %w", jerr)
	}
	if mj != nil && mj.LIBSVMFile == "" {
		return mj.model(jsonPath)
	}
	lpath := path
	if jsonPath == path {
		lpath = filepath.Join(filepath.Dir(path), mj.LIBSVMFile)
	}
	f, err := os.Open(lpath)
	if err != nil {
		return nil, fmt.Errorf("svm: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("svm: %w", err)
	}
	var r io.Reader = f
	size := st.Size()
	if !st.Mode().IsRegular() {
		// A pipe has no size to bound the header's counts by: read it
		// whole first (bench predict -model <(zcat m.gz)).
		b, err := io.ReadAll(f)
		if err != nil {
			return nil, fmt.Errorf("svm: %w", err)
		}
		r, size = bytes.NewReader(b), int64(len(b))
	}
	h := sha256.New()
	m, need, err := parseLIBSVM(ctx, lpath, r, size, h)
	if err != nil {
		return nil, err
	}
	if mj == nil {
		if need != "" {
			return nil, fmt.Errorf("svm: %s needs its sidecar %s (%s), which cannot be read: %v", lpath, jsonPath, need, jerr)
		}
		return m, nil
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != mj.LIBSVMSHA256 {
		why := need
		if why == "" {
			why = (&Model{Meta: mj.Meta}).sidecarNeed()
		}
		if why != "" {
			return nil, fmt.Errorf("svm: %s records SHA-256 %.12s… of %s, but the file's is %.12s…: the model was changed after training, and without a matching sidecar its inputs (%s) are unknown; retrain or restore the pair",
				jsonPath, mj.LIBSVMSHA256, lpath, got, why)
		}
		m.warnings = append(m.warnings, fmt.Sprintf("%s does not match %s (SHA-256 differs): ignored", jsonPath, lpath))
		return m, nil
	}
	if err := mj.checkDim(jsonPath); err != nil {
		return nil, err
	}
	m.C, m.Meta, m.Dim, m.Pairs, m.warnings, m.capped = mj.C, mj.Meta, mj.Dim, mj.Pairs, mj.Warnings, mj.Capped
	if m.Gram && m.Kernel == nil {
		m.Kernel = mj.Kernel.kernel()
	}
	return m, nil
}

// check checks what a model written as MODEL.json alone holds beside its
// arrays: the width, distinct labels and a valid kernel.
func (mj *modelJSON) check(file string) error {
	if err := mj.checkDim(file); err != nil {
		return err
	}
	if l, ok := repeated(mj.Labels); ok {
		return &ParseError{File: file, Msg: fmt.Sprintf("label %d appears twice", l)}
	}
	if k := mj.Kernel.kernel(); k != nil {
		var pe *kernels.ParamError
		if err := kernels.Validate(k); errors.As(err, &pe) {
			return &ParseError{File: file, Msg: fmt.Sprintf("kernel %s: %s %v: want %s", mj.Kernel.Name, strings.ToLower(pe.Field), pe.Value, pe.Want)}
		} else if err != nil {
			return &ParseError{File: file, Msg: fmt.Sprintf("kernel %s: %v", mj.Kernel.Name, err)}
		}
	}
	return nil
}

// checkDim requires the training width to be one a model file can have.
func (mj *modelJSON) checkDim(file string) error {
	if mj.Dim < 0 || mj.Dim > maxModelIndex {
		return &ParseError{File: file, Msg: fmt.Sprintf("dim %d: want a width from 0 (unknown) to %d", mj.Dim, maxModelIndex)}
	}
	return nil
}

// exists reports whether path names a file.
func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// isJSONObject reports whether the file path starts, after white space,
// with '{': a model's JSON and not LIBSVM's text (which a model saved as
// NAME.json is, beside its sidecar NAME.json.json).
func isJSONObject(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	b := make([]byte, 512)
	n, _ := f.Read(b)
	b = bytes.TrimLeft(b[:n], " \t\r\n")
	return len(b) > 0 && b[0] == '{'
}

func (mj *modelJSON) model(file string) (*Model, error) {
	if err := mj.check(file); err != nil {
		return nil, err
	}
	m := &Model{Kernel: mj.Kernel.kernel(), C: mj.C, Labels: mj.Labels, OneVsRest: mj.OneVsRest,
		SVIndex: mj.SVIndex, NSVClass: mj.NSVClass, Coef: mj.Coef, Rho: mj.Rho, Pairs: mj.Pairs,
		ProbA: mj.ProbA, ProbB: mj.ProbB, Dim: mj.Dim,
		Gram: mj.Gram, Meta: mj.Meta, capped: mj.Capped, warnings: mj.Warnings}
	nsv := len(m.SVIndex)
	if len(mj.SV) == 0 && nsv > 0 && !m.Gram {
		return nil, &ParseError{File: file, Msg: fmt.Sprintf("no sv (support vectors) for %d indices", nsv)}
	}
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
	if len(m.ProbA)+len(m.ProbB) > 0 && (m.OneVsRest || len(m.ProbA) != want || len(m.ProbB) != want) {
		return nil, &ParseError{File: file, Msg: fmt.Sprintf("probA and probB have %d and %d values, want %d each (one-vs-one only)", len(m.ProbA), len(m.ProbB), want)}
	}
	if sum := intSum(m.NSVClass); len(m.NSVClass) > 0 && (len(m.NSVClass) != len(m.Labels) || sum != nsv) {
		return nil, &ParseError{File: file, Msg: fmt.Sprintf("nr_sv %v: want %d counts adding up to the %d support vectors", m.NSVClass, len(m.Labels), nsv)}
	}
	if mj.Kernel != nil && !mj.Kernel.Builtin {
		m.warnings = append(m.warnings, fmt.Sprintf("user kernel %q cannot be rebuilt by Load: set Model.Kernel", mj.Kernel.Name))
	}
	return m, nil
}

// parseLIBSVM reads LIBSVM's model format. need is the reason given by a
// sidecar mark at the end of the file (sidecarMark), or "". Header counts
// are checked against each other, against the body and against the size
// of the file before anything is allocated from them, and every
// disagreement names the line at fault. sum, when not nil, is given the
// whole text in order (Load's SHA-256 of the file), the support vectors'
// part on a goroutine of its own beside their parsing.
func parseLIBSVM(ctx context.Context, file string, r io.Reader, size int64, sum io.Writer) (m *Model, need string, err error) {
	h := &libsvmHeader{file: file, size: size, m: &Model{}, degree: 3, nrClass: -1, totalSV: -1, at: map[string]int{}, sum: sum}
	br := bufio.NewReaderSize(r, 4<<20)
	if err := h.read(br); err != nil {
		return nil, "", err
	}
	if err := h.check(); err != nil {
		return nil, "", err
	}
	if err := h.setKernel(); err != nil {
		return nil, "", err
	}
	need, err = h.m.readSVs(ctx, file, br, h.line+1, h.totalSV, h.at["total_sv"], sum)
	if err != nil {
		return nil, "", err
	}
	return h.m, need, nil
}

// libsvmHeader is the state of reading a LIBSVM model file's header into m.
type libsvmHeader struct {
	file string
	size int64     // of the file, a bound on every count
	sum  io.Writer // gets the text read (the file's hash), or nil
	m    *Model

	line int            // the line read last
	at   map[string]int // line of each header key
	key  string         // of the current line
	vals []string       // the current line's values

	kind             string // kernel_type
	gamma, coef0     float64
	degree           int
	nrClass, totalSV int // -1 until given
}

func (h *libsvmHeader) perrAt(at int, format string, a ...any) error {
	return &ParseError{File: h.file, Line: at, Msg: fmt.Sprintf(format, a...)}
}

// perr is an error on the current line.
func (h *libsvmHeader) perr(format string, a ...any) error { return h.perrAt(h.line, format, a...) }

// read reads the header lines up to and including the line SV.
func (h *libsvmHeader) read(br *bufio.Reader) error {
	for {
		text, err := br.ReadString('\n')
		if err != nil && err != io.EOF {
			return h.perrAt(h.line+1, "%v", err)
		}
		if h.sum != nil {
			io.WriteString(h.sum, text)
		}
		if text == "" {
			return h.perr("no SV section (want a line SV after the header)")
		}
		h.line++
		f := strings.Fields(text)
		if len(f) == 0 {
			continue
		}
		h.key, h.vals = f[0], f[1:]
		if h.at[h.key] > 0 {
			return h.perr("%s given again (first on line %d)", h.key, h.at[h.key])
		}
		h.at[h.key] = h.line
		if h.key == "SV" {
			return nil
		}
		if err := h.set(); err != nil {
			return err
		}
	}
}

// set reads the current line's key and values into the header.
func (h *libsvmHeader) set() error {
	m := h.m
	var err error
	switch h.key {
	case "svm_type":
		var s string
		if s, err = h.one(); err == nil && s != "c_svc" {
			err = h.perr("svm_type %s: only c_svc is supported", s)
		}
	case "kernel_type":
		h.kind, err = h.one()
	case "degree":
		var v string
		if v, err = h.one(); err == nil {
			if h.degree, err = strconv.Atoi(v); err != nil {
				err = h.perr("degree: %s is not an integer", textnum.Quote(v))
			}
		}
	case "gamma":
		h.gamma, err = h.num()
	case "coef0":
		h.coef0, err = h.num()
	case "nr_class":
		if h.nrClass, err = h.count(); err == nil && h.nrClass < 1 {
			err = h.perr("nr_class 0: want at least 1")
		}
	case "total_sv":
		h.totalSV, err = h.count()
	case "rho":
		m.Rho, err = h.floats(h.nrClass * (h.nrClass - 1) / 2)
	case "probA":
		m.ProbA, err = h.floats(h.nrClass * (h.nrClass - 1) / 2)
	case "probB":
		m.ProbB, err = h.floats(h.nrClass * (h.nrClass - 1) / 2)
	case "label":
		if m.Labels, err = h.ints(); err == nil {
			if l, ok := repeated(m.Labels); ok {
				err = h.perr("label %d appears twice", l)
			}
		}
	case "nr_sv":
		m.NSVClass, err = h.ints()
	default:
		err = h.perr("unknown header key %s", textnum.Quote(h.key))
	}
	return err
}

// one is the current line's single value.
func (h *libsvmHeader) one() (string, error) {
	if len(h.vals) != 1 {
		return "", h.perr("%s: want one value, got %d", h.key, len(h.vals))
	}
	return h.vals[0], nil
}

// count is the current line's single value as a count the file can hold.
func (h *libsvmHeader) count() (int, error) {
	s, err := h.one()
	if err != nil {
		return 0, err
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 0 {
		return 0, h.perr("%s: %s is not a count (an integer ≥ 0)", h.key, textnum.Quote(s))
	}
	// Every class and support vector takes at least two bytes of the file:
	// a larger count cannot be true (and must not be allocated).
	if int64(v) > h.size/2 {
		return 0, h.perr("%s %d: the file (%d bytes) cannot hold that many", h.key, v, h.size)
	}
	return v, nil
}

// num is the current line's single value as a number.
func (h *libsvmHeader) num() (float64, error) {
	s, err := h.one()
	if err != nil {
		return 0, err
	}
	v, ok := textnum.ParseFloat64([]byte(s))
	if !ok {
		return 0, h.perr("%s: %s %s", h.key, textnum.Quote(s), textnum.StrtodRefusal([]byte(s), "is not a number"))
	}
	return v, nil
}

// floats is the current line's want values as numbers.
func (h *libsvmHeader) floats(want int) ([]float64, error) {
	if h.nrClass < 0 {
		return nil, h.perr("%s before nr_class", h.key)
	}
	if len(h.vals) != want {
		return nil, h.perr("%s has %d values, want %d for nr_class %d (line %d)", h.key, len(h.vals), want, h.nrClass, h.at["nr_class"])
	}
	out := make([]float64, len(h.vals))
	for i, s := range h.vals {
		v, ok := textnum.ParseFloat64([]byte(s))
		if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, h.perr("%s: %s %s", h.key, textnum.Quote(s), textnum.StrtodRefusal([]byte(s), "is not a finite number"))
		}
		out[i] = v
	}
	return out, nil
}

// ints is the current line's nr_class values as integers.
func (h *libsvmHeader) ints() ([]int, error) {
	if h.nrClass < 0 {
		return nil, h.perr("%s before nr_class", h.key)
	}
	if len(h.vals) != h.nrClass {
		return nil, h.perr("%s has %d values, want nr_class = %d (line %d)", h.key, len(h.vals), h.nrClass, h.at["nr_class"])
	}
	out := make([]int, len(h.vals))
	for i, s := range h.vals {
		v, err := strconv.Atoi(s)
		if err != nil {
			return nil, h.perr("%s: %s is not an integer", h.key, textnum.Quote(s))
		}
		out[i] = v
	}
	return out, nil
}

// check checks that the header has what a model needs and that its
// counts agree.
func (h *libsvmHeader) check() error {
	m, at := h.m, h.at
	for _, k := range []string{"nr_class", "total_sv", "label"} {
		if at[k] == 0 {
			return h.perr("the header has no %s", k)
		}
	}
	if h.nrClass > 1 && at["rho"] == 0 {
		return h.perr("the header has no rho")
	}
	if (at["probA"] == 0) != (at["probB"] == 0) {
		return h.perr("the header has only one of probA and probB")
	}
	if len(m.NSVClass) == 0 && h.nrClass > 1 {
		return h.perr("the header has no nr_sv")
	}
	sum := 0
	for _, c := range m.NSVClass {
		if c < 0 {
			return h.perrAt(at["nr_sv"], "nr_sv: %d is negative", c)
		}
		if c > h.totalSV {
			return h.perrAt(at["nr_sv"], "nr_sv: %d is more than total_sv (line %d) %d", c, at["total_sv"], h.totalSV)
		}
		sum += c
	}
	if len(m.NSVClass) > 0 && sum != h.totalSV {
		return h.perrAt(at["nr_sv"], "nr_sv sums to %d, total_sv (line %d) is %d", sum, at["total_sv"], h.totalSV)
	}
	return nil
}

// setKernel sets the model's kernel (or Gram) from the header.
func (h *libsvmHeader) setKernel() error {
	if h.kind == "precomputed" {
		h.m.Gram = true
		return nil
	}
	ks, ok := kernels.LookupLIBSVM(h.kind)
	if !ok {
		return h.perrAt(h.at["kernel_type"], "kernel_type %s: want %s or precomputed", textnum.Quote(h.kind), strings.Join(kernels.LIBSVMNames(), ", "))
	}
	for _, p := range ks.Params {
		if p.LIBSVM == "gamma" && h.at["gamma"] == 0 {
			return h.perrAt(h.at["kernel_type"], "kernel_type %s needs gamma", h.kind)
		}
	}
	hdr := map[string]float64{"gamma": h.gamma, "coef0": h.coef0, "degree": float64(h.degree)}
	h.m.Kernel = ks.New(ks.FromLIBSVM(func(key string) float64 { return hdr[key] }))
	if err := kernels.Validate(h.m.Kernel); err != nil {
		var pe *kernels.ParamError
		if errors.As(err, &pe) {
			for _, p := range ks.Params {
				if strings.EqualFold(p.Name, pe.Field) {
					return h.perrAt(h.at[p.LIBSVM], "%s %v: want %s", p.LIBSVM, pe.Value, pe.Want)
				}
			}
		}
		return h.perrAt(h.at["kernel_type"], "%v", err)
	}
	return nil
}

// repeated returns the first value of a seen before in a, in linear time:
// a header's label line can hold hundreds of thousands (a 1.9 MB file,
// nr_class 300000), which comparing each with those before it took seconds.
func repeated(a []int) (int, bool) {
	seen := make(map[int]struct{}, len(a))
	for _, v := range a {
		if _, ok := seen[v]; ok {
			return v, true
		}
		seen[v] = struct{}{}
	}
	return 0, false
}

// intSum is the sum of a, with counts too large to add reported as -1.
func intSum(a []int) int {
	s := 0
	for _, v := range a {
		if v < 0 || v > math.MaxInt32 {
			return -1
		}
		s += v
	}
	return s
}
