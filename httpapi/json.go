package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/gobware/gobware/core"
)

// MaxBodySize is the largest request body the API reads: 1 MiB.
const MaxBodySize = 1 << 20

// DecodeJSON reads r's body into v. It answers, as a *Problem error:
// 400 for a missing or non-JSON Content-Type, malformed JSON, unknown fields,
// wrong field types or trailing data; 413 for a body over MaxBodySize.
func DecodeJSON(r Request, v any) error {
	mt, _, err := mime.ParseMediaType(core.FirstHeader(r, "Content-Type"))
	if err != nil || (mt != "application/json" && !(len(mt) > 5 && mt[len(mt)-5:] == "+json")) {
		return NewProblem(http.StatusBadRequest, CodeBadRequest, "The body must be JSON, sent with Content-Type: application/json.")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body(), MaxBodySize+1))
	if err != nil {
		return NewProblem(http.StatusBadRequest, CodeBadRequest, "The body could not be read.")
	}
	if len(body) > MaxBodySize {
		return NewProblem(http.StatusRequestEntityTooLarge, CodePayloadTooLarge, "The body is larger than 1 MiB.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return NewProblem(http.StatusBadRequest, CodeBadRequest, jsonDetail(err))
	}
	if dec.More() {
		return NewProblem(http.StatusBadRequest, CodeBadRequest, "The body holds more than one JSON value.")
	}
	return nil
}

// jsonDetail explains a decoding error without echoing the client's bytes.
func jsonDetail(err error) string {
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return "The body is empty; a JSON object is expected."
	case errors.As(err, &typeErr):
		return "The field " + quoteField(typeErr.Field) + " has the wrong type."
	case bytes.HasPrefix([]byte(err.Error()), []byte("json: unknown field")):
		return "The body has a field this endpoint does not accept."
	default:
		return "The body is not valid JSON."
	}
}

func quoteField(f string) string {
	if f == "" || len(f) > 64 {
		return "value"
	}
	return `"` + f + `"`
}
