package gl

import (
	"fmt"
	"image"

	"github.com/go-gl/gl/v4.1-core/gl"
)

// target is where a frame is drawn: a multisampled framebuffer for the scene, resolved into the
// presentable one (the window's default framebuffer, or our own when headless).
type target struct {
	w, h     int
	samples  int
	headless bool

	msaaFBO, msaaColor, msaaDepth uint32 // 0 when samples == 0
	outFBO, outColor, outDepth    uint32 // headless only: the presentable framebuffer
}

func (t *target) resize(w, h int) error {
	if w == t.w && h == t.h && (t.outFBO != 0 || !t.headless) && (t.msaaFBO != 0 || t.samples == 0) {
		return nil
	}
	t.release()
	t.w, t.h = w, h
	if t.samples > 0 {
		fbo, color, depth, err := newFramebuffer(w, h, t.samples)
		if err != nil {
			return err
		}
		t.msaaFBO, t.msaaColor, t.msaaDepth = fbo, color, depth
	}
	if t.headless {
		fbo, color, depth, err := newFramebuffer(w, h, 0)
		if err != nil {
			return err
		}
		t.outFBO, t.outColor, t.outDepth = fbo, color, depth
	}
	return nil
}

func newFramebuffer(w, h, samples int) (fbo, color, depth uint32, err error) {
	gl.GenFramebuffers(1, &fbo)
	gl.BindFramebuffer(gl.FRAMEBUFFER, fbo)
	gl.GenRenderbuffers(1, &color)
	gl.BindRenderbuffer(gl.RENDERBUFFER, color)
	gl.RenderbufferStorageMultisample(gl.RENDERBUFFER, int32(samples), gl.RGBA8, int32(w), int32(h))
	gl.FramebufferRenderbuffer(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.RENDERBUFFER, color)
	gl.GenRenderbuffers(1, &depth)
	gl.BindRenderbuffer(gl.RENDERBUFFER, depth)
	gl.RenderbufferStorageMultisample(gl.RENDERBUFFER, int32(samples), gl.DEPTH_COMPONENT24, int32(w), int32(h))
	gl.FramebufferRenderbuffer(gl.FRAMEBUFFER, gl.DEPTH_ATTACHMENT, gl.RENDERBUFFER, depth)
	if status := gl.CheckFramebufferStatus(gl.FRAMEBUFFER); status != gl.FRAMEBUFFER_COMPLETE {
		gl.DeleteFramebuffers(1, &fbo)
		gl.DeleteRenderbuffers(1, &color)
		gl.DeleteRenderbuffers(1, &depth)
		return 0, 0, 0, fmt.Errorf("framebuffer %dx%d with %d samples incomplete: 0x%x", w, h, samples, status)
	}
	return fbo, color, depth, nil
}

// sceneFBO is where the 3D scene is drawn.
func (t *target) sceneFBO() uint32 {
	if t.msaaFBO != 0 {
		return t.msaaFBO
	}
	return t.outFBO
}

// presentFBO is what the overlay draws on and screenshots read.
func (t *target) presentFBO() uint32 { return t.outFBO }

func (t *target) resolve() {
	if t.msaaFBO == 0 {
		return
	}
	gl.BindFramebuffer(gl.READ_FRAMEBUFFER, t.msaaFBO)
	gl.BindFramebuffer(gl.DRAW_FRAMEBUFFER, t.outFBO)
	gl.BlitFramebuffer(0, 0, int32(t.w), int32(t.h), 0, 0, int32(t.w), int32(t.h), gl.COLOR_BUFFER_BIT, gl.NEAREST)
	gl.BindFramebuffer(gl.FRAMEBUFFER, t.outFBO)
}

// readPixels copies the presentable framebuffer into an image, top row first.
func (t *target) readPixels() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, t.w, t.h))
	gl.BindFramebuffer(gl.READ_FRAMEBUFFER, t.outFBO)
	if t.outFBO == 0 {
		gl.ReadBuffer(gl.BACK)
	} else {
		gl.ReadBuffer(gl.COLOR_ATTACHMENT0)
	}
	gl.PixelStorei(gl.PACK_ALIGNMENT, 1)
	gl.ReadPixels(0, 0, int32(t.w), int32(t.h), gl.RGBA, gl.UNSIGNED_BYTE, gl.Ptr(img.Pix))
	// GL's origin is bottom-left; images are top-down.
	stride := img.Stride
	row := make([]byte, stride)
	for y := 0; y < t.h/2; y++ {
		top, bottom := img.Pix[y*stride:(y+1)*stride], img.Pix[(t.h-1-y)*stride:(t.h-y)*stride]
		copy(row, top)
		copy(top, bottom)
		copy(bottom, row)
	}
	return img
}

func (t *target) release() {
	if t.msaaFBO != 0 {
		gl.DeleteFramebuffers(1, &t.msaaFBO)
		gl.DeleteRenderbuffers(1, &t.msaaColor)
		gl.DeleteRenderbuffers(1, &t.msaaDepth)
		t.msaaFBO, t.msaaColor, t.msaaDepth = 0, 0, 0
	}
	if t.outFBO != 0 {
		gl.DeleteFramebuffers(1, &t.outFBO)
		gl.DeleteRenderbuffers(1, &t.outColor)
		gl.DeleteRenderbuffers(1, &t.outDepth)
		t.outFBO, t.outColor, t.outDepth = 0, 0, 0
	}
}
