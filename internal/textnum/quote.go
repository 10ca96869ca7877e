package textnum

import "strconv"

// quoteMax is the most bytes of a field that Quote shows.
const quoteMax = 32

// Quote returns b quoted as fmt's %q does; a field longer than 32 bytes is
// quoted in part, its first 32 bytes followed by "… (N bytes)". Errors
// quote fields of a file, and a field can be megabytes long (a binary file
// has no spaces, and its first "field" was once a 7 MB error message).
func Quote[T ~string | ~[]byte](b T) string {
	if len(b) <= quoteMax {
		return strconv.Quote(string(b))
	}
	return strconv.Quote(string(b[:quoteMax])) + "… (" + strconv.Itoa(len(b)) + " bytes)"
}
