package tools

import "context"

// Role says what kind of person a Caller is.
type Role string

// The roles a token can carry.
const (
	RoleBuyer  Role = "buyer"
	RoleSeller Role = "seller"
	// RoleSupport is platform support staff: they see every conversation
	// and take the handoffs that concern no single shop.
	RoleSupport Role = "support"
)

// Caller is the authenticated person a tool acts for. It comes from the
// verified token and travels in the context; tools never take it from their
// arguments, so nothing a model writes can change whose data is reached.
type Caller struct {
	Role Role
	ID   string
	// ShopID is the seller's shop; empty for buyers and support.
	ShopID string
	// Locale is the person's preferred language, e.g. "ko".
	Locale string
}

type callerKey struct{}

// NewContext returns a copy of ctx that carries c.
func NewContext(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the Caller in ctx and whether there is one.
func CallerFrom(ctx context.Context) (Caller, bool) {
	c, ok := ctx.Value(callerKey{}).(Caller)
	return c, ok && c.ID != ""
}
