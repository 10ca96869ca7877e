// Package testio holds io helpers shared by the tests of several packages.
// Only tests import it.
package testio

import "io"

// CancelReader reads through R and calls Cancel once more than After bytes
// have been read through it (on every read from then on); N counts the
// bytes read. Tests use it to cancel a context part way through a text
// and check that reading stops soon after.
type CancelReader struct {
	R      io.Reader
	After  int
	N      int
	Cancel func()
}

func (c *CancelReader) Read(b []byte) (int, error) {
	k, err := c.R.Read(b)
	if c.N += k; c.N > c.After {
		c.Cancel()
	}
	return k, err
}
