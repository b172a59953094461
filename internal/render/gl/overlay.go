package gl

import (
	"github.com/go-gl/gl/v4.1-core/gl"
	"github.com/infoalchemist/alchemist/internal/render"
)

// overlayRenderer draws Dear ImGui-style geometry: textured, coloured triangles with per-command
// scissor rectangles, alpha-blended, no depth.
type overlayRenderer struct {
	prog          uint32
	projU, texU   int32
	vao, vbo, ebo uint32
	textures      map[uint64]uint32
}

func (o *overlayRenderer) init() error {
	prog, err := programFromFiles("overlay.vert", "overlay.frag")
	if err != nil {
		return err
	}
	o.prog = prog
	o.projU, o.texU = uniform(prog, "projection"), uniform(prog, "tex")
	gl.GenVertexArrays(1, &o.vao)
	gl.GenBuffers(1, &o.vbo)
	gl.GenBuffers(1, &o.ebo)
	o.textures = map[uint64]uint32{}
	return nil
}

// CreateTexture uploads an RGBA image and returns its id for OverlayCommand.Texture.
func (o *overlayRenderer) CreateTexture(w, h int, rgba []byte) uint64 {
	var tex uint32
	gl.GenTextures(1, &tex)
	gl.BindTexture(gl.TEXTURE_2D, tex)
	gl.TexParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR)
	gl.TexParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR)
	gl.TexParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE)
	gl.TexParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE)
	gl.PixelStorei(gl.UNPACK_ROW_LENGTH, 0)
	gl.PixelStorei(gl.UNPACK_ALIGNMENT, 1)
	var ptr = gl.Ptr(nil)
	if len(rgba) > 0 {
		ptr = gl.Ptr(rgba)
	}
	gl.TexImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, int32(w), int32(h), 0, gl.RGBA, gl.UNSIGNED_BYTE, ptr)
	id := uint64(tex)
	o.textures[id] = tex
	return id
}

// UpdateTexture replaces a rectangle; rgba starts at the rectangle's first pixel, rows stride pixels apart.
func (o *overlayRenderer) UpdateTexture(id uint64, x, y, w, h, stride int, rgba []byte) {
	tex, ok := o.textures[id]
	if !ok || w <= 0 || h <= 0 {
		return
	}
	gl.BindTexture(gl.TEXTURE_2D, tex)
	gl.PixelStorei(gl.UNPACK_ROW_LENGTH, int32(stride))
	gl.PixelStorei(gl.UNPACK_ALIGNMENT, 1)
	gl.TexSubImage2D(gl.TEXTURE_2D, 0, int32(x), int32(y), int32(w), int32(h), gl.RGBA, gl.UNSIGNED_BYTE, gl.Ptr(rgba))
	gl.PixelStorei(gl.UNPACK_ROW_LENGTH, 0)
}

// DeleteTexture frees a texture.
func (o *overlayRenderer) DeleteTexture(id uint64) {
	if tex, ok := o.textures[id]; ok {
		gl.DeleteTextures(1, &tex)
		delete(o.textures, id)
	}
}

func (o *overlayRenderer) draw(d *render.Overlay, fbW, fbH int) {
	if d == nil || len(d.Lists) == 0 {
		return
	}
	gl.Viewport(0, 0, int32(fbW), int32(fbH))
	gl.Enable(gl.BLEND)
	gl.BlendEquation(gl.FUNC_ADD)
	gl.BlendFuncSeparate(gl.SRC_ALPHA, gl.ONE_MINUS_SRC_ALPHA, gl.ONE, gl.ONE_MINUS_SRC_ALPHA)
	gl.Disable(gl.CULL_FACE)
	gl.Disable(gl.DEPTH_TEST)
	gl.Enable(gl.SCISSOR_TEST)
	l, r := d.DisplayPos[0], d.DisplayPos[0]+d.DisplaySize[0]
	t, b := d.DisplayPos[1], d.DisplayPos[1]+d.DisplaySize[1]
	ortho := [16]float32{
		2 / (r - l), 0, 0, 0,
		0, 2 / (t - b), 0, 0,
		0, 0, -1, 0,
		(r + l) / (l - r), (t + b) / (b - t), 0, 1,
	}
	gl.UseProgram(o.prog)
	gl.UniformMatrix4fv(o.projU, 1, false, &ortho[0])
	gl.Uniform1i(o.texU, 0)
	gl.ActiveTexture(gl.TEXTURE0)
	gl.BindVertexArray(o.vao)
	gl.BindBuffer(gl.ARRAY_BUFFER, o.vbo)
	gl.BindBuffer(gl.ELEMENT_ARRAY_BUFFER, o.ebo)
	stride := int32(d.VertexSize)
	gl.EnableVertexAttribArray(0)
	gl.EnableVertexAttribArray(1)
	gl.EnableVertexAttribArray(2)
	gl.VertexAttribPointerWithOffset(0, 2, gl.FLOAT, false, stride, uintptr(d.PosOffset))
	gl.VertexAttribPointerWithOffset(1, 2, gl.FLOAT, false, stride, uintptr(d.UVOffset))
	gl.VertexAttribPointerWithOffset(2, 4, gl.UNSIGNED_BYTE, true, stride, uintptr(d.ColOffset))
	indexType := uint32(gl.UNSIGNED_SHORT)
	if d.IndexSize == 4 {
		indexType = gl.UNSIGNED_INT
	}
	scaleX, scaleY := d.FBScale[0], d.FBScale[1]
	for _, list := range d.Lists {
		gl.BufferData(gl.ARRAY_BUFFER, list.VertexCount*d.VertexSize, list.Vertices, gl.STREAM_DRAW)
		gl.BufferData(gl.ELEMENT_ARRAY_BUFFER, list.IndexCount*d.IndexSize, list.Indices, gl.STREAM_DRAW)
		for _, cmd := range list.Commands {
			x1 := (cmd.ClipRect[0] - d.DisplayPos[0]) * scaleX
			y1 := (cmd.ClipRect[1] - d.DisplayPos[1]) * scaleY
			x2 := (cmd.ClipRect[2] - d.DisplayPos[0]) * scaleX
			y2 := (cmd.ClipRect[3] - d.DisplayPos[1]) * scaleY
			if x2 <= x1 || y2 <= y1 {
				continue
			}
			gl.Scissor(int32(x1), int32(float32(fbH)-y2), int32(x2-x1), int32(y2-y1))
			gl.BindTexture(gl.TEXTURE_2D, o.textures[cmd.Texture])
			gl.DrawElementsBaseVertexWithOffset(gl.TRIANGLES, int32(cmd.ElemCount), indexType,
				uintptr(int(cmd.IdxOffset)*d.IndexSize), int32(cmd.VtxOffset))
		}
	}
	gl.Disable(gl.SCISSOR_TEST)
	gl.BindVertexArray(0)
}

func (o *overlayRenderer) release() {
	for id := range o.textures {
		o.DeleteTexture(id)
	}
	gl.DeleteVertexArrays(1, &o.vao)
	gl.DeleteBuffers(1, &o.vbo)
	gl.DeleteBuffers(1, &o.ebo)
	gl.DeleteProgram(o.prog)
}
