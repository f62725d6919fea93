package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/csagent/csagent/agent"
	"github.com/csagent/csagent/tools"
)

// The seller's reply-assist API, behind the panel at /seller: the inbox,
// one conversation with the buyer's orders in the shop, suggested replies,
// sending a reply as a person, taking a conversation over from the
// assistant and handing it back, translation, and a live event stream.

const (
	sellerTranscript = 200
	draftOrders      = 3
	// sellerClientPrefix keeps sellers' message ids apart from buyers'.
	sellerClientPrefix = "seller:"
)

// sellerConversationResponse is one conversation as the panel opens it.
type sellerConversationResponse struct {
	Conversation sellerConversation `json:"conversation"`
	Orders       []shopOrderRow     `json:"orders"`
	Messages     []messageFrame     `json:"messages"`
	CanTranslate bool               `json:"can_translate"`
}

// sellerFrom returns the seller in r's context and the conversation named
// in the path, if their shop may see it; otherwise not found.
func sellerFrom(r *http.Request, st store) (tools.Caller, sellerConversation, error) {
	seller, _ := tools.CallerFrom(r.Context())
	id := chi.URLParam(r, "id")
	if id == "" || len(id) > 64 {
		return seller, sellerConversation{}, refuse(codeNotFound, "no such conversation")
	}
	c, err := st.conversation(r.Context(), seller.ShopID, id)
	if errors.Is(err, errNotVisible) {
		return seller, sellerConversation{}, refuse(codeNotFound, "no such conversation")
	}
	return seller, c, err
}

// handleInbox lists the shop's conversations, escalated first.
func (s *Server) handleInbox(st store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seller, _ := tools.CallerFrom(r.Context())
		items, err := st.inbox(r.Context(), seller.ShopID, time.Now())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if items == nil {
			items = []inboxItem{}
		}
		for i := range items {
			items[i].LastText = forShop(items[i].LastText)
		}
		encode(w, r, http.StatusOK, map[string]any{"conversations": items})
	})
}

// handleSellerConversation returns one conversation: who, its status and
// handoff, the buyer's orders in the shop and the end of the transcript.
func (s *Server) handleSellerConversation(st store, ag *agent.Agent, tr tools.Translator) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seller, c, err := sellerFrom(r, st)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		orders, err := st.buyerOrders(r.Context(), seller.ShopID, c.BuyerID, 5)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		msgs, err := ag.Store().Recent(r.Context(), c.ConversationID, sellerTranscript)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		msgs = shopMessages(msgs)
		c.HandoffSummary = forShop(c.HandoffSummary)
		out := sellerConversationResponse{Conversation: c, Orders: orders, Messages: make([]messageFrame, len(msgs)), CanTranslate: tr != nil}
		for i, m := range msgs {
			out.Messages[i] = newMessageFrame(m)
		}
		encode(w, r, http.StatusOK, out)
	})
}

// handleSuggestions drafts replies grounded in the conversation's orders
// in the shop: those the transcript names, else the buyer's newest.
func (s *Server) handleSuggestions(st store, ag *agent.Agent, tr ToolRunner, d Drafter, ck ReplyChecker) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seller, c, err := sellerFrom(r, st)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		ctx := r.Context()
		me, err := st.whoIs(ctx, seller)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		msgs, err := ag.Store().Recent(ctx, c.ConversationID, 30)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		msgs = shopMessages(msgs)
		in := DraftInput{
			SellerName: me.Name, ShopName: me.ShopName, SellerLocale: seller.Locale,
			BuyerName: c.BuyerName, BuyerLocale: c.Locale, Status: c.Status, HandoffReason: c.HandoffReason,
			Transcript: msgs, Now: time.Now(),
		}
		var evidence []string
		lookUp := func(ids []string) {
			for _, id := range ids {
				if len(in.Orders) == draftOrders {
					return
				}
				if o, ok := shopOrder(ctx, tr, c.ConversationID, id); ok {
					in.Orders = append(in.Orders, o)
					evidence = append(evidence, describeShopOrder(o))
				}
			}
		}
		// The orders the chat names that are this shop's; else the
		// buyer's newest in the shop.
		lookUp(mentionedOrders(msgs))
		if len(in.Orders) == 0 {
			rows, err := st.buyerOrders(ctx, seller.ShopID, c.BuyerID, 1)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			for _, o := range rows {
				lookUp([]string{o.OrderID})
			}
		}
		drafts, err := d.Draft(ctx, in)
		if err != nil {
			s.metrics.drafts.WithLabelValues("error").Inc()
			s.fail(w, r, err)
			return
		}
		if ck != nil {
			drafts = checkDrafts(ctx, ck, drafts, c.Locale, evidence, s.logger)
		}
		for i := range drafts {
			drafts[i].Text, drafts[i].Gloss = forShop(drafts[i].Text), forShop(drafts[i].Gloss)
			drafts[i].Citations = st.citations(ctx, drafts[i].Policies, c.Locale)
		}
		s.metrics.drafts.WithLabelValues("ok").Inc()
		encode(w, r, http.StatusOK, map[string]any{"suggestions": drafts, "checked": ck != nil})
	})
}

// describeShopOrder is the evidence a checker holds a draft to.
func describeShopOrder(o tools.ShopOrder) string {
	var b strings.Builder
	b.WriteString(o.ID + " " + o.Status + " total " + o.Total.String() + " refunded " + o.Refunded.String())
	for _, t := range []struct {
		what string
		at   *time.Time
	}{{"placed", &o.PlacedAt}, {"shipped", o.ShippedAt}, {"delivered", o.DeliveredAt}, {"cancelled", o.CancelledAt}} {
		if t.at != nil {
			b.WriteString(" " + t.what + " " + t.at.UTC().Format(time.DateOnly))
		}
	}
	if o.Carrier != "" {
		b.WriteString(" carrier " + o.Carrier + " tracking " + o.TrackingNumber)
	}
	return b.String()
}

// handleSellerSend stores the seller's reply as a person's ('agent')
// message, which reaches the buyer live. Replying takes the conversation
// over: the assistant stops answering until the seller hands it back.
func (s *Server) handleSellerSend(st store, ag *agent.Agent) http.Handler {
	type request struct {
		ID   string `json:"id"`
		Text string `json:"text"`
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seller, c, err := sellerFrom(r, st)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		req, err := decode[request](w, r, 0)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		text, err := messageText(req.Text)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if len(req.ID) > maxClientIDLen-len(sellerClientPrefix) {
			s.fail(w, r, refuse(codeInvalid, "id must have at most %d characters", maxClientIDLen-len(sellerClientPrefix)))
			return
		}
		if err := st.takeOver(r.Context(), seller, c.ConversationID); err != nil {
			s.fail(w, r, sellerError(err))
			return
		}
		m := agent.StoredMessage{TurnID: agent.NewID("t_"), Role: "agent", AuthorID: seller.ID, Text: text}
		if req.ID != "" {
			m.ClientID = sellerClientPrefix + req.ID
		}
		stored, dup, err := ag.Store().Append(r.Context(), c.ConversationID, m)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if dup && (stored.Role != "agent" || stored.AuthorID != seller.ID) {
			s.fail(w, r, refuse(codeConflict, "that id was used for another message"))
			return
		}
		if !dup {
			s.metrics.sellerMessages.Inc()
		}
		encode(w, r, http.StatusCreated, map[string]any{"message": newMessageFrame(stored), "status": statusAgent, "duplicate": dup})
	})
}

// handleTakeOver makes the seller the conversation's voice: the assistant
// stops answering.
func (s *Server) handleTakeOver(st store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seller, c, err := sellerFrom(r, st)
		if err == nil {
			err = st.takeOver(r.Context(), seller, c.ConversationID)
		}
		if err != nil {
			s.fail(w, r, sellerError(err))
			return
		}
		encode(w, r, http.StatusOK, map[string]string{"conversation_id": c.ConversationID, "status": statusAgent})
	})
}

// handleHandBack gives the conversation back to the assistant.
func (s *Server) handleHandBack(st store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seller, c, err := sellerFrom(r, st)
		if err == nil {
			err = st.handBack(r.Context(), seller, c.ConversationID)
		}
		if err != nil {
			s.fail(w, r, sellerError(err))
			return
		}
		encode(w, r, http.StatusOK, map[string]string{"conversation_id": c.ConversationID, "status": statusOpen})
	})
}

func sellerError(err error) error {
	switch {
	case errors.Is(err, errNotVisible):
		return refuse(codeNotFound, "no such conversation")
	case errors.Is(err, errClosed):
		return refuse(codeConflict, "this conversation is closed")
	}
	return err
}

// translation is one message in the seller's language.
type translation struct {
	Seq  int64  `json:"seq"`
	Text string `json:"text"`
}

// handleTranslate translates the end of the transcript (the 50 messages
// after ?after=N, default from the start) into the seller's language.
// Messages already in it come back unchanged.
func (s *Server) handleTranslate(st store, ag *agent.Agent, tr tools.Translator) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seller, c, err := sellerFrom(r, st)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if tr == nil {
			s.fail(w, r, refuse(codeUnavailable, "translation is not configured on this server"))
			return
		}
		after, err := queryInt(r, "after", 0, 0, 1<<53)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		target := seller.Locale
		if target == "" {
			target = "en"
		}
		msgs, err := ag.Store().Messages(r.Context(), c.ConversationID, after, 50)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		msgs = shopMessages(msgs)
		ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
		defer cancel()
		out := make([]translation, 0, len(msgs))
		for _, m := range msgs {
			text := m.Text
			if lang, ok := tools.DetectLanguage(text); !ok || lang != target {
				if text, err = tr.Translate(ctx, m.Text, "", target); err != nil {
					s.logger.WarnContext(ctx, "translate transcript", "err", err)
					s.fail(w, r, refuse(codeUnavailable, "the translation service is not responding; please try again later"))
					return
				}
			}
			out = append(out, translation{Seq: m.Seq, Text: text})
		}
		encode(w, r, http.StatusOK, map[string]any{"target": target, "translations": out})
	})
}

// handleSellerEvents streams what the panel must refresh, as Server-Sent
// Events: "inbox" when any conversation may have changed (at most once a
// second), and for the conversation named by ?conversation_id= its new
// "message"s after ?after=N and its "status" changes. A comment every 20 s
// keeps proxies from closing the stream; it ends when the server drains.
func (s *Server) handleSellerEvents(st store, ag *agent.Agent) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seller, _ := tools.CallerFrom(r.Context())
		convID := r.URL.Query().Get("conversation_id")
		after, err := queryInt(r, "after", 0, 0, 1<<53)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if convID != "" {
			if len(convID) > 64 {
				s.fail(w, r, refuse(codeNotFound, "no such conversation"))
				return
			}
			if _, err := st.conversation(r.Context(), seller.ShopID, convID); err != nil {
				s.fail(w, r, sellerError(err))
				return
			}
		}
		var inboxDirty, convDirty atomic.Bool
		var status atomic.Value
		kick := make(chan struct{}, 1)
		sub := s.hub.subscribe("", func(e hubEvent) {
			inboxDirty.Store(true)
			if convID != "" && (e.Resync || e.ConversationID == convID) {
				if e.Status != "" {
					status.Store(e.Status)
				} else {
					convDirty.Store(true)
				}
			}
			select {
			case kick <- struct{}{}:
			default:
			}
		})
		defer s.hub.unsubscribe(sub)

		stream := startSSE(w)
		stream.send("ready", map[string]any{"conversation_id": convID, "seq": after})
		session, ended := s.streamSession(r.Context(), st.db)
		keepAlive := time.NewTicker(20 * time.Second)
		defer keepAlive.Stop()
		var lastInbox time.Time
		var inboxTimer <-chan time.Time
		for {
			select {
			case <-r.Context().Done():
				return
			case <-s.stopping:
				return
			case e := <-ended:
				endStream(stream, e)
				return
			case <-keepAlive.C:
				if !stream.comment("keep-alive") {
					return
				}
			case <-inboxTimer:
				if sessionOver(session, time.Now()) {
					endStream(stream, endExpired)
					return
				}
				inboxTimer = nil
				inboxDirty.Store(false)
				lastInbox = time.Now()
				stream.send("inbox", map[string]any{})
			case <-kick:
				if sessionOver(session, time.Now()) {
					endStream(stream, endExpired)
					return
				}
				// Messages first, then the status, as the buyer's chat
				// sends them: a status change usually follows the
				// message that caused it (a handoff after the request).
				if convDirty.Swap(false) {
					msgs, err := ag.Store().Messages(r.Context(), convID, after, sellerTranscript)
					if err != nil {
						s.logger.WarnContext(r.Context(), "load messages for the panel", "err", err)
						convDirty.Store(true)
					}
					for _, m := range msgs {
						stream.send("message", newMessageFrame(shopMessage(m)))
						after = m.Seq
					}
				}
				if v, ok := status.Swap("").(string); ok && v != "" {
					stream.send("status", statusFrame{Type: "status", Status: v})
				}
				if inboxDirty.Load() && inboxTimer == nil {
					inboxTimer = time.After(max(0, time.Second-time.Since(lastInbox)))
				}
			}
		}
	})
}
