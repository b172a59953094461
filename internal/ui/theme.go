package ui

import (
	"github.com/AllenDang/cimgui-go/imgui"
)

// Theme is the UI's colour scheme.
type Theme int

// Themes.
const (
	ThemeDark Theme = iota
	ThemeLight
)

// ParseTheme reads a configured theme name; anything but "light" is dark.
func ParseTheme(name string) Theme {
	if name == "light" {
		return ThemeLight
	}
	return ThemeDark
}

// SetLook applies a theme and a font scale (1 = ImGui's 13 px default font; 0 or less means 1). ImGui 1.92 rasterises
// glyphs at the size they are drawn, so a scaled font stays sharp on high-DPI screens.
func (c *Context) SetLook(theme Theme, fontScale float32) {
	if fontScale <= 0 {
		fontScale = 1
	}
	style := imgui.CurrentStyle()
	if theme == ThemeLight {
		imgui.StyleColorsLight()
	} else {
		imgui.StyleColorsDark()
	}
	// Paddings and spacings grow once, with the first scale above 1; rescaling them on every change
	// compounds ImGui's rounding until a thickness reaches 0, which ImGui refuses. Text follows
	// every change through the font scale.
	if !c.sized && fontScale > 1 {
		style.ScaleAllSizes(fontScale)
		c.sized = true
	}
	c.fontScale = fontScale
	style.SetFontScaleMain(fontScale)
	c.theme = theme
}

// Look returns the current theme and font scale.
func (c *Context) Look() (Theme, float32) { return c.theme, c.fontScale }

// Background is the 3D view's clear colour for a theme: the configured one for dark, a light grey
// for light so the spheres keep their contrast.
func Background(theme Theme, configured [3]float32) [3]float32 {
	if theme == ThemeLight {
		return [3]float32{0.93, 0.94, 0.96}
	}
	return configured
}
