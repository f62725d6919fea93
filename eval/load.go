package eval

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// SuiteError is a problem with a suite file, at a line and a field.
type SuiteError struct {
	File  string
	Line  int
	Field string
	Msg   string
}

func (e *SuiteError) Error() string {
	switch {
	case e.Line > 0 && e.Field != "":
		return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Field, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	case e.Field != "":
		return fmt.Sprintf("%s: %s: %s", e.File, e.Field, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// LoadPaths reads the suites in paths: files, or folders whose *.yaml and
// *.yml files are read in name order. Every problem of every file is
// reported, each naming its file, line and field.
func LoadPaths(paths ...string) ([]*Suite, error) {
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("read suite %s: %w", p, err)
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if ext := filepath.Ext(path); !d.IsDir() && (ext == ".yaml" || ext == ".yml") {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("list suites in %s: %w", p, err)
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("no *.yaml suites in %s", p)
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	var suites []*Suite
	var errs []error
	names := map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			errs = append(errs, fmt.Errorf("read suite %s: %w", f, err))
			continue
		}
		s, err := Parse(f, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if prev, dup := names[s.Name]; dup {
			errs = append(errs, &SuiteError{File: f, Field: "name", Msg: fmt.Sprintf("suite %q is also defined in %s", s.Name, prev)})
			continue
		}
		names[s.Name] = f
		suites = append(suites, s)
	}
	return suites, errors.Join(errs...)
}

// Parse reads one suite from data; file names it in errors.
func Parse(file string, data []byte) (*Suite, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, &SuiteError{File: file, Line: yamlErrLine(err), Msg: "not valid YAML: " + yamlErrMsg(err)}
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	d := &decoder{file: file, lines: map[string]int{}}
	s := &Suite{File: file}
	d.decode(root, reflect.ValueOf(s).Elem(), "")
	if len(d.errs) == 0 {
		d.validate(s)
	}
	if len(d.errs) > 0 {
		return nil, errors.Join(d.errs...)
	}
	return s, nil
}

var yamlLine = regexp.MustCompile(`line (\d+): `)

func yamlErrLine(err error) int {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

func yamlErrMsg(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	return yamlLine.ReplaceAllString(s, "")
}

// decoder fills Go values from a YAML node tree by hand rather than with
// Node.Decode, so an unknown or mistyped field is reported with its line
// and its path in the suite ("cases[3].turns[0].expect.regex[1]"), and
// every problem in the file is reported at once.
type decoder struct {
	file  string
	lines map[string]int
	errs  []error
}

func (d *decoder) errAt(path string, line int, format string, args ...any) {
	d.errs = append(d.errs, &SuiteError{File: d.file, Line: line, Field: path, Msg: fmt.Sprintf(format, args...)})
}

// fail reports a validation problem at the line the field was read from.
func (d *decoder) fail(path, format string, args ...any) {
	line, ok := d.lines[path]
	for p := path; !ok && p != ""; {
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
		line, ok = d.lines[p]
	}
	d.errAt(path, line, format, args...)
}

var unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()

func join(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}

func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	d.lines[path] = n.Line
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return
	}
	if reflect.PointerTo(v.Type()).Implements(unmarshalerType) {
		if err := n.Decode(v.Addr().Interface()); err != nil {
			d.errAt(path, n.Line, "%s", yamlErrMsg(err))
		}
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		nv := reflect.New(v.Type().Elem())
		d.decode(n, nv.Elem(), path)
		v.Set(nv)
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			d.errAt(path, n.Line, "want a mapping of fields, got %s", nodeKind(n))
			return
		}
		fields := yamlFields(v.Type())
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			fp := join(path, k.Value)
			idx, ok := fields[k.Value]
			if !ok {
				known := make([]string, 0, len(fields))
				for name := range fields {
					known = append(known, name)
				}
				slices.Sort(known)
				d.errAt(fp, k.Line, "unknown field (known: %s)", strings.Join(known, ", "))
				continue
			}
			d.decode(val, v.Field(idx), fp)
		}
		if l, ok := v.Addr().Interface().(interface{ setLine(int) }); ok {
			l.setLine(n.Line)
		}
	case reflect.Slice:
		if n.Kind == yaml.ScalarNode && v.Type().Elem().Kind() == reflect.String {
			// A lone string where a list is expected is a list of one.
			v.Set(reflect.Append(reflect.MakeSlice(v.Type(), 0, 1), reflect.ValueOf(n.Value)))
			return
		}
		if n.Kind != yaml.SequenceNode {
			d.errAt(path, n.Line, "want a list, got %s", nodeKind(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			d.decode(item, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		v.Set(s)
	case reflect.Map, reflect.Interface:
		if err := n.Decode(v.Addr().Interface()); err != nil {
			d.errAt(path, n.Line, "%s", yamlErrMsg(err))
		}
	default:
		if n.Kind != yaml.ScalarNode {
			d.errAt(path, n.Line, "want a %s, got %s", scalarName(v.Kind()), nodeKind(n))
			return
		}
		if err := n.Decode(v.Addr().Interface()); err != nil {
			d.errAt(path, n.Line, "want a %s, got %q", scalarName(v.Kind()), n.Value)
		}
	}
}

func yamlFields(t reflect.Type) map[string]int {
	out := map[string]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		out[name] = i
	}
	return out
}

func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return fmt.Sprintf("%q", n.Value)
}

func scalarName(k reflect.Kind) string {
	switch k {
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64:
		return "whole number"
	case reflect.Float64:
		return "number"
	}
	return "string"
}

func (c *Case) setLine(n int) { c.line = n }
func (s *Step) setLine(n int) { s.line = n }
