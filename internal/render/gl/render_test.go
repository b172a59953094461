package gl_test

import (
	"image"
	"image/color"
	"os"
	"runtime"
	"testing"

	"github.com/go-gl/mathgl/mgl32"
	"github.com/infoalchemist/alchemist/internal/platform"
	"github.com/infoalchemist/alchemist/internal/render"
	rgl "github.com/infoalchemist/alchemist/internal/render/gl"
)

const width, height = 320, 240

func openSurface(t testing.TB, headless bool) platform.Surface {
	t.Helper()
	// A GL context is current on one OS thread; each test runs on its own goroutine, so pin it.
	runtime.LockOSThread()
	if !headless && os.Getenv("DISPLAY") == "" {
		t.Skip("no DISPLAY: the windowed test runs under xvfb-run (make test)")
	}
	s, err := platform.Open(platform.Options{Width: width, Height: height, Title: "test", Headless: headless})
	if err != nil {
		t.Fatalf("open surface: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// threeNodeScene is a red, a green and a blue node on the x axis, small enough not to touch.
func threeNodeScene() *render.Scene {
	return &render.Scene{
		Positions:  []float32{-2, 0, 0, 0, 0, 0, 2, 0, 0},
		Radii:      []float32{0.35, 0.35, 0.35},
		Colors:     []uint32{render.RGBA(255, 0, 0, 255), render.RGBA(0, 255, 0, 255), render.RGBA(0, 0, 255, 255)},
		Edges:      []uint32{0, 1, 1, 2},
		Version:    1,
		EdgeColor:  [4]float32{1, 1, 1, 0.5},
		Background: [3]float32{0, 0, 0},
	}
}

func renderThreeNodes(t *testing.T, headless bool) {
	s := openSurface(t, headless)
	info, err := rgl.Init(s.ProcAddress, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("GL: %s / %s / %s, max samples %d", info.Vendor, info.Renderer, info.Version, info.MaxSamples)
	r, err := rgl.New(info, rgl.Options{Samples: 4, Headless: s.Headless()})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	w, h := s.FramebufferSize()
	scene := threeNodeScene()
	cam := render.NewCamera()
	cam.Yaw, cam.Pitch = 0, 0 // look down -Z so the three nodes lie on one horizontal line
	cam.Fit(render.BoundsOf(scene.Positions), float32(w)/float32(h))
	if err := r.BeginFrame(w, h); err != nil {
		t.Fatal(err)
	}
	r.DrawScene(scene, &cam)
	img := r.Screenshot()
	if err := rgl.CheckError("draw"); err != nil {
		t.Fatal(err)
	}
	want := []color.RGBA{{255, 0, 0, 255}, {0, 255, 0, 255}, {0, 0, 255, 255}}
	for i := range 3 {
		p := mgl32.Vec3{scene.Positions[3*i], scene.Positions[3*i+1], scene.Positions[3*i+2]}
		x, y, ok := cam.Project(p, w, h)
		if !ok {
			t.Fatalf("node %d behind the camera", i)
		}
		got := img.RGBAAt(int(x), int(y))
		if !dominant(got, want[i]) {
			t.Errorf("node %d at pixel (%d,%d): got %v, want mostly %v", i, int(x), int(y), got, want[i])
		}
	}
	// Background: corners and the point halfway between the first two nodes but above the line.
	x0, y0, _ := cam.Project(mgl32.Vec3{-1, 1.2, 0}, w, h)
	for _, pt := range []image.Point{{2, 2}, {w - 3, h - 3}, {int(x0), int(y0)}} {
		if c := img.RGBAAt(pt.X, pt.Y); c.R > 10 || c.G > 10 || c.B > 10 {
			t.Errorf("background at %v is %v, want black", pt, c)
		}
	}
	// An edge runs between node 0 and node 1: the midpoint is lit grey, not background.
	xm, ym, _ := cam.Project(mgl32.Vec3{-1, 0, 0}, w, h)
	if c := img.RGBAAt(int(xm), int(ym)); c.R < 40 || c.G < 40 || c.B < 40 {
		t.Errorf("edge midpoint %v,%v is %v, want the grey edge", int(xm), int(ym), c)
	}
}

// dominant reports that got is bright in the channel(s) want has and dark in the others.
func dominant(got, want color.RGBA) bool {
	check := func(g, w uint8) bool {
		if w > 128 {
			return g > 100
		}
		return g < 60
	}
	return check(got.R, want.R) && check(got.G, want.G) && check(got.B, want.B)
}

func TestRenderThreeNodesHeadlessEGL(t *testing.T) { renderThreeNodes(t, true) }

func TestRenderThreeNodesXvfbWindow(t *testing.T) { renderThreeNodes(t, false) }
