package platform

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"unsafe"

	"github.com/go-gl/glfw/v3.3/glfw"
)

type window struct {
	w       *glfw.Window
	mu      sync.Mutex // callbacks run on the main thread, but keep the queue safe regardless
	pending []Event
	// lastX, lastY: the pointer at the last move event (main thread only)
	lastX, lastY float64
}

func openWindow(opts Options) (Surface, error) {
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return nil, fmt.Errorf("%w: DISPLAY is not set (run under xvfb-run, or pass --headless)", ErrNoDisplay)
	}
	if err := glfw.Init(); err != nil {
		if strings.Contains(err.Error(), "display") || strings.Contains(err.Error(), "DISPLAY") {
			return nil, fmt.Errorf("%w: %v (run under xvfb-run, or pass --headless)", ErrNoDisplay, err)
		}
		return nil, fmt.Errorf("init GLFW: %w", err)
	}
	glfw.WindowHint(glfw.ContextVersionMajor, 4)
	glfw.WindowHint(glfw.ContextVersionMinor, 1)
	glfw.WindowHint(glfw.OpenGLProfile, glfw.OpenGLCoreProfile)
	glfw.WindowHint(glfw.OpenGLForwardCompatible, glfw.True)
	glfw.WindowHint(glfw.ScaleToMonitor, glfw.True)
	// The renderer resolves its own multisampled framebuffer, so the window needs none.
	glfw.WindowHint(glfw.Samples, 0)
	if opts.Debug {
		glfw.WindowHint(glfw.OpenGLDebugContext, glfw.True)
	}
	w, err := glfw.CreateWindow(opts.Width, opts.Height, opts.Title, nil, nil)
	if err != nil {
		glfw.Terminate()
		return nil, fmt.Errorf("create window (OpenGL 4.1 core needed): %w", err)
	}
	w.MakeContextCurrent()
	if opts.VSync {
		glfw.SwapInterval(1)
	} else {
		glfw.SwapInterval(0)
	}
	win := &window{w: w}
	win.installCallbacks()
	return win, nil
}

func (win *window) push(e Event) {
	win.mu.Lock()
	win.pending = append(win.pending, e)
	win.mu.Unlock()
}

func mods(m glfw.ModifierKey) Mods {
	var out Mods
	if m&glfw.ModShift != 0 {
		out |= ModShift
	}
	if m&glfw.ModControl != 0 {
		out |= ModControl
	}
	if m&glfw.ModAlt != 0 {
		out |= ModAlt
	}
	if m&glfw.ModSuper != 0 {
		out |= ModSuper
	}
	return out
}

func (win *window) installCallbacks() {
	// Events are polled once a frame: a button event takes the position of the last move event before
	// it, not the pointer's position when the queue is read, or at low frame rates a press and its
	// release would both land where the drag ended and a drag would read as a click.
	win.lastX, win.lastY = win.w.GetCursorPos()
	win.w.SetCursorPosCallback(func(_ *glfw.Window, x, y float64) {
		win.lastX, win.lastY = x, y
		win.push(Event{Kind: EventMouseMove, X: x, Y: y})
	})
	win.w.SetMouseButtonCallback(func(_ *glfw.Window, b glfw.MouseButton, a glfw.Action, m glfw.ModifierKey) {
		win.push(Event{Kind: EventMouseButton, Button: MouseButton(b), Press: a != glfw.Release, Mods: mods(m), X: win.lastX, Y: win.lastY})
	})
	win.w.SetScrollCallback(func(_ *glfw.Window, dx, dy float64) {
		win.push(Event{Kind: EventScroll, X: dx, Y: dy})
	})
	win.w.SetKeyCallback(func(_ *glfw.Window, k glfw.Key, _ int, a glfw.Action, m glfw.ModifierKey) {
		win.push(Event{Kind: EventKey, Key: Key(k), Press: a != glfw.Release, Repeat: a == glfw.Repeat, Mods: mods(m)})
	})
	win.w.SetCharCallback(func(_ *glfw.Window, r rune) {
		win.push(Event{Kind: EventChar, Char: r})
	})
	win.w.SetFramebufferSizeCallback(func(_ *glfw.Window, w, h int) {
		win.push(Event{Kind: EventResize, X: float64(w), Y: float64(h)})
	})
	win.w.SetFocusCallback(func(_ *glfw.Window, focused bool) {
		win.push(Event{Kind: EventFocus, Press: focused})
	})
}

func (win *window) Poll(buf []Event) []Event {
	glfw.PollEvents()
	win.mu.Lock()
	buf = append(buf, win.pending...)
	win.pending = win.pending[:0]
	win.mu.Unlock()
	return buf
}

func (win *window) FramebufferSize() (int, int)            { return win.w.GetFramebufferSize() }
func (win *window) WindowSize() (int, int)                 { return win.w.GetSize() }
func (win *window) ProcAddress(name string) unsafe.Pointer { return glfw.GetProcAddress(name) }
func (win *window) Swap()                                  { win.w.SwapBuffers() }
func (win *window) ShouldClose() bool                      { return win.w.ShouldClose() }
func (win *window) RequestClose()                          { win.w.SetShouldClose(true) }
func (win *window) SetTitle(t string)                      { win.w.SetTitle(t) }
func (win *window) Headless() bool                         { return false }
func (win *window) Time() float64                          { return glfw.GetTime() }
func (win *window) SetClipboard(text string)               { glfw.SetClipboardString(text) }

func (win *window) Clipboard() (text string) {
	// GLFW reports an error instead of an empty string when the clipboard holds no text.
	defer func() {
		if r := recover(); r != nil {
			text = ""
		}
	}()
	return glfw.GetClipboardString()
}

func (win *window) Close() {
	if win.w != nil {
		win.w.Destroy()
		win.w = nil
		glfw.Terminate()
	}
}
