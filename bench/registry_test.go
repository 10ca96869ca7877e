package bench

import (
	"context"
	"math"
	"path/filepath"
	"sync"
	"testing"

	"github.com/svmbench/svmbench/kernels"
	"github.com/svmbench/svmbench/svm"
)

// cauchy is K(x, y) = 1/(1 + γ‖x−y‖²), registered here as a new kernel
// file would register it, to show that a kernel added to the registry
// works through grid cells, the grid's files, model files and printing
// without editing bench.
type cauchy struct{ Gamma float64 }

func (cauchy) Name() string { return "cauchy" }

func (k cauchy) Eval(x, y []float32) float64 {
	var s float64
	for i := range x {
		d := float64(x[i]) - float64(y[i])
		s += d * d
	}
	return 1 / (1 + k.Gamma*s)
}

func (k cauchy) FromDot(dot, xx, yy float64) float64 {
	return 1 / (1 + k.Gamma*math.Max(0, xx+yy-2*dot))
}

func (k cauchy) Validate() error {
	if !(k.Gamma > 0) || math.IsInf(k.Gamma, 0) {
		return &kernels.ParamError{Kernel: "cauchy", Field: "Gamma", Value: k.Gamma, Want: "a finite value > 0"}
	}
	return nil
}

var registerCauchy sync.Once

func useCauchy() {
	registerCauchy.Do(func() {
		kernels.Register(&kernels.Spec{
			Name: "cauchy",
			Params: []kernels.Param{
				{Name: "gamma", Symbol: "γ", Log: true, Range: "2^-6:2^-2:2", PerFeature: true, Want: "a finite value > 0"},
			},
			C:   "1,16",
			New: func(v kernels.Values) kernels.Kernel { return cauchy{v.Gamma} },
			Values: func(k kernels.Kernel) (kernels.Values, bool) {
				c, ok := k.(cauchy)
				return kernels.Values{Gamma: c.Gamma}, ok
			},
		})
	})
}

func TestRegisteredKernelGrid(t *testing.T) {
	useCauchy()
	d := blobs(3, 20, 4, 11)
	out := t.TempDir()
	cfg := GridConfig{Kernel: "cauchy", Folds: 3, Seed: 1, Out: out, MemBytes: 1 << 28}
	best, cells, err := Grid(context.Background(), d, d.Train.X, d.Test.X, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// The default ranges come from the spec: γ 2^-6, 2^-4, 2^-2; C 1, 16.
	if len(cells) != 6 {
		t.Fatalf("%d cells, want 6", len(cells))
	}
	if c := cells[5]; c.Kernel != "cauchy" || c.Gamma != 0.25 || c.C != 16 || c.Alpha != 0 {
		t.Errorf("last cell %+v, want γ=0.25 C=16", c)
	}
	if best.Cell.CVAccuracy < 0.5 {
		t.Errorf("best CV accuracy %.2f on separable blobs", best.Cell.CVAccuracy)
	}
	var spec GridSpec
	if err := ReadJSON(filepath.Join(out, SpecFile("cauchy", "pixels")), &spec); err != nil {
		t.Fatal(err)
	}
	if spec.Gamma.Text != "2^-6:2^-2:2" || spec.Alpha.Text != "" {
		t.Errorf("spec ranges γ %q α %q", spec.Gamma.Text, spec.Alpha.Text)
	}
	// The retrained model has no LIBSVM form: it is saved as JSON and
	// loads back as the registered kernel.
	m, err := svm.Load(filepath.Join(out, best.Model))
	if err != nil {
		t.Fatal(err)
	}
	if k, ok := m.Kernel.(cauchy); !ok || k.Gamma != best.Cell.Gamma {
		t.Errorf("loaded kernel %#v, want cauchy{%g}", m.Kernel, best.Cell.Gamma)
	}
	if p := cellParams(best.Cell); len(p) != 2 || p["gamma"] != best.Cell.Gamma {
		t.Errorf("cellParams = %v, want gamma and C", p)
	}
	if s, err := kernels.Lookup("cauchy"); err != nil || s.Format(best.Cell.Values(), nil) == "" {
		t.Errorf("Format: %v", err)
	}
	sc, ok, err := SVMParams("svm-cauchy", "pixels", 4, "")
	if err != nil || ok || sc.Gamma != 0.25 {
		t.Errorf("SVMParams(svm-cauchy) = %+v, %v, %v; want γ = 1/4", sc, ok, err)
	}
	if err := (&GridConfig{Kernel: "cauchy", Alpha: Values(1)}).Validate(); err == nil {
		t.Error("an α range for the cauchy kernel was accepted")
	}
}
