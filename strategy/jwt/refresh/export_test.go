package refresh

import "fmt"

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
