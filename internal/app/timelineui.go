package app

import "context"

// timelineUI is the event timeline: scrubber, markers, compare, live.
type timelineUI struct{ shown bool }

// update runs before the view's frame: it swaps in a past version's view when one is ready.
func (t *timelineUI) update(ctx context.Context, l *frameLoop) {}

// frame draws the timeline panel when shown.
func (t *timelineUI) frame(ctx context.Context, l *frameLoop) {}

// toggle shows or hides the timeline.
func (t *timelineUI) toggle(l *frameLoop) { t.shown = !t.shown }

// jump shows the graph as it was at version v.
func (t *timelineUI) jump(ctx context.Context, l *frameLoop, v uint64) {}

// goLive returns to the live graph.
func (t *timelineUI) goLive(l *frameLoop) {}

// undo sends the compensating command of the user's last change; redo undoes the undo.
func (l *frameLoop) undo(ctx context.Context) {}
func (l *frameLoop) redo(ctx context.Context) {}

// busy reports that a past version is being rebuilt or the history loaded.
func (t *timelineUI) busy() bool { return false }

// reset forgets the history when another graph replaces the live one; a past view is closed.
func (t *timelineUI) reset(l *frameLoop) {}
