package cnn

import (
	"errors"
	"fmt"
)

// ErrFormat is wrapped by every error that Load returns for a file that is
// not a model this build can read (bad magic, other version, damaged).
var ErrFormat = errors.New("cnn: not a readable model file")

// ShapeError reports a layer that cannot take the shape it is given.
type ShapeError struct {
	Layer int    // index in Network.Layers
	Kind  string // layer kind
	In    Shape  // the shape it was given
	Msg   string // what was expected
}

func (e *ShapeError) Error() string {
	return fmt.Sprintf("cnn: layer %d (%s) given input %v: %s", e.Layer, e.Kind, e.In, e.Msg)
}

// ConfigError reports a training setting out of range.
type ConfigError struct {
	Field string
	Value any
	Want  string
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("cnn: invalid TrainConfig.%s %v: want %s", e.Field, e.Value, e.Want)
}
