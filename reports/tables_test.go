package reports

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./reports -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./reports -update rewrites it)\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

func loadFixture(t *testing.T) *Inputs {
	t.Helper()
	in, err := Load(filepath.Join("testdata", "run"))
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func TestTablesGolden(t *testing.T) {
	in := loadFixture(t)
	for _, tb := range Tables(in) {
		var text, md, csv bytes.Buffer
		if err := tb.WriteText(&text); err != nil {
			t.Fatal(err)
		}
		if err := tb.WriteMarkdown(&md); err != nil {
			t.Fatal(err)
		}
		if err := tb.WriteCSV(&csv); err != nil {
			t.Fatal(err)
		}
		golden(t, tb.Name+".txt.golden", text.Bytes())
		golden(t, tb.Name+".md.golden", md.Bytes())
		golden(t, tb.Name+".csv.golden", csv.Bytes())
	}
}

func TestPrintMainGolden(t *testing.T) {
	in := loadFixture(t)
	var b bytes.Buffer
	if err := PrintMain(&b, in); err != nil {
		t.Fatal(err)
	}
	golden(t, "main.golden", b.Bytes())
}
