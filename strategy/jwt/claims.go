package jwt

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/internal/strictjson"
)

// Claims are the verified contents of an access token.
type Claims struct {
	Subject   string    // sub: the user ID
	ID        string    // jti: unique per token, the handle for RevokeAccess
	Issuer    string    // iss
	Audience  []string  // aud
	Expiry    time.Time // exp; always set on a verified token
	IssuedAt  time.Time // iat; zero if the token has none
	NotBefore time.Time // nbf; zero if the token has none
	Session   string    // sid: the refresh family the token was issued in; empty if none

	// What the login recorded (see IssueWith), carried through refreshes.
	Method     string          // method: how the user signed in; "" when unknown
	AuthTime   time.Time       // auth_time: when the user signed in (seconds); zero when unknown
	Attributes core.Attributes // attrs: the application's attributes; nil when none. Read-only.
}

// wireClaims is the JSON payload of an access token.
type wireClaims struct {
	Subject   string       `json:"sub"`
	Issuer    string       `json:"iss"`
	Audience  audience     `json:"aud"`
	Expiry    *numericDate `json:"exp,omitempty"`
	NotBefore *numericDate `json:"nbf,omitempty"`
	IssuedAt  *numericDate `json:"iat,omitempty"`
	ID        string       `json:"jti"`
	Session   string       `json:"sid,omitempty"`
	AuthTime  *numericDate `json:"auth_time,omitempty"`
	Method    string       `json:"method,omitempty"`
	// Attributes is an object of arrays of strings. strictjson refuses a
	// key named twice in it, like a claim named twice; keys differing in
	// case are distinct attributes, as in core.Attributes.
	Attributes core.Attributes `json:"attrs,omitempty"`
}

// maxNumericDate is the first second of year 10000: later dates are refused,
// which keeps every time computation far from overflow.
const maxNumericDate = 253402300800

var errNumericDate = errors.New("jwt: NumericDate must be a number of seconds from 0 to 253402300799")

// numericDate is RFC 7519's NumericDate: seconds since the Unix epoch. A
// fractional part is accepted and truncated; gobware writes integers.
type numericDate int64

func (n numericDate) MarshalJSON() ([]byte, error) {
	return strconv.AppendInt(nil, int64(n), 10), nil
}

func (n *numericDate) UnmarshalJSON(b []byte) error {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || !(f >= 0 && f < maxNumericDate) {
		return errNumericDate
	}
	*n = numericDate(f)
	return nil
}

func (n *numericDate) time() time.Time {
	if n == nil {
		return time.Time{}
	}
	return time.Unix(int64(*n), 0)
}

func newNumericDate(t time.Time) *numericDate {
	n := numericDate(t.Unix())
	return &n
}

// audience is the aud claim: one string, or an array of strings.
type audience []string

func (a audience) MarshalJSON() ([]byte, error) {
	if len(a) == 1 {
		return json.Marshal(a[0])
	}
	return json.Marshal([]string(a))
}

func (a *audience) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*a = audience{s}
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return err
	}
	*a = list
	return nil
}

func (a audience) contains(s string) bool {
	for _, v := range a {
		if v == s {
			return true
		}
	}
	return false
}

// checkClaims decodes and validates the decrypted payload of an access token.
func (s *Strategy) checkClaims(payload []byte) (Claims, error) {
	// Claims exactly as Issue writes them are read without reflection;
	// anything else goes through the strict decoder, which is what
	// decides (parseCanonical answers the same or declines).
	w, ok := parseCanonical(payload)
	if !ok {
		// Strict, so that the claims have one meaning for every reader:
		// a claim named twice ({"sub":"1","sub":"2"}), a case variant of
		// a claim ("SUB", or a Kelvin sign in a name), invalid UTF-8 or
		// deep nesting makes the token invalid. Unknown claims are
		// ignored (RFC 7519 4).
		if err := strictjson.Unmarshal(payload, &w, strictjson.Options{AllowUnknown: true}); err != nil {
			return Claims{}, claimsError(err)
		}
	}
	switch {
	case w.Expiry == nil:
		return Claims{}, errNoExpiry
	case w.Subject == "":
		return Claims{}, errNoSubject
	case w.ID == "":
		return Claims{}, errNoID
	case w.Issuer != s.issuer:
		return Claims{}, errIssuer
	case !w.Audience.contains(s.audience):
		return Claims{}, errAudience
	}
	c := Claims{
		Subject:    w.Subject,
		ID:         w.ID,
		Issuer:     w.Issuer,
		Audience:   w.Audience,
		Expiry:     w.Expiry.time(),
		IssuedAt:   w.IssuedAt.time(),
		NotBefore:  w.NotBefore.time(),
		Session:    w.Session,
		Method:     w.Method,
		AuthTime:   w.AuthTime.time(),
		Attributes: w.Attributes,
	}
	if err := s.checkTimes(&c, s.now()); err != nil {
		return Claims{}, err
	}
	return c, nil
}

// claimsError explains why the claims did not decode.
func claimsError(err error) error {
	var ne *strictjson.NameError
	switch {
	case errors.As(err, &ne) && errors.Is(err, strictjson.ErrDuplicateName):
		return fmt.Errorf("%w: claim %q appears twice", ErrClaims, ne.Path)
	case errors.As(err, &ne) && errors.Is(err, strictjson.ErrFoldedName):
		return fmt.Errorf("%w: claim %q differs from a claim name only in case", ErrClaims, ne.Path)
	default:
		return errClaimsSyntax
	}
}

// checkTimes checks exp, nbf and iat at now, with the leeway.
func (s *Strategy) checkTimes(c *Claims, now time.Time) error {
	// A token is valid while now < exp (RFC 7519 4.1.4), give or take the leeway.
	if !now.Before(c.Expiry.Add(s.leeway)) {
		return ErrExpired
	}
	late := now.Add(s.leeway)
	if late.Before(c.NotBefore) || late.Before(c.IssuedAt) {
		return ErrNotYetValid
	}
	return nil
}
