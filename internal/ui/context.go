// Package ui is the immediate-mode workbench UI on Dear ImGui (cimgui-go). It owns the ImGui context,
// feeds it platform events, and hands its draw data to the renderer as a render.Overlay, so neither
// the platform nor the GL layer knows ImGui.
package ui

import (
	"unsafe"

	"github.com/AllenDang/cimgui-go/imgui"
	"github.com/infoalchemist/alchemist/internal/platform"
	"github.com/infoalchemist/alchemist/internal/render"
)

// Context is one ImGui context bound to a texture host.
type Context struct {
	ctx     *imgui.Context
	host    render.TextureHost
	overlay render.Overlay
	lists   []render.OverlayList
	cmds    []render.OverlayCommand

	theme     Theme
	fontScale float32
	sized     bool // style sizes scaled for a large font (once)
}

// New creates the ImGui context. The renderer creates textures as ImGui asks (ImGui 1.92 protocol).
func New(host render.TextureHost) *Context {
	c := &Context{ctx: imgui.CreateContext(), host: host, fontScale: 1}
	io := imgui.CurrentIO()
	io.SetIniFilename("") // presentation state is ours to keep, not imgui.ini's
	io.SetBackendFlags(io.BackendFlags() | imgui.BackendFlagsRendererHasVtxOffset | imgui.BackendFlagsRendererHasTextures)
	io.Fonts().AddFontDefault()
	imgui.StyleColorsDark()
	size, pos, uv, col := imgui.VertexBufferLayout()
	c.overlay.VertexSize, c.overlay.PosOffset, c.overlay.UVOffset, c.overlay.ColOffset = size, pos, uv, col
	c.overlay.IndexSize = imgui.IndexBufferLayout()
	return c
}

// WantsMouse reports that the pointer is over UI, so camera controls should ignore it.
func (c *Context) WantsMouse() bool { return imgui.CurrentIO().WantCaptureMouse() }

// WantsKeyboard reports that a text field has focus.
func (c *Context) WantsKeyboard() bool { return imgui.CurrentIO().WantCaptureKeyboard() }

// NewFrame starts a UI frame: window size in screen units, framebuffer in pixels, dt in seconds.
func (c *Context) NewFrame(winW, winH, fbW, fbH int, dt float32, events []platform.Event) {
	io := imgui.CurrentIO()
	io.SetDisplaySize(imgui.Vec2{X: float32(winW), Y: float32(winH)})
	if winW > 0 && winH > 0 {
		io.SetDisplayFramebufferScale(imgui.Vec2{X: float32(fbW) / float32(winW), Y: float32(fbH) / float32(winH)})
	}
	io.SetDeltaTime(max(dt, 1e-4))
	for _, e := range events {
		switch e.Kind {
		case platform.EventMouseMove:
			io.AddMousePosEvent(float32(e.X), float32(e.Y))
		case platform.EventMouseButton:
			if e.Button <= platform.MouseMiddle {
				io.AddMouseButtonEvent(int32(e.Button), e.Press)
			}
		case platform.EventScroll:
			io.AddMouseWheelEvent(float32(e.X), float32(e.Y))
		case platform.EventKey:
			io.AddKeyEvent(imgui.ModCtrl, e.Mods&platform.ModControl != 0)
			io.AddKeyEvent(imgui.ModShift, e.Mods&platform.ModShift != 0)
			io.AddKeyEvent(imgui.ModAlt, e.Mods&platform.ModAlt != 0)
			io.AddKeyEvent(imgui.ModSuper, e.Mods&platform.ModSuper != 0)
			if k, ok := imguiKey(e.Key); ok {
				io.AddKeyEvent(k, e.Press)
			}
		case platform.EventChar:
			io.AddInputCharacter(uint32(e.Char))
		case platform.EventFocus:
			io.AddFocusEvent(e.Press)
		}
	}
	imgui.NewFrame()
}

// Render finishes the frame and returns its geometry. The overlay borrows ImGui's memory: draw it
// before the next NewFrame.
func (c *Context) Render() *render.Overlay {
	imgui.Render()
	data := imgui.CurrentDrawData()
	c.syncTextures(data)
	o := &c.overlay
	pos, size, scale := data.DisplayPos(), data.DisplaySize(), data.FramebufferScale()
	o.DisplayPos, o.DisplaySize, o.FBScale = [2]float32{pos.X, pos.Y}, [2]float32{size.X, size.Y}, [2]float32{scale.X, scale.Y}
	c.lists, c.cmds = c.lists[:0], c.cmds[:0]
	for _, list := range data.CommandLists() {
		// cimgui-go returns the buffers' sizes in bytes, not elements.
		vtx, vtxBytes := list.GetVertexBuffer()
		idx, idxBytes := list.GetIndexBuffer()
		nv, ni := vtxBytes/max(o.VertexSize, 1), idxBytes/max(o.IndexSize, 1)
		first := len(c.cmds)
		for _, cmd := range list.Commands() {
			if cmd.HasUserCallback() {
				continue
			}
			clip := cmd.ClipRect()
			c.cmds = append(c.cmds, render.OverlayCommand{
				ClipRect: [4]float32{clip.X, clip.Y, clip.Z, clip.W},
				// DrawCmd.TexID resolves the texture reference (ImDrawCmd_GetTexID); the raw TexRef
				// field is zero for textures ImGui manages, such as the font atlas.
				Texture:   uint64(cmd.TexID()),
				VtxOffset: cmd.VtxOffset(),
				IdxOffset: cmd.IdxOffset(),
				ElemCount: cmd.ElemCount(),
			})
		}
		c.lists = append(c.lists, render.OverlayList{Vertices: vtx, VertexCount: nv, Indices: idx, IndexCount: ni,
			Commands: c.cmds[first:len(c.cmds):len(c.cmds)]})
	}
	// c.cmds may have been reallocated while appending: point every list into the final array.
	at := 0
	for i := range c.lists {
		n := len(c.lists[i].Commands)
		c.lists[i].Commands = c.cmds[at : at+n]
		at += n
	}
	o.Lists = c.lists
	return o
}

// syncTextures performs the texture requests of ImGui 1.92: create, update, destroy.
func (c *Context) syncTextures(data *imgui.DrawData) {
	for _, tex := range data.Textures().Slice() {
		t := tex
		switch t.Status() {
		case imgui.TextureStatusWantCreate:
			w, h := int(t.Width()), int(t.Height())
			id := c.host.CreateTexture(w, h, texturePixels(&t, 0, 0, w*h*4))
			t.SetTexID(imgui.TextureID(id))
			t.SetStatus(imgui.TextureStatusOK)
		case imgui.TextureStatusWantUpdates:
			rect := t.UpdateRect()
			x, y, w, h := int(rect.X()), int(rect.Y()), int(rect.W()), int(rect.H())
			stride := int(t.Width())
			n := ((h-1)*stride + w) * 4
			c.host.UpdateTexture(uint64(t.TexID()), x, y, w, h, stride, texturePixels(&t, x, y, n))
			t.SetStatus(imgui.TextureStatusOK)
		case imgui.TextureStatusWantDestroy:
			if t.UnusedFrames() > 0 {
				c.host.DeleteTexture(uint64(t.TexID()))
				t.SetTexID(0)
				t.SetStatus(imgui.TextureStatusDestroyed)
			}
		}
	}
}

func texturePixels(t *imgui.TextureData, x, y, n int) []byte {
	if n <= 0 {
		return nil
	}
	// The pixels live in C memory that ImGui owns; the Go collector never moves or frees them.
	addr := t.PixelsAt(int32(x), int32(y))
	return unsafe.Slice(*(**byte)(unsafe.Pointer(&addr)), n)
}

// Close destroys the ImGui context.
func (c *Context) Close() {
	imgui.DestroyContextV(c.ctx)
}
