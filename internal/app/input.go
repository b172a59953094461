package app

import (
	"github.com/infoalchemist/alchemist/internal/platform"
	"github.com/infoalchemist/alchemist/internal/render"
)

// cameraControls turns mouse and keys into camera moves, Gephi/Blender style: left-drag orbits,
// right- or middle-drag pans, the wheel zooms, F fits the graph, Ctrl+Q quits. A left click that does
// not move picks (clicked, clickX/Y in window coordinates); Escape clears the selection.
type cameraControls struct {
	dragging       platform.MouseButton
	isDragging     bool
	lastX          float64
	lastY          float64
	pressX, pressY float64
	fitAsked       bool
	quitAsked      bool
	clicked        bool
	clickX, clickY float64
	clearAsked     bool
}

// clickSlop is how far (window pixels) the pointer may move between press and release of a click.
const clickSlop = 4

func (c *cameraControls) handle(events []platform.Event, cam *render.Camera, winH int, uiHasMouse, uiHasKeys bool) {
	for _, e := range events {
		switch e.Kind {
		case platform.EventMouseButton:
			if e.Press && !uiHasMouse {
				c.isDragging, c.dragging, c.lastX, c.lastY = true, e.Button, e.X, e.Y
				c.pressX, c.pressY = e.X, e.Y
			} else if !e.Press && e.Button == c.dragging && c.isDragging {
				c.isDragging = false
				if e.Button == platform.MouseLeft && abs(e.X-c.pressX) <= clickSlop && abs(e.Y-c.pressY) <= clickSlop {
					c.clicked, c.clickX, c.clickY = true, e.X, e.Y
				}
			}
		case platform.EventMouseMove:
			if c.isDragging {
				dx, dy := float32(e.X-c.lastX), float32(e.Y-c.lastY)
				h := float32(max(winH, 1))
				if c.dragging == platform.MouseLeft {
					cam.Orbit(-dx/h*3, dy/h*3)
				} else {
					cam.Pan(dx/h, dy/h)
				}
			}
			c.lastX, c.lastY = e.X, e.Y
		case platform.EventScroll:
			if !uiHasMouse {
				factor := float32(1)
				if e.Y > 0 {
					factor = 0.9
				} else if e.Y < 0 {
					factor = 1 / 0.9
				}
				cam.Zoom(factor)
			}
		case platform.EventKey:
			if !e.Press || uiHasKeys {
				continue
			}
			switch {
			case e.Key == platform.KeyA+('F'-'A'):
				c.fitAsked = true
			case e.Key == platform.KeyA+('Q'-'A') && e.Mods&platform.ModControl != 0:
				c.quitAsked = true
			case e.Key == platform.KeyEscape:
				c.clearAsked = true
			}
		}
	}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
