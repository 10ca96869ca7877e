package memory

import "testing"

func TestBytes(t *testing.T) {
	for n, want := range map[int64]string{
		512:            "512 B",
		1536:           "1.5 KiB",
		170498071:      "162.6 MiB",
		3 << 30:        "3.0 GiB",
		5 << 40:        "5.0 TiB",
		3 << 50:        "3.0 PiB",
		1<<20 - 1:      "1024.0 KiB",
		8 << 30 * 1024: "8.0 TiB",
	} {
		if got := Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}
