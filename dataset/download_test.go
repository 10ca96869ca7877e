package dataset

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// serve serves body at /cifar-10-binary.tar.gz; a negative cut sends a
// Content-Length of len(body) but only the first -cut bytes.
func serve(t *testing.T, body []byte, cut int) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/"+ArchiveName {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		if cut < 0 {
			w.Write(body[:-cut])
			return // the server closes the connection short
		}
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// cacheFiles lists what is left in dir.
func cacheFiles(t *testing.T, dir string) []string {
	ents, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func TestDownload(t *testing.T) {
	arch := buildArchive(t, cifarArchDir, fakeMembers())
	withMD5(t, arch)
	srv := serve(t, arch, 0)
	cache := filepath.Join(t.TempDir(), "cache")
	// A partial file of a download killed two days ago is removed, one of
	// a download that may still be running is not.
	os.MkdirAll(cache, 0o755)
	old, young := filepath.Join(cache, ArchiveName+".1.partial"), filepath.Join(cache, ArchiveName+".2.partial")
	os.WriteFile(old, []byte("x"), 0o644)
	os.WriteFile(young, []byte("x"), 0o644)
	twoDays := time.Now().Add(-48 * time.Hour)
	os.Chtimes(old, twoDays, twoDays)
	var last, total int64
	file, err := Download(context.Background(), srv.URL+"/"+ArchiveName, cache, func(d, tot int64) { last, total = d, tot })
	if err != nil {
		t.Fatal(err)
	}
	if file != filepath.Join(cache, ArchiveName) {
		t.Errorf("path %s", file)
	}
	got, err := os.ReadFile(file)
	if err != nil || string(got) != string(arch) {
		t.Fatalf("downloaded file differs (%v)", err)
	}
	if last != int64(len(arch)) || total != int64(len(arch)) {
		t.Errorf("progress ended at %d of %d, want %d", last, total, len(arch))
	}
	if names := cacheFiles(t, cache); !slices.Equal(names, []string{ArchiveName, filepath.Base(young)}) {
		t.Errorf("cache holds %q, want %s and the young partial file", names, ArchiveName)
	}
}

func TestDownloadFailures(t *testing.T) {
	arch := buildArchive(t, cifarArchDir, fakeMembers())
	withMD5(t, arch)
	corrupt := append([]byte(nil), arch...)
	corrupt[len(corrupt)/2] ^= 1
	for _, c := range []struct {
		name string
		url  func() string
		want string
	}{
		{"corrupt", func() string { return serve(t, corrupt, 0).URL + "/" + ArchiveName }, "MD5"},
		{"404", func() string { return serve(t, arch, 0).URL + "/nothing.tar.gz" }, "404 Not Found"},
		{"truncated", func() string { return serve(t, arch, -len(arch)/2).URL + "/" + ArchiveName }, "after"},
		{"bad url", func() string { return "http://127.0.0.1:1/" + ArchiveName }, "download"},
		{"bad scheme", func() string { return "gopher:x" }, "download"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cache := filepath.Join(t.TempDir(), "cache")
			_, err := Download(context.Background(), c.url(), cache, nil)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "dataset: ") {
				t.Errorf("error %v, want one saying %q", err, c.want)
			}
			if names := cacheFiles(t, cache); len(names) != 0 {
				t.Errorf("the failed download left %q in the cache", names)
			}
		})
	}
	cache := t.TempDir()
	_, err := Download(context.Background(), serve(t, corrupt, 0).URL+"/"+ArchiveName, cache, nil)
	if !errors.Is(err, ErrChecksum) {
		t.Errorf("error %v, want ErrChecksum", err)
	}
}

func TestDownloadCancel(t *testing.T) {
	arch := buildArchive(t, cifarArchDir, fakeMembers())
	withMD5(t, arch)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The server sends half, then waits until the client gives up.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(arch)))
		w.Write(arch[:len(arch)/2])
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	defer srv.Close()
	cache := t.TempDir()
	_, err := Download(ctx, srv.URL+"/"+ArchiveName, cache, func(done, total int64) {
		if done >= int64(len(arch)/2) {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if names := cacheFiles(t, cache); len(names) != 0 {
		t.Errorf("the cancelled download left %q in the cache", names)
	}
}
