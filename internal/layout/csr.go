package layout

import "fmt"

// csr is a symmetric adjacency in compressed sparse row form: the neighbours
// of i are nbr[off[i]:off[i+1]] with weights w[...]. Every pair is stored at
// both ends, so per-node force loops write only their own node and run in
// parallel without atomics, at the price of evaluating each pair twice.
type csr struct {
	off []int32
	nbr []int32
	w   []float32
}

// build fills c from pairs (a[k], b[k]) with weights w[k] (nil: all 1) over n
// nodes, reusing c's storage. Self pairs are dropped; duplicates are kept and
// so add up.
func (c *csr) build(n int, a, b []int32, w []float32) error {
	if len(a) != len(b) {
		return fmt.Errorf("%w: %d sources but %d targets", ErrInvalidInput, len(a), len(b))
	}
	if w != nil && len(w) != len(a) {
		return fmt.Errorf("%w: %d pairs but %d weights", ErrInvalidInput, len(a), len(w))
	}
	for k := range a {
		if a[k] < 0 || int(a[k]) >= n || b[k] < 0 || int(b[k]) >= n {
			return fmt.Errorf("%w: pair %d (%d,%d) outside [0,%d)", ErrInvalidInput, k, a[k], b[k], n)
		}
		if w != nil && !(w[k] >= 0) {
			return fmt.Errorf("%w: pair %d has weight %v", ErrInvalidInput, k, w[k])
		}
	}
	c.off = grow(c.off, n+1)
	clear(c.off)
	m := 0
	for k := range a {
		if a[k] != b[k] {
			c.off[a[k]+1]++
			c.off[b[k]+1]++
			m += 2
		}
	}
	for i := 1; i <= n; i++ {
		c.off[i] += c.off[i-1]
	}
	c.nbr = grow(c.nbr, m)
	c.w = grow(c.w, m)
	// fill with a moving cursor per node, borrowed from off and restored after
	for k := range a {
		i, j := a[k], b[k]
		if i == j {
			continue
		}
		wk := float32(1)
		if w != nil {
			wk = w[k]
		}
		c.nbr[c.off[i]], c.w[c.off[i]] = j, wk
		c.off[i]++
		c.nbr[c.off[j]], c.w[c.off[j]] = i, wk
		c.off[j]++
	}
	for i := n; i > 0; i-- {
		c.off[i] = c.off[i-1]
	}
	c.off[0] = 0
	return nil
}

func (c *csr) degree(i int) int { return int(c.off[i+1] - c.off[i]) }

func (c *csr) empty() bool { return len(c.nbr) == 0 }

// grow returns s resized to n, reusing its storage when it is large enough.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
