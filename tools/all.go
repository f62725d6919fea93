package tools

// All returns every tool on s, in the order a model is best told of them:
// buyers' lookups, then their actions, then the handoff, then the sellers'
// tools. tr runs translate; with tr nil, translate answers unavailable (pass
// a nil interface, not a nil *LibreTranslate).
// search_policy (package retrieval) and draft_reply (package web) are
// defined where their backends live and appended by the caller.
func All(s *Store, tr Translator) []Tool {
	return []Tool{
		GetOrder(s),
		ListOrders(s),
		TrackShipment(s),
		GetRefundStatus(s),
		GetDispute(s),
		RequestRefund(s),
		CancelOrder(s),
		OpenDispute(s),
		AddDisputeEvidence(s),
		HandoffToHuman(s),
		GetShopOrder(s),
		ListShopOrders(s),
		Translate(tr),
	}
}
