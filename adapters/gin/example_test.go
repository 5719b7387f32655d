package gin_test

import (
	"fmt"
	"net/http/httptest"

	"github.com/gin-gonic/gin"
	gobgin "github.com/gobware/gobware/adapters/gin"
	"github.com/gobware/gobware/strategy/cookie"
)

// ExampleRequire protects a gin route with a session cookie.
func ExampleRequire() {
	key := []byte("an example key of exactly 32 by.") // use core.ParseSecret(os.Getenv("SESSION_SECRET"))
	sessions, _ := cookie.New([][]byte{key}, cookie.NewMemoryStore(), cookie.Options{})

	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.POST("/login", func(c *gin.Context) {
		// Check the password first; then:
		if err := gobgin.Login(c, sessions, "alice"); err != nil {
			c.Status(503)
		}
	})
	r.GET("/account", gobgin.Require(sessions), func(c *gin.Context) {
		c.String(200, "hello %s", gobgin.UserID(c))
	})

	login := httptest.NewRecorder()
	r.ServeHTTP(login, httptest.NewRequest("POST", "/login", nil))

	anonymous := httptest.NewRecorder()
	r.ServeHTTP(anonymous, httptest.NewRequest("GET", "/account", nil))
	fmt.Println(anonymous.Code)

	account := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/account", nil)
	req.AddCookie(login.Result().Cookies()[0])
	r.ServeHTTP(account, req)
	fmt.Println(account.Code, account.Body)
	// Output:
	// 401
	// 200 hello alice
}
