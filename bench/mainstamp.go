package bench

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// MainStampFile is the file in the results folder that records the
// settings of the main job that made it.
const MainStampFile = "all.json"

// mainStamp identifies a main job's results folder: the settings that
// change what its finished results contain. A rerun with other values
// must not mix its results with these, so it is refused (checkStamp).
// Its JSON is all.json. Settings that only add records are not here (the
// learning curve's repeats, the noise studies' levels and CNNs, the
// scaling sizes, the CNN variants): every record is keyed by what makes
// it (a trial by study, model, features, n, repeat and noise level), so
// a rerun may change them, keeping the finished records, which stay
// valid, and adding the missing ones (FORMATS.md, all.json). The curve's
// sizes are here: the noise studies run at the size nearest NoiseN, so
// other sizes could move them and mix two sizes in one noise table.
//
// A field added here needs its flag in settings and, when older
// all.json files lack it, the old default in upgrade; a MainConfig field
// not stamped is listed, with why, in the test's unstamped
// (TestMainConfigFieldsStamped fails on one in neither).
type mainStamp struct {
	Profile   string `json:"profile"`
	Data      string `json:"data"`
	Train     int    `json:"train"`
	Test      int    `json:"test"`
	Seed      uint64 `json:"seed"`
	GridTrain int    `json:"grid_train"`
	Folds     int    `json:"folds"`
	Epochs    int    `json:"epochs"`
	// Grid settings: a grid whose best file exists is skipped, so a
	// change here must not reuse it.
	Features  string  `json:"features"`
	Kernels   string  `json:"kernels"`
	Grids     string  `json:"grids,omitempty"`  // GridsQuick or GridsDefault; absent (older files): the profile's
	Ranges    string  `json:"ranges,omitempty"` // Alpha/Coef0/Gamma/C as given
	PSDSample int     `json:"psd_sample"`
	MaxIter   int     `json:"max_iter,omitempty"`
	Search    string  `json:"search,omitempty"` // "" for every cell
	Trials    int     `json:"trials,omitempty"`
	Eta       float64 `json:"eta,omitempty"`    // halving's factor; 0 for 3
	Extend    int     `json:"extend,omitempty"` // range extension steps; -1 off
	// ColdStart is alpha seeding off (-warm-start=false): the grids' CV
	// accuracies (within the tolerance) and their journals' smo_iter and
	// warm_start differ. Absent (older files): seeding on.
	ColdStart bool `json:"cold_start,omitempty"`
	// Compare is the search comparison's seeds (-1: none): a finished
	// grid's search file holds that many. Absent (older files): the
	// profile's.
	Compare int `json:"compare,omitempty"`
	// Curve ("none" for an empty list) and NoiseN are the trials stage's
	// learning curve and noise studies' size. Absent (older files): the
	// profile's.
	Curve  string  `json:"curve,omitempty"`
	NoiseN int     `json:"noise_n,omitempty"`
	Batch  int     `json:"batch"`
	LR     float64 `json:"lr"`
}

func (c *MainConfig) stamp() mainStamp {
	r := c.CNN.WithDefaults()
	s := mainStamp{Profile: c.Profile, Data: cmp.Or(c.Data.Spec, "auto"), Train: size(c.Train), Test: size(c.Test), Seed: c.Seed,
		GridTrain: size(c.GridTrain), Folds: c.Folds, Epochs: r.Epochs,
		Features: strings.Join(c.Features, ","), Kernels: strings.Join(c.Kernels, ","), Grids: c.Grids, PSDSample: c.PSDSample, MaxIter: c.MaxIter,
		Batch: r.Batch, LR: r.LR, Trials: c.Trials, Eta: c.Eta, Extend: c.Extend, ColdStart: c.ColdStart, Compare: c.Compare,
		Curve: curveText(c.Curve), NoiseN: c.NoiseN}
	if c.Search != "grid" {
		s.Search = c.Search
	}
	if r := c.Alpha.Text + c.Coef0.Text + c.Gamma.Text + c.C.Text; r != "" {
		s.Ranges = fmt.Sprintf("alpha=%s coef0=%s gamma=%s C=%s", c.Alpha.Text, c.Coef0.Text, c.Gamma.Text, c.C.Text)
	}
	return s
}

// upgrade fills the fields an all.json written before they existed
// lacks with the value the job then used: the profile's grids and
// search comparison (3 seeds in both profiles since the comparison
// exists; a folder made before has no search files, and its grids write
// them), the profile's curve and noise size. Alpha seeding needs
// nothing: absent is on, as it was by default.
func (s *mainStamp) upgrade() {
	p, _ := ProfileNamed(s.Profile)
	s.Grids = cmp.Or(s.Grids, p.Grids)
	s.Compare = cmp.Or(s.Compare, p.Compare)
	s.Curve = cmp.Or(s.Curve, curveText(p.Curve))
	s.NoiseN = cmp.Or(s.NoiseN, p.NoiseN)
}

// curveText is MainConfig.Curve in all.json: "500,1000", or "none".
func curveText(ns []int) string {
	var t []string
	for _, n := range ns {
		t = append(t, fmt.Sprint(n))
	}
	return cmp.Or(strings.Join(t, ","), "none")
}

// setting is one field of a stamp as bench all's flag says it.
type setting struct {
	flag  string // "-warm-start"
	value string // "false"
}

// settings lists s's fields with the flags of bench all that set them
// (a Go caller sets the MainConfig field of the same name).
func (s *mainStamp) settings() []setting {
	off := func(v int, what string) string {
		if v == -1 {
			return "0 (" + what + ")"
		}
		return fmt.Sprint(v)
	}
	return []setting{
		{"-profile", s.Profile}, {"-data", s.Data}, {"-train", fmt.Sprint(s.Train)}, {"-test", fmt.Sprint(s.Test)},
		{"-seed", fmt.Sprint(s.Seed)}, {"-grid-train", fmt.Sprint(s.GridTrain)}, {"-folds", fmt.Sprint(s.Folds)},
		{"-epochs", fmt.Sprint(s.Epochs)}, {"-features", s.Features}, {"-kernels", s.Kernels},
		{"MainConfig.Grids", s.Grids}, {"-alpha, -coef0, -gamma, -C", cmp.Or(s.Ranges, "the grids' own")},
		{"-psd-sample", fmt.Sprint(s.PSDSample)}, {"-max-iter", fmt.Sprint(s.MaxIter)}, {"-search", cmp.Or(s.Search, "grid")},
		{"-trials", fmt.Sprint(s.Trials)}, {"-eta", fmt.Sprint(s.Eta)}, {"-extend", off(s.Extend, "off")},
		{"-warm-start", fmt.Sprint(!s.ColdStart)}, {"-compare", off(s.Compare, "none")},
		{"-curve", s.Curve}, {"MainConfig.NoiseN", fmt.Sprint(s.NoiseN)},
		{"-batch", fmt.Sprint(s.Batch)}, {"-lr", fmt.Sprint(s.LR)},
	}
}

// diff names every setting in which s differs from old, with both
// values: "-warm-start true there, false now".
func (s *mainStamp) diff(old *mainStamp) []string {
	var out []string
	now := s.settings()
	for i, a := range old.settings() {
		if b := now[i]; a.value != b.value {
			out = append(out, fmt.Sprintf("%s %s there, %s now", a.flag, a.value, b.value))
		}
	}
	return out
}

// checkStamp writes the stamp of a new results folder, or checks that an
// existing folder was made with the same settings, naming each that
// differs. An older stamp that lacks fields is upgraded and, when it
// matches, rewritten whole.
func checkStamp(path string, s mainStamp) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return WriteJSON(path, s)
	}
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	var old mainStamp
	if err := json.Unmarshal(data, &old); err != nil {
		return fmt.Errorf("bench: %s: %v", path, err)
	}
	written := old
	old.upgrade()
	if old != s {
		why := strings.Join(s.diff(&old), "; ")
		if why == "" { // a field settings misses: say it all
			why = fmt.Sprintf("%+v there; %+v now", old, s)
		}
		return fmt.Errorf("bench: %s holds results made with other settings (%s): choose another -out, or delete that folder to start again", filepath.Dir(path), why)
	}
	if written != old {
		return WriteJSON(path, s)
	}
	return nil
}
