package reports

import (
	"errors"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// chromiumCheck runs scripts/check_report_html.sh on html and returns its
// output and exit status; it skips the test when chromium is not
// installed.
func chromiumCheck(t *testing.T, html, shot string) (string, int) {
	t.Helper()
	if _, err := exec.LookPath("chromium"); err != nil {
		t.Skip("chromium not installed (Debian package chromium): the headless browser check is skipped")
	}
	if testing.Short() {
		t.Skip("-short: the headless browser check takes about 15 s")
	}
	out, err := exec.Command("bash", filepath.Join("..", "scripts", "check_report_html.sh"), html, shot).CombinedOutput()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &ee):
		return string(out), ee.ExitCode()
	}
	t.Fatalf("running the check: %v\n%s", err, out)
	return "", -1
}

// TestReportInChromium writes the fixture's report and opens it in
// headless Chromium: every image loads, nothing on the console, no
// network, the first table and figure in a 1280-px-wide screenshot.
func TestReportInChromium(t *testing.T) {
	dir := t.TempDir()
	if err := Write(loadFixture(t), dir); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "screenshot.png")
	out, code := chromiumCheck(t, filepath.Join(dir, "report.html"), shot)
	if code != 0 || !strings.Contains(out, "PASS") {
		t.Fatalf("check_report_html.sh exited %d:\n%s", code, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if cfg.Width != 1280 {
		t.Errorf("screenshot is %d px wide, want 1280", cfg.Width)
	}
}

// TestChromiumCheckFails shows that the check can fail: a page with an
// image that does not decode, a console error and a network reference.
func TestChromiumCheckFails(t *testing.T) {
	dir := t.TempDir()
	page := `<!DOCTYPE html><html><body><table><tr><td>x</td></tr></table>
<figure><img alt="broken" src="data:image/png;base64,AAAA"></figure>
<img alt="remote" src="http://example.invalid/a.png">
<script>console.error("boom")</script></body></html>`
	html := filepath.Join(dir, "report.html")
	if err := os.WriteFile(html, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	out, code := chromiumCheck(t, html, filepath.Join(dir, "shot.png"))
	if code != 1 {
		t.Fatalf("check exited %d on a broken page, want 1:\n%s", code, out)
	}
	for _, want := range []string{"refers to other files", "2 of 2 images did not load", "console messages"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
