package layout

import (
	"math"
)

const (
	nodeChunk  = 4096 // nodes per claimed chunk in the O(N) phases
	groupChunk = 8    // interaction groups per claimed chunk in the tree walk
)

// Step advances the layout by one iteration. It allocates nothing once the
// buffers have grown to the graph (the first step grows them).
func (l *Layout) Step() {
	n := l.n
	if n == 0 {
		return
	}
	p := &l.p
	l.kr = float32(p.Repulsion)
	l.eps2 = float32(p.Softening * p.Softening)
	l.tree.theta = float32(p.Theta)
	l.tree.leafCap, l.tree.groupCap = p.LeafSize, p.GroupSize
	ws := l.ws

	// 1. Octree: bounds, Morton keys, sort, gather, build.
	if l.kr != 0 {
		if !l.boundsValid {
			l.resetBounds()
			l.pool.Run(l.fnBounds, n, nodeChunk)
		}
		mn, mx := l.mergeBounds()
		l.tree.setBounds(mn, mx)
		l.pool.Run(l.fnKeys, n, nodeChunk)
		l.tree.sort()
		l.pool.Run(l.fnGather, n, nodeChunk)
		l.tree.build()
		for w := range ws {
			ws[w].interactions = 0
		}
		// 2. Repulsion by the tree.
		l.pool.Run(l.fnRepulse, len(l.tree.groups), groupChunk)
		l.lastInteractions = 0
		for w := range ws {
			l.lastInteractions += ws[w].interactions
		}
	} else {
		l.pool.Run(l.fnPts, n, nodeChunk)
		clear(l.fx)
		clear(l.fy)
		clear(l.fz)
		l.lastInteractions = 0
	}

	// 3. Centroid-based terms need one reduction before the node pass.
	l.ext.setWeights(&p.Weights)
	if l.ext.needCentroids() {
		for w := range ws {
			clear(ws[w].centroid)
		}
		l.pool.Run(l.fnCentroids, n, nodeChunk)
		l.ext.mergeCentroids(ws, l.kr, l.eps2)
	}

	// 4. Springs, gravity and the extra terms; swing and traction sums.
	for w := range ws {
		ws[w].swing, ws[w].traction = 0, 0
	}
	l.pool.Run(l.fnForces, n, nodeChunk)
	var swing, traction float64
	for w := range ws {
		swing += ws[w].swing
		traction += ws[w].traction
	}
	l.adjustSpeed(swing, traction)

	// 5. Move.
	l.stepSpeed = float32(l.speed * l.temperature)
	l.stepDamp = float32(p.Damping)
	l.stepMaxDisp2 = float32(p.MaxDisplacement * p.MaxDisplacement)
	l.resetBounds()
	for w := range ws {
		ws[w].energy, ws[w].sum, ws[w].sum2 = 0, [3]float64{}, 0
	}
	l.pool.Run(l.fnApply, n, nodeChunk)
	l.boundsValid = true
	var e, s2 float64
	var sum [3]float64
	for w := range ws {
		e += ws[w].energy
		s2 += ws[w].sum2
		for k := range 3 {
			sum[k] += ws[w].sum[k]
		}
	}
	fn := float64(n)
	r2 := s2/fn - (sum[0]*sum[0]+sum[1]*sum[1]+sum[2]*sum[2])/(fn*fn)
	l.energy = e
	if r2 > 0 {
		l.normEnergy = e / (fn * r2)
	} else {
		l.normEnergy = 0
	}
	l.temperature = math.Max(l.temperature*p.Cooling, p.MinTemperature)
	l.updateSettled()
	l.steps++
}

// adjustSpeed is ForceAtlas2's global speed rule (Jacomy et al. 2014, and
// the Gephi implementation it documents): the speed grows while the nodes'
// total traction dominates their swinging and drops when they oscillate,
// rising by at most 50% per step.
func (l *Layout) adjustSpeed(swing, traction float64) {
	if swing <= 0 || traction <= 0 {
		return
	}
	n := float64(l.n)
	tol := l.p.JitterTolerance
	estimated := 0.05 * math.Sqrt(n)
	minJT, maxJT := math.Sqrt(estimated), 10.0
	jt := tol * math.Max(minJT, math.Min(maxJT, estimated*traction/(n*n)))
	const minEff = 0.05
	if swing/traction > 2 {
		if l.speedEff > minEff {
			l.speedEff *= 0.5
		}
		jt = math.Max(jt, tol)
	}
	target := jt * l.speedEff * traction / swing
	if swing > jt*traction {
		if l.speedEff > minEff {
			l.speedEff *= 0.7
		}
	} else if l.speed < 1000 {
		l.speedEff *= 1.3
	}
	const maxRise = 0.5
	l.speed += math.Min(target-l.speed, maxRise*l.speed)
}

// updateSettled implements the settle rule of Params.SettleEnergy.
func (l *Layout) updateSettled() {
	l.sinceWake++
	if l.sinceWake == 1 {
		l.smoothEnergy = l.normEnergy
	} else {
		l.smoothEnergy += 0.1 * (l.normEnergy - l.smoothEnergy)
	}
	if l.smoothEnergy <= l.p.SettleEnergy {
		l.stable++
	} else {
		l.stable = 0
	}
	l.settled = l.sinceWake >= l.p.MinSteps && l.stable >= l.p.SettleSteps
}

func (l *Layout) resetBounds() {
	inf, ninf := float32(math.Inf(1)), float32(math.Inf(-1))
	for w := range l.ws {
		l.ws[w].min = [3]float32{inf, inf, inf}
		l.ws[w].max = [3]float32{ninf, ninf, ninf}
	}
}

func (l *Layout) mergeBounds() (mn, mx [3]float32) {
	mn, mx = l.ws[0].min, l.ws[0].max
	for w := 1; w < len(l.ws); w++ {
		for k := range 3 {
			mn[k] = min(mn[k], l.ws[w].min[k])
			mx[k] = max(mx[k], l.ws[w].max[k])
		}
	}
	return mn, mx
}

func (l *Layout) boundsRange(w, lo, hi int) {
	s := &l.ws[w]
	for i := lo; i < hi; i++ {
		s.include(l.x[i], l.y[i], l.z[i])
	}
}

func (s *scratch) include(x, y, z float32) {
	// NaN compares false and so never widens the box.
	if x < s.min[0] {
		s.min[0] = x
	}
	if x > s.max[0] {
		s.max[0] = x
	}
	if y < s.min[1] {
		s.min[1] = y
	}
	if y > s.max[1] {
		s.max[1] = y
	}
	if z < s.min[2] {
		s.min[2] = z
	}
	if z > s.max[2] {
		s.max[2] = z
	}
}

func (l *Layout) keysRange(_, lo, hi int) {
	l.tree.keysRange(l.x, l.y, l.z, lo, hi)
	l.ptsRange(0, lo, hi)
}

// ptsRange packs positions and masses of nodes [lo, hi) into pts, so that
// the random reads of the gather and of the spring loop cost one cache line
// per node instead of four.
func (l *Layout) ptsRange(_, lo, hi int) {
	pts := l.pts[lo:hi]
	x, y, z, m := l.x[lo:hi], l.y[lo:hi], l.z[lo:hi], l.mass[lo:hi]
	for i := range pts {
		pts[i] = point{x[i], y[i], z[i], m[i]}
	}
}

func (l *Layout) gatherRange(_, lo, hi int) { l.tree.gatherRange(l.pts, lo, hi) }

func (l *Layout) repulseRange(w, lo, hi int) {
	l.tree.repulseGroups(&l.ws[w], lo, hi, l.kr, l.eps2, l.fx, l.fy, l.fz)
}

func (l *Layout) centroidsRange(w, lo, hi int) {
	l.ext.centroidsRange(l.ws[w].centroid, l.x, l.y, l.z, lo, hi)
}

// forcesRange adds springs, gravity and the extra terms to the repulsion
// already in fx, fy, fz, and sums ForceAtlas2's swing and traction.
func (l *Layout) forcesRange(w, lo, hi int) {
	s := &l.ws[w]
	ka := float32(l.p.Attraction)
	kg := float32(l.p.Gravity)
	linLog, strong := l.p.LinLog, l.p.StrongGravity
	adj := &l.adj
	pts := l.pts
	var swing, traction float64
	for i := lo; i < hi; i++ {
		px, py, pz := l.x[i], l.y[i], l.z[i]
		fx, fy, fz := l.fx[i], l.fy[i], l.fz[i]
		if ka != 0 {
			var sx, sy, sz float32
			for e := adj.off[i]; e < adj.off[i+1]; e++ {
				q := &pts[adj.nbr[e]]
				dx, dy, dz := q.x-px, q.y-py, q.z-pz
				f := adj.w[e]
				if linLog {
					d := float32(math.Sqrt(float64(dx*dx + dy*dy + dz*dz)))
					if d > 0 {
						f *= float32(math.Log1p(float64(d))) / d
					}
				}
				sx += f * dx
				sy += f * dy
				sz += f * dz
			}
			fx, fy, fz = fx+ka*sx, fy+ka*sy, fz+ka*sz
		}
		if kg != 0 {
			g := kg * l.mass[i]
			if !strong {
				d := float32(math.Sqrt(float64(px*px + py*py + pz*pz)))
				if d > 0 {
					g /= d
				} else {
					g = 0
				}
			}
			fx, fy, fz = fx-g*px, fy-g*py, fz-g*pz
		}
		if l.ext.active {
			ex, ey, ez := l.ext.force(i, px, py, pz, l.x, l.y, l.z, l.mass, l.kr, l.eps2)
			fx, fy, fz = fx+ex, fy+ey, fz+ez
		}
		l.fx[i], l.fy[i], l.fz[i] = fx, fy, fz
		if l.pinned[i] {
			continue
		}
		// float32 square roots: these sums only steer the global speed
		ox, oy, oz := l.ox[i], l.oy[i], l.oz[i]
		dx, dy, dz := fx-ox, fy-oy, fz-oz
		sx, sy, sz := fx+ox, fy+oy, fz+oz
		sw := l.mass[i] * float32(math.Sqrt(float64(dx*dx+dy*dy+dz*dz)))
		l.swing[i] = sw
		swing += float64(sw)
		traction += float64(l.mass[i] * 0.5 * float32(math.Sqrt(float64(sx*sx+sy*sy+sz*sz))))
	}
	s.swing += swing
	s.traction += traction
}

// applyRange moves nodes with ForceAtlas2's per-node speed
// speed/(1+sqrt(speed·swing_i)) times the temperature, then records the
// force for the next step's swing and the new bounds for the next tree.
func (l *Layout) applyRange(w, lo, hi int) {
	s := &l.ws[w]
	speed, damp, max2 := l.stepSpeed, l.stepDamp, l.stepMaxDisp2
	var energy, sx, sy, sz, s2 float64
	for i := lo; i < hi; i++ {
		fx, fy, fz := l.fx[i], l.fy[i], l.fz[i]
		if l.pinned[i] {
			l.ox[i], l.oy[i], l.oz[i] = fx, fy, fz
			l.vx[i], l.vy[i], l.vz[i] = 0, 0, 0
			x, y, z := l.x[i], l.y[i], l.z[i]
			s.include(x, y, z)
			sx, sy, sz = sx+float64(x), sy+float64(y), sz+float64(z)
			s2 += float64(x*x + y*y + z*z)
			continue
		}
		factor := speed / (1 + float32(math.Sqrt(float64(speed*l.swing[i]))))
		dx, dy, dz := factor*fx, factor*fy, factor*fz
		if damp > 0 {
			dx += damp * l.vx[i]
			dy += damp * l.vy[i]
			dz += damp * l.vz[i]
			l.vx[i], l.vy[i], l.vz[i] = dx, dy, dz
		}
		d2 := dx*dx + dy*dy + dz*dz
		if max2 > 0 && d2 > max2 {
			f := float32(math.Sqrt(float64(max2 / d2)))
			dx, dy, dz, d2 = dx*f, dy*f, dz*f, max2
		}
		if d2 != d2 { // a NaN force must not poison the layout
			dx, dy, dz, d2 = 0, 0, 0, 0
		}
		x, y, z := l.x[i]+dx, l.y[i]+dy, l.z[i]+dz
		l.x[i], l.y[i], l.z[i] = x, y, z
		l.ox[i], l.oy[i], l.oz[i] = fx, fy, fz
		energy += float64(d2)
		s.include(x, y, z)
		sx, sy, sz = sx+float64(x), sy+float64(y), sz+float64(z)
		s2 += float64(x*x + y*y + z*z)
	}
	s.energy += energy
	s.sum[0], s.sum[1], s.sum[2] = s.sum[0]+sx, s.sum[1]+sy, s.sum[2]+sz
	s.sum2 += s2
}
