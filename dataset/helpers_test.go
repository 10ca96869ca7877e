package dataset

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"encoding/hex"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeBatch returns n CIFAR-10 records with labels (first+i)%10 and
// random pixels.
func fakeBatch(seed uint64, n, first int) []byte {
	rng := rand.New(rand.NewPCG(seed, 7))
	b := make([]byte, n*cifarRecord)
	for i := 0; i < n; i++ {
		b[i*cifarRecord] = byte((first + i) % 10)
		for j := 1; j < cifarRecord; j++ {
			b[i*cifarRecord+j] = byte(rng.Uint32())
		}
	}
	return b
}

type member struct {
	name string
	data []byte
}

// fakeMembers is a small CIFAR-10: batches of 3, 4, 5, 6, 7 training
// records, 8 test records, and the meta file.
func fakeMembers() []member {
	var ms []member
	for i, n := range cifarTrain {
		ms = append(ms, member{n, fakeBatch(uint64(i), 3+i, i)})
	}
	ms = append(ms, member{cifarTest, fakeBatch(99, 8, 0)})
	ms = append(ms, member{cifarMeta, []byte(strings.Join(cifarNames, "\n") + "\n\n")})
	return ms
}

func writeFolder(t testing.TB, dir string, ms []member) {
	t.Helper()
	for _, m := range ms {
		if err := os.WriteFile(filepath.Join(dir, m.name), m.data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// buildArchive makes a .tar.gz of ms under prefix/ (as the official archive
// has them under cifar-10-batches-bin/), with a directory entry and a
// readme first.
func buildArchive(t testing.TB, prefix string, ms []member) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	tw := tar.NewWriter(gz)
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if prefix != "" {
		must(tw.WriteHeader(&tar.Header{Name: prefix + "/", Typeflag: tar.TypeDir, Mode: 0o755}))
		prefix += "/"
	}
	readme := []byte("<html>not data</html>")
	must(tw.WriteHeader(&tar.Header{Name: prefix + "readme.html", Mode: 0o644, Size: int64(len(readme))}))
	_, err := tw.Write(readme)
	must(err)
	for _, m := range ms {
		must(tw.WriteHeader(&tar.Header{Name: prefix + m.name, Mode: 0o644, Size: int64(len(m.data))}))
		_, err := tw.Write(m.data)
		must(err)
	}
	must(tw.Close())
	must(gz.Close())
	return buf.Bytes()
}

func md5hex(b []byte) string {
	s := md5.Sum(b)
	return hex.EncodeToString(s[:])
}

// withMD5 makes the expected archive MD5 that of b for the test.
func withMD5(t *testing.T, b []byte) {
	old := cifarMD5
	cifarMD5 = md5hex(b)
	t.Cleanup(func() { cifarMD5 = old })
}

// replace returns ms with the member called name replaced by data.
func replace(ms []member, name string, data []byte) []member {
	out := append([]member(nil), ms...)
	for i := range out {
		if out[i].name == name {
			out[i].data = data
		}
	}
	return out
}
