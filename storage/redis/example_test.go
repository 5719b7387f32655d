package redis_test

import (
	"log"
	"os"

	goredis "github.com/redis/go-redis/v9"

	redisstore "github.com/gobware/gobware/storage/redis"
	"github.com/gobware/gobware/strategy/cookie"
	"github.com/gobware/gobware/strategy/jwt"
)

// Sessions and refresh tokens in one Redis, shared by every app server
// pointed at it.
func Example() {
	opt, err := goredis.ParseURL(os.Getenv("REDIS_URL")) // e.g. redis://localhost:6379/0
	if err != nil {
		log.Fatal(err)
	}
	client := goredis.NewClient(opt)
	defer client.Close()

	sessionStore, err := redisstore.NewSessionStore(client, redisstore.Options{})
	if err != nil {
		log.Fatal(err)
	}
	refreshStore, err := redisstore.NewRefreshStore(client, redisstore.Options{})
	if err != nil {
		log.Fatal(err)
	}
	sessionKey, accessKey := make([]byte, 32), make([]byte, 32) // from SESSION_SECRET, ACCESS_TOKEN_SECRET
	sessions, err := cookie.New([][]byte{sessionKey}, sessionStore, cookie.Options{})
	if err != nil {
		log.Fatal(err)
	}
	tokens, err := jwt.New([][]byte{accessKey}, refreshStore, jwt.Options{})
	if err != nil {
		log.Fatal(err)
	}
	_, _ = sessions, tokens
}
