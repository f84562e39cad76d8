package audio

// decodeMP3 is a placeholder; the MP3 decoder replaces this file.
func decodeMP3(data []byte, lim Limits) (decoded, error) {
	return decoded{}, errorf(ErrUnsupported, "MP3 decoding not built yet")
}
