package reports

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/svmbench/svmbench/internal/atomicfile"
)

// Write renders the report into outDir: report.md, a self-contained
// report.html (figures embedded as base64 PNG), figures/NAME.png and
// figures/NAME.svg for every figure, tables/NAME.csv for every table.
// Every file is written to a temporary file in the same folder and
// renamed, so a reader never sees half a file.
func Write(in *Inputs, outDir string) error {
	figDir, tabDir := filepath.Join(outDir, "figures"), filepath.Join(outDir, "tables")
	for _, d := range []string{outDir, figDir, tabDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("reports: %w", err)
		}
	}
	doc := buildDoc(in)
	pngs := map[string][]byte{}
	for _, f := range doc.figures() {
		png, err := f.png()
		if err != nil {
			return err
		}
		pngs[f.Name] = png
		if err := writeFileAtomic(filepath.Join(figDir, f.Name+".png"), func(w io.Writer) error {
			_, err := w.Write(png)
			return err
		}); err != nil {
			return err
		}
		if err := writeFileAtomic(filepath.Join(figDir, f.Name+".svg"), f.WriteSVG); err != nil {
			return err
		}
	}
	for _, t := range doc.tables() {
		if err := writeFileAtomic(filepath.Join(tabDir, t.Name+".csv"), t.WriteCSV); err != nil {
			return err
		}
	}
	if err := writeFileAtomic(filepath.Join(outDir, "report.md"), doc.writeMarkdown); err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(outDir, "report.html"), func(w io.Writer) error { return doc.writeHTML(w, pngs) })
}

// writeFileAtomic writes path through a temporary file in the same folder
// and a rename (atomicfile.Write).
func writeFileAtomic(path string, write func(io.Writer) error) error {
	if err := atomicfile.Write(path, write); err != nil {
		return fmt.Errorf("reports: writing %s: %w", path, err)
	}
	return nil
}

// A doc is the report as a list of blocks, rendered to Markdown and HTML.
type doc struct{ blocks []block }

type block struct {
	heading string // level-2 heading, or
	para    string // a paragraph, or
	table   *Table // a table with its title, or
	figure  *Figure
}

func (d *doc) h(s string)  { d.blocks = append(d.blocks, block{heading: s}) }
func (d *doc) p(s string)  { d.blocks = append(d.blocks, block{para: s}) }
func (d *doc) t(t *Table)  { d.blocks = append(d.blocks, block{table: t}) }
func (d *doc) f(f *Figure) { d.blocks = append(d.blocks, block{figure: f}) }
func (d *doc) fig(fs ...*Figure) {
	for _, f := range fs {
		if f != nil {
			d.f(f)
		}
	}
}

func (d *doc) figures() []*Figure {
	var fs []*Figure
	for _, b := range d.blocks {
		if b.figure != nil {
			fs = append(fs, b.figure)
		}
	}
	return fs
}

func (d *doc) tables() []*Table {
	var ts []*Table
	for _, b := range d.blocks {
		if b.table != nil {
			ts = append(ts, b.table)
		}
	}
	return ts
}

// buildDoc lays out the report: results first, then grids, scaling, the
// CNN, per-class results, and the manifest.
func buildDoc(in *Inputs) *doc {
	d := &doc{}
	intro := fmt.Sprintf("Built by `bench report` from %d results files under `%s`.", len(in.Files), filepath.ToSlash(in.Dir))
	if m := in.Manifest; m != nil {
		intro += fmt.Sprintf(" Run started %s on %s (%s/%s, GOMAXPROCS %d, BLAS %s) with %d training and %d test images from %s.",
			m.Started, m.CPU, m.GOOS, m.GOARCH, m.GOMAXPROCS, m.BLAS, m.TrainN, m.TestN, m.DataSource)
	}
	d.p(intro)
	if len(in.Warnings) > 0 {
		d.p("Warnings: " + strings.Join(in.Warnings, "; ") + ".")
	}
	d.results(in)
	if len(in.Grids) > 0 {
		d.h("Grid searches")
		d.t(GridSummaryTable(in))
		for _, g := range in.Grids {
			d.fig(GridFigure(g))
		}
		for _, g := range in.Grids {
			if h := HalvingTable(g); h != nil {
				d.t(h)
			}
			if len(g.Cells) > 0 {
				d.t(GridTable(g))
			}
		}
	}
	if st := SearchTable(in); st != nil {
		d.h("Searches compared")
		for _, c := range in.Searches {
			d.fig(SearchFigure(c))
		}
		d.t(st)
		d.p(SearchAdvice(in))
	}
	d.curves(in)
	d.claims(in)
	if len(in.CNN) > 0 {
		d.h("CNN training")
		d.fig(CNNFigure(in))
		d.t(CNNTable(in))
	}
	if pc := PerClassTable(in); pc != nil && len(in.Models) > 0 {
		d.h("Per-class accuracy and confusion matrices")
		d.t(pc)
		d.fig(ConfusionFigures(in)...)
	} else if cf := ConfusionFigures(in); len(cf) > 0 {
		d.h("Confusion matrices")
		d.fig(cf...)
	}
	if in.Manifest != nil {
		d.h("Run manifest")
		d.t(ManifestTable(in))
	}
	d.h("Files")
	d.t(FilesTable(in))
	d.p("Every table is also in `tables/NAME.csv` (full precision, accuracies as fractions, times in seconds, memory in bytes); every figure in `figures/NAME.png` and `figures/NAME.svg`.")
	return d
}

// results lays out the comparison of the models: with trials, the models
// at one training size with intervals and the generated reading first,
// then the accuracy figure (so that a reader's first screen has the main
// table and a figure), the paired tests (one row per pair: 45 in the
// quick profile), then the models of results.json.
func (d *doc) results(in *Inputs) {
	rt := RepeatsTable(in)
	if rt == nil && len(in.Models) == 0 {
		return
	}
	d.h("Results")
	if rt != nil {
		d.t(rt)
		d.p(ReadItAs(in))
	}
	if len(in.Models) > 0 {
		d.fig(AccuracyFigure(in))
	}
	if rt != nil {
		if pt := PairsTable(in); pt != nil {
			d.t(pt)
		}
	}
	if len(in.Models) > 0 {
		d.t(ModelsTable(in))
		d.fig(TrainTimeFigure(in))
	}
}

// curves lays out the learning curves beside the time against n.
func (d *doc) curves(in *Inputs) {
	lc := LearningCurveFigure(in)
	switch {
	case lc != nil:
		d.h("Learning curves and scaling with the number of training images")
		d.fig(lc)
	case len(in.Scaling) > 0:
		d.h("Scaling with the number of training images")
	default:
		return
	}
	if len(in.Scaling) > 0 {
		d.fig(ScalingFigure(in))
		d.t(ScalingTable(in))
	}
}

// claims lays out the seed document's two claims, each with its verdict.
func (d *doc) claims(in *Inputs) {
	nt, ct := NoiseTable(in), CostTable(in)
	if nt == nil && ct == nil {
		return
	}
	d.h("The seed's claims, tested")
	if nt != nil {
		if v := NoiseVerdict(in); v != "" {
			d.p(v)
		}
		d.t(nt)
		d.fig(NoiseFigures(in)...)
	}
	if ct != nil {
		if v := CostVerdict(in); v != "" {
			d.p(v)
		}
		d.t(ct)
	}
}

func (d *doc) writeMarkdown(w io.Writer) error {
	var b bytes.Buffer
	b.WriteString("# svmbench report\n")
	for _, bl := range d.blocks {
		switch {
		case bl.heading != "":
			fmt.Fprintf(&b, "\n## %s\n", bl.heading)
		case bl.para != "":
			fmt.Fprintf(&b, "\n%s\n", bl.para)
		case bl.table != nil:
			fmt.Fprintf(&b, "\n### %s\n\n", bl.table.Title)
			if err := bl.table.WriteMarkdown(&b); err != nil {
				return err
			}
			if bl.table.Note != "" {
				fmt.Fprintf(&b, "\n%s\n", bl.table.Note)
			}
			fmt.Fprintf(&b, "\n(CSV: [tables/%s.csv](tables/%s.csv))\n", bl.table.Name, bl.table.Name)
		case bl.figure != nil:
			f := bl.figure
			fmt.Fprintf(&b, "\n![%s](figures/%s.png)\n\n*%s* ([SVG](figures/%s.svg))\n", f.Name, f.Name, f.Caption, f.Name)
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// htmlBlock is one block of the HTML report as the template sees it: a
// heading, a paragraph (already escaped, with code spans), a table, a
// figure, or a run of small figures shown side by side.
type htmlBlock struct {
	Heading string
	Para    template.HTML
	Table   *Table
	Figure  *htmlFigure
	Group   []*htmlFigure
}

// htmlFigure is a figure with its PNG as a data URI, so the page needs no
// other file.
type htmlFigure struct {
	Name, Caption string
	Src           template.URL
}

// htmlBlocks turns the report's blocks into the template's, grouping runs
// of confusion matrices.
func (d *doc) htmlBlocks(pngs map[string][]byte) []htmlBlock {
	var out []htmlBlock
	for _, bl := range d.blocks {
		switch {
		case bl.heading != "":
			out = append(out, htmlBlock{Heading: bl.heading})
		case bl.para != "":
			out = append(out, htmlBlock{Para: template.HTML(codeSpans(html.EscapeString(bl.para)))})
		case bl.table != nil:
			out = append(out, htmlBlock{Table: bl.table})
		case bl.figure != nil:
			f := &htmlFigure{Name: bl.figure.Name, Caption: bl.figure.Caption,
				Src: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(pngs[bl.figure.Name]))}
			if !strings.HasPrefix(f.Name, "confusion-") {
				out = append(out, htmlBlock{Figure: f})
			} else if n := len(out); n > 0 && out[n-1].Group != nil {
				out[n-1].Group = append(out[n-1].Group, f)
			} else {
				out = append(out, htmlBlock{Group: []*htmlFigure{f}})
			}
		}
	}
	return out
}

func (d *doc) writeHTML(w io.Writer, pngs map[string][]byte) error {
	var b bytes.Buffer
	if err := htmlReport.Execute(&b, d.htmlBlocks(pngs)); err != nil {
		return fmt.Errorf("reports: rendering report.html: %w", err)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// htmlReport is report.html: a page with its style inline and every
// figure embedded, so it opens from any folder without a network.
var htmlReport = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>svmbench report</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 1500px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
h1, h2, h3 { font-weight: 600; }
h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
table { border-collapse: collapse; margin: .5em 0; font-size: 14px; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; }
th { background: #f3f3f3; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) { background: #fafafa; }
figure { margin: 1.2em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 14px; color: #444; max-width: 75em; }
.note { font-size: 14px; color: #444; }
.figs { display: flex; flex-wrap: wrap; gap: 1em; }
.figs figure { flex: 0 1 680px; }
</style>
</head>
<body>
<h1>svmbench report</h1>
{{range .}}
{{- if .Heading}}<h2>{{.Heading}}</h2>
{{else if .Para}}<p>{{.Para}}</p>
{{else if .Table}}<h3 id="{{.Table.Name}}">{{.Table.Title}}</h3>
{{template "table" .Table}}
{{- if .Table.Note}}<p class="note">{{.Table.Note}}</p>
{{end}}
{{- else if .Figure}}{{template "figure" .Figure}}
{{- else if .Group}}<div class="figs">
{{range .Group}}{{template "figure" .}}{{end -}}
</div>
{{end}}
{{- end -}}
</body>
</html>
{{define "figure"}}<figure id="{{.Name}}"><img alt="{{.Name}}" src="{{.Src}}"><figcaption>{{.Caption}}</figcaption></figure>
{{end}}
{{- define "table"}}<table>
<thead><tr>{{range $i, $h := .Header}}<th{{if $.RightAligned $i}} class="num"{{end}}>{{$h}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr>{{range $j, $c := .}}<td{{if $.RightAligned $j}} class="num"{{end}}>{{$c.Text}}</td>{{end}}</tr>
{{end -}}
</tbody>
</table>
{{end}}`))

// codeSpans turns `x` into <code>x</code> in already-escaped text.
func codeSpans(s string) string {
	parts := strings.Split(s, "`")
	if len(parts)%2 == 0 {
		return s
	}
	var b strings.Builder
	for i, p := range parts {
		if i%2 == 1 {
			b.WriteString("<code>" + p + "</code>")
		} else {
			b.WriteString(p)
		}
	}
	return b.String()
}
