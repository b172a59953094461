// Package gl is the only importer of go-gl: it draws render.Scene and render.Overlay with OpenGL 4.1
// core. Every GL call of the product goes through here, on the thread that owns the context.
package gl

import (
	"errors"
	"fmt"
	"log"
	"strings"
	"unsafe"

	"github.com/go-gl/gl/v4.1-core/gl"
)

// ErrUnsupported means the driver lacks OpenGL 4.1 core.
var ErrUnsupported = errors.New("OpenGL 4.1 core is not available")

// Info describes the driver.
type Info struct {
	Vendor, Renderer, Version string
	MaxSamples                int
}

// Init loads the GL entry points through the platform's resolver. Call it once, with the context current.
func Init(procAddr func(name string) unsafe.Pointer, debug bool) (Info, error) {
	if err := gl.InitWithProcAddrFunc(procAddr); err != nil {
		return Info{}, fmt.Errorf("%w: %v", ErrUnsupported, err)
	}
	var major, minor int32
	gl.GetIntegerv(gl.MAJOR_VERSION, &major)
	gl.GetIntegerv(gl.MINOR_VERSION, &minor)
	info := Info{
		Vendor:   gl.GoStr(gl.GetString(gl.VENDOR)),
		Renderer: gl.GoStr(gl.GetString(gl.RENDERER)),
		Version:  gl.GoStr(gl.GetString(gl.VERSION)),
	}
	if major < 4 || (major == 4 && minor < 1) {
		return info, fmt.Errorf("%w: driver offers %d.%d (%s)", ErrUnsupported, major, minor, info.Renderer)
	}
	var samples int32
	gl.GetIntegerv(gl.MAX_SAMPLES, &samples)
	info.MaxSamples = int(samples)
	if debug {
		enableDebugOutput(major, minor)
	}
	return info, nil
}

// enableDebugOutput needs GL 4.3 (or KHR_debug); on 4.1 drivers it is silently unavailable.
func enableDebugOutput(major, minor int32) {
	if major == 4 && minor < 3 {
		log.Printf("gl: debug output needs OpenGL 4.3, driver has %d.%d", major, minor)
		return
	}
	gl.Enable(gl.DEBUG_OUTPUT)
	gl.Enable(gl.DEBUG_OUTPUT_SYNCHRONOUS)
	gl.DebugMessageCallback(func(source, gltype, id, severity uint32, length int32, message string, _ unsafe.Pointer) {
		if severity == gl.DEBUG_SEVERITY_NOTIFICATION {
			return
		}
		log.Printf("gl debug (source 0x%x type 0x%x severity 0x%x): %s", source, gltype, severity, message)
	}, nil)
}

// CheckError returns the pending GL errors, if any, naming where they were found.
func CheckError(where string) error {
	var codes []string
	for code := gl.GetError(); code != gl.NO_ERROR; code = gl.GetError() {
		codes = append(codes, fmt.Sprintf("0x%x", code))
		if len(codes) > 8 {
			break
		}
	}
	if len(codes) == 0 {
		return nil
	}
	return fmt.Errorf("gl error at %s: %s", where, strings.Join(codes, ", "))
}

func compileProgram(vertexSrc, fragmentSrc string) (uint32, error) {
	vs, err := compileShader(gl.VERTEX_SHADER, vertexSrc)
	if err != nil {
		return 0, err
	}
	defer gl.DeleteShader(vs)
	fs, err := compileShader(gl.FRAGMENT_SHADER, fragmentSrc)
	if err != nil {
		return 0, err
	}
	defer gl.DeleteShader(fs)
	prog := gl.CreateProgram()
	gl.AttachShader(prog, vs)
	gl.AttachShader(prog, fs)
	gl.LinkProgram(prog)
	var ok int32
	gl.GetProgramiv(prog, gl.LINK_STATUS, &ok)
	if ok == gl.FALSE {
		msg := infoLog(prog, gl.GetProgramiv, gl.GetProgramInfoLog)
		gl.DeleteProgram(prog)
		return 0, fmt.Errorf("link program: %s", msg)
	}
	return prog, nil
}

func compileShader(kind uint32, src string) (uint32, error) {
	sh := gl.CreateShader(kind)
	csrc, free := gl.Strs(src + "\x00")
	gl.ShaderSource(sh, 1, csrc, nil)
	free()
	gl.CompileShader(sh)
	var ok int32
	gl.GetShaderiv(sh, gl.COMPILE_STATUS, &ok)
	if ok == gl.FALSE {
		msg := infoLog(sh, gl.GetShaderiv, gl.GetShaderInfoLog)
		gl.DeleteShader(sh)
		return 0, fmt.Errorf("compile shader: %s", msg)
	}
	return sh, nil
}

func infoLog(obj uint32, getiv func(uint32, uint32, *int32), getLog func(uint32, int32, *int32, *uint8)) string {
	var n int32
	getiv(obj, gl.INFO_LOG_LENGTH, &n)
	if n <= 0 {
		return "(no log)"
	}
	buf := make([]byte, n)
	getLog(obj, n, nil, &buf[0])
	return strings.TrimRight(string(buf), "\x00\n")
}

func uniform(prog uint32, name string) int32 {
	return gl.GetUniformLocation(prog, gl.Str(name+"\x00"))
}
