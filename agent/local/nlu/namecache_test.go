package nlu

import (
	"slices"
	"testing"
)

// The cached name is the one newItemName makes, so matching is the same
// with the cache as without it.
func TestCachedItemName(t *testing.T) {
	for _, name := range []string{"Rechargeable camp lantern", "전기 주전자", "Lámpara de mesa de cerámica", "Чайный набор", "Maple & Pine gift card"} {
		want := newItemName(name)
		for range 2 {
			got := cachedItemName(name)
			if got.folded != want.folded || got.lang != want.lang || got.set != want.set ||
				!slices.Equal(got.words, want.words) || !slices.Equal(got.kinds, want.kinds) {
				t.Errorf("cachedItemName(%q) = %+v, want %+v", name, got, want)
			}
		}
	}
}

// BenchmarkMatchItem matches a refund of one line against four shops'
// names, as a turn does (allocations are what the name cache took off).
func BenchmarkMatchItem(b *testing.B) {
	names := []string{"Trail hiking boots", "Waterproof rain jacket", "Merino wool socks (3 pack)", "Rechargeable camp lantern",
		"Insulated steel bottle", "Maple & Pine gift card", "Printable trail map bundle (download)",
		"무선 이어폰", "극세사 담요", "캔버스 운동화", "전기 주전자", "보온 텀블러",
		"Sandalias de cuero", "Lámpara de mesa de cerámica", "Валенки ручной работы", "Шарф из шерсти", "Электрический самовар", "Чайный набор"}
	b.ReportAllocs()
	for b.Loop() {
		if MatchItem("hi i want a refund for just the camping lantern please, it stopped charging", names) != 3 {
			b.Fatal("not the lantern")
		}
	}
}
