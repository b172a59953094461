package test

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The Done-when for the palette: open it with Ctrl+K, type part of a graph's name, Enter →
// that graph opens and renders. The rendering is checked through the palette's own screenshot
// command, typed the same way.
func TestPaletteOpensGraphByName(t *testing.T) {
	data := t.TempDir()
	env := []string{"ALCHEMIST_DATA_DIR=" + data}
	dir := t.TempDir()
	// Two graphs with different names; the second is a ring of 40 nodes, so it fills the middle
	// of the window.
	var a, b strings.Builder
	a.WriteString("source,target\n")
	for i := range 5 {
		fmt.Fprintf(&a, "a%d,a%d\n", i, i+1)
	}
	b.WriteString("source,target\n")
	for i := range 40 {
		fmt.Fprintf(&b, "z%d,z%d\n", i, (i+1)%40)
	}
	for _, g := range []struct{ file, id, name, csv string }{
		{"alpha.csv", "alpha", "Alpha network", a.String()},
		{"zebra.csv", "zebra", "Zebra metro lines", b.String()},
	} {
		path := filepath.Join(dir, g.file)
		if err := os.WriteFile(path, []byte(g.csv), 0o600); err != nil {
			t.Fatal(err)
		}
		if r := alchemist(t, env, "import", path, "--id", g.id, "--graph", g.name, "--quiet"); r.code != 0 {
			t.Fatalf("import %s: %s", g.file, r.stderr)
		}
	}

	s := startGUISession(t, env, "--width", "800", "--height", "600", "--msaa", "0")
	time.Sleep(1500 * time.Millisecond) // the graph list arrives in the background
	s.xdo("key", "--window", "WINDOW", "ctrl+k")
	s.waitFor(10*time.Second, "palette", "command=\"open palette\"")
	time.Sleep(300 * time.Millisecond) // the field takes the keyboard on the next frame
	s.xdo("type", "--window", "WINDOW", "--delay", "40", "zebr metr")
	time.Sleep(500 * time.Millisecond)
	s.xdo("key", "--window", "WINDOW", "Return")
	s.waitFor(10*time.Second, "palette", "command=\"open graph\"", "graph=zebra")
	opened := s.waitFor(30*time.Second, "graph opened", "graph=zebra")
	if f := fields(opened); f["nodes"] != "40" {
		t.Fatalf("opened %s", opened)
	}

	time.Sleep(2 * time.Second) // the layout unfolds the ring
	shot := filepath.Join(t.TempDir(), "shot.png")
	s.xdo("key", "--window", "WINDOW", "ctrl+k")
	time.Sleep(400 * time.Millisecond)
	s.xdo("type", "--window", "WINDOW", "--delay", "40", "screensh")
	time.Sleep(400 * time.Millisecond)
	s.xdo("key", "--window", "WINDOW", "Return")
	// The prompt's default path is selected: typing replaces it.
	time.Sleep(600 * time.Millisecond)
	s.xdo("type", "--window", "WINDOW", "--delay", "20", shot)
	time.Sleep(300 * time.Millisecond)
	s.xdo("key", "--window", "WINDOW", "Return")
	s.waitFor(20*time.Second, "palette screenshot written", "path="+shot)

	img := palettePNG(t, shot)
	bg := img.At(5, img.Bounds().Dy()-60) // empty scene near the bottom left
	var nodes int
	bounds := img.Bounds()
	// The middle of the window, where the ring is drawn.
	for y := bounds.Dy() / 4; y < 3*bounds.Dy()/4; y++ {
		for x := bounds.Dx() / 4; x < 3*bounds.Dx()/4; x++ {
			if colourFar(img.At(x, y), bg, 60) {
				nodes++
			}
		}
	}
	if nodes < 200 {
		t.Fatalf("the screenshot of the opened graph shows only %d non-background pixels in the middle", nodes)
	}
	t.Logf("%d non-background pixels in the middle of the opened graph", nodes)
}

// --show palette --palette-query draws the palette with its ranked rows (the README's screenshot).
func TestPaletteShownAtStart(t *testing.T) {
	out := filepath.Join(t.TempDir(), "palette.png")
	args := append([]string{"run", "--demo", "0", "--show", "palette", "--palette-query", "open",
		"--screenshot", out, "--frames", "10", "--width", "1280", "--height", "800"}, displayArgs()...)
	r := alchemist(t, []string{"ALCHEMIST_DATA_DIR=" + t.TempDir()}, args...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	img := palettePNG(t, out)
	bg := img.At(640, 600) // the empty scene below the palette
	// The palette is centred near the top (x 320..960); this part of it is covered by no other
	// panel: the stats overlay is on the left, the graph list on the right.
	var differ, bright, total int
	for y := 70; y < 160; y++ {
		for x := 420; x < 860; x++ {
			total++
			c := img.At(x, y)
			if colourFar(c, bg, 4) { // the window is a grey close to the scene's blue-black
				differ++
			}
			if r, g, b, _ := c.RGBA(); (r+g+b)/3>>8 > 150 {
				bright++
			}
		}
	}
	if differ < total/2 {
		t.Fatalf("only %d of %d pixels where the palette should be differ from the background", differ, total)
	}
	if bright < 100 {
		t.Fatalf("only %d bright (text) pixels in the palette: no rows drawn", bright)
	}
	t.Logf("%d of %d palette pixels differ from the background, %d are text", differ, total, bright)
}

func palettePNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s is not a PNG: %v", path, err)
	}
	return img
}

// far reports that two colours differ by more than d in some channel (0..255).
func colourFar(a, b interface{ RGBA() (r, g, b, a uint32) }, d int) bool {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	diff := func(x, y uint32) int { return absInt(int(x>>8) - int(y>>8)) }
	return diff(ar, br) > d || diff(ag, bg) > d || diff(ab, bb) > d
}

func absInt(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
