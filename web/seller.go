package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

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

// sellerFrom returns the seller (or support agent) in r's context, who
// they are as a viewer, and the conversation named in the path, if they may
// see it; otherwise not found.
func sellerFrom(r *http.Request, st store) (tools.Caller, viewer, sellerConversation, error) {
	seller, v, id, err := sellerAndID(r)
	if err != nil {
		return seller, v, sellerConversation{}, err
	}
	c, err := st.conversation(r.Context(), v, id)
	if errors.Is(err, errNotVisible) {
		return seller, v, sellerConversation{}, refuse(codeNotFound, "no such conversation")
	}
	return seller, v, c, err
}

// sellerAndID returns the seller in r's context and the conversation id
// of r's path, without asking whether they may see it.
func sellerAndID(r *http.Request) (tools.Caller, viewer, string, error) {
	seller, _ := tools.CallerFrom(r.Context())
	v, ok := viewerOf(seller)
	id := chi.URLParam(r, "id")
	if !ok || id == "" || len(id) > 64 {
		return seller, v, "", refuse(codeNotFound, "no such conversation")
	}
	return seller, v, id, nil
}

// handleInbox lists the shop's conversations (support's: all), escalated
// first.
func (s *Server) handleInbox(st store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seller, _ := tools.CallerFrom(r.Context())
		v, ok := viewerOf(seller)
		if !ok {
			s.fail(w, r, refuse(codeNotFound, "no inbox here"))
			return
		}
		items, err := st.inbox(r.Context(), v, time.Now())
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if items == nil {
			items = []inboxItem{}
		}
		for i := range items {
			items[i].LastText = v.mask(items[i].LastText)
		}
		encode(w, r, http.StatusOK, map[string]any{"conversations": items})
	})
}

// handleSellerConversation returns one conversation: who, its status and
// handoff, the buyer's orders in the shop and the end of the transcript.
func (s *Server) handleSellerConversation(st store, tr tools.Translator) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reader, v, c, err := sellerFrom(r, st)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		orders, err := st.buyerOrders(r.Context(), v, c.BuyerID, 5)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		msgs, err := st.recent(r.Context(), v, c.ConversationID, sellerTranscript)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		msgs = v.maskMessages(msgs)
		c.HandoffSummary = v.mask(c.HandoffSummary)
		if c.HandoffReason != "" {
			// The card's brief, in the reader's language, from what
			// the reader may see.
			if c.HandoffBrief, err = st.handoffBrief(r.Context(), v, reader.Locale, c, msgs, time.Now()); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		out := sellerConversationResponse{Conversation: c, Orders: orders, Messages: make([]messageFrame, len(msgs)), CanTranslate: tr != nil}
		for i, m := range msgs {
			out.Messages[i] = newMessageFrame(m)
		}
		encode(w, r, http.StatusOK, out)
	})
}

// handleSuggestions drafts replies grounded in the shop's part of the
// conversation and its orders in the shop: those that part names, else the
// buyer's newest.
func (s *Server) handleSuggestions(st store, tr ToolRunner, d Drafter, ck ReplyChecker) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seller, v, c, err := sellerFrom(r, st)
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
		msgs, err := st.recent(ctx, v, c.ConversationID, 30)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		msgs = v.maskMessages(msgs)
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
				if o, raw, ok := shopOrder(ctx, tr, c.ConversationID, id); ok {
					in.Orders = append(in.Orders, o)
					evidence = append(evidence, orderEvidence(o, raw)...)
				}
			}
		}
		// The buyer's latest unresolved problem (or a later question
		// about another order: draftSubject), and the orders the chat
		// is about that are this shop's: those named with the problem,
		// then by the buyer, then by anyone; else the buyer's newest in
		// the shop that the problem can be about (a broken item was
		// delivered), else their newest.
		// Only the buyer's own: an order of the shop's that the chat
		// names but another buyer placed must not ground a reply this
		// buyer may be sent (the brief keeps to the buyer's the same way).
		prob, stated := draftSubject(msgs)
		in.Problem = problemNames[prob]
		named, err := st.briefOrders(ctx, v, c.BuyerID, conversationOrderIDs(msgs, stated))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		ids := make([]string, len(named))
		for i, o := range named {
			ids[i] = o.ID
		}
		lookUp(ids)
		if len(in.Orders) == 0 {
			rows, err := st.buyerOrders(ctx, v, c.BuyerID, 5)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			slices.SortStableFunc(rows, func(a, b shopOrderRow) int {
				return cmpBool(prob.fits(b.Status), prob.fits(a.Status))
			})
			for _, o := range rows {
				if lookUp([]string{o.OrderID}); len(in.Orders) > 0 {
					break
				}
			}
		}
		// The rule behind the step the drafts give for the problem: in
		// the buyer's language for the drafts' citations and the
		// checker's evidence, in the seller's for the panel.
		var step *policyStep
		var stepCites []draftCitation
		if len(in.Orders) > 0 {
			if _, _, _, key := problemStep(phrasebook("en"), prob, in.Orders[0], in.Now); key != "" {
				if text, cites, ok := searchPolicyStep(ctx, tr, c.ConversationID, stepQuestion(key, c.Locale), c.Locale); ok {
					evidence = append(evidence, text)
					stepCites = cites
					step = &policyStep{Text: text, Citations: cites}
				}
				if phraseLocale(seller.Locale) != phraseLocale(c.Locale) {
					step = nil
					if text, cites, ok := searchPolicyStep(ctx, tr, c.ConversationID, stepQuestion(key, seller.Locale), seller.Locale); ok {
						step = &policyStep{Text: text, Citations: cites}
					}
				}
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
			drafts[i].Text, drafts[i].Gloss = v.mask(drafts[i].Text), v.mask(drafts[i].Gloss)
			drafts[i].Citations = append(slices.Clone(stepCites), st.citations(ctx, drafts[i].Policies, c.Locale)...)
		}
		s.metrics.drafts.WithLabelValues("ok").Inc()
		body := map[string]any{"suggestions": drafts, "checked": ck != nil, "problem": in.Problem}
		if step != nil {
			body["policy_step"] = step
		}
		encode(w, r, http.StatusOK, body)
	})
}

// cmpBool orders false before true.
func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// handleSellerSend stores the seller's reply as a person's ('agent')
// message, which reaches the buyer live. Replying takes the conversation
// over: the assistant stops answering until the seller hands it back. Only
// the shop the conversation is routed to, or support, may reply. A
// seller's message is their shop's; support's is platform scope. The
// take-over and the message commit in one transaction, after one check of
// who may act on the conversation (move): neither is ever left without the
// other.
func (s *Server) handleSellerSend(st store, ag *agent.Agent) http.Handler {
	type request struct {
		ID   string `json:"id"`
		Text string `json:"text"`
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seller, _, convID, err := sellerAndID(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		req, err := decode[request](w, r, maxMessageBodyBytes)
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
		m := agent.StoredMessage{TurnID: agent.NewID("t_"), Role: "agent", AuthorID: seller.ID, Text: text, ShopID: seller.ShopID}
		if req.ID != "" {
			m.ClientID = sellerClientPrefix + req.ID
		}
		var stored agent.StoredMessage
		var dup bool
		err = st.move(r.Context(), seller, convID, func(tx pgx.Tx, v viewer) error {
			if err := takeOverIn(r.Context(), tx, seller, v, convID); err != nil {
				return err
			}
			var err error
			if stored, dup, err = ag.Store().AppendIn(r.Context(), tx, convID, m); err != nil {
				return err
			}
			if dup && (stored.Role != "agent" || stored.AuthorID != seller.ID) {
				return refuse(codeConflict, "that id was used for another message")
			}
			return nil
		})
		if err != nil {
			s.fail(w, r, sellerError(err))
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
		seller, _, convID, err := sellerAndID(r)
		if err == nil {
			err = st.takeOver(r.Context(), seller, convID)
		}
		if err != nil {
			s.fail(w, r, sellerError(err))
			return
		}
		encode(w, r, http.StatusOK, map[string]string{"conversation_id": convID, "status": statusAgent})
	})
}

// handleHandBack gives the conversation back to the assistant.
func (s *Server) handleHandBack(st store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seller, _, convID, err := sellerAndID(r)
		if err == nil {
			err = st.handBack(r.Context(), seller, convID)
		}
		if err != nil {
			s.fail(w, r, sellerError(err))
			return
		}
		encode(w, r, http.StatusOK, map[string]string{"conversation_id": convID, "status": statusOpen})
	})
}

func sellerError(err error) error {
	switch {
	case errors.Is(err, errNotVisible):
		return refuse(codeNotFound, "no such conversation")
	case errors.Is(err, errNotRouted):
		return refuse(codeConflict, "this conversation is handled by someone else")
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
func (s *Server) handleTranslate(st store, tr tools.Translator) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seller, v, c, err := sellerFrom(r, st)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		// A malformed request is refused as such before anything says
		// "unavailable", which a client retries.
		after, err := queryInt(r, "after", 0, 0, 1<<53)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if tr == nil {
			s.fail(w, r, refuse(codeUnavailable, "translation is not configured on this server"))
			return
		}
		target := seller.Locale
		if target == "" {
			target = "en"
		}
		msgs, err := st.messages(r.Context(), v, c.ConversationID, after, 50)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		msgs = v.maskMessages(msgs)
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
			// The source was masked, but a translation may write what the
			// masks could not read (a phone number spelled out in words,
			// written in digits): it is masked again as the reader's.
			out = append(out, translation{Seq: m.Seq, Text: v.mask(text)})
		}
		encode(w, r, http.StatusOK, map[string]any{"target": target, "translations": out})
	})
}

// handleSellerEvents streams what the panel must refresh, as Server-Sent
// Events: "inbox" when one of the viewer's conversations may have changed
// (at most once a second), and for the conversation named by
// ?conversation_id= the new "message"s after ?after=N that the viewer may
// read and its "status" changes ("elsewhere" once it is routed to another
// party). A message stamped into the viewer's scope after later ones were
// sent (a turn's buyer message is stamped when the turn ends) asks the
// panel to "reload". Every event is checked against the viewer's scope as
// it arrives: the notification carries the shop, so a shop hears only of
// its own messages and conversations. A comment every 20 s keeps proxies
// from closing the stream; it ends when the server drains.
func (s *Server) handleSellerEvents(st store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seller, _ := tools.CallerFrom(r.Context())
		v, ok := viewerOf(seller)
		if !ok {
			s.fail(w, r, refuse(codeNotFound, "no such conversation"))
			return
		}
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
			if _, err := st.conversation(r.Context(), v, convID); err != nil {
				s.fail(w, r, sellerError(err))
				return
			}
		}
		var inboxDirty, convDirty, reload atomic.Bool
		var status atomic.Value
		var sent atomic.Int64 // the highest seq sent, read by the hub's goroutine
		sent.Store(int64(after))
		kick := make(chan struct{}, 1)
		sub := s.hub.subscribe("", func(e hubEvent) {
			if !v.hears(e) {
				return
			}
			inboxDirty.Store(true)
			if convID != "" && (e.Resync || e.ConversationID == convID) {
				switch {
				case e.Status != "":
					status.Store(v.statusOf(e))
				case e.Seq > 0 && e.Seq <= sent.Load():
					// Stamped into or out of the viewer's scope after
					// later messages were sent.
					reload.Store(true)
				default:
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
					msgs, err := st.messages(r.Context(), v, convID, sent.Load(), sellerTranscript)
					if err != nil {
						s.logger.WarnContext(r.Context(), "load messages for the panel", "err", err)
						convDirty.Store(true)
					}
					for _, m := range msgs {
						stream.send("message", newMessageFrame(v.maskMessage(m)))
						sent.Store(m.Seq)
					}
				}
				if reload.Swap(false) {
					stream.send("reload", map[string]any{"conversation_id": convID})
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

// hears reports whether event e concerns the viewer: a message of their
// shop (or stamped out of it), a conversation routed to or away from it,
// or a resync. Support hears everything.
func (v viewer) hears(e hubEvent) bool {
	return v.support || e.Resync || v.reads(e.Shop) || v.reads(e.OldShop)
}

// reads reports whether the viewer may read what is stamped with shop
// (empty: platform scope).
func (v viewer) reads(shop string) bool {
	return v.support || (shop != "" && shop == v.shop)
}

// mask returns text as the viewer may read it: a shop's with the buyer's
// contact details masked (forShop); support, platform staff, reads it
// whole.
func (v viewer) mask(text string) string {
	if v.support {
		return text
	}
	return forShop(text)
}

// maskMessage is m as the viewer may read it (mask).
func (v viewer) maskMessage(m agent.StoredMessage) agent.StoredMessage {
	if v.support {
		return m
	}
	return shopMessage(m)
}

// maskMessages is msgs as the viewer may read them (mask).
func (v viewer) maskMessages(msgs []agent.StoredMessage) []agent.StoredMessage {
	if v.support {
		return msgs
	}
	return shopMessages(msgs)
}

// statusOf returns the status the viewer sees in status event e: the
// conversation's, if it is routed to them.
func (v viewer) statusOf(e hubEvent) string {
	if v.support || (e.Shop != "" && e.Shop == v.shop) {
		return e.Status
	}
	return statusElsewhere
}
