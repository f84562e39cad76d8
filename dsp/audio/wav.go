package audio

// decodeWAV is a placeholder; the WAV decoder replaces this file.
func decodeWAV(data []byte, lim Limits) (decoded, error) {
	return decoded{}, errorf(ErrUnsupported, "WAV decoding not built yet")
}
