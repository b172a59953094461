package app

import (
	"github.com/infoalchemist/alchemist/internal/platform"
	"github.com/infoalchemist/alchemist/internal/render"
)

// cameraControls turns mouse and keys into camera moves and selection gestures, Gephi/Blender style:
// left-drag orbits, right- or middle-drag pans, the wheel zooms; Shift+ or Ctrl+left-drag draws a
// selection box instead of orbiting; a left click that does not move picks (Shift adds, Ctrl
// toggles); F focuses the selection (or fits the graph), R resets the view, Escape clears the
// selection, Ctrl+Q quits. The gestures are recorded here and applied by handlePointer.
type cameraControls struct {
	dragging       platform.MouseButton
	isDragging     bool
	lastX          float64
	lastY          float64
	pressX, pressY float64
	pressMods      platform.Mods
	fitAsked       bool // fit the whole graph (the frame loop does it)
	quitAsked      bool

	clicked        bool
	clickX, clickY float64
	clickMods      platform.Mods

	// boxing: a selection box is being dragged from press to box; boxStarted and boxDone mark its
	// first and last frame.
	boxing, boxStarted, boxDone bool
	boxX, boxY                  float64
	boxMods                     platform.Mods

	clearAsked, focusAsked, resetAsked bool

	// The pointer, for hover: where it is, whether it has been seen in the window, and whether the
	// UI has it.
	pointerSeen, overUI bool
}

// clickSlop is how far (window pixels) the pointer may move between press and release of a click.
const clickSlop = 4

// boxMods are the modifiers that turn a left-drag into a selection box.
const boxMods = platform.ModShift | platform.ModControl

func (c *cameraControls) handle(events []platform.Event, cam *render.Camera, winH int, uiHasMouse, uiHasKeys bool) {
	c.overUI = uiHasMouse
	for _, e := range events {
		switch e.Kind {
		case platform.EventMouseButton:
			if e.Press && !uiHasMouse {
				c.isDragging, c.dragging, c.lastX, c.lastY = true, e.Button, e.X, e.Y
				c.pressX, c.pressY, c.pressMods = e.X, e.Y, e.Mods
			} else if !e.Press && e.Button == c.dragging && c.isDragging {
				c.isDragging = false
				isClick := abs(e.X-c.pressX) <= clickSlop && abs(e.Y-c.pressY) <= clickSlop
				switch {
				case e.Button == platform.MouseLeft && isClick:
					c.boxing = false
					c.clicked, c.clickX, c.clickY, c.clickMods = true, e.X, e.Y, c.pressMods
				case c.boxing:
					c.boxing, c.boxDone, c.boxX, c.boxY, c.boxMods = false, true, e.X, e.Y, c.pressMods
				}
			}
		case platform.EventMouseMove:
			c.pointerSeen = true
			if c.isDragging {
				if c.dragging == platform.MouseLeft && c.pressMods&boxMods != 0 {
					if !c.boxing && (abs(e.X-c.pressX) > clickSlop || abs(e.Y-c.pressY) > clickSlop) {
						c.boxing, c.boxStarted = true, true
					}
					c.boxX, c.boxY = e.X, e.Y
				} else {
					dx, dy := float32(e.X-c.lastX), float32(e.Y-c.lastY)
					h := float32(max(winH, 1))
					if c.dragging == platform.MouseLeft {
						cam.Orbit(-dx/h*3, dy/h*3)
					} else {
						cam.Pan(dx/h, dy/h)
					}
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
			plain := e.Mods&(platform.ModControl|platform.ModAlt|platform.ModSuper) == 0
			switch {
			case e.Key == platform.KeyA+('F'-'A') && plain:
				c.focusAsked = true
			case e.Key == platform.KeyA+('R'-'A') && plain:
				c.resetAsked = true
			case e.Key == platform.KeyA+('Q'-'A') && e.Mods&platform.ModControl != 0:
				c.quitAsked = true
			case e.Key == platform.KeyEscape:
				c.clearAsked = true
				c.boxing = false
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
