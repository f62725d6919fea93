package nlu

// Formal buyers wrap a request in courtesy: "I would like to cancel the
// purchase, if at all possible", "Desearía cancelar…, si fuera posible",
// "Буду признательна, если вы оформите возврат…", "가능하다면 취소하고
// 싶습니다". The conditional there is politeness, not a hypothesis, and
// the gratitude announced in advance is the request itself. Read as a
// hypothesis, such a message became a question about the rules (a
// policy question) and the request was lost; these frames keep it a
// request, in every language, whatever is requested.

// courtesyFrames are conditionals of courtesy beyond politeFrames: asking
// whether the request is possible or convenient, and gratitude on a
// condition ("grateful if"). They are taken out before the conditional
// cues are read. Hangul frames are written without spaces, as Korean
// keywords are matched.
var courtesyFrames = []string{
	" if at all possible ", " if its possible ", " if it is possible ", " if thats possible ",
	" if that is possible ", " if this is possible ", " if you would ", " if you will ", " if you please ",
	" if it isnt too much trouble ", " if its not too much trouble ", " if convenient ",
	" grateful if ", " thankful if ", " appreciate it if ", " appreciate if ", " obliged if ",
	" si fuera posible ", " si fuese posible ", " si se puede ", " si pudiera ", " si pudiese ",
	" si no le importa ", " si no les importa ", " si no es mucha molestia ", " de ser posible ",
	" agradeceria si ", " agradeceriamos si ",
	" если это возможно ", " если это не сложно ", " если вас не затруднит ", " если не затруднит ",
	" если получится ", " если у вас есть возможность ",
	" признательна если ", " признателен если ", " признательны если ", " благодарна если ",
	" благодарен если ", " благодарны если ",
	"가능하다면", "가능하시다면", "가능하면", "괜찮으시다면", "괜찮다면", "번거로우시겠지만",
}

// gratitudeCues announce thanks for something not yet done ("I would be
// grateful if you could…", "le agradecería que…", "буду признательна…",
// "…해 주시면 감사하겠습니다"): a request, as "please" is. Wishes of the
// same register ("I would prefer…") are requests too.
var gratitudeCues = prepare(
	"would be grateful", "would be thankful", "be most grateful", "would be obliged", "i would prefer", "id prefer",
	"le agradeceria", "les agradeceria", "agradeceria que", "agradeceria mucho", "preferiria",
	"буду признательн", "буду благодарн", "был бы признател", "была бы признател", "были бы признател",
	"был бы благодар", "была бы благодар", "предпочел бы", "предпочла бы",
	"감사하겠습니다", "감사드리겠습니다", "주시면 감사", "주시겠어요", "주실 수 있",
	// "can you do it for me": 해 줄 수 있어요, 해줄 수 있나요, asked of the agent.
	"해 줄 수 있", "해줄 수 있", "해 주실 수", "해주실 수",
)
