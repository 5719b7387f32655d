// Package coretest provides test doubles for code written against package
// core: a Request to hand a Strategy, a Response that keeps what a Strategy
// writes, a manual Clock to inject as a strategy's Now, and an Events
// recorder to inject as its Events sink.
//
// They let a strategy be tested without an HTTP server or a framework and
// without sleeping: expiry is tested by advancing the Clock, and security
// events by counting what Events recorded.
//
//	clock := coretest.NewClock(coretest.Epoch)
//	events := &coretest.Events{}
//	s, _ := mystrategy.New(mystrategy.Options{Now: clock.Now, Events: events.Record})
//	r := (&coretest.Request{}).AddHeader("Authorization", "Bearer "+token)
//	id, err := s.Authenticate(r)
//	clock.Advance(time.Hour)
//	_, err = s.Authenticate(r) // now expired
//
// Clock and Events are safe for concurrent use. Request and Response are
// not: build a Request before handing it to goroutines, and give each
// goroutine its own Response.
//
// coretest imports only core and the standard library, so any strategy's
// tests may use it. (core's own tests may, from package core_test.)
package coretest
