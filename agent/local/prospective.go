package local

// A buyer who is about to buy ("срок возврата на опт такой же? беру 20
// чайных наборов", "I'm buying ten lanterns for the club, same return
// window?") names goods that are in none of their orders yet: the
// question asks the rule, and looking their orders up for those goods
// answers something they did not ask. The model reads more goods words
// than it did (Russian names in any case: "чайных наборов"), so such
// questions now name goods where they named none before.

// prospectiveCues mark goods a buyer is about to buy, or buys in bulk,
// matched in the lowercased text with a space before it.
var prospectiveCues = []string{
	" wholesale", " bulk", " buying", " going to buy", " want to buy", " planning to buy", " about to buy",
	" por mayor", " voy a comprar", " quiero comprar", " pienso comprar", " comprando",
	" опт", " беру ", " куплю", " покупаю", " хочу купить", " собираюсь купить",
	"도매", "사려고", "살 건데", "살건데", "구매하려", "구매할 예정",
}

// aboutToBuy reports whether text speaks of goods the buyer is about to
// buy (prospectiveCues).
func aboutToBuy(text string) bool {
	return containsAny(" "+text+" ", prospectiveCues)
}
