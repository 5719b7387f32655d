package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"reflect"
	"strconv"
	"sync/atomic"

	"github.com/gobware/gobware/core"
)

// RequestIDHeader is the header that carries the request ID: read from the
// request when a proxy in front set a plain one, and sent on every reply of
// Serve so that a user's report can be matched with the server's log.
const RequestIDHeader = "X-Request-ID"

// maxRequestID bounds a request ID taken from the client.
const maxRequestID = 64

// WithRequestInfo returns ctx carrying the core.RequestInfo of r, and that
// info. An info ctx already carries is kept. Otherwise the ID is the
// client's X-Request-ID if it is 1–64 characters of [A-Za-z0-9._:-]
// (anything else could forge log lines, so it is replaced), else a new one;
// and the client's address is trusted.ClientIP(r).
//
// Adapters call it in their RequestInfo middleware, the first thing a
// request meets, so that the guard, the login helpers, the limiter and
// every security event see one request ID and the real client address.
func WithRequestInfo(ctx context.Context, r core.Request, trusted TrustedProxies) (context.Context, core.RequestInfo) {
	info, fresh := requestInfo(ctx, r, trusted)
	if fresh {
		ctx = core.WithRequestInfo(ctx, info)
	}
	return ctx, info
}

// requestInfo returns ctx's core.RequestInfo, or a new one for r (see
// WithRequestInfo). fresh says whether it was made here.
func requestInfo(ctx context.Context, r core.Request, trusted TrustedProxies) (info core.RequestInfo, fresh bool) {
	if info, ok := core.RequestInfoFrom(ctx); ok {
		return info, false
	}
	return newRequestInfo(r, trusted), true
}

// newRequestInfo returns a new core.RequestInfo for r (see WithRequestInfo).
func newRequestInfo(r core.Request, trusted TrustedProxies) core.RequestInfo {
	id := core.FirstHeader(r, RequestIDHeader)
	if !plainID(id) {
		id = newRequestID()
	}
	return core.RequestInfo{ID: id, ClientIP: trusted.ClientIP(r)}
}

// Request IDs are correlation handles, not secrets: a random prefix per
// process and a counter make them unique across servers and restarts
// without reading the system's randomness on every request.
var (
	requestIDPrefix = func() string {
		var b [9]byte
		rand.Read(b[:])
		return base64.RawURLEncoding.EncodeToString(b[:]) + "-"
	}()
	requestIDSeq atomic.Uint64
)

func newRequestID() string {
	return requestIDPrefix + strconv.FormatUint(requestIDSeq.Add(1), 36)
}

func plainID(id string) bool {
	if id == "" || len(id) > maxRequestID {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == ':' || c == '-') {
			return false
		}
	}
	return true
}

// withRequestInfo returns r whose Context carries a core.RequestInfo, so
// that the security events strategies report about r name the request.
func withRequestInfo(r Request) (Request, core.RequestInfo) {
	ctx := requestContext(r)
	info, fresh := requestInfo(ctx, r, TrustedProxies{})
	if !fresh {
		return r, info
	}
	return infoRequest{r, core.WithRequestInfo(ctx, info)}, info
}

// withCoreRequestInfo is withRequestInfo for a core.Request, and also
// returns ctx with the same info. The info is made only when something
// asks for it (an event, a log line), so that a request that passes the
// guard pays one allocation for it; the request ID is the same whoever
// asks.
func withCoreRequestInfo(ctx context.Context, r core.Request) (context.Context, core.Request) {
	rctx := requestContext(r)
	if _, ok := core.RequestInfoFrom(rctx); !ok {
		same := sameContext(ctx, rctx)
		r = core.WithLazyRequestInfo(r, defaultRequestInfo)
		rctx = r.Context()
		if same {
			return rctx, r // every adapter: ctx is the request's own
		}
	}
	if _, ok := core.RequestInfoFrom(ctx); !ok {
		info, _ := core.RequestInfoFrom(rctx)
		ctx = core.WithRequestInfo(ctx, info)
	}
	return ctx, r
}

// defaultRequestInfo is the RequestInfo of a request that met no
// RequestInfo middleware: see WithRequestInfo, with no trusted proxies. It
// must not read r's context, which may already be the one it is made for
// (fiber's request reads the context the guard set).
func defaultRequestInfo(r core.Request) core.RequestInfo {
	return newRequestInfo(r, TrustedProxies{})
}

// sameContext reports whether a and b are one context, without panicking
// on a context type that cannot be compared.
func sameContext(a, b context.Context) bool {
	if a == nil || b == nil || reflect.TypeOf(a) != reflect.TypeOf(b) || !reflect.TypeOf(a).Comparable() {
		return false
	}
	return a == b
}

// identified returns r whose Context carries a core.RequestInfo.
func identified(r core.Request) core.Request {
	_, r = withCoreRequestInfo(requestContext(r), r)
	return r
}

func requestContext(r core.Request) context.Context {
	if ctx := r.Context(); ctx != nil {
		return ctx
	}
	return context.Background()
}

type infoRequest struct {
	Request
	ctx context.Context
}

func (r infoRequest) Context() context.Context { return r.ctx }
