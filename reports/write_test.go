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

// TestHTMLGolden renders report.html for the fixture with each PNG
// replaced by the bytes "png:NAME", so the page's markup is compared with
// testdata/report.html.golden without megabytes of base64.
func TestHTMLGolden(t *testing.T) {
	d := buildDoc(loadFixture(t))
	pngs := map[string][]byte{}
	for _, f := range d.figures() {
		pngs[f.Name] = []byte("png:" + f.Name)
	}
	var b strings.Builder
	if err := d.writeHTML(&b, pngs); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.html.golden", []byte(b.String()))
}

// TestHTMLEscapes checks that text from the results files is escaped in
// every place the template puts it.
func TestHTMLEscapes(t *testing.T) {
	d := &doc{}
	d.h("<x1>")
	d.p("a <x2> & `c<d>`")
	d.t(&Table{Name: "x\"y", Title: "<x3>", Header: []string{"<x4>"}, Rows: [][]Cell{{{Text: "<x5>"}}}, Note: "<x6>"})
	var b strings.Builder
	if err := d.writeHTML(&b, nil); err != nil {
		t.Fatal(err)
	}
	for _, raw := range []string{"<x1>", "<x2>", "<d>", "<x3>", "<x4>", "<x5>", "<x6>", `x"y`} {
		if strings.Contains(b.String(), raw) {
			t.Errorf("report.html contains unescaped %q", raw)
		}
	}
	if !strings.Contains(b.String(), "<code>c&lt;d&gt;</code>") {
		t.Errorf("code span not rendered: %s", b.String())
	}
}
