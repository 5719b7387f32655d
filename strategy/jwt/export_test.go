package jwt

import "fmt"

// CacheLen returns the number of tokens in s's cache, for tests.
func CacheLen(s *Strategy) int {
	if s.cache == nil {
		return 0
	}
	return s.cache.len()
}

// MemoryStoreRecords shows what m keeps about the families of users, one
// string per family with every field, hashes in hex, for the store kit.
func MemoryStoreRecords(m *MemoryStore, users ...string) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, f := range m.families {
		for _, u := range users {
			if f.UserID == u {
				out = append(out, fmt.Sprintf("%s %s %d %x %x %v %v %v %v",
					f.ID, f.UserID, f.Generation, f.Current[:], f.Previous[:], f.RotatedAt, f.CreatedAt, f.ExpiresAt, f.Revoked))
			}
		}
	}
	return out
}
