package bench

import (
	"reflect"
	"testing"
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
