package svm

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/svmbench/svmbench/matrix"
)

// FuzzLoadModel: whatever a LIBSVM model file holds, Load returns a model
// or an error, never a panic; an error about the text is a *ParseError
// naming the file; a model it returns predicts a sample (of fewer, as
// many, or more features than its support vectors) without a panic.
func FuzzLoadModel(f *testing.F) {
	f.Add([]byte(goodHeader + "1 1:0.5\n-1 2:0.5\n"))
	f.Add([]byte("svm_type c_svc\nkernel_type polynomial\ndegree 3\ngamma 0.5\ncoef0 1\nnr_class 3\ntotal_sv 3\nrho 0.1 0.2 0.3\nlabel 2 7 9\nnr_sv 1 1 1\nSV\n1 1 1:0.5\n-1 1 2:0.5 3:1\n-1 -1 1:1\n"))
	f.Add([]byte("svm_type c_svc\nkernel_type sigmoid\ngamma 0.5\ncoef0 -1\nnr_class 2\ntotal_sv 2\nrho 0.1\nlabel 1 -1\nprobA -1\nprobB 0.1\nnr_sv 1 1\nSV\n1 1:0.5\n-1 2:0.5\n"))
	f.Add([]byte("svm_type c_svc\nkernel_type precomputed\nnr_class 2\ntotal_sv 2\nrho 0.1\nlabel 1 -1\nnr_sv 1 1\nSV\n1 0:1\n-1 0:2\n"))
	f.Add([]byte("svm_type c_svc\nkernel_type linear\nnr_class 1\ntotal_sv 0\nrho\nlabel 2\nnr_sv 0\nSV\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, text []byte) {
		p := filepath.Join(dir, "m")
		if err := os.WriteFile(p, text, 0o644); err != nil {
			t.Fatal(err)
		}
		m, err := Load(p)
		if err != nil {
			var pe *ParseError
			if errors.As(err, &pe) && pe.File != p {
				t.Errorf("ParseError names %q, want %q", pe.File, p)
			}
			return
		}
		if m.Gram {
			return
		}
		for _, cols := range []int{1, m.SV.Cols, m.SV.Cols + 2} {
			x := matrix.New(2, max(cols, 1))
			x.Data[0] = 1
			m.Predict(nil, x)
		}
	})
}
