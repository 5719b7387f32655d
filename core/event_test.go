package core_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/gobware/gobware/core"
)

func TestLogEventsAddsTheRequestInfoFromTheContext(t *testing.T) {
	for _, tt := range []struct {
		name string
		ctx  context.Context
		want map[string]any // attributes that must be present; nil value: absent
	}{
		{
			name: "a context with request info adds request_id and client_ip",
			ctx:  core.WithRequestInfo(context.Background(), core.RequestInfo{ID: "req-1", ClientIP: "192.0.2.1"}),
			want: map[string]any{"request_id": "req-1", "client_ip": "192.0.2.1", "event": "login", "user_id": "7"},
		},
		{
			name: "a context without request info adds neither",
			ctx:  context.Background(),
			want: map[string]any{"request_id": nil, "client_ip": nil, "event": "login"},
		},
		{
			name: "an empty client IP is left out",
			ctx:  core.WithRequestInfo(context.Background(), core.RequestInfo{ID: "req-2"}),
			want: map[string]any{"request_id": "req-2", "client_ip": nil},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf strings.Builder
			core.LogEvents(slog.New(slog.NewJSONHandler(&buf, nil)))(tt.ctx, core.Event{Type: core.EventLogin, UserID: "7"})
			var rec map[string]any
			if err := json.Unmarshal([]byte(buf.String()), &rec); err != nil {
				t.Fatalf("log record %q is not one JSON object: %v", buf.String(), err)
			}
			for k, want := range tt.want {
				if got, ok := rec[k]; (want == nil && ok) || (want != nil && got != want) {
					t.Errorf("record[%q] = %v (present %v); want %v", k, got, ok, want)
				}
			}
		})
	}
}

func TestRequestInfoFromAnEmptyContext(t *testing.T) {
	if info, ok := core.RequestInfoFrom(context.Background()); ok || info != (core.RequestInfo{}) {
		t.Errorf("RequestInfoFrom(background) = %+v, %v; want zero, false", info, ok)
	}
	ctx := core.WithRequestInfo(context.Background(), core.RequestInfo{ID: "x", ClientIP: "::1"})
	if info, ok := core.RequestInfoFrom(ctx); !ok || info.ID != "x" || info.ClientIP != "::1" {
		t.Errorf("RequestInfoFrom(ctx) = %+v, %v; want {x ::1}, true", info, ok)
	}
}
