// Package passkeystore is the storage contract of package passkey: the
// Credential and Challenge records, the Store and ChallengeStore
// interfaces, their "not found" and "exists" sentinels, and in-memory
// implementations. It depends on the standard library and core only, so a
// database store (storage/gorm's PasskeyStore and ChallengeStore)
// implements it without compiling in the WebAuthn library, and an
// application that never uses passkeys pays nothing for them.
//
// Package passkey re-exports every name here (passkey.Store is
// passkeystore.Store), so applications need not import this package;
// store implementations do. passkeytest.TestStore and TestChallengeStore
// check an implementation.
package passkeystore
