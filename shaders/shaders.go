// Package shaders embeds the GLSL sources so the binary carries them.
package shaders

import "embed"

// FS holds every *.vert and *.frag file of this folder.
//
//go:embed *.vert *.frag
var FS embed.FS
