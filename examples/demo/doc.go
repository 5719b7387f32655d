// Package demo is what the three example servers share, none of it
// framework-specific: configuration from the environment, the demo users
// and catalog, the database and the stores it chose, the strategies, the
// login limiter and the cart built from them (App), the web page and
// /healthz (App.Pages), and the process lifecycle (Main). Each example
// builds its HTTP API from an App in its own framework's style: the auth
// endpoints mounted in one line, the cart and me handlers written natively.
package demo
