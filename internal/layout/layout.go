package layout

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Graph is a topology snapshot: nodes 0..N-1 and weighted undirected edges.
type Graph struct {
	N        int
	Src, Dst []int32
	Weight   []float32 // nil: every edge weighs 1
	// Prev maps each node to its index in the previous snapshot, or -1 for a
	// new node, so that removals and reorderings keep positions. nil means
	// node i was node i before (new nodes are those past the old N).
	Prev []int32
}

// Layout is a 3D force-directed layout on flat float32 slices (see doc.go).
// It is not safe for concurrent use; the Runner wraps it for that. A Layout
// holds no goroutine of its own: the Pool it is given does the parallel work.
type Layout struct {
	p    Params
	pool *Pool
	ws   []scratch

	n       int
	x, y, z []float32
	mass    []float32
	pinned  []bool
	pts     []point // x, y, z, mass packed per node, refreshed every step

	fx, fy, fz []float32 // force of the current step
	ox, oy, oz []float32 // force of the previous step (swing, traction)
	vx, vy, vz []float32 // momentum when Damping > 0
	swing      []float32 // per-node swing m_i·|F_i − F_i,old| of this step

	adj  csr
	tree octree
	ext  extra

	// adaptive speed (ForceAtlas2) and cooling state
	speed, speedEff float64
	temperature     float64
	haveOld         bool

	// per-step values shared by the phase functions
	kr, eps2              float32
	stepSpeed, stepDamp   float32
	stepMaxDisp2          float32
	boundsValid           bool
	energy, normEnergy    float64
	smoothEnergy          float64
	stable, sinceWake     int
	settled               bool
	steps                 uint64
	lastInteractions      int64
	rng                   *rand.Rand
	fnBounds, fnKeys      RangeFunc
	fnGather, fnRepulse   RangeFunc
	fnCentroids, fnForces RangeFunc
	fnApply, fnPts        RangeFunc
}

// New returns an empty layout. pool may be nil (serial) and is not owned:
// the caller closes it after the layout's last step. seed fixes the
// placement of nodes that have no placed neighbour.
func New(p Params, pool *Pool, seed uint64) (*Layout, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	l := &Layout{p: p, pool: pool, rng: rand.New(rand.NewPCG(seed, 0x1a7e5eed))}
	l.ws = make([]scratch, pool.Workers())
	l.tree.leafCap, l.tree.groupCap = p.LeafSize, p.GroupSize
	l.speed, l.speedEff, l.temperature = 1, 1, 1
	l.fnBounds = l.boundsRange
	l.fnKeys = l.keysRange
	l.fnGather = l.gatherRange
	l.fnRepulse = l.repulseRange
	l.fnCentroids = l.centroidsRange
	l.fnForces = l.forcesRange
	l.fnApply = l.applyRange
	l.fnPts = l.ptsRange
	return l, nil
}

// setPool swaps the worker pool, resizing the per-worker scratch.
func (l *Layout) setPool(p *Pool) {
	l.pool = p
	if len(l.ws) == p.Workers() {
		return
	}
	l.boundsValid = false // the bounds live in the old scratch
	l.ws = make([]scratch, p.Workers())
	for w := range l.ws {
		l.ws[w].centroid = make([]float64, 4*(l.ext.ncat+l.ext.ncoal))
	}
}

// Params returns the current parameters.
func (l *Layout) Params() Params { return l.p }

// SetParams replaces the parameters; the speed state is kept, so weights and
// forces can be tuned while the layout runs.
func (l *Layout) SetParams(p Params) error {
	if err := p.Validate(); err != nil {
		return err
	}
	l.p = p
	l.tree.leafCap, l.tree.groupCap = p.LeafSize, p.GroupSize
	return nil
}

// N returns the number of nodes.
func (l *Layout) N() int { return l.n }

// Positions returns the layout's own coordinate slices. They are valid until
// the next call that changes the layout; callers must not write them.
func (l *Layout) Positions() (x, y, z []float32) { return l.x, l.y, l.z }

// Steps returns the number of steps taken.
func (l *Layout) Steps() uint64 { return l.steps }

// Settled reports whether the energy has stopped changing (see Params).
func (l *Layout) Settled() bool { return l.settled }

// Energy returns Σ|Δp|² of the last step.
func (l *Layout) Energy() float64 { return l.energy }

// SettleEnergy returns the smoothed step energy Σ|Δp|²/(N·R²) that the
// settle rule compares with Params.SettleEnergy.
func (l *Layout) SettleEnergy() float64 { return l.smoothEnergy }

// Interactions returns the pair interactions the tree walk evaluated in the
// last step (exact O(N²) would be N²).
func (l *Layout) Interactions() int64 { return l.lastInteractions }

// Wake clears the settled state and resets the temperature, so a settled
// layout moves again (the Runner calls it on every change).
func (l *Layout) Wake() {
	l.settled, l.stable, l.sinceWake = false, 0, 0
	l.temperature = 1
	l.speed = max(l.speed, 1)
}

// SetPosition moves node i, e.g. while it is dragged or to pin it somewhere.
func (l *Layout) SetPosition(i int, x, y, z float32) error {
	if i < 0 || i >= l.n {
		return fmt.Errorf("%w: node %d outside [0,%d)", ErrInvalidInput, i, l.n)
	}
	l.x[i], l.y[i], l.z[i] = x, y, z
	l.boundsValid = false
	return nil
}

// SetPinned fixes or frees node i: a pinned node exerts forces but never
// moves.
func (l *Layout) SetPinned(i int, pinned bool) error {
	if i < 0 || i >= l.n {
		return fmt.Errorf("%w: node %d outside [0,%d)", ErrInvalidInput, i, l.n)
	}
	l.pinned[i] = pinned
	return nil
}

// SetGraph replaces the topology. Positions of surviving nodes are kept
// (see Graph.Prev); a new node starts at the centroid of its already placed
// neighbours plus a small jitter, and only a node with no placed neighbour
// at all starts at random, inside the current layout's radius.
func (l *Layout) SetGraph(g Graph) error {
	if g.N < 0 {
		return fmt.Errorf("%w: %d nodes", ErrInvalidInput, g.N)
	}
	if g.Prev != nil && len(g.Prev) != g.N {
		return fmt.Errorf("%w: Prev has %d entries for %d nodes", ErrInvalidInput, len(g.Prev), g.N)
	}
	for i, p := range g.Prev {
		if p < -1 || int(p) >= l.n {
			return fmt.Errorf("%w: Prev[%d] = %d outside [-1,%d)", ErrInvalidInput, i, p, l.n)
		}
	}
	var adj csr
	if err := adj.build(g.N, g.Src, g.Dst, g.Weight); err != nil {
		return err
	}
	oldN := l.n
	prev := func(i int) int {
		if g.Prev != nil {
			return int(g.Prev[i])
		}
		if i < oldN {
			return i
		}
		return -1
	}
	n := g.N
	nx, ny, nz := make([]float32, n), make([]float32, n), make([]float32, n)
	pin := make([]bool, n)
	vx, vy, vz := make([]float32, n), make([]float32, n), make([]float32, n)
	ox, oy, oz := make([]float32, n), make([]float32, n), make([]float32, n)
	placed := make([]bool, n)
	for i := range n {
		if j := prev(i); j >= 0 {
			nx[i], ny[i], nz[i] = l.x[j], l.y[j], l.z[j]
			pin[i] = l.pinned[j]
			vx[i], vy[i], vz[i] = l.vx[j], l.vy[j], l.vz[j]
			ox[i], oy[i], oz[i] = l.ox[j], l.oy[j], l.oz[j]
			placed[i] = true
		}
	}
	radius := l.radius()
	if radius == 0 {
		// a fresh layout: spread nodes so that the average density is about
		// one node per unit volume
		radius = max(1, float32(math.Cbrt(float64(n))))
	}
	jitter := radius / float32(math.Cbrt(float64(max(n, 1)))) / 4
	l.placeNew(&adj, nx, ny, nz, placed, radius, jitter)

	l.n, l.adj = n, adj
	l.x, l.y, l.z, l.pinned = nx, ny, nz, pin
	l.vx, l.vy, l.vz, l.ox, l.oy, l.oz = vx, vy, vz, ox, oy, oz
	l.fx, l.fy, l.fz = make([]float32, n), make([]float32, n), make([]float32, n)
	l.mass = make([]float32, n)
	l.pts = make([]point, n)
	l.swing = make([]float32, n)
	for i := range n {
		l.mass[i] = float32(adj.degree(i) + 1)
	}
	l.tree.resize(n)
	l.boundsValid = false
	l.ext.reset(n)
	l.Wake()
	return nil
}

// placeNew positions unplaced nodes near placed neighbours. Two sweeps let a
// chain of new nodes hang off one placed node; what is still unplaced after
// that has no placed node within two hops and goes somewhere random.
func (l *Layout) placeNew(adj *csr, x, y, z []float32, placed []bool, radius, jitter float32) {
	for range 2 {
		for i := range placed {
			if placed[i] {
				continue
			}
			var sx, sy, sz float32
			k := 0
			for e := adj.off[i]; e < adj.off[i+1]; e++ {
				if j := adj.nbr[e]; placed[j] {
					sx, sy, sz = sx+x[j], sy+y[j], sz+z[j]
					k++
				}
			}
			if k == 0 {
				continue
			}
			f := 1 / float32(k)
			x[i] = sx*f + jitter*float32(l.rng.NormFloat64())
			y[i] = sy*f + jitter*float32(l.rng.NormFloat64())
			z[i] = sz*f + jitter*float32(l.rng.NormFloat64())
			placed[i] = true
		}
	}
	for i := range placed {
		if !placed[i] {
			// uniform in the ball: direction from a Gaussian, radius ∝ cbrt(U)
			gx, gy, gz := l.rng.NormFloat64(), l.rng.NormFloat64(), l.rng.NormFloat64()
			r := float64(radius) * math.Cbrt(l.rng.Float64()) / math.Max(math.Sqrt(gx*gx+gy*gy+gz*gz), 1e-12)
			x[i], y[i], z[i] = float32(gx*r), float32(gy*r), float32(gz*r)
		}
	}
}

// radius returns the RMS distance of the nodes from their centroid.
func (l *Layout) radius() float32 {
	if l.n == 0 {
		return 0
	}
	var sx, sy, sz, s2 float64
	for i := range l.n {
		x, y, z := float64(l.x[i]), float64(l.y[i]), float64(l.z[i])
		sx, sy, sz = sx+x, sy+y, sz+z
		s2 += x*x + y*y + z*z
	}
	n := float64(l.n)
	v := s2/n - (sx*sx+sy*sy+sz*sz)/(n*n)
	return float32(math.Sqrt(math.Max(v, 0)))
}
