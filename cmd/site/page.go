package main

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"
)

// attrRef matches a src or href attribute with its value double-quoted,
// single-quoted or bare.
var attrRef = regexp.MustCompile(`(?i)(\s(?:src|href)\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>` + "`" + `]+)`)

// rewritePage points the page's src and href references to files of the
// site at their served names. A relative reference must name a file built
// before the page (built holds them: logical name -> served name); one that
// names nothing the build produces is an error rather than a 404 in the
// browser. Absolute URLs (with a scheme or host), fragments and folder
// links are left alone.
func rewritePage(html []byte, pageName string, built map[string]string, later map[string]bool) ([]byte, error) {
	var errs []string
	out := attrRef.ReplaceAllFunc(html, func(m []byte) []byte {
		sub := attrRef.FindSubmatch(m)
		prefix, val := string(sub[1]), string(sub[2])
		quote := ""
		if val != "" && (val[0] == '"' || val[0] == '\'') {
			quote, val = val[:1], val[1:len(val)-1]
		}
		ref, err := rewriteRef(val, pageName, built, later)
		if err != nil {
			errs = append(errs, err.Error())
			return m
		}
		return []byte(prefix + quote + ref + quote)
	})
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return out, nil
}

func rewriteRef(ref, pageName string, built map[string]string, later map[string]bool) (string, error) {
	u, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return "", fmt.Errorf("reference %q: %v", ref, err)
	}
	if u.Scheme != "" || u.Host != "" || u.Path == "" || strings.HasSuffix(u.Path, "/") {
		return ref, nil
	}
	if path.IsAbs(u.Path) {
		return "", fmt.Errorf("reference %q is absolute; write it relative to the page so the site works from any folder or origin", ref)
	}
	logical := path.Join(path.Dir(pageName), u.Path)
	s, ok := built[logical]
	switch {
	case logical == pageName:
		return ref, nil
	case ok:
		u.Path = relative(pageName, s)
		return u.String(), nil
	case later[logical]:
		return "", fmt.Errorf("reference %q is to a file built after the page; move %s before it in the site list (cmd/site/site.go)", ref, logical)
	default:
		return "", fmt.Errorf("reference %q names no file of the site", ref)
	}
}
