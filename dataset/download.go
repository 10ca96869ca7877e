package dataset

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// OfficialURL is where CIFAR-10's authors publish the binary version.
const OfficialURL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"

// ArchiveName is the name of the archive in the cache folder.
const ArchiveName = "cifar-10-binary.tar.gz"

// httpClient is http.DefaultClient with a limit on the wait for the
// response headers, so that a server that accepts and says nothing does
// not hang the run (the body may take as long as it takes; Ctrl-C
// cancels it).
var httpClient = func() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.ResponseHeaderTimeout = time.Minute
	return &http.Client{Transport: t}
}()

// OfficialMD5 is the published MD5 of the official cifar-10-binary.tar.gz.
const OfficialMD5 = "c32a1d4ab5d03f1284b67883e8d87530"

// cifarMD5 is the MD5 downloads and the cached archive are checked against:
// OfficialMD5, replaced by tests that serve a small archive.
var cifarMD5 = OfficialMD5

// Download fetches url (OfficialURL when "") into cacheDir (DefaultCacheDir
// when "") as cifar-10-binary.tar.gz and returns its path. The body goes to
// a temporary file in the same folder, named *.partial, which is renamed
// into place only when it is whole (Content-Length, when the server sends
// one) and its MD5 is the official one; on any failure, including ctx
// being cancelled, the temporary file is removed, so nothing is left that
// a later run would take for data. progress, when not nil, gets the bytes
// received and the total (-1 when unknown).
func Download(ctx context.Context, url, cacheDir string, progress func(done, total int64)) (string, error) {
	if url == "" {
		url = OfficialURL
	}
	if cacheDir == "" {
		var err error
		if cacheDir, err = DefaultCacheDir(); err != nil {
			return "", err
		}
	}
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return "", fmt.Errorf("dataset: cache folder: %w", err)
	}
	dst := filepath.Join(cacheDir, ArchiveName)
	removeStalePartials(cacheDir)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", fmt.Errorf("dataset: download %s: %w", url, err)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("dataset: download: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("dataset: download %s: %s", url, resp.Status)
	}

	tmp, err := os.CreateTemp(cacheDir, ArchiveName+".*.partial")
	if err != nil {
		return "", fmt.Errorf("dataset: cache folder: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := md5.New()
	pr := &progressReader{r: resp.Body, total: resp.ContentLength, progress: progress, ctx: ctx}
	n, err := io.Copy(io.MultiWriter(tmp, h), pr)
	if err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("dataset: download %s: %w", url, ctx.Err())
		}
		return "", fmt.Errorf("dataset: download %s: after %d bytes: %w", url, n, err)
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return "", fmt.Errorf("dataset: download %s: truncated: %d of %d bytes", url, n, resp.ContentLength)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != cifarMD5 {
		return "", &checksumError{File: url, Algo: "MD5", Got: got, Want: cifarMD5,
			Hint: fmt.Sprintf("the download (%d bytes) is corrupt or not cifar-10-binary.tar.gz", n)}
	}
	if err := tmp.Sync(); err != nil {
		return "", fmt.Errorf("dataset: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("dataset: %w", err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return "", fmt.Errorf("dataset: %w", err)
	}
	ok = true
	return dst, nil
}

// removeStalePartials deletes temporary files of downloads that were
// killed (SIGKILL, power loss) more than a day ago; younger ones may
// belong to a download running in another process.
func removeStalePartials(dir string) {
	names, _ := filepath.Glob(filepath.Join(dir, ArchiveName+".*.partial"))
	for _, n := range names {
		if st, err := os.Stat(n); err == nil && time.Since(st.ModTime()) > 24*time.Hour {
			os.Remove(n)
		}
	}
}
