package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// goWasmExec is the one bare import the sources may use: the Go
// toolchain's wasm_exec.js, so the glue always matches the Go that built
// the wasm.
const goWasmExec = "go-wasm-exec"

// bundleScript bundles the module at src with what it imports from web/,
// substitutes defines, and minifies it.
func bundleScript(src, web, goroot string, defines map[string]string) ([]byte, error) {
	return bundle(src, web, api.BuildOptions{
		Format:   api.FormatESModule,
		Target:   api.ES2020,
		Platform: api.PlatformBrowser,
		Define:   defines,
		Plugins:  []api.Plugin{resolveImports(goroot)},
	})
}

// bundleStyles inlines the stylesheet's @imports and minifies it.
func bundleStyles(src, web string) ([]byte, error) {
	return bundle(src, web, api.BuildOptions{
		Target:  api.ES2020,
		Plugins: []api.Plugin{resolveImports("")},
	})
}

func bundle(src, web string, o api.BuildOptions) ([]byte, error) {
	absWeb, err := filepath.Abs(web)
	if err != nil {
		return nil, err
	}
	absSrc, err := filepath.Abs(src)
	if err != nil {
		return nil, err
	}
	o.EntryPoints = []string{absSrc}
	o.AbsWorkingDir = absWeb // messages name files relative to web/
	o.Bundle = true
	o.Write = false
	o.MinifyWhitespace, o.MinifyIdentifiers, o.MinifySyntax = true, true, true
	o.LogLevel = api.LogLevelSilent
	r := api.Build(o)
	// Warnings fail the build too: they flag code that is probably wrong
	// (a duplicate key, a comparison that is always false, ...).
	if msgs := append(r.Errors, r.Warnings...); len(msgs) > 0 {
		var b strings.Builder
		for _, m := range api.FormatMessages(r.Errors, api.FormatMessagesOptions{Kind: api.ErrorMessage}) {
			b.WriteString(m)
		}
		for _, m := range api.FormatMessages(r.Warnings, api.FormatMessagesOptions{Kind: api.WarningMessage}) {
			b.WriteString(m)
		}
		return nil, fmt.Errorf("esbuild found %d errors and %d warnings in %s:\n%s",
			len(r.Errors), len(r.Warnings), web, strings.TrimRight(b.String(), "\n"))
	}
	if len(r.OutputFiles) != 1 {
		return nil, fmt.Errorf("esbuild produced %d files, want 1", len(r.OutputFiles))
	}
	return r.OutputFiles[0].Contents, nil
}

// resolveImports maps go-wasm-exec to goroot's wasm_exec.js (goroot ""
// allows it nowhere) and refuses every other bare import, so bundles hold
// only web/'s own code and the build needs no node_modules.
func resolveImports(goroot string) api.Plugin {
	return api.Plugin{
		Name: "emotion-imports",
		Setup: func(b api.PluginBuild) {
			b.OnResolve(api.OnResolveOptions{Filter: `^[^./]`}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
				if a.Kind == api.ResolveEntryPoint || filepath.IsAbs(a.Path) {
					return api.OnResolveResult{}, nil // esbuild resolves it
				}
				if a.Kind == api.ResolveCSSURLToken && strings.Contains(a.Path, ":") {
					return api.OnResolveResult{External: true}, nil // data: and other schemes stay as written
				}
				if a.Path != goWasmExec || goroot == "" {
					return api.OnResolveResult{}, fmt.Errorf("cannot import %q: the only package provided is %q; "+
						"import files of web/ by a relative path (./%s)", a.Path, goWasmExec, a.Path)
				}
				p := filepath.Join(goroot, "lib", "wasm", "wasm_exec.js")
				if _, err := os.Stat(p); err != nil {
					return api.OnResolveResult{}, fmt.Errorf("%s: the Go toolchain's wasm_exec.js is missing: %w", goWasmExec, err)
				}
				return api.OnResolveResult{Path: p}, nil
			})
		},
	}
}
