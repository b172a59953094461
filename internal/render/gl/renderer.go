package gl

import (
	"fmt"
	"image"

	"github.com/go-gl/gl/v4.1-core/gl"
	"github.com/infoalchemist/alchemist/internal/render"
	"github.com/infoalchemist/alchemist/shaders"
)

// Options tune the renderer.
type Options struct {
	Samples        int     // MSAA samples; clamped to what the driver offers
	Headless       bool    // no default framebuffer: draw into our own
	RadiusScale    float32 // multiplies every node radius
	MinPixelRadius float32 // far nodes never shrink below this many pixels
}

// Renderer draws scenes and overlays. All methods must be called on the GL thread.
type Renderer struct {
	opts   Options
	target target

	nodeProg, edgeProg                   uint32
	nodeVAO, edgeVAO                     uint32
	quadVBO, posVBO, radiusVBO, colorVBO uint32
	edgeEBO                              uint32
	posCap, nodeCap, edgeCap             int // buffer capacities in elements
	uploadedVersion                      uint64
	uploadedNodes, uploadedEdges         int

	nodeU struct{ view, proj, radiusScale, viewport, minPixel int32 }
	edgeU struct{ view, proj, color int32 }

	overlay overlayRenderer
}

// New compiles the shaders and creates the buffers.
func New(info Info, opts Options) (*Renderer, error) {
	if opts.RadiusScale == 0 {
		opts.RadiusScale = 1
	}
	if opts.MinPixelRadius == 0 {
		opts.MinPixelRadius = 1.5
	}
	r := &Renderer{opts: opts}
	r.target.samples = min(opts.Samples, info.MaxSamples)
	r.target.headless = opts.Headless
	var err error
	if r.nodeProg, err = programFromFiles("node.vert", "node.frag"); err != nil {
		return nil, err
	}
	if r.edgeProg, err = programFromFiles("edge.vert", "edge.frag"); err != nil {
		return nil, err
	}
	r.nodeU.view, r.nodeU.proj = uniform(r.nodeProg, "view"), uniform(r.nodeProg, "proj")
	r.nodeU.radiusScale, r.nodeU.viewport = uniform(r.nodeProg, "radiusScale"), uniform(r.nodeProg, "viewport")
	r.nodeU.minPixel = uniform(r.nodeProg, "minPixelRadius")
	r.edgeU.view, r.edgeU.proj, r.edgeU.color = uniform(r.edgeProg, "view"), uniform(r.edgeProg, "proj"), uniform(r.edgeProg, "edgeColor")

	gl.GenBuffers(1, &r.quadVBO)
	gl.GenBuffers(1, &r.posVBO)
	gl.GenBuffers(1, &r.radiusVBO)
	gl.GenBuffers(1, &r.colorVBO)
	gl.GenBuffers(1, &r.edgeEBO)
	quad := []float32{-1, -1, 1, -1, -1, 1, 1, 1}
	gl.BindBuffer(gl.ARRAY_BUFFER, r.quadVBO)
	gl.BufferData(gl.ARRAY_BUFFER, len(quad)*4, gl.Ptr(quad), gl.STATIC_DRAW)

	gl.GenVertexArrays(1, &r.nodeVAO)
	gl.BindVertexArray(r.nodeVAO)
	gl.BindBuffer(gl.ARRAY_BUFFER, r.quadVBO)
	gl.EnableVertexAttribArray(0)
	gl.VertexAttribPointerWithOffset(0, 2, gl.FLOAT, false, 8, 0)
	gl.BindBuffer(gl.ARRAY_BUFFER, r.posVBO)
	gl.EnableVertexAttribArray(1)
	gl.VertexAttribPointerWithOffset(1, 3, gl.FLOAT, false, 12, 0)
	gl.VertexAttribDivisor(1, 1)
	gl.BindBuffer(gl.ARRAY_BUFFER, r.radiusVBO)
	gl.EnableVertexAttribArray(2)
	gl.VertexAttribPointerWithOffset(2, 1, gl.FLOAT, false, 4, 0)
	gl.VertexAttribDivisor(2, 1)
	gl.BindBuffer(gl.ARRAY_BUFFER, r.colorVBO)
	gl.EnableVertexAttribArray(3)
	gl.VertexAttribPointerWithOffset(3, 4, gl.UNSIGNED_BYTE, true, 4, 0)
	gl.VertexAttribDivisor(3, 1)

	// Edges reuse the node position buffer: the index buffer names node pairs.
	gl.GenVertexArrays(1, &r.edgeVAO)
	gl.BindVertexArray(r.edgeVAO)
	gl.BindBuffer(gl.ARRAY_BUFFER, r.posVBO)
	gl.EnableVertexAttribArray(1)
	gl.VertexAttribPointerWithOffset(1, 3, gl.FLOAT, false, 12, 0)
	gl.BindBuffer(gl.ELEMENT_ARRAY_BUFFER, r.edgeEBO)
	gl.BindVertexArray(0)

	if err := r.overlay.init(); err != nil {
		return nil, err
	}
	if err := CheckError("renderer setup"); err != nil {
		return nil, err
	}
	return r, nil
}

func programFromFiles(vert, frag string) (uint32, error) {
	vs, err := shaders.FS.ReadFile(vert)
	if err != nil {
		return 0, err
	}
	fs, err := shaders.FS.ReadFile(frag)
	if err != nil {
		return 0, err
	}
	prog, err := compileProgram(string(vs), string(fs))
	if err != nil {
		return 0, fmt.Errorf("%s + %s: %w", vert, frag, err)
	}
	return prog, nil
}

// Samples is the MSAA sample count in use.
func (r *Renderer) Samples() int { return r.target.samples }

// BeginFrame sizes the framebuffers to w×h pixels.
func (r *Renderer) BeginFrame(w, h int) error {
	return r.target.resize(w, h)
}

// DrawScene draws nodes and edges from the camera's view and resolves MSAA into the presentable
// framebuffer.
func (r *Renderer) DrawScene(s *render.Scene, cam *render.Camera) {
	t := &r.target
	gl.BindFramebuffer(gl.FRAMEBUFFER, t.sceneFBO())
	gl.Viewport(0, 0, int32(t.w), int32(t.h))
	gl.ClearColor(s.Background[0], s.Background[1], s.Background[2], 1)
	gl.ClearDepth(1)
	gl.Clear(gl.COLOR_BUFFER_BIT | gl.DEPTH_BUFFER_BIT)
	gl.Disable(gl.SCISSOR_TEST)
	gl.Disable(gl.CULL_FACE)
	r.upload(s)
	view := cam.View()
	proj := cam.Projection(float32(t.w) / float32(max(t.h, 1)))

	if n := s.EdgeCount(); n > 0 && s.EdgeColor[3] > 0 {
		gl.Enable(gl.BLEND)
		gl.BlendFunc(gl.SRC_ALPHA, gl.ONE_MINUS_SRC_ALPHA)
		gl.Enable(gl.DEPTH_TEST)
		gl.DepthMask(false)
		gl.UseProgram(r.edgeProg)
		gl.UniformMatrix4fv(r.edgeU.view, 1, false, &view[0])
		gl.UniformMatrix4fv(r.edgeU.proj, 1, false, &proj[0])
		gl.Uniform4f(r.edgeU.color, s.EdgeColor[0], s.EdgeColor[1], s.EdgeColor[2], s.EdgeColor[3])
		gl.BindVertexArray(r.edgeVAO)
		gl.DrawElements(gl.LINES, int32(2*n), gl.UNSIGNED_INT, nil)
		gl.DepthMask(true)
	}
	if n := s.NodeCount(); n > 0 {
		gl.Disable(gl.BLEND)
		gl.Enable(gl.DEPTH_TEST)
		gl.DepthFunc(gl.LESS)
		gl.UseProgram(r.nodeProg)
		gl.UniformMatrix4fv(r.nodeU.view, 1, false, &view[0])
		gl.UniformMatrix4fv(r.nodeU.proj, 1, false, &proj[0])
		gl.Uniform1f(r.nodeU.radiusScale, r.opts.RadiusScale)
		gl.Uniform2f(r.nodeU.viewport, float32(t.w), float32(t.h))
		gl.Uniform1f(r.nodeU.minPixel, r.opts.MinPixelRadius)
		gl.BindVertexArray(r.nodeVAO)
		gl.DrawArraysInstanced(gl.TRIANGLE_STRIP, 0, 4, int32(n))
	}
	gl.BindVertexArray(0)
	t.resolve()
}

// upload sends positions every frame and the other columns only when the topology changed.
func (r *Renderer) upload(s *render.Scene) {
	n := s.NodeCount()
	if n > 0 {
		gl.BindBuffer(gl.ARRAY_BUFFER, r.posVBO)
		if n > r.posCap {
			r.posCap = grow(n)
			gl.BufferData(gl.ARRAY_BUFFER, r.posCap*12, nil, gl.STREAM_DRAW)
		}
		gl.BufferSubData(gl.ARRAY_BUFFER, 0, n*12, gl.Ptr(s.Positions))
	}
	if s.Version == r.uploadedVersion && n == r.uploadedNodes && s.EdgeCount() == r.uploadedEdges {
		return
	}
	if n > 0 {
		if n > r.nodeCap {
			r.nodeCap = grow(n)
			gl.BindBuffer(gl.ARRAY_BUFFER, r.radiusVBO)
			gl.BufferData(gl.ARRAY_BUFFER, r.nodeCap*4, nil, gl.DYNAMIC_DRAW)
			gl.BindBuffer(gl.ARRAY_BUFFER, r.colorVBO)
			gl.BufferData(gl.ARRAY_BUFFER, r.nodeCap*4, nil, gl.DYNAMIC_DRAW)
		}
		gl.BindBuffer(gl.ARRAY_BUFFER, r.radiusVBO)
		gl.BufferSubData(gl.ARRAY_BUFFER, 0, n*4, gl.Ptr(s.Radii))
		gl.BindBuffer(gl.ARRAY_BUFFER, r.colorVBO)
		gl.BufferSubData(gl.ARRAY_BUFFER, 0, n*4, gl.Ptr(s.Colors))
	}
	if m := s.EdgeCount(); m > 0 {
		gl.BindVertexArray(r.edgeVAO)
		gl.BindBuffer(gl.ELEMENT_ARRAY_BUFFER, r.edgeEBO)
		if m > r.edgeCap {
			r.edgeCap = grow(m)
			gl.BufferData(gl.ELEMENT_ARRAY_BUFFER, r.edgeCap*8, nil, gl.DYNAMIC_DRAW)
		}
		gl.BufferSubData(gl.ELEMENT_ARRAY_BUFFER, 0, m*8, gl.Ptr(s.Edges))
		gl.BindVertexArray(0)
	}
	r.uploadedVersion, r.uploadedNodes, r.uploadedEdges = s.Version, n, s.EdgeCount()
}

func grow(n int) int { return max(1024, n+n/2) }

// DrawOverlay draws UI geometry over the presentable framebuffer.
func (r *Renderer) DrawOverlay(o *render.Overlay) {
	gl.BindFramebuffer(gl.FRAMEBUFFER, r.target.presentFBO())
	r.overlay.draw(o, r.target.w, r.target.h)
}

// Screenshot reads the presentable framebuffer (call before the platform's Swap).
func (r *Renderer) Screenshot() *image.RGBA {
	gl.Finish()
	return r.target.readPixels()
}

// Finish waits until the GPU has executed every command (for timing).
func (r *Renderer) Finish() { gl.Finish() }

// Textures is the overlay's texture host.
func (r *Renderer) Textures() render.TextureHost { return &r.overlay }

// Close frees GL objects.
func (r *Renderer) Close() {
	r.target.release()
	r.overlay.release()
	gl.DeleteVertexArrays(1, &r.nodeVAO)
	gl.DeleteVertexArrays(1, &r.edgeVAO)
	for _, b := range []*uint32{&r.quadVBO, &r.posVBO, &r.radiusVBO, &r.colorVBO, &r.edgeEBO} {
		gl.DeleteBuffers(1, b)
	}
	gl.DeleteProgram(r.nodeProg)
	gl.DeleteProgram(r.edgeProg)
}
