package kernels

import "math"

// kmap is the elementwise map from inner products to kernel values, resolved
// once per call by a type switch so that the built-in kernels run as
// specialised loops with no interface call per element. Other DotKernels go
// through FromDot (one interface call per element); kernels that are not
// DotKernels go through Eval and need no matrix product at all.
type kmap struct {
	kind kmapKind
	k    Kernel
	dk   DotKernel // nil unless the kernel is a DotKernel
	p, q float64   // Sigmoid: α, c; RBF: γ; Poly: γ, c
	deg  int       // Poly: degree
}

type kmapKind uint8

const (
	kEval    kmapKind = iota // not a DotKernel: Eval per element
	kLinear                  // identity
	kSigmoid                 // tanh(α·dot + c)
	kRBF                     // exp(−γ·max(0, xx + yy − 2·dot))
	kPoly                    // (γ·dot + c)^d
	kDot                     // any other DotKernel: FromDot per element
)

func newKmap(k Kernel) kmap {
	m := kmap{k: k}
	m.dk, _ = k.(DotKernel)
	switch k := k.(type) {
	case Linear:
		m.kind = kLinear
	case Sigmoid:
		m.kind, m.p, m.q = kSigmoid, k.Alpha, k.Coef0
	case RBF:
		m.kind, m.p = kRBF, k.Gamma
	case Poly:
		m.kind, m.p, m.q, m.deg = kPoly, k.Gamma, k.Coef0, k.Degree
	case DotKernel:
		m.kind = kDot
	default:
		m.kind = kEval
	}
	return m
}

// isDot reports whether the kernel is computed through inner products.
func (m *kmap) isDot() bool { return m.kind != kEval }

// needNorms reports whether the map reads the squared norms.
func (m *kmap) needNorms() bool { return m.kind == kRBF || m.kind == kDot }

// diag is K(x, x) from ‖x‖² = n, accumulated in float64: the engine writes it
// wherever a row meets itself, so that the diagonal does not carry the
// float32 rounding of the matrix product (an RBF diagonal is exactly 1).
func (m *kmap) diag(n float64) float32 {
	if m.dk == nil {
		panic("kernels: diag of a kernel that is not a DotKernel")
	}
	return float32(m.dk.FromDot(n, n, n))
}

// row maps out[j] = K from dot = src[j], xx = ni and yy = nj[j]. out and src
// may be the same slice. nj is read only when needNorms.
func (m *kmap) row(out, src []float32, ni float64, nj []float64) {
	if len(out) == 0 {
		return
	}
	src = src[:len(out)]
	switch m.kind {
	case kLinear:
		if &out[0] != &src[0] {
			copy(out, src)
		}
	case kSigmoid:
		a, c := m.p, m.q
		for j, v := range src {
			out[j] = float32(math.Tanh(a*float64(v) + c))
		}
	case kRBF:
		g := m.p
		nj = nj[:len(out)]
		for j, v := range src {
			d := ni + nj[j] - 2*float64(v)
			if d < 0 { // rounding of the expansion
				d = 0
			}
			out[j] = float32(math.Exp(-g * d))
		}
	case kPoly:
		g, c, deg := m.p, m.q, m.deg
		for j, v := range src {
			out[j] = float32(powi(g*float64(v)+c, deg))
		}
	case kDot:
		nj = nj[:len(out)]
		for j, v := range src {
			out[j] = float32(m.dk.FromDot(float64(v), ni, nj[j]))
		}
	default:
		panic("kernels: row map of a kernel that is not a DotKernel")
	}
}

// rowGather maps out[j] = K from dot = src[cols[j]], xx = ni and
// yy = norms[cols[j]].
func (m *kmap) rowGather(out, src []float32, cols []int, ni float64, norms []float64) {
	cols = cols[:len(out)]
	switch m.kind {
	case kLinear:
		for j, c := range cols {
			out[j] = src[c]
		}
	case kSigmoid:
		a, c0 := m.p, m.q
		for j, c := range cols {
			out[j] = float32(math.Tanh(a*float64(src[c]) + c0))
		}
	case kRBF:
		g := m.p
		for j, c := range cols {
			d := ni + norms[c] - 2*float64(src[c])
			if d < 0 {
				d = 0
			}
			out[j] = float32(math.Exp(-g * d))
		}
	case kPoly:
		g, c0, deg := m.p, m.q, m.deg
		for j, c := range cols {
			out[j] = float32(powi(g*float64(src[c])+c0, deg))
		}
	case kDot:
		for j, c := range cols {
			out[j] = float32(m.dk.FromDot(float64(src[c]), ni, norms[c]))
		}
	default:
		panic("kernels: row map of a kernel that is not a DotKernel")
	}
}
