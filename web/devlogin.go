package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"github.com/csagent/csagent/tools"
)

// The development login, served only when the server runs in dev mode: a
// page that lists the demo buyers, sellers and support staff, and a link
// per person that
// mints their token and opens their page. It signs anyone in as anyone, by
// design; it does not exist in production.

// devTokenTTL is how long a dev login lasts.
const devTokenTTL = 12 * time.Hour

type devBuyer struct {
	ID, Name, Locale string
	Orders           int
	// RefundOrder is an order the buyer can get a refund for, to try.
	RefundOrder string
}

type devSeller struct {
	ID, Name, Locale, Shop string
	Escalated              int
}

// Initial is the first letter of the seller's name, for an avatar.
func (s devSeller) Initial() string {
	for _, r := range s.Name {
		return string(r)
	}
	return "?"
}

// handleDevLogin lists the people one can sign in as.
func handleDevLogin(logger *slog.Logger, db querier) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		rows, err := db.Query(ctx, `SELECT b.id, b.name, b.locale, count(o.id),
				coalesce((SELECT o2.id FROM orders o2 WHERE o2.buyer_id = b.id AND o2.status = 'delivered'
					AND o2.delivered_at > now() - interval '28 days' AND o2.refunded_minor = 0 ORDER BY o2.id LIMIT 1), '')
			FROM buyers b LEFT JOIN orders o ON o.buyer_id = b.id
			GROUP BY b.id ORDER BY b.id LIMIT 200`)
		var buyers []devBuyer
		if err == nil {
			buyers, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (devBuyer, error) {
				var b devBuyer
				return b, r.Scan(&b.ID, &b.Name, &b.Locale, &b.Orders, &b.RefundOrder)
			})
		}
		var sellers []devSeller
		if err == nil {
			rows, err = db.Query(ctx, `SELECT s.id, s.name, s.locale, sh.name,
					(SELECT count(*) FROM conversations cv WHERE cv.status = 'handoff' AND cv.shop_id = sh.id)
				FROM sellers s JOIN shops sh ON sh.id = s.shop_id ORDER BY s.id LIMIT 50`)
		}
		if err == nil {
			sellers, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (devSeller, error) {
				var s devSeller
				return s, r.Scan(&s.ID, &s.Name, &s.Locale, &s.Shop, &s.Escalated)
			})
		}
		var support []devSeller
		if err == nil {
			rows, err = db.Query(ctx, `SELECT st.id, st.name, st.locale, $1::text,
					(SELECT count(*) FROM conversations cv WHERE cv.status = 'handoff' AND cv.shop_id IS NULL)
				FROM support_staff st ORDER BY st.id LIMIT 20`, supportDesk)
		}
		if err == nil {
			support, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (devSeller, error) {
				var s devSeller
				return s, r.Scan(&s.ID, &s.Name, &s.Locale, &s.Shop, &s.Escalated)
			})
		}
		if err != nil {
			logger.ErrorContext(ctx, "list demo people", "err", err)
			http.Error(w, "the demo people could not be listed; is the database seeded (csagent seed --demo)?", http.StatusServiceUnavailable)
			return
		}
		renderPage(w, r, logger, http.StatusOK, "login.html", pageData{Lang: "en", Title: "csagent · dev login", Dev: true,
			Data: map[string]any{"Buyers": buyers, "Sellers": sellers, "Support": support}})
	})
}

// handleDevToken mints a token for /dev/login/{role}/{id} and opens that
// person's page with it in the URL fragment, which browsers never send to
// a server, so it shows in no log.
func handleDevToken(logger *slog.Logger, auth *Auth, dir Directory) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		role, id := tools.Role(chi.URLParam(r, "role")), chi.URLParam(r, "id")
		page := map[tools.Role]string{tools.RoleBuyer: "/chat", tools.RoleSeller: "/seller", tools.RoleSupport: "/seller"}[role]
		if role == tools.RoleSupport && r.URL.Query().Get("page") == "ops" {
			page = "/ops"
		}
		if page == "" {
			writeError(w, r, codeNotFound, "no such role")
			return
		}
		_, ver, err := dir.ResolveVersion(r.Context(), role, id)
		if err != nil {
			writeError(w, r, codeNotFound, fmt.Sprintf("no %s with that id", role))
			return
		}
		tok, err := auth.MintVersion(role, id, ver, min(devTokenTTL, auth.MaxLifetime()), time.Now())
		if err != nil {
			logger.ErrorContext(r.Context(), "mint dev token", "err", err)
			writeError(w, r, codeInternal, "no token could be made")
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Referrer-Policy", "no-referrer")
		http.Redirect(w, r, page+"#access_token="+url.QueryEscape(tok), http.StatusSeeOther)
	})
}
