package render

import "unsafe"

// Overlay is one frame of immediate-mode UI geometry (Dear ImGui's draw data, re-described without
// ImGui types so the GL layer needs no UI import). Vertex and index memory is borrowed from the UI
// library for the duration of the draw call only.
type Overlay struct {
	DisplayPos  [2]float32
	DisplaySize [2]float32
	FBScale     [2]float32
	VertexSize  int // bytes per vertex: pos (2×f32) at PosOffset, uv (2×f32) at UVOffset, colour (RGBA8) at ColOffset
	PosOffset   int
	UVOffset    int
	ColOffset   int
	IndexSize   int // 2 or 4
	Lists       []OverlayList
}

// OverlayList is one draw list.
type OverlayList struct {
	Vertices    unsafe.Pointer
	VertexCount int
	Indices     unsafe.Pointer
	IndexCount  int
	Commands    []OverlayCommand
}

// OverlayCommand draws ElemCount indices from IdxOffset with one texture and one scissor rectangle.
type OverlayCommand struct {
	ClipRect  [4]float32 // x1,y1,x2,y2 in display coordinates
	Texture   uint64
	VtxOffset uint32
	IdxOffset uint32
	ElemCount uint32
}

// TextureHost creates and updates the overlay's textures (the font atlas, images).
type TextureHost interface {
	CreateTexture(width, height int, rgba []byte) uint64
	UpdateTexture(id uint64, x, y, width, height, stride int, rgba []byte)
	DeleteTexture(id uint64)
}
