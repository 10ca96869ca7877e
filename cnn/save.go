package cnn

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"math"
	"os"

	"github.com/svmbench/svmbench/internal/atomicfile"
)

// The model file format, version 1 (all integers little-endian):
//
//	magic    8 bytes  "SVMBCNN\n"
//	version  uint32   1
//	hlen     uint32   length of the header
//	header   hlen bytes of JSON: {"name", "input": {"h","w","c"},
//	         "layers": [{"kind", and the layer's sizes}], "params": N}
//	params   N float32 values: each layer's Params in order
//	crc      uint32   CRC-32 (IEEE) of everything before it
const (
	fileMagic   = "SVMBCNN\n"
	fileVersion = 1
)

type fileLayer struct {
	Kind   string `json:"kind"`
	In     int    `json:"in,omitempty"`
	Out    int    `json:"out,omitempty"`
	K      int    `json:"k,omitempty"`
	Stride int    `json:"stride,omitempty"`
	Pad    int    `json:"pad,omitempty"`
	Size   int    `json:"size,omitempty"`
}

type fileHeader struct {
	Name   string      `json:"name"`
	Input  fileShape   `json:"input"`
	Layers []fileLayer `json:"layers"`
	Params int         `json:"params"`
}

type fileShape struct {
	H int `json:"h"`
	W int `json:"w"`
	C int `json:"c"`
}

// Marshal encodes n in the model file format.
func (n *Network) Marshal() ([]byte, error) {
	if _, err := n.Shapes(); err != nil {
		return nil, err
	}
	h := fileHeader{Name: n.Name, Input: fileShape{n.Input.H, n.Input.W, n.Input.C}, Params: n.NumParams()}
	for _, l := range n.Layers {
		fl := fileLayer{Kind: l.Kind()}
		switch l := l.(type) {
		case *Conv2D:
			fl.In, fl.Out, fl.K, fl.Stride, fl.Pad = l.In, l.Out, l.K, l.Stride, l.Pad
		case *Dense:
			fl.In, fl.Out = l.In, l.Out
		case *MaxPool:
			fl.Size = l.Size
		}
		h.Layers = append(h.Layers, fl)
	}
	hj, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(fileMagic)
	binary.Write(&b, binary.LittleEndian, uint32(fileVersion))
	binary.Write(&b, binary.LittleEndian, uint32(len(hj)))
	b.Write(hj)
	var buf [4]byte
	for _, l := range n.Layers {
		for _, p := range l.Params() {
			for _, v := range p {
				binary.LittleEndian.PutUint32(buf[:], math.Float32bits(v))
				b.Write(buf[:])
			}
		}
	}
	binary.Write(&b, binary.LittleEndian, crc32.ChecksumIEEE(b.Bytes()))
	return b.Bytes(), nil
}

// Unmarshal decodes a network written by Marshal. Errors wrap ErrFormat.
func Unmarshal(data []byte) (*Network, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrFormat, fmt.Sprintf(format, a...))
	}
	if len(data) < len(fileMagic) || string(data[:len(fileMagic)]) != fileMagic {
		return nil, bad("does not start with %q (not a svmbench CNN model)", fileMagic[:7])
	}
	if len(data) < len(fileMagic)+12 {
		return nil, bad("truncated header (%d bytes)", len(data))
	}
	ver := binary.LittleEndian.Uint32(data[8:])
	if ver != fileVersion {
		return nil, bad("format version %d, this build reads version %d", ver, fileVersion)
	}
	if crc := binary.LittleEndian.Uint32(data[len(data)-4:]); crc != crc32.ChecksumIEEE(data[:len(data)-4]) {
		return nil, bad("checksum mismatch: the file is truncated or damaged")
	}
	hlen := int(binary.LittleEndian.Uint32(data[12:]))
	body := data[16 : len(data)-4]
	if hlen > len(body) {
		return nil, bad("header length %d exceeds the file", hlen)
	}
	var h fileHeader
	if err := json.Unmarshal(body[:hlen], &h); err != nil {
		return nil, bad("header: %v", err)
	}
	n := &Network{Name: h.Name, Input: Shape{h.Input.H, h.Input.W, h.Input.C}}
	for i, fl := range h.Layers {
		var l Layer
		switch fl.Kind {
		case "conv2d":
			if fl.In < 1 || fl.Out < 1 || fl.K < 1 || fl.In*fl.Out*fl.K*fl.K > 1<<28 {
				return nil, bad("layer %d: conv2d sizes in %d out %d k %d out of range", i, fl.In, fl.Out, fl.K)
			}
			l = NewConv2D(fl.In, fl.Out, fl.K, fl.Stride, fl.Pad)
		case "dense":
			if fl.In < 1 || fl.Out < 1 || fl.In*fl.Out > 1<<28 {
				return nil, bad("layer %d: dense sizes in %d out %d out of range", i, fl.In, fl.Out)
			}
			l = NewDense(fl.In, fl.Out)
		case "maxpool":
			l = &MaxPool{Size: fl.Size}
		case "relu":
			l = ReLU{}
		case "sigmoid":
			l = Sigmoid{}
		case "flatten":
			l = Flatten{}
		default:
			return nil, bad("layer %d: unknown kind %q", i, fl.Kind)
		}
		n.Layers = append(n.Layers, l)
	}
	if _, err := n.Shapes(); err != nil {
		return nil, bad("%v", err)
	}
	p := body[hlen:]
	if np := n.NumParams(); np != h.Params || len(p) != 4*np {
		return nil, bad("%d parameter bytes for %d parameters (header says %d)", len(p), np, h.Params)
	}
	for _, l := range n.Layers {
		for _, q := range l.Params() {
			for i := range q {
				q[i] = math.Float32frombits(binary.LittleEndian.Uint32(p))
				p = p[4:]
			}
		}
	}
	return n, nil
}

// Save writes n to path through a temporary file in the same folder and
// a rename, so that path never holds a half-written model.
func (n *Network) Save(path string) error {
	data, err := n.Marshal()
	if err != nil {
		return err
	}
	return writeFileAtomic(path, data)
}

// Load reads a model written by Save.
func Load(path string) (*Network, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cnn: %w", err)
	}
	n, err := Unmarshal(data)
	if err != nil {
		return nil, fmt.Errorf("cnn: %s: %w", path, err)
	}
	return n, nil
}

func writeFileAtomic(path string, data []byte) error {
	if err := atomicfile.WriteBytes(path, data); err != nil {
		return fmt.Errorf("cnn: saving %s: %w", path, err)
	}
	return nil
}

// The checkpoint format, version 1 (little-endian): magic "SVMBCKP\n",
// uint32 version, uint32 epochs done, uint64 length of the model bytes,
// the model in the model file format, the momentum buffers as float32
// values in parameter order, and a CRC-32 (IEEE) of everything before it.
const (
	ckptMagic   = "SVMBCKP\n"
	ckptVersion = 1
)

// SaveCheckpoint writes net and the training state s (see
// TrainConfig.State) to path through a temporary file and a rename.
func SaveCheckpoint(path string, net *Network, s *TrainState) error {
	model, err := net.Marshal()
	if err != nil {
		return err
	}
	n := net.NumParams()
	got := 0
	for _, v := range s.Velocity {
		got += len(v)
	}
	if got != n {
		return fmt.Errorf("cnn: checkpoint: %d momentum values for %d parameters", got, n)
	}
	var b bytes.Buffer
	b.WriteString(ckptMagic)
	binary.Write(&b, binary.LittleEndian, uint32(ckptVersion))
	binary.Write(&b, binary.LittleEndian, uint32(s.Epoch))
	binary.Write(&b, binary.LittleEndian, uint64(len(model)))
	b.Write(model)
	var buf [4]byte
	for _, v := range s.Velocity {
		for _, x := range v {
			binary.LittleEndian.PutUint32(buf[:], math.Float32bits(x))
			b.Write(buf[:])
		}
	}
	binary.Write(&b, binary.LittleEndian, crc32.ChecksumIEEE(b.Bytes()))
	return writeFileAtomic(path, b.Bytes())
}

// LoadCheckpoint reads a checkpoint written by SaveCheckpoint. Errors for
// files it cannot read wrap ErrFormat.
func LoadCheckpoint(path string) (*Network, *TrainState, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("cnn: %w", err)
	}
	bad := func(format string, a ...any) error {
		return fmt.Errorf("cnn: %s: %w: %s", path, ErrFormat, fmt.Sprintf(format, a...))
	}
	if len(data) < len(ckptMagic)+20 || string(data[:len(ckptMagic)]) != ckptMagic {
		return nil, nil, bad("not a svmbench CNN checkpoint")
	}
	if v := binary.LittleEndian.Uint32(data[8:]); v != ckptVersion {
		return nil, nil, bad("checkpoint format version %d, this build reads version %d", v, ckptVersion)
	}
	if crc := binary.LittleEndian.Uint32(data[len(data)-4:]); crc != crc32.ChecksumIEEE(data[:len(data)-4]) {
		return nil, nil, bad("checksum mismatch: the file is truncated or damaged")
	}
	epoch := int(binary.LittleEndian.Uint32(data[12:]))
	mlen := binary.LittleEndian.Uint64(data[16:])
	body := data[24 : len(data)-4]
	if mlen > uint64(len(body)) {
		return nil, nil, bad("model length %d exceeds the file", mlen)
	}
	net, err := Unmarshal(body[:mlen])
	if err != nil {
		return nil, nil, fmt.Errorf("cnn: %s: %w", path, err)
	}
	rest := body[mlen:]
	if len(rest) != 4*net.NumParams() {
		return nil, nil, bad("%d momentum bytes for %d parameters", len(rest), net.NumParams())
	}
	s := &TrainState{Epoch: epoch}
	for _, l := range net.Layers {
		for _, p := range l.Params() {
			v := make([]float32, len(p))
			for i := range v {
				v[i] = math.Float32frombits(binary.LittleEndian.Uint32(rest))
				rest = rest[4:]
			}
			s.Velocity = append(s.Velocity, v)
		}
	}
	return net, s, nil
}
