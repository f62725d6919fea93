package tools

import (
	"crypto/rand"
	"fmt"
	"regexp"
	"strings"
)

// idAlphabet is Crockford's base32: digits and upper-case letters without
// I, L, O and U, so an id read aloud or retyped survives.
const idAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// newID returns prefix followed by 10 random characters of idAlphabet (50
// bits), e.g. "RF-7K2M9QX4BD".
func newID(prefix string) string {
	var b [10]byte
	rand.Read(b[:])
	for i := range b {
		b[i] = idAlphabet[b[i]&31]
	}
	return prefix + string(b[:])
}

var (
	refundIDPattern  = regexp.MustCompile(`^RF-[0-9A-Z]{4,32}$`)
	disputeIDPattern = regexp.MustCompile(`^DSP-[0-9A-Z]{4,32}$`)
)

// normalizeID upper-cases and trims an id and checks it against pattern.
func normalizeID(s string, pattern *regexp.Regexp) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	return s, pattern.MatchString(s)
}

// checkOrderID normalizes *id in place, or says what an order id looks like.
func checkOrderID(field string, id *string) error {
	n, ok := NormalizeOrderID(*id)
	if !ok {
		return fmt.Errorf("%s %q is not an order id; order ids look like ORD-10042", field, truncate(*id, 40))
	}
	*id = n
	return nil
}

// checkRefundID normalizes *id in place, or says what a refund id looks like.
func checkRefundID(id *string) error {
	n, ok := normalizeID(*id, refundIDPattern)
	if !ok {
		return fmt.Errorf("refund_id %q is not a refund id; refund ids look like RF-7K2M9QX4BD", truncate(*id, 40))
	}
	*id = n
	return nil
}

// checkDisputeID normalizes *id in place, or says what a dispute id looks
// like.
func checkDisputeID(id *string) error {
	n, ok := normalizeID(*id, disputeIDPattern)
	if !ok {
		return fmt.Errorf("dispute_id %q is not a dispute id; dispute ids look like DSP-7K2M9QX4BD", truncate(*id, 40))
	}
	*id = n
	return nil
}
