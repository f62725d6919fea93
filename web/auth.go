package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/csagent/csagent/tools"
)

// MinSecretBytes is the shortest HMAC key Auth accepts.
const MinSecretBytes = 32

const (
	tokenIssuer   = "csagent"
	tokenAudience = "csagent"
)

// Auth mints and verifies the bearer tokens that say who is speaking: HS256
// JWTs carrying a role and an id, signed with the server's secret.
type Auth struct {
	secret []byte
}

// NewAuth returns an Auth keyed with secret, which must have at least
// MinSecretBytes bytes.
func NewAuth(secret []byte) (*Auth, error) {
	if len(secret) < MinSecretBytes {
		return nil, fmt.Errorf("auth secret has %d bytes, want at least %d", len(secret), MinSecretBytes)
	}
	return &Auth{secret: secret}, nil
}

type claims struct {
	Role string `json:"role"`
	jwt.RegisteredClaims
}

// Mint returns a token for role and id, valid for ttl from now.
func (a *Auth) Mint(role tools.Role, id string, ttl time.Duration, now time.Time) (string, error) {
	if role != tools.RoleBuyer && role != tools.RoleSeller && role != tools.RoleSupport {
		return "", fmt.Errorf("mint token: unknown role %q", role)
	}
	if id == "" {
		return "", errors.New("mint token: empty id")
	}
	c := claims{
		Role: string(role),
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    tokenIssuer,
			Audience:  jwt.ClaimStrings{tokenAudience},
			Subject:   id,
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
		},
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(a.secret)
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	return s, nil
}

// Identity is what a verified token says.
type Identity struct {
	Role tools.Role
	ID   string
}

// Verify checks token's signature, algorithm, issuer, audience and expiry and
// returns who it speaks for.
func (a *Auth) Verify(token string) (Identity, error) {
	var c claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return a.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(tokenIssuer),
		jwt.WithAudience(tokenAudience),
		jwt.WithExpirationRequired(),
		jwt.WithLeeway(30*time.Second),
	)
	if err != nil {
		return Identity{}, fmt.Errorf("verify token: %w", err)
	}
	role := tools.Role(c.Role)
	if (role != tools.RoleBuyer && role != tools.RoleSeller && role != tools.RoleSupport) || c.Subject == "" {
		return Identity{}, errors.New("verify token: no role or subject")
	}
	return Identity{Role: role, ID: c.Subject}, nil
}

// Directory resolves a verified identity to the person the tools act for.
type Directory interface {
	// Resolve returns tools.ErrNotFound for someone the platform does not know.
	Resolve(ctx context.Context, role tools.Role, id string) (tools.Caller, error)
}

// bearer returns the token of r: from the Authorization header, or from the
// access_token query parameter, which browsers' websocket API needs.
func bearer(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
			return strings.TrimSpace(h[7:])
		}
		return ""
	}
	return r.URL.Query().Get("access_token")
}

// authenticate admits requests whose token verifies and names someone the
// directory knows, putting the tools.Caller in the request's context. Others
// get 401 with the same answer whatever was wrong, so a prober learns nothing.
func authenticate(auth *Auth, dir Directory, roles ...tools.Role) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id, err := auth.Verify(bearer(r))
			if err == nil && !containsRole(roles, id.Role) {
				err = errors.New("role not allowed here")
			}
			var c tools.Caller
			if err == nil {
				c, err = dir.Resolve(r.Context(), id.Role, id.ID)
				if err != nil && !errors.Is(err, tools.ErrNotFound) {
					writeError(w, r, codeUnavailable, "the service is temporarily unavailable; please retry")
					return
				}
			}
			if err != nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="csagent"`)
				writeError(w, r, codeUnauthorized, "a valid bearer token is required")
				return
			}
			next.ServeHTTP(w, r.WithContext(tools.NewContext(r.Context(), c)))
		})
	}
}

func containsRole(roles []tools.Role, r tools.Role) bool {
	for _, x := range roles {
		if x == r {
			return true
		}
	}
	return false
}
