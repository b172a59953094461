// Package test holds black-box tests of the whole product: import rules, the binary, end to end.
package test

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/infoalchemist/alchemist"

// outside worlds and the only packages that may import each of them directly (ARCHITECTURE §2, §7).
var doors = map[string][]string{
	"github.com/go-gl/gl":               {"internal/render/gl"},
	"github.com/go-gl/glfw":             {"internal/platform"},
	"github.com/AllenDang/cimgui-go":    {"internal/ui"},
	"github.com/nats-io/nats.go":        {"internal/natsx", "internal/eventstore/jetstream", "internal/objectstore", "internal/service", "internal/bridge", "internal/agents", "internal/app"},
	"github.com/nats-io/nats-server/v2": {"internal/natsx"},
}

// pure packages may not depend on any outside world, even indirectly.
var pure = []string{
	"internal/graph", "internal/conceptual", "internal/game", "internal/layout", "internal/spatial",
	"internal/eventstore", "internal/world", "internal/render", "internal/config", "internal/graphio", "internal/timeline", "internal/components",
	"internal/palette",
}

// mathgl is plain vector math, not an outside world.
var worlds = []string{"github.com/go-gl/gl", "github.com/go-gl/glfw", "github.com/AllenDang/cimgui-go", "github.com/nats-io/"}

type pkgInfo struct {
	path    string
	imports []string
	deps    []string
}

func listPackages(t *testing.T) map[string]pkgInfo {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}|{{join .Imports \" \"}}|{{join .Deps \" \"}}", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	pkgs := map[string]pkgInfo{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		parts := strings.SplitN(line, "|", 3)
		if len(parts) != 3 {
			continue
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(parts[0], module), "/")
		pkgs[rel] = pkgInfo{path: rel, imports: strings.Fields(parts[1]), deps: strings.Fields(parts[2])}
	}
	return pkgs
}

func allowed(pkg string, owners []string) bool {
	for _, o := range owners {
		if pkg == o || strings.HasPrefix(pkg, o+"/") {
			return true
		}
	}
	return false
}

func TestImportRules(t *testing.T) {
	pkgs := listPackages(t)
	if len(pkgs) < 5 {
		t.Fatalf("go list found only %d packages", len(pkgs))
	}
	for _, p := range pkgs {
		for _, imp := range p.imports {
			for world, owners := range doors {
				if (imp == world || strings.HasPrefix(imp, world+"/")) && !allowed(p.path, owners) {
					t.Errorf("%s imports %s; only %v may", p.path, imp, owners)
				}
			}
		}
	}
	for _, name := range pure {
		p, ok := pkgs[name]
		if !ok {
			continue // not written yet
		}
		for _, dep := range p.deps {
			for _, w := range worlds {
				if strings.HasPrefix(dep, w) {
					t.Errorf("pure package %s depends on %s", name, dep)
				}
			}
		}
	}
	for _, sub := range []string{"internal/platform", "internal/render/gl", "internal/ui"} {
		for _, dep := range pkgs[sub].deps {
			if strings.HasPrefix(dep, "github.com/nats-io/") {
				t.Errorf("%s depends on NATS (%s)", sub, dep)
			}
		}
	}
	if main, ok := pkgs["cmd/alchemist"]; ok {
		for _, imp := range main.imports {
			if strings.HasPrefix(imp, module+"/") && !allowed(strings.TrimPrefix(imp, module+"/"), []string{"internal/app", "internal/config"}) {
				t.Errorf("cmd/alchemist imports %s: main stays thin (app and config)", imp)
			}
		}
	}
}
