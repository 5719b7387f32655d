package authapi

import (
	"context"
	"net/http"

	"github.com/gobware/gobware/core"
	"github.com/gobware/gobware/httpapi"
	"github.com/gobware/gobware/strategy/jwt"
)

// tokenView is the body of every token response.
type tokenView struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
}

func pairReply(p jwt.Pair) *httpapi.Reply {
	return httpapi.JSON(http.StatusOK, tokenView{
		AccessToken:  p.AccessToken,
		TokenType:    "Bearer",
		ExpiresIn:    int(p.ExpiresIn.Seconds()),
		RefreshToken: p.RefreshToken,
	})
}

func (a *API) issueToken(ctx context.Context, r httpapi.Request) *httpapi.Reply {
	var body credentials
	if err := httpapi.DecodeJSON(r, &body); err != nil {
		return httpapi.Error(err)
	}
	userID, remember, fail := a.verify(ctx, r, body)
	if fail != nil {
		return fail
	}
	opts, err := a.LoginOptions(ctx, userID, core.MethodPassword)
	if err != nil {
		return httpapi.Error(err)
	}
	pair, err := a.issue(ctx, userID, opts)
	if err != nil {
		return httpapi.Error(err)
	}
	reply := pairReply(pair)
	remember(reply)
	return reply
}

// refreshBody is the body of the refresh and revoke endpoints.
type refreshBody struct {
	RefreshToken string `json:"refresh_token"`
}

func (a *API) decodeRefresh(r httpapi.Request) (string, *httpapi.Reply) {
	var b refreshBody
	if err := httpapi.DecodeJSON(r, &b); err != nil {
		return "", httpapi.Error(err)
	}
	if b.RefreshToken == "" {
		return "", httpapi.Error(httpapi.NewProblem(http.StatusUnprocessableEntity, httpapi.CodeValidationFailed, "refresh_token is required."))
	}
	return b.RefreshToken, nil
}

func (a *API) refreshToken(ctx context.Context, r httpapi.Request) *httpapi.Reply {
	token, fail := a.decodeRefresh(r)
	if fail != nil {
		return fail
	}
	pair, err := a.Tokens.Refresh(ctx, token)
	if err != nil {
		return httpapi.Error(err)
	}
	return pairReply(pair)
}

func (a *API) revokeToken(ctx context.Context, r httpapi.Request) *httpapi.Reply {
	token, fail := a.decodeRefresh(r)
	if fail != nil {
		return fail
	}
	if err := a.Tokens.Revoke(ctx, token); err != nil {
		return httpapi.Error(err)
	}
	return httpapi.NoContent()
}
