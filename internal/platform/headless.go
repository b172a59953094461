package platform

/*
#cgo linux pkg-config: egl
#include <stdlib.h>
#include <EGL/egl.h>
#include <EGL/eglext.h>

// openEGL makes an OpenGL 4.1 core context current with no surface: first on a GPU found by device
// enumeration (NVIDIA headless), then on Mesa's surfaceless platform, then on the default display.
static int openEGL(EGLDisplay *outDpy, EGLContext *outCtx, int debug) {
	PFNEGLQUERYDEVICESEXTPROC queryDevices = (PFNEGLQUERYDEVICESEXTPROC)eglGetProcAddress("eglQueryDevicesEXT");
	PFNEGLGETPLATFORMDISPLAYEXTPROC platformDisplay = (PFNEGLGETPLATFORMDISPLAYEXTPROC)eglGetProcAddress("eglGetPlatformDisplayEXT");
	EGLDisplay candidates[8];
	int n = 0;
	if (queryDevices && platformDisplay) {
		EGLDeviceEXT devices[4];
		EGLint count = 0;
		if (queryDevices(4, devices, &count)) {
			for (EGLint i = 0; i < count && n < 4; i++) {
				EGLDisplay d = platformDisplay(EGL_PLATFORM_DEVICE_EXT, devices[i], NULL);
				if (d != EGL_NO_DISPLAY) candidates[n++] = d;
			}
		}
	}
	if (platformDisplay) {
		EGLDisplay d = platformDisplay(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, NULL);
		if (d != EGL_NO_DISPLAY) candidates[n++] = d;
	}
	candidates[n++] = eglGetDisplay(EGL_DEFAULT_DISPLAY);
	int lastErr = 0;
	for (int i = 0; i < n; i++) {
		EGLDisplay dpy = candidates[i];
		EGLint major, minor;
		if (dpy == EGL_NO_DISPLAY || !eglInitialize(dpy, &major, &minor)) { lastErr = eglGetError(); continue; }
		if (!eglBindAPI(EGL_OPENGL_API)) { lastErr = eglGetError(); eglTerminate(dpy); continue; }
		EGLint cfgAttrs[] = { EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_RED_SIZE, 8, EGL_GREEN_SIZE, 8,
			EGL_BLUE_SIZE, 8, EGL_ALPHA_SIZE, 8, EGL_DEPTH_SIZE, 24, EGL_SURFACE_TYPE, 0, EGL_NONE };
		EGLConfig cfg;
		EGLint ncfg = 0;
		if (!eglChooseConfig(dpy, cfgAttrs, &cfg, 1, &ncfg) || ncfg < 1) {
			cfgAttrs[12] = EGL_PBUFFER_BIT;
			if (!eglChooseConfig(dpy, cfgAttrs, &cfg, 1, &ncfg) || ncfg < 1) { lastErr = eglGetError(); eglTerminate(dpy); continue; }
		}
		EGLint ctxAttrs[] = { EGL_CONTEXT_MAJOR_VERSION, 4, EGL_CONTEXT_MINOR_VERSION, 1,
			EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
			EGL_CONTEXT_OPENGL_DEBUG, debug ? EGL_TRUE : EGL_FALSE, EGL_NONE };
		EGLContext ctx = eglCreateContext(dpy, cfg, EGL_NO_CONTEXT, ctxAttrs);
		if (ctx == EGL_NO_CONTEXT) { lastErr = eglGetError(); eglTerminate(dpy); continue; }
		if (!eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, ctx)) {
			lastErr = eglGetError(); eglDestroyContext(dpy, ctx); eglTerminate(dpy); continue;
		}
		*outDpy = dpy;
		*outCtx = ctx;
		return 0;
	}
	return lastErr ? lastErr : -1;
}

static void closeEGL(EGLDisplay dpy, EGLContext ctx) {
	eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
	eglDestroyContext(dpy, ctx);
	eglTerminate(dpy);
}

static void *procAddress(const char *name) { return (void *)eglGetProcAddress(name); }
*/
import "C"

import (
	"fmt"
	"time"
	"unsafe"
)

type headless struct {
	dpy       C.EGLDisplay
	ctx       C.EGLContext
	w, h      int
	start     time.Time
	closed    bool
	clipboard string
	names     map[string]*C.char
}

func openHeadless(opts Options) (Surface, error) {
	var dpy C.EGLDisplay
	var ctx C.EGLContext
	debug := C.int(0)
	if opts.Debug {
		debug = 1
	}
	if code := C.openEGL(&dpy, &ctx, debug); code != 0 {
		return nil, fmt.Errorf("headless EGL: no OpenGL 4.1 core context (EGL error 0x%x); is libegl-mesa0 or an NVIDIA driver installed?", int(code))
	}
	return &headless{dpy: dpy, ctx: ctx, w: opts.Width, h: opts.Height, start: time.Now(), names: map[string]*C.char{}}, nil
}

func (s *headless) ProcAddress(name string) unsafe.Pointer {
	// The loader asks once per entry point at start-up; the C strings live as long as the surface.
	cname, ok := s.names[name]
	if !ok {
		cname = C.CString(name)
		s.names[name] = cname
	}
	return C.procAddress(cname)
}

func (s *headless) FramebufferSize() (int, int) { return s.w, s.h }
func (s *headless) WindowSize() (int, int)      { return s.w, s.h }
func (s *headless) Poll(buf []Event) []Event    { return buf }
func (s *headless) Swap()                       {}
func (s *headless) ShouldClose() bool           { return s.closed }
func (s *headless) RequestClose()               { s.closed = true }
func (s *headless) SetTitle(string)             {}
func (s *headless) Headless() bool              { return true }
func (s *headless) Time() float64               { return time.Since(s.start).Seconds() }
func (s *headless) Clipboard() string           { return s.clipboard }
func (s *headless) SetClipboard(text string)    { s.clipboard = text }

func (s *headless) Close() {
	if s.ctx == nil {
		return
	}
	C.closeEGL(s.dpy, s.ctx)
	s.ctx = nil
	for _, c := range s.names {
		C.free(unsafe.Pointer(c))
	}
	s.names = nil
}
