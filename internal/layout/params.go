package layout

import (
	"errors"
	"fmt"
	"math"
)

// Sentinel errors; returned errors wrap them with context.
var (
	// ErrInvalidParams reports a Params field out of range.
	ErrInvalidParams = errors.New("layout: invalid parameters")
	// ErrInvalidInput reports a graph or force input that does not fit the
	// layout (index out of range, length mismatch, negative weight).
	ErrInvalidInput = errors.New("layout: invalid input")
	// ErrRunning reports a Start on a runner that is already running.
	ErrRunning = errors.New("layout: runner already running")
)

// Weights scales the force terms beyond structure. Each is off at 0 and may
// be changed between any two steps.
type Weights struct {
	// Similarity pulls together the pairs given as nearest neighbours in the
	// conceptual space, like springs of stiffness Similarity·w.
	Similarity float64
	// Category pushes category centroids apart as if each category were one
	// body of mass equal to its size; each member carries its share.
	Category float64
	// Temporal pulls together nodes created close in event time.
	Temporal float64
	// Coalition pulls members of a coalition toward its centroid.
	Coalition float64
	// Competition adds, per conflicting pair, Competition·w times the pair's
	// ordinary repulsion.
	Competition float64
	// Utility moves nodes along the gradient of the utility field.
	Utility float64
}

// Params configures the layout. The zero value is not usable; start from
// DefaultParams.
type Params struct {
	// Theta is the Barnes-Hut opening parameter (0 = exact O(N²)); see
	// finishCell for the criterion.
	Theta float64
	// Repulsion is ForceAtlas2's scaling ratio k_r: nodes repel with
	// k_r·(deg_i+1)·(deg_j+1)/d.
	Repulsion float64
	// Attraction scales the edge springs (force w·d per edge of weight w).
	Attraction float64
	// LinLog uses log(1+d) instead of d for edge springs (Noack's LinLog
	// model), which separates clusters more sharply.
	LinLog bool
	// Gravity pulls every node toward the origin with k_g·(deg+1), so that
	// disconnected parts do not drift away.
	Gravity float64
	// StrongGravity makes gravity grow linearly with distance.
	StrongGravity bool
	// JitterTolerance is ForceAtlas2's τ: how much swinging is tolerated
	// before the global speed drops.
	JitterTolerance float64
	// Damping in [0,1) keeps that fraction of a node's previous displacement
	// as momentum (0 = pure ForceAtlas2, no momentum).
	Damping float64
	// Cooling in (0,1] multiplies the global temperature every step, down to
	// MinTemperature; the temperature scales every displacement and is reset
	// to 1 when the layout is woken by a change.
	Cooling        float64
	MinTemperature float64
	// MaxDisplacement caps one node's move per step (0 = no cap).
	MaxDisplacement float64
	// Softening ε > 0: pair forces use d²+ε² so that coincident nodes are
	// inert instead of infinite.
	Softening float64
	// LeafSize is the most bodies in an octree leaf; GroupSize the most
	// bodies that share one tree walk (Barnes 1990). Larger groups walk
	// less but interact more, since their acceptance test is stricter.
	LeafSize  int
	GroupSize int
	// SettleEnergy, SettleSteps, MinSteps: the layout is settled once its
	// step energy Σ|Δp|²/(N·R²) — the mean squared move relative to the
	// squared RMS radius R, smoothed over about ten steps because
	// ForceAtlas2's speed control makes single steps jitter — stayed below
	// SettleEnergy for SettleSteps consecutive steps, at least MinSteps steps
	// after the last wake. 1e-5 means nodes move about 0.3% of the radius a step.
	SettleEnergy float64
	SettleSteps  int
	MinSteps     int
	// Weights of the extra force terms.
	Weights Weights
}

// DefaultParams returns the parameters the benchmarks and tests use.
func DefaultParams() Params {
	return Params{
		Theta:           0.8,
		Repulsion:       2,
		Attraction:      1,
		Gravity:         1,
		JitterTolerance: 1,
		Cooling:         0.99,
		MinTemperature:  0.1,
		Softening:       1e-3,
		LeafSize:        defaultLeafCap,
		GroupSize:       defaultGroupCap,
		SettleEnergy:    1e-5,
		SettleSteps:     20,
		MinSteps:        50,
	}
}

// Validate reports the first field out of range.
func (p Params) Validate() error {
	bad := func(name string, v any) error {
		return fmt.Errorf("%w: %s = %v", ErrInvalidParams, name, v)
	}
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch {
	case !finite(p.Theta) || p.Theta < 0:
		return bad("Theta", p.Theta)
	case !finite(p.Repulsion) || p.Repulsion < 0:
		return bad("Repulsion", p.Repulsion)
	case !finite(p.Attraction) || p.Attraction < 0:
		return bad("Attraction", p.Attraction)
	case !finite(p.Gravity) || p.Gravity < 0:
		return bad("Gravity", p.Gravity)
	case !finite(p.JitterTolerance) || p.JitterTolerance <= 0:
		return bad("JitterTolerance", p.JitterTolerance)
	case !finite(p.Damping) || p.Damping < 0 || p.Damping >= 1:
		return bad("Damping", p.Damping)
	case !finite(p.Cooling) || p.Cooling <= 0 || p.Cooling > 1:
		return bad("Cooling", p.Cooling)
	case !finite(p.MinTemperature) || p.MinTemperature <= 0 || p.MinTemperature > 1:
		return bad("MinTemperature", p.MinTemperature)
	case !finite(p.MaxDisplacement) || p.MaxDisplacement < 0:
		return bad("MaxDisplacement", p.MaxDisplacement)
	case !finite(p.Softening) || p.Softening <= 0:
		return bad("Softening", p.Softening)
	case p.LeafSize < 1 || p.LeafSize > 1024:
		return bad("LeafSize", p.LeafSize)
	case p.GroupSize < 1 || p.GroupSize > 1<<16:
		return bad("GroupSize", p.GroupSize)
	case !finite(p.SettleEnergy) || p.SettleEnergy < 0:
		return bad("SettleEnergy", p.SettleEnergy)
	case p.SettleSteps < 1:
		return bad("SettleSteps", p.SettleSteps)
	case p.MinSteps < 0:
		return bad("MinSteps", p.MinSteps)
	}
	w := p.Weights
	for _, f := range []struct {
		name string
		v    float64
	}{
		{"Weights.Similarity", w.Similarity}, {"Weights.Category", w.Category},
		{"Weights.Temporal", w.Temporal}, {"Weights.Coalition", w.Coalition},
		{"Weights.Competition", w.Competition}, {"Weights.Utility", w.Utility},
	} {
		if !finite(f.v) || f.v < 0 {
			return bad(f.name, f.v)
		}
	}
	return nil
}
