package kernels_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/svmbench/svmbench/kernels"
)

// TestBuiltinSpecs checks each built-in kernel's spec against the kernel
// type: the names agree, New and Values are inverse, and the LIBSVM header
// lines are those svm-train 3.24 writes (svm.cpp's svm_save_model: degree,
// gamma, coef0 in that order, %.17g).
func TestBuiltinSpecs(t *testing.T) {
	tests := []struct {
		k      kernels.Kernel
		format string
		libsvm string
		typ    int
	}{
		{kernels.Sigmoid{Alpha: 0.001, Coef0: -1}, "α=0.001 c=-1", "kernel_type sigmoid\ngamma 0.001\ncoef0 -1\n", 3},
		{kernels.RBF{Gamma: 0.5}, "γ=0.5", "kernel_type rbf\ngamma 0.5\n", 2},
		{kernels.Linear{}, "", "kernel_type linear\n", 0},
		{kernels.Poly{Gamma: 0.25, Coef0: 1, Degree: 2}, "γ=0.25 c=1 d=2", "kernel_type polynomial\ndegree 2\ngamma 0.25\ncoef0 1\n", 1},
	}
	if got, want := strings.Join(kernels.Names()[:4], " "), "sigmoid rbf linear poly"; got != want {
		t.Errorf("Names() = %q, want %q first", got, want)
	}
	for _, tc := range tests {
		s, v, ok := kernels.Of(tc.k)
		if !ok {
			t.Fatalf("Of(%v): not registered", tc.k)
		}
		if s.Name != tc.k.Name() {
			t.Errorf("%v: spec name %q", tc.k, s.Name)
		}
		if back := s.New(v); back != tc.k {
			t.Errorf("%v: New(Values(k)) = %v", tc.k, back)
		}
		if got := s.Format(v, nil); got != tc.format {
			t.Errorf("%v: Format = %q, want %q", tc.k, got, tc.format)
		}
		b, err := s.AppendLIBSVM(nil, v)
		if err != nil || string(b) != tc.libsvm {
			t.Errorf("%v: AppendLIBSVM = %q, %v; want %q", tc.k, b, err, tc.libsvm)
		}
		if s.LIBSVMType != tc.typ {
			t.Errorf("%v: LIBSVMType = %d, want %d", tc.k, s.LIBSVMType, tc.typ)
		}
		ls, ok := kernels.LookupLIBSVM(s.LIBSVMName)
		if !ok || ls != s {
			t.Errorf("LookupLIBSVM(%q) = %v, %v", s.LIBSVMName, ls, ok)
		}
		hdr := map[string]float64{"gamma": v.Gamma, "coef0": v.Coef0, "degree": float64(v.Degree)}
		if tc.k.Name() == "sigmoid" {
			hdr["gamma"] = v.Alpha
		}
		if got := s.FromLIBSVM(func(k string) float64 { return hdr[k] }); got != v {
			t.Errorf("%v: FromLIBSVM = %+v, want %+v", tc.k, got, v)
		}
		for _, p := range s.Params {
			if !p.Fixed && p.Range == "" {
				t.Errorf("%v: parameter %s has no default range", tc.k, p.Name)
			}
		}
	}
}

func TestBuildValidates(t *testing.T) {
	s, err := kernels.Lookup("rbf")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Build(kernels.Values{Gamma: 0}); err == nil || !strings.Contains(err.Error(), "RBF.Gamma") {
		t.Errorf("Build(γ=0) = %v, want a ParamError naming RBF.Gamma", err)
	}
	if _, err := kernels.Lookup("nope"); err == nil || !strings.Contains(err.Error(), "sigmoid, rbf, linear") {
		t.Errorf("Lookup(nope) = %v, want the registered names", err)
	}
	p, _ := kernels.Lookup("poly")
	if d := p.Defaults(4); d != (kernels.Values{Gamma: 0.25, Degree: 3}) {
		t.Errorf("poly Defaults(4) = %+v", d)
	}
	if got := strings.Join(kernels.ParamNames(), " "); got != "alpha coef0 gamma degree" {
		t.Errorf("ParamNames() = %q", got)
	}
	if kernels.Symbol("alpha") != "α" || kernels.Symbol("C") != "C" {
		t.Errorf("Symbol: %q %q", kernels.Symbol("alpha"), kernels.Symbol("C"))
	}
}

// scaled is a kernel registered by a test, as a new kernel file would:
// K(x, y) = γ⟨x,y⟩.
type scaled struct{ Gamma float64 }

func (scaled) Name() string { return "scaled" }

func (k scaled) Eval(x, y []float32) float64 {
	return k.Gamma * kernels.Linear{}.Eval(x, y)
}

var registerScaled sync.Once

func TestRegister(t *testing.T) {
	registerScaled.Do(func() {
		kernels.Register(&kernels.Spec{
			Name:   "scaled",
			Params: []kernels.Param{{Name: "gamma", Symbol: "γ", Log: true, Range: "2^-4:2^0:1"}},
			C:      "1",
			New:    func(v kernels.Values) kernels.Kernel { return scaled{v.Gamma} },
			Values: func(k kernels.Kernel) (kernels.Values, bool) {
				c, ok := k.(scaled)
				return kernels.Values{Gamma: c.Gamma}, ok
			},
		})
	})
	s, err := kernels.Lookup("scaled")
	if err != nil {
		t.Fatal(err)
	}
	k := s.New(kernels.Values{Gamma: 2})
	if got := k.Eval([]float32{0, 1}, []float32{1, 3}); got != 6 {
		t.Errorf("Eval = %g, want 6", got)
	}
	if _, v, ok := kernels.Of(k); !ok || v.Gamma != 2 {
		t.Errorf("Of(%v) = %+v, %v", k, v, ok)
	}
	if _, err := s.AppendLIBSVM(nil, kernels.Values{}); err == nil {
		t.Error("AppendLIBSVM of a kernel LIBSVM does not have: no error")
	}
	if !strings.HasSuffix(kernels.NameList(), "or scaled") {
		t.Errorf("NameList() = %q", kernels.NameList())
	}
	defer func() {
		if recover() == nil {
			t.Error("registering scaled twice did not panic")
		}
	}()
	kernels.Register(s)
}
