package httpapi

import (
	"context"
	"net/http"

	"github.com/gobware/gobware/strategy/jwt"
)

// tokenView is the body of every token response.
type tokenView struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
}

func pairReply(p jwt.Pair) *Reply {
	return JSON(http.StatusOK, tokenView{
		AccessToken:  p.AccessToken,
		TokenType:    "Bearer",
		ExpiresIn:    int(p.ExpiresIn.Seconds()),
		RefreshToken: p.RefreshToken,
	})
}

func (a *API) issueToken(ctx context.Context, r Request) *Reply {
	userID, remember, fail := a.verify(ctx, r)
	if fail != nil {
		return fail
	}
	pair, err := a.Tokens.Issue(ctx, userID)
	if err != nil {
		return Error(err)
	}
	reply := pairReply(pair)
	remember(reply)
	return reply
}

// refreshBody is the body of the refresh and revoke endpoints.
type refreshBody struct {
	RefreshToken string `json:"refresh_token"`
}

func (a *API) decodeRefresh(r Request) (string, *Reply) {
	var b refreshBody
	if err := DecodeJSON(r, &b); err != nil {
		return "", Error(err)
	}
	if b.RefreshToken == "" {
		return "", Error(NewProblem(http.StatusUnprocessableEntity, CodeValidationFailed, "refresh_token is required."))
	}
	return b.RefreshToken, nil
}

func (a *API) refreshToken(ctx context.Context, r Request) *Reply {
	token, fail := a.decodeRefresh(r)
	if fail != nil {
		return fail
	}
	pair, err := a.Tokens.Refresh(ctx, token)
	if err != nil {
		return Error(err)
	}
	return pairReply(pair)
}

func (a *API) revokeToken(ctx context.Context, r Request) *Reply {
	token, fail := a.decodeRefresh(r)
	if fail != nil {
		return fail
	}
	if err := a.Tokens.Revoke(ctx, token); err != nil {
		return Error(err)
	}
	return NoContent()
}
