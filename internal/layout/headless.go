package layout

import (
	"context"
	"fmt"
	"time"
)

// Run lays out g headlessly: steps iterations (fewer if ctx ends first, in
// which case ctx's error is returned with the positions reached) on a pool
// of GOMAXPROCS workers. The returned slices are the caller's. It is what
// `alchemist layout FILE --steps N` calls.
func Run(ctx context.Context, g Graph, steps int, p Params, seed uint64) (x, y, z []float32, err error) {
	if steps < 0 {
		return nil, nil, nil, fmt.Errorf("%w: %d steps", ErrInvalidInput, steps)
	}
	pool := NewPool(0)
	defer pool.Close()
	l, err := New(p, pool, seed)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := l.SetGraph(g); err != nil {
		return nil, nil, nil, err
	}
	for s := 0; s < steps; s++ {
		if err = ctx.Err(); err != nil {
			break
		}
		l.Step()
	}
	lx, ly, lz := l.Positions()
	return append([]float32(nil), lx...), append([]float32(nil), ly...), append([]float32(nil), lz...), err
}

// BenchResult is one timing of the layout step.
type BenchResult struct {
	Nodes        int     `json:"nodes"`
	Edges        int     `json:"edges"`
	Theta        float64 `json:"theta"`
	Workers      int     `json:"workers"`
	Steps        int     `json:"steps"`
	MsPerStep    float64 `json:"ms_per_step"`           // wall time
	CPUMsPerStep float64 `json:"cpu_ms_per_step"`       // process CPU time (0 where not measured)
	Interactions float64 `json:"interactions_per_node"` // pair interactions per node per step
}

// Bench times the step on a seeded Barabási–Albert graph of the given nodes
// and edges per new node (m; edges ≈ m·nodes) at θ, on a pool of workers
// (0: GOMAXPROCS): warm steps first (growing buffers, leaving the random
// start), then the mean wall time of steps more. It is what
// `alchemist bench layout` calls.
func Bench(ctx context.Context, nodes, m int, theta float64, workers, warm, steps int, seed uint64) (BenchResult, error) {
	if steps < 1 || warm < 0 {
		return BenchResult{}, fmt.Errorf("%w: %d steps after %d warm", ErrInvalidInput, steps, warm)
	}
	src, dst, err := BarabasiAlbert(nodes, m, seed)
	if err != nil {
		return BenchResult{}, err
	}
	p := DefaultParams()
	p.Theta = theta
	pool := NewPool(workers)
	defer pool.Close()
	l, err := New(p, pool, seed)
	if err != nil {
		return BenchResult{}, err
	}
	if err := l.SetGraph(Graph{N: nodes, Src: src, Dst: dst}); err != nil {
		return BenchResult{}, err
	}
	for range warm {
		if err := ctx.Err(); err != nil {
			return BenchResult{}, err
		}
		l.Step()
	}
	var inter int64
	cpu0 := processCPU()
	start := time.Now()
	done := 0
	for done < steps {
		if err := ctx.Err(); err != nil {
			return BenchResult{}, err
		}
		l.Step()
		inter += l.Interactions()
		done++
	}
	el := time.Since(start)
	cpu := processCPU() - cpu0
	return BenchResult{
		CPUMsPerStep: float64(cpu.Microseconds()) / 1000 / float64(done),
		Nodes:        nodes, Edges: len(src), Theta: theta, Workers: pool.Workers(), Steps: done,
		MsPerStep:    float64(el.Microseconds()) / 1000 / float64(done),
		Interactions: float64(inter) / float64(done) / float64(nodes),
	}, nil
}
