package app

import "context"

// paletteUI is the command palette (Ctrl+K, Ctrl+Shift+P). Owned by the palette work of issue 9.
type paletteUI struct{}

// frame handles the palette's shortcuts and draws it when open. It runs after the other panels so the
// palette is on top.
func (p *paletteUI) frame(ctx context.Context, l *frameLoop) {}

// open shows the palette with query typed in.
func (p *paletteUI) open(query string) {}
