package reports

import (
	"fmt"
	"io"
	"strconv"

	"github.com/svmbench/svmbench/dataset"
)

// ClassCount is one row of bench data's class table: a label as the data
// writes it, its display name, and its sample counts in each split.
type ClassCount struct {
	Label       int
	Name        string
	Train, Test int
}

// WriteClassCounts prints bench data's per-class counts as a terminal
// table (tablewriter, ASCII borders), with a total row.
func WriteClassCounts(w io.Writer, rows []ClassCount) error {
	t := &Table{Name: "classes", Header: []string{"label", "class", "train", "test"}, Right: []bool{true, false, true, true}}
	var train, test int
	for _, r := range rows {
		t.Rows = append(t.Rows, []Cell{txt(strconv.Itoa(r.Label)), txt(r.Name), txt(strconv.Itoa(r.Train)), txt(strconv.Itoa(r.Test))})
		train, test = train+r.Train, test+r.Test
	}
	t.Rows = append(t.Rows, []Cell{txt(""), txt("total"), txt(strconv.Itoa(train)), txt(strconv.Itoa(test))})
	return t.WriteText(w)
}

// WriteFileSums prints the files a data set was read from, with their
// sizes and checksums, as a terminal table.
func WriteFileSums(w io.Writer, files []dataset.FileSum) error {
	t := &Table{Name: "files", Header: []string{"file", "bytes", "checksums"}, Right: []bool{false, true, false}}
	for _, f := range files {
		sums := "sha256 " + f.SHA256
		if f.MD5 != "" {
			sums += ", md5 " + f.MD5
		}
		t.Rows = append(t.Rows, []Cell{txt(f.Name), txt(fmt.Sprint(f.Bytes)), txt(sums)})
	}
	return t.WriteText(w)
}
