package agent

import (
	"slices"

	"github.com/csagent/csagent/tools"
)

// What a buyer already did about the problem ("경비실에도 없고 CCTV까지 다
// 봤다구요", "I asked the neighbours and checked the mailbox") and what
// they threaten to do next ("o pongo una reclamación en consumo", "I'll
// report this to my bank") tell the person taking over what not to ask
// again and how urgent the case is; the conversation's tools cannot show
// either. Such a message often names no problem the brief knows and asks
// for a person, so before it was left out: the brief quoted the first
// message and a person asked the buyer to check the security desk again.
// The brief quotes it as the buyer's own words, with the order it is
// about.

// checkedWords say the buyer looked, asked or checked for themselves,
// lower-cased.
var checkedWords = []string{
	"checked", "looked everywhere", "looked around", "searched", "asked my neighbo", "asked the neighbo", "neighbours", "neighbors",
	"security desk", "security guard", "concierge", "front desk", "reception", "doorman", "cctv", "camera", "mailbox", "mail room",
	"parcel locker", "called the carrier", "called ups", "called the courier", "contacted the carrier", "contacted the seller",
	"경비실", "관리실", "관리사무소", "cctv", "택배함", "우편함", "이웃", "옆집", "확인했", "다 봤", "찾아봤", "찾아 봤", "기사님",
	"택배사에 전화", "판매자에게 연락", "판매자한테 연락",
	"he mirado", "he revisado", "revisé", "revise ", "he buscado", "busqué", "pregunté", "pregunte a", "vecino", "conserje", "portero",
	"portería", "porteria", "buzón", "buzon", "cámara", "camara", "llamé", "llame a", "he llamado",
	"проверил", "проверила", "смотрел", "смотрела", "искал", "искала", "спрашивал", "спрашивала", "соседи", "соседей", "консьерж",
	"охран", "почтовый ящик", "камер", "звонил", "звонила", "постамат",
}

// threatWords say the buyer means to take the matter elsewhere: a formal
// complaint, a consumer body, the bank, the police, a lawyer, a review, or
// calls it a scam, lower-cased.
var threatWords = []string{
	"complaint", "complain", "report you", "report this", "consumer", "lawyer", "sue ", "court", "chargeback", "charge back",
	"my bank", "police", "bad review", "1 star", "one star", "scam", "fraud",
	"신고", "소비자원", "소보원", "민원", "고소", "변호사", "사기", "카드사", "리뷰", "별점",
	"reclamación", "reclamacion", "reclamar", "consumo", "denuncia", "denunciar", "abogado", "estafa", "fraude", "mi banco", "policía",
	"policia", "reseña", "resena",
	"жалоб", "пожалуюсь", "роспотребнадзор", "в суд", "суд ", "юрист", "адвокат", "мошенни", "обман", "в банк", "полици", "прокурат", "отзыв",
}

// maxBriefAccounts is how many of the buyer's accounts of checks made or
// threats a brief quotes per order, besides the words telling problems.
const maxBriefAccounts = 2

// tellsAccount reports whether text, a buyer's message lower-cased and
// padded with spaces, tells what the buyer already checked or what they
// threaten to do.
func tellsAccount(text string) bool {
	return containsAnyOf(text, checkedWords) || containsAnyOf(text, threatWords)
}

// quoteAccount adds the buyer's words, an account of checks or threats, to
// o unless o quotes them already or quotes enough.
func quoteAccount(o *tools.BriefOrder, words string) {
	if words == "" || slices.Contains(o.Words, words) || len(o.Words) >= maxBriefWords+maxBriefAccounts {
		return
	}
	o.Words = append(o.Words, words)
}
