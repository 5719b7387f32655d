// Package e2e holds the end-to-end tests of the example servers: each is
// built, started on a free port with its own SQLite file, and driven over
// real HTTP. The conformance suite describes the example servers' HTTP
// contract (README.md, "The example servers") once and runs it against every
// framework. The package has no code outside its tests.
package e2e
