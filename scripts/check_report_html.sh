#!/usr/bin/env bash
# check_report_html.sh: opens a report.html in headless Chromium as a
# reader would and fails (exit 1) unless
#   - the page is self-contained: no src/href/url() outside data: URIs and
#     #anchors, and every network name is made unresolvable while it loads;
#   - every <img> loads (complete, naturalWidth > 0);
#   - the page logs nothing to the console (no errors, no failed loads);
#   - at 1280 px wide, the first table and the first figure lie within the
#     top HEIGHT px (default 2400) and nothing is wider than the window.
# It writes a 1280×HEIGHT screenshot of the unmodified page to SCREENSHOT
# (default report-screenshot.png beside the report): look at it.
#
#   scripts/check_report_html.sh REPORT.html [SCREENSHOT.png] [HEIGHT]
#
# Needs Debian's chromium. The checks run in a copy of the page with one
# script appended that writes its findings into a data-check attribute,
# read back with --dump-dom; the screenshot is of the page as written.
# Exit status: 0 pass, 1 a check failed, 2 usage or no chromium.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 3 ]]; then
	echo "usage: $0 REPORT.html [SCREENSHOT.png] [HEIGHT]" >&2
	exit 2
fi
report=$(realpath "$1")
shot=${2:-$(dirname "$report")/report-screenshot.png}
height=${3:-2400}
[[ -f $report ]] || { echo "check_report_html: $report: no such file" >&2; exit 2; }
chromium=${CHROMIUM:-chromium}
command -v "$chromium" >/dev/null || { echo "check_report_html: $chromium not found (apt-get install chromium)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0

# 1. Self-contained: every src=, href= and url( points into the page itself.
if grep -oE '(src|href)="[^"#][^"]{0,40}|url\([^)d][^)]{0,40}' "$report" | grep -vE '(src|href)="data:|url\(data:' >"$work/refs"; then
	echo "check_report_html: FAIL: the page refers to other files or the network:" >&2
	sed 's/^/  /' "$work/refs" | head >&2
	fail=1
fi

run_chromium() { # extra flags...
	local profile
	profile=$(mktemp -d -p "$work")
	timeout 120 "$chromium" --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update --no-first-run \
		--user-data-dir="$profile" --host-resolver-rules="MAP * ~NOTFOUND" \
		--hide-scrollbars --window-size=1280,"$height" "$@"
}

# 2. Images, console and layout, in a copy with the probe appended.
probe='<script>window.addEventListener("load",function(){var im=[].slice.call(document.images),bad=im.filter(function(i){return !i.complete||i.naturalWidth===0}).map(function(i){return i.alt||i.src.slice(0,30)});var t=document.querySelector("table"),f=document.querySelector("figure");var b=function(e){return e?Math.ceil(e.getBoundingClientRect().bottom+window.scrollY):-1};document.body.setAttribute("data-check","images="+im.length+" broken="+bad.length+" table_bottom="+b(t)+" figure_bottom="+b(f)+" scroll_width="+document.documentElement.scrollWidth+" bad="+bad.join(","))});</script>'
sed "s#</body>#${probe//&/\\&}</body>#" "$report" >"$work/check.html"
run_chromium --enable-logging=stderr --v=0 --virtual-time-budget=5000 --dump-dom "file://$work/check.html" >"$work/dom" 2>"$work/log" || {
	echo "check_report_html: FAIL: chromium exited with status $? (log: $(tail -3 "$work/log"))" >&2
	exit 1
}
check=$(grep -oE 'data-check="[^"]*"' "$work/dom" | head -1 | sed 's/^data-check="//; s/"$//')
if [[ -z $check ]]; then
	echo "check_report_html: FAIL: the page did not finish loading (no probe result)" >&2
	exit 1
fi
echo "check_report_html: $check"
val() { sed -nE "s/.*(^| )$1=([^ ]*).*/\2/p" <<<"$check"; }
images=$(val images) broken=$(val broken) tb=$(val table_bottom) fb=$(val figure_bottom) sw=$(val scroll_width)
if ((images == 0)); then echo "check_report_html: FAIL: no images" >&2; fail=1; fi
if ((broken > 0)); then echo "check_report_html: FAIL: $broken of $images images did not load: $(val bad)" >&2; fail=1; fi
if ((tb < 0 || tb > height)); then echo "check_report_html: FAIL: the first table ends at ${tb} px, not within the top $height px" >&2; fail=1; fi
if ((fb < 0 || fb > height)); then echo "check_report_html: FAIL: the first figure ends at ${fb} px, not within the top $height px" >&2; fail=1; fi
if ((sw > 1280)); then echo "check_report_html: FAIL: the page is $sw px wide at a 1280 px window" >&2; fail=1; fi
if grep -E ':CONSOLE' "$work/log" >"$work/console"; then
	echo "check_report_html: FAIL: console messages:" >&2
	sed 's/^/  /' "$work/console" | head >&2
	fail=1
fi

# 3. The screenshot, of the page as written.
run_chromium --screenshot="$work/shot.png" "file://$report" >/dev/null 2>"$work/shotlog" || {
	echo "check_report_html: FAIL: screenshot failed ($(tail -3 "$work/shotlog"))" >&2
	exit 1
}
cp "$work/shot.png" "$shot"
echo "check_report_html: screenshot 1280x$height in $shot"
if ((fail)); then exit 1; fi
echo "check_report_html: PASS $report"
