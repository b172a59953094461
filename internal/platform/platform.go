// Package platform is the only door to the windowing system: a GLFW window for the desktop and a
// headless EGL context for screenshots, benchmarks and GPU machines without a display. Input arrives
// as plain Event values so no other package sees GLFW.
package platform

import (
	"errors"
	"unsafe"
)

// ErrNoDisplay means no X11 or Wayland display could be opened.
var ErrNoDisplay = errors.New("no display available")

// Options describe the surface to open.
type Options struct {
	Width, Height int
	Title         string
	VSync         bool
	Debug         bool // ask for an OpenGL debug context
	Headless      bool // EGL with no window; the renderer draws into its own framebuffer
}

// Surface owns an OpenGL 4.1+ core context made current on the calling (main, locked) thread.
type Surface interface {
	// FramebufferSize is the drawable size in pixels.
	FramebufferSize() (width, height int)
	// WindowSize is the size in screen coordinates, which input positions use.
	WindowSize() (width, height int)
	// ProcAddress resolves OpenGL entry points for the GL loader.
	ProcAddress(name string) unsafe.Pointer
	// Poll appends the input events since the last call to buf.
	Poll(buf []Event) []Event
	// Swap presents the frame (no-op when headless).
	Swap()
	ShouldClose() bool
	RequestClose()
	SetTitle(title string)
	// Headless reports that there is no default framebuffer to present to.
	Headless() bool
	// Time is seconds since the surface opened.
	Time() float64
	// Clipboard access for text fields.
	Clipboard() string
	SetClipboard(text string)
	Close()
}

// Open opens a window, or a headless EGL context when opts.Headless is set.
func Open(opts Options) (Surface, error) {
	if opts.Headless {
		return openHeadless(opts)
	}
	return openWindow(opts)
}

// EventKind says what an Event describes.
type EventKind uint8

const (
	EventMouseMove EventKind = iota + 1
	EventMouseButton
	EventScroll
	EventKey
	EventChar
	EventResize
	EventFocus
)

// Event is one input event. Positions are in window coordinates (origin top-left).
type Event struct {
	Kind   EventKind
	X, Y   float64 // position (move), offset (scroll), new size (resize)
	Button MouseButton
	Key    Key
	Press  bool // button/key pressed or repeated; false on release; focus gained
	Repeat bool
	Mods   Mods
	Char   rune
}

// MouseButton numbers buttons as GLFW does.
type MouseButton int

const (
	MouseLeft MouseButton = iota
	MouseRight
	MouseMiddle
)

// Mods is a set of modifier keys.
type Mods uint8

const (
	ModShift Mods = 1 << iota
	ModControl
	ModAlt
	ModSuper
)

// Key uses GLFW's key numbers, which are printable ASCII for printable keys.
type Key int

const (
	KeyUnknown      Key = -1
	KeySpace        Key = 32
	KeyApostrophe   Key = 39
	KeyComma        Key = 44
	KeyMinus        Key = 45
	KeyPeriod       Key = 46
	KeySlash        Key = 47
	Key0            Key = 48
	Key9            Key = 57
	KeySemicolon    Key = 59
	KeyEqual        Key = 61
	KeyA            Key = 65
	KeyZ            Key = 90
	KeyLeftBracket  Key = 91
	KeyBackslash    Key = 92
	KeyRightBracket Key = 93
	KeyGraveAccent  Key = 96
	KeyEscape       Key = 256
	KeyEnter        Key = 257
	KeyTab          Key = 258
	KeyBackspace    Key = 259
	KeyInsert       Key = 260
	KeyDelete       Key = 261
	KeyRight        Key = 262
	KeyLeft         Key = 263
	KeyDown         Key = 264
	KeyUp           Key = 265
	KeyPageUp       Key = 266
	KeyPageDown     Key = 267
	KeyHome         Key = 268
	KeyEnd          Key = 269
	KeyF1           Key = 290
	KeyF12          Key = 301
	KeyLeftShift    Key = 340
	KeyLeftControl  Key = 341
	KeyLeftAlt      Key = 342
	KeyLeftSuper    Key = 343
	KeyRightShift   Key = 344
	KeyRightControl Key = 345
	KeyRightAlt     Key = 346
	KeyRightSuper   Key = 347
)
