// Package demo is what the three example servers share: configuration from
// the environment, the demo users and catalog, the database, the assembled
// stores, strategies and authentication endpoints, and the web page. Each example's main only chooses the
// framework that serves it, so the three behave identically over HTTP.
package demo
