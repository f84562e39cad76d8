package audio

import "bytes"

// Format is a container recognised from magic bytes.
type Format int

const (
	FormatUnknown Format = iota
	FormatWAV            // RIFF/WAVE, big-endian RIFX, RF64/BW64
	FormatMP3            // MPEG audio frames, optionally after an ID3v2 tag
)

func (f Format) String() string {
	switch f {
	case FormatWAV:
		return "wav"
	case FormatMP3:
		return "mp3"
	}
	return "unknown"
}

// Sniff names the container from the first bytes of data, never from a
// file name. It returns FormatUnknown for anything else.
func Sniff(data []byte) Format {
	if len(data) >= 12 && bytes.Equal(data[8:12], []byte("WAVE")) {
		switch string(data[:4]) {
		case "RIFF", "RIFX", "RF64", "BW64":
			return FormatWAV
		}
	}
	if len(data) >= 4 && string(data[:4]) == "RIFF" || len(data) >= 4 && string(data[:4]) == "RF64" {
		// A RIFF file that is not WAVE (AVI, WebP...) or a WAV cut inside its header.
		if len(data) < 12 {
			return FormatWAV // let the WAV decoder report the truncation
		}
		return FormatUnknown
	}
	if len(data) >= 3 && string(data[:3]) == "ID3" {
		return FormatMP3
	}
	if off, _ := firstAnyMPEGFrame(data, 64<<10); off >= 0 { // any layer: decodeMP3 names what it cannot decode
		return FormatMP3
	}
	return FormatUnknown
}

// notAudio names what data looks like, so the visitor learns why it failed.
func notAudio(data []byte) error {
	kind := ErrNotAudio
	what := "unrecognised content"
	has := func(off int, magic string) bool {
		return len(data) >= off+len(magic) && string(data[off:off+len(magic)]) == magic
	}
	switch {
	case has(0, "OggS"):
		what, kind = "Ogg (Vorbis/Opus) audio", ErrUnsupported
	case has(0, "fLaC"):
		what, kind = "FLAC audio", ErrUnsupported
	case has(4, "ftyp"):
		what, kind = "MP4/M4A container", ErrUnsupported
	case has(0, "\x1A\x45\xDF\xA3"):
		what, kind = "WebM/Matroska container", ErrUnsupported
	case has(0, "FORM") && (has(8, "AIFF") || has(8, "AIFC")):
		what, kind = "AIFF audio", ErrUnsupported
	case has(0, "#!AMR"):
		what, kind = "AMR audio", ErrUnsupported
	case has(0, ".snd"):
		what, kind = "Sun/NeXT .au audio", ErrUnsupported
	case len(data) >= 2 && data[0] == 0xFF && data[1]&0xF6 == 0xF0:
		what, kind = "AAC (ADTS) audio", ErrUnsupported
	case has(0, "\x89PNG"):
		what = "a PNG image"
	case has(0, "\xFF\xD8\xFF"):
		what = "a JPEG image"
	case has(0, "GIF8"):
		what = "a GIF image"
	case has(0, "%PDF"):
		what = "a PDF document"
	case has(0, "PK\x03\x04"):
		what = "a ZIP archive"
	case has(0, "RIFF"):
		what = "a RIFF file that is not WAVE"
	}
	return &Error{Kind: kind, Detail: what}
}
