package demo

// The demo catalogue: four shops, one per currency and language, each with a
// seller and a few products, some of them not refundable under the refunds
// policy (digital goods, gift cards, personalised items, perishable food).

type shop struct {
	id, name, currency, locale string
	seller, sellerName         string
	carrier, trackingPrefix    string
	products                   []product
}

type product struct {
	id, name, category string
	price              int64 // minor units of the shop's currency
	refundable         bool
}

var shops = []shop{
	{
		id: "shop-maple", name: "Maple & Pine Outfitters", currency: "USD", locale: "en",
		seller: "seller-maple", sellerName: "Dana Whitfield", carrier: "UPS", trackingPrefix: "1Z",
		products: []product{
			{"p-maple-boots", "Trail hiking boots", "shoes", 12900, true},
			{"p-maple-jacket", "Waterproof rain jacket", "apparel", 8950, true},
			{"p-maple-socks", "Merino wool socks (3 pack)", "apparel", 2400, true},
			{"p-maple-lantern", "Rechargeable camp lantern", "outdoor", 3499, true},
			{"p-maple-bottle", "Insulated steel bottle", "outdoor", 2899, true},
			{"p-maple-giftcard", "Maple & Pine gift card", "gift card", 5000, false},
			{"p-maple-map", "Printable trail map bundle (download)", "digital", 1200, false},
		},
	},
	{
		id: "shop-hangang", name: "한강 리빙 (Hangang Living)", currency: "KRW", locale: "ko",
		seller: "seller-hangang", sellerName: "박서연", carrier: "CJ Logistics", trackingPrefix: "CJ",
		products: []product{
			{"p-hangang-earbuds", "무선 이어폰", "electronics", 89000, true},
			{"p-hangang-blanket", "극세사 담요", "home", 39000, true},
			{"p-hangang-sneakers", "캔버스 운동화", "shoes", 59000, true},
			{"p-hangang-kettle", "전기 주전자", "kitchen", 45000, true},
			{"p-hangang-tumbler", "보온 텀블러", "kitchen", 23000, true},
			{"p-hangang-kimchi", "수제 배추김치 3kg", "food", 32000, false},
			{"p-hangang-mug", "이니셜 각인 머그컵", "personalised", 18000, false},
		},
	},
	{
		id: "shop-sol", name: "Casa Sol", currency: "EUR", locale: "es",
		seller: "seller-sol", sellerName: "Lucía Moreno", carrier: "Correos", trackingPrefix: "PQ",
		products: []product{
			{"p-sol-sandals", "Sandalias de cuero", "shoes", 4990, true},
			{"p-sol-lamp", "Lámpara de mesa de cerámica", "home", 6450, true},
			{"p-sol-towels", "Juego de toallas de algodón", "home", 3200, true},
			{"p-sol-bag", "Bolso de esparto", "accessories", 3990, true},
			{"p-sol-pan", "Paellera de acero pulido", "kitchen", 2750, true},
			{"p-sol-oil", "Aceite de oliva virgen extra 2L", "food", 2400, false},
			{"p-sol-ebook", "Libro de recetas (digital)", "digital", 900, false},
		},
	},
	{
		id: "shop-taiga", name: "Тайга Крафт (Taiga Crafts)", currency: "RUB", locale: "ru",
		seller: "seller-taiga", sellerName: "Ирина Соколова", carrier: "Почта России", trackingPrefix: "RA",
		products: []product{
			{"p-taiga-valenki", "Валенки ручной работы", "shoes", 650000, true},
			{"p-taiga-scarf", "Шарф из шерсти", "apparel", 240000, true},
			{"p-taiga-samovar", "Электрический самовар", "kitchen", 890000, true},
			{"p-taiga-box", "Шкатулка из бересты", "home", 180000, true},
			{"p-taiga-teaset", "Чайный набор", "kitchen", 320000, true},
			{"p-taiga-honey", "Алтайский мёд 1 кг", "food", 120000, false},
			{"p-taiga-engraved", "Разделочная доска с гравировкой", "personalised", 210000, false},
		},
	},
}

var locales = []string{"en", "ko", "es", "ru"}

// Buyer names by locale; buyers take them in turn.
var names = map[string][]string{
	"en": {"Avery Collins", "Jordan Patel", "Morgan Reyes", "Riley Chen", "Casey Brooks", "Taylor Nguyen", "Quinn O'Hara", "Jamie Fowler", "Drew Sullivan", "Harper Lane", "Rowan Price", "Skyler Grant", "Emerson Hale"},
	"ko": {"김민준", "이서윤", "박지호", "최하은", "정도윤", "강서아", "조예준", "윤지유", "장시우", "임수아", "한지안", "오하린", "서유찬"},
	"es": {"Mateo García", "Valentina López", "Santiago Martín", "Camila Ruiz", "Diego Fernández", "Sofía Navarro", "Alejandro Torres", "Isabella Romero", "Daniel Vargas", "Martina Castillo", "Pablo Ortega", "Lucía Herrera"},
	"ru": {"Алексей Иванов", "Мария Смирнова", "Дмитрий Кузнецов", "Анна Попова", "Сергей Васильев", "Екатерина Петрова", "Иван Соколов", "Ольга Михайлова", "Никита Фёдоров", "Татьяна Морозова", "Павел Волков", "Елена Лебедева"},
}

// ProductNames returns the names of every product in the demo catalogue, in
// catalogue order: the items an independent test set of buyer messages
// refers to.
func ProductNames() []string {
	var out []string
	for _, s := range shops {
		for _, p := range s.products {
			out = append(out, p.name)
		}
	}
	return out
}
