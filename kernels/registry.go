package kernels

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Values holds the parameters of a kernel by the names the command line,
// the results files and LIBSVM's notation use. A kernel uses some of them
// (its Spec's Params); the others are 0.
type Values struct {
	Alpha  float64 // "alpha": the sigmoid's slope α
	Gamma  float64 // "gamma": γ of rbf and poly
	Coef0  float64 // "coef0": the bias c of sigmoid and poly
	Degree int     // "degree": the polynomial degree d
}

// ParamNames are the names Values answers to, in the order reports list
// them.
var paramNames = []string{"alpha", "coef0", "gamma", "degree"}

// Get returns the parameter called name (0 for a name Values does not hold).
func (v Values) Get(name string) float64 {
	switch name {
	case "alpha":
		return v.Alpha
	case "gamma":
		return v.Gamma
	case "coef0":
		return v.Coef0
	case "degree":
		return float64(v.Degree)
	}
	return 0
}

// Set sets the parameter called name; it panics on a name Values does not
// hold (a programming error: the names come from a Spec).
func (v *Values) Set(name string, x float64) {
	switch name {
	case "alpha":
		v.Alpha = x
	case "gamma":
		v.Gamma = x
	case "coef0":
		v.Coef0 = x
	case "degree":
		v.Degree = int(x)
	default:
		panic("kernels: no parameter " + strconv.Quote(name))
	}
}

// Param describes one parameter of a kernel.
type Param struct {
	// Name is the parameter's name in flags, files and Values: "alpha".
	Name string
	// Symbol is how people write it: "α", "γ", "c", "d".
	Symbol string
	// LIBSVM is the model-file header key that holds it ("gamma" for the
	// sigmoid's α, LIBSVM's -g).
	LIBSVM string
	// Int marks an integer parameter (the degree).
	Int bool
	// Fixed marks a parameter a grid search does not range over: the grid
	// takes one value for all its cells (the degree).
	Fixed bool
	// Log marks a parameter searched on a log scale (powers of two).
	Log bool
	// Scale marks the parameter that scales the kernel's argument where,
	// for small values, the SVM depends on it and on C mostly through
	// their product: tanh(α x·y + c) ≈ tanh c + α sech²c x·y, and the
	// constant drops out of the dual (yᵀα = 0), leaving a linear kernel
	// of scale α, so α and C enter as α·C; as γ → 0 with γC fixed the RBF
	// SVM tends to a linear SVM whose penalty is proportional to γC
	// (Keerthi and Lin 2003). Accuracy surfaces then have ridges along
	// log C + log α = const, which bench's bayes search takes as a
	// coordinate. Not set for poly, whose scale enters as γ^d or as
	// d c^(d−1) γ depending on c.
	Scale bool
	// Range is the default values a grid searches, in the notation of
	// bench.ParseRange ("2^-15:2^-5:2"); for a Fixed parameter, the one
	// default value.
	Range string
	// PerFeature marks a parameter whose default for a single fit is
	// 1/features, LIBSVM's default γ; otherwise the default is Default.
	PerFeature bool
	// Default is the parameter's value for a single fit when none is given
	// (unless PerFeature).
	Default float64
	// Want is the allowed range in words, for help text.
	Want string
	// Label says what the parameter does, for axis labels: "kernel slope".
	Label string
}

// Spec is what the rest of svmbench knows about a kernel: its name, its
// parameters, LIBSVM's name and number for it, the grid's default C range,
// and how to go from parameter values to the kernel and back. Every
// switch on kernel names goes through the registry of Specs (Lookup,
// Specs, Of).
type Spec struct {
	// Name is the kernel's name, as its Name method returns it.
	Name string
	// Title is the kernel's name in prose ("sigmoid", "RBF") and Formula
	// its definition as figures write it ("tanh(α x·y + c)").
	Title, Formula string
	// Params are the kernel's parameters, outermost grid axis first.
	Params []Param
	// C is the grid's default range of the SVM penalty C for this kernel.
	C string
	// LIBSVMType is LIBSVM's kernel_type number (svm-train -t) and
	// LIBSVMName its name in model files ("polynomial"); LIBSVMName is ""
	// for a kernel LIBSVM does not have.
	LIBSVMType int
	LIBSVMName string
	// Indefinite marks a kernel whose Gram matrix can be indefinite over
	// its default grid, so that the main job records its smallest
	// eigenvalues.
	Indefinite bool
	// New returns the kernel with the parameters v; it does not validate
	// (Build does).
	New func(v Values) Kernel
	// Values returns k's parameters, and false when k is not this kernel.
	Values func(k Kernel) (Values, bool)
}

// Param returns the parameter called name, and false when the kernel has
// none.
func (s *Spec) Param(name string) (Param, bool) {
	for _, p := range s.Params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}

// GridParams returns the names of the parameters a grid ranges over
// (Params that are not Fixed), outermost first.
func (s *Spec) GridParams() []string {
	var out []string
	for _, p := range s.Params {
		if !p.Fixed {
			out = append(out, p.Name)
		}
	}
	return out
}

// ParamNames returns the names of all the kernel's parameters.
func (s *Spec) ParamNames() []string {
	out := make([]string, len(s.Params))
	for i, p := range s.Params {
		out[i] = p.Name
	}
	return out
}

// Build returns the kernel with parameters v, validated.
func (s *Spec) Build(v Values) (Kernel, error) {
	k := s.New(v)
	if err := Validate(k); err != nil {
		return nil, err
	}
	return k, nil
}

// Defaults returns the parameters of a single fit on data with nfeat
// features when none are given: LIBSVM's defaults (γ = 1/features,
// degree 3, c = 0).
func (s *Spec) Defaults(nfeat int) Values {
	var v Values
	for _, p := range s.Params {
		x := p.Default
		if p.PerFeature {
			x = 1 / float64(nfeat)
		}
		v.Set(p.Name, x)
	}
	return v
}

// Format writes the kernel's parameters as "α=0.001 c=-1": symbols, in the
// order of Params, each value written by num (strconv's %g when num is
// nil). Integer parameters are written as integers.
func (s *Spec) Format(v Values, num func(float64) string) string {
	var b strings.Builder
	for _, p := range s.Params {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(p.Symbol)
		b.WriteByte('=')
		x := v.Get(p.Name)
		switch {
		case p.Int:
			b.WriteString(strconv.Itoa(int(x)))
		case num != nil:
			b.WriteString(num(x))
		default:
			b.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
		}
	}
	return b.String()
}

// libsvmKeys are LIBSVM's kernel header keys in the order svm_save_model
// writes them.
var libsvmKeys = []string{"degree", "gamma", "coef0"}

// AppendLIBSVM appends the kernel's lines of a LIBSVM model header to b:
// "kernel_type NAME" and then degree, gamma and coef0 as the kernel has
// them, in the order svm_save_model writes them (reals with %.17g). It
// returns an error for a kernel LIBSVM does not have.
func (s *Spec) AppendLIBSVM(b []byte, v Values) ([]byte, error) {
	if s.LIBSVMName == "" {
		return b, fmt.Errorf("kernels: kernel %s has no LIBSVM form", s.Name)
	}
	b = append(b, "kernel_type "...)
	b = append(b, s.LIBSVMName...)
	b = append(b, '\n')
	for _, key := range libsvmKeys {
		for _, p := range s.Params {
			if p.LIBSVM != key {
				continue
			}
			b = append(b, key...)
			b = append(b, ' ')
			if p.Int {
				b = strconv.AppendInt(b, int64(v.Get(p.Name)), 10)
			} else {
				b = strconv.AppendFloat(b, v.Get(p.Name), 'g', 17, 64)
			}
			b = append(b, '\n')
		}
	}
	return b, nil
}

// FromLIBSVM returns the parameters of the kernel from the values of a
// LIBSVM model header's keys (get returns the value of "gamma", "coef0"
// or "degree").
func (s *Spec) FromLIBSVM(get func(key string) float64) Values {
	var v Values
	for _, p := range s.Params {
		v.Set(p.Name, get(p.LIBSVM))
	}
	return v
}

// gridC is the default C range of most kernels: grid.py's -log2c -5,15,2.
const gridC = "2^-5:2^15:2"

// The registry: the built-in kernels in the order reports list them, then
// kernels registered by Register in the order of registration.
var (
	regMu sync.RWMutex
	specs = []*Spec{sigmoidSpec, rbfSpec, linearSpec, polySpec}
)

// Register adds a kernel to the registry, so that grids, model files,
// the command line and reports know it by s.Name. It panics when the name
// is taken or the spec is incomplete (call it from an init function).
func Register(s *Spec) {
	if s.Name == "" || s.New == nil || s.Values == nil {
		panic("kernels: Register: a Spec needs Name, New and Values")
	}
	for _, p := range s.Params {
		var v Values
		v.Set(p.Name, 0) // panics on a name Values does not hold
	}
	regMu.Lock()
	defer regMu.Unlock()
	for _, t := range specs {
		if t.Name == s.Name {
			panic("kernels: Register: kernel " + strconv.Quote(s.Name) + " registered twice")
		}
	}
	specs = append(specs, s)
}

// Lookup returns the registered kernel called name, or an error that
// lists the registered names.
func Lookup(name string) (*Spec, error) {
	regMu.RLock()
	defer regMu.RUnlock()
	for _, s := range specs {
		if s.Name == name {
			return s, nil
		}
	}
	return nil, fmt.Errorf("kernels: unknown kernel %q: want %s", name, namesLocked())
}

// Specs returns the registered kernels, the built-in ones first.
func Specs() []*Spec {
	regMu.RLock()
	defer regMu.RUnlock()
	return append([]*Spec(nil), specs...)
}

// Names returns the registered kernels' names, the built-in ones first.
func Names() []string {
	regMu.RLock()
	defer regMu.RUnlock()
	out := make([]string, len(specs))
	for i, s := range specs {
		out[i] = s.Name
	}
	return out
}

// NameList returns the registered names as a phrase for messages and help
// text: "sigmoid, rbf, linear or poly".
func NameList() string {
	regMu.RLock()
	defer regMu.RUnlock()
	return namesLocked()
}

func namesLocked() string {
	names := make([]string, len(specs))
	for i, s := range specs {
		names[i] = s.Name
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// LookupLIBSVM returns the registered kernel whose LIBSVM model-file name
// is name ("polynomial").
func LookupLIBSVM(name string) (*Spec, bool) {
	regMu.RLock()
	defer regMu.RUnlock()
	for _, s := range specs {
		if s.LIBSVMName != "" && s.LIBSVMName == name {
			return s, true
		}
	}
	return nil, false
}

// LIBSVMNames returns LIBSVM's names of the registered kernels that have
// one, in the order of LIBSVM's kernel_type numbers: linear, polynomial,
// rbf, sigmoid.
func LIBSVMNames() []string {
	regMu.RLock()
	defer regMu.RUnlock()
	var have []*Spec
	for _, s := range specs {
		if s.LIBSVMName != "" {
			have = append(have, s)
		}
	}
	slices.SortStableFunc(have, func(a, b *Spec) int { return a.LIBSVMType - b.LIBSVMType })
	out := make([]string, len(have))
	for i, s := range have {
		out[i] = s.LIBSVMName
	}
	return out
}

// Of returns the registered Spec of kernel k and k's parameters, and false
// for a kernel the registry does not know (a user kernel that was not
// registered).
func Of(k Kernel) (*Spec, Values, bool) {
	if k == nil {
		return nil, Values{}, false
	}
	s, err := Lookup(k.Name())
	if err != nil {
		return nil, Values{}, false
	}
	v, ok := s.Values(k)
	if !ok {
		return nil, Values{}, false
	}
	return s, v, true
}

// ParamNames returns the names of every registered kernel's parameters
// without repeats, in the order the kernels list them: alpha, coef0, gamma,
// degree for the built-in ones.
func ParamNames() []string {
	var out []string
	for _, name := range paramNames {
		for _, s := range Specs() {
			if _, ok := s.Param(name); ok {
				out = append(out, name)
				break
			}
		}
	}
	return out
}

// Symbol returns how people write the parameter called name ("α" for
// "alpha"), from the first registered kernel that has it; name itself when
// none has.
func Symbol(name string) string {
	for _, s := range Specs() {
		if p, ok := s.Param(name); ok {
			return p.Symbol
		}
	}
	return name
}
