package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// Table is one table of the report, renderable for a terminal, Markdown,
// HTML and CSV.
type Table struct {
	// Name is the file stem of the table's CSV file: "models".
	Name string
	// Title is the table's heading in the report.
	Title string
	// Note is a sentence printed under the table (units, marks), or "".
	Note string
	// Header holds the column headings shown to people; CSVHeader the
	// machine-friendly ones (snake case, raw units).
	Header    []string
	CSVHeader []string
	// Right marks the columns aligned right (numbers).
	Right []bool
	Rows  [][]Cell
}

// Cell is one table cell: the text people see and the value written to
// CSV (the full-precision number, in the unit the CSV header names). An
// empty CSV means the same as Text.
type Cell struct {
	Text string
	CSV  string
}

func (c Cell) csv() string {
	if c.CSV == "" && c.Text != "–" {
		return c.Text
	}
	return c.CSV
}

func txt(s string) Cell { return Cell{Text: s, CSV: s} }

func (t *Table) cells() [][]string {
	out := make([][]string, len(t.Rows))
	for i, r := range t.Rows {
		out[i] = make([]string, len(r))
		for j, c := range r {
			out[i][j] = c.Text
		}
	}
	return out
}

func (t *Table) alignment() tw.Alignment {
	a := make(tw.Alignment, len(t.Header))
	for i := range a {
		a[i] = tw.AlignLeft
		if i < len(t.Right) && t.Right[i] {
			a[i] = tw.AlignRight
		}
	}
	return a
}

func (t *Table) render(w io.Writer, r tw.Renderer) error {
	tb := tablewriter.NewTable(w,
		tablewriter.WithRenderer(r),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignmentConfig(tw.CellAlignment{PerColumn: t.alignment()}),
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{PerColumn: t.alignment()}),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithTrimSpace(tw.Off),
	)
	hdr := make([]any, len(t.Header))
	for i, h := range t.Header {
		hdr[i] = h
	}
	tb.Header(hdr...)
	if err := tb.Bulk(t.cells()); err != nil {
		return fmt.Errorf("reports: table %s: %w", t.Name, err)
	}
	if err := tb.Render(); err != nil {
		return fmt.Errorf("reports: table %s: %w", t.Name, err)
	}
	return nil
}

// WriteText writes the table with ASCII borders, for a terminal or a log.
func (t *Table) WriteText(w io.Writer) error {
	return t.render(w, renderer.NewBlueprint(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleASCII)}))
}

// WriteMarkdown writes the table as a GitHub-flavoured Markdown table.
func (t *Table) WriteMarkdown(w io.Writer) error {
	// Markdown cells cannot hold a bare pipe.
	esc := *t
	esc.Rows = make([][]Cell, len(t.Rows))
	for i, r := range t.Rows {
		esc.Rows[i] = make([]Cell, len(r))
		for j, c := range r {
			esc.Rows[i][j] = Cell{Text: strings.ReplaceAll(c.Text, "|", `\|`)}
		}
	}
	return esc.render(w, renderer.NewMarkdown())
}

// WriteCSV writes the table as CSV with the machine-friendly header and
// full-precision values.
func (t *Table) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	hdr := t.CSVHeader
	if hdr == nil {
		hdr = t.Header
	}
	if err := cw.Write(hdr); err != nil {
		return err
	}
	for _, r := range t.Rows {
		rec := make([]string, len(r))
		for j, c := range r {
			rec[j] = c.csv()
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteHTML writes the table as an HTML table (no surrounding page).
func (t *Table) WriteHTML(w io.Writer) error {
	return htmlReport.ExecuteTemplate(w, "table", t)
}

// RightAligned reports whether column col holds numbers, right-aligned.
func (t *Table) RightAligned(col int) bool { return col < len(t.Right) && t.Right[col] }
