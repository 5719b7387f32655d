package nethttp

import (
	"net/http"

	"github.com/gobware/gobware/httpapi"
)

// Handler serves routes, such as those of httpapi.API, on a ServeMux:
// each pattern is one native route, a known path with another method gets
// 405 with Allow, and an unknown path gets a problem+json 404.
func Handler(routes []httpapi.Route) http.Handler {
	mux := http.NewServeMux()
	for _, res := range httpapi.Resources(routes) {
		pattern := res.Pattern
		if pattern == "/" {
			pattern = "/{$}"
		}
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			httpapi.Serve(res, httpapi.HTTPRequest(r, r.PathValue)).Write(w)
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		httpapi.NotFound().Write(w)
	})
	return mux
}
