package nlu

import "strings"

// withdrawCues take back what the buyer asked for a moment ago, folded:
// "never mind", "no wait", "forget it", "stop", "I'll keep it". Said while
// an action waits for the buyer's confirmation, they call it off.
var withdrawCues = prepare(
	"never mind", "nevermind", "nvm ", "forget it", "forget about it", "forget that", "no wait",
	"wait no", "wait dont", "dont do it", "dont do that", "dont cancel", "dont refund", "do not cancel",
	"do not refund", "scratch that", "dont do anything", "do not do anything", "do nothing",
	"hold on dont", "hold off", "ill keep it", "i will keep it",
	"do not proceed", "dont proceed", "dont go ahead", "do not go ahead", "i shall keep", "ill keep the", "i will keep the",
	"keep it after all", "wants it after all", "want it after all", "keep it actually",
	"leave it as it is", "leave it as is", "on second thought", "changed my mind about the refund",
	"olvidalo", "olvidelo", "olvidate", "olvida lo", "olvidad", "mejor no", "no espera", "dejalo", "dejelo", "dejadlo", "no lo hagas", "no lo haga", "no hace falta",
	"me lo quedo", "me la quedo", "me los quedo", "al final no", "no cancel", "no lo cancel",
	"no me devuelv", "para ya", "para para", "no hagas nada", "no haga nada", "no hagan nada", "no hagais nada",
	"no tramites", "no lo tramites", "no lo proceses",
	"забудьте", "забудь ", "не надо", "не нужно", "стоп", "отбой", "не отменяйте", "не отменяй",
	"оставлю себе", "оставьте как есть", "пусть остается", "хотя нет", "ничего не делайте", "не делайте ничего",
	"ничего не делай", "не оформляйте", "не оформляй", "забей", "не стоит",
	"취소하지 마", "취소 하지 마", "하지 마세요", "하지 말아", "진행하지 마", "그만",
	"없던 걸로", "없던걸로", "아무것도 하지", "멈춰", "진행하지 말", "그냥 둘게", "그냥 받을게", "그냥 쓸게", "안 할게", "안할게", "안 할래",
)

// Withdraws reports whether text takes back the request the buyer just
// made: "actually never mind", "olvídalo", "стоп, не надо", "취소하지
// 마세요". It says nothing of what is withdrawn; the caller knows what
// waits.
func Withdraws(text string) bool {
	kt := newKeywordText(fold(strings.ToLower(normalize(text))))
	return anyCue(kt, kt.present, withdrawCues) || anyCue(kt, kt.present, stopCue) && !anyCue(kt, kt.present, stopPlaces)
}

// stopCue is "stop" said to the agent; stopPlaces are the stop a buyer is
// at or waits for ("at a stop got 2 min", "I'm at the bus stop"), which
// take nothing back.
var (
	stopCue    = prepare("stop ")
	stopPlaces = prepare("a stop", "the stop", "bus stop", "tram stop", "my stop", "next stop", "at stop", "each stop", "every stop")
)
