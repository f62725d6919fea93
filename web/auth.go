package web

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/csagent/csagent/tools"
)

// MinSecretBytes is the shortest HMAC key Auth accepts.
const MinSecretBytes = 32

const (
	tokenIssuer   = "csagent"
	tokenAudience = "csagent"
	// DefaultMaxTokenLifetime is the longest a token may live, from issue to
	// expiry, unless the server is configured otherwise.
	DefaultMaxTokenLifetime = 24 * time.Hour
	// tokenLeeway forgives clock skew between the minter and the verifier,
	// for expiry and issue times alike; open connections end at the exact
	// expiry.
	tokenLeeway = 5 * time.Second
)

// Auth mints and verifies the bearer tokens that say who is speaking: HS256
// JWTs carrying a role, an id and the person's token version, signed with
// the server's secret.
type Auth struct {
	secret      []byte
	maxLifetime time.Duration
}

// NewAuth returns an Auth keyed with secret, which must have at least
// MinSecretBytes bytes, capping tokens at DefaultMaxTokenLifetime.
func NewAuth(secret []byte) (*Auth, error) {
	if len(secret) < MinSecretBytes {
		return nil, fmt.Errorf("auth secret has %d bytes, want at least %d", len(secret), MinSecretBytes)
	}
	return &Auth{secret: secret, maxLifetime: DefaultMaxTokenLifetime}, nil
}

// WithMaxLifetime returns a copy of a that mints and accepts only tokens
// whose expiry is at most d after their issue; d <= 0 keeps a's cap.
func (a *Auth) WithMaxLifetime(d time.Duration) *Auth {
	b := *a
	if d > 0 {
		b.maxLifetime = d
	}
	return &b
}

// MaxLifetime is the longest lifetime a mints or accepts.
func (a *Auth) MaxLifetime() time.Duration { return a.maxLifetime }

type claims struct {
	Role string `json:"role"`
	// Version is the person's token version at minting (token_versions);
	// absent means 0.
	Version int64 `json:"ver,omitempty"`
	jwt.RegisteredClaims
}

// Mint returns a token for role and id at token version 0, valid for ttl
// from now.
func (a *Auth) Mint(role tools.Role, id string, ttl time.Duration, now time.Time) (string, error) {
	return a.MintVersion(role, id, 0, ttl, now)
}

// MintVersion returns a token for role and id at token version ver (see
// TokenVersion), valid for ttl from now; ttl may not exceed the lifetime
// cap.
func (a *Auth) MintVersion(role tools.Role, id string, ver int64, ttl time.Duration, now time.Time) (string, error) {
	if !tokenRole(role) {
		return "", fmt.Errorf("mint token: unknown role %q", role)
	}
	if id == "" {
		return "", errors.New("mint token: empty id")
	}
	if ttl <= 0 || ttl > a.maxLifetime {
		return "", fmt.Errorf("mint token: lifetime %s is not within (0, %s]", ttl, a.maxLifetime)
	}
	c := claims{
		Role:    string(role),
		Version: ver,
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
	// Version is the person's token version the token was minted at; the
	// token is revoked once the person's version is higher.
	Version int64
	// Expires is when the token stops being valid; connections it opened
	// end then.
	Expires time.Time
}

// tokenRole reports whether tokens may be minted for role.
func tokenRole(role tools.Role) bool {
	return role == tools.RoleBuyer || role == tools.RoleSeller || role == tools.RoleSupport
}

// Verify checks token's signature, algorithm, issuer, audience, issue time
// (present, not in the future), expiry, and lifetime (at most the cap), and
// returns who it speaks for. Revocation needs the database: see
// authenticator.
func (a *Auth) Verify(token string) (Identity, error) {
	var c claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return a.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(tokenIssuer),
		jwt.WithAudience(tokenAudience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(tokenLeeway),
	)
	if err != nil {
		return Identity{}, fmt.Errorf("verify token: %w", err)
	}
	if c.IssuedAt == nil {
		return Identity{}, errors.New("verify token: no issue time")
	}
	if life := c.ExpiresAt.Sub(c.IssuedAt.Time); life > a.maxLifetime {
		return Identity{}, fmt.Errorf("verify token: lifetime %s exceeds %s", life, a.maxLifetime)
	}
	role := tools.Role(c.Role)
	if !tokenRole(role) || c.Subject == "" || c.Version < 0 {
		return Identity{}, errors.New("verify token: no role or subject")
	}
	return Identity{Role: role, ID: c.Subject, Version: c.Version, Expires: c.ExpiresAt.Time}, nil
}

// Directory resolves a verified identity to the person the tools act for.
type Directory interface {
	// ResolveVersion returns the person and their token version (what
	// TokenVersion returns), read together: a request's token is checked
	// and its caller found in one round trip. It returns tools.ErrNotFound
	// for someone the platform does not know.
	ResolveVersion(ctx context.Context, role tools.Role, id string) (tools.Caller, int64, error)
}

func containsRole(roles []tools.Role, r tools.Role) bool {
	for _, x := range roles {
		if x == r {
			return true
		}
	}
	return false
}
