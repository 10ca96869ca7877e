package bench

import (
	"reflect"
	"slices"
	"testing"

	"github.com/svmbench/svmbench/cnn"
	"github.com/svmbench/svmbench/dataset"
)

// Every field of all.json names its flag when it differs: a field added
// to mainStamp without its setting would be refused by a bare struct dump.
func TestMainStampEveryFieldNamed(t *testing.T) {
	var zero mainStamp
	typ := reflect.TypeOf(zero)
	for i := range typ.NumField() {
		s := zero
		f := reflect.ValueOf(&s).Elem().Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString("x")
		case reflect.Int:
			f.SetInt(2)
		case reflect.Uint64:
			f.SetUint(2)
		case reflect.Float64:
			f.SetFloat(2)
		case reflect.Bool:
			f.SetBool(true)
		default:
			t.Fatalf("mainStamp.%s: kind %v not handled by this test", typ.Field(i).Name, f.Kind())
		}
		if d := s.diff(&zero); len(d) != 1 {
			t.Errorf("mainStamp.%s changed: settings name %q, want one setting", typ.Field(i).Name, d)
		}
	}
}

// unstamped are the MainConfig fields all.json does not record, each with
// why a rerun into the same folder may change it (docs/cli.md).
var unstamped = map[string]string{
	"Out":         "the folder itself",
	"MemBytes":    "a budget of the machine, not of the experiment",
	"CostN":       "the cost stage runs again on every resume",
	"Scaling":     "adds records, keyed by model and n",
	"CNNVariants": "adds records, each CNN's recipe checked by its run file",
	"Repeats":     "adds records, keyed by repeat",
	"TrialTest":   "refused by trials.json (another test set)",
	"LabelNoise":  "adds records, keyed by noise level",
	"PixelNoise":  "adds records, keyed by noise level",
	"NoiseCNNs":   "adds records, keyed by model",
	"Skip":        "says which stages run now",
	"Report":      "the report stage's builder",
	"Args":        "the command line, for the manifests",
}

// Every MainConfig field changes all.json (stamp) or is in unstamped with
// why not: a field added to MainConfig fails here until it is stamped or
// listed, and a listed field that is stamped fails too.
func TestMainConfigFieldsStamped(t *testing.T) {
	base, err := MainConfig{}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	want := base.stamp()
	typ := reflect.TypeOf(base)
	for i := range typ.NumField() {
		name := typ.Field(i).Name
		c := base
		c.Features, c.Kernels, c.Scaling, c.Curve = slices.Clone(c.Features), slices.Clone(c.Kernels), slices.Clone(c.Scaling), slices.Clone(c.Curve)
		f := reflect.ValueOf(&c).Elem().Field(i)
		switch v := f.Addr().Interface().(type) {
		case *string:
			*v += "x"
		case *int:
			*v += 7
		case *int64:
			*v += 7
		case *uint64:
			*v += 7
		case *float64:
			*v += 0.5
		case *bool:
			*v = !*v
		case *[]string:
			*v = append(*v, "x")
		case *[]int:
			*v = append(*v, 7)
		case *[]float64:
			*v = append(*v, 0.7)
		case *Range:
			v.Text += "x"
		case *dataset.Options:
			v.Spec += "x"
		case *cnn.TrainConfig:
			v.Epochs++
		case *func(string, string) error:
			*v = func(string, string) error { return nil }
		default:
			t.Fatalf("MainConfig.%s: type %v not handled by this test", name, f.Type())
		}
		why, listed := unstamped[name]
		switch stamped := c.stamp() != want; {
		case !stamped && !listed:
			t.Errorf("MainConfig.%s: not in all.json (mainStamp) nor in unstamped with why a rerun may change it", name)
		case stamped && listed:
			t.Errorf("MainConfig.%s: in all.json and in unstamped (%s)", name, why)
		}
	}
}
