package web

import (
	"net/http"

	"github.com/csagent/csagent/tools"
)

// meResponse is who a token speaks for, as the pages greet them.
type meResponse struct {
	person
	// CanTranslate says the seller's panel may offer translation.
	CanTranslate bool `json:"can_translate,omitempty"`
}

// handleMe returns the signed-in buyer or seller: name, language, shop.
func (s *Server) handleMe(st store, tr tools.Translator) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _ := tools.CallerFrom(r.Context())
		p, err := st.whoIs(r.Context(), c)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		encode(w, r, http.StatusOK, meResponse{person: p, CanTranslate: (c.Role == tools.RoleSeller || c.Role == tools.RoleSupport) && tr != nil})
	})
}
