package app

import (
	"log/slog"
	"time"

	"github.com/infoalchemist/alchemist/internal/bridge"
	"github.com/infoalchemist/alchemist/internal/graph"
	"github.com/infoalchemist/alchemist/internal/layout"
	"github.com/infoalchemist/alchemist/internal/render"
	"github.com/infoalchemist/alchemist/internal/world"
)

// drainBudget is the share of a frame spent applying events; the rest of a burst waits for the
// next frames, so a big import never freezes the window.
const drainBudget = 4 * time.Millisecond

// graphView is what the window shows: a world (fed by a follower, or built locally for the demo),
// the layout running on it, and the scene drawn from both.
type graphView struct {
	world    *world.World
	agg      *graph.Graph // the aggregate, kept in step for the component systems; nil for the demo
	strategy *strategicInputs
	follower *bridge.Follower  // nil for the demo
	local    chan *graph.Event // events fed by the app itself (the timeline moving forward); nil when followed
	runner   *layout.Runner
	scene    render.Scene
	staged   render.Scene // columns of the newest topology, waiting for the layout to catch up

	layoutTopo  uint64 // world topology last handed to the layout
	styleSeen   uint64
	acceptStep  uint64 // layout frames from this step on carry layoutTopo
	sceneIsNew  bool   // scene shows layoutTopo
	positionBuf []float32
	log         *slog.Logger

	applied uint64 // events applied since the view opened (the status bar's events/s)

	// tap, when set, sees every event applied (the timeline records the live history through it).
	tap func(*graph.Event)
	// recolor, when set, repaints the scene's colours whenever new columns are installed (the
	// timeline's compare view highlights what was added and removed).
	recolor func(w *world.World, colors []uint32)
}

func newGraphView(w *world.World, follower *bridge.Follower, params layout.Params, seed uint64, log *slog.Logger) (*graphView, error) {
	runner, err := layout.NewRunner(layout.RunnerConfig{Params: params, Seed: seed, Workers: layoutWorkers()})
	if err != nil {
		return nil, err
	}
	v := &graphView{world: w, follower: follower, runner: runner, log: log, strategy: newStrategicInputs()}
	v.layoutTopo = w.Topology - 1 // force the first hand-over
	return v, nil
}

// frame applies queued events and keeps layout and scene in step with the world. It runs on the
// frame thread and never waits for the layout.
func (v *graphView) frame() {
	w := v.world
	switch {
	case v.follower != nil:
		w.Drain(v.follower.Events(), drainBudget, v.log, v.observe)
	case v.local != nil:
		w.Drain(v.local, drainBudget, v.log, v.observe)
	}
	w.Sync()
	if w.Topology != v.layoutTopo {
		g := w.LayoutGraph()
		v.acceptStep = v.runner.Steps() + 2 // changes are applied between steps: two steps on, they are in
		v.runner.SetGraph(g)
		for i, pinned := range w.Nodes.Pinned {
			if pinned {
				p := w.Nodes.PinPos[i]
				v.runner.SetPosition(i, p[0], p[1], p[2])
				v.runner.SetPinned(i, true)
			}
		}
		v.layoutTopo, v.styleSeen, v.sceneIsNew = w.Topology, w.Style, false
		w.FillScene(&v.staged)
	} else if w.Style != v.styleSeen {
		v.styleSeen = w.Style
		w.FillScene(&v.staged)
		if v.sceneIsNew {
			v.install()
		}
	}
	if v.agg != nil {
		v.strategy.update(v.agg, w, v.runner, w.Topology)
	}
	var step uint64
	v.positionBuf, step = v.runner.CopyPositions(v.positionBuf)
	n := len(v.positionBuf) / 3
	switch {
	case !v.sceneIsNew && step >= v.acceptStep && n == len(v.staged.Radii):
		v.install()
		fallthrough
	case n == len(v.scene.Radii):
		v.scene.Positions, v.positionBuf = v.positionBuf, v.scene.Positions
	}
}

// observe keeps the aggregate in step with the world, event for event.
func (v *graphView) observe(ev *graph.Event) {
	v.applied++
	if v.agg != nil {
		v.agg.Apply(ev)
		v.strategy.observe(ev)
	}
	if v.tap != nil {
		v.tap(ev)
	}
}

// install makes the staged columns the scene's.
func (v *graphView) install() {
	s, st := &v.scene, &v.staged
	s.Radii = append(s.Radii[:0], st.Radii...)
	s.Colors = append(s.Colors[:0], st.Colors...)
	s.Edges = append(s.Edges[:0], st.Edges...)
	if v.recolor != nil {
		v.recolor(v.world, s.Colors)
	}
	s.Version++
	v.sceneIsNew = true
}

func (v *graphView) close() {
	if v.follower != nil {
		v.follower.Stop()
	}
	v.runner.Stop()
}
