package cookie

// CacheLen returns the number of sessions in s's cache, for tests.
func CacheLen(s *Strategy) int {
	if s.cache == nil {
		return 0
	}
	return s.cache.len()
}
