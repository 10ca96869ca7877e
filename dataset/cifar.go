package dataset

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/svmbench/svmbench/matrix"
)

// The CIFAR-10 binary format: each record is one label byte (0–9) followed
// by 3072 pixel bytes, the red plane, then green, then blue, each 32×32
// row-major.
const (
	cifarSide    = 32
	cifarPixels  = cifarSide * cifarSide * 3
	cifarRecord  = 1 + cifarPixels // 3073
	cifarClasses = 10
	cifarMeta    = "batches.meta.txt"
	cifarTest    = "test_batch.bin"
	cifarSums    = "SHA256SUMS"
	cifarArchDir = "cifar-10-batches-bin"
)

var cifarTrain = []string{"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"}

// cifarNames are the class names of CIFAR-10, used when batches.meta.txt is
// absent.
var cifarNames = []string{"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"}

// checkBatch validates raw, the whole content of the CIFAR-10 batch file
// name: not empty, every label 0–9, whole 3073-byte records. It returns
// the number of records.
func checkBatch(name string, raw []byte) (int, error) {
	if len(raw) == 0 {
		return 0, &RecordError{File: name, Msg: fmt.Sprintf("file is empty, want records of %d bytes", cifarRecord)}
	}
	n := len(raw) / cifarRecord
	for i := 0; i < n; i++ {
		if l := raw[i*cifarRecord]; l >= cifarClasses {
			return 0, &RecordError{File: name, Record: i + 1,
				Msg: fmt.Sprintf("has label %d, want 0–9 (is this the CIFAR-10 binary version? records are 1 label byte + 3072 pixel bytes)", l)}
		}
	}
	if rem := len(raw) % cifarRecord; rem != 0 {
		return 0, &RecordError{File: name, Record: n + 1,
			Msg: fmt.Sprintf("is truncated: %d of %d bytes", rem, cifarRecord)}
	}
	return n, nil
}

// byteValue[b] is float32(b): a table load is faster than a conversion.
var byteValue = func() (t [256]float32) {
	for i := range t {
		t[i] = float32(i)
	}
	return t
}()

// decodeBatch writes the records of raw (already checked) as rows of x
// (len(raw)/3073 rows of 3072 values, 0–255) and their labels into y.
func decodeBatch(x []float32, y []int, raw []byte) {
	n := len(raw) / cifarRecord
	// Two workers at most: the loop is bound by memory.
	workers := min(runtime.GOMAXPROCS(0), 2, n)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		lo, hi := n*w/workers, n*(w+1)/workers
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				rec := raw[i*cifarRecord : (i+1)*cifarRecord]
				y[i] = int(rec[0])
				pix := rec[1:cifarRecord]
				dst := x[i*cifarPixels : (i+1)*cifarPixels]
				dst = dst[:len(pix)]
				for j, b := range pix {
					dst[j] = byteValue[b]
				}
			}
		})
	}
	wg.Wait()
}

// newImages returns a zeroed n×3072 matrix, advised to use huge pages.
func newImages(n int) *matrix.Matrix {
	m := matrix.New(n, cifarPixels)
	adviseHuge(m.Data)
	return m
}

// parseMeta reads batches.meta.txt: one class name a line, label i on line
// i+1; trailing blank lines are ignored.
func parseMeta(name string, raw []byte) ([]Class, error) {
	text := strings.TrimRight(strings.ReplaceAll(string(raw), "\r\n", "\n"), "\n \t")
	lines := strings.Split(text, "\n")
	if len(lines) != cifarClasses {
		return nil, &ParseError{File: name, Msg: fmt.Sprintf("has %d class names, want %d (one a line)", len(lines), cifarClasses)}
	}
	classes := make([]Class, cifarClasses)
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			return nil, &ParseError{File: name, Line: i + 1, Msg: "empty class name"}
		}
		classes[i] = Class{Label: i, Name: l}
	}
	return classes, nil
}

func defaultCIFARClasses() []Class {
	classes := make([]Class, cifarClasses)
	for i, n := range cifarNames {
		classes[i] = Class{Label: i, Name: n}
	}
	return classes
}

// parseSums reads a sha256sum listing ("HEX  NAME" lines) into a map from
// base name to lower-case hex digest.
func parseSums(file string, raw []byte) (map[string]string, error) {
	sums := map[string]string{}
	for i, l := range strings.Split(string(raw), "\n") {
		f := strings.Fields(l)
		if len(f) == 0 {
			continue
		}
		if len(f) != 2 || len(f[0]) != 64 || strings.Trim(strings.ToLower(f[0]), "0123456789abcdef") != "" {
			// A listing that cannot be read would check nothing: refuse it
			// rather than trust the batches unchecked.
			return nil, fmt.Errorf("dataset: %s:%d: want \"SHA256  FILE\" (sha256sum's format: 64 hex digits, spaces, a file name), got %.60q", file, i+1, l)
		}
		sums[path.Base(strings.TrimPrefix(f[1], "*"))] = strings.ToLower(f[0])
	}
	return sums, nil
}

// progressReader counts bytes read and reports them.
type progressReader struct {
	r        io.Reader
	done     int64
	total    int64
	progress func(done, total int64)
	ctx      context.Context
}

func (p *progressReader) Read(b []byte) (int, error) {
	if err := p.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := p.r.Read(b)
	p.done += int64(n)
	if p.progress != nil && n > 0 {
		p.progress(p.done, p.total)
	}
	return n, err
}

// readFolder reads a folder of CIFAR-10 binary batches. batches.meta.txt is
// optional (the standard names are used without it); a SHA256SUMS file, if
// present, is checked against the batches it lists.
func readFolder(ctx context.Context, dir string, progress func(done, total int64)) (*Dataset, error) {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	st, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("dataset: %s: no such folder", dir)
		}
		return nil, fmt.Errorf("dataset: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("dataset: %s is not a folder of CIFAR-10 batches (nor a .tar.gz)", dir)
	}
	d := &Dataset{Source: "folder " + dir, Image: &ImageShape{cifarSide, cifarSide, 3}}

	// Sizes first, so each split is allocated once and every batch is
	// decoded straight into place.
	names := append(append([]string(nil), cifarTrain...), cifarTest)
	sizes := make([]int64, len(names))
	var total int64
	for i, n := range names {
		st, err := os.Stat(filepath.Join(dir, n))
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("dataset: %s: missing %s (want data_batch_1..5.bin and test_batch.bin of the CIFAR-10 binary version)", dir, n)
			}
			return nil, fmt.Errorf("dataset: %w", err)
		}
		if st.Size()%cifarRecord != 0 {
			// Read it anyway below, for an error naming the record.
			sizes[i] = st.Size() - st.Size()%cifarRecord
		} else {
			sizes[i] = st.Size()
		}
		total += st.Size()
	}

	var sums map[string]string
	if raw, err := os.ReadFile(filepath.Join(dir, cifarSums)); err == nil {
		if sums, err = parseSums(filepath.Join(dir, cifarSums), raw); err != nil {
			return nil, err
		}
		d.Files = append(d.Files, fileSum(filepath.Join(dir, cifarSums), raw))
	}
	if raw, err := os.ReadFile(filepath.Join(dir, cifarMeta)); err == nil {
		if d.Classes, err = parseMeta(filepath.Join(dir, cifarMeta), raw); err != nil {
			return nil, err
		}
		d.Files = append(d.Files, fileSum(filepath.Join(dir, cifarMeta), raw))
	} else if errors.Is(err, fs.ErrNotExist) {
		d.Classes = defaultCIFARClasses()
	} else {
		return nil, fmt.Errorf("dataset: %w", err)
	}

	var nTrain int64
	for _, s := range sizes[:len(cifarTrain)] {
		nTrain += s / cifarRecord
	}
	nTest := sizes[len(cifarTrain)] / cifarRecord
	d.Train = Split{X: newImages(int(nTrain)), Y: make([]int, nTrain)}
	d.Test = Split{X: newImages(int(nTest)), Y: make([]int, nTest)}

	var buf []byte
	var done int64
	row := 0
	for i, n := range names {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		name := filepath.Join(dir, n)
		buf, err = readInto(ctx, buf, name, func(n int) {
			done += int64(n)
			if progress != nil {
				progress(done, total)
			}
		})
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("dataset: %w", err)
		}
		k, err := checkBatch(name, buf)
		if err != nil {
			return nil, err
		}
		fsum := fileSum(name, buf)
		if want, ok := sums[n]; ok && want != fsum.SHA256 {
			return nil, &checksumError{File: name, Algo: "SHA-256", Got: fsum.SHA256, Want: want + " listed in " + cifarSums}
		}
		d.Files = append(d.Files, fsum)
		split := &d.Train
		if i == len(cifarTrain) {
			split, row = &d.Test, 0
		}
		if int64(len(buf)) != sizes[i] || row+k > split.Len() {
			return nil, fmt.Errorf("dataset: %s changed while it was read", name)
		}
		decodeBatch(split.X.Data[row*cifarPixels:(row+k)*cifarPixels], split.Y[row:row+k], buf)
		row += k
	}
	return d, nil
}

// readInto reads the file name into buf, reusing its storage, and calls
// onRead with the number of bytes of each chunk read.
func readInto(ctx context.Context, buf []byte, name string, onRead func(n int)) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return buf, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return buf, err
	}
	if int64(cap(buf)) < st.Size() {
		buf = make([]byte, st.Size())
	}
	buf = buf[:st.Size()]
	const chunk = 4 << 20
	for off := 0; off < len(buf); {
		if err := ctx.Err(); err != nil {
			return buf, err
		}
		n, err := io.ReadFull(f, buf[off:min(off+chunk, len(buf))])
		off += n
		if onRead != nil {
			onRead(n)
		}
		if err == io.ErrUnexpectedEOF || err == io.EOF {
			return buf[:off], fmt.Errorf("%s shrank while it was read", name)
		}
		if err != nil {
			return buf[:off], err
		}
	}
	return buf, nil
}

func fileSum(name string, raw []byte) FileSum {
	s := sha256.Sum256(raw)
	return FileSum{Name: name, Bytes: int64(len(raw)), SHA256: hex.EncodeToString(s[:])}
}

// readArchive reads the CIFAR-10 batches straight from a gzip-compressed tar
// archive (the official cifar-10-binary.tar.gz, members under
// cifar-10-batches-bin/), streaming it once. Members are matched by base
// name; others (readme.html) are skipped. The archive's MD5 is computed on
// the way; when wantMD5 is not empty a different digest is an error.
func readArchive(ctx context.Context, file, wantMD5 string, progress func(done, total int64)) (*Dataset, error) {
	if abs, err := filepath.Abs(file); err == nil {
		file = abs
	}
	f, err := os.Open(file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("dataset: %s: no such file", file)
		}
		return nil, fmt.Errorf("dataset: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	if st.IsDir() {
		return readFolder(ctx, file, progress)
	}
	md5h, shah := md5.New(), sha256.New()
	hashes := newHashPipe(md5h, shah)
	defer hashes.Close()
	pr := &progressReader{r: io.TeeReader(f, hashes), total: st.Size(), progress: progress, ctx: ctx}
	br := bufio.NewReaderSize(pr, 1<<20)

	gz, err := gzip.NewReader(br)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("dataset: %s: not a gzip-compressed tar archive: %v", file, err)
	}
	gz.Multistream(false)
	tr := tar.NewReader(gz)
	members := map[string][]byte{}
	memberPath := map[string]string{}
	wanted := map[string]bool{cifarMeta: true, cifarTest: true, cifarSums: true}
	for _, n := range cifarTrain {
		wanted[n] = true
	}
	// Each batch is checked, hashed and (when its place is known) decoded
	// in a goroutine while the next one is inflated. The training matrix
	// is laid out on the guess that all five training batches have the
	// size of the first one seen (true of the official archive); when a
	// batch breaks the guess, all are decoded again at the end.
	type batchResult struct {
		n       int
		sum     FileSum
		err     error
		decoded bool
	}
	results := map[string]*batchResult{}
	trainIndex := map[string]int{}
	for i, n := range cifarTrain {
		trainIndex[n] = i
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	var trainX *matrix.Matrix
	var trainY []int
	perBatch := -1 // records per training batch, guessed from the first
	var testSplit Split
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("dataset: %s: reading the archive: %v", file, err)
		}
		base := path.Base(hdr.Name)
		if !hdr.FileInfo().Mode().IsRegular() || !wanted[base] {
			continue
		}
		if prev, dup := memberPath[base]; dup {
			return nil, fmt.Errorf("dataset: %s: two members named %s (%s and %s)", file, base, prev, hdr.Name)
		}
		const maxMember = 1 << 30
		if hdr.Size > maxMember {
			return nil, fmt.Errorf("dataset: %s: member %s is %d bytes, too large for a CIFAR-10 batch", file, hdr.Name, hdr.Size)
		}
		raw := make([]byte, hdr.Size)
		adviseHuge(raw)
		if _, err := io.ReadFull(tr, raw); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("dataset: %s: member %s: %v", file, hdr.Name, err)
		}
		members[base], memberPath[base] = raw, hdr.Name
		if base == cifarMeta || base == cifarSums {
			continue
		}
		// Where the batch goes, if that is known now.
		var x []float32
		var y []int
		if k := len(raw) / cifarRecord; len(raw)%cifarRecord == 0 {
			if base == cifarTest {
				testSplit = Split{X: newImages(k), Y: make([]int, k)}
				x, y = testSplit.X.Data, testSplit.Y
			} else {
				if perBatch < 0 {
					perBatch = k
					trainX, trainY = newImages(len(cifarTrain)*k), make([]int, len(cifarTrain)*k)
				}
				if k == perBatch {
					row := trainIndex[base] * k
					x, y = trainX.Data[row*cifarPixels:(row+k)*cifarPixels], trainY[row:row+k]
				}
			}
		}
		r := &batchResult{}
		results[base] = r
		name, member := file+": "+hdr.Name, hdr.Name
		wg.Go(func() {
			if r.n, r.err = checkBatch(name, raw); r.err != nil {
				return
			}
			r.sum = fileSum(member, raw)
			if x != nil {
				decodeBatch(x, y, raw)
				r.decoded = true
			}
		})
	}
	// Hash the whole file, not just what tar needed.
	if _, err := io.Copy(io.Discard, gz); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("dataset: %s: %v", file, err)
	}
	if _, err := io.Copy(io.Discard, br); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("dataset: %s: %v", file, err)
	}
	if err := hashes.Close(); err != nil {
		return nil, fmt.Errorf("dataset: %s: %v", file, err)
	}
	arch := FileSum{Name: file, Bytes: pr.done, SHA256: hex.EncodeToString(shah.Sum(nil)), MD5: hex.EncodeToString(md5h.Sum(nil))}
	if wantMD5 != "" && arch.MD5 != wantMD5 {
		return nil, &checksumError{File: file, Algo: "MD5", Got: arch.MD5, Want: wantMD5,
			Hint: "the file is corrupt or not the official cifar-10-binary.tar.gz; delete it and run again"}
	}

	d := &Dataset{Source: "archive " + file, Image: &ImageShape{cifarSide, cifarSide, 3}, Files: []FileSum{arch}}
	for _, n := range append(append([]string(nil), cifarTrain...), cifarTest) {
		if members[n] == nil {
			return nil, fmt.Errorf("dataset: %s: no member %s/%s (want data_batch_1..5.bin and test_batch.bin of the CIFAR-10 binary version)", file, cifarArchDir, n)
		}
	}
	if raw, ok := members[cifarMeta]; ok {
		name := file + ": " + memberPath[cifarMeta]
		if d.Classes, err = parseMeta(name, raw); err != nil {
			return nil, err
		}
		d.Files = append(d.Files, fileSum(memberPath[cifarMeta], raw))
	} else {
		d.Classes = defaultCIFARClasses()
	}
	var sums map[string]string
	var sumsErr error
	if raw, ok := members[cifarSums]; ok {
		sums, sumsErr = parseSums(file+": "+memberPath[cifarSums], raw)
		d.Files = append(d.Files, fileSum(memberPath[cifarSums], raw))
	}
	wg.Wait()
	if sumsErr != nil {
		return nil, sumsErr
	}
	counts := map[string]int{}
	for _, n := range append(append([]string(nil), cifarTrain...), cifarTest) {
		r := results[n]
		if r.err != nil {
			return nil, r.err
		}
		counts[n] = r.n
		if want, ok := sums[n]; ok && want != r.sum.SHA256 {
			return nil, &checksumError{File: file + ": " + memberPath[n], Algo: "SHA-256", Got: r.sum.SHA256, Want: want + " listed in " + cifarSums}
		}
		d.Files = append(d.Files, r.sum)
	}
	d.Test = testSplit
	guessed := true
	for _, n := range cifarTrain {
		guessed = guessed && results[n].decoded
	}
	if guessed {
		d.Train = Split{X: trainX, Y: trainY}
		return d, nil
	}
	trainX, trainY = nil, nil
	nTrain := 0
	for _, n := range cifarTrain {
		nTrain += counts[n]
	}
	d.Train = Split{X: newImages(nTrain), Y: make([]int, nTrain)}
	row := 0
	for _, n := range cifarTrain {
		k := counts[n]
		decodeBatch(d.Train.X.Data[row*cifarPixels:(row+k)*cifarPixels], d.Train.Y[row:row+k], members[n])
		row += k
	}
	return d, nil
}

// hashPipe feeds what is written to it to hashes in another goroutine, so
// that hashing the archive overlaps with decompressing it.
type hashPipe struct {
	ch   chan []byte
	free chan []byte
	done chan struct{}
	once sync.Once
}

func newHashPipe(hs ...hash.Hash) *hashPipe {
	p := &hashPipe{ch: make(chan []byte, 4), free: make(chan []byte, 4), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		for b := range p.ch {
			for _, h := range hs {
				h.Write(b)
			}
			select {
			case p.free <- b[:0]:
			default:
			}
		}
	}()
	return p
}

func (p *hashPipe) Write(b []byte) (int, error) {
	var c []byte
	select {
	case c = <-p.free:
	default:
	}
	c = append(c, b...)
	p.ch <- c
	return len(b), nil
}

// Close waits until everything written has been hashed.
func (p *hashPipe) Close() error {
	p.once.Do(func() { close(p.ch) })
	<-p.done
	return nil
}
