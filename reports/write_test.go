package reports

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	in := loadFixture(t)
	out := t.TempDir()
	if d := os.Getenv("REPORTS_KEEP"); d != "" {
		out = d
	}
	if err := Write(in, out); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"report.md", "report.html", "figures/accuracy.png", "figures/accuracy.svg",
		"figures/grid-sigmoid-pixels.png", "figures/scaling.svg", "figures/cnn-epochs.png",
		"figures/confusion-svm-rbf-pixels.png", "tables/models.csv", "tables/grid-sigmoid-pixels.csv", "tables/manifest.csv"} {
		st, err := os.Stat(filepath.Join(out, name))
		if err != nil {
			t.Errorf("missing %s: %v", name, err)
		} else if st.Size() == 0 {
			t.Errorf("%s is empty", name)
		}
	}
	html, _ := os.ReadFile(filepath.Join(out, "report.html"))
	if n := strings.Count(string(html), "data:image/png;base64,"); n != len(Figures(in)) {
		t.Errorf("report.html embeds %d images, want %d", n, len(Figures(in)))
	}
	if strings.Contains(string(html), `src="figures/`) {
		t.Error("report.html refers to a figure file: it must be self-contained")
	}
	tmp, _ := filepath.Glob(filepath.Join(out, "*", ".*tmp*"))
	if len(tmp) > 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}
