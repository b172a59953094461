package app

import "context"

// agentPanel is the agent side panel. Owned by the agent-panel work of issue 9.
type agentPanel struct{ shown bool }

// frame draws the panel (when shown) and the ghost preview of the pending suggestions.
func (p *agentPanel) frame(ctx context.Context, l *frameLoop) {}

// toggle shows or hides the panel.
func (p *agentPanel) toggle() { p.shown = !p.shown }

// run asks agent to analyse the open graph, or only nodes when given.
func (p *agentPanel) run(ctx context.Context, l *frameLoop, agent string, nodes []string) {}
