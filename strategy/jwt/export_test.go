package jwt

// CacheLen returns the number of tokens in s's cache, for tests.
func CacheLen(s *Strategy) int {
	if s.cache == nil {
		return 0
	}
	return s.cache.len()
}
