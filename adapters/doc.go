// Package adapters groups gobware's framework adapters: nethttp, gin and
// fiber, one folder each. They only translate between a framework and the
// framework-neutral httpapi package, so they behave identically; the tests
// in this folder hold all three to one middleware contract.
package adapters
