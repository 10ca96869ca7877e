package dataset

import "errors"

// LoadLIBSVM reads a training and a test file in LIBSVM text format.
func LoadLIBSVM(train, test string) (*Dataset, error) {
	return nil, errors.New("dataset: libsvm: not implemented yet")
}
