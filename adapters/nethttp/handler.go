package nethttp

import (
	"net/http"
	"strings"

	"github.com/gobware/gobware/httpapi"
)

// Mount registers routes, such as those of authapi.API, on mux under
// prefix ("/auth"; "" for none): one native pattern per path, which
// answers a method the path does not serve with a problem+json 405 and
// Allow. Other paths, under prefix or not, stay the mux's (and the
// application's) own. It panics, as ServeMux does, if a pattern is
// already registered.
func Mount(mux *http.ServeMux, prefix string, routes []httpapi.Route) {
	for _, res := range httpapi.Resources(httpapi.Prefix(prefix, routes)) {
		pattern := res.Pattern
		if strings.HasSuffix(pattern, "/") {
			pattern += "{$}" // "/" is that path only, not a subtree
		}
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			httpapi.Serve(res, httpapi.HTTPRequest(r, r.PathValue)).Write(w)
		})
	}
}

// Handler serves routes on a ServeMux of their own: Mount without a
// prefix, and a problem+json 404 for every other path.
func Handler(routes []httpapi.Route) http.Handler {
	mux := http.NewServeMux()
	Mount(mux, "", routes)
	mux.Handle("/", NotFound())
	return mux
}

// NotFound is a handler answering a problem+json 404 (code not_found):
// register it as a ServeMux's "/" pattern so that unknown paths are
// answered like gobware's own errors.
func NotFound() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpapi.NotFound().Write(w)
	})
}
