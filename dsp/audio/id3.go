package audio

import (
	"bytes"
	"encoding/binary"
)

// id3v2Size returns the total size of the ID3v2 tag at the start of b
// (header, body and optional footer), or 0 if b does not start with one.
// The size may point past the end of b; the caller decides what that means.
func id3v2Size(b []byte) int64 {
	if len(b) < 10 || string(b[:3]) != "ID3" || b[3] == 0xFF || b[4] == 0xFF {
		return 0
	}
	n, ok := syncsafe(b[6:10])
	if !ok {
		return 0
	}
	size := 10 + n
	if b[5]&0x10 != 0 { // footer present (v2.4)
		size += 10
	}
	return size
}

// syncsafe decodes a 28-bit big-endian integer stored 7 bits per byte.
func syncsafe(b []byte) (int64, bool) {
	var n int64
	for _, c := range b[:4] {
		if c&0x80 != 0 {
			return 0, false
		}
		n = n<<7 | int64(c)
	}
	return n, true
}

// trailingTags returns the length of b once the tags writers append after
// the audio are cut off: ID3v1 (and its "TAG+" extension), Lyrics3v2,
// APEv2 and an appended ID3v2.4 tag (footer "3DI"). Tags may be stacked in
// any order, so it loops until nothing more is found.
func trailingTags(b []byte) int {
	end := len(b)
	for {
		n := end
		switch {
		case n >= 128 && string(b[n-128:n-125]) == "TAG":
			n -= 128
			if n >= 227 && string(b[n-227:n-223]) == "TAG+" {
				n -= 227
			}
		case n >= 32 && string(b[n-32:n-24]) == "APETAGEX":
			size := int64(binary.LittleEndian.Uint32(b[n-20:]))
			if binary.LittleEndian.Uint32(b[n-12:])&(1<<31) != 0 { // header present
				size += 32
			}
			if size < 32 || size > int64(n) {
				return end
			}
			n -= int(size)
		case n >= 15 && string(b[n-9:n]) == "LYRICS200":
			size := 0
			for _, c := range b[n-15 : n-9] {
				if c < '0' || c > '9' {
					return end
				}
				size = size*10 + int(c-'0')
			}
			if size+15 > n || !bytes.HasPrefix(b[n-15-size:], []byte("LYRICSBEGIN")) {
				return end
			}
			n -= size + 15
		case n >= 10 && string(b[n-10:n-7]) == "3DI":
			body, ok := syncsafe(b[n-4 : n])
			if !ok || 20+body > int64(n) {
				return end
			}
			n -= int(20 + body)
		}
		if n == end {
			return end
		}
		end = n
	}
}
