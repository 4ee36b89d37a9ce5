package vn

import (
	"bytes"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// SortKeyVersion identifies the layout of the keys SortKey returns. Keys of different
// versions do not compare meaningfully: when it changes, stored keys must be recomputed.
const SortKeyVersion = 1

// SplitName splits "Nguyễn Thị Hải Yến" into surname "Nguyễn", middle "Thị Hải", given
// "Yến". The name is Clean'd first. A one-word name is a given name only; a two-word name
// has no middle name; an empty name gives three empty strings.
func SplitName(full string) (surname, middle, given string) {
	words := strings.Fields(Clean(full))
	switch len(words) {
	case 0:
		return "", "", ""
	case 1:
		return "", "", words[0]
	}
	return words[0], strings.Join(words[1:len(words)-1], " "), words[len(words)-1]
}

// CompareNames compares two full names as SortKey orders them (without sort names):
// it returns -1, 0 or +1.
func CompareNames(a, b string) int {
	return bytes.Compare(SortKey(a, ""), SortKey(b, ""))
}

// SortKey returns a byte key such that bytes.Compare of two keys (memcmp, as SQLite
// orders BLOBs) orders full names the Vietnamese way:
//
//   - by given name (the last word), then the middle names in order, then the surname
//     (the first word); a missing middle name sorts before any middle name;
//   - each word by Vietnamese letter order, a ă â b c d đ e ê g h i k l m n o ô ơ p q r s
//     t u ư v x y (f j w z in their Latin places; digits before letters, punctuation
//     before digits, letters of other scripts after z, by code point);
//   - within a word of equal letters, by tone: none, huyền, hỏi, ngã, sắc, nặng
//     (ha < hà < hả < hã < há < hạ), before the next word is looked at, so that people
//     with the same given name stay together. The tone belongs to the syllable, not to the
//     letter carrying it, so "Hòa" and "Hoà" (and "Thủy"/"Thuỷ") have equal keys.
//
// Case is ignored; NFD and NFC input give the same key. If sortName is non-empty after
// Clean (an explicit sort name for names that do not follow surname–middle–given, e.g.
// some ethnic-minority names), its words are compared in the order written instead.
//
// The key layout is described by SortKeyVersion.
func SortKey(fullName, sortName string) []byte {
	key := make([]byte, 0, 2*len(fullName)+len(sortName)+8)
	if sn := Clean(sortName); sn != "" {
		for _, w := range strings.Split(sn, " ") {
			key = appendWordKey(key, w)
		}
		return key
	}
	surname, middle, given := SplitName(fullName)
	if given != "" {
		key = appendWordKey(key, given)
	}
	if middle != "" {
		for _, w := range strings.Split(middle, " ") {
			key = appendWordKey(key, w)
		}
	}
	key = append(key, keyGroupEnd)
	if surname != "" {
		key = appendWordKey(key, surname)
	}
	return key
}

// Key bytes. A word is encoded as its letter weights, keyWordEnd, its marks (tones
// first), keyWordEnd. Every letter weight is above keyWordEnd and every word starts with
// one or ends immediately, so a shorter word sorts before a longer one with the same
// beginning, and keyGroupEnd after the middle names sorts before any further word.
const (
	keyGroupEnd = 0x00
	keyWordEnd  = 0x01

	// Tones, in the order of Vietnamese dictionaries.
	toneHuyen = 0x02 // grave
	toneHoi   = 0x03 // hook above
	toneNga   = 0x04 // tilde
	toneSac   = 0x05 // acute
	toneNang  = 0x06 // dot below
	keyMark   = 0x07 // followed by the 3-byte code point of a non-Vietnamese mark

	keyOther  = 0x08 // followed by a 3-byte code point: punctuation, symbols
	keyDigit  = 0x10 // + the digit
	keyLetter = 0x20 // + the index in vnAlphabet
	keyScript = 0xF0 // followed by a 3-byte code point: letters outside vnAlphabet
)

// vnAlphabet is the Vietnamese alphabet with f, j, w, z in their Latin places.
const vnAlphabet = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"

// letterIndex returns the position of r in vnAlphabet.
func letterIndex(r rune) (int, bool) {
	i := 0
	for _, a := range vnAlphabet {
		if a == r {
			return i, true
		}
		i++
	}
	return 0, false
}

// withModifier returns the Vietnamese letter made of base and the combining mark m
// (breve, circumflex or horn), if there is one.
func withModifier(base, m rune) (rune, bool) {
	switch {
	case m == '\u0306' && base == 'a':
		return 'ă', true
	case m == '\u0302' && base == 'a':
		return 'â', true
	case m == '\u0302' && base == 'e':
		return 'ê', true
	case m == '\u0302' && base == 'o':
		return 'ô', true
	case m == '\u031B' && base == 'o':
		return 'ơ', true
	case m == '\u031B' && base == 'u':
		return 'ư', true
	}
	return 0, false
}

func toneWeight(m rune) (byte, bool) {
	switch m {
	case '\u0300':
		return toneHuyen, true
	case '\u0309':
		return toneHoi, true
	case '\u0303':
		return toneNga, true
	case '\u0301':
		return toneSac, true
	case '\u0323':
		return toneNang, true
	}
	return 0, false
}

func appendCodePoint(key []byte, prefix byte, r rune) []byte {
	return append(key, prefix, byte(r>>16), byte(r>>8), byte(r))
}

// appendWordKey appends the key of one word (no spaces) to key.
func appendWordKey(key []byte, word string) []byte {
	var tones, marks []byte
	runes := []rune(norm.NFD.String(strings.ToLower(word)))
	for i := 0; i < len(runes); {
		base := runes[i]
		isMark := unicode.Is(unicode.M, base)
		if !isMark {
			i++
		}
		// The marks of this letter; a word may also start with stray marks (no base).
		letter := unicode.ToLower(base)
		modified := false
		for ; i < len(runes) && unicode.Is(unicode.M, runes[i]); i++ {
			m := runes[i]
			if !isMark && !modified {
				if l, ok := withModifier(letter, m); ok {
					letter, modified = l, true
					continue
				}
			}
			if w, ok := toneWeight(m); ok {
				tones = append(tones, w)
				continue
			}
			marks = appendCodePoint(marks, keyMark, m)
		}
		if isMark {
			continue
		}
		if letter == 'ð' {
			letter = 'đ' // legacy-encoding look-alike of đ
		}
		switch {
		case letter >= '0' && letter <= '9':
			key = append(key, keyDigit+byte(letter-'0'))
		case unicode.IsLetter(letter):
			if idx, ok := letterIndex(letter); ok {
				key = append(key, keyLetter+byte(idx))
			} else {
				key = appendCodePoint(key, keyScript, letter)
			}
		default:
			key = appendCodePoint(key, keyOther, letter)
		}
	}
	key = append(key, keyWordEnd)
	key = append(key, tones...)
	key = append(key, marks...)
	return append(key, keyWordEnd)
}
