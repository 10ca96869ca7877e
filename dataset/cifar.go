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
	"slices"
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
	dir, err := checkFolder(dir)
	if err != nil {
		return nil, err
	}
	d := &Dataset{Source: "folder " + dir, Image: &ImageShape{cifarSide, cifarSide, 3}}

	// Sizes first, so each split is allocated once and every batch is
	// decoded straight into place.
	names := append(append([]string(nil), cifarTrain...), cifarTest)
	sizes, total, err := batchSizes(dir, names)
	if err != nil {
		return nil, err
	}
	sums, err := readFolderExtras(d, dir)
	if err != nil {
		return nil, err
	}
	var nTrain int64
	for _, s := range sizes[:len(cifarTrain)] {
		nTrain += s / cifarRecord
	}
	nTest := sizes[len(cifarTrain)] / cifarRecord
	d.Train = Split{X: newImages(int(nTrain)), Y: make([]int, nTrain)}
	d.Test = Split{X: newImages(int(nTest)), Y: make([]int, nTest)}
	if err := readBatches(ctx, d, dir, names, sizes, sums, total, progress); err != nil {
		return nil, err
	}
	return d, nil
}

// checkFolder returns dir made absolute, or an error if it is not a folder.
func checkFolder(dir string) (string, error) {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	st, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", fmt.Errorf("dataset: %s: no such folder", dir)
		}
		return "", fmt.Errorf("dataset: %w", err)
	}
	if !st.IsDir() {
		return "", fmt.Errorf("dataset: %s is not a folder of CIFAR-10 batches (nor a .tar.gz)", dir)
	}
	return dir, nil
}

// batchSizes returns the size in whole records of each batch file names[i]
// in dir, and the total size in bytes of the files.
func batchSizes(dir string, names []string) (sizes []int64, total int64, err error) {
	sizes = make([]int64, len(names))
	for i, n := range names {
		st, err := os.Stat(filepath.Join(dir, n))
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, 0, fmt.Errorf("dataset: %s: missing %s (want data_batch_1..5.bin and test_batch.bin of the CIFAR-10 binary version)", dir, n)
			}
			return nil, 0, fmt.Errorf("dataset: %w", err)
		}
		if st.Size()%cifarRecord != 0 {
			// Read it anyway later, for an error naming the record.
			sizes[i] = st.Size() - st.Size()%cifarRecord
		} else {
			sizes[i] = st.Size()
		}
		total += st.Size()
	}
	return sizes, total, nil
}

// readFolderExtras reads the optional SHA256SUMS and batches.meta.txt of
// dir into d (class names, file digests) and returns the listed sums.
func readFolderExtras(d *Dataset, dir string) (map[string]string, error) {
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
	return sums, nil
}

// readBatches reads the batch files names (the training batches, then the
// test batch) of dir, checks them against sums and decodes them into d's
// splits, which are allocated to the sizes measured before.
func readBatches(ctx context.Context, d *Dataset, dir string, names []string, sizes []int64, sums map[string]string, total int64, progress func(done, total int64)) error {
	var buf []byte
	var done int64
	row := 0
	for i, n := range names {
		if err := ctx.Err(); err != nil {
			return err
		}
		name := filepath.Join(dir, n)
		var err error
		buf, err = readInto(ctx, buf, name, func(n int) {
			done += int64(n)
			if progress != nil {
				progress(done, total)
			}
		})
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("dataset: %w", err)
		}
		k, err := checkBatch(name, buf)
		if err != nil {
			return err
		}
		fsum := fileSum(name, buf)
		if want, ok := sums[n]; ok && want != fsum.SHA256 {
			return &checksumError{File: name, Algo: "SHA-256", Got: fsum.SHA256, Want: want + " listed in " + cifarSums}
		}
		d.Files = append(d.Files, fsum)
		split := &d.Train
		if i == len(cifarTrain) {
			split, row = &d.Test, 0
		}
		if int64(len(buf)) != sizes[i] || row+k > split.Len() {
			return fmt.Errorf("dataset: %s changed while it was read", name)
		}
		decodeBatch(split.X.Data[row*cifarPixels:(row+k)*cifarPixels], split.Y[row:row+k], buf)
		row += k
	}
	return nil
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
	f, st, err := openArchive(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st.IsDir() {
		return readFolder(ctx, file, progress)
	}
	md5h, shah := md5.New(), sha256.New()
	hashes := newHashPipe(md5h, shah)
	defer hashes.Close()
	pr := &progressReader{r: io.TeeReader(f, hashes), total: st.Size(), progress: progress, ctx: ctx}
	br := bufio.NewReaderSize(pr, 1<<20)

	a := &archiveReader{file: file, members: map[string][]byte{}, memberPath: map[string]string{},
		results: map[string]*batchResult{}, perBatch: -1}
	defer a.wg.Wait()
	gz, err := a.readMembers(ctx, br)
	if err != nil {
		return nil, err
	}
	// Hash the whole file, not just what tar needed.
	if err := drainArchive(ctx, file, gz, br, hashes); err != nil {
		return nil, err
	}
	arch := FileSum{Name: file, Bytes: pr.done, SHA256: hex.EncodeToString(shah.Sum(nil)), MD5: hex.EncodeToString(md5h.Sum(nil))}
	if wantMD5 != "" && arch.MD5 != wantMD5 {
		return nil, &checksumError{File: file, Algo: "MD5", Got: arch.MD5, Want: wantMD5,
			Hint: "the file is corrupt or not the official cifar-10-binary.tar.gz; delete it and run again"}
	}
	return a.dataset(arch)
}

// openArchive opens file and returns it with its FileInfo.
func openArchive(file string) (*os.File, os.FileInfo, error) {
	f, err := os.Open(file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("dataset: %s: no such file", file)
		}
		return nil, nil, fmt.Errorf("dataset: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("dataset: %w", err)
	}
	return f, st, nil
}

// drainArchive reads the rest of the gzip stream and of the file, so that
// the hashes see all of it, and waits for the hashing to end.
func drainArchive(ctx context.Context, file string, gz io.Reader, br io.Reader, hashes *hashPipe) error {
	for _, r := range []io.Reader{gz, br} {
		if _, err := io.Copy(io.Discard, r); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("dataset: %s: %v", file, err)
		}
	}
	if err := hashes.Close(); err != nil {
		return fmt.Errorf("dataset: %s: %v", file, err)
	}
	return nil
}

// archiveReader holds what one pass over a CIFAR-10 archive has found.
//
// Each batch is checked, hashed and (when its place is known) decoded in a
// goroutine while the next one is inflated. The training matrix is laid out
// on the guess that all five training batches have the size of the first
// one seen (true of the official archive); when a batch breaks the guess,
// all are decoded again at the end.
type archiveReader struct {
	file       string
	members    map[string][]byte // by base name
	memberPath map[string]string // base name → path in the archive
	results    map[string]*batchResult
	wg         sync.WaitGroup
	trainX     *matrix.Matrix
	trainY     []int
	perBatch   int // records per training batch, guessed from the first; -1 before
	testSplit  Split
}

// batchResult is what the goroutine checking one batch found.
type batchResult struct {
	n       int
	sum     FileSum
	err     error
	decoded bool
}

// isCIFARMember reports whether base is the name of a file of the CIFAR-10
// binary version that the reader uses.
func isCIFARMember(base string) bool {
	return base == cifarMeta || base == cifarTest || base == cifarSums || slices.Contains(cifarTrain, base)
}

// readMembers inflates the archive from br and reads its CIFAR-10 members,
// starting a check of each batch. It returns the gzip stream, read up to
// the end of the tar archive.
func (a *archiveReader) readMembers(ctx context.Context, br io.Reader) (*gzip.Reader, error) {
	gz, err := gzip.NewReader(br)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("dataset: %s: not a gzip-compressed tar archive: %v", a.file, err)
	}
	gz.Multistream(false)
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return gz, nil
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("dataset: %s: reading the archive: %v", a.file, err)
		}
		base := path.Base(hdr.Name)
		if !hdr.FileInfo().Mode().IsRegular() || !isCIFARMember(base) {
			continue
		}
		raw, err := a.readMember(ctx, tr, hdr, base)
		if err != nil {
			return nil, err
		}
		if base == cifarMeta || base == cifarSums {
			continue
		}
		a.startBatch(base, hdr.Name, raw)
	}
}

// readMember reads the member hdr, whose base name is base, from tr.
func (a *archiveReader) readMember(ctx context.Context, tr io.Reader, hdr *tar.Header, base string) ([]byte, error) {
	if prev, dup := a.memberPath[base]; dup {
		return nil, fmt.Errorf("dataset: %s: two members named %s (%s and %s)", a.file, base, prev, hdr.Name)
	}
	const maxMember = 1 << 30
	if hdr.Size > maxMember {
		return nil, fmt.Errorf("dataset: %s: member %s is %d bytes, too large for a CIFAR-10 batch", a.file, hdr.Name, hdr.Size)
	}
	raw := make([]byte, hdr.Size)
	adviseHuge(raw)
	if _, err := io.ReadFull(tr, raw); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("dataset: %s: member %s: %v", a.file, hdr.Name, err)
	}
	a.members[base], a.memberPath[base] = raw, hdr.Name
	return raw, nil
}

// startBatch checks, hashes and, where its place is known, decodes the
// batch raw (base name base, archive path member) in a goroutine.
func (a *archiveReader) startBatch(base, member string, raw []byte) {
	x, y := a.place(base, len(raw))
	r := &batchResult{}
	a.results[base] = r
	name := a.file + ": " + member
	a.wg.Go(func() {
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

// place returns where the batch base of size bytes goes in the splits, or
// nil if that is not known now (a size that is not whole records, or a
// training batch whose size breaks the guess).
func (a *archiveReader) place(base string, size int) ([]float32, []int) {
	k := size / cifarRecord
	if size%cifarRecord != 0 {
		return nil, nil
	}
	if base == cifarTest {
		a.testSplit = Split{X: newImages(k), Y: make([]int, k)}
		return a.testSplit.X.Data, a.testSplit.Y
	}
	if a.perBatch < 0 {
		a.perBatch = k
		a.trainX, a.trainY = newImages(len(cifarTrain)*k), make([]int, len(cifarTrain)*k)
	}
	if k != a.perBatch {
		return nil, nil
	}
	row := slices.Index(cifarTrain, base) * k
	return a.trainX.Data[row*cifarPixels : (row+k)*cifarPixels], a.trainY[row : row+k]
}

// dataset waits for the batches' checks and assembles the data set read
// from the archive whose digest is arch.
func (a *archiveReader) dataset(arch FileSum) (*Dataset, error) {
	d := &Dataset{Source: "archive " + a.file, Image: &ImageShape{cifarSide, cifarSide, 3}, Files: []FileSum{arch}}
	for _, n := range append(append([]string(nil), cifarTrain...), cifarTest) {
		if a.members[n] == nil {
			return nil, fmt.Errorf("dataset: %s: no member %s/%s (want data_batch_1..5.bin and test_batch.bin of the CIFAR-10 binary version)", a.file, cifarArchDir, n)
		}
	}
	if raw, ok := a.members[cifarMeta]; ok {
		var err error
		if d.Classes, err = parseMeta(a.file+": "+a.memberPath[cifarMeta], raw); err != nil {
			return nil, err
		}
		d.Files = append(d.Files, fileSum(a.memberPath[cifarMeta], raw))
	} else {
		d.Classes = defaultCIFARClasses()
	}
	var sums map[string]string
	var sumsErr error
	if raw, ok := a.members[cifarSums]; ok {
		sums, sumsErr = parseSums(a.file+": "+a.memberPath[cifarSums], raw)
		d.Files = append(d.Files, fileSum(a.memberPath[cifarSums], raw))
	}
	a.wg.Wait()
	if sumsErr != nil {
		return nil, sumsErr
	}
	counts, err := a.checkResults(d, sums)
	if err != nil {
		return nil, err
	}
	d.Test = a.testSplit
	guessed := true
	for _, n := range cifarTrain {
		guessed = guessed && a.results[n].decoded
	}
	if guessed {
		d.Train = Split{X: a.trainX, Y: a.trainY}
		return d, nil
	}
	a.trainX, a.trainY = nil, nil
	d.Train = a.decodeTrain(counts)
	return d, nil
}

// checkResults returns the first error of the batches' checks, or checks
// their digests against sums, adds them to d.Files and returns their
// record counts.
func (a *archiveReader) checkResults(d *Dataset, sums map[string]string) (map[string]int, error) {
	counts := map[string]int{}
	for _, n := range append(append([]string(nil), cifarTrain...), cifarTest) {
		r := a.results[n]
		if r.err != nil {
			return nil, r.err
		}
		counts[n] = r.n
		if want, ok := sums[n]; ok && want != r.sum.SHA256 {
			return nil, &checksumError{File: a.file + ": " + a.memberPath[n], Algo: "SHA-256", Got: r.sum.SHA256, Want: want + " listed in " + cifarSums}
		}
		d.Files = append(d.Files, r.sum)
	}
	return counts, nil
}

// decodeTrain decodes the training batches, of counts records, into a new
// split.
func (a *archiveReader) decodeTrain(counts map[string]int) Split {
	nTrain := 0
	for _, n := range cifarTrain {
		nTrain += counts[n]
	}
	s := Split{X: newImages(nTrain), Y: make([]int, nTrain)}
	row := 0
	for _, n := range cifarTrain {
		k := counts[n]
		decodeBatch(s.X.Data[row*cifarPixels:(row+k)*cifarPixels], s.Y[row:row+k], a.members[n])
		row += k
	}
	return s
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
