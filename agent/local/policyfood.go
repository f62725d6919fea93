package local

import "strings"

// Buyers name a food by what it is ("can I return the honey?", "김치도
// 반품 돼요?", "¿se puede devolver la miel?", "можно ли вернуть мёд?"),
// and the policies rule on it as perishable food, a list the question
// shares no word with. The search words of a policy question add the
// list's name when the question names a food; the routing does not read
// them (policyTerms does), since a food is as often just what was ordered
// ("저는 김치 주문 했어요. 언제 보내요?" asks when the order ships).

// foodNames are common foods, in the four languages, as lower-case
// fragments, each with the policies' words for perishable food. A name
// that is part of common words is padded: " мед " is honey, "медленно"
// is slowly; "чай" is left out, since a "чайный набор" is a tea set.
var foodNames = []struct {
	names  []string
	policy string
}{
	{[]string{"honey", " jam ", " jam?", "cheese", "chocolate", "cookies", "candy", "sweets", "snacks", "fruit", " meat", "sausage", "kimchi", "seaweed", "sesame oil", "spices", "coffee beans", " cake", "cupcake", "bread", "pastr", "biscuit", " milk", "yogurt", "yoghurt", "seafood", " fish", "vegetable", "berries"}, "perishable food"},
	{[]string{"꿀", "김치", "과자", "초콜릿", "치즈", "참기름", "들기름", "젓갈", "반찬", "과일", "고기", "케이크", "빵", "떡", "우유", "생선", "해산물", "채소"}, "부패하기 쉬운 식품"},
	{[]string{" miel", "mermelada", "queso", "chocolate", "galletas", "dulces", "turrón", "jamón", "embutido", "fruta", " carne", "pescado", "especias", "pastel", "tarta", " pan ", "galleta", "leche", "yogur", "mariscos", "verdura"}, "alimentos perecederos"},
	{[]string{" мёд", " мед ", " мед,", " мед?", " меда ", " мёда", "варенье", "джем", " сыр ", " сыр,", " сыр?", " сыра", "шоколад", "конфет", "печенье", "колбас", " икр", "пастил", "орехи", " торт", "хлеб", "выпечк", "пирож", " молок", " рыба", " рыбу", " рыбы", "овощ", "ягод"}, "скоропортящиеся продукты питания"},
}

// namedFood returns the policies' words for perishable food when
// question names a food and concepts (the search words so far) lack them,
// or "".
func namedFood(question, concepts string) string {
	q := " " + strings.ToLower(question) + " "
	for _, f := range foodNames {
		if containsAny(q, f.names) && !strings.Contains(concepts, f.policy) {
			return f.policy
		}
	}
	return ""
}
