package config

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// EnvConfigFile names the config file when --config is not given.
const EnvConfigFile = "ALCHEMIST_CONFIG"

// Loader registers flags on a subcommand's FlagSet and, after parsing, layers them over the
// environment, the file and the defaults.
type Loader struct {
	fs       *flag.FlagSet
	file     *string
	explicit map[string]string // key name → flag value, for flags the user gave
	order    []string
}

// NewLoader adds --config and the flags of the named keys (all keys with a flag when none is named).
func NewLoader(fs *flag.FlagSet, keyNames ...string) *Loader {
	l := &Loader{fs: fs, explicit: map[string]string{}}
	l.file = fs.String("config", "", "TOML config file (default $"+EnvConfigFile+", else "+DefaultFile()+" if present)")
	want := map[string]bool{}
	for _, n := range keyNames {
		if _, ok := lookup(n); !ok {
			panic("config: NewLoader: unknown key " + n)
		}
		want[n] = true
	}
	def := Default()
	for _, k := range keys {
		if k.flag == "" || (len(want) > 0 && !want[k.name]) {
			continue
		}
		fs.Var(&flagValue{l: l, k: k}, k.flag, fmt.Sprintf("%s (%s, %s; default %q)", k.help, k.name, EnvName(k.name), k.get(&def)))
	}
	return l
}

type flagValue struct {
	l *Loader
	k key
}

func (f *flagValue) String() string { return "" }
func (f *flagValue) Set(v string) error {
	// Parse now so flag errors surface with the flag's name, and again in Load to layer correctly.
	c := Default()
	if err := f.k.set(&c, v); err != nil {
		return err
	}
	if _, seen := f.l.explicit[f.k.name]; !seen {
		f.l.order = append(f.l.order, f.k.name)
	}
	f.l.explicit[f.k.name] = v
	return nil
}
func (f *flagValue) IsBoolFlag() bool { return f.k.isBool }

// Load builds the Config: defaults, then the file, then ALCHEMIST_* variables from environ, then flags.
func (l *Loader) Load(environ []string) (Config, error) {
	c := Default()
	env := map[string]string{}
	for _, kv := range environ {
		name, value, ok := strings.Cut(kv, "=")
		if ok && strings.HasPrefix(name, "ALCHEMIST_") {
			env[name] = value
		}
	}
	path, required := *l.file, true
	if path == "" {
		path = env[EnvConfigFile]
	}
	if path == "" {
		path, required = DefaultFile(), false
	}
	if err := loadFile(&c, path, required); err != nil {
		return Config{}, err
	}
	if err := applyEnv(&c, env); err != nil {
		return Config{}, err
	}
	for _, name := range l.order {
		k, _ := lookup(name)
		if err := k.set(&c, l.explicit[name]); err != nil {
			return Config{}, fmt.Errorf("%w: --%s: %v", ErrInvalid, k.flag, err)
		}
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

func loadFile(c *Config, path string, required bool) error {
	if path == "" {
		return nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && !required {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%w: config file: %v", ErrInvalid, err)
	}
	var tree map[string]any
	if _, err := toml.Decode(string(data), &tree); err != nil {
		return fmt.Errorf("%w: config file %s: %v", ErrInvalid, path, err)
	}
	flat := map[string]any{}
	flatten("", tree, flat)
	names := make([]string, 0, len(flat))
	for n := range flat {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		k, ok := lookup(name)
		if !ok {
			return fmt.Errorf("%w: %s: unknown key %q", ErrInvalid, path, name)
		}
		text, err := tomlText(flat[name])
		if err == nil {
			err = k.set(c, text)
		}
		if err != nil {
			return fmt.Errorf("%w: %s: %s: %v", ErrInvalid, path, name, err)
		}
	}
	return nil
}

func flatten(prefix string, tree map[string]any, out map[string]any) {
	for k, v := range tree {
		name := k
		if prefix != "" {
			name = prefix + "." + k
		}
		if sub, ok := v.(map[string]any); ok {
			flatten(name, sub, out)
			continue
		}
		out[name] = v
	}
}

func tomlText(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case bool:
		return strconv.FormatBool(v), nil
	case int64:
		return strconv.FormatInt(v, 10), nil
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64), nil
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			s, ok := e.(string)
			if !ok {
				return "", fmt.Errorf("list element %v is not a string", e)
			}
			parts[i] = s
		}
		return strings.Join(parts, ","), nil
	}
	return "", fmt.Errorf("unsupported value %v (%T)", v, v)
}

func applyEnv(c *Config, env map[string]string) error {
	byEnv := map[string]key{}
	for _, k := range keys {
		byEnv[EnvName(k.name)] = k
	}
	names := make([]string, 0, len(env))
	for n := range env {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		if name == EnvConfigFile {
			continue
		}
		k, ok := byEnv[name]
		if !ok {
			return fmt.Errorf("%w: unknown environment variable %s", ErrInvalid, name)
		}
		if err := k.set(c, env[name]); err != nil {
			return fmt.Errorf("%w: %s (%s): %v", ErrInvalid, name, k.name, err)
		}
	}
	return nil
}

// FlagKeysExcept names every key that has a flag, but those given: the flags of a subcommand that
// takes nearly all of them.
func FlagKeysExcept(skip ...string) []string {
	var names []string
next:
	for _, k := range keys {
		if k.flag == "" {
			continue
		}
		for _, s := range skip {
			if k.name == s {
				continue next
			}
		}
		names = append(names, k.name)
	}
	return names
}

// Keys lists every key with its environment variable, flag and help: the source of configs/alchemist.toml.
func Keys() []struct{ Name, Env, Flag, Help, Default string } {
	def := Default()
	out := make([]struct{ Name, Env, Flag, Help, Default string }, len(keys))
	for i, k := range keys {
		out[i].Name, out[i].Env, out[i].Flag, out[i].Help, out[i].Default = k.name, EnvName(k.name), k.flag, k.help, k.get(&def)
	}
	return out
}
