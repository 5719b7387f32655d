package demo

import (
	"context"
	"net/http"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
)

// healthRoute is GET /healthz: 200 {"status":"ok"}, or a 503 problem when
// a backend does not answer.
func (app *App) healthRoute() httpapi.Route {
	return httpapi.Route{Method: http.MethodGet, Pattern: "/healthz", Handler: func(ctx context.Context, r httpapi.Request) *httpapi.Reply {
		if err := app.Health(ctx); err != nil {
			return httpapi.Error(unavailableError{err})
		}
		return httpapi.JSON(http.StatusOK, map[string]string{"status": "ok"})
	}}
}

// unavailableError marks a failed health check as a 503 whatever its cause.
type unavailableError struct{ err error }

func (e unavailableError) Error() string { return e.err.Error() }
func (e unavailableError) Unwrap() []error {
	return []error{e.err, core.ErrUnavailable}
}

// Pages are the routes every example serves the same way, whatever its
// framework: the web page at GET / and GET /healthz. Mount them with the
// adapter's Mount.
func (app *App) Pages() []httpapi.Route {
	return []httpapi.Route{pageRoute(), app.healthRoute()}
}
