package ui

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/AllenDang/cimgui-go/imgui"
)

// PaletteRow is one entry of the command palette, prepared by the caller.
type PaletteRow struct {
	Kind     string // command, graph, node, agent, layout
	Title    string
	Detail   string // drawn dimmed after the title
	Shortcut string // drawn at the right edge
	// Match holds the byte offsets of the matched characters, in Title or, with MatchDetail, in
	// Detail; they are highlighted.
	Match       []int
	MatchDetail bool
}

// PaletteView is what the palette shows this frame.
type PaletteView struct {
	Query    *string // the text field, edited in place
	Hint     string  // shown in the empty field
	Prompt   string  // when the palette asks for an argument: what it asks for
	Rows     []PaletteRow
	Selected int
	Footer   string // a line under the rows: counts, what Enter does
	Error    string // why the last Enter was refused, shown in red
	Focus    bool   // put the keyboard focus in the field and bring the palette to the front
	Scroll   bool   // scroll the selected row into view
}

// PaletteInput is what the user did in the palette this frame.
type PaletteInput struct {
	Changed bool // the query was edited
	Move    int  // rows to move the selection by (arrow keys, page keys)
	Chosen  int  // the row chosen by Enter or a click, -1 for none
	Enter   bool // Enter was pressed (with or without rows)
	Close   bool // Escape, or a click outside the palette
}

// PaletteWidth is the palette's width in screen units at font scale 1.
const PaletteWidth = 640

// paletteRowsShown is how many rows fit before the list scrolls.
const paletteRowsShown = 12

// Palette draws the command palette centred near the top of the window, over everything.
func (c *Context) Palette(v *PaletteView) PaletteInput {
	in := PaletteInput{Chosen: -1}
	io := imgui.CurrentIO()
	display := io.DisplaySize()
	width := min(PaletteWidth*c.fontScale, display.X-20)
	imgui.SetNextWindowPosV(imgui.Vec2{X: display.X / 2, Y: max(display.Y*0.08, 40)}, imgui.CondAlways, imgui.Vec2{X: 0.5, Y: 0})
	imgui.SetNextWindowSizeV(imgui.Vec2{X: width, Y: 0}, imgui.CondAlways)
	imgui.SetNextWindowBgAlpha(0.97)
	if v.Focus {
		imgui.SetNextWindowFocus()
	}
	flags := imgui.WindowFlagsNoDecoration | imgui.WindowFlagsNoSavedSettings | imgui.WindowFlagsNoMove |
		imgui.WindowFlagsAlwaysAutoResize | imgui.WindowFlagsNoNav
	imgui.PushStyleVarFloat(imgui.StyleVarWindowRounding, 6)
	imgui.PushStyleVarVec2(imgui.StyleVarWindowPadding, imgui.Vec2{X: 10, Y: 10})
	if imgui.BeginV("##palette", nil, flags) {
		if v.Prompt != "" {
			imgui.TextColored(imgui.Vec4{X: 0.55, Y: 0.75, Z: 1, W: 1}, escape(v.Prompt))
		}
		imgui.SetNextItemWidth(-1)
		if v.Focus {
			imgui.SetKeyboardFocusHere()
		}
		before := *v.Query
		// A prompt's default answer is selected, so typing replaces it (VS Code's quick input).
		if imgui.InputTextWithHint("##palettequery", v.Hint, v.Query, imgui.InputTextFlagsEnterReturnsTrue|imgui.InputTextFlagsAutoSelectAll, nil) {
			in.Enter = true
		}
		in.Changed = *v.Query != before
		// The field keeps the keyboard; the list is driven from it, as in VS Code's quick open.
		switch {
		case imgui.IsKeyPressedBool(imgui.KeyEscape):
			in.Close = true
		case imgui.IsKeyPressedBool(imgui.KeyDownArrow):
			in.Move = 1
		case imgui.IsKeyPressedBool(imgui.KeyUpArrow):
			in.Move = -1
		case imgui.IsKeyPressedBool(imgui.KeyPageDown):
			in.Move = paletteRowsShown
		case imgui.IsKeyPressedBool(imgui.KeyPageUp):
			in.Move = -paletteRowsShown
		}
		if in.Enter && len(v.Rows) > 0 {
			in.Chosen = v.Selected
		}
		if v.Error != "" {
			imgui.TextColored(imgui.Vec4{X: 1, Y: 0.45, Z: 0.45, W: 1}, escape(v.Error))
		}
		if len(v.Rows) > 0 {
			if clicked := paletteRows(v); clicked >= 0 {
				in.Chosen = clicked
			}
		}
		if v.Footer != "" {
			imgui.TextDisabled(escape(v.Footer))
		}
		// A click outside closes the palette. Tested on the rectangle, not on ImGui's hovered
		// window, which lags a frame behind a pointer that jumps and clicks at once.
		if !v.Focus && imgui.IsMouseClickedBool(imgui.MouseButtonLeft) {
			mp, pos, size := imgui.CurrentIO().MousePos(), imgui.WindowPos(), imgui.WindowSize()
			if mp.X < pos.X || mp.Y < pos.Y || mp.X > pos.X+size.X || mp.Y > pos.Y+size.Y {
				in.Close = true
			}
		}
	}
	imgui.End()
	imgui.PopStyleVarV(2)
	return in
}

// paletteRows draws the rows in a scrolling child and returns the one clicked, or -1.
func paletteRows(v *PaletteView) int {
	clicked := -1
	lineH := imgui.TextLineHeightWithSpacing() + 4
	h := lineH * float32(min(len(v.Rows), paletteRowsShown))
	if imgui.BeginChildStrV("##paletterows", imgui.Vec2{X: 0, Y: h + 2}, imgui.ChildFlagsNone, 0) {
		dl := imgui.WindowDrawList()
		textCol := imgui.ColorU32Col(imgui.ColText)
		dimCol := imgui.ColorU32Col(imgui.ColTextDisabled)
		hiCol := imgui.ColorU32Vec4(imgui.Vec4{X: 1, Y: 0.72, Z: 0.25, W: 1})
		kindW := imgui.CalcTextSize("command").X + 12 // the widest kind
		for i := range v.Rows {
			r := &v.Rows[i]
			imgui.PushIDInt(int32(i))
			// The selectable's rectangle reaches into the item spacing; text starts at the cursor.
			p := imgui.CursorScreenPos()
			if imgui.SelectableBoolV("##row", i == v.Selected, 0, imgui.Vec2{X: 0, Y: lineH - 4}) {
				clicked = i
			}
			if i == v.Selected && v.Scroll {
				imgui.SetScrollHereYV(0.5)
			}
			imgui.PopID()
			right := imgui.ItemRectMax().X
			y := p.Y + 1
			dl.AddTextVec2(imgui.Vec2{X: p.X + 2, Y: y}, dimCol, r.Kind)
			x := p.X + kindW
			titleMatch, detailMatch := r.Match, []int(nil)
			if r.MatchDetail {
				titleMatch, detailMatch = nil, r.Match
			}
			textRight := right
			if r.Shortcut != "" {
				sw := imgui.CalcTextSize(r.Shortcut).X
				dl.AddTextVec2(imgui.Vec2{X: right - sw - 6, Y: y}, dimCol, r.Shortcut)
				textRight = right - sw - 18
			}
			// A long title or detail is cut before the shortcut column.
			dl.PushClipRectV(imgui.Vec2{X: x, Y: p.Y}, imgui.Vec2{X: textRight, Y: p.Y + lineH}, true)
			x = highlighted(dl, x, y, r.Title, titleMatch, textCol, hiCol)
			if r.Detail != "" {
				highlighted(dl, x+12, y, r.Detail, detailMatch, dimCol, hiCol)
			}
			dl.PopClipRect()
		}
	}
	imgui.EndChild()
	return clicked
}

// highlighted draws s at (x, y) with the characters at byte offsets match in hi, the rest in col,
// and returns the x after it.
func highlighted(dl *imgui.DrawList, x, y float32, s string, match []int, col, hi uint32) float32 {
	at := 0
	draw := func(part string, c uint32) {
		if part == "" {
			return
		}
		dl.AddTextVec2(imgui.Vec2{X: x, Y: y}, c, part)
		x += imgui.CalcTextSize(part).X
	}
	for _, off := range match {
		if off < at || off >= len(s) {
			continue
		}
		draw(s[at:off], col)
		_, size := utf8.DecodeRuneInString(s[off:])
		draw(s[off:off+size], hi)
		at = off + size
	}
	draw(s[at:], col)
	return x
}

// Chord is a key with modifiers ("Ctrl+Shift+P"), as ImGui checks it.
type Chord int32

// ParseChord reads a shortcut written like "Ctrl+K", "Ctrl+Shift+Z", "Ctrl+=", "F5" or "Space".
func ParseChord(s string) (Chord, error) {
	parts := strings.Split(s, "+")
	// "Ctrl++" would name the plus key: we spell it "=" (the key it is on).
	var ch imgui.KeyChord
	for i, p := range parts {
		last := i == len(parts)-1
		switch {
		case !last && strings.EqualFold(p, "Ctrl"):
			ch |= imgui.KeyChord(imgui.ModCtrl)
		case !last && strings.EqualFold(p, "Shift"):
			ch |= imgui.KeyChord(imgui.ModShift)
		case !last && strings.EqualFold(p, "Alt"):
			ch |= imgui.KeyChord(imgui.ModAlt)
		case !last && strings.EqualFold(p, "Super"):
			ch |= imgui.KeyChord(imgui.ModSuper)
		case last:
			k, ok := keyByName(p)
			if !ok {
				return 0, fmt.Errorf("shortcut %q: unknown key %q", s, p)
			}
			ch |= imgui.KeyChord(k)
		default:
			return 0, fmt.Errorf("shortcut %q: unknown modifier %q", s, p)
		}
	}
	return Chord(ch), nil
}

func keyByName(name string) (imgui.Key, bool) {
	if len(name) == 1 {
		c := name[0]
		switch {
		case c >= 'A' && c <= 'Z':
			return imgui.KeyA + imgui.Key(c-'A'), true
		case c >= 'a' && c <= 'z':
			return imgui.KeyA + imgui.Key(c-'a'), true
		case c >= '0' && c <= '9':
			return imgui.Key0 + imgui.Key(c-'0'), true
		}
	}
	var n int
	if _, err := fmt.Sscanf(name, "F%d", &n); err == nil && n >= 1 && n <= 12 && name == fmt.Sprintf("F%d", n) {
		return imgui.KeyF1 + imgui.Key(n-1), true
	}
	k, ok := map[string]imgui.Key{
		"=": imgui.KeyEqual, "-": imgui.KeyMinus, ",": imgui.KeyComma, ".": imgui.KeyPeriod, "/": imgui.KeySlash,
		";": imgui.KeySemicolon, "'": imgui.KeyApostrophe, "[": imgui.KeyLeftBracket, "]": imgui.KeyRightBracket,
		"\\": imgui.KeyBackslash, "`": imgui.KeyGraveAccent, "Space": imgui.KeySpace, "Enter": imgui.KeyEnter,
		"Escape": imgui.KeyEscape, "Tab": imgui.KeyTab, "Delete": imgui.KeyDelete, "Backspace": imgui.KeyBackspace,
		"Up": imgui.KeyUpArrow, "Down": imgui.KeyDownArrow, "Left": imgui.KeyLeftArrow, "Right": imgui.KeyRightArrow,
		"Home": imgui.KeyHome, "End": imgui.KeyEnd, "PageUp": imgui.KeyPageUp, "PageDown": imgui.KeyPageDown,
	}[name]
	return k, ok
}

// Pressed reports that the chord was pressed this frame (its exact modifiers, no auto-repeat). It
// does not look at who has the keyboard: the caller checks WantsKeyboard where a text field should
// keep keys such as Ctrl+Z.
func (c *Context) Pressed(ch Chord) bool {
	return ch != 0 && imgui.IsKeyChordPressed(imgui.KeyChord(ch))
}
