package ui

import (
	"github.com/AllenDang/cimgui-go/imgui"
	"github.com/infoalchemist/alchemist/internal/platform"
)

// imguiKey maps platform (GLFW-numbered) keys to Dear ImGui's named keys.
func imguiKey(k platform.Key) (imgui.Key, bool) {
	switch {
	case k >= platform.KeyA && k <= platform.KeyZ:
		return imgui.KeyA + imgui.Key(k-platform.KeyA), true
	case k >= platform.Key0 && k <= platform.Key9:
		return imgui.Key0 + imgui.Key(k-platform.Key0), true
	case k >= platform.KeyF1 && k <= platform.KeyF12:
		return imgui.KeyF1 + imgui.Key(k-platform.KeyF1), true
	}
	key, ok := namedKeys[k]
	return key, ok
}

var namedKeys = map[platform.Key]imgui.Key{
	platform.KeyTab: imgui.KeyTab, platform.KeyLeft: imgui.KeyLeftArrow, platform.KeyRight: imgui.KeyRightArrow,
	platform.KeyUp: imgui.KeyUpArrow, platform.KeyDown: imgui.KeyDownArrow, platform.KeyPageUp: imgui.KeyPageUp,
	platform.KeyPageDown: imgui.KeyPageDown, platform.KeyHome: imgui.KeyHome, platform.KeyEnd: imgui.KeyEnd,
	platform.KeyInsert: imgui.KeyInsert, platform.KeyDelete: imgui.KeyDelete, platform.KeyBackspace: imgui.KeyBackspace,
	platform.KeySpace: imgui.KeySpace, platform.KeyEnter: imgui.KeyEnter, platform.KeyEscape: imgui.KeyEscape,
	platform.KeyLeftControl: imgui.KeyLeftCtrl, platform.KeyLeftShift: imgui.KeyLeftShift, platform.KeyLeftAlt: imgui.KeyLeftAlt,
	platform.KeyLeftSuper: imgui.KeyLeftSuper, platform.KeyRightControl: imgui.KeyRightCtrl, platform.KeyRightShift: imgui.KeyRightShift,
	platform.KeyRightAlt: imgui.KeyRightAlt, platform.KeyRightSuper: imgui.KeyRightSuper,
	platform.KeyApostrophe: imgui.KeyApostrophe, platform.KeyComma: imgui.KeyComma, platform.KeyMinus: imgui.KeyMinus,
	platform.KeyPeriod: imgui.KeyPeriod, platform.KeySlash: imgui.KeySlash, platform.KeySemicolon: imgui.KeySemicolon,
	platform.KeyEqual: imgui.KeyEqual, platform.KeyLeftBracket: imgui.KeyLeftBracket, platform.KeyBackslash: imgui.KeyBackslash,
	platform.KeyRightBracket: imgui.KeyRightBracket, platform.KeyGraveAccent: imgui.KeyGraveAccent,
}
