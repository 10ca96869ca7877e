package dataset

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
)

// Default sizes of the synthetic data set.
const (
	SyntheticTrain = 10000
	SyntheticTest  = 2000
)

var syntheticNames = []string{"red-0", "orange-18", "yellow-36", "lime-54", "green-72",
	"teal-90", "cyan-108", "blue-126", "violet-144", "magenta-162"}

// synthClass is the recipe of one synthetic class: a tint added to every
// pixel, and a sinusoidal grating of a given orientation and frequency
// whose per-channel weights are the class colour.
type synthClass struct {
	tint   [3]float64 // mean offset per channel
	colour [3]float64 // grating weight per channel
	cos    []float64  // cos of the grating phase at each pixel (32×32)
	sin    []float64
	kx, ky float64 // wave vector in radians per pixel
}

// Parameters of the synthetic images (intensities 0–255). The tint is the
// part a linear model can use; the grating moves with a random shift, so
// its linear part is blurred, while its orientation stays visible to
// non-linear models; noise, brightness and contrast jitter hide both.
const (
	synthTint       = 14.0 // amplitude of the class tint
	synthGrating    = 45.0 // amplitude of the grating
	synthNoise      = 38.0 // std. dev. of the per-pixel Gaussian noise
	synthBrightness = 30.0 // std. dev. of a per-image brightness offset
	synthShift      = 5    // grating shifted by up to ±synthShift pixels
	synthJitter     = 12.0 // std. dev. of a per-image, per-channel offset
)

func synthClasses() []synthClass {
	cls := make([]synthClass, 10)
	for k := range cls {
		c := &cls[k]
		hue := 2 * math.Pi * float64(k) / 10
		for ch := 0; ch < 3; ch++ {
			// An RGB colour wheel: channel phases 0, 2π/3, 4π/3.
			v := math.Cos(hue - 2*math.Pi*float64(ch)/3)
			c.tint[ch] = synthTint * v
			c.colour[ch] = 0.6 + 0.4*v
		}
		theta := math.Pi * float64(k) / 10 // ten orientations over 180°
		freq := 2 * math.Pi * float64(2+k%3) / cifarSide
		c.kx, c.ky = freq*math.Cos(theta), freq*math.Sin(theta)
		c.cos = make([]float64, cifarSide*cifarSide)
		c.sin = make([]float64, cifarSide*cifarSide)
		for y := 0; y < cifarSide; y++ {
			for x := 0; x < cifarSide; x++ {
				a := c.kx*float64(x) + c.ky*float64(y)
				c.cos[y*cifarSide+x], c.sin[y*cifarSide+x] = math.Cos(a), math.Sin(a)
			}
		}
	}
	return cls
}

// Synthetic returns the generated 10-class data set of 32×32×3 images:
// nTrain training and nTest test images (0 means the defaults, 10000 and
// 2000), labels in turn 0, 1, …, 9, 0, … so that every class has
// ⌊n/10⌋ or ⌈n/10⌉ images. The same seed gives the same data; training
// and test images are drawn independently.
//
// Each image is 128 + class tint + a grating (class orientation and
// frequency, class-coloured, shifted by a random offset, with random
// contrast) + a random brightness offset + Gaussian noise, rounded and
// clipped to 0–255. A linear classifier learns it well above chance (10%)
// and well below 100%; a non-linear one can also read the orientation
// (svm-train 3.24 on 2000/1000 images: linear 48.1%, RBF 84.3%).
func Synthetic(nTrain, nTest int, seed uint64) *Dataset {
	if nTrain <= 0 {
		nTrain = SyntheticTrain
	}
	if nTest <= 0 {
		nTest = SyntheticTest
	}
	cls := synthClasses()
	d := &Dataset{
		Source: fmt.Sprintf("synthetic seed=%d train=%d test=%d", seed, nTrain, nTest),
		Image:  &ImageShape{cifarSide, cifarSide, 3},
		Train:  synthSplit(cls, nTrain, seed, 1),
		Test:   synthSplit(cls, nTest, seed, 2),
	}
	d.Classes = make([]Class, 10)
	for i, n := range syntheticNames {
		d.Classes[i] = Class{Label: i, Name: n}
	}
	return d
}

func synthSplit(cls []synthClass, n int, seed, stream uint64) Split {
	s := Split{X: newImages(n), Y: make([]int, n)}
	workers := max(1, min(runtime.GOMAXPROCS(0), n/256))
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		lo, hi := n*w/workers, n*(w+1)/workers
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				// One generator per image: the data do not depend on
				// the number of workers.
				rng := rand.New(rand.NewPCG(seed, stream<<40^uint64(i)))
				s.Y[i] = i % len(cls)
				synthImage(s.X.Row(i), &cls[s.Y[i]], rng)
			}
		})
	}
	wg.Wait()
	return s
}

func synthImage(dst []float32, c *synthClass, rng *rand.Rand) {
	dx := float64(rng.IntN(2*synthShift+1) - synthShift)
	dy := float64(rng.IntN(2*synthShift+1) - synthShift)
	// cos(a - p) = cos a cos p + sin a sin p, with p the phase of the shift.
	p := c.kx*dx + c.ky*dy
	cp, sp := math.Cos(p), math.Sin(p)
	contrast := synthGrating * (0.5 + rng.Float64())
	bright := 128 + synthBrightness*rng.NormFloat64()
	const plane = cifarSide * cifarSide
	for ch := 0; ch < 3; ch++ {
		base := bright + c.tint[ch] + synthJitter*rng.NormFloat64()
		amp := contrast * c.colour[ch]
		out := dst[ch*plane : (ch+1)*plane]
		for j := range out {
			v := base + amp*(c.cos[j]*cp+c.sin[j]*sp) + synthNoise*rng.NormFloat64()
			out[j] = float32(math.Round(min(255, max(0, v))))
		}
	}
}
