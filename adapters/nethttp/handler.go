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
// prefix, and NotFound for every other path.
func Handler(routes []httpapi.Route) http.Handler {
	mux := http.NewServeMux()
	Mount(mux, "", routes)
	mux.Handle("/", NotFound(mux))
	return mux
}

// NotFound answers what no other pattern of mux serves with problem+json:
// a 405 with Allow when mux has patterns for the path with other methods
// ("GET /api/me" and a PATCH), else a 404. Register it as mux's "/"
// pattern, so that the application's own routes answer wrong methods and
// unknown paths like gobware's endpoints do.
func NotFound(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, m := range probeMethods {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "" && pattern != "/" {
				allow = append(allow, m)
			}
		}
		if len(allow) == 0 {
			httpapi.NotFound().Write(w)
			return
		}
		httpapi.MethodNotAllowed(r.Method, strings.Join(allow, ", ")).Write(w)
	})
}

// probeMethods are the methods NotFound asks the mux about, in the
// (sorted) order of the Allow header.
var probeMethods = []string{http.MethodDelete, http.MethodGet, http.MethodHead, http.MethodPatch, http.MethodPost, http.MethodPut}

// JSON writes v as the JSON body of a status reply, with the headers of
// every gobware reply (Cache-Control: no-store, nosniff).
func JSON(w http.ResponseWriter, status int, v any) {
	httpapi.JSON(status, v).Write(w)
}

// Error writes the problem+json reply for err (httpapi.ProblemFor): a
// cart.ErrUnknownProduct is a 404, a store outage a 503, an unknown
// failure a 500 whose cause is logged, never shown.
func Error(w http.ResponseWriter, err error) {
	httpapi.Error(err).Write(w)
}

// DecodeJSON reads r's JSON body into v, strictly (httpapi.DecodeJSON):
// the error it returns, for Error, is a 400 or 413 problem naming what
// to fix.
func DecodeJSON(r *http.Request, v any) error {
	return httpapi.DecodeJSON(httpapi.HTTPRequest(r, nil), v)
}
